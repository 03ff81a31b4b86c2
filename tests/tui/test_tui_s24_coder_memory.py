"""The coder chosen with ctrl+k is the coder the workbench opens as next time (in this project, on
this machine), unless ``--coder`` or ``QUALCODE_CODER`` says otherwise, whether or not they have coded
yet; only a remembered name that is not a usable coder name gives way to your login name, with a notice. The memory is kept in
``.qualcode/``, sealed with this user's key: a project folder handed over never makes its next user
code in its last coder's journal. ctrl+k (and the palette) offer the coders named in qualcode.toml,
those with codings, and the current one: a consensus journal whose codings are all gone is not offered."""

from __future__ import annotations

import getpass
import json

import pytest
from textual.widgets import OptionList

from qualcode.store.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.desk import CODER_MEMORY, write_memory
from qualcode.tui.commands import WorkbenchCommands
from qualcode.tui.screens.dialogs import CoderDialog
from test_open_and_search import seen as screenshot_text
from tui_helpers import notes, settle, span_of


def seen(app) -> str:
    """The screen's text, each run of spaces one space (the status line's parts are separate runs)."""
    return " ".join(screenshot_text(app).split())


@pytest.fixture
def you(monkeypatch):
    """You, logged in as ``visitor`` with no QUALCODE_CODER set."""
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "visitor")


def coded(project, coder: str) -> None:
    """``coder`` has a journal with one coding."""
    session = project.session(coder)
    session.add("int-1", *span_of(project, "int-1", "We monitor ethnicity"), "barrier")
    session.close()
    project._sessions.pop(coder, None)


async def quit_after_switching_to(study, coder: str) -> None:
    app = make_app(study)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.desk.coder == "visitor"
        await pilot.press("ctrl+k", *coder, "enter")
        await settle(app, pilot)
        assert app.desk.coder == coder
        await pilot.press("q")
        await pilot.pause()


async def test_the_coder_chosen_with_ctrl_k_is_the_coder_next_time(study, you):
    coded(study, "ben")
    await quit_after_switching_to(study, "ben")
    study.close()
    reopened = Project.open(study.root)
    try:
        app = make_app(reopened)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(app, pilot)
            assert app.desk.coder == "ben"
            assert "coding as ben" in seen(app)
            assert not any("You last coded here" in n for n in notes(app))
    finally:
        reopened.close()
    leftovers = [p.name for p in (study.root / ".qualcode").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # written through a temporary file renamed over it


async def test_a_remembered_coder_without_a_journal_is_still_the_coder_next_time(study, you):
    coded(study, "ben")
    await quit_after_switching_to(study, "ben")
    (study.codings_dir / "ben.jsonl").unlink()  # ben's journal gone (moved away, or a sync took it)
    app = make_app(study)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        assert app.desk.coder == "ben"  # the memory is sealed with your key: you chose ben
        assert "coding as ben" in seen(app)
        assert not any("You last coded here" in n for n in notes(app))


async def test_a_remembered_name_that_is_no_coder_name_gives_way_to_your_login_name(study, you):
    write_memory(study, CODER_MEMORY, {"coder": "not a name"}, sealed=True)
    app = make_app(study)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        assert app.desk.coder == "visitor"
        assert "coding as visitor" in seen(app)
        assert any("You last coded here as 'not a name'" in n and "coding as visitor" in n for n in notes(app))


async def test_coder_and_qualcode_coder_still_say_who_codes(study, you, monkeypatch):
    coded(study, "ben")
    coded(study, "ann")
    await quit_after_switching_to(study, "ben")
    monkeypatch.setenv("QUALCODE_CODER", "cy")
    assert make_app(study).desk.coder == "cy"
    monkeypatch.delenv("QUALCODE_CODER")
    assert make_app(study, "ann").desk.coder == "ann"  # and --coder ann is the choice now
    assert make_app(study).desk.coder == "ann"


async def test_a_memory_that_came_with_a_handed_over_folder_is_not_used(study, you):
    coded(study, "ben")
    (study.root / ".qualcode").mkdir(exist_ok=True)
    (study.root / ".qualcode" / "coder.json").write_text(json.dumps({"coder": "ben"}), encoding="utf-8")
    assert make_app(study).desk.coder == "visitor"


def offered(app) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_a_consensus_coder_whose_codings_are_gone_is_not_offered(study, you):
    coded(study, "ben")
    study.config.coders = ["ann"]  # named in qualcode.toml, no codings yet: offered
    session = study.session("consensus")  # decisions made on the agreement screen, then undone
    decided = session.add("int-1", *span_of(study, "int-1", "The outcomes matter"), "outcome")
    app = make_app(study, "visitor")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, CoderDialog)
        assert offered(app) == ["ann", "ben", "consensus", "visitor"]
        await pilot.press("escape")
        session.remove(decided.id)
        assert (study.codings_dir / "consensus.jsonl").exists()
        await pilot.pause()
        palette = [title for title, *_ in WorkbenchCommands(app.screen)._commands()]  # ctrl+p's commands
        assert "Switch coder: ben" in palette and "Switch coder: consensus" not in palette
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert offered(app) == ["ann", "ben", "visitor"]
        assert "consensus" not in seen(app)
        await pilot.press(*"consensus", "enter")  # typed, it still opens
        await settle(app, pilot)
        assert app.desk.coder == "consensus" and "coding as consensus" in seen(app)
        await pilot.press("ctrl+k")  # now the current coder: offered
        await pilot.pause()
        assert "consensus" in offered(app)
