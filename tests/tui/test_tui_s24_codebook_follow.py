"""A code renamed outside the editor while the editor shows it (a sync, `qualcode codebook rename` in
another terminal): the form follows the code to its new id, what was typed in it is kept, and a save
goes to the code under its new id; a code merged elsewhere gives way to the code it went into. Each
case says so in a notice."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from qualcode.formats.codebook_yaml import load_codebook
from qualcode.services import codebook_ops
from qualcode.store.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.widgets.code_tree import CodeTree
from tui_helpers import notes, settle


def elsewhere(project):
    """The same project opened by another program (``qualcode codebook ...`` in another terminal)."""
    return Project.open(project.root, search=False)


async def editing(app, pilot, code_id: str) -> CodebookScreen:
    """The codebook editor, its form on ``code_id``."""
    await settle(app, pilot)
    await pilot.press("ctrl+e")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodebookScreen)
    screen.query_one(CodeTree).select_code(code_id)
    await pilot.pause()
    assert screen.query_one("#id", Input).value == code_id
    return screen


async def back_from_the_other_terminal(app, pilot) -> None:
    """The terminal regains focus (what a terminal reports when you come back to the workbench)."""
    app.post_message(events.AppFocus())
    await pilot.pause()
    await pilot.pause()


async def test_a_code_renamed_in_another_terminal_shows_under_its_new_id_and_saves_there(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await editing(app, pilot, "barrier")
        codebook_ops.rename(elsewhere(study), "barrier", "obstacle")  # `qualcode codebook rename` there
        await back_from_the_other_terminal(app, pilot)
        assert screen.query_one("#id", Input).value == "obstacle"
        assert screen.query_one("#name", Input).value == "Barriers"
        assert screen.query_one(CodeTree).highlighted_code == "obstacle"
        assert any("barrier was renamed to obstacle elsewhere" in n for n in notes(app))
        # an edit now is saved to the code as it is named now (it was refused: "barrier is no longer…")
        screen.query_one("#name", Input).value = "Obstacles"
        await pilot.press("ctrl+s")
        await pilot.pause()
        book = load_codebook(study.codebook_path)
        assert "barrier" not in book and book.get("obstacle").name == "Obstacles"
        assert not any("no longer in the codebook" in n for n in notes(app))


async def test_what_was_typed_stays_when_the_rename_arrives_by_a_sync(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await editing(app, pilot, "barrier")
        screen.query_one("#name", Input).value = "Hurdles"  # typed, not saved yet
        codebook_ops.rename(elsewhere(study), "barrier", "obstacle")
        codebook_ops.change(elsewhere(study), "obstacle", definition="Defined by a colleague.")
        app.after_sync()  # what the workbench does once `qualcode sync` brought the rename in
        await settle(app, pilot)
        assert screen.query_one("#id", Input).value == "obstacle"
        assert screen.query_one("#name", Input).value == "Hurdles"
        assert any("renamed to obstacle" in n and "unsaved changes" in n for n in notes(app))
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = load_codebook(study.codebook_path).get("obstacle")
        assert (code.name, code.definition) == ("Hurdles", "Defined by a colleague.")


async def test_a_save_made_before_the_editor_noticed_the_rename_goes_to_the_new_id(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await editing(app, pilot, "barrier")
        codebook_ops.rename(elsewhere(study), "barrier", "obstacle")  # no focus event: seen at the save
        screen.query_one("#name", Input).value = "Hurdles"
        await pilot.press("ctrl+s")
        await pilot.pause()
        book = load_codebook(study.codebook_path)
        assert "barrier" not in book and book.get("obstacle").name == "Hurdles"
        assert screen.query_one("#id", Input).value == "obstacle"
        assert any("Saved" in n and "edit obstacle" in n for n in notes(app))


async def test_a_code_merged_elsewhere_gives_way_to_the_code_it_went_into(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await editing(app, pilot, "barrier")
        codebook_ops.merge(elsewhere(study), "barrier", "outcome")
        await back_from_the_other_terminal(app, pilot)
        assert screen.query_one("#id", Input).value == "outcome"
        assert screen.query_one("#name", Input).value == "Outcomes"
        assert any("barrier was merged into outcome elsewhere" in n for n in notes(app))
