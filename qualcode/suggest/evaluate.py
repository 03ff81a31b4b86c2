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

from qualcode.suggest.suggestion import DEFINITION, LEARNED, RULES, SIMILAR, WORDS, Suggestion, overlaps_enough

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
    per_transcript: dict[str, dict] = field(default_factory=dict)
    curve: list = field(default_factory=list)
    method: str = "leave-one-transcript-out"

    def system(self, name: str) -> SystemScore | None:
        return next((s for s in self.systems if s.name == name), None)

    def to_json(self) -> dict:
        return {"gold": self.gold_coder, "method": self.method, "transcripts": self.transcripts,
                "gold_codings": self.gold_codings, "overlap_rule": self.rule, "notes": self.notes,
                "seconds": round(self.seconds, 2), "systems": [s.to_json() for s in self.systems],
                "per_transcript": self.per_transcript, "learning_curve": [p.to_json() for p in self.curve]}


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


SYSTEMS = {
    "full": ("full system", None),
    "keywords": ("keyword-only baseline", None),
    "rules": ("keywords (rules) alone, calibrated", (RULES,)),
    "definition": ("code names and definitions alone", (DEFINITION,)),
    "words": ("words mined from the codings alone", (WORDS,)),
    "learned": ("learned model alone", (LEARNED,)),
    "similar": ("similarity alone", (SIMILAR,)),
}
"""System name -> (label, scorers). ``keywords`` is every keyword match as a suggestion (the
baseline); the single-scorer systems get the same per-coder calibration and threshold as the full one."""


@dataclass
class CurvePoint:
    coded: int
    """How many transcripts the engine was trained on (the first ones, in id order)."""
    tested: int
    micro_f1: float
    p_at_10: float

    def to_json(self) -> dict:
        return {"coded_transcripts": self.coded, "tested_transcripts": self.tested,
                "micro_f1": round(self.micro_f1, 4), "p_at_10": round(self.p_at_10, 4)}


def _engine(project, coder, shared=None, **kw):
    from qualcode.suggest.engine import SuggestionEngine

    eng = SuggestionEngine(project, coder, **kw)
    eng.load()
    if shared is not None:  # same pipeline and codebook: share the segmentation and lemmas
        eng._segs = shared._segs
        eng._quote_lemmas = shared._quote_lemmas
    return eng


def per_transcript(suggestions: dict[str, list[Suggestion]], gold, lengths, codes) -> dict[str, dict]:
    """Micro P/R/F1 of one system on each held-out transcript."""
    out = {}
    for tid in lengths:
        sc = score_system("t", {tid: suggestions.get(tid, [])}, gold, {tid: lengths[tid]}, codes)
        out[tid] = {k: round(v, 4) for k, v in sc.micro.items()} | {
            "gold": sum(c.gold for c in sc.codes.values()), "suggested": sum(c.suggested for c in sc.codes.values())}
    return out


def evaluate(project, gold_coder: str, *, pipeline: str | None = None, include_interviewer: bool = False,
             transcripts: list[str] | None = None, progress=None, systems=tuple(SYSTEMS), curve: bool = True,
             **options) -> Evaluation:
    """Leave-one-transcript-out evaluation of the full engine, the keyword-only baseline and each
    scorer alone; a per-transcript breakdown and a learning curve for the full engine."""
    import time

    from qualcode.errors import QualcodeError

    t0 = time.perf_counter()
    codings = [c for c in project.codings(gold_coder) if c.code in project.codebook]
    coded = sorted({c.transcript for c in codings if project.index.get(c.transcript) is not None})
    if transcripts:
        coded = [t for t in coded if t in set(transcripts)]
    method = "leave-one-transcript-out"
    cut_note = None
    if len(coded) == 1:  # one long document: hold out each half in turn
        from qualcode.suggest.halves import split_project

        split = split_project(project, gold_coder, codings, coded[0])
        if split is not None:
            cut_note = split.note(gold_coder)
            project, codings = split, [c for c in split.codings(gold_coder) if c.code in project.codebook]
            coded = [p.id for p in split.parts]
            method = "each half of one transcript held out in turn"
    if len(coded) < 2:
        where = "one transcript, all in one place" if coded else "no transcript of the project"
        raise QualcodeError(f"{gold_coder!r} has codings in {where}; the evaluation needs codings in two "
                            "transcripts, or spread over one (each half is then held out in turn)",
                            hint="pick a gold coder who coded more, or code more passages first")
    common = dict(pipeline=pipeline, include_interviewer=include_interviewer)
    full = _engine(project, gold_coder, **common, **options)
    full.train(codings)  # segments the project once; anchors the gold codings
    placed = full.coded
    engines = {"full": full}
    for name in systems:
        if name == "full":
            continue
        if name == "keywords":
            engines[name] = _engine(project, gold_coder, full, **common, scorers=(RULES,), threshold=1e-9,
                                    cross_validate=False, top_k=0)
        else:
            engines[name] = _engine(project, gold_coder, full, **common, scorers=SYSTEMS[name][1], **options)
    gold: dict[str, list[tuple[str, int, int]]] = {}
    for c, s, e in placed:
        gold.setdefault(c.transcript, []).append((c.code, s, e))
    results: dict[str, dict[str, list[Suggestion]]] = {name: {} for name in engines}
    lengths: dict[str, int] = {}
    for i, tid in enumerate(coded):
        if progress:
            progress(i, len(coded), f"holding out {tid}")
        t = project.transcript(tid)
        lengths[tid] = len(t.text)
        train = [c for c in codings if c.transcript != tid]
        for name, eng in engines.items():
            eng.train([] if name == "keywords" else train)
            results[name][tid] = eng.suggest(t)
    codes = [c.id for c in project.codebook.codes]
    scored = [score_system(name, results[name], gold, lengths, codes) for name in engines]
    notes = list(full.warnings) + ([cut_note] if cut_note else [])
    lost = len(codings) - len(placed)
    if lost:
        notes.append(f"{lost} gold coding(s) could not be anchored in their transcript and were left out")
    ev = Evaluation(gold_coder, coded, len(placed), scored, notes, method=method)
    ev.per_transcript = per_transcript(results["full"], gold, lengths, codes)
    if curve:
        ev.curve = learning_curve(full, codings, coded, gold, lengths, codes, progress)
    ev.seconds = time.perf_counter() - t0
    return ev


def learning_curve(engine, codings, coded: list[str], gold, lengths, codes, progress=None) -> list[CurvePoint]:
    """F1 and P@10 on the other transcripts after the engine has seen the first 1, 2, 3... transcripts."""
    out = []
    for k in range(1, len(coded)):
        if progress:
            progress(k - 1, len(coded) - 1, f"learning curve, trained on {k}")
        seen = set(coded[:k])
        rest = coded[k:]
        engine.train([c for c in codings if c.transcript in seen])
        sugg = {tid: engine.suggest(engine.project.transcript(tid)) for tid in rest}
        sc = score_system("curve", sugg, gold, {tid: lengths[tid] for tid in rest}, codes)
        out.append(CurvePoint(k, len(rest), sc.micro["f1"], sc.macro["p_at_10"]))
    return out
