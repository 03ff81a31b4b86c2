"""Scorer (c): how like a segment is to the code's example quotes and to passages already coded.

Exemplars are the codebook's ``examples`` for the code and the coder's own codings of it (their
quoted text). Both are turned into the same TF-IDF features as the segments (``learned.Features``);
rows are L2-normalised, so a dot product is the cosine. A segment's score for a code is its best
cosine with any of that code's exemplars, scaled so that ``FULL`` or more counts as 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FULL = 0.5
"""A cosine at or above this is a score of 1 (two sentences rarely share more of their words)."""


@dataclass(frozen=True)
class Exemplar:
    code: str
    lemmas: str
    reason: str
    """How to say it: "like your coding in LSP C, turn 14" or "like the codebook example '...'"."""
    transcript: str | None = None
    start: int = 0
    end: int = 0


class SimilarityScorer:
    name = "similar"

    def __init__(self, full: float = FULL) -> None:
        self.full = full
        self.exemplars: list[Exemplar] = []
        self.E = None
        self.columns: dict[str, np.ndarray] = {}

    def fit(self, features, exemplars: list[Exemplar]) -> "SimilarityScorer":
        self.exemplars = [e for e in exemplars if e.lemmas.strip()]
        by_code: dict[str, list[int]] = {}
        for i, e in enumerate(self.exemplars):
            by_code.setdefault(e.code, []).append(i)
        self.columns = {c: np.asarray(ix, dtype=np.int64) for c, ix in by_code.items()}
        self.E = features.transform([e.lemmas for e in self.exemplars]) if self.exemplars else None
        return self

    def codes(self) -> set[str]:
        return set(self.columns)

    def score(self, X, skip: list[list[int]] | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """``{code: (score per row, best exemplar index per row)}``.

        ``skip[row]`` lists exemplar indices a row may not be compared with (itself, when a coded
        passage is scored against its own coding).
        """
        if self.E is None or X.shape[0] == 0:
            return {}
        S = np.asarray((X @ self.E.T).todense(), dtype=np.float32)
        if skip:
            for row, cols in enumerate(skip):
                if cols:
                    S[row, cols] = 0.0
        out = {}
        for code, cols in self.columns.items():
            sub = S[:, cols]
            best = sub.argmax(axis=1)
            val = sub[np.arange(sub.shape[0]), best]
            out[code] = (np.minimum(1.0, val / self.full), cols[best])
        return out
