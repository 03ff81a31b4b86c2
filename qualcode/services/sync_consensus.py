"""A passage settled into the consensus coder on two machines at once, met by a sync's merge.

Settling a disagreement (the workbench's Agreement screen, ``reliability.disagreements.decide``) makes
the ``consensus`` coder's codings of a code in a passage exactly the choice: one journal line that
removes what the consensus had there and adds the choice. Two machines settling the same passage
before either synced each wrote such a line; the journal merge keeps both, so the consensus holds
both choices (a consensus nobody chose), the same choice twice (two identical codings), or, when
both replaced one shared coding, only the choice that comes first in the merged journal (the other's
line no longer applies).

``settled_twice`` finds each passage that both sides of the merge changed in the consensus journal
and says so, naming both people, what each chose and what the consensus holds now, and how to settle
it again. The identical codings the merge made (one added on each side, same transcript, code, span,
text and memo) are the one thing set right here: one is kept, the others removed, in one line appended
to the consensus journal (the sync holds its lock). That line is the sync's, not a decision
(``journal.append_held`` marks it ``"by": "sync"``): undo (``z`` in the Agreement screen) passes it by
and takes back the last decision, which no longer brings the duplicate back. No other coding is ever
removed.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.reliability.disagreements import CONSENSUS, NEITHER, parse_settled
from qualcode.services import sync

SHOWN = 10
"""Passages described one by one; beyond that, counted."""


def settled_twice(root: Path, add) -> list[str]:
    """In a merge being made: the notes above, in words (none when the consensus journal did not change
    on both sides). ``add`` stages a file."""
    from qualcode.services.sync_notes import merge_base, sides
    from qualcode.services.sync_transcripts import replay_bytes
    from qualcode.store.journal import append_held, replay

    rel = f"codings/{CONSENSUS}.jsonl"
    base = merge_base(root)
    if not base or not (root / rel).exists():
        return []
    data = [sync._show(root, rev, rel) for rev in (base, "HEAD", "MERGE_HEAD")]
    if data[1] == data[0] or data[2] == data[0]:
        return []
    was, ours, theirs = (replay_bytes(d, CONSENSUS) for d in data)
    touched = [_touched(was, ours), _touched(was, theirs)]
    places = _both(*touched)
    if not places:
        return []
    now = replay(root / rel, CONSENSUS).codings
    merged, merged_marks = dict(now.codings), now.marks
    new = [side.codings.keys() - was.codings.keys() for side in (ours, theirs)]
    extra = _duplicates(merged, places, new)
    if extra:
        append_held(root / rel, CONSENSUS, [{"op": "batch", "ops": [{"op": "remove", "id": cid} for cid in extra]}])
        add(rel)
    gone = [merged.pop(cid) for cid in extra]
    who = sides(root, base, rel)
    alike, apart = [], []
    for place in places:
        states = [_spans(codings, place, marks) for codings, marks in
                  ((ours.codings, ours.marks), (theirs.codings, theirs.marks), (merged, merged_marks))]
        if states[0] != states[1]:
            apart.append(_apart(place, states, who))
        elif any(_inside(c, place) for c in gone):
            alike.append(place)
    out = apart[:SHOWN]
    if len(apart) > SHOWN:
        out.append(f"{len(apart) - SHOWN} more passage(s) of the consensus were settled differently on two machines "
                   "at once: review them in the workbench's Agreement screen (ctrl+a)")
    if alike:
        where = "; ".join(_where(p) for p in alike[:SHOWN]) + ("; …" if len(alike) > SHOWN else "")
        out.append(f"{len(alike)} passage(s) were settled into the consensus alike on two machines at once ({who[0]} and "
                   f"{who[1]}): {where}; the {len(extra)} identical coding(s) this made were dropped, one of each "
                   "pair kept")
    return out


def _touched(before, after) -> list[tuple[str, str, int, int]]:
    """Where ``after`` differs from ``before`` (two states of one journal's codings): (transcript, code,
    start, end) of every coding added, removed or changed, as it was and as it is, and of every passage
    whose "settled as neither" mark was set or cleared (``disagreements.settled_key``: a decision that
    codes nothing)."""
    a, b = before.codings, after.codings
    out = []
    for cid in a.keys() | b.keys():
        if a.get(cid) != b.get(cid):
            out.extend((c.transcript, c.code, c.start, c.end) for c in (a.get(cid), b.get(cid)) if c is not None)
    for t in before.marks.keys() | after.marks.keys():
        was, now = before.marks.get(t, {}), after.marks.get(t, {})
        for key in was.keys() | now.keys():
            settled = parse_settled(key)
            if settled and was.get(key) != now.get(key):
                out.append((t, *settled))
    return out


def _both(ours: list, theirs: list) -> list[tuple[str, str, int, int]]:
    """The passages (transcript, code, start, end) where what one side changed overlaps or touches what
    the other side changed: spans joined, kept when both sides are in it."""
    spans = sorted([(t, code, s, e, 0) for t, code, s, e in ours] + [(t, code, s, e, 1) for t, code, s, e in theirs])
    out, current = [], None
    for t, code, s, e, side in spans:
        if current and [t, code] == current[:2] and s <= current[3]:
            current[3] = max(current[3], e)
            current[4].add(side)
            continue
        if current and len(current[4]) == 2:
            out.append(tuple(current[:4]))
        current = [t, code, s, e, {side}]
    if current and len(current[4]) == 2:
        out.append(tuple(current[:4]))
    return out


def _inside(c, place) -> bool:
    t, code, start, end = place
    return c.transcript == t and c.code == code and c.start <= end and start <= c.end


def _duplicates(merged: dict, places, new: list[set[str]]) -> list[str]:
    """The ids of the identical codings the merge made in ``places``: of each group alike in span, text
    and memo holding a coding added on each side, every one but the first in the merged journal's
    order, when it was added on one side (never a coding both sides already had)."""
    groups: dict[tuple, list[str]] = {}
    for cid, c in merged.items():
        if any(_inside(c, p) for p in places):
            groups.setdefault((c.transcript, c.code, c.start, c.end, c.quote, c.memo), []).append(cid)
    out = []
    for ids in groups.values():
        if len(ids) > 1 and any(i in new[0] for i in ids) and any(i in new[1] for i in ids):
            out.extend(i for i in ids[1:] if i in new[0] | new[1])
    return out


def _spans(codings: dict, place, marks: dict | None = None) -> list[tuple[int, int, str | None]]:
    """The consensus codings (by id) in ``place`` as (start, end, quote), in text order; where none is,
    each passage in it settled as neither (``marks``: the journal's transcript marks) as (start, end,
    None), as the Agreement screen reads it (``disagreements.consensus_state``: a coding there outweighs
    the mark)."""
    found = sorted((c.start, c.end, c.quote) for c in codings.values() if _inside(c, place))
    if found or not marks:
        return found
    t, code, start, end = place
    return sorted((s, e, None) for key, value in marks.get(t, {}).items() if value == NEITHER
                  for code_, s, e in [parse_settled(key) or ("", 0, -1)] if code_ == code and s <= end and start <= e)


def _words(spans) -> str:
    if not spans:
        return "nothing (neither coding)"
    if all(quote is None for _, _, quote in spans):
        return "neither (nothing coded, settled as neither)"
    parts = []
    for s, e, quote in spans:
        quote = " ".join(quote.split())
        parts.append(f"{s}-{e} “{quote if len(quote) <= 40 else quote[:39] + '…'}”")
    return " and ".join(parts)


def _where(place) -> str:
    t, code, start, end = place
    return f"{code} on {t} {start}-{end}"


def _apart(place, states, who) -> str:
    ours, theirs, now = states
    said = (f"the consensus of {_where(place)} was settled on two machines at once: {who[0]} made it "
            f"{_words(ours)}, {who[1]} made it {_words(theirs)}; merged, it now holds {_words(now)}")
    if now == ours or now == theirs:
        said += f", {who[0] if now == ours else who[1]}'s choice (the other's no longer applies)"
    else:
        said += ", which neither chose"
    return (said + ". Review it: in the workbench's Agreement screen (ctrl+a), open the code's disagreements and "
            f"settle the passage again (`qualcode --coder {CONSENSUS} code list` shows the consensus codings)")
