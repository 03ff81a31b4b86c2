"""Tables of coded segments: what MAXQDA, ATLAS.ti, NVivo, Dedoose and Taguette export.

A table (CSV, TSV or XLSX) has one row per coded segment: the document, the code, the segment's
text and sometimes its position, who coded it and a memo. ``read_table`` reads the cells;
``map_columns`` finds which column is which (the layout is recognised from the header row, or
given field by field); ``rows_of`` yields one ``SegmentRow`` per data row.

Layouts recognised from the header (as each program's manual documents its export):

==========  =================================================================================
layout      header
==========  =================================================================================
maxqda      "Coded Segments": Document group, Document name, Code, Segment, Beginning, End,
            Comment, Created by ... (code paths ``Parent\\Child``; Beginning/End are paragraphs)
atlasti     Quotations: ID, Quotation Name, Document, Quotation Content, Codes (one per line),
            Comment, Created by ...
nvivo       Coding summary / coded text: Hierarchical Name (``Codes\\\\Parent\\\\Child``) or Code,
            File (or Name), Coded Text (or Text), Coded By (Initials), Reference
taguette    Highlights: id, document, tag (dotted path, as Taguette nests tags), content
plain       transcript, code, text (or quote), start, end, coder, memo
==========  =================================================================================
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from qualcode.errors import FormatError

FIELDS = ("transcript", "code", "text", "start", "end", "coder", "memo")
MAX_BYTES = 50 * 1024 * 1024
"""Tables larger than this are refused (split them): a table is read whole before anything is written."""

# Header names per field, compared case- and space-insensitively (first match wins).
_NAMES: dict[str, tuple[str, ...]] = {
    "transcript": ("transcript", "document name", "document", "file", "name", "source", "media",
                   "transcript id", "doc", "file name", "document title"),
    "code": ("code", "codes", "hierarchical name", "node", "tag", "code path", "theme"),
    "text": ("segment", "quotation content", "coded text", "text", "quote", "content", "excerpt",
             "reference text", "segment text", "quotation"),
    "start": ("start", "begin", "start offset", "char start", "start position"),
    "end": ("end", "end offset", "char end", "end position"),
    "coder": ("coder", "created by", "coded by", "coded by initials", "user", "author", "owner"),
    "memo": ("memo", "comment", "comments", "note", "notes"),
}
# Columns that identify a layout, and the fields whose position columns mean something else.
_LAYOUTS = (
    ("maxqda", {"document name", "code", "segment"}),
    ("atlasti", {"quotation content", "codes"}),
    ("atlasti", {"document", "quotation content"}),
    ("nvivo", {"hierarchical name", "coded text"}),
    ("nvivo", {"file", "coded text"}),
    ("taguette", {"id", "document", "tag", "content"}),
)
# Code path separators per layout (None: codes are ids or names, no path).
SEPARATORS = {"maxqda": "\\", "nvivo": "\\", "atlasti": None, "taguette": ".", "plain": None}
# Position columns that are not character offsets (MAXQDA: paragraph numbers) are ignored.
_POSITIONS_ARE_PARAGRAPHS = {"maxqda"}


@dataclass
class Table:
    path: str
    header: list[str]
    rows: list[list[str]]
    first_line: int = 2
    """The file line (CSV) or sheet row (XLSX) of ``rows[0]``."""


@dataclass
class Mapping:
    layout: str
    columns: dict[str, int] = field(default_factory=dict)
    """field -> column index."""

    def describe(self, header: list[str]) -> str:
        return ", ".join(f"{f}={header[i]!r}" for f, i in self.columns.items())


@dataclass
class SegmentRow:
    line: int
    transcript: str
    codes: list[str]
    text: str
    start: int | None
    end: int | None
    coder: str
    memo: str


def _key(name: str) -> str:
    return " ".join(str(name).replace("_", " ").split()).casefold()


def read_table(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Table:
    """The header and rows of a CSV/TSV (delimiter sniffed) or the first sheet of an XLSX."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FormatError(f"cannot read the table: {exc.strerror or type(exc).__name__}", path=path,
                          hint="check the file exists and you may read it") from None
    if size > max_bytes:
        raise FormatError(f"the table is {size / 2**20:.1f} MB; qualcode reads coded-segment tables up to "
                          f"{max_bytes / 2**20:.0f} MB", path=path,
                          hint="split it into smaller files (by document, say) and import each")
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path, data)
    text = _decode(data, path)
    sample = text[:20000]
    head = sample.split("\n", 1)[0]
    if path.suffix.lower() == ".tsv" or (head.count("\t") and head.count("\t") >= head.count(",")):
        delimiter = "\t"  # a .tsv, or a header split by tabs (the segments' text may hold many commas)
    else:
        delimiter = "\t" if sample.count("\t") > sample.count(",") and sample.count("\t") > sample.count(";") else (
            ";" if sample.count(";") > sample.count(",") else ",")
    records = csv_records(text, delimiter, path, hint="export it again as CSV (UTF-8) or as XLSX")
    if not records or not records[0].cells:
        raise FormatError("the table is empty", path=path, hint="export the coded segments with a header row")
    t = Table(str(path), [h.strip() for h in records[0].cells], [r.cells for r in records[1:]])
    t.lines = [r.end for r in records[1:]]  # type: ignore[attr-defined]
    return t


