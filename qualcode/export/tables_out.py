"""Every table as CSV (one file per table) and as a sheet of one XLSX workbook.

The workbook opens on an "About" sheet (project, date, coders, what each sheet holds, with the
tables' captions); each table sheet has its header row bold and frozen, a filter on it, column
widths from the content and numbers stored as numbers (shown with the table's decimals). Files are
written whole or not at all (temporary file, then rename).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Callable

from qualcode.export.frame import Grid, clean_text, format_value, grid
from qualcode.export.output import check_writable, output_path, save_bytes, slug

Progress = Callable[[int, int, str], None]
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60


def _frames(project, tables, coders):
    from qualcode.export.catalog import build_tables, check_coders

    chosen = check_coders(project, coders)
    if tables is None:
        return build_tables(project, None, chosen)
    out = []
    for item in tables:
        out += build_tables(project, [item], chosen) if isinstance(item, str) else [item]
    return out


def sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique (case-insensitively)."""
    base = _SHEET_BAD.sub("-", clean_text(title)).strip("' ") or "Table"
    name = base[:31]
    n = 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.casefold())
    return name


def _number_format(decimals: int) -> str:
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def _fill_sheet(ws, g: Grid) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if g.empty and g.empty_reason:
        ws.append([f"No data for this table: {clean_text(g.empty_reason)}"])
        ws.column_dimensions["A"].width = MAX_WIDTH
        return
    ws.append([clean_text(h) for h in g.headers])
    widths = [min(MAX_WIDTH, max(8, len(h) + 2)) for h in g.headers]
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
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for j, width in enumerate(widths):
        letter = get_column_letter(j + 1)
        ws.column_dimensions[letter].width = width
        column = ws[letter][1:]
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
    ws.freeze_panes = ws.cell(row=2, column=g.index_columns + 1)
    if g.rows:
        ws.auto_filter.ref = ws.dimensions


def workbook_bytes(project, frames: list, *, today: date | None = None, progress: Progress | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from qualcode.export.quotes import is_illustrative

    wb = Workbook()
    about = wb.active
    about.title = "About"
    used = {"about"}
    about.append([clean_text(project.config.name)])
    about["A1"].font = Font(bold=True, size=14)
    about.append([f"Tables written by qualcode on {(today or date.today()).isoformat()}"])
    entries = list(project.index)
    if any(is_illustrative(e.metadata) for e in entries):
        about.append(["Illustrative data: transcripts marked illustrative: true are not real interview data."])
    about.append([])
    about.append(["Sheet", "Table", "Rows", "What the numbers are"])
    header_row = about.max_row
    for cell in about[header_row]:
        cell.font = Font(bold=True)
    grids = [grid(df) for df in frames]
    for k, (df, g) in enumerate(zip(frames, grids)):
        if progress is not None:
            progress(k, len(frames) + 1, f"sheet: {g.title}")
        name = sheet_name(g.title, used)
        _fill_sheet(wb.create_sheet(name), g)
        about.append([name, clean_text(g.title), 0 if g.empty else len(g.rows),
                      clean_text(g.empty_reason if g.empty and g.empty_reason else g.caption)])
    for letter, width in (("A", 24), ("B", 40), ("C", 8), ("D", 100)):
        about.column_dimensions[letter].width = width
    for row in about.iter_rows(min_row=header_row + 1):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    about.freeze_panes = about.cell(row=header_row + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(project, path=None, *, tables=None, coders=None, progress: Progress | None = None,
               today: date | None = None) -> Path:
    """Every table as a sheet of one workbook (default ``exports/tables.xlsx``)."""
    path = check_writable(output_path(project, path, "tables.xlsx"))
    frames = _frames(project, tables, coders)
    data = workbook_bytes(project, frames, today=today, progress=progress)
    out = save_bytes(path, data)
    if progress is not None:
        progress(len(frames) + 1, len(frames) + 1, f"written to {out}")
    return out


def csv_text(g: Grid) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if g.headers:
        w.writerow([clean_text(h) for h in g.headers])
    for row in g.rows:
        w.writerow(["" if v is None else (v if isinstance(v, (int, float)) and not isinstance(v, bool)
                                         else clean_text(v)) for v in row])
    return buf.getvalue()


def write_csv(project, folder=None, *, tables=None, coders=None, progress: Progress | None = None,
              bom: bool = False) -> list[Path]:
    """One CSV file per table in ``folder`` (default ``exports/tables/``), named
    ``01-code-frequencies.csv`` and so on; UTF-8 (with a byte-order mark if ``bom``, for Excel)."""
    folder = Path(folder) if folder is not None else Path(project.exports_dir) / "tables"
    check_writable(folder, folder=True)
    frames = _frames(project, tables, coders)
    written: list[Path] = []
    names: set[str] = set()
    for k, df in enumerate(frames, start=1):
        g = grid(df)
        if progress is not None:
            progress(k - 1, len(frames), f"csv: {g.title}")
        name = f"{k:02d}-{slug(g.title)}.csv"
        while name in names:
            name = name[:-4] + "-2.csv"
        names.add(name)
        text = csv_text(g)
        written.append(save_bytes(folder / name, text.encode("utf-8-sig" if bom else "utf-8")))
    if progress is not None:
        progress(len(frames), len(frames), f"written to {folder}")
    return written
