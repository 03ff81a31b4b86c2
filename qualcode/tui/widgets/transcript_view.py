"""The transcript as coded: speaker turns, coded spans in their codes' colours, a margin of stripes.

A Line API widget (``ScrollView``): only the visible lines are drawn, each from the wrapped text
(``layout.Wrap``) and the codings that touch it (``coverage.CodingIndex``), and drawn lines are
cached until something on them changes. Cursor and selection are code-point offsets into the
canonical text, so a highlight lands on the characters coded whatever their width (é, ’, emoji).
In a Markdown or reST transcript the markup characters (``**``, heading underlines...) are in that
text but drawn in no cells (``tui.markup``): the cursor steps over them.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.domain.transcript import Transcript
from qualcode.tui.coverage import CodingIndex
from qualcode.tui.layout import Wrap
from qualcode.tui.markup import MARKUP_FORMATS, heading_spans, hidden_spans
from qualcode.tui.widgets.transcript_paint import GUTTER, MAX_LANES, LinePainter

_MOVES = [
    ("left", "left"), ("right", "right"), ("up", "up"), ("down", "down"), ("home", "home"),
    ("end", "end"), ("pageup", "page_up"), ("pagedown", "page_down"), ("ctrl+home", "top"),
    ("ctrl+end", "bottom"), ("ctrl+left", "word_left"), ("ctrl+right", "word_right"),
]


def _move_bindings() -> list[Binding]:
    out = []
    for key, where in _MOVES:
        out.append(Binding(key, f"move('{where}', False)", show=False))
        shift = key.replace("ctrl+", "ctrl+shift+") if key.startswith("ctrl+") else f"shift+{key}"
        out.append(Binding(shift, f"move('{where}', True)", show=False))
    return out


class Span(NamedTuple):
    """A selection ``[start, end)`` in code points."""

    start: int
    end: int


class TranscriptView(ScrollView, can_focus=True):
    """One transcript, read-only, with a cursor and a selection."""

    ALLOW_SELECT = False
    BINDINGS = _move_bindings()
    DEFAULT_CSS = """
    TranscriptView {
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
    }
    """

    class SelectionChanged(Message):
        """The cursor or the selection moved (only the latest is kept in the queue)."""

        def __init__(self, view: "TranscriptView") -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> "TranscriptView":
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TranscriptView.SelectionChanged)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.transcript: Transcript | None = None
        self.index: CodingIndex | None = None
        self.colours: dict[str, str] = {}
        self.lanes: dict[str, int] = {}
        self.margin = 2
        self.cursor = 0
        """The cursor's offset in the canonical text."""
        self.anchor: int | None = None
        """The other end of the selection, or None when nothing is selected."""
        self.matches: list[tuple[int, int]] = []
        self.match_starts: list[int] = []
        self.wrap: Wrap | None = None
        self.hidden: list[tuple[int, int]] = []
        self.headings: list[tuple[int, int]] = []
        """Heading lines of a Markdown or reST transcript (drawn in bold, their underline hidden)."""
        self.heading_starts: list[int] = []
        self.turn_counts: Counter = Counter()
        """Each speaker's turns in this transcript (the status line says them with the role)."""
        """Markup characters drawn in no cells (Markdown and reST transcripts)."""
        self._cache: dict[int, Strip] = {}
        self._goal_x: int | None = None
        self._dragging = False
        self.painter = LinePainter(self)
        self._order: dict[str, int] = {}
        self.on_selection = None
        """Called at once (same frame) when the cursor or selection moves; ``SelectionChanged`` is posted too."""

    # -- content ---------------------------------------------------------------------------
    def show(self, transcript: Transcript, index: CodingIndex, colours: dict[str, str], code_order: list[str]) -> None:
        """Show ``transcript`` with ``index``'s codings; ``code_order`` is the codebook's tree order."""
        self.transcript = transcript
        self.index = index
        self.cursor = 0
        self.anchor = None
        self.matches = []
        self.match_starts = []
        self.wrap = None
        markup = transcript.format in MARKUP_FORMATS
        self.hidden = hidden_spans(transcript.text) if markup else []
        self.headings = [h for h in heading_spans(transcript.text) if transcript.turn_at(h[0]) is None] if markup else []
        self.heading_starts = [a for a, _ in self.headings]
        self.turn_counts = Counter(turn.speaker for turn in transcript.turns)
        self.set_colours(colours, code_order)
        self._rewrap()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def set_colours(self, colours: dict[str, str], code_order: list[str]) -> None:
        """New codebook colours or order (the margin is as wide as the codebook needs, at most MAX_LANES)."""
        self.colours = colours
        self._order = {code: i for i, code in enumerate(code_order)}
        margin = min(max(len(code_order), 1), MAX_LANES) + 1
        if margin != self.margin:
            self.margin = margin
            self.wrap = None
            self._rewrap()
        self.lanes = {}
        self.update_lanes()
        self.painter.clear()
        self.invalidate()

    def update_lanes(self) -> None:
        """One stripe column per code used in this transcript, in codebook order."""
        if self.index is None:
            return
        used = sorted((c for c, n in self.index.codes.items() if n > 0),
                      key=lambda c: (self._order.get(c, len(self._order)), c))
        lanes = {code: i for i, code in enumerate(used)}
        if lanes != self.lanes:
            self.lanes = lanes
            self.invalidate()

    @property
    def text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - GUTTER - self.margin - 1)

    def _rewrap(self) -> None:
        if self.transcript is None or self.scrollable_content_region.width <= 0:
            return
        width = self.text_width
        if self.wrap is not None and self.wrap.width == width:
            return
        self.wrap = Wrap(self.transcript.text, self.transcript.lines.starts, width, self.hidden)
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.wrap))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()
        self.call_after_refresh(self.scroll_cursor_visible)

    def on_mount(self) -> None:
        self._rewrap()

    def invalidate(self, start: int | None = None, end: int | None = None) -> None:
        """Redraw the lines showing ``[start, end]`` (everything when no range is given)."""
        if start is None or self.wrap is None:
            self._cache.clear()
            self.refresh()
            return
        lines = self.wrap.lines_between(min(start, end), max(start, end))
        for i in lines:
            self._cache.pop(i, None)
        top = int(self.scroll_y)
        first, last = max(lines.start, top), min(lines.stop, top + self.scrollable_content_region.height)
        if first < last:
            self.refresh_lines(first, last - first)

    # -- selection -------------------------------------------------------------------------
    @property
    def selection(self) -> Span | None:
        """The selected span ``[start, end)``, or None."""
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return Span(min(self.anchor, self.cursor), max(self.anchor, self.cursor))

    def _changed(self, old_cursor: int, old_anchor: int | None) -> None:
        lo = min(x for x in (old_cursor, old_anchor, self.cursor, self.anchor) if x is not None)
        hi = max(x for x in (old_cursor, old_anchor, self.cursor, self.anchor) if x is not None)
        self.invalidate(lo, hi)
        if self.on_selection is not None:
            self.on_selection()
        self.post_message(self.SelectionChanged(self))

    def select(self, start: int, end: int, *, cursor_at_start: bool = False, center: bool = False) -> None:
        """Select ``[start, end)`` and bring it into view."""
        if self.transcript is None:
            return
        n = len(self.transcript.text)
        start, end = max(0, min(start, n)), max(0, min(end, n))
        old = (self.cursor, self.anchor)
        if cursor_at_start:
            self.cursor, self.anchor = start, end
        else:
            self.cursor, self.anchor = end, start
        self._goal_x = None
        self._changed(*old)
        if center:
            self.scroll_offset_to(start, center=True)
        self.scroll_cursor_visible()

    def move_cursor(self, offset: int, select: bool = False) -> None:
        if self.transcript is None:
            return
        old = (self.cursor, self.anchor)
        offset = max(0, min(offset, len(self.transcript.text)))
        if select:
            if self.anchor is None:
                self.anchor = self.cursor
        else:
            self.anchor = None
        self.cursor = offset
        self._changed(*old)
        self.scroll_cursor_visible()

    def clear_selection(self) -> bool:
        if self.anchor is None:
            return False
        old = (self.cursor, self.anchor)
        self.anchor = None
        self._changed(*old)
        return True

    def scroll_offset_to(self, offset: int, center: bool = False) -> None:
        if self.wrap is None:
            return
        line = self.wrap.line_of(offset)
        height = self.scrollable_content_region.height
        if center:
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)
        else:
            self.scroll_line_visible(line)

    def scroll_line_visible(self, line: int) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def scroll_cursor_visible(self) -> None:
        if self.wrap is not None:
            self.scroll_line_visible(self.wrap.line_of(self.cursor))

    def action_move(self, where: str, select: bool) -> None:
        if self.transcript is None or self.wrap is None:
            return
        text = self.transcript.text
        wrap = self.wrap
        cur = self.cursor
        keep_goal = where in ("up", "down", "page_up", "page_down")
        line, x = wrap.x_of(cur)
        goal = self._goal_x if (keep_goal and self._goal_x is not None) else x
        height = max(1, self.scrollable_content_region.height - 1)
        if not select and self.selection is not None and where in ("left", "right"):
            span = self.selection
            self.move_cursor(span.start if where == "left" else span.end)
            return
        if where == "left":
            new = self.step(cur, -1)
        elif where == "right":
            new = self.step(cur, 1)
        elif where in ("up", "down", "page_up", "page_down"):
            step = {"up": -1, "down": 1, "page_up": -height, "page_down": height}[where]
            target = max(0, min(len(wrap) - 1, line + step))
            if target == line:
                new = 0 if step < 0 else len(text)
            else:
                new = wrap.offset_at(target, goal)
        elif where == "home":
            new = wrap.starts[line]
        elif where == "end":
            end = wrap.end(line)
            new = end if wrap.is_last_of_row(line) else max(wrap.starts[line], end - 1)
        elif where == "top":
            new = 0
        elif where == "bottom":
            new = len(text)
        elif where == "word_left":
            new = cur
            while new > 0 and not text[new - 1].isalnum():
                new -= 1
            while new > 0 and text[new - 1].isalnum():
                new -= 1
        elif where == "word_right":
            new = cur
            while new < len(text) and not text[new].isalnum():
                new += 1
            while new < len(text) and text[new].isalnum():
                new += 1
        else:
            return
        self.move_cursor(new, select)
        self._goal_x = goal if keep_goal else None

    def step(self, offset: int, direction: int) -> int:
        """The offset one shown character before (-1) or after (1) ``offset``, over hidden markup."""
        wrap = self.wrap
        if wrap is None or not wrap.hidden:
            return offset + direction
        if direction > 0:
            offset = self.shown_at(offset)
            offset += 1
            return self.shown_at(offset)
        offset -= 1
        while offset > 0 and (span := wrap.hidden_at(offset)) is not None:
            offset = span[0] - 1
        return offset

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` without white space or hidden markup at either end: a coding made on what
        is shown covers the words shown, never a ``**`` drawn in no cells."""
        text = self.transcript.text if self.transcript is not None else ""
        wrap = self.wrap if self.hidden else None

        def bare(i: int) -> bool:
            return text[i].isspace() or (wrap is not None and wrap.hidden_at(i) is not None)

        while start < end and bare(start):
            start += 1
        while end > start and bare(end - 1):
            end -= 1
        return start, end

    def shown_at(self, offset: int) -> int:
        """``offset``, or the first shown character after it when it is on hidden markup (where the
        cursor is drawn)."""
        if self.wrap is not None and self.wrap.hidden:
            span = self.wrap.hidden_at(offset)
            if span is not None:
                return span[1]
        return offset

    # -- mouse -----------------------------------------------------------------------------
    def _offset_at(self, event: events.MouseEvent) -> int:
        assert self.wrap is not None
        pos = event.get_content_offset_capture(self)
        height = self.scrollable_content_region.height
        if pos.y < 0:
            self.scroll_to(y=max(0, self.scroll_y - 1), animate=False, immediate=True)
        elif pos.y >= height:
            self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True)
        y = max(0, min(pos.y, height - 1))
        line = min(len(self.wrap) - 1, int(self.scroll_y) + y)
        return self.wrap.offset_at(line, pos.x - GUTTER)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self.wrap is None or event.button != 1:
            return
        self.focus()
        offset = self._offset_at(event)
        if event.shift:
            self.move_cursor(offset, select=True)
        else:
            old = (self.cursor, self.anchor)
            self.cursor, self.anchor = offset, offset
            self._changed(*old)
        self._dragging = True
        self.capture_mouse()
        event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging and self.wrap is not None:
            offset = self._offset_at(event)
            if offset != self.cursor:
                old = (self.cursor, self.anchor)
                self.cursor = offset
                self._changed(*old)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            if self.anchor == self.cursor:
                self.anchor = None

    # -- search ----------------------------------------------------------------------------
    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        self.matches = matches
        self.match_starts = [s for s, _ in matches]
        self.invalidate()

    # -- drawing ---------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.painter.clear()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        i = y + int(self.scroll_y)
        if self.wrap is None or self.transcript is None or i >= len(self.wrap):
            return Strip.blank(width, self.painter.base()[0])
        strip = self._cache.get(i)
        if strip is None:
            strip = self._cache[i] = self.painter.line(i, width)
        return strip

    # -- for the status line -----------------------------------------------------------------
    def describe_position(self) -> str:
        """Where the cursor is (turn, speaker, role) and how much is selected, for the status line."""
        if self.transcript is None:
            return ""
        t = self.transcript
        sel = self.selection
        at = self.cursor
        turn = t.turn_at(at)
        if turn is None and sel is not None:
            at = sel.start
            turn = t.turn_at(at)
        parts = []
        if turn is not None:
            n = self.turn_counts.get(turn.speaker, 0)
            parts.append(f"turn {t.turn_index(at) + 1}/{len(t.turns)} · {turn.speaker} "
                         f"({turn.role or 'no role'}, {n} turn{'s' if n != 1 else ''})")
        if sel is not None:
            parts.append(f"{sel.end - sel.start} characters selected")
        return " · ".join(parts)
