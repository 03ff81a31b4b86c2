"""A coder's append-only journal ``codings/<coder>.jsonl``.

Each line is one operation in an envelope ``{"v": 1, "n": <seq>, "at": <time>, ...op, "oid": <id>}``:
``oid`` (since issue 17) is unique across machines, so two machines' histories of one journal merge
(``store.merge``; lines without one are identified by their content), and ``n`` may repeat after such a
merge (replay applies lines in file order and does not rely on it).
A line is flushed and fsynced before ``append`` returns. A torn last line (a crash mid-write) is set
aside into ``<coder>.jsonl.torn-<time>`` and never applied; a line written by a newer qualcode
(``v`` > 1) is kept in the file but not applied. Only one process writes a journal at a time
(``fcntl.flock`` on ``<coder>.lock``); readers need no lock.

A line ``qualcode sync`` appends to set a merged journal right (``append_held``: an exact duplicate
consensus coding removed, codings moved with their transcript, a transcript's status following it)
carries ``"by": "sync"``: it is not the coder's action, so undo and redo pass it by (``apply_record``).
A reader that does not know the key applies it as an ordinary action, as before.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from qualcode.domain.coding import CodingSet, OperationError
from qualcode.errors import JournalError, LockError, Problem
from qualcode.store import state
from qualcode.store.atomic import fsync_dir, read_regular, write_atomic

VERSION = 1
CODER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_sync = getattr(os, "fdatasync", os.fsync)


def check_coder_name(name: str) -> str:
    if not isinstance(name, str) or not CODER_NAME.fullmatch(name):
        raise JournalError(f"{name!r} is not a usable coder name",
                           hint="use letters, digits, '_', '.' or '-' (e.g. researcher_a)")
    return name


@dataclass
class Replay:
    """What loading a journal found."""

    codings: CodingSet
    warnings: list[Problem] = field(default_factory=list)
    last_seq: int = 0
    future_lines: list[str] = field(default_factory=list)
    torn_tail: bytes = b""
    clean_size: int = 0
    unterminated: bool = False
    """The last line is a whole record without its line end (the writer adds it)."""
    unreadable: list[bytes] = field(default_factory=list)
    """Lines not applied (corrupt, wrong types, an operation that does not apply), verbatim."""
    notes: list[str] = field(default_factory=list)
    """About the cache (a damaged or foreign cached state rebuilt): worth saying, not findings."""
    stored: object = None
    """The cached state (``store.state.Stored``) this replay stands on, if any."""


def journal_path(folder: Path, coder: str) -> Path:
    return folder / f"{coder}.jsonl"


MAX_OFFSET = 1 << 40
MAX_SEQ = 1 << 53
MAX_BATCH = 1_000_000
_CODING_TEXT = ("id", "t", "code")
_CODING_OPTIONAL = ("coder", "at", "quote", "th")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _is_int(value) -> bool:
    return type(value) is int


def _check_span(start, end, what: str) -> None:
    if not (_is_int(start) and _is_int(end)) or not 0 <= start < end <= MAX_OFFSET:
        raise ValueError(f"{what}: start and end must be whole numbers with 0 <= start < end")


def _check_text(op: dict, key: str, *, required: bool = True) -> None:
    value = op.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value):
        raise ValueError(f"'{key}' must be {'non-empty ' if required else ''}text")


def check_record(rec: dict, *, nested: bool = False) -> None:
    """Raise ValueError when a journal record has wrong types or absurd values (a corrupt line).

    Operations qualcode does not know pass through (``CodingSet.apply`` refuses them)."""
    if not nested:
        seq = rec.get("n", 0)
        if not _is_int(seq) or not 0 <= seq <= MAX_SEQ:
            raise ValueError("the sequence number 'n' is not a whole number")
    kind = rec.get("op")
    if not isinstance(kind, str):
        raise ValueError("no 'op'")
    if kind == "add":
        coding = rec.get("coding")
        if not isinstance(coding, dict):
            raise ValueError("'coding' must be an object")
        for key in _CODING_TEXT:
            _check_text(coding, key)
        for key in _CODING_OPTIONAL:
            _check_text(coding, key, required=False)
        _check_text(coding, "memo", required=False)
        _check_span(coding.get("s"), coding.get("e"), "coding")
    elif kind in ("remove", "recode", "memo", "move"):
        _check_text(rec, "id")
        if kind == "recode":
            _check_text(rec, "code")
        elif kind == "memo":
            _check_text(rec, "memo", required=False)
            _check_text(rec, "was", required=False)
        elif kind == "move":
            _check_span(rec.get("start"), rec.get("end"), "move")
            _check_text(rec, "quote", required=False)
            _check_text(rec, "th", required=False)
            if "t" in rec:
                _check_text(rec, "t")
    elif kind == "tset":
        _check_text(rec, "t")
        key = rec.get("key")
        # "settled <start>-<end> <code>": a passage the consensus settled as neither (reliability.disagreements)
        if key not in ("status", "memo") and not (isinstance(key, str) and key.startswith("settled ")):
            raise ValueError("'tset' sets 'status', 'memo' or 'settled …'")
        _check_text(rec, "value", required=False)
        _check_text(rec, "was", required=False)
    elif kind == "batch":
        ops = rec.get("ops")
        if nested or not isinstance(ops, list) or not 0 < len(ops) <= MAX_BATCH:
            raise ValueError("'batch' must hold a list of operations")
        for sub in ops:
            if not isinstance(sub, dict):
                raise ValueError("a batch entry is not an object")
            check_record(sub, nested=True)


def parse_line(raw: bytes) -> dict:
    """One journal line as a checked record; ValueError (with the reason) if it is corrupt."""
    try:
        rec = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except UnicodeDecodeError:
        raise ValueError("not UTF-8") from None
    if not isinstance(rec, dict):
        raise ValueError("not an object")
    return rec


def set_aside_files(path: Path) -> list[Path]:
    """``<coder>.jsonl.unreadable-<time>`` files (lines compaction could not apply) and
    ``<coder>.jsonl.torn-<time>`` files (an incomplete last line): kept for a person."""
    try:
        return sorted([*path.parent.glob(f"{path.name}.unreadable-*"), *path.parent.glob(f"{path.name}.torn-*")])
    except OSError:
        return []


def replay(path: Path, coder: str, snapshot_dir: Path | None = None) -> Replay:
    """Read a journal and apply its operations. Never fails on content: problems become warnings.

    With ``snapshot_dir``, a cached state that still matches the journal (see ``store.state``)
    stands in for the lines it covers: only the lines after it are read and applied, and a
    transcript's codings are read from the cache when first used. A new state is saved when many
    lines had to be replayed (or the covered bytes had to be hashed again).
    """
    result = Replay(CodingSet(coder))
    if snapshot_dir is not None:
        loaded = state.load(snapshot_dir, coder, path, result.notes)
        if loaded is not None:
            return _continue(result, loaded, path, coder, snapshot_dir)
    try:
        before = os.stat(path)
        stable = state.settled(before)
        data = read_regular(path)
        after = os.stat(path)
    except FileNotFoundError:
        return result
    except OSError as exc:
        if exc.errno == errno.EINVAL:  # a FIFO or device where the journal belongs: left out, said so
            result.warnings.append(Problem(f"{exc.strerror}: left out; move it away", str(path)))
            return result
        raise JournalError(f"cannot read the journal: {exc.strerror}", path=path,
                           hint="codings/<coder>.jsonl must be an ordinary file you may read") from None
    end = _cut_torn(result, data, path, 0)
    result.clean_size = end
    lineno = _apply_lines(result, data[:end], 0, path)
    if snapshot_dir is not None and end and lineno >= state.MIN_LINES_TO_SAVE and not result.unterminated:
        same = state.signature(before) == state.signature(after) and before.st_size == len(data)
        sig = state.signature(before) if stable and same else None  # else the next open hashes it
        result.stored = _save_state(result, snapshot_dir, path, None, 0, b"", [], data[:end], lineno, sig)
    result.warnings.extend(aside_warnings(path))
    return result


def _cut_torn(result: Replay, data: bytes, path: Path, lines_before: int) -> int:
    """How many bytes of ``data`` are complete lines; a torn last line goes to ``result.torn_tail``."""
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        if _whole_line(data[cut:]):  # a line edited by hand, saved without its line end: it counts
            result.unterminated = True
            return len(data)
        result.torn_tail = data[cut:]
        result.warnings.append(Problem(
            f"the last line is incomplete (a crash while saving?): {len(result.torn_tail)} bytes set aside, "
            "not applied; nothing that was confirmed is lost", str(path), lines_before + data[:cut].count(b"\n") + 1))
        return cut
    return len(data)


def _whole_line(tail: bytes) -> bool:
    """A last line without its line end that is a whole record (a cut-short write never is: a JSON
    object's every proper prefix is invalid)."""
    try:
        return isinstance(json.loads(tail), dict)
    except ValueError:
        return False


def _apply_lines(result: Replay, chunk: bytes, lineno: int, path: Path) -> int:
    """Apply the complete lines of ``chunk`` (numbered from ``lineno`` + 1); return the last line's number."""
    if not chunk:
        return lineno
    codings = result.codings
    done: dict[str, dict] = {}  # what the sync's latest lines removed and moved (``apply_record``)
    for raw in (chunk[:-1] if chunk.endswith(b"\n") else chunk).split(b"\n"):
        lineno += 1
        if not raw.strip():
            continue
        try:
            rec = parse_line(raw)
        except ValueError as exc:
            result.unreadable.append(raw)
            result.warnings.append(Problem(f"unreadable line skipped (not JSON: {exc})", str(path), lineno))
            continue
        version = rec.get("v", 1)
        if _is_int(version) and version > VERSION:
            result.future_lines.append(raw.decode("utf-8", "replace"))
            result.warnings.append(Problem(
                f"line written by a newer qualcode (format v{version}) kept but not applied; upgrade qualcode to see it",
                str(path), lineno))
            continue
        try:
            if version != VERSION:
                raise ValueError(f"unknown format version {version!r}")
            check_record(rec)
        except ValueError as exc:
            result.unreadable.append(raw)
            result.warnings.append(Problem(f"corrupt line skipped: {exc}", str(path), lineno))
            continue
        result.last_seq = max(result.last_seq, rec.get("n", 0))
        try:
            if done and not by_sync(rec):
                follow_history(codings, done)  # once after a run of the sync's lines
            if "of" in rec:
                _bring_to_top(codings, rec)
            apply_record(codings, rec, done)
        except (OperationError, KeyError, TypeError, ValueError, AttributeError) as exc:
            result.unreadable.append(raw)
            result.warnings.append(Problem(f"operation skipped: {exc}", str(path), lineno))
    follow_history(codings, done)
    return lineno


def _from_state(stored: state.Stored, coder: str) -> Replay:
    h = stored.header
    result = Replay(stored.coding_set(coder), stored.warnings(), h["last_seq"], list(h["future"]))
    result.stored = stored
    return result


def _continue(result: Replay, loaded: state.Loaded, path: Path, coder: str, folder: Path) -> Replay:
    """The replay from a cached state: the lines after it applied on top (and saved when worth it)."""
    stored = loaded.stored
    notes = result.notes
    result = _from_state(stored, coder)
    result.notes = notes
    lines = stored.header["lines"]
    cut = _cut_torn(result, loaded.tail, path, lines)
    result.clean_size = stored.consumed + cut
    lineno = _apply_lines(result, loaded.tail[:cut], lines, path)
    if (loaded.rehashed or lineno - lines >= state.MIN_LINES_TO_SAVE) and not result.unterminated:
        new = _save_state(result, folder, path, stored, stored.consumed, stored.header["digest"],
                          stored.header["bounds"], loaded.tail[:cut], lineno, loaded.sig, whole=loaded.data)
        result.stored = new or stored
    result.warnings.extend(aside_warnings(path))
    return result


def _save_state(result: Replay, folder: Path, path: Path, base, consumed: int, digest: bytes, bounds: list[int],
                chunk: bytes, lines: int, sig, whole: bytes | None = None):
    """Save ``result`` as the cached state covering the journal up to ``consumed + len(chunk)``: the
    digest chain is extended by ``chunk`` (or recomputed from ``whole`` when it grew long)."""
    end = consumed + len(chunk)
    if chunk:
        digest, bounds = state.chain(memoryview(chunk), 0, [len(chunk)], digest), [*bounds, end]
    if whole is not None and len(bounds) > state.MAX_BOUNDS:
        bounds = [end]
        digest = state.chain(memoryview(whole), 0, bounds)
    return state.save(folder, result.codings.coder, result.codings, base=base, journal=path, consumed=end,
                      bounds=bounds, digest=digest, sig=sig, lines=lines, last_seq=result.last_seq,
                      warnings=[w for w in result.warnings if "incomplete" not in w.message],
                      future=result.future_lines)


BY_SYNC = "sync"
"""``"by"`` of a line ``qualcode sync`` appended (``append_held``): not the coder's action."""


def by_sync(rec: dict) -> bool:
    """Whether a journal line is one ``qualcode sync`` appended (never an undo or a redo)."""
    return rec.get("by") == BY_SYNC and rec.get("op") not in ("undo", "redo")


def apply_record(codings: CodingSet, rec: dict, done: dict[str, dict] | None = None) -> None:
    """Apply one journal line. A line ``"by": "sync"`` is not an action of the coder's: it changes the
    codings without entering the undo history (nor ending what can be redone), so that undo takes back
    the coder's last action, not the sync's. The actions in the history follow it (``_follow``): undoing
    or redoing one never brings back a coding the sync removed, nor puts one it moved back where it was.
    With ``done``, what the line removed and moved is collected there instead, for ``follow_history``
    once after a run of such lines (a sync may append hundreds)."""
    if not by_sync(rec):
        codings.apply(rec)
        return
    codings._apply_one(rec)
    ops = rec["ops"] if rec["op"] == "batch" else [rec]
    found = {op["id"]: op for op in ops if op.get("op") in ("remove", "move")}
    if done is None:
        follow_history(codings, found)
    else:
        done.update(found)


def follow_history(codings: CodingSet, done: dict[str, dict]) -> None:
    """Make the undo and redo history follow the sync's removals and moves ``done`` (coding id -> its
    remove or move, the latest of each), then empty ``done``."""
    if not done:
        return
    for stack in (codings.undo_stack, codings.redo_stack):
        entries = [(_follow(forward, done), _follow(inverse, done)) for forward, inverse in stack]
        stack.clear()
        stack.extend(entry for entry in entries if None not in entry)  # an action left with nothing to do goes
    done.clear()


def _follow(op: dict, done: dict[str, dict]) -> dict | None:
    """``op`` after the sync's removals and moves ``done`` (coding id -> its remove or move): without its
    parts about a coding removed (None: nothing left), a coding's ``add`` placed where it was moved."""
    if op.get("op") == "batch":
        ops = [_follow(sub, done) for sub in op["ops"]]
        if all(new is old for new, old in zip(ops, op["ops"])):
            return op
        ops = [sub for sub in ops if sub is not None]
        return {**op, "ops": ops} if ops else None
    by = done.get(op.get("id") or (op.get("coding") or {}).get("id"))
    if by is None:
        return op
    if by["op"] == "remove":
        return None
    if op.get("op") == "add":
        place = {"s": by["start"], "e": by["end"], **{k: by[k] for k in ("t", "quote", "th") if k in by}}
        return {**op, "coding": {**op["coding"], **place}}
    return op


def _bring_to_top(codings: CodingSet, rec: dict) -> None:
    """An ``undo``/``redo`` naming the operation it undoes or redoes (``"of"``): that operation is
    made the one undone or redone, even when a merged history put other operations after it."""
    stack = codings.undo_stack if rec.get("op") == "undo" else codings.redo_stack
    target = rec["of"]
    if stack and stack[-1][0].get("oid") == target:
        return
    for pos in range(len(stack) - 1, -1, -1):
        if stack[pos][0].get("oid") == target:
            entry = stack[pos]
            del stack[pos]
            stack.append(entry)
            return
    raise OperationError(f"the action it names ({target}) is no longer in the {rec.get('op')} history")


def aside_warnings(path: Path) -> list[Problem]:
    """One finding per ``.unreadable-`` file beside the journal (``check`` reports them until deleted)."""
    return [Problem("an incomplete last line (a save cut short by a crash, never confirmed) was moved here; "
                    "read it, then delete the file", str(aside)) if ".torn-" in aside.name else
            Problem("lines that could not be read or applied were moved here when the journal was compacted; "
                    "read them, re-apply what you need, then delete the file", str(aside))
            for aside in set_aside_files(path)]


class JournalWriter:
    """The one writer of a coder's journal. Holds the lock until ``close``."""

    def __init__(self, folder: Path, coder: str, snapshot_dir: Path | None = None) -> None:
        self.coder = check_coder_name(coder)
        self.snapshot_dir = snapshot_dir
        self.folder = Path(folder)
        self.path = journal_path(self.folder, coder)
        self.lock_path = self.folder / f"{coder}.lock"
        self._lock_fd: int | None = None
        self._fd: int | None = None
        self._unborn = False
        """Open, with no journal file yet: ``append`` makes it (and syncs the folder)."""
        self.seq = 0
        self.notes: list[Problem] = []
        """What the last ``compact`` wants the user to know."""

    # -- lifecycle -------------------------------------------------------------------------
    def open(self) -> Replay:
        """Take the lock, set aside a torn tail, replay. Returns the replay for the caller's state."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise JournalError(f"cannot create the lock file: {_reason(exc)}", path=self.lock_path,
                               hint="free some disk space, or check that the codings folder is writable") from None
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = ""
            try:
                holder = os.pread(lock_fd, 200, 0).decode("utf-8", "replace").strip()
            except OSError:
                pass
            os.close(lock_fd)
            raise LockError(
                f"{self.coder}'s journal is already open in another qualcode ({holder or 'another process'})",
                path=self.path,
                hint="close the other qualcode (or code under another name with --coder)") from None
        try:
            os.ftruncate(lock_fd, 0)
            os.pwrite(lock_fd, f"pid {os.getpid()} on {socket.gethostname()}".encode(), 0)
        except OSError:
            pass  # who holds the lock is a courtesy (a full disk must not stop a session that only reads)
        self._lock_fd = lock_fd
        for stale in self.folder.glob(f".{self.path.name}.*.tmp"):  # a compaction killed before its rename
            try:
                stale.unlink()
            except OSError:
                pass
        try:
            if self.path.exists() and not self.path.is_file():
                raise JournalError("the journal is not a regular file (a FIFO, a device or a folder)", path=self.path,
                                   hint="move it away; qualcode makes a new journal")
            rep = replay(self.path, self.coder, self.snapshot_dir)
            if rep.torn_tail:
                self._set_aside(rep)
            elif rep.unterminated:  # end the hand-edited last line, so that the next append starts a line
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
                try:
                    os.write(fd, b"\n")
                    os.fsync(fd)
                finally:
                    os.close(fd)
            if self.path.exists():
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            else:  # made by the first change: a coder who only looks leaves no empty journal behind
                self._unborn = True
        except OSError as exc:
            self.close()
            raise JournalError(f"cannot open the journal for writing: {_reason(exc)}", path=self.path,
                               hint="free some disk space, or check that the codings folder is writable") from None
        except Exception:
            self.close()
            raise
        self.seq = rep.last_seq
        return rep

    def save_state(self, stored) -> object:
        """Bring the cached state ``stored`` (which this writer's replay stood on) up to the journal's
        end: the lines after it (this session's appends) are applied to it and hashed onto its digest
        chain; nothing before it is read again (it was checked when the journal was opened, and the
        lock has kept other writers out since). Returns the new state, or None."""
        if self._fd is None or stored is None:
            return None
        consumed = stored.consumed
        try:
            with open(self.path, "rb") as fh:
                st = os.fstat(fh.fileno())
                if st.st_size <= consumed:
                    return stored
                state.wait_settled(st)  # a few ms: then any later write shows in the journal's identity
                fh.seek(consumed)
                tail = fh.read(st.st_size - consumed)
            after = os.stat(self.path)
        except OSError:
            return None
        if not tail.endswith(b"\n") or len(tail) != st.st_size - consumed:
            return None
        same = state.signature(after) == state.signature(st)
        sig = state.signature(after) if same and state.settled(st) else None
        result = _from_state(stored, self.coder)
        lines = _apply_lines(result, tail, stored.header["lines"], self.path)
        return _save_state(result, self.snapshot_dir, self.path, stored, consumed, stored.header["digest"],
                           stored.header["bounds"], tail, lines, sig)

    def _set_aside(self, rep: Replay) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        for k in range(1000):  # never over an earlier one
            aside = self.path.with_name(f"{self.path.name}.torn-{stamp}" + (f"-{k}" if k else ""))
            try:
                fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                break
            except FileExistsError:
                continue
        else:
            raise OSError(errno.EEXIST, "too many set-aside files of the same second")
        with os.fdopen(fd, "wb") as fh:
            fh.write(rep.torn_tail)
            fh.flush()
            os.fsync(fh.fileno())  # kept before the journal is cut
        fsync_dir(self.folder)
        with open(self.path, "r+b") as fh:
            fh.truncate(rep.clean_size)
            fh.flush()
            os.fsync(fh.fileno())
        rep.warnings.append(Problem(f"incomplete last line moved to {aside.name}", str(self.path)))

    def _born(self) -> None:
        """Make the journal file on the first change (raises OSError)."""
        if self._fd is None and self._unborn:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._unborn = False
            fsync_dir(self.folder)

    def close(self) -> None:
        self._unborn = False
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._lock_fd is not None:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None

    def __enter__(self) -> "JournalWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------
    def append(self, op: dict) -> dict:
        """Write one operation durably; return the record as written. Raises JournalError on failure,
        in which case the journal is as it was before the call."""
        try:
            self._born()
        except OSError as exc:
            raise JournalError(f"not saved: {_reason(exc)}", path=self.path,
                               hint="free some disk space, or check that the codings folder is writable") from None
        if self._fd is None:
            raise JournalError("the journal is not open for writing", path=self.path)
        record, line = _record(op, self.seq + 1)
        size = os.fstat(self._fd).st_size
        try:
            written = os.write(self._fd, line)
            while written < len(line):
                written += os.write(self._fd, line[written:])
            _sync(self._fd)
        except OSError as exc:
            try:
                os.ftruncate(self._fd, size)
                os.fsync(self._fd)
            except OSError:
                pass
            raise JournalError(f"not saved: {_reason(exc)}", path=self.path,
                               hint="free some disk space and do it again; earlier work is safe") from None
        self.seq += 1
        return record

    def compact(self, codings: CodingSet, future_lines: list[str]) -> int:
        """Rewrite the journal as one ``add`` per current coding (undo history is dropped), atomically.

        The codings come from the journal itself, re-read here, never from a cache: ``codings`` (the
        session's set) is brought in line with it. Lines from a newer qualcode are kept as they are;
        lines that could not be read or applied are first moved, verbatim, to
        ``<coder>.jsonl.unreadable-<time>`` (fsynced), and ``self.notes`` says so.
        Returns the number of lines written."""
        if self._unborn:
            return 0  # no journal yet: nothing to compact
        if self._fd is None:
            raise JournalError("the journal is not open for writing", path=self.path)
        fresh = replay(self.path, self.coder)
        self.notes = []
        stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        if fresh.unreadable:
            aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp[:19].replace(':', '')}")
            _append_durably(aside, b"".join(raw + b"\n" for raw in fresh.unreadable))
            self.notes.append(Problem(
                f"{len(fresh.unreadable)} line(s) that could not be read or applied were moved to {aside.name}, "
                "not deleted: read them there", str(self.path)))
        lines = []
        n = 0
        for c in sorted(fresh.codings, key=lambda c: (c.transcript, c.start, c.end, c.code, c.id)):
            n += 1
            lines.append(json.dumps({"v": VERSION, "n": n, "at": stamp, "op": "add", "coding": c.to_json()},
                                    ensure_ascii=False, separators=(",", ":")))
        for tid, marks in sorted(fresh.codings.marks.items()):  # transcript status and memos
            for key, value in sorted(marks.items()):
                n += 1
                lines.append(json.dumps({"v": VERSION, "n": n, "at": stamp, "op": "tset", "t": tid, "key": key,
                                         "value": value}, ensure_ascii=False, separators=(",", ":")))
        lines.extend(fresh.future_lines)
        write_atomic(self.path, "".join(line + "\n" for line in lines))
        os.close(self._fd)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        fsync_dir(self.folder)
        self.seq = n
        codings.marks = fresh.codings.marks
        codings.removed.clear()  # the compacted journal holds no removals
        if codings.codings != fresh.codings.codings:
            codings.codings.clear()
            codings.by_transcript.clear()
            for c in fresh.codings:
                codings._put(c)
        future_lines[:] = fresh.future_lines
        codings.undo_stack.clear()
        codings.redo_stack.clear()
        return len(lines)


def _record(op: dict, n: int) -> tuple[dict, bytes]:
    """The journal line for ``op``, numbered ``n``."""
    record = {"v": VERSION, "n": n, "at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), **op}
    # unique across machines, so that two histories of this journal merge (store.merge); kept in ``op``
    # too, so that the undo history names it
    record["oid"] = op["oid"] = op.get("oid") or os.urandom(8).hex()
    return record, (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def append_held(path: Path, coder: str, ops: list[dict]) -> None:
    """Append ``ops`` to a journal whose lock the caller already holds (``qualcode sync`` moving
    codings while it holds every journal's lock), durably, after checking that each applies. Each
    line is marked ``"by": "sync"`` (``apply_record``: undo passes it by)."""
    rep = replay(path, coder)
    data = b""
    for i, op in enumerate(ops, 1):
        op = {**op, "by": BY_SYNC}
        check_record(op)
        rep.codings.check(op)
        apply_record(rep.codings, op, {})  # only checked: this replay's history is not used
        data += _record(op, rep.last_seq + i)[1]
    if data:
        _append_durably(path, data, "codings not moved")


def _append_durably(path: Path, data: bytes, failed: str = "not compacted: cannot keep the unreadable lines aside") -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
        fsync_dir(path.parent)
    except OSError as exc:
        raise JournalError(f"{failed} ({_reason(exc)})", path=path,
                           hint="free some disk space and try again; the journal is unchanged") from None


def _reason(exc: OSError) -> str:
    return "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or type(exc).__name__)
