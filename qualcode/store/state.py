"""Derived state of a coder's journal, cached in ``.qualcode/journals/`` so that a command pays for
what it uses, not for the size of the project.

Two files per coder:

* ``<coder>.state``: a small header (sealed with this user's key, ``store.cache_seal``; read with an
  unpickler that refuses every class): which journal bytes it covers, the undo and redo history,
  transcript status and memos, the journal's findings, and where each transcript's codings are.
* ``<coder>.pack-<random>``: one record per transcript (that transcript's codings and the words of
  each one's quote, ``domain.transcript.count_words``, counted once when the coding entered the
  state: ``Partitions.word_counts``) and one per id
  bucket (coding id -> transcript), each checked against a keyed BLAKE2 MAC the header holds, loaded
  only when a command touches it. The pack only grows: a changed transcript is appended and the
  header points at the new record (readers holding the old header still read the old one); it is
  written anew when more than half of it is superseded.

The state is never trusted blindly. The header records the covered prefix of the journal as a chain
of SHA-256 digests over its byte ranges (extending it hashes only the new bytes) and the journal's
identity (device, inode, size, modification and change time) when it was written. The same identity
means the file was not written since (the kernel sets the change time on every write and it cannot
be set back); any other identity (an append, a git merge or sync, compaction, an edit, a copy)
means the covered prefix is hashed again and compared: a match replays only the lines after it, a
mismatch rebuilds the state from the journal. An identity is recorded only when the clock had
passed the journal's last change before its bytes were read and it did not change while they were
read (``settled``): then even a same-size rewrite in place right after the save shows as a new
change time. Deleting ``.qualcode/`` loses nothing.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import hmac
import io
import os
import pickle
import time
import zlib
from collections.abc import MutableMapping
from pathlib import Path

from qualcode.domain.coding import Coding, CodingSet
from qualcode.domain.transcript import count_words
from qualcode.errors import Problem, QualcodeError
from qualcode.store.atomic import write_atomic
from qualcode.store.cache_seal import mac, seal, unseal

VERSION = 5
BUCKETS = 1024
MIN_LINES_TO_SAVE = 2000
"""A journal shorter than this is replayed whole (fast enough); longer ones get a cached state."""
REPACK_SLACK = 8 << 20
"""A pack is written anew when it is more than twice its live records plus this (superseded ones)."""
MAX_BOUNDS = 256
"""Digest chain segments kept before the chain is recomputed as one (when the whole prefix is read anyway)."""


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # noqa: D102 - refuse everything but builtin data
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cached state")


def _loads(raw: bytes):
    return _PlainUnpickler(io.BytesIO(raw)).load()


def bucket(coding_id: str) -> int:
    return zlib.crc32(coding_id.encode("utf-8", "surrogatepass")) % BUCKETS


def header_path(folder: Path, coder: str) -> Path:
    return folder / f"{coder}.state"


def signature(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _clock_ns() -> int:
    """The clock the kernel stamps files with (a coarse one: a few ms per tick)."""
    try:
        return time.clock_gettime_ns(time.CLOCK_REALTIME_COARSE)
    except (AttributeError, OSError):
        return time.time_ns()


def settled(st: os.stat_result) -> bool:
    """The clock has moved past the file's last change: any later write gives it a new change time,
    so an identity taken now (and found unchanged after reading) stands for exactly what was read."""
    return _clock_ns() > st.st_ctime_ns


def wait_settled(st: os.stat_result, limit: float = 0.05) -> None:
    """Wait (one clock tick at most, a few ms) until ``settled(st)``."""
    deadline = time.monotonic() + limit
    while not settled(st) and time.monotonic() < deadline:
        time.sleep(0.001)


def chain(data, start: int, bounds, digest: bytes = b"") -> bytes:
    """SHA-256 chained over ``data[start:b1]``, ``data[b1:b2]``, ...: the digest of a prefix that an
    append extends by hashing the new bytes only."""
    for end in bounds:
        h = hashlib.sha256(digest)
        h.update(data[start:end])
        digest, start = h.digest(), end
    return digest


class StateDamaged(QualcodeError):
    """A pack record failed its check while in use (the header was removed: the next run rebuilds)."""


# -- reading ---------------------------------------------------------------------------------------
class Stored:
    """A verified header and its open pack (kept open: a pack replaced meanwhile is still readable)."""

    def __init__(self, folder: Path, coder: str, header: dict, fd: int) -> None:
        self.folder = folder
        self.coder = coder
        self.header = header
        self.fd = fd

    def __del__(self) -> None:
        try:
            os.close(self.fd)
        except (OSError, TypeError, AttributeError):
            pass

    @property
    def consumed(self) -> int:
        return self.header["consumed"]

    def _record(self, entry) -> object:
        off, length, tag = entry[0], entry[1], entry[2]
        raw = os.pread(self.fd, length, off)
        if len(raw) != length or not hmac.compare_digest(mac(raw), tag):
            path = header_path(self.folder, self.coder)
            try:
                path.unlink()
            except OSError:
                pass
            raise StateDamaged("the cached state of this journal is damaged; it was removed", path=path,
                               hint="run the command again: the state is rebuilt from the journal")
        return _loads(raw)

    def part(self, tid: str) -> tuple[dict[str, Coding], tuple[list[str], list[int]]]:
        """A transcript's codings, and (their ids, the words of each) in the same order."""
        entry = self.header["parts"].get(tid)
        if entry is None:
            return {}, ([], [])
        rows, words = self._record(entry)
        make = tuple.__new__
        return {row[0]: make(Coding, row) for row in rows}, ([row[0] for row in rows], words)

    def ids(self, b: int) -> dict[str, str]:
        entry = self.header["buckets"].get(b)
        return {} if entry is None else self._record(entry)

    def coding_set(self, coder: str) -> CodingSet:
        """A CodingSet over this state: transcripts' codings are read when first touched."""
        parts = Partitions(self)
        h = self.header
        cs = CodingSet(coder, codings=LazyCodings(parts), by_transcript=LazyTranscripts(parts))
        cs.undo_stack.extend(h["undo"])
        cs.redo_stack.extend(h["redo"])
        cs.marks.update({t: dict(m) for t, m in h["marks"].items()})
        cs.removed.update(h["removed"])
        return cs

    def warnings(self) -> list[Problem]:
        return [Problem(m, p, line) for m, p, line in self.header["warnings"]]


