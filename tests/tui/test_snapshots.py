"""Snapshots of each screen (pytest-textual-snapshot). Update with ``pytest tests/tui --snapshot-update``
after checking the new pictures by eye (``snapshot_report.html``).

The coding screen is taken on a transcript with accents, curly quotes, a dash and an emoji before the
coded text: the highlight must start exactly on "where" and the stripes follow the coded lines.
"""

from __future__ import annotations

import pytest

from qualcode.tui.app import make_app
from tui_helpers import make_project, settle, span_of, until

SIZE = (120, 36)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40"), pytest.param((200, 50), id="200x50")]
"""The sizes the layout must suit: the transcript keeps 50 columns at 80x24 (the side pane hides, f2
shows it), the home drops columns by priority, tree names are cut with "…" keeping key and counts."""


@pytest.fixture
def coded(tmp_path):
    """The test study with ann's and ben's codings, overlaps and a memo."""
    project = make_project(tmp_path)
    ann, ben = project.session("ann"), project.session("ben")
    ann.add("int-2", *span_of(project, "int-2", "“the café” 😀 where we decided"), "theme")
    ann.add("int-2", *span_of(project, "int-2", "where we decided — together — to stand for the board"), "barrier",
            memo="The café as the place of decision.")
    ann.add("int-2", *span_of(project, "int-2", "Après ça, everything was different."), "outcome")
    ann.add("int-1", *span_of(project, "int-1", "We monitor ethnicity on the board"), "theme.sub")
    ben.add("int-1", *span_of(project, "int-1", "The outcomes matter"), "outcome")
    ann.close()
    ben.close()
    yield project
    project.close()


@pytest.mark.parametrize("size", SIZES)
def test_home(coded, snap_compare, size):
    async def run_before(pilot):
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(coded, "ann"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_coding_screen_non_ascii_highlights(coded, snap_compare, size):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        app.open_transcript("int-2")
        await pilot.pause()
        app.screen.view.select(*span_of(coded, "int-2", "Not at first."))
        await pilot.pause()

    assert snap_compare(make_app(coded, "ann"), terminal_size=size, run_before=run_before)


def test_coding_screen_side_pane_shown_with_f2_at_80x24(coded, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(make_app(coded, "ann"), terminal_size=(80, 24), run_before=run_before)


def test_coding_screen_search_and_turn_selection(coded, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        await pilot.press("slash", *"board", "enter", "escape")
        app.screen.view.move_cursor(span_of(coded, "int-1", "The outcomes")[0])
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(make_app(coded, "ann"), terminal_size=SIZE, run_before=run_before)


def test_code_picker(coded, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        app.screen.view.select(*span_of(coded, "int-1", "It took us two years"))
        await pilot.press("c", *"th")
        await pilot.pause()

    assert snap_compare(make_app(coded, "ann"), terminal_size=SIZE, run_before=run_before)


def test_memo_dialog(coded, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        app.open_transcript("int-2")
        await pilot.pause()
        app.screen.view.move_cursor(span_of(coded, "int-2", "together")[0])
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")  # two codings here: the choice comes first
        await pilot.pause()

    assert snap_compare(make_app(coded, "ann"), terminal_size=SIZE, run_before=run_before)


def test_codebook_editor(coded, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()

    assert snap_compare(make_app(coded, "ann"), terminal_size=(120, 44), run_before=run_before)


def test_retrieval(coded, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        app.retrieve("theme")
        await settle(app, pilot)

    assert snap_compare(make_app(coded, "ann"), terminal_size=SIZE, run_before=run_before)


def test_key_sheet(coded, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(coded, "ann"), terminal_size=(120, 50), run_before=run_before)


def test_switch_coder_dialog(coded, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("ctrl+k")
        await pilot.pause()

    assert snap_compare(make_app(coded, "ann"), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_agreement_screen(coded, snap_compare, size):
    from qualcode.tui.screens.agreement import AgreementScreen

    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("ctrl+a")
        await until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.report is not None)

    assert snap_compare(make_app(coded, "ann"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_export_screen(coded, snap_compare, size):
    """Once flaky under load: the picture was taken after one pause, whether or not the screen's worker
    had started, finished and its tables been listed. Now it waits for that state, not for time."""
    from qualcode.tui.screens.export import ExportScreen

    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("ctrl+x")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen) and app.screen.tables_done)

    assert snap_compare(make_app(coded, "ann"), terminal_size=size, run_before=run_before)


class _FixedSuggester:
    """Two suggestions, always the same: the screen's layout without loading spaCy."""

    def __init__(self, project, coder):
        self.project = project

    def suggest(self, transcript, codes=None):
        from qualcode.suggest.suggestion import Suggestion

        out = []
        for quote, code, score, reason in [("We monitor ethnicity on the board", "theme", 0.91, "matches 'board'"),
                                           ("The outcomes matter more than who gets the money", "outcome", 0.74,
                                            "like your coding in int-2")]:
            s, e = span_of(self.project, transcript.id, quote)
            out.append(Suggestion(transcript.id, s, e, code, score, ("rules",), (reason,)))
        return out


def test_suggestions_screen(coded, snap_compare):
    from qualcode.tui.app import Settings

    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        await pilot.press("S")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(coded, "ann", Settings(suggester=_FixedSuggester))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
