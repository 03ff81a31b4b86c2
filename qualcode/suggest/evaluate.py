"""How good are the suggestions? Leave-one-transcript-out against a gold coder.

For each transcript the gold coder coded, the engine is trained on the gold coder's codings of all
the *other* transcripts (the codebook's keywords and examples are always available) and asked for
suggestions for the held-out one; those are compared with the gold codings of that transcript.

The overlap rule (``OVERLAP_RULE``): a suggestion counts as correct when it overlaps a gold span of the
same code by at least half of the shorter of the two; a gold span is found when at least one
suggestion counts for it. Per code and pooled:

- precision = correct suggestions / suggestions; recall = gold spans found / gold spans; F1;
  micro pools the counts of every code (a suggestion for a code the gold coder never used is a
  false positive), macro averages over the codes the gold coder used;
- precision at 10: of the ten highest-scoring candidates for the code over all held-out transcripts,
  the share that is correct; the denominator is min(10, gold spans of the code), so a code used
  fewer than ten times can still score 1;
- Cohen's kappa at character level between suggested and gold coverage, over every (character,
  code) pair of the held-out transcripts.

The keyword-only baseline (the rules scorer alone; any keyword match is a suggestion; ``options`` go to the full
engine: ``threshold``, ``weights``) is computed
in the same run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qualcode.suggest.suggestion import RULES, Suggestion, overlaps_enough

OVERLAP_RULE = ("a suggestion counts when it overlaps a gold span of the same code by at least half "
                "of the shorter of the two")
K = 10


@dataclass
class CodeScore:
    code: str
    gold: int = 0
    suggested: int = 0
    correct: int = 0
    found: int = 0
    p_at_10: float | None = None
    kappa: float | None = None

    @property
    def precision(self) -> float | None:
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision or 0.0, self.recall or 0.0
        if not self.suggested and not self.gold:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        r = lambda v: None if v is None else round(v, 4)  # noqa: E731
        return {"code": self.code, "gold": self.gold, "suggested": self.suggested, "correct": self.correct,
                "found": self.found, "precision": r(self.precision), "recall": r(self.recall), "f1": r(self.f1),
                "p_at_10": r(self.p_at_10), "kappa": r(self.kappa)}


@dataclass
class SystemScore:
    name: str
    codes: dict[str, CodeScore] = field(default_factory=dict)
    kappa: float = 0.0
    counts: np.ndarray = field(default_factory=lambda: np.zeros(4, dtype=np.int64))

    def _pooled(self) -> CodeScore:
        pooled = CodeScore("micro")
        for c in self.codes.values():
            pooled.gold += c.gold
            pooled.suggested += c.suggested
            pooled.correct += c.correct
            pooled.found += c.found
        return pooled

    @property
    def micro(self) -> dict:
        p = self._pooled()
        return {"precision": p.precision or 0.0, "recall": p.recall or 0.0, "f1": p.f1 or 0.0}

    @property
    def macro(self) -> dict:
        used = [c for c in self.codes.values() if c.gold]
        if not used:
            return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "p_at_10": 0.0}
        return {"precision": float(np.mean([c.precision or 0.0 for c in used])),
                "recall": float(np.mean([c.recall or 0.0 for c in used])),
                "f1": float(np.mean([c.f1 or 0.0 for c in used])),
                "p_at_10": float(np.mean([c.p_at_10 or 0.0 for c in used]))}

    def to_json(self) -> dict:
        rd = lambda d: {k: round(v, 4) for k, v in d.items()}  # noqa: E731
        return {"name": self.name, "micro": rd(self.micro), "macro": rd(self.macro),
                "kappa": round(self.kappa, 4), "codes": [c.to_json() for c in self.codes.values()]}


@dataclass
class Evaluation:
    gold_coder: str
    transcripts: list[str]
    gold_codings: int
    systems: list[SystemScore]
    notes: list[str] = field(default_factory=list)
    rule: str = OVERLAP_RULE
    seconds: float = 0.0

    def system(self, name: str) -> SystemScore:
        return next(s for s in self.systems if s.name == name)

    def to_json(self) -> dict:
        return {"gold": self.gold_coder, "method": "leave-one-transcript-out", "transcripts": self.transcripts,
                "gold_codings": self.gold_codings, "overlap_rule": self.rule, "notes": self.notes,
                "seconds": round(self.seconds, 2), "systems": [s.to_json() for s in self.systems]}


def _kappa(counts: np.ndarray) -> float:
    """Cohen's kappa from [both, only suggested, only gold, neither]."""
    both, only_s, only_g, neither = (float(x) for x in counts)
    n = both + only_s + only_g + neither
    if n == 0:
        return 0.0
    po = (both + neither) / n
    ps, pg = (both + only_s) / n, (both + only_g) / n
    pe = ps * pg + (1 - ps) * (1 - pg)
    return 1.0 if pe >= 1.0 else (po - pe) / (1 - pe)


