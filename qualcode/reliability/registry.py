"""Compute any coefficient by its name in the shared reference vocabulary.

``compute(name, data, categories=..., level=..., **params)`` maps the names used in
``reference_cases.json`` (and by reports) to the functions of this package:

=============================  ====================================================
name                           function
=============================  ====================================================
percent_agreement              :func:`percent_agreement` (P-bar, units equal)
pairable_percent_agreement     :func:`pairable_percent_agreement` (1 - D_o nominal)
cohen_kappa, cohen_kappa_pe    :func:`cohen_kappa_details` (value / p_e)
scott_pi, scott_pi_pe          :func:`scott_pi_details`
fleiss_kappa, fleiss_kappa_pe  :func:`fleiss_kappa_details`
gwet_ac1, gwet_ac1_pe          :func:`gwet_ac2_details` (unweighted)
gwet_ac2, gwet_ac2_pe          :func:`gwet_ac2_details` (``weights``, default quadratic)
brennan_prediger, bennett_s,   :func:`brennan_prediger_details` (``q`` optional)
free_marginal_kappa
conger_kappa                   :func:`conger_kappa_details`
hubert_kappa                   :func:`hubert_kappa`
mean_pairwise_cohen_kappa      :func:`mean_pairwise_cohen_kappa` (Light's kappa)
krippendorff_alpha             :func:`alpha_details` at ``level``
krippendorff_alpha_<level>     the same at another level
krippendorff_Do / _De          D_o / D_e at ``level``
=============================  ====================================================

An unknown name raises :class:`ReliabilityDataError` listing the known names.
"""

from __future__ import annotations

from typing import Any, Sequence

from qualcode.reliability.alpha import LEVELS, alpha_details, pairable_percent_agreement
from qualcode.reliability.coefficients import (
    brennan_prediger_details,
    conger_kappa_details,
    fleiss_kappa_details,
    gwet_ac2_details,
    hubert_kappa,
    percent_agreement,
)
from qualcode.reliability.matrix import ReliabilityDataError, as_matrix
from qualcode.reliability.pairwise import cohen_kappa_details, mean_pairwise_cohen_kappa, scott_pi_details

_DETAILED = {
    "cohen_kappa": cohen_kappa_details,
    "scott_pi": scott_pi_details,
    "fleiss_kappa": fleiss_kappa_details,
    "gwet_ac1": gwet_ac2_details,
    "gwet_ac2": gwet_ac2_details,
    "brennan_prediger": brennan_prediger_details,
    "bennett_s": brennan_prediger_details,
    "free_marginal_kappa": brennan_prediger_details,
    "conger_kappa": conger_kappa_details,
}

NAMES = tuple(
    sorted(
        set(_DETAILED)
        | {f"{k}_pe" for k in _DETAILED}
        | {"percent_agreement", "pairable_percent_agreement", "hubert_kappa", "mean_pairwise_cohen_kappa"}
        | {"krippendorff_alpha", "krippendorff_Do", "krippendorff_De"}
        | {f"krippendorff_alpha_{lv}" for lv in LEVELS}
    )
)


def compute(
    name: str,
    data: Any,
    *,
    categories: Sequence[Any] | None = None,
    level: str = "nominal",
    category_scores: Sequence[float] | None = None,
    weights: Any = None,
    distance_matrix: Any = None,
    q: int | None = None,
) -> float:
    """The coefficient ``name`` (see the module table) on ``data``, as a float.

    ``level`` is the metric for the krippendorff_* names; ``weights`` (None, "linear",
    "quadratic" or a matrix) and ``distance_matrix`` apply to the kappa family and alpha;
    ``q`` overrides the number of categories for Brennan-Prediger / S / free-marginal kappa.
    """
    m = as_matrix(data, categories)
    if name == "percent_agreement":
        return percent_agreement(m)
    if name == "pairable_percent_agreement":
        return pairable_percent_agreement(m)
    if name == "hubert_kappa":
        return hubert_kappa(m)
    if name == "mean_pairwise_cohen_kappa":
        return mean_pairwise_cohen_kappa(m, weights=weights, category_scores=category_scores)
    if name.startswith("krippendorff_"):
        suffix = name[len("krippendorff_"):]
        if suffix.startswith("alpha_") and suffix[len("alpha_"):] in LEVELS:
            level, suffix = suffix[len("alpha_"):], "alpha"
        if suffix in ("alpha", "Do", "De"):
            res = alpha_details(m, level, category_scores=category_scores, distance_matrix=distance_matrix)
            return {"alpha": res.alpha, "Do": res.D_o, "De": res.D_e}[suffix]
    base, want_pe = (name[:-3], True) if name.endswith("_pe") else (name, False)
    func = _DETAILED.get(base)
    if func is None:
        raise ReliabilityDataError(
            f"unknown coefficient {name!r}", hint=f"known coefficients: {', '.join(NAMES)}"
        )
    kwargs: dict[str, Any] = {}
    if base in ("cohen_kappa", "scott_pi"):
        kwargs.update(weights=weights, category_scores=category_scores, distance_matrix=distance_matrix)
    elif base == "gwet_ac2":
        kwargs.update(weights="quadratic" if weights is None else weights, category_scores=category_scores)
    elif base == "gwet_ac1":
        if weights is not None:
            raise ReliabilityDataError("gwet_ac1 is unweighted; use gwet_ac2 with weights")
    else:
        if distance_matrix is not None:
            raise ReliabilityDataError(f"{base} takes weights=, not distance_matrix=")
        kwargs.update(weights=weights, category_scores=category_scores)
        if base in ("brennan_prediger", "bennett_s", "free_marginal_kappa"):
            kwargs["q"] = q
    res = func(m, **kwargs)
    return res.p_e if want_pe else res.value
