"""Word building blocks: the document and its styles, fields (TOC, SEQ, PAGE), captions, sections.

Everything here writes real Word structures (styles, complex fields, section properties) so the
document behaves in Word and LibreOffice as if typed there: the contents update, captions number
themselves, wide tables sit on landscape pages.
"""

from __future__ import annotations

import re
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qualcode.export.frame import clean_text

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.2)
TABLE_STYLE = "Light List Accent 1"
ACCENT = RGBColor(0x1F, 0x4E, 0x79)


def new_document(title: str, subject: str = "") -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    props = doc.core_properties
    props.title = clean_text(title)
    props.subject = clean_text(subject)
    props.author = "qualcode"
    _styles(doc)
    _update_fields_on_open(doc)
    _footer(section)
    return doc


def _styles(doc: Document) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    styles["Caption"].font.size = Pt(10)
    styles["Caption"].font.bold = True
    styles["Caption"].font.color.rgb = ACCENT
    styles["Caption"].paragraph_format.space_before = Pt(6)
    styles["Caption"].paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True
    for level in (1, 2, 3):  # a heading never ends a page: it stays with what follows
        styles[f"Heading {level}"].paragraph_format.keep_with_next = True
        styles[f"Heading {level}"].paragraph_format.keep_together = True
    styles["TOC Heading"].paragraph_format.page_break_before = False  # it is based on Heading 1
    quote = styles["Quote"]
    quote.paragraph_format.left_indent = Cm(1)
    quote.paragraph_format.right_indent = Cm(1)
    quote.paragraph_format.space_after = Pt(2)
    quote.paragraph_format.keep_with_next = True
    quote.paragraph_format.keep_together = True  # a quotation is not split from its attribution
    _add_style(doc, "Quote Attribution", "Quote", size=9, italic=False, align=WD_ALIGN_PARAGRAPH.RIGHT,
               space_after=10, keep_with_next=False)
    _add_style(doc, "Table Text", "Normal", size=9, space_after=0)
    _add_style(doc, "Table Note", "Normal", size=9, italic=True, space_after=10)
    # a note is never split: with the table's last row kept with it (``docx_table.KEEP``), it follows
    # its table whole, never a page holding only its last lines
    styles["Table Note"].paragraph_format.keep_together = True
    _add_style(doc, "Notice", "Normal", size=10, space_after=8)
    for level, indent in ((1, 0), (2, 0.5), (3, 1.0)):
        style = _add_style(doc, f"toc {level}", "Normal", space_after=2 if level > 1 else 4,
                           bold=level == 1, indent=indent)
        style.element.set(qn("w:styleId"), f"TOC{level}")
    _add_style(doc, "table of figures", "Normal", space_after=2).element.set(qn("w:styleId"), "TableofFigures")


def _add_style(doc, name, base, *, size=None, italic=None, bold=None, align=None, space_after=None,
               keep_with_next=None, indent=None):
    styles = doc.styles
    try:
        return styles[name]
    except KeyError:
        pass
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    if size is not None:
        style.font.size = Pt(size)
    if italic is not None:
        style.font.italic = italic
    if bold is not None:
        style.font.bold = bold
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if space_after is not None:
        fmt.space_after = Pt(space_after)
        fmt.space_before = Pt(0)
    if keep_with_next is not None:
        fmt.keep_with_next = keep_with_next
    if indent is not None:
        fmt.left_indent = Cm(indent)
    return style


def _update_fields_on_open(doc: Document) -> None:
    """Ask Word to update the fields (contents, caption numbers) when the file is opened."""
    settings = doc.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        settings.append(el)
    el.set(qn("w:val"), "true")


def _footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(p, "PAGE", "1")
    for run in p.runs:
        run.font.size = Pt(9)


# -- paragraphs ----------------------------------------------------------------------------------
def style_id(doc, name: str) -> str:
    """The style id for a style name, looked up once per document (python-docx looks it up on
    every assignment, a few milliseconds each)."""
    cache = doc.__dict__.setdefault("_qualcode_style_ids", {})
    if name not in cache:
        cache[name] = doc.styles[name].style_id
    return cache[name]


_CODE_SPAN = re.compile(r"`([^`]+)`")


