"""Every saved change says on the status line which code it touched and where (transcript and passage)."""

from __future__ import annotations

from qualcode.tui.app import make_app
from qualcode.tui.widgets.status import StatusLine
from tui_helpers import opened, span_of


async def test_status_line_names_the_code_and_the_place(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(200, 40)) as pilot:
        screen = await opened(app, pilot)
        start, end = span_of(study, "int-1", "We monitor ethnicity on the board")

        def status() -> str:
            return str(screen.query_one(StatusLine).render())

        screen.view.select(start, end)
        await pilot.press("b")
        await pilot.pause()
        assert app.desk.last_saved == "coded Barriers in int-1 “We monitor ethnicity on the board”"
        assert app.desk.last_saved in status()
        screen.view.move_cursor(start + 2)
        await pilot.press("x")
        await pilot.pause()
        assert app.desk.last_saved == "removed Barriers from int-1 “We monitor ethnicity on the board”"
        assert "journal line 2" in status() and "removed Barriers from int-1" in status()
        await pilot.press("u")
        await pilot.pause()
        assert app.desk.last_saved == "undone: removed Barriers from int-1 “We monitor ethnicity on the board”"
        await pilot.press("u")
        await pilot.pause()
        assert app.desk.last_saved == "undone: coded Barriers in int-1 “We monitor ethnicity on the board”"
        await pilot.press("U")
        await pilot.pause()
        assert app.desk.last_saved.startswith("redone: coded Barriers in int-1")
        [coding] = app.desk.codings.for_transcript("int-1")
        app.commit(lambda: app.desk.recode(coding.id, "outcome"))
        assert app.desk.last_saved == "recoded Barriers to Outcomes in int-1 “We monitor ethnicity on the board”"
        app.commit(lambda: app.desk.set_memo(coding.id, "a note"))
        assert app.desk.last_saved.startswith("memo saved on Outcomes in int-1")
        # a long passage is cut, with an ellipsis
        t = study.transcript("int-1")
        turn = t.turn_at(t.text.index("I chair"))
        screen.view.select(turn.text_start, turn.end - 1)
        await pilot.press("1")
        await pilot.pause()
        assert app.desk.last_saved.startswith("coded A first theme in int-1 “I chair the community")
        assert app.desk.last_saved.endswith("…”")
