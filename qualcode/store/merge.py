"""Merging two histories of one coder's journal (the same coder on two machines).

A journal is append-only, so two copies of it share a prefix and then each has lines of its own.
Their merge is the union of their lines, each kept once, in an order that depends only on the two
histories and not on which machine merges:

1. the lines both have at the start (the common prefix), as they are;
2. then the two remainders, each as one block in its own order: first the block whose first line is
   earlier (its ``"at"`` time, then its operation id), then the other block without the lines the
   first already holds (a line that arrived by an earlier merge is never repeated).

Every line written by this qualcode carries an operation id ``"oid"`` (64 random bits), unique
across machines; a line written before operation ids is identified by its content (its sequence
number and millisecond time make it unique in practice). Since lines are copied byte for byte, the
same operation is the same bytes on every machine, and that is what the union compares. Nothing
is re-encoded, no other coder's journal is touched, and the sequence numbers ``n`` (which may now repeat) are not
used by replay, which applies lines in file order.

Undo and redo after a merge: ``undo``/``redo`` lines written by this qualcode name the operation
they undo or redo (``"of"``), and replay undoes exactly that operation even when the other machine's
block now stands between them (see ``journal.replay``). Old lines without ``"of"`` undo the most
recent action, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.errors import JournalError
from qualcode.store.atomic import write_atomic

_AT = re.compile(rb'"at":"([^"]*)"')
_OID = re.compile(rb'"oid":"([0-9A-Za-z]{1,64})"')


def _lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line for line in lines if line.strip()]


def operation_id(line: bytes) -> bytes:
    """The line's operation id, or the line itself for a line written before operation ids (the
    order's tie-break)."""
    m = _OID.search(line)
    return m.group(1) if m else line


def _order_key(line: bytes) -> tuple[bytes, bytes]:
    m = _AT.search(line)
    return (m.group(1) if m else b"", operation_id(line))


def merge_journals(ours: bytes, theirs: bytes) -> bytes:
    """The union of two histories of one journal, in the deterministic order described above."""
    a = _lines(ours)
    b = _lines(theirs)
    n = min(len(a), len(b))
    i = 0
    if a[:n] == b[:n]:  # the common case, one side is ahead: compared at C speed
        i = n
    else:
        lo, hi = 0, n  # the prefix is shared up to the first difference: bisect over slices
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if a[lo:mid] == b[lo:mid]:
                lo = mid
            else:
                hi = mid - 1
        i = lo
    rest_a, rest_b = a[i:], b[i:]
    if not rest_a or not rest_b:
        merged = a if len(a) >= len(b) else b
    else:
        first, second = (rest_a, rest_b) if _order_key(rest_a[0]) <= _order_key(rest_b[0]) else (rest_b, rest_a)
        seen = set(a[:i])  # a line copied by an earlier merge is byte for byte the same
        seen.update(first)
        merged = a[:i] + first
        for line in second:
            if line not in seen:
                seen.add(line)
                merged.append(line)
    return b"".join(line + b"\n" for line in merged)


def merge_files(base: Path, ours: Path, theirs: Path) -> int:
    """The git merge driver: write the union of ``ours`` and ``theirs`` into ``ours``; 0 (merged)."""
    del base  # a journal only grows: the union needs no common ancestor
    try:
        a = Path(ours).read_bytes()
        b = Path(theirs).read_bytes()
    except OSError as exc:
        raise JournalError(f"cannot read a side of the merge: {exc.strerror}", path=exc.filename) from None
    write_atomic(ours, merge_journals(a, b))
    return 0


# -- registering the driver in a clone -------------------------------------------------------------
DRIVER = "qualcode-journal"
CODEBOOK_DRIVER = "qualcode-codebook"
ATTRIBUTES = (f"codings/*.jsonl merge={DRIVER}", f"codebooks/*.yaml merge={CODEBOOK_DRIVER}",
              "codebooks/*.conflicts merge=union")
"""The ``.gitattributes`` lines ``qualcode share`` writes."""


def driver_command(kind: str = "journal") -> str:
    """What git runs: this qualcode's Python, straight to the merge (no CLI start-up)."""
    import shlex
    import sys

    return f"{shlex.quote(sys.executable)} -m qualcode.store.merge {kind} %O %A %B" + (" %P" if kind == "codebook" else "")


def routes_journals(root: Path) -> bool:
    """Whether the project's ``.gitattributes`` sends journals to qualcode's driver (it is shared)."""
    try:
        return DRIVER in (root / ".gitattributes").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def ready_clone(root: Path) -> None:
    """What every command does first in a shared project: qualcode's merge drivers registered (a fresh
    clone), and the conflicts a merge by a plain `git pull` left waiting added to their file. Not while
    the merge is unfinished (a sync stopped on another file): the sync that finishes it adds them with
    who had each value (``sync_notes.codebook_notes``)."""
    from qualcode.store.codebook_merge import PENDING, apply_pending

    ensure_driver(root)
    if (root / PENDING).exists() and not (root / ".git" / "MERGE_HEAD").exists():
        apply_pending(root)


def ensure_driver(root: Path) -> bool:
    """Register the journal driver in ``root``'s ``.git/config`` when the project routes journals to it
    (``.gitattributes``) and this clone lacks it (a fresh ``git clone``) or names another qualcode.
    Cheap when nothing is to do: two small reads. Returns whether it wrote the config."""
    import subprocess

    if not routes_journals(root):
        return False
    try:
        config = (root / ".git" / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:  # not shared, or .git is a file (a worktree): nothing to do here
        return False
    plain = config.replace("\\\\", "\\").replace('\\"', '"')
    wrote = False
    for driver, kind, name in ((DRIVER, "journal", "qualcode journal merge (union of operations)"),
                               (CODEBOOK_DRIVER, "codebook", "qualcode codebook merge (per code and field)")):
        command = driver_command(kind)
        if command in plain:
            continue
        for key, value in (("name", name), ("driver", command)):
            proc = subprocess.run(["git", "config", f"merge.{driver}.{key}", value], cwd=root,
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                return wrote  # no git here: sync says so when it is needed
        wrote = True
    return wrote


def main(argv: list[str]) -> int:
    """``python -m qualcode.store.merge journal BASE OURS THEIRS`` (the driver git runs), or
    ``codebook BASE OURS THEIRS PATH`` (``store.codebook_merge``)."""
    if len(argv) == 5 and argv[0] == "codebook":
        from qualcode.store import codebook_merge

        # git runs its drivers at the top of the work tree
        return codebook_merge.merge_files(Path(argv[1]), Path(argv[2]), Path(argv[3]), argv[4],
                                          Path.cwd() / codebook_merge.PENDING)
    if len(argv) != 4 or argv[0] != "journal":
        print("usage: python -m qualcode.store.merge journal BASE OURS THEIRS | codebook BASE OURS THEIRS PATH",
              file=__import__("sys").stderr)
        return 2
    try:
        return merge_files(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    except JournalError as exc:
        print(f"qualcode merge-driver: {exc}", file=__import__("sys").stderr)
        return 2


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
