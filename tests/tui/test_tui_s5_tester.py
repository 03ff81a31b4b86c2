"""An outside tester's findings (session 5), as a researcher sees them at 80x24 and 120x40: undo reaching
into a transcript not on screen, a title and a key bar cut at 80 columns, notices covering dialogs, no
key to move by speaker turn, "0%" for a coded transcript, a speaker list cut without a sign, and the
status line naming the journal line two ways."""

from __future__ import annotations

import html
import re

import pytest
from textual.widgets import DataTable
from textual.widgets._toast import Toast

from qualcode.errors import QualcodeError
from qualcode.tui.app import make_app
from qualcode.tui.commands import WorkbenchCommands
from qualcode.tui.keys import sheet as keys_sheet
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.dialogs import CoderDialog
from qualcode.tui.screens.home import coded_share
from qualcode.tui.screens.keysheet import KeySheet
from qualcode.tui.widgets.status import StatusLine
from tui_helpers import INTERVIEW, make_project, settle, span_of, until

LONG_ID = "05_uk-covid-inquiry_m1_2023-07-13_marcus-bell_equality-hub"


def rows(app) -> list[str]:
    """The screen's rows as the researcher sees them (from an SVG screenshot)."""
    svg = app.export_screenshot()
    by_y: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        by_y.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return ["".join(t for _, t in sorted(parts)).replace("\xa0", " ") for _, parts in sorted(by_y.items())]


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_at(app, pilot, tid: str) -> CodingScreen:
    app.open_transcript(tid)
    await pilot.pause()
    assert isinstance(app.screen, CodingScreen)
    return app.screen


async def code_in_int1(app, pilot, study) -> CodingScreen:
    """Open int-1 and code "We monitor ethnicity on the board" with Barriers (key b)."""
    screen = await open_at(app, pilot, "int-1")
    screen.view.select(*span_of(study, "int-1", "We monitor ethnicity on the board"))
    await pilot.press("b")
    return screen


