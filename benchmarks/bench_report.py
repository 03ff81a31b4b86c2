"""Report figures for issue 14: the default Word report (key findings, provenance, memos, the
codebook appendix) of the bundled study and of a generated project of 1,000 transcripts.

    python benchmarks/bench_report.py [--folder /tmp/qc-report-bench] [--transcripts 1000]
                                      [--codings 200000] [--skip-large] [--reuse] [--pdf]

Prints the wall time of `qualcode export docx` run as a command (a fresh process: imports, opening
the project, key tables and their charts, methods with spoken words, agreement, tables, coded
material, memos, codebook, provenance, Word), best of --runs for the bundled study. Targets: 3 s on
the bundled study, 30 s on 1,000 transcripts. With --pdf, the time of `qualcode export pdf` too
(LibreOffice's own start and layout; informational, no target).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_export import qualcode  # noqa: E402
from generate import copy_study, make_project  # noqa: E402


def timed(folder: Path, *args: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one command: the CPU time (user + system) says what the report costs
    when other processes share the machine and stretch the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = qualcode(folder, *args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def figures(label: str, folder: Path, target: float, runs: int, pdf: bool) -> None:
    out = folder / "exports"
    took, cpu = min(timed(folder, "export", "docx", "-q", "-o", str(out / "report.docx")) for _ in range(runs))
    size = (out / "report.docx").stat().st_size / 1e6
    verdict = "ok" if took <= target else f"OVER the {target:.0f} s target"
    print(f"{label}:  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  export docx (default report)   {took:6.2f} s wall, {cpu:5.2f} s CPU   ({size:.1f} MB)  "
          f"target {target:.0f} s: {verdict}")
    if pdf:
        if shutil.which("soffice") is None:
            print("  export pdf                    (LibreOffice not installed)")
        else:
            t = qualcode(folder, "export", "pdf", "-q", "-o", str(out / "report.pdf"))
            print(f"  export pdf (with LibreOffice)  {t:6.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", default="/tmp/qc-report-bench")
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3, help="Best of N for the bundled study (1 for the large one).")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="Use the generated project in --folder if it is there.")
    ap.add_argument("--pdf", action="store_true", help="Also time `qualcode export pdf`.")
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        study = copy_study(Path(tmp) / "lsp-study")
        qualcode(study, "stats")  # builds the transcript cache, as a researcher's first command would
        figures("bundled study (9 transcripts)", study, 3.0, a.runs, a.pdf)

    if a.skip_large:
        return
    folder = Path(a.folder)
    if not (a.reuse and (folder / "qualcode.toml").exists()):
        t0 = time.perf_counter()
        make_project(folder, transcripts=a.transcripts, words_per_transcript=5000, codings=a.codings, coders=2, seed=0)
        print(f"(generated {folder} in {time.perf_counter() - t0:.1f} s)")
    qualcode(folder, "stats")  # warm the transcript index, as above
    figures(f"generated project ({a.transcripts:,} transcripts, {a.codings:,} codings)", folder, 30.0, 1, a.pdf)


if __name__ == "__main__":
    main()