def _well_formed(h) -> bool:
    if not isinstance(h, dict) or h.get("version") != VERSION:
        return False
    try:
        return (type(h["consumed"]) is int and h["consumed"] > 0 and type(h["lines"]) is int
                and type(h["last_seq"]) is int and isinstance(h["digest"], bytes) and isinstance(h["pack"], str)
                and "/" not in h["pack"] and isinstance(h["bounds"], list) and h["bounds"][-1] == h["consumed"]
                and isinstance(h["parts"], dict) and isinstance(h["buckets"], dict)
                and isinstance(h["marks"], dict) and isinstance(h["undo"], list) and isinstance(h["redo"], list)
                and isinstance(h["removed"], dict)
                and all(type(w) is tuple and len(w) == 3 for w in h["warnings"])
                and all(isinstance(line, str) for line in h["future"]))
    except (KeyError, TypeError, IndexError):
        return False


def _read_header(folder: Path, coder: str, notes: list[str] | None) -> dict | None:
    path = header_path(folder, coder)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    payload = unseal(raw)
    h = None
    if payload is not None:
        try:
            h = _loads(payload)
        except Exception:  # noqa: BLE001 - whatever a damaged pickle raises, it is only a cache
            h = None
    if not _well_formed(h):
        if isinstance(h, dict) and h.get("version") != VERSION:
            return None  # sealed by this user, by another qualcode version: rebuilt without a word
        if notes is not None:
            notes.append(f"{path}: the cached journal state is damaged or was not written by you; "
                         "rebuilt from the journal")
        return None
    return h


class Loaded:
    """A state that matches the journal: ``tail`` is the journal after the bytes it covers."""

    def __init__(self, stored: Stored, tail: bytes, sig: tuple | None, rehashed: bool = False, data=None) -> None:
        self.stored = stored
        self.tail = tail
        self.sig = sig
        """The journal's identity when read (None: it changed while being read)."""
        self.rehashed = rehashed
        """The covered prefix had to be hashed (the journal was written since the state was)."""
        self.data = data
        """The whole journal when it was read to check it (to recompute a long digest chain)."""


