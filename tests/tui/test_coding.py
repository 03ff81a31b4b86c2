"""The coding screen, driven by keys and the mouse; every check reads the journal on disk and the domain."""

from __future__ import annotations

from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.dialogs import Choose, MemoDialog
from qualcode.tui.screens.picker import CodePicker
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.coding_list import CodingList
from qualcode.tui.widgets.status import StatusLine
from qualcode.tui.widgets.transcript_view import GUTTER
from tui_helpers import journal, notes, settle, span_of


async def open_int1(app, pilot, tid="int-1"):
    await settle(app, pilot)
    app.open_transcript(tid)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.tid == tid
    return screen


def turn_span(project, tid, quote):
    t = project.transcript(tid)
    turn = t.turn_at(t.text.index(quote))
    end = turn.end
    while t.text[end - 1].isspace():
        end -= 1
    return turn.text_start, end


async def test_open_from_home_select_turn_and_apply_by_shortcut(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # the first transcript in the home table
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.tid == "int-1"
        start, _ = span_of(study, "int-1", "I chair")
        screen.view.move_cursor(start + 4)
        await pilot.press("t", "1")
        await pilot.pause()
        expected = turn_span(study, "int-1", "I chair")
        records = journal(study, "ann")
        assert [r["op"] for r in records] == ["add"]
        coding = records[0]["coding"]
        assert (coding["t"], coding["s"], coding["e"], coding["code"]) == ("int-1", *expected, "theme")
        assert coding["quote"].startswith("I chair") and coding["quote"].endswith("honestly.")
        # the domain state and the drawn highlight agree with the journal
        [c] = app.desk.codings.for_transcript("int-1")
        assert (c.start, c.end, c.code) == (*expected, "theme")
        assert [s.code for s in screen.index.at(start)] == ["theme"]
        status = str(screen.query_one(StatusLine).render())
        assert "saved" in status and "journal line 1" in status
        assert screen.query_one(CodingList).count == 1


async def test_several_codes_on_one_span_tree_enter_and_picker(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_int1(app, pilot)
        start, end = span_of(study, "int-1", "We monitor ethnicity on the board")
        screen.view.select(start, end)
        await pilot.press("1", "b")  # two shortcuts on the same selection
        tree = screen.query_one(CodeTree)
        tree.focus()
        tree.select_code("outcome")
        await pilot.pause()
        await pilot.press("enter")  # Enter on the codebook tree applies the highlighted code
        await pilot.pause()
        screen.view.focus()
        await pilot.press("c")  # the fuzzy picker
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"sub-th", "enter")
        await pilot.pause()
        await pilot.press("1")  # the same code again on the same span: refused, said so
        await pilot.pause()
        codes = sorted(c.code for c in app.desk.codings.for_transcript("int-1"))
        assert codes == ["barrier", "outcome", "theme", "theme.sub"]
        assert all((r["coding"]["s"], r["coding"]["e"]) == (start, end) for r in journal(study, "ann"))
        assert len(journal(study, "ann")) == 4
        assert len(screen.index.at(start)) == 4
        # the tree counts codings here / in the project
        assert tree.here["barrier"] == 1 and app.desk.counts["barrier"] == 1


async def test_remove_recode_memo_on_the_coding_under_the_cursor(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_int1(app, pilot)
        a = span_of(study, "int-1", "We monitor ethnicity")
        b = span_of(study, "int-1", "The outcomes matter")
        screen.view.select(*a)
        await pilot.press("1")
        screen.view.select(*b)
        await pilot.press("b", "o")
        await pilot.pause()
        # recode the single coding at a
        screen.view.move_cursor(a[0] + 3)
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"barri", "enter")
        await pilot.pause()
        # a memo on it
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*"key quote", "ctrl+s")
        await pilot.pause()
        # remove at b: two codings there, so a choice
        screen.view.move_cursor(b[0] + 2)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Choose)
        await pilot.press("enter")
        await pilot.pause()
        ops = [r["op"] for r in journal(study, "ann")]
        assert ops == ["add", "add", "add", "recode", "memo", "remove"]
        left = {(c.start, c.code, c.memo) for c in app.desk.codings.for_transcript("int-1")}
        assert (a[0], "barrier", "key quote") in left
        assert len(left) == 2
        # nothing under the cursor: said so, nothing written
        screen.view.move_cursor(0)
        await pilot.press("x")
        await pilot.pause()
        assert len(journal(study, "ann")) == 6
        assert any("No coding under the cursor" in n for n in notes(app))


