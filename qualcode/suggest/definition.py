"""Scorer (d): how close a segment is to what the codebook says the code is about.

A code's *description* is its name and its definition (the words a researcher chose to say what the
code is for). Both are lemmatised like the segments and compared with them by cosine in a TF-IDF space
of single words fitted on the project's segments, so a word every answer uses weighs little and a word
of the code's own vocabulary ("SHAP", "ranking", "monitoring") weighs much. It needs no coding at all:
it speaks for every code that has a name, including codes used once, which no model can learn.

Polarity: a code whose name or definition is negative ("Did not find sorting useful", "Not very
useful") is a poor match for a passage that says nothing negative ("I found highlighting very useful"):
such a passage's score is halved (``NEGATIVE_MISMATCH``).

How far to trust it is decided per project, like every scorer, from how well it ranked the coder's own
codings (``trust.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qualcode.suggest.features import Features
from qualcode.suggest.negation import NEGATORS

NEGATIVE_MISMATCH = 0.5


def function_words() -> frozenset[str]:
    """Words that say nothing of what a code is about: "Didn't use cluster difference" and "Oh, I don't
    know." shared "do" and "not" (an outside tester saw such filler suggested for every "Didn't ..."
    code). Polarity is the ``NEGATIVE_MISMATCH`` rule's, not a shared word's. (All of spaCy's stop
    words as well: PDPilot F1 0.365 -> 0.336, so not.)"""
    return frozenset(w for w in NEGATORS | {"be", "do", "have"} if "'" not in w)


def has_negation(lemmas: str) -> bool:
    return any(w in NEGATORS for w in lemmas.split())


@dataclass(frozen=True)
class Description:
    code: str
    lemmas: str
    """Lemmas of the code's name and definition."""


class DefinitionScorer:
    name = "definition"

    def __init__(self) -> None:
        self.features: Features | None = None
        self.codes: list[str] = []
        self.D = None

    def fit(self, segment_lemmas: list[str], descriptions: list[Description]) -> "DefinitionScorer":
        self.features = Features(ngrams=(1, 1), stop_words=function_words()).fit(segment_lemmas)
        kept = [d for d in descriptions if d.lemmas.strip()]
        D = self.features.transform([d.lemmas for d in kept]) if kept else None
        if D is not None:
            nz = np.diff(D.indptr) > 0  # a name made only of words no segment uses says nothing here
            kept = [d for d, ok in zip(kept, nz) if ok]
            D = D[np.flatnonzero(nz)] if len(kept) else None
        self.codes = [d.code for d in kept]
        self.negative = np.array([has_negation(d.lemmas) for d in kept], dtype=bool)
        self.D = D
        return self

    def transform(self, segment_lemmas: list[str]):
        return self.features.transform(segment_lemmas)

    def score(self, X1, negated_rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """``{code: cosine per row}`` for rows of single-word features (``transform``);
        ``negated_rows`` says which rows hold a negation (for the polarity rule)."""
        if self.D is None or X1.shape[0] == 0:
            return {}
        S = np.asarray((X1 @ self.D.T).todense(), dtype=np.float32)
        if negated_rows is not None and self.negative.any():
            plain = ~np.asarray(negated_rows, dtype=bool)
            S[np.ix_(plain, self.negative)] *= NEGATIVE_MISMATCH
        return {code: S[:, j] for j, code in enumerate(self.codes)}

    @staticmethod
    def reason(code_name: str) -> str:
        return f"close to the code's name and definition (\"{code_name}\")"
