"""Text selection positions as other programs write them, turned into qualcode offsets.

REFI-QDA says positions are Unicode code points into the source's text file, end exclusive
(ATLAS.ti, MAXQDA, qc and qualcode agree). NVivo counts UTF-16 code units instead (an emoji is 2),
counts the CR of each CRLF, and does not count a BOM. qualcode's canonical text has no BOM and
``\\n`` line breaks, so each position is read under one of four interpretations:

    (code points | UTF-16 units)  x  (the file's text as it is | the canonical text)

and mapped to a code-point offset into the canonical text. The interpretation is chosen per source:
where selections carry their text (the ``name`` attribute, as ATLAS.ti writes it) the one under
which the most of them match wins; otherwise the one under which the most selections start and end
at word boundaries; a tie goes to the producer's known habit (NVivo: UTF-16) or to code points.
When the file's text has neither CRLF nor characters outside the BMP, all four agree.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from qualcode.domain.offsets import canonicalize

CODE_POINTS, UTF16 = "code points", "UTF-16 units"
RAW, CANONICAL = "file", "canonical"
INTERPRETATIONS = [(CODE_POINTS, RAW), (UTF16, RAW), (CODE_POINTS, CANONICAL), (UTF16, CANONICAL)]


def _astral_starts(text: str) -> list[int]:
    """UTF-16 start of every character outside the BMP, in order."""
    out = []
    extra = 0
    for i, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            out.append(i + extra)
            extra += 1
    return out


def _has_astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text) if not text.isascii() else False


# -- writing: the counting an export uses -------------------------------------------------------
WRITE_CODEPOINTS, WRITE_UTF16 = "codepoints", "utf16"
"""How ``export qdpx`` counts positions: Unicode code points (REFI-QDA 1.5 §10.2; ATLAS.ti, MAXQDA,
QualCoder, qc and qualcode read them so) or UTF-16 code units (as NVivo writes and reads them)."""


class Utf16Positions:
    """Code-point offsets into one text as UTF-16 code-unit offsets (a character outside the BMP, an
    emoji, counts 2)."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if _has_astral(text) else []
        self.length = len(text) + len(self._astral)

    def __call__(self, pos: int) -> int:
        return pos + bisect_left(self._astral, pos) if self._astral else pos

    @property
    def astral(self) -> bool:
        """True when the text holds characters outside the BMP (the two countings differ)."""
        return bool(self._astral)


class SourceText:
    """One source's text as the file has it (BOM removed) and canonical, with position maps."""

    def __init__(self, raw: str) -> None:
        if raw.startswith("\ufeff"):
            raw = raw[1:]
        self.raw = raw
        self.canonical = canonicalize(raw)
        self._crs = [m.start() for m in re.finditer("\r\n", raw)] if "\r\n" in raw else []
        astral = _has_astral(raw)
        self._astral_raw = _astral_starts(raw) if astral else []
        self._astral_can = _astral_starts(self.canonical) if astral else []

    @property
    def ambiguous(self) -> bool:
        """True when the interpretations can disagree."""
        return bool(self._crs or self._astral_raw)

    def length(self, unit: str, base: str) -> int:
        """The text's length as positions under (unit, base) count it."""
        text = self.raw if base == RAW else self.canonical
        if unit == UTF16:
            return len(text) + len(self._astral_raw if base == RAW else self._astral_can)
        return len(text)

    def convert(self, pos: int, unit: str, base: str) -> int:
        """A position under (unit, base) as a code-point offset into the canonical text (clamped)."""
        if unit == UTF16:
            starts = self._astral_raw if base == RAW else self._astral_can
            if starts:
                pos = pos - bisect_right(starts, pos - 2)
        if base == RAW and self._crs:
            pos = pos - bisect_left(self._crs, pos)
        return max(0, min(pos, len(self.canonical)))


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def quote_matches(name: str, span: str) -> bool:
    """Does a selection's name hold its text (whole, or cut short with an ellipsis)?"""
    if name == span:
        return bool(name.strip())
    n, s = _norm(name), _norm(span)
    if not n:
        return False
    if n == s:
        return True
    for tail in ("…", "..."):
        if n.endswith(tail) and len(n) > len(tail) + 3 and s.startswith(n[: -len(tail)].rstrip()):
            return True
    return len(n) >= 12 and s.startswith(n)


def _clean(text: str, s: int, e: int) -> int:
    score = 0
    if s == 0 or not text[s - 1].isalnum() or not text[s].isalnum():
        score += 1
    if e >= len(text) or not text[e].isalnum() or not text[e - 1].isalnum():
        score += 1
    return score


@dataclass
class Choice:
    unit: str
    base: str
    named: int = 0
    """Selections whose name is their text under this interpretation."""
    named_total: int = 0
    """Selections with a non-empty name."""


def choose(text: SourceText, spans: list[tuple[int, int, str]], prefer_utf16: bool,
           unit: str | None = None) -> Choice:
    """The interpretation for one source's selections ``(start, end, name)``. ``unit`` (CODE_POINTS or
    UTF16), when the file says how it counts (qualcode's own export does), leaves only that unit."""
    order = list(INTERPRETATIONS)
    if prefer_utf16:
        order = [(UTF16, RAW), (CODE_POINTS, RAW), (UTF16, CANONICAL), (CODE_POINTS, CANONICAL)]
    if unit is not None:
        order = [o for o in order if o[0] == unit]
    if not text.ambiguous:
        return Choice(*order[0])
    named = [(s, e, n) for s, e, n in spans if n and n.strip()]
    candidates = order
    best: tuple | None = None
    best_choice = Choice(*order[0])
    canon = text.canonical
    for rank, (unit, base) in enumerate(candidates):
        hits = 0
        for s, e, n in named:
            a, b = text.convert(s, unit, base), text.convert(e, unit, base)
            if quote_matches(n, canon[a:b]):
                hits += 1
        clean = 0
        for s, e, _ in spans:
            a, b = text.convert(s, unit, base), text.convert(e, unit, base)
            if a < b:
                clean += _clean(canon, a, b)
        key = (hits, clean, -rank)
        if best is None or key > best:
            best = key
            best_choice = Choice(unit, base, hits, len(named))
    return best_choice
