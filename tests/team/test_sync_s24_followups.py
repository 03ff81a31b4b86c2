"""Follow-ups of the sync's notes naming people (test_sync_s24_notes.py): the codebook conflicts'
list, `--json` and dialog name who had each value; the note on a transcript kept as NAME-2 names
the coders; and the lines a sync appends to journals (a duplicate consensus coding removed, codings
moved with their transcript) are not the coder's actions, so undo passes them by."""

from __future__ import annotations

import json
from pathlib import Path

from qualcode.domain.coding import CodingSet
from qualcode.store.project import Project
from tests.team.test_sync_s24_notes import _conflict, consensus, notes, sync
from tests.team.test_team import CODER, _two_int9, code, qc, team  # noqa: F401 - the fixture


# -- 1. `qualcode codebook resolve` and the dialog name who had each value ------------------------------
def test_resolve_lists_whose_value_is_which_on_both_machines(team):
    """The list said only "mine" and "theirs": which was ben's and which the lead's was for the
    reader to guess. The records name them (kept_by, other_by); so do the list and --json now."""
    lead, ben = team["lead"], team["ben"]
    _conflict(team)
    sync(lead)
    for machine in (ben, lead):  # on both machines the codebook holds ben's value: "mine" is ben's
        listed = qc(machine, "codebook", "resolve").stdout
        assert ("theme definition: ben's \"Ben's wording.\" (kept, --take ben) · lead's \"Lead's wording.\" "
                "(--take lead)") in listed, listed
        assert "--take mine|theirs" in listed
        (row,) = json.loads(qc(machine, "codebook", "resolve", "--json").stdout)
        assert row == {"code": "theme", "field": "definition", "mine": "Ben's wording.", "theirs": "Lead's wording.",
                       "mine_by": "ben", "theirs_by": "lead"}, machine.name
    said = qc(lead, "codebook", "resolve", "theme", "definition", "--take", "theirs").stdout
    assert "took theirs (lead's \"Lead's wording.\")" in said, said


def test_a_value_changed_since_is_not_said_to_be_the_coders(team):
    """ben rewrites the definition again before choosing: "mine" is now his new wording, which the
    record never named; it is the codebook's, not said to be anyone's."""
    ben = team["ben"]
    _conflict(team)
    qc(ben, "codebook", "edit", "theme", "--definition", "Newer wording.")
    listed = qc(ben, "codebook", "resolve").stdout
    assert "the codebook's 'Newer wording.' (kept, --take mine) · lead's \"Lead's wording.\"" in listed, listed
    (row,) = json.loads(qc(ben, "codebook", "resolve", "--json").stdout)
    assert (row["mine"], row["mine_by"], row["theirs_by"]) == ("Newer wording.", None, "lead")


def test_a_record_without_names_reads_as_before(project):
    from qualcode.services.codebook_ops import change
    from qualcode.services.conflicts import conflicts

    path = project.codebook_path.with_name(project.codebook_path.name + ".conflicts")
    path.write_text(json.dumps({"code": "theme", "field": "name", "kept": "Ours.", "other": "Theirs."}) + "\n",
                    encoding="utf-8")
    change(project, "theme", name="Ours.")
    (c,) = conflicts(project.codebook_path, project.codebook)
    assert c.names is None and c.words() == "theme name: mine 'Ours.' · theirs 'Theirs.'"
    assert c.whose("theirs") == "'Theirs.'"


async def test_the_workbench_dialog_names_whose_value_is_which(team):
    from qualcode.tui.app import make_app
    from qualcode.tui.screens.conflicts import ConflictsDialog

    ben = team["ben"]
    _conflict(team)
    project = Project.open(ben, search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        {c.title: c for c in app.get_system_commands(app.screen)}["Codebook conflicts"].callback()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConflictsDialog)
        shown = str(dialog.query_one("OptionList").get_option_at_index(0).prompt)
        assert "mine:   ben's \"Ben's wording.\"" in shown and "theirs: lead's \"Lead's wording.\"" in shown, shown
    project.close()


# -- 2. the note on a transcript kept under NAME-2 names the coders -------------------------------------
def test_the_note_on_two_transcripts_under_one_name_says_whose_is_which(team, tmp_path):
    """It said "the one already shared ... and the other": on the lead's machine, reading the merge's
    note, "the other" was ben's interview, which nothing said."""
    lead, ben = team["lead"], team["ben"]
    for machine, words in _two_int9(team, tmp_path):
        qc(machine, "--coder", CODER[machine.name], "code", "add", "int-9", "theme", "--quote", words)
    sync(lead)
    said = notes(sync(ben))
    assert "two different transcripts were added as transcripts/int-9.txt on two machines; both are kept: " \
           "lead's, already shared, " in said, said
    # each told by its first words (the title a file's name gives, 'int-9', told them apart by nothing)
    assert "already shared, 'Interviewer: Tell me. Ann: Well, the board meets…', stays int-9, and ben's, " \
           "'Interviewer: Tell me. Bob: Well, I was nominated…', is now transcripts/int-9-2.txt (int-9-2), " \
           "its 1 coding(s)" in said, said
    assert "the other" not in said and "already shared," in notes(sync(lead))  # the lead reads the same words


