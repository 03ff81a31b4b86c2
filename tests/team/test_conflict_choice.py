"""Choosing on a codebook conflict a team merge left: `qualcode codebook resolve` and the workbench's
"Codebook conflicts" dialog (m keeps mine, t takes theirs). Issue 17 item 4."""

from __future__ import annotations

import json
import subprocess

import pytest

from qualcode.store.codebook_merge import open_conflicts
from qualcode.store.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.conflicts import ConflictsDialog
from tests.team.test_team import gitc, qc, team  # noqa: F401 - the fixture

CONFLICTS = "codebooks/codebook.yaml.conflicts"
BOOK = "codebooks/codebook.yaml"


def two_conflicts(team):  # noqa: F811
    """ben and the lead both change theme's definition and name; ben syncs last: two conflicts at ben."""
    qc(team["lead"], "codebook", "edit", "theme", "--definition", "Lead's wording.", "--name", "Lead theme")
    qc(team["lead"], "--coder", "lead", "sync")
    qc(team["ben"], "codebook", "edit", "theme", "--definition", "Ben's wording.", "--name", "Ben theme")
    qc(team["ben"], "--coder", "ben", "sync")
    return team["ben"]


def test_resolve_lists_then_takes_theirs_and_mine_until_check_is_clean(team):  # noqa: F811
    ben = two_conflicts(team)
    listed = qc(ben, "codebook", "resolve").stdout
    assert ("theme definition: ben's \"Ben's wording.\" (kept, --take ben) · lead's \"Lead's wording.\" "
            "(--take lead)") in listed, listed
    assert "theme name" in listed and "--take mine|theirs" in listed
    rows = json.loads(qc(ben, "codebook", "resolve", "--json").stdout)
    assert {(r["code"], r["field"], r["mine"], r["theirs"]) for r in rows} == {
        ("theme", "definition", "Ben's wording.", "Lead's wording."), ("theme", "name", "Ben theme", "Lead theme")}
    assert "resolve" in qc(ben, "check", check=False).stdout + qc(ben, "check", check=False).stderr

    said = qc(ben, "codebook", "resolve", "theme", "definition", "--take", "theirs").stdout
    assert "took theirs" in said and "1 conflict left" in said
    show = json.loads(qc(ben, "codebook", "show", "theme", "--json").stdout)
    assert show["definition"] == "Lead's wording." and show["name"] == "Ben theme"
    assert "resolve theme definition" in qc(ben, "codebook", "history").stdout  # an undoable change
    assert (ben / CONFLICTS).exists()

    said = qc(ben, "codebook", "resolve", "theme", "name", "--take", "mine").stdout
    assert "kept mine" in said and "no conflicts left" in said
    assert not open_conflicts(ben / BOOK)  # the choice is recorded in the file, which stays (it only grows)
    assert qc(ben, "check").returncode == 0
    assert "no codebook conflicts" in qc(ben, "codebook", "resolve").stdout

    # the choice travels: after both sync, the lead has the chosen codebook and no conflicts either
    qc(ben, "--coder", "ben", "sync")
    qc(team["lead"], "--coder", "lead", "sync")
    lead = json.loads(qc(team["lead"], "codebook", "show", "theme", "--json").stdout)
    assert (lead["definition"], lead["name"]) == ("Lead's wording.", "Ben theme")
    assert not open_conflicts(team["lead"] / BOOK) and qc(team["lead"], "check").returncode == 0

    # undo puts back the value from before the choice
    assert "undone" in qc(ben, "codebook", "undo").stdout
    assert json.loads(qc(ben, "codebook", "show", "theme", "--json").stdout)["definition"] == "Ben's wording."


def test_resolve_refuses_clearly(team):  # noqa: F811
    ben = two_conflicts(team)
    for args, words in ((["theme", "definition"], "--take mine|theirs"),
                        (["theme", "colour", "--take", "mine"], "no codebook conflict on theme colour"),
                        (["theme", "definition", "--take", "both"], "both")):
        proc = qc(ben, "codebook", "resolve", *args, check=False)
        assert proc.returncode == 2 and words in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert len(json.loads(qc(ben, "codebook", "resolve", "--json").stdout)) == 2  # nothing settled


