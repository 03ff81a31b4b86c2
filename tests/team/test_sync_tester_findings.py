"""An outside tester's team of machines (repro2..6): two interviews imported under one id, markers
named by `check`, columns added to cases.csv on two machines, the sync's summary lines, and the name
`share` writes."""

from __future__ import annotations

import subprocess

from tests.conftest import INTERVIEW
from tests.team.test_team import code, gitc, qc, team  # noqa: F401 - the fixture

OTHER = """---
speakers:
  Interviewer: interviewer
  Sam Okafor: respondent
---
Interviewer: What did the board decide?

Sam Okafor: We decided to meet monthly. Nobody wanted the quarterly reports.
"""


def sync(machine, coder: str, check: bool = True):
    return qc(machine, "--coder", coder, "sync", check=check)


def notes(said: str) -> list[str]:
    return [line[len("Note: "):] for line in said.splitlines() if line.startswith("Note: ")]


def test_two_interviews_imported_under_one_id_are_not_offered_for_splicing(team, tmp_path):  # noqa: F811
    (tmp_path / "a.txt").write_text(INTERVIEW.split("---\n", 2)[2], encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    qc(team["lead"], "import", str(tmp_path / "a.txt"), "--id", "p3")
    sync(team["lead"], "lead")
    ben = team["ben"]
    qc(ben, "import", str(tmp_path / "b.txt"), "--id", "p3")
    proc = sync(ben, "ben", check=False)
    said = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "added on two machines as two different transcripts under the one id 'p3'" in said, said
    assert "remove the <<<<<<<" not in said and "edit transcripts/p3.txt" not in said
    assert "git checkout --theirs -- transcripts/p3.txt" in said and "--id p3-2" in said
    check = qc(ben, "check", check=False)
    out = check.stdout + check.stderr
    assert "transcripts/p3.txt" in out and "unresolved git conflict markers" in out, out
    assert "not valid YAML" not in out and "splice" in out
    # the way it gives keeps both interviews, each whole
    saved = ben / ".git" / "qualcode-yours" / "p3.txt"
    gitc(ben, "checkout", "--theirs", "--", "transcripts/p3.txt")
    sync(ben, "ben")
    qc(ben, "import", str(saved), "--id", "p3-2")
    assert "Nobody wanted the quarterly reports." in (ben / "transcripts" / "p3-2.txt").read_text()
    assert "Sam Okafor" not in (ben / "transcripts" / "p3.txt").read_text()
    assert qc(ben, "check").returncode == 0


def test_check_names_conflict_markers_in_cases_and_the_codebook(team):  # noqa: F811
    ben = team["ben"]
    (ben / "cases.csv").write_text("<<<<<<< HEAD\ntranscript,case,year\n=======\ntranscript,case,region\n"
                                   ">>>>>>> origin/main\nint-1,c1,x\n", encoding="utf-8")
    book = ben / "codebooks" / "codebook.yaml"
    lines = book.read_text(encoding="utf-8").splitlines(keepends=True)
    book.write_text("".join(lines[:2]) + "<<<<<<< HEAD\n=======\n>>>>>>> theirs\n" + "".join(lines[2:]),
                    encoding="utf-8")
    proc = qc(ben, "check", check=False)
    out = proc.stdout + proc.stderr
    assert "cases.csv:1: unresolved git conflict markers (<<<<<<<" in out, out
    assert "the first row must name the columns" not in out
    assert "codebook.yaml:3: unresolved git conflict markers (<<<<<<<" in out, out


def test_columns_added_to_cases_on_two_machines_are_merged(team):  # noqa: F811
    lead, ben = team["lead"], team["ben"]
    (ben / "cases.csv").write_text("transcript,case,region\nint-1,c1,north\n", encoding="utf-8")
    sync(ben, "ben")
    (lead / "cases.csv").write_text("transcript,case,year\nint-1,c1,2020\n", encoding="utf-8")
    said = sync(lead, "lead").stdout
    assert (lead / "cases.csv").read_text() == "transcript,case,year,region\nint-1,c1,2020,north\n"
    assert "cases.csv: lead added the column year and ben added the column region; all are kept" in said, said
    assert not subprocess.run(["git", "status", "--porcelain"], cwd=lead, capture_output=True, text=True).stdout.strip()
    sync(ben, "ben")
    assert (ben / "cases.csv").read_text() == (lead / "cases.csv").read_text()


def test_the_summary_says_renamed_new_transcript_and_whose_removal(team, tmp_path):  # noqa: F811
    lead, ben = team["lead"], team["ben"]
    qc(lead, "codebook", "add", "gone", "Gone")
    sync(lead, "lead")
    sync(ben, "ben")
    code(ben, "It took us two years to get there, honestly.", "gone")
    sync(ben, "ben")
    sync(lead, "lead")
    qc(lead, "codebook", "rename-id", "theme", "topic")
    qc(lead, "codebook", "remove", "gone", "--codings", "drop")
    (tmp_path / "int-2.txt").write_text(OTHER, encoding="utf-8")
    qc(lead, "import", str(tmp_path / "int-2.txt"))
    sync(lead, "lead")
    said = sync(ben, "ben").stdout
    assert "codebook: renamed theme to topic; 1 code removed" in said, said
    assert "1 code added" not in said
    assert "new transcript int-2 (transcripts/int-2.txt)" in said and "transcripts/int-2.txt changed" not in said
    assert "on lead's machine" in said, said


def test_share_names_the_git_user(tmp_path):
    root = tmp_path / "p"
    qc(tmp_path, "init", str(root))
    gitc(root, "init", "-q")
    gitc(root, "config", "user.name", "alice")
    gitc(root, "config", "user.email", "alice@example.org")
    qc(root, "share", env={"QUALCODE_CODER": ""})
    assert gitc(root, "log", "-1", "--format=%s").strip() == "qualcode share: the project, shared by alice"
