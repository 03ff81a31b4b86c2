"""Retrieval: every segment coded with a code (and its sub-codes) across the project, by every coder.

The segments are gathered in a worker (journals of other coders are replayed there); Enter opens
one in its transcript with the segment selected. Each row quotes the words said within its coding
and names who said them, as `qualcode table retrieve` and the Word/CSV listings do (a coding that
runs from the interviewer's question into the answer shows the answer's words, without the speaker
labels); its start and end stay the coding's own, so Enter selects the whole coding.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Label, Static
from textual.worker import Worker, WorkerState

from qualcode.analysis.data import plural
from qualcode.analysis.speakers import TranscriptView, said_fields
from qualcode.domain.coding import Coding
from qualcode.errors import QualcodeError
from qualcode.tui.colours import UNKNOWN
from qualcode.tui.coverage import place
from qualcode.tui.layout import middle_cut
from qualcode.tui.markup import as_shown
from qualcode.tui.screens.picker import CodePicker
from qualcode.tui.widgets.coding_list import one_line
from qualcode.tui.widgets.status import StatusLine
from qualcode.tui.widgets.virtual_list import VirtualList


@dataclass(frozen=True)
class Retrieved:
    coding: Coding
    start: int
    end: int
    status: str
    speaker: str
    text: str


def gather(project, codes: set[str], mine: list[Coding], me: str) -> tuple[list[Retrieved], list[str]]:
    """Every coding of ``codes`` by every coder, placed on the transcripts as they are now."""
    found: list[Coding] = [c for c in mine if c.code in codes]
    problems: list[str] = []
    for coder in project.coders():
        if coder == me:
            continue
        try:
            found += [c for c in project.codings(coder) if c.code in codes]
        except QualcodeError as exc:
            problems.append(str(exc))
    out: list[Retrieved] = []
    views: dict[str, TranscriptView] = {}
    for c in sorted(found, key=lambda c: (c.transcript, c.start, c.end, c.coder)):
        try:
            t = project.transcript(c.transcript)
        except QualcodeError:
            out.append(Retrieved(c, c.start, c.end, "orphaned", "", c.quote))
            continue
        shown = place(c, t)
        if shown.status == "orphaned":
            out.append(Retrieved(c, shown.start, shown.end, shown.status, t.speaker_at(shown.start) or "", c.quote))
            continue
        if t.id not in views:
            views[t.id] = TranscriptView(project, t.id, transcript=t)
        speaker, words = said(views[t.id], t, shown.start, shown.end)
        out.append(Retrieved(c, shown.start, shown.end, shown.status, speaker, words))
    return out, problems


def said(view: TranscriptView, t, start: int, end: int) -> tuple[str, str]:
    """(who said it, the words said) of the passage ``[start, end)`` of ``t`` as the workbench shows
    them, as `table retrieve` quotes a segment (``speakers.said_fields``); the passage as it reads,
    with the speaker at its start, when it holds no words said (or the transcript has no turns)."""
    quote = t.text[start:end]
    fields = said_fields(view, "", start, end, quote, "", "")
    if fields is None:
        return t.speaker_at(start) or "", as_shown(quote, t.format)
    return fields[1] or "", as_shown(fields[0], t.format)


class SegmentList(VirtualList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Retrieved] = []
        self.book = None
        self.colours: dict[str, str] = {}

    @staticmethod
    def cells(transcript: str, speaker: str, coder: str, width: int) -> tuple[str, str, str]:
        """The transcript, speaker and coder columns of a list ``width`` wide (after the "■ " mark), each
        cut to fit and padded: the header (``header``) and the rows line up."""
        tw, sw, cw = 12, max(8, width // 6), 12
        speaker = speaker if len(speaker) < sw else speaker[: sw - 2] + "…"
        return (middle_cut(transcript, tw - 1).ljust(tw), speaker.ljust(sw), middle_cut(coder, cw - 1).ljust(cw))

    def header(self) -> str:
        """The columns' names, over the rows as this list is wide now."""
        return "  " + "".join(self.cells("transcript", "speaker", "coder", self.size.width)) + "quote"

    def row_segments(self, index: int, width: int) -> list[Segment]:
        seg = self.rows[index]
        base = self.rich_style
        # the list's whole width, not ``width``: a scrollbar appearing must not move the columns
        transcript, speaker, coder = self.cells(seg.coding.transcript, seg.speaker, seg.coding.coder, self.size.width)
        flag = f"⚠{seg.status} " if seg.status != "kept" else ""
        return [
            Segment("■ ", base + Style(color=self.colours.get(seg.coding.code, UNKNOWN))),
            Segment(transcript, base + Style(bold=True)),
            Segment(speaker, base),
            Segment(coder, base + Style(dim=True)),
            Segment(flag, base + Style(color="#E8A33D", bold=True)),
            Segment(one_line(seg.text), base),
        ]

    def on_resize(self) -> None:
        self.screen.query_one("#columns", Label).update(self.header())


