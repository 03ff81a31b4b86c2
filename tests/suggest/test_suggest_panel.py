"""The suggestions panel on a minimal host App, with a fake Suggester (spaCy is never loaded)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from textual.app import App, ComposeResult

from suggest_helpers import span
from qualcode.suggest.suggestion import Suggestion
from qualcode.tui.screens.suggestions import BATCH, SuggestionsPanel, SuggestionsScreen


class FakeSuggester:
    """Returns fixed suggestions for whatever transcript it is given; counts the calls."""

    def __init__(self, project, gate: threading.Event | None = None, fail: bool = False):
        self.project = project
        self.calls = 0
        self.gate = gate
        self.fail = fail

    def suggest(self, transcript, codes=None):
        self.calls += 1
        if self.gate is not None:
            self.gate.wait(10)
        if self.fail:
            raise RuntimeError("model exploded")
        out = []
        for quote, code, score in [
            ("Yes. We hand out monitoring forms to everyone on the board.", "monitoring", 0.9),
            ("The outcomes matter more than who gets the money.", "outcomes", 0.8),
            ("Half the town lost their jobs when the factory closed.", "jobs", 0.7),
            ("It took us two years to get there, honestly.", "monitoring", 0.45),
        ]:
            s, e = span(self.project, transcript.id, quote)
            out.append(Suggestion(transcript.id, s, e, code, score, ("rules",), (f"matches '{code}'",),
                                  suggested=score >= 0.5, uncertainty=1 - abs(score - 0.5) * 2, quote=quote))
        return out

    def notes(self, codes=None):
        return ["code 'silent' has no keywords and no codings yet: nothing is suggested for it"]


class Host(App):
    def __init__(self, panel):
        super().__init__()
        self.panel = panel
        self.events = []

    def compose(self) -> ComposeResult:
        yield self.panel

    def on_suggestions_panel_accepted(self, m: SuggestionsPanel.Accepted):
        self.events.append(("accepted", m.coding.code, m.coding.start, m.coding.end))

    def on_suggestions_panel_rejected(self, m: SuggestionsPanel.Rejected):
        self.events.append(("rejected", m.suggestion.code))

    def on_suggestions_panel_jump_to(self, m: SuggestionsPanel.JumpTo):
        self.events.append(("jump", m.start, m.end, m.transcript_id))


async def _ready(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


def _codes(panel):
    return [s.code for s in panel.shown]


async def test_list_accept_reject_skip_jump_and_review(sproject):
    fake = FakeSuggester(sproject)
    panel = SuggestionsPanel(sproject, "ann", "int-a", fake)
    app = Host(panel)
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(app, pilot)
        # suggested ones, best first, then the best candidate below the threshold to fill the list
        assert _codes(panel) == ["monitoring", "outcomes", "jobs", "monitoring"]
        assert [s.suggested for s in panel.shown] == [True, True, True, False]
        assert "silent" in str(panel.query_one("#suggest-status").render())
        await pilot.press("enter")
        s0 = panel.shown[0]
        assert app.events[-1] == ("jump", s0.start, s0.end, "int-a")
        await pilot.press("k")  # skip: to the bottom
        assert _codes(panel) == ["outcomes", "jobs", "monitoring", "monitoring"]
        assert panel.shown[-1].score == 0.9  # the skipped one
        await pilot.press("a")  # accept "outcomes"
        await pilot.pause()
        assert app.events[-1][:2] == ("accepted", "outcomes")
        journal = [json.loads(x) for x in (sproject.codings_dir / "ann.jsonl").read_text().splitlines()]
        assert journal[-1]["op"] == "add" and journal[-1]["coding"]["code"] == "outcomes"
        assert _codes(panel) == ["jobs", "monitoring", "monitoring"]
        await pilot.press("r")  # reject "jobs"
        await pilot.pause()
        assert app.events[-1] == ("rejected", "jobs")
        rej = [json.loads(x) for x in (sproject.codings_dir / "ann.rejections.jsonl").read_text().splitlines()]
        assert rej[0]["code"] == "jobs" and rej[0]["quote"].startswith("Half the town")
        assert "rejected" not in (sproject.codings_dir / "ann.jsonl").read_text()
        await pilot.press("v")  # review mode: weaker candidates too, least sure first
        assert panel.review and panel.shown[0].score == 0.45
        await pilot.press("right_square_bracket")  # one code at a time
        assert set(_codes(panel)) == {panel.code}
        assert fake.calls == 1


async def test_recomputes_after_a_batch_of_decisions(sproject):
    fake = FakeSuggester(sproject)
    panel = SuggestionsPanel(sproject, "ann", "int-a", fake, review=True)
    app = Host(panel)
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(app, pilot)
        for _ in range(min(BATCH, 4)):
            await pilot.press("r")
        await _ready(app, pilot)
        assert fake.calls == 2  # the list ran out (or a batch was full): asked again
        assert len(panel.shown) == 4  # the fake suggests the same again; decided ones reset


async def test_the_ui_keeps_working_while_the_suggester_is_busy(sproject):
    gate = threading.Event()
    fake = FakeSuggester(sproject, gate=gate)
    panel = SuggestionsPanel(sproject, "ann", "int-a", fake)
    app = Host(panel)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert panel.busy and "Finding" in str(panel.query_one("#suggest-status").render())
        await pilot.press("v")  # handled while the worker waits
        assert panel.review
        gate.set()
        await _ready(app, pilot)
        assert not panel.busy and len(panel.shown) == 4


async def test_a_failing_suggester_is_reported_not_fatal(sproject):
    fake = FakeSuggester(sproject, fail=True)
    panel = SuggestionsPanel(sproject, "ann", "int-a", fake)
    app = Host(panel)
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(app, pilot)
        assert "model exploded" in str(panel.query_one("#suggest-status").render())
        assert not panel.busy and panel.shown == []
        await pilot.press("a", "r", "k", "enter")  # nothing to act on: no error
        assert app.events == []


async def test_screen_wrapper_bubbles_messages_to_the_app(sproject):
    fake = FakeSuggester(sproject)

    class ScreenHost(App):
        def __init__(self):
            super().__init__()
            self.jumps = []

        def on_mount(self):
            self.push_screen(SuggestionsScreen(sproject, "ann", "int-a", fake))

        def on_suggestions_panel_jump_to(self, m):
            self.jumps.append((m.start, m.end))

    app = ScreenHost()
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.jumps) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SuggestionsScreen)


def test_the_panel_module_never_imports_spacy_or_sklearn():
    code = ("import sys, qualcode.tui.screens.suggestions, qualcode.suggest.engine; "
            "print(' '.join(m for m in ('spacy', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


async def test_the_real_engine_in_the_panel(sproject, pipeline):
    """One run with the real Suggester (the session's pipeline is loaded already): accept, then the
    recomputed list no longer offers the accepted passage."""
    from qualcode.suggest.engine import SuggestionEngine

    panel = SuggestionsPanel(sproject, "ann", "int-a", SuggestionEngine(sproject, "ann"))
    app = Host(panel)
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(app, pilot)
        assert panel.shown and any("silent" in n for n in panel.notes)
        first = panel.shown[0]
        await pilot.press("a")
        await pilot.press("g")
        await _ready(app, pilot)
        assert app.events[0][:2] == ("accepted", first.code)
        assert not any((s.code, s.start) == (first.code, first.start) for s in panel.suggestions)
