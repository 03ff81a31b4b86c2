"""A team as it works: a bare repository, two coders (one of them on two machines) and a lead who
edits the codebook, each in their own clone, syncing in different orders; a sync killed midway.

Everything goes through the `qualcode` command, as the README's "Working as a team" section says."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import INTERVIEW

if shutil.which("git") is None:
    pytest.skip("git is not installed (the team tests need it; .ci/run installs it)", allow_module_level=True)

CODER = {"ana-laptop": "ana", "ana-office": "ana", "ben": "ben", "lead": "lead"}


def qc(folder: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-c", "from qualcode.cli.main import main; main()", *args], cwd=folder, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})
    if check:
        assert proc.returncode == 0, f"qualcode {' '.join(args)} in {folder.name}: {proc.stdout}{proc.stderr}"
    return proc


def gitc(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def team(tmp_path):
    """The lead's project shared to a bare repository, and a clone per machine."""
    remote = tmp_path / "study.git"
    gitc(tmp_path, "init", "-q", "--bare", str(remote))
    lead = tmp_path / "lead"
    qc(tmp_path, "init", "--git", str(lead))
    gitc(lead, "config", "user.name", "lead")
    gitc(lead, "config", "user.email", "lead@example.org")
    (tmp_path / "int-1.txt").write_text(INTERVIEW, encoding="utf-8")
    qc(lead, "import", str(tmp_path / "int-1.txt"))
    out = qc(lead, "share", str(remote)).stdout
    assert "Pushed to" in out
    machines = {"lead": lead}
    for name in ("ana-laptop", "ana-office", "ben"):
        gitc(tmp_path, "clone", "-q", str(remote), name)
        gitc(tmp_path / name, "config", "user.name", name)
        gitc(tmp_path / name, "config", "user.email", f"{name}@example.org")
        machines[name] = tmp_path / name
    return machines


def code(machine: Path, quote: str, code_id: str = "theme", occurrence: int = 1) -> str:
    out = qc(machine, "--coder", CODER[machine.name], "code", "add", "int-1", code_id, "--quote", quote,
             "--occurrence", str(occurrence)).stdout
    return out.split()[1].rstrip(":")  # "saved <id>: ..."


def state(machine: Path) -> dict:
    """What a user sees: every coder's codings, and the codebook's codes."""
    rows = json.loads(qc(machine, "code", "list", "--all-coders", "--json").stdout)
    book = (machine / "codebooks" / "codebook.yaml").read_text(encoding="utf-8")
    return {"codings": sorted(json.dumps(r, sort_keys=True) for r in rows), "codebook": book,
            "journals": {p.name: p.read_bytes() for p in sorted((machine / "codings").glob("*.jsonl"))}}


def work(team) -> set[str]:
    """Concurrent work on every machine, before anyone syncs; the ids of the codings confirmed."""
    kept = set()
    kept.add(code(team["ana-laptop"], "community empowerment network"))
    kept.add(code(team["ana-laptop"], "two years", "theme.sub"))
    kept.add(code(team["ana-office"], "Neighbourhood Renewal Fund"))
    undone = code(team["ana-office"], "the council says")
    assert "undone" in qc(team["ana-office"], "--coder", "ana", "code", "undo").stdout
    kept.add(code(team["ana-office"], "The outcomes matter"))
    kept.add(code(team["ben"], "community empowerment network"))
    kept.add(code(team["ben"], "ethnicity", "theme.sub"))
    qc(team["lead"], "codebook", "add", "funding", "Funding", "--definition", "Money and who gets it")
    return kept, undone


ORDERS = [
    ["ana-laptop", "ana-office", "ben", "lead"],
    ["lead", "ben", "ana-office", "ana-laptop"],
    ["ana-office", "lead", "ana-laptop", "ben"],
]


