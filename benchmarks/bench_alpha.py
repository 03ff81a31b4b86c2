"""Benchmark: Krippendorff's alpha on 3 coders x 1,000,000 units, 12 categories, 10% missing.

Times qualcode's alpha (nominal and interval) and the ``krippendorff`` package's alpha on
the same data in the same run, and prints both times, their ratio, qualcode's peak memory
and the absolute difference between the two values (they must agree to 1e-9).

Run:  .venv/bin/python benchmarks/bench_alpha.py   (needs ``pip install krippendorff``)
Budget: each qualcode call <= 0.5 s and <= 300 MB peak.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
import tracemalloc
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.reliability import krippendorff_alpha  # noqa: E402

SEED = 20261125
CODERS, UNITS, CATEGORIES, MISSING, AGREEMENT = 3, 1_000_000, 12, 0.10, 0.70
TIME_BUDGET_S, MEMORY_BUDGET_MB = 0.5, 300.0
REPEATS = 5


def make_data() -> np.ndarray:
    """Coders x units float array, codes 1..12, NaN for missing (fixed seed)."""
    rng = np.random.default_rng(SEED)
    truth = rng.integers(1, CATEGORIES + 1, UNITS)
    data = np.tile(truth, (CODERS, 1)).astype(float)
    noise = rng.random((CODERS, UNITS)) > AGREEMENT
    data[noise] = rng.integers(1, CATEGORIES + 1, int(noise.sum()))
    data[rng.random((CODERS, UNITS)) < MISSING] = np.nan
    return data


def timed(func, repeats: int = REPEATS) -> tuple[float, float, float]:
    """(value, first-call seconds, best-of-repeats seconds)."""
    times = []
    value = None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - start)
    return value, times[0], min(times)


def peak_mb(func) -> float:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> int:
    try:
        import krippendorff
    except ImportError:
        print("the krippendorff package is not installed: pip install krippendorff")
        return 2
    data = make_data()
    present = ~np.isnan(data)
    print(
        f"data: {CODERS} coders x {UNITS:,} units, {CATEGORIES} categories, "
        f"{1 - present.mean():.1%} missing, seed {SEED}, input array {data.nbytes / 1e6:.0f} MB"
    )
    print(f"numpy {np.__version__}, krippendorff {version('krippendorff')}, Python {sys.version.split()[0]}")
    ok = True
    results = {}
    for level in ("nominal", "interval"):  # qualcode first, so its RSS is measured alone
        ours, first, best = timed(lambda: krippendorff_alpha(data, level))
        results[level] = (ours, first, best, peak_mb(lambda: krippendorff_alpha(data, level)))
    rss_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    rows = []
    for level in ("nominal", "interval"):
        ours, first, best, mem = results[level]
        theirs, k_first, k_best = timed(
            lambda: krippendorff.alpha(reliability_data=data, level_of_measurement=level), repeats=2
        )
        diff = abs(ours - theirs)
        within = first <= TIME_BUDGET_S and mem <= MEMORY_BUDGET_MB and diff <= 1e-9
        ok &= within
        rows.append((level, ours, theirs, diff, first, best, k_first, k_best, mem, within))
    for level, ours, theirs, diff, first, best, k_first, k_best, mem, within in rows:
        print(f"\n[{level}]")
        print(f"  qualcode alpha     = {ours:.12f}")
        print(f"  krippendorff alpha = {theirs:.12f}")
        print(f"  |difference|       = {diff:.3e}  ({'agree' if diff <= 1e-9 else 'DISAGREE'} to 1e-9)")
        print(f"  qualcode time      : first call {first:.3f} s, best of {REPEATS} {best:.3f} s")
        print(f"  krippendorff time  : first call {k_first:.3f} s, best of 2 {k_best:.3f} s")
        print(f"  ratio krippendorff/qualcode (best): {k_best / best:.1f}x")
        print(f"  qualcode peak memory (tracemalloc, beyond the input array): {mem:.1f} MB")
        print(f"  within budget ({TIME_BUDGET_S} s, {MEMORY_BUDGET_MB:.0f} MB, 1e-9): {'yes' if within else 'NO'}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS after the qualcode runs (data generation included): {rss_ours:.0f} MB")
    print(f"process peak RSS after the krippendorff package runs: {rss:.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    with measured("bench_alpha"):
        rc = main()
    sys.exit(rc)
