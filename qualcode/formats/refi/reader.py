"""Lenient reading of REFI-QDA XML (.qde projects) into ``model`` objects.

Element names are matched by their local name, so any namespace variant reads (the 1.0 namespace,
the pre-1.0 ``urn:QDA-XML:...:0:4`` drafts, none at all); a different one is reported. GUIDs are
read upper- or lower-case, with or without braces. A ``description`` attribute is read where the
schema wants a ``Description`` element. Anything qualcode does not use is counted, not failed on.
"""

from __future__ import annotations

import io
from collections import Counter

from lxml import etree

from qualcode.errors import FormatError, Problem

from . import model
from .guids import normalise_guid

PROJECT_NS = "urn:QDA-XML:project:1.0"
_PARTS = {"Users", "CodeBook", "Sources"}
"""A <Project> with none of these is not a project (an MSBuild file has a <Project> root too)."""
_OTHER_SOURCES = ("PictureSource", "AudioSource", "VideoSource")
_VALUE_TAGS = {"TextValue": "Text", "BooleanValue": "Boolean", "IntegerValue": "Integer", "FloatValue": "Float",
               "DateValue": "Date", "DateTimeValue": "DateTime"}


class Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self._warnings: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.parts: set[str] = set()
        self.dropped: list[model.DroppedCode] = []
        """The local names of the root's children (Users, CodeBook, Sources ...)."""
        self.namespace: str | None = None

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def local(el) -> str:
        tag = el.tag
        if not isinstance(tag, str):
            return ""
        return tag.rpartition("}")[2]

    def kids(self, el, name: str) -> list:
        return [c for c in el if isinstance(c.tag, str) and c.tag.rpartition("}")[2] == name]

    def text(self, el, name: str) -> str:
        for c in el:
            if isinstance(c.tag, str) and c.tag.rpartition("}")[2] == name:
                return "".join(c.itertext())
        return ""

    def warn(self, message: str) -> None:
        self._warnings[message] += 1

    @property
    def problems(self) -> list[Problem]:
        return [Problem(m if n == 1 else f"{m} ({n} times)", self.path) for m, n in self._warnings.items()]

    def check_namespace(self, root, expected: str) -> None:
        tag = root.tag if isinstance(root.tag, str) else ""
        ns = tag[1:tag.rindex("}")] if tag.startswith("{") else None  # QName() refuses a '}' in the namespace
        self.namespace = ns
        if ns != expected:
            self.warn(f"namespace {ns or '(none)'!r} read as {expected!r}")

    def guid(self, el, attr: str = "guid") -> str | None:
        v = el.get(attr)
        if v is not None and len(v) == 36 and v[0] != " " and v[-1] != " " and v == v.lower():
            return v  # already what normalise_guid would make of it
        return normalise_guid(v)

    def description(self, el) -> str:
        text = self.text(el, "Description")
        return text if text else (el.get("description") or "")

    def note_refs(self, el) -> list[str]:
        return [g for g in (self.guid(r, "targetGUID") for r in self.kids(el, "NoteRef")) if g]

    # -- codes -----------------------------------------------------------------------------
    def codes(self, parent_el, parent: str | None, out: list[model.Code], seen: dict[str, str] | None = None) -> None:
        seen = {} if seen is None else seen
        for el in self.kids(parent_el, "Code"):
            self.counts["codes"] += 1
            g = self.guid(el)
            name = el.get("name") or ""
            if g is None or g in seen:
                below = [x for x in (self.guid(d) for d in el.iterdescendants() if self.local(d) == "Code") if x]
                self.counts["codes"] += len(below)
                self.dropped.append(model.DroppedCode(name, g, seen.get(g) if g else None, below))
                continue
            seen[g] = name
            codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
            out.append(model.Code(guid=g, name=name, parent=parent, description=self.description(el),
                                  colour=el.get("color") or el.get("colour"), codable=codable))
            self.codes(el, g, out, seen)

    def dropped_problems(self) -> list[Problem]:
        """The codes left out, named (for a codebook: no codings to count)."""
        return [Problem(d.message(), self.path) for d in self.dropped]

    # -- the project -----------------------------------------------------------------------
    def project(self, root) -> model.Project:
        """The whole project from a parsed root element."""
        p = self.start(root)
        for el in root:
            self.parts.add(self.local(el))
            self.section(p, el)
        return self.finish(p)

    def start(self, root) -> model.Project:
        name = self.local(root)
        if name == "CodeBook":
            raise FormatError("this is a REFI-QDA codebook, not a project", path=self.path,
                              hint="bring it in with `qualcode import-codebook FILE` inside a project")
        if name != "Project":
            raise FormatError(f"the root element is <{name}>, not <Project>", path=self.path,
                              hint="is this a REFI-QDA project (.qdpx / .qde)?")
        self.check_namespace(root, PROJECT_NS)
        return model.Project(name=root.get("name") or "", origin=root.get("origin") or "",
                             creating_user=self.guid(root, "creatingUserGUID"), created=root.get("creationDateTime"),
                             modified=root.get("modifiedDateTime"))

    def finish(self, p: model.Project) -> model.Project:
        if not self.parts & _PARTS:
            raise FormatError(self._not_a_project(), path=self.path,
                              hint="import a REFI-QDA project (.qdpx / .qde) exported from a QDA program")
        p.counts = self.counts
        p.dropped_codes = list(self.dropped)
        return p

    def _not_a_project(self) -> str:
        if self.namespace and not self.namespace.startswith("urn:QDA-XML:"):
            return (f"this is not a REFI-QDA project: its <Project> is in the namespace {self.namespace!r} and holds "
                    "no Users, CodeBook or Sources; nothing was imported")
        return "the project is empty: it holds no Users, CodeBook or Sources; nothing was imported"

    def section(self, p: model.Project, el) -> None:
        """One child of <Project>."""
        tag = self.local(el)
        if tag == "Users":
            for u in self.kids(el, "User"):
                self.counts["users"] += 1
                g = self.guid(u)
                if g:
                    p.users.append(model.User(guid=g, name=u.get("name") or "", id=u.get("id") or ""))
        elif tag == "CodeBook":
            for codes in self.kids(el, "Codes"):
                self.codes(codes, None, p.codes)
        elif tag == "Variables":
            for v in self.kids(el, "Variable"):
                self.counts["variables"] += 1
                g = self.guid(v)
                if g:
                    p.variables.append(model.Variable(g, v.get("name") or "", v.get("typeOfVariable") or "Text",
                                                      self.description(v)))
        elif tag == "Cases":
            for c in self.kids(el, "Case"):
                self.counts["cases"] += 1
                g = self.guid(c)
                if g:
                    p.cases.append(model.Case(g, c.get("name") or "", self.description(c), self.values(c),
                                              self.refs(c, "SourceRef")))
        elif tag == "Sources":
            for s in el:
                self.source(p, s)
        elif tag == "Notes":
            for n in self.kids(el, "Note"):
                self.counts["notes"] += 1
                g = self.guid(n)
                if g:
                    p.notes.append(model.Note(g, n.get("name") or "", self.text(n, "PlainTextContent"),
                                              self.description(n), self.guid(n, "creatingUser"),
                                              n.get("creationDateTime"), n.get("plainTextPath")))
        elif tag == "Sets":
            for st in self.kids(el, "Set"):
                self.counts["sets"] += 1
                g = self.guid(st)
                if g:
                    p.sets.append(model.Set(g, st.get("name") or "", self.description(st),
                                            self.refs(st, "MemberCode"), self.refs(st, "MemberSource"),
                                            self.refs(st, "MemberNote")))
        elif tag == "Description":
            p.description = "".join(el.itertext())
        elif tag == "NoteRef":
            g = self.guid(el, "targetGUID")
            if g:
                p.project_notes.append(g)
        elif tag in ("Links", "Graphs"):
            self.counts[tag.lower()] += len(el)

    def refs(self, el, name: str) -> list[str]:
        out = []
        for r in self.kids(el, name):
            g = self.guid(r, "targetGUID") or self.guid(r, "guid")
            if g:
                out.append(g)
        return out

    def values(self, el) -> list[model.VariableValue]:
        out = []
        for vv in self.kids(el, "VariableValue"):
            ref = next((self.guid(r, "targetGUID") for r in self.kids(vv, "VariableRef")), None)
            for c in vv:
                kind = _VALUE_TAGS.get(self.local(c))
                if kind and ref:
                    out.append(model.VariableValue(ref, "".join(c.itertext()).strip(), kind))
                    break
        return out

    # -- sources ---------------------------------------------------------------------------
    def source(self, p: model.Project, s) -> None:
        """One child of <Sources>."""
        tag = self.local(s)
        if not tag:
            return
        self.counts["sources"] += 1
        if tag == "TextSource":
            src = self.text_source(s, tag)
            if src:
                p.sources.append(src)
        elif tag == "PDFSource":
            reps = self.kids(s, "Representation")
            self.counts["other_selections"] += len(self.kids(s, "PDFSelection"))
            if reps:
                src = self.text_source(reps[0], tag)
                if src:
                    src.name = src.name or s.get("name") or ""
                    src.variables = src.variables or self.values(s)
                    src.notes += self.note_refs(s)
                    src.description = src.description or self.description(s)  # the document's memo
                    src.user = src.user or self.guid(s, "creatingUser")
                    p.sources.append(src)
            else:
                p.other_sources[tag] = p.other_sources.get(tag, 0) + 1
        else:
            p.other_sources[tag] = p.other_sources.get(tag, 0) + 1
            for sel in ("PictureSelection", "AudioSelection", "VideoSelection"):
                self.counts["other_selections"] += len(self.kids(s, sel))

    def coding(self, el) -> model.CodingRef | None:
        self.counts["codings"] += 1
        code = None
        notes = []
        for c in el:
            tag = c.tag
            if not isinstance(tag, str):
                continue
            tag = tag.rpartition("}")[2]
            if tag == "CodeRef" and code is None:
                code = self.guid(c, "targetGUID")
            elif tag == "NoteRef":
                g = self.guid(c, "targetGUID")
                if g:
                    notes.append(g)
        if not code:
            self.warn("a coding without a CodeRef was left out")
            return None
        return model.CodingRef(guid=self.guid(el) or "", code=code, user=self.guid(el, "creatingUser"),
                               created=el.get("creationDateTime"), notes=notes)

    def text_source(self, s, kind: str) -> model.Source | None:
        self.counts["text_sources"] += 1
        g = self.guid(s)
        if g is None:
            self.warn("a text source without a GUID was left out")
            return None
        contents = self.kids(s, "PlainTextContent")
        src = model.Source(guid=g, name=s.get("name") or "", kind=kind, path=s.get("plainTextPath"),
                           text="".join(contents[0].itertext()) if contents else None,
                           description=self.description(s), user=self.guid(s, "creatingUser"),
                           created=s.get("creationDateTime"), notes=self.note_refs(s), variables=self.values(s))
        for el in s:
            tag = self.local(el)
            if tag == "PlainTextSelection":
                self.counts["selections"] += 1
                sel = self.selection(el)
                if sel:
                    src.selections.append(sel)
            elif tag == "Coding":
                c = self.coding(el)
                if c:
                    src.codings.append(c)
        return src

    def selection(self, el) -> model.Selection | None:
        try:
            start = int(el.get("startPosition") or "")
            end = int(el.get("endPosition") or "")
        except ValueError:
            self.warn("a selection without whole-number start/end positions was left out")
            self.counts["codings"] += len(self.kids(el, "Coding"))
            return None
        sel = model.Selection(guid=self.guid(el) or "", start=start, end=end, name=el.get("name") or "",
                              user=self.guid(el, "creatingUser"), created=el.get("creationDateTime"))
        for c in el:
            tag = c.tag
            if not isinstance(tag, str):
                continue
            tag = tag.rpartition("}")[2]
            if tag == "Coding":
                ref = self.coding(c)
                if ref:
                    sel.codings.append(ref)
            elif tag == "NoteRef":
                g = self.guid(c, "targetGUID")
                if g:
                    sel.notes.append(g)
            elif tag == "Description":
                sel.description = "".join(c.itertext())
        if not sel.description and el.get("description"):
            sel.description = el.get("description")
        return sel


