"""Start-up of the everyday commands next to `qualcode check` (issue 18, item 2).

    python benchmarks/bench_startup.py [--transcripts 100] [--codings 20000] [--rounds 5] [--folder /tmp/qc-startup]

Each command runs as a user runs it (a fresh `python -m qualcode` process, warm cache), on the
bundled study and on a generated project; the commands are interleaved round by round, so a busy
machine slows them alike, and each is also given as a ratio to `check` in the same rounds. Beside
each figure: the load average and the machine. Then, from `python -X importtime`, which heavy
libraries (pandas, numpy, spaCy, scikit-learn, matplotlib, python-docx, openpyxl, textual) each
command imports, with their import time. Last, the first command after copying the project with
`cp -r` (which gives every file a new modification time) against the next ones.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

HEAVY = ("pandas", "numpy", "spacy", "sklearn", "matplotlib", "docx", "openpyxl", "textual")
COMMANDS = [
    ("check", ["check"]),
    ("stats", ["stats"]),
    ("code list", ["code", "list"]),
    ("table frequencies", ["table", "frequencies"]),
    ("table retrieve", ["table", "retrieve", "outcomes.matter"]),
]


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def qc(project: Path, coder: str, args: list[str], *extra: str) -> list[str]:
    return [sys.executable, *extra, "-m", "qualcode", "--project", str(project), "--coder", coder, *args]


def wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # check exits 1 with findings
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-400:]}")
    return took


def heavy_imports(cmd: list[str]) -> str:
    """The heavy top-level libraries the command imported, with their cumulative import time."""
    proc = subprocess.run(cmd, capture_output=True, text=True)
    found = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        name = name.strip()
        if name in HEAVY:
            found[name] = int(cumulative) / 1e6
    return ", ".join(f"{k} {v:.2f} s" for k, v in found.items()) or "none"


def bench(label: str, project: Path, coder: str, rounds: int) -> None:
    print(f"\n{label}: {project}  ({machine()}; {load()} before)")
    for _, args in COMMANDS:  # warm the .qualcode/ cache and the OS file cache first
        wall(qc(project, coder, args))
    times: dict[str, list[float]] = {name: [] for name, _ in COMMANDS}
    for _ in range(rounds):
        for name, args in COMMANDS:
            times[name].append(wall(qc(project, coder, args)))
    check = times["check"]
    print(f"  {'command':<20} {'median':>8} {'best':>8} {'x check':>8}  heavy imports (-X importtime)")
    for name, args in COMMANDS:
        t = times[name]
        ratio = statistics.median(a / b for a, b in zip(t, check))
        print(f"  {name:<20} {statistics.median(t):>7.3f}s {min(t):>7.3f}s {ratio:>8.2f}  "
              f"{heavy_imports(qc(project, coder, args, '-X', 'importtime'))}")
    print(f"  ({rounds} interleaved rounds; {load()} after)")


def main() -> None:
    from generate import add_project_args, ensure_project

    ap = argparse.ArgumentParser()
    add_project_args(ap, "/tmp/qc-startup", 100, 5000, 20_000)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    bench("bundled study", REPO, "researcher_a", a.rounds)
    folder = ensure_project(a)
    bench(f"generated, {a.transcripts} transcripts, {a.codings} codings", folder, "coder_1", a.rounds)
    after_copy(folder)


def after_copy(folder: Path) -> None:
    """The first command in a copy made with `cp -r` (new modification times, the same bytes)."""
    import shutil

    copy = folder.with_name(folder.name + "-copy")
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["cp", "-r", str(folder), str(copy)], check=True)
    runs = [wall(qc(copy, "coder_1", ["stats"])) for _ in range(3)]
    print(f"\n`cp -r` of the generated project, then `qualcode stats` three times: "
          f"{', '.join(f'{t:.3f}s' for t in runs)}  ({load()}; {machine()})")
    shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
