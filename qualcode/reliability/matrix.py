"""The reliability matrix: coders x units, integer-coded, with missing values.

Every coefficient in :mod:`qualcode.reliability` takes ``data`` as a sequence of
sequences, one row per coder and one column per unit, with ``None`` (or NaN) where a
coder did not code a unit.  A numpy array (float with NaN, or object with None) works
too, and so does a :class:`ReliabilityMatrix` built once with :func:`as_matrix`, which
saves re-encoding when several coefficients are computed on the same data.

``categories`` is the codebook's list of categories, in order.  It defaults to the
values observed in the data (sorted when they are mutually comparable, else in order
of first appearance).  It matters for Brennan-Prediger / Bennett's S / free-marginal
kappa and Gwet's AC1 (``q`` is the number of codebook categories, used or not), for
the ordinal metric of alpha and for weighted coefficients.  A value in the data that
is not in ``categories`` is an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from qualcode.errors import QualcodeError

MISSING = -1  # the integer code for "not coded"


class ReliabilityDataError(QualcodeError):
    """The reliability data cannot be used as given (shape, values, parameters)."""


class UndefinedCoefficient(QualcodeError):
    """A coefficient is mathematically undefined for these data (0/0); the message says why."""


def is_missing(value: Any) -> bool:
    """True for None and NaN (float or numpy float)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN is the only value unequal to itself
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True, eq=False)
class ReliabilityMatrix:
    """Integer-coded reliability data.

    ``codes[i, u]`` is the index into ``categories`` of the code coder ``i`` gave unit
    ``u``, or ``-1`` (:data:`MISSING`) when the coder did not code the unit.
    """

    codes: np.ndarray
    categories: tuple

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])

    @property
    def q(self) -> int:
        return len(self.categories)

    def values_per_unit(self) -> np.ndarray:
        """m_u: how many coders coded each unit (int array of length n_units)."""
        return (self.codes >= 0).sum(axis=0)

    def counts(self) -> np.ndarray:
        """n_uk: units x categories matrix of how many coders gave code k to unit u (float)."""
        n, q = self.n_units, self.q
        present = self.codes >= 0
        units = np.broadcast_to(np.arange(n), self.codes.shape)[present]
        flat = units.astype(np.int64) * q + self.codes[present]
        return np.bincount(flat, minlength=n * q).reshape(n, q).astype(float)

    def require_coders(self, minimum: int = 2) -> None:
        if self.n_coders < minimum:
            raise UndefinedCoefficient(
                f"agreement needs at least {minimum} coders; the data have {self.n_coders}",
                hint="pass one row per coder (coders x units)",
            )

    def scores(self, category_scores: Sequence[float] | None = None, *, purpose: str) -> np.ndarray:
        """Numeric scores of the categories: ``category_scores`` if given, else the
        categories themselves when they are numbers, else an error naming ``purpose``."""
        if category_scores is not None:
            if len(category_scores) != self.q:
                raise ReliabilityDataError(
                    f"category_scores has {len(category_scores)} entries but there are "
                    f"{self.q} categories {list(self.categories)}"
                )
            values = list(category_scores)
        else:
            values = list(self.categories)
        bad = [v for v in values if not _is_number(v)]
        if bad:
            raise ReliabilityDataError(
                f"{purpose} needs numeric values, but the categories include {bad[0]!r}",
                hint="use numeric codes, or pass category_scores=[...] (one number per category, "
                "in codebook order), or use level='nominal'/'ordinal'",
            )
        return np.asarray(values, dtype=float)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and math.isfinite(v)


def as_matrix(data: Any, categories: Sequence[Any] | None = None) -> ReliabilityMatrix:
    """Encode ``data`` (coders x units, None/NaN = missing) against ``categories``.

    Raises :class:`ReliabilityDataError` for ragged rows, a non-2-D shape, duplicate
    categories, or values that are not in ``categories``.
    """
    if isinstance(data, ReliabilityMatrix):
        if categories is not None and tuple(categories) != data.categories:
            raise ReliabilityDataError(
                "categories given differ from the ReliabilityMatrix's categories",
                hint="build the matrix with as_matrix(data, categories=...) once and reuse it",
            )
        return data
    if categories is not None:
        categories = list(categories)
        if any(is_missing(c) for c in categories):
            raise ReliabilityDataError("categories must not contain None or NaN")
        try:
            distinct = len(set(categories))
        except TypeError as exc:
            raise ReliabilityDataError(f"categories must be hashable values: {exc}") from None
        if distinct != len(categories):
            raise ReliabilityDataError(f"categories contain duplicates: {categories}")
    if isinstance(data, np.ndarray) and data.dtype.kind in "iuf":
        return _encode_numeric(data, categories)
    return _encode_objects(data, categories)


