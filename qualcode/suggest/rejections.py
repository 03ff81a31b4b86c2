"""Rejected suggestions: negative examples, kept durably in ``codings/<coder>.rejections.jsonl``.

One JSON object per line: ``{"transcript", "start", "end", "code", "quote", "th", "at"}`` (``th`` is
the transcript's content hash, so a rejection re-anchors like a coding when the transcript is
edited). Each line is appended and fsynced before ``record`` returns, like the coding journal, but
rejections never go into the journal: they are not codings, and the reliability and export code
never sees them. Light module (no spaCy, no scikit-learn): the workbench writes rejections.
"""

from __future__ import annotations

import errno
import json
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from qualcode.domain.coding import Coding
from qualcode.errors import JournalError, Problem

SUFFIX = ".rejections.jsonl"
_sync = getattr(os, "fdatasync", os.fsync)
_lock = threading.Lock()


@dataclass(frozen=True)
class Rejection:
    transcript: str
    start: int
    end: int
    code: str
    quote: str = ""
    th: str = ""
    at: str = ""

    def to_json(self) -> dict:
        return {"transcript": self.transcript, "start": self.start, "end": self.end, "code": self.code,
                "quote": self.quote, "th": self.th, "at": self.at}

    @classmethod
    def from_json(cls, d: dict) -> "Rejection":
        return cls(transcript=str(d["transcript"]), start=int(d["start"]), end=int(d["end"]),
                   code=str(d["code"]), quote=str(d.get("quote", "")), th=str(d.get("th", "")),
                   at=str(d.get("at", "")))

    def as_coding(self) -> Coding:
        """A stand-in coding, so ``store.anchoring.anchor`` can re-anchor a rejection."""
        return Coding(id="rejection", transcript=self.transcript, start=self.start, end=self.end,
                      code=self.code, coder="", quote=self.quote, th=self.th)


def rejections_path(codings_dir: str | Path, coder: str) -> Path:
    return Path(codings_dir) / f"{coder}{SUFFIX}"


def is_rejections_file(path: str | Path) -> bool:
    return Path(path).name.endswith(SUFFIX)


def record(codings_dir: str | Path, coder: str, *, transcript: str, start: int, end: int, code: str,
           text: str, th: str) -> Rejection:
    """Append one rejection of ``text[start:end]`` for ``code`` and fsync it. JournalError on failure
    (the file is then as it was)."""
    if not (0 <= start < end <= len(text)):
        raise JournalError(f"span {start}-{end} is outside the transcript (0-{len(text)})")
    rej = Rejection(transcript, start, end, code, text[start:end], th,
                    datetime.now(timezone.utc).isoformat(timespec="seconds"))
    path = rejections_path(codings_dir, coder)
    line = (json.dumps(rej.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    with _lock:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise JournalError(f"cannot open the rejections file: {exc.strerror}", path=path,
                               hint="check that the codings folder is writable") from None
        try:
            size = os.fstat(fd).st_size
            try:
                written = os.write(fd, line)
                while written < len(line):
                    written += os.write(fd, line[written:])
                _sync(fd)
            except OSError as exc:
                try:
                    os.ftruncate(fd, size)
                    os.fsync(fd)
                except OSError:
                    pass
                what = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror
                raise JournalError(f"rejection not saved: {what}", path=path,
                                   hint="free some disk space and reject it again") from None
        finally:
            os.close(fd)
    return rej


def load(codings_dir: str | Path, coder: str) -> tuple[list[Rejection], list[Problem]]:
    """All of a coder's rejections (oldest first) and any problems found reading them."""
    path = rejections_path(codings_dir, coder)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        raise JournalError(f"cannot read the rejections file: {exc.strerror}", path=path) from None
    out: list[Rejection] = []
    problems: list[Problem] = []
    lines = data.split(b"\n")
    torn = bool(data) and not data.endswith(b"\n")
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        if torn and lineno == len(lines):
            problems.append(Problem("the last line is incomplete (a crash while saving?); ignored", str(path), lineno))
            continue
        try:
            out.append(Rejection.from_json(json.loads(raw)))
        except (ValueError, KeyError, TypeError):
            problems.append(Problem("unreadable rejection skipped", str(path), lineno))
    return out, problems


def stamp(codings_dir: str | Path, coder: str) -> tuple[int, int]:
    """Changes when the file does (modification time, size): for the engine's retraining check."""
    try:
        st = rejections_path(codings_dir, coder).stat()
    except FileNotFoundError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def withdraw(codings_dir: str | Path, coder: str, rej: Rejection) -> bool:
    """Take back one rejection: the last line recording it leaves ``codings/<coder>.rejections.jsonl``
    (the file rewritten atomically, every other line as it was). False when no line records it.
    (``record`` appends; this is its undo, in the workbench panel's ``u``.)"""
    from qualcode.store.atomic import write_atomic

    path = rejections_path(codings_dir, coder)
    want = (rej.transcript, rej.start, rej.end, rej.code)
    with _lock:
        try:
            lines = path.read_bytes().splitlines(keepends=True)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise JournalError(f"cannot read the rejections file: {exc.strerror}", path=path) from None
        for i in range(len(lines) - 1, -1, -1):
            try:
                d = json.loads(lines[i])
                found = (d["transcript"], int(d["start"]), int(d["end"]), d["code"])
            except (ValueError, KeyError, TypeError):
                continue
            if found == want and (not rej.at or d.get("at", rej.at) == rej.at):
                write_atomic(path, b"".join(lines[:i] + lines[i + 1:]))
                return True
    return False
