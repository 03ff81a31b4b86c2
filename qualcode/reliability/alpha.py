"""Krippendorff's alpha for any number of coders, missing data and four metrics.

Definitions (Krippendorff 2004, ch. 11; Krippendorff 2011, "Computing Krippendorff's
Alpha-Reliability"): with n_uk the number of coders who gave value k to unit u and
m_u = sum_k n_uk, only units with m_u >= 2 are *pairable*.  The coincidence matrix is

    o_ck = sum_u (number of ordered pairs of values (c, k) in unit u) / (m_u - 1)

so each pairable value contributes exactly 1 to it; n_c = sum_k o_ck and n = sum_c n_c is
the number of pairable values.  Then

    D_o = sum_ck o_ck delta2_ck / n
    D_e = sum_ck n_c n_k delta2_ck / (n (n - 1))
    alpha = 1 - D_o / D_e

Metrics delta2_ck: nominal [c != k]; interval (c - k)^2; ratio ((c - k) / (c + k))^2;
ordinal (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2 over the codebook order of categories,
using the pairable-value marginals n_g; or a custom q x q ``distance_matrix`` used
directly as delta2.

Implementation: the coincidence matrix is built with np.bincount on integer codes, either
per pair of coders (few coders) or from the units x values count matrix (many coders):
O(coders^2 x units) or O(units x q^2), never a units x q x q array.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from qualcode.reliability.matrix import (
    ReliabilityDataError,
    ReliabilityMatrix,
    UndefinedCoefficient,
    as_matrix,
)

LEVELS = ("nominal", "ordinal", "interval", "ratio")

#: Krippendorff (2004, p. 241): rely on variables with alpha >= .800; consider variables
#: with .667 <= alpha < .800 only for drawing tentative conclusions.
RELIABLE = 0.800
TENTATIVE = 0.667


@dataclass(frozen=True, eq=False)
class AlphaResult:
    """Krippendorff's alpha with its intermediate quantities."""

    alpha: float
    D_o: float
    D_e: float
    level: str
    categories: tuple
    coincidences: np.ndarray  # q x q o_ck, rows/columns in category order
    delta2: np.ndarray  # q x q metric differences used
    n_pairable_values: float  # n (= sum of o_ck)
    n_pairable_units: int  # units with m_u >= 2
    n_coders: int
    n_units: int

    @property
    def value(self) -> float:
        return self.alpha

    @property
    def pairable_percent_agreement(self) -> float:
        """Share of matching pairable values, sum_c o_cc / n (= 1 - D_o at the nominal level)."""
        return float(np.trace(self.coincidences) / self.n_pairable_values)

    @property
    def marginals(self) -> np.ndarray:
        """n_c: pairable values per category."""
        return self.coincidences.sum(axis=1)

    def __float__(self) -> float:
        return self.alpha


def coincidence_matrix(m: ReliabilityMatrix) -> tuple[np.ndarray, int]:
    """The q x q coincidence matrix o_ck and the number of pairable units.

    Uses per-coder-pair bincounts when coders are few (cost ~ pairs x units) and the
    units x values count matrix otherwise (cost ~ units x q^2).
    """
    codes = m.codes
    q = m.q
    n_coders = m.n_coders
    present = codes >= 0
    m_u = present.sum(axis=0, dtype=np.int64)
    pairable = m_u >= 2
    n_pairable_units = int(pairable.sum())
    if n_pairable_units == 0 or q == 0:
        return np.zeros((q, q)), n_pairable_units
    weight = np.zeros(m.n_units)
    np.divide(1.0, m_u - 1, out=weight, where=pairable)
    n_pairs = n_coders * (n_coders - 1) // 2
    if n_pairs <= max(q, 6):
        o = np.zeros(q * q)
        index_type = np.int32 if q * q < 2**31 else np.int64
        for i in range(n_coders):
            ci = codes[i]
            for j in range(i + 1, n_coders):
                cj = codes[j]
                both = (ci >= 0) & (cj >= 0)
                flat = ci[both].astype(index_type) * q + cj[both]
                o += np.bincount(flat, weights=weight[both], minlength=q * q)
        o = o.reshape(q, q)
        return o + o.T, n_pairable_units
    sub = ReliabilityMatrix(codes[:, pairable], m.categories)
    counts = sub.counts()
    w = weight[pairable]
    o = (counts * w[:, None]).T @ counts
    o -= np.diag(counts.T @ w)
    return o, n_pairable_units


