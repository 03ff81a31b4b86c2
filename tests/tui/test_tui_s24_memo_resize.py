"""The memo dialog after the terminal changes size: the memo box fits the rows the dialog has, so the
line with the cursor (the memo's last words) and the dialog's hint stay in view; given the room back,
the box is as tall as before."""

from __future__ import annotations

from textual.widgets import TextArea

from qualcode.tui.app import make_app
from qualcode.tui.screens.dialogs import MemoDialog
from test_open_and_search import seen
from tui_helpers import settle

MEMO = ("The respondent links the board's monitoring to the council's funding rules, which comes back in "
        "the second interview; compare with the forum, where the decision was collective and the money "
        "came later. Worth a theme of its own if a third transcript says the same. Ask the team whether the "
        "monitoring counts as a barrier or an outcome before coding the rest; the codebook's definitions "
        "disagree on it. Last word: zebraquartz.")
TITLE = "Memo on Barriers in int-1 “Ruth Adebayo: I chair the community empowerment network…”"


async def test_a_memo_keeps_its_last_line_in_view_after_the_terminal_shrinks(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        saved = []
        app.push_screen(MemoDialog(TITLE, MEMO), saved.append)
        await pilot.pause()
        assert "zebraquartz" in seen(app) and "ctrl+s saves" in seen(app)
        tall = app.screen.query_one(TextArea).outer_size.height
        await pilot.resize_terminal(80, 16)
        await pilot.pause()
        await pilot.pause()
        shown = seen(app)
        assert "zebraquartz" in shown, shown  # the cursor's line, at the memo's end, was below the dialog
        assert "ctrl+s saves" in shown
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one(TextArea).outer_size.height == tall
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved == [MEMO]  # the memo is whole, as it was


async def test_a_memo_opened_on_a_short_terminal_shows_its_end_and_hint(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 15)) as pilot:
        await settle(app, pilot)
        app.push_screen(MemoDialog(TITLE, MEMO))
        await pilot.pause()
        await pilot.pause()
        shown = seen(app)
        assert "zebraquartz" in shown and "ctrl+s saves" in shown, shown
