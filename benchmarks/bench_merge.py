"""The journal merge driver on two histories of one coder's 200,000-line journal.

Both machines share 199,000 lines and each appended 500 of its own (the shape a sync meets), and
a second case where they share 100,000 lines and each appended 50,000 (two machines out of touch for
long). Prints the time of ``merge_files`` (what git's driver runs: read both, merge, write atomically)
and of the whole driver process (``python -m qualcode.store.merge``) with its start-up.

    .venv/bin/python benchmarks/bench_merge.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import load, measured  # noqa: E402

from qualcode.store.merge import merge_files

TOTAL = 200_000


def line(n: int, machine: str) -> str:
    ms = n  # increasing time, one line per millisecond
    at = f"2026-01-01T{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}+00:00"
    coding = {"id": f"{machine}{n:011x}", "t": f"t-{n % 1000}", "s": n % 5000, "e": n % 5000 + 80,
              "code": f"code.{n % 40}", "coder": "ana", "at": at[:19] + "+00:00",
              "quote": "we were told the plan was already written and the board signed it off", "th": "d1c3c16d30e00142"}
    return json.dumps({"v": 1, "n": n, "at": at, "op": "add", "coding": coding, "oid": f"{machine}{n:015x}"},
                      separators=(",", ":")) + "\n"


def case(folder: Path, shared: int) -> tuple[Path, Path, Path]:
    own = (TOTAL - shared) // 2
    common = "".join(line(n, "s") for n in range(shared))
    base = folder / "O"
    ours = folder / "A"
    theirs = folder / "B"
    base.write_text(common)
    ours.write_text(common + "".join(line(shared + n, "a") for n in range(own)))
    theirs.write_text(common + "".join(line(shared + n, "b") for n in range(own)))
    return base, ours, theirs


def main() -> None:
    for shared in (199_000, 100_000):
        with tempfile.TemporaryDirectory() as tmp:
            base, ours, theirs = case(Path(tmp), shared)
            size = ours.stat().st_size + theirs.stat().st_size
            keep = ours.read_bytes()
            best = float("inf")
            for _ in range(3):
                ours.write_bytes(keep)
                t0 = time.perf_counter()
                merge_files(base, ours, theirs)
                best = min(best, time.perf_counter() - t0)
            lines = ours.read_bytes().count(b"\n")
            ours.write_bytes(keep)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "qualcode.store.merge", "journal", str(base), str(ours), str(theirs)],
                           check=True)
            proc = time.perf_counter() - t0
            print(f"shared {shared:,} lines, {TOTAL - shared:,} new ({size / 1e6:.0f} MB in): merged {lines:,} lines "
                  f"in {best:.3f} s (best of 3); the driver process {proc:.3f} s ({load()})")


if __name__ == "__main__":
    with measured("bench_merge"):
        main()
