"""What an outside tester saw in the Word pages of a real coded study (about a hundred codes on three
levels, long names, a second coder, numeric case attributes), on a project shaped like it
(``wide_study``): every finding here is what a reader of the report or the workbook notices."""

from __future__ import annotations

import re
from datetime import date

import docx
import pytest

from tests.export.conftest import W, caption_before, table_text

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMU_PER_INCH = 914400


@pytest.fixture(scope="module")
def drawn(wide_template, tmp_path_factory):
    """(project, report path, the charts drawn: for each, its rows and its column labels)."""
    import matplotlib.axes

    from qualcode.export import charts
    from qualcode.export.docx_report import write_report
    from tests.export.wide_study import copy

    project = copy(wide_template, tmp_path_factory.mktemp("wide-report") / "pdp")
    seen: list[dict] = []
    draw, set_labels = charts.heatmap_png, matplotlib.axes.Axes.set_xticklabels

    def recording_draw(data, *a, **k):
        seen.append({"rows": [label for _, label, _ in data.rows], "columns": []})
        return draw(data, *a, **k)

    def recording_labels(self, labels, *a, **k):
        if seen:
            seen[-1]["columns"] = [str(x) for x in labels]
        return set_labels(self, labels, *a, **k)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(charts, "heatmap_png", recording_draw)
        mp.setattr(matplotlib.axes.Axes, "set_xticklabels", recording_labels)
        path = write_report(project, project.root / "exports" / "r.docx", today=date(2024, 5, 1), memos=None)
    yield project, path, seen
    project.close()


def _body_blocks(doc):
    """The body's paragraphs and tables in order, each with the section it is in."""
    out, section = [], 0
    for el in doc.element.body.iterchildren():
        out.append((el, section))
        if el.tag == W + "p" and el.find(f"{W}pPr/{W}sectPr") is not None:
            section += 1
    return out


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


def _figures(doc):
    """(image height in inches, the section's height between its margins in inches, the paragraph
    after the image, the image paragraph) for every picture in the body."""
    out = []
    blocks = _body_blocks(doc)
    for k, (el, section) in enumerate(blocks):
        extent = next(el.iter(WP + "extent"), None) if el.tag == W + "p" else None
        if extent is None:
            continue
        s = doc.sections[section]
        room = (s.page_height - s.top_margin - s.bottom_margin) / EMU_PER_INCH
        out.append((int(extent.get("cy")) / EMU_PER_INCH, room, blocks[k + 1][0], el))
    return out


def _key_table_rows(doc, title: str) -> list[str]:
    for t in doc.tables:
        if title in caption_before(t):
            return [r[0].strip() for r in table_text(t)[1:] if r[0].strip() != "Total"]
    raise AssertionError(f"no table {title!r}")


# -- 1. Figure 1 shows every row of Table 1, on pages it fits ---------------------------------------
def test_the_key_figure_shows_every_row_of_its_table_in_captioned_parts(drawn):
    project, path, seen = drawn
    doc = docx.Document(str(path))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure 1")]
    n = len(captions)
    assert n > 1, captions  # about a hundred rows do not fit one page
    assert [c.split(".")[0] for c in captions] == [f"Figure 1 (part {k} of {n})" for k in range(1, n + 1)]
    title = captions[0].split(". ", 1)[1].split(":")[0]  # "Codes by sector (cases)"
    rows = _key_table_rows(doc, title)
    assert len(rows) > 80
    drawn_rows = [r for chart in seen[:n] for r in chart["rows"]]
    assert [r.rstrip("\u2026") for r in drawn_rows] == rows  # every row, in the table's order
    assert "this part shows rows 1 to" in captions[0] and f"of {len(rows)}." in captions[-1]


def test_no_figure_is_taller_than_its_page_and_each_keeps_its_caption(drawn):
    _, path, _ = drawn
    doc = docx.Document(str(path))
    figures = _figures(doc)
    assert figures
    for height, room, after, image in figures:
        # the picture and a caption of up to three lines (10 pt) fit between the margins
        assert height + 3 * 0.19 + 0.25 <= room, (height, room)
        assert _text(after).startswith("Figure ")  # the caption right under it
        ppr = image.find(f"{W}pPr")
        assert ppr is not None and ppr.find(f"{W}keepNext") is not None  # and kept on the same page


