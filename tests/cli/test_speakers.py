"""`qualcode speakers` (list and set roles for the project), roles in import/stats, `import --id/--title`."""

from __future__ import annotations

import json

from tests.cli.test_cli import run
from tests.formats.test_transcripts_roles import HEARING, THINK_ALOUD


def test_speakers_lists_roles_proposes_and_sets_them_for_the_project(tmp_path):
    proj = tmp_path / "h"
    run("init", proj, check=0)
    src = tmp_path / "05_uk-covid-inquiry_m1_2023-07-13_marcus-bell_equality-hub.txt"
    src.write_text(HEARING, encoding="utf-8")
    out = run("import", src, "--id", "bell", "--project", proj, check=0).stdout
    assert "imported bell" in out and "Mr Marcus Bell (respondent, 4 turns)" in out
    rows = json.loads(run("speakers", "--json", "--project", proj, check=0).stdout)
    blackwell = next(r for r in rows if r["speaker"] == "Ms Blackwell")
    assert blackwell["turns"] == 1
    run("speakers", "--role", "Ms Blackwell=interviewer", "--role", "Lady Hallett=interviewer",
        "--role", "Lead *=interviewer", "--role", "re:^Counsel=interviewer", "--project", proj, check=0)
    assert '"Lead *" = "interviewer"' in (proj / "qualcode.toml").read_text()
    stats = json.loads(run("stats", "--json", "--project", proj, check=0).stdout)
    roles = stats["by_transcript"][0]["roles"]
    assert {s: d["role"] for s, d in roles.items()} == {
        "Ms Blackwell": "interviewer", "Mr Marcus Bell": "respondent", "Counsel Inquiry": "interviewer",
        "Lead Inquiry": "interviewer", "Lady Hallett": "interviewer", "Lead 2B": "interviewer"}
    assert stats["by_transcript"][0]["title"] == "Mr Marcus Bell"
    bad = run("speakers", "--role", "Chair=boss", "--project", proj, check=2)
    assert "must be one of interviewer, respondent, none" in bad.stderr


def test_import_title_and_think_aloud_respondent_from_config(tmp_path):
    proj = tmp_path / "t"
    run("init", proj, check=0)
    src = tmp_path / "session-4.txt"
    src.write_text(THINK_ALOUD, encoding="utf-8")
    run("speakers", "--respondent", "Priya", "--project", proj, check=0)
    out = run("import", src, "--title", "Booking form, session 4", "--project", proj, check=0)
    assert "Priya (respondent, 3 turns)" in out.stdout and "warning" not in out.stderr
    stats = json.loads(run("stats", "--json", "--project", proj, check=0).stdout)
    assert stats["by_transcript"][0]["title"] == "Booking form, session 4"
    assert run("check", "--project", proj, check=0).stdout.strip().endswith("clean")
    two = run("import", src, src, "--id", "x", "--project", proj, check=2)
    assert "--id and --title name one transcript" in two.stderr


def test_naming_the_interviewer_makes_the_others_respondents_and_check_clean(tmp_path):
    """An outside tester ran the command the import suggests ("--role 'José Núñez=interviewer'"): the
    other speaker lost any role and check then said, falsely, that every speaker is an interviewer."""
    proj = tmp_path / "p"
    run("init", proj, check=0)
    src = tmp_path / "a.txt"
    src.write_text("José Núñez: How long have you been on the board?\n\nZoë O'Brien: Since 2004.\n\n"
                   "José Núñez: And who decided that?\n\nZoë O'Brien: The council did.\n", encoding="utf-8")
    run("import", src, "--project", proj, check=0)
    run("speakers", "--role", "José Núñez=interviewer", "--project", proj, check=0)
    roles = {r["speaker"]: r["role"] for r in json.loads(run("speakers", "--json", "--project", proj, check=0).stdout)}
    assert roles == {"José Núñez": "interviewer", "Zoë O'Brien": "respondent"}
    checked = run("check", "--project", proj, check=0)
    assert "every speaker is an interviewer" not in checked.stdout and checked.stdout.strip().endswith("clean")
    run("speakers", "--role", "Zoë O'Brien=none", "--project", proj, check=0)  # said so: left without a role
    roles = {r["speaker"]: r["role"] for r in json.loads(run("speakers", "--json", "--project", proj, check=0).stdout)}
    assert roles["Zoë O'Brien"] in ("", None)


def test_a_guessed_interviewer_and_a_transcript_without_a_case_row_are_notes_not_findings(tmp_path):
    """Right after importing an ordinary interview, check is clean: what is only worth confirming is a note."""
    proj = tmp_path / "p"
    run("init", proj, check=0)
    (proj / "cases.csv").write_text("transcript,case,region\nother,Case A,North\n", encoding="utf-8")
    src = tmp_path / "b.txt"
    src.write_text("".join(f"Ana: Question {i}, then?\n\nBo: Answer {i}.\n\n" for i in range(4)), encoding="utf-8")
    out = run("import", src, "--project", proj, check=0)
    assert "note: " in out.stderr and "'Ana' was taken as the interviewer" in out.stderr
    checked = run("check", "--json", "--project", proj)
    report = json.loads(checked.stdout)
    said = [n["message"] for n in report["notes"]]
    assert any("taken as the interviewer" in m for m in said) and any("'b' has no row in cases.csv" in m for m in said)
    assert not [f for f in report["findings"] if "no row" in f["message"] or "interviewer" in f["message"]]


def test_a_hearing_chair_who_asks_nothing_is_not_proposed_as_a_respondent(tmp_path):
    """In the real inquiry 05 Lady Hallett speaks four times ("Please slow down") and asks nothing;
    the importer makes her an asker (a hearing), and `speakers` no longer proposes "respondent" for her."""
    from tests.conftest import shared_path

    src = shared_path("realworld", "transcripts", "05_uk-covid-inquiry_m1_2023-07-13_marcus-bell_equality-hub.txt")
    proj = tmp_path / "h"
    run("init", proj, check=0)
    run("import", src, "--project", proj, check=0)
    rows = {r["speaker"]: r for r in json.loads(run("speakers", "--json", "--project", proj, check=0).stdout)}
    assert rows["Lady Hallett"]["role"] == "interviewer" and rows["Lady Hallett"]["questions"] < 0.1
    assert rows["Lady Hallett"]["proposed"] is None
    assert rows["Mr Marcus Bell"]["role"] == "respondent"
