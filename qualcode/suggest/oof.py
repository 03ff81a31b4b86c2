"""Measuring the trust: how well each scorer ranked the coder's own passages, out of fold.

The trained scorers (mined words, learned model, similarity) are refitted with one group of the
transcripts the coder worked through held out (at most ``trust.MAX_FOLDS`` groups; a single coded
transcript is split into its two halves) and asked about that group; the codebook scorers
(keywords, definition) need no training and are scored directly. ``trust.fit_trust`` turns those
out-of-fold scores into per-code weights, calibration, threshold and budget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from qualcode.suggest.crossfit import keywords_do_better
from qualcode.suggest.suggestion import DEFINITION, LEARNED, RULES, SIMILAR, WORDS
from qualcode.suggest.trust import MAX_FOLDS, default_trust, fit_trust

if TYPE_CHECKING:
    from qualcode.suggest.trust import Trust


def folds(engine, ts) -> list:
    """Held-out groups for measuring trust: transcripts (at most ``MAX_FOLDS`` groups), or the two
    halves of the only transcript worked through."""
    segs = engine.all_segments
    worked = sorted({segs[r].transcript for r in ts.base})  # the transcripts worked through
    if len(worked) >= 2:
        k = min(MAX_FOLDS, len(worked))
        groups = [set(worked[i::k]) for i in range(k)]
        return [(lambda tid, s, e, g=g: tid in g) for g in groups]
    if len(worked) == 1 and len(ts.placed) >= 2:
        tid = worked[0]
        last = max(e for c, _, e in ts.placed if c.transcript == tid)
        mid = last // 2
        return [(lambda t, s, e, m=mid: t == tid and s < m), (lambda t, s, e, m=mid: t == tid and s >= m)]
    return []


def measure_trust(engine, ts) -> "Trust":
    """The trust of each scorer per code, from their scores on the coder's passages out of fold
    (fixed priors when nothing can be measured: no transcript worked through)."""
    held_out = folds(engine, ts) if engine.cross_validate else []
    if not held_out or not ts.base:
        return default_trust(engine.scorers)
    rows = sorted(set(ts.base).union(*ts.rejected_rows.values()) if ts.rejected_rows else set(ts.base))
    pos = {r: k for k, r in enumerate(rows)}
    codes = [c.id for c in engine.project.codebook.codes]
    index = {c: j for j, c in enumerate(codes)}
    Y = np.zeros((len(rows), len(codes)), dtype=bool)
    for code, rs in ts.positives.items():
        j = index.get(code)
        if j is not None:
            for r in rs:
                if r in pos:
                    Y[pos[r], j] = True
    oof: dict[str, dict[str, np.ndarray]] = {}
    fixed, _ = engine.raw_scores(engine.codebook_models(), rows)
    for s in (RULES, DEFINITION):
        if s in fixed:
            oof[s] = fixed[s]
    trained = [s for s in (WORDS, LEARNED, SIMILAR) if s in engine.scorers]
    if trained:
        for held in held_out:
            sub = engine._training_set(ts.placed, ts.rejected, held)
            segs = engine.all_segments
            fold_rows = [r for r in rows if held(segs[r].transcript, segs[r].start, segs[r].end)]
            if not fold_rows:
                continue
            models = engine._fit_models(sub)
            raw, _ = engine.raw_scores(models, fold_rows)
            idx = np.array([pos[r] for r in fold_rows])
            for s in trained:
                for code, v in raw.get(s, {}).items():
                    arr = oof.setdefault(s, {}).setdefault(code, np.zeros(len(rows)))
                    arr[idx] = v
    worked = {engine.all_segments[r].transcript for r in ts.base}
    spans = []
    for c, s, e in ts.placed:
        if c.transcript in worked:  # a transcript not worked through says nothing of recall
            spans.append((c.code, [pos[r] for r in engine._matching_rows(c.transcript, s, e) if r in pos]))
    n_worked = len(worked)
    groups = np.array([engine.all_segments[r].transcript for r in rows])
    trust = fit_trust(oof, Y, index, spans, n_worked, groups)
    keywords_do_better(trust, oof, Y, index, spans, groups, fit_trust)
    return trust
