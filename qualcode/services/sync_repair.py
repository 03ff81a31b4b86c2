"""What ``qualcode sync`` repairs before it merges: what a git killed midway leaves behind, and a
codebook that git merged as text because qualcode's driver was not set up yet (a plain ``git pull``
in a fresh clone)."""

from __future__ import annotations

import os
from pathlib import Path

from qualcode.services import sync


def git_running(root: Path) -> bool | None:
    """Whether a git process works in this project now (None: cannot tell, no /proc)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return None
    here = root.resolve()
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if not (entry / "comm").read_text().strip().startswith("git"):
                continue
            cwd = Path(os.readlink(entry / "cwd")).resolve()
        except OSError:
            continue
        if cwd == here or here in cwd.parents:
            return True
    return False


def clear_interrupted(root: Path, notes: list[str]) -> None:
    """What a git killed midway (a sync killed while git merged) leaves: its index lock, which stops
    every later git command, and the merge driver's temporary copies (``.merge_file_*``), which
    ``git add -A`` would commit. Cleared when no git is running here; else the sync stops."""
    lock = root / ".git" / "index.lock"
    temps = list(root.glob(".merge_file_*"))
    if not lock.exists() and not temps:
        return
    running = git_running(root)
    if running is not False:
        raise sync.SyncError("a git command is still running in this project (or left .git/index.lock behind)",
                        path=lock, hint="wait for it to finish and run `qualcode sync` again; if no git is running, "
                                        "delete .git/index.lock and run `qualcode sync` again")
    if lock.exists():
        lock.unlink()
        notes.append("an earlier git command was interrupted: its lock (.git/index.lock) was removed")
    for t in temps:
        t.unlink(missing_ok=True)


def remerge(root: Path, path: str) -> bool:
    """A codebook (or its conflicts file) git merged as text, because the merge ran where qualcode's
    driver was not yet set up (a plain `git pull` in a fresh clone): merge git's three versions of it
    again as the driver would. The file is only replaced when that merge succeeds (a hand edit of the
    markers is otherwise left as it is). Returns whether the path is now merged and staged."""
    import tempfile

    from qualcode.store.atomic import write_atomic
    from qualcode.store.codebook_merge import merge_files

    if not path.startswith("codebooks/"):
        return False
    stages = [sync._show(root, f":{n}", path) for n in (1, 2, 3)]
    if path.endswith(".conflicts"):  # git's union driver: both sides' lines
        ours = stages[1].decode("utf-8", "replace").splitlines()
        theirs = [line for line in stages[2].decode("utf-8", "replace").splitlines() if line not in ours]
        merged = "".join(line + "\n" for line in ours + theirs).encode("utf-8")
    elif path.endswith((".yaml", ".yml")):
        with tempfile.TemporaryDirectory() as tmp:
            files = [Path(tmp) / name for name in ("base", "ours", "theirs")]
            for f, data in zip(files, stages):
                f.write_bytes(data)
            if merge_files(files[0], files[1], files[2], str(root / path)) != 0:  # conflicts beside it
                return False
            merged = files[1].read_bytes()
    else:
        return False
    write_atomic(root / path, merged)
    sync.git(root, "add", "--", path)
    if path.endswith((".yaml", ".yml")) and (root / (path + ".conflicts")).exists():
        sync.git(root, "add", "--", path + ".conflicts")
    return True


def merge_cases(root: Path, path: str, cases_name: str) -> tuple[bool, str | None]:
    """cases.csv changed on two machines (a row added on each, say), which git merges as text and may
    not: merged row by row, keyed on the transcript. A row changed two ways keeps ours and is said.
    Returns whether it merged, and what to say (nothing, unless a row was changed two ways). Not
    cases.csv, or headers that differ: not merged, left to the person."""
    import csv
    import io

    from qualcode.store.atomic import write_atomic
    from qualcode.store.codebook_merge import three_way

    if path != cases_name:
        return False, None

    def table(data: bytes):
        rows = [r for r in csv.reader(io.StringIO(data.decode("utf-8-sig", "replace"))) if any(c.strip() for c in r)]
        if not rows or "transcript" not in [h.strip() for h in rows[0]]:
            return None, {}
        header = [h.strip() for h in rows[0]]
        key = header.index("transcript")
        return header, {r[key].strip(): r for r in rows[1:] if len(r) > key}

    (hb, base), (ho, ours), (ht, theirs) = (table(sync._show(root, f":{n}", path)) for n in (1, 2, 3))
    if ho is None or ho != ht or (hb is not None and hb != ho):
        return False, None
    merged, kept_ours = {}, []
    for tid in [*ours, *[t for t in theirs if t not in ours], *[t for t in base if t not in ours and t not in theirs]]:
        row, twice = three_way(base.get(tid), ours.get(tid), theirs.get(tid))
        if twice:
            kept_ours.append(tid)
        if row is not None:
            merged[tid] = row
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(ho)
    w.writerows(merged.values())
    write_atomic(root / path, out.getvalue())
    sync.git(root, "add", "--", path)
    return True, None if not kept_ours else (f"{path}: the rows of {', '.join(kept_ours)} were changed on two "
                                             "machines; this machine's were kept (edit them if the other's were right)")