def load(folder: Path, coder: str, journal: Path, notes: list[str] | None = None) -> Loaded | None:
    """The cached state of ``journal`` if it is sealed by this user, well formed and covers a prefix
    of the journal as it is now; else None (the caller replays the journal and saves a new one)."""
    for _attempt in range(2):  # a pack replaced between reading the header and opening it: once more
        h = _read_header(folder, coder, notes)
        if h is None:
            return None
        try:
            st = os.stat(journal)
        except OSError:
            return None
        consumed = h["consumed"]
        if st.st_size < consumed:
            return None
        try:
            fd = os.open(folder / h["pack"], os.O_RDONLY)
        except FileNotFoundError:
            continue
        except OSError:
            return None
        stored = Stored(folder, coder, h, fd)
        try:
            with open(journal, "rb") as fh:
                if signature(os.fstat(fh.fileno()))[:2] != signature(st)[:2]:
                    return None  # replaced meanwhile
                if tuple(h.get("sig") or ()) == signature(st):  # not written since the state was
                    fh.seek(consumed)
                    return Loaded(stored, fh.read(st.st_size - consumed), signature(st))
                stable = settled(st)
                data = fh.read()
                after = os.fstat(fh.fileno())
        except OSError:
            return None
        if len(data) < consumed or chain(memoryview(data), 0, h["bounds"]) != h["digest"]:
            return None
        same = signature(after) == signature(st) and len(data) == st.st_size
        sig = signature(st) if stable and same else None  # else the next open hashes it again
        return Loaded(stored, data[consumed:], sig, True, data)
    return None


# -- the lazy coding set ------------------------------------------------------------------------------
class Partitions:
    """The codings of a stored state, per transcript, read on first use; changes since it was stored."""

    def __init__(self, stored: Stored | None) -> None:
        self.stored = stored
        self.counts: dict[str, int] = {t: e[3] for t, e in stored.header["parts"].items()} if stored else {}
        self.loaded: dict[str, dict[str, Coding]] = {}
        self.words: dict[str, dict[str, int] | tuple[list[str], list[int]]] = {}
        """Per loaded transcript, the words of each coding's quote: as read (ids, counts in the same
        order) until a coding of the transcript changes, then coding id -> count."""
        self.ids: dict[str, str | None] = {}
        """Coding id -> transcript (None: removed), for ids changed since the state was stored."""
        self.buckets: dict[int, dict[str, str]] = {}
        self.dirty: set[str] = set()
        self.resolver = None
        """Applied to each transcript's codings when loaded (codes the codebook renamed, merged, dropped)."""

    def part(self, tid: str, create: bool = False) -> dict[str, Coding] | None:
        p = self.loaded.get(tid)
        if p is None:
            if tid in self.counts:
                p, self.words[tid] = self.stored.part(tid) if self.stored is not None else ({}, {})
                if self.resolver is not None:
                    self.resolver(p)
            elif create:
                p = {}
                self.words[tid] = {}
                self.counts[tid] = 0
            else:
                return None
            self.loaded[tid] = p
        return p

    def tid_of(self, coding_id: str) -> str | None:
        if coding_id in self.ids:
            return self.ids[coding_id]
        if self.stored is None:
            return None
        b = bucket(coding_id)
        ids = self.buckets.get(b)
        if ids is None:
            ids = self.buckets[b] = self.stored.ids(b)
        return ids.get(coding_id)

    def all(self):
        """Every transcript's codings (read now if need be). The cyclic garbage collector is paused
        while they are read: ``Coding`` tuples stay tracked, and hundreds of thousands of them made
        at once would have it traverse them again and again (half the time of reading them)."""
        if self.stored is None or len(self.loaded) == len(self.counts):
            yield from ((tid, self.part(tid)) for tid in list(self.counts))
            return
        paused = gc.isenabled()
        gc.disable()
        try:
            out = [(tid, self.part(tid)) for tid in list(self.counts)]
        finally:
            if paused:
                gc.enable()
        yield from out

    def words_of(self, tid: str) -> dict[str, int]:
        """Coding id -> words of its quote, for a loaded transcript (to be kept current as it changes)."""
        w = self.words.get(tid)
        if w is None:
            w = self.words[tid] = {}
        elif type(w) is tuple:
            w = self.words[tid] = dict(zip(*w))
        return w

    def counted(self, tid: str, part: dict[str, Coding]) -> list[int]:
        """The words of each of ``part``'s codings, in its order (counted now only if not yet known)."""
        w = self.words.get(tid)
        if type(w) is tuple and len(w[0]) == len(part):  # as read: the same codings in the same order
            return w[1]
        w = self.words_of(tid)
        out = []
        for cid, c in part.items():
            n = w.get(cid)
            if n is None:
                n = w[cid] = count_words(c.quote)
            out.append(n)
        return out

    def word_counts(self) -> list[int]:
        """The words of every coding's quote, aligned with iterating the codings (``LazyCodings.values``)."""
        out: list[int] = []
        for tid, p in self.all():
            out += self.counted(tid, p)
        return out

    def set_resolver(self, resolver) -> None:
        self.resolver = resolver
        for p in self.loaded.values():
            resolver(p)

    def clear(self) -> None:
        self.stored = None
        self.counts.clear()
        self.loaded.clear()
        self.words.clear()
        self.ids.clear()
        self.buckets.clear()
        self.dirty.clear()

    def exact_counts(self) -> bool:
        return self.resolver is None


