"""The suggestions panel shows exactly what ``a`` codes (whole words; a short answer without its
question or speaker label), ``u`` takes back the last accept or reject made in it, and it reads at
80x24 (the code's name and the passage, a detail that scrolls with the reasons first)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from qualcode.suggest import rejections
from qualcode.suggest.suggestion import Suggestion
from qualcode.tui.app import Settings, make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from tui_helpers import journal, make_project, notes, settle, span_of

LONG = " ".join(f"word{i}" for i in range(40))
TALK = f"""---
id: p7
title: An interview
speakers:
  Dan: interviewer
  Participant: respondent
---
Dan: Okay. So I guess.

Participant: Go ahead.

Dan: And the teams?

Participant: I think it is something we have {LONG} beyond what's needed or like beyond our more specific concerns about the {LONG} models.
"""

QUESTION = "Okay. So I guess.\n\nParticipant:"


class Fake:
    """Two candidates as the engine makes them: a short answer scored with its question (the span
    starts at the question), and a window cut inside "what's" in a sentence too long to widen."""

    def __init__(self, project, coder):
        self.project = project

    def suggest(self, transcript, codes=None):
        text = transcript.text
        q = text.index("Okay. So I guess.")
        a = text.index("Go ahead.") + len("Go ahead.")
        w = text.index("'s needed or like")
        coded = {c.code for c in self.project.codings("ann")}  # as the engine: what is decided is left out
        rejected = {r.code for r in rejections.load(self.project.codings_dir, "ann")[0]}
        return [s for s in self._all(transcript, q, a, w) if s.code not in coded | rejected]

    def _all(self, transcript, q, a, w):
        return [Suggestion(transcript.id, q, a, "theme", 0.9, ("learned",), ("learned from your codings: 'go'",
                                                                            "a short answer, scored with the "
                                                                            "question it answers"),
                           question=QUESTION, weights={"learned": 0.9, "rules": 0.1}),
                Suggestion(transcript.id, w, w + 60, "barrier", 0.8, ("rules",), ("matches 'concerns'",))]


def project_with_talk(tmp_path):
    return make_project(tmp_path, transcripts=(TALK,), cases=False)


async def open_panel(app, pilot, tid="p7"):
    await settle(app, pilot)
    app.open_transcript(tid)
    await pilot.pause()
    await pilot.press("S")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, SuggestionsScreen)
    return app.screen.panel


def columns(table: DataTable) -> dict[str, int]:
    """Each column's width by the first word of its heading ("passage ('a' codes it)" is "passage")."""
    return {str(c.label).split()[0]: c.get_render_width(table) - 2 for c in table.columns.values()}


def cell_text(table: DataTable, row: int, name: str) -> str:
    return str(table.get_cell_at((row, list(columns(table)).index(name))))


def detail_text(panel) -> str:
    return str(panel.query_one("#suggest-detail", Static).render())


async def test_a_short_answer_is_coded_without_its_question_and_the_row_shows_what_a_codes(tmp_path):
    project = project_with_talk(tmp_path)
    app = make_app(project, "ann", Settings(suggester=Fake))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(app, pilot)
        table = panel.table
        text = project.transcript("p7").text
        answer = span_of(project, "p7", "Go ahead.")
        assert panel.current().code == "theme"
        assert cell_text(table, 0, "passage") == "Go ahead."
        shown = detail_text(panel)
        assert f"{answer[0]}-{answer[1]}" in shown and "“Go ahead.”" in shown
        assert "answers: Okay. So I guess. (not coded)" in shown  # the question, without "Participant:"
        # a window cut inside "what's": the row, the offsets and the coding start at "what's"
        start = text.index("what's needed")
        assert cell_text(table, 1, "passage").startswith("what's needed")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("a")
        await settle(app, pilot)
        added = [r["coding"] for r in journal(project, "ann")]
        assert [(c["s"], c["e"], c["code"]) for c in added][0] == (*answer, "theme")
        assert text[added[1]["s"]:added[1]["e"]].startswith("what's needed") and added[1]["s"] == start
    project.close()


def test_accept_span_never_starts_inside_a_word_nor_takes_the_question(tmp_path):
    from qualcode.tui.screens.suggestions import accept_span

    project = project_with_talk(tmp_path)
    t = project.transcript("p7")
    fake = Fake(project, "ann").suggest(t)
    assert t.text[slice(*accept_span(t, fake[0]))] == "Go ahead."
    start, end = accept_span(t, fake[1])
    assert t.text[start:].startswith("what's") and t.text[end - 1].isalnum() and t.text[end].isspace()
    project.close()


async def test_u_takes_back_a_reject_then_an_accept_and_says_which(tmp_path):
    project = project_with_talk(tmp_path)
    app = make_app(project, "ann", Settings(suggester=Fake))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        panel = await open_panel(app, pilot)
        await pilot.press("a")  # accept the answer
        await pilot.pause()
        await pilot.press("r")  # reject the other
        await settle(app, pilot)
        assert len(rejections.load(project.codings_dir, "ann")[0]) == 1
        assert panel.shown == []
        await pilot.press("u")  # the reject first: the rejection is gone, the candidate back
        await settle(app, pilot)
        assert rejections.load(project.codings_dir, "ann")[0] == []
        assert [s.code for s in panel.shown] == ["barrier"]
        assert any(n.startswith("Taken back: rejected Barriers") for n in notes(app))
        assert len(app.desk.codings) == 1  # the accept stays
        await pilot.press("u")  # then the accept: the coding is removed, the suggestion back
        await settle(app, pilot)
        assert len(app.desk.codings) == 0 and app.desk.counts["theme"] == 0
        assert any(n.startswith("Taken back: accepted A first theme for “Go ahead.”") for n in notes(app))
        assert {s.code for s in panel.shown} == {"theme", "barrier"}
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing accepted or rejected here to take back" in n for n in notes(app))
        # back on the coding screen, u has nothing of the panel's left to undo
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("u")
        await pilot.pause()
        assert len(app.desk.codings) == 0 and rejections.load(project.codings_dir, "ann")[0] == []
    project.close()


async def test_at_80x24_the_passage_has_room_and_the_reasons_are_in_view(tmp_path):
    project = project_with_talk(tmp_path)
    app = make_app(project, "ann", Settings(suggester=Fake))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(app, pilot)
        table = panel.table
        widths = columns(table)
        assert list(widths) == ["score", "code", "passage"]  # "why" is in the detail at this width
        assert widths["passage"] >= 45 and sum(w + 2 for w in widths.values()) <= 80
        box = panel.query_one("#suggest-detail-box", VerticalScroll)
        assert box.size.height >= 7
        lines = detail_text(panel).splitlines()
        assert lines[1].startswith("• learned from your codings") and lines[2].startswith("• a short answer")
        assert lines[3].startswith("trust for this code") and len(lines) > 4
        await pilot.press("shift+down")  # the rest of the detail scrolls into view
        await pilot.pause()
        assert box.scroll_y > 0 or box.max_scroll_y == 0
    project.close()


async def test_at_120x40_the_why_column_is_back(tmp_path):
    project = project_with_talk(tmp_path)
    app = make_app(project, "ann", Settings(suggester=Fake))
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_panel(app, pilot)
        widths = columns(panel.table)
        assert list(widths) == ["score", "code", "passage", "why"] and widths["passage"] >= 45
        assert sum(w + 2 for w in widths.values()) <= 120
        assert cell_text(panel.table, 0, "why").startswith("learned from your")
    project.close()