def _check_shape_numeric(arr: np.ndarray) -> None:
    if arr.ndim != 2:
        raise ReliabilityDataError(
            f"reliability data must be 2-D (coders x units); got an array with {arr.ndim} dimension(s)"
        )


def _encode_numeric(arr: np.ndarray, categories: list | None) -> ReliabilityMatrix:
    """Fast path for numeric numpy arrays (NaN = missing), row by row to bound memory;
    O(n) (no sort) when the values are integers in a moderate range."""
    _check_shape_numeric(arr)
    floating = arr.dtype.kind == "f"
    if floating and np.isinf(arr).any():
        raise ReliabilityDataError("reliability data contain an infinite value")
    codes = np.full(arr.shape, MISSING, dtype=np.int32)
    if categories is None:
        lo, hi = (np.nanmin(arr), np.nanmax(arr)) if arr.size and not np.isnan(arr).all() else (0, -1)
        if hi < lo:
            return ReliabilityMatrix(codes, ())
        if hi - lo < 1_000_000 and _all_integral(arr, floating):
            seen = np.zeros(int(hi - lo) + 1, dtype=bool)
            for i, row in enumerate(arr):
                present = ~np.isnan(row) if floating else slice(None)
                shifted = (row[present] - lo).astype(np.int32)
                seen[shifted] = True
                codes[i, present] = shifted
            lut = np.append(np.cumsum(seen, dtype=np.int32) - 1, np.int32(MISSING))
            cats = np.flatnonzero(seen) + lo
            return ReliabilityMatrix(lut[codes], tuple(_py(c) for c in cats))
        present = ~np.isnan(arr) if floating else np.ones(arr.shape, dtype=bool)
        cats, idx = np.unique(arr[present], return_inverse=True)
        codes[present] = idx
        return ReliabilityMatrix(codes, tuple(_py(c) for c in cats))
    if not categories or not all(_is_number(c) for c in categories):
        return _encode_objects(arr.astype(object), categories)
    cat_arr = np.asarray(categories, dtype=float)
    order = np.argsort(cat_arr, kind="stable")
    sorted_cats = cat_arr[order]
    for i, row in enumerate(arr):
        present = ~np.isnan(row) if floating else np.ones(row.shape, dtype=bool)
        values = row[present]
        pos = np.minimum(np.searchsorted(sorted_cats, values), len(sorted_cats) - 1)
        ok = sorted_cats[pos] == values
        if not ok.all():
            unknown = [_py(v) for v in np.unique(values[~ok])[:5]]
            raise _unknown_values_error(unknown, categories)
        codes[i, present] = order[pos]
    return ReliabilityMatrix(codes, tuple(categories))


def _all_integral(arr: np.ndarray, floating: bool) -> bool:
    if not floating:
        return True
    for row in arr:
        values = row[~np.isnan(row)]
        if not np.array_equal(values, np.floor(values)):
            return False
    return True


