"""What an outside tester found: selections past the end of their text, files that are not projects,
dropped codes named, users and code GUIDs written back on export, comments of uncoded quotations."""

from __future__ import annotations

import re
import zipfile

import pytest

from qualcode.errors import FormatError
from qualcode.services.interchange import export_qdc, export_qdpx, import_codebook, import_project
from qualcode.store.project import Project
from tests.conftest import shared_path
from tests.interchange.refi_helpers import G, make_qdpx, project_xml
from tests.interchange.test_refi_cli import run

TEXT = "Interviewer: How was it?\nRespondent: I don't trust them at all.\n"
CODE = f'<CodeBook><Codes><Code guid="{G["c1"]}" name="Trust" isCodable="true"/></Codes></CodeBook>'


def _source(selections: str, text: str = TEXT) -> str:
    return (f'<Sources><TextSource guid="{G["s1"]}" name="Interview 1" plainTextPath="internal://{G["s1"]}.txt">'
            f'{selections}</TextSource></Sources>')


def _sel(n: int, start: int, end: int, inner: str = "", user: str = "") -> str:
    who = f' creatingUser="{user}"' if user else ""
    return (f'<PlainTextSelection guid="{n:08d}-0000-4000-8000-000000000000" startPosition="{start}" '
            f'endPosition="{end}"{who}>{inner}</PlainTextSelection>')


def _coded(n: int, start: int, end: int, code: str = G["c1"], user: str = "") -> str:
    who = f' creatingUser="{user}"' if user else ""
    inner = f'<Coding guid="{n:08d}-1111-4000-8000-000000000000"{who}><CodeRef targetGUID="{code}"/></Coding>'
    return _sel(n, start, end, inner, user)


def _archive(tmp_path, body: str, text: str = TEXT, name: str = "p.qdpx"):
    return make_qdpx(tmp_path / name, project_xml(body), {f"sources/{G['s1'].lower()}.txt": text})


def _spans(root) -> list[tuple[int, int]]:
    project = Project.open(root, search=False)
    try:
        return sorted((c.start, c.end) for coder in project.coders() for c in project.codings(coder))
    finally:
        project.close()


def _messages(result) -> str:
    return "\n".join(str(w) for w in result.warnings)


# -- 1. selections past the end of their source -------------------------------------------------
def test_selection_ending_far_past_the_text_is_left_out_and_named(tmp_path):
    s = TEXT.index("I don't")
    body = CODE + _source(_coded(1, s, s + 7) + _coded(2, s, 99_999_999) + _coded(3, 99_999_990, 99_999_999))
    result = import_project(_archive(tmp_path, body), tmp_path / "p")
    assert _spans(tmp_path / "p") == [(s, s + 7)]  # not stretched to the end of the transcript
    text = _messages(result)
    assert "source 'Interview 1': 2 selection(s) reach past the end of its text" in text
    assert "{00000002-0000-4000-8000-000000000000}" in text and f"{s}-99999999" in text
    assert "{00000003-0000-4000-8000-000000000000}" in text and "99999990-99999999" in text
    assert "with 2 coding(s)" in text


def test_a_final_newline_of_overshoot_is_clamped(tmp_path):
    s = TEXT.index("I don't")
    result = import_project(_archive(tmp_path, CODE + _source(_coded(1, s, len(TEXT) + 1))), tmp_path / "p")
    assert _spans(tmp_path / "p") == [(s, len(TEXT))]
    assert "past the end" not in _messages(result)


def test_real_sample_with_one_end_past_the_text(tmp_path):
    path = shared_path("refi", "samples", "projects", "nvivo-win-12.6_oltas.qdpx")
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    qde = files.pop("project.qde").decode("utf-8-sig")
    qde = re.sub(r'endPosition="\d+"', 'endPosition="99999999"', qde, count=1)
    result = import_project(make_qdpx(tmp_path / "pastend.qdpx", qde, files), tmp_path / "p")
    assert result.imported["codings"] == 96
    assert "1 selection(s) reach past the end" in _messages(result) and "-99999999" in _messages(result)


# -- 2. files that are not projects; dropped codes named -----------------------------------------
def test_qdpx_without_any_of_its_source_files_is_refused(tmp_path):
    archive = make_qdpx(tmp_path / "m.qdpx", project_xml(CODE + _source(_coded(1, 0, 5))))
    with pytest.raises(FormatError, match="none of the file's 1 text source"):
        import_project(archive, tmp_path / "p")
    proc = run("import-project", archive, tmp_path / "p")
    assert proc.returncode == 2 and "is not in the archive" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "p").exists()