class CsvRecord(NamedTuple):
    start: int
    """The line the record starts on (1-based, as an editor counts them)."""
    end: int
    """The line it ends on (later than ``start`` when a quoted cell holds line breaks)."""
    cells: list[str]


# A cell that starts with a quote (at the start of a line or after the delimiter, as csv reads it),
# up to its closing quote (group 1) or, never closed, the end of the text. Possessive: linear.
_QUOTED = r'(?<![^{d}\r\n])"[^"]*+(?:""[^"]*+)*+(?:(")|\Z)'
_UNCLOSED_HINT = ('add the missing closing " at the end of that cell, or remove the stray one (a " inside '
                  'a quoted cell is written ""), then run the command again')


def csv_records(text: str, delimiter: str, path: str | Path, *, one_per_line: bool = False,
                hint: str = "save it again as CSV (UTF-8)") -> list[CsvRecord]:
    """Every record of a CSV text (blank lines as empty records), read as csv's default dialect
    reads it, with the lines it spans. A quote that swallows the rest of the file is a
    ``FormatError`` naming the line where it opens, not one huge cell: a quoted cell never closed,
    or one that runs over line ends and then closes on something other than a delimiter or a line
    end. With ``one_per_line`` (a file whose records are each on one line, such as cases.csv), so
    is a cell running over line ends that leaves its record with a different number of cells than
    the header (the first non-blank record). Legitimate multi-line cells are read as before.
    Other CSV errors are a ``FormatError`` with ``hint``."""
    spans = _multiline_cells(text, delimiter, path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[CsvRecord] = []
    start = 1
    try:
        for cells in reader:
            records.append(CsvRecord(start, reader.line_num, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"not a readable CSV file: {exc}", path=path, line=reader.line_num, hint=hint) from None
    if one_per_line and spans:
        _check_one_per_line(text, records, spans, path)
    return records


def _multiline_cells(text: str, delimiter: str, path: str | Path) -> list[tuple[int, int]]:
    """(start, end) offsets of the quoted cells that hold a line break. Raises on a quote never
    closed, or on a multi-line cell whose closing quote is followed by more text (csv would read
    on as if nothing were wrong: the quote that opened it was the stray one)."""
    pattern = re.compile(_QUOTED.format(d=re.escape(delimiter)))
    n = len(text)
    out = []
    for m in pattern.finditer(text):
        s, e = m.span()
        if m.group(1) is None:
            raise _unclosed(text, s, path, "is never closed: the rest of the file would be read as that one cell")
        if text.find("\n", s, e) < 0 and text.find("\r", s, e) < 0:
            continue
        if e < n and text[e] not in (delimiter, "\r", "\n"):
            raise _unclosed(text, s, path, f"runs over line ends to line {_line_at(text, e)}, where a \" "
                                           "ends it in the middle of a cell: those lines would be read as one cell")
        out.append((s, e))
    return out


def _check_one_per_line(text: str, records: list[CsvRecord], spans: list[tuple[int, int]],
                        path: str | Path) -> None:
    filled = [r for r in records if any(c.strip() for c in r.cells)]
    if not filled:
        return
    header, starts = filled[0], [r.start for r in records]
    for s, e in spans:
        rec = records[bisect.bisect_right(starts, _line_at(text, s)) - 1]
        if rec is header:
            raise _unclosed(text, s, path, f"runs over line ends to line {_line_at(text, e)}: the header row "
                                           "would take in the lines below it")
        if len(rec.cells) != len(header.cells):
            raise _unclosed(text, s, path, f"runs over line ends to line {_line_at(text, e)}, leaving that row "
                                           f"{len(rec.cells)} cells where the header has {len(header.cells)}: "
                                           "those lines would be read as one cell")


def _line_at(text: str, pos: int) -> int:
    """The line (1-based) of offset ``pos``, counting line ends as csv does (\\n, \\r\\n or a lone \\r)."""
    return 1 + text.count("\n", 0, pos) + text.count("\r", 0, pos) - text.count("\r\n", 0, pos)


def _unclosed(text: str, pos: int, path: str | Path, what: str) -> FormatError:
    shown = re.split(r"[\r\n]", text[pos:pos + 31], maxsplit=1)[0]
    shown = shown if len(shown) <= 30 else shown[:30] + "..."
    return FormatError(f"the quote that opens a cell on this line ({shown}) {what}", path=path,
                       line=_line_at(text, pos), hint=_UNCLOSED_HINT)


def decode_spreadsheet(data: bytes) -> tuple[str, str | None]:
    """The text of a CSV/TSV as a spreadsheet saved it (UTF-8 with or without BOM, UTF-16 with BOM:
    Excel's "Unicode text", else Windows-1252), and a note when it fell back on Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "not UTF-8; read as Windows-1252 (check accented characters)"


def _decode(data: bytes, path: Path) -> str:
    return decode_spreadsheet(data)[0]


def _read_xlsx(path: Path, data: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FormatError(f"the file is not a readable XLSX workbook ({type(exc).__name__})", path=path,
                          hint="open it in a spreadsheet program and save it as .xlsx or .csv") from None
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if not header:
            raise FormatError("the table's first sheet is empty", path=path,
                              hint="put the coded segments, with a header row, on the first sheet")
        rows = [["" if v is None else _cell(v) for v in row] for row in it]
    finally:
        wb.close()
    t = Table(str(path), ["" if h is None else str(h).strip() for h in header], rows)
    t.lines = list(range(2, 2 + len(rows)))  # type: ignore[attr-defined]
    return t


def _cell(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def map_columns(table: Table, given: dict[str, str] | None = None, layout: str | None = None) -> Mapping:
    """Which column holds which field. ``given`` maps a field to a column name (or 1-based number)."""
    keys = [_key(h) for h in table.header]
    if layout in (None, "auto"):
        present = set(keys)
        layout = next((name for name, need in _LAYOUTS if need <= present), "plain")
    elif layout not in SEPARATORS:
        raise FormatError(f"unknown layout {layout!r}", path=table.path,
                          hint="use one of: auto, " + ", ".join(SEPARATORS))
    m = Mapping(layout)
    given = dict(given or {})
    for f, col in given.items():
        if f not in FIELDS:
            raise FormatError(f"unknown field {f!r} in the column mapping", path=table.path,
                              hint="map any of: " + ", ".join(FIELDS) + " (e.g. --map code=Theme)")
        if col.isdigit() and 1 <= int(col) <= len(keys):
            m.columns[f] = int(col) - 1
        elif _key(col) in keys:
            m.columns[f] = keys.index(_key(col))
        else:
            raise FormatError(f"the table has no column {col!r} (for {f})", path=table.path, line=1,
                              hint="its columns are: " + ", ".join(repr(h) for h in table.header))
    taken = set(m.columns.values())
    for f in FIELDS:
        if f in m.columns:
            continue
        if f in ("start", "end") and layout in _POSITIONS_ARE_PARAGRAPHS:
            continue
        for name in _NAMES[f]:
            if name in keys and keys.index(name) not in taken:
                m.columns[f] = keys.index(name)
                taken.add(keys.index(name))
                break
    missing = [f for f in ("transcript", "code") if f not in m.columns]
    if "text" not in m.columns and not ("start" in m.columns and "end" in m.columns):
        missing.append("text (or start and end)")
    if missing:
        raise FormatError(
            f"the table's columns do not match a coded-segment layout: no column for {', '.join(missing)}",
            path=table.path, line=1,
            hint="its columns are " + ", ".join(repr(h) for h in table.header)
            + "; name them with --map, e.g. --map transcript=Document --map code=Code --map text=Segment",
        )
    return m


_INT = re.compile(r"\s*\d+\s*")


def rows_of(table: Table, m: Mapping) -> list[SegmentRow]:
    """Every non-empty data row as a ``SegmentRow``. A bad position raises ``FormatError`` naming the line."""
    out = []
    lines = getattr(table, "lines", None) or list(range(table.first_line, table.first_line + len(table.rows)))
    cols = m.columns

    def get(row: list[str], f: str) -> str:
        i = cols.get(f)
        return row[i] if i is not None and i < len(row) else ""

    for line, row in zip(lines, table.rows):
        if not any(str(c).strip() for c in row):
            continue
        pos = {}
        for f in ("start", "end"):
            v = get(row, f)
            if v.strip() and not _INT.fullmatch(v):
                raise FormatError(f"{f} {v!r} is not a character offset", path=table.path, line=line,
                                  hint=f"give whole numbers, or leave {f} out and let the text place the segment")
            pos[f] = int(v) if v.strip() else None
        code_cell = get(row, "code")
        codes = [c.strip() for c in code_cell.split("\n")] if m.layout == "atlasti" else [code_cell.strip()]
        out.append(SegmentRow(line, get(row, "transcript").strip(), [c for c in codes if c], get(row, "text"),
                              pos["start"], pos["end"], get(row, "coder").strip(), get(row, "memo").strip()))
    return out


def code_path(cell: str, layout: str) -> list[str]:
    """A code cell as the names from the top of the tree down (NVivo's leading ``Codes\\\\`` dropped)."""
    sep = SEPARATORS.get(layout)
    if not sep:
        return [cell.strip()]
    parts = [p.strip() for p in cell.split(sep)]
    parts = [p for p in parts if p]
    if layout == "nvivo" and len(parts) > 1 and parts[0].casefold() in ("codes", "nodes"):
        parts = parts[1:]
    return parts
