"""The codebook's three-way merge: per code and field, the records of renamed and merged ids."""

from __future__ import annotations

import json

from qualcode.formats.codebook_yaml import load_codebook
from qualcode.services.check import check_project
from qualcode.store.codebook_merge import conflicts_path, merge_files
from qualcode.store.project import Project

BASE = """name: Study
codes:
  - id: barriers
    name: Barriers
    definition: What keeps people away.
    children:
      - id: barriers.jargon
        name: Jargon
      - id: barriers.culture
        name: Culture
  - id: funding
    name: Funding
    shortcut: f
"""


def _merge(tmp_path, ours: str, theirs: str, base: str = BASE):
    files = {}
    for name, text in (("O", base), ("A", ours), ("B", theirs)):
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    target = tmp_path / "codebooks" / "codebook.yaml"
    target.parent.mkdir(exist_ok=True)
    status = merge_files(files["O"], files["A"], files["B"], str(target))
    return status, load_codebook(files["A"]), conflicts_path(target)


def test_edits_to_different_codes_and_fields_merge_silently(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ours = BASE.replace("What keeps people away.", "What keeps residents away.") + \
        "  - id: outcomes\n    name: Outcomes\n"
    theirs = BASE.replace("name: Funding", "name: Money and funding").replace(
        "      - id: barriers.culture\n        name: Culture\n",
        "      - id: barriers.culture\n        name: Culture\n        keywords: [tradition]\n")
    status, book, conflicts = _merge(tmp_path, ours, theirs)
    assert status == 0 and not conflicts.exists()
    assert book.get("barriers").definition == "What keeps residents away."
    assert book.get("funding").name == "Money and funding"
    assert book.get("barriers.culture").keywords == ["tradition"]
    assert "outcomes" in book


def test_a_merge_on_one_side_and_an_edit_on_the_other_both_survive(tmp_path, monkeypatch):
    """The lead merges jargon into culture; a coder meanwhile renamed funding's id to money and
    edited culture's name: jargon is gone (its codings count as culture), the rest is kept."""
    monkeypatch.chdir(tmp_path)
    ours = BASE.replace("      - id: barriers.jargon\n        name: Jargon\n", "") + \
        "merged:\n  barriers.jargon: barriers.culture\n"
    theirs = BASE.replace("id: funding", "id: money").replace("name: Culture", "name: Culture and habit") + \
        "renamed:\n  funding: money\n"
    status, book, conflicts = _merge(tmp_path, ours, theirs)
    assert status == 0 and not conflicts.exists()
    assert "barriers.jargon" not in book and book.merged == {"barriers.jargon": "barriers.culture"}
    assert book.get("barriers.culture").name == "Culture and habit"
    assert "funding" not in book and book.get("money").shortcut == "f" and book.renamed == {"funding": "money"}


def test_the_same_field_changed_two_ways_is_recorded_and_check_shows_it(project, tmp_path, monkeypatch):
    root = project.root
    monkeypatch.chdir(root)
    base = project.codebook_path.read_text(encoding="utf-8")
    ours = base.replace("A first theme", "Trust")
    theirs = base.replace("A first theme", "Confidence")
    for name, text in (("O", base), ("A", ours), ("B", theirs)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    rel = str(project.codebook_path.relative_to(root))
    assert merge_files(tmp_path / "O", tmp_path / "A", tmp_path / "B", rel) == 0
    project.codebook_path.write_text((tmp_path / "A").read_text(encoding="utf-8"), encoding="utf-8")
    recorded = [json.loads(line) for line in conflicts_path(project.codebook_path).read_text().splitlines()]
    assert recorded[0]["field"] == "name" and recorded[0]["kept"] == "Trust" and recorded[0]["other"] == "Confidence"
    report = check_project(Project.open(root, search=False))
    said = [f.problem.message for f in report.findings if f.area == "codebook"]
    assert any("'Trust'" in m and "'Confidence'" in m for m in said)
    conflicts_path(project.codebook_path).unlink()  # the user chose: the finding goes
    assert not [f for f in check_project(Project.open(root, search=False)).findings if f.area == "codebook"]


def test_a_merge_that_cannot_make_a_valid_codebook_is_left_to_git(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, _ = _merge(tmp_path, BASE, "codes: [this is not a codebook")
    assert status == 1


JARGON = "      - id: barriers.jargon\n        name: Jargon\n"


def _recorded(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_an_id_changed_on_one_machine_and_merged_on_the_other_leaves_no_coding_without_a_code(tmp_path, monkeypatch):
    """We merge jargon into culture; they change jargon's id to slang and code with it. Ours is kept and
    said to be a conflict, and slang (their codings) leads where jargon went."""
    monkeypatch.chdir(tmp_path)
    ours = BASE.replace(JARGON, "") + "merged:\n  barriers.jargon: barriers.culture\n"
    theirs = BASE.replace("id: barriers.jargon", "id: barriers.slang") + "renamed:\n  barriers.jargon: barriers.slang\n"
    status, book, conflicts = _merge(tmp_path, ours, theirs)
    assert status == 0
    assert book.resolve_code("barriers.jargon") == "barriers.culture"
    assert book.resolve_code("barriers.slang") == "barriers.culture"  # their codings still count
    assert "barriers.slang" not in book and "barriers.jargon" not in book
    [c] = _recorded(conflicts)
    assert (c["code"], c["field"]) == ("barriers.jargon", "became")
    assert c["kept"] == "merged into barriers.culture" and c["other"] == "id changed to barriers.slang"
    assert c["other_code"]["name"] == "Jargon"  # so that taking theirs can bring it back


def test_an_id_changed_two_ways_keeps_ours_with_their_edits_and_one_conflict(tmp_path, monkeypatch):
    """Both change jargon's id (lingo here, slang there; there the name changed too), and an older
    record (words -> jargon) was repointed on both sides: one conflict, one code, every id leads to it."""
    monkeypatch.chdir(tmp_path)
    base = BASE + "renamed:\n  barriers.words: barriers.jargon\n"
    ours = BASE.replace("id: barriers.jargon", "id: barriers.lingo") + \
        "renamed:\n  barriers.words: barriers.lingo\n  barriers.jargon: barriers.lingo\n"
    theirs = BASE.replace("id: barriers.jargon", "id: barriers.slang").replace("name: Jargon", "name: Slang") + \
        "renamed:\n  barriers.words: barriers.slang\n  barriers.jargon: barriers.slang\n"
    status, book, conflicts = _merge(tmp_path, ours, theirs, base=base)
    assert status == 0
    assert book.get("barriers.lingo").name == "Slang" and "barriers.slang" not in book
    for old in ("barriers.words", "barriers.jargon", "barriers.slang"):
        assert book.resolve_code(old) == "barriers.lingo", old
    assert [(c["code"], c["field"]) for c in _recorded(conflicts)] == [("barriers.jargon", "became")]


def test_a_record_repointed_on_one_side_only_is_no_conflict(tmp_path, monkeypatch):
    """words was renamed to jargon long ago; we now change jargon's id to lingo (so words leads to
    lingo): the other side changed nothing, so nothing is in conflict."""
    monkeypatch.chdir(tmp_path)
    base = BASE + "renamed:\n  barriers.words: barriers.jargon\n"
    ours = BASE.replace("id: barriers.jargon", "id: barriers.lingo") + \
        "renamed:\n  barriers.words: barriers.lingo\n  barriers.jargon: barriers.lingo\n"
    theirs = base.replace("name: Funding", "name: Money")
    status, book, conflicts = _merge(tmp_path, ours, theirs, base=base)
    assert status == 0 and not conflicts.exists()
    assert book.renamed == {"barriers.words": "barriers.lingo", "barriers.jargon": "barriers.lingo"}
    assert book.get("funding").name == "Money"


def test_a_code_renamed_on_one_side_and_removed_on_the_other_is_kept_and_recorded(tmp_path, monkeypatch):
    """They gave jargon a new id (and coded with it); we removed jargon keeping its codings: the code
    stays, under its new id, and the choice is recorded (before: it vanished, and their codings with it)."""
    monkeypatch.chdir(tmp_path)
    ours = BASE.replace(JARGON, "")
    theirs = BASE.replace("id: barriers.jargon", "id: barriers.slang") + "renamed:\n  barriers.jargon: barriers.slang\n"
    status, book, conflicts = _merge(tmp_path, ours, theirs)
    assert status == 0 and book.get("barriers.slang") is not None
    assert [(c["code"], c["field"]) for c in _recorded(conflicts)] == [("barriers.slang", "removed")]
