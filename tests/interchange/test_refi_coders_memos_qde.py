"""Three gaps a tester found: coders with non-Latin names, document memos, a .qde without its documents.

1. A user named 张伟 or Анна became the coder ``user`` / ``user-2``: now Анна is ``Anna`` and a name
   that cannot be transliterated keeps a stable id (the user's ``id``, else ``han-`` + a hash), shown
   beside the name as written; the name goes back out on export.
2. A document's memo (a source's ``<Description>`` or a ``NoteRef`` to a note) became a project note in
   imported-notes.md: now it is the transcript's memo of the coder who wrote it, and export writes a
   transcript memo back as a Note its TextSource refers to.
3. A bare .qde whose texts are in a sources/ folder that is not there made a project without its
   transcripts: now it is refused (exit 2, one message); a .qde whose texts are inline is imported.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from qualcode.errors import FormatError
from qualcode.services.interchange import coder_names, export_qdpx, import_codebook, import_project
from qualcode.store.project import Project
from qualcode.store.status import set_mark, transcript_memo
from tests.conftest import shared_path
from tests.interchange.refi_helpers import G, assert_valid, make_qdpx, project_xml, schema
from tests.interchange.test_refi_cli import run

TEXT = "Interviewer: How was it?\nRespondent: I don't trust them at all.\n"
CODE = f'<CodeBook><Codes><Code guid="{G["c1"]}" name="Trust" isCodable="true"/></Codes></CodeBook>'


def _user_guid(n: int) -> str:
    return f"{n:08d}-2222-4000-8000-000000000000"


def _coded(n: int, start: int, end: int, user: str) -> str:
    return (f'<PlainTextSelection guid="{n:08d}-0000-4000-8000-000000000000" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{user}"><Coding guid="{n:08d}-1111-4000-8000-000000000000" '
            f'creatingUser="{user}"><CodeRef targetGUID="{G["c1"]}"/></Coding></PlainTextSelection>')


def _qde_root(path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("project.qde"))


def _xp(root, xpath: str) -> list:
    return root.xpath(xpath.replace("{}", "*[local-name()='").replace("{/}", "']"))


# -- 1. coders with non-Latin names ------------------------------------------------------------------
NAMES = [("张伟", ""), ("Анна", ""), ("Сергей Иванов", ""), ("José Núñez", ""), ("Γιώργος", ""),
         ("李娜", "LN")]


def _users_archive(tmp_path, names, file="users.qdpx", first_guid=0):
    users = "".join(f'<User guid="{_user_guid(first_guid + n)}" name="{u}"' + (f' id="{i}"' if i else "") + "/>"
                    for n, (u, i) in enumerate(names))
    sels = "".join(_coded(first_guid + n + 1, 0, 11, _user_guid(first_guid + n)) for n in range(len(names)))
    body = (f"<Users>{users}</Users>" + CODE + f'<Sources><TextSource guid="{G["s1"]}" name="Interview 1" '
            f'plainTextPath="internal://{G["s1"]}.txt">{sels}</TextSource></Sources>')
    return make_qdpx(tmp_path / file, project_xml(body), {f"sources/{G['s1'].lower()}.txt": TEXT})


def test_non_latin_user_names_become_coders_a_researcher_recognises(tmp_path):
    archive = _users_archive(tmp_path, NAMES)
    result = import_project(archive, tmp_path / "p")
    coder_of = {name: coder for coder, (name, _) in result.coders.items()}
    assert coder_of["Анна"] == "Anna"
    assert coder_of["Сергей Иванов"] == "Sergey_Ivanov"
    assert coder_of["José Núñez"] == "Jose_Nunez"
    assert coder_of["Γιώργος"] == "Giorgos"
    assert coder_of["李娜"] == "LN"  # Chinese characters cannot be transliterated: the user's id (NVivo's initials)
    assert re.fullmatch(r"han-[0-9a-f]{6}", coder_of["张伟"])  # no id given: the script and a stable hash
    assert not [c for c in result.coders if c == "user" or c.startswith("user-")]
    # each coder has their one coding, in a journal named by their id
    project = Project.open(tmp_path / "p", search=False)
    assert {c: len(project.codings(c)) for c in coder_of.values()} == {c: 1 for c in coder_of.values()}
    assert coder_names(project) == {coder: name for name, coder in coder_of.items()}  # to show beside the ids
    project.close()
    assert sorted(p.stem for p in (tmp_path / "p" / "codings").glob("*.jsonl")) == sorted(coder_of.values())
    # the id is what --coder takes, and import-project prints each coder beside the name as written
    listed = run("code", "list", "--coder", "Anna", "--project", tmp_path / "p", check=0).stdout
    assert "Interviewer" in listed
    out = run("import-project", archive, tmp_path / "q", check=0).stdout
    assert "coder Anna  <-  user Анна" in out and f"coder {coder_of['张伟']}  <-  user 张伟" in out


def test_a_name_that_cannot_be_transliterated_keeps_the_same_id_in_every_file(tmp_path):
    first = import_project(_users_archive(tmp_path, [("张伟", "")], "a.qdpx"), tmp_path / "a")
    # another project, another GUID for the user, another coder before them: the same id
    second = import_project(_users_archive(tmp_path, [("王芳", ""), ("张伟", "")], "b.qdpx", first_guid=7),
                            tmp_path / "b")
    zhang = {c for c, (name, _) in first.coders.items() if name == "张伟"}
    assert zhang == {c for c, (name, _) in second.coders.items() if name == "张伟"}
    assert len(set(second.coders)) == 2  # and 王芳 is someone else


def test_coders_go_back_out_under_their_names_and_come_back_as_the_same_coders(tmp_path):
    result = import_project(_users_archive(tmp_path, NAMES), tmp_path / "p")
    project = Project.open(tmp_path / "p", search=False)
    out = export_qdpx(project, tmp_path / "back.qdpx").path
    project.close()
    users = {u.get("guid"): u.get("name") for u in _xp(_qde_root(out), "//{}User{/}")}
    assert users == {_user_guid(n): name for n, (name, _) in enumerate(NAMES)}
    again = import_project(out, tmp_path / "again")
    assert again.coders == result.coders


# -- 2. document memos -------------------------------------------------------------------------------
ANN, BOB = _user_guid(1), _user_guid(2)
N1, N2, N3 = (f"eeeeeeee-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))


def _memo_archive(tmp_path):
    """NVivo and ATLAS.ti write a document's memo as its <Description>, MAXQDA as a NoteRef to a note."""
    users = f'<Users><User guid="{ANN}" name="Ann Smith"/><User guid="{BOB}" name="Bob"/></Users>'
    sources = (
        f'<Sources><TextSource guid="{G["s1"]}" name="Interview 1" plainTextPath="internal://{G["s1"]}.txt" '
        f'creatingUser="{ANN}"><Description>Ann: the respondent was guarded at first.</Description>'
        f'{_coded(1, 0, 11, ANN)}<NoteRef targetGUID="{N1}"/></TextSource>'
        f'<TextSource guid="{G["s2"]}" name="Interview 2" plainTextPath="internal://{G["s2"]}.txt" '
        f'creatingUser="{BOB}"><NoteRef targetGUID="{N2}"/></TextSource></Sources>')
    notes = (f'<Notes><Note guid="{N1}" name="Memo on interview 1" creatingUser="{BOB}"><PlainTextContent>'
             f'Bob: compare with the council minutes.</PlainTextContent></Note>'
             f'<Note guid="{N2}" name="Document memo" creatingUser="{ANN}"><PlainTextContent>Ann: a second '
             f'meeting was held in May.</PlainTextContent></Note>'
             f'<Note guid="{N3}" name="Project log"><PlainTextContent>Started in March.</PlainTextContent></Note>'
             f'</Notes><NoteRef targetGUID="{N3}"/>')
    return make_qdpx(tmp_path / "memos.qdpx", project_xml(users + CODE + sources + notes),
                     {f"sources/{G['s1'].lower()}.txt": TEXT, f"sources/{G['s2'].lower()}.txt": "Another text.\n"})