def _py(v: Any) -> Any:
    """numpy scalar -> plain Python number (integral floats become ints)."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _encode_objects(data: Any, categories: list | None) -> ReliabilityMatrix:
    if isinstance(data, (str, bytes)) or not hasattr(data, "__len__"):
        raise ReliabilityDataError("reliability data must be a sequence of rows (coders x units)")
    rows = [list(row) if not isinstance(row, (str, bytes)) and hasattr(row, "__len__") else None for row in data]
    for i, row in enumerate(rows):
        if row is None:
            raise ReliabilityDataError(
                f"row {i} is not a sequence; reliability data must be coders x units (a list of rows)"
            )
    lengths = {len(r) for r in rows}
    if len(lengths) > 1:
        detail = ", ".join(f"coder {i}: {len(r)}" for i, r in enumerate(rows))
        raise ReliabilityDataError(
            f"ragged reliability data: rows have different numbers of units ({detail})",
            hint="every coder's row needs one entry per unit; use None where a coder did not code a unit",
        )
    n_units = lengths.pop() if lengths else 0
    index: dict[Any, int] = {}
    observed: list[Any] = []
    if categories is not None:
        index = {c: i for i, c in enumerate(categories)}
    codes = np.full((len(rows), n_units), MISSING, dtype=np.int32)
    unknown: list[Any] = []
    for i, row in enumerate(rows):
        out = codes[i]
        for u, v in enumerate(row):
            if is_missing(v):
                continue
            if isinstance(v, np.generic):
                v = v.item()
            try:
                k = index.get(v)
            except TypeError:
                raise ReliabilityDataError(f"coder {i}, unit {u}: unhashable value {v!r}") from None
            if k is None:
                if categories is not None:
                    if len(unknown) < 5 and v not in unknown:
                        unknown.append(v)
                    continue
                k = index[v] = len(observed)
                observed.append(v)
            out[u] = k
    if unknown:
        raise _unknown_values_error(unknown, categories)
    if categories is not None:
        return ReliabilityMatrix(codes, tuple(categories))
    # default categories: observed values, sorted when comparable
    try:
        order = sorted(range(len(observed)), key=lambda j: observed[j])
    except TypeError:
        order = list(range(len(observed)))
    remap = np.empty(len(observed) + 1, dtype=np.int32)
    remap[-1] = MISSING
    for new, old in enumerate(order):
        remap[old] = new
    codes = remap[codes]  # index -1 picks remap[-1] == MISSING
    return ReliabilityMatrix(codes, tuple(_py(observed[j]) for j in order))


def _unknown_values_error(unknown: list, categories: Sequence[Any]) -> ReliabilityDataError:
    return ReliabilityDataError(
        f"the data contain value(s) not in the categories: {unknown!r}; categories are {list(categories)!r}",
        hint="add the value(s) to the codebook's categories, or fix the codings",
    )


# ---------------------------------------------------------------- weights


def agreement_weights(
    m: ReliabilityMatrix,
    weights: Any = None,
    *,
    category_scores: Sequence[float] | None = None,
    distance_matrix: Any = None,
) -> tuple[np.ndarray, str]:
    """Agreement weights w_kl (1 on the diagonal) and a label.

    ``weights``: None / "identity" / "unweighted" (w = [k == l]); "linear"
    (w = 1 - |s_k - s_l| / (s_max - s_min)); "quadratic"
    (w = 1 - (s_k - s_l)^2 / (s_max - s_min)^2), with s the category scores
    (``category_scores``, else the numeric categories, else 1..q); or a q x q array.
    ``distance_matrix``: a q x q disagreement matrix d, giving w = 1 - d.
    """
    q = m.q
    if distance_matrix is not None:
        if weights is not None:
            raise ReliabilityDataError("pass either weights= or distance_matrix=, not both")
        d = _square(distance_matrix, q, "distance_matrix")
        return 1.0 - d, "custom distance"
    if weights is None or (isinstance(weights, str) and weights in ("identity", "unweighted", "nominal")):
        return np.eye(q), "unweighted"
    if isinstance(weights, str):
        if weights not in ("linear", "quadratic"):
            raise ReliabilityDataError(
                f"unknown weights {weights!r}", hint="use None, 'linear', 'quadratic' or a q x q matrix"
            )
        if category_scores is None and not all(_is_number(c) for c in m.categories):
            s = np.arange(1, q + 1, dtype=float)
        else:
            s = m.scores(category_scores, purpose=f"{weights} weights")
        span = s.max() - s.min() if q else 0.0
        if span == 0:
            raise UndefinedCoefficient(f"{weights} weights need at least two distinct category scores")
        diff = np.abs(s[:, None] - s[None, :]) / span
        return (1.0 - diff if weights == "linear" else 1.0 - diff**2), weights
    return _square(weights, q, "weights"), "custom"


def _square(matrix: Any, q: int, name: str) -> np.ndarray:
    try:
        arr = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise ReliabilityDataError(f"{name} must be a q x q matrix of numbers") from None
    if arr.shape != (q, q):
        raise ReliabilityDataError(
            f"{name} must be {q} x {q} (one row and column per category, in codebook order); got shape {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise ReliabilityDataError(f"{name} contains NaN or infinite entries")
    return arr
