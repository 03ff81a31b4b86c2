"""Warnings about who holds a transcript's speech: an interviewer holding most of it, or a declared
role that no turn has (signs of a layout read wrongly). Each says how to fix it."""

from __future__ import annotations

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT, Turn
from qualcode.errors import Problem

MOST = 0.75
"""An interviewer holding more than this share of the said text is reported ..."""
ENOUGH = 1500
"""... in a transcript with at least this many characters said (short exchanges vary too much)."""


def shares(turns: list[Turn]) -> dict[str, float]:
    """Each speaker's share of the said text (characters after the label)."""
    size: dict[str, int] = {}
    for t in turns:
        size[t.speaker] = size.get(t.speaker, 0) + max(0, t.end - t.text_start)
    total = sum(size.values()) or 1
    return {s: n / total for s, n in size.items()}


def balance_warnings(turns: list[Turn], name: str, declared: dict[str, str]) -> list[Problem]:
    out: list[Problem] = []
    if not turns:
        return out
    share = shares(turns)
    roles = {t.speaker: t.role for t in turns}
    asking = sum(v for s, v in share.items() if roles.get(s) == INTERVIEWER)
    said = sum(max(0, t.end - t.text_start) for t in turns)
    if asking > MOST and said >= ENOUGH:
        who = ", ".join(s for s in share if roles.get(s) == INTERVIEWER)
        out.append(Problem(
            f"the interviewer ({who}) holds {asking:.0%} of the text: respondents' speech may be read as the "
            "interviewer's; label every speaker, or set roles in qualcode.toml [speakers.roles] "
            "(`qualcode speakers` lists them)", name))
    spoken = {r for r in roles.values() if r}
    people = list(roles)
    if len(people) >= 2 and len(turns) >= 4:
        if not spoken:
            out.append(Problem(
                f"no speaker has a role ({', '.join(people[:4])}{' ...' if len(people) > 4 else ''}), so questions "
                "count as answers in suggestions and reports; set roles with `qualcode speakers --role NAME=interviewer`",
                name))
        elif spoken == {INTERVIEWER}:
            out.append(Problem(
                "every speaker is an interviewer, so no turn holds the respondent role; set the respondents with "
                "`qualcode speakers --role NAME=respondent`", name))
    for person, role in declared.items():
        if role in (INTERVIEWER, RESPONDENT) and person not in roles and role not in spoken:
            out.append(Problem(
                f"the front matter makes {person!r} the {role}, but no turn has that role; check the speaker "
                "labels match the names under speakers:", name))
    return out
