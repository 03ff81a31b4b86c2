"""A :class:`~qualcode.export.frame.Grid` as a Word table, written as XML in one pass.

python-docx adds cells one at a time (slow past a few thousand cells); this builds the ``w:tbl``
element directly: a built-in table style, the header row repeated on every page (``w:tblHeader``),
rows that do not split across pages, numbers right-aligned, column widths from the content.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table

from qualcode.export.frame import Grid, clean_text

TWIPS_PER_EMU = 1 / 635
MIN_COL = 560  # twips, about 1 cm

# Advance widths of Calibri (and Carlito, its metric-compatible substitute), per 1,000 em: column
# widths are measured with them, so no header or word is broken in the middle in Word or LibreOffice.
_ADVANCE = dict(zip("abcdefghijklmnopqrstuvwxyz",
                    [479, 525, 423, 525, 498, 305, 471, 525, 229, 239, 455, 229, 799, 525, 527, 525, 525, 349,
                     391, 335, 525, 452, 715, 433, 453, 395]))
_ADVANCE.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                    [579, 544, 533, 615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662, 517, 673, 543,
                     459, 487, 653, 567, 890, 519, 487, 468]))
_ADVANCE.update({d: 507 for d in "0123456789"})
_ADVANCE.update({" ": 226, ".": 252, ",": 250, "-": 306, "%": 715, "(": 303, ")": 303, ":": 268, ";": 268,
                 "/": 386, "_": 498, "'": 221, "\u2019": 250, "&": 682, "+": 498, "=": 498, "\u00a0": 226})
_DEFAULT_ADVANCE = 560
POINT = 9  # the Table Text style
BOLD = 1.06
PAD = 300  # cell margins (108 + 108 twips) and a little room


def measure(text: str, bold: bool = False) -> int:
    """Width of ``text`` in twips, in 9-point Calibri/Carlito."""
    units = sum(_ADVANCE.get(ch, _DEFAULT_ADVANCE) for ch in text)
    return int(units * POINT * 20 / 1000 * (BOLD if bold else 1.0)) + 1


# where Word and LibreOffice may wrap a line: ordinary spaces (never a no-break space), and after a
# hyphen or a slash ("participant-07-/session" is not a word broken in the middle)
_WORD_BREAKS = re.compile(r"[ \t\n]+|(?<=[-/])(?=\w)")
HEADER_SAFETY = 1.30
"""Header words are measured this much wider than in Calibri: LibreOffice without Carlito (most Linux
machines, and so `qualcode export pdf`) sets Calibri in DejaVu Sans, whose bold is 1.27 to 1.34 times as
wide ("Togeth/er" otherwise; the cell padding, PAD, covers the rest). Headers are few and short."""
SHORT_LABEL = 14  # row labels up to this many characters ("LSP A") are kept on one line


def _longest_word(texts, bold: bool, whole_upto: int = 0) -> int:
    best = 0
    for t in texts:
        if whole_upto and len(t) <= whole_upto and "\n" not in t:
            best = max(best, measure(t, bold))
            continue
        for w in _WORD_BREAKS.split(t):
            if w:
                best = max(best, measure(w, bold))
    return best


def minimum_widths(grid: Grid, columns: list[int] | None = None, rows: list[int] | None = None) -> list[int]:
    """The narrowest each column can be (twips) without breaking a word of its header or cells."""
    columns = list(range(len(grid.headers))) if columns is None else columns
    rows = list(range(len(grid.rows))) if rows is None else rows
    return _measured(grid, columns, rows)[0]


def _measured(grid: Grid, columns: list[int], rows: list[int]) -> tuple[list[int], list[int]]:
    sample = rows[:300]
    minimum, preferred = [], []
    for j in columns:
        lead = j < grid.index_columns
        head = int(_longest_word([grid.headers[j]], True) * HEADER_SAFETY)
        texts = [grid.text(i, j) for i in sample]
        longest_word = _longest_word(texts, lead, SHORT_LABEL if lead else 0)
        lengths = sorted(measure(t, lead) for t in texts) or [0]
        typical = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
        need = max(head, min(max(longest_word, 300), 40 * 100))
        minimum.append(max(MIN_COL, need + PAD))
        preferred.append(max(minimum[-1], min(typical, 70 * 95) + PAD))
    return minimum, preferred


def header_widths(grid: Grid, columns: list[int]) -> list[int]:
    """The narrowest each column can be (twips) without breaking a word of its header."""
    return [max(MIN_COL, int(_longest_word([grid.headers[j]], True) * HEADER_SAFETY) + PAD) for j in columns]


def _widths(grid: Grid, columns: list[int], rows: list[int], total: int) -> list[int]:
    """Column widths (twips) summing to ``total``: no column narrower than its longest word (measured
    in Calibri's widths) when the page allows, the rest shared out by how much text each holds."""
    minimum, preferred = _measured(grid, columns, rows)
    if sum(preferred) <= total:
        scale = total / sum(preferred)
        widths = [int(w * scale) for w in preferred]
    elif sum(minimum) <= total:
        # row labels first get the width they prefer, if the others can still have their minimum
        lead = [k for k, j in enumerate(columns) if j < grid.index_columns]
        base = list(minimum)
        if sum(preferred[k] for k in lead) + sum(m for k, m in enumerate(minimum) if k not in lead) <= total:
            for k in lead:
                base[k] = preferred[k]
        spare = total - sum(base)
        extra = [max(0, p - b) for p, b in zip(preferred, base)]
        widths = [int(b + spare * e / (sum(extra) or 1)) for b, e in zip(base, extra)]
    elif sum(heads := header_widths(grid, columns)) <= total:
        # the cells' longest words do not all fit: no header word is broken; the cells share the rest
        spare = total - sum(heads)
        extra = [max(0, m - h) for m, h in zip(minimum, heads)]
        widths = [int(h + spare * e / (sum(extra) or 1)) for h, e in zip(heads, extra)]
    else:  # too many columns for their words: the row labels keep their width, the rest shrink
        lead = [k for k, j in enumerate(columns) if j < grid.index_columns]
        fixed = min(sum(preferred[k] for k in lead), int(total * 0.35))
        others = sum(w for k, w in enumerate(minimum) if k not in lead) or 1
        scale = (total - fixed) / others
        lead_scale = fixed / (sum(preferred[k] for k in lead) or 1)
        widths = [int(preferred[k] * lead_scale) if k in lead else int(w * scale) for k, w in enumerate(minimum)]
    return widths


KEEP = "<w:keepNext/>"
"""On the last row's paragraphs: the row stays on the page of what follows the table (its note),
in Word and in LibreOffice, so a note never starts a page alone."""


def _paragraphs(text: str, right: bool, keep: str = "") -> str:
    jc = '<w:jc w:val="right"/>' if right else ""
    ppr = f'<w:pPr><w:pStyle w:val="TableText"/>{keep}{jc}</w:pPr>'
    parts = []
    for line in (text.split("\n") if text else [""]):
        run = f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else ""
        parts.append(f"<w:p>{ppr}{run}</w:p>")
    return "".join(parts)


_RUN_PROPS = {
    "text": "",
    "memo": "",
    "quote": "<w:rPr><w:i/></w:rPr>",
    "attribution": '<w:rPr><w:color w:val="595959"/><w:sz w:val="15"/></w:rPr>',
}


def _rich(parts: list[tuple[str, str]], keep: str = "") -> str:
    out = []
    for kind, text in parts:
        spacing = '<w:spacing w:after="60"/>' if kind in ("attribution", "memo") else ""
        ppr = f'<w:pPr><w:pStyle w:val="TableText"/>{keep}{spacing}</w:pPr>'
        out.append(f'<w:p>{ppr}<w:r>{_RUN_PROPS.get(kind, "")}<w:t xml:space="preserve">'
                   f"{escape(clean_text(text))}</w:t></w:r></w:p>")
    return "".join(out) or _paragraphs("", False, keep)


def table_xml(grid: Grid, *, style_id: str, width: int, columns: list[int] | None = None,
              rows: list[int] | None = None) -> str:
    """The ``w:tbl`` XML for ``grid`` (``width`` in EMU; ``columns``/``rows`` select a part)."""
    columns = list(range(len(grid.headers))) if columns is None else columns
    rows = list(range(len(grid.rows))) if rows is None else rows
    widths = _widths(grid, columns, rows, int(width * TWIPS_PER_EMU))
    first_col = 1 if grid.index_columns else 0
    total_row = grid.attrs.get("total")
    last_row = 1 if total_row and rows and rows[-1] == len(grid.rows) - 1 and grid.rows[-1][0] == total_row else 0
    look = 0x0020 | 0x0400 | (0x0080 if first_col else 0) | (0x0040 if last_row else 0)
    out = [
        f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val=\"{style_id}\"/>",
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>',
        f'<w:tblLook w:val="{look:04X}" w:firstRow="1" w:lastRow="{last_row}" w:firstColumn="{first_col}" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
    ]
    named = set(grid.attrs.get("right") or ())  # columns of numbers set as text (">0.999", "1 (<0.1%)")
    right = [grid.numeric[j] or grid.headers[j] in named for j in range(len(grid.headers))]
    for j, w in zip(columns, widths):
        text = clean_text(grid.headers[j])
        out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{_paragraphs(text, right[j])}</w:tc>')
    out.append("</w:tr>")
    for i in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        keep = KEEP if i == rows[-1] else ""
        for j, w in zip(columns, widths):
            rich = grid.rich.get((i, j)) if grid.rich else None
            body = _rich(rich, keep) if rich is not None else _paragraphs(grid.text(i, j), right[j], keep)
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{body}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def add_table(doc, grid: Grid, *, style: str, width: int, columns: list[int] | None = None,
              rows: list[int] | None = None) -> Table:
    """Append the table to the end of ``doc``'s body and return it as a python-docx Table."""
    style_id = doc.styles[style].style_id
    tbl = parse_xml(table_xml(grid, style_id=style_id, width=width, columns=columns, rows=rows))
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(tbl)
    else:
        body.append(tbl)
    return Table(tbl, doc._body)
