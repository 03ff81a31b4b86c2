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
            if unit in ("transcript", "case"):
                col = units.present[k][:, units.group_of[t]]
                if (col == col[0]).all():
                    continue
            for start, end, by in passages(data, t, code):
                spans = tuple((c, tuple(by.get(c, ()))) for c in data.coders)
                same = len({tuple((s, e) for s, e, _ in segs) for _, segs in spans}) == 1
                if same:
                    continue
                n_units = 1
                if unit in ("sentence", "turn"):
                    sl = units.bounds[t]
                    st, en = units.starts[sl], units.ends[sl]
                    first, stop = en.searchsorted(start, "right"), st.searchsorted(end, "left")
                    cols = units.present[k][:, sl][:, first:stop]
                    n_units = int((cols != cols[:1]).any(axis=0).sum())
                    if n_units == 0:
                        continue
                elif unit in ("char", "unitized"):
                    n_units = _differing_chars(spans, start, end)
                out.append(Disagreement(code, t, start, end, spans, unit, n_units))
    return out


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
    consensus coder had of ``d.code`` there. One journal line (one undo step). Returns the
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
    return replace_span(project, d.transcript, d.code, d.start, d.end,
                        [(s, e) for s, e, _ in chosen], consensus)


def replace_span(project, transcript_id: str, code: str, start: int, end: int,
                 spans: list[tuple[int, int]], consensus: str = CONSENSUS) -> list[Coding]:
    """Make ``consensus``'s coding of ``code`` inside [start, end) exactly ``spans`` (merged),
    keeping what lies outside; pieces that touch are joined into one coding. Writes one batch
    to the journal (nothing if nothing changes)."""
    session = project.session(consensus)
    transcript = project.transcript(transcript_id)
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
        return []
    new = [make_coding(transcript=transcript_id, start=s, end=e, code=code, coder=consensus,
                       text=transcript.text, th=transcript.hash) for s, e in wanted]
    ops = [{"op": "remove", "id": c.id} for c in existing] + [{"op": "add", "coding": c.to_json()} for c in new]
    session.commit({"op": "batch", "ops": ops})
    return [session.codings.get(c.id) for c in new]


def _join(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or touching spans."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def consensus_state(project, d: Disagreement, consensus: str = CONSENSUS) -> str:
    """How the consensus coder has the passage now: a coder's name (as that coder), "both",
    "neither" (nothing coded, which is also how an undecided passage looks) or "other"."""
    if consensus not in project.coders():
        return NEITHER
    have = _join([(max(c.start, d.start), min(c.end, d.end))
                  for c in project.codings(consensus).for_transcript(d.transcript)
                  if c.code == d.code and c.start < d.end and d.start < c.end])
    if not have:
        return NEITHER
    for coder in d.coders:
        if have == _join([(s, e) for s, e, _ in d.of(coder)]):
            return coder
    if have == _join([(s, e) for _, segs in d.spans for s, e, _ in segs]):
        return BOTH
    return "other"


def adopt_agreements(project, data: CodingData, consensus: str = CONSENSUS,
                     codes: Sequence[str] | None = None) -> int:
    """Copy every passage all coders coded identically into ``consensus``'s journal, where the
    consensus coder has nothing of that code yet. One journal line. Returns the codings added."""
    if consensus in data.coders:
        raise ReliabilityDataError(f"{consensus!r} is one of the coders compared; adopt into another coder")
    session = project.session(consensus)
    new = []
    for code in data.codes if codes is None else codes:
        for t in data.transcripts:
            mine = [(c.start, c.end) for c in session.codings.for_transcript(t) if c.code == code]
            transcript = None
            for start, end, by in passages(data, t, code):
                segs = {tuple((s, e) for s, e, _ in by.get(c, ())) for c in data.coders}
                if len(segs) != 1 or any(s < end and start < e for s, e in mine):
                    continue
                transcript = transcript or project.transcript(t)
                for s, e in next(iter(segs)):
                    new.append(make_coding(transcript=t, start=s, end=e, code=code, coder=consensus,
                                           text=transcript.text, th=transcript.hash))
    if new:
        session.commit({"op": "batch", "ops": [{"op": "add", "coding": c.to_json()} for c in new]})
    return len(new)
