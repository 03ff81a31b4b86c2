"""What a three-machine team is told by `qualcode sync` when its merge decided something (an outside
tester's findings): a code added under a parent removed elsewhere, two opposite choices on one
codebook conflict, who "mine" and "theirs" are, a transcript moved by one's own sync, and a passage
settled into the consensus coder on two machines at once."""

from __future__ import annotations

import json
from pathlib import Path

from qualcode.store.project import Project
from tests.team.test_team import CODER, _two_int9, code, gitc, qc, team  # noqa: F401 - the fixture


def sync(machine: Path) -> str:
    return qc(machine, "--coder", CODER[machine.name], "sync").stdout


def notes(said: str) -> str:
    return "\n".join(line for line in said.splitlines() if line.startswith("Note: "))


# -- 1. a code added under a parent another machine removed ---------------------------------------------
def test_a_code_added_under_a_parent_removed_elsewhere_is_kept_and_the_sync_says_where(team):
    """ben adds theme.sub.new under theme.sub and codes with it; the lead removes theme.sub meanwhile.
    It landed at the top level and nobody was told. Now it goes where the lead's removal put
    theme.sub's other codes (under theme), keeps its coding, and both machines are told."""
    lead, ben = team["lead"], team["ben"]
    qc(ben, "codebook", "add", "theme.sub.new", "New sub", "--parent", "theme.sub")
    used = code(ben, "two years", "theme.sub.new")
    qc(lead, "codebook", "remove", "theme.sub")
    sync(lead)
    said = notes(sync(ben))
    assert "theme.sub.new" in said and "under theme.sub by ben while lead removed theme.sub" in said, said
    assert "now under theme" in said and "`qualcode codebook move theme.sub.new --under PARENT`" in said, said
    assert "lead removed theme.sub" in notes(sync(lead))  # the lead, whose removal it was, is told too
    for machine in (lead, ben):
        shown = json.loads(qc(machine, "codebook", "show", "theme.sub.new", "--json").stdout)
        assert shown["parent"] == "theme" and shown["codings"] == 1, machine.name
        rows = json.loads(qc(machine, "code", "list", "--all-coders", "--json").stdout)
        assert [(r["id"], r["code"]) for r in rows] == [(used, "theme.sub.new")], machine.name
        assert qc(machine, "check").returncode == 0


def test_a_code_added_under_a_parent_merged_elsewhere_goes_with_its_siblings(tmp_path):
    from qualcode.domain.codebook import Code, Codebook
    from qualcode.store.codebook_merge import merge_codebooks

    base = Codebook(codes=[Code("a", "A"), Code("a.x", "X", parent="a"), Code("b", "B")])
    ours = Codebook(codes=[*base.codes, Code("a.new", "New", parent="a")])
    theirs = Codebook(codes=[Code("b", "B"), Code("a.x", "X", parent="b")], merged={"a": "b"})
    book, _ = merge_codebooks(base, ours, theirs)
    assert book.get("a.new").parent == "b" and book.get("a.x").parent == "b" and "a" not in book


# -- 2. and 3. choices on one codebook conflict; who "mine" and "theirs" are ----------------------------
def _conflict(team) -> None:
    """The lead and ben each rewrite theme's definition; ben syncs second: one conflict, on both machines."""
    lead, ben = team["lead"], team["ben"]
    qc(lead, "codebook", "edit", "theme", "--definition", "Lead's wording.")
    sync(lead)
    qc(ben, "codebook", "edit", "theme", "--definition", "Ben's wording.")
    return sync(ben)


def test_the_sync_names_who_had_which_value_and_what_mine_and_theirs_take(team):
    lead, ben = team["lead"], team["ben"]
    said = notes(_conflict(team))
    assert "theme" in said and "definition" in said, said
    assert "ben had \"Ben's wording.\", lead had \"Lead's wording.\"" in said, said
    assert "`--take mine` keeps ben's, `--take theirs` takes lead's" in said.replace(
        "`qualcode codebook resolve theme definition --take mine` keeps ben's", "`--take mine` keeps ben's"), said
    told = notes(sync(lead))  # on the lead's machine "mine" is the value the codebook holds: ben's
    assert "`qualcode codebook resolve theme definition --take mine` keeps ben's" in told, told
    for machine in (lead, ben):
        check = qc(machine, "check", check=False).stdout
        assert "kept ben's \"Ben's wording.\" (`--take mine`), lead's was \"Lead's wording.\" (`--take theirs`)" \
            in check, check


def test_one_coder_on_two_machines_is_told_apart_by_machine(team):
    laptop, office = team["ana-laptop"], team["ana-office"]
    qc(laptop, "codebook", "edit", "theme", "--definition", "Laptop wording.")
    sync(laptop)
    qc(office, "codebook", "edit", "theme", "--definition", "Office wording.")
    said = notes(sync(office))
    assert "ana (ana-office) had 'Office wording.', ana (ana-laptop) had 'Laptop wording.'" in said, said
    assert "`--take theirs` takes ana (ana-laptop)'s" in said, said


