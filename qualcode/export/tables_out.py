"""Every table as CSV (one file per table) and as a sheet of one XLSX workbook.

The workbook opens on an "About" sheet (project, date, coders, what each sheet holds, with the
tables' captions); each table sheet has its header row bold and frozen, a filter on it, column
widths from the content and numbers stored as numbers (shown with the table's decimals), case
attributes too when a column holds only numbers (``typed``). Files are
written whole or not at all (temporary file, then rename).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Callable

from qualcode.errors import QualcodeError
from qualcode.export.frame import Grid, clean_text, format_value, grid
from qualcode.export.output import check_writable, output_path, refuse_inputs, save_bytes, slug

Progress = Callable[[int, int, str], None]
MAX_WIDTH = 60


def _frames(project, tables, coders):
    from qualcode.export.catalog import check_coders, resolve_tables

    return resolve_tables(project, tables, check_coders(project, coders))


def for_spreadsheet(df, book):
    """A table as a spreadsheet wants it: crosstab rows named and marked "(with sub-codes)" as in
    Word; frequencies with a level and parent column instead of an indented name (which breaks
    sorting and filtering); the matrix, the Framework matrix and co-occurrence headed by code names, not
    ids."""
    kind = df.attrs.get("kind")
    if kind == "crosstab":
        from qualcode.analysis.crosstab import labelled

        return labelled(df)
    if kind == "frequencies" and "id" in df.columns and len(df):
        return _leveled(df, book)
    if kind in ("case_matrix", "framework_matrix", "cooccurrence") and len(df.columns):
        return _named(df, kind)
    return df


def _leveled(df, book):
    out = df.copy()
    out.attrs = dict(df.attrs)
    ids = [str(i) for i in df["id"]]
    out["code"] = [str(v).strip() for v in df["code"]]
    out.insert(2, "level", [book.depth(i) + 1 if i in book else 1 for i in ids])
    out.insert(3, "parent", [_parent_name(book, i) for i in ids])
    return out


def _parent_name(book, code: str) -> str:
    chain = book.ancestors(code) if code in book else []
    if not chain:
        return ""
    return book.get(chain[0]).name if chain[0] in book else chain[0]


def _named(df, kind: str):
    """Code ids as headers -> names (a name two codes share keeps its id in brackets)."""
    from collections import Counter

    names = df.attrs.get("code_names") or {}
    shown = [str(names.get(c, c)) for c in df.columns]
    twice = {n for n, k in Counter(shown).items() if k > 1}
    headers = [f"{n} ({c})" if n in twice else n for n, c in zip(shown, df.columns)]
    out = df.copy()
    out.attrs = dict(df.attrs)
    out.columns = headers
    if kind == "cooccurrence":
        out.index = out.index.map(dict(zip(df.columns, headers))).rename("code")
    return out


SHEET_LIMIT = 31
_SHEET_SWAP = str.maketrans({"[": "(", "]": ")", "/": "-", "\\": "-", "*": "", "?": ""})
_PAIRS = {")": "(", "}": "{"}


def _balanced(text: str) -> str:
    """``text`` without brackets that have no partner (a cut that kept "(" but not its ")")."""
    drop, open_at = set(), []
    for i, ch in enumerate(text):
        if ch in "({":
            open_at.append(i)
        elif ch in _PAIRS:
            if open_at and text[open_at[-1]] == _PAIRS[ch]:
                open_at.pop()
            else:
                drop.add(i)
    drop.update(open_at)
    return " ".join("".join(ch for i, ch in enumerate(text) if i not in drop).split())


def fit_name(text: str, limit: int = SHEET_LIMIT) -> str:
    """``text`` in at most ``limit`` characters: whole when it fits, else cut between words, in the middle
    where that keeps more ("Understanding… by role (cases)": both ends tell sheets apart) or at the end
    ("Outliers, overfitting…"), never leaving a bracket without its partner; a text with no such cut is
    cut inside a word, in the middle."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return _balanced(text)
    words = text.split(" ")
    best, best_key = "", None
    for h in range(1, len(words)):
        for k in range(0, len(words) - h):
            head = " ".join(words[:h]).rstrip(",;-") + "\u2026"
            cand = head + (" " + " ".join(words[-k:]) if k else "")
            if len(cand) > limit:
                break
            fixed = _balanced(cand)
            key = (fixed == cand, len(fixed) + (3 if k else 0), h >= k)  # both ends, when about as long
            if best_key is None or key > best_key:
                best, best_key = fixed, key
    if len(best) >= min(8, limit // 2):
        return best
    half = (limit - 1) // 2
    return _balanced(text[:half].rstrip() + "\u2026" + text[-(limit - 1 - half):].lstrip())


def sheet_name(title: str, used: set[str], head: str = "") -> str:
    """A sheet's name from a short, readable title, by Excel's rules: at most 31 characters, none of
    []:*?/\\ (a colon reads " -", brackets become parentheses), unique (case-insensitively: " (2)"
    after a name already used); when too long, cut between words (``fit_name``) after ``head``, which
    is kept whole ("Segments - ")."""

    def safe(text: str) -> str:
        return " ".join(clean_text(text).replace(":", " -").translate(_SHEET_SWAP).split())

    head, text = safe(head), safe(title).strip("' ") or "Table"
    head = head + " " if head else ""
    name = head + fit_name(text, SHEET_LIMIT - len(head))
    n = 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name = head + fit_name(text, SHEET_LIMIT - len(head) - len(suffix)) + suffix
        n += 1
    used.add(name.casefold())
    return name


SHORT_TITLES = {"Code co-occurrence (overlapping codings)": "Co-occurrence (overlapping)",
                "Code co-occurrence within speaker turns": "Co-occurrence (within turns)"}


def readable_title(project, df, title: str) -> str:
    """A table's title as a reader wants it: code and attribute names, not ids ("Codes by role
    (cases)", "Coded segments: PDP/ICE"). The sheet's first row and the About sheet give it whole."""
    kind = df.attrs.get("kind")
    book = project.codebook
    if kind == "crosstab" and df.attrs.get("rows"):
        from qualcode.export.findings import crosstab_title

        return crosstab_title(project, df)
    if kind == "retrieve" and ": " in title:
        lead, _, named = title.partition(": ")
        names = [book.get(c.strip()).name if c.strip() in book else c.strip() for c in named.split(",")]
        return lead + ": " + ", ".join(names)
    return title


def sheet_label(df, full: str) -> tuple[str, str]:
    """(a head kept whole, the rest) a sheet is named from: "Segments -" and the code's name for coded
    segments, a short form of a long standard title, else the title."""
    if df.attrs.get("kind") == "retrieve" and ": " in full:
        return "Segments -", full.partition(": ")[2]
    return "", SHORT_TITLES.get(full, full)


IDENTIFIERS = {"id", "code", "coding", "transcript", "transcripts", "case", "coder", "speaker", "parent", "name",
               "quote", "memo", "before", "after", "attribution", "text"}
"""Columns that name things, or hold what was said: text even when every value is digits (transcript 101,
case 7, a quote "5")."""
_INT = re.compile(r"[+-]?(?:0|[1-9]\d*)")
_FLOAT = re.compile(r"[+-]?(?:0|[1-9]\d*)\.\d+")
_BLANK = {"", "(missing)", "(not recorded)"}


def typed(g: Grid) -> Grid:
    """``g`` with each column of text that holds only numbers written as numbers ("4", "8" -> 4, 8;
    "2.5" -> 2.5; a blank or "(missing)" cell left empty): case attributes such as years or team size,
    which cases.csv gives as text. Identifiers stay text (``IDENTIFIERS``, the row labels), and so do
    values a number would change ("007", "1,200", "1e3")."""
    from dataclasses import replace

    rows = [list(r) for r in g.rows]
    numeric, decimals = list(g.numeric), list(g.decimals)
    changed = False
    for j, header in enumerate(g.headers):
        if numeric[j] or j < g.index_columns or str(header).strip().casefold() in IDENTIFIERS:
            continue
        values = [r[j] for r in rows]
        texts = [v.strip() for v in values if isinstance(v, str) and v.strip() not in _BLANK]
        if not texts or any(v is not None and not isinstance(v, str) for v in values):
            continue
        if all(_INT.fullmatch(t) for t in texts):
            convert, places = int, 0
        elif all(_INT.fullmatch(t) or _FLOAT.fullmatch(t) for t in texts):
            convert, places = float, max(len(t.partition(".")[2]) for t in texts)
        else:
            continue
        for r in rows:
            v = r[j].strip() if isinstance(r[j], str) else r[j]
            r[j] = None if v is None or v in _BLANK else convert(v)
        numeric[j], decimals[j], changed = True, places, True
    return replace(g, rows=rows, numeric=numeric, decimals=decimals) if changed else g


def _number_format(decimals: int) -> str:
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


TITLE_ROWS = 1
"""Rows above a table sheet's header: its full title."""


def _fill_sheet(ws, g: Grid, title: str | None = None) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append([clean_text(title if title is not None else g.title)])  # the full title: the sheet's name is short
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([clean_text(h) for h in headers_of(g)])  # a header row even when the table is empty
    widths = [min(MAX_WIDTH, max(8, len(h) + 2)) for h in headers_of(g)]
    for row in g.rows:
        values = []
        for j, v in enumerate(row):
            if v is None:
                values.append(None)
            elif g.numeric[j]:
                values.append(v)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                values.append(v)
            else:
                text = clean_text(v if not isinstance(v, (list, tuple, set)) else "; ".join(map(str, v)))
                values.append(text)
                longest = max((len(line) for line in text.split("\n")), default=0)
                if longest + 2 > widths[j]:
                    widths[j] = min(MAX_WIDTH, longest + 2)
            if g.numeric[j] and v is not None:
                widths[j] = max(widths[j], min(MAX_WIDTH, len(format_value(v, True, g.decimals[j])) + 2))
        ws.append(values)
    bold = Font(bold=True)
    header = TITLE_ROWS + 1
    for cell in ws[header]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    if g.empty and g.empty_reason:  # why it is empty, beside the header row (the About sheet says it too)
        note = ws.cell(row=header, column=len(widths) + 2, value=f"No data: {clean_text(g.empty_reason)}")
        note.font = Font(italic=True)
    for j, width in enumerate(widths[:len(g.headers)]):
        letter = get_column_letter(j + 1)
        ws.column_dimensions[letter].width = width
        column = ws[letter][header:]
        if g.numeric[j] and g.decimals[j]:
            fmt = _number_format(g.decimals[j])
            for cell in column:
                cell.number_format = fmt
        elif not g.numeric[j] and width >= MAX_WIDTH:
            wrap = Alignment(vertical="top", wrap_text=True)
            for cell in column:
                cell.alignment = wrap
        if not g.numeric[j]:  # text that looks like a formula stays text
            for cell in column:
                if cell.data_type == "f":
                    cell.data_type = "s"
    ws.freeze_panes = ws.cell(row=header + 1, column=g.index_columns + 1)
    if g.rows:
        from openpyxl.utils import get_column_letter as letter_of

        ws.auto_filter.ref = f"A{header}:{letter_of(len(headers_of(g)))}{header + len(g.rows)}"


NO_DATA = "no data"


def headers_of(g: Grid) -> list[str]:
    """The table's headers; a table with no columns at all still gets one ("no data"), so a CSV
    reader finds a header line and an empty table, not an empty file."""
    return list(g.headers) or [NO_DATA]


def _about_provenance(about, stamp) -> None:
    from openpyxl.styles import Font

    about.append([])
    about.append(["Where the numbers come from"])
    about.cell(row=about.max_row, column=1).font = Font(bold=True)
    for label, value in stamp.summary():
        about.append([label, clean_text(value)])
    for tid, h in stamp.transcripts:
        about.append([f"Transcript {tid}", f"content hash {h}"])


def workbook_bytes(project, frames: list, *, today: date | None = None, progress: Progress | None = None,
                   stamp=None, memos=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from qualcode.export.quotes import is_illustrative

    wb = Workbook()
    about = wb.active
    about.title = "About"
    used = {"about"}
    about.append([clean_text(project.config.name)])
    about["A1"].font = Font(bold=True, size=14)
    about.append([f"Tables written by qualcode on {(today or date.today()).isoformat()}"
                  + (f" (inputs stamp {stamp.digest}: see below)" if stamp is not None else "")])
    entries = list(project.index)
    if any(is_illustrative(e.metadata) for e in entries):
        about.append(["Illustrative data: transcripts marked illustrative: true are not real interview data."])
    about.append([])
    about.append(["Sheet", "Table", "Rows", "What the numbers are"])
    header_row = about.max_row
    for cell in about[header_row]:
        cell.font = Font(bold=True)
    grids = [typed(grid(for_spreadsheet(df, project.codebook))) for df in frames]
    for k, (df, g) in enumerate(zip(frames, grids)):
        if progress is not None:
            progress(k, len(frames) + 1, f"sheet: {g.title}")
        full = readable_title(project, df, g.title)
        head, label = sheet_label(df, full)
        name = sheet_name(label, used, head)
        _fill_sheet(wb.create_sheet(name), g, full)
        about.append([name, clean_text(full), 0 if g.empty else len(g.rows),
                      clean_text(g.empty_reason if g.empty and g.empty_reason else g.caption)])
    if memos is not None:
        g = grid(memos)
        name = sheet_name("Memos", used)
        _fill_sheet(wb.create_sheet(name), g)
        about.append([name, "Memos", len(g.rows), clean_text(g.caption)])
    if stamp is not None:
        _about_provenance(about, stamp)
    for letter, width in (("A", 24), ("B", 40), ("C", 8), ("D", 100)):
        about.column_dimensions[letter].width = width
    for row in about.iter_rows(min_row=header_row + 1):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    about.freeze_panes = about.cell(row=header_row + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(project, path=None, *, tables=None, coders=None, progress: Progress | None = None,
               today: date | None = None, memos: bool = True, command: str | None = None) -> Path:
    """Every table as a sheet of one workbook (default ``exports/tables.xlsx``), a Memos sheet when
    coders wrote memos, and an About sheet with the provenance stamp."""
    from qualcode.export.docx_report import counted_coders
    from qualcode.export.memos import memo_frame
    from qualcode.export.provenance import stamp as make_stamp

    path = check_writable(output_path(project, path, "tables.xlsx"), suffix=".xlsx")
    frames = _frames(project, tables, coders)
    counted = counted_coders(project, _chosen(project, coders))
    notes = memo_frame(project, counted) if memos else None
    stamp = make_stamp(project, command=command, coders=counted)
    data = workbook_bytes(project, frames, today=today, progress=progress, stamp=stamp,
                          memos=notes if notes is not None and len(notes) else None)
    out = save_bytes(path, data, project)
    if progress is not None:
        progress(len(frames) + 1, len(frames) + 1, f"written to {out}")
    return out


def _chosen(project, coders):
    from qualcode.export.catalog import check_coders

    return check_coders(project, coders)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell as written to CSV: numbers as they are; text that a spreadsheet would run as a formula
    (starting with = + - @, tab or return) gets a leading ' (OWASP's advice on CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(g: Grid) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([csv_cell(h) for h in headers_of(g)])
    for row in g.rows:
        w.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


PROVENANCE = "provenance.json"


def _ours(folder: Path) -> None:
    """A CSV set replaces only a CSV set: a folder holding anything else is left alone."""
    if not folder.exists():
        return
    others = sorted(p.name for p in folder.iterdir() if not (p.is_file() and (p.suffix.lower() == ".csv"
                                                                              or p.name == PROVENANCE)))
    if others:
        raise QualcodeError(f"this folder holds other files than a CSV set ({', '.join(others[:3])}"
                            f"{', ...' if len(others) > 3 else ''}): the export replaces the whole folder",
                            path=folder, hint="give a new or empty folder with -o, e.g. exports/tables-2")


def write_csv(project, folder=None, *, tables=None, coders=None, progress: Progress | None = None,
              bom: bool = False, command: str | None = None) -> list[Path]:
    """One CSV file per table in ``folder`` (default ``exports/tables/``), named
    ``01-code-frequencies.csv`` and so on, and ``provenance.json`` (the stamp of the inputs); UTF-8
    (with a byte-order mark if ``bom``, for Excel). The set replaces the folder's old set whole:
    it is written beside it and swapped in, so no stale file from an earlier export remains."""
    from qualcode.export.docx_report import counted_coders
    from qualcode.export.output import make_folder
    from qualcode.export.provenance import stamp as make_stamp

    folder = refuse_inputs(project, folder, folder=True) if folder is not None else Path(project.exports_dir) / "tables"
    if folder.suffix.lower() in (".csv", ".xlsx", ".docx", ".pdf"):
        raise QualcodeError("`export csv` writes a folder of CSV files, one per table, not one file", path=folder,
                            hint=f"give a folder, e.g. -o {folder.with_suffix('')}")
    check_writable(folder, folder=True)
    _ours(folder)
    frames = _frames(project, tables, coders)
    files: list[tuple[str, bytes]] = []
    names: set[str] = set()
    for k, df in enumerate(frames, start=1):
        g = grid(for_spreadsheet(df, project.codebook))
        if progress is not None:
            progress(k - 1, len(frames), f"csv: {g.title}")
        name = f"{k:02d}-{slug(g.title)}.csv"
        while name in names:
            name = name[:-4] + "-2.csv"
        names.add(name)
        files.append((name, csv_text(g).encode("utf-8-sig" if bom else "utf-8")))
    counted = counted_coders(project, _chosen(project, coders))
    record = make_stamp(project, command=command, coders=counted).to_json()
    record["tables"] = [{"file": n, "title": grid(df).title, "caption": str(df.attrs.get("caption") or "")}
                        for (n, _), df in zip(files, frames)]
    files.append((PROVENANCE, (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")))
    from qualcode.export import keep

    make_folder(folder.parent)
    kept = keep.keep_folder_aside(project, folder)  # a CSV edited since qualcode wrote it: keep the old set
    replace_folder(folder, files, keep_as=kept.path if kept else None)
    keep.remember(project, {folder / n: keep.digest(data) for n, data in files})
    keep.note(folder, kept)
    if progress is not None:
        progress(len(frames), len(frames), f"written to {folder}")
    return [folder / n for n, _ in files]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def replace_folder(folder: Path, files: list[tuple[str, bytes]], keep_as: Path | None = None) -> None:
    """Write ``files`` into a fresh folder beside ``folder``, then swap it in (the old set is moved
    aside and removed, or kept as ``keep_as``): a reader sees the old set or the new one, never a mix."""
    import shutil
    import tempfile

    from qualcode.store.atomic import fsync_dir

    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    os.chmod(fresh, 0o777 & ~_umask())  # mkdtemp's folder is private (0700): give it a folder's usual mode
    old = None
    try:
        for name, data in files:
            with open(fresh / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        fsync_dir(fresh)
        if folder.exists():
            old = keep_as or Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
            if keep_as is None:
                os.rmdir(old)
            os.replace(folder, old)
        os.replace(fresh, folder)
        fsync_dir(folder.parent)
    except OSError as exc:
        if old is not None and old.exists() and not folder.exists():
            os.replace(old, folder)  # put the old set back
        shutil.rmtree(fresh, ignore_errors=True)
        raise QualcodeError(f"cannot write the CSV files: {exc.strerror}", path=folder,
                            hint="choose a folder you can write to (-o PATH)") from None
    if old is not None and keep_as is None:
        shutil.rmtree(old, ignore_errors=True)
