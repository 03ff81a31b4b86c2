"""The long fuzz run: N seeded mutants per format through every importer and the journal reader.

    nice -n 19 .venv/bin/python benchmarks/fuzz_formats.py            # 10,000 per format
    .venv/bin/python benchmarks/fuzz_formats.py --count 200 --formats text,docx

Prints, per format: mutants run, accepted, refused with a clear message (QualcodeError),
tracebacks (anything else: each is printed with its seed and mutant number, reproducible with
tests/fuzz/harness.py), and the slowest mutant. The bar: 0 tracebacks, none over 10 s.
``os.sync`` is a no-op during the run (import-project calls it once per import for durability,
which measures the disk, not the parser). A watchdog stops the run if one mutant passes 120 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

import harness  # noqa: E402

LIMIT_S = 10.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--formats", default=",".join(harness.RUNNERS))
    args = ap.parse_args()
    os.sync = lambda: None  # see the module docstring
    started = [time.perf_counter(), ""]

    def watchdog() -> None:
        while True:
            time.sleep(5)
            if started[1] and time.perf_counter() - started[0] > 120:
                print(f"HANG: {started[1]} passed 120 s", flush=True)
                os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()
    total_tb = 0
    slow = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seeds = harness.seeds(work)
        print(f"{'format':9} {'mutants':>8} {'accepted':>9} {'refused':>8} {'tracebacks':>10} {'slowest s':>10}  wall s",
              flush=True)
        for fmt in args.formats.split(","):
            t0 = time.perf_counter()
            out = harness.Outcome(fmt)
            chunk = 250
            for first in range(0, args.count, chunk):  # chunks keep the watchdog's clock honest
                started[:] = [time.perf_counter(), f"{fmt} mutants {first}-{first + chunk - 1}"]
                part = harness.run(fmt, seeds[fmt], min(chunk, args.count - first), work, start=first)
                out.runs += part.runs
                out.accepted += part.accepted
                out.refused += part.refused
                out.tracebacks += part.tracebacks
                slow += part.over(LIMIT_S)
                if part.slowest > out.slowest:
                    out.slowest, out.slowest_case = part.slowest, part.slowest_case
            started[1] = ""
            total_tb += len(out.tracebacks)
            print(f"{fmt:9} {out.runs:8,} {out.accepted:9,} {out.refused:8,} {len(out.tracebacks):10} "
                  f"{out.slowest:10.2f}  {time.perf_counter() - t0:6.0f}   ({out.slowest_case})", flush=True)
            for tb in out.tracebacks[:5]:
                print(tb, flush=True)
    print(f"total: {total_tb} traceback(s), {slow} mutant(s) over {LIMIT_S:g} s")
    return 1 if total_tb or slow else 0


if __name__ == "__main__":
    with measured("fuzz_formats"):
        rc = main()
    sys.exit(rc)
