"""qualcode's data -> the REFI-QDA model (what ``writer`` turns into a .qdpx).

Coders become users; codes keep their tree, colours and a readable Description; each transcript is
a TextSource whose text is the canonical transcript text; each coding is one PlainTextSelection with
one Coding (end exclusive; code points as REFI-QDA 1.5 §10.2 says, or UTF-16 code units as NVivo
counts, ``ExportInput.positions``); a coding's memo is a Note referred to from its selection, a
transcript memo a Note (by its coder's user) referred to from the transcript's TextSource;
case attributes are Variables, given on the Case when every transcript of the case agrees and on
the TextSource otherwise. GUIDs are uuid5 of the project name and the object's id: the same project
exported twice gives the same GUIDs; users and codes imported from another program keep the name
and GUID they came with (``[refi.users]``, ``[refi.codes]``); imported-notes.md goes out as
project notes. qualcode's own data (code ids, shortcuts, transcript ids and
front matter, coder names, attribute order, each coder's status of each transcript) travels in the
``qualcode metadata`` note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qualcode.domain.codebook import Codebook
from qualcode.domain.coding import Coding
from qualcode.domain.transcript import Transcript
from qualcode.errors import Problem

from . import model
from .codebook import META_NAME, code_guids, dump_meta, to_refi
from .guids import GuidMaker, is_guid
from .positions import WRITE_CODEPOINTS, WRITE_UTF16, Utf16Positions

NAME_CHARS = 80
_INT = re.compile(r"^-?[1-9]\d*$|^0$")
_DEC = re.compile(r"^-?(0|[1-9]\d*)\.\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ExportInput:
    name: str
    origin: str
    codebook: Codebook
    transcripts: list[Transcript]
    codings: dict[str, list[Coding]]
    """Per coder, offsets already re-anchored to the transcripts' current text."""
    coders: list[str] = field(default_factory=list)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    case_of: dict[str, str] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    now: str | None = None
    users: dict[str, tuple[str, str]] = field(default_factory=dict)
    """coder -> (REFI user name, GUID) it came from (``[refi.users]``): written back as they were."""
    code_guids: dict[str, str] = field(default_factory=dict)
    """code id -> the GUID it came with (``[refi.codes]``): written back as it was."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(heading, text) of the project's imported notes (imported-notes.md): written as project notes."""
    transcript_memos: dict[str, dict[str, str]] = field(default_factory=dict)
    """coder -> transcript id -> the coder's memo on it: a Note the transcript's TextSource refers to."""
    statuses: dict[str, dict[str, str]] = field(default_factory=dict)
    """coder -> transcript id -> the status the coder said (REFI-QDA has none: qualcode metadata)."""
    positions: str = WRITE_CODEPOINTS
    """How selection positions count: ``codepoints`` (REFI-QDA 1.5 §10.2) or ``utf16`` (NVivo)."""


def selection_name(quote: str) -> str:
    """The selection's text as its name (as ATLAS.ti writes it), cut at ``NAME_CHARS``."""
    text = " ".join(quote.split())
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 20].rstrip() + "…"


def variable_type(values: list[str]) -> str:
    """The narrowest REFI type every value of a column fits, keeping its exact spelling."""
    if not values:
        return "Text"
    if all(v in ("true", "false") for v in values):
        return "Boolean"
    if all(_INT.match(v) for v in values):
        return "Integer"
    if all(_INT.match(v) or _DEC.match(v) for v in values):
        return "Float"
    if all(_DATE.match(v) for v in values):
        return "Date"
    return "Text"


def users(coders: list[str], known: dict[str, tuple[str, str]], guid: GuidMaker) -> list[model.User]:
    """A user per coder: the name and GUID it was imported from when known (so ATLAS.ti's and
    NVivo's users match up again), else the coder's name and a GUID of qualcode's."""
    out: list[model.User] = []
    used: set[str] = set()
    for c in coders:
        name, g = known.get(c, (c, ""))
        g = g.lower() if g and is_guid(g) and g.lower() not in used else guid("user", c)
        used.add(g)
        out.append(model.User(g, name=name or c, id=c))
    return out


def _positions_warning(positions: str, moved: dict[str, int]) -> Problem:
    """Where the two ways of counting positions give different numbers (text after an emoji), say
    which one the export used and who would misplace those selections."""
    n = sum(moved.values())
    shown = ", ".join(sorted(moved)[:3]) + (" ..." if len(moved) > 3 else "")
    where = (f"{n} selection(s) in {len(moved)} transcript(s) ({shown}) end after characters outside the Basic "
             "Multilingual Plane (emoji and the like), so their positions depend on how a program counts")
    if positions == WRITE_UTF16:
        return Problem(f"{where}: they were written in UTF-16 code units, as NVivo counts; ATLAS.ti, MAXQDA and "
                       "QualCoder count code points (REFI-QDA 1.5 §10.2) and would misplace them: for those, "
                       "export with --positions codepoints")
    return Problem(f"{where}: they were written in Unicode code points, as REFI-QDA 1.5 §10.2 says (ATLAS.ti, "
                   "MAXQDA, QualCoder); NVivo counts UTF-16 code units and would misplace them: for NVivo, "
                   "export with --positions utf16")


