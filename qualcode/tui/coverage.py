"""The codings shown on one open transcript, indexed for drawing and navigation.

Pure Python. Each coding is shown where it is anchored now (``Shown.start``/``end``): a coding made
on an earlier version of the transcript is ``moved`` or ``orphaned`` (flagged, never hidden).
Buckets per logical line make "which codings touch this visual line" cost what the line holds, not
what the transcript holds; a sorted list of starts serves next/previous and the codings panel.
Adding or removing one coding costs a bisect and the lines it spans.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from typing import NamedTuple

from qualcode.domain.coding import Coding
from qualcode.domain.transcript import Transcript
from qualcode.store.anchoring import KEPT, anchor


class Shown(NamedTuple):
    """A coding as drawn: where it is now and whether it moved since it was made."""

    coding: Coding
    start: int
    end: int
    status: str = KEPT

    @property
    def id(self) -> str:
        return self.coding.id

    @property
    def code(self) -> str:
        return self.coding.code

    @property
    def key(self) -> tuple[int, int, str, str]:
        return (self.start, self.end, self.coding.code, self.coding.id)

    @property
    def flagged(self) -> bool:
        return self.status != KEPT


def place(coding: Coding, transcript: Transcript) -> Shown:
    """Where ``coding`` lands on the transcript as it is now."""
    if coding.th == transcript.hash and 0 <= coding.start < coding.end <= len(transcript.text):
        return Shown(coding, coding.start, coding.end, KEPT)
    a = anchor(coding, transcript.text, transcript.hash)
    return Shown(coding, a.start, a.end, a.status)


class CodingIndex:
    """This transcript's codings (one coder's), kept in step with each change.

    ``order`` holds ``Shown.key`` tuples sorted by start; the codings touching a logical line are
    found from it (a bisect on the starts, widened by the longest coding) the first time the line
    is drawn, and kept until a change touches that line.
    """

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.lines = transcript.lines
        self.by_id: dict[str, Shown] = {}
        self.order: list[tuple[int, int, str, str]] = []  # Shown.key, sorted
        self.starts: list[int] = []  # order's starts
        self.codes: Counter = Counter()
        self.longest = 0
        self._rows: dict[int, list[Shown]] = {}

    @classmethod
    def build(cls, transcript: Transcript, codings) -> "CodingIndex":
        index = cls(transcript)
        text_hash, n = transcript.hash, len(transcript.text)
        shown = [Shown(c, c.start, c.end, KEPT) if (c.th == text_hash and 0 <= c.start < c.end <= n)
                 else place(c, transcript) for c in codings]
        index.by_id = {s.coding.id: s for s in shown}
        index.order = sorted((s.start, s.end, s.coding.code, s.coding.id) for s in shown)
        index.starts = [k[0] for k in index.order]
        index.codes = Counter(s.coding.code for s in shown)
        index.longest = max((s.end - s.start for s in shown), default=0)
        return index

    def __len__(self) -> int:
        return len(self.by_id)

    # -- changes ---------------------------------------------------------------------------
    def _forget_rows(self, s: Shown) -> None:
        if not self._rows:
            return
        r0 = self.lines.location(s.start)[0]
        r1 = self.lines.location(max(s.start, s.end - 1))[0]
        for r in range(r0, r1 + 1):
            self._rows.pop(r, None)

    def add(self, coding: Coding) -> Shown:
        if coding.id in self.by_id:
            self.remove(coding.id)
        s = place(coding, self.transcript)
        self.by_id[s.id] = s
        self.codes[s.code] += 1
        i = bisect_left(self.order, s.key)
        self.order.insert(i, s.key)
        self.starts.insert(i, s.start)
        self.longest = max(self.longest, s.end - s.start)
        self._forget_rows(s)
        return s

    def remove(self, coding_id: str) -> Shown | None:
        s = self.by_id.pop(coding_id, None)
        if s is None:
            return None
        i = bisect_left(self.order, s.key)
        if i < len(self.order) and self.order[i] == s.key:
            del self.order[i]
            del self.starts[i]
        self._forget_rows(s)
        self.codes[s.code] -= 1
        if self.codes[s.code] <= 0:
            del self.codes[s.code]
        return s

    # -- queries ---------------------------------------------------------------------------
    def row(self, r: int) -> list[Shown]:
        """Codings touching logical line ``r`` (its text and its line break)."""
        found = self._rows.get(r)
        if found is None:
            lines = self.lines
            rs = lines.starts[r]
            re_ = lines.starts[r + 1] if r + 1 < len(lines.starts) else len(self.transcript.text) + 1
            order, by_id = self.order, self.by_id
            lo = bisect_left(self.starts, rs - self.longest)
            hi = bisect_left(self.starts, re_)
            found = [by_id[order[i][3]] for i in range(lo, hi) if order[i][1] > rs and order[i][1] > order[i][0]]
            self._rows[r] = found
        return found

    def overlapping(self, start: int, end: int) -> list[Shown]:
        """Codings drawn on ``[start, end)`` (an empty range asks for the codings covering ``start``)."""
        if end <= start:
            end = start + 1
        r0 = self.lines.location(start)[0]
        r1 = self.lines.location(max(start, end - 1))[0]
        if r0 == r1:
            return [s for s in self.row(r0) if s.start < end and start < s.end]
        seen: dict[str, Shown] = {}
        for r in range(r0, r1 + 1):
            for s in self.row(r):
                if s.start < end and start < s.end:
                    seen[s.id] = s
        return list(seen.values())

    def at(self, offset: int) -> list[Shown]:
        """Codings under the cursor, innermost first (a cursor just after a coding counts too)."""
        hits = [s for s in self.overlapping(offset, offset + 1) if s.start <= offset < s.end]
        if not hits and offset > 0:
            hits = [s for s in self.overlapping(offset - 1, offset) if s.end == offset]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start))

    def exact(self, start: int, end: int) -> list[Shown]:
        return [s for s in self.overlapping(start, end) if s.start == start and s.end == end]

    def position(self, coding_id: str) -> int | None:
        """Index of a coding in ``order`` (for the codings panel)."""
        s = self.by_id.get(coding_id)
        if s is None:
            return None
        i = bisect_left(self.order, s.key)
        return i if i < len(self.order) and self.order[i] == s.key else None

    def shown_at(self, i: int) -> Shown:
        return self.by_id[self.order[i][3]]

    def next_after(self, offset: int, code: set[str] | None = None) -> Shown | None:
        """The first coding starting after ``offset`` (optionally only of the codes in ``code``)."""
        order = self.order
        for i in range(bisect_right(order, (offset, 1 << 62)), len(order)):
            if code is None or order[i][2] in code:
                return self.by_id[order[i][3]]
        return None

    def prev_before(self, offset: int, code: set[str] | None = None) -> Shown | None:
        """The last coding starting before ``offset``."""
        order = self.order
        for i in range(bisect_left(order, (offset, -1)) - 1, -1, -1):
            if code is None or order[i][2] in code:
                return self.by_id[order[i][3]]
        return None

    def flagged(self) -> list[Shown]:
        return [s for s in self.by_id.values() if s.flagged]
