"""What a researcher sees after a sync that had to decide something: a transcript moved to NAME-2
takes its coders' status, its transcript memos and its cases.csv row along; "Pushed" only when
something was pushed; a removal that overrode a change made on another machine is said."""

from __future__ import annotations

import json
from pathlib import Path

from qualcode.store.cases import load_cases
from qualcode.store.project import Project
from qualcode.store.status import set_mark, transcript_memo
from tests.team.test_team import _two_int9, code, gitc, qc, team  # noqa: F401 - the fixture


def memo(machine: Path, coder: str, transcript: str, text: str) -> None:
    """A transcript memo, as the workbench's `T` writes it."""
    project = Project.open(machine, search=False)
    session = project.session(coder)
    try:
        set_mark(session, transcript, "memo", text)
    finally:
        session.close()
        project.close()


def memos(machine: Path, coder: str) -> dict:
    project = Project.open(machine, search=False)
    try:
        return {t: transcript_memo(project.codings(coder), t) for t in ("int-9", "int-9-2")}
    finally:
        project.close()


def statuses(machine: Path) -> dict:
    rows = json.loads(qc(machine, "--coder", "lead", "status", "--all-coders", "--json").stdout)
    return {r["transcript"]: (r.get("lead"), r.get("ben")) for r in rows if r["transcript"].startswith("int-9")}


def cases(machine: Path) -> dict:
    return load_cases(machine / "cases.csv").case_of


def add_case(machine: Path, row: str) -> None:
    path = machine / "cases.csv"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n{row}\n", encoding="utf-8")


def test_the_interview_moved_to_name_2_takes_its_status_memo_and_case_row(team, tmp_path):
    """The lead and ben each import their own int-9, mark it, write a memo on it and give it a case row.
    ben's (merged in) becomes int-9-2: ben's "done", his memo and his case row go with it; int-9 keeps
    the lead's, and on both machines nothing of ben's interview is left on the lead's."""
    lead, ben = team["lead"], team["ben"]
    _two_int9(team, tmp_path)
    qc(lead, "--coder", "lead", "code", "add", "int-9", "theme", "--quote", "nobody listens")
    qc(lead, "--coder", "lead", "status", "int-9", "in-progress")
    memo(lead, "lead", "int-9", "Ann chairs the board")
    add_case(lead, "int-9,Ann")
    qc(ben, "--coder", "ben", "code", "add", "int-9", "theme", "--quote", "nominated by the network")
    qc(ben, "--coder", "ben", "status", "int-9", "done")
    memo(ben, "ben", "int-9", "Bob was nominated")
    add_case(ben, "int-9,Bob")
    qc(lead, "--coder", "lead", "sync")
    said = qc(ben, "--coder", "ben", "sync").stdout
    assert "int-9-2" in said and "were changed on two machines" not in said  # no row was overridden
    qc(lead, "--coder", "lead", "sync")
    for machine in (lead, ben):
        assert statuses(machine) == {"int-9": ("in progress", "not started"), "int-9-2": ("not started", "done")}, \
            machine.name
        assert memos(machine, "ben") == {"int-9": None, "int-9-2": "Bob was nominated"}, machine.name
        assert memos(machine, "lead") == {"int-9": "Ann chairs the board", "int-9-2": None}, machine.name
        found = cases(machine)
        assert (found.get("int-9"), found.get("int-9-2")) == ("Ann", "Bob"), machine.name
        assert qc(machine, "check", check=False).returncode == 0, qc(machine, "check", check=False).stdout


def test_case_rows_follow_their_interviews_when_one_side_saved_cases_csv_with_semicolons(team, tmp_path):
    """ben's spreadsheet saved cases.csv with semicolons (every line changed): the lead's row stayed
    lost and ben's row landed on the lead's interview, silently. Each row now goes with its interview."""
    lead, ben = team["lead"], team["ben"]
    _two_int9(team, tmp_path)
    add_case(lead, "int-9,Ann")
    add_case(ben, "int-9,Bob")
    path = ben / "cases.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    qc(lead, "--coder", "lead", "sync")
    said = qc(ben, "--coder", "ben", "sync").stdout
    assert "the row of int-9 went with its interview to int-9-2" in said, said
    qc(lead, "--coder", "lead", "sync")
    for machine in (lead, ben):
        found = cases(machine)
        assert (found.get("int-9"), found.get("int-9-2")) == ("Ann", "Bob"), machine.name


def test_what_only_the_moved_interview_had_does_not_stay_on_the_other(team, tmp_path):
    """Only ben marked, annotated and gave a case row to his int-9 (git merges cases.csv and the journals
    without a conflict): after it moves to int-9-2, the lead's int-9 is not "done by ben", carries no memo
    of his and is not in Bob's case."""
    lead, ben = team["lead"], team["ben"]
    _two_int9(team, tmp_path)
    qc(ben, "--coder", "ben", "status", "int-9", "done")
    memo(ben, "ben", "int-9", "Bob was nominated")
    path = ben / "cases.csv"
    path.write_text("transcript,case,site\nint-9,Bob,South\n", encoding="utf-8")
    qc(lead, "--coder", "lead", "sync")
    said = qc(ben, "--coder", "ben", "sync").stdout
    assert "int-9-2" in said and "status" in said and "cases.csv" in said
    qc(lead, "--coder", "lead", "sync")
    for machine in (lead, ben):
        assert statuses(machine) == {"int-9": ("not started", "not started"), "int-9-2": ("not started", "done")}, \
            machine.name
        assert memos(machine, "ben") == {"int-9": None, "int-9-2": "Bob was nominated"}, machine.name
        found = load_cases(machine / "cases.csv")
        assert "int-9" not in found.attributes and found.case_of.get("int-9-2") == "Bob", machine.name
        assert found.value("int-9-2", "site") == "South", machine.name