# -- 3. a sync's journal lines are not the coder's actions: undo passes them by -------------------------
def settle_at(machine: Path, quote: str, choice: str) -> None:
    """Settle the disagreement between ana and ben whose passage holds ``quote``, as the Agreement
    screen does."""
    from qualcode.reliability.disagreements import decide, find_disagreements
    from qualcode.reliability.units import collect

    project = Project.open(machine, search=False)
    try:
        text = project.transcript("int-1").text
        (found,) = [d for d in find_disagreements(collect(project, ["ana", "ben"]), "char")
                    if quote in text[d.start:d.end]]
        decide(project, found, choice)
    finally:
        project.close()


def test_undo_after_a_sync_removed_a_duplicate_takes_back_the_last_decision(team):
    """The lead and ben settle one passage alike; ben then settles another. ben's sync drops the
    duplicate the merge made, in a line of the consensus journal, which was then the consensus's
    latest action: `z` (undo) brought the duplicate back, and ben's last decision stood."""
    ana, ben, lead = team["ana-laptop"], team["ben"], team["lead"]
    code(ana, "community empowerment network")
    code(ben, "empowerment network")
    code(ana, "Neighbourhood Renewal Fund")
    code(ben, "Renewal Fund")
    for machine in (ana, ben, lead):
        sync(machine)
    settle_at(lead, "community", "ana")
    settle_at(ben, "community", "ana")
    settle_at(ben, "Renewal", "ben")
    sync(lead)
    assert "1 identical coding(s) this made were dropped" in notes(sync(ben))
    settled = consensus(ben)
    assert settled == [("int-1", "theme", 97, 126), ("int-1", "theme", 274, 286)], settled
    line = json.loads((ben / "codings" / "consensus.jsonl").read_bytes().splitlines()[-1])
    assert line["by"] == "sync" and line["v"] == 1  # the sync's line, marked so

    said = qc(ben, "--coder", "consensus", "code", "undo").stdout  # what `z` in the Agreement screen does
    assert consensus(ben) == [("int-1", "theme", 97, 126)], said  # ben's last decision undone; no duplicate back
    sync(ben)
    sync(lead)
    assert consensus(lead) == [("int-1", "theme", 97, 126)]
    assert qc(lead, "check").returncode == 0


def test_undo_after_a_sync_moved_codings_to_name_2_does_not_move_them_back(team, tmp_path):
    """ben's coding of his own int-9 went to int-9-2 with his interview, by a line the sync appended to
    his journal: his next `code undo` moved it back onto the lead's int-9, a text it was never made on."""
    lead, ben = team["lead"], team["ben"]
    for machine, words in _two_int9(team, tmp_path):
        qc(machine, "--coder", CODER[machine.name], "code", "add", "int-9", "theme", "--quote", words)
    sync(lead)
    sync(ben)
    mine = [(r["t"], r["quote"]) for r in json.loads(qc(ben, "--coder", "ben", "code", "list", "--json").stdout)]
    assert mine == [("int-9-2", "I was nominated by the network in 2004")]
    assert "undone: add theme" in qc(ben, "--coder", "ben", "code", "undo").stdout  # his own last action
    assert json.loads(qc(ben, "--coder", "ben", "code", "list", "--json").stdout) == []
    assert "redone: add theme" in qc(ben, "--coder", "ben", "code", "redo").stdout
    redone = json.loads(qc(ben, "--coder", "ben", "code", "list", "--json").stdout)
    assert [(r["t"], r["quote"]) for r in redone] == mine


def test_a_sync_line_reads_in_a_qualcode_that_does_not_know_the_mark(tmp_path):
    """Older readers apply a line marked "by": "sync" as an ordinary action (the format is unchanged:
    v 1, one more key); this one takes what the line removed out of the actions before it."""
    from qualcode.store.journal import append_held, check_record, parse_line, replay

    journal = tmp_path / "consensus.jsonl"
    coding = {"id": "y", "t": "int-1", "s": 1, "e": 5, "code": "theme", "coder": "consensus", "quote": "abcd"}
    old = {**coding, "id": "z"}
    lines = [{"v": 1, "n": 1, "at": "t1", "op": "add", "coding": old, "oid": "a1"},
             {"v": 1, "n": 2, "at": "t2", "op": "batch", "ops": [{"op": "remove", "id": "z"},
                                                                 {"op": "add", "coding": coding}], "oid": "a2"}]
    journal.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    append_held(journal, "consensus", [{"op": "batch", "ops": [{"op": "remove", "id": "y"}]}])

    before = CodingSet("consensus")  # as a qualcode without the mark replays it
    for raw in journal.read_bytes().splitlines():
        rec = parse_line(raw)
        check_record(rec)
        before.apply(rec)
    now = replay(journal, "consensus")
    assert not now.warnings and set(now.codings.codings) == set(before.codings) == set()
    before.apply({"op": "undo"})
    assert set(before.codings) == {"y"}  # there, undo takes back the sync's line
    now.codings.apply({"op": "undo"})
    assert set(now.codings.codings) == {"z"}  # here, the decision: what it replaced is back, y is not
