"""Reshaping the project's codebook (``qualcode codebook ...`` and the workbench's codebook editor).

Every change goes through ``reshape``: the codebook file as it was is kept in the undo history
``<codebooks>/.history/<codebook name>/`` (``NNNN.yaml`` plus one line in ``log.jsonl``), then the new
codebook is saved in place. Codings are never rewritten: merges, id changes and drops are records in
the codebook that readers resolve, so ``undo`` (restore the file as it was) undoes them for every
coder at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from qualcode.domain import codebook_edit as edit
from qualcode.domain.codebook import Codebook
from qualcode.errors import QualcodeError
from qualcode.store.atomic import write_atomic
from qualcode.store.project import Project

HISTORY_LIMIT = 100
"""How many codebook changes ``undo`` reaches back."""


@dataclass
class Usage:
    """Codings per code (resolved ids), and per coder."""

    by_code: Counter
    by_coder: dict[str, Counter]

    def of(self, code_id: str) -> int:
        return self.by_code.get(code_id, 0)

    def who(self, code_id: str) -> str:
        parts = [f"{coder} {n[code_id]}" for coder, n in self.by_coder.items() if n.get(code_id)]
        return ", ".join(parts)


def usage(project: Project) -> Usage:
    by_coder = {}
    total: Counter = Counter()
    for coder in project.coders():
        n = Counter(c.code for c in project.codings(coder))
        by_coder[coder] = n
        total.update(n)
    return Usage(total, by_coder)


def _history_dir(project: Project) -> Path:
    path = project.codebook_path
    return path.parent / ".history" / path.stem


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def history(project: Project) -> list[dict]:
    """The undo history, oldest first: ``{"n", "at", "what", "before", "after"}``."""
    log = _history_dir(project) / "log.jsonl"
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and {"n", "what", "before", "after"} <= entry.keys():
            out.append(entry)
    return out


def _write_log(folder: Path, entries: list[dict]) -> None:
    write_atomic(folder / "log.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))


def reshape(project: Project, book: Codebook, what: str, save=None) -> bool:
    """Save ``book`` as the project's codebook, undoably. Returns False when nothing changed.
    ``save``: the function that saves it (default ``project.set_codebook``; the workbench passes its own)."""
    path = project.codebook_path
    before = path.read_bytes() if path.exists() else b""
    (save or project.set_codebook)(book)
    after = path.read_bytes()
    if after == before:
        return False
    folder = _history_dir(project)
    folder.mkdir(parents=True, exist_ok=True)
    entries = history(project)
    n = (entries[-1]["n"] + 1) if entries else 1
    name = f"{n:04d}.yaml"
    write_atomic(folder / name, before)
    entries.append({"n": n, "at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "what": what,
                    "before": name, "after": _sha(after)})
    for old in entries[:-HISTORY_LIMIT]:
        (folder / old["before"]).unlink(missing_ok=True)
    _write_log(folder, entries[-HISTORY_LIMIT:])
    return True


def undo(project: Project, *, force: bool = False) -> str:
    """Put the codebook back as it was before the last change; returns what was undone."""
    with codebook_lock(project):
        return _undo(project, force)


def _undo(project: Project, force: bool) -> str:
    entries = history(project)
    if not entries:
        raise QualcodeError("no codebook change to undo", path=project.codebook_path,
                            hint="changes made with `qualcode codebook` or the codebook editor can be undone")
    last = entries[-1]
    folder = _history_dir(project)
    path = project.codebook_path
    if not force and _sha(path.read_bytes()) != last["after"]:
        raise QualcodeError(f"the codebook was changed after '{last['what']}' (by hand, by another program, or by "
                            "a sync that brought your team's codebook changes); nothing was undone", path=path,
                            hint=f"undo '{last['what']}' by its opposite (for instance `qualcode codebook edit`, "
                                 "`rename-id` or `remove`), which keeps the others' changes; `qualcode codebook undo "
                                 f"--force` puts back the whole file as it was before '{last['what']}', and every "
                                 "change made since (your team's too) is lost")
    try:
        before = (folder / last["before"]).read_bytes()
    except FileNotFoundError:
        raise QualcodeError(f"the saved version {last['before']} is missing", path=folder,
                            hint="restore it from a backup, or edit the codebook by hand") from None
    write_atomic(path, before)
    project.reload_codebook()
    for session in list(project._sessions.values()):
        session.reload()
    (folder / last["before"]).unlink(missing_ok=True)
    _write_log(folder, entries[:-1])
    return last["what"]


# -- the operations, each one undoable step ------------------------------------------------------
@contextmanager
def changing(project: Project):
    """One codebook change at a time, across processes (two `qualcode codebook` commands run at once,
    a script in a loop): the change is built on the codebook as it is on disk *inside* the lock, so
    that neither overwrites the other."""
    with codebook_lock(project):
        yield project.reload_codebook()


@contextmanager
def codebook_lock(project: Project):
    """The lock every codebook change holds from reading the file to writing it (the workbench's
    editor too). A project whose cache folder cannot be written goes unlocked."""
    fd = None
    try:
        project.cache_dir.mkdir(exist_ok=True)
        fd = os.open(project.cache_dir / "codebook.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)  # another change is being saved: it takes a moment
    except OSError:
        if fd is not None:
            os.close(fd)
        fd = None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def add(project: Project, code_id: str, name: str, parent: str | None = None, **details) -> str:
    with changing(project) as book:
        reshape(project, edit.add_code(book, code_id, name, parent, **details), f"add {code_id}")
    return f"added {code_id} ({name})" + (f" under {parent}" if parent else "")


def change(project: Project, code_id: str, **changes) -> str:
    with changing(project) as book:
        real = edit._need(book, code_id).id
        done = reshape(project, edit.edit_code(book, real, **changes), f"edit {real}")
    return f"{real}: changed {', '.join(sorted(changes))}" if done else f"{real}: nothing to change"


def move(project: Project, code_id: str, parent: str | None) -> str:
    with changing(project) as book:
        real = edit._need(book, code_id).id
        reshape(project, edit.move_code(book, real, parent), f"move {real}")
    return f"moved {real} " + (f"under {parent}" if parent else "to the top level")


def rename(project: Project, old: str, new: str) -> str:
    with changing(project) as book:
        real = edit._need(book, old).id
        reshape(project, edit.rename_id(book, real, new), f"rename-id {real} {new}")
    return f"{real} is now {new}: every coder's codings made with {real} count as {new} (journals unchanged)"


def merge(project: Project, source: str, target: str) -> str:
    with changing(project) as book:
        src, dst = edit._need(book, source).id, edit._need(book, target).id
        reshape(project, edit.merge_codes(book, src, dst), f"merge {src} {dst}")
    # the codings are not counted here: that means replaying every journal, which a merge does not need
    return (f"merged {src} into {dst}: every coder's codings of {src} now count as {dst} (journals unchanged; "
            f"`qualcode codebook show {dst}` counts them)")


def remove(project: Project, code_id: str, codings: str | None) -> str:
    book = project.codebook
    real = edit._need(book, code_id).id
    use = usage(project)
    n = use.of(real)
    if n and not codings:
        raise QualcodeError(
            f"{real} is used by {n} coding(s) ({use.who(real)}); nothing was removed",
            path=project.codebook_path,
            hint="say what becomes of them: --codings reassign:OTHER_ID (they count as that code), "
                 "--codings drop (no longer counted, for every coder) or --codings keep-orphaned "
                 "(kept with the old id; `qualcode check` lists them)")
    with changing(project) as book:
        real = edit._need(book, code_id).id
        reshape(project, edit.remove_code(book, real, codings or "keep-orphaned"), f"remove {real}")
    if not n:
        return f"removed {real} (it had no codings)"
    fate = {"drop": "dropped", "keep-orphaned": "kept with the old id (see `qualcode check`)"}.get(
        codings, f"now counted as {codings.split(':', 1)[-1]}")
    return f"removed {real}: its {n} coding(s) {fate}"
