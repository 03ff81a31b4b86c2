"""qualcode -> .qdpx -> qualcode gives the same project back."""

from __future__ import annotations

from qualcode.formats.codebook_yaml import codebook_to_data
from qualcode.services.interchange import export_qdpx, import_project
from qualcode.store.project import Project
from tests.conftest import shared_path


def _codings(project: Project) -> dict[str, set]:
    return {coder: {(c.transcript, c.start, c.end, c.code, c.memo, c.quote) for c in project.codings(coder)}
            for coder in project.coders_with_codings()}


def assert_same_project(a: Project, b: Project) -> None:
    assert sorted(a.index.ids()) == sorted(b.index.ids())
    for tid in a.index.ids():
        ta, tb = a.transcript(tid), b.transcript(tid)
        assert ta.text == tb.text, tid
        assert ta.title == tb.title
        assert ta.metadata == tb.metadata, tid
    assert codebook_to_data(a.codebook) == codebook_to_data(b.codebook)
    assert _codings(a) == _codings(b)
    assert a.cases.attributes == b.cases.attributes
    assert {t: a.cases.case(t) for t in a.index.ids()} == {t: b.cases.case(t) for t in b.index.ids()}
    assert a.cases.columns == b.cases.columns


def test_bundled_study_round_trip(study_copy, tmp_path):
    study = Project.open(study_copy, search=False)
    assert len(study.index) == 9 and study.coders_with_codings()  # the bundled study, copied
    exported = export_qdpx(study, tmp_path / "study.qdpx")
    result = import_project(exported.path, tmp_path / "back")
    assert not [w for w in result.warnings if "different text" in w.message]
    back = Project.open(tmp_path / "back", search=False)
    assert_same_project(study, back)
    memos = sum(1 for c in study.codings("researcher_a") if c.memo) + sum(
        1 for c in study.codings("researcher_b") if c.memo)
    assert result.imported["memos"] == memos
    # coding times survive too
    created = {c.quote: c.created for c in study.codings("researcher_a")}
    assert all(created.get(c.quote) == c.created for c in back.codings("researcher_a"))
    # turns are found again by qualcode's own importer from the same text
    for tid in study.index.ids():
        assert len(study.transcript(tid).turns) == len(back.transcript(tid).turns)
    back.close()
    study.close()


def test_round_trip_of_the_round_trip_is_byte_stable(study_copy, tmp_path):
    """Export, import, export again: the same project.qde (the project name keeps the GUIDs)."""
    import zipfile

    study = Project.open(study_copy, search=False)
    first = export_qdpx(study, tmp_path / "1.qdpx", now="2026-01-01T00:00:00Z")
    import_project(first.path, tmp_path / "back")
    back = Project.open(tmp_path / "back", search=False)
    second = export_qdpx(back, tmp_path / "2.qdpx", now="2026-01-01T00:00:00Z")

    def parts(path):
        from lxml import etree

        with zipfile.ZipFile(path) as zf:
            root = etree.fromstring(zf.read("project.qde"))
            texts = {n: zf.read(n) for n in zf.namelist() if n.startswith("sources/")}
        q = "{urn:QDA-XML:project:1.0}"
        codes = etree.tostring(root.find(f"{q}CodeBook"))
        spans = sorted((s.getparent().get("name"), s.get("startPosition"), s.get("endPosition"), s.get("name"))
                       for s in root.iter(f"{q}PlainTextSelection"))
        return codes, spans, texts, etree.tostring(root.find(f"{q}Cases"))

    assert parts(first.path) == parts(second.path)
    back.close()


def test_shared_cases_memos_and_astral_text_round_trip(tmp_path):
    from qualcode.services.project_ops import import_transcripts, init_project

    project = init_project(tmp_path / "p")
    for tid, body in (("t1", "Interviewer: Hello 😀.\n\nAnn: Yes, we 👍 monitor it.\n"),
                      ("t2", "Interviewer: And you?\n\nBob: No, never.\n")):
        src = tmp_path / f"{tid}.txt"
        src.write_text(f"---\nid: {tid}\ntitle: Interview {tid}\ndate: 2020-01-02\n---\n\n{body}", encoding="utf-8")
        import_transcripts(project, [src])
    (project.root / "cases.csv").write_text(
        "transcript,case,age,site,joined\nt1,Family A,42,north,2020-01-02\nt2,Family A,43,north,\n", encoding="utf-8")
    t1 = project.transcript("t1").text
    s = project.session("ann")
    s.add("t1", t1.index("we"), t1.index("it.") + 2, "theme", memo="first memo\nwith two lines")
    s.add("t1", t1.index("we"), t1.index("it.") + 2, "theme.sub")
    # a duplicate (written before `add` refused them, or brought in from elsewhere) is kept as such
    from qualcode.domain.coding import make_coding

    dup = make_coding(transcript="t1", start=t1.index("we"), end=t1.index("it.") + 2, code="theme.sub",
                      coder="ann", text=t1, th=project.transcript("t1").hash)
    s.commit({"op": "add", "coding": dup.to_json()})
    project.session("bob").add("t2", 0, 5, "theme")
    project.close()
    project = Project.open(tmp_path / "p", search=False)
    exported = export_qdpx(project, tmp_path / "p.qdpx")
    import_project(exported.path, tmp_path / "back")
    back = Project.open(tmp_path / "back", search=False)
    assert_same_project(project, back)
    assert len(list(back.codings("ann"))) == 3
    assert back.cases.attributes["t2"] == {"age": "43", "site": "north"}


def test_foreign_project_survives_a_second_trip(tmp_path):
    """NVivo -> qualcode -> .qdpx -> qualcode: nothing changes on the second trip."""
    path = shared_path("refi", "samples", "projects", "nvivo-win-12.6_oltas.qdpx")
    import_project(path, tmp_path / "one")
    one = Project.open(tmp_path / "one", search=False)
    exported = export_qdpx(one, tmp_path / "one.qdpx")
    import_project(exported.path, tmp_path / "two")
    two = Project.open(tmp_path / "two", search=False)
    assert_same_project(one, two)
    assert sorted(two.config.coders) == sorted(one.config.coders)
