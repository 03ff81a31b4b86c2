"""Memos (``M``): every memo of the project in one list, coding memos and transcript memos.

Each row: the transcript, what the memo is on (a code's name, or "transcript"), who wrote it, the memo
and the passage. Typing in the search field keeps the rows whose memo, passage, code, transcript or
coder contain every word typed. Enter opens the coding screen at the passage (a transcript memo opens
the transcript). ``T`` writes a memo on a transcript (also on the home and coding screens).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from qualcode.errors import QualcodeError
from qualcode.tui.layout import column_widths, middle_cut
from qualcode.tui.messages import OpenAt
from qualcode.tui.screens.picker import steady
from qualcode.tui.widgets.coding_list import one_line
from qualcode.tui.widgets.status import StatusLine


@dataclass(frozen=True)
class Memo:
    transcript: str
    on: str
    """The code's name, or "transcript"."""
    coder: str
    text: str
    quote: str = ""
    start: int | None = None
    end: int | None = None

    @property
    def haystack(self) -> str:
        return f"{self.transcript} {self.on} {self.coder} {self.text} {self.quote}".lower()


def gather(project, book, coders: list[str], read=None) -> list[Memo]:
    """Every memo of ``coders``: coding memos (in transcript order), then transcript memos.
    ``read(coder)`` gives a coder's codings (default: ``project.codings``)."""
    read = read or project.codings
    order = {e.id: i for i, e in enumerate(project.index)}
    out: list[Memo] = []
    for coder in coders:
        try:
            codings = read(coder)
        except QualcodeError:
            continue
        for c in codings:
            if c.memo:
                code = book.get(c.code)
                out.append(Memo(c.transcript, code.name if code else c.code, coder, c.memo, c.quote, c.start, c.end))
        for tid, marks in codings.marks.items():
            if marks.get("memo"):
                out.append(Memo(tid, "transcript", coder, marks["memo"]))
    out.sort(key=lambda m: (order.get(m.transcript, len(order)), m.start if m.start is not None else -1, m.coder))
    return out


def _short(text: str, n: int) -> str:
    text = one_line(text)
    return text if len(text) <= n else text[: n - 1] + "…"


class MemosScreen(Screen):
    DEFAULT_CSS = """
    MemosScreen Label.heading { text-style: bold; padding: 0 1; width: 100%; background: $boost; }
    MemosScreen #memos { height: 1fr; }
    MemosScreen #memo-detail { height: auto; max-height: 10; padding: 0 1; border-top: tall $panel-lighten-1; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open passage", show=False),
        Binding("T", "transcript_memo", "Transcript memo"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.memos: list[Memo] = []
        self.shown: list[Memo] = []

    @property
    def desk(self):
        return self.app.desk

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Label("Memos", classes="heading", id="memos-heading")
        yield Input(placeholder="search the memos: every word typed must appear · ↓ to the list · Enter opens",
                    id="memo-search")
        yield DataTable(id="memos", cursor_type="row", zebra_stripes=True)
        yield Static("", id="memo-detail")
        yield Footer()

    def on_mount(self) -> None:
        steady(self)
        self.reload()
        self.query_one(Input).focus()

    def reload(self) -> None:
        desk = self.desk
        coders = desk.project.coders()
        if desk.coder not in coders:
            coders.insert(0, desk.coder)
        self.memos = gather(desk.project, desk.codebook, coders,
                            read=lambda c: desk.codings if c == desk.coder else desk.project.codings(c))
        self.query_one(StatusLine).show(desk, "type to search · Enter opens the passage · T memo on a transcript")
        table = self.query_one(DataTable)
        table.clear(columns=True)
        headers = ["Transcript", "On", "Coder", "Memo", "Passage"]
        widths = column_widths(headers, [self._cells(m) for m in self.memos])
        for key, label, width in zip(("transcript", "on", "coder", "memo", "quote"), headers, widths):
            table.add_column(label, key=key, width=width)  # sized now: see layout.column_widths
        self.filter(self.query_one(Input).value)

    @staticmethod
    def _cells(m: Memo) -> list[str]:
        # a long transcript id (an imported file's name) is cut in the middle: the memo stays in view
        return [middle_cut(m.transcript, 16), _short(m.on, 20), m.coder, _short(m.text, 50), _short(m.quote, 40)]

    def filter(self, query: str) -> None:
        words = query.lower().split()
        self.shown = [m for m in self.memos if all(w in m.haystack for w in words)]
        table = self.query_one(DataTable)
        table.clear()
        for i, m in enumerate(self.shown):
            table.add_row(*self._cells(m), key=str(i))
        heading = f"Memos: {len(self.shown)} of {len(self.memos)}"
        if not self.memos:
            heading += " (none yet: m on a coding, T on a transcript)"
        self.query_one("#memos-heading", Label).update(heading)
        self._show_detail()

    def _current(self) -> Memo | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row is None or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _show_detail(self) -> None:
        m = self._current()
        text = "" if m is None else f"{m.transcript} · {m.on} · {m.coder}\n{m.text}" + (
            f"\n“{_short(m.quote, 300)}”" if m.quote else "")
        self.query_one("#memo-detail", Static).update(text)

    # -- events ------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_open()

    def on_key(self, event) -> None:
        if event.key == "down" and self.focused is self.query_one(Input):
            self.query_one(DataTable).focus()
            event.stop()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        m = self._current()
        if m is not None:
            self.app.post_message(OpenAt(m.transcript, m.start, m.end))

    def action_transcript_memo(self) -> None:
        m = self._current()
        ask_transcript_memo(self.app, m.transcript if m is not None else None)

    def action_back(self) -> None:
        self.app.pop_screen()

    def codings_changed(self, change) -> None:
        self.reload()

    def coder_changed(self) -> None:
        self.reload()


def ask_transcript_memo(app, tid: str | None) -> None:
    """Write the memo on transcript ``tid`` (asked for first when None) in the coder's journal."""
    from qualcode.tui.screens.dialogs import Choose, MemoDialog

    desk = app.desk
    if tid is None:
        choices = [(e.id, f"{e.id} · {e.title}") for e in desk.project.index]
        app.push_screen(Choose("Memo on which transcript?", choices, search=True),
                        lambda chosen: ask_transcript_memo(app, chosen) if chosen else None)
        return
    from qualcode.store.status import transcript_memo

    old = transcript_memo(desk.codings, tid)

    def done(text: str | None) -> None:
        if text is not None and (text or None) != old:
            app.commit(lambda: desk.set_transcript_memo(tid, text or None))

    entry = desk.project.index.get(tid)
    app.push_screen(MemoDialog(f"Memo on the transcript {tid}" + (f" · {entry.title}" if entry else ""), old), done)
