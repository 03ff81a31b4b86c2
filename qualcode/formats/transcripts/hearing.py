"""Roles in hearings: public inquiries, courts, tribunals, evidence sessions.

In a hearing the witness answers and everyone else who speaks is on the asking side: counsel
examining the witness, the chair or judge, panel members. A hearing shows itself by its layout, not by
anyone's name:

- a witness sworn in: ``MR MARCUS BELL (affirmed)``, ``*DR JANE ROE (sworn).*``;
- an examination heading: ``Questions from Counsel to the Inquiry``, ``Examination by Mr Keith KC``;
- court-transcript ``Q.``/``A.`` lines;
- a counsel's label: ``Counsel Inquiry``, ``Counsel to the Inquiry``, ``Mr Keith KC``; or ``The Witness``.

Roles are then settled in this order (a role set by the project, the front matter or the layout
itself is never changed):

1. the witnesses (named when sworn in, ``The Witness``, ``A.``) answer;
2. when a witness is known, every other speaker asks (the chair too: "Please slow down" is no answer);
3. when none is, a speaker asks who holds a counsel's or a presiding title (``... KC``, ``Judge ...``,
   ``... Justice ...``, ``Coroner``; ``Lady ...``/``Lord ...`` when others address "my Lady"/"my Lord"),
   or whose turns are mostly questions (said in a note), and the others answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT, Turn
from qualcode.errors import Note, Problem

from .names import key, role_of_word
from .rules import QUESTIONS, question_share, role_for

_COUNSEL = re.compile(r"(?i:(?:(?:the|lead|junior)\s+)?counsel\b.*)|.*\S\s+(?:KC|QC|SC)")  # not initials "SC:"
_PRESIDING = re.compile(
    r"(?:(?:the\s+)?(?:chair(?:man|woman|person)?|coroner|presiding\s+(?:officer|judge)|tribunal\s+judge"
    r"|(?:his|her)\s+honour(?:\s+judge)?)\b.*|judge\s+\S.*|(?:mr|mrs|ms|lord|lady)\s+justice\s+\S.*)",
    re.I,
)
_PEER = re.compile(r"(lady|lord)\s+\S.*", re.I)


@dataclass
class Hearing:
    """What the layout says about a hearing (from ``labelled.parse_labelled``)."""

    witnesses: list[str] = field(default_factory=list)
    """People sworn in, as written (``MR MARCUS BELL (affirmed)`` -> "Mr Marcus Bell")."""
    examination: bool = False
    """An examination heading or ``Q.``/``A.`` lines."""

    def applies(self, labels) -> bool:
        """A hearing: a witness sworn in, an examination, or a counsel's or the witness's label."""
        return bool(self.witnesses) or self.examination or any(
            _COUNSEL.fullmatch(" ".join(lb.split())) or key(lb) in ("the witness", "witness") for lb in labels if lb
        )


def _title_asks(speaker: str, labels: set[str], text: str, turns: list[Turn]) -> bool:
    names = {" ".join(n.split()) for n in labels | {speaker}}
    if any(_COUNSEL.fullmatch(n) or _PRESIDING.fullmatch(n) for n in names):
        return True
    peers = {m.group(1).casefold() for n in names if (m := _PEER.fullmatch(n))}
    if not peers:
        return False
    said = " ".join(text[t.text_start:t.end] for t in turns if t.speaker != speaker)
    return any(re.search(rf"\bmy {p}\b", said, re.I) for p in peers)


def hearing_roles(text: str, turns: list[Turn], name: str, fixed: dict[str, str],
                  numbered: bool = False) -> tuple[list[Turn], list[Problem]]:
    """Roles for the speakers the layout gave none (see the module docstring). ``numbered``: the
    askers are already known by question numbers (Parliament), so only the witnesses are settled."""
    labels: dict[str, set[str]] = {}
    for t in turns:
        labels.setdefault(t.speaker, set()).add(t.label or t.speaker)
    free = {s for s in labels
            if all(t.role is None for t in turns if t.speaker == s)
            and role_for(fixed, s, *labels[s]) is None
            and not any(role_of_word(n) == "" for n in labels[s] | {s})}  # "Speaker 2": unknown, left so
    roles = {t.speaker: t.role for t in turns}
    notes: list[Problem] = []
    chosen: dict[str, str] = {}
    if free and RESPONDENT in roles.values() and not numbered:
        chosen = dict.fromkeys(free, INTERVIEWER)
    elif free:
        shares = question_share(text, turns)
        for s in sorted(free):
            q, n = shares[s]
            if _title_asks(s, labels[s], text, turns):
                chosen[s] = INTERVIEWER
            elif n >= 3 and q / n >= QUESTIONS:
                chosen[s] = INTERVIEWER
                notes.append(Note(
                    f"{s!r} was taken as asking the questions in this hearing because {q} of {n} turns are "
                    f"questions; to confirm or change it, set roles in qualcode.toml [speakers.roles] "
                    f"(`qualcode speakers --role \"{s}=interviewer\"`)", name))
        rest = free - set(chosen)
        if INTERVIEWER in {*roles.values(), *chosen.values()}:
            chosen.update(dict.fromkeys(rest, RESPONDENT))
        elif len(rest) == 1 and RESPONDENT in roles.values():
            chosen.update(dict.fromkeys(rest, INTERVIEWER))
    if not chosen:
        return turns, notes
    return [replace(t, role=chosen[t.speaker]) if t.speaker in chosen else t for t in turns], notes
