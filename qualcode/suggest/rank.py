"""The last step: combined probabilities become suggestions, merged and explained.

For each code, the scorers that speak for it are combined by the trust fitted on the coder's own
codings (``trust.Trust.combine``): a probability per segment. Then, within the transcript:

- the transcript's best pairs (segment, code) within its budget (``Trust.budget``), and every
  keyword hit of the codes whose keyword hits the coder codes (``Trust.keyword_codes``), are
  **suggested**; with no budget (nothing measured, or a
  threshold given), a segment at or above the threshold is;
- the ``TOP_K`` best other segments of the code, down to ``MIN_CANDIDATE``, are returned as
  **candidates**: new text that no score reaches still shows its best passages,
  ranked, and review mode shows the least certain first;
- a segment whose keyword for the code is negated ("we don't work within the framework") is never
  offered for that code where the codebook has a negative sibling for it (``negation.polar_codes``); passages the coder already coded or rejected for a code are not offered
  for it again;
- adjacent suggested segments of one turn are merged into one suggestion.

Each suggestion says how confident it is (``confidence``: its probability as high, medium or low; low
where nothing was measured for the code), where that trust comes from (``basis``: measured, the
coder's other codes, fixed priors) and why: each contributing scorer's reason (a scorer with 0% of
the trust says it did not count), its own score (``parts``) and its share of the trust for that code
(``weights``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qualcode.domain.transcript import Transcript
from qualcode.suggest.suggestion import (DEFINITION, FIXED, LEARNED, MEASURED, OTHER_CODES, RULES, SIMILAR, WORDS,
                                         Suggestion, overlaps_enough, uncertainty)

TOP_K = 5
"""Candidates per code and transcript offered below the threshold (the adaptive floor)."""
MIN_CANDIDATE = 0.005
"""A candidate whose combined score is below this (shown as 0.00: no scorer speaks for it, as on
text in another language) is not worth a researcher's look."""
MIN_SUGGEST = 0.05
"""Within the budget, a pair below this combined probability is still not suggested."""
HIGH = 0.5
MEDIUM = 0.2
REASON_MIN = 0.2
"""A scorer's own score must reach this to be named as a reason."""
NO_SHARE = 0.005
"""A scorer whose share of the trust for a code is below this (shown as 0%) did not count: its reason
says so, and it is not among the suggestion's ``scorers``."""


@dataclass
class _Cand:
    first: int
    last: int
    score: float
    parts: dict[str, float]
    best: int
    """The member segment with the highest score (its reasons are shown)."""
    labels: list[str] = field(default_factory=list)
    suggested: bool = False
    probability: float = 0.0


