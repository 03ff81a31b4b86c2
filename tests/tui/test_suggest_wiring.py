"""Suggestions from the coding screen: S opens them for the open transcript, a accepts into the journal."""

from __future__ import annotations

from qualcode.suggest.suggestion import Suggestion
from qualcode.tui.app import Settings, make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from tui_helpers import journal, settle, span_of


class Fake:
    def __init__(self, project, coder):
        self.project = project
        self.asked = []

    def suggest(self, transcript, codes=None):
        self.asked.append(transcript.id)
        s, e = span_of(self.project, transcript.id, "We monitor ethnicity on the board")
        return [Suggestion(transcript.id, s, e, "theme", 0.9, ("rules",), ("matches 'board'",))]


async def test_S_opens_suggestions_and_a_accepts_one_into_the_journal(study):
    made = []
    app = make_app(study, "ann", Settings(suggester=lambda p, c: made.append(Fake(p, c)) or made[-1]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("S")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SuggestionsScreen)
        assert made[0].asked == ["int-1"]
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        records = journal(study, "ann")
        assert [r["op"] for r in records] == ["add"]
        # the suggested words are part of a sentence: the coding is the whole sentence
        s, e = span_of(study, "int-1", "We monitor ethnicity on the board, but not in the theme groups.")
        assert (records[0]["coding"]["s"], records[0]["coding"]["e"], records[0]["coding"]["code"]) == (s, e, "theme")
        assert any(c.start == s for c in app.desk.codings.for_transcript("int-1"))
