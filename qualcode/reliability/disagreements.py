"""Disagreements between coders, and adjudication into a consensus coder's journal.

A *passage* is a stretch of a transcript where the coders' codings of one code overlap: take
every coder's (merged) codings of the code in the transcript and join those that overlap. A
passage is a disagreement when the coders did not code it identically: one coded it and another
did not, or they drew its boundaries differently. Which passages count depends on the unit of the
report: with characters (and unitizing) every difference counts; with sentences or turns only
passages where some sentence (turn) is coded by one coder and not by another; with transcripts or
cases, every passage of a code that one coder used in the transcript (case) and another did not.

Adjudication takes coder A's, coder B's, both (their union) or neither coding of a passage into
the ``consensus`` coder's journal (``project.session(consensus)``, one journal line per decision,
so one undo step). The consensus coder is then a coder like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from qualcode.domain.coding import Coding, make_coding
from qualcode.reliability.matrix import ReliabilityDataError
from qualcode.reliability.units import CodingData, UnitData

CONSENSUS = "consensus"
BOTH = "both"
NEITHER = "neither"


@dataclass(frozen=True)
class Disagreement:
    """A passage ``[start, end)`` of ``transcript`` that the coders coded differently with ``code``.

    ``spans`` holds, per coder (in the order compared), the coder's merged codings of the code
    inside the passage as ``(start, end, coding ids)``; an empty tuple means the coder did not
    code it. ``units`` is how many units of the report's kind are in disagreement in it.
    """

    code: str
    transcript: str
    start: int
    end: int
    spans: tuple[tuple[str, tuple], ...]
    unit: str = "char"
    units: int = 1

    @property
    def coders(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.spans)

    def of(self, coder: str) -> tuple:
        return dict(self.spans).get(coder, ())

    @property
    def kind(self) -> str:
        """"boundaries" when every coder coded part of it, else "only <coders who coded it>"."""
        coded = [c for c, s in self.spans if s]
        if len(coded) == len(self.spans):
            return "boundaries"
        return "only " + ", ".join(coded)

    def describe(self, coder: str, text: str | None = None, width: int = 60) -> str:
        """What ``coder`` did here, e.g. ``coded 120-245 "We don't advertise..."`` or ``did not code it``."""
        segs = self.of(coder)
        if not segs:
            return "did not code it"
        parts = []
        for s, e, _ in segs:
            part = f"{s}-{e}"
            if text is not None:
                part += f' "{_clip(text[s:e], width)}"'
            parts.append(part)
        return "coded " + "; ".join(parts)

    def to_json(self, text: str | None = None) -> dict:
        return {
            "code": self.code,
            "transcript": self.transcript,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "unit": self.unit,
            "units": self.units,
            "coders": {
                c: [{"start": s, "end": e, "ids": list(ids), **({"quote": text[s:e]} if text is not None else {})}
                    for s, e, ids in segs]
                for c, segs in self.spans
            },
        }


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def passages(data: CodingData, transcript: str, code: str) -> list[tuple[int, int, dict]]:
    """Overlapping codings of ``code`` in ``transcript`` joined into passages:
    ``(start, end, {coder: [(s, e, ids), ...]})`` in text order."""
    items = sorted((s, e, coder, ids) for coder in data.coders for s, e, ids in data.spans(coder, transcript, code))
    out: list[tuple[int, int, dict]] = []
    for s, e, coder, ids in items:
        if out and s < out[-1][1]:
            start, end, by = out[-1]
            by.setdefault(coder, []).append((s, e, ids))
            out[-1] = (start, max(end, e), by)
        else:
            out.append((s, e, {coder: [(s, e, ids)]}))
    return out


def find_disagreements(
    data: CodingData,
    unit: str = "char",
    units: UnitData | None = None,
    codes: Sequence[str] | None = None,
) -> list[Disagreement]:
    """Every disagreement (see the module docstring), by code (in ``data.codes`` order),
    transcript and position. ``units`` (from :func:`~qualcode.reliability.units.unit_data`) is
    needed for sentence, turn, transcript and case units."""
    if unit in ("sentence", "turn", "transcript", "case") and (units is None or units.kind != unit):
        raise ReliabilityDataError(f"find_disagreements needs the {unit} units (unit_data(data, {unit!r}))")
    wanted = data.codes if codes is None else [c for c in data.codes if c in set(codes)]
    out: list[Disagreement] = []
    for code in wanted:
        k = data.codes.index(code)
        for t in data.transcripts:
            for start, end, by in passages(data, t, code):
                spans = tuple((c, tuple(by.get(c, ()))) for c in data.coders)
                n_units = _differs(unit, units, k, t, start, end, spans)
                if n_units:
                    out.append(Disagreement(code, t, start, end, spans, unit, n_units))
    return out


def _differs(unit: str, units: UnitData | None, k: int, t: str, start: int, end: int, spans) -> int:
    """How many units of ``unit`` the passage [start, end) of code number ``k`` in transcript ``t``
    is in disagreement on (``spans``: per coder, their codings in it); 0: the coders agree on it at
    that unit (identical spans, or boundaries drawn differently inside the same sentence or turn, or a
    code every coder used in the transcript or case)."""
    if len({tuple((s, e) for s, e, _ in segs) for _, segs in spans}) == 1:
        return 0
    if unit in ("transcript", "case"):
        col = units.present[k][:, units.group_of[t]]
        return 0 if (col == col[0]).all() else 1
    if unit in ("sentence", "turn"):
        sl = units.bounds[t]
        st, en = units.starts[sl], units.ends[sl]
        first, stop = en.searchsorted(start, "right"), st.searchsorted(end, "left")
        cols = units.present[k][:, sl][:, first:stop]
        return int((cols != cols[:1]).any(axis=0).sum())
    return _differing_chars(spans, start, end)


def _differing_chars(spans, start: int, end: int) -> int:
    """Characters of the passage not coded alike by every coder (union minus intersection)."""
    covers = [[(s, e) for s, e, _ in segs] for _, segs in spans]
    union = _join([x for c in covers for x in c])
    inter = covers[0]
    for other in covers[1:]:
        inter = [(max(a, c), min(b, d)) for a, b in inter for c, d in other if max(a, c) < min(b, d)]
    return sum(e - s for s, e in union) - sum(e - s for s, e in inter)


# ---------------------------------------------------------------------------- adjudication


def decide(project, d: Disagreement, choice: str, consensus: str = CONSENSUS) -> list[Coding]:
    """Take ``choice`` (a coder's name, ``"both"`` for the union of every coder's codings, or
    ``"neither"``) into ``consensus``'s journal for the passage ``d``, replacing what the
    consensus coder had of ``d.code`` there. One journal line (one undo step), fsynced as every
    journal line. "neither" is written too, also where the consensus had nothing there: the line
    removes what it had and records the decision (:func:`settled_key`), so that the passage reads
    settled after a restart and a sync can tell a teammate's different choice. Returns the
    consensus codings added."""
    if consensus in d.coders:
        raise ReliabilityDataError(
            f"{consensus!r} is one of the coders compared; adjudicate into another coder",
            hint="compare the original coders and adjudicate into 'consensus'",
        )
    if choice == BOTH:
        chosen = [seg for _, segs in d.spans for seg in segs]
    elif choice == NEITHER:
        chosen = []
    elif choice in d.coders:
        chosen = list(d.of(choice))
    else:
        raise ReliabilityDataError(
            f"unknown choice {choice!r}", hint=f"choose one of {', '.join(d.coders)}, {BOTH!r} or {NEITHER!r}"
        )
    session = project.session(consensus)
    ops, new = _replace_ops(project, session, d.transcript, d.code, d.start, d.end, [(s, e) for s, e, _ in chosen])
    key = settled_key(d.code, d.start, d.end)
    marked = session.codings.marks.get(d.transcript, {}).get(key)
    if choice == NEITHER and marked != NEITHER:
        ops.append({"op": "tset", "t": d.transcript, "key": key, "value": NEITHER})
    elif choice != NEITHER and marked:
        ops.append({"op": "tset", "t": d.transcript, "key": key, "value": None})
    if not ops:
        return []
    session.commit({"op": "batch", "ops": ops})
    return [session.codings.get(c.id) for c in new]


SETTLED = "settled"
"""The prefix of the transcript mark (a ``tset`` line of the consensus journal) that records a passage
settled as "neither": ``settled <start>-<end> <code>``, value ``neither``. A choice of codings needs no
mark (the codings are the decision); taking codings later clears it in the same line."""


def settled_key(code: str, start: int, end: int) -> str:
    return f"{SETTLED} {start}-{end} {code}"


def parse_settled(key: str) -> tuple[str, int, int] | None:
    """``(code, start, end)`` of a ``settled`` mark's key, None for any other key."""
    parts = key.split(" ", 2)
    if len(parts) != 3 or parts[0] != SETTLED or "-" not in parts[1]:
        return None
    s, _, e = parts[1].partition("-")
    return (parts[2], int(s), int(e)) if s.isdigit() and e.isdigit() else None