def _spans_by_code(items, tid: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for it, s, e in items:
        if it.transcript == tid:
            out.setdefault(it.code, []).append((s, e))
    return out


def _excluded(seg, spans: list[tuple[int, int]]) -> bool:
    return any(overlaps_enough(seg.start, seg.end, s, e) for s, e in spans)


def rank_transcript(engine, transcript: Transcript, segs, rows, codes: list[str], raw: dict, aux: dict) -> list[Suggestion]:
    trust = engine.trust
    tid = transcript.id
    coded = _spans_by_code(engine.training.placed, tid)
    rejected = _spans_by_code(engine.training.rejected, tid)
    threshold = engine.threshold
    scored: dict[str, tuple] = {}
    for code in codes:
        parts_raw = {s: by_code[code] for s, by_code in raw.items() if code in by_code}
        if not parts_raw:
            continue
        prob, shares, probs = trust.combine(parts_raw, code)
        evidence = np.zeros(len(segs), dtype=bool)
        for v in parts_raw.values():
            evidence |= np.asarray(v) > 0
        blocked = ~evidence
        for i, seg in enumerate(segs):
            if ((code in aux["denied"][i] and code in engine.polar) or _excluded(seg, coded.get(code, ()))
                    or _excluded(seg, rejected.get(code, ()))):
                blocked[i] = True
        # the combined score ranks within the code; as a probability, codes led by different scorers
        # compare (the budget, the threshold, the confidence shown)
        scored[code] = (np.where(blocked, -1.0, prob), shares, probs,
                        np.where(blocked, -1.0, trust.probabilities(prob, parts_raw, code)))
    budget = trust.budget(len(segs)) if engine.threshold_override is None else None
    chosen: set[tuple[str, int]] = set()
    if budget is not None and scored:
        # the transcript's best pairs (segment, code), however high or low new text scores
        names = list(scored)
        P = np.stack([scored[c][3] for c in names], axis=1)
        flat = P.ravel()
        ties = np.stack([scored[c][0] for c in names], axis=1).ravel()  # equal probabilities: the better score
        order = np.lexsort((-ties, -flat))[:budget]
        chosen = {(names[k % len(names)], int(k // len(names))) for k in order if flat[k] >= MIN_SUGGEST}
        # codes whose keyword hits the coder has coded often enough: every hit, budget or not
        for code in trust.keyword_codes:
            if code in scored and code in raw.get(RULES, {}):
                hit = (np.asarray(raw[RULES][code]) > 0) & (scored[code][0] >= 0)
                chosen.update((code, int(i)) for i in np.flatnonzero(hit))
    out: list[Suggestion] = []
    for code, (avail, shares, probs, proba) in scored.items():
        if budget is None:
            suggested = proba >= threshold
        else:
            suggested = np.array([(code, i) in chosen for i in range(len(segs))], dtype=bool)
        order = np.argsort(-avail, kind="stable")
        extra = [int(i) for i in order[:engine.top_k] if not suggested[i] and avail[i] >= MIN_CANDIDATE]
        picked = sorted(set(np.flatnonzero(suggested).tolist()) | set(extra))
        cands = []
        for i in picked:
            parts = {s: float(p[i]) for s, p in probs.items()}
            cands.append(_Cand(i, i, float(avail[i]), parts, i, list(aux["labels"][i].get(code, ())),
                               bool(suggested[i]), float(proba[i])))
        for cand in _merge(cands, segs):
            out.append(_suggestion(engine, transcript, segs, rows, code, cand, shares, aux))
    out.sort(key=lambda s: (not s.suggested, -s.score, s.start))
    return out


def _merge(cands: list[_Cand], segs) -> list[_Cand]:
    """Join runs of suggested candidates that are adjacent segments of one turn."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (prev is not None and c.first == prev.last + 1 and prev.suggested and c.suggested
                and segs[c.first].turn == segs[prev.last].turn and segs[c.first].answer_start < 0
                and segs[prev.last].answer_start < 0):
            prev.last = c.last
            for k, v in c.parts.items():
                prev.parts[k] = max(prev.parts.get(k, 0.0), v)
            prev.labels = list(dict.fromkeys(prev.labels + c.labels))
            if c.score > prev.score:
                prev.score, prev.best, prev.probability = c.score, c.best, c.probability
            continue
        out.append(_Cand(c.first, c.last, c.score, dict(c.parts), c.best, list(c.labels), c.suggested, c.probability))
    return out


def trust_basis(engine, code: str) -> str:
    """Where the trust and the probability for ``code`` come from: fixed priors (nothing measured: too
    little coded), the coder's other codes (measured, but this code has no codings of the coder yet),
    or measurements that include this code's own codings."""
    if engine.trust.method == "default":
        return FIXED
    return MEASURED if engine.n_codings.get(code) else OTHER_CODES


def confidence(probability: float, suggested: bool, basis: str = MEASURED) -> str:
    """What the calibrated probability says, whether or not the passage is within the budget (said
    apart, as "suggested" or "a candidate"): "high" from 0.5, "medium" from 0.2, else "low". (Tied to
    the budget instead, a suggested passage at p 0.05 read "medium" and a candidate at p 0.71 "low".)

    "low" whatever the probability where nothing was measured for the code (``basis`` other than
    "measured"): with fixed priors every passage a keyword or the definition finds came out at p 0.50,
    "high", after two codings; on a code not coded yet the probability is calibrated on other codes, and
    a passage whose one link to the code is the word "code" read "medium". The word stays one of the
    three (scripts read it); the panel and ``qualcode suggest`` say why next to it (``basis``). The
    probability itself, the ranking and the budget are unchanged."""
    if basis != MEASURED:
        return "low"
    return "high" if probability >= HIGH else "medium" if probability >= MEDIUM else "low"


def _suggestion(engine, transcript: Transcript, segs, rows, code: str, cand: _Cand, shares: dict, aux: dict) -> Suggestion:
    from qualcode.suggest.rules import RuleScorer

    reasons: list[tuple[float, str, str]] = []
    p = cand.parts
    row = rows[cand.best]
    if cand.labels:
        reasons.append((p.get(RULES, 0.0), RULES, RuleScorer.reason(cand.labels)))
    words = aux["words"][cand.best].get(code) if aux.get("words") else None
    if words and p.get(WORDS, 0.0) >= REASON_MIN:
        from qualcode.suggest.keywords import WordsScorer

        reasons.append((p[WORDS], WORDS, WordsScorer.reason(engine.shown_terms(code, words[:2]))))
    if p.get(LEARNED, 0.0) >= REASON_MIN and engine.models.learned is not None:
        terms = engine.models.learned.top_terms(code, engine.X[row], engine.features.names)
        reasons.append((p[LEARNED], LEARNED, engine.models.learned.reason(code, terms, engine.n_codings.get(code))))
    best = aux["best"].get(code)
    if best is not None and p.get(SIMILAR, 0.0) >= REASON_MIN:
        sim = engine.models.similar
        why = sim.exemplars[int(best[cand.best])].reason
        near = aux.get("near", {}).get(code)
        reasons.append((p[SIMILAR], SIMILAR, why if near is None else sim.vote_reason(why, int(near[cand.best]))))
    if p.get(DEFINITION, 0.0) >= REASON_MIN and engine.definition is not None:
        book = engine.project.codebook
        reasons.append((p[DEFINITION], DEFINITION, engine.definition.reason(book.get(code).name)))
    # a scorer with no share of the trust for this code (shown as 0%) did not count: said so, last
    mute = {name for _, name, _ in reasons if shares.get(name, 0.0) < NO_SHARE}
    reasons = [(score, name, f"{text} (did not count: 0% of the trust for this code)" if name in mute else text)
               for score, name, text in reasons]
    reasons.sort(key=lambda r: (r[1] in mute, -r[0]))
    first, last = segs[cand.first], segs[cand.last]
    start, end = first.start, last.end
    question = ""
    if first.answer_start >= 0:  # the question, up to the answer's turn (not its speaker label)
        answer = transcript.turn_at(first.answer_start)
        stop = answer.start if answer is not None and start < answer.start <= first.answer_start else first.answer_start
        question = transcript.text[start:stop].strip()
    texts = tuple(text for _, _, text in reasons)
    if question:
        texts += ("a short answer, scored with the question it answers",)
    if cand.suggested and cand.labels and code in engine.trust.keyword_codes:
        texts += ("every passage with the codebook's keywords is suggested: on your coded transcripts they "
                  "found what you coded better than the models did" if engine.trust.ratio == 0.0 else
                  "every passage with this code's keywords is suggested: you coded enough of them so far",)
    threshold = engine.threshold
    said = trust_basis(engine, code)
    return Suggestion(
        transcript=transcript.id, start=start, end=end, code=code, score=cand.score,
        scorers=tuple(name for _, name, _ in reasons if name not in mute), reasons=texts,
        suggested=cand.suggested, uncertainty=uncertainty(cand.probability, threshold),
        parts=dict(p), turn=first.turn, quote=transcript.text[start:end],
        confidence=confidence(cand.probability, cand.suggested, said), probability=cand.probability,
        weights={k: v for k, v in shares.items() if k in p}, threshold=threshold, question=question, basis=said)
