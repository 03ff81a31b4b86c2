"""Project home, switching coder, codebook editing, retrieval, the key sheet and the command palette."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select, Static, TextArea

from qualcode.formats.codebook_yaml import load_codebook
from qualcode.store.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen, NameDialog
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.dialogs import CoderDialog
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.picker import CodePicker
from qualcode.tui.screens.retrieval import RetrievalScreen, SegmentList
from qualcode.tui.widgets.status import StatusLine
from tui_helpers import journal, settle, span_of


def seed(project):
    """ann codes int-1 twice, ben codes int-1 and int-2 once each."""
    ann, ben = project.session("ann"), project.session("ben")
    ann.add("int-1", *span_of(project, "int-1", "We monitor ethnicity on the board"), "theme")
    ann.add("int-1", *span_of(project, "int-1", "The outcomes matter"), "outcome")
    ben.add("int-1", *span_of(project, "int-1", "We monitor ethnicity"), "theme.sub")
    ben.add("int-2", *span_of(project, "int-2", "Not at first."), "theme")
    ann.close()
    ben.close()


def home_row(table, tid) -> dict[str, str]:
    """The home table's row for ``tid`` by column key (the columns shown depend on the width)."""
    return {col.key.value: str(cell) for col, cell in zip(table.ordered_columns, table.get_row(tid))}


async def test_home_shows_transcripts_codings_cases_codebook_and_coder(study):
    seed(study)
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#transcripts", DataTable)
        assert table.row_count == 2
        row = home_row(table, "int-1")
        entry = study.index.get("int-1")
        assert row["id"] == "int-1" and row["title"] == "A short interview"
        assert row["words"] == str(entry.words) and row["turns"] == str(entry.turns)
        assert row["mine"] == "2" and row["status"] == "◐ in progress"  # my codings
        covered = len("We monitor ethnicity on the board") + len("The outcomes matter")
        assert row["share"] == f"{100 * covered / entry.chars:.0f}%"
        assert row["others"] == "ben (1)"
        row = home_row(table, "int-2")
        assert (row["status"], row["mine"], row["share"], row["others"]) == ("· not started", "0", "0%", "ben (1)")
        case = str(home.query_one("#case", Static).render())
        assert "Case A" in case and "region: North" in case
        assert "coding as ann" in str(home.query_one(StatusLine).render())
        heading = str(home.query_one("#codebook-heading").render())
        assert "4 codes" in heading and "2 levels" in heading


async def test_switch_coder_releases_the_journal_and_updates_the_views(study):
    seed(study)
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-2")
        await pilot.pause()
        app.screen.view.select(*span_of(study, "int-2", "Later, yes."))
        await pilot.press("o")  # ann's change: the status line says it is saved
        await pilot.pause()
        assert "saved (journal line 3)" in str(app.screen.query_one(StatusLine).render())
        app.go_home()
        await pilot.pause()
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, CoderDialog)
        app.screen.query_one(Input).focus()
        await pilot.press(*"ben", "enter")
        await settle(app, pilot)
        assert app.desk.coder == "ben" and app.desk.session is not None
        status = str(app.screen.query_one(StatusLine).render())  # not ann's last change under ben's name
        assert "coding as ben" in status and "all saved" in status and "journal line" not in status
        table = app.screen.query_one("#transcripts", DataTable)
        assert home_row(table, "int-1")["mine"] == "1"
        assert home_row(table, "int-1")["others"] == "ann (2)"
        other = Project.open(study.root)
        try:
            other.session("ann").close()  # ann's lock was let go
        finally:
            other.close()
        app.open_transcript("int-2")
        await pilot.pause()
        app.screen.view.select(*span_of(study, "int-2", "Later, yes."))
        await pilot.press("o")
        await pilot.pause()
        assert journal(study, "ben")[-1]["coding"]["code"] == "outcome"
        assert len(journal(study, "ann")) == 3


async def test_codebook_editing_saves_at_once_and_never_writes_a_broken_file(study):
    app = make_app(study, "ann")
    path = study.codebook_path
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodebookScreen) and screen.code_id == "theme"
        untouched = path.read_bytes()
        await pilot.press("down", "down", "up", "up")  # browsing writes nothing
        await pilot.pause()
        assert path.read_bytes() == untouched and screen.code_id == "theme"
        # rename, definition, keywords, colour, shortcut
        screen.query_one("#name", Input).value = "First theme"
        screen.query_one("#definition", TextArea).text = "What the first theme covers."
        screen.query_one("#keywords", Input).value = "board, forum"
        screen.query_one("#colour", Input).value = "#112233"
        screen.query_one("#shortcut", Input).value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        book = load_codebook(path)
        code = book.get("theme")
        assert (code.name, code.definition, code.keywords, code.colour, code.shortcut) == \
            ("First theme", "What the first theme covers.", ["board", "forum"], "#112233", "3")
        assert app.desk.codebook.get("theme").shortcut == "3"
        # leaving a code saves its edits
        screen.query_one("#name", Input).value = "The first theme"
        screen.query_one("#tree").focus()
        await pilot.press("down")
        await pilot.pause()
        assert load_codebook(path).get("theme").name == "The first theme" and screen.code_id == "theme.sub"
        await pilot.press("up")
        await pilot.pause()
        # a new code beside, then a child under it
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        await pilot.press(*"Trust", "enter")
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press(*"Low trust", "enter")
        await pilot.pause()
        book = load_codebook(path)
        assert book.get("trust").parent is None and book.get("trust.low_trust").parent == "trust"
        # move: a new parent, then up among siblings
        screen.query_one("#parent", Select).value = "barrier"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_codebook(path).get("trust.low_trust").parent == "barrier"
        screen.query_one("#tree").select_code("outcome")
        await pilot.pause()
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert [c.id for c in load_codebook(path).roots] == ["theme", "trust", "outcome", "barrier"]
        # invalid: a reserved key and a bad colour are refused, the file is untouched
        before = path.read_bytes()
        screen.query_one("#shortcut", Input).value = "q"
        screen.query_one("#colour", Input).value = "red"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_bytes() == before
        problems = str(screen.query_one("#problems", Static).render())
        assert "reserved" in problems and "#RRGGBB" in problems
        # Esc with changes that cannot be saved keeps the editor open; a second Esc leaves without them
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and path.read_bytes() == before
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen and path.read_bytes() == before
        # Esc saves a valid edit, as moving to another code does
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Theme, renamed on the way out"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CodebookScreen)
        assert load_codebook(path).get("theme").name == "Theme, renamed on the way out"
        # the coding screen uses the new key
        app.open_transcript("int-1")
        await pilot.pause()
        app.screen.view.select(*span_of(study, "int-1", "We monitor"))
        await pilot.press("3")
        await pilot.pause()
        assert [c.code for c in app.desk.codings] == ["theme"]


