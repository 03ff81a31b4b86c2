"""Closed forms of the coefficients for present/absent data without missing values.

Free-text coding compared unit by unit gives, per code, a coders x units matrix of 0/1 with no
missing values (only transcripts every coder coded are compared). For such data every
coefficient qualcode reports depends on a few counts, so it is computed from them instead of
from the (possibly 100,000-column) matrix; :mod:`tests.reliability.test_units` checks each value
against the general functions (``percent_agreement``, ``cohen_kappa``, ``fleiss_kappa``,
``gwet_ac1``, ``krippendorff_alpha``) on random data.

With m coders, N units and s_u the number of coders who coded unit u (h_s = units with s):

* percent agreement P̄ = (1/N) Σ_u [s_u(s_u − 1) + (m − s_u)(m − s_u − 1)] / (m(m − 1));
* π = Σ_u s_u / (N m), the share of "present" values;
* Fleiss' kappa: p_e = π² + (1 − π)²; Gwet's AC1 (q = 2 categories): p_e = 2π(1 − π);
* Cohen's kappa (m = 2): p_e = p_A p_B + (1 − p_A)(1 − p_B), p_A and p_B each coder's share;
* Krippendorff's alpha (nominal): n = N m pairable values, o_01 = Σ_u s_u(m − s_u)/(m − 1),
  D_o = 2 o_01 / n, D_e = 2 n_0 n_1 / (n(n − 1)) with n_1 = Σ s_u, n_0 = n − n_1.

A coefficient that is 0/0 is reported as undefined with its reason (never as NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_EPS = 1e-12


@dataclass(frozen=True)
class BinaryCounts:
    """The counts of one code's present/absent matrix (m coders x N units, complete)."""

    n_coders: int
    n_units: int
    per_coder: tuple[int, ...]  # units each coder coded
    hist: tuple[int, ...]  # hist[s] = units coded by exactly s coders, s = 0..m
    both: int = 0  # two coders: units both coded (for Cohen's kappa)

    @classmethod
    def from_present(cls, present: np.ndarray) -> "BinaryCounts":
        """``present``: coders x units boolean array."""
        m, n = present.shape
        s = present.sum(axis=0)
        hist = np.bincount(s, minlength=m + 1)
        both = int((present[0] & present[1]).sum()) if m == 2 else 0
        return cls(m, n, tuple(int(x) for x in present.sum(axis=1)), tuple(int(x) for x in hist), both)

    def __add__(self, other: "BinaryCounts") -> "BinaryCounts":
        if self.n_coders != other.n_coders:
            raise ValueError("cannot pool counts of different numbers of coders")
        return BinaryCounts(
            self.n_coders,
            self.n_units + other.n_units,
            tuple(a + b for a, b in zip(self.per_coder, other.per_coder)),
            tuple(a + b for a, b in zip(self.hist, other.hist)),
            self.both + other.both,
        )

    def shares(self) -> tuple[float, ...]:
        """Each coder's share of units coded."""
        return tuple(c / self.n_units if self.n_units else 0.0 for c in self.per_coder)


@dataclass(frozen=True)
class BinaryCoefficients:
    """Agreement, kappa, alpha and AC1 for one code; None (with a reason in ``undefined``) when 0/0."""

    agreement: float | None
    kappa: float | None
    alpha: float | None
    ac1: float | None
    kappa_name: str
    undefined: dict  # coefficient -> reason


