"""What an outside tester found in the reports of a real coded study (PDPilot: long code names, codings
that run from the interviewer's question into the answer, seven cases): coded-segment listings that
quote speaker labels, a Framework sheet headed by code ids, heatmap rows whose cut names read the
same, and percentages of two-case groups given without a word of warning."""

from __future__ import annotations

import csv
from datetime import date

import docx
import pytest

from tests.export.conftest import caption_before, note_after

LABELS = ("Dan:", "Participant:", "Interviewer:", "Geoffrey Pryce:", "Alison Marsh:")


def _csv_rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _segments_csv(project, tmp_path, code: str) -> list[dict]:
    from qualcode.export.tables_out import write_csv

    files = write_csv(project, tmp_path / "tables", tables=[f"quotes={code}"])
    return _csv_rows(next(f for f in files if f.suffix == ".csv"))


def _exchanges(project) -> list:
    """kerrigan's codings of the wide study that start on the interviewer's question."""
    return [c for c in project.codings("kerrigan") if c.quote.startswith("Dan: ")]


# -- 1. coded segments: the words said, without speaker labels, and who said them ----------------------
def test_the_word_listing_of_coded_segments_quotes_the_answer_and_keeps_the_question_as_context(wide):
    from qualcode.export.docx_report import write_report

    code = "purposes.s0"
    exchanges = [c for c in _exchanges(wide) if c.code.startswith(code)]
    assert exchanges  # the listing holds codings of question and answer
    doc = docx.Document(str(write_report(wide, wide.root / "exports" / "s.docx", tables=[f"quotes={code}"],
                                         key_tables=False, agreement=False, memos=None, today=date(2024, 5, 1))))
    paragraphs = doc.paragraphs
    start = next(k for k, p in enumerate(paragraphs)
                 if p.style.name.startswith("Heading") and p.text.startswith("Coded segments:"))
    end = next(k for k, p in enumerate(paragraphs) if k > start and p.style.name == "Heading 1")
    listed = [(p, paragraphs[k + 1].text) for k, p in enumerate(paragraphs[start:end], start)
              if p.style.name == "Quote" and paragraphs[k + 1].style.name == "Quote Attribution"]
    assert len(listed) >= len(exchanges)
    asked = 0
    for p, said_by in listed:
        quoted = "".join(r.text for r in p.runs if r.bold)
        before = "".join(r.text for r in p.runs[:[r.bold for r in p.runs].index(True)])
        assert quoted.startswith("\u201cAnswer "), quoted  # the words said, not "Dan: Question 3 ..."
        assert not any(label in quoted for label in LABELS), quoted
        assert "Participant" in said_by and "Dan" not in said_by, said_by
        asked += "what do you think about the plots and the features?" in before
    assert asked >= len(exchanges)  # each coded question is there, in the context before its answer


