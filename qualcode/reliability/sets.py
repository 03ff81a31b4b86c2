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

from qualcode.reliability.alpha import alpha_details
from qualcode.reliability.matrix import ReliabilityMatrix


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
    packed = np.packbits(present, axis=0, bitorder="little")  # bytes x coders x units
    nbytes = packed.shape[0]
    flat = packed.reshape(nbytes, m * n).T
    if nbytes <= 8:
        wide = np.zeros((m * n, 8), dtype=np.uint8)
        wide[:, :nbytes] = flat
        keys, inverse = np.unique(wide.view("<u8").ravel(), return_inverse=True)
        key_bytes = keys.astype("<u8").view(np.uint8).reshape(-1, 8)[:, :nbytes]
    else:
        key_bytes, inverse = np.unique(np.ascontiguousarray(flat), axis=0, return_inverse=True)
    bits = np.unpackbits(key_bytes, axis=1, bitorder="little")[:, :n_codes]
    sets = [frozenset(codes[i] for i in np.flatnonzero(row)) for row in bits]
    values = inverse.reshape(m, n).astype(np.int32)
    return ReliabilityMatrix(values, tuple(range(len(sets)))), sets


def sets_alpha(present: np.ndarray, codes: Sequence[str]) -> float:
    """Krippendorff's alpha over the sets of codes with the MASI distance (UndefinedCoefficient when 0/0)."""
    matrix, sets = code_sets(present, codes)
    d = np.array([[masi_distance(a, b) for b in sets] for a in sets])
    return alpha_details(matrix, distance_matrix=d).alpha