def test_an_msbuild_project_is_not_a_refi_project(tmp_path):
    bare = tmp_path / "app.qde"
    bare.write_text('<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003"><PropertyGroup/>'
                    '</Project>', encoding="utf-8")
    proc = run("import-project", bare, tmp_path / "p")
    assert proc.returncode == 2 and "not a REFI-QDA project" in proc.stderr and "msbuild" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "p").exists()
    # a wrong namespace on a REFI-shaped file still reads (with a warning)
    body = CODE + _source(_coded(1, 0, 5))
    odd = make_qdpx(tmp_path / "o.qdpx", project_xml(body, ns="urn:example:other"), {f"sources/{G['s1']}.txt": TEXT})
    assert import_project(odd, tmp_path / "o").imported["codings"] == 1


def test_code_with_a_repeated_guid_is_named_with_its_codings_counted(tmp_path):
    book = (f'<CodeBook><Codes><Code guid="{G["c1"]}" name="Trust" isCodable="true"/>'
            f'<Code guid="{G["c1"]}" name="Distrust" isCodable="true">'
            f'<Code guid="{G["c2"]}" name="Of officials" isCodable="true"/></Code></Codes></CodeBook>')
    body = book + _source(_coded(1, 0, 5) + _coded(2, 6, 9, G["c2"]) + _coded(3, 10, 12, G["c2"]))
    result = import_project(_archive(tmp_path, body), tmp_path / "p")
    text = _messages(result)
    assert f"code 'Distrust' {{{G['c1'].lower()}}} was left out (it repeats the GUID of code 'Trust')" in text
    assert "with the 1 code(s) nested in it; 2 coding(s) of those codes were left out" in text
    assert "does not have" not in text  # counted once, under the code
    assert result.imported["codings"] == 1


def test_codebook_cycle_names_the_code(project, tmp_path):
    qdc = tmp_path / "cycle.qdc"
    qdc.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   '<Code guid="11111111-1111-4111-8111-111111111111" name="A" isCodable="true">'
                   '<Code guid="22222222-2222-4222-8222-222222222222" name="B" isCodable="true">'
                   '<Code guid="11111111-1111-4111-8111-111111111111" name="A again" isCodable="true"/>'
                   '</Code></Code></Codes></CodeBook>', encoding="utf-8")
    result = import_codebook(project, qdc)
    assert any("code 'A again' {11111111-1111-4111-8111-111111111111} was left out (it repeats the GUID of "
               "code 'A')" in str(w) for w in result.warnings)


# -- 3. users back with their names and GUIDs ------------------------------------------------------
def test_export_writes_users_back_as_they_were_imported(tmp_path):
    names = ["Friedrich Markgraf", "李明", "王芳"]
    users = "".join(f'<User guid="{n:08d}-2222-4000-8000-000000000000" name="{u}"/>' for n, u in enumerate(names))
    sels = "".join(_coded(n + 1, 0, 5, user=f"{n:08d}-2222-4000-8000-000000000000") for n in range(3))
    result = import_project(_archive(tmp_path, f"<Users>{users}</Users>" + CODE + _source(sels)), tmp_path / "p")
    coder_of = {name: coder for coder, (name, _) in result.coders.items()}
    assert coder_of["Friedrich Markgraf"] == "Friedrich_Markgraf"
    assert re.fullmatch(r"han-[0-9a-f]{6}", coder_of["李明"]) and re.fullmatch(r"han-[0-9a-f]{6}", coder_of["王芳"])
    assert coder_of["李明"] != coder_of["王芳"]  # ids of their own (test_refi_coders_memos_qde.py)
    project = Project.open(tmp_path / "p", search=False)
    out = export_qdpx(project, tmp_path / "back.qdpx").path
    project.close()
    qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    written = dict(re.findall(r'<User guid="([^"]+)" name="([^"]+)"', qde))
    assert written == {f"{n:08d}-2222-4000-8000-000000000000": u for n, u in enumerate(names)}
    again = import_project(out, tmp_path / "again")  # and back into qualcode: the same coders
    assert set(again.coders) == set(result.coders)


# -- 4. code GUIDs kept: an updated codebook updates, it does not duplicate -------------------------
def test_nvivo_codebook_update_matches_codes_by_their_guids(tmp_path):
    samples = ("refi", "samples", "projects")
    first = shared_path(*samples, "nvivo-win-12.6_oltas.qdpx")
    later = shared_path(*samples, "nvivo-mac-12.7.0_OltasSzkepticizmus_17June.qdpx")
    import_project(first, tmp_path / "p")
    project = Project.open(tmp_path / "p", search=False)
    result = import_codebook(project, later)
    # 59 of the later file's 152 codes have a GUID of the first file's 60: matched, not added
    assert len(result.added) == 93 and len(result.updated) + len(result.unchanged) == 59 and len(result.kept) == 1
    again = import_codebook(project, later)
    assert again.added == [] and again.updated == [] and len(again.unchanged) == 152
    with zipfile.ZipFile(later) as zf:
        qde = zf.read("project.qde").decode("utf-8-sig")
    theirs = {g.lower() for g in re.findall(r'<Code [^>]*guid="([^"]+)"', qde)}
    qdc = export_qdc(project, tmp_path / "book.qdc").path.read_text(encoding="utf-8")
    assert theirs <= set(re.findall(r'<Code [^>]*guid="([^"]+)"', qdc))  # written back with their GUIDs
    project.close()


