"""Codes between qualcode and REFI-QDA: descriptions, ids, colours, and the .qdc codebook file.

A REFI code has a name, a colour and one ``Description``; a qualcode code also has an id, a
definition, include/exclude rules, examples, keywords and a shortcut key. On export the Description
is written for people (the definition, then ``Include:``, ``Exclude:``, ``Example:`` and
``Keywords:`` paragraphs) and everything else travels in qualcode's metadata (a note in a .qdpx, an
empty code set in a .qdc, both named ``qualcode metadata``): on import, a code whose Description is
still what qualcode wrote gets its fields back exactly; an edited or foreign Description is parsed
by its paragraphs (anything unlabelled is the definition).
"""

from __future__ import annotations

import json
import re
import unicodedata

from lxml import etree

from qualcode.domain.codebook import RESERVED_KEYS, Code, Codebook
from qualcode.errors import FormatError, Problem
from qualcode.formats.codebook_yaml import code_details

from . import model
from .guids import GuidMaker

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
META_NAME = "qualcode metadata"
META_VERSION = 1
_LABELS = (("include", "Include:"), ("exclude", "Exclude:"), ("examples", "Example:"), ("keywords", "Keywords:"))
_COLOUR6 = re.compile(r"^#?([0-9A-Fa-f]{6})(?:[0-9A-Fa-f]{2})?$")
_COLOUR3 = re.compile(r"^#?([0-9A-Fa-f])([0-9A-Fa-f])([0-9A-Fa-f])$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_SHORTCUT = re.compile(r"^[0-9a-z]$")
MAX_DEPTH = 30
"""Deepest code tree read (a codebook's YAML nests two levels per code; the safe loader allows 64)."""


# -- descriptions ------------------------------------------------------------------------------
def describe(code: Code) -> str:
    """The Description qualcode writes for a code (for people; parsed back by ``parse_description``)."""
    parts = [code.definition] if code.definition else []
    if code.include:
        parts.append(f"Include: {code.include}")
    if code.exclude:
        parts.append(f"Exclude: {code.exclude}")
    parts += [f"Example: {ex}" for ex in code.examples]
    if code.keywords:
        parts.append("Keywords: " + "; ".join(code.keywords))
    return "\n\n".join(parts)


def parse_description(text: str) -> dict:
    """Fields from a Description: labelled paragraphs, the rest is the definition."""
    fields: dict = {"definition": "", "include": "", "exclude": "", "examples": [], "keywords": []}
    current = "definition"
    for para in re.split(r"\n[ \t]*\n", (text or "").strip()):
        para = para.strip()
        if not para:
            continue
        for key, label in _LABELS:
            if para.startswith(label):
                current = key
                value = para[len(label):].strip()
                if key == "examples":
                    fields["examples"].append(value)
                elif key == "keywords":
                    fields["keywords"] += [k.strip() for k in value.split(";") if k.strip()]
                else:
                    fields[key] = (fields[key] + "\n\n" + value).strip()
                break
        else:
            if current == "examples" and fields["examples"]:
                fields["examples"][-1] += "\n\n" + para
            elif current == "keywords":
                fields["definition"] = (fields["definition"] + "\n\n" + para).strip()
            else:
                fields[current] = (fields[current] + "\n\n" + para).strip()
    return fields


# -- colours and ids ---------------------------------------------------------------------------
def colour_in(value: str | None) -> tuple[str | None, str | None]:
    """A REFI colour as ``#RRGGBB`` (3-digit expanded, ``#RRGGBBAA`` cut to RGB), and a warning if changed."""
    if not value or not value.strip():
        return None, None
    v = value.strip()
    m = _COLOUR3.match(v)
    if m:
        return "#" + "".join(c * 2 for c in m.groups()).upper(), None
    m = _COLOUR6.match(v)
    if m:
        note = None if len(v.lstrip("#")) == 6 else f"colour {v!r} read as #{m.group(1).upper()}"
        return "#" + m.group(1).upper(), note
    return None, f"colour {v!r} is not #RRGGBB; left out"


def slug(name: str, limit: int = 40) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")[:limit].strip("_")
    return out


# -- qualcode -> REFI --------------------------------------------------------------------------
def code_guids(book: Codebook, guid: GuidMaker, kept: dict[str, str] | None = None) -> dict[str, str]:
    """Code id -> its GUID: the one it came with from another program (``kept``), else qualcode's own."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for c in book.codes:
        g = (kept or {}).get(c.id)
        if g and g not in used:
            out[c.id] = g
            used.add(g)
    for c in book.codes:
        if c.id not in out:
            out[c.id] = guid("code", c.id)
    return out


def to_refi(book: Codebook, guid: GuidMaker, kept: dict[str, str] | None = None) -> tuple[list[model.Code], dict]:
    """REFI codes in tree order, and the codebook part of qualcode's metadata. ``kept``: code id ->
    the GUID it came with (``[refi.codes]``), written back so the other program recognises its codes."""
    codes: list[model.Code] = []
    meta: dict = {}
    guids = code_guids(book, guid, kept)
    for c in book.walk():
        g = guids[c.id]
        codes.append(model.Code(guid=g, name=c.name, parent=guids.get(c.parent) if c.parent else None,
                                description=describe(c), colour=c.colour.upper() if c.colour else None))
        entry = {"id": c.id, **code_details(c)}
        if c.shortcut:
            entry["shortcut"] = c.shortcut
        meta[g] = entry
    return codes, {"name": book.name, "description": book.description, "codes": meta}


# -- REFI -> qualcode --------------------------------------------------------------------------
def from_refi(codes: list[model.Code], meta: dict | None, known: dict[str, str] | None = None,
              *, reserved: set[str] | None = None, path: str = "") -> tuple[list[Code], dict[str, str], list[Problem]]:
    """qualcode codes for REFI codes (tree order kept). Returns (codes, GUID -> code id, warnings).

    The id of a code is, in order: the one qualcode's metadata gives; ``known[guid]`` (a code of
    the current codebook it matched); else made from the name under its parent's id, avoiding
    ``reserved`` (the current codebook's ids: a new code never takes an old code's id by chance).
    """
    reserved = reserved or set()
    meta_codes = (meta or {}).get("codes", {}) if isinstance(meta, dict) else {}
    known = known or {}
    out: list[Code] = []
    ids: dict[str, str] = {}
    taken: set[str] = set()
    shortcuts: set[str] = set()
    problems: list[Problem] = []
    depth: dict[str, int] = {}
    for rc in codes:
        depth[rc.guid] = depth.get(rc.parent, 0) + 1 if rc.parent else 1
        if depth[rc.guid] > MAX_DEPTH:
            raise FormatError(f"the code {rc.name!r} is nested {depth[rc.guid]} levels deep (qualcode keeps at most "
                              f"{MAX_DEPTH})", path=path or None,
                              hint="flatten the code tree in your QDA program and export it again")
        entry = meta_codes.get(rc.guid) if isinstance(meta_codes.get(rc.guid), dict) else {}
        parent = ids.get(rc.parent) if rc.parent else None
        cid = None
        for cand in (entry.get("id"), known.get(rc.guid)):
            if isinstance(cand, str) and _ID.match(cand) and cand not in taken:
                cid = cand
                taken.add(cid)
                break
        if cid is None:
            base = slug(rc.name) or "code"
            base = f"{parent}.{base}" if parent else base
            cid, n = base, 2
            while cid in taken or cid in reserved:
                cid, n = f"{base}-{n}", n + 1
            taken.add(cid)
        ids[rc.guid] = cid
        name = " ".join((rc.name or "").split()) or cid
        colour, note = colour_in(rc.colour)
        if note:
            problems.append(Problem(f"code {name!r}: {note}", path))
        if entry and describe_fields(entry) == (rc.description or "").strip():
            fields = {k: entry.get(k, [] if k in ("examples", "keywords") else "") for k in
                      ("definition", "include", "exclude", "examples", "keywords")}
        else:
            fields = parse_description(rc.description)
        shortcut = entry.get("shortcut") if isinstance(entry.get("shortcut"), str) else None
        if shortcut and (not _SHORTCUT.match(shortcut) or shortcut in RESERVED_KEYS or shortcut in shortcuts):
            shortcut = None
        if shortcut:
            shortcuts.add(shortcut)
        out.append(Code(id=cid, name=name, parent=parent, colour=colour, shortcut=shortcut,
                        definition=str(fields["definition"]), include=str(fields["include"]),
                        exclude=str(fields["exclude"]), examples=[str(x) for x in fields["examples"]],
                        keywords=[str(x) for x in fields["keywords"]]))
    return out, ids, problems


def describe_fields(entry: dict) -> str:
    return describe(Code(id="x", name="x", definition=entry.get("definition", ""), include=entry.get("include", ""),
                         exclude=entry.get("exclude", ""), examples=list(entry.get("examples", [])),
                         keywords=list(entry.get("keywords", []))))


def read_meta(text: str | None) -> dict | None:
    """qualcode's metadata from a note's text or a set's description (None if it is not ours)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not ours (or crafted to nest without end)
        return None
    if not isinstance(data, dict) or data.get("qualcode") != META_VERSION:
        return None
    return data


