"""What the suggestion engine hands out, and the one-method seam the workbench depends on.

Light on purpose: no spaCy, no scikit-learn. The workbench imports this module, never the engine,
so its tests pass a fake ``Suggester`` and never load a language pipeline (the httpx
``MockTransport`` idea in DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Protocol, runtime_checkable

from qualcode.domain.transcript import Transcript

RULES = "rules"
"""Scorer name: codebook keywords and phrases matched on lemmas, weighted by rarity."""
LEARNED = "learned"
"""Scorer name: TF-IDF + logistic regression trained on the coder's codings and rejections."""
SIMILAR = "similar"
"""Scorer name: TF-IDF cosine similarity to the code's example quotes and coded passages."""
DEFINITION = "definition"
"""Scorer name: TF-IDF cosine similarity to the code's name and definition in the codebook."""
WORDS = "words"
"""Scorer name: words and phrases that set the code's passages apart, mined from the coder's codings."""
SCORERS = (RULES, DEFINITION, WORDS, LEARNED, SIMILAR)


@dataclass(frozen=True)
class Suggestion:
    """A candidate passage for one code, with why it was suggested.

    ``start``/``end`` are code-point offsets into the transcript's canonical text (end exclusive).
    """

    transcript: str
    start: int
    end: int
    code: str
    score: float
    """Combined score in [0, 1]; higher is more confident."""
    scorers: tuple[str, ...] = ()
    """Which scorers contributed (``rules``, ``learned``, ``similar``)."""
    reasons: tuple[str, ...] = ()
    """Human reasons, one per contributing scorer, strongest first."""
    suggested: bool = True
    """True when ``score`` reaches the engine's threshold; False for a weaker candidate that review
    mode may still show because the engine is unsure about it."""
    uncertainty: float = 0.0
    """1.0 when the engine cannot tell (score at the threshold), 0.0 when it is sure either way."""
    parts: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    """Each scorer's own score in [0, 1]."""
    turn: int | None = None
    """Index of the speaker turn in ``Transcript.turns`` (0-based), if any."""
    quote: str = ""
    """The passage's text."""
    probability: float | None = None
    """The combined score calibrated on the coder's own codings: how likely the coder is to code it."""
    confidence: str = ""
    """What the probability says in a word: "high" from 0.5, "medium" from 0.2, else "low"; "low" whatever
    the probability where nothing was measured for the code (``basis`` not "measured")."""
    weights: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    """Each contributing scorer's share of the combination for this code (how far it is trusted)."""
    threshold: float | None = None
    """The combined score at which a candidate is suggested (set per coder from their own codings)."""
    question: str = ""
    """For a short answer: the question it answers (included in the passage and scored with it)."""
    basis: str = ""
    """Where the trust in the scorers and the probability come from for this code (``BASES``):
    "measured" (out of fold, on the coder's codings, this code's among them), "other codes" (measured,
    but the coder has not coded this code yet) or "fixed priors" (too little coded to measure); "" when
    unknown (a suggester that does not say)."""

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def to_json(self) -> dict:
        return {"transcript": self.transcript, "start": self.start, "end": self.end, "code": self.code,
                "score": round(self.score, 4), "suggested": self.suggested,
                "uncertainty": round(self.uncertainty, 4), "scorers": list(self.scorers),
                "reasons": list(self.reasons), "parts": {k: round(v, 4) for k, v in self.parts.items()},
                "turn": None if self.turn is None else self.turn + 1, "quote": self.quote,
                "probability": None if self.probability is None else round(self.probability, 4),
                "confidence": self.confidence, "weights": {k: round(v, 4) for k, v in self.weights.items()},
                "threshold": None if self.threshold is None else round(self.threshold, 4),
                "question": self.question, "basis": self.basis}


MEASURED = "measured"
OTHER_CODES = "other codes"
FIXED = "fixed priors"
BASES = {
    MEASURED: "measured on your codings",
    OTHER_CODES: "not measured on this code, no codings yet: from your other codes",
    FIXED: "fixed priors: too little coded yet to measure",
}
"""What each ``Suggestion.basis`` says to the researcher, where the trust and the probability come from."""


