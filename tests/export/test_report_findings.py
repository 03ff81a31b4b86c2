"""Issue 14: the report leads with the findings, says where every number came from, reads well and
leaves nothing behind when it fails. The bundled study's report (written once, see conftest)."""

from __future__ import annotations

import json
import re
import zipfile

import docx
import openpyxl
import pandas as pd
import pytest

from qualcode.errors import QualcodeError
from tests.conftest import copy_study
from tests.export.conftest import caption_before, note_after, table_text


def _table(doc, start: str):
    for t in doc.tables:
        if caption_before(t).startswith("Table") and start in caption_before(t):
            return t
    raise AssertionError(f"no table captioned {start!r}: {[caption_before(t) for t in doc.tables]}")


def _headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def _open(root):
    from qualcode.store.project import Project

    return Project.open(root, search=False)


# -- 1. findings first ----------------------------------------------------------------------------
def test_the_report_opens_with_the_key_tables_the_project_names(study_report, report_doc):
    project, _ = study_report
    assert _headings(report_doc, 1)[:2] == ["Key findings", "Methods"]
    key = _headings(report_doc, 2)[:2]
    assert key == ["Codes by equality framework (cases)", "Views on outcome-based funding by equality framework (cases)"]
    book = project.codebook
    rows = table_text(_table(report_doc, "Codes by equality framework"))
    assert rows[0] == ["Code", "outside", "outside\u00a0%", "within", "within\u00a0%", "Total", "Total\u00a0%"]
    by_name = {r[0].strip(): r[1:] for r in rows[1:]}
    # the study's published findings, at the level of the codes that carry them
    assert by_name[book.get("statutory.framework.within").name] == ["0", "0.0", "4", "100.0", "4", "44.4"]
    assert by_name[book.get("statutory.framework.outside").name] == ["5", "100.0", "0", "0.0", "5", "55.6"]
    assert by_name[book.get("recruitment.open").name][-2:] == ["1", "11.1"]
    assert by_name[book.get("recruitment.retention.monitored").name][-2:] == ["1", "11.1"]
    assert by_name["Total"] == ["5", "100.0", "4", "100.0", "9", "100.0"]  # each column's n, 100 % of itself
    assert by_name[book.get("statutory").name + " (with sub-codes)"][-2:] == ["9", "100.0"]
    outcomes = {r[0].strip(): r[1:] for r in table_text(_table(report_doc, "Views on outcome-based funding"))[1:]}
    assert outcomes[book.get("outcomes.matter").name][-2:] == ["7", "77.8"]


def test_each_key_chart_draws_the_rows_of_its_table(study_report):
    from qualcode.analysis import crosstab
    from qualcode.export.charts import crosstab_chart
    from qualcode.export.findings import crosstab_for_word

    project, _ = study_report
    view = crosstab_for_word(project, crosstab(project, "codes", "attr:equality_framework"))
    data = crosstab_chart(view)
    labels = [label for _, label, _ in data.rows]
    assert labels == [str(x).strip() for x in view.index if x != "Total"]
    assert data.groups == [("outside", 5), ("within", 4)]
    row = labels.index(project.codebook.get("statutory.framework.within").name)
    assert data.percent[(data.rows[row][0], "within")] == 100.0
    assert data.percent[(data.rows[row][0], "outside")] == 0.0


