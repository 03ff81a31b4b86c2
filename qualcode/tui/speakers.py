"""Who speaks in a transcript, with each speaker's role and turns, as the workbench shows it."""

from __future__ import annotations


def speaker_summary(roles: dict, turns_word: bool = True) -> str:
    """``Counsel Inquiry (interviewer, 34 turns), Mr Bell (respondent, 38 turns)`` from an index
    entry's ``roles`` (speaker -> {"role", "turns"}); a speaker without a role says "no role"."""
    return ", ".join(speaker_parts(roles, turns_word))


def speaker_parts(roles: dict, turns_word: bool = True) -> list[str]:
    """Each speaker as ``speaker_summary`` says them: ``Mr Bell (respondent, 38 turns)``."""
    parts = []
    for name, info in roles.items():
        info = info if isinstance(info, dict) else {}
        role = info.get("role") or "no role"
        n = int(info.get("turns") or 0)
        count = f"{n} turn{'s' if n != 1 else ''}" if turns_word else str(n)
        parts.append(f"{name} ({role}, {count})")
    return parts
