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
    if _is_identity(cluster, n_clusters):  # each unit its own cluster: the same numbers, no bincount
        out[:, 0] = 1.0
        out[:, 1] = s
        out[:, 2] = (s * (m - s)).astype(np.float64) / (m - 1)
        return out
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
    # Clusters with the same counts in every row are interchangeable: drawing K clusters and
    # counting how many fall in each group of identical clusters is multinomial(K, group sizes / K),
    # the same distribution of the sums at a fraction of the cost (most sentences nobody coded).
    flat, sizes = np.unique(np.concatenate(stats, axis=1).astype(np.float64), axis=0, return_counts=True)
    return grouped_bootstrap(flat, sizes, n_coders, n_resamples=n_resamples, seed=seed, confidence=confidence,
                             q_min=q_min)


def grouped_bootstrap(flat: np.ndarray, sizes: np.ndarray, n_coders: int, *, n_resamples: int = 10_000,
                      seed: int | None = None, confidence: float = 0.95,
                      q_min: tuple[float, ...] = (TENTATIVE, RELIABLE)) -> list[ClusterInterval]:
    """:func:`cluster_bootstrap` from its groups of identical clusters: ``flat`` (groups x 3 rows,
    the groups in lexicographic order) and ``sizes`` (clusters per group), as ``np.unique(...,
    axis=0, return_counts=True)`` or :func:`cluster_groups` gives them."""
    k = int(sizes.sum())
    n_rows = flat.shape[1] // 3
    samples = np.empty((n_resamples, n_rows))
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // max(len(sizes), 1))
    probs = sizes / sizes.sum()
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        w = rng.multinomial(k, probs, size=size).astype(np.float64)
        sums = w @ flat  # size x 3 rows
        for j in range(n_rows):
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


def _is_identity(cluster: np.ndarray, n_clusters: int) -> bool:
    return len(cluster) == n_clusters and bool((cluster == np.arange(n_clusters)).all())


def cluster_groups(presents, cluster: np.ndarray, n_clusters: int, chosen: list[int],
                   pooled: bool) -> tuple[np.ndarray, np.ndarray]:
    """The groups of identical clusters :func:`cluster_bootstrap` resamples, without its dense
    clusters x (3 x rows) array: ``(flat, sizes)`` equal to ``np.unique(np.concatenate([stats[j] for
    j in chosen] + ([sum(stats)] if pooled else []), axis=1), axis=0, return_counts=True)`` with
    ``stats[j] = cluster_counts(presents[j], cluster, n_clusters)`` (the same rows in the same
    order, so the same resamples for a seed).

    Each row's (units, coded values, O) are compared in lexicographic order; the units column is the
    same for every row (the units in a cluster), so a cluster's key is its units and, per row, the rank
    of its (coded values, O) pair among that row's distinct pairs, written big-endian so that
    comparing keys byte by byte orders them as the numbers would. Only the clusters a row's code
    touches have a pair other than (0, 0) (the smallest), so the ranks are taken over those. One
    row's counts are held at a time (plus the pooled sum): at 3,000 transcripts a million sentences
    x 48 rows of counts are 1.2 GB, the keys 50 MB.
    """
    chosen_set = set(chosen)
    total = None
    units = None
    kept: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}  # row -> (clusters, n1, o) off (0, 0)
    columns: list[np.ndarray] = []
    for j, present in enumerate(presents):
        if j not in chosen_set and not pooled:
            continue
        st = cluster_counts(present, cluster, n_clusters)
        if pooled:
            if total is None:
                total = st.copy()  # sum(stats) starts at 0 + stats[0]: the same values
            else:
                total += st
        if j not in chosen_set:
            continue
        if units is None:
            units = st[:, 0].copy()
        elif not np.array_equal(units, st[:, 0]):
            raise ValueError("clusters hold different numbers of units in different rows")
        nz = np.flatnonzero((st[:, 1] != 0) | (st[:, 2] != 0))
        kept[j] = (nz, st[nz, 1], st[nz, 2])
    if units is None:
        if total is None:
            raise ValueError("no rows to group")
        units = total[:, 0].copy()
    columns.append(_key_bytes(_ranks(units)))
    for j in chosen:
        nz, n1, o = kept[j]
        col = np.zeros(n_clusters, dtype=np.int64)
        col[nz] = _pair_ranks(n1, o) + 1
        columns.append(_key_bytes(col))
    if pooled:
        columns.append(_key_bytes(_pair_ranks(total[:, 1], total[:, 2])))
    key = np.hstack(columns)
    del columns
    rows = np.ascontiguousarray(key).view(np.dtype((np.void, key.shape[1]))).ravel()
    _, first, sizes = np.unique(rows, return_index=True, return_counts=True)
    del key, rows
    n_rows = len(chosen) + (1 if pooled else 0)
    flat = np.zeros((len(first), 3 * n_rows))
    flat[:, 0::3] = units[first][:, None]
    for r, j in enumerate(chosen):
        nz, n1, o = kept[j]
        at = np.searchsorted(nz, first)
        hit = at < len(nz)
        hit[hit] = nz[at[hit]] == first[hit]
        flat[hit, 3 * r + 1] = n1[at[hit]]
        flat[hit, 3 * r + 2] = o[at[hit]]
    if pooled:
        flat[:, -3:] = total[first]
    return flat, sizes


def _key_bytes(ranks: np.ndarray) -> np.ndarray:
    """clusters x (1, 2 or 4) big-endian bytes of each cluster's rank: compared byte by byte, they
    order as the ranks do."""
    top = int(ranks.max(initial=0))
    width = 1 if top < 256 else 2 if top < 65536 else 4
    return ranks.astype(f">u{width}").view(np.uint8).reshape(len(ranks), width)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Each value's rank among the distinct values (0 = the smallest)."""
    return np.unique(values, return_inverse=True)[1].ravel()


def _pair_ranks(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each (a, b) pair's rank among the distinct pairs in lexicographic order (0 = the smallest)."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((b, a))
    sa, sb = a[order], b[order]
    new = np.empty(len(a), dtype=bool)
    new[0] = False
    new[1:] = (sa[1:] != sa[:-1]) | (sb[1:] != sb[:-1])
    out = np.empty(len(a), dtype=np.int64)
    out[order] = np.cumsum(new)
    return out
