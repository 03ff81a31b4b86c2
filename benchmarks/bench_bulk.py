"""Bulk entry: `qualcode code import` of a 10,000-row coded-segment table, as one journal operation.

    python benchmarks/bench_bulk.py [--rows 10000] [--transcripts 100] [--words 5000]

Makes a generated project (benchmarks/generate.py, no codings), writes a MAXQDA-layout table of
``--rows`` segments cut from the transcripts (each text unique in its transcript, codes as
``Parent\\Child`` paths), then times the command end to end in a subprocess (start-up, reading the
table, placing every row, the fsynced write) and prints the figures. Target: 10,000 rows in <= 5 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_project  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--transcripts", type=int, default=100)
    ap.add_argument("--words", type=int, default=5000)
    args = ap.parse_args()
    from qualcode.store.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "bulk", transcripts=args.transcripts, words_per_transcript=args.words,
                            codings=0, coders=1)
        for f in (root / "codings").glob("*.jsonl"):
            f.unlink()
        project = Project.open(root, search=False)
        book = project.codebook
        leaves = [c for c in book.codes if not book.children(c.id)]
        rng = random.Random(1)
        ids = [e.id for e in project.index]
        table = Path(tmp) / "segments.csv"
        made = 0
        with open(table, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["Color", "Document group", "Document name", "Code", "Segment", "Beginning", "End",
                        "Comment", "Created by"])
            while made < args.rows:
                t = project.transcript(ids[made % len(ids)])
                turn = t.turns[rng.randrange(len(t.turns))]
                s = rng.randrange(turn.text_start, max(turn.text_start + 1, turn.end - 60))
                quote = t.text[s:min(turn.end, s + rng.randint(60, 300))].strip()
                if len(quote) < 40 or t.text.count(quote) != 1:
                    continue
                code = rng.choice(leaves)
                path = "\\".join([book.get(a).name for a in reversed(book.ancestors(code.id))] + [code.name])
                w.writerow(["#000000", "", t.id, path, quote, 1, 1, "", ""])
                made += 1
        project.close()
        size = table.stat().st_size
        cmd = [sys.executable, "-m", "qualcode", "--project", str(root), "--coder", "bulk", "code", "import",
               str(table)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr)
            sys.exit(1)
        lines = (root / "codings" / "bulk.jsonl").read_text(encoding="utf-8").splitlines()
        print(f"transcripts: {args.transcripts} x ~{args.words} words; table: {made} rows, {size / 2**20:.1f} MB")
        print(proc.stdout.strip().splitlines()[-1])
        print(f"qualcode code import: {elapsed:.2f} s end to end for {made} rows "
              f"({made / elapsed:,.0f} rows/s); journal lines: {len(lines)} (target: <= 5 s)")


if __name__ == "__main__":
    with measured("bench_bulk"):
        main()
