"""The Word report as a PDF, through LibreOffice, with the contents' page numbers filled in.

``write_pdf(project, path)`` writes the report (``docx_report.write_report``) to a temporary file
and converts it with a private headless LibreOffice driven through its ``uno`` bridge
(``lo_convert.py``): fields and indexes are updated before the export, so the contents and the
lists of tables and figures carry page numbers. Without LibreOffice it says how to install it.
Where LibreOffice is there but no Python can load ``uno``, the PDF is made with
``soffice --convert-to pdf`` and the contents have no page numbers (a warning says so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from qualcode.errors import QualcodeError
from qualcode.export.output import check_writable, output_path, save_bytes

INSTALL_HINT = ("install LibreOffice: `sudo apt-get install libreoffice-writer-nogui python3-uno` (Debian, Ubuntu), "
                "`brew install --cask libreoffice` (macOS) or https://www.libreoffice.org/download; "
                "`qualcode export docx` needs no LibreOffice (Word updates the contents when it opens the file)")
SCRIPT = Path(__file__).with_name("lo_convert.py")
TIMEOUT = 600

_OFFICE_PLACES = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                  "/Applications/LibreOffice.app/Contents/MacOS/soffice",
                  r"C:\Program Files\LibreOffice\program\soffice.exe")


def find_office() -> str | None:
    """LibreOffice's ``soffice`` (``$QUALCODE_SOFFICE``, the PATH, then the usual install places)."""
    named = os.environ.get("QUALCODE_SOFFICE")
    if named:
        return named if Path(named).exists() or shutil.which(named) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _OFFICE_PLACES if Path(p).exists()), None)


def find_uno_python(office: str) -> str | None:
    """A Python that can ``import uno``: LibreOffice's own, the system's, or this one."""
    program = Path(office).resolve().parent
    candidates = [program / "python", program / "python.exe", Path("/usr/bin/python3"), shutil.which("python3"),
                  sys.executable]
    seen = set()
    for c in candidates:
        if not c or str(c) in seen or not Path(c).exists():
            continue
        seen.add(str(c))
        try:
            ok = subprocess.run([str(c), "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return str(c)
    return None


def convert(docx: Path, pdf: Path, work: Path, warn: Callable[[str], None] | None = None) -> Path:
    """``docx`` -> ``pdf`` with LibreOffice (fields updated when ``uno`` is available)."""
    office = find_office()
    if office is None:
        raise QualcodeError("LibreOffice is not installed: `qualcode export pdf` converts the Word report with it",
                            hint=INSTALL_HINT)
    python = find_uno_python(office)
    if python is not None:
        cmd = [python, str(SCRIPT), str(docx), str(pdf), str(work / "profile"), office]
    else:
        if warn is not None:
            warn("LibreOffice's Python bridge (uno) was not found: the PDF's contents will have no page numbers; "
                 "`sudo apt-get install python3-uno` adds it")
        cmd = [office, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
               "--outdir", str(pdf.parent), str(docx)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise QualcodeError(f"LibreOffice did not finish the PDF within {TIMEOUT // 60} minutes", path=docx,
                            hint="close other LibreOffice windows and try again, or use `qualcode export docx`") from None
    except OSError as exc:
        raise QualcodeError(f"cannot run LibreOffice: {exc.strerror}", path=office, hint=INSTALL_HINT) from None
    made = pdf if python is not None else pdf.parent / (docx.stem + ".pdf")
    if done.returncode != 0 or not made.exists() or not made.read_bytes()[:5] == b"%PDF-":
        said = (done.stderr or done.stdout or "").strip().splitlines()
        raise QualcodeError("LibreOffice could not convert the report to PDF"
                            + (f": {said[-1]}" if said else f" (exit code {done.returncode})"),
                            path=office, hint="run `qualcode export docx` and open the .docx instead")
    if made != pdf:
        made.replace(pdf)
    return pdf


def write_pdf(project, path=None, *, progress=None, warn: Callable[[str], None] | None = None, **report) -> Path:
    """The Word report as ``exports/report.pdf`` (or ``path``); ``report``: ``write_report``'s options.
    Written whole or not at all; nothing is left behind if LibreOffice fails."""
    from qualcode.export.docx_report import write_report

    path = check_writable(output_path(project, path, "report.pdf"), suffix=".pdf")
    if find_office() is None:  # before the report is computed: say it at once
        raise QualcodeError("LibreOffice is not installed: `qualcode export pdf` converts the Word report with it",
                            hint=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="qualcode-pdf-") as tmp:
        work = Path(tmp)
        docx = write_report(project, work / "report.docx", progress=progress, **report)
        if progress is not None:
            progress(0, 1, "converting to PDF with LibreOffice (contents with page numbers)")
        pdf = convert(docx, work / "report.pdf", work, warn)
        out = save_bytes(path, pdf.read_bytes(), project)
    return out
