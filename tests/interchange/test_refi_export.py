"""Export: schema-valid .qdpx and .qdc, stable GUIDs, code-point offsets, a strict writer."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from qualcode.errors import FormatError
from qualcode.formats.refi import model
from qualcode.formats.refi.writer import project_xml
from qualcode.services.interchange import export_qdc, export_qdpx
from qualcode.store.project import Project
from tests.interchange.refi_helpers import NS, assert_valid, schema

Q = {"q": NS}


def _qde(path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde")


def test_study_export_is_valid_and_complete(study_copy, tmp_path):
    xsd = schema("Project-mrt2019.xsd")
    project = Project.open(study_copy, search=False)
    result = export_qdpx(project, tmp_path / "study.qdpx")
    xml = _qde(result.path)
    assert_valid(xsd, xml)
    root = etree.fromstring(xml)
    sources = root.findall("q:Sources/q:TextSource", Q)
    assert len(sources) == len(project.index) == result.counts["sources"]
    with zipfile.ZipFile(result.path) as zf:
        names = set(zf.namelist())
        assert names == {"project.qde"} | {f"sources/{s.get('guid')}.txt" for s in sources}
        by_name = {s.get("name"): s for s in sources}
        n_sel = 0
        for entry in project.index:
            t = project.transcript(entry.id)
            src = by_name[t.title]
            assert src.get("plainTextPath") == f"internal://{src.get('guid')}.txt"
            text = zf.read(f"sources/{src.get('guid')}.txt").decode("utf-8")
            assert text == t.text  # canonical text, UTF-8 without BOM
            for sel in src.findall("q:PlainTextSelection", Q):
                n_sel += 1
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                assert 0 <= start < end <= len(text)
                name = sel.get("name")
                # the name is the selection's text: end exclusive, code points
                assert " ".join(text[start:end].split()).startswith(name.rstrip("…").rstrip())
                assert len(sel.findall("q:Coding", Q)) == 1
    codings = sum(len(project.codings(c)) for c in project.coders())
    assert n_sel == codings == result.counts["selections"]
    users = [u.get("name") for u in root.findall("q:Users/q:User", Q)]
    assert set(users) >= set(project.coders_with_codings())
    codes = root.findall(".//q:Code", Q)
    assert len(codes) == len(project.codebook)
    assert all(c.get("color") is None or len(c.get("color")) == 7 for c in codes)
    memos = [c for coder in project.coders() for c in project.codings(coder) if c.memo]
    assert result.counts["memos"] == len(memos)
    assert len(root.findall("q:Cases/q:Case", Q)) == len(set(project.cases.case_of.values()))
    assert [v.get("name") for v in root.findall("q:Variables/q:Variable", Q)] == project.cases.columns


def test_guids_are_stable_across_exports(study_copy, tmp_path):
    project = Project.open(study_copy, search=False)
    a = export_qdpx(project, tmp_path / "a.qdpx", now="2026-01-01T00:00:00Z")
    b = export_qdpx(project, tmp_path / "b.qdpx", now="2026-01-01T00:00:00Z")
    assert _qde(a.path) == _qde(b.path)
    c = export_qdpx(project, tmp_path / "c.qdpx", now="2026-02-02T00:00:00Z")
    guids = lambda p: sorted(etree.fromstring(_qde(p)).xpath("//@guid"))  # noqa: E731
    assert guids(a.path) == guids(c.path)
    assert len(set(guids(a.path))) == len(guids(a.path))  # all distinct


def test_codebook_export_is_valid(study_copy, tmp_path):
    xsd = schema("Codebook.xsd")
    project = Project.open(study_copy, search=False)
    result = export_qdc(project, tmp_path / "book.qdc")
    xml = result.path.read_bytes()
    assert_valid(xsd, xml)
    root = etree.fromstring(xml)
    codes = root.findall(".//{urn:QDA-XML:codebook:1.0}Code")
    assert len(codes) == len(project.codebook) == result.counts["codes"]
    # the tree is kept: top-level codes are the codebook's roots
    top = root.findall("{urn:QDA-XML:codebook:1.0}Codes/{urn:QDA-XML:codebook:1.0}Code")
    assert [c.get("name") for c in top] == [c.name for c in project.codebook.roots]


def test_small_project_has_no_empty_containers_and_survives_odd_text(project, tmp_path):
    xsd = schema("Project-mrt2019.xsd")
    t = project.transcript("int-1")
    session = project.session("ann")
    session.add("int-1", 0, 11, "theme", memo="bell \x07 and form feed \x0c in a memo")
    result = export_qdpx(project, tmp_path / "p.qdpx")
    xml = _qde(result.path)
    assert_valid(xsd, xml)
    root = etree.fromstring(xml)
    assert root.find("q:Cases", Q) is None and root.find("q:Variables", Q) is None
    assert "\ufffd" in root.find("q:Notes/q:Note/q:PlainTextContent", Q).text
    assert t.text.startswith(root.find(".//q:PlainTextSelection", Q).get("name"))


def test_astral_characters_are_counted_as_code_points(tmp_path):
    from qualcode.services.project_ops import import_transcripts, init_project

    project = init_project(tmp_path / "p")
    src = tmp_path / "emoji.txt"
    src.write_text("---\nid: emoji\n---\nInterviewer: Hi 😀😀 there.\n\nAnn: Yes 👍 good.\n", encoding="utf-8")
    import_transcripts(project, [src])
    text = project.transcript("emoji").text
    start = text.index("good")
    project.session("ann").add("emoji", start, start + 4, "theme")
    xml = _qde(export_qdpx(project, tmp_path / "e.qdpx").path)
    sel = etree.fromstring(xml).find(".//q:PlainTextSelection", Q)
    assert (int(sel.get("startPosition")), int(sel.get("endPosition"))) == (start, start + 4)
    assert sel.get("name") == "good"
    project.close()


def test_strict_writer_refuses_bad_colours_and_spans():
    bad = model.Project(name="x", codes=[model.Code(guid="12345678-0000-4000-8000-000000000001", name="c",
                                                    colour="#E34948FF")])
    with pytest.raises(FormatError, match="not #RRGGBB"):
        project_xml(bad)
    src = model.Source(guid="12345678-0000-4000-8000-000000000002", text="abc", path="internal://x.txt",
                       selections=[model.Selection(guid="12345678-0000-4000-8000-000000000003", start=2, end=2)])
    with pytest.raises(ValueError, match="outside the source"):
        project_xml(model.Project(name="x", sources=[src]))
    with pytest.raises(ValueError, match="not a GUID"):
        project_xml(model.Project(name="x", users=[model.User(guid="not-a-guid")]))