class LazyCodings(MutableMapping):
    """Coding id -> Coding over ``Partitions`` (a dict to ``CodingSet``)."""

    def __init__(self, parts: Partitions) -> None:
        self.parts = parts

    def __getitem__(self, coding_id: str) -> Coding:
        tid = self.parts.tid_of(coding_id)
        if tid is None:
            raise KeyError(coding_id)
        return self.parts.part(tid, create=True)[coding_id]

    def __contains__(self, coding_id: object) -> bool:
        try:
            self[coding_id]
        except (KeyError, TypeError):
            return False
        return True

    def __setitem__(self, coding_id: str, c: Coding) -> None:
        parts = self.parts
        p = parts.part(c.transcript, create=True)
        before = p.get(coding_id)
        if before is None:
            old = parts.tid_of(coding_id)
            if old is not None and old != c.transcript:
                del self[coding_id]
            parts.ids[coding_id] = c.transcript
            parts.counts[c.transcript] += 1
        if before is None or before.quote != c.quote:  # added or moved: its words counted once, now
            parts.words_of(c.transcript)[coding_id] = count_words(c.quote)
        p[coding_id] = c
        parts.dirty.add(c.transcript)

    def __delitem__(self, coding_id: str) -> None:
        parts = self.parts
        tid = parts.tid_of(coding_id)
        p = parts.part(tid) if tid is not None else None
        if p is None or coding_id not in p:
            raise KeyError(coding_id)
        del p[coding_id]
        parts.words_of(tid).pop(coding_id, None)
        parts.ids[coding_id] = None
        parts.counts[tid] -= 1
        parts.dirty.add(tid)

    def __iter__(self):
        for _, p in self.parts.all():
            yield from list(p)

    def __len__(self) -> int:
        if self.parts.exact_counts():
            return sum(self.parts.counts.values())
        return sum(len(p) for _, p in self.parts.all())

    def values(self):
        return [c for _, p in self.parts.all() for c in p.values()]

    def items(self):
        return [item for _, p in self.parts.all() for item in p.items()]

    def clear(self) -> None:
        self.parts.clear()

    def word_counts(self) -> list[int]:
        """See ``CodingSet.word_counts``."""
        return self.parts.word_counts()

    def __eq__(self, other) -> bool:
        return dict(self.items()) == (dict(other.items()) if hasattr(other, "items") else other)

    __hash__ = None


