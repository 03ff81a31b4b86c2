"""The agreement screen on a minimal host App: table, disagreements, passage view, adjudication."""

from __future__ import annotations

import json

import pytest
from textual.app import App
from textual.widgets import DataTable, Static

from qualcode.tui.screens.agreement import AgreementScreen


@pytest.fixture
def two_coders(project):
    """The small project with ann and ben coding int-1 differently."""
    t = project.transcript("int-1")
    text = t.text

    def span(quote):
        i = text.index(quote)
        return i, i + len(quote)

    ann, ben = project.session("ann"), project.session("ben")
    ann.add("int-1", *span("We monitor ethnicity on the board"), "theme")        # both, same span
    ben.add("int-1", *span("We monitor ethnicity on the board"), "theme")
    ann.add("int-1", *span("It took us two years to get there"), "theme")        # only ann
    ann.add("int-1", *span("The outcomes matter more than who gets the money."), "theme.sub")
    ben.add("int-1", *span("outcomes matter more than who gets the money. That is what"), "theme.sub")  # boundaries
    ben.add("int-1", *span("I chair the community empowerment network."), "theme.sub")  # only ben
    ann.close()
    ben.close()
    return project


class Host(App):
    def __init__(self, screen):
        super().__init__()
        self.agreement = screen
        self.opened = []

    def on_mount(self):
        self.push_screen(self.agreement)

    def on_agreement_screen_open_at(self, message: AgreementScreen.OpenAt):
        self.opened.append((message.transcript_id, message.start, message.end))