def _transcript_memos(root) -> dict[tuple[str, str], str]:
    from qualcode.tui.screens.memos import gather

    project = Project.open(root, search=False)
    try:  # what `M` in the workbench lists
        return {(m.transcript, m.coder): m.text for m in gather(project, project.codebook, project.coders())
                if m.on == "transcript"}
    finally:
        project.close()


def test_a_documents_memo_is_the_transcripts_memo_of_who_wrote_it(tmp_path):
    result = import_project(_memo_archive(tmp_path), tmp_path / "p")
    assert _transcript_memos(tmp_path / "p") == {
        ("interview-1", "Ann_Smith"): "Ann: the respondent was guarded at first.",
        ("interview-1", "Bob"): "Bob: compare with the council minutes.",
        ("interview-2", "Ann_Smith"): "Ann: a second meeting was held in May.",
    }
    assert result.imported["transcript_memos"] == 3
    notes = (tmp_path / "p" / "imported-notes.md").read_text(encoding="utf-8")
    assert "Started in March." in notes  # the project's own note is still a project note
    assert "guarded" not in notes and "council minutes" not in notes and "second meeting" not in notes


def test_transcript_memos_go_out_on_their_sources_and_come_back(tmp_path):
    import_project(_memo_archive(tmp_path), tmp_path / "p")
    project = Project.open(tmp_path / "p", search=False)
    out = export_qdpx(project, tmp_path / "back.qdpx").path
    project.close()
    with zipfile.ZipFile(out) as zf:
        assert_valid(schema("Project-mrt2019.xsd"), zf.read("project.qde"))
    root = _qde_root(out)
    notes = {n.get("guid"): n for n in _xp(root, "//{}Note{/}")}
    on_source = {}
    for src in _xp(root, "//{}TextSource{/}"):
        for ref in _xp(src, "{}NoteRef{/}"):
            note = notes[ref.get("targetGUID")]
            on_source[(src.get("name"), note.get("creatingUser"))] = _xp(note, "{}PlainTextContent{/}")[0].text
    assert on_source == {("Interview 1", ANN): "Ann: the respondent was guarded at first.",
                         ("Interview 1", BOB): "Bob: compare with the council minutes.",
                         ("Interview 2", ANN): "Ann: a second meeting was held in May."}
    import_project(out, tmp_path / "again")
    assert _transcript_memos(tmp_path / "again") == _transcript_memos(tmp_path / "p")


