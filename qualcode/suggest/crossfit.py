"""The last check of the trust: would the keywords alone have done better on the coder's own work?

``trust.fit_trust`` chooses each code's leading scorer, the calibration and the budget on the same
out-of-fold rows it then grades them on, so its own F1 is optimistic, and most so for a coder who has
coded little: with a few codings a code, the scorer that happened to rank them well leads. On the
bundled study with a third of researcher_b's codings (80), the budget promised F1 0.21 to 0.32 out of
fold and gave 0.08 on the held-out transcripts, where the keywords alone gave 0.16; its choice of the
keywords (``Trust.keyword_codes``) was never made, since 0.21 looked better than the keywords' 0.14.

So the trust is measured once more, *cross-fitted*: for each transcript worked through, qualities,
calibration and budget are fitted on the others' out-of-fold rows and applied to it, as they will be
applied to a new transcript. The keyword hits need no fitting, so their F1 on the same rows is honest
already. Where the keywords alone do better than the cross-fitted budget, every keyword hit is what
is suggested (the keyword-only baseline) and the budget is set to nothing; the ranking of each code's
candidates is left as it is.
"""

from __future__ import annotations

import numpy as np

from qualcode.suggest.suggestion import RULES

MIN_GROUPS = 2
MAX_GROUPS = 12
"""Transcripts are held out one at a time up to this many (a study of more is held out in this many
groups): the trust fitted on all the other transcripts is the one a new transcript gets. Held out in
five groups instead, two sparse coders of nine transcripts lost what the check gained them (F1 0.087
and 0.088 -> 0.074 and 0.081)."""


def _f1(chosen: np.ndarray, L: np.ndarray, span_cells: list[tuple[int, list[int]]], n_spans: int) -> float:
    n = int(chosen.sum())
    if not n or not n_spans:
        return 0.0
    prec = float((chosen & L).sum()) / n
    rec = sum(1 for c, rows in span_cells if chosen[rows, c].any()) / n_spans
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def crossfit_choice(oof: dict[str, dict[str, np.ndarray]], Y: np.ndarray, code_index: dict[str, int],
                    spans: list[tuple[str, list[int]]], groups: np.ndarray, fit) -> np.ndarray | None:
    """The cells (row, code in ``codes_of(oof)`` order) the budget would suggest, each transcript's
    chosen by a trust fitted without it (``fit(oof, Y, code_index, spans, n, groups)``; the
    transcripts in at most ``MAX_GROUPS`` groups); None with fewer than ``MIN_GROUPS`` transcripts."""
    names = np.unique(groups)
    if len(names) < MIN_GROUPS:
        return None
    k = min(MAX_GROUPS, len(names))
    fold = np.searchsorted(names, groups) % k
    codes = codes_of(oof, code_index)
    chosen = np.zeros((len(groups), len(codes)), dtype=bool)
    for f in range(k):
        test = fold == f
        train = ~test
        new = np.cumsum(train) - 1
        sub_oof = {s: {c: np.asarray(v)[train] for c, v in by_code.items()} for s, by_code in oof.items()}
        sub_spans = [(c, [int(new[r]) for r in rows if train[r]]) for c, rows in spans]
        sub_spans = [(c, rows) for c, rows in sub_spans if rows]
        if not sub_spans:
            continue
        trust = fit(sub_oof, Y[train], code_index, sub_spans, len(np.unique(groups[train])), groups[train])
        rows = np.flatnonzero(test)
        P = np.zeros((len(rows), len(codes)))
        for j, code in enumerate(codes):
            raw = {s: np.asarray(by_code[code])[rows] for s, by_code in oof.items() if code in by_code}
            P[:, j] = trust.probabilities(trust.combine(raw, code)[0], raw, code)
        for g in np.unique(groups[rows]):  # the budget is per transcript
            mine = np.flatnonzero(groups[rows] == g)
            budget = trust.budget(len(mine))
            if budget:
                top = np.argsort(-P[mine].ravel(), kind="stable")[:budget]
                chosen[rows[mine[top // len(codes)]], top % len(codes)] = True
        for code in trust.keyword_codes:
            if code in codes and code in oof.get(RULES, {}):
                j = codes.index(code)
                chosen[rows, j] |= np.asarray(oof[RULES][code])[rows] > 0
    return chosen


def codes_of(oof, code_index) -> list[str]:
    return sorted(c for c in {c for by_code in oof.values() for c in by_code} if c in code_index)


def keywords_do_better(trust, oof, Y, code_index, spans, groups, fit) -> bool:
    """Set ``trust`` to suggest every keyword hit, and nothing else, where that did better on the
    coder's own transcripts than the cross-fitted budget; True when it did."""
    rules = oof.get(RULES, {})
    codes = codes_of(oof, code_index)
    if groups is None or not spans or not any(np.any(np.asarray(rules[c]) > 0) for c in codes if c in rules):
        return False
    chosen = crossfit_choice(oof, Y, code_index, spans, groups, fit)
    if chosen is None:
        return False
    L = np.stack([Y[:, code_index[c]] for c in codes], axis=1)
    col = {c: k for k, c in enumerate(codes)}
    span_cells = [(col[c], rows) for c, rows in spans if c in col and rows]
    H = np.zeros_like(L)
    for c in codes:
        if c in rules:
            H[:, col[c]] = np.asarray(rules[c]) > 0
    budget_f1 = _f1(chosen, L, span_cells, len(spans))
    keyword_f1 = _f1(H, L, span_cells, len(spans))
    trust.crossfit_f1 = round(budget_f1, 4)
    if keyword_f1 <= budget_f1:
        return False
    trust.ratio, trust.oof_f1 = 0.0, keyword_f1
    trust.keyword_codes = sorted(c for c in codes if c in rules and H[:, col[c]].any())
    return True