class RetrievalScreen(Screen):
    DEFAULT_CSS = """
    RetrievalScreen Label.heading { text-style: bold; padding: 0 1; width: 100%; background: $boost; }
    RetrievalScreen #segments { height: 1fr; }
    RetrievalScreen #detail { height: auto; max-height: 10; padding: 0 1; border-top: tall $panel-lighten-1; }
    """
    BINDINGS = [
        Binding("c", "choose_code", "Another code"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Label("Retrieval", classes="heading", id="heading")
        yield Label("transcript speaker    coder       quote", id="columns")
        yield SegmentList(id="segments")
        yield Static("", id="detail")
        yield Footer()

    @property
    def desk(self):
        return self.app.desk

    def on_mount(self) -> None:
        self.query_one(StatusLine).show(self.desk, "Enter opens a segment in its transcript")
        if self.code is None:
            self.code = self._code_from_below()
        if self.code is None:
            self.action_choose_code()
        else:
            self.load(self.code)

    def _code_from_below(self) -> str | None:
        from qualcode.tui.screens.coding import CodingScreen

        for screen in reversed(self.app.screen_stack[:-1]):
            if isinstance(screen, CodingScreen):
                from qualcode.tui.widgets.code_tree import CodeTree

                return screen.query_one(CodeTree).highlighted_code
        return None

    def action_choose_code(self) -> None:
        def chosen(code: str | None) -> None:
            if code:
                self.load(code)
            elif self.code is None:
                self.app.pop_screen()

        self.app.push_screen(CodePicker(self.desk.codebook, self.app.colours, "Retrieve the segments of",
                                        counts=dict(self.desk.counts)), chosen)

    def load(self, code: str) -> None:
        self.code = code
        book = self.desk.codebook
        name = book.path_name(code) if code in book else code
        self.query_one("#heading", Label).update(f"Retrieval: {name} (and its sub-codes) · gathering…")
        codes = {code, *book.descendants(code)} if code in book else {code}
        self.gather(codes, list(self.desk.codings))

    @work(thread=True, exclusive=True, group="retrieval", exit_on_error=False)
    def gather(self, codes: set[str], mine: list[Coding]):
        return gather(self.desk.project, codes, mine, self.desk.coder)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "retrieval":
            return
        if event.state == WorkerState.ERROR:
            self.app.report(event.worker.error, title="Retrieval")
        if event.state != WorkerState.SUCCESS:
            return
        rows, problems = event.worker.result
        for p in problems:
            self.app.notify(p, title="Journal", severity="warning")
        segments = self.query_one(SegmentList)
        segments.rows = rows
        segments.colours = self.app.colours
        segments.cursor = 0
        segments.set_count(len(rows))
        segments.scroll_to(y=0, animate=False, immediate=True)
        book = self.desk.codebook
        name = book.path_name(self.code) if self.code in book else self.code
        coders = len({r.coding.coder for r in rows})
        texts = len({r.coding.transcript for r in rows})
        self.query_one("#heading", Label).update(
            f"Retrieval: {name} (and its sub-codes) · {plural(len(rows), 'segment')} in {plural(texts, 'transcript')} "
            f"by {plural(coders, 'coder')}")
        self._detail(0)
        segments.focus()

    def on_virtual_list_highlighted(self, event: VirtualList.Highlighted) -> None:
        self._detail(event.index)

    def _detail(self, i: int) -> None:
        rows = self.query_one(SegmentList).rows
        if not 0 <= i < len(rows):
            self.query_one("#detail", Static).update("No segments coded with this code yet.")
            return
        seg = rows[i]
        book = self.desk.codebook
        code = book.get(seg.coding.code)
        text = Text()
        text.append(f"{seg.coding.transcript}", style="bold")
        text.append(f" · {seg.speaker or 'no speaker'} · {code.name if code else seg.coding.code} · {seg.coding.coder}")
        if seg.status != "kept":
            text.append(f" · ⚠ {seg.status} (made on an earlier version of the transcript)", style="#E8A33D")
        text.append("\n" + one_line(seg.text))
        if seg.coding.memo:
            text.append("\nmemo: ", style="bold")
            text.append(seg.coding.memo)
        self.query_one("#detail", Static).update(text)

    def on_virtual_list_chosen(self, event: VirtualList.Chosen) -> None:
        rows = self.query_one(SegmentList).rows
        if 0 <= event.index < len(rows):
            seg = rows[event.index]
            if seg.status == "orphaned":
                self.app.notify("This segment's text is no longer in the transcript (orphaned).", severity="warning")
            self.app.open_transcript(seg.coding.transcript, (seg.start, seg.end) if seg.end > seg.start else None)

    def action_back(self) -> None:
        self.app.pop_screen()
