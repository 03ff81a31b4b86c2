"""The codebook in Word: an overview table of the tree, then every code with its definition,
inclusion and exclusion criteria, examples and keywords. Used alone and as the report's appendix."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from docx.shared import Pt, RGBColor

from qualcode.export import docx_base as base
from qualcode.export.docx_table import add_table, measure
from qualcode.export.frame import Grid, clean_text
from qualcode.export.output import check_writable, output_path, save_bytes

INDENT = "\u00a0\u00a0\u00a0"
ID_WIDTH = 2600  # twips (about 4.6 cm): a longer code id goes on several lines, broken after "." or "_"
_ID_PIECES = re.compile(r"[^._]+[._]*|[._]+")


def wrap_id(code_id: str, width: int = ID_WIDTH) -> str:
    """A long code id on several lines, each break after a "." or "_", never inside a word
    ('…outcome_relationships' breaks as '…outcome_' / 'relationships')."""
    lines = [""]
    for piece in _ID_PIECES.findall(code_id):
        if lines[-1] and measure(lines[-1] + piece) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(lines)


def overview_grid(book, counts: dict[str, int] | None = None) -> Grid:
    headers = ["Code", "Id", "Key"] + (["Codings"] if counts is not None else [])
    rows = []
    for code in book.walk():
        row = [INDENT * book.depth(code.id) + code.name, wrap_id(code.id), code.shortcut or ""]
        if counts is not None:
            row.append(int(counts.get(code.id, 0)))
        rows.append(row)
    numeric = [False, False, False] + ([True] if counts is not None else [])
    return Grid(headers=headers, rows=rows, numeric=numeric, decimals=[0] * len(headers), index_columns=1,
                title="The codebook", kind="codebook")


def summary(book) -> dict:
    codes = book.walk()
    leaves = [c for c in codes if not book.children(c.id)]
    levels = max((book.depth(c.id) for c in codes), default=-1) + 1
    return {"codes": len(codes), "levels": levels, "themes": book.roots, "leaves": len(leaves)}


def _labelled(doc, label: str, text: str) -> None:
    if not (text or "").strip():
        return
    p = base.para(doc)
    p.add_run(f"{label}: ").bold = True
    p.add_run(clean_text(" ".join(text.split())))


def add_code(doc, book, code, level: int) -> None:
    base.heading(doc, clean_text(code.name), min(level, 9))
    meta = base.para(doc, style="Table Note")
    meta.paragraph_format.keep_with_next = True  # the heading and its id line never end a page alone
    meta.add_run(f"Code id: {code.id}")
    if code.shortcut:
        meta.add_run(f"    Key: {code.shortcut}")
    if code.colour:
        meta.add_run("    Colour: ")
        swatch = meta.add_run("\u25a0")
        swatch.font.italic = False
        swatch.font.size = Pt(12)
        try:
            swatch.font.color.rgb = RGBColor.from_string(code.colour.lstrip("#").upper())
        except ValueError:
            pass
    children = book.children(code.id)
    if children:
        meta.add_run("    Codes under it: " + ", ".join(c.name for c in children))
    if code.definition:
        base.para(doc, clean_text(" ".join(code.definition.split())))
    _labelled(doc, "Include", code.include)
    _labelled(doc, "Exclude", code.exclude)
    last = None
    for example in code.examples or []:
        last = base.para(doc, clean_text(" ".join(str(example).split())), style="Quote")
    if last is not None:
        last.paragraph_format.space_after = Pt(8)
        last.paragraph_format.keep_with_next = False
    if code.keywords:
        _labelled(doc, "Keywords", ", ".join(str(k) for k in code.keywords))


def add_codebook(doc, book, *, level: int, counts: dict[str, int] | None = None, number: int | None = None) -> int:
    """The codebook from heading ``level`` down; returns the next table number used."""
    s = summary(book)
    intro = (f"{s['codes']} codes on {s['levels']} level{'s' if s['levels'] != 1 else ''}: "
             f"{len(s['themes'])} top-level theme{'s' if len(s['themes']) != 1 else ''} and {s['leaves']} "
             "codes without children.")
    if book.description:
        base.para(doc, clean_text(" ".join(book.description.split())))
    base.para(doc, intro)
    if not len(book):
        base.para(doc, "The codebook has no codes yet.")
        return number or 1
    number = number or 1
    base.add_caption(doc, "Table", number, "The codebook: codes, ids and workbench keys"
                     + (", with the number of codings of each" if counts is not None else ""))
    add_table(doc, overview_grid(book, counts), style=base.TABLE_STYLE, width=base.text_width(doc))
    base.para(doc)
    for code in book.walk():
        add_code(doc, book, code, level + book.depth(code.id))
    return number + 1


def write_codebook_docx(project, path=None, *, today: date | None = None) -> Path:
    """The codebook alone as a Word document (default ``exports/codebook.docx``)."""
    path = check_writable(output_path(project, path, "codebook.docx"), suffix=".docx")
    book = project.codebook
    name = book.name or project.config.name
    doc = base.new_document(name, "Codebook")
    doc.sections[0].different_first_page_header_footer = True
    base.para(doc, clean_text(name), style="Title")
    base.para(doc, "Codebook", style="Subtitle")
    base.para(doc, f"{clean_text(project.config.name)}\n{base.format_date(today or date.today())}")
    base.para(doc, "Contents", style="TOC Heading")
    base.add_contents(doc, [(1, "Overview")] + [(1, c.name) for c in book.roots], levels="1-1")
    base.page_break(doc)
    base.heading(doc, "Overview", 1)
    add_codebook(doc, book, level=1)
    buf = io.BytesIO()
    doc.save(buf)
    return save_bytes(path, buf.getvalue(), project)
