"""`qualcode sync` on a 1,000-transcript project with 10 coders' journals of 20,000 codings each,
against a local bare remote, when a few hundred operations arrived.

Machine A pushes 300 new operations in coder0's journal; machine B (its cache warm) has 100 of its
own in coder1's journal and 50 in coder0's (the same coder on two machines, so git runs qualcode's
journal driver). Prints the time of B's `qualcode sync` (commit, fetch, merge, push, report), and of
A's sync that pushed. Everything lives in a temporary folder, removed afterwards.

    .venv/bin/python benchmarks/bench_sync.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import load, measured  # noqa: E402

TRANSCRIPTS = 1000
CODERS = 10
CODINGS = 20_000
QC = [sys.executable, "-c", "from qualcode.cli.main import main; main()"]


def text(i: int) -> str:
    turns = []
    for t in range(20):
        who = "Interviewer" if t % 2 == 0 else "Respondent"
        turns.append(f"{who}: In meeting {i} we spoke about partnership number {t} and the funding that followed it.")
    return "\n\n".join(turns) + "\n"


def lines(coder: str, start: int, count: int, tag: str) -> str:
    out = []
    for n in range(start, start + count):
        at = f"2026-01-01T00:{n // 60000 % 60:02d}:{n // 1000 % 60:02d}.{n % 1000:03d}+00:00"
        s = (n * 7) % 1500
        coding = {"id": f"{tag}{n:010x}", "t": f"t{n % TRANSCRIPTS:04d}", "s": s, "e": s + 40, "code": "theme",
                  "coder": coder, "at": at[:19] + "+00:00"}
        out.append(json.dumps({"v": 1, "n": n + 1, "at": at, "op": "add", "coding": coding, "oid": f"{tag}{n:013x}"},
                              separators=(",", ":")))
    return "".join(line + "\n" for line in out)


def run(folder: Path, *args: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, cwd=folder, check=True, capture_output=True)
    return time.perf_counter() - t0


def append(path: Path, data: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(data)


def shared_project(tmp: Path) -> Path:
    """``tmp/a``: the generated project, shared (``qualcode share``) to the bare ``tmp/remote.git``."""
    run(tmp, "git", "init", "-q", "--bare", "remote.git")
    a = tmp / "a"
    run(tmp, *QC, "init", "--git", str(a))
    for i in range(TRANSCRIPTS):
        (a / "transcripts" / f"t{i:04d}.txt").write_text(text(i), encoding="utf-8")
    for c in range(CODERS):
        (a / "codings" / f"coder{c}.jsonl").write_text(lines(f"coder{c}", 0, CODINGS, f"c{c}x"), encoding="utf-8")
    run(a, "git", "config", "user.name", "bench-a")
    run(a, "git", "config", "user.email", "a@example.org")
    run(a, *QC, "share", str(tmp / "remote.git"))
    return a


def second_machine(tmp: Path) -> Path:
    """Machine B: a clone of the shared project's remote, with its own git identity."""
    run(tmp, "git", "clone", "-q", str(tmp / "remote.git"), "b")
    b = tmp / "b"
    run(b, "git", "config", "user.name", "bench-b")
    run(b, "git", "config", "user.email", "b@example.org")
    return b


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        a = shared_project(tmp)
        b = second_machine(tmp)
        run(a, *QC, "stats")
        warm = run(b, *QC, "stats")  # the clone's cache (.qualcode/) built once, as a coder's first command does
        append(a / "codings" / "coder0.jsonl", lines("coder0", CODINGS, 300, "a0y"))
        pushed = run(a, *QC, "--coder", "coder0", "sync")
        append(b / "codings" / "coder1.jsonl", lines("coder1", CODINGS, 100, "b1y"))
        append(b / "codings" / "coder0.jsonl", lines("coder0", CODINGS + 300, 50, "b0y"))
        t0 = time.perf_counter()
        out = subprocess.run([*QC, "--coder", "coder0", "sync"], cwd=b, check=True, capture_output=True, text=True).stdout
        took = time.perf_counter() - t0
        merged = (b / "codings" / "coder0.jsonl").read_bytes().count(b"\n")
        print(f"project: {TRANSCRIPTS} transcripts, {CODERS} journals x {CODINGS:,} codings; first command in the clone {warm:.2f} s")
        print(f"A's sync (300 operations out): {pushed:.2f} s ({load()})")
        print(f"B's sync (300 arrived, 150 out, coder0's journal merged by the driver to {merged:,} lines): {took:.2f} s ({load()})")
        print("B was told:\n" + "\n".join("  " + line for line in out.strip().splitlines()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    with measured("bench_sync"):
        main()