def dump_meta(data: dict) -> str:
    return json.dumps({"qualcode": META_VERSION, **data}, ensure_ascii=False, indent=1, sort_keys=False)


# -- the .qdc file -----------------------------------------------------------------------------
def write_qdc(book: Codebook, guid: GuidMaker, origin: str, kept: dict[str, str] | None = None) -> bytes:
    """A Codebook.xsd-valid .qdc: the code tree, and qualcode's metadata as an empty set."""
    from .writer import add_code_tree, xml_bytes, xml_text

    codes, meta = to_refi(book, guid, kept)
    if not codes:
        raise FormatError("the codebook has no codes to export", hint="add codes first")
    q = lambda tag: f"{{{CODEBOOK_NS}}}{tag}"  # noqa: E731
    root = etree.Element(q("CodeBook"), nsmap={None: CODEBOOK_NS})
    root.set("origin", origin)
    add_code_tree(etree.SubElement(root, q("Codes")), codes, q, notes=False)
    sets = etree.SubElement(root, q("Sets"))
    s = etree.SubElement(sets, q("Set"), guid=guid("metadata"), name=META_NAME)
    etree.SubElement(s, q("Description")).text = xml_text(dump_meta({"codebook": meta}))
    return xml_bytes(root)


def read_qdc(root: etree._Element, path: str) -> tuple[list[model.Code], dict | None, list[Problem], dict]:
    """Codes (tree order), qualcode metadata (or None), warnings and counts from a CodeBook root."""
    from .reader import Reader

    reader = Reader(path)
    if reader.local(root) != "CodeBook":
        raise FormatError(f"the root element is <{reader.local(root)}>, not <CodeBook>", path=path,
                          hint="import a REFI-QDA codebook (.qdc) or project (.qdpx)")
    reader.check_namespace(root, CODEBOOK_NS)
    codes: list[model.Code] = []
    for el in reader.kids(root, "Codes"):
        reader.codes(el, None, codes)
    meta = None
    sets = 0
    for sets_el in reader.kids(root, "Sets"):
        for s in reader.kids(sets_el, "Set"):
            sets += 1
            if s.get("name") == META_NAME:
                found = read_meta(reader.text(s, "Description"))
                if found:
                    meta = found.get("codebook")
    if not codes:
        reader.warn("the codebook holds no codes")
    others = sets - (1 if meta else 0)
    if others:
        reader.warn(f"{others} code set(s) (code groups) were not imported: qualcode has none")
    folders = sum(1 for c in codes if not c.codable)
    if folders:
        reader.warn(f"{folders} code(s) marked not codable (folders) are ordinary codes in qualcode")
    return codes, meta, reader.dropped_problems() + reader.problems, {"codes": len(codes), "sets": sets}
