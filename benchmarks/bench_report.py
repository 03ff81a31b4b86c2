"""Report figures (issues 14 and 18): the default Word report (key findings, methods, agreement,
tables, coded material, memos, the codebook appendix, provenance) of the bundled study and of a
generated project.

    python benchmarks/bench_report.py [--folder /tmp/qc-report-bench] [--transcripts 1000]
                                      [--codings 200000] [--skip-large] [--reuse] [--pdf] [--agreement]

Prints the wall time, CPU time and peak resident memory of `qualcode export docx` run as a command
(a fresh process: imports, opening the project, key tables and their charts, methods with spoken
words, agreement, tables, coded material, memos, codebook, provenance, Word), best of --runs for
the bundled study, with the load average beside it. Targets: 3 s on the bundled study; 30 s and
1 GB on the generated project (issue 18: --transcripts 3000 --codings 600000). Past 120 million
compared characters (docx_methods.AGREEMENT_BUDGET) the report leaves the agreement table out (it
says so); --agreement also times `export docx --agreement`, which computes it anyway.
With --pdf, the time of `qualcode export pdf` too (LibreOffice's own start and layout; no target).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_export import each_project, options, qualcode, run  # noqa: E402

MEMORY_TARGET_MB = 1024


def figures(label: str, folder: Path, target: float, runs: int, pdf: bool, agreement: bool) -> None:
    out = folder / "exports"
    took, cpu, peak = min(run(folder, "export", "docx", "-q", "-o", str(out / "report.docx")) for _ in range(runs))
    size = (out / "report.docx").stat().st_size / 1e6
    verdict = (f"wall {'ok' if took <= target else 'OVER'}, CPU {'ok' if cpu <= target else 'OVER'}"
               + (" (a loaded machine stretches the wall time; the CPU time is the cost)"
                  if cpu <= target < took else ""))
    memory = "ok" if peak <= MEMORY_TARGET_MB else "OVER"
    print(f"{label}:  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  export docx (default report)   {took:6.2f} s wall, {cpu:5.2f} s CPU, {peak:6.0f} MB peak  "
          f"({size:.1f} MB)  target {target:.0f} s: {verdict}; {MEMORY_TARGET_MB} MB: {memory}")
    if agreement:
        took, cpu, peak = run(folder, "export", "docx", "-q", "--agreement", "-o", str(out / "agreement.docx"))
        print(f"  export docx --agreement        {took:6.2f} s wall, {cpu:5.2f} s CPU, {peak:6.0f} MB peak  "
              f"(load average {os.getloadavg()[0]:.1f})")
    if pdf:
        if shutil.which("soffice") is None:
            print("  export pdf                    (LibreOffice not installed)")
        else:
            t = qualcode(folder, "export", "pdf", "-q", "-o", str(out / "report.pdf"))
            print(f"  export pdf (with LibreOffice)  {t:6.2f} s")


def main() -> None:
    ap = options(__doc__, "/tmp/qc-report-bench")
    ap.add_argument("--pdf", action="store_true", help="Also time `qualcode export pdf`.")
    ap.add_argument("--agreement", action="store_true", help="Also time `export docx --agreement`.")
    a = ap.parse_args()
    each_project(a, lambda label, folder, target, runs: figures(label, folder, target, runs, a.pdf, a.agreement))


if __name__ == "__main__":
    main()
