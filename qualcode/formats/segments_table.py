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

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

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
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader, None)
        if not header:
            raise FormatError("the table is empty", path=path, hint="export the coded segments with a header row")
        rows: list[list[str]] = []
        lines: list[int] = []
        for row in reader:
            lines.append(reader.line_num)
            rows.append(row)
    except csv.Error as exc:
        raise FormatError(f"the table is not valid CSV: {exc}", path=path, line=reader.line_num,
                          hint="export it again as CSV (UTF-8) or as XLSX") from None
    t = Table(str(path), [h.strip() for h in header], rows)
    t.lines = lines  # type: ignore[attr-defined]
    return t


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
