"""The one verdict on an alpha, used by `qualcode agree`, the workbench and the Word report.

Krippendorff (2004, *Content Analysis*, 2nd ed., p. 241) sets the thresholds: rely on variables
with alpha >= .800, draw only tentative conclusions from .667 <= alpha < .800. He also says the
decision must not be read off the point estimate but off the chance of alpha falling below the
smallest acceptable value, q(alpha < alpha_min) (Hayes & Krippendorff 2007, p. 86), and that the
data must be large enough to reach it (2004, pp. 239-241; 2019, pp. 288-292, after Bloch & Kraemer
1989, eq. 3.7). The rule, in order:

1. **insufficient data (n = N, needs M)**: fewer pairable units N than the smallest sample M at which
   alpha >= .667 could be shown at the .05 level, given the share p_c of the least used value:
   M = m z^2 [(1 + a)(3 - a) / (4 (1 - a) p_c (1 - p_c)) - a], a = .667, z = 1.645 (one-tailed
   .05), m coders (Krippendorff 2019's table is m = 2; ATLAS.ti's manual documents the same rule).
2. With a bootstrap interval: **reliable** when its lower bound is >= .800, **tentative** when it is
   >= .667; **below .667** when the point estimate is below .667; otherwise **inconclusive** (the
   point estimate reaches .667 but the interval does not rule out less). With a 95% interval the
   lower bound >= .800 is the same as q(alpha < .800) <= .025.
3. Where no interval can be computed at all (unitizing alpha: qualcode has no bootstrap for it, and a
   code each coder marked once or twice gives nothing to resample): **no interval: not judged (n = N
   codings)**. The point estimate alone is never a verdict.
4. Without an interval that could have been computed (the sets-of-codes row, per-transcript rows,
   `--resamples 0`) the point estimate is read with the same thresholds and " (no interval)" is added.
"""

from __future__ import annotations

import math

from qualcode.reliability.alpha import RELIABLE, TENTATIVE

Z_05 = 1.6448536269514722  # one-tailed .05

_CORE = (
    "Verdict: insufficient data when there are fewer pairable units than needed to show alpha >= .667 at "
    "p = .05 (Krippendorff 2019, after Bloch & Kraemer 1989); otherwise reliable when the lower bound of "
    "the bootstrap interval is >= .800, tentative when it is >= .667, below .667 when alpha is below .667, "
    "inconclusive when alpha reaches .667 but the interval does not (Krippendorff 2004, p. 241; Hayes & "
    "Krippendorff 2007)."
)
_NOT_JUDGED = "Unitizing alpha has no interval, so it is not judged (\"no interval: not judged\")."
_NO_INTERVAL = ("Where no interval was computed for a row ({where}), alpha itself is read with the same "
                "thresholds and the verdict says so, e.g. \"tentative (no interval)\".")
REPORT_NO_INTERVAL = "the sets-of-codes row, rows per transcript, --resamples 0"
MATRIX_NO_INTERVAL = "--resamples 0"


def rule(*, unitized: bool = False, no_interval: str | None = REPORT_NO_INTERVAL) -> str:
    """The legend of the verdicts a table can show, so that every verdict in it is one the legend
    describes: unitizing alpha's "no interval: not judged" (``unitized``), and the point estimate read
    "(no interval)" where an interval was not computed (``no_interval`` names where; None: nowhere)."""
    parts = [_CORE]
    if unitized:
        parts.append(_NOT_JUDGED)
    if no_interval:
        parts.append(_NO_INTERVAL.format(where=no_interval))
    return " ".join(parts)


RULE = rule(unitized=True)
"""The whole rule (every case)."""


def minimum_units(p_c: float, n_coders: int = 2, alpha_min: float = TENTATIVE, z: float = Z_05) -> float:
    """Bloch & Kraemer's (1989, eq. 3.7) smallest number of units for showing alpha >= ``alpha_min``
    when the least used value has share ``p_c`` of the values (as Krippendorff 2019 tabulates it for
    two coders; z^2 is multiplied by the number of coders). Infinite when p_c is 0."""
    if not 0.0 < p_c < 1.0:
        return math.inf
    a = alpha_min
    return n_coders * z * z * ((1 + a) * (3 - a) / (4 * (1 - a) * p_c * (1 - p_c)) - a)


def verdict(alpha: float | None, *, low: float | None = None, n_units: int | None = None,
            p_c: float | None = None, n_coders: int = 2, n_codings: int | None = None) -> str:
    """The verdict on one alpha (see the module docstring for the rule and its sources).

    ``low``: the lower bound of the bootstrap interval (None: no interval); ``n_units``: pairable
    units; ``p_c``: share of the least used value among the pairable values; ``n_codings``: given
    where no interval can be computed (unitizing alpha), the codings the alpha rests on: the verdict
    is then "no interval: not judged (n = N codings)", never read off the point estimate.
    """
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return ""
    if n_units is not None and p_c is not None:
        need = minimum_units(p_c, n_coders)
        if n_units < need:
            shown = "more than any study" if math.isinf(need) or need > 1e9 else f"{math.ceil(need):,}"
            return f"insufficient data (n = {n_units:,}, needs {shown})"
    no_interval = low is None or (isinstance(low, float) and math.isnan(low))
    if no_interval and n_codings is not None:
        return f"no interval: not judged (n = {n_codings:,} coding{'' if n_codings == 1 else 's'})"
    if no_interval:
        return _point(alpha) + " (no interval)"
    if low >= RELIABLE:
        return "reliable"
    if low >= TENTATIVE:
        return "tentative"
    if alpha < TENTATIVE:
        return "below .667"
    return "inconclusive"


def _point(alpha: float) -> str:
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "below .667"
