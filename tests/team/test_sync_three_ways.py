"""One codebook field changed on three machines: every value stays choosable, named by who wrote it;
a conflict between two others is told as theirs on a third machine (outside tester, repro1/repro4)."""

from __future__ import annotations

import json

from tests.team.test_team import qc, team  # noqa: F401 - the fixture

CONFLICTS = "codebooks/codebook.yaml.conflicts"


def edit_and_sync(machine, coder: str, definition: str, *, extra=None) -> str:
    qc(machine, "codebook", "edit", "theme", "--definition", definition)
    if extra:
        extra(machine)
    return qc(machine, "--coder", coder, "sync").stdout


def notes(said: str) -> list[str]:
    return [line[len("Note: "):] for line in said.splitlines() if line.startswith("Note: ")]


def three_ways(team):  # noqa: F811
    edit_and_sync(team["ben"], "ben", "Ben's wording.")
    edit_and_sync(team["lead"], "lead", "Lead's wording.")  # lead vs ben: a conflict at the lead's
    return edit_and_sync(team["ana-laptop"], "ana", "Ana's wording.")  # ana vs lead; ben's still open


def test_the_third_value_stays_choosable_and_named(team):  # noqa: F811
    said = notes(three_ways(team))
    mine = [n for n in said if n.startswith("codebook conflict on definition of code theme")]
    assert len(mine) == 1, said  # one note, with every value (the lead's merge's note is not told again)
    assert ('ana had "Ana\'s wording.", lead had "Lead\'s wording.", ben had "Ben\'s wording."' in mine[0]), mine
    assert "`--take theirs` takes lead's" in mine[0]
    assert "`--take ben` takes ben's" in mine[0]
    ana = team["ana-laptop"]
    check = qc(ana, "check", check=False)
    out = check.stdout + check.stderr
    assert "changed 3 ways" in out and "ben's was \"Ben's wording.\"" in out and "lead's was" in out, out
    # the way the note gives reaches ben's value, and then nothing is left open
    qc(ana, "codebook", "edit", "theme", "--definition", "Ben's wording.")
    assert "no conflicts left" in qc(ana, "codebook", "resolve", "theme", "definition", "--take", "mine").stdout
    assert json.loads(qc(ana, "codebook", "show", "theme", "--json").stdout)["definition"] == "Ben's wording."
    assert "changed 3 ways" not in qc(ana, "check", check=False).stdout


def test_the_value_is_named_by_who_wrote_it_not_by_everyone_on_that_side(team):  # noqa: F811
    """repro4: the lead's sync stops on a file git cannot merge, the lead settles it and syncs again;
    ana's merge then has ben's and the lead's work on the other side."""
    def memo(machine, words):
        (machine / "memo.md").write_text(f"# Memo\n{words}\n", encoding="utf-8")

    edit_and_sync(team["ben"], "ben", "Ben's wording.", extra=lambda m: memo(m, "ben"))
    lead = team["lead"]
    qc(lead, "codebook", "edit", "theme", "--definition", "Lead's wording.")
    memo(lead, "lead")
    assert qc(lead, "--coder", "lead", "sync", check=False).returncode != 0  # memo.md changed two ways
    qc(lead, "check", check=False)  # any command run meanwhile
    memo(lead, "lead and ben")
    qc(lead, "--coder", "lead", "sync")
    said = notes(edit_and_sync(team["ana-laptop"], "ana", "Ana's wording."))
    assert not any("ben and lead" in n or "lead and ben had" in n for n in said), said
    assert any('lead had "Lead\'s wording."' in n and 'ben had "Ben\'s wording."' in n for n in said), said
    recorded = [json.loads(line) for line in (team["ana-laptop"] / CONFLICTS).read_text().splitlines()]
    assert {(r["kept"], r.get("kept_by"), r["other"], r.get("other_by")) for r in recorded} == {
        ("Lead's wording.", "lead", "Ben's wording.", "ben"), ("Ana's wording.", "ana", "Lead's wording.", "lead")}


def test_a_conflict_between_two_others_reads_as_theirs_on_a_third_machine(team):  # noqa: F811
    edit_and_sync(team["ben"], "ben", "Ben's wording.")
    edit_and_sync(team["lead"], "lead", "Lead's wording.")
    said = notes(qc(team["ana-laptop"], "--coder", "ana", "sync").stdout)
    told = [n for n in said if n.startswith("codebook conflict on definition of code theme")]
    assert len(told) == 1 and "lead and ben edited it differently" in told[0], said
    assert "keeps lead's" in told[0]