def test_opposite_choices_on_one_conflict_are_said_with_whose_stood(team):
    """ben takes theirs (the lead's wording), the lead takes mine (ben's wording, the value the codebook
    held): the lead's sync silently ended with ben's choice. Now it says whose choice stood over whose,
    naming the code, the field and both choices; ben is told at his next sync."""
    lead, ben = team["lead"], team["ben"]
    _conflict(team)
    sync(lead)
    qc(ben, "codebook", "resolve", "theme", "definition", "--take", "theirs")
    qc(lead, "codebook", "resolve", "theme", "definition", "--take", "mine")
    sync(ben)
    said = notes(sync(lead))
    assert "definition of code theme: lead chose \"Ben's wording.\" and ben chose \"Lead's wording.\"" in said, said
    assert "ben's choice stood over lead's" in said, said
    assert "`qualcode codebook edit theme --definition \"Ben's wording.\"`" in said, said
    assert json.loads(qc(lead, "codebook", "show", "theme", "--json").stdout)["definition"] == "Lead's wording."
    assert "ben's choice stood over lead's" in notes(sync(ben))


def test_cases_rows_changed_two_ways_name_the_coders(team):
    lead, ben = team["lead"], team["ben"]
    header = (lead / "cases.csv").read_text(encoding="utf-8").splitlines()[0]
    for machine, case in ((lead, "Case L"), (ben, "Case B")):
        (machine / "cases.csv").write_text(f"{header}\nint-1,{case}\n", encoding="utf-8")
    sync(lead)
    said = notes(sync(ben))
    assert "the rows of int-1 were changed on two machines; ben's were kept over lead's" in said, said
    assert "this machine" not in said


# -- 4. a transcript moved by one's own sync is not something that arrived ------------------------------
def test_a_transcript_moved_by_ones_own_sync_is_not_listed_as_arrived(team, tmp_path):
    lead, ben = team["lead"], team["ben"]
    for machine, words in _two_int9(team, tmp_path):
        qc(machine, "--coder", CODER[machine.name], "code", "add", "int-9", "theme", "--quote", words)
    sync(lead)
    result = json.loads(qc(ben, "--coder", "ben", "sync", "--json").stdout)
    assert any("int-9-2" in n for n in result["notes"])  # ben's own interview moved: said as a note
    assert result["arrived"] == ["lead: 1 coding added", "new transcript int-9 (transcripts/int-9.txt)"], result["arrived"]
    told = json.loads(qc(lead, "--coder", "lead", "sync", "--json").stdout)
    assert "new transcript int-9-2 (transcripts/int-9-2.txt)" in told["arrived"]  # for the lead, ben's interview did arrive


# -- 5. one passage settled into the consensus on two machines at once ----------------------------------
def settle(machine: Path, choice: str) -> None:
    """Settle the one disagreement between ana and ben into the consensus, as the Agreement screen does."""
    from qualcode.reliability.disagreements import decide, find_disagreements
    from qualcode.reliability.units import collect

    project = Project.open(machine, search=False)
    try:
        (found,) = find_disagreements(collect(project, ["ana", "ben"]), "char")
        decide(project, found, choice)
    finally:
        project.close()


def settle_on_two_machines(team, lead_takes: str, ben_takes: str) -> str:
    """ana and ben code one passage differently and everyone syncs; then the lead and ben each settle it
    before syncing again (the lead first). What ben's sync notes."""
    ana, ben, lead = team["ana-laptop"], team["ben"], team["lead"]
    code(ana, "community empowerment network")
    code(ben, "empowerment network")
    for machine in (ana, ben, lead):
        sync(machine)
    settle(lead, lead_takes)
    settle(ben, ben_takes)
    sync(lead)
    return notes(sync(ben))


def consensus(machine: Path) -> list[tuple]:
    rows = json.loads(qc(machine, "--coder", "consensus", "code", "list", "--json").stdout)
    return sorted((r["t"], r["code"], r["s"], r["e"]) for r in rows)


def test_a_passage_settled_alike_on_two_machines_keeps_one_consensus_coding(team):
    """The lead and ben both take ana's coding into the consensus: the merge made two identical
    codings (tables counted both). One is dropped, and the sync says so."""
    lead, ben = team["lead"], team["ben"]
    said = settle_on_two_machines(team, "ana", "ana")
    assert "settled into the consensus alike on two machines at once (ben and lead): theme on int-1" in said, said
    assert "1 identical coding(s) this made were dropped" in said, said
    sync(lead)
    for machine in (lead, ben):
        assert consensus(machine) == [("int-1", "theme", 97, 126)], machine.name
        assert qc(machine, "check").returncode == 0  # no "2 identical codings" left


def test_a_passage_settled_two_ways_on_two_machines_is_said_and_nothing_is_removed(team):
    """The lead takes ana's coding, ben takes his own: the consensus held both, a choice nobody made,
    and nobody was told."""
    lead, ben = team["lead"], team["ben"]
    said = settle_on_two_machines(team, "ana", "ben")
    assert "the consensus of theme on int-1 97-126 was settled on two machines at once" in said, said
    assert "ben made it 107-126 “empowerment network”" in said and \
        "lead made it 97-126 “community empowerment network”" in said, said
    assert "which neither chose" in said and "Agreement screen" in said, said
    assert "settled on two machines at once" in notes(sync(lead))  # the lead is told too
    for machine in (lead, ben):  # both choices are kept, for someone to settle again
        assert consensus(machine) == [("int-1", "theme", 97, 126), ("int-1", "theme", 107, 126)], machine.name
