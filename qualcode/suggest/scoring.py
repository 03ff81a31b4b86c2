"""One transcript's segments scored by the engine's scorers, combined, filtered, merged, explained."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.domain.transcript import Transcript
from qualcode.suggest.segments import Segment
from qualcode.suggest.suggestion import LEARNED, RULES, SIMILAR, Suggestion, overlaps_enough, uncertainty


@dataclass
class _Cand:
    first: int
    last: int
    score: float
    parts: dict[str, float]
    best: int
    """The member segment with the highest score (its reasons are shown)."""
    labels: list[str] = field(default_factory=list)


def _spans_by_code(items, tid: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for it, s, e in items:
        if it.transcript == tid:
            out.setdefault(it.code, []).append((s, e))
    return out


def _excluded(seg: Segment, spans: list[tuple[int, int]]) -> bool:
    return any(overlaps_enough(seg.start, seg.end, s, e) for s, e in spans)


def score_transcript(engine, transcript: Transcript, codes: list[str]) -> list[Suggestion]:
    segs = engine.segments(transcript)
    if not segs or not codes:
        return []
    tid = transcript.id
    rows = engine._rows_of(tid)
    X = engine.X[rows.start:rows.stop]
    scorers = engine.scorers
    rules = [engine.rule_scorer.score(s) for s in segs] if RULES in scorers else None
    learned = engine.learned.predict(engine.XL[rows.start:rows.stop]) if engine.learned is not None else {}
    similar = {}
    sim = engine.similar
    if sim is not None:
        own = [(i, x) for i, x in enumerate(sim.exemplars) if x.transcript == tid]
        skip = [[i for i, x in own if overlaps_enough(s.start, s.end, x.start, x.end)] for s in segs] if own else None
        similar = sim.score(X, skip)
    coded = _spans_by_code(engine.coded, tid)
    rejected = _spans_by_code(engine.rejected, tid)
    has_rules = engine.ruleset.by_code
    book = engine.project.codebook
    out: list[Suggestion] = []
    for code in codes:
        available = []
        if rules is not None and code in has_rules and (engine.n_codings.get(code) or not book.children(code)):
            # a parent code is for passages that fit none of its children: keywords cannot tell
            # that, so a parent's keywords speak only once the coder has used the parent
            available.append(RULES)
        if code in learned:
            available.append(LEARNED)
        if code in similar:
            available.append(SIMILAR)
        if not available:
            continue
        cold = LEARNED not in available
        cands: list[_Cand] = []
        lp = learned.get(code)
        sp = similar.get(code)
        for i, seg in enumerate(segs):
            parts: dict[str, float] = {}
            labels: list[str] = []
            if RULES in available:
                hit = rules[i].get(code)
                if hit:
                    parts[RULES], labels = hit
            if lp is not None:
                parts[LEARNED] = float(lp[i])
            if sp is not None:
                parts[SIMILAR] = float(sp[0][i])
            score = _combine(engine, parts, available)
            if cold and RULES in parts:  # before the model exists a keyword may speak on its own
                score = max(score, parts[RULES])
            if score < engine.floor:
                continue
            if _excluded(seg, coded.get(code, ())) or _excluded(seg, rejected.get(code, ())):
                continue
            cands.append(_Cand(i, i, score, parts, i, labels))
        for cand in _merge(cands, segs, engine.threshold):
            out.append(_suggestion(engine, transcript, segs, X, code, cand, sp))
    out.sort(key=lambda s: (not s.suggested, -s.score, s.start))
    return out


def _combine(engine, parts, available) -> float:
    from qualcode.suggest.engine import combine

    return combine(parts, available, engine.weights)


def _merge(cands: list[_Cand], segs: list[Segment], threshold: float) -> list[_Cand]:
    """Join runs of suggested candidates that are adjacent segments of one turn."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (prev is not None and c.first == prev.last + 1 and prev.score >= threshold and c.score >= threshold
                and segs[c.first].turn == segs[prev.last].turn):
            prev.last = c.last
            for k, v in c.parts.items():
                prev.parts[k] = max(prev.parts.get(k, 0.0), v)
            prev.labels = list(dict.fromkeys(prev.labels + c.labels))
            if c.score > prev.score:
                prev.score, prev.best = c.score, c.best
            continue
        out.append(_Cand(c.first, c.last, c.score, dict(c.parts), c.best, list(c.labels)))
    return out


def _suggestion(engine, transcript: Transcript, segs, X, code: str, cand: _Cand, sp) -> Suggestion:
    from qualcode.suggest.engine import REASON_MIN
    from qualcode.suggest.rules import RuleScorer

    reasons: list[tuple[float, str, str]] = []
    p = cand.parts
    if cand.labels:
        reasons.append((p.get(RULES, 0.0), RULES, RuleScorer.reason(cand.labels)))
    if p.get(LEARNED, 0.0) >= REASON_MIN:
        terms = engine.learned.top_terms(code, X[cand.best], engine.features.names)
        reasons.append((p[LEARNED], LEARNED, engine.learned.reason(code, terms, engine.n_codings.get(code))))
    if sp is not None and p.get(SIMILAR, 0.0) >= REASON_MIN:
        reasons.append((p[SIMILAR], SIMILAR, engine.similar.exemplars[int(sp[1][cand.best])].reason))
    reasons.sort(key=lambda r: -r[0])
    start, end = segs[cand.first].start, segs[cand.last].end
    return Suggestion(
        transcript=transcript.id, start=start, end=end, code=code, score=cand.score,
        scorers=tuple(name for _, name, _ in reasons), reasons=tuple(text for _, _, text in reasons),
        suggested=cand.score >= engine.threshold, uncertainty=uncertainty(cand.score, engine.threshold),
        parts=dict(p), turn=segs[cand.first].turn, quote=transcript.text[start:end])
