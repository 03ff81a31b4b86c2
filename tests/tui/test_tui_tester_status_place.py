"""An outside tester's findings: after coding, the status line showed ``✓ saved (line 1): coded
Equal…lusion in`` and nothing more (a transcript imported from a file has a long id, which went to a
second line a one-line status never shows); the "Saved" notice covered the code picker's hint line at
80x24; and counts read "1 turns", "1 coders"."""

from __future__ import annotations

import html
import re

from click.testing import CliRunner
from textual.widgets import Label

from qualcode.cli.main import cli
from qualcode.tui.app import make_app
from qualcode.tui.screens.picker import CodePicker
from qualcode.tui.screens.retrieval import RetrievalScreen
from tui_helpers import INTERVIEW, make_project, settle, span_of, until

LONG_ID = "05_uk-covid-inquiry_m1_2023-07-13_marcus-bell_equality-hub"


def seen(app) -> str:
    """The screen's text as the researcher sees it (from an SVG screenshot)."""
    svg = app.export_screenshot()
    rows = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return html.unescape(" ".join(rows)).replace("\xa0", " ")


def _long_project(tmp_path):
    project = make_project(tmp_path, transcripts=(INTERVIEW.replace("id: int-1", f"id: {LONG_ID}"),), cases=False)
    return project


async def _code_a_sentence(app, pilot):
    await settle(app, pilot)
    app.open_transcript(LONG_ID)
    await pilot.pause()
    screen = app.screen
    app.desk.codebook.get("barrier").name = "Equality, diversity and inclusion"
    screen.view.select(*span_of(app.desk.project, LONG_ID, "We monitor ethnicity on the board"))
    await pilot.press("b")
    await pilot.pause()
    return screen


async def test_at_80_columns_the_status_line_shows_the_code_and_the_place_of_a_long_transcript_id(tmp_path):
    project = _long_project(tmp_path)
    try:
        app = make_app(project, "kerrigan")
        async with app.run_test(size=(80, 24)) as pilot:
            await _code_a_sentence(app, pilot)
            shown = seen(app)
            # the code, then the place: the id cut in its middle and the start of the quote
            assert re.search(r"✓ saved \(line 1\): coded Equ\S*…\S*sion in 05_\S*…\S*hub “We\S*", shown), shown
    finally:
        project.close()


async def test_at_120_columns_the_status_line_shows_more_of_the_code_and_the_place(tmp_path):
    project = _long_project(tmp_path)
    try:
        app = make_app(project, "kerrigan")
        async with app.run_test(size=(120, 40)) as pilot:
            await _code_a_sentence(app, pilot)
            shown = seen(app)
            assert re.search(r"coded Equality,…\S*inclusion in 05_uk-cov\S*…\S*hub “We monitor ethn",
                             shown), shown
    finally:
        project.close()


async def test_the_saved_notice_does_not_cover_the_code_pickers_hint(tmp_path):
    project = _long_project(tmp_path)
    try:
        app = make_app(project, "kerrigan")
        async with app.run_test(size=(80, 24), notifications=True) as pilot:  # toasts drawn, as in use
            screen = await _code_a_sentence(app, pilot)
            screen.view.cursor = span_of(project, LONG_ID, "We monitor ethnicity on the board")[0] + 3
            await pilot.press("x")  # removed: a "Saved" notice says what went away, in full
            await until(pilot, lambda: any(n.title == "Saved" for n in app._notifications))
            screen.view.select(*span_of(project, LONG_ID, "The outcomes matter more"))
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CodePicker))
            await pilot.pause()
            assert "Enter picks · ↑↓ move · Esc cancels" in seen(app)
            assert not any(n.title == "Saved" for n in app._notifications)
            assert "removed" in seen(app)  # the status line still names the change
    finally:
        project.close()


def test_import_says_1_turn_not_1_turns(tmp_path):
    project = make_project(tmp_path, transcripts=(INTERVIEW,), cases=False)
    root = str(project.root)
    project.close()
    src = tmp_path / "witness.txt"
    src.write_text("---\nid: w-1\ntitle: A witness\nspeakers:\n  The Witness: respondent\n  Chair: interviewer\n---\n"
                   "Chair: Please begin.\n\nThe Witness: I will.\n\nChair: Go on, then.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["--project", root, "import", str(src)])
    assert out.exit_code == 0, out.output
    assert "The Witness (respondent, 1 turn)" in out.output and "Chair (interviewer, 2 turns)" in out.output
    assert "1 turns" not in out.output


async def test_retrieval_says_1_coder_not_1_coders(tmp_path):
    project = make_project(tmp_path, transcripts=(INTERVIEW,), cases=False)
    try:
        s = project.session("ann")
        s.add("int-1", *span_of(project, "int-1", "We monitor ethnicity on the board"), "theme")
        s.close()
        app = make_app(project, "ann")
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            app.retrieve("theme")
            await settle(app, pilot)
            assert isinstance(app.screen, RetrievalScreen)
            heading = str(app.screen.query_one("#heading", Label).render())
            assert heading.endswith("· 1 segment in 1 transcript by 1 coder"), heading
    finally:
        project.close()
