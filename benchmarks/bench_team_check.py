"""The workbench's check for others' work (`sync.incoming`: git fetch + log of the journals and the
codebook) on bench_sync's project: 1,000 transcripts, 10 journals of 20,000 codings, a local bare
remote. Prints the time of one check when 300 operations arrived (a notice), and of one with nothing
new (what runs every `[team] check_minutes`). Everything lives in a temporary folder, removed after.

    .venv/bin/python benchmarks/bench_team_check.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import load, measured  # noqa: E402
from bench_sync import CODERS, CODINGS, QC, TRANSCRIPTS, append, lines, run, second_machine, shared_project  # noqa: E402

from qualcode.services.sync import incoming  # noqa: E402


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-check-"))
    try:
        a = shared_project(tmp)
        b = second_machine(tmp)
        append(a / "codings" / "coder0.jsonl", lines("coder0", CODINGS, 300, "a0y"))
        run(a, *QC, "--coder", "coder0", "sync")
        t0 = time.perf_counter()
        news = incoming(b, "codings", "codebooks/codebook.yaml")
        arrived = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = incoming(b, "codings", "codebooks/codebook.yaml")
        quiet = time.perf_counter() - t0
        print(f"project: {TRANSCRIPTS} transcripts, {CODERS} journals x {CODINGS:,} codings, a local bare remote")
        print(f"check when 300 operations arrived (fetch + log): {arrived:.3f} s ({load()}) -> {news.words() if news else None}")
        print(f"check again, the same head (nothing to fetch): {quiet:.3f} s ({load()})")
        assert news is not None and again is not None and again.head == news.head
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    with measured("bench_team_check"):
        main()