async def test_next_previous_of_one_code_and_codings_panel(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_int1(app, pilot)
        spans = [span_of(study, "int-1", q) for q in ("Could you start", "We monitor", "The outcomes")]
        for (s, e), key in zip(spans, "1b1"):
            screen.view.select(s, e)
            await pilot.press(key)
        screen.view.move_cursor(0)
        await pilot.press("n")
        assert screen.view.selection == (spans[0][0], spans[0][1])
        await pilot.press("n")
        assert screen.view.selection == spans[1]
        await pilot.press("n", "p")
        assert screen.view.selection == spans[1]
        screen.query_one(CodeTree).select_code("theme")
        screen.view.move_cursor(0)
        await pilot.press("N", "N")  # only codings of "theme": the first and the third
        assert screen.view.selection == spans[2]
        await pilot.press("P")
        assert screen.view.selection == spans[0]
        # the codings panel: Enter jumps
        listing = screen.query_one(CodingList)
        listing.focus()
        listing.move_to(1)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.view.selection == spans[1]
        assert app.focused is screen.view


async def test_undo_redo_are_journal_operations(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_int1(app, pilot)
        s, e = span_of(study, "int-1", "We monitor ethnicity")
        screen.view.select(s, e)
        await pilot.press("1", "u")
        await pilot.pause()
        assert len(app.desk.codings) == 0 and len(screen.index) == 0
        await pilot.press("U")
        await pilot.pause()
        assert len(screen.index) == 1
        await pilot.press("u", "ctrl+y")
        await pilot.pause()
        assert [r["op"] for r in journal(study, "ann")] == ["add", "undo", "redo", "undo", "redo"]
        assert [c.code for c in app.desk.codings] == ["theme"]


async def test_selection_by_keys_sentence_and_mouse(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_int1(app, pilot)
        view = screen.view
        text = screen.transcript.text
        start, _ = span_of(study, "int-1", "We monitor")
        view.move_cursor(start)
        await pilot.press(*["shift+right"] * 10)
        assert view.selection == (start, start + 10)
        await pilot.press("shift+end")
        sel = view.selection
        assert sel.start == start and sel.end > start + 10
        await pilot.press("right")  # collapses the selection
        assert view.selection is None
        view.move_cursor(start + 3)
        await pilot.press("s")
        assert text[view.selection.start:view.selection.end] == \
            "We monitor ethnicity on the board, but not in the theme groups."
        await pilot.press("9")  # no code has this key: said, nothing coded
        await pilot.pause()
        assert any("No code has the key '9'" in n.message for n in app._notifications)
        assert not app.desk.codings
        # on the blank line between two turns: the next turn's first sentence, no speaker label
        gap = text.index("\n\nRuth Adebayo:") + 1
        view.move_cursor(gap)
        await pilot.press("s")
        assert text[view.selection.start:view.selection.end] == "I chair the community empowerment network."
        # mouse: drag across "Could you start"
        q, _ = span_of(study, "int-1", "Could you start")
        line, x = view.wrap.x_of(q)
        y = line - int(view.scroll_y)
        await pilot.mouse_down(view, offset=(GUTTER + x, y))
        await pilot.hover(view, offset=(GUTTER + x + len("Could you start"), y))
        await pilot.mouse_up(view, offset=(GUTTER + x + len("Could you start"), y))
        await pilot.pause()
        assert text[view.selection.start:view.selection.end] == "Could you start"
        await pilot.press("o")
        await pilot.pause()
        [c] = app.desk.codings
        assert c.quote == "Could you start" and c.code == "outcome"


async def test_search_finds_and_cycles(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_int1(app, pilot)
        await pilot.press("slash", *"BOARD", "enter")
        await pilot.pause()
        text = screen.transcript.text
        first = text.index("board")
        second = text.index("board", first + 1)
        assert screen.view.selection == (first, first + 5)
        assert screen.view.matches == [(first, first + 5), (second, second + 5)]
        await pilot.press("escape")  # closes the search bar and puts out the highlights; f3 still steps
        assert screen.view.matches == []
        await pilot.press("f3")
        assert screen.view.selection == (second, second + 5)
        await pilot.press("f3")  # wraps around
        assert screen.view.selection == (first, first + 5)
        await pilot.press("escape")  # clears the selection
        assert screen.view.selection is None and isinstance(app.screen, CodingScreen)


async def test_no_selection_and_unknown_keys_do_nothing(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_int1(app, pilot)
        await pilot.press("1", "z", "9")  # a shortcut without a selection; keys no code has
        await pilot.pause()
        assert journal(study, "ann") == []
        assert any("Select some text first" in n for n in notes(app))


async def test_non_ascii_highlight_lands_on_the_right_characters(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_int1(app, pilot, "int-2")
        quote = "where we decided — together — to stand"
        s, e = span_of(study, "int-2", quote)
        screen.view.select(s, e)
        await pilot.press("b")
        screen.view.move_cursor(0)
        await pilot.pause()
        [c] = app.desk.codings
        assert c.quote == quote
        view = screen.view
        line = view.wrap.line_of(s)
        strip = view.painter.line(line, view.scrollable_content_region.width)
        painted = "".join(seg.text for seg in strip if seg.style and seg.style.bgcolor
                          and seg.style.bgcolor != view.painter.base()[0].bgcolor)
        assert painted.startswith("where we decided")
        assert "😀" not in painted and "café" not in painted
