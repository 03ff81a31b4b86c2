"""Who says a coded passage: speakers, their roles, and "(LSP C, coordinator)" attributions.

These need the transcript's turns, so they load transcripts (one at a time, cached by the index).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from qualcode.domain.coding import Coding
from qualcode.store.anchoring import ORPHANED, anchor

if TYPE_CHECKING:
    import numpy as np

_UNSET = object()


@contextmanager
def visiting(project):
    """Transcripts loaded inside are let go at the end (those loaded before stay loaded): a table
    or report section that reads 3,000 transcripts does not keep them all."""
    loaded = getattr(project.index, "_loaded", None)
    before = set(loaded) if isinstance(loaded, dict) else None
    try:
        yield
    finally:
        if before is not None:
            for tid in [t for t in list(loaded) if t not in before]:
                project.index.forget(tid)


@dataclass
class Located:
    start: int
    end: int
    status: str
    """"kept", "moved" or "orphaned" (see ``store.anchoring``); "no transcript" when it is gone."""
    speakers: list[str]
    roles: list[str]
    """Each speaker's turn role ("interviewer", "respondent" or "")."""
    descriptions: list[str]
    """Each speaker's role as the transcript's ``roles`` describe it ("LSP coordinator"), else the
    speaker's name ("interviewer" for an interviewer)."""


