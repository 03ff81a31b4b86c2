"""Export figures: the full Word report of the bundled study, and of a generated large project.

    python benchmarks/bench_export.py [--folder /tmp/qc-export-bench] [--transcripts 1000] [--codings 200000]
                                      [--skip-large] [--reuse]

Prints, for each project, the wall time of `qualcode export docx` run as a command (a fresh
process: imports, opening the project, analysis tables, agreement, charts, Word), the same without
the agreement table (`--no-agreement`), and the time of `qualcode export xlsx`.
Targets (issue 7): the bundled study's report within 3 s; the large project's within 30 s.
The bundled study is copied to a temporary folder, so the repository's exports/ is untouched.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import copy_study  # noqa: E402


def qualcode(folder: Path, *args: str) -> float:
    """Wall time of one `qualcode` command in a fresh process (it must succeed)."""
    return run(folder, *args)[0]


def run(folder: Path, *args: str) -> tuple[float, float, float]:
    """(wall s, CPU s, peak resident MB) of one `qualcode` command in a fresh process (it must
    succeed); the CPU time and the peak are that process's own (``os.wait4``), as /usr/bin/time says."""
    import os

    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", "from qualcode.cli.main import main; main()",
                                 "--project", str(folder), *args], stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        took = time.perf_counter() - t0
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"qualcode {' '.join(args)} failed ({proc.returncode}):\n{err.read().decode()}")
    return took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def figures(label: str, folder: Path, target: float, runs: int) -> None:
    out = folder / "exports"
    full = min(qualcode(folder, "export", "docx", "-q", "-o", str(out / "report.docx")) for _ in range(runs))
    lean = min(qualcode(folder, "export", "docx", "-q", "--no-agreement", "-o", str(out / "lean.docx"))
               for _ in range(runs))
    xlsx = min(qualcode(folder, "export", "xlsx", "-q", "-o", str(out / "tables.xlsx")) for _ in range(runs))
    size = (out / "report.docx").stat().st_size / 1e6
    verdict = "ok" if full <= target else f"OVER the {target:.0f} s target"
    print(f"{label}:")
    print(f"  export docx (full report)      {full:6.2f} s   ({size:.1f} MB)  target {target:.0f} s: {verdict}")
    print(f"  export docx --no-agreement     {lean:6.2f} s")
    print(f"  export xlsx                    {xlsx:6.2f} s")


def options(doc: str, folder: str) -> argparse.ArgumentParser:
    """The options every export benchmark takes."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", default=folder)
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3, help="Best of N for the bundled study (1 for the large one).")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="Use the generated project in --folder if it is there.")
    return ap


def each_project(a, figures_of) -> None:
    """``figures_of(label, folder, target, runs)`` for the bundled study (a copy), then for the
    generated large project (made unless --reuse finds it, or skipped with --skip-large)."""
    with tempfile.TemporaryDirectory() as tmp:
        study = copy_study(Path(tmp) / "lsp-study")
        qualcode(study, "stats")  # builds the transcript cache, as a researcher's first command would
        figures_of("bundled study (9 transcripts)", study, 3.0, a.runs)
    if a.skip_large:
        return
    folder = Path(a.folder)
    if not (a.reuse and (folder / "qualcode.toml").exists()):
        from generate import make_project

        t0 = time.perf_counter()
        make_project(folder, transcripts=a.transcripts, words_per_transcript=5000, codings=a.codings, coders=2, seed=0)
        print(f"(generated {folder} in {time.perf_counter() - t0:.1f} s)")
    qualcode(folder, "stats")  # warm the transcript index, as above
    figures_of(f"generated project ({a.transcripts:,} transcripts, {a.codings:,} codings)", folder, 30.0, 1)


def main() -> None:
    each_project(options(__doc__, "/tmp/qc-export-bench").parse_args(), figures)


if __name__ == "__main__":
    from machine import measured

    with measured("bench_export"):
        main()
