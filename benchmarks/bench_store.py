"""Foundation figures on a generated project of 1,000 transcripts (5 million words), 200,000 codings.

    python benchmarks/bench_store.py [--folder /tmp/qc-bench] [--transcripts 1000] [--codings 200000]

Prints: time to open the project (codebook, transcript index, every journal replayed), cold (no
cache) and warm; the time to add one coding (fsync included) as median and 99th percentile over
1,000 adds; and the wall time of `qualcode check` as a command.
Targets (issue 2): open within 1.5 s; add within 10 ms at p99; check within 10 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import add_project_args, ensure_project  # noqa: E402


def open_all(folder: Path) -> tuple[float, int]:
    from qualcode.store.project import Project

    t0 = time.perf_counter()
    p = Project.open(folder, search=False)
    p.codebook  # noqa: B018
    n = sum(len(p.codings(c)) for c in p.coders())
    return time.perf_counter() - t0, n


def main() -> None:
    ap = argparse.ArgumentParser()
    add_project_args(ap, "/tmp/qc-bench", 1000, 5000, 200_000)
    a = ap.parse_args()
    folder = ensure_project(a)
    shutil.rmtree(folder / ".qualcode", ignore_errors=True)
    # each open in a fresh interpreter, as a user starting qualcode would
    code = ("import sys, time; sys.path.insert(0, %r); from bench_store import open_all; "
            "from pathlib import Path; t, n = open_all(Path(%r)); print(t, n)") % (str(Path(__file__).parent), str(folder))
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    warm = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(3)]
    print(f"open project, cold (parse every transcript, build cache): {float(cold[0]):.2f} s ({cold[1]} codings replayed)")
    print(f"open project, warm (codebook + index + all journals):    {min(float(w[0]) for w in warm):.2f} s "
          f"(best of 3; runs: {', '.join(f'{float(w[0]):.2f}' for w in warm)})  target 1.5 s")

    from qualcode.store.project import Project

    p = Project.open(folder, search=False)
    session = p.session("bench_adder")
    tid = p.index.ids()[0]
    n_chars = len(p.transcript(tid).text)
    # 1,000 distinct spans (an exact duplicate would be refused), chosen before the clock starts
    spans = list(dict.fromkeys(((i * 37) % (n_chars - 90), 40 + i % 41) for i in range(2000)))[:1000]
    times = []
    try:
        for s, n in spans:
            t0 = time.perf_counter()
            session.add(tid, s, s + n, "outcomes.matter")
            times.append(time.perf_counter() - t0)
    finally:
        p.close()
        # the benchmark's coder leaves nothing behind: journal, lock file, replay snapshot
        for leftover in (folder / "codings" / "bench_adder.jsonl", folder / "codings" / "bench_adder.lock",
                         folder / ".qualcode" / "journals" / "bench_adder.snap"):
            leftover.unlink(missing_ok=True)
    times.sort()
    print(f"add one coding (fsync included), 1000 adds: median {statistics.median(times) * 1000:.2f} ms, "
          f"p99 {times[989] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms  target p99 10 ms")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "qualcode", "check", "--project", str(folder)],
                          capture_output=True, text=True)
    print(f"qualcode check: {time.perf_counter() - t0:.2f} s (exit {proc.returncode}: {proc.stdout.strip().splitlines()[-1]})  target 10 s")


if __name__ == "__main__":
    main()