def delta2_matrix(
    m: ReliabilityMatrix,
    level: str,
    marginals: np.ndarray,
    *,
    category_scores: Sequence[float] | None = None,
    distance_matrix: Any = None,
) -> np.ndarray:
    """The q x q matrix of squared metric differences for ``level`` (see module docstring)."""
    q = m.q
    if distance_matrix is not None:
        d = np.asarray(distance_matrix, dtype=float)
        if d.shape != (q, q):
            raise ReliabilityDataError(
                f"distance_matrix must be {q} x {q} (categories {list(m.categories)}); got shape {d.shape}"
            )
        return d
    if level == "nominal":
        return 1.0 - np.eye(q)
    if level == "ordinal":
        cum = np.cumsum(marginals)
        lo = np.minimum.outer(np.arange(q), np.arange(q))
        hi = np.maximum.outer(np.arange(q), np.arange(q))
        between = cum[hi] - cum[lo] + marginals[lo]  # sum_{g=lo..hi} n_g
        return (between - (marginals[:, None] + marginals[None, :]) / 2.0) ** 2
    if level in ("interval", "ratio"):
        s = m.scores(category_scores, purpose=f"the {level} metric")
        diff = s[:, None] - s[None, :]
        if level == "interval":
            return diff**2
        if (s < 0).any():
            raise ReliabilityDataError(
                f"the ratio metric needs non-negative values; the categories include {s[s < 0][0]:g}",
                hint="use level='interval' for values that can be negative",
            )
        total = s[:, None] + s[None, :]
        out = np.zeros((q, q))
        np.divide(diff, total, out=out, where=total != 0)
        return out**2
    raise ReliabilityDataError(f"unknown level {level!r}", hint=f"use one of {', '.join(LEVELS)}")


def alpha_details(
    data: Any,
    level: str = "nominal",
    *,
    categories: Sequence[Any] | None = None,
    category_scores: Sequence[float] | None = None,
    distance_matrix: Any = None,
) -> AlphaResult:
    """Krippendorff's alpha with D_o, D_e and the coincidence matrix.

    Parameters
    ----------
    data
        Coders x units (sequence of rows or a 2-D array); None/NaN = not coded.
        Any number of coders; units with fewer than two values are ignored.
    level
        "nominal" (default), "ordinal", "interval" or "ratio".
    categories
        Codebook categories in order (default: the observed values, sorted).  The order
        matters for the ordinal metric; unused categories between used ones count
        with n_g = 0.
    category_scores
        Numbers to use for the categories at the interval and ratio levels (default:
        the categories themselves, which must then be numeric).
    distance_matrix
        Optional q x q matrix used directly as delta^2 (rows/columns in category order);
        overrides ``level``.

    Raises
    ------
    UndefinedCoefficient
        Fewer than two coders; no unit coded by two or more coders; or D_e = 0 (all
        pairable values in one category: no variation, alpha = 0/0).
    ReliabilityDataError
        Ragged rows, values not in ``categories``, non-numeric values at the interval or
        ratio level, an unknown level.
    """
    if distance_matrix is None and level not in LEVELS:
        raise ReliabilityDataError(f"unknown level {level!r}", hint=f"use one of {', '.join(LEVELS)}")
    m = as_matrix(data, categories)
    m.require_coders(2)
    if distance_matrix is None and level in ("interval", "ratio"):
        m.scores(category_scores, purpose=f"the {level} metric")  # fail early on text values
    o, n_pairable_units = coincidence_matrix(m)
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    if n_pairable_units == 0 or n <= 1:
        raise UndefinedCoefficient(
            "Krippendorff's alpha is undefined: no unit was coded by two or more coders (no pairable values)",
            hint="alpha compares values within units; have at least two coders code the same units",
        )
    delta2 = delta2_matrix(m, level, n_c, category_scores=category_scores, distance_matrix=distance_matrix)
    D_o = float((o * delta2).sum() / n)
    D_e = float(n_c @ delta2 @ n_c / (n * (n - 1.0)))
    if D_e == 0:
        used = [m.categories[k] for k in np.flatnonzero(n_c)]
        raise UndefinedCoefficient(
            "Krippendorff's alpha is undefined: expected disagreement D_e = 0 because all pairable "
            f"values are in one category ({used!r}); with no variation, alpha = 0/0",
            hint="report percent agreement instead, or code units that vary",
        )
    return AlphaResult(
        alpha=1.0 - D_o / D_e,
        D_o=D_o,
        D_e=D_e,
        level="custom" if distance_matrix is not None else level,
        categories=m.categories,
        coincidences=o,
        delta2=delta2,
        n_pairable_values=n,
        n_pairable_units=n_pairable_units,
        n_coders=m.n_coders,
        n_units=m.n_units,
    )


def krippendorff_alpha(
    data: Any,
    level: str = "nominal",
    *,
    categories: Sequence[Any] | None = None,
    category_scores: Sequence[float] | None = None,
    distance_matrix: Any = None,
) -> float:
    """Krippendorff's alpha (float).  Parameters and errors as :func:`alpha_details`.

    Convention: default level "nominal"; any number of coders; units with fewer than two
    values are dropped; the ordinal metric uses pairable-value marginals over the codebook
    order.  Krippendorff (2004): alpha >= .800 reliable, >= .667 tentative conclusions only.
    """
    return alpha_details(
        data, level, categories=categories, category_scores=category_scores, distance_matrix=distance_matrix
    ).alpha


def pairable_percent_agreement(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Percent agreement over pairable values: sum_c o_cc / n = 1 - D_o (nominal).

    Each unit is weighted by its number of pairable values m_u (Krippendorff; DKPro
    ``PercentageAgreement``), unlike :func:`percent_agreement` which averages units
    equally.  The two differ when m_u varies across units.  Raises
    :class:`UndefinedCoefficient` when there are no pairable values.
    """
    m = as_matrix(data, categories)
    m.require_coders(2)
    o, n_units = coincidence_matrix(m)
    n = o.sum()
    if n_units == 0 or n == 0:
        raise UndefinedCoefficient("pairable percent agreement is undefined: no unit was coded by two or more coders")
    return float(np.trace(o) / n)
