"""A strict REFI-QDA writer: ``model`` objects -> project.qde (Project-mrt2019.xsd) and a .qdpx zip.

Elements go in schema order, no container is written empty, every GUID is checked, colours must be
``#RRGGBB`` and text positions ``0 <= start < end <= len(text)`` (code points, or UTF-16 code units
when ``Project.utf16`` says so; end exclusive). Strings are
cleaned of characters XML cannot hold (they become U+FFFD; the source texts themselves go into
``sources/<GUID>.txt`` untouched, so offsets never shift).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

from qualcode.errors import FormatError
from qualcode.store.atomic import fsync_dir, mode_for

from . import model
from .guids import is_guid
from .reader import PROJECT_NS

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_VALUE = {
    "Text": ("TextValue", re.compile(r"(?s).*")),
    "Boolean": ("BooleanValue", re.compile(r"^(true|false|1|0)$")),
    "Integer": ("IntegerValue", re.compile(r"^[+-]?\d+$")),
    "Float": ("FloatValue", re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")),
    "Date": ("DateValue", re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$")),
    "DateTime": ("DateTimeValue", _DATETIME),
}


def xml_text(value: str) -> str:
    return _ILLEGAL.sub("\ufffd", value)


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def datetime_or_none(value: str | None) -> str | None:
    return value if value and _DATETIME.match(value) else None


_CHECKED: set[str] = set()
"""GUIDs already checked in this write (users and codes recur thousands of times)."""


def _guid(value: str | None, what: str) -> str:
    if value in _CHECKED:
        return value
    if not value or not is_guid(value):
        raise ValueError(f"{what}: {value!r} is not a GUID")
    if len(_CHECKED) < 10_000:
        _CHECKED.add(value)
    return value


def add_code_tree(parent: etree._Element, codes: list[model.Code], q, *, notes: bool = False) -> None:
    """``<Code>`` elements, nested, in the order given (a parent before its children)."""
    children: dict[str | None, list[model.Code]] = {}
    for c in codes:
        children.setdefault(c.parent, []).append(c)
    sub = etree.SubElement

    def emit(el: etree._Element, key: str | None) -> None:
        for c in children.get(key, []):
            if c.colour is not None and not _COLOUR.match(c.colour):
                raise FormatError(f"code {c.name!r}: colour {c.colour!r} is not #RRGGBB",
                                  hint="fix the colour in the codebook (e.g. \"#1F77B4\")")
            ce = sub(el, q("Code"), guid=_guid(c.guid, "code"), name=xml_text(c.name),
                     isCodable="true" if c.codable else "false")
            if c.colour:
                ce.set("color", c.colour.upper())
            if c.description:
                sub(ce, q("Description")).text = xml_text(c.description)
            emit(ce, c.guid)

    emit(parent, None)


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


_T = {name: _q(name) for name in (
    "Project", "Users", "User", "CodeBook", "Codes", "Variables", "Variable", "Cases", "Case", "Sources",
    "TextSource", "PlainTextSelection", "Coding", "CodeRef", "NoteRef", "Notes", "Note", "Sets", "Set",
    "Description", "PlainTextContent", "VariableValue", "VariableRef", "SourceRef", "MemberCode",
    "MemberSource", "MemberNote", *[v[0] for v in _VALUE.values()])}


def _values(el: etree._Element, values: list[model.VariableValue]) -> None:
    sub = etree.SubElement
    for v in values:
        tag, pattern = _VALUE[v.type]
        if not pattern.match(v.value):
            raise ValueError(f"{v.value!r} is not a {v.type} value")
        vv = sub(el, _T["VariableValue"])
        sub(vv, _T["VariableRef"], targetGUID=_guid(v.variable, "variable"))
        sub(vv, _T[tag]).text = xml_text(v.value)


def _coding(el: etree._Element, c: model.CodingRef) -> None:
    sub = etree.SubElement
    ce = sub(el, _T["Coding"], guid=_guid(c.guid, "coding"))
    if c.user:
        ce.set("creatingUser", _guid(c.user, "user"))
    created = datetime_or_none(c.created)
    if created:
        ce.set("creationDateTime", created)
    sub(ce, _T["CodeRef"], targetGUID=_guid(c.code, "code"))
    for n in c.notes:
        sub(ce, _T["NoteRef"], targetGUID=_guid(n, "note"))


def project_xml(p: model.Project) -> bytes:
    """project.qde for ``p`` as bytes (see ``write_project_xml``)."""
    buf = io.BytesIO()
    write_project_xml(buf, p)
    return buf.getvalue()


def write_project_xml(fh, p: model.Project) -> None:
    """Stream project.qde for ``p`` to the binary file ``fh``, one source at a time (so memory holds
    one source's elements, not the whole tree). Each source's ``path`` must already be set."""
    _CHECKED.clear()
    attrib = {"name": xml_text(p.name or "Untitled")}
    if p.origin:
        attrib["origin"] = xml_text(p.origin)
    if p.creating_user:
        attrib["creatingUserGUID"] = _guid(p.creating_user, "user")
    for attr, value in (("creationDateTime", p.created), ("modifiedDateTime", p.modified)):
        if datetime_or_none(value):
            attrib[attr] = value
    head, tail = _head(p), _tail(p)
    start = etree.tostring(etree.Element(_T["Project"], attrib, nsmap={None: PROJECT_NS}), encoding="UTF-8")
    fh.write(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" + start[:-2] + b">")
    for el in head:
        fh.write(_fragment(el))
    if p.sources:
        fh.write(b"<Sources>")
        holder = etree.Element(_T["Sources"], nsmap={None: PROJECT_NS})
        for src in p.sources:
            _source(holder, src, p.utf16)
            fh.write(_fragment(holder[0]))
            del holder[0]
        fh.write(b"</Sources>")
    for el in tail:
        fh.write(_fragment(el))
    fh.write(b"</Project>")


_XMLNS = f' xmlns="{PROJECT_NS}"'.encode()


def _fragment(el: etree._Element) -> bytes:
    """An element's XML without the default-namespace declaration its parent already makes."""
    data = etree.tostring(el, encoding="UTF-8", xml_declaration=False)
    head = data[: data.index(b">") + 1]
    return head.replace(_XMLNS, b"", 1) + data[len(head):]


def _head(p: model.Project) -> etree._Element:
    """Users, CodeBook, Variables, Cases (children of a detached element, in schema order)."""
    sub = etree.SubElement
    T = _T
    root = etree.Element(T["Project"], nsmap={None: PROJECT_NS})
    if p.users:
        users = sub(root, T["Users"])
        for u in p.users:
            ue = sub(users, T["User"], guid=_guid(u.guid, "user"))
            if u.name:
                ue.set("name", xml_text(u.name))
            if u.id:
                ue.set("id", xml_text(u.id))
    if p.codes:
        add_code_tree(sub(sub(root, T["CodeBook"]), T["Codes"]), p.codes, _q)
    if p.variables:
        variables = sub(root, T["Variables"])
        for v in p.variables:
            if v.type not in _VALUE:
                raise ValueError(f"variable type {v.type!r}")
            ve = sub(variables, T["Variable"], guid=_guid(v.guid, "variable"), name=xml_text(v.name),
                     typeOfVariable=v.type)
            if v.description:
                sub(ve, T["Description"]).text = xml_text(v.description)
    if p.cases:
        cases = sub(root, T["Cases"])
        for c in p.cases:
            ce = sub(cases, T["Case"], guid=_guid(c.guid, "case"))
            if c.name:
                ce.set("name", xml_text(c.name))
            if c.description:
                sub(ce, T["Description"]).text = xml_text(c.description)
            _values(ce, c.values)
            for s in c.sources:
                sub(ce, T["SourceRef"], targetGUID=_guid(s, "source"))
    return root


def _tail(p: model.Project) -> etree._Element:
    """Notes, Sets, Description, NoteRef (children of a detached element, in schema order)."""
    sub = etree.SubElement
    T = _T
    root = etree.Element(T["Project"], nsmap={None: PROJECT_NS})
    if p.notes:
        notes = sub(root, T["Notes"])
        for n in p.notes:
            ne = sub(notes, T["Note"], guid=_guid(n.guid, "note"))
            if n.name:
                ne.set("name", xml_text(n.name))
            if n.user:
                ne.set("creatingUser", _guid(n.user, "user"))
            if datetime_or_none(n.created):
                ne.set("creationDateTime", n.created)
            if n.description:
                sub(ne, T["Description"]).text = xml_text(n.description)
            sub(ne, T["PlainTextContent"]).text = xml_text(n.text)
    if p.sets:
        sets = sub(root, T["Sets"])
        for s in p.sets:
            se = sub(sets, T["Set"], guid=_guid(s.guid, "set"), name=xml_text(s.name))
            if s.description:
                sub(se, T["Description"]).text = xml_text(s.description)
            for tag, refs in (("MemberCode", s.codes), ("MemberSource", s.sources), ("MemberNote", s.notes)):
                for r in refs:
                    sub(se, T[tag], targetGUID=_guid(r, tag))
    if p.description:
        sub(root, T["Description"]).text = xml_text(p.description)
    for n in p.project_notes:
        sub(root, T["NoteRef"], targetGUID=_guid(n, "note"))
    return root


def _source(parent: etree._Element, s: model.Source, utf16: bool = False) -> None:
    sub = etree.SubElement
    T = _T
    se = sub(parent, T["TextSource"], guid=_guid(s.guid, "source"))
    if s.name:
        se.set("name", xml_text(s.name))
    if not s.path:
        raise ValueError("a text source needs its plainTextPath")
    se.set("plainTextPath", s.path)
    if s.user:
        se.set("creatingUser", _guid(s.user, "user"))
    if datetime_or_none(s.created):
        se.set("creationDateTime", s.created)
    if s.description:
        sub(se, T["Description"]).text = xml_text(s.description)
    n_text = len(s.text or "")
    if utf16:  # positions count UTF-16 code units (NVivo): a character outside the BMP is 2
        n_text += sum(1 for ch in (s.text or "") if ord(ch) > 0xFFFF)
    for sel in s.selections:
        if not (0 <= sel.start < sel.end <= n_text):
            raise ValueError(f"selection {sel.start}-{sel.end} is outside the source (0-{n_text})")
        pe = sub(se, T["PlainTextSelection"], guid=_guid(sel.guid, "selection"))
        if sel.name:
            pe.set("name", xml_text(sel.name))
        pe.set("startPosition", str(sel.start))
        pe.set("endPosition", str(sel.end))
        if sel.user:
            pe.set("creatingUser", _guid(sel.user, "user"))
        if datetime_or_none(sel.created):
            pe.set("creationDateTime", sel.created)
        if sel.description:
            sub(pe, T["Description"]).text = xml_text(sel.description)
        for c in sel.codings:
            _coding(pe, c)
        for n in sel.notes:
            sub(pe, T["NoteRef"], targetGUID=_guid(n, "note"))
    for c in s.codings:
        _coding(se, c)
    for n in s.notes:
        sub(se, T["NoteRef"], targetGUID=_guid(n, "note"))
    _values(se, s.variables)


def write_qdpx(dest: str | Path, p: model.Project) -> int:
    """Write ``project.qde`` and ``sources/<GUID>.txt`` (UTF-8, no BOM) atomically. Returns the size."""
    dest = Path(dest)
    for s in p.sources:
        s.path = f"internal://{s.guid}.txt"
    folder = dest.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    stamp = time.localtime()[:6]
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                info = zipfile.ZipInfo("project.qde", stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as qde:
                    write_project_xml(qde, p)
                for s in p.sources:
                    info = zipfile.ZipInfo(f"sources/{s.guid}.txt", stamp)
                    zf.writestr(info, (s.text or "").encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode_for(dest))  # mkstemp makes 0600; exports follow the one policy (store.atomic)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)
    return dest.stat().st_size
