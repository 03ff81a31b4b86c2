"""Soft wrap of a transcript into visual lines, and cell <-> character conversion.

Pure Python (plus ``rich.cells`` for the width of wide characters such as emoji). A visual line
is a slice ``text[starts[i]:end(i)]`` of one logical line; wrapping happens at white space, and a
word longer than the width is cut. All positions are code-point offsets into the canonical text.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rich.cells import cell_len

_WORD = re.compile(r"\S+\s*|\s+")


def _char_width(ch: str) -> int:
    return 1 if ch.isascii() else cell_len(ch)


def cells(text: str) -> int:
    """Terminal cells taken by ``text`` (fast path for ASCII)."""
    return len(text) if text.isascii() else cell_len(text)


def cell_to_col(text: str, x: int) -> int:
    """The character column under cell ``x`` of ``text`` (clamped to ``len(text)``)."""
    if x <= 0:
        return 0
    if text.isascii():
        return min(x, len(text))
    width = 0
    for i, ch in enumerate(text):
        width += _char_width(ch)
        if width > x:
            return i
    return len(text)


def col_to_cell(text: str, col: int) -> int:
    """Cells before character column ``col`` of ``text``."""
    return cells(text[:col])


class Wrap:
    """Visual lines of a text at one width.

    ``starts[i]`` is the offset where visual line ``i`` begins, ``rows[i]`` its logical line.
    Visual line ``i`` shows ``text[starts[i]:end(i)]``; the cursor may also sit at ``end(i)`` when
    the line is the last one of its logical line (the position of the line break).
    """

    __slots__ = ("text", "line_starts", "width", "starts", "rows", "hidden", "hidden_starts")

    def __init__(self, text: str, line_starts: list[int], width: int,
                 hidden: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.line_starts = line_starts
        self.width = max(4, width)
        self.hidden = hidden or []
        """Sorted, disjoint ``[start, end)`` ranges drawn in no cells (markup: see ``tui.markup``)."""
        self.hidden_starts = [a for a, _ in self.hidden]
        starts: list[int] = []
        rows: list[int] = []
        n = len(line_starts)
        width = self.width
        all_ascii = text.isascii()
        for row in range(n):
            s = line_starts[row]
            e = line_starts[row + 1] - 1 if row + 1 < n else len(text)
            if e - s <= width and (e == s or all_ascii or cells(text[s:e]) <= width):
                starts.append(s)
                rows.append(row)
                continue
            shown = self.shown(s, e)
            if shown is None:
                for vs in _wrap_line(text[s:e], width):
                    starts.append(s + vs)
                    rows.append(row)
                continue
            line, where = shown
            for vs in _wrap_line(line, width) if line else [0]:
                starts.append(where[vs] if vs else s)
                rows.append(row)
        self.starts = starts
        self.rows = rows

    def shown(self, s: int, e: int) -> tuple[str, list[int]] | None:
        """``text[s:e]`` as drawn (hidden characters left out) and each drawn character's offset, plus ``e``
        at the end; None when nothing in ``[s, e)`` is hidden."""
        j = bisect_right(self.hidden_starts, s) - 1
        if j >= 0 and self.hidden[j][1] > s:
            pass
        elif j + 1 < len(self.hidden) and self.hidden[j + 1][0] < e:
            j += 1
        else:
            return None
        where: list[int] = []
        at = s
        while at < e:
            if j < len(self.hidden) and self.hidden[j][0] <= at:
                at = max(at, self.hidden[j][1])
                j += 1
                continue
            stop = min(e, self.hidden[j][0]) if j < len(self.hidden) else e
            where.extend(range(at, stop))
            at = stop
        line = "".join(self.text[k] for k in where)
        where.append(e)
        return line, where

    def hidden_at(self, offset: int) -> tuple[int, int] | None:
        """The hidden range holding the character at ``offset``, or None."""
        j = bisect_right(self.hidden_starts, offset) - 1
        if j >= 0 and self.hidden[j][1] > offset:
            return self.hidden[j]
        return None

    def __len__(self) -> int:
        return len(self.starts)

    def row_end(self, row: int) -> int:
        """Offset of the end of logical line ``row`` (its line break, or the end of the text)."""
        if row + 1 < len(self.line_starts):
            return self.line_starts[row + 1] - 1
        return len(self.text)

    def end(self, i: int) -> int:
        """End (exclusive) of visual line ``i``'s text."""
        if i + 1 < len(self.starts) and self.rows[i + 1] == self.rows[i]:
            return self.starts[i + 1]
        return self.row_end(self.rows[i])

    def is_last_of_row(self, i: int) -> bool:
        return i + 1 >= len(self.starts) or self.rows[i + 1] != self.rows[i]

    def line_of(self, offset: int) -> int:
        """The visual line showing offset ``offset`` (a wrap point belongs to the next line)."""
        offset = max(0, min(offset, len(self.text)))
        return max(0, bisect_right(self.starts, offset) - 1)

    def lines_between(self, start: int, end: int) -> range:
        """Visual lines touched by ``[start, end]``."""
        return range(self.line_of(start), self.line_of(end) + 1)

    def offset_at(self, i: int, x: int) -> int:
        """The offset under cell ``x`` of visual line ``i`` (clamped to the line)."""
        i = max(0, min(i, len(self.starts) - 1))
        s, e = self.starts[i], self.end(i)
        shown = self.shown(s, e) if self.hidden else None
        if shown is None:
            off = s + cell_to_col(self.text[s:e], x)
        else:
            off = shown[1][cell_to_col(shown[0], x)]
        if off >= e and not self.is_last_of_row(i):
            off = max(s, e - 1)  # the wrap point itself is shown at the start of the next line
        return off

    def x_of(self, offset: int) -> tuple[int, int]:
        """(visual line, cell x) of ``offset``."""
        i = self.line_of(offset)
        s = self.starts[i]
        shown = self.shown(s, offset) if self.hidden else None
        if shown is not None:
            return i, cells(shown[0])
        return i, col_to_cell(self.text[s:offset], offset - s)