@pytest.mark.parametrize("order", ORDERS, ids=["coders-first", "lead-first", "mixed"])
def test_every_machine_ends_with_the_same_codings_and_nothing_lost(team, order):
    kept, undone = work(team)
    said = {}
    for name in order:
        said[name] = qc(team[name], "--coder", CODER[name], "sync").stdout
    for name in order:  # a second round: everyone gets what was pushed after their first sync
        qc(team[name], "--coder", CODER[name], "sync")
    first = state(team[order[0]])
    ids = {json.loads(r)["id"] for r in first["codings"]}
    assert kept <= ids and undone not in ids
    assert len(ids) == len(kept)
    assert "funding" in first["codebook"]
    for name in order:
        assert state(team[name]) == first, f"{name} differs from {order[0]}"
        assert qc(team[name], "check").returncode == 0
    heads = {gitc(team[name], "rev-parse", "HEAD") for name in order}
    assert len(heads) == 1
    # the last to sync in the first round was told what arrived, from whom
    last = said[order[-1]]
    assert "Arrived from" in last and "codings added" in last
    assert "Committed your changes" in said[order[0]]


def test_the_commit_says_who_changed_what(team):
    work(team)
    qc(team["lead"], "--coder", "lead", "sync")
    qc(team["ben"], "--coder", "ben", "sync")
    log = gitc(team["ben"], "log", "--format=%B", "-n", "5")
    assert "qualcode sync: ben" in log and "ben: 2 codings added" in log
    assert "codebook: 1 code added" in log


@pytest.mark.parametrize("step", ["committed", "merging", "merged"])
def test_a_sync_killed_midway_is_completed_by_the_next(team, step):
    kept, _ = work(team)
    qc(team["ana-laptop"], "--coder", "ana", "sync")
    killed = qc(team["ana-office"], "--coder", "ana", "sync", env={"QUALCODE_SYNC_KILL_AT": step}, check=False)
    assert killed.returncode == -signal.SIGKILL
    if step == "merging":
        assert (team["ana-office"] / ".git" / "MERGE_HEAD").exists()  # the state a kill leaves
    again = qc(team["ana-office"], "--coder", "ana", "sync").stdout
    assert "Pushed to" in again
    for _ in range(2):  # everyone syncs twice: the second round brings what was pushed after one's first
        for name in ("ana-laptop", "ben", "lead", "ana-office"):
            qc(team[name], "--coder", CODER[name], "sync")
    ids = {json.loads(r)["id"] for r in state(team["ana-laptop"])["codings"]}
    assert kept <= ids
    assert state(team["ana-office"]) == state(team["ana-laptop"]) == state(team["ben"]) == state(team["lead"])
    assert qc(team["ana-office"], "check").returncode == 0


def test_a_fresh_clone_gets_the_driver_and_sync_without_a_remote_says_what_to_do(team, tmp_path):
    config = (team["ben"] / ".git" / "config").read_text()
    assert "qualcode-journal" not in config  # git clone does not carry it
    qc(team["ben"], "stats")
    assert "qualcode.store.merge journal %O %A %B" in (team["ben"] / ".git" / "config").read_text()
    lone = tmp_path / "lone"
    qc(tmp_path, "init", str(lone))
    proc = qc(lone, "sync", check=False)
    assert proc.returncode == 2 and "qualcode share URL" in proc.stderr and "Traceback" not in proc.stderr


def test_plain_git_merges_a_journal_grown_on_two_machines_without_a_conflict(team):
    """The driver qualcode registers is what git runs: `git pull` by hand merges too."""
    code(team["ana-laptop"], "community empowerment network")
    qc(team["ana-laptop"], "--coder", "ana", "sync")
    office = team["ana-office"]
    mine = code(office, "Neighbourhood Renewal Fund")
    qc(office, "stats")  # any command installs the driver in this clone
    gitc(office, "add", "-A")
    gitc(office, "commit", "-q", "-m", "by hand")
    pulled = subprocess.run(["git", "pull", "-q", "--no-rebase", "--no-edit"], cwd=office, capture_output=True, text=True)
    assert pulled.returncode == 0, pulled.stderr
    journal = (office / "codings" / "ana.jsonl").read_text()
    assert "<<<<<<<" not in journal and mine in journal and journal.count("\n") == 2
    assert qc(office, "check").returncode == 0


