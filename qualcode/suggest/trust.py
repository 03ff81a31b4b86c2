"""How much to trust each scorer, per code, measured on the coder's own codings.

The engine scores the segments of the transcripts the coder has worked through *out of fold*: the
trained scorers (mined words, learned model, similarity) are refitted with one group of transcripts
held out and asked about that group (leave-one-transcript-out, at most ``MAX_FOLDS`` groups; a single
coded transcript is split into its two halves). The codebook scorers (keywords, definition) need no
training and are scored directly. From those out-of-fold scores this module fits, once per training
set:

- a **quality** per scorer and code: how much better than chance the scorer ranked that code's
  segments (average precision minus the code's base rate), shrunk towards the scorer's mean over all
  codes when the code has few codings (``PRIOR_STRENGTH`` pseudo-codings);
- the **combination** per code: the scorer of best quality leads, the others count for
  ``OTHERS`` of their quality relative to it (a weighted mean of raw scores: within a code it ranks);
- a **calibration** of the combined score per leading scorer (Platt scaling, pooled over the codes it
  leads): the probability shown to the researcher;
- a **budget**: how many passages a transcript gets, as a ratio of the coder's own rate of codings per
  segment, chosen to maximise F1 as the evaluation counts it (precision over suggested passages,
  recall over coded passages found). Ranking within the transcript and taking the best pairs
  (segment, code) keeps working when new text scores lower or higher than the training text.

With too little coded to measure anything (no transcript worked through), ``default_trust`` gives
fixed priors and a fixed threshold: keywords first, the other scorers lightly. A trained scorer leads
a code only where it ranked the coder's own passages better than the keywords did (for a code with
few codings, mostly on the strength of the other codes): where it has not proved itself, a keyword
hit is not outvoted, the keywords lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qualcode.suggest.suggestion import DEFINITION, LEARNED, RULES, SIMILAR, WORDS

MAX_FOLDS = 5
PRIOR_STRENGTH = 10.0
"""A code's own measured quality counts as this many codings' worth against the scorer's mean."""
THRESHOLD_RANGE = (0.03, 0.9)
PLATT_STEP = 1e-3
OTHERS = 0.3
"""Weight of a scorer that does not lead a code, relative to the leader, times its relative quality."""
KEYWORD_MARGIN = 0.02
"""Keeping every keyword hit of some codes must beat the budget alone by this much (relative F1)."""
RATIOS = (0.15, 0.25, 0.35, 0.5, 0.65, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)

DEFAULT_CALIBRATION = {RULES: (6.0, -3.0), DEFINITION: (8.0, -4.0), LEARNED: (4.0, -2.0), SIMILAR: (6.0, -3.0),
                       WORDS: (6.0, -3.0)}
