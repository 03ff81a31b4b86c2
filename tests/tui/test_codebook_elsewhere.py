"""The codebook changed outside the workbench while it is open (``qualcode codebook add`` in another
terminal, a second workbench window): the editor never writes its stale copy over it. Each save is
made on the codebook as it is on disk (the editor's one change applied on top); a change that cannot
be made on it is refused and said; the editor, and the screens it returns to, show the file as it is."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from qualcode.formats.codebook_yaml import load_codebook
from qualcode.services import codebook_ops
from qualcode.store.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import TOP, CodebookScreen
from qualcode.tui.screens.codebook_dialogs import NameDialog
from qualcode.tui.widgets.code_tree import CodeTree
from tui_helpers import notes, settle, span_of


def elsewhere(project):
    """The same project opened by another program (``qualcode codebook ...`` in another terminal)."""
    return Project.open(project.root, search=False)


async def test_a_code_added_in_another_terminal_survives_a_new_code_made_in_the_editor(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        other = elsewhere(study)
        codebook_ops.add(other, "usability", "Usability")  # `qualcode codebook add usability Usability`
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        await pilot.press(*"Trust", "enter")
        await pilot.pause()
        book = load_codebook(study.codebook_path)
        assert "usability" in book and "trust" in book, [c.id for c in book.codes]
        assert any("changed on disk (added usability)" in n for n in notes(app))
        # the editor shows both, and one undo takes back only the editor's change
        tree = app.screen.query_one(CodeTree)
        assert {"usability", "trust"} <= set(tree.nodes)
        await pilot.press("ctrl+z")
        await pilot.pause()
        book = load_codebook(study.codebook_path)
        assert "usability" in book and "trust" not in book


async def test_a_form_edit_keeps_other_fields_changed_elsewhere_and_a_clash_is_refused(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        assert screen.code_id == "theme"
        codebook_ops.change(elsewhere(study), "theme", definition="Defined in the other window.")
        screen.query_one("#name", Input).value = "Renamed here"
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = load_codebook(study.codebook_path).get("theme")
        assert (code.name, code.definition) == ("Renamed here", "Defined in the other window.")
        assert screen.query_one("#definition", TextArea).text == "Defined in the other window."
        # the same field changed here and there: nothing is written over theirs, the form keeps mine
        codebook_ops.change(elsewhere(study), "theme", name="Their name")
        screen.query_one("#name", Input).value = "My name"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_codebook(study.codebook_path).get("theme").name == "Their name"
        assert any("changed on disk" in n and "Their name" in n for n in notes(app))
        assert screen.query_one("#name", Input).value == "My name"
        await pilot.press("ctrl+s")  # told, saving again puts mine over theirs
        await pilot.pause()
        assert load_codebook(study.codebook_path).get("theme").name == "My name"


async def test_a_change_to_a_code_removed_elsewhere_is_refused_and_the_editor_shows_the_file(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        screen.query_one(CodeTree).select_code("outcome")
        await pilot.pause()
        assert screen.code_id == "outcome"
        codebook_ops.remove(elsewhere(study), "outcome", None)
        before = study.codebook_path.read_bytes()
        await pilot.press("ctrl+up")  # move it up: it is no longer there
        await pilot.pause()
        assert study.codebook_path.read_bytes() == before
        assert any("changed on disk" in n and "outcome is no longer in the codebook" in n for n in notes(app))
        assert "outcome" not in screen.query_one(CodeTree).nodes


async def test_the_editor_and_the_coding_screen_show_the_codebook_as_it_is_on_disk(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        coding = app.screen
        codebook_ops.add(elsewhere(study), "usability", "Usability")
        await pilot.press("ctrl+e")  # (re)opened: read again
        await pilot.pause()
        assert "usability" in app.screen.query_one(CodeTree).nodes
        await pilot.press("escape")
        await pilot.pause()
        codebook_ops.add(elsewhere(study), "speed", "Speed")
        await pilot.press("ctrl+r")  # another screen, then back to the coding screen
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is coding
        assert "speed" in coding.query_one(CodeTree).nodes
        # a code merged elsewhere: the codings here count as the code they were merged into
        app.desk.apply("int-1", *span_of(study, "int-1", "We monitor ethnicity"), "outcome")
        codebook_ops.merge(elsewhere(study), "outcome", "barrier")
        await pilot.press("ctrl+e", "escape")
        await pilot.pause()
        assert app.desk.counts["barrier"] == 1 and not app.desk.counts["outcome"]
        assert [c.code for c in app.desk.codings.for_transcript("int-1")] == ["barrier"]


async def test_an_unreadable_codebook_on_disk_is_never_written_over(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        broken = "codes:\n  - id: a\n    name: A\n    parent: nowhere\n"  # an unknown parent: refused on reading
        study.codebook_path.write_text(broken, encoding="utf-8")
        app.screen.query_one("#name", Input).value = "Renamed here"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert study.codebook_path.read_text(encoding="utf-8") == broken
        assert any("Not saved" in n and "cannot be read" in n for n in notes(app))


async def parent_renamed_elsewhere(app, pilot, study, code_id: str, parent: str) -> CodebookScreen:
    """The editor on ``code_id`` with ``parent`` chosen in the form (not saved), while another terminal
    changes the id of the code ``theme`` to ``topic`` (`qualcode codebook rename-id theme topic`) and adds
    a code."""
    await settle(app, pilot)
    await pilot.press("ctrl+e")
    await pilot.pause()
    screen = app.screen
    screen.query_one(CodeTree).select_code(code_id)
    await pilot.pause()
    assert screen.code_id == code_id
    other = elsewhere(study)
    codebook_ops.rename(other, "theme", "topic")
    codebook_ops.add(other, "usability", "Usability")
    screen.query_one("#parent", Select).value = parent
    await pilot.pause()
    return screen


async def test_moving_a_child_of_a_parent_renamed_elsewhere_is_saved_at_the_first_ctrl_s(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await parent_renamed_elsewhere(app, pilot, study, "theme.sub", TOP)
        await pilot.press("ctrl+s")  # its parent's new id is no change of its parent: no clash
        await pilot.pause()
        book = load_codebook(study.codebook_path)
        assert book.get("theme.sub").parent is None
        assert {"topic", "usability"} <= {c.id for c in book.codes} and book.renamed == {"theme": "topic"}
        assert not any("not saved" in n for n in notes(app)), notes(app)
        assert any("Saved" in n and "renamed theme to topic" in n for n in notes(app))
        assert screen.query_one(CodeTree).nodes["theme.sub"].parent is screen.query_one(CodeTree).root


async def test_a_code_moved_under_a_parent_renamed_elsewhere_goes_under_its_new_id(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await parent_renamed_elsewhere(app, pilot, study, "outcome", "theme")  # chosen by its old id
        await pilot.press("ctrl+s")
        await pilot.pause()
        book = load_codebook(study.codebook_path)
        assert book.get("outcome").parent == "topic" and "usability" in book
        assert not any("not saved" in n for n in notes(app)), notes(app)


async def test_a_parent_chosen_in_the_form_survives_its_id_changing_elsewhere(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await parent_renamed_elsewhere(app, pilot, study, "outcome", "theme")
        await pilot.press("ctrl+n", "escape")  # back from a dialog: the codebook is read again
        await pilot.pause()
        assert "topic" in screen.query_one(CodeTree).nodes
        assert screen.query_one("#parent", Select).value == "topic"  # the choice, under its new id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_codebook(study.codebook_path).get("outcome").parent == "topic"
