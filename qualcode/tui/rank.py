"""Ranking names against what the researcher types, at a bounded cost per keystroke.

Used by the code picker (``c``, ``C``, retrieval) and the command palette. A candidate is ranked
by the best of these tiers, then by use (most used first), then by its place in the list:

0. the query is the name (or the id) exactly;
1. the name (or the id) starts with the query;
2. every word of the query starts a word of the name (``lang`` -> "Language and translation",
   ``lang trans`` too);
3. the query appears inside the name, the id or the other searchable text (path, keywords);
4. a fuzzy match (typos, letters left out), scored by rapidfuzz's ``partial_ratio``.

Tiers 0 to 3 are a few string operations per candidate; tier 4 is rapidfuzz's C code, linear in the
text searched. Queries are cut to ``MAX_QUERY`` characters, so no query, however long or odd, costs
more than that. Pure Python plus rapidfuzz: no Textual, no spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

MAX_QUERY = 64
"""Characters of the query that count (a code name is rarely longer; the rest is ignored)."""
FUZZY_CUTOFF = 75.0
"""The lowest rapidfuzz ``partial_ratio`` (0-100) that still counts as a fuzzy match."""
FUZZY_MIN_QUERY = 3
"""Shorter queries match by tiers 0-3 only (two letters fuzzily match almost anything)."""

_WORD = re.compile(r"[^\W_]+")


def normalise(query: str) -> str:
    """Lower case, single spaces, at most ``MAX_QUERY`` characters."""
    return " ".join(query.lower().split())[:MAX_QUERY].strip()


@dataclass(frozen=True)
class Candidate:
    key: object
    """What the caller gets back (a code id, a callback...)."""
    name: str
    """The name the researcher knows it by: exact, prefix and word-start tiers look here."""
    ident: str = ""
    """An identifier matched like the name (a code's id), or empty."""
    extra: str = ""
    """Other searchable text (a path of parent names, keywords): substring and fuzzy tiers only."""
    use: int = 0
    """How often it is used: more used ranks first within a tier."""


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    tier: int
    score: float
    """Within the fuzzy tier, rapidfuzz's score (100 for tiers 0-3)."""


class Ranker:
    """Candidates prepared once (lower-cased, split into words); ``rank`` runs per keystroke."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = list(candidates)
        self._names = [c.name.lower() for c in self.candidates]
        self._idents = [c.ident.lower() for c in self.candidates]
        self._words = [_WORD.findall(n) + _WORD.findall(i) for n, i in zip(self._names, self._idents)]
        self._hay = [" ".join(p for p in (n, i, c.extra.lower()) if p)
                     for n, i, c in zip(self._names, self._idents, self.candidates)]

    def rank(self, query: str, limit: int | None = None) -> list[Ranked]:
        """Matching candidates, best first (all of them, in order, for an empty query)."""
        q = normalise(query)
        cands = self.candidates
        if not q:
            out = [Ranked(c, 3, 100.0) for c in cands]
            return out[:limit] if limit is not None else out
        q_words = _WORD.findall(q)
        tiers: dict[int, int] = {}
        for i, (name, ident) in enumerate(zip(self._names, self._idents)):
            if q == name or q == ident:
                tiers[i] = 0
            elif name.startswith(q) or (ident and ident.startswith(q)):
                tiers[i] = 1
            elif q_words and _word_starts(q_words, self._words[i]):
                tiers[i] = 2
            elif q in self._hay[i]:
                tiers[i] = 3
        scores: dict[int, float] = {}
        if len(q) >= FUZZY_MIN_QUERY:
            for _, score, i in process.extract(q, self._hay, scorer=fuzz.partial_ratio,
                                               score_cutoff=FUZZY_CUTOFF, limit=None):
                if i not in tiers:
                    tiers[i] = 4
                    scores[i] = score
        order = sorted(tiers, key=lambda i: (tiers[i], -scores.get(i, 100.0), -cands[i].use, i))
        if limit is not None:
            order = order[:limit]
        return [Ranked(cands[i], tiers[i], scores.get(i, 100.0)) for i in order]


def _word_starts(q_words: list[str], words: list[str]) -> bool:
    """Each query word starts some word of the name, in order."""
    j = 0
    for qw in q_words:
        while j < len(words) and not words[j].startswith(qw):
            j += 1
        if j == len(words):
            return False
        j += 1
    return True
