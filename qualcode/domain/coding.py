"""Codings and one coder's coding set, changed only by operations (the journal's lines).

An operation is a plain dict, exactly what the journal stores (without its envelope):
``{"op": "add", "coding": {...}}``, ``{"op": "remove", "id": ...}``,
``{"op": "recode", "id": ..., "code": ...}``, ``{"op": "memo", "id": ..., "memo": ...}``,
``{"op": "move", "id": ..., "start": ..., "end": ..., "quote": ..., "th": ..., "t": ...}`` ("t": to another
transcript, optional),
``{"op": "batch", "ops": [...]}`` (one user action), ``{"op": "undo"}`` and ``{"op": "redo"}``.
Undo and redo are operations too, so the history survives a restart.
"""

from __future__ import annotations

import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple

UNDO_LIMIT = 1000
"""How many actions undo reaches back (the same after a restart: replay keeps the same window)."""


def new_id() -> str:
    return secrets.token_hex(6)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Coding(NamedTuple):
    """A span ``[start, end)`` of transcript ``transcript`` (code points) tagged with ``code``.

    ``quote`` is the coded text and ``th`` the transcript's content hash when it was coded: together
    they re-anchor the coding when the transcript is edited.
    """

    id: str
    transcript: str
    start: int
    end: int
    code: str
    coder: str
    created: str = ""
    memo: str | None = None
    quote: str = ""
    th: str = ""

    def to_json(self) -> dict:  # noqa: D102
        d = {"id": self.id, "t": self.transcript, "s": self.start, "e": self.end, "code": self.code,
             "coder": self.coder, "at": self.created, "quote": self.quote, "th": self.th}
        if self.memo:
            d["memo"] = self.memo
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Coding":
        get = d.get
        return cls(d["id"], d["t"], int(d["s"]), int(d["e"]), d["code"], get("coder", ""), get("at", ""),
                   get("memo") or None, get("quote", ""), get("th", ""))

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


class OperationError(ValueError):
    """An operation that does not apply (unknown id, nothing to undo)."""