def test_pushed_is_said_only_when_something_was_pushed(team):
    ben, lead = team["ben"], team["lead"]
    code(ben, "It took us two years")
    first = qc(ben, "--coder", "ben", "sync").stdout
    assert "Pushed to origin" in first
    again = qc(ben, "--coder", "ben", "sync").stdout  # nothing new anywhere
    assert "Pushed to" not in again and "nothing to push" in again.lower()
    assert json.loads(qc(ben, "--coder", "ben", "sync", "--json").stdout)["pushed"] is False
    brought = qc(lead, "--coder", "lead", "sync").stdout  # ben's work arrives; the lead has nothing to give
    assert "Arrived from ben" in brought
    assert "Pushed to" not in brought and "nothing to push" in brought.lower()
    branch = gitc(lead, "symbolic-ref", "--short", "HEAD").strip()
    assert gitc(lead, "rev-parse", "HEAD") == gitc(lead, "rev-parse", f"refs/remotes/origin/{branch}")


def recoded_here_removed_there(team) -> str:
    """ana codes on her laptop and syncs both machines; then recodes it on the laptop and removes it at
    the office, which syncs: the coding's id (the laptop has not synced since)."""
    laptop, office = team["ana-laptop"], team["ana-office"]
    kept = code(laptop, "It took us two years")
    qc(laptop, "--coder", "ana", "sync")
    qc(office, "--coder", "ana", "sync")
    qc(laptop, "--coder", "ana", "code", "recode", kept, "theme.sub")
    qc(office, "--coder", "ana", "code", "remove", kept)
    qc(office, "--coder", "ana", "sync")
    return kept


def test_a_removal_that_overrode_a_change_made_on_another_machine_is_said(team):
    """ana recodes a coding on her laptop, then removes it at the office: in the merged journal the
    removal comes last and stands (documented), so the recode is lost; both machines are told, once."""
    laptop, office = team["ana-laptop"], team["ana-office"]
    kept = recoded_here_removed_there(team)
    said = qc(laptop, "--coder", "ana", "sync").stdout
    told = qc(office, "--coder", "ana", "sync").stdout
    for machine, out in ((laptop, said), (office, told)):
        lines = [ln for ln in out.splitlines() if kept in ln]
        assert len(lines) == 1, (machine.name, out)
        assert "recoded" in lines[0] and "removed" in lines[0] and "int-1" in lines[0], lines[0]
        rows = json.loads(qc(machine, "--coder", "ana", "code", "list", "--json").stdout)
        assert kept not in {r["id"] for r in rows}  # the removal stands, as documented
    assert kept not in qc(office, "--coder", "ana", "sync").stdout  # said once, not at every sync


def test_a_change_that_comes_after_the_removal_is_not_said_as_overridden(team):
    laptop, office = team["ana-laptop"], team["ana-office"]
    kept = code(laptop, "It took us two years")
    qc(laptop, "--coder", "ana", "sync")
    qc(office, "--coder", "ana", "sync")
    qc(office, "--coder", "ana", "code", "remove", kept)
    qc(laptop, "--coder", "ana", "code", "recode", kept, "theme.sub")
    qc(office, "--coder", "ana", "sync")
    said = qc(laptop, "--coder", "ana", "sync").stdout
    assert kept not in said and "overrid" not in said
    rows = json.loads(qc(laptop, "--coder", "ana", "code", "list", "--json").stdout)
    assert {r["id"]: r["code"] for r in rows}[kept] == "theme.sub"


def test_codings_of_a_code_removed_elsewhere_are_named_by_check_after_a_plain_git_pull(team):
    """The lead removes a code with its codings; ben, not synced, codes with it, then brings the
    removal in with a plain `git pull`: his coding stops counting, and `check` says whose and how many
    (before, only `qualcode sync` said it)."""
    lead, ben = team["lead"], team["ben"]
    qc(lead, "codebook", "remove", "theme.sub", "--codings", "drop")
    qc(lead, "--coder", "lead", "sync")
    code(ben, "It took us two years", "theme.sub")
    gitc(ben, "add", "-A")
    gitc(ben, "commit", "-qm", "ben's work")
    gitc(ben, "pull", "-q", "--no-rebase", "--no-edit")
    out = qc(ben, "check", check=False).stdout
    line = next(ln for ln in out.splitlines() if "'theme.sub' was removed with its codings" in ln)
    assert "ben's 1" in line and "no longer count" in line
