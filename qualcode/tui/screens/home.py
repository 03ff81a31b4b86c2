"""The project home: transcripts with their coding, case attributes, the codebook, who codes."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from qualcode.tui.desk import Change, TranscriptRow
from qualcode.tui.layout import columns_that_fit, middle_cut
from qualcode.tui.speakers import speaker_summary
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.status import StatusLine

COLUMNS = [("id", "ID"), ("title", "Title"), ("status", "Status"), ("mine", "My codings"), ("share", "Coded"),
           ("others", "Other coders"), ("words", "Words"), ("turns", "Turns")]
DROP_ORDER = ["turns", "words", "others", "share"]
"""When the table is too narrow the title is shortened first, with an ellipsis, down to ``TITLE_MIN``
cells, then the ID (cut in the middle) down to ``ID_MIN``; then these columns go, in this order. ID,
title, status and my codings always stay."""
TITLE_MIN = 10
ID_MIN = 7
ID_MAX = 24
"""A long transcript id (an imported file's name) is cut in the middle to this many cells at most: the
other columns stay in view, and the full id is shown under the table."""
OTHERS_MAX = 24
TITLE_MAX = 48
STATUS_MARK = {"not started": "·", "in progress": "◐", "done": "✓"}


def _others(row: TranscriptRow | None) -> str:
    if row is None:
        return "…"
    text = ", ".join(f"{name} ({n})" for name, n in sorted(row.others.items())) or "-"
    return text if len(text) <= OTHERS_MAX else text[:OTHERS_MAX - 1] + "…"


def squeeze(widths: dict[str, int], shown: list[str], room: int) -> tuple[int, int]:
    """The title's and the ID's widths in the ``room`` the other ``shown`` columns leave (each column is
    padded by one cell each side): the title gives way first, down to TITLE_MIN, then the ID, to ID_MIN."""
    spare = room - sum(widths[k] + 2 for k in shown if k not in ("title", "id")) - 4
    title = min(widths["title"], max(TITLE_MIN, spare - widths["id"]))
    return title, min(widths["id"], max(ID_MIN, spare - title))


class HomeScreen(Screen):
    DEFAULT_CSS = """
    HomeScreen #main { height: 1fr; }
    HomeScreen #left { width: 2fr; }
    HomeScreen #right { width: 1fr; min-width: 30; border-left: tall $panel-lighten-1; }
    HomeScreen Label.heading { text-style: bold; padding: 0 1; width: 100%; background: $boost; }
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
                yield Static("", id="case")
            with Vertical(id="right"):
                yield Label("Codebook", classes="heading", id="codebook-heading")
                yield CodeTree(id="codebook", show_here=False)
        yield Footer()

    @property
    def desk(self):
        return self.app.desk

    def on_mount(self) -> None:
        self.shown_columns = [key for key, _ in COLUMNS]
        self.title_width, self.id_width = TITLE_MAX, ID_MAX
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
        labels = dict(COLUMNS)
        widths = getattr(self, "col_widths", None) or self._widths()  # sized now: see layout.column_widths
        for key in self.shown_columns:
            table.add_column(labels[key], key=key, width=widths.get(key))
        for e in self.desk.project.index:
            table.add_row(*self._cells(e, self.desk.rows.get(e.id)), key=e.id)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _widths(self) -> dict[str, int]:
        """The cells each column needs (its widest value or its label), the title at most TITLE_MAX."""
        widths = {key: len(label) for key, label in COLUMNS}
        for e in self.desk.project.index:
            for key, value in zip((k for k, _ in COLUMNS), self._cells(e, self.desk.rows.get(e.id), (TITLE_MAX, ID_MAX), all=True)):
                widths[key] = max(widths[key], len(str(value)))
        return widths

    def fit_columns(self) -> None:
        """Show the columns that fit the table's width, dropping by ``DROP_ORDER``, then shortening the
        title and the ID."""
        table = self.query_one("#transcripts", DataTable)
        room = table.size.width - 1  # the scroll bar may take a column
        if room <= 0:
            return
        widths = self._widths()
        shortest = {"title": min(widths["title"], TITLE_MIN), "id": min(widths["id"], ID_MIN)}
        shown = columns_that_fit({**widths, **shortest}, DROP_ORDER, room)
        widths["title"], widths["id"] = squeeze(widths, shown, room)
        if shown != self.shown_columns or widths != getattr(self, "col_widths", {}):
            self.shown_columns, self.col_widths = shown, widths
            self.title_width, self.id_width = widths["title"], widths["id"]
            self._fill_table(table)

    def on_resize(self, event) -> None:
        self.call_after_refresh(self.fit_columns)

    def _alike(self, width: int) -> set[str]:
        """Titles cut at their end to ``width`` that would read the same for two transcripts."""
        cache = getattr(self, "_alike_cache", None)
        key = (width, len(self.desk.project.index))
        if cache is None or cache[0] != key:
            seen = Counter(e.title[:width - 1] for e in self.desk.project.index if len(e.title) > width)
            cache = self._alike_cache = (key, {t for t, n in seen.items() if n > 1})
        return cache[1]

    def _cells(self, entry, row: TranscriptRow | None, cut: tuple[int, int] | None = None, all: bool = False) -> list:
        """The row's cells; ``cut``: the title's and the ID's widths (default: as the table now has them)."""
        width, id_width = cut or (getattr(self, "title_width", TITLE_MAX), getattr(self, "id_width", ID_MAX))
        title = entry.title if len(entry.title) <= width else entry.title[:width - 1] + "…"
        if title.endswith("…") and title[:-1] in self._alike(width):  # "PDPilot user st…" seven times
            title = middle_cut(entry.title, width)  # keep the ends, where they differ
        if row is None:
            mine, share = "…", "…"
        else:
            mine = str(row.mine)
            share = f"{100 * row.coded_chars / entry.chars:.0f}%" if entry.chars else "-"
        status = self.desk.status(entry.id) if self.desk.ready else "…"
        cells = {"id": middle_cut(entry.id, id_width), "title": title, "status": f"{STATUS_MARK.get(status, '')} {status}".strip(),
                 "mine": Text(mine, justify="right"), "share": Text(share, justify="right"), "others": _others(row),
                 "words": Text(str(entry.words), justify="right"), "turns": Text(str(entry.turns), justify="right")}
        keys = [k for k, _ in COLUMNS] if all else getattr(self, "shown_columns", [k for k, _ in COLUMNS])
        return [cells[k] for k in keys]

    def refresh_status(self) -> None:
        desk = self.desk
        others = [c for c in desk.project.coders() if c != desk.coder]
        if desk.ready and not len(desk.codings) and others and desk.coder not in desk.project.config.coders:
            hint = f"your own journal (codings/{desk.coder}.jsonl) · ctrl+k switches coder"
        else:
            hint = "D status · ctrl+k coder · ? keys · ctrl+p actions"
        self.query_one(StatusLine).show(desk, hint)

    # -- updates from the App ----------------------------------------------------------------
    def overview_ready(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        index = self.desk.project.index
        for e in index:
            self._update_row(table, e.id)
        self.fit_columns()
        self.query_one(CodeTree).rebuild(self.desk.codebook, self.app.colours, self.desk.counts, self.desk.counts)
        self.refresh_status()

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
        self.query_one("#codebook-heading", Label).update(
            f"Codebook: {len(book)} codes, {levels} levels, {keys} with keys (my codings)")
        self.query_one(CodeTree).rebuild(book, self.app.colours, self.desk.counts, self.desk.counts)

    def coder_changed(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        for e in self.desk.project.index:
            self._update_row(table, e.id)
        self.codebook_changed()
        self.refresh_status()

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

    def _show_case(self, tid: str) -> None:
        cases = self.app.cases
        entry = self.desk.project.index.get(tid)
        text = Text()
        text.append(f"{tid}", style="bold")
        if entry is not None:
            text.append(f" · {entry.format} · {entry.turns} turns")
            text.append("\nspeakers: ", style="bold")
            text.append(speaker_summary(entry.roles) or ", ".join(entry.speakers) or "no speakers found")
        attrs = cases.attributes.get(tid) if cases is not None else None
        if attrs is not None:
            text.append(f"\ncase {cases.case(tid)}: ", style="bold")
            text.append(" · ".join(f"{k}: {v}" for k, v in attrs.items()))
        else:
            text.append("\nno case attributes (add a row to cases.csv)")
        self.query_one("#case", Static).update(text)
