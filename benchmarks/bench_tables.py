"""Analysis tables on a generated project of 1,000 transcripts (5 million words), 200,000 codings
(issue 18: 3,000 transcripts and 600,000 codings, --transcripts 3000 --codings 600000).

    python benchmarks/bench_tables.py [--folder /tmp/qc-bench-tables] [--transcripts 1000] [--codings 200000] [--repeat 3]

Generates the project if the folder does not hold one (benchmarks/generate.py), opens it and
reads every coding (timed apart: that is the store's work), reads (or makes, the first time) the
turn cache (timed apart), then times each table function: "cold" is its first call with nothing
in memory (the codings frame and word counts built, the turn cache read from its file,
transcripts loaded where the table needs them); "warm" is the best of --repeat calls after it. Each is shown as
wall time and as this process's CPU time (which other work on the machine does not inflate).
Target (issue 7): every table function within 2 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_project  # noqa: E402


def cases() -> list[tuple[str, object]]:
    from qualcode import analysis as a

    return [
        ("frequencies", lambda p: a.frequencies(p)),
        ("frequencies, 2 coders apart", lambda p: a.frequencies(p, coders=p.coders())),
        ("case_matrix presence", lambda p: a.case_matrix(p)),
        ("case_matrix counts", lambda p: a.case_matrix(p, value="counts")),
        ("case_matrix words", lambda p: a.case_matrix(p, value="words")),
        ("framework_matrix (2 quotes)", lambda p: a.framework_matrix(p)),
        ("crosstab recruitment x attr:region", lambda p: a.crosstab(p, "recruitment", "attr:region")),
        ("crosstab ... by codings", lambda p: a.crosstab(p, "recruitment", "attr:region", by="codings")),
        ("crosstab ... by words", lambda p: a.crosstab(p, "recruitment", "attr:region", by="words")),
        ("crosstab statutory x outcomes", lambda p: a.crosstab(p, "statutory.framework", "outcomes")),
        ("crosstab statutory x outcomes codings", lambda p: a.crosstab(p, "statutory.framework", "outcomes",
                                                                       by="codings")),
        ("cooccurrence overlap", lambda p: a.cooccurrence(p)),
        ("cooccurrence turn", lambda p: a.cooccurrence(p, mode="turn")),
        ("retrieve outcomes.matter", lambda p: a.retrieve(p, "outcomes.matter")),
        ("retrieve recruitment (+children)", lambda p: a.retrieve(p, "recruitment")),
        ("standard_tables", lambda p: a.standard_tables(p)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", default="/tmp/qc-bench-tables")
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folder = Path(args.folder)
    if not (folder / "qualcode.toml").exists():
        t0 = time.perf_counter()
        make_project(folder, transcripts=args.transcripts, words_per_transcript=5000, codings=args.codings,
                     coders=2, seed=0)
        print(f"generated {folder} in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    import pandas  # noqa: F401

    from qualcode.analysis import data
    from qualcode.store.project import Project
    print(f"import pandas + qualcode.analysis: {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    project = Project.open(folder, search=False)
    # every coding read (the store may load a coder's codings per transcript, on first use)
    n = sum(sum(1 for _ in project.codings(c)) for c in project.coders())
    print(f"open project + load every coding ({len(project.index)} transcripts, {n:,} codings): "
          f"{time.perf_counter() - t0:.2f} s (the store's work, not counted below)")
    from qualcode.analysis import turns

    had = (project.cache_dir / turns.FILE).exists()
    t0 = time.perf_counter()
    turns.turn_table(project).many(project.index.ids())
    print(f"turn cache ({project.cache_dir / turns.FILE}): {time.perf_counter() - t0:.2f} s "
          + ("(read: made by an earlier run)" if had else "(made: every transcript read once, the first time ever)"))
    print(f"\n{'table':40s} {'cold':>7s} {'(cpu)':>7s} {'warm':>7s} {'(cpu)':>7s} {'shape':>10s}")
    worst = worst_cpu = 0.0
    for name, fn in cases():
        data._cache.clear()
        turns._tables.clear()
        project.index._loaded.clear()
        (cold, cold_cpu), df = _timed(fn, project)
        warm, warm_cpu = min(_timed(fn, project)[0] for _ in range(args.repeat))
        shape = "x".join(map(str, df.shape)) if hasattr(df, "shape") else f"{len(df)} tables"
        worst, worst_cpu = max(worst, cold), max(worst_cpu, cold_cpu)
        print(f"{name:40s} {cold:6.2f}s {cold_cpu:6.2f}s {warm:6.2f}s {warm_cpu:6.2f}s {shape:>10s}")
    print(f"\nslowest cold call: {worst:.2f} s wall, {worst_cpu:.2f} s CPU (target: 2 s); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time grows with other work)")


def _timed(fn, project):
    t0, c0 = time.perf_counter(), time.process_time()
    df = fn(project)
    return (time.perf_counter() - t0, time.process_time() - c0), df


if __name__ == "__main__":
    main()
