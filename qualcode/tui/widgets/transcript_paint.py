"""Drawing one visual line of a transcript: the turn bar, styled text runs, the stripes margin.

Cuts the line where any run starts or ends (speaker label, each coding, search matches, the
selection, the cursor) and gives each piece one style: the innermost coding's tint behind the
text, underlined where codings overlap. Styles are made once and kept until the theme changes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from qualcode.tui.colours import ROLE_COLOURS, SELECTION_BG, SELECTION_FG, UNKNOWN, tint

if TYPE_CHECKING:
    from qualcode.tui.widgets.transcript_view import TranscriptView

GUTTER = 2
"""Cells before the text: the speaker's role bar and a space."""
MAX_LANES = 8
"""Stripe columns at most (one per code used in the transcript; "+" stands for the rest)."""


class LinePainter:
    def __init__(self, view: "TranscriptView") -> None:
        self.view = view
        self.styles: dict = {}

    def clear(self) -> None:
        self.styles.clear()

    def _style(self, key, make) -> Style:
        style = self.styles.get(key)
        if style is None:
            style = self.styles[key] = make()
        return style

    def base(self) -> tuple[Style, str]:
        """The view's own style and background colour (kept until the CSS or theme changes)."""
        cached = self.styles.get("base")
        if cached is None:
            base = self.view.rich_style
            bg = base.bgcolor.get_truecolor().hex if base.bgcolor else "#1E1E1E"
            cached = self.styles["base"] = (base, bg)
        return cached

    def line(self, i: int, width: int) -> Strip:
        """Visual line ``i`` of the view, ``width`` cells wide."""
        view = self.view
        assert view.wrap is not None and view.transcript is not None and view.index is not None
        transcript, wrap = view.transcript, view.wrap
        text = transcript.text
        base, bg = self.base()
        s, e = wrap.starts[i], wrap.end(i)
        last = wrap.is_last_of_row(i)
        turn = transcript.turn_at(s)
        role = turn.role if turn else None
        segments: list[Segment] = []
        # gutter: a bar in the speaker's role colour on every line of a turn
        if turn is not None:
            bar = self._style(("bar", role), lambda: base + Style(color=ROLE_COLOURS.get(role, ROLE_COLOURS[None])))
            segments.append(Segment("▌ ", bar))
        else:
            segments.append(Segment("  ", base))
        # text runs: label, codings, search matches, selection, cursor
        shown = view.index.overlapping(s, e) if e > s else []
        cuts = {s, e}
        label = None
        if turn is not None and turn.start < e and s < turn.text_start:
            label = (max(s, turn.start), min(e, turn.text_start))
            cuts.update(label)
        for sh in shown:
            cuts.add(max(s, sh.start))
            cuts.add(min(e, sh.end))
        sel = view.selection
        if sel is not None and sel.start < e and s < sel.end:
            cuts.add(max(s, sel.start))
            cuts.add(min(e, sel.end))
        matches = []
        if view.matches:
            j = bisect_left(view.match_starts, s)
            while j > 0 and view.matches[j - 1][1] > s:
                j -= 1
            while j < len(view.matches) and view.matches[j][0] < e:
                ms, me = view.matches[j]
                matches.append((ms, me))
                cuts.add(max(s, ms))
                cuts.add(min(e, me))
                j += 1
        hidden = []
        if view.hidden:
            j = max(0, bisect_left(wrap.hidden_starts, s) - 1)
            while j < len(wrap.hidden) and wrap.hidden[j][0] < e:
                ha, hb = wrap.hidden[j]
                if hb > s:
                    hidden.append((ha, hb))
                    cuts.add(max(s, ha))
                    cuts.add(min(e, hb))
                j += 1
        at = view.shown_at(view.cursor)
        cursor = at if (s <= at < e) else None
        if cursor is not None:
            cuts.add(cursor)
            cuts.add(cursor + 1)
        points = sorted(c for c in cuts if s <= c <= e)
        h = bisect_right(view.heading_starts, s) - 1
        heading = h >= 0 and view.headings[h][1] > s
        role_colour = ROLE_COLOURS.get(role, ROLE_COLOURS[None])
        for a, b in zip(points, points[1:]):
            if a >= b or any(ha <= a < hb for ha, hb in hidden):
                continue
            in_label = label is not None and label[0] <= a < label[1]
            codes = sorted((sh for sh in shown if sh.start <= a < sh.end), key=lambda sh: sh.end - sh.start)
            in_sel = sel is not None and sel.start <= a < sel.end
            in_match = any(ms <= a < me for ms, me in matches)
            at_cursor = cursor is not None and a == cursor
            inner = codes[0].code if codes else None
            key = (in_label, role if in_label else None, inner, len(codes) > 1, in_sel, in_match, at_cursor, heading)
            style = self._style(key, lambda: self._compose(base, bg, in_label, role_colour, inner,
                                                           len(codes) > 1, in_sel, in_match, at_cursor, heading))
            segments.append(Segment(text[a:b], style))
        if at == e and last:
            segments.append(Segment(" ", self._style("cursor", lambda: base + Style(reverse=True))))
        tw = view.text_width
        body = Segment.adjust_line_length(segments, GUTTER + tw, base, pad=True)
        # margin: one stripe column per code (codebook order), "+" for codes past the last column
        cols = [" "] * (view.margin - 1)
        col_style: list[Style] = [base] * (view.margin - 1)
        covering = shown if e > s else view.index.overlapping(s, s + 1)
        for sh in covering:
            lane = view.lanes.get(sh.code, len(view.lanes))
            if lane >= view.margin - 1 or (lane == view.margin - 2 and len(view.lanes) > view.margin - 1):
                cols[-1] = "+"
                col_style[-1] = self._style("more", lambda: base + Style(color="#FFFFFF", bold=True))
                continue
            cols[lane] = "┃"
            colour = view.colours.get(sh.code, UNKNOWN)
            col_style[lane] = self._style(("stripe", colour), lambda: base + Style(color=colour))
        body.append(Segment(" ", base))
        body.extend(Segment(ch, st) for ch, st in zip(cols, col_style))
        used = GUTTER + tw + view.margin
        if width > used:
            body.append(Segment(" " * (width - used), base))
        return Strip(body, max(width, used)) if width >= used else Strip(body).crop(0, width)

    def _compose(self, base: Style, bg: str, in_label: bool, role_colour: str, inner: str | None,
                 overlap: bool, in_sel: bool, in_match: bool, at_cursor: bool, heading: bool = False) -> Style:
        style = base + Style(bold=True) if heading else base
        if in_label:
            style += Style(bold=True, color=role_colour)
        if inner is not None:
            style += Style(bgcolor=tint(self.view.colours.get(inner, UNKNOWN), bg))
            if overlap:
                style += Style(underline=True)
        if in_match:
            style += Style(bgcolor="#B58900", color="#000000")
        if in_sel:
            style += Style(bgcolor=SELECTION_BG, color=SELECTION_FG)
        if at_cursor:
            style += Style(reverse=True)
        return style