def test_a_memo_written_in_qualcode_is_exported_on_its_transcript(project, tmp_path):
    session = project.session("ruth")
    try:
        set_mark(session, "int-1", "memo", "Check the fund figures with the council.")
    finally:
        session.close()
    out = export_qdpx(project, tmp_path / "out.qdpx").path
    root = _qde_root(out)
    (src,) = _xp(root, "//{}TextSource{/}")
    refs = [r.get("targetGUID") for r in _xp(src, "{}NoteRef{/}")]
    notes = {n.get("guid"): n for n in _xp(root, "//{}Note{/}")}
    (note,) = [notes[g] for g in refs]
    assert _xp(note, "{}PlainTextContent{/}")[0].text == "Check the fund figures with the council."
    ruth = {u.get("id"): u.get("guid") for u in _xp(root, "//{}User{/}")}["ruth"]
    assert note.get("creatingUser") == ruth
    import_project(out, tmp_path / "back")
    back = Project.open(tmp_path / "back", search=False)
    assert transcript_memo(back.codings("ruth"), "int-1") == "Check the fund figures with the council."
    back.close()


# -- 3. a bare .qde ----------------------------------------------------------------------------------
def _bare(folder, sources: str, origin: str = "MAXQDA 24") -> object:
    folder.mkdir(parents=True, exist_ok=True)
    qde = folder / "project.qde"
    body = f'<Users><User guid="{ANN}" name="Ann"/></Users>' + CODE + f"<Sources>{sources}</Sources>"
    qde.write_text(project_xml(body, attrs=f'name="Bare" origin="{origin}"'), encoding="utf-8")
    return qde


def _internal(guid: str, name: str, inner: str = "") -> str:
    return f'<TextSource guid="{guid}" name="{name}" plainTextPath="internal://{guid}.txt">{inner}</TextSource>'


