"""REFI-QDA figures: export and re-import of the bundled study and of a generated large project.

    python benchmarks/bench_refi.py [--folder /tmp/qc-bench-refi] [--transcripts 1000] [--codings 200000]
                                    [--skip-large]

Prints wall and CPU seconds for `export qdpx` and `import-project` (the service functions, as the
commands call them) on a copy of the bundled study, then on a generated project of 1,000 transcripts
of 5,000 words and 200,000 codings by 2 coders (made with benchmarks/generate.py; the generated
folder is reused when it is already there). The import's figure includes checking every transcript
as qualcode reads it back; the project's transcript index is built on first open, not here.
Targets (issue 8): the study within 2 s each way; the large project within 30 s each way.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import copy_study  # noqa: E402


def timed(fn, *args, **kwargs):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0, time.process_time() - c0




def measure(label: str, folder: Path, work: Path, target: float) -> None:
    from qualcode.services.interchange import export_qdpx, import_project
    from qualcode.store.project import Project

    project = Project.open(folder, search=False)
    project.codebook  # noqa: B018 - opening is not what is measured
    exported, wall, cpu = timed(export_qdpx, project, work / f"{label}.qdpx")
    codings = exported.counts["selections"]
    print(f"{label}: {exported.counts['sources']} transcripts, {codings} codings, "
          f"{exported.size / 1e6:.1f} MB .qdpx")
    print(f"  export qdpx     {wall:6.2f} s wall  {cpu:6.2f} s CPU   (target {target:g} s)")
    project.close()
    back = work / f"{label}-back"
    if back.exists():
        shutil.rmtree(back)
    result, wall, cpu = timed(import_project, exported.path, back)
    print(f"  import-project  {wall:6.2f} s wall  {cpu:6.2f} s CPU   (target {target:g} s): "
          f"{result.imported['transcripts']} transcripts, {result.imported['codings']} codings")
    if result.imported["codings"] != codings:
        print("  MISMATCH: not every coding came back", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", default="/tmp/qc-bench-refi")
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--skip-large", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="qc-refi-") as tmp:
        work = Path(tmp)
        measure("study", copy_study(work / "study"), work, 2)
        if a.skip_large:
            return
        folder = Path(a.folder)
        if not (folder / "qualcode.toml").exists():
            from generate import make_project

            t0 = time.perf_counter()
            make_project(folder, transcripts=a.transcripts, words_per_transcript=a.words, codings=a.codings,
                         coders=2, seed=0)
            print(f"(generated {folder} in {time.perf_counter() - t0:.1f} s)")
        measure("large", folder, work, 30)


if __name__ == "__main__":
    with measured("bench_refi"):
        main()
