"""Retrieval (ctrl+r) quotes the words said within each coding and names who said them, as `qualcode
table retrieve` and the Word/CSV listings do: a coding over a question and its answer shows the answer's
words, without the "Interviewer:" label, and the answerer's name. Enter still selects the whole coding."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from textual.widgets import Static  # noqa: E402

from qualcode.tui.app import make_app  # noqa: E402
from qualcode.tui.screens.coding import CodingScreen  # noqa: E402
from qualcode.tui.screens.retrieval import RetrievalScreen, SegmentList, gather  # noqa: E402
from tui_helpers import make_project, settle, span_of, until  # noqa: E402

QUESTION_AND_ANSWER = "Interviewer: And the Neighbourhood Renewal Fund?\n\nRuth Adebayo: The outcomes matter"
QUESTION = "Could you start with your role on the partnership board?"


def test_gather_gives_the_words_said_and_who_said_them(tmp_path):
    project = make_project(tmp_path)
    try:
        ben = project.session("ben")
        whole = span_of(project, "int-1", QUESTION_AND_ANSWER)
        ben.add("int-1", *whole, "theme")
        ben.add("int-1", *span_of(project, "int-1", "Interviewer: " + QUESTION), "theme")  # only the question
        ben.close()
        rows, problems = gather(project, {"theme"}, [], "ann")
        assert problems == []
        got = [(r.start, r.end, r.speaker, r.text) for r in rows]
        assert got == [
            (*span_of(project, "int-1", "Interviewer: " + QUESTION), "Interviewer", QUESTION),
            (*whole, "Ruth Adebayo", "The outcomes matter"),  # the coding's own start and end
        ]
    finally:
        project.close()


async def test_a_question_and_its_answer_show_the_answer_and_its_speaker_at_80x24(tmp_path):
    project = make_project(tmp_path)
    whole = span_of(project, "int-1", QUESTION_AND_ANSWER)
    ben = project.session("ben")
    ben.add("int-1", *whole, "theme", memo="asked and answered")
    ben.close()
    app = make_app(project, "ann")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            app.retrieve("theme")
            await until(pilot, lambda: isinstance(app.screen, RetrievalScreen)
                        and any(s.rows for s in app.screen.query(SegmentList)))
            screen = app.screen
            segments = screen.query_one(SegmentList)
            row = segments.render_line(0).text  # as drawn at 80 columns
            assert "Ruth Adebayo" in row and "The outcomes matter" in row, row
            assert "Interviewer" not in row and "Neighbourhood" not in row, row
            detail = str(screen.query_one("#detail", Static).render())
            assert "int-1 · Ruth Adebayo · A first theme · ben" in detail, detail
            assert "The outcomes matter" in detail and "Interviewer:" not in detail, detail
            # Enter opens the transcript with the whole coding selected, question and all
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, CodingScreen))
            assert app.screen.tid == "int-1"
            assert (app.screen.view.selection.start, app.screen.view.selection.end) == whole
    finally:
        project.close()