def prose(text: str) -> str:
    """Markdown code spans as a reader sees them in Word: `qualcode check` -> “qualcode check”."""
    return _CODE_SPAN.sub("\u201c\\1\u201d", text) if "`" in text else text


def para(doc, text: str = "", style: str | None = None):
    """``doc.add_paragraph(text, style)``, fast (Markdown backticks become quotation marks)."""
    p = doc.add_paragraph(prose(text))
    if style:
        p._p.get_or_add_pPr().style = style_id(doc, style)
    return p


def heading(doc, text: str, level: int):
    return para(doc, text, "Title" if level == 0 else f"Heading {level}")


# -- fields --------------------------------------------------------------------------------------
def _fld_char(kind: str, dirty: bool = False):
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if dirty:
        el.set(qn("w:dirty"), "true")
    return el


def field_begin(paragraph, instruction: str, dirty: bool = False) -> None:
    r = paragraph.add_run()
    r._r.append(_fld_char("begin", dirty))
    r = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r._r.append(instr)
    paragraph.add_run()._r.append(_fld_char("separate"))


def field_end(paragraph) -> None:
    paragraph.add_run()._r.append(_fld_char("end"))


def add_field(paragraph, instruction: str, result: str, dirty: bool = False):
    """A complex field with a cached ``result`` (what shows until the field is updated)."""
    field_begin(paragraph, instruction, dirty)
    run = paragraph.add_run(result)
    field_end(paragraph)
    return run


def add_contents(doc: Document, entries: list[tuple[int, str]], *, levels: str = "1-2",
                 instruction: str | None = None, empty: str = "", before=None) -> list:
    """A TOC field whose cached result already lists ``entries`` ((level, text)), without page numbers.

    Word rebuilds it with page numbers on open (``updateFields``); until then, and in viewers that
    do not update fields, the list of headings shows. ``before``: a paragraph to put it in front of
    (default: the end of the document). Returns the paragraphs.
    """
    instruction = instruction or f'TOC \\o "{levels}" \\h \\z \\u'
    shown = entries or [(1, empty or "Right-click and choose Update Field to build the contents.")]
    figures = "\\c" in instruction
    paragraphs = []
    for i, (level, text) in enumerate(shown):
        p = para(doc, "", "table of figures" if figures else f"toc {min(max(level, 1), 3)}")
        if i == 0:
            field_begin(p, instruction, dirty=True)
        p.add_run(clean_text(text))
        if i == len(shown) - 1:
            field_end(p)
        paragraphs.append(p)
    if before is not None:
        for p in paragraphs:
            before._p.addprevious(p._p)
    return paragraphs


def add_caption(doc, label: str, number: int, text: str, after_number: str = ""):
    """'Table 3. text' in the Caption style, numbered by a SEQ field (``after_number``: what follows the
    number, e.g. " (part 1 of 2)")."""
    p = para(doc, "", "Caption")
    p.add_run(f"{label} ")
    add_field(p, f"SEQ {label} \\* ARABIC", str(number))
    p.add_run(after_number + ". " + clean_text(text).rstrip("."))
    p.add_run(".")
    return p


# -- sections ------------------------------------------------------------------------------------
def set_orientation(section, landscape: bool) -> None:
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height


def new_section(doc: Document, landscape: bool):
    """Start a new page in a new section, portrait or landscape (headers and footers carry on)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    set_orientation(section, landscape)
    section.different_first_page_header_footer = False
    return section


def is_landscape(doc: Document) -> bool:
    return doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE


def text_height(doc: Document) -> int:
    """The height of the last section's page between its top and bottom margins (EMU)."""
    s = doc.sections[-1]
    return int(s.page_height - s.top_margin - s.bottom_margin)


def text_width(doc: Document) -> int:
    s = doc.sections[-1]
    return int(s.page_width - s.left_margin - s.right_margin)


def page_break(doc: Document) -> None:
    para(doc).add_run().add_break(WD_BREAK.PAGE)


def format_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def shade(paragraph, fill: str) -> None:
    """A coloured background and a left border for a notice paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for k, v in (("w:val", "single"), ("w:sz", "24"), ("w:space", "8"), ("w:color", "C55A11")):
        left.set(qn(k), v)
    borders.append(left)
    ppr.append(borders)
    shd = OxmlElement("w:shd")
    for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shd.set(qn(k), v)
    ppr.append(shd)
