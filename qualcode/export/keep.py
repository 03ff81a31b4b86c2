"""An export never loses a file someone edited: what qualcode wrote is remembered, by digest.

``.qualcode/exports.json`` (sealed, as every ``.qualcode`` file: ``store.cache_seal``; written
atomically) maps each export path to the BLAKE2 digest of the bytes qualcode last wrote there.
Before an export replaces a file:

- the file is what qualcode wrote there (its digest is recorded): replaced, as a re-export should be;
- it was changed since (a report edited in Word), or qualcode has no record of writing it: it is kept
  beside the new one as ``report (edited, kept 2026-12-08 0312).docx`` (``(kept ...)`` when qualcode
  did not write it), by a hard link made before the new file is renamed over the name, so the old
  content is never absent, and the export goes ahead.

Keeping rather than refusing: an NVivo or Word user who exports again expects the fresh export at the
name they asked for (their Save dialog asks once, and then replaces); a command that fails would stop
a script or the workbench every time a report has been opened and saved. Keeping does both: the new
export is where it was asked for, and the edited one is beside it, named so that it is found.

``kept_for(path)`` says (once) what was kept for the latest write of ``path``; ``written_line(path)``
is the one line the command line prints (and the workbench's status can show).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from qualcode.store.atomic import fsync_dir, write_atomic
from qualcode.store.cache_seal import read_sealed, seal

RECORD = "exports.json"
_lock = threading.Lock()
_kept: dict[str, "Kept"] = {}


@dataclass(frozen=True)
class Kept:
    path: Path
    """Where the old file now is."""
    edited: bool
    """True: qualcode wrote it and it was changed since; False: qualcode has no record of writing it."""


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_digest(path: Path) -> str | None:
    h = hashlib.blake2b(digest_size=20)
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _key(path: Path, project=None) -> str:
    """The record's name for ``path``: relative to the project when inside it (a project moved or
    copied keeps its record), else absolute."""
    absolute = Path(os.path.abspath(path))
    if project is not None:
        try:
            return absolute.relative_to(os.path.abspath(project.root)).as_posix()
        except ValueError:
            pass
    return str(absolute)


def _record_path(project) -> Path:
    return Path(project.cache_dir) / RECORD


def _load(project) -> dict[str, str]:
    payload = read_sealed(_record_path(project))
    if payload is None:
        return {}
    try:
        data = json.loads(payload.decode("utf-8"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.get("exports", {}).items()} if isinstance(data, dict) else {}


@contextmanager
def _locked(project):
    """One export updates the record at a time (two writers would otherwise drop each other's entry)."""
    folder = Path(project.cache_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / ".exports.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def remember(project, paths: dict[Path, str]) -> None:
    """Record the digests of what was just written; entries for files no longer there are dropped.
    A record that cannot be written costs nothing but a kept copy at the next export."""
    with _locked(project):
        record = _load(project)
        record.update({_key(p, project): d for p, d in paths.items()})
        root = Path(project.root)
        record = {k: v for k, v in sorted(record.items()) if (root / k).is_file()}
        data = json.dumps({"version": 1, "exports": record}, indent=1, ensure_ascii=False).encode("utf-8")
        try:
            write_atomic(_record_path(project), seal(data), durable=False)
        except Exception:  # a read-only .qualcode: the export itself is written
            pass


def is_ours(project, path: Path) -> bool | None:
    """True: ``path`` holds what qualcode last wrote there; False: changed since; None: no record."""
    recorded = _load(project).get(_key(path, project))
    if recorded is None:
        return None
    return file_digest(path) == recorded


def kept_name(path: Path, edited: bool, now: float | None = None) -> Path:
    """``report (edited, kept 2026-12-08 0312).docx`` beside ``path``; a free name (`` 2``, ...)."""
    stamp = time.strftime("%Y-%m-%d %H%M", time.localtime(now))
    what = "edited, kept" if edited else "kept"
    suffix = "".join(path.suffixes[-1:]) if path.is_file() else ""
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    for n in range(1, 1000):
        extra = "" if n == 1 else f" {n}"
        candidate = path.with_name(f"{stem} ({what} {stamp}{extra}){suffix}")
        if not os.path.lexists(candidate):
            return candidate
    raise FileExistsError(path)


def keep_aside(project, path: Path) -> Kept | None:
    """Before ``path`` is replaced: link it to a kept name if it is not what qualcode last wrote.
    The name keeps the old content until the new file is renamed over it: it is never absent."""
    path = Path(path)
    if not path.is_file():
        return None
    ours = is_ours(project, path)
    if ours:
        return None
    kept = kept_name(path, edited=ours is False)
    try:
        os.link(path, kept)
    except OSError:  # a file system without hard links: copy it (to a temporary name, then rename)
        tmp = kept.with_name(f".{kept.name}.tmp")
        shutil.copy2(path, tmp)
        os.replace(tmp, kept)
    fsync_dir(kept.parent)
    return Kept(kept, ours is False)


def keep_folder_aside(project, folder: Path) -> Kept | None:
    """For a folder export (CSV): the kept name for the old folder if any of its files is not what
    qualcode last wrote there (the caller moves the folder there instead of removing it)."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    states = [is_ours(project, p) for p in sorted(folder.iterdir()) if p.is_file()]
    if all(states):
        return None
    return Kept(kept_name(folder, edited=False in states), False in states)


def note(path: Path, kept: Kept | None) -> None:
    with _lock:
        if kept is None:
            _kept.pop(_key(path), None)
        else:
            _kept[_key(path)] = kept


def kept_for(path: Path) -> Kept | None:
    """What the latest export to ``path`` kept aside (asked once: the answer is then forgotten)."""
    with _lock:
        return _kept.pop(_key(path), None)


def kept_text(path: Path, kept: Kept, shown=str) -> str:
    why = ("it was changed since qualcode wrote it" if kept.edited
           else "qualcode did not write it (or has no record of it)")
    return f"{shown(path)} was there and {why}: kept as {shown(kept.path)}"


def written_line(path: Path, shown=str) -> str:
    """``wrote exports/report.docx``, and what was kept, in one line."""
    kept = kept_for(path)
    if kept is None:
        return f"wrote {shown(path)}"
    return f"wrote {shown(path)}; the file {kept_text(path, kept, shown)}"


@contextmanager
def guarded(project, path: Path):
    """For a writer that saves ``path`` itself (atomically), e.g. the REFI-QDA ``.qdpx``:
    ``with guarded(project, dest): write_qdpx(dest, model)`` keeps an edited file first and
    remembers what was written after."""
    path = Path(path)
    kept = keep_aside(project, path)
    try:
        yield kept
    except BaseException:
        if kept is not None:
            try:
                os.unlink(kept.path)
            except OSError:
                pass
        raise
    d = file_digest(path)
    if d is not None:
        remember(project, {path: d})
    note(path, kept)
