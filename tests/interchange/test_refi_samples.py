"""Every real REFI-QDA sample in the shared folder imports, and what was in it is all accounted for.

The expected figures were counted from each file's XML (lxml, by local name); the test counts them
again from the file (independently of qualcode's reader) and checks the import against both.
"""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from qualcode.services.interchange import import_project
from qualcode.store.project import Project
from tests.conftest import shared_path

# file: users, codes, text sources, selections, codings in selections, transcripts and codings imported
SAMPLES = {
    "atlasti-win-23.2.3_blank-atlas-project.qdpx": (2, 0, 0, 0, 0, 0, 0),
    "atlasti-win-23.2.3_target-atlas-project.qdpx": (2, 3, 0, 0, 0, 0, 0),
    "nvivo-mac-12.7.0_OltasSzkepticizmus_17June.qdpx": (2, 152, 2, 297, 297, 2, 297),
    # both sources' .txt hold a single newline (NVivo's import had failed upstream)
    "nvivo-mac-15.0.0_qc-project.qdpx": (2, 262, 2, 0, 0, 0, 0),
    "nvivo-win-12.6_oltas.qdpx": (2, 60, 1, 97, 97, 1, 97),
    # several codings per selection
    "qc-1.3.2_demo.qdpx": (1, 262, 2, 158, 205, 2, 205),
}
# The two bare .qde samples (MAXQDA's, and the spec's Annex A.2 example: 6 TextSources + 2 PDF text
# representations) come without their sources/ folder: import-project refuses them
# (test_refi_coders_memos_qde.py), import-codebook takes their codebook.


def _qde(path) -> bytes:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            return zf.read("project.qde")
    return path.read_bytes()


def _n(root, xpath: str) -> int:
    return len(root.xpath(xpath))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_imports_and_is_counted(name, tmp_path):
    path = shared_path("refi", "samples", "projects", name)
    users, codes, text_sources, selections, codings, transcripts, imported = SAMPLES[name]
    root = etree.fromstring(_qde(path))
    local = lambda tag: f'//*[local-name()="{tag}"]'  # noqa: E731
    assert _n(root, local("User")) == users
    assert _n(root, local("Code")) == codes
    assert _n(root, local("TextSource")) == text_sources
    assert _n(root, local("PlainTextSelection")) == selections
    assert _n(root, local("PlainTextSelection") + '/*[local-name()="Coding"]') == codings

    result = import_project(path, tmp_path / "p")
    found = result.found
    assert found.get("users", 0) == users
    assert found.get("codes", 0) == codes
    assert found.get("selections", 0) == selections
    assert found.get("codings", 0) == codings
    assert result.imported["codes"] == codes
    assert result.imported["coders"] == users
    assert result.imported["transcripts"] == transcripts
    assert result.imported["codings"] == imported
    project = Project.open(tmp_path / "p", search=False)
    assert len(project.codebook) == codes
    assert len(project.index) == transcripts
    assert sum(len(project.codings(c)) for c in project.coders()) == imported
    assert set(project.config.coders) == set(result.coders)
    assert not [f for f in (tmp_path).iterdir() if f.name.startswith(".")]  # no temp folder left
    project.close()


def test_nvivo_utf16_offsets_land_on_line_starts(tmp_path):
    """NVivo counts UTF-16 units, CR included, BOM not: all 97 selections start at a line start."""
    path = shared_path("refi", "samples", "projects", "nvivo-win-12.6_oltas.qdpx")
    result = import_project(path, tmp_path / "p")
    assert result.offsets == {"UTF-16 units / file text": 1}
    project = Project.open(tmp_path / "p", search=False)
    (coder_a, coder_b) = sorted(project.coders())
    codings = [c for coder in (coder_a, coder_b) for c in project.codings(coder)]
    assert len(codings) == 97
    text = project.transcript(codings[0].transcript).text
    assert not text.startswith("\ufeff") and "\r" not in text
    assert all(c.start == 0 or text[c.start - 1] == "\n" for c in codings)
    project.close()


def test_nvivo_mac_offsets_are_utf16_too(tmp_path):
    path = shared_path("refi", "samples", "projects", "nvivo-mac-12.7.0_OltasSzkepticizmus_17June.qdpx")
    result = import_project(path, tmp_path / "p")
    assert result.offsets == {"UTF-16 units / file text": 1}
    assert any("not used" in w.message and ".docx" in w.message for w in result.warnings)  # stray docx files
    project = Project.open(tmp_path / "p", search=False)
    codings = [c for coder in project.coders() for c in project.codings(coder)]
    at_line_start = sum(1 for c in codings if c.start == 0 or project.transcript(c.transcript).text[c.start - 1] == "\n")
    assert at_line_start >= 270  # 275 of 297 (the others start at a sentence); code points would give 17
    project.close()


def test_qc_sample_keeps_several_codings_per_selection(tmp_path):
    path = shared_path("refi", "samples", "projects", "qc-1.3.2_demo.qdpx")
    import_project(path, tmp_path / "p")
    project = Project.open(tmp_path / "p", search=False)
    (coder,) = project.coders()
    spans = {}
    for c in project.codings(coder):
        spans.setdefault((c.transcript, c.start, c.end), set()).add(c.code)
    assert len(spans) == 158 and sum(len(v) for v in spans.values()) == 205
    project.close()


@pytest.mark.parametrize("name,codes", [
    ("atlasti-win-23.4.0_requal-test.qdc", 1),
    ("atlasti-win-9.0.19_portableQDA_Atlasti.qdc", 5),  # pre-1.0 namespace, a code folder
    ("portableqda-0.4_compare-diff.qdc", 2),
    ("portableqda-0.4_doorstop-exported.qdc", 8),  # description written as an attribute
    ("spec-annexA1_portableqda-copy.qdc", 6),  # braced GUIDs, empty <Sets/>
])
def test_codebook_samples_import(name, codes, project):
    from qualcode.services.interchange import import_codebook

    path = shared_path("refi", "samples", "codebooks", name)
    root = etree.fromstring(path.read_bytes())
    assert _n(root, '//*[local-name()="Code"]') == codes
    before = len(project.codebook)
    result = import_codebook(project, path)
    assert len(result.added) == codes and result.backup is not None and result.backup.exists()
    assert len(project.reload_codebook()) == before + codes
