"""Alpha over the *set* of codes each coder gave each unit, with the MASI distance.

When a unit can carry several codes, its value for a coder is a set of codes. Krippendorff's
alpha then needs a distance between sets; qualcode uses Passonneau's (2006) MASI distance,
1 − J × M, with J the Jaccard similarity |A ∩ B| / |A ∪ B| and M 1 for equal sets, 2/3 when one
contains the other, 1/3 when they overlap otherwise and 0 when disjoint (two empty sets: 0).
Passonneau, R. (2006) "Measuring agreement on set-valued items (MASI) for semantic and pragmatic
annotation", Proc. LREC 2006.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from qualcode.reliability.matrix import ReliabilityMatrix, UndefinedCoefficient


def masi_distance(a: frozenset, b: frozenset) -> float:
    """Passonneau's (2006) MASI distance between two sets: 1 - Jaccard x monotonicity."""
    if a == b:
        return 0.0
    inter = len(a & b)
    if not inter:
        return 1.0
    monotonicity = 2 / 3 if (a <= b or b <= a) else 1 / 3
    return 1.0 - inter / len(a | b) * monotonicity


def code_sets(present: np.ndarray, codes: Sequence[str]) -> tuple[ReliabilityMatrix, list[frozenset]]:
    """Coders x units data whose values are the sets of codes each coder gave each unit.

    ``present[k, i, u]``: coder i gave unit u code ``codes[k]``. The values are indices into the
    returned list of distinct sets.
    """
    n_codes, m, n = present.shape
    nbytes = (n_codes + 7) // 8
    if n_codes <= 64:  # each value's set as the number whose bit k is code k (the little-endian bytes below)
        key = np.zeros(m * n, dtype=np.uint64)
        for k in range(n_codes):
            key |= present[k].reshape(-1).astype(np.uint64) << np.uint64(k)
        keys, inverse = np.unique(key, return_inverse=True)
        del key
        key_bytes = keys.astype("<u8").view(np.uint8).reshape(-1, 8)[:, :nbytes]
    else:
        packed = np.packbits(present, axis=0, bitorder="little")  # bytes x coders x units
        flat = packed.reshape(nbytes, m * n).T
        key_bytes, inverse = np.unique(np.ascontiguousarray(flat), axis=0, return_inverse=True)
    bits = np.unpackbits(key_bytes, axis=1, bitorder="little")[:, :n_codes]
    sets = [frozenset(codes[i] for i in np.flatnonzero(row)) for row in bits]
    values = inverse.reshape(m, n).astype(np.int32)
    return ReliabilityMatrix(values, tuple(range(len(sets)))), sets


