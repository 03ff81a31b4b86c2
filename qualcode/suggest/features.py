"""TF-IDF features over segment lemmas, shared by the learned, similarity and definition scorers.

Fitted on the project's segments (no labels needed). Lemma strings come from ``segments.py``.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

FILLERS = frozenset("erm er um uh mm yeah ok okay oh like well sort kind mean know just really".split())
"""Words of speech that say nothing about a theme."""


EMPTY = "qcempty"
"""The one word of a vocabulary that would otherwise be empty (not a stop word: spaCy's list has "empty")."""


class Features:
    """TF-IDF over lemma strings; fitted once per set of project segments."""

    def __init__(self, ngrams: tuple[int, int] = (1, 2), stop_words=None) -> None:
        stop = set(FILLERS) | set(stop_words or ())
        self.vectorizer = TfidfVectorizer(token_pattern=r"(?u)\b\w[\w'-]*\b", lowercase=False,
                                          ngram_range=ngrams, sublinear_tf=True, min_df=1,
                                          stop_words=sorted(stop) or None, dtype=np.float32)
        self.fitted = False

    def fit(self, texts: list[str]) -> "Features":
        texts = list(texts)
        if not any(t.strip() for t in texts):
            texts = texts + [EMPTY]
        try:
            self.vectorizer.fit(texts)
        except ValueError:  # every word a stop word ("Do you?", "No."): an empty vocabulary
            self.vectorizer.fit(texts + [EMPTY])
        self.fitted = True
        self._names = None
        return self

    def transform(self, texts: list[str]):
        texts = list(texts)
        if not texts:  # scikit-learn refuses an empty batch; no segments is a normal case here
            from scipy import sparse

            return sparse.csr_matrix((0, len(self.vectorizer.vocabulary_)), dtype=np.float32)
        return self.vectorizer.transform(texts)

    @property
    def names(self) -> np.ndarray:
        """Feature names (computed once: sklearn sorts the whole vocabulary each time)."""
        if getattr(self, "_names", None) is None:
            self._names = self.vectorizer.get_feature_names_out()
        return self._names
