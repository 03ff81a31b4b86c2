"""import-codebook: merge (default) or replace; never loses the old codebook or codings silently."""

from __future__ import annotations

import pytest
from lxml import etree

from qualcode.domain.codebook import Code, Codebook
from qualcode.errors import FormatError, QualcodeError
from qualcode.formats.codebook_yaml import codebook_to_data, load_codebook
from qualcode.formats.refi.codebook import describe, parse_description
from qualcode.services.interchange import export_qdc, export_qdpx, import_codebook
from qualcode.store.project import Project

CB = "urn:QDA-XML:codebook:1.0"


def _qdc(codes_xml: str) -> bytes:
    return f'<?xml version="1.0"?><CodeBook xmlns="{CB}" origin="Other tool"><Codes>{codes_xml}</Codes></CodeBook>'.encode()


def test_description_round_trip():
    code = Code(id="x", name="X", definition="What it is.\n\nSecond paragraph.", include="When.", exclude="Not.",
                examples=["one", "two"], keywords=["a", "b c"])
    fields = parse_description(describe(code))
    assert fields == {"definition": code.definition, "include": "When.", "exclude": "Not.",
                      "examples": ["one", "two"], "keywords": ["a", "b c"]}
    assert parse_description("Just a definition")["definition"] == "Just a definition"


def test_own_qdc_reimports_unchanged(study_copy, tmp_path):
    project = Project.open(study_copy, search=False)
    before = codebook_to_data(project.codebook)
    path = export_qdc(project, tmp_path / "book.qdc").path
    data = project.codebook_path.read_bytes()
    result = import_codebook(project, path)
    assert result.added == [] and result.updated == [] and len(result.unchanged) == len(project.codebook)
    assert codebook_to_data(project.reload_codebook()) == before
    assert result.backup is None and project.codebook_path.read_bytes() == data  # a no-op import writes nothing
    # the .qdpx holds the same codebook
    qdpx = export_qdpx(project, tmp_path / "p.qdpx").path
    again = import_codebook(project, qdpx, replace=True)
    assert again.removed == [] and again.updated == []


def test_codes_edited_in_another_program_are_matched_by_guid(study_copy, tmp_path):
    """A .qdc that went through another program (qualcode's metadata dropped, names and a
    description changed) still updates the right codes: the GUIDs are qualcode's."""
    project = Project.open(study_copy, search=False)
    path = export_qdc(project, tmp_path / "book.qdc").path
    root = etree.fromstring(path.read_bytes())
    for s in root.findall(f"{{{CB}}}Sets"):
        root.remove(s)
    first = root.find(f"{{{CB}}}Codes/{{{CB}}}Code")
    first.set("name", "Renamed theme")
    first.find(f"{{{CB}}}Description").text = "A new definition."
    path.write_bytes(etree.tostring(root))
    old = project.codebook.roots[0]
    result = import_codebook(project, path)
    book = project.reload_codebook()
    assert result.updated == [old.id]
    assert book.get(old.id).name == "Renamed theme" and book.get(old.id).definition == "A new definition."
    assert book.get(old.id).shortcut == old.shortcut  # what REFI cannot carry is kept


def test_merge_adds_and_keeps(project, tmp_path):
    path = tmp_path / "new.qdc"
    path.write_bytes(_qdc('<Code guid="11111111-0000-4000-8000-000000000001" name="A first theme" isCodable="true" '
                          'color="#FF0000"><Code guid="11111111-0000-4000-8000-000000000002" name="Brand new" '
                          'isCodable="true"/></Code>'))
    result = import_codebook(project, path)
    book = project.reload_codebook()
    assert result.mode == "merge"
    assert result.updated == ["theme"] and result.added == ["theme.brand_new"] and result.kept == ["theme.sub"]
    assert book.get("theme").colour == "#FF0000"
    assert book.get("theme").definition  # the file had no description: the old one is kept
    assert book.get("theme.brand_new").parent == "theme"
    assert book.get("theme.sub") is not None


def test_replace_refuses_when_codings_would_lose_their_code(project, tmp_path):
    project.session("ann").add("int-1", 0, 11, "theme.sub")
    path = tmp_path / "new.qdc"
    path.write_bytes(_qdc('<Code guid="11111111-0000-4000-8000-000000000001" name="A first theme" isCodable="true"/>'
                          '<Code guid="11111111-0000-4000-8000-000000000003" name="Other" isCodable="true"/>'))
    before = project.codebook_path.read_text("utf-8")
    with pytest.raises(QualcodeError, match=r"1 coding\(s\) use codes the file does not have: theme.sub \(1\)"):
        import_codebook(project, path, replace=True)
    assert project.codebook_path.read_text("utf-8") == before
    assert not list(project.codebook_path.parent.glob("*.bak"))
    result = import_codebook(project, path, replace=True, force=True)
    assert result.removed == ["theme.sub"] and result.added == ["other"]
    assert result.backup.read_text("utf-8") == before
    assert any("theme.sub" in w.message for w in result.warnings)
    assert [c.id for c in project.reload_codebook().codes] == ["theme", "other"]
    assert load_codebook(result.backup).get("theme.sub") is not None


def test_replace_without_codings_in_the_way(project, tmp_path):
    path = tmp_path / "new.qdc"
    path.write_bytes(_qdc('<Code guid="11111111-0000-4000-8000-000000000003" name="Only" isCodable="true"/>'))
    result = import_codebook(project, path, replace=True)
    assert result.removed == ["theme", "theme.sub"]
    assert [c.id for c in project.reload_codebook().codes] == ["only"]


def test_bad_codebook_files_change_nothing(project, tmp_path):
    before = project.codebook_path.read_text("utf-8")
    empty = tmp_path / "empty.qdc"
    empty.write_bytes(f'<CodeBook xmlns="{CB}"><Codes/></CodeBook>'.encode())
    with pytest.raises(FormatError, match="no codes"):
        import_codebook(project, empty)
    junk = tmp_path / "junk.qdc"
    junk.write_text("not xml at all", encoding="utf-8")
    with pytest.raises(FormatError):
        import_codebook(project, junk)
    assert project.codebook_path.read_text("utf-8") == before


def test_codebook_name_and_tree_survive_qdc(tmp_path):
    from qualcode.services.project_ops import init_project

    project = init_project(tmp_path / "a")
    book = Codebook(name="Mine", description="About.", codes=[
        Code(id="a", name="A", colour="#123456", shortcut="1", keywords=["k"]),
        Code(id="a.b", name="B", parent="a", examples=["e1"], include="inc"),
        Code(id="c", name="C"),
    ])
    project.set_codebook(book)
    path = export_qdc(project, tmp_path / "b.qdc").path
    other = init_project(tmp_path / "b")
    import_codebook(other, path, replace=True)
    assert codebook_to_data(other.reload_codebook()) == codebook_to_data(book)


def test_a_new_code_never_takes_an_old_codes_id_by_chance(project, tmp_path):
    path = tmp_path / "new.qdc"
    path.write_bytes(_qdc('<Code guid="11111111-0000-4000-8000-000000000009" name="Theme" isCodable="true">'
                          '<Description>Something else entirely.</Description></Code>'))
    result = import_codebook(project, path)
    assert result.added == ["theme-2"] and result.updated == []
    assert project.reload_codebook().get("theme").name == "A first theme"