def replace_span(project, transcript_id: str, code: str, start: int, end: int,
                 spans: list[tuple[int, int]], consensus: str = CONSENSUS) -> list[Coding]:
    """Make ``consensus``'s coding of ``code`` inside [start, end) exactly ``spans`` (merged),
    keeping what lies outside; pieces that touch are joined into one coding. Writes one batch
    to the journal (nothing if nothing changes)."""
    session = project.session(consensus)
    ops, new = _replace_ops(project, session, transcript_id, code, start, end, spans)
    if not ops:
        return []
    session.commit({"op": "batch", "ops": ops})
    return [session.codings.get(c.id) for c in new]


def _replace_ops(project, session, transcript_id: str, code: str, start: int, end: int,
                 spans: list[tuple[int, int]]) -> tuple[list[dict], list[Coding]]:
    """The operations that make the session's codings of ``code`` in [start, end) exactly ``spans``
    (none when they are already), and the codings they add."""
    existing = [c for c in session.codings.for_transcript(transcript_id)  # overlapping or touching
                if c.code == code and c.start <= end and start <= c.end]
    keep = []
    for c in existing:
        if c.start < start:
            keep.append((c.start, start))
        if c.end > end:
            keep.append((end, c.end))
    wanted = _join([(s, e) for s, e in spans if s < e] + keep)
    if sorted((c.start, c.end) for c in existing) == wanted:
        return [], []
    transcript = project.transcript(transcript_id)
    new = [make_coding(transcript=transcript_id, start=s, end=e, code=code, coder=session.coder,
                       text=transcript.text, th=transcript.hash) for s, e in wanted]
    ops = [{"op": "remove", "id": c.id} for c in existing] + [{"op": "add", "coding": c.to_json()} for c in new]
    return ops, new


