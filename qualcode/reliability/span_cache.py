"""Sentence and turn units of every transcript, cached in ``.qualcode/units.bin``.

Splitting 3,000 transcripts of 5,000 words into sentences (:mod:`qualcode.reliability.segments`,
pure Python) takes 7 to 15 seconds, and needs every transcript's text; the spans are two numbers
per unit. They are kept in one file, sealed like every ``.qualcode/`` file (``store.cache_seal``)
and never trusted blindly: a transcript's spans are used only while the index gives the same
content hash and file hash, and the whole file only while the splitter's source, the transcript
readers and the speaker aliases and roles are those it was made with. Anything else is split again
from the transcript and the file rewritten (temp file and rename, not fsynced: deleting it loses
nothing).

The file is ``QCSEAL1 <mac>\\n`` + a JSON line (fingerprint; per transcript and kind: hash, file
hash, first unit, units) + the starts and ends of all units as little-endian int64.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

VERSION = 1
FILE = "units.bin"


class SpanCache:
    """The cached unit spans of one project, read once; ``spans`` checks each against the index."""

    def __init__(self, project) -> None:
        self.project = project
        self.records: dict[tuple[str, str], tuple[tuple[str, str], np.ndarray, np.ndarray]] = {}
        self.changed = False
        self.fingerprint = _fingerprint(project)
        self.path = project.cache_dir / FILE
        self._read()

    def _read(self) -> None:
        from qualcode.store.cache_seal import read_sealed

        payload = read_sealed(self.path)
        if payload is None:
            return
        try:
            cut = payload.index(b"\n")
            head = json.loads(payload[:cut])
            if not isinstance(head, dict) or head.get("fingerprint") != self.fingerprint:
                return
            numbers = np.frombuffer(payload, dtype="<i8", offset=cut + 1)
            half = len(numbers) // 2
            starts, ends = numbers[:half], numbers[half:]
            for tid, kind, h, fh, first, count in head["records"]:
                if not (0 <= first and first + count <= half):
                    raise ValueError("a record past the end of the file")
                self.records[(tid, kind)] = ((h, fh), starts[first:first + count], ends[first:first + count])
        except (ValueError, TypeError, KeyError, RecursionError):
            self.records.clear()  # not a file this version wrote: made again

    def spans(self, transcript_id: str, kind: str, transcript=None):
        """(starts, ends) of the transcript's units of ``kind`` ("sentence" or "turn"): cached while
        the transcript is unchanged, else split from ``transcript`` (loaded if not given)."""
        from qualcode.reliability.segments import sentence_spans, turn_spans

        entry = self.project.index.get(transcript_id)
        key = (entry.hash, entry.file_hash) if entry is not None and not entry.error else None
        held = self.records.get((transcript_id, kind))
        if key is not None and held is not None and held[0] == key:
            return held[1], held[2]
        index = self.project.index
        if transcript is None:  # loaded for the split and let go after (3,000 texts are not kept)
            loaded = getattr(index, "_loaded", None)
            keep = not isinstance(loaded, dict) or transcript_id in loaded
            transcript = self.project.transcript(transcript_id)
            if not keep:
                index.forget(transcript_id)
        found = sentence_spans(transcript) if kind == "sentence" else turn_spans(transcript)
        starts = np.fromiter((s for s, _ in found), dtype=np.int64, count=len(found))
        ends = np.fromiter((e for _, e in found), dtype=np.int64, count=len(found))
        if key is not None and key[0] == transcript.hash:
            self.records[(transcript_id, kind)] = (key, starts, ends)
            self.changed = True
        return starts, ends

    def save(self) -> None:
        """Write the file if spans were split since it was read (nothing if it cannot be written)."""
        if not self.changed:
            return
        from qualcode.errors import QualcodeError
        from qualcode.store.atomic import write_atomic
        from qualcode.store.cache_seal import seal

        index = self.project.index
        records, starts, ends, pos = [], [], [], 0
        for (tid, kind), ((h, fh), st, en) in self.records.items():
            if index.get(tid) is None:
                continue  # a transcript gone from the project leaves the file
            records.append([tid, kind, h, fh, pos, len(st)])
            starts.append(st)
            ends.append(en)
            pos += len(st)
        head = json.dumps({"fingerprint": self.fingerprint, "records": records}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        numbers = np.concatenate(starts + ends).astype("<i8") if records else np.zeros(0, dtype="<i8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, seal(head + b"\n" + numbers.tobytes()), durable=False)
        except (OSError, QualcodeError):
            pass  # a read-only project still works, without the cache
        self.changed = False


def _fingerprint(project) -> str:
    """What every record depends on besides its transcript: the splitter's source, the readers,
    the speaker aliases and roles (the turns)."""
    from qualcode.reliability import segments
    from qualcode.store.index import derived_fingerprint

    source = hashlib.blake2b(Path(segments.__file__).read_bytes(), digest_size=16).hexdigest()
    return derived_fingerprint(project.index, VERSION, source)
