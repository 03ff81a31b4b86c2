"""One coded transcript evaluated as two: its halves, each held out in turn.

A researcher who coded one long document (a focus group, a hearing, comments pasted into one file)
has no second transcript to hold out. ``--evaluate`` then cuts that transcript where half of the
coder's codings lie before and half after, at the start of the nearest turn (else of a paragraph,
a line, a sentence or a word: a speech-to-text file may have no line break at all), and treats the
two parts as two transcripts of the project: trained on one, asked about the other. A coding that
runs across the cut is kept in the first part, cut short there. The second part ends where the
coder's work does (the turn, else the line or sentence, of the last coding): text no one worked
through is no test.

Only the evaluation sees the parts (``SplitProject`` stands in for the project); nothing is written.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from qualcode.domain.transcript import Transcript, Turn

PARTS = ("first half", "second half")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n\s*")
_SENTENCE = re.compile(r"[.!?…]+[\"'”’)]*\s+")
_SPACE = re.compile(r"\s+")


def cut_point(transcript: Transcript, starts: list[int]) -> int | None:
    """Where to cut: a boundary with half of the codings (by their start) before it, or None when
    no boundary leaves a coding on each side."""
    starts = sorted(starts)
    n = len(starts)
    if n < 2 or starts[0] == starts[-1]:
        return None
    text = transcript.text
    median = starts[n // 2]
    for boundaries in ([t.start for t in transcript.turns],
                       [m.end() for m in _PARAGRAPH.finditer(text)],
                       [m.end() for m in _LINE.finditer(text)],
                       [m.end() for m in _SENTENCE.finditer(text)],
                       [m.end() for m in _SPACE.finditer(text)]):
        best = None
        for b in boundaries:
            before = bisect_left(starts, b)
            if 0 < before < n:
                key = (abs(2 * before - n), abs(b - median))
                if best is None or key < best[0]:
                    best = (key, b)
        if best is not None:
            return best[1]
    return None


def worked_end(transcript: Transcript, last: int) -> int:
    """Where the coder's work ends: the end of the turn (else the line, else the sentence) of their
    last coding. The text after it was not worked through, so it is no test of the suggestions."""
    turn = transcript.turn_at(max(0, last - 1))
    if turn is not None:
        return max(last, turn.end)
    text = transcript.text
    end = text.find("\n", last)
    if end < 0:
        m = _SENTENCE.search(text, max(0, last - 1))
        end = m.end() if m else len(text)
    return end


def part(transcript: Transcript, start: int, end: int, name: str) -> Transcript:
    """``transcript.text[start:end]`` as a transcript of its own, its turns moved and cut to fit."""
    turns = []
    for t in transcript.turns:
        if t.end <= start or t.start >= end:
            continue
        s, e = max(t.start, start) - start, min(t.end, end) - start
        turns.append(Turn(t.speaker, s, e, min(max(t.text_start - start, s), e), t.timestamp, t.role, t.label))
    return Transcript(f"{transcript.id} ({name})", transcript.text[start:end], turns,
                      dict(transcript.metadata, title=f"{transcript.title} ({name})"), transcript.format,
                      transcript.source)


@dataclass
class _Entry:
    id: str
    hash: str


class _Index:
    def __init__(self, index, replaced: str, parts: list[Transcript]) -> None:
        self._entries = [e for e in index if e.id != replaced] + [_Entry(p.id, p.hash) for p in parts]
        self._by_id = {e.id: e for e in self._entries}

    def __iter__(self):
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, transcript_id: str):
        return self._by_id.get(transcript_id)


class SplitProject:
    """The project as the evaluation sees it: one transcript replaced by its two parts, the gold
    coder's codings moved into them. Everything else is the project's own."""

    def __init__(self, project, transcript: Transcript, cut: int, coder: str, codings: list) -> None:
        self._project = project
        self.whole = transcript
        first = part(transcript, 0, cut, PARTS[0])
        self.end = worked_end(transcript, max(c.end for c in codings if c.transcript == transcript.id))
        second = part(transcript, cut, max(cut + 1, self.end), PARTS[1])
        self.parts = [first, second]
        self.cut = cut
        self.index = _Index(project.index, transcript.id, self.parts)
        moved = []
        for c in codings:
            if c.transcript != transcript.id:
                moved.append(c)
                continue
            p, offset = (first, 0) if c.start < cut else (second, cut)
            s, e = c.start - offset, min(c.end, offset + len(p.text)) - offset
            if e > s:
                moved.append(c._replace(transcript=p.id, start=s, end=e, quote=p.text[s:e], th=p.hash))
        self._codings = {coder: moved}

    def note(self, coder: str) -> str:
        """Where the transcript was cut, for the evaluation's notes."""
        whole = self.whole
        turn = whole.turn_index(self.cut)
        where = f"line {whole.text.count(chr(10), 0, self.cut) + 1}" + (f", turn {turn + 1}" if turn is not None else "")
        return (f"{coder!r} coded one transcript, {whole.id!r}: it was cut in two at {where} (half of the codings "
                "on each side), and each half was held out in turn"
                + ("; the text after the turn or line of the last coding was left out"
                   if self.end < len(whole.text) else ""))

    def transcript(self, transcript_id: str) -> Transcript:
        for p in self.parts:
            if p.id == transcript_id:
                return p
        return self._project.transcript(transcript_id)

    def codings(self, coder: str):
        if coder in self._codings:
            return self._codings[coder]
        return self._project.codings(coder)

    def __getattr__(self, name):
        return getattr(self._project, name)


def split_project(project, coder: str, codings: list, transcript_id: str) -> SplitProject | None:
    """The project with ``transcript_id`` cut in two for evaluation, or None when it cannot be."""
    from qualcode.store.anchoring import ORPHANED

    transcript = project.transcript(transcript_id)
    mine = [c for c in codings if c.transcript == transcript_id]
    # offsets in the current text (it may have been edited), placed as `check` places them
    where = {c.id: a for c, a in project.anchored(mine, transcript)}
    placed = []
    for c in codings:
        a = where.get(c.id) if c.transcript == transcript_id else None
        if a is None:
            placed.append(c)
        elif a.status != ORPHANED and a.end > a.start:
            placed.append(c._replace(start=a.start, end=a.end))
    cut = cut_point(transcript, [c.start for c in placed if c.transcript == transcript_id])
    if cut is None:
        return None
    return SplitProject(project, transcript, cut, coder, placed)