async def test_the_workbench_lists_the_conflicts_and_chooses_with_a_key(team):  # noqa: F811
    ben = two_conflicts(team)
    project = Project.open(ben, search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Codebook conflicts" in commands
        commands["Codebook conflicts"].callback()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConflictsDialog)
        shown = [str(dialog.query_one("OptionList").get_option_at_index(i).prompt) for i in range(2)]
        assert any("definition" in s and "Ben's wording." in s and "Lead's wording." in s for s in shown), shown
        first = dialog.items[0]
        await pilot.press("t")  # theirs for the highlighted one
        await pilot.pause()
        other = app.desk.codebook.get("theme")
        expect = {"definition": "Lead's wording.", "name": "Lead theme"}
        assert getattr(other, first.field) == expect[first.field]  # the workbench's codebook has it now
        assert len(dialog.items) == 1
        await pilot.press("m")  # mine for the other: the codebook keeps ben's value
        await pilot.pause()
        assert not isinstance(app.screen, ConflictsDialog)  # nothing left: the dialog closes
        assert not open_conflicts(ben / BOOK)
        assert "Codebook conflicts" not in {c.title for c in app.get_system_commands(app.screen)}
        said = [n.message for n in app._notifications if n.title == "Codebook conflict"]
        assert any("took theirs" in m for m in said) and any("kept mine" in m for m in said)
    project.close()
    assert qc(ben, "check").returncode == 0


def record(project, *rows: dict) -> None:
    path = project.codebook_path.with_name(project.codebook_path.name + ".conflicts")
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_theirs_for_every_kind_a_merge_records(project):
    from qualcode.errors import QualcodeError
    from qualcode.services.conflicts import conflicts, resolve

    project.session("ann").add("int-1", 0, 11, "theme")
    record(project,
           {"code": "theme.sub", "field": "parent", "kept": "theme", "other": None, "base": "theme"},
           {"code": "(codebook)", "field": "name", "kept": "Starter codebook", "other": "Our study", "base": None},
           {"code": "theme", "field": "keywords", "kept": ["example"], "other": ["money", "grant"], "base": None},
           {"code": "theme", "field": "removed", "kept": "the edited code", "other": "deleted", "base": None},
           {"code": "gone", "field": "removed", "kept": "removed", "other": "edited on one side", "base": None},
           {"code": "theme", "field": "keywords", "kept": ["example"], "other": ["money", "grant"], "base": None})
    assert len(conflicts(project.codebook_path)) == 5  # one recorded twice is one choice
    resolve(project, "theme.sub", "parent", "theirs")
    assert project.codebook.get("theme.sub").parent is None
    resolve(project, "(codebook)", "name", "theirs")
    assert project.codebook.name == "Our study"
    resolve(project, "theme", "keywords", "theirs")
    assert project.codebook.get("theme").keywords == ["money", "grant"]
    with pytest.raises(QualcodeError, match="used by 1 coding") as exc:  # say what becomes of its codings
        resolve(project, "theme", "removed", "theirs")
    assert "--codings" in exc.value.hint
    assert project.codebook.get("theme") is not None
    resolve(project, "theme", "removed", "theirs", codings="reassign:theme.sub")
    assert project.codebook.get("theme") is None and project.codebook.resolve_code("theme") == "theme.sub"
    with pytest.raises(QualcodeError) as exc:  # a code merged away cannot come back from a conflict
        resolve(project, "gone", "removed", "theirs")
    assert "take mine" in exc.value.hint
    assert "no conflicts left" in resolve(project, "gone", "removed", "mine")
    assert not open_conflicts(project.codebook_path)


def test_theirs_for_a_code_whose_id_was_changed_two_ways(project):
    """The merge kept our fate for theme.sub and recorded theirs; taking theirs does what they did, and
    every coding, made with any of the ids, counts under the code they chose."""
    from qualcode.domain import codebook_edit as edit
    from qualcode.services.codebook_ops import reshape
    from qualcode.services.conflicts import resolve

    project.session("ann").add("int-1", 0, 11, "theme.sub")
    # ours changed its id to theme.mine; theirs to theme.yours (recorded to lead to ours meanwhile)
    book = edit.rename_id(project.codebook, "theme.sub", "theme.mine")
    book.renamed["theme.yours"] = "theme.mine"
    reshape(project, book, "merged")
    record(project, {"code": "theme.sub", "field": "became", "kept": "id changed to theme.mine",
                     "other": "id changed to theme.yours", "kept_fate": ["renamed", "theme.mine"],
                     "other_fate": ["renamed", "theme.yours"]})
    resolve(project, "theme.sub", "became", "theirs")
    book = project.codebook
    assert book.get("theme.yours") is not None and book.get("theme.mine") is None
    assert {book.resolve_code(x) for x in ("theme.sub", "theme.mine", "theme.yours")} == {"theme.yours"}