def test_two_people_reshape_the_codebook_and_a_coder_uses_a_merged_id(team):
    """The lead merges theme.sub into theme; ben, meanwhile, adds a code and edits theme's definition;
    ana codes with theme.sub. After syncing, every machine has both codebook changes, ana's coding
    counts as theme, and check is clean."""
    qc(team["lead"], "codebook", "merge", "theme.sub", "theme")
    qc(team["ben"], "codebook", "add", "funding", "Funding")
    qc(team["ben"], "codebook", "edit", "theme", "--definition", "What the partnership is for.")
    used = code(team["ana-laptop"], "two years", "theme.sub")
    for _ in range(2):
        for name in ("lead", "ben", "ana-laptop"):
            qc(team[name], "--coder", CODER[name], "sync")
    first = state(team["lead"])
    for name in ("ben", "ana-laptop"):
        assert state(team[name]) == first
    rows = [json.loads(r) for r in first["codings"]]
    assert [r["code"] for r in rows if r["id"] == used] == ["theme"]
    book = first["codebook"]
    assert "funding" in book and "What the partnership is for." in book and "theme.sub: theme" in book
    assert qc(team["ben"], "check").returncode == 0
    assert not (team["ben"] / "codebooks" / "codebook.yaml.conflicts").exists()


def test_a_true_codebook_conflict_is_recorded_not_a_stopped_sync(team):
    qc(team["lead"], "codebook", "edit", "theme", "--definition", "Lead's wording.")
    qc(team["ben"], "codebook", "edit", "theme", "--definition", "Ben's wording.")
    qc(team["lead"], "--coder", "lead", "sync")
    out = qc(team["ben"], "--coder", "ben", "sync").stdout
    assert "Pushed to" in out
    check = qc(team["ben"], "check", check=False)
    assert check.returncode == 1 and "Lead's wording." in check.stdout + check.stderr
    qc(team["lead"], "--coder", "lead", "sync")
    assert (team["lead"] / "codebooks" / "codebook.yaml.conflicts").exists()  # every machine sees the choice
    assert "<<<<<<<" not in (team["ben"] / "codebooks" / "codebook.yaml").read_text()


def test_a_code_deleted_on_one_machine_and_used_on_another_is_said_and_checked(team):
    qc(team["lead"], "codebook", "remove", "theme.sub")
    code(team["ana-laptop"], "two years", "theme.sub")
    qc(team["lead"], "--coder", "lead", "sync")
    said = qc(team["ana-laptop"], "--coder", "ana", "sync").stdout
    assert "1 coding(s) use code 'theme.sub', which the codebook no longer has" in said
    qc(team["lead"], "--coder", "lead", "sync")
    check = qc(team["lead"], "check", check=False)
    assert check.returncode == 1 and "'theme.sub', which is not in the codebook" in check.stdout + check.stderr


def test_a_merge_git_left_unfinished_on_a_journal_is_finished_by_sync(team):
    """A `git pull` by hand whose journal merge failed (here: the driver made to fail) leaves the
    journal unmerged, with conflict markers; the next sync merges it with nothing lost."""
    theirs = code(team["ana-laptop"], "community empowerment network")
    qc(team["ana-laptop"], "--coder", "ana", "sync")
    office = team["ana-office"]
    mine = code(office, "Neighbourhood Renewal Fund")
    gitc(office, "add", "-A")
    gitc(office, "commit", "-q", "-m", "by hand")
    pulled = subprocess.run(["git", "-c", "merge.qualcode-journal.driver=false", "-c", "merge.qualcode-journal.name=x",
                             "pull", "-q", "--no-rebase", "--no-edit"], cwd=office, capture_output=True, text=True)
    assert pulled.returncode != 0 and (office / ".git" / "MERGE_HEAD").exists()
    said = qc(office, "--coder", "ana", "sync").stdout
    assert "interrupted" in said and "Pushed to" in said
    journal = (office / "codings" / "ana.jsonl").read_text()
    assert theirs in journal and mine in journal and "<<<<<<<" not in journal
    assert qc(office, "check").returncode == 0