def coefficients(c: BinaryCounts) -> BinaryCoefficients:
    """The coefficients of :class:`BinaryCounts` (formulas in the module docstring)."""
    m, n_units = c.n_coders, c.n_units
    kappa_name = "Cohen's kappa" if m == 2 else "Fleiss' kappa"
    undefined: dict[str, str] = {}
    if n_units == 0 or m < 2:
        reason = "no units to compare" if n_units == 0 else "fewer than two coders"
        return BinaryCoefficients(None, None, None, None, kappa_name,
                                  {k: reason for k in ("agreement", "kappa", "alpha", "ac1")})
    s = np.arange(m + 1, dtype=float)
    h = np.asarray(c.hist, dtype=float)
    agree_u = (s * (s - 1) + (m - s) * (m - s - 1)) / (m * (m - 1))
    p_a = float(h @ agree_u / n_units)
    n1 = float(h @ s)
    pi = n1 / (n_units * m)
    if m == 2:
        pa_, pb_ = c.per_coder[0] / n_units, c.per_coder[1] / n_units
        p_e = pa_ * pb_ + (1 - pa_) * (1 - pb_)
    else:
        p_e = pi**2 + (1 - pi) ** 2
    if abs(p_e - 1.0) <= _EPS:
        kappa = None
        undefined["kappa"] = (f"{kappa_name} is undefined: chance agreement is 1 because every unit is "
                              + ("coded" if pi > 0.5 else "uncoded") + " by every coder")
    else:
        kappa = (p_a - p_e) / (1 - p_e)
    p_e1 = 2 * pi * (1 - pi)
    ac1 = (p_a - p_e1) / (1 - p_e1)
    n = float(n_units * m)
    n0 = n - n1
    o01 = float(h @ (s * (m - s))) / (m - 1)
    d_e = 2 * n0 * n1 / (n * (n - 1)) if n > 1 else 0.0
    if d_e == 0:
        alpha = None
        undefined["alpha"] = ("Krippendorff's alpha is undefined: every value is "
                              + ("'coded'" if n1 else "'not coded'") + ", so expected disagreement is 0")
    else:
        alpha = 1 - (2 * o01 / n) / d_e
    return BinaryCoefficients(p_a, kappa, alpha, ac1, kappa_name, undefined)


def bootstrap_interval(
    c: BinaryCounts,
    *,
    confidence: float = 0.95,
    n_resamples: int = 10_000,
    seed: int | None = None,
) -> tuple[float, float]:
    """The bootstrap interval of alpha for present/absent data, from the counts alone.

    The same algorithm, random draws and result as
    :func:`qualcode.reliability.bootstrap.alpha_bootstrap` on the full matrix (Hayes &
    Krippendorff 2007: M = N m(m − 1)/2 pairs per resample, drawn from the coincidence cells
    (0,0), (0,1), (1,1); resamples with no variation count as 0; values below −1 are set to −1),
    without building the coders x units matrix. Each resample's multinomial counts are drawn as
    two binomials, which has the same distribution as the general function's draws but not the
    same random stream. Call it only when alpha is defined.
    """
    m, n_units = c.n_coders, c.n_units
    s = np.arange(m + 1, dtype=float)
    h = np.asarray(c.hist, dtype=float)
    o00 = float(h @ ((m - s) * (m - s - 1))) / (m - 1)
    o01 = float(h @ (s * (m - s))) / (m - 1)
    o11 = float(h @ (s * (s - 1))) / (m - 1)
    n = o00 + 2 * o01 + o11
    n1 = o11 + o01
    d_e = 2 * (n - n1) * n1 / (n * (n - 1))
    probs = np.clip(np.array([o00, 2.0 * o01, o11]) / n, 0.0, None)
    probs /= probs.sum()
    n_draws = n_units * m * (m - 1) // 2
    rng = np.random.default_rng(seed)
    # multinomial(M, probs) per resample, drawn as two vectorised binomials (the same distribution)
    c00 = rng.binomial(n_draws, probs[0], size=n_resamples)
    rest = 1.0 - probs[0]
    p01 = min(1.0, probs[1] / rest) if rest > 0 else 0.0
    c01 = rng.binomial(n_draws - c00, p01)
    c11 = n_draws - c00 - c01
    samples = 1.0 - (c01 / n_draws) / d_e
    samples[(c00 == n_draws) | (c11 == n_draws)] = 0.0
    samples = np.maximum(samples, -1.0)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(samples, [tail, 1.0 - tail])
    return float(low), float(high)
