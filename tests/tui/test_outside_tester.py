"""What an outside tester found driving the workbench in tmux at 80x24: switching coder by typing,
editing a code's name without losing it, undo messages that say what was undone, long transcript ids,
the suggestions' order and wording, brief "nothing to redo" notices, and dialog titles."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList

from qualcode.tui.app import make_app
from qualcode.tui.screens.dialogs import CoderDialog, MemoDialog
from qualcode.tui.screens.memos import Memo, MemosScreen
from qualcode.tui.screens.picker import CodePicker
from qualcode.tui.widgets.status import StatusLine
from tui_helpers import INTERVIEW, make_project, settle, span_of

LONG_ID = "01_ukparl_scitech-committee_2014-06-18_social-media-data_q1-79"


def two_coders(project) -> None:
    for coder in ("ann", "ben"):
        session = project.session(coder)
        session.add("int-1", *span_of(project, "int-1", "We monitor ethnicity"), "theme")
        session.close()


async def test_switch_coder_typing_goes_to_the_name_box_and_every_status_line_follows(study):
    two_coders(study)
    app = make_app(study, "ben")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.retrieve("theme")
        await settle(app, pilot)
        retrieval = app.screen
        await pilot.press("ctrl+k")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CoderDialog) and dialog.focused is dialog.query_one(Input)
        assert dialog.coders == ["ann", "ben"]  # by name, the same at every opening
        assert dialog.query_one(OptionList).highlighted_option.id == "ben"  # the current coder
        await pilot.press("enter")  # nothing typed, nothing moved: no switch
        await pilot.pause()
        assert app.desk.coder == "ben" and app.screen is retrieval
        await pilot.press("ctrl+k", *"zoe", "enter")
        await settle(app, pilot)
        assert app.desk.coder == "zoe" and app.screen is retrieval
        assert "coding as zoe" in str(retrieval.query_one(StatusLine).render())
        await pilot.press("ctrl+k", "up", "up", "enter")  # zoe, ben, then ann
        await settle(app, pilot)
        assert app.desk.coder == "ann"
        assert "coding as ann" in str(retrieval.query_one(StatusLine).render())


async def test_a_code_field_keeps_its_text_when_entered_and_the_cursor_ends_up_after_it(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        name = app.screen.query_one("#name", Input)
        name.focus()
        await pilot.press(*" (R)")  # entering the field selects nothing for typing to replace
        assert name.value == "A first theme (R)"
        name.cursor_position = 3
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.desk.codebook.get("theme").name == "A first theme (R)"
        assert name.cursor_position == len(name.value)  # after a save: at the end, not mid-word
        name.cursor_position = 2
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert name.value == "A first theme" and name.cursor_position == len(name.value)  # after an undo too


async def test_undo_names_the_change_it_took_back(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        desk = app.desk
        start, end = span_of(study, "int-1", "We monitor ethnicity on the board")
        coding = app.commit(lambda: desk.apply("int-1", start, end, "barrier")).added[0]
        app.commit(desk.undo)
        assert desk.last_saved == "undone: coded Barriers in int-1 “We monitor ethnicity on the board”"
        app.commit(desk.redo)
        app.commit(lambda: desk.set_memo(coding.id, "a note"))
        app.commit(desk.undo)
        assert desk.last_saved.startswith("undone: memo saved on Barriers in int-1")
        app.commit(lambda: desk.remove(coding.id))
        app.commit(desk.undo)
        assert desk.last_saved.startswith("undone: removed Barriers from int-1")


async def test_nothing_to_redo_is_a_brief_notice(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        await pilot.press("U")
        await pilot.pause()
        [notice] = [n for n in app._notifications if n.message == "nothing to redo"]
        assert notice.timeout <= 3


async def test_a_long_transcript_id_is_cut_and_the_other_columns_stay_in_view(tmp_path):
    project = make_project(tmp_path, transcripts=(INTERVIEW.replace("id: int-1", f"id: {LONG_ID}"),))
    app = make_app(project, "ann")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            table = app.screen.query_one("#transcripts", DataTable)
            assert {"id", "title", "status", "mine"} <= set(table.columns)
            used = sum(column.get_render_width(table) for column in table.columns.values())
            assert used < table.size.width  # nothing pushed out of view (no sideways scrolling)
            shown = str(table.get_cell(LONG_ID, "id"))
            assert "…" in shown and shown.startswith("01_") and shown.endswith("-79")
    finally:
        project.close()


def test_a_long_transcript_id_leaves_room_for_the_memo():
    memo = Memo(LONG_ID, "Barriers", "ann", "The memo itself.", "a quote", 0, 7)
    cells = MemosScreen._cells(memo)
    assert len(cells[0]) <= 16 and "…" in cells[0] and cells[3] == "The memo itself."


async def test_memo_and_recode_dialogs_say_which_coding(study):
    session = study.session("ann")
    start, end = span_of(study, "int-1", "I chair the community empowerment network. We monitor ethnicity")
    session.add("int-1", start, end, "barrier")
    session.close()
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        app.screen.view.move_cursor(start + 2)
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        assert app.screen.title_text == "Recode Barriers in int-1 “I chair the community empowerment netwo…” to"
        await pilot.press("escape", "m")
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog) and app.screen.title_text.endswith("netwo…”")


def test_a_candidate_is_not_called_a_low_confidence_suggestion():
    from qualcode.suggest.suggestion import Suggestion
    from qualcode.tui.screens.suggestions import standing

    candidate = Suggestion("int-1", 0, 9, "theme", 0.89, ("rules",), (), suggested=False, confidence="low",
                           probability=0.0)
    said = standing(candidate)
    assert said.startswith("a candidate, not suggested (low confidence)")  # low: what p says, not what it is
    assert "rank within the code" in said and "chance you would code it" in said
    suggested = Suggestion("int-1", 0, 9, "theme", 0.26, ("rules",), (), suggested=True, confidence="medium")
    assert standing(suggested).startswith("suggested (medium confidence)")