def test_figures_follow_their_key_table(report_doc):
    figures = [p.text for p in report_doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert figures[0].startswith("Figure 1. Codes by equality framework (cases)")
    assert "the rows are those of Table 1" in figures[0]


def test_without_key_tables_the_report_takes_attributes_with_few_values(tmp_path):
    from qualcode.export.charts import choose_attributes
    from qualcode.export.docx_report import write_report

    root = copy_study(tmp_path / "s")
    toml = (root / "qualcode.toml").read_text("utf-8")
    (root / "qualcode.toml").write_text(toml[: toml.index("[report]")], "utf-8")
    p = _open(root)
    doc = docx.Document(str(write_report(p, root / "exports" / "r.docx", agreement=False, memos=None)))
    expected = [f"Codes by {a.replace('_', ' ')} (cases)" for a in choose_attributes(p, limit=2)]
    assert expected and _headings(doc, 2)[: len(expected)] == expected
    p.close()


def test_a_wrong_key_table_names_qualcode_toml_and_writes_nothing(tmp_path):
    from qualcode.export.docx_report import write_report

    root = copy_study(tmp_path / "s")
    toml = (root / "qualcode.toml").read_text("utf-8")
    (root / "qualcode.toml").write_text(toml.replace("attr:equality_framework", "attr:no_such_thing", 1), "utf-8")
    p = _open(root)
    with pytest.raises(QualcodeError) as err:
        write_report(p, root / "exports" / "deep" / "r.docx")
    assert "no_such_thing" in str(err.value)
    assert not (root / "exports").exists()
    p.close()


# -- 2. provenance ---------------------------------------------------------------------------------
def test_the_report_says_where_its_numbers_come_from(study_report, report_doc):
    from qualcode.export.provenance import stamp

    project, path = study_report
    s = stamp(project, command="x")
    props = report_doc.core_properties
    assert props.created.year == 2026 and props.created.isoformat()[:19] == s.date[:19]
    assert props.author == "qualcode" and "qualcode" in props.last_modified_by
    assert "stamp " in props.comments and "researcher_a 419 lines" in props.comments
    with zipfile.ZipFile(path) as zf:
        meta = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("docProps/"))
    assert b"python-docx" not in meta and b"2013-12-23" not in meta
    assert "Appendix B. Where the numbers come from" in _headings(report_doc, 1)
    rows = {r[0]: r[1] for r in table_text(_table(report_doc, "Provenance"))[1:]}
    assert rows["Codebook"].startswith("codebooks/lsp-participation.yaml, sha256 ")
    assert rows["Journal of researcher_b"].startswith("221 lines")
    hashes = {r[0]: r[1] for r in table_text(_table(report_doc, "The transcripts read"))[1:]}
    assert hashes == {e.id: e.hash for e in project.index}


def test_the_same_command_on_the_same_inputs_gives_the_same_stamp_and_a_change_a_new_one(study):
    from qualcode.export.provenance import stamp

    a = stamp(study, command="qualcode export docx")
    b = stamp(study, command="qualcode export docx")
    assert a.to_json() == b.to_json() and a.digest == b.digest
    assert stamp(study, command="qualcode export xlsx").digest != a.digest
    t = study.transcript("lsp-a")
    study.session("researcher_b").add("lsp-a", 0, 20, "barriers")
    c = stamp(study, command="qualcode export docx")
    assert c.digest != a.digest
    journal = {j.coder: j for j in c.journals}["researcher_b"]
    assert journal.lines == {j.coder: j for j in a.journals}["researcher_b"].lines + 1
    assert t.hash == dict(c.transcripts)["lsp-a"]