def _masi(inter: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """MASI distances from intersection sizes and set sizes (broadcasting): 0 for equal sets (two
    empty ones too), 1 for disjoint ones, else 1 - Jaccard x (2/3 when one holds the other, else
    1/3). Worked in place (a block of D_e is 2,048 x thousands of sets: one float array, not six)."""
    union = size_a + size_b - inter
    np.maximum(union, 1, out=union)  # 0 only for two empty sets, which are equal: 0 below
    out = np.true_divide(inter, union)
    del union
    subset = inter == size_a
    equal = subset & (inter == size_b)
    subset |= inter == size_b
    out[subset] *= 2 / 3
    np.logical_not(subset, out=subset)
    out[subset] *= 1 / 3
    del subset
    np.subtract(1.0, out, out=out)
    out[inter == 0] = 1.0
    out[equal] = 0.0
    return out


def _distances(a: np.ndarray, b: np.ndarray, bits: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The MASI distance between sets ``a[u]`` and ``b[u]`` (indices into ``bits``) for each u: the
    same values as ``_masi`` on every pair, computed once per distinct pair of sets (a million
    units have a few thousand), so no units x codes array is made."""
    n_sets = len(sizes)
    pairs, inverse = np.unique(a.astype(np.int64) * n_sets + b, return_inverse=True)
    pa, pb = pairs // n_sets, pairs % n_sets
    inter = (bits[pa] & bits[pb]).sum(axis=1)
    return _masi(inter, sizes[pa], sizes[pb])[inverse.ravel()]


EXACT_LIMIT = 4000
"""Up to this many distinct code sets D_e is exact; beyond it (O(sets^2)) it is estimated."""
SAMPLES = 2_000_000
_CHUNK = 250_000  # pairs of values whose distances are worked out at once (bounds memory)
SEED = 2007


def sets_alpha(present: np.ndarray, codes: Sequence[str], *, block: int = 2048) -> float:
    """Krippendorff's alpha over the sets of codes with the MASI distance (see sets_alpha_details)."""
    return sets_alpha_details(present, codes, block=block)[0]


def sets_alpha_details(present: np.ndarray, codes: Sequence[str], *, block: int = 2048,
                       exact_limit: int = EXACT_LIMIT, samples: int = SAMPLES,
                       seed: int = SEED) -> tuple[float, str | None]:
    """Krippendorff's alpha over the sets of codes with the MASI distance (UndefinedCoefficient when 0/0).

    Returns (alpha, note): note is None when exact, else says how D_e was estimated.

    Every coder gives every unit a set (possibly empty), so all values are pairable:
    D_o = sum over units and ordered coder pairs of delta / (m - 1) / n and
    D_e = sum over ordered pairs of distinct sets of n_c n_k delta / (n (n - 1)).
    Computed from the sets' bit matrix: pairs within units directly, D_e blockwise (memory stays
    bounded however many distinct sets there are).
    """
    matrix, sets = code_sets(present, codes)
    values = np.asarray(matrix.codes, dtype=np.int64)  # coders x units, set indices
    m, n_units = values.shape
    if m < 2 or n_units == 0:
        raise UndefinedCoefficient("alpha over sets needs two coders and at least one unit")
    bits = np.zeros((len(sets), len(codes)), dtype=np.int32)
    index = {c: i for i, c in enumerate(codes)}
    for k, st in enumerate(sets):
        for c in st:
            bits[k, index[c]] = 1
    sizes = bits.sum(axis=1)
    n = m * n_units
    observed = 0.0
    for i in range(m):
        for j in range(i + 1, m):
            observed += 2 * _distances(values[i], values[j], bits, sizes).sum()
    d_o = observed / (m - 1) / n
    counts = np.bincount(values.ravel(), minlength=len(sets)).astype(float)
    note = None
    if len(sets) <= exact_limit:
        expected = 0.0
        for lo in range(0, len(sets), block):
            hi = min(lo + block, len(sets))
            inter = bits[lo:hi] @ bits.T
            d = _masi(inter, sizes[lo:hi, None], sizes[None, :])
            expected += counts[lo:hi] @ d @ counts
        d_e = expected / (n * (n - 1))
    else:
        # D_e is the mean distance between two different values drawn from the n pairable values:
        # estimate it from random ordered pairs (i != j), reproducibly.
        flat = values.ravel()
        rng = np.random.default_rng(seed)
        i = rng.integers(0, n, samples)
        j = rng.integers(0, n - 1, samples)
        dist = np.empty(samples)
        for lo in range(0, samples, _CHUNK):  # the same distances, a chunk of pairs at a time
            hi = min(lo + _CHUNK, samples)
            jj = j[lo:hi]
            jj += jj >= i[lo:hi]
            dist[lo:hi] = _distances(flat[i[lo:hi]], flat[jj], bits, sizes)
        d_e = float(dist.mean())
        stderr = float(dist.std(ddof=1) / np.sqrt(samples))
        note = (f"D_e estimated from {samples:,} random pairs of values (seed {seed}; {len(sets):,} distinct "
                f"code sets, over {exact_limit:,}); standard error of D_e {stderr:.1e}")
    if d_e == 0:
        raise UndefinedCoefficient("alpha over sets is undefined: every coder gave every unit the same set",
                                   hint="there is no variation to measure agreement on")
    return 1.0 - d_o / d_e, note
