"""Benchmark: agreement over the bundled study, all codes, every unit, with the disagreements.

Opens the study (the repository root, read-only: a copy in a temporary folder, so nothing in the
repository changes), then times, for researcher_a against researcher_b: collecting the codings
once, and for each unit (characters, sentences, turns, transcripts, cases, unitizing) the full
report (per code and per transcript, 10,000 bootstrap resamples per alpha) and the list of
disagreements. Prints the time per unit and in total (budget: 1 s for all), best of REPEATS runs,
then the per-code alpha at sentence level and how many codes fall between 0.6 and 0.85.

Run:  .venv/bin/python benchmarks/bench_agreement.py

At scale:  .venv/bin/python benchmarks/bench_agreement.py --transcripts 3000 [--project DIR]
generates a project of that many transcripts of 5,000 words and 200 codings each, two coders
(benchmarks/generate.py, into DIR if it does not exist yet; a temporary folder without --project),
and prints the wall time and peak memory of `qualcode agree --coders coder_1,coder_2 --unit
sentence` (10,000 resamples), the same with --resamples 0 (what the Word report computes at that
size), both with the sentence cache cold (.qualcode/units.bin removed) and warm, and of `qualcode
export docx --agreement` (targets: 30 s and 1 GB), with the load average beside each figure.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualcode.reliability.disagreements import find_disagreements  # noqa: E402
from qualcode.reliability.report import agreement_report, fmt  # noqa: E402
from qualcode.reliability.units import collect  # noqa: E402
from qualcode.store.project import Project  # noqa: E402

CODERS = ["researcher_a", "researcher_b"]
UNITS = ["char", "sentence", "turn", "transcript", "case", "unitized"]
BUDGET_S = 1.0
REPEATS = 5


def copy_study(dest: Path) -> Path:
    for name in ("qualcode.toml", "cases.csv"):
        shutil.copy(ROOT / name, dest / name)
    for folder in ("codebooks", "transcripts", "codings"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("*.lock", "*.torn-*"))
    return dest


def run_all(project: Project) -> tuple[dict[str, float], dict]:
    times: dict[str, float] = {}
    reports = {}
    t0 = time.perf_counter()
    data = collect(project, CODERS)
    times["collect"] = time.perf_counter() - t0
    for unit in UNITS:
        t = time.perf_counter()
        report = agreement_report(project, CODERS, unit, data=data)
        found = find_disagreements(data, unit, report.units)
        times[unit] = time.perf_counter() - t
        reports[unit] = (report, found)
    times["total"] = time.perf_counter() - t0
    return times, reports


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.open(copy_study(Path(tmp)))
        for coder in CODERS:  # journals replayed and transcripts loaded once, as in a session
            project.codings(coder)
        for entry in project.index:
            project.transcript(entry.id)
        best: dict[str, float] = {}
        reports = {}
        for _ in range(REPEATS):
            times, reports = run_all(project)
            for k, v in times.items():
                best[k] = min(best.get(k, v), v)
        project.close()

    sentence, _ = reports["sentence"]
    print(f"Agreement on the bundled study: {' vs '.join(CODERS)}, {len(sentence.transcripts)} transcripts "
          f"compared ({', '.join(sentence.transcripts)}), {len(sentence.rows)} codes used")
    print(f"best of {REPEATS} runs; 10,000 bootstrap resamples per alpha\n")
    print(f"{'step':<12} {'seconds':>8}  units   disagreements  overall alpha")
    print(f"{'collect':<12} {best['collect']:8.3f}  (journals replayed and transcripts loaded beforehand)")
    for unit in UNITS:
        report, found = reports[unit]
        overall = report.overall[0]
        print(f"{unit:<12} {best[unit]:8.3f}  {report.n_units:>6,}  {len(found):>13}  {fmt(overall.alpha)}")
    verdict = "within" if best["total"] <= BUDGET_S else "OVER"
    print(f"{'total':<12} {best['total']:8.3f}  ({verdict} the {BUDGET_S:.0f} s budget)\n")

    print(f"Per-code Krippendorff's alpha at sentence level ({sentence.n_units:,} sentences):")
    print(f"{'code':<38} {'alpha':>7}  {'95% CI':<16} {'kappa':>6} {'AC1':>6}  assessment")
    alphas = []
    for r in sentence.rows:
        ci = f"{fmt(r.alpha_low)} to {fmt(r.alpha_high)}" if r.alpha_low is not None else ""
        alpha = fmt(r.alpha) if r.alpha is not None else "undef."
        print(f"{r.code:<38} {alpha:>7}  {ci:<16} {fmt(r.kappa):>6} {fmt(r.ac1):>6}  {r.assessment}")
        if r.alpha is not None:
            alphas.append(r.alpha)
    between = sum(0.6 <= a <= 0.85 for a in alphas)
    below = sum(a < 0.6 for a in alphas)
    above = sum(a > 0.85 for a in alphas)
    median = statistics.median(alphas)
    print(f"\n{between} of {len(alphas)} codes have 0.6 <= alpha <= 0.85 ({below} below 0.6, {above} above 0.85); "
          f"median {median:.3f}")
    for row in sentence.overall:
        print(f"{row.code}: alpha {fmt(row.alpha)}")


CLI = "import sys; from qualcode.cli.main import main; sys.argv[0] = 'qualcode'; main()"


def timed(args: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak resident KB, exit code) of one qualcode command run as a child process."""
    import os
    import subprocess

    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CLI, *args], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if child.returncode:
        print(f"  failed ({child.returncode}): {err.strip()[-500:]}")
    return time.perf_counter() - t0, usage.ru_maxrss, child.returncode


def at_scale(n: int, folder: str | None) -> None:
    import subprocess

    from machine import load

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(folder) if folder else Path(tmp) / f"agree-{n}"
        if not (root / "qualcode.toml").exists():
            print(f"generating {n} transcripts, {n * 200:,} codings into {root} ...", flush=True)
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(root), "--transcripts",
                            str(n), "--codings", str(n * 200)], check=True, stdout=subprocess.DEVNULL)
            subprocess.run([sys.executable, "-c", CLI, "--project", str(root), "check"],
                           cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
        agree = ["--project", str(root), "agree", "--coders", "coder_1,coder_2", "--unit", "sentence"]
        print(f"Agreement at {n:,} transcripts ({root}), sentences as units\n")
        print(f"{'command':<58} {'seconds':>8} {'peak MB':>8}  load")
        for label, args, cold in (
            ("agree (10,000 resamples), units cache cold", agree, True),
            ("agree (10,000 resamples), units cache warm", agree, False),
            ("agree --resamples 0 (the Word report's), cache warm", agree + ["--resamples", "0"], False),
            ("export docx --agreement", ["--project", str(root), "export", "docx", "--agreement", "-q",
                                         "-o", str(Path(tmp) / "report.docx")], False),
        ):
            if cold:
                (root / ".qualcode" / "units.bin").unlink(missing_ok=True)
            seconds, kb, code = timed(args)
            figures = f"{seconds:8.1f} {kb / 1024:8.0f}" if code == 0 else f"{'failed':>17}"
            print(f"{label:<58} {figures}  {load()}", flush=True)
        print("\ntargets for export docx --agreement: 30 s and 1 GB")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--transcripts", type=int, help="time agreement on a generated project of this many")
    parser.add_argument("--project", help="with --transcripts: the generated project's folder (kept, reused)")
    options = parser.parse_args()
    with measured("bench_agreement"):
        if options.transcripts:
            at_scale(options.transcripts, options.project)
        else:
            main()
