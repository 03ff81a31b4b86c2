"""ctrl+o narrows the transcripts to what is typed and Enter opens the highlighted one; the search
bar counts the matches and says which one is selected, and Esc puts the highlights out with the bar."""

from __future__ import annotations

import html
import re

from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.dialogs import Choose
from tui_helpers import INTERVIEW, make_project, settle, span_of


def seen(app) -> str:
    """The screen's text as the researcher sees it (from an SVG screenshot)."""
    svg = app.export_screenshot()
    rows = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return html.unescape(" ".join(rows)).replace("\xa0", " ")


async def test_typing_in_the_open_dialog_narrows_the_list_and_enter_opens_the_highlighted_one(tmp_path):
    talks = [INTERVIEW.replace("id: int-1", f"id: P{i}").replace("A short interview", f"Participant P{i}")
             for i in range(1, 8)]
    project = make_project(tmp_path, transcripts=talks, cases=False)
    app = make_app(project, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, Choose)
        await pilot.press("P", "7")
        await pilot.pause()
        assert "P7 · Participant P7" in seen(app) and "P1 · Participant P1" not in seen(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen) and app.screen.tid == "P7"
        # a part of the title narrows too, and ↓ moves the highlight from the box
        await pilot.press("ctrl+o", *"participant p", "down", "down", "enter")
        await pilot.pause()
        assert app.screen.tid == "P3"
    project.close()


async def test_the_search_bar_counts_the_matches_and_esc_puts_the_highlights_out(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        screen = app.screen
        # a saved coding makes the status line long: the count must still be in view
        screen.view.select(*span_of(study, "int-1", "We monitor ethnicity on the board"))
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("slash", *"board", "enter")  # the next match after the cursor: the second
        await pilot.pause()
        assert "match 2 of 2" in seen(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "match 1 of 2" in seen(app)
        await pilot.press("escape")  # one Esc: the bar closes and the highlights go
        await pilot.pause()
        assert screen.view.matches == [] and not screen.query_one("#searchbar").has_class("open")
        await pilot.press("f3")  # the matches are still there to step through
        await pilot.pause()
        text = study.transcript("int-1").text
        second = text.index("board", text.index("board") + 1)
        assert screen.view.selection == (second, second + 5) and screen.view.matches == []
        assert "match 2 of 2" in seen(app)  # in the status line, ahead of the long saved message