def test_a_codebook_git_merged_as_text_before_qualcode_ran_is_merged_again_by_sync(team):
    """A fresh clone where no qualcode command has run yet has no codebook driver: a hand edit of the
    codebook and a plain `git pull` leave git's text conflict. The next sync merges it as the driver
    would: the two names become a recorded conflict, not markers, and nothing else is lost."""
    qc(team["lead"], "codebook", "edit", "theme", "--name", "Lead theme", "--keyword", "money")
    qc(team["lead"], "--coder", "lead", "sync")
    ben = team["ben"]
    book = ben / "codebooks" / "codebook.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("name: A first theme", "name: Ben theme"), encoding="utf-8")
    gitc(ben, "commit", "-q", "-am", "by hand")
    pulled = subprocess.run(["git", "pull", "-q", "--no-rebase", "--no-edit"], cwd=ben, capture_output=True, text=True)
    assert pulled.returncode != 0 and "<<<<<<<" in book.read_text(encoding="utf-8")
    shown = qc(ben, "codebook", "show", check=False)
    assert shown.returncode == 2 and "run `qualcode sync`" in shown.stderr  # not "fix the YAML"
    said = qc(ben, "--coder", "ben", "sync").stdout
    assert "Pushed to" in said and "1 conflict(s) to choose on" in said
    shown = json.loads(qc(ben, "codebook", "show", "theme", "--json").stdout)
    assert shown["name"] == "Ben theme" and shown["keywords"] == ["money"]
    assert "<<<<<<<" not in book.read_text(encoding="utf-8")
    rows = json.loads(qc(ben, "codebook", "resolve", "--json").stdout)
    assert [(r["code"], r["field"], r["theirs"]) for r in rows] == [("theme", "name", "Lead theme")]


def _two_int9(team, tmp_path) -> list[tuple[Path, str]]:
    """The lead and ben each import their own, different "int-9.txt"; (machine, words it holds)."""
    out = []
    for name, who, words in (("lead", "Ann", "the board meets monthly and nobody listens"),
                             ("ben", "Bob", "I was nominated by the network in 2004")):
        src = tmp_path / f"from-{name}" / "int-9.txt"
        src.parent.mkdir()
        src.write_text(f"Interviewer: Tell me.\n\n{who}: Well, {words}.\n\nInterviewer: Why?\n\n{who}: I could not say.\n",
                       encoding="utf-8")
        qc(team[name], "import", str(src))
        out.append((team[name], words))
    return out


def test_two_interviews_imported_under_one_name_on_two_machines_are_both_kept_with_their_codings(team, tmp_path):
    """ben and the lead each import their own "int-9.txt" (different interviews) and code it. The sync
    keeps both (the second as int-9-2) and moves each coding with the text it was made on; both
    machines are told, and agree."""
    lead, ben = team["lead"], team["ben"]
    for machine, words in _two_int9(team, tmp_path):
        qc(machine, "--coder", CODER[machine.name], "code", "add", "int-9", "theme", "--quote", words)
    qc(lead, "--coder", "lead", "sync")
    said = qc(ben, "--coder", "ben", "sync").stdout
    assert "two different transcripts were added as transcripts/int-9.txt" in said and "int-9-2" in said
    told = qc(lead, "--coder", "lead", "sync").stdout
    assert "int-9-2" in told  # the lead learns where their interview went
    for machine in (lead, ben):
        rows = json.loads(qc(machine, "code", "list", "--all-coders", "--json").stdout)
        where = {r["coder"]: (r["t"], r["quote"]) for r in rows if r["t"].startswith("int-9")}
        # the interview already shared (the lead's, synced first) keeps its name; ben's, merged in, moves
        assert where == {"lead": ("int-9", "the board meets monthly and nobody listens"),
                         "ben": ("int-9-2", "I was nominated by the network in 2004")}, machine.name
        assert "conflict markers" not in qc(machine, "check", check=False).stdout
        assert "lost its text" not in qc(machine, "check", check=False).stdout


