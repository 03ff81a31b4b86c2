"""Transcript status per coder (journal, CLI, home, agree --done-only) and the memos screen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from qualcode.store.project import Project  # noqa: E402
from qualcode.store.status import DONE, IN_PROGRESS, NOT_STARTED, done_by_all, status_of  # noqa: E402
from qualcode.tui.app import make_app  # noqa: E402
from qualcode.tui.screens.coding import CodingScreen  # noqa: E402
from qualcode.tui.screens.dialogs import MemoDialog  # noqa: E402
from qualcode.tui.screens.memos import MemosScreen  # noqa: E402
from tui_helpers import journal, make_project, settle, span_of  # noqa: E402


@pytest.fixture
def study(tmp_path):
    proj = make_project(tmp_path)
    yield proj
    proj.close()


def run(project, *args):
    """``qualcode --project ROOT ARGS`` as a command: (exit code, stdout + stderr)."""
    proc = subprocess.run([sys.executable, "-m", "qualcode", "--project", str(project.root), *args],
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def test_status_from_the_cli_is_kept_in_the_coders_journal_and_survives_compact(study):
    assert run(study, "--coder", "ann", "status", "int-1", "done")[0] == 0
    line = journal(study, "ann")[-1]
    assert len(line.get("oid", "")) == 16  # an operation id, so that the journal merges (docs/team.md)
    assert line | {"n": 0, "at": "", "oid": ""} == {
        "v": 1, "n": 0, "at": "", "oid": "", "op": "tset", "t": "int-1", "key": "status", "value": "done"}
    code, out = run(study, "--coder", "ann", "status")
    assert code == 0 and "int-1       done" in out and "int-2       not started" in out
    # the same status again writes nothing
    run(study, "--coder", "ann", "status", "int-1", "done")
    assert len(journal(study, "ann")) == 1
    # compact keeps it; a reopened project reads it
    assert run(study, "--coder", "ann", "compact")[0] == 0
    reopened = Project.open(study.root)
    try:
        assert status_of(reopened.codings("ann"), "int-1") == DONE
        assert status_of(reopened.codings("ben"), "int-1") == NOT_STARTED
    finally:
        reopened.close()
    # bad input: one message, exit 2, nothing written
    code, out = run(study, "--coder", "ann", "status", "int-1", "finished-ish")
    assert code == 2 and "unknown status 'finished-ish'" in out and "Traceback" not in out
    code, out = run(study, "--coder", "ann", "status", "int-9", "done")
    assert code == 2 and "no transcript 'int-9'" in out
    assert len(journal(study, "ann")) == 1
    code, out = run(study, "--coder", "ann", "status", "--all-coders", "--json")
    assert json.loads(out)[0] == {"transcript": "int-1", "ann": "done"}


def test_in_progress_is_what_codings_show_until_the_coder_says(study):
    s = study.session("ann")
    s.add("int-1", *span_of(study, "int-1", "We monitor ethnicity"), "theme")
    assert status_of(s.codings, "int-1") == IN_PROGRESS
    s.undo()
    assert status_of(s.codings, "int-1") == NOT_STARTED
    s.close()


def test_agree_done_only_compares_what_every_coder_marked_done_and_names_the_rest(study):
    for coder in ("ann", "ben"):
        s = study.session(coder)
        s.add("int-1", *span_of(study, "int-1", "We monitor ethnicity on the board"), "theme")
        s.add("int-2", *span_of(study, "int-2", "Not at first."), "theme" if coder == "ann" else "barrier")
        s.close()
    code, out = run(study, "agree", "--coders", "ann,ben", "--done-only", "--resamples", "0")
    assert code == 2 and "no transcript is marked done by all of ann, ben" in out
    run(study, "--coder", "ann", "status", "int-1", "done")
    run(study, "--coder", "ben", "status", "int-1", "done")
    run(study, "--coder", "ann", "status", "int-2", "done")
    found = done_by_all(study, ["ann", "ben"])
    assert found.kept == ["int-1"] and found.left_out == {"int-2": ["ben (in progress)"]}
    code, out = run(study, "agree", "--coders", "ann,ben", "--done-only", "--resamples", "0")
    assert code == 0, out
    assert "Left out (1 transcript(s) not marked done by every coder):" in out and "int-2: ben (in progress)" in out
    assert "Compared: 1 transcript(s)" in out and "(int-1)" in out
    code, out = run(study, "agree", "--coders", "ann,ben", "--resamples", "0")
    assert "Compared: 2 transcript(s)" in out


async def test_home_shows_status_and_D_cycles_it_in_the_journal(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#transcripts")

        def status(tid):
            return str(table.get_cell(tid, "status"))

        assert status("int-1") == "· not started"
        await pilot.press("D")
        await pilot.pause()
        assert status("int-1") == "◐ in progress"
        await pilot.press("D")
        await pilot.pause()
        assert status("int-1") == "✓ done" and app.desk.last_saved == "int-1 marked done"
        assert [r["value"] for r in journal(study, "ann")] == ["in progress", "done"]
        await pilot.press("down", "D")
        await pilot.pause()
        assert status("int-2") == "◐ in progress" and status("int-1") == "✓ done"


async def test_memos_screen_lists_coding_and_transcript_memos_searches_and_jumps(study):
    ann = study.session("ann")
    a = span_of(study, "int-1", "We monitor ethnicity on the board")
    ann.add("int-1", *a, "theme", memo="Board only: ask about theme groups")
    ann.close()
    ben = study.session("ben")
    b = span_of(study, "int-2", "Not at first.")
    ben.add("int-2", *b, "barrier", memo="Council listened later")
    ben.close()
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("T")  # a memo on the highlighted transcript (int-1), from the home
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*"Chair seemed guarded", "ctrl+s")
        await pilot.pause()
        assert journal(study, "ann")[-1]["key"] == "memo"
        await pilot.press("M")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MemosScreen)
        assert [(m.transcript, m.on, m.coder, m.text) for m in screen.shown] == [
            ("int-1", "transcript", "ann", "Chair seemed guarded"),
            ("int-1", "A first theme", "ann", "Board only: ask about theme groups"),
            ("int-2", "Barriers", "ben", "Council listened later"),
        ]
        await pilot.press(*"council")
        await pilot.pause()
        assert [m.text for m in screen.shown] == ["Council listened later"]
        await pilot.press("enter")  # jump to the passage
        await settle(app, pilot)
        assert isinstance(app.screen, CodingScreen) and app.screen.tid == "int-2"
        assert app.screen.view.selection == b
        # the coding screen's T edits this transcript's memo; the memos screen shows it
        await pilot.press("T")
        await pilot.pause()
        await pilot.press(*"Renee: trust", "ctrl+s")
        await pilot.pause()
        await pilot.press("M")
        await settle(app, pilot)
        assert ("int-2", "transcript", "Renee: trust") in [(m.transcript, m.on, m.text) for m in app.screen.memos]


async def test_agreement_screen_D_compares_only_transcripts_every_coder_marked_done(study):
    from qualcode.store.status import set_status
    from qualcode.tui.screens.agreement import AgreementScreen
    from tui_helpers import notes, until

    for coder in ("ann", "ben"):
        s = study.session(coder)
        s.add("int-1", *span_of(study, "int-1", "We monitor ethnicity on the board"), "theme")
        s.add("int-2", *span_of(study, "int-2", "Not at first."), "theme" if coder == "ann" else "barrier")
        s.close()
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+a")
        await until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.report is not None)
        screen = app.screen
        assert screen.report.transcripts == ("int-1", "int-2")
        await pilot.press("D")  # nobody said done yet: said so, and back to every transcript
        await until(pilot, lambda: any("no transcript is marked done" in n for n in notes(app)))
        assert screen.done_only is False
        for coder in ("ann", "ben"):
            s = study.session(coder) if coder != "ann" else app.desk.session
            set_status(s, "int-1", "done")
            if coder != "ann":
                s.close()
        set_status(app.desk.session, "int-2", "done")
        await pilot.press("D")
        await until(pilot, lambda: screen.report is not None and screen.report.transcripts == ("int-1",))
        caption = str(screen.query_one("#agreement-caption").render())
        assert "Only transcripts every coder marked done" in caption and "int-2: ben (in progress)" in caption