class LazyTranscripts(MutableMapping):
    """Transcript id -> {coding id: Coding} over ``Partitions``."""

    def __init__(self, parts: Partitions) -> None:
        self.parts = parts

    def __getitem__(self, tid: str) -> dict[str, Coding]:
        p = self.parts.part(tid)
        if p is None:
            raise KeyError(tid)
        return p

    def __setitem__(self, tid: str, value: dict) -> None:
        self.parts.loaded[tid] = value
        self.parts.words.pop(tid, None)  # counted again when asked
        self.parts.counts[tid] = len(value)
        self.parts.dirty.add(tid)

    def __delitem__(self, tid: str) -> None:
        p = self[tid]
        for cid in list(p):
            self.parts.ids[cid] = None
        p.clear()
        self.parts.words[tid] = {}
        self.parts.counts[tid] = 0
        self.parts.dirty.add(tid)

    def __contains__(self, tid: object) -> bool:
        return tid in self.parts.counts

    def __iter__(self):
        return iter(list(self.parts.counts))

    def __len__(self) -> int:
        return len(self.parts.counts)

    def values(self):
        return [p for _, p in self.parts.all()]

    def items(self):
        return list(self.parts.all())

    def clear(self) -> None:
        self.parts.clear()

    def count(self, tid: str) -> int:
        """How many codings ``tid`` has (read only when the codebook's resolution may drop some)."""
        if self.parts.exact_counts():
            return self.parts.counts.get(tid, 0)
        return len(self.parts.part(tid) or {})

    def nonempty(self) -> set[str]:
        """Transcripts with at least one coding (without reading them when the counts are exact)."""
        if self.parts.exact_counts():
            return {t for t, n in self.parts.counts.items() if n}
        return {t for t, p in self.parts.all() if p}


def partitions_of(codings: CodingSet) -> Partitions | None:
    store = codings.codings
    return store.parts if isinstance(store, LazyCodings) else None


# -- writing ---------------------------------------------------------------------------------------
def _intern_rows(codings) -> list[tuple]:
    """Rows with repeated strings shared (the pickle then stores them once per record)."""
    seen: dict[str, str] = {}
    get = seen.setdefault
    return [(c[0], get(c[1], c[1]), c[2], c[3], get(c[4], c[4]), get(c[5], c[5]), get(c[6], c[6]), c[7], c[8],
             get(c[9], c[9])) for c in sorted(codings, key=lambda c: (c.start, c.end, c.code, c.id))]


def _part_record(codings, words: dict[str, int] | None) -> bytes:
    """A transcript's record: its codings' rows and the words of each one's quote (those not in
    ``words`` are counted now: the codings that entered the state through a replay)."""
    rows = _intern_rows(codings)
    known = words or {}
    return _dump((rows, [known[r[0]] if r[0] in known else count_words(r[8]) for r in rows]))


def _dump(obj) -> bytes:
    return pickle.dumps(obj, protocol=5)


