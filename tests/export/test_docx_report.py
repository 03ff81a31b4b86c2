"""The Word report of the bundled study, opened with python-docx."""

from __future__ import annotations

import re

import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tests.export.conftest import W, caption_before, note_after, section_of_tables, table_text


def _instructions(doc) -> list[str]:
    return [el.text for el in doc.element.body.iter(W + "instrText")]


def _table_titled(doc, start: str):
    for t in doc.tables:
        if caption_before(t).startswith("Table") and start in caption_before(t):
            return t
    raise AssertionError(f"no table with a caption containing {start!r}: "
                         f"{[caption_before(t) for t in doc.tables]}")


def test_title_page_names_the_project_and_says_the_data_are_illustrative(study_report, report_doc):
    project, _ = study_report
    paras = report_doc.paragraphs
    assert paras[0].style.name == "Title"
    assert paras[0].text == project.config.name
    first_page = " ".join(p.text for p in paras[:8])
    assert "1 May 2024" in first_page
    assert "Illustrative data." in first_page
    assert "All 9 transcripts" in first_page and "not real interview data" in first_page


def test_contents_is_a_word_toc_field_that_updates_on_open(report_doc):
    instructions = _instructions(report_doc)
    assert any(re.search(r'TOC \\o "1-2" \\h \\z \\u', i) for i in instructions)
    assert any('TOC \\h \\z \\c "Table"' in i for i in instructions)
    update = report_doc.settings.element.find(W + "updateFields")
    assert update is not None and update.get(W + "val") == "true"
    toc_entries = [p.text for p in report_doc.paragraphs if p.style.name.lower() == "toc 1"]
    assert "Methods" in toc_entries and "Results" in toc_entries and "Appendix A. Codebook" in toc_entries


def test_every_table_has_a_numbered_caption_with_a_seq_field(report_doc):
    seq = [i for i in _instructions(report_doc) if i.strip().startswith("SEQ Table")]
    captions = [p for p in report_doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Table ")
                and "(continued" not in p.text]
    assert len(seq) == len(captions) >= 8
    numbers = [int(re.match(r"Table (\d+)\. ", p.text).group(1)) for p in captions]
    assert numbers == list(range(1, len(numbers) + 1))
    for t in report_doc.tables:
        assert caption_before(t).startswith("Table ")


def test_tables_use_a_word_table_style_and_repeat_their_header_row(report_doc):
    assert report_doc.tables
    for t in report_doc.tables:
        assert t.style is not None and t.style.name == "Light List Accent 1"
        first = t.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        for row in t.rows[1:3]:
            assert row._tr.find(f"{W}trPr/{W}tblHeader") is None


def test_frequencies_table_matches_the_analysis_and_numbers_are_right_aligned(study_report, report_doc):
    from qualcode.analysis import frequencies

    project, _ = study_report
    expected = frequencies(project)
    t = _table_titled(report_doc, "Code frequencies")
    rows = table_text(t)
    header = rows[0]
    assert header == ["code", "codings", "words coded", "transcripts", "cases"]  # the id column is left out
    assert len(rows) - 1 == len(expected)
    by_name = {r[0].strip(): r for r in rows[1:]}
    for code_id, rec in expected.iterrows():
        got = by_name[rec["code"].strip()]
        assert got[1] == f"{rec['codings']:,}"
        assert got[2] == f"{rec['words coded']:,}"
    for row in t.rows[1:]:
        assert row.cells[0].paragraphs[0].alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)
        for cell in row.cells[1:]:
            assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert t.rows[0].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_wide_tables_sit_in_landscape_sections_and_narrow_ones_in_portrait(report_doc):
    sections = report_doc.sections
    where = section_of_tables(report_doc)
    matrix = _table_titled(report_doc, "Codes by case")
    assert len(matrix.columns) > 7
    k = [t._tbl for t in report_doc.tables].index(matrix._tbl)
    assert sections[where[k]].orientation == WD_ORIENT.LANDSCAPE
    assert sections[where[k]].page_width > sections[where[k]].page_height
    freq = _table_titled(report_doc, "Code frequencies")
    k = [t._tbl for t in report_doc.tables].index(freq._tbl)
    assert sections[where[k]].orientation == WD_ORIENT.PORTRAIT
    assert sections[-1].orientation == WD_ORIENT.PORTRAIT  # the appendix


def test_the_case_by_code_matrix_names_its_codes_as_rows_and_fits_one_table(study_report, report_doc):
    from qualcode.analysis import case_matrix

    project = study_report[0]
    expected = case_matrix(project)
    book = project.codebook
    parts = [t for t in report_doc.tables if "Codes by case" in caption_before(t)]
    assert len(parts) == 1  # nine cases across, not forty code ids in four parts
    rows = table_text(parts[0])
    assert rows[0] == ["Code", *expected.index]
    # every code used, under its own theme: a theme not coded itself keeps its (empty) row
    shown = [c.id for c in book.walk() if c.id in set(expected.columns)
             or set(book.descendants(c.id)) & set(expected.columns)]
    assert [r[0] for r in rows[1:]] == ["  " * book.depth(c) + book.get(c).name for c in shown]
    assert {"recruitment", "statutory"} <= set(shown) - set(expected.columns)  # themes not coded themselves
    recruitment = next(r for r in rows if r[0] == book.get("recruitment").name)
    assert recruitment[1:] == [""] * len(expected.index)
    opened = [r[0] for r in rows].index("  " + book.get("recruitment.open").name)
    assert [r[0] for r in rows][opened - 1] == book.get("recruitment").name  # not under representation
    assert "empty row" in note_after(parts[0])
    within = next(r for r in rows if r[0].strip() == book.get("statutory.framework.within").name)
    assert within[1:] == [str(v) for v in expected["statutory.framework.within"]]


