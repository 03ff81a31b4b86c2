"""The Word report converts to PDF with LibreOffice (where it is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_office() is None, reason="LibreOffice (soffice/libreoffice) is not on PATH: "
                    "`apt-get install libreoffice-writer-nogui` to run this check")
def test_report_converts_to_pdf(study_report, tmp_path):
    _, report = study_report
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [_office(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(report)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    pdf = out / "report.pdf"
    assert pdf.exists(), f"no PDF written: {done.stdout} {done.stderr}"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 10
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Illustrative data." in text
        assert "The transcripts: case, date of interview" in text
        assert "Figure 1." in text
        assert "Appendix A. Codebook" in text
        assert "Appendix B. Where the numbers come from" in text
