"""Bootstrapped confidence interval for Krippendorff's alpha (Hayes & Krippendorff 2007).

Algorithm (Hayes & Krippendorff 2007, Communication Methods and Measures 1:77-89, and
Krippendorff's note "Algorithm for bootstrapping a distribution of alpha", 2006/2011):

1. Compute alpha, its coincidence matrix o_ck, the number n of pairable values, the
   metric delta2_ck and the expected disagreement D_e on the data.  D_e is held fixed.
2. Each cell of the upper triangle of the coincidence matrix is one kind of pair of
   values, drawn with probability p_cc = o_cc / n on the diagonal and p_ck = 2 o_ck / n
   (c < k) off it (these sum to 1).
3. Each resample draws M pairs with replacement from that distribution, where M is the
   number of pairs of values in the data, sum_u m_u (m_u - 1) / 2 (the "239 pairs of
   judgments" of Hayes & Krippendorff's example).  The number of draws per cell is
   multinomial(M, p), which is what we sample (exactly the same distribution as M
   single draws, but O(cells) per resample instead of O(M)).
4. The resample's observed disagreement is the mean delta2 of its M pairs, and its
   alpha* = 1 - D_o* / D_e.  Values below -1 are set to -1 (Krippendorff).
5. A resample whose M pairs all fall into one diagonal cell shows no variation, so alpha
   is indeterminate there; following Krippendorff's correction it is counted as 0 rather
   than 1 (Krippendorff corrects the expected number X sum_c p_cc^M of such resamples;
   with multinomial counts we can identify them exactly).
6. The interval is the percentile interval of the X resampled alphas: the
   (1 - confidence)/2 and 1 - (1 - confidence)/2 quantiles (numpy's default linear
   interpolation).  q(alpha < alpha_min) is the share of resampled alphas below alpha_min.

The generator is ``numpy.random.default_rng(seed)``: the same seed gives the same interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from qualcode.reliability.alpha import RELIABLE, TENTATIVE, alpha_details
from qualcode.reliability.matrix import ReliabilityDataError, as_matrix

_CHUNK_CELLS = 2_000_000  # resamples x cells per multinomial batch (bounds memory)


@dataclass(frozen=True, eq=False)
class AlphaBootstrap:
    """Bootstrap distribution of alpha: point estimate, interval and q(alpha < minimum)."""

    alpha: float
    low: float
    high: float
    confidence: float
    p_below: dict[float, float]  # alpha_min -> share of resampled alphas below it
    n_resamples: int
    n_draws: int  # M, pairs per resample
    seed: int | None
    samples: np.ndarray = field(repr=False)

    @property
    def interval(self) -> tuple[float, float]:
        return (self.low, self.high)

    def probability_below(self, alpha_min: float) -> float:
        """Share of resampled alphas below ``alpha_min`` (Hayes & Krippendorff's q)."""
        return float(np.mean(self.samples < alpha_min))


def alpha_bootstrap(
    data: Any,
    level: str = "nominal",
    *,
    categories: Sequence[Any] | None = None,
    category_scores: Sequence[float] | None = None,
    distance_matrix: Any = None,
    confidence: float = 0.95,
    q_min: float | Sequence[float] = (TENTATIVE, RELIABLE),
    n_resamples: int = 10_000,
    n_draws: int | None = None,
    seed: int | None = None,
) -> AlphaBootstrap:
    """Bootstrap Krippendorff's alpha by resampling pairs of values from the coincidence
    matrix (Hayes & Krippendorff 2007; see the module docstring for every step).

    Parameters
    ----------
    data, level, categories, category_scores, distance_matrix
        As :func:`~qualcode.reliability.alpha.alpha_details`.
    confidence
        Two-sided coverage of the percentile interval (default 0.95).
    q_min
        Minimum acceptable alpha(s); the result's ``p_below`` maps each to the
        probability that alpha is below it.  Default (0.667, 0.800), Krippendorff's (2004)
        thresholds for tentative and reliable conclusions.
    n_resamples
        Number of bootstrap resamples X (default 10,000).
    n_draws
        Pairs drawn per resample M; default the number of pairs of values in the data,
        sum_u m_u (m_u - 1) / 2, as Hayes & Krippendorff (2007).
    seed
        Seed for ``numpy.random.default_rng``; fix it for a reproducible interval.

    Raises
    ------
    UndefinedCoefficient
        When alpha itself is undefined (see ``alpha_details``).
    ReliabilityDataError
        For a confidence outside (0, 1) or non-positive ``n_resamples`` / ``n_draws``.
    """
    if not 0.0 < confidence < 1.0:
        raise ReliabilityDataError(f"confidence must be between 0 and 1 (e.g. 0.95); got {confidence}")
    if n_resamples < 1:
        raise ReliabilityDataError(f"n_resamples must be positive; got {n_resamples}")
    m = as_matrix(data, categories)
    res = alpha_details(m, level, category_scores=category_scores, distance_matrix=distance_matrix)
    if n_draws is None:
        m_u = m.values_per_unit().astype(np.int64)
        n_draws = int((m_u * (m_u - 1) // 2).sum())
    if n_draws < 1:
        raise ReliabilityDataError(f"n_draws must be positive; got {n_draws}")

    o, d2, n = res.coincidences, res.delta2, res.n_pairable_values
    iu = np.triu_indices(len(res.categories))
    probs = np.where(iu[0] == iu[1], o[iu], 2.0 * o[iu]) / n
    probs = np.clip(probs, 0.0, None)
    probs /= probs.sum()
    cell_d2 = d2[iu]
    diagonal = iu[0] == iu[1]

    rng = np.random.default_rng(seed)
    samples = np.empty(n_resamples)
    chunk = max(1, _CHUNK_CELLS // len(probs))
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        counts = rng.multinomial(n_draws, probs, size=size)
        d_o = counts @ cell_d2 / n_draws
        a = 1.0 - d_o / res.D_e
        no_variation = (counts[:, diagonal] == n_draws).any(axis=1)
        a[no_variation] = 0.0
        samples[start:start + size] = np.maximum(a, -1.0)

    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(samples, [tail, 1.0 - tail])
    mins = [float(q_min)] if np.isscalar(q_min) else [float(x) for x in q_min]
    return AlphaBootstrap(
        alpha=res.alpha,
        low=float(low),
        high=float(high),
        confidence=confidence,
        p_below={x: float(np.mean(samples < x)) for x in mins},
        n_resamples=n_resamples,
        n_draws=n_draws,
        seed=seed,
        samples=samples,
    )
