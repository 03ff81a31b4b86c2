"""Every transcript's speaker turns without loading the transcript: where each turn starts and ends,
who speaks and in what role, and the words spoken, cached in ``.qualcode/turns.json``.

The tables that say who speaks (the Framework matrix's attributions, co-occurrence within turns)
and the report's methods section (spoken words) need the turns of every coded transcript; loading
3,000 transcripts to get them takes a second or two and holds all their texts. The turns are a
few numbers per turn, so they are kept in one file, sealed like every ``.qualcode/`` file
(``store.cache_seal``) and never trusted blindly: a transcript's record is used only while the
index gives the same content hash and file hash, and the whole file only while the transcript
readers, the speaker aliases and the speaker roles are those it was made with. Anything else is
read again from the transcript (one at a time, let go after) and the file rewritten (temp file and
rename). Deleting it loses nothing.
"""

from __future__ import annotations

import json
import threading
import weakref
from dataclasses import dataclass

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

VERSION = 1
FILE = "turns.json"


@dataclass
class TurnRecord:
    """One transcript's turns (parallel lists, in text order) and its spoken words."""

    hash: str
    """The content hash of the transcript's canonical text (what a coding's ``th`` records)."""
    starts: list[int]
    ends: list[int]
    text_starts: list[int]
    speakers: list[str]
    roles: list[str]
    """Each turn's role: "interviewer", "respondent" or ""."""
    words: int | None
    """Words spoken: the text of the turns without labels and timestamps (``spoken_words``); None
    for a transcript without turns, or when not counted."""

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        return np.array(self.starts, dtype=np.int64), np.array(self.ends, dtype=np.int64)


def spoken_words(transcript) -> int | None:
    """The words of a transcript's speaker turns (labels, timestamps and any note before the first
    turn not counted); None for a transcript without turns. ``Transcript.word_count`` (plain Python:
    as fast as numpy for one transcript, and a table that only needs turns imports no numpy)."""
    if not transcript.turns:
        return None
    return transcript.word_count


def words_said(project, transcripts, starts, ends, ths, quotes, counted) -> list[int]:
    """The words said within each coding (parallel sequences: its transcript, span, transcript hash and
    quote, and ``counted``, the words of its quote): the words of the turns' text it covers, without
    the speaker labels, timestamps and notes between turns that a coding across turns takes in (a
    coding of a question and its answer holds "Dan:" and "Participant:"), as the methods' spoken
    words count. A coding within one turn's words keeps its count; so does one on a transcript edited
    since it was made, or without turns (its quote is then not the text at its offsets). Plain Python."""
    from bisect import bisect_right

    from qualcode.domain.transcript import count_words

    out = list(counted)
    records = turn_table(project).many(dict.fromkeys(transcripts))
    for k, (tid, s, e, th, quote) in enumerate(zip(transcripts, starts, ends, ths, quotes)):
        rec = records.get(tid)
        if rec is None or not rec.starts:
            continue
        i = bisect_right(rec.starts, s) - 1
        if i >= 0 and s >= rec.text_starts[i] and e <= rec.ends[i]:
            continue  # within one turn's words: the quote is what was said
        if (th is not None and th != rec.hash) or len(quote) != e - s:
            continue
        n = 0
        for j in range(max(i, 0), len(rec.starts)):
            if rec.starts[j] >= e:
                break
            lo, hi = max(s, rec.text_starts[j]), min(e, rec.ends[j])
            if hi > lo:
                n += count_words(quote[lo - s:hi - s])
        out[k] = n
    return out


def record_of(transcript, words: bool = True) -> TurnRecord:
    turns = transcript.turns
    return TurnRecord(transcript.hash, [t.start for t in turns], [t.end for t in turns],
                      [t.text_start for t in turns], [t.speaker for t in turns], [t.role or "" for t in turns],
                      spoken_words(transcript) if words else None)