def score_system(name: str, suggestions: dict[str, list[Suggestion]], gold: dict[str, list[tuple[str, int, int]]],
                 lengths: dict[str, int], codes: list[str]) -> SystemScore:
    """Score suggestions (by transcript) against gold spans ``(code, start, end)`` (by transcript)."""
    system = SystemScore(name)
    scores = {c: CodeScore(c) for c in codes}
    ranked: dict[str, list[tuple[float, bool]]] = {c: [] for c in codes}
    per_code_counts = {c: np.zeros(4, dtype=np.int64) for c in codes}
    for tid, n in lengths.items():
        golds = gold.get(tid, [])
        sugg = suggestions.get(tid, [])
        for code in codes:
            g = [(s, e) for c, s, e in golds if c == code]
            cs = scores[code]
            cs.gold += len(g)
            mine = [x for x in sugg if x.code == code]
            found = [False] * len(g)
            gmask = np.zeros(n, dtype=bool)
            smask = np.zeros(n, dtype=bool)
            for s, e in g:
                gmask[s:e] = True
            for x in mine:
                ok = False
                for j, (s, e) in enumerate(g):
                    if overlaps_enough(x.start, x.end, s, e):
                        ok = True
                        if x.suggested:
                            found[j] = True
                ranked[code].append((x.score, ok))
                if x.suggested:
                    cs.suggested += 1
                    cs.correct += ok
                    smask[x.start:x.end] = True
            cs.found += sum(found)
            both = int(np.count_nonzero(gmask & smask))
            only_s = int(np.count_nonzero(smask)) - both
            only_g = int(np.count_nonzero(gmask)) - both
            per_code_counts[code] += (both, only_s, only_g, n - both - only_s - only_g)
    for code in codes:
        cs = scores[code]
        top = sorted(ranked[code], key=lambda r: -r[0])[:K]
        if cs.gold:
            cs.p_at_10 = sum(ok for _, ok in top) / min(K, cs.gold)
            cs.p_at_10 = min(1.0, cs.p_at_10)
        cs.kappa = _kappa(per_code_counts[code])
        system.counts += per_code_counts[code]
    system.kappa = _kappa(system.counts)
    system.codes = {c: s for c, s in scores.items() if s.gold or s.suggested}
    return system


def evaluate(project, gold_coder: str, *, pipeline: str | None = None, include_interviewer: bool = False,
             transcripts: list[str] | None = None, progress=None, **options) -> Evaluation:
    """Leave-one-transcript-out evaluation of the full engine and the keyword-only baseline."""
    import time

    from qualcode.errors import QualcodeError
    from qualcode.suggest.engine import SuggestionEngine

    t0 = time.perf_counter()
    codings = [c for c in project.codings(gold_coder) if c.code in project.codebook]
    coded = sorted({c.transcript for c in codings if project.index.get(c.transcript) is not None})
    if transcripts:
        coded = [t for t in coded if t in set(transcripts)]
    if len(coded) < 2:
        raise QualcodeError(f"{gold_coder!r} has codings in {len(coded)} transcript(s); leave-one-transcript-out "
                            "needs at least two", hint="pick a gold coder who coded several transcripts")
    full = SuggestionEngine(project, gold_coder, pipeline=pipeline, include_interviewer=include_interviewer, **options)
    keywords = SuggestionEngine(project, gold_coder, pipeline=pipeline, include_interviewer=include_interviewer,
                                scorers=(RULES,), threshold=1e-9, floor=1e-9)
    full.train(codings)  # segments the project once; anchors the gold codings
    placed = full.coded
    keywords.load()
    keywords._segs = full._segs  # same pipeline and codebook: share the segmentation
    keywords.train([])
    gold: dict[str, list[tuple[str, int, int]]] = {}
    for c, s, e in placed:
        gold.setdefault(c.transcript, []).append((c.code, s, e))
    by_full: dict[str, list[Suggestion]] = {}
    by_kw: dict[str, list[Suggestion]] = {}
    lengths: dict[str, int] = {}
    for i, tid in enumerate(coded):
        if progress:
            progress(i, len(coded), tid)
        t = project.transcript(tid)
        lengths[tid] = len(t.text)
        full.train([c for c in codings if c.transcript != tid])
        by_full[tid] = full.suggest(t)
        by_kw[tid] = keywords.suggest(t)
    codes = [c.id for c in project.codebook.codes]
    systems = [score_system("full", by_full, gold, lengths, codes),
               score_system("keywords", by_kw, gold, lengths, codes)]
    notes = list(full.warnings)
    lost = len(codings) - len(placed)
    if lost:
        notes.append(f"{lost} gold coding(s) could not be anchored in their transcript and were left out")
    return Evaluation(gold_coder, coded, len(placed), systems, notes, seconds=time.perf_counter() - t0)