def test_theirs_brings_back_a_code_we_merged_and_they_gave_a_new_id(project):
    from qualcode.domain import codebook_edit as edit
    from qualcode.services.codebook_ops import reshape
    from qualcode.services.conflicts import resolve

    book = edit.merge_codes(project.codebook, "theme.sub", "theme")
    book.merged["theme.part"] = "theme"
    reshape(project, book, "merged")
    record(project, {"code": "theme.sub", "field": "became", "kept": "merged into theme",
                     "other": "id changed to theme.part", "kept_fate": ["merged", "theme"],
                     "other_fate": ["renamed", "theme.part"],
                     "other_code": {"id": "theme.part", "name": "A part", "parent": "theme",
                                    "definition": "Their words.", "keywords": ["part"]}})
    assert "no conflicts left" in resolve(project, "theme.sub", "became", "theirs")
    code = project.codebook.get("theme.part")
    assert (code.name, code.parent, code.definition, code.keywords) == ("A part", "theme", "Their words.", ["part"])
    assert project.codebook.resolve_code("theme.sub") == "theme.part"
    assert project.codebook.resolve_code("theme.part") == "theme.part"


def test_two_machines_choosing_on_different_conflicts_do_not_bring_each_others_back(team):  # noqa: F811
    """An outside tester: ben took mine on one conflict, the lead took theirs on the other; after both
    synced, both conflicts were listed again (the union merge of the conflicts file kept both removed
    lines), and "mine" showed a value the codebook no longer held."""
    ben = two_conflicts(team)
    qc(team["lead"], "--coder", "lead", "sync")  # the lead now has the conflicts too
    qc(ben, "codebook", "resolve", "theme", "definition", "--take", "mine")
    qc(team["lead"], "codebook", "resolve", "theme", "name", "--take", "theirs")
    for machine, who in ((ben, "ben"), (team["lead"], "lead"), (ben, "ben")):
        qc(machine, "--coder", who, "sync")
    for machine in (ben, team["lead"]):
        assert json.loads(qc(machine, "codebook", "resolve", "--json").stdout) == [], machine.name
        assert qc(machine, "check").returncode == 0


def test_a_third_machine_changing_the_same_field_syncs_at_the_first_try(team):  # noqa: F811
    """Two machines already recorded a conflict on theme's definition; a third changes it too. Its
    sync's codebook merge records another conflict while the conflicts file arrives from the others:
    git refused the merge ("untracked working tree files would be overwritten") and the sync failed."""
    for name, words in (("ana-laptop", "A"), ("ben", "B"), ("ana-office", "C")):
        qc(team[name], "codebook", "edit", "theme", "--definition", f"Wording {words}.")
    qc(team["ana-laptop"], "--coder", "ana", "sync")
    qc(team["ben"], "--coder", "ben", "sync")
    said = qc(team["ana-office"], "--coder", "ana", "sync").stdout
    assert "Pushed to" in said
    rows = json.loads(qc(team["ana-office"], "codebook", "resolve", "--json").stdout)
    assert [(r["code"], r["field"]) for r in rows] == [("theme", "definition")]


def test_a_conflict_recorded_by_a_plain_git_pull_is_listed(team):  # noqa: F811
    qc(team["lead"], "codebook", "edit", "theme", "--definition", "Lead's wording.")
    qc(team["lead"], "--coder", "lead", "sync")
    ben = team["ben"]
    qc(ben, "codebook", "edit", "theme", "--definition", "Ben's wording.")  # (qualcode sets up its drivers)
    gitc(ben, "commit", "-q", "-am", "by hand")
    subprocess.run(["git", "pull", "-q", "--no-rebase", "--no-edit"], cwd=ben, check=True, capture_output=True)
    rows = json.loads(qc(ben, "codebook", "resolve", "--json").stdout)
    assert [(r["code"], r["field"], r["theirs"]) for r in rows] == [("theme", "definition", "Lead's wording.")]
    assert "Pushed to" in qc(ben, "--coder", "ben", "sync").stdout  # and the next sync shares it
    qc(team["lead"], "--coder", "lead", "sync")
    assert len(json.loads(qc(team["lead"], "codebook", "resolve", "--json").stdout)) == 1  # every machine sees it


def test_a_code_edited_on_one_machine_and_merged_on_the_other_keeps_the_edit_to_take(team):  # noqa: F811
    """An outside tester: ben merged theme.sub into theme while ana rewrote its definition; the
    definition was thrown away, shown nowhere, and taking theirs said it could not be done."""
    qc(team["ben"], "codebook", "merge", "theme.sub", "theme")
    qc(team["ben"], "--coder", "ben", "sync")
    laptop = team["ana-laptop"]
    qc(laptop, "codebook", "edit", "theme.sub", "--definition", "Ana's carefully written definition.")
    qc(laptop, "--coder", "ana", "sync")
    listed = qc(laptop, "codebook", "resolve").stdout
    assert "carefully written definition" in listed and "merged into theme" in listed
    qc(laptop, "codebook", "resolve", "theme.sub", "removed", "--take", "theirs")
    shown = json.loads(qc(laptop, "codebook", "show", "theme.sub", "--json").stdout)
    assert shown["definition"] == "Ana's carefully written definition."
