"""One row per passage the researcher would code: the engine's windows of one long sentence, both
coded as the whole sentence, are one row (the best score, both reasons; the detail names the
engine's passages); once a passage is coded every row it covers for that code leaves the list, and
``a`` never meets "already coded" on a row the panel still shows. (The tester's report: transcript
05, two identical "0.08 Privacy But after an initial phase…" rows, the second "Not saved".)"""

from __future__ import annotations

from textual.widgets import DataTable, Static

from qualcode.suggest import rejections
from qualcode.suggest.suggestion import Suggestion, overlaps_enough
from qualcode.tui.app import Settings, make_app
from qualcode.tui.screens.suggestions import SuggestionsScreen, accept_span
from tui_helpers import journal, make_project, notes, settle

SENTENCE = ("But after an initial phase focused on data the unit grew a policy function on top, because if you "
            "publish data about disparities people ask what you are going to do about them, and so the unit "
            "became both a policy and a data function.")
TALK = f"""---
id: p5
title: An inquiry hearing
speakers:
  Counsel: interviewer
  Witness: respondent
---
Counsel: How did the unit change?

Witness: {SENTENCE} It moved later. Then it moved again to another department entirely.
"""


class Windows:
    """As the engine makes them: two windows of one long sentence (for "theme", and for "barrier"),
    a short sentence, and two sentences together; what the coder coded or rejected is left out (by
    the engine's overlap rule)."""

    def __init__(self, project, coder):
        self.project = project

    def suggest(self, transcript, codes=None):
        text = transcript.text
        s0 = text.index(SENTENCE)
        cut = text.index("people ask")
        s1 = s0 + len(SENTENCE)
        m0 = text.index("It moved later.")
        m1 = m0 + len("It moved later.")
        m2 = text.index("department entirely.") + len("department entirely.")
        every = [
            Suggestion(transcript.id, s0, cut - 1, "theme", 0.0813, ("rules",), ("matches 'initial phase'",),
                       suggested=False),
            Suggestion(transcript.id, cut, s1, "theme", 0.0802, ("learned",), ("learned from your codings: 'policy'",),
                       suggested=False),
            Suggestion(transcript.id, s0, cut - 1, "barrier", 0.05, ("rules",), ("matches 'data'",), suggested=False),
            Suggestion(transcript.id, cut, s1, "barrier", 0.04, ("rules",), ("matches 'data'",), suggested=False),
            Suggestion(transcript.id, m0, m1, "outcome", 0.7, ("rules",), ("matches 'moved'",)),
            Suggestion(transcript.id, m0, m2, "outcome", 0.6, ("learned",), ("learned from your codings: 'moved'",)),
        ]
        done = [(c.start, c.end, c.code) for c in self.project.codings("ann")]
        done += [(r.start, r.end, r.code) for r in rejections.load(self.project.codings_dir, "ann")[0]]
        return [s for s in every if not any(code == s.code and overlaps_enough(a, b, s.start, s.end)
                                            for a, b, code in done)]


async def open_panel(app, pilot, tid="p5"):
    await settle(app, pilot)
    app.open_transcript(tid)
    await pilot.pause()
    await pilot.press("S")
    await settle(app, pilot)
    assert isinstance(app.screen, SuggestionsScreen)
    return app.screen.panel


def rows(table: DataTable) -> list[tuple[str, ...]]:
    """What the list shows, row by row (score, code, passage)."""
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def detail(panel) -> str:
    return str(panel.query_one("#suggest-detail", Static).render())


async def pick(pilot, panel, code: str, passage_start: str) -> None:
    """Put the cursor on the row of ``code`` whose passage starts with ``passage_start``."""
    for i, s in enumerate(panel.shown):
        if s.code == code and panel.passage(s).startswith(passage_start):
            panel.table.move_cursor(row=i)
            await pilot.pause()
            return
    raise AssertionError(f"no {code} row starting {passage_start!r}: {rows(panel.table)}")


def sentence_span(project):
    text = project.transcript("p5").text
    return text.index(SENTENCE), text.index(SENTENCE) + len(SENTENCE)


def test_both_windows_are_coded_as_the_whole_sentence(tmp_path):
    project = make_project(tmp_path, transcripts=(TALK,), cases=False)
    t = project.transcript("p5")
    first, second = Windows(project, "ann").suggest(t)[:2]
    assert accept_span(t, first) == accept_span(t, second) == sentence_span(project)
    project.close()