def test_csv_sidecar_and_qdpx_carry_the_stamp(study, tmp_path):
    from qualcode.export.provenance import stamp
    from qualcode.export.tables_out import write_csv
    from qualcode.services.interchange import export_qdpx

    files = write_csv(study, tmp_path / "t", tables=["frequencies"], command="qualcode export csv")
    record = json.loads((tmp_path / "t" / "provenance.json").read_text("utf-8"))
    assert record["digest"] == stamp(study, command="qualcode export csv", coders=["researcher_a"]).digest
    assert record["tables"][0]["file"] == files[0].name
    assert {j["coder"] for j in record["journals"]} == {"researcher_a", "researcher_b"}
    result = export_qdpx(study, tmp_path / "s.qdpx")
    with zipfile.ZipFile(result.path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    assert "Journal of researcher_a: " in qde and "Stamp: " in qde


# -- 4. tables that read well ----------------------------------------------------------------------
def test_no_zero_width_spaces_and_names_not_ids_in_headers(study_report, report_doc):
    _, path = study_report
    with zipfile.ZipFile(path) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert "\u200b" not in body
    cases = table_text(_table(report_doc, "Cases."))
    assert all("_" not in h for h in cases[0])
    for t in report_doc.tables:  # no snake_case ids in headers (coders' names are names)
        header = " ".join(table_text(t)[0]).replace("researcher_a", "").replace("researcher_b", "")
        assert not re.search(r"\b[a-z]+_[a-z]+\b", header), caption_before(t)


def test_co_occurrence_is_a_ranked_list_of_pairs(study_report, report_doc):
    from qualcode.analysis import cooccurrence

    project, _ = study_report
    grid = cooccurrence(project)
    rows = table_text(_table(report_doc, "Codes that occur together"))
    assert rows[0] == ["Code", "Occurs with", "Together", "Codings of first code (all)", "Codings of second code (all)"]
    note = note_after(_table(report_doc, "Codes that occur"))
    assert "Together is the number of pairs of overlapping codings" in note
    counts = [int(r[2]) for r in rows[1:]]
    assert counts == sorted(counts, reverse=True) and all(counts)
    off_diagonal = int((grid.to_numpy().sum() - grid.to_numpy().trace()) // 2)
    assert sum(counts) == off_diagonal
    assert not [t for t in report_doc.tables if caption_before(t).endswith("the grid.")]  # 40 codes: no grid


def test_column_widths_fit_the_longest_word_of_each_header(report_doc):
    from qualcode.export.docx_table import PAD, measure

    for t in report_doc.tables[:12]:
        widths = [int(g.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
                  for g in t._tbl.tblGrid.iterchildren()]
        for header, width in zip(table_text(t)[0], widths):
            longest = max((measure(w, True) for w in header.split()), default=0)
            assert longest + PAD <= width + 1, (caption_before(t), header, width)


def test_headings_stay_with_what_follows(report_doc):
    for level in (1, 2, 3):
        assert report_doc.styles[f"Heading {level}"].paragraph_format.keep_with_next


# -- 5. words that mean one thing ------------------------------------------------------------------
def test_spoken_words_are_defined_and_exclude_labels_and_timestamps(report_doc):
    rows = table_text(_table(report_doc, "The transcripts"))
    assert rows[0][3] == "Spoken words"
    assert {r[0]: r[3] for r in rows[1:]}["lsp-i"] == "3,071"  # 3,351 with labels and timestamps
    text = "\n".join(p.text for p in report_doc.paragraphs)
    assert "Spoken words are the words of the speaker turns" in text


def test_pooled_coders_are_not_counted_as_one(study):
    from qualcode.export.docx_report import write_report

    path = write_report(study, study.root / "exports" / "p.docx", coders=["researcher_a", "researcher_b"],
                        tables=["frequencies"], agreement=False, memos=None)
    notes = [p.text for p in docx.Document(str(path)).paragraphs if " of 9 transcripts (" in p.text]
    assert notes and all(" by 2 coders (researcher_a: " in n for n in notes)
    assert any(n.startswith("1 coding by 2 coders") for n in notes)  # one coding, not "1 codings"
    assert not any(n.startswith("Coded ") for n in notes)


def test_notes_say_each_thing_once_and_carry_no_markdown(report_doc):
    text = "\n".join(p.text for p in report_doc.paragraphs)
    assert "`" not in text
    agreement = [p.text for p in report_doc.paragraphs if p.style.name == "Table Note" and "Left out" in p.text]
    assert len(agreement) == 1 and agreement[0].count("Left out") == 1
    # the note calls codes and the overall rows what the table's rows call them
    note = agreement[0]
    assert "\u201call codes, every code decision pooled\u201d pools" in note and "'(all codes)'" not in note
    unused = note[note.index("Not used by any"):]
    assert "Ethnicity monitoring of LSP members" in unused and not re.search(r"\b[a-z]+\.[a-z_]+\b", unused)


def test_key_table_rows_that_include_sub_codes_say_so(report_doc):
    t = _table(report_doc, "Codes by equality framework")
    note = t._tbl.getnext()
    text = "".join(x.text or "" for x in note.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    assert "with sub-codes" in text and "the other rows the code alone" in text


# -- 6. memos --------------------------------------------------------------------------------------
def test_memos_in_the_report_and_the_workbook(study_report, report_doc, tmp_path):
    from qualcode.export.tables_out import write_xlsx

    project, _ = study_report
    memos = [c for c in project.codings("researcher_a") if (c.memo or "").strip()]
    assert memos
    assert "Memos" in _headings(report_doc, 1)
    text = "\n".join(p.text for p in report_doc.paragraphs)
    for c in memos:
        assert " ".join(c.memo.split()) in text
    wb = openpyxl.load_workbook(write_xlsx(project, tmp_path / "t.xlsx", tables=["frequencies"]))
    sheet = wb["Memos"]
    assert sheet["A1"].value == "Memos"  # the sheet's title, then its header row
    assert [c.value for c in sheet[2]][:6] == ["code", "code name", "transcript", "case", "coder", "memo"]
    assert sheet.max_row - 2 == len(memos)


def test_memos_by_transcript_or_none(study):
    from qualcode.export.docx_report import write_report

    by_t = docx.Document(str(write_report(study, study.root / "exports" / "m.docx", tables=["frequencies"],
                                          agreement=False, memos="transcript")))
    i = [p.text for p in by_t.paragraphs].index("Memos")
    assert any(p.text.startswith("LSP ") and "(lsp-" in p.text for p in by_t.paragraphs[i:] if p.style.name == "Heading 3")
    none = docx.Document(str(write_report(study, study.root / "exports" / "n.docx", tables=["frequencies"],
                                          agreement=False, memos=None)))
    assert "Memos" not in _headings(none, 1)


# -- 7. exports that fail leave nothing ------------------------------------------------------------
def test_a_failed_export_makes_no_folder(study, tmp_path):
    from qualcode.export.docx_report import write_report
    from qualcode.export.tables_out import write_csv, write_xlsx

    with pytest.raises(QualcodeError):
        write_report(study, tmp_path / "a" / "b" / "r.docx", chart_by=["no_such_attribute"])
    with pytest.raises(QualcodeError):
        write_xlsx(study, tmp_path / "c" / "t.xlsx", tables=["crosstab=nope/attr:region"])
    with pytest.raises(QualcodeError):
        write_csv(study, tmp_path / "d" / "tables", tables=["nonsense"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lsp-study"]


def test_a_csv_set_replaces_the_old_set_and_never_a_folder_of_other_files(study, tmp_path):
    from qualcode.export.tables_out import write_csv

    folder = tmp_path / "tables"
    write_csv(study, folder, tables=["frequencies", "matrix"])
    (folder / "09-stale.csv").write_text("old\n")
    write_csv(study, folder, tables=["frequencies"])
    assert sorted(p.name for p in folder.iterdir()) == ["01-code-frequencies.csv", "provenance.json"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folders left
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.docx").write_text("mine")
    with pytest.raises(QualcodeError, match="other files"):
        write_csv(study, mine, tables=["frequencies"])
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.docx"]


def test_an_empty_project_gives_tables_with_headers(project, tmp_path):
    from qualcode.export.tables_out import write_csv, write_xlsx

    files = write_csv(project, tmp_path / "csv")
    for f in files:
        if f.suffix == ".csv":
            df = pd.read_csv(f)  # never an empty file pandas cannot read
            assert len(df.columns) >= 1 and len(df) == 0 or f.name.startswith("01-cases")
    wb = openpyxl.load_workbook(write_xlsx(project, tmp_path / "t.xlsx"))
    for name in wb.sheetnames[1:]:
        assert wb[name]["A1"].value, name  # a title
        assert wb[name]["A2"].value, name  # and a header row on every sheet


@pytest.mark.parametrize("args, message", [
    (["docx", "-o", "report"], "does not end in .docx"),
    (["xlsx", "-o", "t.csv"], "does not end in .xlsx"),
    (["pdf", "-o", "r.docx"], "does not end in .pdf"),
    (["codebook-docx", "-o", "c.txt"], "does not end in .docx"),
    (["csv", "-o", "t.csv"], "writes a folder of CSV files"),
])
def test_an_output_name_that_does_not_match_the_format_is_an_error(study, tmp_path, capsys, monkeypatch,
                                                                     args, message):
    from qualcode.cli.main import main

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        main(["--project", str(study.root), "export", *args])
    err = capsys.readouterr().err
    assert done.value.code == 2 and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [study.root] or sorted(p.name for p in tmp_path.iterdir()) == ["lsp-study"]


def test_on_very_long_transcripts_the_agreement_table_says_its_intervals_are_left_out(study, monkeypatch):
    from qualcode.export import docx_methods
    from qualcode.export.docx_report import write_report

    assert docx_methods.resamples_for(study, ["researcher_a", "researcher_b"]) == 10_000  # the study: in full
    monkeypatch.setattr(docx_methods, "INTERVAL_BUDGET", 1000)
    assert docx_methods.resamples_for(study, ["researcher_a", "researcher_b"]) == 0
    doc = docx.Document(str(write_report(study, study.root / "exports" / "a.docx", tables=["frequencies"], memos=None)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "without its bootstrap interval" in text and "--resamples 0" in text
    rows = table_text(_table(doc, "Inter-coder agreement"))
    verdicts = [r[-1] for r in rows[1:] if r[-1]]
    assert verdicts and all("no interval" in v or v.startswith("insufficient data") for v in verdicts)


def test_the_agreement_table_in_word_shows_shares_as_percentages_and_no_minus_zero():
    import pandas as pd

    from qualcode.export.docx_methods import for_word

    frame = pd.DataFrame({"Code": ["a"], "Name": ["A"], "Coded by ann": [0.006], "Coded by bob": [0.25],
                          "alpha 95% CI low": [-0.0001], "alpha 95% CI high": [1.0]})
    out = for_word(frame)
    assert list(out["ann coded"]) == ["0.6%"] and list(out["bob coded"]) == ["25.0%"]  # as `qualcode agree` shows
    assert list(out["alpha 95% CI"]) == ["0.000\u00a0to\u00a01.000"]
