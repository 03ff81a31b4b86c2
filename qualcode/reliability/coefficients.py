"""Percent agreement and the chance-corrected agreement coefficients for any number of coders.

Notation: n_uk = number of coders who gave category k to unit u; m_u = sum_k n_uk;
q = number of *codebook* categories (``categories``, used or not).

* P-bar (``percent_agreement``): mean over units with m_u >= 2 of
  sum_k n_uk (n_uk - 1) / (m_u (m_u - 1)).  Fleiss's P-bar, Gwet's p_a; for two coders the
  share of doubly-coded units on which they agree.  (Contrast
  :func:`~qualcode.reliability.alpha.pairable_percent_agreement`, which weights units by m_u.)
* pi_k = mean over units with m_u >= 1 of n_uk / m_u (Gwet 2014: singly-coded units count).
* Fleiss' kappa: (P-bar - P_e) / (1 - P_e), P_e = sum_k pi_k^2 (Fleiss 1971; with missing
  data Gwet's generalisation, R irrCAC ``fleiss.kappa.raw``).
* Gwet's AC1: P_e = sum_k pi_k (1 - pi_k) / (q - 1); AC2 (weights):
  P_e = T_w / (q (q - 1)) sum_k pi_k (1 - pi_k), T_w = sum_kl w_kl, and P-bar computed on
  weighted counts n*_uk = sum_l w_kl n_ul (Gwet 2014; R irrCAC ``gwet.ac1.raw``).
* Brennan-Prediger = Bennett's S = Randolph's free-marginal kappa: P_e = 1/q
  (weighted: T_w / q^2).
* Conger's kappa (Conger 1980; R irrCAC ``conger.kappa.raw``): P_e = sum_kl w_kl
  (pbar_k pbar_l - s2_kl / r), pbar_k the mean over the r coders of coder g's share p_gk of
  category k among the units g coded, s2_kl their covariance across coders.  Hubert's kappa
  (Hubert 1977; DKPro) is the same quantity for complete data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from qualcode.reliability.matrix import (
    ReliabilityDataError,
    ReliabilityMatrix,
    UndefinedCoefficient,
    agreement_weights,
    as_matrix,
)


@dataclass(frozen=True)
class AgreementResult:
    """A chance-corrected agreement coefficient (p_a - p_e) / (1 - p_e) and its parts."""

    coefficient: str
    value: float
    p_a: float  # observed agreement
    p_e: float  # chance agreement
    q: int  # number of categories used for chance agreement
    n_units: int  # units that entered p_a
    n_coders: int
    weights: str = "unweighted"

    def __float__(self) -> float:
        return self.value


def _chance_corrected(name: str, p_a: float, p_e: float, **kw: Any) -> AgreementResult:
    if np.isclose(p_e, 1.0, rtol=0, atol=1e-12):
        raise UndefinedCoefficient(
            f"{name} is undefined: chance agreement p_e = 1 (all codes in one category), so "
            "(p_a - p_e) / (1 - p_e) = 0/0",
            hint="report percent agreement instead, or use Gwet's AC1 / Brennan-Prediger",
        )
    return AgreementResult(coefficient=name, value=(p_a - p_e) / (1.0 - p_e), p_a=p_a, p_e=p_e, **kw)


def _prepare(data: Any, categories: Sequence[Any] | None
             ) -> tuple[ReliabilityMatrix, np.ndarray, np.ndarray, np.ndarray]:
    """(matrix, counts, m_u, multiplicity): the distinct count vectors n_uk of the units and how many
    units share each (see :func:`unit_patterns`)."""
    m = as_matrix(data, categories)
    m.require_coders(2)
    counts, mult = unit_patterns(m)
    return m, counts, counts.sum(axis=1), mult


def unit_patterns(m: ReliabilityMatrix) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of the units x categories count matrix and how many units have each.

    Every coefficient here depends on a unit only through its counts n_uk, and with few coders and
    categories there are few distinct count vectors: each unit's vector is packed into one integer
    (sum over its coders of (r + 1)^code) and the integers counted, in O(coders x units) without a
    units x categories array. Falls back to the full count matrix when the packing would overflow.
    Cached on the matrix."""
    cached = m.__dict__.get("_patterns")
    if cached is not None:
        return cached
    r, q = m.n_coders, m.q
    if q and q * np.log2(r + 1) < 62:
        powers = np.append((r + 1) ** np.arange(q, dtype=np.int64), np.int64(0))  # index -1 (missing) -> 0
        keys = np.zeros(m.n_units, dtype=np.int64)
        for row in m.codes:
            keys += powers[row]
        uniq, mult = np.unique(keys, return_counts=True)
        counts = (uniq[:, None] // powers[None, :q]) % (r + 1)
        out = (counts.astype(float), mult.astype(float))
    else:
        out = (m.counts(), np.ones(m.n_units))
    object.__setattr__(m, "_patterns", out)
    return out


def _observed(name: str, counts: np.ndarray, m_u: np.ndarray, w: np.ndarray,
              mult: np.ndarray) -> tuple[float, int]:
    """P-bar over units with m_u >= 2 on (weighted) counts, and the number of such units
    (``mult``: how many units each row of ``counts`` stands for)."""
    sel = m_u >= 2
    n2 = int(mult[sel].sum())
    if n2 == 0:
        raise UndefinedCoefficient(
            f"{name} is undefined: no unit was coded by two or more coders",
            hint="agreement needs units that at least two coders coded",
        )
    c = counts[sel]
    r = m_u[sel]
    weighted = c @ w.T
    per_unit = (c * (weighted - 1.0)).sum(axis=1) / (r * (r - 1.0))
    return float(per_unit @ mult[sel] / n2), n2


def _pi(counts: np.ndarray, m_u: np.ndarray, mult: np.ndarray) -> np.ndarray:
    """pi_k: mean over units with m_u >= 1 of n_uk / m_u."""
    sel = m_u >= 1
    return (mult[sel] @ (counts[sel] / m_u[sel][:, None])) / mult[sel].sum()


def percent_agreement(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Percent agreement P-bar: each unit with two or more codes counts equally.

    P-bar = mean over units with m_u >= 2 of sum_k n_uk (n_uk - 1) / (m_u (m_u - 1)), the
    share of agreeing coder pairs in a unit, averaged over units (Fleiss's P-bar, Gwet's
    p_a, R irrCAC ``pa.coeff.raw``).  Units coded by fewer than two coders are ignored.
    See :func:`pairable_percent_agreement` for the definition that weights units by their
    number of values.
    """
    m, counts, m_u, mult = _prepare(data, categories)
    return _observed("percent agreement", counts, m_u, np.eye(m.q), mult)[0]


def fleiss_kappa_details(
    data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None,
) -> AgreementResult:
    """Fleiss' kappa with p_a = P-bar and p_e = sum_kl w_kl pi_k pi_l (= sum pi_k^2 unweighted).

    With complete data this is Fleiss (1971); with missing data Gwet's (2014)
    generalisation as in R irrCAC ``fleiss.kappa.raw``: P-bar over units with >= 2 codes,
    pi_k over units with >= 1 code.  Raises UndefinedCoefficient when p_e = 1.
    """
    m, counts, m_u, mult = _prepare(data, categories)
    w, label = agreement_weights(m, weights, category_scores=category_scores)
    p_a, n2 = _observed("Fleiss' kappa", counts, m_u, w, mult)
    pi = _pi(counts, m_u, mult)
    p_e = float(pi @ w @ pi)
    return _chance_corrected("fleiss_kappa", p_a, p_e, q=m.q, n_units=n2, n_coders=m.n_coders, weights=label)


def fleiss_kappa(data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
                 category_scores: Sequence[float] | None = None) -> float:
    """Fleiss' kappa (float); see :func:`fleiss_kappa_details`."""
    return fleiss_kappa_details(data, categories=categories, weights=weights, category_scores=category_scores).value


def gwet_ac2_details(
    data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None,
) -> AgreementResult:
    """Gwet's AC1 (unweighted) / AC2 (weighted), as R irrCAC ``gwet.ac1.raw``.

    p_a = P-bar on weighted counts; p_e = T_w / (q (q - 1)) * sum_k pi_k (1 - pi_k), with
    q = number of codebook categories (so unused categories count) and T_w = sum of the
    weights.  Needs q >= 2.  ``weights``: None (AC1), "linear", "quadratic" or a q x q
    matrix; linear/quadratic weights use ``category_scores`` (else numeric categories,
    else 1..q).
    """
    m, counts, m_u, mult = _prepare(data, categories)
    q = m.q
    if q < 2:
        raise UndefinedCoefficient(
            f"Gwet's AC1/AC2 is undefined with fewer than two codebook categories (q = {q})",
            hint="pass categories=[...] with the codebook's full category list",
        )
    w, label = agreement_weights(m, weights, category_scores=category_scores)
    p_a, n2 = _observed("Gwet's AC1/AC2", counts, m_u, w, mult)
    pi = _pi(counts, m_u, mult)
    p_e = float(w.sum() / (q * (q - 1.0)) * (pi * (1.0 - pi)).sum())
    name = "gwet_ac1" if label == "unweighted" else "gwet_ac2"
    return _chance_corrected(name, p_a, p_e, q=q, n_units=n2, n_coders=m.n_coders, weights=label)


def gwet_ac1_details(data: Any, *, categories: Sequence[Any] | None = None) -> AgreementResult:
    """Gwet's AC1: p_e = sum_k pi_k (1 - pi_k) / (q - 1), q = codebook categories."""
    return gwet_ac2_details(data, categories=categories)


def gwet_ac1(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Gwet's AC1 (float); see :func:`gwet_ac2_details`."""
    return gwet_ac2_details(data, categories=categories).value


def gwet_ac2(data: Any, *, weights: Any = "quadratic", categories: Sequence[Any] | None = None,
             category_scores: Sequence[float] | None = None) -> float:
    """Gwet's AC2 (float), default quadratic weights; see :func:`gwet_ac2_details`."""
    return gwet_ac2_details(data, categories=categories, weights=weights, category_scores=category_scores).value


def brennan_prediger_details(
    data: Any, *, categories: Sequence[Any] | None = None, q: int | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None,
) -> AgreementResult:
    """Brennan-Prediger (1981) = Bennett, Alpert & Goldstein's S (1954) = Randolph's (2005)
    free-marginal kappa: (P-bar - 1/q) / (1 - 1/q).

    q is the number of codebook categories: ``q`` if given, else ``len(categories)``
    (which defaults to the observed values: pass the codebook's categories, since an
    unused category changes q).  Weighted (R irrCAC ``bp.coeff.raw``): p_e = T_w / q^2.
    """
    m, counts, m_u, mult = _prepare(data, categories)
    if q is None:
        q = m.q
    if q < m.q:
        raise ReliabilityDataError(f"q = {q} is smaller than the number of categories ({m.q}: {list(m.categories)})")
    if q < 2:
        raise UndefinedCoefficient(
            f"Brennan-Prediger / free-marginal kappa is undefined with q = {q} category; 1 - 1/q = 0",
            hint="pass categories=[...] with the codebook's full category list",
        )
    w, label = agreement_weights(m, weights, category_scores=category_scores)
    p_a, n2 = _observed("Brennan-Prediger", counts, m_u, w, mult)
    p_e = 1.0 / q if label == "unweighted" else float(w.sum() / q**2)
    return _chance_corrected("brennan_prediger", p_a, p_e, q=q, n_units=n2, n_coders=m.n_coders, weights=label)


def brennan_prediger(data: Any, *, categories: Sequence[Any] | None = None, q: int | None = None,
                     weights: Any = None) -> float:
    """Brennan-Prediger coefficient (float); see :func:`brennan_prediger_details`."""
    return brennan_prediger_details(data, categories=categories, q=q, weights=weights).value


def bennett_s(data: Any, *, categories: Sequence[Any] | None = None, q: int | None = None) -> float:
    """Bennett, Alpert & Goldstein's S (1954): same formula as :func:`brennan_prediger`."""
    return brennan_prediger_details(data, categories=categories, q=q).value


def free_marginal_kappa(data: Any, *, categories: Sequence[Any] | None = None, q: int | None = None) -> float:
    """Randolph's (2005) free-marginal multirater kappa: same formula as :func:`brennan_prediger`."""
    return brennan_prediger_details(data, categories=categories, q=q).value


def conger_kappa_details(
    data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None,
    category_scores: Sequence[float] | None = None,
) -> AgreementResult:
    """Conger's (1980) kappa, as R irrCAC ``conger.kappa.raw``.

    p_a = P-bar (as Fleiss).  p_gk = share of category k among the units coder g coded
    (units no one coded are dropped); pbar_k = mean_g p_gk; s2_kl = sum_g (p_gk - pbar_k)
    (p_gl - pbar_l) / (r - 1); p_e = sum_kl w_kl (pbar_k pbar_l - s2_kl / r), i.e. the mean
    over pairs of distinct coders of sum_kl w_kl p_gk p_hl.  Rater identity matters.
    """
    m, counts, m_u, mult = _prepare(data, categories)
    w, label = agreement_weights(m, weights, category_scores=category_scores)
    p_a, n2 = _observed("Conger's kappa", counts, m_u, w, mult)
    codes = m.codes[:, (m.codes >= 0).any(axis=0)]
    r, q = m.n_coders, m.q
    per_coder = np.zeros((r, q))
    for g in range(r):
        per_coder[g] = np.bincount(codes[g][codes[g] >= 0], minlength=q)
    n_g = per_coder.sum(axis=1)
    if (n_g == 0).any():
        idle = [int(g) for g in np.flatnonzero(n_g == 0)]
        raise ReliabilityDataError(
            f"Conger's kappa needs every coder to have coded at least one unit; coder(s) {idle} coded none",
            hint="drop the empty rows",
        )
    p = per_coder / n_g[:, None]
    pbar = p.mean(axis=0)
    dev = p - pbar
    s2 = dev.T @ dev / (r - 1.0)
    p_e = float((w * (np.outer(pbar, pbar) - s2 / r)).sum())
    return _chance_corrected("conger_kappa", p_a, p_e, q=q, n_units=n2, n_coders=r, weights=label)


def conger_kappa(data: Any, *, categories: Sequence[Any] | None = None, weights: Any = None) -> float:
    """Conger's kappa (float); see :func:`conger_kappa_details`."""
    return conger_kappa_details(data, categories=categories, weights=weights).value


def hubert_kappa(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Hubert's (1977) kappa (DKPro ``HubertKappaAgreement``; Davies & Fleiss 1982 multi-kappa).

    p_a = mean agreement over all coder pairs; p_e = mean over pairs of distinct coders of
    sum_k p_gk p_hk.  Defined for complete data only (every coder codes every unit); there
    it equals :func:`conger_kappa`.  Raises ReliabilityDataError on missing values.
    """
    m = as_matrix(data, categories)
    if (m.codes < 0).any():
        raise ReliabilityDataError(
            "Hubert's kappa needs complete data (every coder codes every unit); the data have missing values",
            hint="use conger_kappa, fleiss_kappa or krippendorff_alpha for incomplete data",
        )
    return conger_kappa_details(m).value