def _join(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or touching spans."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


UNDECIDED = "undecided"


def consensus_state(project, d: Disagreement, consensus: str = CONSENSUS) -> str:
    """How the consensus coder has the passage now: a coder's name (as that coder), "both",
    "neither" (settled as neither: nothing coded, and the decision recorded), "undecided" (nothing
    coded and nothing decided) or "other"."""
    if consensus not in project.coders():
        return UNDECIDED
    codings = project.codings(consensus)
    have = _join([(max(c.start, d.start), min(c.end, d.end))
                  for c in codings.for_transcript(d.transcript)
                  if c.code == d.code and c.start < d.end and d.start < c.end])
    if not have:
        marked = codings.marks.get(d.transcript, {}).get(settled_key(d.code, d.start, d.end))
        return NEITHER if marked == NEITHER else UNDECIDED
    for coder in d.coders:
        if have == _join([(s, e) for s, e, _ in d.of(coder)]):
            return coder
    if have == _join([(s, e) for _, segs in d.spans for s, e, _ in segs]):
        return BOTH
    return "other"


@dataclass(frozen=True)
class Adopted:
    """What :func:`adopt_agreements` did: ``passages`` copied (``overlap`` of them agreed at the unit
    with boundaries drawn differently, copied as the text every coder coded), ``codings`` added,
    ``kept`` agreed passages where the consensus had that code already (left as they are) and
    ``apart`` agreed at the unit without a character every coder coded (nothing to copy)."""

    passages: int = 0
    overlap: int = 0
    codings: int = 0
    kept: int = 0
    apart: int = 0

    def __int__(self) -> int:
        return self.codings

    def describe(self, consensus: str = CONSENSUS) -> str:
        said = f"Copied {self.passages} passage(s) the coders agree on into {consensus}'s journal"
        if self.overlap:
            said += (f" ({self.overlap} with boundaries drawn differently inside the same unit: "
                     "the text every coder coded)")
        said += "."
        if self.kept:
            said += f" {self.kept} agreed passage(s) the consensus already had: left as they are."
        if self.apart:
            said += (f" {self.apart} agreed at this unit but share no text every coder coded: "
                     "not copied, code them in the workbench (w).")
        return said


def adopt_agreements(project, data: CodingData, consensus: str = CONSENSUS,
                     codes: Sequence[str] | None = None, unit: str = "char",
                     units: UnitData | None = None) -> Adopted:
    """Copy every passage every coder coded and the coders agree on at ``unit`` (as
    :func:`find_disagreements` reads it: so not listed as a disagreement) into ``consensus``'s
    journal, where the consensus coder has nothing of that code yet. Identical codings are copied as
    they are; codings whose boundaries differ inside the same sentence (turn, transcript) are copied
    as their overlap, the text every coder coded. One journal line. ``units`` is needed for sentence,
    turn, transcript and case units."""
    if consensus in data.coders:
        raise ReliabilityDataError(f"{consensus!r} is one of the coders compared; adopt into another coder")
    if unit in ("sentence", "turn", "transcript", "case") and (units is None or units.kind != unit):
        raise ReliabilityDataError(f"adopt_agreements needs the {unit} units (unit_data(data, {unit!r}))")
    session = project.session(consensus)
    new = []
    done = {"passages": 0, "overlap": 0, "kept": 0, "apart": 0}
    for code in data.codes if codes is None else codes:
        k = data.codes.index(code)
        for t in data.transcripts:
            mine = [(c.start, c.end) for c in session.codings.for_transcript(t) if c.code == code]
            transcript = None
            for start, end, by in passages(data, t, code):
                spans = tuple((c, tuple(by.get(c, ()))) for c in data.coders)
                if not all(segs for _, segs in spans) or _differs(unit, units, k, t, start, end, spans):
                    continue
                if any(s < end and start < e for s, e in mine):
                    done["kept"] += 1
                    continue
                covers = [[(s, e) for s, e, _ in segs] for _, segs in spans]
                common = _join(covers[0])
                for other in covers[1:]:
                    common = [(max(a, c), min(b, d)) for a, b in common for c, d in _join(other)
                              if max(a, c) < min(b, d)]
                if not common:
                    done["apart"] += 1
                    continue
                done["passages"] += 1
                done["overlap"] += len({tuple(c) for c in covers}) > 1
                transcript = transcript or project.transcript(t)
                for s, e in common:
                    new.append(make_coding(transcript=t, start=s, end=e, code=code, coder=consensus,
                                           text=transcript.text, th=transcript.hash))
    if new:
        session.commit({"op": "batch", "ops": [{"op": "add", "coding": c.to_json()} for c in new]})
    return Adopted(codings=len(new), **done)
