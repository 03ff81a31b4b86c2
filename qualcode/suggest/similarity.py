"""Scorer (c): how like a segment is to the passages the coder coded with the code, and to those
they read and did not.

Exemplars are the codebook's ``examples`` for the code and the coder's own codings of it (their
quoted text). Both are turned into the same TF-IDF features as the segments (``learned.Features``);
rows are L2-normalised, so a dot product is the cosine.

A code the coder has coded is scored by a vote of the ``NEIGHBOURS`` passages most like the segment
among those the coder has read (the segments of the transcripts worked through): the share of their
cosine that falls on passages coded with the code. A passage most like ones the coder read and left
uncoded, or gave another code, scores low however close it is to one coding; the best cosine alone
offered those (on researcher_b's study, 67 of its top-ten misses were passages the coder had left
uncoded). A code with no coding yet (only the codebook's examples), or a coder who has read fewer
than ``MIN_READ`` passages, is scored by the best cosine with an exemplar, scaled so that ``FULL`` or
more counts as 1. The reason names the closest exemplar and, for a vote, how many of the ten
neighbours are coded with the code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FULL = 0.5
"""A cosine at or above this is a score of 1 (two sentences rarely share more of their words)."""
NEIGHBOURS = 10
"""How many of the passages the coder has read vote for a segment's codes (5 and 20 measured alike)."""
MIN_READ = 5 * NEIGHBOURS
"""Fewer passages read than this, and the vote is not taken (the best cosine is): ten neighbours of
twelve passages are all of them, and a single coding among them outvotes everything."""
CELLS = 8_000_000
"""Cosines computed at a time (64 MB): segments are compared with the passages read in chunks of
``CELLS // passages read`` rows, so a 200,000-word transcript or a study of a hundred interviews read
stays in bounded memory."""


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
        self.read_rows = np.zeros(0, dtype=np.int64)
        self.R = None
        self.coded: dict[str, np.ndarray] = {}

    def fit(self, features, exemplars: list[Exemplar], read: tuple | None = None) -> "SimilarityScorer":
        """``read``: ``(rows, their feature matrix, {code: rows coded with it})`` for the passages the
        coder has read, the neighbours that vote."""
        if read is not None and len(read[0]) >= MIN_READ:
            rows, R, coded = read
            self.read_rows = np.asarray(rows, dtype=np.int64)
            self.R = R
            self.coded = {c: np.isin(self.read_rows, np.fromiter(rs, dtype=np.int64)) for c, rs in coded.items() if rs}
            self.coded = {c: y for c, y in self.coded.items() if y.any()}
        self.exemplars = [e for e in exemplars if e.lemmas.strip()]
        by_code: dict[str, list[int]] = {}
        for i, e in enumerate(self.exemplars):
            by_code.setdefault(e.code, []).append(i)
        self.columns = {c: np.asarray(ix, dtype=np.int64) for c, ix in by_code.items()}
        self.E = features.transform([e.lemmas for e in self.exemplars]) if self.exemplars else None
        return self

    def codes(self) -> set[str]:
        return set(self.columns)

    def score(self, X, skip: list[list[int]] | None = None, rows: list[int] | None = None,
              near: dict[str, np.ndarray] | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """``{code: (score per row, best exemplar index per row)}``.

        ``skip[row]`` lists exemplar indices a row may not be compared with (itself, when a coded
        passage is scored against its own coding); ``rows`` are the segments' rows in the project, so
        that a passage read does not vote for itself; ``near``, when given, receives per voted code how
        many of each row's neighbours are coded with it (what the reason says).
        """
        if self.E is None or X.shape[0] == 0:
            return {}
        votes = self._votes(X, rows, near)
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
            score = votes[code] if code in votes else np.minimum(1.0, val / self.full)
            out[code] = (score, cols[best])
        return out

    def _votes(self, X, rows: list[int] | None, near_counts: dict | None = None) -> dict[str, np.ndarray]:
        """Per code the coder has coded: the share of the cosine of each row's ``NEIGHBOURS`` nearest
        passages read that falls on passages coded with it."""
        if self.R is None or not self.coded:
            return {}
        n, k = X.shape[0], min(NEIGHBOURS, self.R.shape[0])
        where = {int(r): j for j, r in enumerate(self.read_rows)}
        out = {c: np.zeros(n) for c in self.coded}
        counts = {c: np.zeros(n, dtype=np.int64) for c in self.coded}
        chunk = max(1, CELLS // self.R.shape[0])
        for a in range(0, n, chunk):
            b = min(n, a + chunk)
            S = np.asarray((X[a:b] @ self.R.T).todense(), dtype=np.float64)
            if rows is not None:
                for i in range(a, b):
                    j = where.get(int(rows[i]))
                    if j is not None:
                        S[i - a, j] = 0.0
            top = np.argpartition(-S, k - 1, axis=1)[:, :k]
            near = np.take_along_axis(S, top, axis=1)
            total = near.sum(axis=1)
            total[total <= 0] = 1.0
            for code, y in self.coded.items():
                out[code][a:b] = (near * y[top]).sum(axis=1) / total
                counts[code][a:b] = ((near > 0) & y[top]).sum(axis=1)
        if near_counts is not None:
            near_counts.update(counts)
        return out

    @staticmethod
    def vote_reason(closest: str, coded: int) -> str:
        """The closest exemplar's reason, and how many of the neighbours that voted are coded so."""
        return f"{closest}; {coded} of the {NEIGHBOURS} passages you read most like it are coded with it"
