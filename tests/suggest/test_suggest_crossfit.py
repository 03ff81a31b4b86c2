"""The cross-fitted check of the trust (``suggest.crossfit``): where the keywords alone did better on
the coder's own transcripts than the budget fitted without each of them, every keyword hit is what is
suggested; where the models did better, the budget stays.

The study is made up to the shape of a coder who codes little (one passage of each code in each
transcript): imprecise keywords that find half the coded passages, and trained scorers that learned
nothing, one of which ranks a code's few passages well by chance, so the trust fitted and graded on
the same rows promises more than the keywords give, as it did on the bundled study's sparse coders.
"""

from __future__ import annotations

import numpy as np

from qualcode.suggest.crossfit import keywords_do_better
from qualcode.suggest.suggestion import DEFINITION, LEARNED, RULES, SIMILAR, WORDS
from qualcode.suggest.trust import fit_trust

GROUPS, ROWS, CODES = 4, 120, 30


def study(learned_is_good: bool, seed: int = 0):
    rng = np.random.default_rng(seed)
    codes = [f"c{j}" for j in range(CODES)]
    index = {c: j for j, c in enumerate(codes)}
    groups = np.repeat(np.array([f"t{g}" for g in range(GROUPS)]), ROWS)
    n = len(groups)
    Y = np.zeros((n, CODES), dtype=bool)
    for g in range(GROUPS):
        for j in range(CODES):
            Y[g * ROWS + rng.choice(ROWS, 1), j] = True
    hit = {c: (Y[:, j] & (rng.random(n) < 0.5)) | (rng.random(n) < 0.05) for c, j in index.items()}
    oof = {RULES: {c: np.where(h, 0.3 + 0.6 * rng.random(n), 0.0) for c, h in hit.items()}}
    for s in (LEARNED, SIMILAR, WORDS, DEFINITION):  # learned nothing: any order they give is chance
        oof[s] = {c: rng.random(n) ** 3 for c in codes}
    if learned_is_good:  # a model that ranks the coder's passages first
        oof[LEARNED] = {c: np.clip(Y[:, j] * 0.8 + rng.random(n) * 0.3, 0, 1) for c, j in index.items()}
    spans = [(c, [int(r)]) for c, j in index.items() for r in np.flatnonzero(Y[:, j])]
    return oof, Y, index, spans, groups, hit


def f1(chosen, Y):
    tp = float((chosen & Y).sum())
    prec, rec = tp / max(1, chosen.sum()), tp / Y.sum()
    return 2 * prec * rec / (prec + rec) if tp else 0.0


def test_keywords_alone_are_kept_where_the_budget_only_looked_better_on_its_own_rows():
    oof, Y, index, spans, groups, hit = study(learned_is_good=False)
    trust = fit_trust(oof, Y, index, spans, GROUPS, groups)
    keywords = f1(np.stack([hit[c] for c in index], axis=1), Y)
    assert trust.oof_f1 > keywords  # graded on the rows it was fitted on, the budget looks better
    assert keywords_do_better(trust, oof, Y, index, spans, groups, fit_trust)
    assert trust.crossfit_f1 < keywords  # fitted without each transcript, it is not
    assert trust.ratio == 0.0  # no budget: every keyword hit, and nothing else
    assert trust.keyword_codes == sorted(c for c in index if hit[c].any())
    assert abs(trust.oof_f1 - keywords) < 1e-9


def test_the_budget_stays_where_the_models_rank_the_passages_well():
    oof, Y, index, spans, groups, _ = study(learned_is_good=True)
    trust = fit_trust(oof, Y, index, spans, GROUPS, groups)
    before = (trust.ratio, list(trust.keyword_codes))
    assert not keywords_do_better(trust, oof, Y, index, spans, groups, fit_trust)
    assert (trust.ratio, trust.keyword_codes) == before and trust.ratio > 0


def test_one_transcript_is_not_cross_fitted():
    oof, Y, index, spans, groups, _ = study(learned_is_good=False)
    one = np.full(len(groups), "t0")
    trust = fit_trust(oof, Y, index, spans, 1, one)
    before = (trust.ratio, list(trust.keyword_codes))
    assert not keywords_do_better(trust, oof, Y, index, spans, one, fit_trust)
    assert (trust.ratio, trust.keyword_codes) == before
