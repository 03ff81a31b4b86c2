"""Project-wide speaker roles (``[speakers.roles]`` in qualcode.toml) and the question heuristic.

A rule's key is a label or speaker name (case- and space-insensitive), a glob (``"Lead *"``,
``"Counsel*"``) or a regular expression (``"re:^(Counsel|Lead)\\b"``, matched case-insensitively
from the start); its value is ``interviewer``, ``respondent`` or ``none``. Exact names win over
patterns; patterns are tried in the order written.
"""

from __future__ import annotations

import re
from dataclasses import replace
from fnmatch import fnmatchcase

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT, Turn
from qualcode.errors import Note, Problem

from .names import key

ROLES = (INTERVIEWER, RESPONDENT, "none")
QUESTIONS = 0.5
"""A speaker with no role whose turns are at least this share questions is proposed as interviewer."""


def check_rules(roles: dict[str, str]) -> list[str]:
    """What is wrong with a ``[speakers.roles]`` table (empty when all is well)."""
    bad = []
    for pattern, role in roles.items():
        if role not in ROLES:
            bad.append(f"{pattern!r} = {role!r}: the role must be one of {', '.join(ROLES)}")
        if pattern.startswith("re:"):
            try:
                re.compile(pattern[3:])
            except re.error as exc:
                bad.append(f"{pattern!r}: not a regular expression ({exc})")
    return bad


def role_for(roles: dict[str, str], *names: str) -> str | None:
    """The role the rules give a speaker known by ``names`` (speaker, label); None when no rule matches.
    ``""`` means "no role" (a rule set to ``none``)."""
    keys = [key(n) for n in names if n]
    for pattern, role in roles.items():
        if not pattern.startswith("re:") and not any(ch in pattern for ch in "*?[") and key(pattern) in keys:
            return "" if role == "none" else role
    for pattern, role in roles.items():
        if pattern.startswith("re:"):
            hit = any(re.match(pattern[3:], n, re.I) for n in names if n)
        elif any(ch in pattern for ch in "*?["):
            hit = any(fnmatchcase(k, key(pattern)) for k in keys)
        else:
            continue
        if hit:
            return "" if role == "none" else role
    return None


def apply_rules(turns: list[Turn], roles: dict[str, str]) -> list[Turn]:
    if not roles:
        return turns
    out = []
    for t in turns:
        r = role_for(roles, t.speaker, t.label or "")
        out.append(t if r is None or r == (t.role or "") else replace(t, role=r or None))
    return out


def question_share(text: str, turns: list[Turn]) -> dict[str, tuple[int, int]]:
    """speaker -> (turns that end in a question mark, turns)."""
    out: dict[str, list[int]] = {}
    for t in turns:
        said = text[t.text_start:t.end].rstrip()
        n = out.setdefault(t.speaker, [0, 0])
        n[0] += said.endswith("?")
        n[1] += 1
    return {s: (q, n) for s, (q, n) in out.items()}


def propose_roles(text: str, turns: list[Turn], name: str, fixed: dict[str, str]) -> tuple[list[Turn], list[Problem]]:
    """When no one is the interviewer: a speaker without a role whose turns are mostly questions
    becomes the interviewer (and the others respondents), with a note saying so."""
    if not turns or any(t.role == INTERVIEWER for t in turns):
        return turns, []
    shares = question_share(text, turns)
    free = {t.speaker for t in turns if t.role is None and role_for(fixed, t.speaker, t.label or "") is None}
    asking = [s for s in free if shares[s][1] >= 3 and shares[s][0] / shares[s][1] >= QUESTIONS]
    if len(asking) != 1:
        return turns, []
    (who,) = asking
    q, n = shares[who]
    out = [replace(t, role=INTERVIEWER) if t.speaker == who else
           (replace(t, role=RESPONDENT) if t.role is None and t.speaker in free else t) for t in turns]
    note = Note(f"{who!r} was taken as the interviewer because {q} of {n} turns are questions; to confirm or "
                f"change it, set roles in qualcode.toml [speakers.roles] (`qualcode speakers --role \"{who}=interviewer\"`)",
                name)
    return out, [note]


def fill_respondents(turns: list[Turn], fixed: dict[str, str], declared: dict[str, str]) -> list[Turn]:
    """A transcript with an interviewer (declared, set by a rule, or proposed) and no respondent: the
    speakers nobody gave a role answer (naming the interviewer must not leave an interview without a
    respondent). Where some respondent is known (an inquiry's witness), the others keep no role (a
    chair is not a respondent). A rule or front matter saying ``none`` is left alone."""
    roles = {t.role for t in turns}
    if INTERVIEWER not in roles or RESPONDENT in roles:
        return turns
    said = {key(n) for n, r in declared.items() if r == "none"}

    def free(t: Turn) -> bool:
        return t.role is None and role_for(fixed, t.speaker, t.label or "") is None \
            and key(t.speaker) not in said and key(t.label or "") not in said

    return [replace(t, role=RESPONDENT) if free(t) else t for t in turns]
