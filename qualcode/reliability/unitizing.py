"""Krippendorff's unitizing alpha (u-alpha) over a character continuum, 1995/2004 definition.

Coders mark segments [start, end) of categories on a continuum [begin, begin + L).  For one
category c, each coder's continuum is a sequence of *sections*: the coder's c-segments
(units, w = 1) and the stretches between them (gaps, w = 0).  With m coders and section
lengths l (Krippendorff 1995; 2004, pp. 251-256):

Observed disagreement, over all ordered pairs of distinct coders i, j and all pairs of
overlapping sections g (of i) and h (of j):

    cD_o = sum_i sum_{j != i} sum_g sum_h delta2(g, h) / (m (m - 1) L^2)

    delta2(g, h) = (b_g - b_h)^2 + (e_g - e_h)^2   if g and h are both units and overlap
                 = l_g^2                           if g is a unit lying inside gap h
                 = l_h^2                           if h is a unit lying inside gap g
                 = 0                               otherwise

(b = start, e = end).  Expected disagreement, over all units g of c of all coders (N_c of
them) and all gaps h of all coders:

    cD_e = (2 / L) * sum_g [ (N_c - 1) (2 l_g^3 - 3 l_g^2 + l_g) / 3
                              + l_g^2 sum_{h: l_h >= l_g} (l_h - l_g + 1) ]
           / ( m L (m L - 1) - sum_g l_g (l_g - 1) )

    c-alpha = 1 - cD_o / cD_e

The value over all categories pools the disagreements (Krippendorff 2004; DKPro
Statistics ``KrippendorffAlphaUnitizingAgreement``):

    u-alpha = 1 - mean_c cD_o / mean_c cD_e  (= 1 - sum_c cD_o / sum_c cD_e)

This is the 1995/2004 u-alpha, not the 2016 family (|u-alpha|, cu-alpha, (k)u-alpha) of
Krippendorff, Mathet, Bouvry & Widlöcher (2016, Quality & Quantity 50:2347-2364).
All sums are exact integer arithmetic until the final divisions.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Mapping, Sequence

from qualcode.reliability.matrix import ReliabilityDataError, UndefinedCoefficient

Segment = tuple  # (start, end, category), end exclusive


@dataclass(frozen=True)
class UnitizingCategory:
    """u-alpha for one category: D_o, D_e and (when D_e > 0) alpha."""

    category: Any
    D_o: float
    D_e: float
    n_segments: int  # N_c: segments of this category over all coders

    @property
    def is_defined(self) -> bool:
        return self.D_e > 0

    @property
    def alpha(self) -> float:
        """1 - D_o / D_e; raises UndefinedCoefficient when D_e = 0 (no coder used the category)."""
        if not self.is_defined:
            raise UndefinedCoefficient(
                f"unitizing alpha for category {self.category!r} is undefined: expected disagreement is 0 "
                f"({self.n_segments} segment(s) of this category)",
            )
        return 1.0 - self.D_o / self.D_e


@dataclass(frozen=True)
class UnitizingResult:
    """u-alpha per category and pooled over categories."""

    alpha: float  # 1 - mean D_o / mean D_e
    D_o: float  # mean over categories
    D_e: float  # mean over categories
    per_category: dict
    coders: tuple
    begin: int
    length: int

    @property
    def value(self) -> float:
        return self.alpha

    def category_alphas(self) -> dict:
        """{category: alpha} for the categories where alpha is defined."""
        return {c: r.alpha for c, r in self.per_category.items() if r.is_defined}

    @property
    def mean_of_category_alphas(self) -> float:
        """Unweighted mean of the defined per-category alphas (a different summary than ``alpha``)."""
        values = list(self.category_alphas().values())
        if not values:
            raise UndefinedCoefficient("no category has a defined unitizing alpha")
        return sum(values) / len(values)


def unitizing_alpha(
    segments_by_coder: Mapping[str, Sequence[Segment]],
    length: int,
    categories: Sequence[Any] | None = None,
    *,
    begin: int = 0,
    merge: bool = False,
) -> UnitizingResult:
    """Krippendorff's (1995/2004) u-alpha, per category and pooled (see module docstring).

    Parameters
    ----------
    segments_by_coder
        ``{coder: [(start, end, category), ...]}``; ``end`` is exclusive.  Every coder in the
        mapping counts, including one with no segments (who then marked nothing).  A coder's
        segments of one category must not overlap (segments of different categories may).
    length
        L, the length of the continuum (e.g. characters of the transcript).
    categories
        Categories to evaluate (default: those marked, sorted).
    begin
        Offset of the continuum's first position (default 0); segments must lie in
        [begin, begin + length).
    merge
        Merge one coder's touching or overlapping segments of one category into one unit first
        (what free-text coding means: two adjacent codings of a code are one coded stretch).
        Default False, Krippendorff's definition, where adjacent segments are distinct units
        (his 1995 example B depends on it). ``qualcode agree --unit unitized`` merges.

    Raises
    ------
    ReliabilityDataError
        Segments outside the continuum, empty or reversed, overlapping within one coder
        and category (unless ``merge``), or of a category not in ``categories``.
    UndefinedCoefficient
        Fewer than two coders, or no segments at all (pooled D_e = 0).
    """
    coders = tuple(segments_by_coder)
    m = len(coders)
    if m < 2:
        raise UndefinedCoefficient(f"unitizing alpha needs at least two coders; got {m}")
    if not isinstance(length, int) or length < 1:
        raise ReliabilityDataError(f"length must be a positive integer; got {length!r}")
    end_all = begin + length
    observed: set = set()
    by_coder: list[list[tuple[int, int, Any]]] = []
    for coder in coders:
        segs = []
        for seg in segments_by_coder[coder]:
            try:
                start, end, cat = seg
            except (TypeError, ValueError):
                raise ReliabilityDataError(f"coder {coder!r}: segment {seg!r} is not (start, end, category)") from None
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
                raise ReliabilityDataError(f"coder {coder!r}: segment {seg!r} needs integer start and end")
            if not begin <= start < end <= end_all:
                raise ReliabilityDataError(
                    f"coder {coder!r}: segment {seg!r} is empty or outside the continuum [{begin}, {end_all})",
                )
            observed.add(cat)
            segs.append((start, end, cat))
        by_coder.append(segs)
    if categories is None:
        try:
            categories = sorted(observed)
        except TypeError:
            categories = list(dict.fromkeys(s[2] for segs in by_coder for s in segs))
    else:
        categories = list(categories)
        unknown = observed - set(categories)
        if unknown:
            raise ReliabilityDataError(f"segments use categories not in categories: {sorted(map(repr, unknown))}")

    per_category = {}
    for cat in categories:
        units = []
        for coder, segs in zip(coders, by_coder):
            mine = sorted((s, e) for s, e, c in segs if c == cat)
            if merge:
                mine = merge_touching(mine)
            for (s1, e1), (s2, e2) in zip(mine, mine[1:]):
                if s2 < e1:
                    raise ReliabilityDataError(
                        f"coder {coder!r}: segments [{s1}, {e1}) and [{s2}, {e2}) of category {cat!r} overlap",
                        hint="merge them (merge=True); one coder's segments of one category must not overlap",
                    )
            units.append(mine)
        sections = [_sections(u, begin, end_all) for u in units]
        d_o = _observed(sections, m, length)
        d_e = _expected(units, sections, m, length)
        per_category[cat] = UnitizingCategory(cat, d_o, d_e, sum(len(u) for u in units))

    k = len(per_category)
    D_o = sum(r.D_o for r in per_category.values()) / k if k else 0.0
    D_e = sum(r.D_e for r in per_category.values()) / k if k else 0.0
    if D_e == 0:
        raise UndefinedCoefficient(
            "unitizing alpha is undefined: expected disagreement is 0 (no coder marked any segment)"
        )
    return UnitizingResult(1.0 - D_o / D_e, D_o, D_e, per_category, coders, begin, length)


def merge_touching(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted (start, end) spans with touching or overlapping ones merged: one coder's
    8800-8900 and 8900-8950 of one category are one unit, 8800-8950."""
    out: list[list[int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _sections(units: list[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int, bool]]:
    """The coder's partition of the continuum into (start, end, is_unit) sections."""
    out = []
    pos = begin
    for s, e in units:
        if s > pos:
            out.append((pos, s, False))
        out.append((s, e, True))
        pos = e
    if pos < end:
        out.append((pos, end, False))
    return out


def _delta2(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    (bg, eg, ug), (bh, eh, uh) = g, h
    if ug and uh:  # overlapping (only overlapping pairs are passed in)
        return (bg - bh) ** 2 + (eg - eh) ** 2
    if ug and not uh and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if uh and not ug and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def _observed(sections: list[list[tuple[int, int, bool]]], m: int, length: int) -> float:
    total = 0
    for a, b in combinations(sections, 2):
        i = j = 0
        while i < len(a) and j < len(b):  # sweep over the overlapping pairs of sections
            total += _delta2(a[i], b[j])
            if a[i][1] < b[j][1]:
                i += 1
            elif b[j][1] < a[i][1]:
                j += 1
            else:
                i += 1
                j += 1
    return 2 * total / (m * (m - 1) * length**2)


def _expected(units: list[list[tuple[int, int]]], sections: list, m: int, length: int) -> float:
    lengths = [e - s for u in units for s, e in u]
    n_c = len(lengths)
    if n_c == 0:
        return 0.0
    gaps = sorted(e - s for secs in sections for s, e, is_unit in secs if not is_unit)
    suffix = [0] * (len(gaps) + 1)  # suffix[i] = sum(gaps[i:])
    for i in range(len(gaps) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + gaps[i]
    numerator3 = 0  # 3 x the bracketed sum, to stay in integers
    for l in lengths:
        first = bisect.bisect_left(gaps, l)  # gaps with length >= l
        fits = suffix[first] - (l - 1) * (len(gaps) - first)  # sum (l_h - l + 1)
        numerator3 += (n_c - 1) * (2 * l**3 - 3 * l**2 + l) + 3 * l**2 * fits
    denominator = m * length * (m * length - 1) - sum(l * (l - 1) for l in lengths)
    return 2 * numerator3 / (3 * length * denominator)
