"""The coding screen: one transcript, the codebook tree, and this transcript's codings."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from time import monotonic

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input, Label

from qualcode.analysis.data import plural
from qualcode.domain.codebook import RESERVED_KEYS
from qualcode.errors import QualcodeError
from qualcode.store.index import speaker_roles
from qualcode.tui.colours import UNKNOWN, swatch
from qualcode.tui.coverage import CodingIndex, Shown
from qualcode.tui.desk import Change, place
from qualcode.tui.layout import cells, middle_cut
from qualcode.tui.screens.coding_search import SearchMixin
from qualcode.tui.screens.dialogs import Choose, MemoDialog
from qualcode.tui.screens.picker import CodePicker, steady
from qualcode.tui.speakers import speaker_summary
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.coding_list import CodingList, one_line
from qualcode.tui.widgets.keybar import KeyBar
from qualcode.tui.widgets.status import StatusLine
from qualcode.tui.widgets.transcript_view import TranscriptView


class CodingScreen(SearchMixin, Screen):
    DEFAULT_CSS = """
    CodingScreen #main { height: 1fr; }
    CodingScreen #left { width: 1fr; }
    CodingScreen #side { width: 46; border-left: tall $panel-lighten-1; }
    CodingScreen Label.heading { text-style: bold; padding: 0 1; width: 100%; height: 1; background: $boost; }
    CodingScreen #transcript { height: 1fr; }
    CodingScreen #here { height: 1; width: 100%; padding: 0 1; background: $boost; display: none; }
    CodingScreen #codes { height: 1fr; }
    CodingScreen #codings { height: 1fr; }
    CodingScreen #searchbar { dock: bottom; height: auto; display: none; }
    CodingScreen #searchbar.open { display: block; }
    CodingScreen #search { width: 1fr; }
    CodingScreen #search-count { width: auto; min-width: 12; height: 3; content-align: left middle; padding: 0 1; }
    """
    BINDINGS = [
        Binding("s", "select_sentence", "Sentence"),
        Binding("t", "select_turn", "Turn"),
        Binding("c", "pick_code", "Code…"),
        Binding("C", "recode", "Recode", show=False),
        Binding("x", "remove", "Remove"),
        Binding("m", "memo", "Memo"),
        Binding("n", "jump(1, False)", "Next"),
        Binding("p", "jump(-1, False)", "Prev"),
        Binding("N", "jump(1, True)", "Next of code", show=False),
        Binding("P", "jump(-1, True)", "Prev of code", show=False),
        Binding("right_curly_bracket,ctrl+down", "turn(1)", "Next turn", show=False),
        Binding("left_curly_bracket,ctrl+up", "turn(-1)", "Prev turn", show=False),
        Binding("u", "undo", "Undo"),
        Binding("U,ctrl+y", "redo", "Redo", show=False),  # in the key sheet; the footer keeps room for Back
        Binding("slash", "search", "Search"),
        Binding("S", "suggest", "Suggest"),
        Binding("T", "transcript_memo", "Transcript memo", show=False),
        Binding("f3,ctrl+g", "find(1)", "Next match", show=False),
        Binding("shift+f3", "find(-1)", "Previous match", show=False),
        Binding("escape", "back", "Back"),
        Binding("f2", "toggle_side", "Side pane", show=False),
    ]
    FOOTER_DROP = ("select_sentence", "select_turn", "memo", "jump(-1, False)", "jump(1, False)", "remove",
                   "suggest", "search")
    """Left out of the key bar, in this order, while it is wider than the terminal (``KeyBar``): at 80
    columns code, remove, undo, search, suggest, back, quit and keys stay (``?`` lists them all)."""
    LEFT_MIN = 62
    """Columns the transcript keeps (at least 50 for the text, beside the margin of stripes)."""
    TITLE_ID_MIN = 16
    """The transcript id on the title line is cut in the middle to make room, down to this many cells."""
    CONFIRM_SECONDS = 5.0
    """A second u (U) within this long undoes (redoes) a change in another transcript (``_history``)."""
    ASK_TITLE = "In another transcript"
    SIDE_MAX, SIDE_MIN = 46, 26
    """The side pane (codebook and codings) narrows down to SIDE_MIN, then hides (f2 shows it)."""

    def __init__(self) -> None:
        super().__init__()
        self.side_wanted: bool | None = None
        """f2's choice (None: shown when it fits beside the transcript)."""
        self.tid: str | None = None
        self.transcript = None
        self.index: CodingIndex | None = None
        self.current: str | None = None
        """The coding last jumped to (for next/previous among codings that share a start)."""
        self._pending: tuple[str, tuple[int, int] | None] | None = None
        self._armed: tuple[tuple, float] | None = None
        """An undo (redo) of a change in another transcript, asked for once: (what, when)."""
        self._mounted = False

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Label("", classes="heading", id="title")
                yield TranscriptView(id="transcript")
                yield Label("", id="here")  # the codes under the cursor, while the side pane is hidden
            with Vertical(id="side"):
                yield Label("Codebook  key · here/project", classes="heading")
                yield CodeTree(id="codes")
                yield Label("Codings here (Enter jumps)", classes="heading", id="codings-heading")
                yield CodingList(id="codings")
        with Horizontal(id="searchbar"):
            yield Input(placeholder="search this transcript: Enter finds the next match, Esc closes", id="search")
            yield Label("", id="search-count")
        yield KeyBar()

    @property
    def desk(self):
        return self.app.desk

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    # -- opening -----------------------------------------------------------------------------
    def open(self, tid: str, span: tuple[int, int] | None = None) -> None:
        if not self._mounted:
            self._pending = (tid, span)
            return
        try:
            transcript = self.desk.project.transcript(tid)
        except QualcodeError as exc:
            self.app.report(exc)
            return
        self.remember_position()
        if tid != self.tid:
            self.forget_search()
        self.tid, self.transcript, self.current = tid, transcript, None
        self._build_index()
        if span is not None:
            self.view.select(span[0], span[1], cursor_at_start=True, center=True)
        else:  # where this coder left it last time
            at = self.desk.position(tid)
            if at:
                self.view.move_cursor(at)
                self.call_after_refresh(lambda: self.view.scroll_offset_to(self.view.cursor, center=True))
        self.view.focus()

    def remember_position(self) -> None:
        """Keep the cursor's place in the open transcript, for the next time it is opened."""
        if self.tid is None or self.transcript is None:
            return
        try:
            cursor = self.view.cursor
        except NoMatches:  # the screen is being taken down
            return
        self.desk.remember_position(self.tid, cursor)

    def on_screen_suspend(self) -> None:
        self.remember_position()

    def on_unmount(self) -> None:
        self.remember_position()

    def fit_side(self) -> None:
        """Side pane width for the screen's width: the transcript keeps LEFT_MIN columns."""
        width = self.app.size.width  # the screen is the terminal (known before the first layout)
        if width <= 0:
            return
        room = min(self.SIDE_MAX, width - self.LEFT_MIN - 1)
        show = self.side_wanted if self.side_wanted is not None else room >= self.SIDE_MIN
        side = self.query_one("#side")
        side.styles.width = max(room, self.SIDE_MIN)
        if side.display != show:
            side.display = show
            self.query_one("#here").display = not show
            if not show and self.focused is not None and side in self.focused.ancestors:
                self.view.focus()
            self._refresh_headings()
            self.refresh_here()

    def on_resize(self, event) -> None:
        self.fit_side()
        self._refresh_headings()
        self.refresh_here()  # the names' cut depends on the width

    def action_toggle_side(self) -> None:
        """Show or hide the codebook and codings pane (it hides by itself when the screen is narrow)."""
        self.side_wanted = not self.query_one("#side").display
        self.fit_side()
        if not self.side_wanted:
            self.app.notify("Codebook pane hidden: f2 shows it; code keys, c and ctrl+p still work.", timeout=4)

    def on_mount(self) -> None:
        self._mounted = True
        self.fit_side()
        self.view.on_selection = self._cursor_moved  # the status line changes in the same frame
        steady(self)
        if self._pending is not None:
            tid, span = self._pending
            self._pending = None
            self.open(tid, span)

    def _build_index(self) -> None:
        transcript = self.transcript
        if transcript is None:
            return
        codings = self.desk.codings.for_transcript(transcript.id) if self.desk.ready else []
        self.index = CodingIndex.build(transcript, codings)
        book, colours = self.desk.codebook, self.app.colours
        order = [c.id for c in book.walk()]
        self.view.show(transcript, self.index, colours, order)
        self.query_one(CodingList).show(transcript, self.index, book, colours)
        self.query_one(CodeTree).rebuild(book, colours, self.index.codes, self.desk.counts)
        self._refresh_headings()
        self.refresh_status()
        self.refresh_here()
        flagged = self.index.flagged()
        if flagged:
            moved = sum(1 for s in flagged if s.status == "moved")
            self.app.notify(
                f"{len(flagged)} of your codings here were made on an earlier version of this transcript: "
                f"{moved} moved with their text, {len(flagged) - moved} orphaned (text not found). They are marked ⚠ "
                "in the codings panel. Check them; `qualcode check --fix` saves the moved ones.",
                title="Transcript changed", severity="warning", timeout=12)

    def _refresh_headings(self) -> None:
        t = self.transcript
        if t is None or self.index is None:
            return
        side = self.query_one("#side")
        room = self.app.size.width - (side.styles.width.value + 1 if side.display else 0) - 2  # the label's padding
        title = Text(no_wrap=True, overflow="ellipsis")
        if not side.display:
            title.append("f2 codebook · ", style="dim")
        entry = self.desk.project.index.get(t.id)
        words = entry.words if entry is not None else t.word_count
        rest = f" · {t.title} · {plural(len(t.turns), 'turn')} · {words} words"
        # a long id (an imported file's name) loses its middle, as on the home, so that the title, turns
        # and words still fit; never below TITLE_ID_MIN cells (then the end of the line is cut with "…")
        id_room = max(self.TITLE_ID_MIN, int(room) - title.cell_len - cells(rest))
        title.append(middle_cut(t.id, id_room), style="bold")
        title.append(rest)
        # each speaker's role and turns when they all fit (the status line names the one at the cursor)
        speakers = speaker_summary(entry.roles if entry is not None else speaker_roles(t.turns), turns_word=False)
        if speakers and title.cell_len + len(speakers) + 3 <= room:
            title.append(f" · {speakers}", style="dim")
        self.query_one("#title", Label).update(title, layout=False)
        flagged = len(self.index.flagged())
        extra = f", {flagged} ⚠" if flagged else ""
        self.query_one("#codings-heading", Label).update(f"Codings here: {len(self.index)}{extra} (Enter jumps)",
                                                         layout=False)

    def refresh_status(self) -> None:
        where = self.view.describe_position() if self.transcript is not None else ""
        self.query_one(StatusLine).show(self.desk, where)

    def _cursor_moved(self) -> None:
        self.refresh_status()
        self.refresh_here()

    def refresh_here(self) -> None:
        """Name the codes under the cursor (those x, m and C act on) on the line under the transcript, when
        the side pane, which would show them, is hidden: otherwise a highlight's meaning is nowhere."""
        here = self.query_one("#here", Label)
        if not here.display or self.index is None:
            return
        hits = self._under_cursor()
        line = Text(no_wrap=True, overflow="ellipsis")
        if not hits:
            line.append("No code here", style="dim")
            if len(self.index):
                line.append(" · n / p jump to codings", style="dim")
        else:
            line.append("Here: " if len(hits) == 1 else f"{len(hits)} codes here: ", style="bold")
            names = [self._code_name(s.code) for s in hits]
            room = (here.size.width or self.app.size.width) - 2 - line.cell_len - 5 * len(hits)
            if sum(len(n) for n in names) > room:  # each name its share, so that the last shows too
                width = max(8, room // len(hits))
                names = [n if len(n) <= width else n[:width - 1] + "…" for n in names]
            for i, (s, name) in enumerate(zip(hits, names)):
                if i:
                    line.append(" · ")
                line.append("■ ", style=swatch(self.app.colours.get(s.code, UNKNOWN)))
                line.append(name + (" ⚠" if s.flagged else ""))
        here.update(line, layout=False)

    # -- updates from the App ----------------------------------------------------------------
    def codings_changed(self, change: Change) -> None:
        if self.index is None or self.tid not in change.transcripts:
            codes = {c.code for c in (*change.before.values(), *change.after.values()) if c is not None}
            self.query_one(CodeTree).update_counts(codes)  # project totals moved
            self.refresh_status()
            return
        view = self.view
        touched: set[str] = set()
        for cid, before in change.before.items():
            if before is not None and before.transcript == self.tid:
                old = self.index.remove(cid)
                if old is not None:
                    view.invalidate(old.start, old.end)
                    touched.add(old.code)
        for cid, after in change.after.items():
            if after is not None and after.transcript == self.tid:
                new = self.index.add(after)
                view.invalidate(new.start, new.end)
                touched.add(new.code)
        view.update_lanes()
        codings = self.query_one(CodingList)
        codings.set_count(len(self.index))
        if change.added and change.added[0].transcript == self.tid:
            codings.follow(change.added[0].id)
        self.query_one(CodeTree).update_counts(touched)
        self._refresh_headings()
        self.refresh_status()
        self.refresh_here()

    def on_screen_resume(self) -> None:
        """Back on this screen (from the codebook editor, a dialog, another screen): the codebook as it
        is on disk now, if it changed elsewhere meanwhile (``WorkbenchApp.check_codebook``)."""
        check = getattr(self.app, "check_codebook", None)
        if check is not None:
            check()

    def codebook_changed(self) -> None:
        book, colours = self.desk.codebook, self.app.colours
        if self.index is not None:
            self.view.set_colours(colours, [c.id for c in book.walk()])
            self.query_one(CodingList).set_codebook(book, colours)
            self.query_one(CodeTree).rebuild(book, colours, self.index.codes, self.desk.counts)
            self.refresh_here()  # a code renamed or recoloured

    def coder_changed(self) -> None:
        if self.transcript is not None:
            cursor = self.view.cursor
            self._build_index()
            self.view.move_cursor(cursor)

    # -- cursor and selection ------------------------------------------------------------------

    def action_select_sentence(self) -> None:
        if self.transcript is None:
            return
        start, end = self.view.trim(*self.transcript.sentence_at(self.view.cursor))
        if end > start:
            self.view.select(start, end)

    def action_select_turn(self) -> None:
        if self.transcript is None:
            return
        cursor = self.view.cursor
        turn = self.transcript.turn_at(cursor)
        if turn is None:  # between turns: the next one
            turn = next((t for t in self.transcript.turns if t.start >= cursor), None)
        if turn is None:
            self.app.notify("The cursor is not in a speaker turn.", severity="warning")
            return
        self.view.select(*self.view.trim(turn.text_start, turn.end))

    def _selection(self) -> tuple[int, int] | None:
        sel = self.view.selection
        if sel is None or self.transcript is None:
            self.app.notify("Select some text first: drag with the mouse, shift+arrows, s (sentence) or t (turn).",
                            severity="warning")
            return None
        start, end = self.view.trim(sel.start, sel.end)
        if start >= end:
            self.app.notify("The selection is only white space.", severity="warning")
            return None
        return start, end

    # -- applying codes ------------------------------------------------------------------------
    def apply_code(self, code_id: str) -> None:
        if self.tid is None or self.index is None:
            return
        span = self._selection()
        if span is None:
            return
        if any(s.code == code_id for s in self.index.exact(*span)):
            name = self.desk.codebook.get(code_id).name if self.desk.codebook.get(code_id) else code_id
            self.app.notify(f"Already coded {name} here.", severity="information")
            return
        self.app.commit(lambda: self.desk.apply(self.tid, span[0], span[1], code_id))

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, Input) or event.key in RESERVED_KEYS:
            return
        code = self.desk.codebook.by_shortcut().get(event.key)
        if code is not None:
            event.stop()
            event.prevent_default()
            self.apply_code(code.id)
        elif (len(event.key) == 1 and (event.key.isdigit() or "a" <= event.key <= "z")
              and self.view.selection is not None):  # a key no code has: say so, not nothing
            event.stop()
            self.app.notify(f"No code has the key {event.key!r}: press c to pick a code, or give one its key in "
                            "the codebook editor (ctrl+e).", severity="warning")

    def on_code_tree_apply_requested(self, event: CodeTree.ApplyRequested) -> None:
        self.apply_code(event.code)

    def action_pick_code(self) -> None:
        if self._selection() is None:
            return

        def chosen(code_id: str | None) -> None:
            if code_id:
                self.apply_code(code_id)

        self.app.push_screen(CodePicker(self.desk.codebook, self.app.colours, "Apply code to the selection",
                                        counts=dict(self.desk.counts)), chosen)

    # -- the coding under the cursor -----------------------------------------------------------
    def _under_cursor(self) -> list[Shown]:
        if self.index is None:
            return []
        codings = self.query_one(CodingList)
        if self.focused is codings:
            shown = codings.shown(codings.cursor)
            return [shown] if shown is not None else []
        sel = self.view.selection
        if sel is not None:
            exact = self.index.exact(sel.start, sel.end)
            if exact:
                return exact
        return self.index.at(self.view.cursor)

    def _with_one(self, verb: str, then) -> None:
        hits = self._under_cursor()
        if not hits:
            self.app.notify(f"No coding under the cursor to {verb}. (n / p jump to codings.)", severity="warning")
            return
        if len(hits) == 1:
            then(hits[0])
            return
        book = self.desk.codebook
        choices = []
        for s in hits:
            code = book.get(s.code)
            quote = one_line(s.coding.quote)
            choices.append((s.id, f"{code.name if code else s.code}: {quote[:60]}"))

        def chosen(cid: str | None) -> None:
            if cid and self.index is not None and cid in self.index.by_id:
                then(self.index.by_id[cid])

        self.app.push_screen(Choose(f"Which coding to {verb}?", choices), chosen)

    def action_remove(self) -> None:
        self._with_one("remove", lambda s: self.app.commit(lambda: self.desk.remove(s.id)))

    def action_recode(self) -> None:
        def recode(s: Shown) -> None:
            def chosen(code_id: str | None) -> None:
                if code_id and code_id != s.code:
                    self.app.commit(lambda: self.desk.recode(s.id, code_id))

            title = f"Recode {self._code_name(s.code)} in {place(s.coding)} to"
            self.app.push_screen(CodePicker(self.desk.codebook, self.app.colours, title, exclude={s.code},
                                            counts=dict(self.desk.counts)),
                                 chosen)

        self._with_one("recode", recode)

    def _code_name(self, code: str) -> str:
        found = self.desk.codebook.get(code)
        return found.name if found else code

    def action_memo(self) -> None:
        def memo(s: Shown) -> None:
            def done(text: str | None) -> None:
                if text is not None and (text or None) != s.coding.memo:
                    self.app.commit(lambda: self.desk.set_memo(s.id, text or None))

            title = f"Memo on {self._code_name(s.code)} in {place(s.coding)}"  # the quote cut with "…"
            self.app.push_screen(MemoDialog(title, s.coding.memo), done)

        self._with_one("write a memo on", memo)

    # -- navigation ----------------------------------------------------------------------------
    def action_jump(self, step: int, of_code: bool) -> None:
        if self.index is None or not len(self.index):
            self.app.notify("No codings in this transcript yet.", severity="information")
            return
        codes = None
        if of_code:
            code = self.query_one(CodeTree).highlighted_code
            if code is None:
                self.app.notify("Highlight a code in the codebook panel first.", severity="warning")
                return
            codes = {code, *self.desk.codebook.descendants(code)}
        order = self.index.order
        cur = self.index.by_id.get(self.current) if self.current else None
        if cur is not None and self.view.cursor == cur.start:
            i = bisect_right(order, cur.key) if step > 0 else bisect_left(order, cur.key) - 1
        else:
            pos = self.view.cursor
            i = bisect_right(order, (pos, 1 << 62)) if step > 0 else bisect_left(order, (pos, -1)) - 1
        while 0 <= i < len(order):
            if codes is None or order[i][2] in codes:
                self.jump_to(self.index.by_id[order[i][3]])
                return
            i += step
        self.app.notify("No more codings that way." if codes is None else "No more codings of that code that way.",
                        severity="information")

    def action_turn(self, step: int) -> None:
        """The cursor to the first word of the next speaker turn (``step`` 1) or of the previous one (-1:
        the start of the turn the cursor is in when it is past it, as ctrl+up goes to a paragraph's start
        in a word processor), the turn near the top of the view; t then selects it."""
        if self.transcript is None or not self.transcript.turns:
            return
        starts = [t.text_start for t in self.transcript.turns]
        cursor = self.view.cursor
        i = bisect_right(starts, cursor) if step > 0 else bisect_left(starts, cursor) - 1
        if not 0 <= i < len(starts):
            self.app.notify("No more turns that way: this is the " + ("last." if step > 0 else "first."),
                            severity="information", timeout=3)
            return
        self.view.move_cursor(starts[i])
        self.view.scroll_offset_to(starts[i], center=True)

    def jump_to(self, shown: Shown) -> None:
        self.current = shown.id
        self.view.select(shown.start, shown.end, cursor_at_start=True, center=True)
        self.query_one(CodingList).follow(shown.id)

    def on_virtual_list_chosen(self, event: CodingList.Chosen) -> None:
        shown = self.query_one(CodingList).shown(event.index)
        if shown is not None:
            self.jump_to(shown)
            self.view.focus()

    # -- undo ----------------------------------------------------------------------------------
    def _after_history(self, change: Change | None) -> None:
        if change is None or self.index is None:
            return
        for c in (*change.after.values(), *change.before.values()):
            if c is not None and c.transcript == self.tid:
                shown = self.index.by_id.get(c.id)
                self.view.scroll_offset_to(shown.start if shown else c.start, center=False)
                break

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, undo: bool) -> None:
        """Undo (redo) at once when the change is in this transcript, where it is seen going away (or
        coming back). A change in another transcript is named first, and a second press within
        CONFIRM_SECONDS does it: a researcher used to NVivo or ATLAS.ti expects undo to act on the
        document in front of them, and undoing unseen work with only the status line to say so took
        back a coding made days before in a transcript not open. Asking keeps them where they are
        reading (jumping there would lose their place for a change they may not want)."""
        ahead = self.desk.next_history(undo)
        if ahead is not None and self.tid is not None:
            tids, what = ahead
            if tids and self.tid not in tids:
                token = (undo, self.desk.seq, self.tid)
                armed, self._armed = self._armed, None
                if armed is None or armed[0] != token or monotonic() - armed[1] > self.CONFIRM_SECONDS:
                    self._armed = (token, monotonic())
                    key, verb = ("u", "undo") if undo else ("U", "redo")
                    last = "The last change" if undo else "The change to redo"
                    self.app.notify(f"{last} is in another transcript: {what}. Press {key} again to {verb} it.",
                                    title=self.ASK_TITLE, severity="warning", timeout=self.CONFIRM_SECONDS,
                                    markup=False)
                    return
        self._armed = None
        take_down = getattr(self.app, "take_down", None)
        if callable(take_down):
            take_down({self.ASK_TITLE})
        self._after_history(self.app.commit(self.desk.undo if undo else self.desk.redo))

    def action_suggest(self) -> None:
        """Suggested passages for this transcript (accept with a, reject with r)."""
        if self.tid is None:
            return
        if self.desk.read_only or not self.desk.ready:
            self.app.notify("Suggestions need your journal open for writing: "
                            + (self.desk.read_only or "it is still opening"), severity="warning")
            return
        from qualcode.tui.screens.suggestions import SuggestionsScreen

        self.app.push_screen(SuggestionsScreen(self.desk.project, self.desk.coder, self.tid, self.app.suggester()))

    def action_transcript_memo(self) -> None:
        from qualcode.tui.screens.memos import ask_transcript_memo

        if self.tid is not None:
            ask_transcript_memo(self.app, self.tid)

    def action_back(self) -> None:
        if self.close_search():  # the bar closes and the matches go dark; f3 still steps through them
            return
        if self.view.clear_selection():
            return
        if self.view.matches:
            self.view.set_matches([])
            return
        self.app.go_home()