def test_methods_describe_transcripts_codebook_coders_and_agreement(study_report, report_doc):
    text = "\n".join(p.text for p in report_doc.paragraphs)
    assert "The project holds 9 transcripts" in text
    assert "47 codes on 3 levels: 9 top-level themes" in text
    assert "researcher_a coded all 9 transcripts" in text
    assert "researcher_b coded 5 of the 9 transcripts (lsp-a, lsp-c, lsp-e, lsp-g, lsp-h)" in text
    transcripts = _table_titled(report_doc, "The transcripts")
    rows = table_text(transcripts)
    assert len(rows) == 10 and rows[1][0] == "lsp-a" and rows[1][1] == "LSP A"
    themes = _table_titled(report_doc, "Top-level themes")
    assert [r[1] for r in table_text(themes)[1:]] == [c.id for c in study_report[0].codebook.roots]
    agreement = _table_titled(report_doc, "agreement")
    rows = table_text(agreement)
    assert {"alpha", "kappa", "AC1", "researcher_a coded"} <= set(rows[0])
    assert rows[-2][0] == "all codes, every code decision pooled"
    # on the page: the interval in one column, as `qualcode agree` prints it; no empty Note column
    ci = rows[0].index("alpha 95% CI")
    assert rows[1][ci].count("\u00a0to\u00a0") == 1 and "Note" not in rows[0]


def test_exemplar_quotes_use_the_quote_style_and_are_attributed_by_case_and_role(report_doc):
    paras = report_doc.paragraphs
    quotes = [i for i, p in enumerate(paras) if p.style.name == "Quote" and p.text.startswith("\u201c")]
    assert len(quotes) >= 30
    attributions = [paras[i + 1].text for i in quotes if paras[i + 1].style.name == "Quote Attribution"]
    assert len(attributions) >= 30
    assert all(re.match(r"\u2014 LSP [A-I], \S", a) for a in attributions), attributions[:5]
    assert any(a.startswith("\u2014 LSP C, VCS representative on the LSP board") for a in attributions)
    assert any(a == "\u2014 LSP A, LSP coordinator" for a in attributions)
    assert not any("Interviewer" in a or "interviewer" in a for a in attributions)


def test_charts_are_embedded_pictures_with_figure_captions(report_doc):
    assert len(report_doc.inline_shapes) >= 1
    figures = [p.text for p in report_doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert len(figures) == len(report_doc.inline_shapes)
    assert any("by equality framework" in f for f in figures)
    assert any(i.strip().startswith("SEQ Figure") for i in _instructions(report_doc))


def test_the_codebook_is_an_appendix_with_every_code(study_report, report_doc):
    book = study_report[0].codebook
    paras = report_doc.paragraphs
    start = next(i for i, p in enumerate(paras) if p.text == "Appendix A. Codebook")
    headings = {p.text for p in paras[start:] if p.style.name.startswith("Heading")}
    assert {c.name for c in book.codes} <= headings
    overview = [t for t in report_doc.tables if "The codebook" in caption_before(t)][0]
    rows = table_text(overview)
    assert [r[1].replace("\n", "") for r in rows[1:]] == [c.id for c in book.walk()]
    assert rows[0] == ["Code", "Id", "Key", "Codings"]


def test_progress_is_reported_to_the_end(study):
    from qualcode.export.docx_report import write_report

    seen = []
    write_report(study, study.root / "exports" / "r.docx", tables=["frequencies"], chart_by=["region"],
                 progress=lambda done, total, what: seen.append((done, total, what)))
    assert seen[0][0] == 0
    assert seen[-1][0] == seen[-1][1] and "written to" in seen[-1][2]
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)


def test_codebook_alone(study):
    import docx

    from qualcode.export import write_codebook_docx

    path = write_codebook_docx(study)
    assert path == study.root / "exports" / "codebook.docx"
    doc = docx.Document(str(path))
    book = study.codebook
    headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    names = [p.text for p in headings]
    for code in book.codes:
        assert code.name in names
    level = {p.text: int(p.style.name.split()[-1]) for p in headings}
    assert level[book.roots[0].name] == 1
    child = book.children(book.roots[0].id)[0]
    assert level[child.name] == 2
    text = "\n".join(p.text for p in doc.paragraphs)
    sample = book.get("monitoring.core_wider")
    assert " ".join(sample.definition.split()) in text
    assert "Include: " + " ".join(sample.include.split()) in text
    assert "Exclude: " + " ".join(sample.exclude.split()) in text
    assert "Keywords: " + ", ".join(sample.keywords) in text
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert " ".join(sample.examples[0].split()) in quotes
    overview = table_text(doc.tables[0])
    assert [r[1].replace("\n", "") for r in overview[1:]] == [c.id for c in book.walk()]


