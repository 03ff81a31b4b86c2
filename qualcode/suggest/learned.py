"""Scorer (b): a model learned from the coder's own decisions.

Features are TF-IDF over segment lemmas (words and word pairs), fitted on the project's segments
(no labels needed, so the same features serve the similarity scorer). For each code with enough
examples, a logistic regression is trained one-vs-rest:

- positives: segments that overlap one of the coder's codings of that code (overlap rule: at least
  half of the shorter span);
- negatives: the other segments of transcripts the coder has worked through (up to the end of
  their last coding there), and, with double weight, segments the coder rejected for that code.

Retraining is cheap (liblinear on sparse rows; 5,000 segments in well under a second), so the
engine retrains after each batch of decisions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

MIN_POSITIVES = 2
"""A code needs this many positive segments before the model scores it."""
MAX_NEGATIVES = 1500
"""Implicit negatives per code beyond this are sampled (fixed seed): retraining stays well under a
second on large projects, and the class weights keep the balance."""
REJECTION_WEIGHT = 2.0
"""Weight of an explicit rejection against an implicit negative (an uncoded segment)."""

from qualcode.suggest.features import FILLERS, Features  # noqa: E402,F401 (re-exported)

@dataclass
class CodeModel:
    code: str
    positives: int
    negatives: int
    rejections: int


class LearnedScorer:
    """One-vs-rest logistic regression over shared TF-IDF features."""

    name = "learned"

    def __init__(self, C: float = 4.0, min_positives: int = MIN_POSITIVES,
                 class_weight: str | dict | None = "balanced", max_negatives: int = MAX_NEGATIVES) -> None:
        self.C = C
        self.max_negatives = max_negatives
        self.min_positives = min_positives
        self.class_weight = class_weight
        self.codes: list[str] = []
        self.models: dict[str, CodeModel] = {}
        self.W = None  # features x codes
        self.b = None

    def fit(self, X, positives: dict[str, set[int]], base_rows: list[int] | np.ndarray,
            rejected: dict[str, set[int]] | None = None) -> "LearnedScorer":
        """Train one model per code.

        ``X`` holds every training row; ``base_rows`` are the rows every code trains on (segments of
        worked-through transcripts); ``positives[code]`` and ``rejected[code]`` are row indices.
        """
        X = sparse.csr_matrix(X)
        rejected = rejected or {}
        base = np.asarray(sorted(set(int(i) for i in base_rows)), dtype=np.int64)
        rng = np.random.default_rng(0)
        codes, cols, bias, models = [], [], [], {}
        for code in sorted(positives):
            pos = np.fromiter(positives[code], dtype=np.int64)
            if len(pos) < self.min_positives:
                continue
            rej = np.setdiff1d(np.fromiter(rejected.get(code, ()), dtype=np.int64), pos)
            negatives = np.setdiff1d(base, np.concatenate([pos, rej]), assume_unique=False)
            if len(negatives) > self.max_negatives:  # a large project: a fixed sample of the rest
                negatives = np.sort(rng.choice(negatives, self.max_negatives, replace=False))
            rows = np.concatenate([pos, rej, negatives])
            if len(rows) == len(pos):
                continue
            y = np.zeros(len(rows), dtype=np.int8)
            y[:len(pos)] = 1
            weight = np.ones(len(rows), dtype=np.float64)
            weight[len(pos):len(pos) + len(rej)] = REJECTION_WEIGHT
            clf = LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear", dual=True,
                                     tol=1e-2, max_iter=1000, random_state=0)
            clf.fit(X[rows], y, sample_weight=weight)
            codes.append(code)
            cols.append(clf.coef_[0].astype(np.float32))
            bias.append(float(clf.intercept_[0]))
            models[code] = CodeModel(code, len(pos), len(rows) - len(pos), len(rej))
        self.codes = codes
        self.models = models
        self.W = np.stack(cols, axis=1) if cols else np.zeros((X.shape[1], 0), dtype=np.float32)
        self.b = np.asarray(bias, dtype=np.float32)
        return self

    def predict(self, X) -> dict[str, np.ndarray]:
        """``{code: probability per row}`` for the codes that have a model."""
        if not self.codes:
            return {}
        z = np.asarray(X @ self.W) + self.b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return {code: p[:, j] for j, code in enumerate(self.codes)}

    def top_terms(self, code: str, xrow, names, k: int = 2) -> list[str]:
        """The features that pushed this row towards ``code`` most."""
        if code not in self.models:
            return []
        j = self.codes.index(code)
        row = sparse.csr_matrix(xrow)
        keep = row.indices < len(names)  # text features only, not the question's
        row = sparse.csr_matrix((row.data[keep], row.indices[keep], [0, int(keep.sum())]), shape=(1, row.shape[1]))
        contrib = row.data * self.W[row.indices, j]
        order = np.argsort(-contrib)
        return [str(names[row.indices[i]]) for i in order[:k] if contrib[i] > 0]

    def reason(self, code: str, terms: list[str], n: int | None = None) -> str:
        """``n``: how many codings the positives came from (default: the positive segments)."""
        m = self.models.get(code)
        if n is None:
            n = m.positives if m else 0
        words = f": {', '.join(repr(t) for t in terms)}" if terms else ""
        return f"learned from your {n} coded passage{'s' if n != 1 else ''}{words}"
