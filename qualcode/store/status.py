"""Transcript status per coder (not started, in progress, done) and transcript memos.

Both are kept in the coder's own journal as ``tset`` operations
(``{"op": "tset", "t": "lsp-b", "key": "status", "value": "done"}``), so they are fsynced, undoable
and survive ``compact`` like codings; ``CodingSet.marks`` holds the current values. A transcript
with no status said is "in progress" once the coder has coded in it, else "not started".
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.domain.coding import CodingSet
from qualcode.errors import QualcodeError

NOT_STARTED, IN_PROGRESS, DONE = "not started", "in progress", "done"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)
_SPELLINGS = {
    "not started": NOT_STARTED, "not-started": NOT_STARTED, "notstarted": NOT_STARTED, "todo": NOT_STARTED,
    "in progress": IN_PROGRESS, "in-progress": IN_PROGRESS, "started": IN_PROGRESS, "progress": IN_PROGRESS,
    "done": DONE, "finished": DONE,
}


def parse_status(text: str) -> str:
    """``"done"``, ``"in-progress"``, ``"not started"``... as one of ``STATUSES``."""
    found = _SPELLINGS.get(" ".join(text.lower().replace("_", " ").split()))
    if found is None:
        raise QualcodeError(f"unknown status {text!r}", hint="use one of: not-started, in-progress, done")
    return found


def status_of(codings: CodingSet, transcript: str) -> str:
    """What ``codings``' coder said about ``transcript``, else what their codings show."""
    said = codings.marks.get(transcript, {}).get("status")
    if said in STATUSES:
        return said
    return IN_PROGRESS if codings.has_codings(transcript) else NOT_STARTED


def said_status(codings: CodingSet, transcript: str) -> bool:
    return "status" in codings.marks.get(transcript, {})


def transcript_memo(codings: CodingSet, transcript: str) -> str | None:
    return codings.marks.get(transcript, {}).get("memo")


def set_mark(session, transcript: str, key: str, value: str | None) -> None:
    """Save a transcript's ``status`` or ``memo`` in ``session``'s journal (fsynced before it returns)."""
    if transcript not in session.project.index:
        raise QualcodeError(f"no transcript {transcript!r} in this project",
                            hint="`qualcode stats` or the workbench's home lists the transcripts")
    if session.codings.marks.get(transcript, {}).get(key) == (value or None):
        return  # nothing to say: no journal line
    op = {"op": "tset", "t": transcript, "key": key, "value": value or None}
    if key == "memo":  # what it replaces: a memo written meanwhile on another machine is kept too
        op["was"] = session.codings.marks.get(transcript, {}).get("memo") or ""
    session.commit(op)


def set_status(session, transcript: str, status: str) -> str:
    status = parse_status(status)
    set_mark(session, transcript, "status", status)
    return status


def next_status(status: str) -> str:
    """The status after ``status`` in the cycle not started -> in progress -> done -> not started."""
    return STATUSES[(STATUSES.index(status) + 1) % len(STATUSES)]


@dataclass
class DoneFilter:
    kept: list[str]
    """Transcripts every compared coder marked done."""
    left_out: dict[str, list[str]]
    """Other transcripts -> the coders who have not marked them done (with their status)."""

    def describe(self) -> list[str]:
        return [f"{tid}: " + ", ".join(who) for tid, who in sorted(self.left_out.items())]


def done_by_all(project, coders: list[str]) -> DoneFilter:
    """Which transcripts every one of ``coders`` marked done, and why the others are left out."""
    sets = {coder: project.codings(coder) for coder in coders}
    kept, left_out = [], {}
    for entry in project.index:
        missing = [f"{coder} ({status_of(cs, entry.id)})" for coder, cs in sets.items()
                   if status_of(cs, entry.id) != DONE]
        if missing:
            left_out[entry.id] = missing
        else:
            kept.append(entry.id)
    return DoneFilter(kept, left_out)