async def _ready(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


def _consensus(project):
    path = project.codings_dir / "consensus.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def test_table_disagreements_passage_and_decisions(two_coders):
    project = two_coders
    screen = AgreementScreen(project, ["ann", "ben"], n_resamples=200)
    app = Host(screen)
    async with app.run_test(size=(140, 40)) as pilot:
        await _ready(app, pilot)
        codes = screen.query_one("#codes", DataTable)
        assert codes.display and codes.row_count == 4  # theme, theme.sub, two overall rows
        assert [str(codes.get_row_at(i)[0]) for i in range(2)] == ["theme", "theme.sub"]
        title = str(screen.query_one("#agreement-title", Static).render())
        assert "sentences" in title and "ann" in title and "ben" in title
        assert ".800" in str(screen.query_one("#agreement-caption", Static).render())

        codes.move_cursor(row=1)  # theme.sub
        await pilot.press("enter")
        await pilot.pause()
        listing = screen.query_one("#disagreements", DataTable)
        assert screen.view == "list" and listing.row_count == 2
        assert {d.kind for d in screen.shown} == {"boundaries", "only ben"}

        await pilot.press("enter")  # the first: ben's network sentence
        await pilot.pause()
        assert screen.view == "passage"
        first = screen.current
        assert first.kind == "only ben"
        who = str(screen.query_one("#passage-who", Static).render())
        assert "ann: did not code it" in who and "ben: coded" in who
        await pilot.press("w")
        await pilot.pause()
        assert app.opened == [("int-1", first.start, first.end)]

        await pilot.press("b")  # take ben's: saved, and the next passage opens
        await pilot.pause()
        lines = _consensus(project)
        assert len(lines) == 1 and lines[0]["op"] == "batch"
        added = lines[0]["ops"][0]["coding"]
        assert (added["s"], added["e"], added["code"]) == (first.start, first.end, "theme.sub")
        second = screen.current
        assert second is not first and second.kind == "boundaries"

        await pilot.press("o")  # both: the union of the two spans
        await pilot.pause()
        codings = project.codings("consensus").for_transcript("int-1")
        spans = sorted((c.start, c.end) for c in codings)
        ann_span = second.of("ann")[0][:2]
        ben_span = second.of("ben")[0][:2]
        assert (min(ann_span[0], ben_span[0]), max(ann_span[1], ben_span[1])) in spans
        assert "consensus" in project.coders()

        await pilot.press("a")  # change of mind: ann's boundaries replace the union
        await pilot.pause()
        spans = sorted((c.start, c.end) for c in project.codings("consensus").for_transcript("int-1")
                       if c.code == "theme.sub")
        assert spans == sorted([(first.start, first.end), ann_span])
        await pilot.press("z")  # undo: the union is back
        await pilot.pause()
        spans = sorted((c.start, c.end) for c in project.codings("consensus").for_transcript("int-1")
                       if c.code == "theme.sub")
        assert (min(ann_span[0], ben_span[0]), max(ann_span[1], ben_span[1])) in spans

        await pilot.press("escape", "escape")
        await pilot.pause()
        assert screen.view == "codes"


async def test_neither_and_adopt_agreements(two_coders):
    project = two_coders
    screen = AgreementScreen(project, ["ann", "ben"], n_resamples=0)
    app = Host(screen)
    async with app.run_test(size=(140, 40)) as pilot:
        await _ready(app, pilot)
        codes = screen.query_one("#codes", DataTable)
        codes.move_cursor(row=0)  # theme: ann alone coded "It took us two years"
        await pilot.press("enter")
        await pilot.pause()
        assert [d.kind for d in screen.shown] == ["only ann"]
        await pilot.press("n")
        await pilot.pause()
        listing = screen.query_one("#disagreements", DataTable)
        assert str(listing.get_row_at(0)[-1]) == "neither"
        (line,) = _consensus(project)  # nothing to remove, but the decision is written at once
        assert line["ops"][0]["op"] == "tset" and line["ops"][0]["value"] == "neither"
        await pilot.press("A")  # copy the passage both coded alike
        await pilot.pause()
        agreed = [c for c in project.codings("consensus").for_transcript("int-1")]
        assert [(c.code, c.quote) for c in agreed] == [("theme", "We monitor ethnicity on the board")]
        assert "Copied 1 passage(s) the coders agree on" in _notices(app)[-1]


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_neither_reads_settled_after_a_restart(two_coders):
    """The tester's data loss: n showed "consensus: neither" but wrote nothing, so after a restart the
    passage was unsettled again."""
    from qualcode.store.project import Project

    screen = AgreementScreen(two_coders, ["ann", "ben"], n_resamples=0)
    async with Host(screen).run_test(size=(140, 40)) as pilot:
        await _ready(screen.app, pilot)
        screen.query_one("#codes", DataTable).move_cursor(row=0)
        await pilot.press("enter", "enter")  # theme's disagreements, then the passage
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
    two_coders.close()
    again = Project.open(two_coders.root)  # a restart
    try:
        screen = AgreementScreen(again, ["ann", "ben"], n_resamples=0)
        async with Host(screen).run_test(size=(140, 40)) as pilot:
            await _ready(screen.app, pilot)
            screen.query_one("#codes", DataTable).move_cursor(row=0)
            await pilot.press("enter", "enter")
            await pilot.pause()
            assert str(screen.query_one("#disagreements", DataTable).get_row_at(0)[-1]) == "neither"
            who = str(screen.query_one("#passage-who", Static).render())
            assert "consensus: neither" in who
    finally:
        again.close()


async def test_adopt_takes_passages_agreed_at_sentence_level(project):
    """The tester's repro: the same sentence coded by both, one span shorter. Agreement at sentence level
    (not listed as a disagreement), so A copies it: the text both coded, and says so."""
    text = project.transcript("int-1").text
    quote = "The outcomes matter more than who gets the money."
    i = text.index(quote)
    ann, ben = project.session("ann"), project.session("ben")
    ann.add("int-1", i, i + len(quote), "theme")
    ben.add("int-1", i, i + len("The outcomes matter more"), "theme")
    ann.close()
    ben.close()
    screen = AgreementScreen(project, ["ann", "ben"], n_resamples=0)
    app = Host(screen)
    async with app.run_test(size=(140, 40)) as pilot:
        await _ready(app, pilot)
        assert screen.disagreements == []
        await pilot.press("A")
        await pilot.pause()
        (c,) = project.codings("consensus").for_transcript("int-1")
        assert c.quote == "The outcomes matter more"
        assert "1 with boundaries drawn differently inside the same unit" in _notices(app)[-1]


async def test_built_without_arguments_reads_the_apps_project(two_coders):
    from types import SimpleNamespace

    screen = AgreementScreen(n_resamples=0)
    app = Host(screen)
    app.desk = SimpleNamespace(project=two_coders)
    two_coders.config.coders = ["ann", "ben"]
    async with app.run_test(size=(140, 40)) as pilot:
        await _ready(app, pilot)
        assert screen.coders == ["ann", "ben"]
        assert screen.report is not None and screen.report.coders == ("ann", "ben")


async def test_unit_cycle_and_errors(project):
    screen = AgreementScreen(project, ["ann", "nobody"], n_resamples=0)
    app = Host(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(app, pilot)
        caption = str(screen.query_one("#agreement-caption", Static).render())
        assert "no coder 'ann'" in caption


async def test_unit_change_recomputes(two_coders):
    screen = AgreementScreen(two_coders, ["ann", "ben"], n_resamples=0)
    app = Host(screen)
    async with app.run_test(size=(140, 40)) as pilot:
        await _ready(app, pilot)
        await pilot.press("u")
        await _ready(app, pilot)
        assert screen.report.unit == "turn"
        await pilot.press("u")
        await _ready(app, pilot)
        assert screen.report.unit == "char"
        assert "characters" in str(screen.query_one("#agreement-title", Static).render())