def trust_said(basis: str) -> str:
    """``trust for this code (measured on your codings)`` and the like: the words before the weights."""
    return f"trust for this code ({BASES[basis]})" if basis in BASES else "trust for this code"


@runtime_checkable
class Suggester(Protocol):
    """Anything that can propose codings for a transcript (the engine, or a fake in tests).

    May be slow (it may load spaCy and train models): call it from a worker thread.
    """

    def suggest(self, transcript: Transcript, codes: Iterable[str] | None = None) -> list[Suggestion]:
        ...


def uncertainty(score: float, threshold: float) -> float:
    """How unsure a score is: 1 at the threshold, falling to 0 at 0 and at 1."""
    if score >= threshold:
        span = 1.0 - threshold
        return 1.0 - (score - threshold) / span if span > 0 else 0.0
    return score / threshold if threshold > 0 else 0.0


def short_title(transcript: Transcript | None, fallback: str) -> str:
    """"LSP C" from "LSP C: interview with ..."; the id when there is no title."""
    if transcript is None:
        return fallback
    title = str(transcript.metadata.get("title") or "").strip()
    if not title:
        return fallback
    head = title.split(":", 1)[0].strip()
    return head if 0 < len(head) <= 40 else fallback


def short_names(transcripts: dict[str, Transcript]) -> dict[str, str]:
    """How reasons name each transcript: the head of its title ("LSP C"), or its id where that head
    does not tell it from another transcript ("PDPilot user study" heads all seven of PDPilot's)."""
    from collections import Counter

    heads = {tid: short_title(t, tid) for tid, t in transcripts.items()}
    count = Counter(heads.values())
    return {tid: tid if count[h] > 1 else h for tid, h in heads.items()}


def overlap(s1: int, e1: int, s2: int, e2: int) -> int:
    """Characters shared by ``[s1, e1)`` and ``[s2, e2)``."""
    return max(0, min(e1, e2) - max(s1, s2))


def overlaps_enough(s1: int, e1: int, s2: int, e2: int) -> bool:
    """The overlap rule: the spans share at least half of the shorter one."""
    shorter = min(e1 - s1, e2 - s2)
    return shorter > 0 and 2 * overlap(s1, e1, s2, e2) >= shorter


SNAP_WORDS = 80
"""A suggested part of a long sentence is coded as the whole sentence when it has at most this many words."""


def coding_span(transcript: Transcript, s: Suggestion) -> tuple[int, int]:
    """What accepting ``s`` codes, and so what the panel shows of it: the passage, widened to whole
    sentences when it starts or ends inside one (a long sentence is scored in windows of about 28
    words, and a window cut mid-clause makes a broken quotation), as long as the widened passage stays
    in its turn and within ``SNAP_WORDS`` words; never starting or ending inside a word, without white
    space at either end. A short answer scored with its question codes the answer alone: the
    respondent's words, never the interviewer's question or the answer's speaker label."""
    text = transcript.text
    start, end = s.start, s.end
    if not s.question:
        wide_start = min(s.start, transcript.sentence_at(s.start)[0])
        wide_end = max(s.end, transcript.sentence_at(max(s.start, s.end - 1))[1])
        turn = transcript.turn_at(s.start)
        inside = turn is None or (turn.text_start <= wide_start and wide_end <= turn.end)
        if inside and len(text[wide_start:wide_end].split()) <= SNAP_WORDS:
            start, end = wide_start, wide_end
    turn = transcript.turn_at(max(start, end - 1))
    if s.question and turn is not None and start < turn.text_start < end:
        start = turn.text_start  # the answer's turn, after its label
    lo, hi = (turn.text_start, turn.end) if turn is not None and turn.text_start <= start else (0, len(text))
    while lo < start < len(text) and not text[start - 1].isspace() and not text[start].isspace():
        start -= 1
    while end < hi and end > 0 and not text[end - 1].isspace() and not text[end].isspace():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else (s.start, s.end)
