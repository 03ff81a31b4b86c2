"""A .docx's title: its own core-properties title, never a default such as "Word Document"; else its
first heading, a title line, the file name. And a .qdpx given to `qualcode import` is named as a
project file, with the commands that take it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from qualcode.errors import FormatError
from qualcode.formats.transcripts import parse_transcript

BODY = ["Interviewer: How did it start?", "Jo Smith: With a letter from the council.",
        "Interviewer: And then?", "Jo Smith: Then we met."]


@pytest.mark.parametrize("generic", ["Word Document", "word document", "Document", "Document1", "Doc1",
                                     "Microsoft Word Document", "Microsoft Word - interview3.doc",
                                     "Microsoft Word – Board 3.docx", "Untitled", "  ", ""])
def test_generic_core_titles_are_not_the_title(docx_bytes, generic):
    from qualcode.formats.transcripts.docx import document_title

    assert document_title(generic) is None
    t, _ = parse_transcript(docx_bytes(BODY, title=generic), "Board 3.docx")
    assert t.title == "board-3"  # no heading, no title line: the file name


@pytest.mark.parametrize("own", ["Oral history 3", "Documentary makers, group 2", "Word of mouth"])
def test_a_documents_own_title_is_kept(docx_bytes, own):
    from qualcode.formats.transcripts.docx import document_title

    assert document_title(own) == own
    t, _ = parse_transcript(docx_bytes(BODY, title=own), "b.docx")
    assert t.title == own


def test_a_docx_without_core_properties_takes_its_first_heading():
    """python-docx calls a package without docProps/core.xml "Word Document" (LibreOffice's files read so)."""
    import docx

    document = docx.Document()
    document.add_heading("Interview 7: the housing forum, second visit, with the chair and two members", level=1)
    for line in BODY:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for item in src.infolist():
            if item.filename == "docProps/core.xml":
                continue
            data = src.read(item.filename)
            if item.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*docProps/core\.xml[^>]*/>", b"", data)
            zf.writestr(item, data)
    assert docx.Document(io.BytesIO(out.getvalue())).core_properties.title == "Word Document"
    t, _ = parse_transcript(out.getvalue(), "seven.docx")
    assert t.title.startswith("Interview 7: the housing forum") and t.title != "Word Document"


def test_a_title_line_above_the_first_turn(docx_bytes):
    t, _ = parse_transcript(docx_bytes(["Interview with Jo", "", *BODY], title="Word Document"), "jo.docx")
    assert t.title == "Interview with Jo"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_docx_is_not_titled_word_document(tmp_path):
    (tmp_path / "jo.txt").write_text("Interview with Jo\n\n" + "\n\n".join(BODY) + "\n", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("\n\n".join(BODY) + "\n", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "docx",
                    "--outdir", str(tmp_path), str(tmp_path / "jo.txt"), str(tmp_path / "plain.txt")],
                   capture_output=True, timeout=180, check=True)
    jo, _ = parse_transcript((tmp_path / "jo.docx").read_bytes(), "jo.docx")
    plain, _ = parse_transcript((tmp_path / "plain.docx").read_bytes(), "plain.docx")
    assert (jo.title, plain.title) == ("Interview with Jo", "plain")


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("inner", ["project.qde", "Trial.qde"])
def test_a_qdpx_is_named_a_project_file_with_the_commands_that_take_it(inner):
    data = _zip({inner: b"<Project/>", "sources/a.txt": b"hi"})
    with pytest.raises(FormatError) as info:
        parse_transcript(data, "demo.qdpx")
    message = str(info.value)
    assert "project file" in message and "Word" not in message
    assert "qualcode import-project demo.qdpx FOLDER" in message and "qualcode import-codebook demo.qdpx" in message


def test_import_of_a_qdpx_on_the_command_line(tmp_path):
    qc = [sys.executable, "-c", "import sys; from qualcode.cli.main import main; sys.argv[0] = 'qualcode'; main()"]
    subprocess.run([*qc, "init", str(tmp_path / "p")], capture_output=True, check=True)
    (tmp_path / "demo.qdpx").write_bytes(_zip({"project.qde": b"<Project/>"}))
    proc = subprocess.run([*qc, "import", str(tmp_path / "demo.qdpx")], capture_output=True, text=True,
                          cwd=tmp_path / "p")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "Word transcript" not in proc.stderr
    assert "REFI-QDA project file" in proc.stderr and "import-project demo.qdpx" in proc.stderr