def test_check_fix_saves_only_my_own_codings_so_nobody_elses_undo_takes_back_my_move(team):
    ben, lead = team["ben"], team["lead"]
    code(ben, "community empowerment network")
    qc(ben, "--coder", "ben", "sync")
    qc(lead, "--coder", "lead", "sync")
    path = lead / "transcripts" / "int-1.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Could you start", "To begin, could you start", 1),
                    encoding="utf-8")
    before = (lead / "codings" / "ben.jsonl").read_bytes()
    out = qc(lead, "--coder", "lead", "check", "--fix", check=False).stdout
    assert (lead / "codings" / "ben.jsonl").read_bytes() == before  # the lead does not write ben's journal
    assert "qualcode --coder ben check --fix` saves the new place" in out


def test_what_a_git_killed_midway_leaves_is_cleared_and_never_committed(team):
    """A sync killed while git ran the journal merge left .git/index.lock (every later git command
    failed) and the driver's .merge_file_* copies (the next sync committed them)."""
    ben = team["ben"]
    code(ben, "community empowerment network")
    (ben / ".git" / "index.lock").write_bytes(b"")
    (ben / ".merge_file_Ab12Cd").write_text("a temporary copy of a journal\n", encoding="utf-8")
    said = qc(ben, "--coder", "ben", "sync").stdout
    assert "Pushed to" in said and "index.lock" in said
    assert ".merge_file" not in gitc(ben, "ls-files") and not (ben / ".merge_file_Ab12Cd").exists()


def test_two_word_files_under_one_name_are_both_kept_with_their_codings(team, tmp_path):
    """Git leaves our copy of a Word file it cannot merge, without markers: the other machine's
    interview was silently dropped and its codings lost their text."""
    from tests.formats.conftest import make_docx

    lead, ben = team["lead"], team["ben"]
    for machine, who, words in ((lead, "Ann", "the manager never listens"), (ben, "Bob", "the garden keeps me sane")):
        src = tmp_path / f"w-{machine.name}" / "talk.docx"
        src.parent.mkdir()
        src.write_bytes(make_docx(["Interviewer: Tell me.", f"{who}: Well, {words}.", "Interviewer: Why?",
                                   f"{who}: I could not say."]))
        qc(machine, "import", str(src))
        qc(machine, "--coder", CODER[machine.name], "code", "add", "talk", "theme", "--quote", words)
    qc(lead, "--coder", "lead", "sync")
    assert "talk-2" in qc(ben, "--coder", "ben", "sync").stdout
    qc(lead, "--coder", "lead", "sync")
    for machine in (lead, ben):
        rows = json.loads(qc(machine, "code", "list", "--all-coders", "--json").stdout)
        assert {r["coder"]: r["t"] for r in rows if r["t"].startswith("talk")} == {"lead": "talk", "ben": "talk-2"}
        assert "lost its text" not in qc(machine, "check", check=False).stdout


def test_a_coding_made_before_the_other_interview_arrived_stays_on_its_text(team, tmp_path):
    """An outside tester: ana coded the shared int-9 on her laptop without syncing while ben's own
    int-9 was merged in; her coding ended up on ben's interview. The interview already shared keeps
    its name (the one merged in moves), so her coding is on the text it was made on."""
    lead, ben, laptop = team["lead"], team["ben"], team["ana-laptop"]
    _two_int9(team, tmp_path)
    qc(lead, "--coder", "lead", "sync")
    qc(laptop, "--coder", "ana", "sync")
    qc(laptop, "--coder", "ana", "code", "add", "int-9", "theme", "--quote", "nobody listens")  # not synced yet
    qc(ben, "--coder", "ben", "sync")  # ben's interview, merged in, becomes int-9-2 ... on the lead's side too
    qc(lead, "--coder", "lead", "sync")
    qc(laptop, "--coder", "ana", "sync")
    rows = json.loads(qc(laptop, "code", "list", "--all-coders", "--json").stdout)
    mine = [r for r in rows if r["coder"] == "ana"]
    assert [(r["t"], r["quote"]) for r in mine] == [("int-9", "nobody listens")]
    assert "lost its text" not in qc(laptop, "check", check=False).stdout


