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
