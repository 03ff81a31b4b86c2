"""Bootstrap intervals for present/absent alpha that respect the data's structure.

Characters of one sentence, or the code decisions on one unit, are not independent draws: a coder
codes a passage, not a character, and codes a unit for several codes at once. Resampling them one
by one (as the pairs-of-values bootstrap of Hayes & Krippendorff 2007 does) treats 3 million
characters as 3 million pieces of evidence and gives intervals far too narrow. Here whole clusters
are resampled with replacement (the cluster, or "block", bootstrap; Davison & Hinkley 1997, ch. 3.8;
Field & Welsh 2007):

* sentence, turn, transcript and case units: the unit itself is the cluster, and every code
  decision on it moves with it (so the "(all codes)" row resamples units, not code x unit cells);
* character units: the sentence a character belongs to (whitespace between sentences goes with the
  sentence before it).

For each cluster c and code, the counts alpha needs are additive: U_c units, N1_c "coded" values and
O_c = sum_u s_u (m - s_u) / (m - 1) (s_u coders coded unit u, m coders). A resample draws K clusters
with replacement (multinomial counts W, one draw shared by every row of the report) and recomputes
alpha = 1 - D_o / D_e with n = m U, D_o = 2 O / n, D_e = 2 N0 N1 / (n (n - 1)) from the summed
counts, D_e included (a nonparametric bootstrap of the whole statistic). A resample with no
variation (D_e = 0) counts as alpha 0, as in Krippendorff's bootstrap; values below -1 are set to -1.
The interval is the percentile interval, and q(alpha < a) is the share of resampled alphas below a.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qualcode.reliability.alpha import RELIABLE, TENTATIVE

_CHUNK_CELLS = 4_000_000  # resamples x clusters per batch (bounds memory)


@dataclass(frozen=True)
class ClusterInterval:
    low: float
    high: float
    p_below: dict  # alpha_min -> share of resampled alphas below it


def cluster_counts(present: np.ndarray, cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    """K x 3 array (units, "coded" values, disagreeing pairs O) per cluster for one code.

    ``present``: coders x units bool; ``cluster``: cluster index of each unit."""
    m = present.shape[0]
    s = present.sum(axis=0, dtype=np.int64)
    out = np.empty((n_clusters, 3))
    out[:, 0] = np.bincount(cluster, minlength=n_clusters)
    out[:, 1] = np.bincount(cluster, weights=s, minlength=n_clusters)
    out[:, 2] = np.bincount(cluster, weights=s * (m - s), minlength=n_clusters) / (m - 1)
    return out


def _alpha(sums: np.ndarray, m: int) -> np.ndarray:
    """alpha per row of (units, n1, o01) sums (rows x 3)."""
    n = sums[:, 0] * m
    n1 = sums[:, 1]
    n0 = n - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        d_o = 2.0 * sums[:, 2] / n
        d_e = 2.0 * n0 * n1 / (n * (n - 1.0))
        a = 1.0 - d_o / d_e
    a[~(d_e > 0)] = 0.0
    return np.maximum(a, -1.0)


def cluster_bootstrap(stats: list[np.ndarray], n_coders: int, *, n_resamples: int = 10_000,
                      seed: int | None = None, confidence: float = 0.95,
                      q_min: tuple[float, ...] = (TENTATIVE, RELIABLE)) -> list[ClusterInterval]:
    """Percentile intervals and q(alpha < q_min) for each K x 3 array in ``stats`` (one per row of a
    report), from the same resampled clusters."""
    if not stats:
        return []
    k = stats[0].shape[0]
    # Clusters with the same counts in every row are interchangeable: drawing K clusters and
    # counting how many fall in each group of identical clusters is multinomial(K, group sizes / K),
    # the same distribution of the sums at a fraction of the cost (most sentences nobody coded).
    flat, sizes = np.unique(np.concatenate(stats, axis=1).astype(np.float64), axis=0, return_counts=True)
    samples = np.empty((n_resamples, len(stats)))
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // max(len(sizes), 1))
    probs = sizes / sizes.sum()
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        w = rng.multinomial(k, probs, size=size).astype(np.float64)
        sums = w @ flat  # size x 3 rows
        for j in range(len(stats)):
            samples[start:start + size, j] = _alpha(sums[:, 3 * j:3 * j + 3], n_coders)
    tail = (1.0 - confidence) / 2.0
    lows, highs = np.quantile(samples, [tail, 1.0 - tail], axis=0)
    return [ClusterInterval(float(lo), float(hi), {a: float(np.mean(samples[:, j] < a)) for a in q_min})
            for j, (lo, hi) in enumerate(zip(lows, highs))]


def char_clusters(starts: np.ndarray, n_chars: int) -> np.ndarray:
    """Cluster index (sentence) of each character of one transcript, given the sentences' starts;
    characters before the first sentence go with it."""
    if len(starts) == 0:
        return np.zeros(n_chars, dtype=np.int64)
    return np.maximum(np.searchsorted(starts, np.arange(n_chars), "right") - 1, 0)
