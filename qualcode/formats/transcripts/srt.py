"""SubRip (.srt): numbered cues; speakers as ``Name:``, ``[Name]`` or ``- `` per speaker.

A cue with no speaker continues the previous cue's speaker (SubRip exports often name the speaker
only on the first cue of a turn); a cue of unnamed ``- `` dashes is a change of speaker, so its
pieces, and cues before any speaker is named, stay outside every turn."""

from __future__ import annotations

import re

from qualcode.errors import FormatError, Problem

from .common import Seg
from .cues import BLOCK_SPLIT, GAP, TIMING, accept_labels, split_prefix, strip_tags, to_segs
from .names import looks_like_name, parse_time

_DASH = re.compile(r"[-–—][ \t]*")


def parse_srt(body: str, name: str) -> tuple[list[Seg], list[Problem]]:
    items = []
    cues = 0
    for block in BLOCK_SPLIT.split(body.strip("\n")):
        lines = block.split("\n")
        t = next((i for i in range(min(3, len(lines))) if TIMING.match(lines[i])), None)
        if t is None:
            continue
        cues += 1
        m = TIMING.match(lines[t])
        start, end = parse_time(m.group(1)), parse_time(m.group(2))
        payload = [strip_tags(line).strip() for line in lines[t + 1:]]
        payload = [line for line in payload if line]
        dashed = _dash_pieces(payload)
        for j, piece in enumerate(dashed or _named_pieces(payload)):
            cand, rest = split_prefix(piece)
            # each dash is a change of speaker: unnamed ones must not merge with each other
            items.append((cand, rest, piece, start, end, j if dashed else None, cues))
    if not cues:
        raise FormatError(
            "this SubRip file has no cues (no 'HH:MM:SS,mmm --> HH:MM:SS,mmm' lines)",
            path=name,
            hint="export the captions again as .srt",
        )
    said = _continue_speakers(accept_labels([it[:5] for it in items]), items)
    segs = _to_segs(said)
    problems: list[Problem] = []
    # counted in captions, as the file has them (a paragraph outside the turns may join several)
    missing = len({item[6] for c, item in zip(said, items) if c[0] is None and c[1].strip()})
    if missing:
        paragraphs = sum(1 for s in segs if s.label is None)
        problems.append(Problem(
            f"{missing} of {cues} captions name no speaker; their text is kept outside any turn, as "
            f"{paragraphs} paragraph(s) (captions less than {GAP:g} s apart are joined)", name
        ))
    return segs, problems


def _dash_pieces(payload: list[str]) -> list[str]:
    """A two-speaker cue written with a leading ``- `` per speaker -> one piece per dash ([] otherwise)."""
    dashed = sum(1 for line in payload if _DASH.match(line) and not line.startswith("--"))
    if not (dashed >= 2 or (dashed == 1 and len(payload) >= 2 and _DASH.match(payload[0]))):
        return []
    pieces, current = [], []
    for line in payload:
        if _DASH.match(line) and current:
            pieces.append(" ".join(current))
            current = []
        current.append(_DASH.sub("", line, count=1) if _DASH.match(line) else line)
    pieces.append(" ".join(current))
    return pieces


def _named_pieces(payload: list[str]) -> list[str]:
    """A cue's lines, split where a later line names another speaker (``Zoë O'Brien: No.``)."""
    pieces: list[list[str]] = [[]]
    for line in payload:
        cand, _ = split_prefix(line)
        if pieces[-1] and cand and looks_like_name(cand, allow_comma=True):
            pieces.append([])
        pieces[-1].append(line)
    return [" ".join(piece) for piece in pieces]


def _continue_speakers(accepted: list[tuple], items: list[tuple]) -> list[tuple]:
    """(label, text, start, end, dash piece index or None): a cue that names no speaker continues the
    previous one's turn; unnamed dash pieces do not (each dash is a change of speaker)."""
    out = []
    previous = None
    for (label, text, start, end), item in zip(accepted, items):
        if label is None and item[5] is None:
            label = previous
        out.append((label, text, start, end, item[5]))
        previous = label
    return out


def _to_segs(cues: list[tuple]) -> list[Seg]:
    """Merge runs of cues into turns; an unnamed dash piece is a paragraph of its own."""
    segs: list[Seg] = []
    run: list = []
    for cue in cues:
        if cue[0] is None and cue[4] is not None:
            segs.extend(to_segs(run, swap=False))
            run = []
            segs.append(Seg(cue[1]))
            continue
        run.append(cue[:4])
    segs.extend(to_segs(run, swap=False))
    return segs
