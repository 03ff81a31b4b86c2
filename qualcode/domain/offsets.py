"""Offsets are Unicode code points into the canonical transcript text.

This module is the one place that converts them to and from anything else:
``(row, col)`` locations (Textual's TextArea), UTF-8 byte columns (TextArea highlights)
and UTF-16 code units (NVivo's REFI-QDA positions).
"""

from __future__ import annotations

import re
from bisect import bisect_right

# Every line break the canonical text turns into "\n" (CRLF first, then the single ones).
_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0c\x0b]")


def canonicalize(text: str) -> str:
    """Canonical text: no BOM, every line break a single ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _BREAKS.sub("\n", text)


class LineIndex:
    """Line-start table for one text: offset <-> (row, col) in O(log lines)."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def location(self, offset: int) -> tuple[int, int]:
        """(row, col) of a code-point offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        row = bisect_right(self.starts, offset) - 1
        return row, offset - self.starts[row]

    def offset(self, row: int, col: int) -> int:
        """Code-point offset of (row, col); clamps to the text and to the line."""
        if row < 0:
            return 0
        if row >= len(self.starts):
            return len(self.text)
        start = self.starts[row]
        end = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else len(self.text)
        return start + max(0, min(col, end - start))

    def line(self, row: int) -> str:
        start = self.starts[row]
        end = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else len(self.text)
        return self.text[start:end]


def utf8_column(line: str, col: int) -> int:
    """Byte column in UTF-8 of code-point column ``col`` of ``line``."""
    return len(line[:col].encode("utf-8"))


def to_utf16(text: str, offset: int) -> int:
    """UTF-16 code units before code-point ``offset`` (astral characters count 2)."""
    prefix = text[:offset]
    return offset + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def from_utf16(text: str, units: int) -> int:
    """Code-point offset of a UTF-16 position; a position inside a surrogate pair rounds up."""
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
