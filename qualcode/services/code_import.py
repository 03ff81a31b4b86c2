"""Bring in a table of coded segments (``qualcode code import``): every row placed, or nothing written.

Each row names a transcript, a code and the segment's text (or its offsets). The text is found in
the transcript as ``--quote`` finds it (exactly, then with white space and quote marks folded);
when the row also gives offsets, the occurrence nearest them is taken. The whole table is checked
first; then new codes (``create_codes``) are saved and each coder's codings are written as one
journal operation (one fsync, one undo step).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.domain.codebook import Code, Codebook
from qualcode.domain.coding import make_coding
from qualcode.errors import FormatError, QualcodeError
from qualcode.formats.segments_table import SEPARATORS, code_path, map_columns, read_table, rows_of
from qualcode.formats.transcripts.names import key, slug
from qualcode.services.coding_ops import quote_spans
from qualcode.store.journal import CODER_NAME
from qualcode.store.project import Project

PLACED, AMBIGUOUS, NOT_FOUND, NO_TRANSCRIPT, UNKNOWN_CODE, DUPLICATE = (
    "placed", "ambiguous", "not found", "no such transcript", "unknown code", "already coded")
_SEPARATOR_CHARS = ("/", "\\", ">", "::")
_QUOTE_MARKS = "\"'“”‘’«»„"


@dataclass
class RowProblem:
    line: int
    status: str
    message: str

    def to_json(self) -> dict:
        return {"line": self.line, "status": self.status, "message": self.message}


@dataclass
class CodeImport:
    path: str
    layout: str
    columns: str
    rows: int = 0
    counts: Counter = field(default_factory=Counter)
    problems: list[RowProblem] = field(default_factory=list)
    new_codes: list[str] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)
    """coder -> codings written (empty when nothing was written)."""
    planned: list[tuple] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(p.status == DUPLICATE for p in self.problems)

    def to_json(self) -> dict:
        return {"file": self.path, "layout": self.layout, "columns": self.columns, "rows": self.rows,
                "counts": dict(self.counts), "new_codes": self.new_codes, "written": self.written,
                "problems": [p.to_json() for p in self.problems]}


class _Codes:
    """Code cells -> code ids: by id, exact name, or path of names; new codes planned on request."""

    def __init__(self, book: Codebook, create: bool, separator: str | None, path: str) -> None:
        self.book = book
        self.create = create
        self.separator = separator
        self.path = path
        self.new: list[Code] = []
        self.ids = {c.id for c in book.codes}
        self.children: dict[str | None, dict[str, str]] = {}
        for c in book.codes:
            self.children.setdefault(c.parent, {})[key(c.name)] = c.id
        self.cache: dict[str, str | None] = {}

    def resolve(self, cell: str, layout: str, line: int) -> str | None:
        if cell in self.cache:
            return self.cache[cell]
        found = self._resolve(cell, layout, line)
        self.cache[cell] = found
        return found

    def _resolve(self, cell: str, layout: str, line: int) -> str | None:
        if cell in self.ids:
            return cell
        hit = self.book.resolve(cell)
        if hit is not None:
            return hit.id
        names = cell.split(self.separator) if self.separator else code_path(cell, layout)
        names = [n.strip() for n in names if n.strip()]
        if layout == "nvivo" and len(names) > 1 and names[0].casefold() in ("codes", "nodes"):
            names = names[1:]
        parent: str | None = None
        for depth, name in enumerate(names):
            cid = self.children.get(parent, {}).get(key(name))
            if cid is None and depth == 0 and len(names) > 1:
                hit = self.book.resolve(name)
                cid = hit.id if hit is not None else None
            if cid is None:
                if not self.create:
                    return None
                if not (self.separator or SEPARATORS.get(layout)) and any(s in name for s in _SEPARATOR_CHARS):
                    raise FormatError(
                        f"code {name!r} holds a path separator, so it is unclear whether it is one code or a path",
                        path=self.path, line=line,
                        hint="say how paths are written with --code-separator (e.g. '/'), or rename the code "
                        "in the table")
                cid = self._make(name, parent)
            parent = cid
        return parent

    def missing(self, cell: str, layout: str) -> str:
        """Why ``cell`` names no code: it is not in the codebook; did you mean the closest one?"""
        from qualcode.domain.codebook import did_you_mean

        names = [n.strip() for n in (cell.split(self.separator) if self.separator else code_path(cell, layout))
                 if n.strip()]
        near = did_you_mean(self.book.codes, cell)
        if not near and len(names) > 1:  # a path: its last name, the code it would be
            near = did_you_mean(self.book.codes, names[-1])
        return f"{cell!r} is not in the codebook{near or ' (--create-codes adds the codes a table names)'}"

    def _make(self, name: str, parent: str | None) -> str:
        base = slug(name).replace("-", "_") or "code"
        base = f"{parent}.{base}" if parent else base
        cid, n = base, 2
        while cid in self.ids:
            cid, n = f"{base}_{n}", n + 1
        self.ids.add(cid)
        self.children.setdefault(parent, {})[key(name)] = cid
        self.new.append(Code(id=cid, name=name, parent=parent, definition="Created by `qualcode code import`."))
        return cid


def _transcript_lookup(project: Project) -> dict[str, str]:
    table: dict[str, str] = {}
    for e in project.index:
        for name in (e.id, Path(e.path).stem, Path(e.path).name, e.title or ""):
            if name:
                table.setdefault(key(name), e.id)
                table.setdefault(slug(name), e.id)
    return table


_ATLAS_DOC = re.compile(r"^D?\d+:\s*")


def _find_transcript(cell: str, lookup: dict[str, str]) -> str | None:
    for candidate in (cell, _ATLAS_DOC.sub("", cell), Path(_ATLAS_DOC.sub("", cell)).stem):
        tid = lookup.get(key(candidate)) or lookup.get(slug(candidate))
        if tid:
            return tid
    return None


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    quote = quote.strip()
    spans = quote_spans(text, quote)
    bare = quote.strip(_QUOTE_MARKS + " ")
    if not spans and bare and bare != quote:  # NVivo and ATLAS.ti may wrap a quotation in quote marks
        return _spans(text, bare)
    return spans


def plan_code_import(project: Project, file: str | Path, *, coder: str, mapping: dict[str, str] | None = None,
                     layout: str | None = None, create_codes: bool = False,
                     code_separator: str | None = None) -> CodeImport:
    """Read and place every row; nothing is written."""
    table = read_table(file)
    m = map_columns(table, mapping, layout)
    rows = rows_of(table, m)
    result = CodeImport(str(file), m.layout, m.describe(table.header), rows=len(rows))
    if not rows:
        raise FormatError("the table has no data rows", path=file, hint="export the coded segments, not only the header")
    codes = _Codes(project.codebook, create_codes, code_separator, str(file))
    lookup = _transcript_lookup(project)
    texts: dict[str, object] = {}
    existing: dict[str, set] = {}
    seen: set = set()
    for r in rows:
        who = r.coder or coder
        if not CODER_NAME.match(who):
            raise FormatError(f"coder {who!r} is not a usable coder name (it names the coder's journal file)",
                              path=file, line=r.line,
                              hint="use letters, digits, '_', '.' or '-' in that column, or leave the coder "
                              "column out (--map coder=) to code as --coder")
        tid = _find_transcript(r.transcript, lookup) if r.transcript else None
        if tid is None:
            result.problems.append(RowProblem(r.line, NO_TRANSCRIPT, f"no transcript {r.transcript!r} in the project"))
            continue
        ids = []
        for cell in r.codes:
            cid = codes.resolve(cell, m.layout, r.line)
            if cid is None:  # said after the status "unknown code": what is not there, and the nearest code
                result.problems.append(RowProblem(r.line, UNKNOWN_CODE, codes.missing(cell, m.layout)))
            else:
                ids.append(cid)
        if not r.codes:
            result.problems.append(RowProblem(r.line, UNKNOWN_CODE, "no code given"))
        if len(ids) != len(r.codes) or not ids:
            continue
        t = texts.get(tid) or texts.setdefault(tid, project.transcript(tid))
        span, status, why = _place(t.text, r.text, r.start, r.end)
        if span is None:
            result.problems.append(RowProblem(r.line, status, f"{tid}: {why}"))
            continue
        if who not in existing:
            existing[who] = {(c.transcript, c.start, c.end, c.code) for c in project.codings(who)}
        for cid in ids:
            k = (tid, span[0], span[1], cid)
            if k in existing[who] or (who, *k) in seen:
                result.problems.append(RowProblem(r.line, DUPLICATE, f"{tid} {span[0]}-{span[1]} is already coded {cid}"))
                continue
            seen.add((who, *k))
            result.planned.append((who, tid, span[0], span[1], cid, r.memo or None))
    result.counts = Counter({PLACED: len(result.planned)})
    for p in result.problems:
        result.counts[p.status] += 1
    result.new_codes = [c.id for c in codes.new]
    result._new_code_objects = codes.new  # type: ignore[attr-defined]
    result._texts = texts  # type: ignore[attr-defined]
    return result


def _place(text: str, quote: str, start: int | None, end: int | None):
    """(span, status, reason): the span, or None with the status and why."""
    has_pos = start is not None and end is not None
    if has_pos and not (0 <= start < end <= len(text)):
        if not quote.strip():
            return None, NOT_FOUND, f"offsets {start}-{end} are outside the transcript (0-{len(text)})"
        has_pos = False
    if not quote.strip():
        if has_pos:
            return (start, end), PLACED, ""
        return None, NOT_FOUND, "the row gives neither text nor offsets"
    if has_pos and _words_of(text[start:end], quote):
        return (start, end), PLACED, ""
    spans = _spans(text, quote)
    if not spans:
        return None, NOT_FOUND, f"text not found: {_short(quote)!r}"
    if len(spans) == 1:
        return spans[0], PLACED, ""
    if start is not None:
        best = min(spans, key=lambda s: abs(s[0] - start))
        return best, PLACED, ""
    return None, AMBIGUOUS, f"the text occurs {len(spans)} times: {_short(quote)!r} (give start/end offsets, or a longer text)"


_GAP = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*")


def _words_of(span: str, quote: str) -> bool:
    """Whether ``quote`` is words said within ``span``, its pieces (split at "[…]") in order: qualcode's
    own coded-segments table quotes a coded question and answer by the answer, and a passage with the
    interviewer's words between by its pieces, beside the coding's offsets."""
    at = 0
    for piece in (p for p in _GAP.split(quote.strip()) if p.strip()):
        found = _spans(span[at:], piece)
        if not found:
            return False
        at += found[0][1]
    return True


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def write_code_import(project: Project, result: CodeImport, *, partial: bool = False) -> CodeImport:
    """Save new codes and write each coder's planned codings as one operation."""
    if not result.complete and not partial:
        raise QualcodeError("nothing was written: not every row was placed", path=result.path,
                            hint="fix the rows listed above, or write the rows that were placed with --partial")
    for who in {p[0] for p in result.planned}:
        project.session(who)  # every coder's journal lock taken before anything is written
    new = getattr(result, "_new_code_objects", [])
    used = {p[4] for p in result.planned}
    new = [c for c in new if c.id in used or any(u.startswith(c.id + ".") for u in used)]
    if new:
        book = project.codebook
        project.set_codebook(Codebook(codes=[*book.codes, *new], name=book.name, description=book.description,
                                      renamed=dict(book.renamed), merged=dict(book.merged), dropped=list(book.dropped)))
        result.new_codes = [c.id for c in new]
    texts = getattr(result, "_texts", {})
    by_coder: dict[str, list[dict]] = {}
    for who, tid, s, e, cid, memo in result.planned:
        t = texts[tid]
        c = make_coding(transcript=tid, start=s, end=e, code=cid, coder=who, text=t.text, th=t.hash, memo=memo)
        by_coder.setdefault(who, []).append({"op": "add", "coding": c.to_json()})
    for who, ops in by_coder.items():
        project.session(who).commit({"op": "batch", "ops": ops})
        result.written[who] = len(ops)
    return result
