"""Keywords when the codebook has none: the words and phrases that set a code's passages apart.

From the coder's own codings, for each code: every word (and pair of words) of the passages coded
with it is counted in those passages and in all the passages of the transcripts worked through. A
term is proposed when it appears in at least ``MIN_PASSAGES`` of the code's passages and a good share
of the passages that use it are coded with the code (``MIN_PRECISION``); terms are ranked by that
share times the log of how often they occur, and at most ``PER_CODE`` are kept. Each proposal carries
its evidence ("in 4 of the 6 sentences you coded with this code; 4 of the 5 sentences that use it":
sentences, or windows of a long one, as the suggestions count passages).

Terms are lemmas, as the keyword rules match them ("datum source" stands for "data sources" and
matches it); each proposal is shown, and added to the codebook, as the coder's passages most often
write it (``Proposal.shown``, from ``shown_forms``: "data sources"). A term that is already a keyword
of the code, as written or as its lemmas, is not proposed again. Proposals are shown (``qualcode
suggest --keywords``) and added to the codebook only when the researcher accepts them
(``--accept-keywords``). Meanwhile they score passages as the ``words`` scorer, whose trust is
measured out of fold like every other scorer's.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from qualcode.suggest.features import FILLERS

MIN_PASSAGES = 2
MIN_PRECISION = 0.25
PER_CODE = 5
SCALE = 3.0


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    # lemmas of stop words the lookup table maps oddly ("does" -> "doe"), and "datum" stays (data)
    return frozenset(STOP_WORDS) | FILLERS | {"doe", "thing", "lot", "bit", "yes", "yeah"}


SPEECH = frozenset(
    "maybe actually especially particularly course probably basically definitely obviously pretty literally "
    "totally certainly sure right guess think stuff come go get got say said tell like kind sort little "
    "different able want try way thing things time lot okay alright honestly exactly absolutely generally "
    "usually really super".split())
"""Words any answer uses, whatever it is about: never offered as a code's keyword (an outside tester
was offered "maybe", "actually", "especially", "course", "come" and "stuff"). They still count for the
words scorer, whose trust is measured (left out there, the figures fell: PDPilot F1 0.364 -> 0.357)."""


@dataclass(frozen=True)
class Proposal:
    code: str
    term: str
    in_code: int
    """Passages (segments) of the code that use the term."""
    code_passages: int
    uses: int
    """Passages of the worked-through transcripts that use the term."""
    score: float
    shown: str = ""
    """The term as the coder's passages most often write it ("data sources" for "datum source")."""

    @property
    def label(self) -> str:
        return self.shown or self.term

    @property
    def precision(self) -> float:
        return self.in_code / self.uses if self.uses else 0.0

    @property
    def evidence(self) -> str:
        return (f"in {self.in_code} of the {self.code_passages} sentences you coded with this code; "
                f"{self.in_code} of the {self.uses} sentences that use it")

    def to_json(self) -> dict:
        return {"code": self.code, "term": self.term, "shown": self.label, "in_code": self.in_code,
                "code_passages": self.code_passages,
                "uses": self.uses, "precision": round(self.precision, 4), "evidence": self.evidence}


def terms(lemmas: str, stop: frozenset[str]) -> set[str]:
    words = lemmas.split()
    # words of three letters or more, no stop words, no anonymisation runs ("xxxxxx")
    keep = [len(w) >= 3 and w.isalpha() and w not in stop and w.strip("x") != "" for w in words]
    out = {w for w, k in zip(words, keep) if k}
    for i in range(len(words) - 1):
        if keep[i] and keep[i + 1]:
            out.add(f"{words[i]} {words[i + 1]}")
    return out


def segment_terms(segment_lemmas: list[str]) -> list[set[str]]:
    stop = _stop_words()
    return [terms(x, stop) for x in segment_lemmas]