async def test_retrieval_lists_every_coder_and_enter_opens_in_place(study):
    seed(study)
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"first theme", "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        rows = screen.query_one(SegmentList).rows
        got = [(r.coding.transcript, r.coding.coder, r.coding.code, r.speaker) for r in rows]
        assert got == [("int-1", "ben", "theme.sub", "Ruth Adebayo"), ("int-1", "ann", "theme", "Ruth Adebayo"),
                       ("int-2", "ben", "theme", "Renée Côté")]  # text order; sub-codes included
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        coding = app.screen
        assert isinstance(coding, CodingScreen) and coding.tid == "int-2"
        assert coding.view.selection == span_of(study, "int-2", "Not at first.")


async def test_key_sheet_and_command_palette(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)  # the key sheet: test_discoverability.py
        # the palette: open a transcript by name
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open transcript: int-2")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CodingScreen) and app.screen.tid == "int-2"
        # on the coding screen the palette applies codes by name
        from qualcode.tui.commands import WorkbenchCommands

        titles = [t for t, *_ in WorkbenchCommands(app.screen)._commands()]
        titles += [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Agreement between coders") == 1  # once, not as a keyed and a system command
        assert "Apply code: A first theme / A sub-theme [2]" in titles
        assert "Retrieve: Barriers" in titles and "Open transcript: int-1 · A short interview" in titles
        app.screen.view.select(*span_of(study, "int-2", "Later, yes."))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Apply code: Outcomes")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert [c.code for c in app.desk.codings] == ["outcome"]


async def test_every_registered_screen_opens_with_its_one_key(study):
    from qualcode.tui.registry import SCREENS

    seed(study)
    app = make_app(study, "ann")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        for entry in SCREENS:
            await pilot.press(entry.key)
            await settle(app, pilot)
            opened = type(app.screen)
            assert opened is entry.load() or opened is CodePicker, entry.name  # retrieval asks for a code first
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, HomeScreen), entry.name


async def test_screens_that_save_or_show_codings_go_through_the_app(study):
    from qualcode.tui.messages import OpenAt
    from qualcode.tui.screens.suggestions import SuggestionsPanel

    app = make_app(study, "ann")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        span = span_of(study, "int-1", "The outcomes matter")
        app.post_message(OpenAt("int-1", *span))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.view.selection == span
        coding = app.desk.session.add("int-1", *span, "outcome")  # what the suggestions panel does on "a"
        app.post_message(SuggestionsPanel.Accepted(coding))
        await pilot.pause()
        assert [s.code for s in screen.index.at(span[0])] == ["outcome"]
        assert app.desk.counts["outcome"] == 1 and app.desk.rows["int-1"].mine == 1


def test_retrieval_tells_coders_apart_whose_names_differ_only_at_the_end():
    from qualcode.tui.screens.retrieval import middle_cut

    a, b = middle_cut("researcher_a", 11), middle_cut("researcher_b", 11)
    assert a != b and len(a) == 11 and a.endswith("_a") and b.endswith("_b")
    assert middle_cut("ann", 11) == "ann"


async def test_titles_that_differ_only_at_their_end_stay_apart_on_a_narrow_home(study, tmp_path):
    """Seven PDPilot interviews titled "PDPilot user study: interview with participant P1" ... "P7" all
    read "PDPilot user st…" at 80 columns: such titles are cut in the middle, so their ends show."""
    from qualcode.services.project_ops import import_transcripts

    files = []
    for n in (1, 2, 3):
        f = tmp_path / f"p{n}.txt"
        f.write_text(f"---\ntitle: A user study of the plotting tool, interview with participant P{n}\n---\n"
                     f"Interviewer: What do you use?\n\nAnn: Plots, mostly, number {n}.\n", encoding="utf-8")
        files.append(f)
    import_transcripts(study, files)
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#transcripts", DataTable)
        titles = [home_row(table, f"p{n}")["title"] for n in (1, 2, 3)]
        assert all("…" in t for t in titles)  # cut: they do not fit
        assert len(set(titles)) == 3 and [t[-2:] for t in titles] == ["P1", "P2", "P3"]
        short = home_row(table, "int-1")["title"]  # a title alone in its start is cut at its end
        assert "A short interview".startswith(short.rstrip("…"))
