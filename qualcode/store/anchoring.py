"""Re-anchoring: where a coding's quote is now, after its transcript was edited.

A coding keeps its quote and the transcript's content hash. When the hash differs, the quote is
looked for exactly (the occurrence nearest the old place; for a quote found in several places,
``anchor_many`` goes by how its neighbours moved), then approximately near the old place (prefix
and suffix anchors, scored with difflib). Each coding is kept, moved or orphaned; none is dropped or
left on the wrong text silently: a place still in doubt is marked ``ambiguous``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher

from qualcode.domain.coding import Coding

KEPT, MOVED, ORPHANED = "kept", "moved", "orphaned"
NEIGHBOUR_MIN = 12
"""A coding's quote needs this many characters for its move to place its neighbours (a shorter one can
match by chance)."""
MIN_RATIO = 0.75


@dataclass(frozen=True)
class Anchor:
    status: str
    start: int
    end: int
    similarity: float = 1.0
    ambiguous: int = 0
    """How many places hold the quote word for word when nothing told which one is meant (0: no doubt).
    A short quote ("Yes.", "Hello") can stand in several places; the nearest to the old place is
    taken, which an edit that adds more text than lies between them makes wrong."""


def _occurrences(text: str, needle: str, lo: int = 0, hi: int | None = None, limit: int = 200) -> list[int]:
    out = []
    i = text.find(needle, lo, hi)
    while i != -1 and len(out) < limit:
        out.append(i)
        i = text.find(needle, i + 1, hi)
    return out


def anchor(coding: Coding, text: str, text_hash: str) -> Anchor:
    quote = coding.quote
    s, e = coding.start, coding.end
    if coding.th == text_hash and 0 <= s < e <= len(text):
        return Anchor(KEPT, s, e)
    if quote and text[s:e] == quote:
        return Anchor(KEPT, s, e)
    if not quote:
        return Anchor(ORPHANED, s, e, 0.0)
    exact = _occurrences(text, quote)
    if exact:
        best = min(exact, key=lambda i: abs(i - s))
        return Anchor(MOVED, best, best + len(quote), ambiguous=len(exact) if len(exact) > 1 else 0)
    return _approximate(quote, text, s)


def anchor_many(codings: list[Coding], text: str, text_hash: str) -> list[Anchor]:
    """``anchor`` for several codings of one transcript, where a quote found in several places is
    placed by its neighbours: the edit that moved the codings around it (coded on the same version
    of the text, their quotes found once) moved it too. In order of ``codings``."""
    out = [anchor(c, text, text_hash) for c in codings]
    shifts: dict[str, list[tuple[int, int]]] = {}  # version of the text -> (old start, shift), sorted
    for c, a in zip(codings, out):
        if a.status != ORPHANED and not a.ambiguous and c.th != text_hash and len(c.quote) >= NEIGHBOUR_MIN:
            shifts.setdefault(c.th, []).append((c.start, a.start - c.start))
    for known in shifts.values():
        known.sort()
    for k, (c, a) in enumerate(zip(codings, out)):
        known = shifts.get(c.th)
        if not a.ambiguous or not known:
            continue
        i = bisect_left(known, (c.start, -len(text) - 1))
        near = [known[j] for j in (i - 1, i) if 0 <= j < len(known)]
        _, shift = min(near, key=lambda x: abs(x[0] - c.start))
        target = c.start + shift
        best = min(_occurrences(text, c.quote), key=lambda j: abs(j - target))
        out[k] = Anchor(MOVED, best, best + len(c.quote))
    return out


def _approximate(quote: str, text: str, old_start: int) -> Anchor:
    n = len(quote)
    window = max(5000, 20 * n)
    lo, hi = max(0, old_start - window), min(len(text), old_start + window + n)
    k = max(8, min(40, n // 4))
    candidates: set[tuple[int, int]] = set()
    starts = _occurrences(text, quote[:k], lo, hi)
    ends = [i + k for i in _occurrences(text, quote[-k:], lo, hi)]
    for i in starts:
        for length in (n, int(n * 0.9), int(n * 1.1)):
            candidates.add((i, min(len(text), i + length)))
        # an edit inside the quote: from a prefix anchor to a suffix anchor of plausible length
        candidates.update((i, e) for e in ends if n // 2 <= e - i <= 2 * n)
    for end in ends:
        for length in (n, int(n * 0.9), int(n * 1.1)):
            candidates.add((max(0, end - length), end))
    best: Anchor | None = None
    for a, b in candidates:
        if b <= a:
            continue
        sm = SequenceMatcher(None, quote, text[a:b], autojunk=False)
        ratio = sm.ratio()
        if ratio < MIN_RATIO:
            continue
        # tighten to the matched characters
        blocks = [m for m in sm.get_matching_blocks() if m.size]
        if blocks:
            a2, b2 = a + blocks[0].b, a + blocks[-1].b + blocks[-1].size
        else:
            a2, b2 = a, b
        cand = Anchor(MOVED, a2, b2, ratio)
        if best is None or (ratio, -abs(a2 - old_start)) > (best.similarity, -abs(best.start - old_start)):
            best = cand
    return best or Anchor(ORPHANED, old_start, old_start, 0.0)
