"""Replay snapshots: a derived cache of a journal's state, so that opening a project with hundreds
of thousands of codings does not re-parse every journal line.

``.qualcode/journals/<coder>.snap`` holds the state after the first ``consumed`` bytes of the
journal and a BLAKE2 digest of those bytes. It is used only when the journal still starts with
exactly those bytes (appends keep it valid; compaction or any edit invalidates it); then only the
lines after it are replayed. Deleting it loses nothing. It is sealed with this user's cache key
(``store.cache_seal``): a snapshot from someone else's folder, or a damaged one, is discarded and
rebuilt from the journal. It is also read with an unpickler that refuses every class.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from qualcode.domain.coding import Coding, CodingSet
from qualcode.errors import Problem, QualcodeError
from qualcode.store.atomic import write_atomic
from qualcode.store.cache_seal import seal, unseal

VERSION = 1
MIN_LINES_TO_SAVE = 2000


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # noqa: D102 - refuse everything but builtin data
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a snapshot")


def _digest(data: bytes | memoryview) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def load(path: Path, journal: bytes, clean_end: int, notes: list[str] | None = None) -> dict | None:
    """The snapshot's state if it is sealed by this user (``store.cache_seal``), well formed and
    matches the journal's first bytes, else None (and, for a damaged or foreign one, a note)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    payload = unseal(raw)
    snap = None
    if payload is not None:
        try:
            snap = _PlainUnpickler(io.BytesIO(payload)).load()
        except Exception:  # noqa: BLE001 - whatever a damaged pickle raises, it is only a cache
            snap = None
    if not _well_formed(snap):
        if notes is not None:
            notes.append(f"{path}: the replay snapshot is damaged or was not written by you; "
                         "rebuilt from the journal")
        return None
    consumed = snap["consumed"]
    if consumed > clean_end:
        return None
    if _digest(memoryview(journal)[:consumed]) != snap.get("digest"):
        return None
    return snap


def _well_formed(snap) -> bool:
    if not isinstance(snap, dict) or snap.get("version") != VERSION:
        return False
    try:
        return (type(snap["consumed"]) is int and snap["consumed"] > 0 and type(snap["lines"]) is int
                and type(snap["last_seq"]) is int and isinstance(snap["digest"], str)
                and all(type(row) is tuple and len(row) == len(Coding._fields) for row in snap["codings"])
                and all(type(pair) is tuple and len(pair) == 2 for pair in snap["undo"])
                and all(type(pair) is tuple and len(pair) == 2 for pair in snap["redo"])
                and all(type(w) is tuple and len(w) == 3 for w in snap["warnings"])
                and all(isinstance(line, str) for line in snap["future"]))
    except (KeyError, TypeError):
        return False


def restore(snap: dict, codings: CodingSet) -> tuple[list[Problem], list[str], int, int]:
    """Fill ``codings`` from a snapshot; return (warnings, future lines, last seq, lines consumed)."""
    make = tuple.__new__
    objs = [make(Coding, row) for row in snap["codings"]]  # rows are sorted by transcript
    codings.codings.update({c.id: c for c in objs})
    for tid, group in groupby(objs, key=itemgetter(1)):
        codings.by_transcript.setdefault(tid, {}).update({c.id: c for c in group})
    codings.undo_stack.extend(snap["undo"])
    codings.redo_stack.extend(snap["redo"])
    codings.marks.update(snap.get("marks", {}))
    warnings = [Problem(m, p, line) for m, p, line in snap["warnings"]]
    return warnings, list(snap["future"]), snap["last_seq"], snap["lines"]


def save(path: Path, journal: bytes, consumed: int, lines: int, codings: CodingSet, warnings: list[Problem],
         future: list[str], last_seq: int) -> None:
    snap = {
        "version": VERSION, "consumed": consumed, "lines": lines,
        "digest": _digest(memoryview(journal)[:consumed]),
        "codings": sorted((tuple(c) for c in codings.codings.values()), key=itemgetter(1)),
        "undo": list(codings.undo_stack), "redo": list(codings.redo_stack),
        "marks": {t: dict(m) for t, m in codings.marks.items()},
        "warnings": [(w.message, w.path, w.line) for w in warnings],
        "future": list(future), "last_seq": last_seq,
    }
    try:
        write_atomic(path, seal(pickle.dumps(snap, protocol=5)), durable=False)
    except (QualcodeError, pickle.PicklingError):
        pass  # a cache: never fail the caller
