"""This transcript's codings, in text order: code, speaker, quote; Enter jumps to one."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from qualcode.domain.codebook import Codebook
from qualcode.domain.transcript import Transcript
from qualcode.tui.colours import UNKNOWN
from qualcode.tui.coverage import CodingIndex, Shown
from qualcode.tui.markup import as_shown
from qualcode.tui.widgets.virtual_list import VirtualList


def one_line(text: str) -> str:
    return " ".join(text.split())


class CodingList(VirtualList):
    """Rows are ``index.order``; a flag marks codings placed on an earlier version of the text."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index: CodingIndex | None = None
        self.transcript: Transcript | None = None
        self.book = Codebook()
        self.colours: dict[str, str] = {}

    def show(self, transcript: Transcript, index: CodingIndex, book: Codebook, colours: dict[str, str]) -> None:
        self.transcript, self.index, self.book, self.colours = transcript, index, book, colours
        self.cursor = 0
        self.set_count(len(index))
        self.scroll_to(y=0, animate=False, immediate=True)

    def set_codebook(self, book: Codebook, colours: dict[str, str]) -> None:
        self.book, self.colours = book, colours
        self.refresh()

    def shown(self, i: int) -> Shown | None:
        if self.index is None or not 0 <= i < len(self.index.order):
            return None
        return self.index.shown_at(i)

    def follow(self, coding_id: str) -> None:
        """Put the cursor on a coding (without jumping the transcript)."""
        if self.index is None:
            return
        i = self.index.position(coding_id)
        if i is not None:
            self.move_to(i, notify=False)

    def row_segments(self, index: int, width: int) -> list[Segment]:
        sh = self.shown(index)
        if sh is None or self.transcript is None:
            return []
        base = self.rich_style
        code = self.book.get(sh.code)
        colour = self.colours.get(sh.code, UNKNOWN)
        name = code.name if code else f"{sh.code} (not in codebook)"
        speaker = self.transcript.speaker_at(sh.start) or ""
        t = self.transcript
        quote = one_line(as_shown(t.text[sh.start:sh.end], t.format) if sh.status != "orphaned" else sh.coding.quote)
        flags = ""
        if sh.status != "kept":
            flags += f" ⚠{sh.status}"
        if sh.coding.memo:
            flags += " ✎"
        name_w = max(8, width // 3)
        speaker_w = max(6, width // 6)
        name = name if len(name) <= name_w - 1 else name[: name_w - 2] + "…"
        speaker = speaker if len(speaker) <= speaker_w - 1 else speaker[: speaker_w - 2] + "…"
        return [
            Segment("■ ", base + Style(color=colour)),
            Segment(name.ljust(name_w), base),
            Segment(speaker.ljust(speaker_w), base + Style(dim=True)),
            Segment(flags, base + Style(color="#E8A33D", bold=True)),
            Segment(" " + quote if flags else quote, base),
        ]