def test_a_text_conflict_stops_the_sync_and_the_next_sync_takes_the_settled_file(team):
    """A file of the team's own (notes.txt) edited two ways: git cannot merge it; sync names it and says
    what to do, and once the user has settled it (markers gone), the next sync completes."""
    for name, row in (("lead", "lead's plan\n"), ("ben", "ben's plan\n")):
        (team[name] / "notes.txt").write_text("Plan:\n" + row, encoding="utf-8")
    qc(team["lead"], "--coder", "lead", "sync")
    stopped = qc(team["ben"], "--coder", "ben", "sync", check=False)
    assert stopped.returncode == 2 and "notes.txt was changed on both sides" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    (team["ben"] / "notes.txt").write_text("Plan:\nagreed plan\n", encoding="utf-8")
    assert "Pushed to" in qc(team["ben"], "--coder", "ben", "sync").stdout
    qc(team["lead"], "--coder", "lead", "sync")
    assert "agreed plan" in (team["lead"] / "notes.txt").read_text()


def test_cases_added_on_two_machines_merge_row_by_row(team):
    """An outside tester: the lead adds one case row and ben another; the sync stopped on cases.csv."""
    lead, ben = team["lead"], team["ben"]
    base = (lead / "cases.csv").read_text(encoding="utf-8")
    header = base.splitlines()[0] if base.strip() else "transcript,case"
    (lead / "cases.csv").write_text(f"{header}\nint-1,Case A\n", encoding="utf-8")
    (ben / "cases.csv").write_text(f"{header}\nint-2,Case B\n", encoding="utf-8")
    qc(lead, "--coder", "lead", "sync")
    assert "Pushed to" in qc(ben, "--coder", "ben", "sync").stdout
    qc(lead, "--coder", "lead", "sync")
    for machine in (lead, ben):
        rows = (machine / "cases.csv").read_text(encoding="utf-8").splitlines()
        assert "int-1,Case A" in rows and "int-2,Case B" in rows, machine.name
    for machine, case in ((lead, "Case A1"), (ben, "Case A2")):  # one row changed two ways: ours, and said
        path = machine / "cases.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("int-1,Case A", f"int-1,{case}"), encoding="utf-8")
    qc(lead, "--coder", "lead", "sync")
    said = qc(ben, "--coder", "ben", "sync").stdout
    assert "the rows of int-1 were changed on two machines" in said
    assert "int-1,Case A2" in (ben / "cases.csv").read_text(encoding="utf-8")


def test_a_cases_file_with_a_quote_left_open_is_not_merged_row_by_row(team):
    """A quote left open folds the rows after it into one cell: merged row by row and written back,
    those rows were lost (now the file is left to the person, who is told which file)."""
    lead, ben = team["lead"], team["ben"]
    (lead / "cases.csv").write_text("transcript,case\nint-1,Case A\n", encoding="utf-8")
    qc(lead, "--coder", "lead", "sync")
    (lead / "cases.csv").write_text("transcript,case\nint-1,Case A1\n", encoding="utf-8")
    qc(lead, "--coder", "lead", "sync")
    (ben / "cases.csv").write_text('transcript,case\nint-1,"Case A\nint-2,Case B\nint-3,Case C\n', encoding="utf-8")
    out = qc(ben, "--coder", "ben", "sync", check=False)
    assert "Traceback" not in out.stdout + out.stderr
    if out.returncode == 0:  # whatever was merged, ben's rows are still rows
        import csv

        rows = list(csv.reader((ben / "cases.csv").read_text(encoding="utf-8").splitlines(keepends=True)))
        assert {"int-2", "int-3"} <= {r[0] for r in rows if r}, rows
    else:
        assert out.returncode == 2 and "cases.csv" in out.stderr


