"""`?` and ctrl+p list every key and action of every screen: generated from the bindings, checked here.

If a screen or widget gains a binding with a description, it must show in the key sheet and, with that
screen open, in the command palette; a new screen with keys must be listed in ``keys.PLACES``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.screen import ModalScreen

import qualcode.tui
from qualcode.tui.app import Settings, WorkbenchApp, make_app
from qualcode.tui.commands import SKIP_ACTIONS, WorkbenchCommands
from qualcode.tui.keys import PLACES, described, key_label, place_of
from qualcode.tui.registry import SCREENS
from qualcode.tui.screens.keysheet import KeySheet
from test_suggest_wiring import Fake
from tui_helpers import opened, settle


def workbench_classes() -> list[type]:
    """Every class in qualcode.tui with bindings of its own (dialogs excepted: their hint line lists them)."""
    out = []
    for info in pkgutil.walk_packages(qualcode.tui.__path__, "qualcode.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or "BINDINGS" not in vars(cls):
                continue
            if issubclass(cls, ModalScreen):
                continue  # the small dialogs: Esc cancels, their own hint line says the rest
            if any(b.description for b in cls.BINDINGS if isinstance(b, Binding)):
                out.append(cls)
    return out


def test_every_class_with_described_keys_is_a_place_of_the_key_sheet():
    classes = workbench_classes()
    assert WorkbenchApp in classes and len(classes) >= 9
    missing = [f"{c.__module__}:{c.__name__}" for c in classes
               if place_of(c) is None and not any(place_of(sub) for sub in c.__subclasses__())]
    assert missing == [], "add these to qualcode.tui.keys.PLACES"


async def test_key_sheet_lists_every_binding_of_every_place(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeySheet)
        sections = dict(app.screen.sections())
        for place in PLACES:
            rows = sections[place.title]
            for cls in place.classes():
                for binding, text in described(cls):
                    assert (key_label(binding.key), text) in rows, (place.title, binding.action)
        # the keys the issue found missing: S, suggestions, agreement, export, memos
        every = " ".join(f"{k} {w}" for rows in sections.values() for k, w in rows)
        for words in ("S suggestions for this transcript", "a accept", "r reject", "v review mode",
                      "ctrl+a Agreement between coders", "ctrl+x Export tables and reports", "M Memos",
                      "D status of the transcript", "ctrl+s write the export", "b take coder B's coding"):
            assert words in every, words
        assert "Code shortcuts (from the codebook)" in sections


async def palette_actions(app) -> set[str]:
    provider = WorkbenchCommands(app.screen)
    titles = {title for title, *_ in provider.keyed()}
    return titles


def expected_titles(app) -> set[str]:
    """What the palette must offer on the current screen: every described binding of it and its widgets."""
    out = set()
    for node in [app, app.screen, *app.screen.query("*")]:
        place = place_of(type(node))
        if place is None:
            continue
        for binding, text in described(type(node)):
            if binding.action not in SKIP_ACTIONS:
                out.add(text)
    return out


async def test_command_palette_offers_every_action_of_the_screen_it_is_opened_on(study):
    app = make_app(study, "ann", Settings(suggester=Fake))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        visited = []

        async def check() -> None:
            titles = " | ".join(await palette_actions(app)).lower()
            for text in expected_titles(app):
                assert text.lower() in titles, (type(app.screen).__name__, text)
            visited.append(type(app.screen).__name__)

        await check()  # home
        await opened(app, pilot)
        await check()  # coding (with the codebook panel)
        await pilot.press("S")
        await settle(app, pilot)
        await check()  # suggestions
        assert "Suggestions: Accept: the passage becomes a coding" in await palette_actions(app)
        await pilot.press("escape")
        await settle(app, pilot)
        for entry in SCREENS:
            app.open_screen(entry.target)
            await settle(app, pilot)
            if type(app.screen).__name__ == "CodePicker":  # retrieval asks for a code first
                await pilot.press("enter")
                await settle(app, pilot)
            await check()
            app.go_home()
            await settle(app, pilot)
        assert visited == ["HomeScreen", "CodingScreen", "SuggestionsScreen", "CodebookScreen", "RetrievalScreen",
                           "AgreementScreen", "MemosScreen", "ExportScreen"]
        # and the palette runs them: "Status" on the home cycles the highlighted transcript's status
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"status of the transcript")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.desk.codings.marks == {"int-1": {"status": "in progress"}}
