"""Benchmark: `qualcode agree --matrix` on a 2 coders x 5,000,000 units CSV (values 1..5, 10% missing
per coder), as a user runs it: wall time and peak resident memory of the whole command.

Run:  .venv/bin/python benchmarks/bench_reliability_matrix.py [UNITS]
Budget (issue 13): <= 15 s and <= 1 GB peak RSS. Uses /usr/bin/time -v when it exists (else
resource.getrusage of the child). The CSV is written to a temporary folder and deleted.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = 13
UNITS = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
TIME_BUDGET_S, MEMORY_BUDGET_MB = 15.0, 1024.0


def write_matrix(path: Path) -> None:
    rng = np.random.default_rng(SEED)
    truth = rng.integers(1, 6, UNITS)
    with path.open("w") as f:
        for _ in range(2):
            row = np.where(rng.random(UNITS) < 0.8, truth, rng.integers(1, 6, UNITS)).astype(str).astype(object)
            row[rng.random(UNITS) < 0.10] = ""
            f.write(",".join(row) + "\n")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "matrix.csv"
        write_matrix(path)
        size = path.stat().st_size / 1e6
        cmd = [sys.executable, "-m", "qualcode", "agree", "--matrix", str(path), "--resamples", "10000"]
        timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
        start = time.perf_counter()
        if timer:
            proc = subprocess.run([timer, "-v", *cmd], capture_output=True, text=True, cwd=ROOT)
            rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
        else:
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr)
        raise SystemExit(proc.returncode)
    alpha = next(line for line in proc.stdout.splitlines() if line.startswith("Krippendorff's alpha"))
    print(f"2 x {UNITS:,} units ({size:.0f} MB CSV): {seconds:.1f} s wall (budget {TIME_BUDGET_S:.0f} s), "
          f"peak RSS {rss_kb / 1024:.0f} MB (budget {MEMORY_BUDGET_MB:.0f} MB)")
    print(alpha)


if __name__ == "__main__":
    with measured("bench_reliability_matrix"):
        main()
