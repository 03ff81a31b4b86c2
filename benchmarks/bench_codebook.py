"""Codebook reshaping figures on a generated project of 1,000 transcripts.

    python benchmarks/bench_codebook.py [--folder /tmp/qc-bench-codebook] [--transcripts 1000]
                                        [--words 1000] [--codings 188000] [--reuse]

With the bundled codebook's 47 codes and 188,000 codings, each code is used about 4,000 times.
Prints: the time to merge one such code into another through the service (codebook read, merged, saved
in place; no journal is read or written), the wall time of `qualcode codebook merge` as a command (Python start, project open,
codebook saved in place) and of `qualcode codebook undo`, the time a reader then
takes to load every coder's codings with the merge resolved, and the lines the merge changed.
Target (issue 12): merging a code used 4,000 times in a 1,000-transcript project within 1 s.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import add_project_args, ensure_project  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    add_project_args(ap, "/tmp/qc-bench-codebook", 1000, 1000, 188_000)
    a = ap.parse_args()
    folder = ensure_project(a)

    from qualcode.services import codebook_ops
    from qualcode.store.project import Project

    p = Project.open(folder, search=False)
    use = codebook_ops.usage(p)
    source, target = "barriers.trust", "barriers.culture"
    print(f"{source} is used {use.of(source)} times, {target} {use.of(target)} times, "
          f"by {len(p.coders())} coders over {len(p.index)} transcripts")
    p.close()
    book = folder / "codebooks" / "codebook.yaml"
    before = book.read_text(encoding="utf-8")

    p = Project.open(folder, search=False)
    t0 = time.perf_counter()
    message = codebook_ops.merge(p, source, target)
    service = time.perf_counter() - t0
    p.close()
    changed = sum(1 for d in difflib.unified_diff(before.splitlines(), book.read_text("utf-8").splitlines(),
                                                  n=0, lineterm="") if d[:1] in "+-" and d[:3] not in ("+++", "---"))
    print(f"merge through the service (read, merge, save in place; journals untouched): {service:.2f} s  target 1 s")
    print(f"  {message}; {changed} codebook lines changed")

    t0 = time.perf_counter()
    p = Project.open(folder, search=False)
    n = sum(1 for coder in p.coders() for c in p.codings(coder) if c.code == target)
    reader = time.perf_counter() - t0
    p.close()
    print(f"a reader opens the project and loads every coder's codings, merge resolved: {reader:.2f} s "
          f"({n} codings now count as {target})")

    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qualcode", "codebook", "undo", "--project", str(folder)],
                   check=True, capture_output=True)
    undo = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qualcode", "codebook", "merge", source, target, "--project", str(folder)],
                   check=True, capture_output=True)
    command = time.perf_counter() - t0
    subprocess.run([sys.executable, "-m", "qualcode", "codebook", "undo", "--project", str(folder)],
                   check=True, capture_output=True)
    print(f"`qualcode codebook merge {source} {target}` as a command (wall, Python start included): {command:.2f} s")
    print(f"`qualcode codebook undo` as a command: {undo:.2f} s")
    assert book.read_text(encoding="utf-8") == before, "undo did not restore the codebook"


if __name__ == "__main__":
    with measured("bench_codebook"):
        main()
