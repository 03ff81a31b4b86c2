"""`qualcode export docx | codebook-docx | xlsx | csv`."""

from __future__ import annotations

import docx
import openpyxl
import pytest


def run(args: list[str]) -> int:
    from qualcode.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(args)
    return done.value.code


def test_export_commands_write_into_exports(study, capsys):
    root = str(study.root)
    assert run(["--project", root, "export", "docx", "-q", "--tables", "frequencies", "--chart-by", "region"]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and out.strip().endswith("report.docx")
    doc = docx.Document(str(study.root / "exports" / "report.docx"))
    assert any("Code frequencies" in p.text for p in doc.paragraphs if p.style.name == "Caption")
    assert run(["--project", root, "export", "codebook-docx"]) == 0
    assert (study.root / "exports" / "codebook.docx").exists()
    assert run(["--project", root, "export", "xlsx", "-q", "--tables", "frequencies,matrix"]) == 0
    wb = openpyxl.load_workbook(study.root / "exports" / "tables.xlsx")
    assert wb.sheetnames == ["About", "Code frequencies", "Codes by case", "Memos"]
    assert run(["--project", root, "export", "csv", "-q", "--tables", "frequencies",
                "--tables", "crosstab=statutory.framework/attr:equality_framework"]) == 0
    names = sorted(p.name for p in (study.root / "exports" / "tables").iterdir())
    assert names == ["01-code-frequencies.csv", "02-statutory.framework-by-attr-equality_framework-c.csv",
                     "provenance.json"]


def test_export_docx_to_a_chosen_file_with_coders(study, tmp_path, capsys):
    target = tmp_path / "out" / "mine.docx"
    assert run(["--project", str(study.root), "export", "docx", "-o", str(target), "--coders", "researcher_b",
                "--tables", "frequencies", "--no-agreement"]) == 0
    err = capsys.readouterr().err
    assert "[1] computing tables" in err and "saving" in err
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "count the codings of researcher_b" in text


def test_unwritable_output_exits_2_with_a_message_and_no_file(study, tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    assert run(["--project", str(study.root), "export", "docx", "-o", str(blocker / "r.docx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qualcode: ") and "cannot create the folder" in err and "What to do" in err
    assert blocker.read_text() == "x"
    assert run(["--project", str(study.root), "export", "docx", "--tables", "nope"]) == 2
    assert "unknown table 'nope'" in capsys.readouterr().err
    assert not (study.root / "exports" / "report.docx").exists()


def test_export_group_lists_every_subcommand():
    from qualcode.cli.export_group import export_group
    from qualcode.cli.main import cli

    assert cli.commands["export"] is export_group
    assert {"docx", "codebook-docx", "xlsx", "csv"} <= set(export_group.commands)


@pytest.mark.parametrize("args", [
    ["docx", "-q", "-o", "transcripts/lsp-b.docx"],
    ["xlsx", "-q", "-o", "codings/tables.xlsx"],
    ["codebook-docx", "-o", "codebooks/codebook.docx"],
    ["pdf", "-q", "-o", "transcripts/report.pdf"],
    ["csv", "-q", "-o", "transcripts"],
    ["csv", "-q", "-o", "codings/tables"],
    ["qdpx", "-o", "codings/researcher_a.jsonl"],  # wrote a zip over a coder's journal
    ["qdc", "-o", "codebooks/lsp-participation.yaml"],
    ["qdc", "-o", "cases.csv"],
])
def test_exports_refuse_to_write_into_the_projects_inputs(study, capsys, monkeypatch, args):
    monkeypatch.chdir(study.root)
    before = {p: p.read_bytes() for p in study.root.rglob("*") if p.is_file() and ".qualcode" not in p.parts}
    assert run(["--project", str(study.root), "export", *args]) == 2
    err = capsys.readouterr().err
    assert args[-1] in err and "must not replace or add to the project's own files" in err and "What to do" in err
    after = {p: p.read_bytes() for p in study.root.rglob("*") if p.is_file() and ".qualcode" not in p.parts}
    assert after == before  # lsp-b.docx is still the transcript


def test_exports_refuse_cases_csv_and_the_settings(study, capsys, monkeypatch):
    from qualcode.export.output import refuse_inputs
    from qualcode.errors import QualcodeError

    monkeypatch.chdir(study.root)
    for name in ("cases.csv", "qualcode.toml", "codebooks/lsp-participation.yaml"):
        with pytest.raises(QualcodeError, match="must not replace"):
            refuse_inputs(study, study.root / name)
    with pytest.raises(QualcodeError, match="holds"):
        refuse_inputs(study, study.root, folder=True)
    assert refuse_inputs(study, study.root / "exports" / "r.docx") == study.root / "exports" / "r.docx"


def test_export_csv_makes_its_folder_with_the_usual_mode(study, tmp_path):
    import os
    import stat

    from qualcode.export.tables_out import write_csv

    old = os.umask(0o022)
    try:
        write_csv(study, tmp_path / "t", tables=["frequencies"])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "t").stat().st_mode) == 0o755
