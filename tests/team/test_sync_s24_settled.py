"""A codebook conflict settled before its note reaches a machine is not told there as open (an outside
tester's findings); and what arrived is said from whom in words that name no git identity for the
project's first commit."""

from __future__ import annotations

import json

from tests.team.test_team import CODER, gitc, qc, team  # noqa: F401 - the fixture


def sync(machine, *args: str) -> str:
    return qc(machine, "--coder", CODER[machine.name], "sync", *args).stdout


def notes(said: str) -> list[str]:
    return [line for line in said.splitlines() if line.startswith("Note: ")]


def test_a_conflict_chosen_before_it_arrives_is_not_told_as_open(team):
    """ben and ana rewrite theme's definition; ana syncs second (the conflict, ana's kept), takes ben's
    and syncs: ben's next sync told him the codebook keeps ana's until someone chooses."""
    ana, ben = team["ana-laptop"], team["ben"]
    qc(ben, "codebook", "edit", "theme", "--definition", "Ben's wording.")
    sync(ben)
    qc(ana, "codebook", "edit", "theme", "--definition", "Ana's wording.")
    said = notes(sync(ana))
    assert any("codebook conflict on definition of code theme" in n for n in said), said
    qc(ana, "codebook", "resolve", "theme", "definition", "--take", "theirs")
    sync(ana)
    told = sync(ben)
    assert not [n for n in notes(told) if "codebook conflict" in n], told
    assert "conflict(s) to choose on" not in told, told
    assert json.loads(qc(ben, "codebook", "show", "theme", "--json").stdout)["definition"] == "Ben's wording."
    assert qc(ben, "check").returncode == 0
    result = json.loads(sync(ben, "--json"))  # nothing new: nothing said, in JSON too
    assert not [n for n in result["notes"] if "codebook conflict" in n], result


def test_a_conflict_still_open_is_still_told_when_it_arrives(team):
    ana, ben = team["ana-laptop"], team["ben"]
    qc(ben, "codebook", "edit", "theme", "--definition", "Ben's wording.")
    sync(ben)
    qc(ana, "codebook", "edit", "theme", "--definition", "Ana's wording.")
    sync(ana)
    told = notes(sync(ben))
    assert any("codebook conflict on definition of code theme: ana had" in n for n in told), told


def test_a_commit_not_made_by_qualcode_sync_is_not_named_as_a_person(tmp_path):
    """A project seeded outside qualcode (a git identity like "Seed e616255b maintainers"): a clone's
    sync said "Arrived from Seed e616255b maintainers:"."""
    remote, seed = tmp_path / "study.git", tmp_path / "seed"
    gitc(tmp_path, "init", "-q", "--bare", str(remote))
    qc(tmp_path, "init", str(seed))
    seeded = ("-c", "user.name=Seed e616255b maintainers", "-c", "user.email=seed@example.org")
    gitc(seed, "init", "-q")
    gitc(seed, "add", "-A")
    gitc(seed, *seeded, "commit", "-q", "-m", "seed")
    gitc(seed, "remote", "add", "origin", str(remote))
    gitc(seed, "push", "-q", "origin", "HEAD")
    gitc(tmp_path, "clone", "-q", str(remote), "ben")
    ben = tmp_path / "ben"
    gitc(ben, "config", "user.name", "ben")
    gitc(ben, "config", "user.email", "ben@example.org")
    qc(seed, "codebook", "add", "later", "Later")
    gitc(seed, "add", "-A")
    gitc(seed, *seeded, "commit", "-q", "-m", "more")
    gitc(seed, "push", "-q", "origin", "HEAD")
    said = qc(ben, "--coder", "ben", "sync").stdout
    assert "Arrived from a commit made outside qualcode (git user 'Seed e616255b maintainers'):" in said, said


def test_the_projects_first_commit_and_a_share_are_said_as_such():
    from qualcode.services.sync import _author

    assert _author("Seed e616255b maintainers", "", "seed") == "the project's first commit"
    assert _author("lead", "", "qualcode share: the project, shared by lead") == "lead's `qualcode share`"
    assert _author("ben-laptop", "abc123", "qualcode sync: ben on host") == "ben-laptop"
