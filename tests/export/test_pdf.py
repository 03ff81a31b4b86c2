"""`qualcode export pdf`: the Word report through LibreOffice, with page numbers in the contents.

The conversion tests need LibreOffice (and pdftotext to read the PDF back); without them they skip
and say how to install them. `.ci/run` installs both.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import copy_study


def _office() -> str | None:
    from qualcode.export.pdf import find_office

    return find_office()


needs_office = pytest.mark.skipif(
    _office() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext is not installed: `apt-get install libreoffice-writer-nogui "
           "python3-uno poppler-utils fonts-crosextra-carlito` to run the PDF checks")


def _pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return text.split("\f")


@pytest.fixture(scope="module")
def study_pdf(tmp_path_factory):
    from qualcode.export.pdf import write_pdf
    from qualcode.store.project import Project

    if _office() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    root = copy_study(tmp_path_factory.mktemp("pdf") / "lsp-study")
    p = Project.open(root, search=False)
    warnings: list[str] = []
    path = write_pdf(p, root / "exports" / "report.pdf", warn=warnings.append, command="qualcode export pdf")
    yield p, path, warnings
    p.close()


@needs_office
def test_the_pdf_contents_and_lists_of_tables_and_figures_have_page_numbers(study_pdf):
    _, pdf, warnings = study_pdf
    if warnings:
        pytest.skip(f"LibreOffice's Python bridge is missing, so fields are not updated: {warnings[0]}")
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = _pages(pdf)
    contents = "\n".join(p for p in pages[:4] if "Contents" in p or "Tables" in p or "Figures" in p)
    entries = {m.group(1).strip(): int(m.group(2))
               for m in re.finditer(r"^\s*(\S[^\n]*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M)}
    for heading in ("Key findings", "Methods", "Results", "Coded material", "Appendix A. Codebook",
                    "Appendix B. Where the numbers come from"):
        assert heading in entries, f"{heading!r} has no page number in the contents: {contents[:2000]}"
    # each number is the page the heading is really on
    for heading in ("Methods", "Appendix B. Where the numbers come from"):
        page = pages[entries[heading] - 1]
        assert re.search(rf"^\s*{re.escape(heading)}\s*$", page, re.M), (heading, entries[heading])
    assert any(k.startswith("Table 1.") for k in entries) and any(k.startswith("Table 3.") for k in entries)
    assert len(pages) >= 10


@needs_office
def test_the_pdf_leads_with_the_key_findings_and_ends_with_provenance(study_pdf):
    _, pdf, _ = study_pdf
    text = "\n".join(_pages(pdf))
    assert "Illustrative data." in text
    assert text.index("Codes by equality framework") < text.index("The transcripts: case, date of interview")
    assert "Appendix B. Where the numbers come from" in text
    assert "qualcode export pdf" in text


def test_without_libreoffice_export_pdf_says_how_to_install_it_and_writes_nothing(tmp_path, monkeypatch, capsys):
    from qualcode.cli.main import main

    root = copy_study(tmp_path / "lsp-study")
    monkeypatch.setenv("QUALCODE_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(SystemExit) as done:
        main(["--project", str(root), "export", "pdf", "-q"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert "LibreOffice is not installed" in err and "apt-get install libreoffice-writer-nogui" in err
    assert "Traceback" not in err
    assert not (root / "exports").exists()
