"""The codebook editor never writes a field it was not asked to: a save writes only the fields the
researcher edited (measured from what the form was loaded with), and whenever the codebook is read
again (a refused save, the terminal regaining focus, a sync) the fields not edited show the code as
it is now. A change made elsewhere (`qualcode codebook edit` / `rename` / `move` in another terminal,
a sync) is never put back to what the form showed before."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, TextArea

from qualcode.formats.codebook_yaml import load_codebook
from qualcode.services import codebook_ops
from qualcode.tui.app import make_app
from test_tui_s24_codebook_follow import back_from_the_other_terminal, editing, elsewhere
from tui_helpers import notes, settle


def on_disk(project, code_id):
    return load_codebook(project.codebook_path).get(code_id)


# field B, changed elsewhere and never touched in the form: (how it is changed there, how to read it
# on disk, how the form shows it)
OTHER_FIELDS = {
    "definition": ({"definition": "Defined in the other terminal."}, lambda c: c.definition,
                   lambda s: s.query_one("#definition", TextArea).text),
    "keywords": ({"keywords": ["council", "board"]}, lambda c: c.keywords,
                 lambda s: [k.strip() for k in s.query_one("#keywords", Input).value.split(",")]),
    "colour": ({"colour": "#123456"}, lambda c: c.colour, lambda s: s.query_one("#colour", Input).value),
}


@pytest.mark.parametrize("field", sorted(OTHER_FIELDS))
async def test_saving_again_after_a_refused_save_keeps_the_other_fields_changed_elsewhere(study, field):
    change, stored, shown = OTHER_FIELDS[field]
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        screen = await editing(app, pilot, "theme")
        codebook_ops.change(elsewhere(study), "theme", name="Their name")  # field A, elsewhere
        codebook_ops.change(elsewhere(study), "theme", **change)  # field B, elsewhere
        screen.query_one("#name", Input).value = "My name"  # field A, here
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert on_disk(study, "theme").name == "Their name"  # refused: the same field changed both ways
        assert any("changed on disk" in n and "Their name" in n for n in notes(app))
        # the form keeps what was typed, and shows the field not edited as it is now
        assert screen.query_one("#name", Input).value == "My name"
        assert shown(screen) == stored(on_disk(study, "theme"))
        await pilot.press("ctrl+s")  # resolved: mine over theirs, for the name only
        await pilot.pause()
        code = on_disk(study, "theme")
        assert code.name == "My name"
        assert stored(code) == next(iter(change.values())), f"{field} changed elsewhere was written over"


async def test_a_parent_changed_elsewhere_is_not_moved_back_by_saving_again(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        screen = await editing(app, pilot, "outcome")
        codebook_ops.change(elsewhere(study), "outcome", name="Their outcomes")
        codebook_ops.move(elsewhere(study), "outcome", "barrier")  # `qualcode codebook move` there
        screen.query_one("#name", Input).value = "My outcomes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert on_disk(study, "outcome").name == "Their outcomes"
        assert screen.query_one("#parent", Select).value == "barrier"
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = on_disk(study, "outcome")
        assert (code.name, code.parent) == ("My outcomes", "barrier")


async def arrives_by_a_sync(app, pilot) -> None:
    app.after_sync()  # what the workbench does once `qualcode sync` brought the change in
    await settle(app, pilot)


# a code edited in the form while the codebook changes elsewhere: (its id, its id after (renamed there),
# a field changed there besides the definition, how the workbench reads the codebook again)
WHILE_TYPING = {
    "another terminal": ("theme", "theme", ("shortcut", "9"), back_from_the_other_terminal),
    "a sync, renamed": ("barrier", "obstacle", ("colour", "#010203"), arrives_by_a_sync),
}


@pytest.mark.parametrize("how", sorted(WHILE_TYPING))
async def test_a_codebook_read_again_while_typing_shows_the_other_fields_as_they_are_now(study, how):
    code_id, now, (field, value), arrives = WHILE_TYPING[how]
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        screen = await editing(app, pilot, code_id)
        screen.query_one("#name", Input).value = "My name"  # typed, not saved yet
        if now != code_id:
            codebook_ops.rename(elsewhere(study), code_id, now)
        codebook_ops.change(elsewhere(study), now, definition="Defined elsewhere.", **{field: value})
        await arrives(app, pilot)
        assert screen.query_one("#id", Input).value == now
        assert screen.query_one("#name", Input).value == "My name"
        assert screen.query_one("#definition", TextArea).text == "Defined elsewhere."
        assert screen.query_one(f"#{field}", Input).value == value
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = on_disk(study, now)
        assert (code.name, code.definition, getattr(code, field)) == ("My name", "Defined elsewhere.", value)


async def test_a_clash_seen_before_the_save_is_refused_once_then_saving_again_resolves_it(study):
    """The codebook was read again (the terminal regained focus) while the name was being typed, and the
    name had changed there too: the save is refused and says so, once; saving again puts mine over it,
    keeping what else changed there."""
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        screen = await editing(app, pilot, "theme")
        screen.query_one("#name", Input).value = "My name"
        codebook_ops.change(elsewhere(study), "theme", name="Their name", definition="Theirs.")
        await back_from_the_other_terminal(app, pilot)
        assert screen.query_one("#name", Input).value == "My name"
        assert screen.query_one("#definition", TextArea).text == "Theirs."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert on_disk(study, "theme").name == "Their name"
        assert any("Their name" in n and "ctrl+s again" in n for n in notes(app))
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = on_disk(study, "theme")
        assert (code.name, code.definition) == ("My name", "Theirs.")


async def test_a_field_typed_into_but_left_as_it_was_is_not_written(study):
    """Typing into a field and back (or a value the form shows differently) is not an edit: a field
    changed elsewhere meanwhile keeps that change."""
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        screen = await editing(app, pilot, "theme")
        keywords = screen.query_one("#keywords", Input)
        keywords.value = " board ,"  # the same keywords, typed differently
        screen.query_one("#name", Input).value = "My name"
        codebook_ops.change(elsewhere(study), "theme", keywords=["council"])
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = on_disk(study, "theme")
        assert (code.name, code.keywords) == ("My name", ["council"])


async def test_the_changed_on_disk_notices_say_a_rename_is_a_rename(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        screen = await editing(app, pilot, "outcome")
        codebook_ops.rename(elsewhere(study), "barrier", "obstacle")  # seen at the save
        screen.query_one("#name", Input).value = "My outcomes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("changed on disk (renamed barrier to obstacle)" in n for n in notes(app)), notes(app)
        codebook_ops.rename(elsewhere(study), "theme", "topic")  # seen when the terminal regains focus
        await back_from_the_other_terminal(app, pilot)
        assert any(n.endswith("changed on disk and was reloaded: renamed theme to topic.") for n in notes(app))
        assert not any("added" in n or "removed" in n for n in notes(app)), notes(app)