def build(data: ExportInput) -> tuple[model.Project, list[Problem]]:
    guid = GuidMaker(data.name)
    problems: list[Problem] = []
    p = model.Project(name=data.name, origin=data.origin, modified=data.now)
    coders = list(dict.fromkeys([*data.coders, *data.codings, *data.transcript_memos, *data.statuses]))
    p.users = users(coders, data.users, guid)
    user_guid = {c: u.guid for c, u in zip(coders, p.users)}
    p.codes, book_meta = to_refi(data.codebook, guid, data.code_guids)
    code_guid = code_guids(data.codebook, guid, data.code_guids)
    texts = {t.id: t for t in data.transcripts}

    # -- variables and cases ----------------------------------------------------------------
    present = [t.id for t in data.transcripts if t.id in data.attributes or t.id in data.case_of]
    columns = [c for c in data.columns if c not in ("transcript", "case")]
    types = {}
    for col in columns:
        values = [data.attributes.get(t, {}).get(col) for t in present]
        types[col] = variable_type([v for v in values if v not in (None, "")])
        p.variables.append(model.Variable(guid("variable", col), col, types[col]))
    source_values: dict[str, list[model.VariableValue]] = {}
    members: dict[str, list[str]] = {}
    for tid in present:
        members.setdefault(data.case_of.get(tid, tid), []).append(tid)
    for case, tids in members.items():
        c = model.Case(guid("case", case), name=case, sources=[guid("source", t) for t in tids])
        for col in columns:
            values = [data.attributes.get(t, {}).get(col) or None for t in tids]
            if len(set(values)) == 1:
                if values[0] is not None:
                    c.values.append(model.VariableValue(guid("variable", col), values[0], types[col]))
            else:
                for t, v in zip(tids, values):
                    if v is not None:
                        source_values.setdefault(t, []).append(model.VariableValue(guid("variable", col), v, types[col]))
        p.cases.append(c)

    # -- sources and selections -------------------------------------------------------------
    by_source: dict[str, model.Source] = {}
    for t in data.transcripts:
        src = model.Source(guid("source", t.id), name=t.title or t.id, text=t.text,
                           variables=source_values.get(t.id, []))
        by_source[t.id] = src
        p.sources.append(src)
    names = {c.id: c.name for c in data.codebook.codes}
    skipped_code = skipped_text = 0
    if data.positions not in (WRITE_CODEPOINTS, WRITE_UTF16):
        raise ValueError(f"positions {data.positions!r}")
    p.utf16 = data.positions == WRITE_UTF16
    utf16 = {t.id: Utf16Positions(t.text) for t in data.transcripts}
    moved: dict[str, int] = {}
    """transcript id -> selections whose positions differ between the two countings"""
    for coder, codings in data.codings.items():
        ug = user_guid[coder]
        for c in sorted(codings, key=lambda c: (c.transcript, c.start, c.end, c.code, c.id)):
            src = by_source.get(c.transcript)
            if src is None:
                skipped_text += 1
                continue
            if c.code not in code_guid:
                skipped_code += 1
                continue
            text = texts[c.transcript].text
            # a coding imported from REFI-QDA has its selection's GUID as id: it goes back out unchanged
            u16 = utf16[c.transcript]
            start, end = (u16(c.start), u16(c.end)) if u16.astral else (c.start, c.end)
            if end != c.end:
                moved[c.transcript] = moved.get(c.transcript, 0) + 1
            if not p.utf16:
                start, end = c.start, c.end
            sel = model.Selection(c.id if is_guid(c.id) else guid("selection", coder, c.id), start, end,
                                  name=selection_name(text[c.start:c.end]), user=ug, created=c.created)
            # the Coding's GUID follows its selection's, so it too is the same after a round trip
            ref = model.CodingRef(guid("coding", coder, sel.guid), code_guid[c.code], user=ug, created=c.created)
            sel.codings.append(ref)
            if c.memo:
                note = guid("memo", coder, c.id)
                p.notes.append(model.Note(note, name=f"Memo: {names[c.code]} ({coder})", text=c.memo, user=ug,
                                          created=c.created))
                sel.notes.append(note)
            src.selections.append(sel)
    # -- transcript memos: a Note (by the coder's user) each TextSource refers to, as REFI-QDA 1.5 §3.9
    # has notes "made by the user on a project, source, selection or code" ---------------------------
    shown = {u.id: u.name for u in p.users}
    for coder, memos in data.transcript_memos.items():
        for tid, memo in memos.items():
            src = by_source.get(tid)
            if src is None or not memo:
                continue
            g = guid("transcript memo", coder, tid)
            p.notes.append(model.Note(g, name=f"Memo: {src.name} ({shown.get(coder) or coder})", text=memo,
                                      user=user_guid[coder]))
            src.notes.append(g)
    if skipped_text:
        problems.append(Problem(f"{skipped_text} coding(s) on transcripts that are not in the project were left out"))
    if skipped_code:
        problems.append(Problem(f"{skipped_code} coding(s) with codes that are not in the codebook were left out "
                                "(run `qualcode check`)"))

    if moved:
        problems.append(_positions_warning(data.positions, moved))
    meta = {
        "positions": data.positions,
        "codebook": book_meta,
        "sources": {guid("source", t.id): {"id": t.id, "metadata": t.metadata} for t in data.transcripts},
        "users": {user_guid[c]: c for c in coders},
        "columns": columns,
    }
    statuses = {user_guid[c]: {guid("source", t): st for t, st in said.items() if t in texts}
                for c, said in data.statuses.items()}
    if any(statuses.values()):
        meta["statuses"] = {u: said for u, said in statuses.items() if said}
    for heading, text in data.notes:
        g = guid("note", heading, text)
        p.notes.append(model.Note(g, name=heading, text=text))
        p.project_notes.append(g)
    mg = guid("metadata")
    p.notes.append(model.Note(mg, name=META_NAME, text=dump_meta(meta),
                              description="qualcode's own data (code ids and shortcuts, transcript ids and front "
                                          "matter, coder names); other programs may ignore this note"))
    p.project_notes.append(mg)
    return p, problems