@pytest.mark.parametrize("spec", ["framework", "quotes=nrf", "crosstab=statutory.framework/attr:equality_framework"])
def test_other_tables_by_spec(study, spec):
    import docx

    from qualcode.export.docx_report import write_report

    path = write_report(study, study.root / "exports" / "r.docx", tables=[spec], chart_by=["region"])
    doc = docx.Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    if spec == "framework":
        parts = [t for t in doc.tables if "Framework matrix" in caption_before(t)]
        assert len(parts) >= 9  # one part (at least) per theme
        cells = [c for t in parts for row in t.rows[1:] for c in row.cells[1:]]
        italic = [r for c in cells for p in c.paragraphs for r in p.runs if r.italic]
        assert italic and italic[0].text.startswith("\u201c")
        assert any(p.text.startswith("\u2014 LSP ") for c in cells for p in c.paragraphs)
    elif spec.startswith("quotes="):
        assert "Coded segments" in text
        attributions = [p.text for p in doc.paragraphs if p.style.name == "Quote Attribution"]
        # what the caption promises: the case's attributes and the words around each passage
        assert any("coordinator" in a and "[" in a for a in attributions)
        facts = [p.text for p in doc.paragraphs if p.style.name == "Table Note" and p.text.startswith("LSP ")]
        assert facts and all("region: " in f for f in facts)
        assert "Coded segments: Neighbourhood Renewal Fund allocation" in text
        assert not any(a.endswith("(") or a.count("(") != a.count(")") for a in attributions)
        quotes = [p for p in doc.paragraphs if p.style.name == "Quote"]
        assert any(len(q.runs) == 3 and q.runs[1].bold and q.runs[0].text.startswith("\u2026")
                   and not q.runs[0].text.startswith("\u2026\u2026") for q in quotes)
    else:
        t = [t for t in doc.tables if "equalities framework by equality framework" in caption_before(t)][0]
        rows = table_text(t)
        assert rows[0][:3] == ["Code", "outside", "outside\u00a0%"]
        within = next(r for r in rows if r[0] == study.codebook.get("statutory.framework.within").name)
        assert within[1:5] == ["0", "0.0", "4", "100.0"]
        look = t._tbl.find(f"{W}tblPr/{W}tblLook")
        assert look.get(W + "lastRow") == "1"  # the Total row


def test_wide_crosstab_parts_keep_each_count_with_its_percentage(study):
    import docx

    from qualcode.export.docx_report import write_report

    path = write_report(study, study.root / "exports" / "w.docx", tables=["crosstab=codes/attr:region"],
                        memos=None, agreement=False, key_tables=False)
    parts = [t for t in docx.Document(str(path)).tables if "codes by attr:region" in caption_before(t).lower()
             or "Codes by region" in caption_before(t)]
    assert len(parts) > 1  # the study's regions do not fit one page across
    for part in parts:
        header = table_text(part)[0][1:]
        assert header[0].endswith("%") is False and header[-1].endswith("%")  # counts start, % end each part
        for k in range(0, len(header), 2):
            assert header[k + 1] == header[k] + "\u00a0%"


def test_last_row_keeps_with_the_note_and_a_figure_caption_does_not_hold_the_next_heading(report_doc):
    from docx.oxml.ns import qn

    for t in report_doc.tables:
        rows = t._tbl.findall(qn("w:tr"))
        assert all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in rows[-1].iter(qn("w:p")))
        if len(rows) > 2:
            assert not list(rows[-2].iter(qn("w:keepNext")))
    figures = [p for p in report_doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert figures and all(p.paragraph_format.keep_with_next is False for p in figures)


def test_quotation_context_has_no_space_before_punctuation():
    from qualcode.export.docx_kinds import after_quote

    assert after_quote(". Interviewer: and then") == ". Interviewer: and then"
    assert after_quote(", she said") == ", she said"
    assert after_quote("and then") == " and then"


def test_codebook_breaks_long_ids_after_a_dot_or_underscore_never_inside_a_word(study):
    import docx

    from qualcode.export.docx_codebook import ID_WIDTH, wrap_id
    from qualcode.export.docx_table import measure

    long_id = "outcomes.partnership_working.outcome_relationships_and_trust_between_partners_and_community_groups"
    lines = wrap_id(long_id).split("\n")
    assert "".join(lines) == long_id and len(lines) > 1
    assert all(line[-1] in "._" for line in lines[:-1]) and all(measure(line) <= ID_WIDTH for line in lines)
    assert wrap_id("monitoring.core_wider") == "monitoring.core_wider"
    from qualcode.export import write_codebook_docx

    cells = [r[1] for r in table_text(docx.Document(str(write_codebook_docx(study))).tables[0])[1:]]
    assert all(line[-1] in "._" for c in cells for line in c.split("\n")[:-1])
