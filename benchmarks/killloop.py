"""kill -9 loop: a writer adds, removes, memos and compacts at full speed and is SIGKILLed at a random
moment, over and over; after each kill the project must open, every confirmed change must be there,
and nothing that was never asked for may appear.

    nice -n 19 .venv/bin/python benchmarks/killloop.py                 # 100 rounds
    .venv/bin/python benchmarks/killloop.py --rounds 20 --seed 7

The child prints ``intent <op> <id>`` before each change and ``done <op> <id>`` once the session
call has returned (the journal line is fsynced by then). After each kill the parent replays the
journal (through the project, snapshots included) and checks: every ``done add`` not later removed
is present; every ``done remove`` is absent; every coding present was at least intended; memos
confirmed are there. Compaction runs now and then (an atomic rewrite), and replay snapshots are
saved after 50 lines, so kills land inside both. Prints the counts; exit 1 on any loss.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

INTERVIEW = """---
id: int-1
---
Interviewer: Could you start with your role on the partnership board?

Ruth Adebayo: I chair the community empowerment network. We monitor ethnicity on the board, but not in
the theme groups. It took us two years to get there, honestly.
"""


def child(root: str, seed: int) -> None:
    from qualcode.store import state
    from qualcode.store.project import Project

    state.MIN_LINES_TO_SAVE = 50  # the cached journal state is written and read back often
    rng = random.Random(seed)
    project = Project.open(root, search=False)
    session = project.session("killer")
    text = project.transcript("int-1").text
    out = sys.stdout
    while True:
        live = list(session.codings.codings)
        r = rng.random()
        if r < 0.6 or not live:
            start = rng.randrange(len(text) - 10)
            end, code = start + rng.randint(1, 9), rng.choice(["theme", "theme.sub"])
            if any((c.start, c.end, c.code) == (start, end, code) for c in session.codings.for_transcript("int-1")):
                continue  # an exact duplicate is refused (issue 18): pick another span
            out.write(f"intent add {start}\n")
            out.flush()
            c = session.add("int-1", start, end, code)
            out.write(f"done add {c.id}\n")
        elif r < 0.85:
            cid = rng.choice(live)
            out.write(f"intent remove {cid}\n")
            out.flush()
            session.remove(cid)
            out.write(f"done remove {cid}\n")
        elif r < 0.98:
            cid = rng.choice(live)
            memo = f"m{rng.randrange(10**6)}"
            out.write(f"intent memo {cid} {memo}\n")
            out.flush()
            session.set_memo(cid, memo)
            out.write(f"done memo {cid} {memo}\n")
        else:
            out.write("intent compact -\n")
            out.flush()
            session.compact()
            out.write("done compact -\n")
        out.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--child", nargs=2, metavar=("ROOT", "SEED"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0

    from qualcode.services.project_ops import import_transcripts, init_project
    from qualcode.store.project import Project

    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="killloop-"))
    try:
        proj = init_project(tmp / "study")
        src = tmp / "int-1.txt"
        src.write_text(INTERVIEW, encoding="utf-8")
        import_transcripts(proj, [src])
        proj.close()
        root = proj.root
        present: set[str] = set()      # confirmed added and not confirmed removed
        removed: set[str] = set()      # confirmed removed
        memos: dict[str, str] = {}
        ops = kills_mid_op = compactions = lost = phantoms = 0
        t0 = time.perf_counter()
        for rnd in range(args.rounds):
            errors = tmp / "child.err"
            with open(errors, "w") as err:
                proc = subprocess.Popen([sys.executable, __file__, "--child", str(root), str(rng.randrange(10**9))],
                                        stdout=subprocess.PIPE, stderr=err, text=True)
            first = proc.stdout.readline()
            if not first:
                print("child failed to start:", errors.read_text(), flush=True)
                return 1
            time.sleep(rng.uniform(0.0, 0.4))
            os.kill(proc.pid, signal.SIGKILL)
            rest = proc.stdout.read()  # the same buffered reader as readline: nothing it holds is lost
            proc.wait()
            lines = [first.strip()] + [x for x in rest.split("\n") if x.strip()]
            if any(line.split(" ")[0] not in ("intent", "done") for line in lines) or lines[0].startswith("done"):
                print("the writer said something else than its operations:", lines[:3], errors.read_text()[-2000:],
                      flush=True)
                return 1
            pending_add = False
            for line in lines:
                kind, op, *what = line.split(" ")
                if kind == "intent":
                    pending_add = op == "add"
                    continue
                pending_add = False
                ops += 1
                if op == "add":
                    present.add(what[0])
                elif op == "remove":
                    present.discard(what[0])
                    removed.add(what[0])
                elif op == "memo":
                    memos[what[0]] = what[1]
                elif op == "compact":
                    compactions += 1
            if lines[-1].startswith("intent"):
                kills_mid_op += 1
            project = Project.open(root, search=False)
            session = project.session("killer")  # the lock of the killed writer is free again
            have = {c.id: c for c in session.codings}
            last = lines[-1].split(" ")
            in_flight = last[2] if last[0] == "intent" and last[1] in ("remove", "memo") else None
            missing = present - set(have) - ({in_flight} if last[1] == "remove" else set())
            back = removed & set(have)
            unexplained = set(have) - present - removed
            if pending_add and len(unexplained) <= 1:
                unexplained = set()  # the add that was being written when the kill came reached the disk
            wrong_memo = [cid for cid, m in memos.items() if cid in have and have[cid].memo != m and cid != in_flight]
            if missing or back or unexplained or wrong_memo:
                lost += len(missing) + len(back) + len(wrong_memo)
                phantoms += len(unexplained)
                print(f"round {rnd}: {len(missing)} confirmed missing, {len(back)} removed back, "
                      f"{len(unexplained)} unexplained, {len(wrong_memo)} memos wrong", flush=True)
                if os.environ.get("KILLLOOP_DEBUG"):
                    print("  missing", sorted(missing)[:5], "unexplained", sorted(unexplained)[:5],
                          "last", lines[-3:], "warnings", [str(w) for w in session.warnings][:5], flush=True)
                    shutil.copytree(root, tmp.parent / f"killloop-debug-{rnd}")
            # the writer's in-flight add may have reached the disk: adopt it as the truth from here on
            present = set(have) - removed
            for cid in list(memos):
                if cid in have:
                    memos[cid] = have[cid].memo
            session.close()
            project.close()
        wall = time.perf_counter() - t0
        print(f"kill -9 rounds: {args.rounds}; confirmed operations: {ops:,} ({compactions} compactions); "
              f"kills in the middle of an operation: {kills_mid_op}; codings at the end: {len(present):,}; "
              f"confirmed changes lost: {lost}; unexplained codings: {phantoms}; wall {wall:.0f} s")
        return 1 if lost or phantoms else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if "--child" in sys.argv:  # the writer speaks only its protocol on stdout
        sys.exit(main())
    with measured("killloop"):
        rc = main()
    sys.exit(rc)
