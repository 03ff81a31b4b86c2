"""Two-coder coefficients: Cohen's kappa (unweighted and weighted) and Scott's pi, and
Light's mean pairwise Cohen's kappa for more coders.

Both are computed on the units coded by both coders (units where either is missing are
dropped).  With p_kl the share of those units that coder 1 put in k and coder 2 in l,
p_1k / p_2k the two coders' marginals and w_kl agreement weights (identity unless
``weights`` / ``distance_matrix`` is given):

    p_o = sum_kl w_kl p_kl
    Cohen (1960, 1968):  p_e = sum_kl w_kl p_1k p_2l
    Scott (1955):        p_e = sum_kl w_kl pbar_k pbar_l,  pbar_k = (p_1k + p_2k) / 2
    coefficient = (p_o - p_e) / (1 - p_e)

Linear weights w = 1 - |s_k - s_l| / (s_max - s_min), quadratic w = 1 - (s_k - s_l)^2 /
(s_max - s_min)^2, s = ``category_scores`` (else the numeric categories, else 1..q).
Note that R ``irr`` uses the ranks of the levels present and scikit-learn the label
indices, so pass ``category_scores`` explicitly when you need to match either.
A ``distance_matrix`` d gives w = 1 - d (DKPro's disagreement weights).
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, Sequence

import numpy as np

from qualcode.reliability.coefficients import AgreementResult, _chance_corrected
from qualcode.reliability.matrix import (
    ReliabilityDataError,
    ReliabilityMatrix,
    UndefinedCoefficient,
    agreement_weights,
    as_matrix,
)


def _table(m: ReliabilityMatrix, name: str) -> tuple[np.ndarray, int]:
    """q x q proportions of the units both coders coded, and their number."""
    m.require_coders(2)
    if m.n_coders != 2:
        raise ReliabilityDataError(
            f"{name} is defined for exactly two coders; the data have {m.n_coders}",
            hint="use fleiss_kappa, conger_kappa, mean_pairwise_cohen_kappa or krippendorff_alpha for more coders",
        )
    a, b = m.codes
    both = (a >= 0) & (b >= 0)
    n = int(both.sum())
    if n == 0:
        raise UndefinedCoefficient(f"{name} is undefined: no unit was coded by both coders")
    q = m.q
    table = np.bincount(a[both].astype(np.int64) * q + b[both], minlength=q * q).reshape(q, q)
    return table / n, n


def _two_coder(
    name: str, data: Any, categories: Sequence[Any] | None, weights: Any,
    category_scores: Sequence[float] | None, distance_matrix: Any,
) -> AgreementResult:
    m = as_matrix(data, categories)
    p, n = _table(m, name)
    w, label = agreement_weights(m, weights, category_scores=category_scores, distance_matrix=distance_matrix)
    p_o = float((w * p).sum())
    p1, p2 = p.sum(axis=1), p.sum(axis=0)
    if name == "cohen_kappa":
        p_e = float(p1 @ w @ p2)
    else:
        pbar = (p1 + p2) / 2.0
        p_e = float(pbar @ w @ pbar)
    return _chance_corrected(name, p_o, p_e, q=m.q, n_units=n, n_coders=2, weights=label)


def cohen_kappa_details(
    data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None, distance_matrix: Any = None,
) -> AgreementResult:
    """Cohen's kappa for two coders with p_o, p_e (see the module docstring).

    ``weights``: None (unweighted, default), "linear", "quadratic", or a q x q agreement
    weight matrix; ``distance_matrix``: q x q disagreements (w = 1 - d).  Units coded by
    only one coder are dropped.  Raises ReliabilityDataError for more than two coders and
    UndefinedCoefficient when p_e = 1 or no unit is coded by both.
    """
    return _two_coder("cohen_kappa", data, categories, weights, category_scores, distance_matrix)


def cohen_kappa(
    data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None, distance_matrix: Any = None,
) -> float:
    """Cohen's kappa (float); see :func:`cohen_kappa_details`."""
    return cohen_kappa_details(
        data, categories=categories, weights=weights, category_scores=category_scores, distance_matrix=distance_matrix
    ).value


def scott_pi_details(
    data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None, distance_matrix: Any = None,
) -> AgreementResult:
    """Scott's pi for two coders: p_e from the pooled marginals, sum_k ((p_1k + p_2k)/2)^2."""
    return _two_coder("scott_pi", data, categories, weights, category_scores, distance_matrix)


def scott_pi(
    data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None, distance_matrix: Any = None,
) -> float:
    """Scott's pi (float); see :func:`scott_pi_details`."""
    return scott_pi_details(
        data, categories=categories, weights=weights, category_scores=category_scores, distance_matrix=distance_matrix
    ).value


def mean_pairwise_cohen_kappa(
    data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None,
) -> float:
    """Light's (1971) kappa: the mean of Cohen's kappa over all pairs of coders.

    Each pair uses the units both coders coded.  If kappa is undefined for any pair the
    mean is undefined too, and UndefinedCoefficient names the pair.
    """
    m = as_matrix(data, categories)
    m.require_coders(2)
    values = []
    for i, j in combinations(range(m.n_coders), 2):
        pair = ReliabilityMatrix(m.codes[[i, j]], m.categories)
        try:
            values.append(cohen_kappa(pair, weights=weights, category_scores=category_scores))
        except UndefinedCoefficient as exc:
            raise UndefinedCoefficient(
                f"mean pairwise Cohen's kappa is undefined: for coders {i} and {j}, {exc.message}",
                hint=exc.hint,
            ) from None
    return float(np.mean(values))
