"""What the exporters do with awkward projects: no data, missing attributes, codes gone from the
codebook, unwritable paths, odd characters."""

from __future__ import annotations

import os

import docx
import pandas as pd
import pytest

from qualcode.errors import QualcodeError
from tests.export.conftest import caption_before, table_text


def _frame(data, **attrs) -> pd.DataFrame:
    df = pd.DataFrame(data)
    df.attrs.update({"kind": "test", **attrs})
    return df


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_a_table_with_no_data_gets_a_sentence_not_an_empty_table(study):
    from qualcode.export.docx_report import write_report

    empty = _frame({"code": [], "codings": []}, title="Nothing here", caption="",
                   empty_reason="There are no codings by nobody yet.")
    path = write_report(study, study.root / "exports" / "r.docx", tables=[empty], agreement=False)
    doc = docx.Document(str(path))
    assert "No data for this table: There are no codings by nobody yet." in _text(doc)
    assert not [t for t in doc.tables if "Nothing here" in caption_before(t)]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert "Nothing here" in headings


def test_a_project_with_no_codings_at_all(project):
    from qualcode.export.docx_report import write_report

    path = write_report(project, project.root / "exports" / "r.docx")
    doc = docx.Document(str(path))
    text = _text(doc)
    assert "No data for this table" in text
    assert "Nothing has been coded yet." in text
    assert "No coder has coded any transcript yet." in text


def test_missing_attribute_values_are_charted_as_not_recorded(study):
    from qualcode.export import charts
    from qualcode.export.docx_report import write_report
    from qualcode.export.quotes import group_codings

    lines = (study.root / "cases.csv").read_text("utf-8").splitlines()
    header = lines[0].split(",")
    col = header.index("equality_framework")
    kept = []
    for line in lines:
        cells = line.split(",")
        if cells[0] == "lsp-b":
            cells[col] = ""  # a blank value
        if cells[0] != "lsp-i":  # and a transcript with no row at all
            kept.append(",".join(cells))
    (study.root / "cases.csv").write_text("\n".join(kept) + "\n", "utf-8")
    study.__dict__.pop("cases", None)
    data = charts.chart_data(study, "equality_framework", group_codings(study, ["researcher_a"]))
    groups = dict(data.groups)
    assert groups[charts.MISSING] == 2  # lsp-b (blank) and lsp-i (no row)
    assert groups["within"] == 4 and groups["outside"] == 3
    path = write_report(study, study.root / "exports" / "r.docx", chart_by=["equality_framework"], agreement=False)
    doc = docx.Document(str(path))
    assert len(doc.inline_shapes) == 1
    assert "1 transcript has no row in the cases file (lsp-i)" in _text(doc)


def test_unknown_chart_attribute_is_a_clear_error(study):
    from qualcode.export.docx_report import write_report

    with pytest.raises(QualcodeError, match="no case attribute 'colour'"):
        write_report(study, study.root / "exports" / "r.docx", chart_by=["colour"], agreement=False)
    assert not (study.root / "exports" / "r.docx").exists()


def test_codes_removed_from_the_codebook_but_still_in_journals(study):
    from qualcode.domain.codebook import Codebook
    from qualcode.export.docx_report import write_report
    from qualcode.export.tables_out import write_xlsx

    book = study.codebook
    gone = "outcomes.who_benefits"
    kept = [c for c in book.codes if c.id != gone]
    study.set_codebook(Codebook(codes=kept, name=book.name, description=book.description))
    path = write_report(study, study.root / "exports" / "r.docx", agreement=False)
    doc = docx.Document(str(path))
    text = _text(doc)
    assert "no longer in the codebook: outcomes.who_benefits" in text
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Codes not in the codebook" in headings
    freq = [t for t in doc.tables if "Code frequencies" in caption_before(t)][0]
    assert any("outcomes.who_benefits" in r[0] for r in table_text(freq))
    # the appendix lists only the codebook's codes
    overview = [t for t in doc.tables if "The codebook" in caption_before(t)][0]
    assert gone not in [r[1] for r in table_text(overview)]
    wb_path = write_xlsx(study, study.root / "exports" / "t.xlsx")
    assert wb_path.exists()


def test_unwritable_output_path_is_a_clear_error_and_leaves_nothing(study, tmp_path):
    from qualcode.export.docx_codebook import write_codebook_docx
    from qualcode.export.docx_report import write_report
    from qualcode.export.tables_out import write_csv, write_xlsx

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(QualcodeError, match="cannot create the folder") as err:
        write_report(study, blocker / "report.docx")
    assert str(blocker) in str(err.value) and "What to do" in str(err.value)
    with pytest.raises(QualcodeError, match="cannot create the folder"):
        write_xlsx(study, blocker / "t.xlsx")
    with pytest.raises(QualcodeError, match="this is a file, not a folder"):
        write_csv(study, blocker)
    with pytest.raises(QualcodeError, match="this is a folder"):
        write_codebook_docx(study, tmp_path)
    assert blocker.read_text() == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "lsp-study"]


def test_a_failure_while_saving_leaves_no_partial_file(study, monkeypatch):
    from qualcode.export.docx_report import write_report

    target = study.root / "exports" / "report.docx"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(b"the old report")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(QualcodeError, match="No space left on device"):
        write_report(study, target, tables=["frequencies"], agreement=False)
    assert target.read_bytes() == b"the old report"
    assert [p.name for p in target.parent.iterdir()] == ["report.docx"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_folder(study, tmp_path):
    from qualcode.export.docx_report import write_report

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(QualcodeError, match="permission denied"):
            write_report(study, folder / "r.docx")
    finally:
        folder.chmod(0o700)


def test_unknown_tables_and_coders_are_clear_errors(study):
    from qualcode.export.docx_report import write_report

    with pytest.raises(QualcodeError, match="unknown table 'bogus'"):
        write_report(study, study.root / "exports" / "r.docx", tables=["bogus"])
    with pytest.raises(QualcodeError, match="crosstab=ROWS/COLS"):
        write_report(study, study.root / "exports" / "r.docx", tables=["crosstab=nrf"])
    with pytest.raises(QualcodeError, match="unknown coder"):
        write_report(study, study.root / "exports" / "r.docx", coders=["nobody"])
    assert not (study.root / "exports" / "r.docx").exists()


def test_control_characters_and_formula_like_text_survive(study):
    import openpyxl

    from qualcode.export.docx_report import write_report
    from qualcode.export.tables_out import write_csv, write_xlsx

    odd = _frame({"note": ["bell \x07 here", "=SUM(A1:A2)", "line one\nline two"], "n": [1, 2, 3]},
                 title="Odd: text [1]/2?", caption="Cells with awkward text.")
    path = write_report(study, study.root / "exports" / "r.docx", tables=[odd], agreement=False)
    rows = table_text([t for t in docx.Document(str(path)).tables if "Odd" in caption_before(t)][0])
    assert rows[1][0] == "bell  here"
    assert rows[3][0] == "line one\nline two"
    wb = openpyxl.load_workbook(write_xlsx(study, study.root / "exports" / "t.xlsx", tables=[odd]))
    ws = wb[wb.sheetnames[1]]
    assert wb.sheetnames[1] == "Odd - text (1)-2"
    assert ws["A1"].value == "Odd: text [1]/2?"  # the full title above the table
    assert ws["A4"].value == "=SUM(A1:A2)" and ws["A4"].data_type == "s"
    assert ws["B3"].value == 1
    files = write_csv(study, study.root / "exports" / "csv", tables=[odd])
    assert files[0].read_text("utf-8").splitlines()[1] == "bell  here,1"