def test_compact_is_refused_in_a_shared_project(team):
    code(team["ben"], "two years")
    before = (team["ben"] / "codings" / "ben.jsonl").read_bytes()
    proc = qc(team["ben"], "--coder", "ben", "compact", check=False)
    assert proc.returncode == 2 and "shared through git" in proc.stderr
    assert (team["ben"] / "codings" / "ben.jsonl").read_bytes() == before


def test_a_sync_that_cannot_reach_the_remote_says_what_git_said_and_that_the_work_is_kept(team, tmp_path):
    ben = team["ben"]
    cid = code(ben, "It took us two years")
    (tmp_path / "study.git").rename(tmp_path / "moved.git")
    out = qc(ben, "--coder", "ben", "sync", check=False)
    said = out.stdout + out.stderr
    assert out.returncode == 2 and "Traceback" not in said
    assert "does not appear to be a git repository" in said  # git's own words, not only its last line
    assert "committed on this machine and nothing is lost" in said
    assert cid in gitc(ben, "show", "HEAD:codings/ben.jsonl")  # the coding is in the local commit


def test_conflict_markers_left_in_a_transcript_are_never_committed_and_check_names_them(team):
    """Two machines edit the same line of a transcript; the second sync stops on it. Marking the file
    resolved with `git add` while git's markers are still in it must not let a sync commit it, and
    `check` must say what is wrong (before, the markers were read as speech and synced to everyone)."""
    ana, ben = team["ana-laptop"], team["ben"]
    for machine, words in ((ana, "three years"), (ben, "four long years")):
        path = machine / "transcripts" / "int-1.txt"
        path.write_text(path.read_text(encoding="utf-8").replace("two years", words), encoding="utf-8")
    qc(ana, "--coder", "ana", "sync")
    stopped = qc(ben, "--coder", "ben", "sync", check=False)
    assert stopped.returncode == 2 and "int-1.txt" in stopped.stderr
    checked = qc(ben, "check", check=False)
    assert checked.returncode != 0 and "unresolved git conflict markers" in checked.stdout + checked.stderr
    assert "merge of the team's work is not finished" in checked.stdout + checked.stderr
    head = gitc(ben, "rev-parse", "HEAD")
    gitc(ben, "add", "transcripts/int-1.txt")
    again = qc(ben, "--coder", "ben", "sync", check=False)
    assert again.returncode == 2 and "still holds git's conflict markers" in again.stderr
    assert gitc(ben, "rev-parse", "HEAD") == head  # nothing committed, nothing pushed
    path = ben / "transcripts" / "int-1.txt"
    kept = [ln for ln in path.read_text(encoding="utf-8").split("\n")
            if not ln.startswith(("<<<<<<< ", "=======", ">>>>>>> ")) and "four long years" not in ln]
    path.write_text("\n".join(kept), encoding="utf-8")
    qc(ben, "--coder", "ben", "sync")
    assert "<<<<<<<" not in gitc(ben, "show", "HEAD:transcripts/int-1.txt")


def test_one_coder_coding_the_same_passage_on_two_machines_is_named_by_check(team):
    laptop, office = team["ana-laptop"], team["ana-office"]
    first, second = code(laptop, "It took us two years"), code(office, "It took us two years")
    qc(laptop, "--coder", "ana", "sync")
    qc(office, "--coder", "ana", "sync")
    out = qc(office, "check", check=False)
    said = out.stdout + out.stderr
    assert "ana has 2 identical codings of theme on int-1" in said
    assert first in said and second in said and "code remove" in said


