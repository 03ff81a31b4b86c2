"""A transcript: canonical text, speaker turns, metadata.

Pure Python. Offsets are code points into ``Transcript.text`` (see ``offsets``).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from qualcode.domain.offsets import LineIndex

INTERVIEWER = "interviewer"
RESPONDENT = "respondent"

_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class Turn:
    """One speaker turn.

    ``text[start:end]`` is the whole turn as it stands in the canonical text (label included);
    ``text[text_start:end]`` is what was said. ``timestamp`` is seconds from the start of the
    recording when the source gave one. ``role`` is ``"interviewer"``, ``"respondent"`` or None.
    """

    speaker: str
    start: int
    end: int
    text_start: int
    timestamp: float | None = None
    role: str | None = None
    label: str | None = None

    def to_json(self) -> dict:
        d = {"speaker": self.speaker, "start": self.start, "end": self.end, "text_start": self.text_start}
        if self.timestamp is not None:
            d["timestamp"] = self.timestamp
        if self.role:
            d["role"] = self.role
        if self.label and self.label != self.speaker:
            d["label"] = self.label
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Turn":
        return cls(
            speaker=d["speaker"],
            start=d["start"],
            end=d["end"],
            text_start=d.get("text_start", d["start"]),
            timestamp=d.get("timestamp"),
            role=d.get("role"),
            label=d.get("label"),
        )


def content_hash(text: str) -> str:
    """The identity of a transcript's canonical text (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


@dataclass
class Transcript:
    """A transcript as coded: canonical text, turns and metadata.

    ``metadata`` holds what the file's YAML front matter (or the format's header) gave: title,
    date, interviewer, attributes, ``illustrative``, ``aliases`` and anything else.
    """

    id: str
    text: str
    turns: list[Turn] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    format: str = "text"
    source: str | None = None

    @property
    def title(self) -> str:
        return str(self.metadata.get("title") or self.id)

    @cached_property
    def hash(self) -> str:
        return content_hash(self.text)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def word_count(self) -> int:
        """Words said: the turns' text after their labels (so that one interview counts alike from every
        export format, whatever labels, timestamps or headers it carries); the whole text without turns."""
        if not self.turns:
            return count_words(self.text)
        return sum(count_words(self.text[t.text_start:t.end]) for t in self.turns)

    @cached_property
    def _turn_starts(self) -> list[int]:
        return [t.start for t in self.turns]

    def turn_at(self, offset: int) -> Turn | None:
        """The turn containing ``offset`` (None before the first turn or between turns)."""
        i = bisect_right(self._turn_starts, offset) - 1
        if i >= 0 and offset < self.turns[i].end:
            return self.turns[i]
        if i >= 0 and offset == self.turns[i].end == len(self.text):
            return self.turns[i]
        return None

    def turn_index(self, offset: int) -> int | None:
        turn = self.turn_at(offset)
        return None if turn is None else self._turn_starts.index(turn.start)

    def speaker_at(self, offset: int) -> str | None:
        turn = self.turn_at(offset)
        return turn.speaker if turn else None

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """A light sentence span around ``offset`` (for "select this sentence"), inside its turn. Between
        two turns (on the blank line that parts them) it is the next turn's first sentence, never a
        span that runs across turns or takes in a speaker's label; text outside every turn (a heading)
        stays within its gap."""
        text = self.text
        turn = self.turn_at(offset)
        lo, hi = (turn.text_start, turn.end) if turn else (0, len(text))
        if turn is None and self.turns:
            i = bisect_right(self._turn_starts, offset)
            prev = self.turns[i - 1] if i > 0 else None
            nxt = self.turns[i] if i < len(self.turns) else None
            line_start = text.rfind("\n", 0, offset) + 1
            line_end = text.find("\n", offset)
            line = text[line_start:line_end if line_end >= 0 else len(text)]
            if prev is not None and line_start < prev.end:  # at the end of the previous turn's last line
                turn, offset = prev, max(prev.text_start, prev.end - 1)
            elif not line.strip():  # the blank line between two turns: the next one
                turn = nxt or prev
                offset = turn.text_start if nxt is not None else max(turn.text_start, turn.end - 1)
            else:  # text outside every turn (a heading): within its gap
                lo, hi = (prev.end if prev else 0), (nxt.start if nxt else len(text))
            if turn is not None:
                lo, hi = turn.text_start, turn.end
        offset = max(lo, min(offset, hi))
        start = lo
        for m in _SENTENCE_END.finditer(text, lo, offset):
            start = m.end()
        m = _SENTENCE_END.search(text, offset, hi)
        end = m.start() + 1 if m else hi
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "turns": [t.to_json() for t in self.turns],
            "metadata": self.metadata,
            "format": self.format,
            "source": self.source,
        }

    @classmethod
    def from_json(cls, d: dict) -> "Transcript":
        return cls(
            id=d["id"],
            text=d["text"],
            turns=[Turn.from_json(t) for t in d.get("turns", [])],
            metadata=d.get("metadata", {}),
            format=d.get("format", "text"),
            source=d.get("source"),
        )


_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"'”’)]|$)|\n\s*\n")