def mine(seg_terms: list[set[str]], positives: dict[str, set[int]], base: list[int],
         existing: dict[str, set[str]] | None = None) -> dict[str, list[Proposal]]:
    """Proposals per code (terms already among the code's keywords are left out); ``seg_terms`` from
    ``segment_terms`` over the project's segments, rows as in ``positives`` and ``base``."""
    base_set = set(base)
    df = Counter(t for r in base_set for t in seg_terms[r])
    existing = existing or {}
    out: dict[str, list[Proposal]] = {}
    for code, pos in positives.items():
        pos = [r for r in pos if 0 <= r < len(seg_terms)]
        if len(pos) < MIN_PASSAGES:
            continue
        counts = Counter(t for r in pos for t in seg_terms[r])
        have = {k.lower() for k in existing.get(code, ())}
        props = []
        for t, n in counts.items():
            if n < MIN_PASSAGES or t in have:
                continue
            uses = max(df.get(t, 0), n)
            prec = n / uses
            if prec < MIN_PRECISION:
                continue
            props.append(Proposal(code, t, n, len(pos), uses, prec * math.log2(1 + n)))
        props.sort(key=lambda p: (-p.score, p.term))
        kept: list[Proposal] = []
        for p in props:  # a pair adds nothing over one of its words that is already kept with the same passages
            if " " in p.term and any(k.term in p.term.split() and k.in_code >= p.in_code for k in kept):
                continue
            kept.append(p)
            if len(kept) == PER_CODE:
                break
        if kept:
            out[code] = kept
    return out


def shown_forms(docs, wanted: set[str]) -> dict[str, str]:
    """For each lemma term in ``wanted`` (one word or two), how the texts of ``docs`` most often
    write it: the words as written, a capital that only starts a sentence lowered."""
    counts: dict[str, Counter] = {}
    for doc in docs:
        words = [t for t in doc if not (t.is_punct or t.is_space)]
        lemmas = [t.lemma_.lower() for t in words]
        for n in (1, 2):
            for i in range(len(words) - n + 1):
                key = " ".join(lemmas[i:i + n])
                if key not in wanted:
                    continue
                parts = [w.text for w in words[i:i + n]]
                first = words[i]
                if first.is_sent_start and not first.text.isupper():
                    parts[0] = parts[0][:1].lower() + parts[0][1:]
                counts.setdefault(key, Counter())[" ".join(parts)] += 1
    return {key: max(sorted(c), key=lambda form: c[form]) for key, c in counts.items()}


def keyword_lemmas(engine) -> dict[str, set[str]]:
    """Each code's keywords, as written (lower case) and as lemmas: what a proposal must not repeat."""
    book = engine.project.codebook
    items = [(("keyword", kw), kw) for c in book.codes for kw in c.keywords]
    lemmas = dict(zip((k for k, _ in items), engine._lemmas(items)))
    return {c.id: {kw.lower() for kw in c.keywords} | {lemmas[("keyword", kw)] for kw in c.keywords}
            for c in book.codes}


def proposals(engine) -> dict[str, list[Proposal]]:
    """The proposals of a trained engine (``SuggestionEngine.keyword_proposals``): those its words
    scorer uses, or mined now when it has none; shown as the coder's own passages of the code write
    them, not as lemmas. A term whose lemmas are already a keyword of the code ("data sources" was
    added) is not offered again (it still scores as a mined word: the scorer's figures were measured
    with it)."""
    import dataclasses

    have = keyword_lemmas(engine)
    if engine.models.words is not None:
        found = dict(engine.models.words.proposals)
    else:
        terms = segment_terms([s.lemmas for s in engine.all_segments])
        found = mine(terms, engine.training.positives, engine.training.base, have)
    out = {}
    for code, props in found.items():
        props = [p for p in props if p.term not in have.get(code, ()) and not SPEECH & set(p.term.split())]
        if props:
            shown = engine.shown_terms(code, [p.term for p in props])
            out[code] = [dataclasses.replace(p, shown=form) for p, form in zip(props, shown)]
    return out


class WordsScorer:
    """Scores segments by the proposed terms they use, weighted by rarity (like the keyword rules)."""

    name = "words"

    def __init__(self, proposals: dict[str, list[Proposal]], n_segments: int) -> None:
        self.proposals = proposals
        self.n = n_segments

    def score(self, rows_terms: list[set[str]]) -> tuple[dict[str, np.ndarray], list[dict[str, list[str]]]]:
        """``({code: score per row}, [{code: [terms matched]} per row])`` for rows given as term sets."""
        out: dict[str, np.ndarray] = {}
        labels: list[dict[str, list[str]]] = [{} for _ in rows_terms]
        for code, props in self.proposals.items():
            v = np.zeros(len(rows_terms))
            for i, ts in enumerate(rows_terms):
                total = 0.0
                for p in props:
                    if p.term in ts:
                        total += math.log((1 + self.n) / (1 + p.uses)) + 1.0
                        labels[i].setdefault(code, []).append(p.term)
                if total:
                    v[i] = 1.0 - math.exp(-total / SCALE)
            out[code] = v
        return out, labels

    @staticmethod
    def reason(matched: list[str]) -> str:
        shown = ", ".join(f"'{t}'" for t in matched[:2])
        return f"uses words of your own passages of this code: {shown}"