async def test_two_windows_of_one_sentence_are_one_row_with_the_best_score_and_both_reasons(tmp_path):
    project = make_project(tmp_path, transcripts=(TALK,), cases=False)
    app = make_app(project, "ann", Settings(suggester=Windows))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(app, pilot)
        shown = rows(panel.table)
        assert len(shown) == len(set(shown)), shown  # no two rows alike
        theme = [r for r in shown if r[1] == "A first theme"]
        assert len(theme) == 1 and theme[0][0] == "0.08" and theme[0][2].startswith("But after an initial")
        assert len([r for r in shown if r[1] == "Barriers"]) == 1  # the same sentence for another code: its own row
        await pick(pilot, panel, "theme", "But after")
        start, end = sentence_span(project)
        said = detail(panel)
        assert f"{start}-{end}" in said
        assert "• matches 'initial phase'" in said and "• learned from your codings: 'policy'" in said
        text = project.transcript("p5").text
        cut = text.index("people ask")
        assert (f"the engine scored 2 passages here ({start}-{cut - 1} and {cut}-{end}, as qualcode suggest "
                f"lists them); a codes them once, as one passage: {start}-{end}") in " ".join(said.split())
    project.close()


async def test_accepting_the_row_codes_the_sentence_once_and_nothing_is_left_to_say_already_coded(tmp_path):
    project = make_project(tmp_path, transcripts=(TALK,), cases=False)
    app = make_app(project, "ann", Settings(suggester=Windows))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        panel = await open_panel(app, pilot)
        await pick(pilot, panel, "theme", "But after")
        await pilot.press("a")
        await settle(app, pilot)
        added = [(r["coding"]["s"], r["coding"]["e"], r["coding"]["code"]) for r in journal(project, "ann")]
        assert added == [(*sentence_span(project), "theme")]
        assert not [r for r in rows(panel.table) if r[1] == "A first theme"]
        # every row still shown can be accepted: none says "Not saved … already coded"
        while panel.shown:
            await pilot.press("a")
            await settle(app, pilot)
        assert not [n for n in notes(app) if "already coded" in n or "nothing saved" in n], notes(app)
        codings = [(r["coding"]["s"], r["coding"]["e"], r["coding"]["code"]) for r in journal(project, "ann")]
        assert len(codings) == len(set(codings))
    project.close()


async def test_once_two_sentences_are_coded_the_row_of_one_of_them_leaves_the_list(tmp_path):
    project = make_project(tmp_path, transcripts=(TALK,), cases=False)
    app = make_app(project, "ann", Settings(suggester=Windows))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        panel = await open_panel(app, pilot)
        await pick(pilot, panel, "outcome", "It moved later. Then")
        await pilot.press("a")
        await settle(app, pilot)
        assert not [r for r in rows(panel.table) if r[1] == "Outcomes"], rows(panel.table)  # "It moved later." too
        await pilot.press("u")  # taken back: both rows are back
        await settle(app, pilot)
        assert len([r for r in rows(panel.table) if r[1] == "Outcomes"]) == 2
        await pick(pilot, panel, "outcome", "It moved later. Then")
        said = " ".join(detail(panel).split())
        assert "the engine scored" not in said  # what a codes is what the engine scored: nothing to explain
    project.close()


class OneWindow(Windows):
    """The second window of the long sentence alone (the first was coded or rejected)."""

    def suggest(self, transcript, codes=None):
        return [s for s in super().suggest(transcript, codes) if s.code == "theme"][1:]


async def test_a_window_widened_to_its_sentence_says_what_the_engine_scored(tmp_path):
    project = make_project(tmp_path, transcripts=(TALK,), cases=False)
    app = make_app(project, "ann", Settings(suggester=OneWindow))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(app, pilot)
        text = project.transcript("p5").text
        cut = text.index("people ask")
        start, end = sentence_span(project)
        assert rows(panel.table)[0][2].startswith("But after an initial")  # the row shows what a codes
        said = " ".join(detail(panel).split())
        assert f"A first theme · turn 2, {start}-{end}" in said
        assert (f"the engine scored {cut}-{end} (as qualcode suggest lists it); a codes it as whole words and "
                f"sentences: {start}-{end}") in said
    project.close()


async def test_rejecting_the_row_rejects_both_windows_and_u_takes_both_back(tmp_path):
    project = make_project(tmp_path, transcripts=(TALK,), cases=False)
    app = make_app(project, "ann", Settings(suggester=Windows))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        panel = await open_panel(app, pilot)
        await pick(pilot, panel, "theme", "But after")
        await pilot.press("r")
        await settle(app, pilot)
        rejected = rejections.load(project.codings_dir, "ann")[0]
        assert sorted((r.start, r.end, r.code) for r in rejected) == sorted(
            (s.start, s.end, "theme") for s in Windows(project, "ann").suggest(project.transcript("p5"))
            if s.code == "barrier")  # the engine's two windows, as the engine scored them
        assert not [r for r in rows(panel.table) if r[1] == "A first theme"]
        await pilot.press("u")
        await settle(app, pilot)
        assert rejections.load(project.codings_dir, "ann")[0] == []
        assert len([r for r in rows(panel.table) if r[1] == "A first theme"]) == 1
        assert any(n.startswith("Taken back: rejected A first theme") for n in notes(app))
    project.close()
