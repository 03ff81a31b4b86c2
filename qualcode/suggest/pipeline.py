"""The spaCy pipeline for suggestions: offline, loaded lazily, once per process.

By default ``spacy.blank("en")`` + ``sentencizer`` + a lower-casing lookup lemmatizer whose table
comes from ``spacy-lookups-data`` (read from the installed package; nothing is downloaded). spaCy's
own lookup lemmatizer keys on the exact text, so "Managers" would stay "Managers"; ours looks up
the lower-cased form, so "Managers", "managers" and "manager" all become "manager".

A trained pipeline is used only when the project names one (``[nlp] pipeline = "..."`` in
qualcode.toml) and it is installed; otherwise the blank pipeline is used with a warning that says
what to do. ``spacy.load`` never downloads, and neither do we.

Call ``get_pipeline`` from a worker thread: importing spaCy alone takes about a second.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import spacy
from spacy.language import Language

BLANK = "blank-en"
"""The name reported for the built-in pipeline."""
LEMMATIZER = "qualcode_lower_lemmatizer"
MAX_LENGTH = 50_000_000
"""Characters per doc: we feed paragraphs, but a raw speech-to-text file can be one huge paragraph."""

_lock = threading.Lock()
_cache: dict[str, "Pipeline"] = {}
_TABLE: dict | None = None


@dataclass
class Pipeline:
    """A loaded pipeline and what the researcher should know about it."""

    nlp: Language
    name: str
    """``blank-en`` or the trained pipeline's package name (or path)."""
    warnings: list[str] = field(default_factory=list)
    lemmas: bool = True
    """False when no lemma table could be found (lemmas are then the lower-cased words)."""


def _lemma_table() -> dict | None:
    """The English lemma lookup table from spacy-lookups-data (a local file), or None."""
    global _TABLE
    if _TABLE is None:
        try:
            from spacy.lookups import load_lookups

            table = load_lookups("en", ["lemma_lookup"], strict=True).get_table("lemma_lookup")
        except Exception:  # package missing or broken: fall back to lower-case forms
            return None
        _TABLE = table
    return _TABLE


class LowerLemmatizer:
    """Sets ``token.lemma`` to the lookup lemma of the lower-cased word (or the word itself)."""

    def __init__(self, nlp: Language) -> None:
        self.strings = nlp.vocab.strings
        self.table = _lemma_table()
        self._cache: dict[int, int] = {}

    def _lookup(self, lower: int) -> int:
        lemma = self.table.get(lower) if self.table is not None else None
        value = self.strings.add(lemma) if lemma else lower
        self._cache[lower] = value
        return value

    def __call__(self, doc):
        cache = self._cache
        for tok in doc:
            low = tok.lower
            lemma = cache.get(low)
            if lemma is None:
                lemma = self._lookup(low)
            tok.lemma = lemma
        return doc


@Language.factory(LEMMATIZER)
def _make_lower_lemmatizer(nlp: Language, name: str) -> LowerLemmatizer:
    return LowerLemmatizer(nlp)


def blank_pipeline() -> Pipeline:
    """``spacy.blank("en")`` + sentencizer + the lower-casing lookup lemmatizer."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(LEMMATIZER)
    nlp.max_length = MAX_LENGTH
    pipe = Pipeline(nlp, BLANK)
    if _lemma_table() is None:
        pipe.lemmas = False
        pipe.warnings.append("the English lemma table (spacy-lookups-data) is not installed: keywords "
                             "match exact word forms only. Install it with `pip install spacy-lookups-data`.")
    return pipe


def trained_pipeline(name: str) -> Pipeline:
    """An installed trained pipeline (never downloaded). Raises OSError/ImportError if absent."""
    nlp = spacy.load(name, exclude=["ner", "textcat", "textcat_multilabel", "entity_linker"])
    pipe = Pipeline(nlp, name)
    if not any(n in nlp.pipe_names for n in ("parser", "senter", "sentencizer")):
        nlp.add_pipe("sentencizer", first=True)
    if "lemmatizer" not in nlp.pipe_names:
        nlp.add_pipe(LEMMATIZER, last=True)
    nlp.max_length = MAX_LENGTH
    return pipe


def load_pipeline(name: str = "") -> Pipeline:
    """The named trained pipeline if installed, else the blank one (with a warning saying why)."""
    name = (name or "").strip()
    if not name or name in (BLANK, "blank", "en"):
        return blank_pipeline()
    try:
        return trained_pipeline(name)
    except (OSError, ImportError, ValueError) as exc:
        pipe = blank_pipeline()
        why = "is not installed" if isinstance(exc, OSError | ImportError) else f"could not be loaded ({exc})"
        pipe.warnings.insert(0, (
            f"the spaCy pipeline {name!r} named in qualcode.toml ([nlp] pipeline) {why}; using the built-in "
            f"blank English pipeline instead. qualcode never downloads models: install it yourself "
            f"(for example `python -m spacy download {name}` in qualcode's environment) or set pipeline = \"\"."))
        return pipe


def get_pipeline(name: str = "") -> Pipeline:
    """``load_pipeline`` once per process and name (thread-safe)."""
    key = (name or "").strip()
    with _lock:
        pipe = _cache.get(key)
        if pipe is None:
            pipe = _cache[key] = load_pipeline(key)
        return pipe


def word_tokens(doc_or_span) -> list:
    """Tokens that are words or numbers (no punctuation, no white space)."""
    return [t for t in doc_or_span if not (t.is_punct or t.is_space)]
