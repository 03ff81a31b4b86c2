"""Foundation figures on a generated project of 1,000 transcripts (5 million words), 200,000 codings.

    python benchmarks/bench_store.py [--folder /tmp/qc-bench] [--transcripts 1000] [--codings 200000]

Prints: time and peak memory to open the project (codebook, transcript index, every coder's
codings counted), cold (no cache) and warm, and warm with every coding made (each transcript's codings
read from the cached state); `qualcode code add` as a command (best of 3, and its memory); the time to
add one coding in a session (fsync included) as median and 99th percentile over 1,000 adds; and the
wall time of `qualcode check` as a command. The machine and the load average are printed beside.
Targets (issue 2): open within 1.5 s; add within 10 ms at p99; check within 10 s. Issue 18 at 3,000
transcripts / 600,000 codings: warm open at most 1.0 s, `qualcode code add` at most 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import add_project_args, ensure_project  # noqa: E402
from machine import load, measured  # noqa: E402


def open_all(folder: Path, every: bool = False) -> tuple[float, int]:
    """Open the project and count every coder's codings (``every``: make every coding, too)."""
    from qualcode.store.project import Project

    t0 = time.perf_counter()
    p = Project.open(folder, search=False)
    p.codebook  # noqa: B018
    if every:
        n = sum(sum(1 for _ in p.codings(c)) for c in p.coders())
    else:
        n = sum(len(p.codings(c)) for c in p.coders())
    return time.perf_counter() - t0, n


def _opened(folder: Path, every: bool = False) -> tuple[float, int, float]:
    """``open_all`` in a fresh interpreter, as a user starting qualcode would: (s, codings, peak MB)."""
    code = ("import resource, sys; sys.path.insert(0, %r); from bench_store import open_all; "
            "from pathlib import Path; t, n = open_all(Path(%r), %r); "
            "print(t, n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)") % (
                str(Path(__file__).parent), str(folder), every)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]), float(out[2])


def _cli_add(folder: Path, coder: str, start: int) -> tuple[float, float]:
    """`qualcode code add` as a command: (wall s, its peak MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "qualcode", "--project", str(folder), "--coder", coder, "code",
                             "add", "t0000", "outcomes.matter", "--start", str(start), "--end", str(start + 50)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t0
    if status:
        raise SystemExit(f"qualcode code add failed: {proc.stderr.read().decode().strip()}")
    proc.returncode = 0
    return took, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    add_project_args(ap, "/tmp/qc-bench", 1000, 5000, 200_000)
    a = ap.parse_args()
    folder = ensure_project(a)
    with measured("bench_store"):
        _figures(folder)


def _figures(folder: Path) -> None:
    shutil.rmtree(folder / ".qualcode", ignore_errors=True)
    t, n, mb = _opened(folder)
    print(f"open project, cold (parse every transcript, build cache): {t:.2f} s, {mb:.0f} MB ({n} codings replayed)"
          f"  ({load()})")
    warm = [_opened(folder) for _ in range(3)]
    best = min(warm)
    print(f"open project, warm (codebook + index + every coder's codings): {best[0]:.2f} s, {best[2]:.0f} MB "
          f"(best of 3; runs: {', '.join(f'{w[0]:.2f}' for w in warm)})  target 1.0 s  ({load()})")
    t, n, mb = _opened(folder, every=True)
    print(f"open project, warm, every one of the {n} codings made: {t:.2f} s, {mb:.0f} MB  ({load()})")
    # a coder with the largest journal (a copy of it: the project's own journals stay as generated)
    big = max(folder.glob("codings/*.jsonl"), key=lambda j: j.stat().st_size)
    shutil.copy(big, folder / "codings" / "bench_cli.jsonl")
    try:
        _opened(folder)  # its state is built once, as any first command after a copy would
        adds = [_cli_add(folder, "bench_cli", 1000 + 7 * i) for i in range(3)]
    finally:
        _remove_coder(folder, "bench_cli")
    print(f"qualcode code add (a command, coder with {big.stat().st_size >> 20} MB of journal): "
          f"{min(a[0] for a in adds):.2f} s (best of 3; runs: "
          f"{', '.join(f'{a[0]:.2f}' for a in adds)}), {max(a[1] for a in adds):.0f} MB  target 0.3 s  ({load()})")

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
        _remove_coder(folder, "bench_adder")
    times.sort()
    print(f"add one coding (fsync included), 1000 adds: median {statistics.median(times) * 1000:.2f} ms, "
          f"p99 {times[989] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms  target p99 10 ms")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "qualcode", "check", "--project", str(folder)],
                          capture_output=True, text=True)
    print(f"qualcode check: {time.perf_counter() - t0:.2f} s (exit {proc.returncode}: {proc.stdout.strip().splitlines()[-1]})"
          f"  target 10 s  ({load()})")


def _remove_coder(folder: Path, coder: str) -> None:
    """The benchmark's coder leaves nothing behind: journal, lock file, cached state."""
    state = folder / ".qualcode" / "journals"
    for leftover in (folder / "codings" / f"{coder}.jsonl", folder / "codings" / f"{coder}.lock",
                     state / f"{coder}.state", *state.glob(f"{coder}.pack-*")):
        leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    from machine import measured

    with measured("bench_store"):
        main()