class TurnTable:
    """The turn records of one project, read from the cache file once, completed on demand."""

    def __init__(self, project) -> None:
        self.project = project
        self.records: dict[str, tuple[tuple[str, str], TurnRecord]] = {}
        self._changed = False
        self._lock = threading.RLock()  # tables run in the workbench's worker threads
        self._fingerprint = _fingerprint(project)
        self._read()

    @property
    def path(self):
        return self.project.cache_dir / FILE

    def _read(self) -> None:
        from qualcode.store.cache_seal import read_sealed

        payload = read_sealed(self.path)
        try:
            data = json.loads(payload) if payload is not None else None
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict) or data.get("fingerprint") != self._fingerprint:
            return
        try:
            for tid, r in data["transcripts"].items():
                names, role_names = r["names"], r["role_names"]
                rec = TurnRecord(r["hash"], r["s"], r["e"], r["ts"], [names[i] for i in r["sp"]],
                                 [role_names[i] for i in r["r"]], None if r["w"] is None else int(r["w"]))
                if not len(rec.starts) == len(rec.ends) == len(rec.text_starts) == len(rec.speakers):
                    continue
                self.records[tid] = ((r["hash"], r["file_hash"]), rec)
        except (KeyError, TypeError, IndexError, ValueError):
            self.records.clear()  # not a file this version wrote: made again

    def get(self, transcript_id: str) -> TurnRecord | None:
        """The transcript's turns, or None when the project has no such transcript (or it cannot
        be read: its codings then stand without speakers)."""
        entry = self.project.index.get(transcript_id)
        if entry is None or entry.error:
            return None
        key = (entry.hash, entry.file_hash)
        held = self.records.get(transcript_id)
        if held is not None and held[0] == key:
            return held[1]
        from qualcode.analysis.speakers import visiting

        try:
            with visiting(self.project):
                rec = record_of(self.project.transcript(transcript_id))
        except Exception:  # noqa: BLE001 - an unreadable transcript: the caller goes without its turns
            return None
        with self._lock:
            self.records[transcript_id] = (key, rec)
            self._changed = True
        return rec

    def many(self, transcript_ids) -> dict[str, TurnRecord | None]:
        """``get`` for each id; the cache file rewritten once if any record was made."""
        with self._lock:
            out = {t: self.get(t) for t in transcript_ids}
            self.save()
        return out

    def save(self) -> None:
        """Write the cache file if a record was made since it was read (nothing if it cannot be written)."""
        with self._lock:
            if self._changed:
                self._write()

    def _write(self) -> None:
        from qualcode.errors import QualcodeError
        from qualcode.store.atomic import write_atomic
        from qualcode.store.cache_seal import seal

        out = {}
        index = self.project.index
        for tid, ((h, fh), rec) in self.records.items():
            if index.get(tid) is None:
                continue  # a transcript gone from the project leaves the file
            names = list(dict.fromkeys(rec.speakers))
            role_names = list(dict.fromkeys(rec.roles))
            where, role_at = {n: i for i, n in enumerate(names)}, {n: i for i, n in enumerate(role_names)}
            out[tid] = {"hash": h, "file_hash": fh, "s": rec.starts, "e": rec.ends, "ts": rec.text_starts,
                        "names": names, "sp": [where[s] for s in rec.speakers], "role_names": role_names,
                        "r": [role_at[r] for r in rec.roles], "w": rec.words}
        payload = json.dumps({"fingerprint": self._fingerprint, "transcripts": out}, ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, seal(payload), durable=False)
        except (OSError, QualcodeError):
            pass  # a read-only project still works, without the cache
        self._changed = False


_tables: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def turn_table(project) -> TurnTable:
    """The project's turn table (one per open project; its records are checked on every ``get``)."""
    table = _tables.get(project)
    if table is None or table._fingerprint != _fingerprint(project):
        table = _tables[project] = TurnTable(project)
    return table


def _fingerprint(project) -> str:
    """What every record depends on besides its transcript: the readers, speaker aliases and roles."""
    from qualcode.store.index import derived_fingerprint

    return derived_fingerprint(project.index, VERSION)
