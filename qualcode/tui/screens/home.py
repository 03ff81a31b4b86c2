"""The project home: transcripts with their coding, case attributes, the codebook, who codes."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from qualcode.analysis.data import plural
from qualcode.tui.desk import Change, TranscriptRow
from qualcode.tui.layout import break_id, cells, columns_that_fit, middle_cut
from qualcode.tui.speakers import speaker_parts
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.fitted import WIDE, Fitted
from qualcode.tui.widgets.status import StatusLine

COLUMNS = [("id", "ID"), ("title", "Title"), ("status", "Status"), ("mine", "My codings"), ("share", "Coded"),
           ("others", "Other coders"), ("words", "Words"), ("turns", "Turns")]
DROP_ORDER = ["turns", "words", "others", "share"]
"""When the table is too narrow, status and my codings take their short forms (``COMPACT``) and these
columns go, in this order, while the ID and the title would have less than ``ID_WANT`` and ``TITLE_WANT``
cells; then the ID and the title share what is left (``squeeze``), cut in the middle when that keeps
similar ones apart, down to ``ID_MIN`` and ``TITLE_MIN``. ID, title, status and my codings always stay."""
COMPACT = {"status": "St", "mine": "Mine"}
"""Short labels for the narrow table; the status is then its mark alone (the line under the table says it)."""
TITLE_MIN = 10
ID_MIN = 7
TITLE_WANT = 24
ID_WANT = 16
ID_MAX = 24
"""A long transcript id (an imported file's name) is cut in the middle to this many cells at most: the
other columns stay in view, and the full id is shown under the table."""
OTHERS_MAX = 24
TITLE_MAX = 48
CASE_LINES = 8
"""Lines of the highlighted transcript's details under the table (its ``max-height``)."""
HINTS = ("D status · ctrl+k coder · ? keys · ctrl+p actions", "D status · ^k coder · ? keys · ^p actions",
         "^k coder · ? keys · ^p actions", "? keys · ^p actions")
"""The home's status line hint, widest first: the first that fits whole is shown (at 80 columns the
widest lost "actions", so "ctrl+p" said nothing of what it does). ``^k`` is ctrl+k, as the key bar says."""
STATUS_MARK = {"not started": "·", "in progress": "◐", "done": "✓"}


def codebook_heading(codes: int, levels: int, keys: int, width: int) -> str:
    """The codebook pane's heading in ``width`` cells: on one line when it fits, else the title and what
    the counts beside the codes are on one line and the codebook's size on a second, so that a narrow pane
    (80 columns) says it all in two lines, not three."""
    full = f"Codebook: {codes} codes, {levels} levels, {keys} with keys (my codings)"
    if cells(full) <= width:
        return full
    size = f"{codes} codes, {levels} levels, {keys} with keys"
    if cells(size) > width:
        size = f"{codes} codes, {levels} levels, {keys} keys"
    return f"Codebook (my codings)\n{size}"


def coded_share(coded: int, chars: int) -> str:
    """The share of a transcript's text coded, in whole per cent: ``<1%`` for any coding under 1% (``0%``
    read as nothing coded next to a transcript with codings), ``>99%`` short of all of it."""
    if not chars:
        return "-"
    share = 100 * coded / chars
    if 0 < share < 1:
        return "<1%"
    if 99 < share < 100:
        return ">99%"
    return f"{share:.0f}%"


def _others(row: TranscriptRow | None) -> str:
    if row is None:
        return "…"
    text = ", ".join(f"{name} ({n})" for name, n in sorted(row.others.items())) or "-"
    return text if len(text) <= OTHERS_MAX else text[:OTHERS_MAX - 1] + "…"


def squeeze(widths: dict[str, int], shown: list[str], room: int) -> tuple[int, int]:
    """The title's and the ID's widths in the ``room`` the other ``shown`` columns leave (each column is
    padded by one cell each side). When both do not fit, the ID is whole if the title keeps TITLE_WANT
    cells beside it, else it gets two fifths (cut in the middle: ids, often file names, differ at their
    end); the title gets the rest, and what one does not need goes to the other; neither goes below its
    minimum (TITLE_MIN, ID_MIN)."""
    spare = room - sum(widths[k] + 2 for k in shown if k not in ("title", "id")) - 4
    if widths["title"] + widths["id"] <= spare:
        return widths["title"], widths["id"]
    whole = spare - widths["id"] >= TITLE_WANT
    id_width = widths["id"] if whole else min(widths["id"], max(ID_MIN, spare * 2 // 5))
    title = min(widths["title"], max(TITLE_MIN, spare - id_width))
    return title, min(widths["id"], max(ID_MIN, spare - title))


class HomeScreen(Screen):
    DEFAULT_CSS = """
    HomeScreen #main { height: 1fr; }
    HomeScreen #left { width: 2fr; }
    HomeScreen #right { width: 1fr; min-width: 30; border-left: tall $panel-lighten-1; }
    HomeScreen .heading { text-style: bold; padding: 0 1; width: 100%; background: $boost; }
    HomeScreen #transcripts { height: 1fr; }
    HomeScreen #case { height: auto; max-height: 8; padding: 0 1; color: $text-muted; }
    HomeScreen #codebook { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open transcript"),
        Binding("ctrl+e", "app.open_screen('qualcode.tui.screens.codebook:CodebookScreen')", "Codebook"),
        Binding("ctrl+r", "app.open_screen('qualcode.tui.screens.retrieval:RetrievalScreen')", "Retrieve"),
        Binding("ctrl+k", "app.switch_coder", "Coder"),
        Binding("D", "cycle_status", "Status"),
        Binding("T", "transcript_memo", "Memo", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Label("Transcripts (Enter opens one for coding)", classes="heading", id="transcripts-heading")
                yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
                yield Fitted(id="case")
            with Vertical(id="right"):
                yield Fitted(classes="heading", id="codebook-heading")
                yield CodeTree(id="codebook", show_here=False)
        yield Footer()

    @property
    def desk(self):
        return self.app.desk

    def on_mount(self) -> None:
        self.shown_columns = [key for key, _ in COLUMNS]
        self.title_width, self.id_width = TITLE_MAX, ID_MAX
        self.compact = False
        """Short labels and the status as its mark alone (see COMPACT): the ID and title need the room."""
        table = self.query_one("#transcripts", DataTable)
        self._fill_table(table)
        index = self.desk.project.index
        heading = self.query_one("#transcripts-heading", Label)
        heading.update(f"Transcripts: {len(index)} (Enter opens one for coding)")
        self.codebook_changed()
        self.refresh_status()
        table.focus()
        if len(index):
            self._show_case(next(iter(index)).id)

    # -- the transcripts table: columns dropped by priority when narrow ----------------------
    def _fill_table(self, table: DataTable) -> None:
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        labels = {**dict(COLUMNS), **(COMPACT if self.compact else {})}
        widths = getattr(self, "col_widths", None) or self._widths()  # sized now: see layout.column_widths
        for key in self.shown_columns:
            table.add_column(labels[key], key=key, width=widths.get(key))
        for e in self.desk.project.index:
            table.add_row(*self._cells(e, self.desk.rows.get(e.id)), key=e.id)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _widths(self, compact: bool = False) -> dict[str, int]:
        """The cells each column needs (its widest value or its label), the title at most TITLE_MAX;
        ``compact``: with the short labels and status marks (COMPACT)."""
        widths = {key: len(label) for key, label in {**dict(COLUMNS), **(COMPACT if compact else {})}.items()}
        for e in self.desk.project.index:
            cells = self._cells(e, self.desk.rows.get(e.id), (TITLE_MAX, ID_MAX), all=True, compact=compact)
            for key, value in zip((k for k, _ in COLUMNS), cells):
                widths[key] = max(widths[key], len(str(value)))
        return widths

    def fit_columns(self) -> None:
        """Show the columns that fit the table's width: with short labels when the ID or the title would
        be cut short (below ID_WANT, TITLE_WANT) otherwise, dropping by ``DROP_ORDER`` while they would be,
        then sharing the room left between them (``squeeze``)."""
        table = self.query_one("#transcripts", DataTable)
        room = table.size.width - 1  # the scroll bar may take a column
        if room <= 0:
            return
        for compact in (False, True):
            widths = self._widths(compact)
            wanted = {"title": min(widths["title"], TITLE_WANT), "id": min(widths["id"], ID_WANT)}
            shown = columns_that_fit({**widths, **wanted}, DROP_ORDER, room)
            title, id_width = squeeze(widths, shown, room)
            if title >= wanted["title"] and id_width >= wanted["id"]:
                break  # not cut short: the long labels are kept
        widths["title"], widths["id"] = title, id_width
        if shown != self.shown_columns or widths != getattr(self, "col_widths", {}) or compact != self.compact:
            self.shown_columns, self.col_widths, self.compact = shown, widths, compact
            self.title_width, self.id_width = widths["title"], widths["id"]
            self._fill_table(table)

    def on_resize(self, event) -> None:
        self.call_after_refresh(self.fit_columns)
        self.call_after_refresh(self.refresh_status)  # the hint's wording depends on the width

    def _alike(self, width: int) -> set[str]:
        """Titles cut at their end to ``width`` that would read the same for two transcripts."""
        cache = getattr(self, "_alike_cache", None)
        key = (width, len(self.desk.project.index))
        if cache is None or cache[0] != key:
            seen = Counter(e.title[:width - 1] for e in self.desk.project.index if len(e.title) > width)
            cache = self._alike_cache = (key, {t for t, n in seen.items() if n > 1})
        return cache[1]

    def _cells(self, entry, row: TranscriptRow | None, cut: tuple[int, int] | None = None, all: bool = False,
               compact: bool | None = None) -> list:
        """The row's cells; ``cut``: the title's and the ID's widths, ``compact``: the status as its mark
        alone (defaults: as the table now has them)."""
        width, id_width = cut or (getattr(self, "title_width", TITLE_MAX), getattr(self, "id_width", ID_MAX))
        title = entry.title if len(entry.title) <= width else entry.title[:width - 1] + "…"
        if title.endswith("…") and title[:-1] in self._alike(width):  # "PDPilot user st…" seven times
            title = middle_cut(entry.title, width)  # keep the ends, where they differ
        if row is None:
            mine, share = "…", "…"
        else:
            mine = str(row.mine)
            share = coded_share(row.coded_chars, entry.chars)
        status = self.desk.status(entry.id) if self.desk.ready else "…"
        compact = getattr(self, "compact", False) if compact is None else compact
        status = STATUS_MARK.get(status, status) if compact else f"{STATUS_MARK.get(status, '')} {status}".strip()
        cells = {"id": middle_cut(entry.id, id_width), "title": title, "status": status,
                 "mine": Text(mine, justify="right"), "share": Text(share, justify="right"), "others": _others(row),
                 "words": Text(str(entry.words), justify="right"), "turns": Text(str(entry.turns), justify="right")}
        keys = [k for k, _ in COLUMNS] if all else getattr(self, "shown_columns", [k for k, _ in COLUMNS])
        return [cells[k] for k in keys]

    def refresh_status(self) -> None:
        desk = self.desk
        others = [c for c in desk.project.coders() if c != desk.coder]
        if desk.ready and not len(desk.codings) and others and desk.coder not in desk.project.config.coders:
            hint = f"your own journal (codings/{desk.coder}.jsonl) · ctrl+k switches coder"
            self.query_one(StatusLine).show(desk, hint)
            return
        line = self.query_one(StatusLine)
        hint = next((h for h in HINTS if line.fits(desk, h)), HINTS[-1])  # whole, in the shortest wording needed
        line.show(desk, hint)

    # -- updates from the App ----------------------------------------------------------------
    def overview_ready(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        index = self.desk.project.index
        for e in index:
            self._update_row(table, e.id)
        self.fit_columns()
        self.query_one(CodeTree).rebuild(self.desk.codebook, self.app.colours, self.desk.counts, self.desk.counts)
        self.refresh_status()
        self._refresh_case()  # with its status, now that the journal is read

    def _update_row(self, table: DataTable, tid: str) -> None:
        entry = self.desk.project.index.get(tid)
        if entry is None or tid not in table.rows:
            return
        cells = self._cells(entry, self.desk.rows.get(tid))
        for key, value in zip(self.shown_columns, cells):
            if key in ("status", "mine", "share", "others"):
                table.update_cell(tid, key, value)

    def codings_changed(self, change: Change) -> None:
        table = self.query_one("#transcripts", DataTable)
        for tid in change.transcripts:
            self._update_row(table, tid)
        if self._highlighted() in change.transcripts:  # its status, said under the table
            self._refresh_case()
        codes = {c.code for c in (*change.before.values(), *change.after.values()) if c is not None}
        self.query_one(CodeTree).update_counts(codes)
        self.refresh_status()

    def on_screen_resume(self) -> None:
        """Back on this screen (from the codebook editor, a dialog, another screen): the codebook as it
        is on disk now, if it changed elsewhere meanwhile (``WorkbenchApp.check_codebook``)."""
        check = getattr(self.app, "check_codebook", None)
        if check is not None:
            check()

    def codebook_changed(self) -> None:
        book = self.desk.codebook
        levels = max((book.depth(c.id) for c in book.codes), default=-1) + 1
        keys = sum(1 for c in book.codes if c.shortcut)
        self.query_one("#codebook-heading", Fitted).show(lambda width: codebook_heading(len(book), levels, keys, width))
        self.query_one(CodeTree).rebuild(book, self.app.colours, self.desk.counts, self.desk.counts)

    def coder_changed(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        for e in self.desk.project.index:
            self._update_row(table, e.id)
        self.codebook_changed()
        self.refresh_status()
        self._refresh_case()  # this coder's status

    # -- events ----------------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            self._show_case(event.row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key is not None and event.row_key.value:
            self.app.open_transcript(event.row_key.value)

    def _highlighted(self) -> str | None:
        table = self.query_one("#transcripts", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_transcript_memo(self) -> None:
        from qualcode.tui.screens.memos import ask_transcript_memo

        tid = self._highlighted()
        if tid is not None:
            ask_transcript_memo(self.app, tid)

    def action_cycle_status(self) -> None:
        """Not started -> in progress -> done -> not started, for the highlighted transcript (saved in your journal)."""
        from qualcode.store.status import next_status

        tid = self._highlighted()
        if tid is None:
            return
        self.app.commit(lambda: self.desk.set_status(tid, next_status(self.desk.status(tid))))

    def action_open(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.app.open_transcript(key.value)

    def _refresh_case(self) -> None:
        tid = self._highlighted()
        if tid is not None:
            self._show_case(tid)

    def _show_case(self, tid: str) -> None:
        self.query_one("#case", Fitted).show(lambda width: self._case(tid, width))

    def _case(self, tid: str, width: int) -> Text:
        """The highlighted transcript's full id (broken after ``_``, ``-``, ``.`` where it is longer than the
        line: ``break_id``), its status, format, turns, speakers and case attributes, in CASE_LINES lines:
        the speakers that do not fit are counted ("… and 4 more"), the case attributes always shown."""
        cases = self.app.cases
        entry = self.desk.project.index.get(tid)
        head = Text()
        head.append("\n".join(break_id(tid, width)), style="bold")
        if self.desk.ready:
            head.append(f" · {self.desk.status(tid)}")
        attrs = cases.attributes.get(tid) if cases is not None else None
        tail = Text()
        if attrs is not None:
            tail.append(f"case {cases.case(tid)}: ", style="bold")
            tail.append(" · ".join(f"{k}: {v}" for k, v in attrs.items()))
        else:
            tail.append("no case attributes (add a row to cases.csv)")
        speakers = Text()
        if entry is not None:
            head.append(f" · {entry.format} · {plural(entry.turns, 'turn')}")
            parts = speaker_parts(entry.roles) or list(entry.speakers)
            room = CASE_LINES - self._lines(head, width) - self._lines(tail, width)
            shown = len(parts)
            while True:
                more = len(parts) - shown
                speakers = Text()
                speakers.append("speakers: ", style="bold")
                speakers.append(", ".join(parts[:shown]) if parts else "no speakers found")
                if more:
                    speakers.append(f" … and {more} more", style="italic")
                if shown <= 1 or self._lines(speakers, width) <= room:
                    break
                shown -= 1
        return Text("\n").join([t for t in (head, speakers, tail) if t.plain])

    def _lines(self, text: Text, width: int) -> int:
        """Lines ``text`` takes wrapped at ``width`` cells (as the label wraps it)."""
        if width >= WIDE:
            return text.plain.count("\n") + 1
        return len(text.wrap(self.app.console, width))