def read_project(data: bytes, path: str) -> tuple[model.Project, Reader]:
    """A project from untrusted XML bytes, parsed incrementally: each source is read and then freed,
    so memory holds the model, not the whole element tree. Same parser safety as ``parse_xml``."""
    from .safezip import check_docinfo, check_prolog, syntax_error

    check_prolog(data, path)
    reader = Reader(path)
    p: model.Project | None = None
    depth = 0
    in_sources = False
    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
                             huge_tree=False, load_dtd=False, dtd_validation=False, remove_comments=True,
                             remove_pis=True)
    try:
        for event, el in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    p = reader.start(el)
                elif depth == 2:
                    reader.parts.add(reader.local(el))
                    in_sources = reader.local(el) == "Sources"
                continue
            depth -= 1
            if depth == 2 and in_sources:
                reader.source(p, el)
                _free(el)
            elif depth == 1:
                if not in_sources:
                    reader.section(p, el)
                in_sources = False
                _free(el)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, path) from None
    if p is None:
        raise FormatError("the XML has no root element", path=path, hint="export the project again")
    check_docinfo(events.root, path)
    return reader.finish(p), reader


def root_name(data: bytes, path: str) -> str:
    """The local name of the document's root element (parsing stops there)."""
    from .safezip import check_prolog, syntax_error

    check_prolog(data, path)
    try:
        for _, el in etree.iterparse(io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True,
                                     huge_tree=False, load_dtd=False):
            return Reader.local(el)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, path) from None
    return ""


def _free(el) -> None:
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
