"""Every table as CSV files and as sheets of one XLSX workbook."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest


@pytest.fixture
def standard(study):
    from qualcode.analysis import standard_tables

    return standard_tables(study)


def test_xlsx_has_one_sheet_per_table_with_a_bold_frozen_header_and_numbers(study, standard):
    from qualcode.export.tables_out import write_xlsx

    path = write_xlsx(study)
    assert path == study.root / "exports" / "tables.xlsx"
    wb = openpyxl.load_workbook(path)
    titles = [df.attrs["title"] for df in standard]
    assert wb.sheetnames[0] == "About"
    short = {"Code co-occurrence (overlapping codings)": "Co-occurrence (overlapping)"}
    assert [n for n in wb.sheetnames[1:-1]] == [short.get(t, t) for t in titles]
    assert wb.sheetnames[-1] == "Memos"  # the study's coders wrote memos
    about = wb["About"]
    assert about["A1"].value == study.config.name
    listed = [row[1] for row in about.iter_rows(values_only=True) if row and row[0] in wb.sheetnames[1:]]
    assert listed == [*titles, "Memos"]
    values = {row[0]: row[1] for row in about.iter_rows(values_only=True) if row and row[0]}
    assert values["Written by"].startswith("qualcode ")  # the provenance stamp
    assert values["Journal of researcher_a"].startswith("419 lines")
    assert values["Transcript lsp-a"].startswith("content hash ")
    freq = wb["Code frequencies"]
    assert freq["A1"].value == "Code frequencies"  # the full title, then the header row
    header = [c.value for c in freq[2]]
    assert header == ["code", "id", "level", "parent", "codings", "words coded", "transcripts", "cases"]
    assert all(c.font.b for c in freq[2])
    assert freq.freeze_panes == "A3"
    assert freq.auto_filter.ref.startswith("A2:")
    expected = standard[1]
    assert freq.max_row == len(expected) + 2
    for i, (_, rec) in enumerate(expected.iterrows(), start=3):
        assert freq.cell(i, 2).value == rec["id"]
        assert freq.cell(i, 5).value == rec["codings"] and isinstance(freq.cell(i, 5).value, int)
    assert freq.column_dimensions["B"].width >= len("recruitment.retention.not_monitored")
    matrix = wb["Codes by case"]
    assert matrix.freeze_panes == "B3"  # the case column stays in view too
    assert [c.value for c in matrix[2]][0] == "case"
    assert matrix["A3"].value == "LSP A"


def test_xlsx_decimals_are_number_formats_on_real_numbers(study):
    from qualcode.export.tables_out import write_xlsx

    df = pd.DataFrame({"share": [0.12345, 0.5], "pct %": [12.345, 50.0], "n": [1, 2]}, index=pd.Index(["a", "b"], name="row"))
    df.attrs.update(title="Shares", caption="", kind="test")
    wb = openpyxl.load_workbook(write_xlsx(study, study.root / "exports" / "s.xlsx", tables=[df]))
    ws = wb["Shares"]
    assert ws["B3"].value == pytest.approx(0.12345)
    assert ws["B3"].number_format == "#,##0.000"
    assert ws["C3"].number_format == "#,##0.0"
    assert ws["D3"].value == 1


def test_empty_table_sheet_says_so(study):
    from qualcode.export.tables_out import write_xlsx

    df = pd.DataFrame(columns=["a", "b"])
    df.attrs.update(title="Nothing", caption="No codings.", kind="x", empty_reason="There are no codings yet.")
    wb = openpyxl.load_workbook(write_xlsx(study, study.root / "exports" / "e.xlsx", tables=[df]))
    ws = wb["Nothing"]
    assert [ws["A2"].value, ws["B2"].value] == ["a", "b"]  # the header row, as for any table
    assert ws["D2"].value == "No data: There are no codings yet."
    assert ws.max_row == 2


def test_sheet_names_are_valid_and_unique():
    from qualcode.export.tables_out import sheet_name

    used = {"about"}
    assert sheet_name("Code frequencies", used) == "Code frequencies"
    assert sheet_name("Code frequencies", used) == "Code frequencies (2)"
    long = sheet_name("statutory.framework by attr:equality_framework (cases)", used)
    assert len(long) <= 31 and ":" not in long
    assert sheet_name("About", used) == "About (2)"


def test_csv_one_file_per_table_matching_the_tables(study, standard):
    from qualcode.export.tables_out import write_csv

    files = write_csv(study)
    assert [f.parent for f in files] == [study.root / "exports" / "tables"] * (len(standard) + 1)
    assert [f.name for f in files] == ["01-cases.csv", "02-code-frequencies.csv", "03-codes-by-case.csv",
                                       "04-code-co-occurrence-overlapping-codings.csv", "provenance.json"]
    rows = list(csv.reader(io.StringIO(files[1].read_text("utf-8"))))
    assert rows[0] == ["code", "id", "level", "parent", "codings", "words coded", "transcripts", "cases"]
    assert len(rows) == len(standard[1]) + 1
    back = pd.read_csv(files[2], index_col=0)
    assert back.shape == standard[2].shape
    assert list(back.columns) == [study.codebook.get(c).name for c in standard[2].columns]  # names, not ids
    assert (back.to_numpy() == standard[2].to_numpy()).all()
    bom = write_csv(study, study.root / "exports" / "bom", tables=["frequencies"], bom=True)
    assert bom[0].read_bytes().startswith(b"\xef\xbb\xbf")


def test_crosstab_rows_say_with_sub_codes_in_csv_and_xlsx_as_in_word(study):
    from qualcode.export.tables_out import write_csv, write_xlsx

    spec = "crosstab=codes/attr:equality_framework"
    rows = list(csv.reader(io.StringIO(write_csv(study, study.root / "exports" / "x", tables=[spec])[0]
                                       .read_text("utf-8"))))
    assert rows[0][:3] == ["id", "code", "outside"]
    by_id = {r[0]: r for r in rows[1:]}
    name = study.codebook.get("barriers").name
    assert by_id["barriers"][1] == f"{name} (with sub-codes)"  # 9 cases: the code or any code under it
    assert by_id["recruitment.open"][1] == study.codebook.get("recruitment.open").name
    ws = openpyxl.load_workbook(write_xlsx(study, study.root / "exports" / "x.xlsx", tables=[spec])).worksheets[1]
    cells = {r[0]: r[1] for r in ws.iter_rows(min_row=3, values_only=True)}
    assert cells["barriers"] == f"{name} (with sub-codes)"


def test_frequencies_in_a_spreadsheet_have_a_level_and_parent_not_leading_spaces(study):
    from qualcode.export.tables_out import write_csv

    rows = list(csv.DictReader(io.StringIO(write_csv(study, study.root / "exports" / "f", tables=["frequencies"])[0]
                                           .read_text("utf-8"))))
    assert not [r for r in rows if r["code"] != r["code"].strip()]
    core = next(r for r in rows if r["id"] == "monitoring.core_wider")
    assert (core["level"], core["parent"]) == ("2", study.codebook.get("monitoring").name)
    assert next(r for r in rows if r["id"] == "monitoring")["level"] == "1"


def test_csv_cells_that_look_like_formulas_are_written_as_text():
    from qualcode.export.frame import grid
    from qualcode.export.tables_out import csv_text

    df = pd.DataFrame({"quote": ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "-2+3", "plain"], "n": [1, 2, 3, -4, 5]})
    df.attrs.update(title="Q", caption="", kind="test")
    rows = list(csv.reader(io.StringIO(csv_text(grid(df)))))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)", "'-2+3", "plain"]
    assert rows[4][1] == "-4"  # numbers stay numbers
