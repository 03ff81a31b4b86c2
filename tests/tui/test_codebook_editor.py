"""The codebook editor reshapes the codebook: every field, ids, merge, remove with a choice, undo."""

from textual.widgets import Button, Input, TextArea

from qualcode.formats.codebook_yaml import load_codebook
from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.codebook_dialogs import RemoveDialog
from qualcode.tui.screens.picker import CodePicker
from tui_helpers import journal, make_project, settle, span_of


def coded(tmp_path):
    project = make_project(tmp_path)
    ann, ben = project.session("ann"), project.session("ben")
    ann.add("int-1", *span_of(project, "int-1", "We monitor ethnicity on the board"), "theme.sub")
    ben.add("int-1", *span_of(project, "int-1", "The outcomes matter"), "theme.sub")
    ann.close()
    ben.close()
    return project


async def test_every_field_an_id_change_merge_remove_and_undo(tmp_path):
    project = coded(tmp_path)
    path = project.codebook_path
    ben_journal = journal(project, "ben")
    app = make_app(project, "ann")
    async with app.run_test(size=(140, 50), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        screen.query_one("#tree").select_code("theme.sub")
        await pilot.pause()
        screen.query_one("#include", TextArea).text = "Talk about forms."
        screen.query_one("#exclude", TextArea).text = "Staff monitoring."
        screen.query_one("#examples", TextArea).text = "We monitor the board.\nNobody asks.\n"
        screen.query_one("#id", Input).value = "theme.forms"
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = load_codebook(path).get("theme.forms")
        assert (code.include, code.exclude, code.examples) == \
            ("Talk about forms.", "Staff monitoring.", ["We monitor the board.", "Nobody asks."])
        assert load_codebook(path).renamed == {"theme.sub": "theme.forms"}
        assert app.desk.counts["theme.forms"] == 1 and journal(project, "ben") == ben_journal
        # merge into another code, picked by name
        assert screen.code_id == "theme.forms"
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"outcome", "enter")
        await pilot.pause()
        book = load_codebook(path)
        assert book.merged == {"theme.forms": "outcome"} and book.renamed == {"theme.sub": "outcome"}
        assert app.desk.counts["outcome"] == 1 and "theme.forms" not in load_codebook(path)
        assert {c.code for c in project.codings("ben")} == {"outcome"} and journal(project, "ben") == ben_journal
        # remove a code in use: the dialog asks; drop
        screen.query_one("#tree").select_code("outcome")
        await pilot.pause()
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, RemoveDialog)
        assert "used by 2 coding(s) (ann 1, ben 1)" in str(app.screen.query_one("#question").render())
        await pilot.click("#drop")
        await pilot.pause()
        assert "outcome" in load_codebook(path).dropped and app.desk.counts["outcome"] == 0
        assert len(project.codings("ben")) == 0
        # undo, undo: the codings count as before, under the merged code
        screen.query_one("#tree").focus()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.desk.counts["outcome"] == 1 and "outcome" in load_codebook(path)
        screen.query_one("#undo", Button).press()  # the button under the form
        await pilot.pause()
        assert app.desk.counts["theme.forms"] == 1 and "theme.forms" in load_codebook(path)
        assert any("Undone: merge theme.forms into outcome" in n.message for n in app._notifications)