def test_the_segments_spreadsheet_gives_the_words_said_with_their_speaker(wide, tmp_path):
    import openpyxl

    from qualcode.export.tables_out import write_xlsx

    code = "purposes.s0"
    spans = {c.id: (c.start, c.end) for c in _exchanges(wide) if c.code.startswith(code)}
    rows = _segments_csv(wide, tmp_path, code)
    for row in rows:
        assert not any(label in row["quote"] for label in LABELS), row["quote"]
        assert row["quote"].startswith("Answer "), row["quote"]
        assert (row["speaker"], row["role"], row["attribution"]) == ("Participant", "respondent",
                                                                      f"({row['case']}, Participant)")
    asked = [r for r in rows if r["coding"] in spans]
    assert len(asked) == len(spans)
    for row in asked:  # the coding's own span; its question before the quote
        assert (int(row["start"]), int(row["end"])) == spans[row["coding"]]
        assert row["before"].rstrip().endswith("and the features? Participant:"), row["before"]
    book = openpyxl.load_workbook(write_xlsx(wide, tmp_path / "t.xlsx", tables=[f"quotes={code}"], memos=False))
    sheet = book[book.sheetnames[1]]
    header = [c.value for c in sheet[2]]
    quotes = [r[header.index("quote")] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(quotes) == len(rows) and not any(label in q for q in quotes for label in LABELS)


def test_a_segment_two_respondents_speak_in_names_them_both(study, tmp_path):
    from qualcode.export.docx_report import write_report

    t = study.transcript("lsp-b")
    question, first, second = t.turns[3:6]  # the interviewer, then Geoffrey Pryce, then Alison Marsh
    assert (question.role, first.speaker, second.speaker) == ("interviewer", "Geoffrey Pryce", "Alison Marsh")
    code = study.codebook.roots[0].id
    study.session("researcher_a").add_many([("lsp-b", question.start, second.end, code)])
    row = next(r for r in _segments_csv(study, tmp_path, code) if int(r["start"]) == question.start)
    assert not any(label in row["quote"] for label in LABELS), row["quote"]
    assert row["quote"] == (t.text[first.text_start:first.end].strip() + " [\u2026] "
                            + t.text[second.text_start:second.end].strip())
    assert row["speaker"] == "Geoffrey Pryce; Alison Marsh" and row["role"] == "respondent"
    assert row["attribution"] == "(LSP B, LSP chair and LSP coordinator)"
    assert "Could you describe the area for me?" in row["before"]
    doc = docx.Document(str(write_report(study, tmp_path / "r.docx", tables=[f"quotes={code}"], key_tables=False,
                                         agreement=False, memos=None)))
    paragraphs = doc.paragraphs
    k = next(k for k, p in enumerate(paragraphs) if p.style.name == "Quote" and "large district" in p.text)
    assert "Geoffrey Pryce:" not in "".join(r.text for r in paragraphs[k].runs if r.bold)
    assert paragraphs[k + 1].text.startswith("\u2014 LSP B, LSP chair and LSP coordinator")


# -- 2. the Framework sheet is headed by the codes' names --------------------------------------------
def test_the_framework_sheet_is_headed_by_code_names(wide, tmp_path):
    import openpyxl

    from qualcode.analysis import framework_matrix
    from qualcode.export.tables_out import write_csv, write_xlsx

    ids = [str(c) for c in framework_matrix(wide).columns]
    named = [wide.codebook.get(i).name for i in ids]
    names = [f"{n} ({i})" if named.count(n) > 1 else n for n, i in zip(named, ids)]  # a shared name keeps its id
    assert len(set(names)) == len(names) and names != ids
    book = openpyxl.load_workbook(write_xlsx(wide, tmp_path / "f.xlsx", tables=["framework"], memos=False))
    sheet = book["Framework matrix"]
    assert [c.value for c in sheet[2]] == ["case", *names]
    assert not set(ids) & {c.value for c in sheet[2]}  # never a bare id ("purposes.s0")
    (path,) = [f for f in write_csv(wide, tmp_path / "csv", tables=["framework"]) if f.suffix == ".csv"]
    assert list(_csv_rows(path)[0]) == ["case", *names]


# -- 3. heatmap rows: long names stay apart and stay on the figure -------------------------------------
@pytest.fixture(scope="module")
def heatmap_labels(wide_template, tmp_path_factory):
    """(project, report path, for each heatmap drawn: its rows' names and the labels as drawn, each with
    where it starts on the figure in pixels)."""
    import matplotlib.axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from qualcode.export import charts
    from qualcode.export.docx_report import write_report
    from tests.export.wide_study import copy

    project = copy(wide_template, tmp_path_factory.mktemp("wide-heatmap") / "pdp")
    seen: list[dict] = []
    draw, set_labels = charts.heatmap_png, matplotlib.axes.Axes.set_yticklabels

    def recording_draw(data, *a, **k):
        seen.append({"rows": [label for _, label, _ in data.rows]})
        png = draw(data, *a, **k)
        ax = seen[-1]["axes"]
        renderer = FigureCanvasAgg(ax.figure).get_renderer()
        seen[-1]["left"] = [t.get_window_extent(renderer).x0 for t in ax.get_yticklabels()]
        return png

    def recording_labels(self, labels, *a, **k):
        if seen:
            seen[-1]["labels"], seen[-1]["axes"] = [str(x) for x in labels], self
        return set_labels(self, labels, *a, **k)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(charts, "heatmap_png", recording_draw)
        mp.setattr(matplotlib.axes.Axes, "set_yticklabels", recording_labels)
        path = write_report(project, project.root / "exports" / "h.docx", today=date(2024, 5, 1), memos=None,
                            agreement=False)
    yield project, path, seen
    project.close()


def test_heatmap_rows_with_long_names_that_start_alike_read_differently(heatmap_labels):
    _, _, seen = heatmap_labels
    assert seen
    pairs = [(name, label) for chart in seen for name, label in zip(chart["rows"], chart["labels"])]
    assert len(pairs) == sum(len(chart["rows"]) for chart in seen)
    names_of: dict[str, set] = {}
    for name, label in pairs:
        names_of.setdefault(label, set()).add(name)
    assert all(len(names) == 1 for names in names_of.values()), [n for n in names_of.values() if len(n) > 1]
    cut = [(name, label) for name, label in pairs if label != name]
    assert cut  # the wide study has names too long for the figure: they are cut in the middle
    for name, label in cut:
        head, _, tail = label.partition("\u2026")
        assert name.startswith(head) and name.endswith(tail) and tail.strip(), (name, label)


def test_heatmap_row_labels_stay_on_the_figure_and_the_figure_on_its_page(heatmap_labels):
    _, path, seen = heatmap_labels
    assert all(min(chart["left"]) >= 0 for chart in seen), [min(c["left"]) for c in seen]
    doc = docx.Document(str(path))
    extents = [el for el in doc.element.body.iter()
               if el.tag == "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"]
    assert extents
    tallest = max(s.page_height - s.top_margin - s.bottom_margin for s in doc.sections)
    assert all(int(e.get("cy")) < tallest for e in extents)


# -- 4. percentages of groups of fewer than five cases come with a warning ----------------------------
def test_the_key_table_warns_that_a_four_case_groups_percentages_are_unstable(study_report, report_doc):
    project, _ = study_report
    parts = [t for t in report_doc.tables if "Codes by equality framework (cases)" in caption_before(t)]
    assert parts
    note = note_after(parts[-1])
    assert note.startswith("Note. Small groups of equality_framework: within has 4 cases."), note
    assert "fewer than 5 cases are unstable" in note and "25 points" in note
    assert "outside has" not in note  # five cases: no warning


def test_the_crosstab_spreadsheets_carry_the_small_group_note_on_the_total_row(study, tmp_path):
    import openpyxl

    from qualcode.export.tables_out import write_csv, write_xlsx

    spec = "crosstab=codes/attr:equality_framework"
    (path,) = [f for f in write_csv(study, tmp_path / "csv", tables=[spec]) if f.suffix == ".csv"]
    rows = _csv_rows(path)
    notes = {r["id"]: r["note"] for r in rows}
    assert notes["Total"].startswith("Small groups of equality_framework: within has 4 cases.")
    assert not any(v for k, v in notes.items() if k != "Total")
    assert rows[-1]["within"] == "4" and rows[-1]["outside"] == "5"  # the counts stay numbers beside it
    sheet = openpyxl.load_workbook(write_xlsx(study, tmp_path / "t.xlsx", tables=[spec], memos=False)).worksheets[1]
    header = [c.value for c in sheet[2]]
    total = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "Total")
    assert "unstable" in total[header.index("note")] and total[header.index("within")] == 4
    (path,) = [f for f in write_csv(study, tmp_path / "csv2", tables=["crosstab=codes/attr:region"])
               if f.suffix == ".csv"]
    assert "North has 1 case" in _csv_rows(path)[-1]["note"]  # every group of one or two named
