"""An export never loses a file someone edited: it is kept beside the new one (``qualcode.export.keep``)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest


def run(args: list[str]) -> int:
    from qualcode.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(args)
    return done.value.code


def kept_files(folder: Path, stem: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(f"{stem} (") and "kept" in p.name)


def test_reexport_of_an_untouched_report_replaces_it_and_keeps_nothing(study, capsys):
    root = str(study.root)
    args = ["--project", root, "export", "docx", "-q", "--tables", "frequencies", "--no-agreement", "--memos", "none"]
    assert run(args) == 0
    assert run(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "wrote exports/report.docx" or out[-1].endswith("report.docx")
    assert "kept" not in out[-1]
    assert kept_files(study.root / "exports", "report") == []


def test_a_report_edited_in_word_is_kept_beside_the_new_one(study, capsys):
    root = str(study.root)
    args = ["--project", root, "export", "docx", "-q", "--tables", "frequencies", "--no-agreement", "--memos", "none"]
    assert run(args) == 0
    report = study.root / "exports" / "report.docx"
    edited = docx.Document(str(report))
    edited.add_paragraph("My discussion, written in Word.")
    edited.save(str(report))
    edited_bytes = report.read_bytes()
    capsys.readouterr()
    assert run(args) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    kept = kept_files(study.root / "exports", "report")
    assert len(kept) == 1 and kept[0].name.startswith("report (edited, kept ") and kept[0].suffix == ".docx"
    assert kept[0].read_bytes() == edited_bytes  # the researcher's edits are there, whole
    assert "My discussion" not in "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "changed since qualcode wrote it" in line and kept[0].name in line and len(line.splitlines()) == 1
    # the fresh report is now qualcode's: the next export replaces it and keeps nothing more
    assert run(args) == 0
    assert len(kept_files(study.root / "exports", "report")) == 1


def test_a_file_qualcode_did_not_write_is_kept(study, capsys):
    exports = study.root / "exports"
    exports.mkdir(exist_ok=True)
    (exports / "codebook.docx").write_bytes(b"someone else's file")
    assert run(["--project", str(study.root), "export", "codebook-docx"]) == 0
    line = capsys.readouterr().out.strip()
    kept = kept_files(exports, "codebook")
    assert [p.read_bytes() for p in kept] == [b"someone else's file"]
    assert kept[0].name.startswith("codebook (kept ") and "did not write it" in line
    docx.Document(str(exports / "codebook.docx"))  # the new export is a Word file


def test_a_damaged_or_foreign_record_keeps_the_file(study):
    from qualcode.export.docx_codebook import write_codebook_docx

    path = write_codebook_docx(study)
    record = study.cache_dir / "exports.json"
    record.write_bytes(record.read_bytes().replace(b"codebook", b"codebooX"))  # the seal no longer matches
    write_codebook_docx(study)
    assert len(kept_files(path.parent, "codebook")) == 1


def test_xlsx_and_pdf_writers_keep_an_edited_file(study):
    from qualcode.export.output import save_bytes
    from qualcode.export.tables_out import write_xlsx

    path = write_xlsx(study, tables=["frequencies"])
    path.write_bytes(path.read_bytes() + b"edited")
    write_xlsx(study, tables=["frequencies"])
    assert [p.read_bytes()[-6:] for p in kept_files(path.parent, "tables")] == [b"edited"]
    # every file writer goes through save_bytes (the PDF too): same rule
    pdf = study.root / "exports" / "report.pdf"
    save_bytes(pdf, b"%PDF one", study)
    pdf.write_bytes(b"%PDF annotated")
    save_bytes(pdf, b"%PDF two", study)
    assert pdf.read_bytes() == b"%PDF two"
    assert [p.read_bytes() for p in kept_files(pdf.parent, "report")] == [b"%PDF annotated"]


def test_a_csv_set_with_an_edited_file_is_kept_as_a_folder(study, capsys):
    root = str(study.root)
    args = ["--project", root, "export", "csv", "-q", "--tables", "frequencies"]
    assert run(args) == 0
    tables = study.root / "exports" / "tables"
    csv = tables / "01-code-frequencies.csv"
    csv.write_text(csv.read_text() + "my note,,,\n")
    capsys.readouterr()
    assert run(args) == 0
    out = capsys.readouterr().out
    kept = kept_files(study.root / "exports", "tables")
    assert len(kept) == 1 and kept[0].is_dir()
    assert (kept[0] / "01-code-frequencies.csv").read_text().endswith("my note,,,\n")
    assert "my note" not in csv.read_text()
    assert "/tables (edited, kept " in out and "changed since qualcode wrote it" in out
    assert run(args) == 0  # untouched since: replaced, nothing more kept
    assert len(kept_files(study.root / "exports", "tables")) == 1


def test_kept_names_do_not_collide(tmp_path):
    from qualcode.export.keep import kept_name

    path = tmp_path / "report.docx"
    path.write_bytes(b"x")
    first = kept_name(path, True, now=0)
    first.write_bytes(b"y")
    second = kept_name(path, True, now=0)
    assert first != second and second.name.endswith(" 2).docx")


async def test_the_workbench_export_screen_keeps_an_edited_report(study):
    from tests.export.test_export_screen import Host, _settle
    from textual.widgets import Input, Select

    report = study.root / "exports" / "report.docx"
    report.parent.mkdir(exist_ok=True)
    report.write_bytes(b"edited in Word")
    app = Host(study)
    async with app.run_test(size=(140, 45)) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#format", Select).value = "docx"
        app.screen.query_one("#path", Input).value = "exports/report.docx"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        said = str(app.screen.query_one("#status").render())
    kept = kept_files(report.parent, "report")
    assert [p.read_bytes() for p in kept] == [b"edited in Word"]
    assert "Written to" in said and "was there" in said and kept[0].name in said  # the researcher is told where
    docx.Document(str(report))
