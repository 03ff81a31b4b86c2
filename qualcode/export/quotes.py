"""Exemplar quotations: a few coded passages per code, from different cases, with attributions
("LSP C, VCS representative") from the case name and the speaker's role in the transcript's
metadata (``roles:``)."""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass

MAX_WORDS = 90
_HEAD = 400
_SENTENCE_END = re.compile(r"[.!?]['\u2019\u201d)]?\s")
_TRUTHY = {"true", "yes", "1", "y", "on"}


@dataclass
class Exemplar:
    code: str
    transcript: str
    case: str
    speaker: str | None
    attribution: str
    text: str
    coder: str


def is_illustrative(metadata: dict) -> bool:
    value = (metadata or {}).get("illustrative")
    return value is True or str(value).strip().lower() in _TRUTHY


def role_of(project, transcript_id: str, speaker: str | None, turn_role: str | None) -> str:
    """The speaker's role: metadata ``roles:``, else 'interviewer', else the case's single
    ``interviewee_roles``/``role`` attribute, else 'respondent'."""
    entry = project.index.get(transcript_id)
    roles = (entry.metadata.get("roles") if entry is not None else None) or {}
    if isinstance(roles, dict) and speaker and roles.get(speaker):
        return str(roles[speaker])
    if turn_role == "interviewer":
        return "interviewer"
    for attr in ("interviewee_roles", "interviewee_role", "role"):
        value = project.cases.value(transcript_id, attr)
        if value and ";" not in value and "," not in value:
            return value
    return turn_role or "respondent"


def attribution(project, transcript_id: str, speaker: str | None, turn_role: str | None) -> str:
    case = project.cases.case(transcript_id)
    if speaker is None and turn_role is None:
        return case
    return f"{case}, {role_of(project, transcript_id, speaker, turn_role)}"


def shorten(text: str, max_words: int = MAX_WORDS) -> str:
    """Whitespace folded; past ``max_words``, cut at a sentence end (or a word) and mark the cut."""
    words = text.split()
    if len(words) <= max_words:
        return " ".join(words)
    head = " ".join(words[:max_words])
    ends = [m.end() for m in _SENTENCE_END.finditer(head + " ")]
    if ends and ends[-1] > len(head) * 0.5:
        return head[: ends[-1]].rstrip() + " [\u2026]"
    return head.rstrip(",;:") + " [\u2026]"


def mark_cuts(text: str) -> str:
    """'[…]' where a passage starts or stops mid-sentence."""
    if not text:
        return text
    if text[0].islower():
        text = "[\u2026] " + text
    if text[-1] not in ".!?\u2026]\"'\u201d\u2019)":
        text = text + " [\u2026]"
    return text


def _penalty(c) -> float:
    n = c.end - c.start
    if n < 60:
        return 3 + (60 - n) / 60
    if n > 900:
        return 2 + n / 10_000
    return abs(n - 300) / 600


def _exemplar(project, c, strict: bool, views: dict | None = None) -> Exemplar | None:
    """The words of a coding to quote: a respondent's, never an interviewer's when the coding holds a
    respondent's words too (a coder who selects a question with its answer codes the answer), without
    speaker labels (``TranscriptView.said``). ``strict``: only a coding whose quoted words are most of
    what it holds, from one respondent turn. ``views``: each transcript's ``TranscriptView``, kept
    between calls."""
    try:
        t = project.transcript(c.transcript)
    except Exception:  # noqa: BLE001 - a transcript gone from the project: its quote still stands
        return None if strict else Exemplar(c.code, c.transcript, c.transcript, None, c.transcript,
                                            shorten(c.quote), c.coder)
    start, end = c.start, c.end
    if c.th and c.th != t.hash:
        (_, anchor), = project.anchored([c], t)
        if anchor.status == "orphaned":
            if strict:
                return None
            return Exemplar(c.code, c.transcript, project.cases.case(c.transcript), None,
                            project.cases.case(c.transcript), shorten(c.quote), c.coder)
        start, end = anchor.start, anchor.end
    if not t.turns:
        text, speaker, role = t.text[start:end], None, None
    else:
        pieces = [(t.turns[i], lo, hi) for i, lo, hi in _view(project, t, views).said(start, end)]
        answers = [p for p in pieces if p[0].role != "interviewer"]
        if strict:
            said = sum(hi - lo for _, lo, hi in pieces)
            if len(answers) != 1 or (answers[0][2] - answers[0][1]) * 2 < said:
                return None
        use = answers or pieces[:1]
        if not use:
            return None if strict else _quoted(project, c)
        turn = use[0][0]
        text = " [\u2026] ".join(t.text[lo:hi].strip() for who, lo, hi in use if who.speaker == turn.speaker)
        speaker, role = turn.speaker, turn.role
    text = mark_cuts(shorten(text or c.quote))
    if not text:
        return None
    return Exemplar(c.code, c.transcript, project.cases.case(c.transcript), speaker,
                    attribution(project, c.transcript, speaker, role), text, c.coder)


def _view(project, t, views: dict | None):
    """The ``TranscriptView`` of the loaded transcript ``t`` (kept in ``views`` for the next coding in it)."""
    from qualcode.analysis.speakers import TranscriptView

    view = views.get(t.id) if views is not None else None
    if view is None or view.transcript is not t:
        view = TranscriptView(project, t.id, transcript=t)
        if views is not None:
            views[t.id] = view
    return view


def _quoted(project, c) -> Exemplar:
    case = project.cases.case(c.transcript)
    return Exemplar(c.code, c.transcript, case, None, case, mark_cuts(shorten(c.quote)), c.coder)


def exemplars(project, codings_by_code: dict[str, list], per_code: int = 2, tries: int = 12) -> dict[str, list[Exemplar]]:
    """Up to ``per_code`` passages per code, each from a different case where possible.

    Preferred: a respondent's words within one turn, about 300 characters long; the coders' order
    breaks ties (the first coder's passages first).
    """
    from qualcode.analysis.speakers import visiting

    out: dict[str, list[Exemplar]] = {}
    views: dict = {}
    with visiting(project):  # the transcripts read for the passages are let go after
        for code, codings in codings_by_code.items():
            out[code] = _choose(project, codings, per_code, tries, views)
    return out


def _key(c) -> tuple:
    return (round(_penalty(c), 2), c.transcript, c.start)


def _choose(project, codings: list, per_code: int, tries: int, views: dict | None = None) -> list[Exemplar]:
    # the best few hundred in rank order (heapq.nsmallest is sorted(...)[:n], without sorting all of
    # a code's 20,000 codings); all of them only when a walk runs past those
    ranked = heapq.nsmallest(_HEAD, codings, key=_key)
    chosen: list[Exemplar] = []
    cases: set[str] = set()
    for strict in (True, False):
        attempts = 0
        for c in _ranked(ranked, codings):
            if len(chosen) >= per_code or attempts >= tries:
                break
            case = project.cases.case(c.transcript)
            if case in cases:
                continue
            attempts += 1
            ex = _exemplar(project, c, strict, views)
            if ex is not None:
                chosen.append(ex)
                cases.add(case)
        if chosen:
            break
    return chosen


def _ranked(head: list, codings: list):
    yield from head
    if len(head) < len(codings):
        yield from sorted(codings, key=_key)[len(head):]


def group_codings(project, coders: list[str]) -> dict[str, list]:
    by_code: dict[str, list] = defaultdict(list)
    for coder in coders:
        for c in project.codings(coder):
            by_code[c.code].append(c)
    return by_code