# -- 1. undo of a change in a transcript not on screen -------------------------------------------------
async def test_undo_of_a_change_in_another_transcript_asks_first_then_a_second_u_does_it(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        screen = await code_in_int1(app, pilot, study)
        await pilot.pause()
        assert len(app.desk.codings.for_transcript("int-1")) == 1
        screen = await open_at(app, pilot, "int-2")
        screen.CONFIRM_SECONDS = 600.0  # a busy machine never makes the second press "too late" here
        await pilot.press("u")
        await pilot.pause()
        # not undone: asked, naming the change and where it is
        assert len(app.desk.codings.for_transcript("int-1")) == 1
        [ask] = [n for n in notices(app) if "another transcript" in n]
        assert "coded Barriers in int-1" in ask and "We monitor" in ask and "Press u again to undo it" in ask
        assert "Press u again" in " ".join(rows(app))
        await pilot.press("u")
        await pilot.pause()
        assert app.desk.codings.for_transcript("int-1") == []
        assert not any("Press u again" in n for n in notices(app))  # the question is taken down
        assert "undone: coded Barriers in int-1" in app.desk.last_saved
        # redo likewise: U names it, U again brings it back
        await pilot.press("U")
        await pilot.pause()
        assert app.desk.codings.for_transcript("int-1") == []
        assert any("Press U again to redo it" in n for n in notices(app))
        await pilot.press("U")
        await pilot.pause()
        assert len(app.desk.codings.for_transcript("int-1")) == 1


async def test_a_second_u_too_late_asks_again_and_undo_here_stays_one_key(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        screen = await code_in_int1(app, pilot, study)
        screen = await open_at(app, pilot, "int-2")
        screen.CONFIRM_SECONDS = 0.0  # every second press comes "too late"
        await pilot.press("u", "u")
        await pilot.pause()
        assert len(app.desk.codings.for_transcript("int-1")) == 1
        screen.CONFIRM_SECONDS = 5.0
        # a change in the open transcript: one key, as before
        screen.view.select(*span_of(study, "int-2", "Not at first"))
        await pilot.press("o")
        await pilot.pause()
        assert len(app.desk.codings.for_transcript("int-2")) == 1
        await pilot.press("u")
        await pilot.pause()
        assert app.desk.codings.for_transcript("int-2") == []
        assert len(app.desk.codings.for_transcript("int-1")) == 1


# -- 2. the title line and the key bar at 80 columns -------------------------------------------------
@pytest.fixture
def long_study(tmp_path):
    proj = make_project(tmp_path, transcripts=(INTERVIEW.replace("id: int-1", f"id: {LONG_ID}"),), cases=False)
    yield proj
    proj.close()


async def test_at_80_columns_the_title_keeps_title_turns_and_words_and_the_key_bar_its_main_keys(long_study):
    app = make_app(long_study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "ctrl+p actions" in rows(app)[0] or "^p actions" in rows(app)[0]  # the home's hint whole
        await open_at(app, pilot, LONG_ID)
        seen = rows(app)
        title = seen[1]
        assert "05_uk-" in title and "…" in title and "hub · " in title  # the id cut in its middle
        assert "A short interview · 4 turns" in title and "words" in title
        bar = seen[-1]
        for key in ("c Code…", "x Remove", "u Undo", "/ Search", "S Suggest", "esc Back", "q Quit", "? Keys",
                    "^p palette"):
            assert key in bar, (key, bar)
        await pilot.press("question_mark")  # the key sheet still lists the keys the bar leaves out
        await pilot.pause()
        assert isinstance(app.screen, KeySheet)
        coding = dict(keys_sheet())["Coding"]
        assert ("s", "select the sentence at the cursor") in coding and ("p", "previous coding") in coding


async def test_at_120_columns_the_key_bar_shows_every_key(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_at(app, pilot, "int-1")
        bar = rows(app)[-1]
        for key in ("s Sentence", "t Turn", "n Next", "p Prev", "u Undo", "/ Search", "esc Back", "q Quit", "? Keys"):
            assert key in bar, (key, bar)


# -- 3. notices at 80x24 ----------------------------------------------------------------------------
async def test_a_dialog_opening_takes_down_notices_read_already_and_saved_notices_do_not_pile_up(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        screen = await code_in_int1(app, pilot, study)
        screen.view.move_cursor(span_of(study, "int-1", "We monitor")[0] + 1)
        app.SAVED_NARROW = app.ERROR_SEEN = 600.0  # a busy machine never lets a notice expire mid-test
        await pilot.press("x", "u", "u", "U", "u")
        await pilot.pause()
        assert len([n for n in app._notifications if n.title == "Saved"]) == 1  # the latest, not a pile
        toast = app.screen.query(Toast).first()
        assert toast.styles.padding.top == 0  # no blank line above and below the text at 80 columns
        app.report(QualcodeError("a long error " * 12, hint="what to do about it"))
        await pilot.pause()
        [error] = [n for n in app._notifications if n.severity == "error"]
        error.raised_at -= app.ERROR_SEEN  # up long enough to have been read (600 s here)
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, CoderDialog))
        assert app._notifications == [] or not any(n.severity == "error" for n in app._notifications)
        assert not any(n.title == "Saved" for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        app.report(QualcodeError("just raised"))  # an error not yet read stays over the dialog
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, CoderDialog))
        assert any("just raised" in n for n in notices(app))


async def test_at_120_columns_notices_keep_their_padding(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify("hello")
        await pilot.pause()
        assert app.screen.query(Toast).first().styles.padding.top == 1


# -- 4. moving by speaker turn ------------------------------------------------------------------------
async def test_turn_keys_move_the_cursor_by_speaker_turn_and_are_in_the_key_sheet_and_palette(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        screen = await open_at(app, pilot, "int-1")
        turns = screen.transcript.turns
        screen.view.move_cursor(turns[0].text_start)
        await pilot.press("right_curly_bracket")
        await pilot.pause()
        assert screen.view.cursor == turns[1].text_start
        assert "turn 2/4" in str(screen.query_one(StatusLine).render())
        await pilot.press("ctrl+down")
        assert screen.view.cursor == turns[2].text_start
        screen.view.move_cursor(turns[2].text_start + 5)  # inside a turn: back to its start, then the one before
        await pilot.press("left_curly_bracket")
        assert screen.view.cursor == turns[2].text_start
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert screen.view.cursor == turns[1].text_start
        assert "turn 2/4" in str(screen.query_one(StatusLine).render())
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")
        await pilot.pause()
        assert screen.view.cursor == turns[3].text_start
        assert any("No more turns" in n for n in notices(app))
        palette = {title: help_text for title, _, help_text in WorkbenchCommands(app.screen).keyed()}
        assert any("next speaker turn" in t.lower() and "}" in palette[t] for t in palette)
        assert any("previous speaker turn" in t.lower() and "{" in palette[t] for t in palette)
        await pilot.press("question_mark")
        await pilot.pause()
        sheet = app.screen
        assert isinstance(sheet, KeySheet)
        coding = dict(keys_sheet())["Coding"]
        assert any(key == "} / ctrl+↓" and "next speaker turn" in what for key, what in coding)
        assert any(key == "{ / ctrl+↑" and "previous speaker turn" in what for key, what in coding)


# -- 5. the Coded column --------------------------------------------------------------------------------
def test_coded_share_says_under_one_per_cent_for_any_coding():
    assert coded_share(0, 1000) == "0%"
    assert coded_share(5, 1000) == "<1%"
    assert coded_share(1, 100_000) == "<1%"
    assert coded_share(10, 1000) == "1%"
    assert coded_share(995, 1000) == ">99%"
    assert coded_share(1000, 1000) == "100%"
    assert coded_share(3, 0) == "-"


async def test_home_shows_under_one_per_cent_for_a_transcript_with_a_tiny_coding(study):
    s = study.session("ann")
    start, _ = span_of(study, "int-1", "I chair")
    s.add("int-1", start, start + 1, "theme")  # "I": one character of some 400
    study.close()
    app = make_app(study, "ann")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: app.desk.rows.get("int-1") is not None)
        table = app.screen.query_one("#transcripts", DataTable)
        assert str(table.get_cell("int-1", "share")) == "<1%"
        assert str(table.get_cell("int-2", "share")) == "0%"


# -- 6. the speaker list under the home's table -----------------------------------------------------------
NAMES = ["Alice Brown", "Bola Ade", "Carl Miller", "Dina Shah", "Emil Novak", "Fay Green", "Gus Hall",
         "Hana Ito", "Ivan Petrov", "Jo March", "Kemi Bello", "Lars Berg", "Mina Roy", "Nils Holm"]
CROWD = "---\nid: int-9\ntitle: A hearing\nspeakers:\n" + "".join(f"  {n}: respondent\n" for n in NAMES) + "---\n" + "\n\n".join(
    f"{name}: I have something to say about the board, as speaker {i}." for i, name in enumerate(NAMES)) + "\n"


async def test_a_speaker_list_too_long_for_the_pane_ends_with_and_n_more(tmp_path):
    proj = make_project(tmp_path, transcripts=(CROWD,), cases=False)
    try:
        app = make_app(proj, "ann")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.pause()
            seen = "\n".join(rows(app))
            m = re.search(r"… and (\d+) more", seen)
            assert m, seen
            said = str(app.screen.query_one("#case").render())
            shown = [name for name in NAMES if f"{name} (" in said]
            assert len(shown) >= 2 and len(shown) + int(m.group(1)) == len(NAMES)
            assert "no case attributes" in seen  # the line after the speakers still shows
    finally:
        proj.close()


# -- 7. the status line's "journal line" ------------------------------------------------------------------
@pytest.mark.parametrize(("size", "label"),
                         [((80, 24), "(line "), ((100, 30), "(journal line "), ((120, 40), "(journal line ")])
async def test_recode_and_remove_name_the_journal_line_alike(study, size, label):
    app = make_app(study, "ann")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = await open_at(app, pilot, "int-1")

        def status() -> str:
            return str(screen.query_one(StatusLine).render())

        start, end = span_of(study, "int-1", "We monitor ethnicity on the board")
        screen.view.select(start, end)
        await pilot.press("o")
        await pilot.pause()
        [coding] = app.desk.codings.for_transcript("int-1")
        app.commit(lambda: app.desk.recode(coding.id, "theme.sub"))
        await pilot.pause()
        after_recode = status()
        app.commit(lambda: app.desk.remove(coding.id))
        await pilot.pause()
        after_remove = status()
        assert "recoded" in after_recode and "removed" in after_remove
        for said in (after_recode, after_remove):
            assert label in said, said
            if label == "(line ":
                assert "journal line" not in said