def _wrap_line(line: str, width: int) -> list[int]:
    """Start columns of the visual lines of one logical line (greedy, at white space)."""
    ascii_line = line.isascii()
    if ascii_line and not line.startswith((" ", "\t")):
        return _wrap_ascii(line, width)
    out = [0]
    used = 0
    for m in _WORD.finditer(line):
        word = m.group()
        bare = word.rstrip()
        w = len(bare) if ascii_line else cells(bare)
        if used and used + w > width:
            out.append(m.start())
            used = 0
        if w > width:
            # cut a long word into pieces of at most ``width`` cells
            piece = 0
            for j, ch in enumerate(bare):
                cw = 1 if ascii_line else _char_width(ch)
                if piece + cw > width and j:
                    out.append(m.start() + j)
                    piece = 0
                piece += cw
            used = piece + (len(word) - len(bare))
            continue
        used += w + (len(word) - len(bare))
    return out


def _wrap_ascii(line: str, width: int) -> list[int]:
    """The same for a line of ASCII (one cell per character): one ``rfind`` per visual line."""
    out = [0]
    pos, n = 0, len(line)
    while n - pos > width:
        # the last blank at or before pos+width ends this visual line (its words fit in ``width``)
        cut = line.rfind(" ", pos + 1, pos + width + 1)
        if cut <= pos:
            nxt = line.find(" ", pos)
            if nxt == -1 or nxt - pos > width:
                nxt = pos + width  # a word longer than the line: cut it
            else:
                nxt += 1
        else:
            nxt = cut + 1
        while nxt < n and line[nxt] == " ":
            nxt += 1
        if nxt >= n:
            break
        out.append(nxt)
        pos = nxt
    return out


def columns_that_fit(widths: dict[str, int], drop: list[str], room: int, pad: int = 2) -> list[str]:
    """The columns of ``widths`` (in its order) that fit in ``room`` cells, leaving out those in ``drop``
    (least important first) until they fit; each column takes its width plus ``pad``."""
    shown = list(widths)
    for key in drop:
        if sum(widths[k] + pad for k in shown) <= room:
            break
        if key in shown:
            shown.remove(key)
    return shown


def column_widths(headers: list, rows: list[list]) -> list[int]:
    """Cells each column needs: its widest cell or header (``str()`` of each, in terminal cells).

    Tables are given these widths when they are filled instead of measuring themselves later (a
    DataTable measures auto-width columns when the app is next idle, so a frame drawn before that,
    such as a snapshot taken under load, showed columns cut to their headers)."""
    widths = [cells(str(h)) for h in headers]
    for row in rows:
        for j, value in enumerate(row[:len(widths)]):
            widths[j] = max(widths[j], cells(str(value)))
    return widths


def middle_cut(name: str, width: int) -> str:
    """``name`` in at most ``width`` characters, cut in the middle: coders' names and transcript ids often
    differ only at the end ("researcher_a", "researcher_b", "…_q1-79"), which a cut at the end would hide."""
    if len(name) <= width:
        return name
    head = (width - 1) // 2
    return name[:head] + "…" + name[len(name) - (width - 1 - head):]


BREAKS = "_-./ "
"""Where a long id (an imported file's name) may be broken across lines: after these characters."""


def break_id(name: str, width: int) -> list[str]:
    """``name`` in lines of at most ``width`` cells, broken after ``_``, ``-``, ``.`` or ``/`` where it can
    be (a piece with none of them is cut where the line ends): ``01_ukparl_scitech-committee_2014-06-18_``
    then ``social-media-data_q1-79``, never ``..._social-me`` then ``dia-data_q1-79``."""
    lines: list[str] = []
    width = max(1, width)
    while cells(name) > width:
        head = name[:cell_to_col(name, width)]
        cut = max(head.rfind(ch) for ch in BREAKS) + 1
        if cut <= 0:
            cut = len(head) or 1
        lines.append(name[:cut])
        name = name[cut:]
    return [*lines, name] if name or not lines else lines