class _Pack:
    """Records appended to a pack; held locked (``flock``) from the first offset given out to the
    last byte written, so that two processes saving at once never misplace each other's records."""

    def __init__(self, path: Path, fresh: bool) -> None:
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT | os.O_EXCL if fresh else 0)
        self.path = path
        self.fd = os.open(path, flags, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            self.base = os.fstat(self.fd).st_size
        except OSError:
            os.close(self.fd)
            raise
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, blob: bytes) -> tuple[int, int, str]:
        entry = (self.base + self.size, len(blob), mac(blob))
        self.chunks.append(blob)
        self.size += len(blob)
        return entry

    def finish(self) -> None:
        try:
            data = b"".join(self.chunks)
            start = os.fstat(self.fd).st_size
            if start != self.base:  # someone appended meanwhile: our offsets would be wrong
                raise OSError("the pack changed while it was written")
            written = 0
            while written < len(data):
                written += os.write(self.fd, data[written:])
            getattr(os, "fdatasync", os.fsync)(self.fd)  # records before the header that points at them
        finally:
            os.close(self.fd)  # and the lock with it

    def abandon(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


def save(folder: Path, coder: str, codings: CodingSet, *, base: Stored | None, journal: Path, consumed: int,
         bounds: list[int], digest: bytes, sig: tuple | None, lines: int, last_seq: int,
         warnings: list[Problem], future: list[str]) -> Stored | None:
    """Write the state of ``codings`` (raw: not resolved against the codebook) covering the journal's
    first ``consumed`` bytes. With ``base`` (the stored state ``codings`` was read from), only the
    transcripts and id buckets that changed are appended to its pack. Returns the new state, or None
    when it could not be written (a cache: the caller goes on without it)."""
    parts = partitions_of(codings)
    pack = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        incremental = base is not None and parts is not None and parts.stored is base
        if incremental:
            try:
                pack_size = os.fstat(base.fd).st_size
            except OSError:
                pack_size = 0
            live = base.header.get("live", 0)
            if pack_size > 2 * live + REPACK_SLACK:
                incremental = False  # mostly superseded records: write it anew
        if incremental:
            h = dict(base.header)
            h["parts"] = dict(h["parts"])
            h["buckets"] = dict(h["buckets"])
            pack = _Pack(folder / h["pack"], fresh=False)
            live = h.get("live", 0)
            for tid in sorted(parts.dirty):
                p = parts.loaded.get(tid, {})
                old = h["parts"].pop(tid, None)
                live -= old[1] if old else 0
                if p:
                    h["parts"][tid] = pack.add(_part_record(p.values(), parts.words_of(tid))) + (len(p),)
                    live += h["parts"][tid][1]
            changed: dict[int, dict[str, str | None]] = {}
            for cid, tid in parts.ids.items():
                changed.setdefault(bucket(cid), {})[cid] = tid
            for b, updates in sorted(changed.items()):
                ids = dict(parts.buckets[b]) if b in parts.buckets else base.ids(b)
                for cid, tid in updates.items():
                    if tid is None:
                        ids.pop(cid, None)
                    else:
                        ids[cid] = tid
                old = h["buckets"].pop(b, None)
                live -= old[1] if old else 0
                if ids:
                    h["buckets"][b] = pack.add(_dump(ids))
                    live += h["buckets"][b][1]
            h["live"] = live
        else:
            name = f"{coder}.pack-{os.urandom(6).hex()}"
            pack = _Pack(folder / name, fresh=True)
            h = {"pack": name, "parts": {}, "buckets": {}}
            by_bucket: dict[int, dict[str, str]] = {}
            groups = parts.all() if parts is not None else codings.by_transcript.items()
            for tid, p in sorted(groups, key=lambda item: item[0]):
                if not p:
                    continue
                tid_obj = next(iter(p.values())).transcript
                words = parts.words_of(tid) if parts is not None else None
                h["parts"][tid] = pack.add(_part_record(p.values(), words)) + (len(p),)
                for cid in p:
                    by_bucket.setdefault(bucket(cid), {})[cid] = tid_obj
            for b, ids in sorted(by_bucket.items()):
                h["buckets"][b] = pack.add(_dump(ids))
            h["live"] = pack.size
        done, pack = pack, None
        done.finish()
        h.update({
            "version": VERSION, "coder": coder, "consumed": consumed, "bounds": list(bounds), "digest": digest,
            "sig": sig, "lines": lines, "last_seq": last_seq,
            "undo": list(codings.undo_stack), "redo": list(codings.redo_stack),
            "marks": {t: dict(m) for t, m in codings.marks.items()}, "removed": dict(codings.removed),
            "warnings": [(w.message, w.path, w.line) for w in warnings], "future": list(future),
        })
        write_atomic(header_path(folder, coder), seal(_dump(h)), durable=False)
        fd = os.open(folder / h["pack"], os.O_RDONLY)
    except (OSError, QualcodeError, pickle.PicklingError):
        if pack is not None:
            pack.abandon()
        return None  # a cache: never fail the caller
    if not incremental:
        _remove_old(folder, coder, h["pack"])
    return Stored(folder, coder, h, fd)


def _remove_old(folder: Path, coder: str, keep: str) -> None:
    """Packs the header no longer names (and the replay snapshot of before): gone. A pack another
    process is still reading stays readable to it (it holds it open)."""
    for old in [*folder.glob(f"{coder}.pack-*"), folder / f"{coder}.snap"]:
        if old.name != keep:
            try:
                old.unlink()
            except OSError:
                pass


def resolver_for(book):
    """A function applying the codebook's renamed, merged and dropped codes to one transcript's codings
    (in memory: the journal keeps the ids it was written with), or None when there is nothing to apply."""
    if not (book.renamed or book.merged or book.dropped):
        return None

    def resolve(part: dict[str, Coding]) -> None:
        for cid, c in list(part.items()):
            code = book.resolve_code(c.code)
            if code == c.code:
                continue
            if code is None:
                del part[cid]
            else:
                part[cid] = c._replace(code=code)

    return resolve