class TranscriptView:
    """One transcript's text and turns, for locating many codings in it.

    Made from the transcript, or from its cached turns (``analysis.turns``): then the transcript
    itself is loaded only when its text is needed (a passage across turns, an edited transcript,
    context around a quote)."""

    def __init__(self, project, transcript_id: str, record=None, transcript=None) -> None:
        self._project, self.id = project, transcript_id
        self._transcript = _UNSET if transcript is None else transcript
        entry = project.index.get(transcript_id)
        if record is None:
            t = self.transcript
            if t is not None:
                from qualcode.analysis.turns import record_of

                record = record_of(t, words=False)
            roles = t.metadata.get("roles") if t else None
        else:
            roles = entry.metadata.get("roles") if entry is not None else None
        self._hash = record.hash if record is not None else None
        self.role_text = {str(k): str(v) for k, v in roles.items()} if isinstance(roles, dict) else {}
        self.starts = record.starts if record is not None else []
        self.ends = record.ends if record is not None else []
        self.text_starts = record.text_starts if record is not None else []
        self.speakers = record.speakers if record is not None else []
        self.roles = record.roles if record is not None else []
        self.descriptions = describe_turns(self.role_text, self.speakers, self.roles)

    @property
    def transcript(self):
        if self._transcript is _UNSET:
            self._transcript = (self._project.transcript(self.id) if self.id in self._project.index else None)
        return self._transcript

    @cached_property
    def turn_starts(self) -> np.ndarray:
        import numpy as np  # only the vectorised lookups need it (retrieval's plain path does not)

        return np.array(self.starts, dtype=np.int64)

    @cached_property
    def turn_ends(self) -> np.ndarray:
        import numpy as np

        return np.array(self.ends, dtype=np.int64)

    @property
    def text(self) -> str:
        return self.transcript.text if self.transcript else ""

    @property
    def hash(self) -> str | None:
        return self._hash


    def single_turns(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """For each span, the index of the one turn it lies in, or -1 when it touches none or several."""
        import numpy as np

        if not len(self.turn_starts):
            return np.full(len(starts), -1, dtype=np.int64)
        first = np.searchsorted(self.turn_starts, starts, side="right") - 1
        last = np.searchsorted(self.turn_starts, np.maximum(ends - 1, starts), side="right") - 1
        inside = (first == last) & (first >= 0)
        inside &= starts < self.turn_ends[np.maximum(first, 0)]
        return np.where(inside, first, -1)

    def located(self, turn: int, start: int, end: int) -> Located:
        """A span known to lie in one turn."""
        return Located(start, end, "kept", [self.speakers[turn]], [self.roles[turn]], [self.descriptions[turn]])

    def locate(self, coding_id: str, start: int, end: int, quote: str, th: str) -> Located:
        if self.id not in self._project.index:
            return Located(start, end, "no transcript", [], [], [])
        status = "kept"
        if th != self._hash:
            t = self.transcript
            probe = Coding(id=coding_id, transcript=t.id, start=start, end=end, code="", coder="", quote=quote, th=th)
            a = anchor(probe, t.text, t.hash)
            status = a.status
            if a.status == ORPHANED:
                return Located(start, end, status, [], [], [])
            start, end = a.start, a.end
        first = max(bisect_right(self.starts, start) - 1, 0)
        last = bisect_right(self.starts, max(end - 1, start)) - 1
        speakers, roles, descriptions = [], [], []
        for i in range(first, last + 1) if last >= 0 else ():
            if self.ends[i] <= start or self.starts[i] >= end or self.speakers[i] in speakers:
                continue
            speakers.append(self.speakers[i])
            roles.append(self.roles[i])
            descriptions.append(self.descriptions[i])
        return Located(start, end, status, speakers, roles, descriptions)

    def said(self, start: int, end: int, text: str | None = None, base: int = 0) -> list[tuple[int, int, int]]:
        """What is said within ``[start, end)``: ``(turn, lo, hi)`` for each turn the span touches, its
        label, timestamp and the blank lines between turns left out, in text order (nothing for a
        transcript without turns). ``text``: the transcript's text from ``base`` on (default all of it).
        The one place that tells the words said in a span from the labels around them (the Framework
        cells, the coded-segment listings, `table retrieve` and the report's exemplar quotes)."""
        if text is None:
            text, base = self.text, 0
        pieces = []
        for i in range(max(bisect_right(self.starts, start) - 1, 0), len(self.starts)):
            if self.starts[i] >= end:
                break
            lo, hi = max(start, self.text_starts[i]), min(end, self.ends[i])
            if hi > lo and text[lo - base:hi - base].strip():
                pieces.append((i, lo, hi))
        return pieces

    def spoken(self, located: Located, quote: str, th: str | None) -> tuple[str, Located]:
        """What to quote of a located coding, and who said it: the words of its respondents' turns
        (each turn's words without its label, the pieces joined with " […] "), or the interviewer's
        when it holds no one else's; the coding's quote as it is (and ``located`` itself) when its turns
        are not known or it holds no words said."""
        if located.status in (ORPHANED, "no transcript") or not self.starts:
            return quote, located
        start, end = located.start, located.end
        if th == self._hash and located.status == "kept" and len(quote) == end - start:
            text, base = quote, start  # the quote is the text of the span: no need to read the transcript
        else:
            text, base = self.text, 0
        pieces = self.said(start, end, text, base)
        use = [p for p in pieces if self.roles[p[0]] != "interviewer"] or pieces
        if not use:
            return quote, located
        speakers, roles, descriptions = [], [], []
        for i, _, _ in use:
            if self.speakers[i] not in speakers:
                speakers.append(self.speakers[i])
                roles.append(self.roles[i])
                descriptions.append(self.descriptions[i])
        words = " [\u2026] ".join(text[lo - base:hi - base].strip() for _, lo, hi in use)
        return words, Located(use[0][1], use[-1][2], located.status, speakers, roles, descriptions)

    def locate_many(self, ids, starts, ends, quotes, ths) -> list[Located]:
        """``locate`` for many codings: one vectorised turn lookup, the slow path only for spans
        across turns or on an edited transcript."""
        import numpy as np

        s = np.asarray(starts, dtype=np.int64)
        e = np.asarray(ends, dtype=np.int64)
        turn = self.single_turns(s, e)
        current = self.hash
        out = []
        for k, (cid, th) in enumerate(zip(ids, ths)):
            if turn[k] >= 0 and th == current:
                out.append(self.located(int(turn[k]), int(s[k]), int(e[k])))
            else:
                out.append(self.locate(cid, int(s[k]), int(e[k]), quotes[k], th))
        return out


SAID = "said"
"""``attrs`` flag: the segments give the words said (``said_fields``)."""
SAID_NOTE = (" Each quote is what was said within the coding, without speaker labels: its respondents' words "
             "(\u201c[\u2026]\u201d where someone else spoke between them), the interviewer's only when no one "
             "else speaks; a question coded with its answer stands in the context before the quote, and the quote "
             "is attributed to who said its words.")


def said_fields(view: TranscriptView, case: str, start: int, end: int, quote: str, before, after):
    """(quote, speaker, role, attribution, before, after) of a segment found at ``[start, end)`` with
    ``quote`` its text and ``before``/``after`` its context: the words said within it and who said them
    (``TranscriptView.spoken``), what it leaves out joined to the context; None when it holds no words
    said (or its transcript has no turns)."""
    located = Located(start, end, "kept", [], [], [])
    words, said = view.spoken(located, quote, view.hash)
    if said is located:
        return None
    head = view.text[start:said.start] if said.start > start else ""
    tail = view.text[said.end:end] if said.end < end else ""
    return (words, "; ".join(said.speakers) or None, "; ".join(dict.fromkeys(said.roles)) or None,
            attribution(case, said), _run_on(before, head), _run_on(tail, after))


def _run_on(*parts) -> str:
    """The parts as one stretch of context, runs of white space made single spaces ("" for none)."""
    text = "".join(str(p) for p in parts if isinstance(p, str))
    return context_before(text, len(text), len(text))  # all of it: nothing is cut


def describe_turns(roles, speakers: list[str], turn_roles: list[str]) -> list[str]:
    """Each turn's speaker as a reader knows them: the transcript's ``roles`` text for the speaker
    ("LSP coordinator"; up to a ";"), else "interviewer" for an interviewer, else the speaker's name."""
    text = {str(k): str(v) for k, v in roles.items()} if isinstance(roles, dict) else {}
    if not text:
        return ["interviewer" if r == "interviewer" else s for s, r in zip(speakers, turn_roles)]
    out = []
    for s, r in zip(speakers, turn_roles):
        said = text.get(s)
        out.append(said.split(";")[0].strip() if said else "interviewer" if r == "interviewer" else s)
    return out


def attribution(case: str, located: Located) -> str:
    """"(LSP C, VCS representative on the LSP board)"; the case alone when no speaker is known."""
    who = " and ".join(dict.fromkeys(located.descriptions))
    return f"({case}, {who})" if who else f"({case})"


def clip(text: str, limit: int) -> str:
    """Whitespace runs made single spaces, then at most about ``limit`` characters, cut at a
    space, with an ellipsis where cut."""
    if len(text) <= limit and "  " not in text and "\n" not in text and "\t" not in text:
        return text.strip()
    body = " ".join(text.split())
    if len(body) <= limit:
        return body
    cut = body[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


_BREAK = re.compile("[ \n\t]")


def context_before(text: str, start: int, size: int) -> str:
    """Up to ``size`` characters before ``start``, from a word start ("…" where cut)."""
    if size <= 0 or start <= 0:
        return ""
    lo = max(0, start - size)
    chunk = text[lo:start]
    if lo > 0:
        cut = _BREAK.search(chunk)
        chunk = "…" + (chunk[cut.start() + 1:] if cut else chunk)
    return _squash(chunk)


def context_after(text: str, end: int, size: int) -> str:
    """Up to ``size`` characters after ``end``, to a word end ("…" where cut)."""
    if size <= 0 or end >= len(text):
        return ""
    hi = min(len(text), end + size)
    chunk = text[end:hi]
    if hi < len(text):
        space = chunk.rfind(" ")
        if "\n" in chunk or "\t" in chunk:
            space = max(space, chunk.rfind("\n"), chunk.rfind("\t"))
        chunk = (chunk[:space] if space > 0 else chunk) + "…"
    return _squash(chunk)


def _squash(text: str) -> str:
    # single spaces the only whitespace (every other whitespace character is unprintable): the text
    # is its own squashed form
    if "  " not in text and text.isprintable():
        return text if text.strip() else ""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    body = " ".join(text.split())
    return lead + body + trail if body else ""


MAIN_SHARE = 0.2
"""An interviewer who asks no questions is proposed as a respondent only when they hold this share of
the turns of their transcripts (not a hearing's chair, who speaks a few times)."""


def project_speakers(project, transcript_ids: list[str] | None = None) -> list[dict]:
    """Every speaker across the project (or the given transcripts): roles, transcripts, turns, the
    share of turns that are questions, and a proposed role where the turns suggest another one."""
    from qualcode.formats.transcripts.rules import QUESTIONS, question_share, role_for

    rules = project.config.speaker_roles

    rows: dict[str, dict] = {}
    turns_in: dict[str, int] = {}
    for entry in project.index:
        if transcript_ids and entry.id not in transcript_ids:
            continue
        t = project.transcript(entry.id)
        turns_in[entry.id] = len(t.turns)
        asked = question_share(t.text, t.turns)
        for turn in t.turns:
            r = rows.setdefault(turn.speaker, {"speaker": turn.speaker, "roles": {}, "labels": set(),
                                               "transcripts": set(), "turns": 0, "questions": 0})
            r["roles"][turn.role or ""] = r["roles"].get(turn.role or "", 0) + 1
            r["labels"].add(turn.label or turn.speaker)
            r["transcripts"].add(entry.id)
        for speaker, (q, n) in asked.items():
            rows[speaker]["turns"] += n
            rows[speaker]["questions"] += q
    out = []
    for r in sorted(rows.values(), key=lambda r: -r["turns"]):
        role = max(r["roles"], key=r["roles"].get)
        share = r["questions"] / r["turns"] if r["turns"] else 0.0
        proposed, why = None, ""
        if role_for(rules, r["speaker"], *r["labels"]) is not None:
            pass  # set for the project: never second-guessed
        elif r["turns"] >= 3 and share >= QUESTIONS and role != "interviewer":
            proposed, why = "interviewer", f"{share:.0%} of turns are questions"
        elif r["turns"] >= 3 and share < 0.1 and role == "interviewer" \
                and r["turns"] >= MAIN_SHARE * sum(turns_in[t] for t in r["transcripts"]):
            # a chair who speaks a few times without asking ("Please slow down") is no respondent: only a
            # speaker who holds a good part of the conversation is proposed
            proposed, why = "respondent", f"only {share:.0%} of turns are questions"
        out.append({"speaker": r["speaker"], "role": role, "roles": r["roles"], "labels": sorted(r["labels"]),
                    "transcripts": sorted(r["transcripts"]), "turns": r["turns"], "questions": round(share, 3),
                    "proposed": proposed, "why": why})
    return out