def test_one_coder_removing_on_one_machine_and_changing_on_the_other_loses_neither_change(team):
    """ana removes a coding at the office; on the laptop, later, she recodes it and writes a memo, and
    writes a memo on another coding that she also wrote one on at the office. After both sync, both
    machines show the coding with the laptop's changes and both memos, and check is clean."""
    laptop, office = team["ana-laptop"], team["ana-office"]
    kept, noted = code(laptop, "It took us two years"), code(laptop, "community empowerment network")
    qc(laptop, "--coder", "ana", "sync")
    qc(office, "--coder", "ana", "sync")
    qc(office, "--coder", "ana", "code", "remove", kept)
    qc(office, "--coder", "ana", "code", "memo", noted, "office note")
    qc(laptop, "--coder", "ana", "code", "recode", kept, "theme.sub")
    qc(laptop, "--coder", "ana", "code", "memo", kept, "why it matters")
    qc(laptop, "--coder", "ana", "code", "memo", noted, "laptop note")
    for machine in (office, laptop, office):
        qc(machine, "--coder", "ana", "sync")
    for machine in (office, laptop):
        rows = {r["id"]: r for r in json.loads(qc(machine, "--coder", "ana", "code", "list", "--json").stdout)}
        assert rows[kept]["code"] == "theme.sub" and rows[kept]["memo"] == "why it matters", machine.name
        assert "office note" in rows[noted]["memo"] and "laptop note" in rows[noted]["memo"], machine.name
        assert qc(machine, "check").returncode == 0


def test_a_sync_that_brings_a_code_removed_with_its_codings_tells_whoever_used_it(team):
    lead, ben = team["lead"], team["ben"]
    qc(lead, "--coder", "lead", "codebook", "remove", "theme.sub", "--codings", "drop")
    code(ben, "It took us two years", "theme.sub")
    qc(lead, "--coder", "lead", "sync")
    out = qc(ben, "--coder", "ben", "sync").stdout
    assert "1 of your coding(s) use code 'theme.sub', which arrived removed with its codings" in out
    assert json.loads(qc(ben, "code", "list", "--json", "--coder", "ben").stdout) == []  # no longer counted
    assert "theme.sub" in (ben / "codings" / "ben.jsonl").read_text(encoding="utf-8")  # but kept in the journal


def test_compact_is_refused_in_a_plain_clone_with_a_remote(study_copy, tmp_path):
    """A clone of the repository (its journals tracked, a remote, no qualcode drivers yet) is shared too:
    an outside tester compacted researcher_a's journal in a fresh clone of the bundled study."""
    remote = tmp_path / "r.git"
    gitc(tmp_path, "init", "-q", "--bare", str(remote))
    gitc(study_copy, "init", "-q")
    gitc(study_copy, "remote", "add", "origin", str(remote))
    before = (study_copy / "codings" / "researcher_a.jsonl").read_bytes()
    proc = qc(study_copy, "--coder", "researcher_a", "compact", check=False)
    assert proc.returncode == 2 and "shared through git" in proc.stderr
    assert (study_copy / "codings" / "researcher_a.jsonl").read_bytes() == before


def test_codings_follow_their_text_to_the_transcript_that_now_holds_it(tmp_path):
    """The safety net of a merge: a coding whose text is now exactly another transcript's moves there."""
    from qualcode.services.sync_transcripts import follow_text
    from qualcode.store.project import Project

    qc(tmp_path, "init", str(tmp_path / "p"))
    root = tmp_path / "p"
    first = "Interviewer: Tell me.\n\nAnn: Well, nobody listens to us.\n\nInterviewer: Why?\n\nAnn: I could not say.\n"
    (tmp_path / "x.txt").write_text(first, encoding="utf-8")
    qc(root, "import", str(tmp_path / "x.txt"))
    qc(root, "--coder", "ann", "code", "add", "x", "theme", "--quote", "nobody listens")
    (root / "transcripts" / "x.txt").rename(root / "transcripts" / "y.txt")  # its text now under another name
    (root / "transcripts" / "x.txt").write_text(first.replace("nobody listens", "we were heard"), encoding="utf-8")
    assert follow_text(root, lambda p: None) == 1
    rows = json.loads(qc(root, "--coder", "ann", "code", "list", "--json").stdout)
    assert [(r["t"], r["quote"]) for r in rows] == [("y", "nobody listens")]
    assert Project.open(root, search=False).codings("ann").for_transcript("x") == []