def test_renamed_and_moved_code_is_updated_by_guid(tmp_path):
    book = (f'<CodeBook><Codes><Code guid="{G["c1"]}" name="Trust" isCodable="true"/>'
            f'<Code guid="{G["c2"]}" name="Fear" isCodable="true"/></Codes></CodeBook>')
    import_project(_archive(tmp_path, book + _source(_coded(1, 0, 5, G["c2"]))), tmp_path / "p")
    project = Project.open(tmp_path / "p", search=False)
    qdc = tmp_path / "later.qdc"
    qdc.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{G["c1"]}" name="Trust" '
                   f'isCodable="true"><Code guid="{G["c2"]}" name="Anxiety" isCodable="true"/></Code></Codes>'
                   '</CodeBook>', encoding="utf-8")
    result = import_codebook(project, qdc)
    assert result.added == [] and result.updated == ["fear"]
    code = project.reload_codebook().by_id["fear"]
    assert (code.name, code.parent) == ("Anxiety", "trust")
    out = export_qdpx(project, tmp_path / "back.qdpx").path
    project.close()
    qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    assert f'guid="{G["c2"]}" name="Anxiety"' in qde and f'<CodeRef targetGUID="{G["c2"]}"' in qde


# -- 5. a comment on an uncoded quotation is kept ---------------------------------------------------
def test_comment_of_an_uncoded_quotation_goes_to_imported_notes(tmp_path):
    s = TEXT.index("I don't")
    uncoded = _sel(2, s, s + 18, "<Description>Sounds bitter here.</Description>") + _sel(3, 0, 5)
    result = import_project(_archive(tmp_path, CODE + _source(_coded(1, 0, 5) + uncoded)), tmp_path / "p")
    notes = (tmp_path / "p" / "imported-notes.md").read_text(encoding="utf-8")
    assert "Interview 1" in notes and "> I don't trust them" in notes and "Sounds bitter here." in notes
    text = _messages(result)
    assert "selection(s) without a coding were left out (qualcode keeps only coded text) (2)" in text
    assert "comment(s) of selections without a coding were saved to imported-notes.md" in text


# -- project and document memos go back out -------------------------------------------------------
def test_project_and_document_memos_survive_a_round_trip(tmp_path):
    """The project's memo goes to imported-notes.md and back out as a project note; the document's
    memo is the transcript's memo and goes back out on its source (test_refi_coders_memos_qde.py)."""
    notes = (f'<Notes><Note guid="{G["n1"]}" name="Project memo"><PlainTextContent>Why we started.'
             f'</PlainTextContent></Note><Note guid="eeeeeeee-0000-4000-8000-000000000002" name="Doc memo">'
             f'<PlainTextContent>About interview 1.\n\n## not a heading</PlainTextContent></Note></Notes>')
    source = _source(_coded(1, 0, 5)).replace("</TextSource>", '<NoteRef targetGUID="eeeeeeee-0000-4000-8000-'
                                              '000000000002"/></TextSource>')
    body = CODE + source + notes + f'<NoteRef targetGUID="{G["n1"]}"/>'
    import_project(_archive(tmp_path, body), tmp_path / "p")
    first = (tmp_path / "p" / "imported-notes.md").read_text(encoding="utf-8")
    project = Project.open(tmp_path / "p", search=False)
    out = export_qdpx(project, tmp_path / "back.qdpx")
    project.close()
    assert out.counts["memos"] == 2
    assert "Why we started." in first and "About interview 1." not in first
    again = import_project(out.path, tmp_path / "again")
    assert (tmp_path / "again" / "imported-notes.md").read_text(encoding="utf-8").split("\n", 1)[1] == \
        first.split("\n", 1)[1]
    assert again.imported["transcript_memos"] == 1


def test_own_codebook_reimport_leaves_qualcode_toml_alone(study_copy, tmp_path):
    project = Project.open(study_copy, search=False)
    before = (study_copy / "qualcode.toml").read_bytes()
    import_codebook(project, export_qdc(project, tmp_path / "book.qdc").path)
    assert (study_copy / "qualcode.toml").read_bytes() == before  # qualcode's own GUIDs are not recorded
    project.close()
