"""Issue 15 in the workbench: each speaker's role and turn count are shown (home detail, coding
screen title, status line), and a Markdown or reST hearing is shown without its markup while codings
still land on the canonical characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from qualcode.tui.app import make_app
from qualcode.tui.layout import Wrap
from qualcode.tui.markup import hidden_spans, shown_text
from qualcode.tui.screens.retrieval import gather
from qualcode.tui.widgets.coding_list import CodingList
from qualcode.tui.widgets.status import StatusLine
from tui_helpers import make_project, opened, settle, span_of

HEARING = """Hearing of 3 March
==================

*MS JANE DOE (sworn).*

Questions from Counsel to the Inquiry
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

**Counsel Inquiry**: Ms Doe, what did the *equality hub* do in the first weeks?

**Ms Jane Doe**: We collected the ``ethnicity`` data every day. It was **hard** work, and we published it.

**Counsel Inquiry**: Who read it?

**Ms Jane Doe**: Ministers did, see :doc:`annex-2`.
"""
REAL = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "transcripts"
MARKUP = ("**", "``", "^^^", "===", ":doc:", "*MS", "*equality")


def shown_lines(view) -> list[str]:
    """Every visual line of the open transcript as drawn (gutter and stripes cut off)."""
    width = view.scrollable_content_region.width
    return [view.painter.line(i, width).text[2:2 + view.text_width].rstrip() for i in range(len(view.wrap))]


async def test_home_detail_shows_each_speakers_role_and_turns(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        case = str(app.screen.query_one("#case", Static).render())
        assert "speakers: Interviewer (interviewer, 2 turns), Ruth Adebayo (respondent, 2 turns)" in case
        await pilot.press("down")  # the detail follows the highlighted transcript
        await pilot.pause()
        case = str(app.screen.query_one("#case", Static).render())
        assert "Renée Côté (respondent, 2 turns)" in case and "Ruth" not in case


async def test_coding_screen_title_and_status_line_show_roles_and_turns(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await opened(app, pilot, "int-1")
        title = str(screen.query_one("#title").render())
        assert "Interviewer (interviewer, 2), Ruth Adebayo (respondent, 2)" in title
        await pilot.resize_terminal(80, 24)  # no room: the title leaves the list out rather than cut it
        await pilot.pause()
        assert "Interviewer" not in str(screen.query_one("#title").render())
        screen.view.move_cursor(span_of(study, "int-1", "The outcomes")[0])
        await pilot.pause()
        status = str(screen.query_one(StatusLine).render())
        assert "turn 4/4 · Ruth Adebayo (respondent, 2 turns)" in status


async def test_rst_hearing_shows_no_markup_and_codings_cover_the_words_shown(tmp_path):
    project = make_project(tmp_path, transcripts=(HEARING,), cases=False)  # read as Markdown/reST by content
    try:
        tid = next(iter(project.index)).id
        app = make_app(project, "ann")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await opened(app, pilot, tid)
            lines = shown_lines(screen.view)
            shown = "\n".join(lines)
            assert not [m for m in MARKUP if m in shown], shown
            flat = " ".join(shown.split())
            assert "Counsel Inquiry: Ms Doe, what did the equality hub do in the first weeks?" in flat
            assert "MS JANE DOE (sworn)." in lines and "Questions from Counsel to the Inquiry" in lines
            assert "Ms Jane Doe: We collected the ethnicity data every day. It was hard work," in flat
            assert "Ms Jane Doe: Ministers did, see annex-2." in lines
            width = screen.view.scrollable_content_region.width
            heading = screen.view.painter.line(lines.index("Hearing of 3 March"), width)
            assert all(seg.style.bold for seg in heading if seg.text.strip() and seg.text != "▌ ")  # a heading is bold
            plain = screen.view.painter.line(lines.index("MS JANE DOE (sworn)."), width)
            assert not any(seg.style.bold for seg in plain if seg.text.strip())
            text = project.transcript(tid).text  # the stored text keeps its markup
            assert "**Counsel Inquiry**: Ms Doe" in text and "**hard**" in text and "^^^^" in text

            view = screen.view
            # the arrow keys step over markup: from "hard" one step left is the space before "**hard**"
            hard = span_of(project, tid, "hard")
            view.move_cursor(hard[0])
            await pilot.press("left")
            assert project.transcript(tid).text[view.cursor] == " "
            await pilot.press("right")
            assert view.shown_at(view.cursor) == hard[0]
            # a selection dragged over the markup codes the words shown, never the "**"
            view.select(*span_of(project, tid, "**hard**"))
            await pilot.press("b")
            await settle(app, pilot)
            codings = list(app.desk.codings.for_transcript(tid))
            assert [(c.start, c.end, c.quote) for c in codings] == [(hard[0], hard[1], "hard")]
            # a coding over a whole turn: its quote in the codings panel is shown without markup too
            turn = span_of(project, tid, "**Ms Jane Doe**: We collected the ``ethnicity`` data")
            app.commit(lambda: app.desk.apply(tid, turn[0], turn[1], "theme"))
            await settle(app, pilot)
            panel = screen.query_one(CodingList)
            rows = ["".join(seg.text for seg in panel.row_segments(i, 200)) for i in range(2)]
            assert any("Ms Jane Doe: We collected the ethnicity data" in row for row in rows), rows
            assert not any("*" in row or "`" in row for row in rows), rows
            found, _ = gather(project, {"theme"}, list(app.desk.codings), "ann")  # retrieval (ctrl+r) too
            # the words said, without the speaker's label (named apart), as `table retrieve` gives them
            assert [(r.text, r.speaker) for r in found] == [("We collected the ethnicity data", "Ms Jane Doe")]
            # t selects a turn's words after its label (the label's "**" are not part of it)
            view.move_cursor(span_of(project, tid, "Who read")[0])
            await pilot.press("t")
            sel = view.selection
            assert project.transcript(tid).text[sel.start:sel.end] == "Who read it?"
            # search finds what is shown, across the hidden "**"
            await pilot.press("escape", "slash", *"inquiry: who read", "enter")
            await pilot.pause()
            sel = view.selection
            assert project.transcript(tid).text[sel.start:sel.end] == "Inquiry**: Who read"
    finally:
        project.close()


def test_wrap_gives_hidden_markup_no_cells():
    text = "**Ms Doe**: It was **hard** work, and we published it every single day."
    hidden = hidden_spans(text)
    wrap = Wrap(text, [0], 30, hidden)
    markup = {k for a, b in hidden for k in range(a, b)}
    drawn = ["".join(text[k] for k in range(wrap.starts[i], wrap.end(i)) if k not in markup) for i in range(len(wrap))]
    assert "".join(drawn) == shown_text(text, hidden) == "Ms Doe: It was hard work, and we published it every single day."
    assert all(len(line.rstrip()) <= 30 for line in drawn)
    assert wrap.offset_at(0, 0) == 2  # the first cell is the "M", not the "**"
    assert wrap.x_of(text.index(":")) == (0, len("Ms Doe"))


def test_plain_text_keeps_its_asterisks_and_underscores():
    for text in ("5 * 3 = 15 and 2 * 4", "snake_case_name and file_name_2", "**", "a * b * c"):
        assert shown_text(text, hidden_spans(text)) == text


@pytest.mark.skipif(not REAL.is_dir(), reason=f"the real transcripts are not at {REAL}")
async def test_real_inquiry_hearing_in_rst_shows_no_markup(tmp_path):
    real = sorted(REAL.glob("05_*"))
    if not real:
        pytest.skip(f"no 05_* reStructuredText hearing in {REAL}")
    project = make_project(tmp_path, transcripts=(real[0].read_text(encoding="utf-8"),), cases=False)
    try:
        tid = next(iter(project.index)).id
        text = project.transcript(tid).text
        app = make_app(project, "ann")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await opened(app, pilot, tid)
            shown = "\n".join(shown_lines(screen.view))
            assert "**" not in shown and "^^^^" not in shown and "-----" not in shown
            assert "Ms Blackwell: Mr Bell, may I begin" in shown and "MR MARCUS BELL (affirmed)." in shown
            # every character of the canonical text is drawn or is markup: no word is lost
            assert shown.split() == shown_text(text, screen.view.hidden).split()
            assert text.count("**") >= 2 * len(project.transcript(tid).turns)  # stored text unchanged
    finally:
        project.close()


def test_wrap_and_cursor_over_markup_on_many_made_up_lines():
    """Random mixes of markup, wide characters, long words and plain asterisks: every shown character
    is drawn once, in order, no visual line is wider than the view, and the right arrow visits each
    shown character once (the markup never)."""
    import random

    from qualcode.domain.offsets import LineIndex
    from qualcode.tui.layout import cells
    from qualcode.tui.widgets.transcript_view import TranscriptView

    class Stepper:
        step, shown_at = TranscriptView.step, TranscriptView.shown_at

    rng = random.Random(15)
    atoms = ["**Ms Doe**:", "word", "*emph*", "``lit``", ":ref:`x`", "`Link`_", "[t](http://x.y/z)", "é", "😀",
             "snake_case", "5 * 3", "\n", "\n\n", "\n=====\n", "## ", "a" * 30, "**", "*", "_"]
    for _ in range(300):
        text = " ".join(rng.choice(atoms) for _ in range(rng.randint(1, 30)))
        hidden = hidden_spans(text)
        width = rng.randint(4, 30)
        wrap = Wrap(text, LineIndex(text).starts, width, hidden)
        markup = {k for a, b in hidden for k in range(a, b)}
        drawn = ["".join(text[k] for k in range(wrap.starts[i], wrap.end(i)) if k not in markup)
                 for i in range(len(wrap))]
        assert all(cells(line.rstrip()) <= width for line in drawn), (text, width)
        assert "".join(drawn) == shown_text(text, hidden).replace("\n", ""), (text, width)
        view = Stepper()
        view.wrap, view.hidden = wrap, hidden
        visited, pos = [], 0
        while view.shown_at(pos) < len(text):
            visited.append(view.shown_at(pos))
            pos = view.step(pos, 1)
        assert visited == [k for k in range(len(text)) if k not in markup], text