# -- 6. column labels are broken at spaces only ------------------------------------------------------
def test_the_charts_column_labels_break_between_words(drawn):
    project, _, seen = drawn
    values = {r.strip() for r in (project.root / "cases.csv").read_text("utf-8").splitlines()[1:]
              for r in [r.split(",")[2]]}
    role_chart = next(c for c in seen if any("Analyste" in x for x in c["columns"]))
    for label in role_chart["columns"]:
        lines = label.split("\n")
        value = " ".join(line for line in lines if not line.startswith("(n ="))
        assert value in values, (label, values)  # the lines, put back with spaces, are the value whole
        words = value.split(" ")
        assert all(re.fullmatch(r"\(n = \d+\)", line) or all(w in words for w in line.split(" "))
                   for line in lines), label


# -- 2. the respondent's words are quoted, never the interviewer's question ---------------------------
def _quotes(doc) -> list[tuple[str, str]]:
    """(quotation, attribution) pairs of the report's Coded material."""
    paragraphs = doc.paragraphs
    return [(p.text, paragraphs[k + 1].text) for k, p in enumerate(paragraphs)
            if p.style.name == "Quote" and k + 1 < len(paragraphs)
            and paragraphs[k + 1].style.name == "Quote Attribution"]


def test_coded_material_quotes_the_answer_of_a_coded_question_and_answer(drawn):
    project, path, _ = drawn
    doc = docx.Document(str(path))
    quotes = _quotes(doc)
    assert len(quotes) > 100
    for text, said_by in quotes:
        assert "interviewer" not in said_by, (text, said_by)
        assert "what do you think about the plots" not in text and "how you use PDPs" not in text, text
        assert "Dan:" not in text and "Participant:" not in text, text
    # a code only ever coded as question and answer: its quotes are the answers
    from tests.export.wide_study import codes

    exchange_only = [c for n, c in enumerate(c for c in codes() if c.parent is not None) if n % 7 == 0]
    names = {p.text: k for k, p in enumerate(doc.paragraphs) if p.style.name == "Heading 3"}
    k = names[exchange_only[1].name]
    assert doc.paragraphs[k + 2].style.name == "Quote"
    assert doc.paragraphs[k + 2].text.startswith("\u201cAnswer ")
    assert "interviewer" not in doc.paragraphs[k + 3].text


def test_framework_cells_quote_the_respondents_words_without_labels(wide):
    from qualcode.analysis import framework_matrix

    df = framework_matrix(wide)
    quotes, said_by = df.attrs["quotes"], df.attrs["attributions"]
    pairs = [(q, a) for case in quotes for code in quotes[case]
             for q, a in zip(quotes[case][code], said_by[case][code])]
    assert len(pairs) > 100
    for q, a in pairs:
        assert "Dan:" not in q and "Participant:" not in q, q
        assert not q.startswith("Question "), q
        assert "interviewer" not in a.lower() and " and " not in a, a
    cells = [str(v) for v in df.to_numpy().ravel() if v]
    assert not any("Dan:" in c or "Participant:" in c for c in cells)
    # the P8 exchange (question, then an answer with accents): the answer, whole, attributed to P8
    p8 = quotes["P8"][next(c for c in quotes["P8"] if c == "usage")]
    assert p8[0].startswith("Sure, we call them dependence curves at our café in Zürich")
    assert said_by["P8"]["usage"] == ["(P8, Participant)"]