@dataclass
class CodingSet:
    """One coder's codings, with the undo and redo history of their operations."""

    coder: str
    codings: dict[str, Coding] = field(default_factory=dict)
    by_transcript: dict[str, dict[str, Coding]] = field(default_factory=dict)
    undo_stack: deque = field(default_factory=lambda: deque(maxlen=UNDO_LIMIT))
    """(operation, its inverse) pairs, newest last; at most UNDO_LIMIT."""
    redo_stack: list[tuple[dict, dict]] = field(default_factory=list)
    marks: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per transcript, what this coder says about it as a whole (``tset`` operations): ``status``
    (``in progress`` or ``done``; absent = not started) and ``memo`` (a transcript memo)."""
    removed: dict[str, dict] = field(default_factory=dict)
    """Codings removed (id -> the coding as JSON), so that a change made to one on another machine
    (one coder on two machines: removed on one, recoded, moved or given a memo on the other, and the
    journals merged) brings it back with the change instead of being lost."""

    def __len__(self) -> int:
        return len(self.codings)

    def __iter__(self):
        return iter(self.codings.values())

    def word_counts(self) -> list[int]:
        """The words of each coding's quote (``domain.transcript.count_words``), aligned with iterating
        the set. A cached state (``store.state``) keeps them, counted once when each coding entered it;
        a journal too short for one has them counted now."""
        kept = getattr(self.codings, "word_counts", None)
        if kept is not None:
            return kept()
        from qualcode.domain.transcript import count_words

        return [count_words(c.quote) for c in self.codings.values()]

    def get(self, coding_id: str) -> Coding | None:
        return self.codings.get(coding_id)

    def for_transcript(self, transcript_id: str) -> list[Coding]:
        return sorted(self.by_transcript.get(transcript_id, {}).values(), key=lambda c: (c.start, c.end, c.code))

    def has_codings(self, transcript_id: str) -> bool:
        count = getattr(self.by_transcript, "count", None)  # a cached state: without reading the codings
        if count is not None:
            return count(transcript_id) > 0
        return bool(self.by_transcript.get(transcript_id))

    def transcripts(self) -> set[str]:
        nonempty = getattr(self.by_transcript, "nonempty", None)  # a cached state: without reading codings
        if nonempty is not None:
            return nonempty()
        return {t for t, cs in self.by_transcript.items() if cs}

    # -- applying operations ------------------------------------------------------------------
    def _put(self, c: Coding) -> None:
        self.codings[c.id] = c
        self.by_transcript.setdefault(c.transcript, {})[c.id] = c

    def _drop(self, coding_id: str) -> Coding:
        c = self.codings.pop(coding_id)
        self.by_transcript[c.transcript].pop(coding_id, None)
        return c

    def _need(self, coding_id: str) -> Coding:
        c = self.codings.get(coding_id)
        if c is None:
            raise OperationError(f"no coding with id {coding_id!r}")
        return c

    def check(self, op: dict) -> None:
        """Raise OperationError if ``op`` would not apply (called before it is written)."""
        kind = op.get("op")
        if kind == "add":
            if op["coding"]["id"] in self.codings:
                raise OperationError(f"coding {op['coding']['id']!r} exists already")
        elif kind in ("remove", "recode", "memo", "move"):
            self._need(op["id"])
        elif kind == "batch":
            for sub in op["ops"]:
                if sub.get("op") in ("remove", "recode", "memo", "move") and sub["id"] not in self.codings:
                    if not any(s.get("op") == "add" and s["coding"]["id"] == sub["id"] for s in op["ops"]):
                        raise OperationError(f"no coding with id {sub['id']!r}")
        elif kind == "undo":
            if not self.undo_stack:
                raise OperationError("nothing to undo")
        elif kind == "redo":
            if not self.redo_stack:
                raise OperationError("nothing to redo")
        elif kind != "tset":
            raise OperationError(f"unknown operation {kind!r}")

    def _apply_one(self, op: dict) -> dict:
        """Apply a change; return its inverse."""
        kind = op["op"]
        if kind == "add":
            c = Coding.from_json(op["coding"])
            if c.id in self.codings:
                raise OperationError(f"coding {c.id!r} exists already")
            self._put(c)
            self.removed.pop(c.id, None)
            return {"op": "remove", "id": c.id}
        if kind == "remove":
            c = self._drop(self._need(op["id"]).id)
            self.removed[c.id] = c.to_json()
            return {"op": "add", "coding": c.to_json()}
        if kind in ("recode", "memo", "move") and op["id"] not in self.codings and op["id"] in self.removed:
            # changed on one machine after it was removed on another (the journals merged): the later
            # change keeps it; undoing that change removes it again
            self._put(Coding.from_json(self.removed.pop(op["id"])))
            return {"op": "batch", "ops": [self._apply_one(op), {"op": "remove", "id": op["id"]}]}
        if kind == "recode":
            c = self._need(op["id"])
            inverse = {"op": "recode", "id": c.id, "code": c.code}
            self._put(c._replace(code=op["code"]))
            return inverse
        if kind == "memo":
            c = self._need(op["id"])
            inverse = {"op": "memo", "id": c.id, "memo": c.memo}
            self._put(c._replace(memo=merged_memo(c.memo, op)))
            return inverse
        if kind == "move":  # within its transcript, or (with "t") to another one
            c = self._need(op["id"])
            inverse = {"op": "move", "id": c.id, "start": c.start, "end": c.end, "quote": c.quote, "th": c.th}
            moved = c._replace(start=int(op["start"]), end=int(op["end"]), quote=op.get("quote", c.quote),
                               th=op.get("th", c.th), transcript=op.get("t", c.transcript))
            if moved.transcript != c.transcript:
                inverse["t"] = c.transcript
                self._drop(c.id)
            self._put(moved)
            return inverse
        if kind == "tset":  # {"op": "tset", "t": transcript, "key": "status" | "memo", "value": text or None}
            mine = self.marks.setdefault(op["t"], {})
            inverse = {"op": "tset", "t": op["t"], "key": op["key"], "value": mine.get(op["key"])}
            value = op.get("value")
            if op["key"] == "memo" and "was" in op:
                value = merged_memo(mine.get("memo"), {"memo": value, "was": op["was"]})
            if value:
                mine[op["key"]] = value
            else:
                mine.pop(op["key"], None)
            return inverse
        if kind == "batch":
            inverses = []
            done = []
            try:
                for sub in op["ops"]:
                    inverses.append(self._apply_one(sub))
                    done.append(sub)
            except (OperationError, KeyError):
                for inv in reversed(inverses):
                    self._apply_one(inv)
                raise
            return {"op": "batch", "ops": list(reversed(inverses))}
        raise OperationError(f"unknown operation {kind!r}")

    def apply(self, op: dict) -> None:
        """Apply one journal operation (including undo and redo)."""
        kind = op.get("op")
        if kind == "undo":
            if not self.undo_stack:
                raise OperationError("nothing to undo")
            forward, inverse = self.undo_stack.pop()
            self._apply_one(inverse)
            self.redo_stack.append((forward, inverse))
        elif kind == "redo":
            if not self.redo_stack:
                raise OperationError("nothing to redo")
            forward, _ = self.redo_stack.pop()
            inverse = self._apply_one(forward)
            self.undo_stack.append((forward, inverse))
        else:
            inverse = self._apply_one(op)
            self.undo_stack.append((op, inverse))
            self.redo_stack.clear()

    def describe_undo(self) -> str | None:
        return describe(self.undo_stack[-1][0]) if self.undo_stack else None

    def describe_redo(self) -> str | None:
        return describe(self.redo_stack[-1][0]) if self.redo_stack else None


def merged_memo(current: str | None, op: dict) -> str | None:
    """The memo after ``op``: its text, or, where it replaced a memo other than the one now there (one
    coder wrote it on two machines and the journals merged), both texts, the one written later last."""
    new = op.get("memo") or None
    if "was" not in op or not current or current == (op.get("was") or None):
        return new
    if not new:  # cleared where another text was seen: the memo written on the other machine stays
        return current
    if current in new:
        return new
    if new in current:
        return current
    return f"{current}\n\n{new}"


def describe(op: dict) -> str:
    kind = op.get("op")
    if kind == "add":
        return f"add {op['coding']['code']}"
    if kind == "batch":
        kinds = {describe(o) for o in op["ops"]}
        return ", ".join(sorted(kinds)) if len(kinds) <= 2 else f"{len(op['ops'])} changes"
    if kind == "recode":
        return f"recode to {op['code']}"
    if kind == "tset":
        return f"{op['key']} of {op['t']}"
    return kind or "change"


def make_coding(*, transcript: str, start: int, end: int, code: str, coder: str, text: str,
                th: str, memo: str | None = None) -> Coding:
    """A new coding of ``text[start:end]`` (``text`` is the transcript's canonical text)."""
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span {start}-{end} is outside the transcript (0-{len(text)}) or empty")
    return Coding(id=new_id(), transcript=transcript, start=start, end=end, code=code, coder=coder,
                  created=now(), memo=memo or None, quote=text[start:end], th=th)