def test_a_qde_without_its_documents_is_refused_with_what_to_do(tmp_path):
    qde = _bare(tmp_path / "alone", _internal(G["s1"], "Interview 1", _coded(1, 0, 11, ANN))
                + _internal(G["s2"], "Interview 2"))
    with pytest.raises(FormatError, match=r"only the project's XML, without its documents: the text of all 2 text "
                                          r"source\(s\) is in files it refers to .*no sources/ folder beside it"):
        import_project(qde, tmp_path / "p")
    proc = run("import-project", qde, tmp_path / "p")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(qde) in proc.stderr and "'Interview 1'" in proc.stderr and "nothing was imported" in proc.stderr
    assert "What to do: export the project again from MAXQDA 24 as a REFI-QDA project (.qdpx" in proc.stderr
    assert not (tmp_path / "p").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_qde_beside_a_sources_folder_missing_some_texts_is_refused(tmp_path):
    qde = _bare(tmp_path / "export", _internal(G["s1"], "Interview 1") + _internal(G["s2"], "Interview 2"))
    (tmp_path / "export" / "sources").mkdir()
    (tmp_path / "export" / "sources" / f"{G['s1']}.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(FormatError, match=r"1 of the 2 text source\(s\) .*'Interview 2'.* the sources/ folder "
                                          r"beside it does not hold them"):
        import_project(qde, tmp_path / "p")
    (tmp_path / "export" / "sources" / f"{G['s2']}.txt").write_text("Another text.\n", encoding="utf-8")
    assert import_project(qde, tmp_path / "p").imported["transcripts"] == 2  # an unzipped .qdpx imports


def test_a_qde_whose_texts_are_inline_is_imported(tmp_path):
    inline = (f'<TextSource guid="{G["s1"]}" name="Interview 1"><PlainTextContent>{TEXT}</PlainTextContent>'
              f'{_coded(1, 0, 11, ANN)}</TextSource>')
    result = import_project(_bare(tmp_path / "x", inline), tmp_path / "p")
    assert result.imported["transcripts"] == 1 and result.imported["codings"] == 1
    project = Project.open(tmp_path / "p", search=False)
    assert project.transcript("interview-1").text == TEXT
    assert [c.quote for c in project.codings("Ann")] == ["Interviewer"]
    project.close()


@pytest.mark.parametrize("name,texts,origin", [
    ("maxqda-24.7.0_ICLS_just10_project.qde", "all 10", "MAXQDA 24"),
    ("spec-annexA2_atlasti-8.4_project.qde", "all 8", "ATLAS.ti 8.4.0"),
])
def test_real_qde_files_without_their_sources_are_refused(name, texts, origin, tmp_path):
    path = shared_path("refi", "samples", "projects", name)
    proc = run("import-project", path, tmp_path / "p")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and not (tmp_path / "p").exists()
    assert f"the text of {texts} text source(s)" in proc.stderr
    assert f"export the project again from {origin}" in proc.stderr


def test_a_bare_qde_still_gives_its_codebook_to_import_codebook(project):
    path = shared_path("refi", "samples", "projects", "maxqda-24.7.0_ICLS_just10_project.qde")
    before = len(project.codebook)
    result = import_codebook(project, path)
    assert len(result.added) == 307 and len(project.reload_codebook()) == before + 307


# -- found on the way: what a round trip through qualcode's own export lost or changed ------------------
def test_each_coders_transcript_status_survives_a_round_trip(project, tmp_path):
    from qualcode.store.status import set_status, status_of

    session = project.session("ruth")
    try:
        set_status(session, "int-1", "done")
    finally:
        session.close()
    out = export_qdpx(project, tmp_path / "out.qdpx").path
    import_project(out, tmp_path / "back")
    back = Project.open(tmp_path / "back", search=False)
    assert status_of(back.codings("ruth"), "int-1") == "done"  # `agree --done-only` still sees it done
    back.close()


def test_coding_guids_are_the_same_after_a_round_trip(study_copy, tmp_path):
    def coding_guids(path):
        return sorted(c.get("guid") for c in _xp(_qde_root(path), "//{}PlainTextSelection{/}/{}Coding{/}"))

    study = Project.open(study_copy, search=False)
    first = export_qdpx(study, tmp_path / "1.qdpx").path
    study.close()
    import_project(first, tmp_path / "back")
    back = Project.open(tmp_path / "back", search=False)
    second = export_qdpx(back, tmp_path / "2.qdpx").path
    back.close()
    assert len(coding_guids(first)) == 640 and coding_guids(first) == coding_guids(second)