"""(a, b) of p = 1 / (1 + exp(-(a x + b))) for each scorer's raw score when nothing could be measured."""
DEFAULT_PRIOR = {RULES: 1.0, DEFINITION: 0.3, LEARNED: 0.2, SIMILAR: 0.2, WORDS: 0.2}
"""With nothing measured, the codebook's own scorers lead and what was learned from a coding or two
speaks lightly (a model trained on one coding led the code and buried its obvious passages)."""
DEFAULT_THRESHOLD = 0.5


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def platt(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: a 1-D logistic regression ``y ~ a x + b`` (L2-regularised, so that scores that
    separate the classes perfectly still give finite, monotone probabilities)."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=bool).ravel()
    if len(x) == 0 or y.sum() == 0 or y.sum() == len(y):
        return 1.0, -3.0
    # the same fit on the scores counted in steps of ``PLATT_STEP`` (a weighted row per step and class):
    # a quarter of the time on a study's hundred thousand (row, code) scores, the same (a, b) to 1e-4
    step, inv = np.unique(np.round(x / PLATT_STEP).astype(np.int64), return_inverse=True)
    pos = np.bincount(inv, weights=y.astype(np.float64), minlength=len(step))
    neg = np.bincount(inv, minlength=len(step)) - pos
    xs = np.concatenate([step, step]) * PLATT_STEP
    ys = np.concatenate([np.ones(len(step), dtype=np.int8), np.zeros(len(step), dtype=np.int8)])
    w = np.concatenate([pos, neg])
    keep = w > 0
    m = LogisticRegression(C=1.0, solver="lbfgs", max_iter=200).fit(xs[keep].reshape(-1, 1), ys[keep],
                                                                    sample_weight=w[keep])
    a, b = float(m.coef_[0, 0]), float(m.intercept_[0])
    if a <= 0:  # a scorer that ranks backwards on this coder's data says nothing
        return 0.0, b
    return a, b


def average_precision(scores: np.ndarray, y: np.ndarray) -> float:
    """Average precision of a ranking (ties broken by position, deterministic)."""
    n_pos = int(y.sum())
    if n_pos == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    hits = y[order].astype(np.float64)
    cum = np.cumsum(hits)
    ranks = np.arange(1, len(y) + 1)
    return float(np.sum((cum / ranks) * hits) / n_pos)


@dataclass
class Trust:
    quality: dict[str, dict[str, tuple[float, int]]] = field(default_factory=dict)
    """scorer -> code -> (average precision lift over the base rate, positives it was measured on)."""
    prior: dict[str, float] = field(default_factory=dict)
    """scorer -> its mean lift over the codes it could be measured on (or a fixed prior)."""
    calibration: dict[str, tuple[float, float]] = field(default_factory=dict)
    """leading scorer -> (a, b): probability = 1 / (1 + exp(-(a x + b))) of the combined score x."""
    threshold: float = DEFAULT_THRESHOLD
    method: str = "default"
    """How the trust was set: "default" or "out-of-fold on N transcripts"."""
    oof_f1: float | None = None
    rate: float | None = None
    """The coder's codings per segment of worked text (for the budget)."""
    ratio: float | None = None
    """Suggestions per transcript = ratio x rate x segments (chosen out of fold); None: threshold only."""
    keyword_codes: list[str] = field(default_factory=list)
    """Codes whose every keyword hit is suggested, budget or not (chosen out of fold)."""
    crossfit_f1: float | None = None
    """The budget's F1 with each transcript's trust fitted on the others (``crossfit.py``)."""

    def quality_of(self, scorer: str, code: str) -> float:
        """The scorer's lift on this code, shrunk towards its mean over codes."""
        lift, n = self.quality.get(scorer, {}).get(code, (self.prior.get(scorer, 0.0), 0))
        prior = self.prior.get(scorer, 0.0)
        return (n * lift + PRIOR_STRENGTH * prior) / (n + PRIOR_STRENGTH)

    def weights(self, scorers, code: str) -> tuple[dict[str, float], str]:
        """Each scorer's weight for this code (summing to 1) and the one that leads."""
        q = {s: max(self.quality_of(s, code), 1e-4) for s in scorers}
        lead = max(sorted(q), key=lambda k: q[k])
        w = {s: (1.0 if s == lead else OTHERS * v / q[lead]) for s, v in q.items()}
        total = sum(w.values())
        return {s: v / total for s, v in w.items()}, lead

    def budget(self, segments: int) -> int | None:
        """How many (segment, code) pairs of a transcript with this many segments to suggest."""
        if self.ratio is None or self.rate is None:
            return None
        return int(np.ceil(self.ratio * self.rate * segments))

    def mean(self, raw: dict[str, np.ndarray], code: str) -> tuple[np.ndarray, dict[str, float], str]:
        weights, lead = self.weights(list(raw), code)
        out = sum(weights[s] * np.asarray(v, dtype=np.float64) for s, v in raw.items())
        return np.asarray(out, dtype=np.float64), weights, lead

    def combine(self, raw: dict[str, np.ndarray], code: str) -> tuple[np.ndarray, dict[str, float], dict[str, np.ndarray]]:
        """Combined score per row for ``code`` from the raw scores of the scorers that speak for it.

        Returns (scores in [0, 1], each scorer's weight for this code, each scorer's raw score).
        """
        x, weights, _ = self.mean(raw, code)
        return x, weights, {s: np.asarray(v, dtype=np.float64) for s, v in raw.items()}

    def probabilities(self, scores: np.ndarray, scorers, code: str) -> np.ndarray:
        _, lead = self.weights(list(scorers), code)
        a, b = self.calibration.get(lead, DEFAULT_CALIBRATION.get(lead, (4.0, -2.0)))
        return sigmoid(a * np.asarray(scores, dtype=np.float64) + b)

    def to_json(self) -> dict:
        return {"method": self.method, "threshold": round(self.threshold, 4),
                "calibration": {s: [round(a, 4), round(b, 4)] for s, (a, b) in self.calibration.items()},
                "prior": {s: round(v, 4) for s, v in self.prior.items()},
                "oof_f1": None if self.oof_f1 is None else round(self.oof_f1, 4),
                "rate": None if self.rate is None else round(self.rate, 4), "ratio": self.ratio,
                "keyword_codes": self.keyword_codes, "crossfit_f1": self.crossfit_f1}


def default_trust(scorers) -> Trust:
    return Trust({}, {s: DEFAULT_PRIOR.get(s, 0.5) for s in scorers}, dict(DEFAULT_CALIBRATION), DEFAULT_THRESHOLD,
                 "default")


def fit_trust(oof: dict[str, dict[str, np.ndarray]], Y: np.ndarray, code_index: dict[str, int],
              spans: list[tuple[str, list[int]]], n_transcripts: int, groups: np.ndarray | None = None) -> Trust:
    """Fit qualities, calibration, threshold and budget from out-of-fold scores.

    ``oof[scorer][code]`` holds a score per evaluation row; ``Y[row, code_index[code]]`` says whether
    the row belongs to the code; ``spans`` lists the coder's codings as (code, evaluation rows it
    covers), for recall; ``groups`` gives each row's transcript (for the budget).
    """
    positives = Y.sum(axis=0)
    masks = [groups == g for g in np.unique(groups)] if groups is not None and RULES in oof else []
    quality: dict[str, dict[str, tuple[float, int]]] = {}
    prior: dict[str, float] = {}
    for s, by_code in oof.items():
        q: dict[str, tuple[float, int]] = {}
        single: dict[str, tuple[float, int]] = {}  # the keywords' codes coded in one transcript only
        for code, v in by_code.items():
            j = code_index.get(code)
            if j is None or positives[j] == 0:
                continue
            y = Y[:, j]
            lift = average_precision(v, y) - float(y.mean())
            if s == RULES and masks:
                moved = transferable_lift(np.asarray(v), y, masks, lift)
                if moved is None:  # coded in one transcript: nothing says the keywords carry over
                    single[code] = (lift, int(positives[j]))
                    continue
                lift = moved
            q[code] = (lift, int(positives[j]))
        quality[s] = q
        prior[s] = float(np.mean([lift for lift, _ in (q or single).values()])) if q or single else 0.0
    trust = Trust(quality, prior, {}, DEFAULT_THRESHOLD, f"out-of-fold on {n_transcripts} transcript(s)")
    codes = sorted({c for by_code in oof.values() for c in by_code})
    means: dict[str, tuple[np.ndarray, str]] = {}
    for code in codes:
        raw = {s: by_code[code] for s, by_code in oof.items() if code in by_code}
        x, _, lead = trust.mean(raw, code)
        means[code] = (trust.combine(raw, code)[0], lead)
    # calibration of the combined score, per leading scorer, over the codes the coder used
    for lead in sorted({ld for _, ld in means.values()}):
        xs = [means[c][0] for c in codes if means[c][1] == lead and c in code_index and positives[code_index[c]]]
        ys = [Y[:, code_index[c]] for c in codes if means[c][1] == lead and c in code_index and positives[code_index[c]]]
        fitted = platt(np.concatenate(xs), np.concatenate(ys)) if xs else (0.0, 0.0)
        # no rising slope (nothing measured, or a few codings ranked backwards): every passage would get
        # the same probability and the budget would take a transcript's first sentences; the default
        # calibration keeps the order the combined score gives
        trust.calibration[lead] = fitted if fitted[0] > 0 else DEFAULT_CALIBRATION.get(lead, (4.0, -2.0))
    combined = {}
    for code in codes:
        raw = {s: by_code[code] for s, by_code in oof.items() if code in by_code}
        combined[code] = trust.probabilities(trust.combine(raw, code)[0], raw, code)
    scored = [c for c in codes if c in code_index]
    if not scored or not spans:
        return trust
    # a probability threshold (where no budget applies; what "suggested" means in review mode), chosen
    # like the budget below
    all_p = np.concatenate([combined[c] for c in scored])
    all_y = np.concatenate([Y[:, code_index[c]] for c in scored])
    span_best = np.array([float(combined[c][rows].max()) if c in combined and rows else 0.0 for c, rows in spans])
    lo, hi = THRESHOLD_RANGE
    cands = np.unique(np.quantile(all_p, np.linspace(0.80, 0.9995, 150)))
    cands = cands[(cands >= lo) & (cands <= hi)]
    best_f, best_t = -1.0, DEFAULT_THRESHOLD
    for t in cands:
        m = all_p >= t
        n = int(m.sum())
        if not n:
            continue
        p = float((m & all_y).sum()) / n
        r = float((span_best >= t).sum()) / len(spans)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best_f + 1e-12:
            best_f, best_t = f, float(t)
    if best_f >= 0:
        trust.threshold = best_t
        trust.oof_f1 = best_f
    if groups is not None:
        hits = {c: np.asarray(v) > 0 for c, v in oof.get(RULES, {}).items() if c in code_index}
        _fit_budget(trust, combined, Y, code_index, spans, groups, hits)
    return trust


def transferable_lift(v: np.ndarray, y: np.ndarray, masks: list[np.ndarray], pooled: float) -> float | None:
    """The keywords' lift on a code, without the transcript where they do best; None for a code coded
    in one transcript only (its quality is then the keywords' record on the codes that could be
    measured so).

    Keywords are often written from the first interviews read: on those they find what the coder
    coded because they were taken from it, and the pooled figure promises more than they bring to
    the next transcript. Leaving out the transcript where the scorer does best (when
    the code was coded in two or more) and never counting more than the pooled figure is what the
    scorer can be expected to do on new text. (The trained scorers are measured out of fold already.)
    """
    lifts = []
    for m in masks:  # one per transcript
        yg = y[m]
        if yg.any():
            lifts.append(average_precision(v[m], yg) - float(yg.mean()))
    if len(lifts) < 2:
        return None
    lifts.sort()
    return min(pooled, float(np.mean(lifts[:-1])))


def keyword_precision(hits: np.ndarray, y: np.ndarray, prior: float) -> float:
    """Share of a code's keyword hits that the coder coded, shrunk towards ``prior`` (the share over
    every code) by ``PRIOR_STRENGTH`` hits' worth."""
    n = int(hits.sum())
    return (float((hits & y).sum()) + PRIOR_STRENGTH * prior) / (n + PRIOR_STRENGTH)


def _fit_budget(trust: Trust, combined: dict[str, np.ndarray], Y, code_index, spans, groups,
                hits: dict[str, np.ndarray] | None = None) -> None:
    """How many suggestions a transcript gets: ``ratio`` x the coder's rate of codings per segment x
    the transcript's segments, the best pairs (segment, code) by combined probability. Scores on new
    text shift (a model trained on more transcripts is surer; new topics score low); ranks do not.

    Chosen with it, out of fold: the codes whose every keyword hit is suggested whatever the budget
    (``Trust.keyword_codes``), when that raises F1 by ``KEYWORD_MARGIN`` at least: either the codes
    whose hits outside the budget the coder codes often enough (a shrunk share above F1 / 2), or every
    keyword hit of every code, alone (the keyword-only baseline) or with the best other pairs. So the
    choice is never worse, on the coder's own work, than the codebook's keywords alone: on a study
    whose keywords find what the coder codes, while the topics change from transcript to transcript
    (so that what the models learn carries over badly), the keywords keep their hits."""
    codes = [c for c in combined if c in code_index]
    if not codes or not spans:
        return
    n_rows = Y.shape[0]
    rate = len(spans) / max(1, n_rows)
    P = np.stack([combined[c] for c in codes], axis=1)  # rows x codes
    L = np.stack([Y[:, code_index[c]] for c in codes], axis=1)
    col = {c: k for k, c in enumerate(codes)}
    span_cells = [(col[c], rows) for c, rows in spans if c in col and rows]
    order_by_group = {}
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        flat = P[idx].ravel()
        order = np.argsort(-flat, kind="stable")
        order_by_group[g] = (idx, order)

    def run(sure: np.ndarray, ratios) -> tuple[float, float, np.ndarray]:
        best = (-1.0, 1.0, sure)
        for ratio in ratios:
            chosen = sure.copy()
            for g, (idx, order) in order_by_group.items():
                k = int(np.ceil(ratio * rate * len(idx)))
                top = order[:k]
                chosen[idx[top // len(codes)], top % len(codes)] = True
            n = int(chosen.sum())
            if not n:
                continue
            prec = float((chosen & L).sum()) / n
            rec = sum(1 for c, rows in span_cells if chosen[rows, c].any()) / len(spans)
            f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            if f > best[0] + 1e-12:
                best = (f, ratio, chosen)
        return best

    f0, ratio0, chosen0 = run(np.zeros_like(L), RATIOS)
    if f0 < 0:
        return
    trust.rate, trust.ratio, trust.oof_f1 = rate, ratio0, f0
    H = np.zeros_like(L)
    for c, h in (hits or {}).items():
        if c in col:
            H[:, col[c]] = h
    if not H.any():
        return
    # the keyword hits the budget leaves out: worth suggesting where the coder codes a share of them
    # above F1/2 (what adding one suggestion must bring to raise F1), shrunk towards all codes' share
    extra = H & ~chosen0
    prior = float((extra & L).sum()) / max(1, int(extra.sum()))
    # (a code coded in one transcript only: its keywords may have been taken from it, see fit_trust)
    moved = [c for c in codes if len(np.unique(groups[L[:, col[c]]])) >= 2]
    sure_codes = [c for c in moved if extra[:, col[c]].any()
                  and keyword_precision(extra[:, col[c]], L[:, col[c]], prior) > f0 / 2]
    options = []
    if sure_codes:
        sure = np.zeros_like(L)
        for c in sure_codes:
            sure[:, col[c]] = H[:, col[c]]
        f1, ratio1, _ = run(sure, (0.0,) + RATIOS)
        options.append((f1, ratio1, sure_codes))
    # every keyword hit, alone (the keyword-only baseline) or with the budget's best other pairs
    f2, ratio2, _ = run(H.copy(), (0.0,) + RATIOS)
    options.append((f2, ratio2, [c for c in codes if c in hits]))
    f, ratio, chosen_codes = max(options, key=lambda o: o[0])
    if f > f0 * (1 + KEYWORD_MARGIN):
        trust.ratio, trust.oof_f1, trust.keyword_codes = ratio, f, sorted(chosen_codes)