# -- 3. words coded are words said: a coding across turns does not count the speaker labels ------------
def test_words_coded_count_the_words_said_not_the_speaker_labels(wide, tmp_path, capsys):
    import json

    import openpyxl

    from qualcode.analysis import case_matrix, crosstab, frequencies
    from qualcode.analysis.frequency import frequency_table
    from qualcode.cli.main import main
    from qualcode.domain.transcript import count_words
    from qualcode.export.tables_out import write_xlsx

    t = wide.transcript("P8")
    (coding,) = [c for c in wide.codings("kerrigan") if c.code == "usage"]
    question, answer = t.turns[0], t.turns[1]
    assert coding.quote.startswith("Dan: Could you") and "\n\nParticipant: Sure" in coding.quote  # the whole exchange
    said = count_words(t.text[question.text_start:question.end]) + count_words(t.text[answer.text_start:answer.end])
    assert count_words(coding.quote) == said + 2  # "Dan" and "Participant"
    # the frame and the plain table (`qualcode table frequencies`) agree, and count what was said
    assert frequencies(wide).loc["usage", "words coded"] == said
    plain = frequency_table(wide)
    assert plain.rows[plain.index.index("usage")][3] == said
    assert case_matrix(wide, value="words").loc["P8", "usage"] == said
    assert crosstab(wide, "usage", "attr:sector", by="words").loc["usage", "Finance"] == said
    # a coding within one turn's words counts as before
    inside = next(c for c in wide.codings("kerrigan") if c.code != "usage" and not c.quote.startswith("Dan:"))
    assert frequencies(wide, codes=inside.code).loc[inside.code, "words coded"] == sum(
        count_words(c.quote) for c in wide.codings("kerrigan") if c.code == inside.code
        and not c.quote.startswith("Dan:"))
    # what a reader sees: the XLSX sheet and the command line
    book = openpyxl.load_workbook(write_xlsx(wide, tmp_path / "t.xlsx", tables=["frequencies"]))
    sheet = next(ws for ws in book.worksheets if ws.title != "About")
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and "words coded" in r)
    row = next(r for r in rows if r and "usage" in r)
    assert row[header.index("words coded")] == said
    with pytest.raises(SystemExit):
        main(["--project", str(wide.root), "table", "frequencies", "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert next(r for r in printed["rows"] if r["id"] == "usage")["words coded"] == said


# -- 4. agreement: the units beside the shares, and never 1.000 unless exact --------------------------
@pytest.fixture
def once(tmp_path):
    """A long interview (2,400 sentences) where kerrigan codes one sentence "rare" and ana never does;
    both code the same ten sentences "common" (exact agreement)."""
    from qualcode.domain.codebook import Code, Codebook
    from qualcode.services.project_ops import init_project
    from qualcode.store.config import save_config
    from qualcode.store.project import Project

    project = init_project(tmp_path / "once")
    project.config.default_coder = "kerrigan"
    project.config.coders = ["kerrigan", "ana"]
    save_config(project.root, project.config)
    turns = []
    for q in range(200):
        turns.append(f"Dan: Question {q}?")
        turns.append("Participant: " + " ".join(f"Sentence {q}-{k} is said here." for k in range(11)))
    head = "---\nid: P1\nspeakers:\n  Dan: interviewer\n  Participant: respondent\n---\n"
    (project.transcripts_dir / "P1.txt").write_text(head + "\n\n".join(turns) + "\n", encoding="utf-8")
    project.close()
    project = Project.open(tmp_path / "once", search=False)
    project.set_codebook(Codebook(codes=[Code(id="rare", name="Rare code"), Code(id="common", name="Common code")]))
    text = project.transcript("P1").text

    def span(needle):
        s = text.index(needle)
        return s, s + len(needle)

    project.session("kerrigan").add_many([("P1", *span("Sentence 5-3 is said here."), "rare")]
                                         + [("P1", *span(f"Sentence {q}-1 is said here."), "common") for q in range(10)])
    project.session("ana").add_many([("P1", *span(f"Sentence {q}-1 is said here."), "common") for q in range(10)])
    project.close()
    p = Project.open(tmp_path / "once", search=False)
    yield p
    p.close()


def test_agreement_shows_the_units_coded_and_never_rounds_up_to_one(once, capsys):
    from qualcode.cli.main import main
    from qualcode.export.docx_report import write_report

    doc = docx.Document(str(write_report(once, once.root / "exports" / "r.docx", tables=["frequencies"],
                                         memos=None, resamples=200)))
    table = next(t for t in doc.tables if caption_before(t).startswith("Table") and "agreement" in caption_before(t))
    rows = [[cell.replace("\u00a0", " ") for cell in row] for row in table_text(table)]  # no-break spaces: one line
    header = rows[0]
    rare = next(r for r in rows if r[0] == "Rare code")
    common = next(r for r in rows if r[0] == "Common code")
    assert rare[header.index("kerrigan coded")] == "1 (<0.1%)"  # not "0.0%": one sentence was coded
    assert rare[header.index("ana coded")] == "0 (0.0%)"
    assert rare[header.index("Agreement")] == ">0.999"  # 2,599 of 2,600: not 1.000
    assert rare[header.index("AC1")] == ">0.999"
    assert common[header.index("Agreement")] == "1.000" and common[header.index("kerrigan coded")] == "10 (0.4%)"
    note = "".join(t.text or "" for t in table._tbl.getnext().iter(W + "t"))
    assert ">0.999 when it is above 0.999 but not 1" in note and "the units they coded and their share" in note
    # `qualcode agree` prints the same coefficients
    with pytest.raises(SystemExit):
        main(["--project", str(once.root), "agree", "--coders", "kerrigan,ana", "--resamples", "0"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("rare "))
    assert ">0.999" in line and "1.000" not in line


# -- 5. numbers as numbers in the workbook; 7. sheet names a reader understands -------------------------
@pytest.fixture(scope="module")
def workbook(wide_template, tmp_path_factory):
    import openpyxl

    from qualcode.export.tables_out import write_xlsx
    from tests.export.wide_study import copy

    project = copy(wide_template, tmp_path_factory.mktemp("wide-xlsx") / "pdp")
    long_code = next(c for c in project.codebook.walk() if c.name.startswith("Outliers, overfitting"))
    tables = ["standard", "quotes=techniques.s0", f"quotes={long_code.id}", "crosstab=techniques.s0/attr:role",
              "crosstab=purposes.s1/attr:team_size", "cooccurrence", "framework"]
    wb = openpyxl.load_workbook(write_xlsx(project, project.root / "exports" / "t.xlsx", tables=tables))
    yield project, wb, long_code
    project.close()


def _header_row(ws) -> int:
    return next(r for r in range(1, 5) if ws.cell(r, 1).value in ("case", "coding", "code", "id"))


def test_numeric_case_attributes_are_numbers_in_the_workbook(workbook):
    _, wb, _ = workbook
    cases = wb["Cases"]
    h = _header_row(cases)
    header = [c.value for c in cases[h]]
    first = [c.value for c in cases[h + 1]]
    assert first[header.index("years_experience")] == 2 and first[header.index("team_size")] == 3  # numbers
    assert first[header.index("case")] == "P1" and first[header.index("role")] == "Data scientist"  # text
    segments = next(ws for ws in wb.worksheets if ws["A1"].value and str(ws["A1"].value).startswith("Coded segments"))
    h = _header_row(segments)
    header = [c.value for c in segments[h]]
    values = [c.value for c in segments[h + 1]]
    assert isinstance(values[header.index("years_experience")], int)
    assert isinstance(values[header.index("team_size")], int)
    assert isinstance(values[header.index("transcript")], str) and isinstance(values[header.index("coding")], str)


def test_sheet_names_are_short_readable_titles_and_the_full_title_is_on_the_sheet(workbook):
    project, wb, long_code = workbook
    names = wb.sheetnames[1:]
    ids = [c.id for c in project.codebook.walk() if "." in c.id]
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert len(name) <= 31
        assert name.count("(") == name.count(")"), name  # never an unclosed bracket
        assert not any(i in name for i in ids) and "attr" not in name, name  # names, not code ids
    about = {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True) if row and row[0] in names}
    for name in names:
        assert wb[name]["A1"].value == about[name]  # the full title in the sheet's first row, as About lists it
    book = project.codebook
    s0 = book.get("techniques.s0").name
    segment_sheets = [n for n in names if about[n].startswith("Coded segments: ")]
    assert sorted(about[n] for n in segment_sheets) == sorted(
        [f"Coded segments: {s0}", f"Coded segments: {long_code.name}"])
    assert all(n.startswith("Segments - ") for n in segment_sheets)
    assert any(n.startswith("Segments - Outliers") for n in segment_sheets)
    assert "Co-occurrence (overlapping)" in names and "Code co-occurrence (overlapping codings)" in about.values()
    crosstabs = [n for n in names if about[n].endswith("(cases)")]
    assert sorted(about[n] for n in crosstabs) == sorted([f"{s0} by role (cases)",
                                                          f"{book.get('purposes.s1').name} by team size (cases)"])
    assert all(n.endswith("(cases)") for n in crosstabs)  # cut in the middle: both ends kept


# -- 8. the themes table says whose codings it adds up ----------------------------------------------
def test_the_themes_table_says_it_pools_the_coders(wide):
    from qualcode.export.docx_report import write_report
    from tests.export.conftest import note_after

    doc = docx.Document(str(write_report(wide, wide.root / "exports" / "b.docx", coders=["kerrigan", "ana"],
                                         tables=["frequencies"], agreement=False, memos=None)))
    table = next(t for t in doc.tables if "Top-level themes" in caption_before(t))
    n_k, n_a = len(wide.codings("kerrigan")), len(wide.codings("ana"))
    rows = table_text(table)
    assert sum(int(r[-1].replace(",", "")) for r in rows[1:]) == n_k + n_a  # both coders' codings, added up
    note = note_after(table)
    assert "kerrigan and ana pooled" in note
    assert f"kerrigan: {n_k} codings" in note and f"ana: {n_a} codings" in note
