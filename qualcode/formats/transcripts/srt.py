"""SubRip (.srt): numbered cues; speakers as ``Name:``, ``[Name]`` or ``- `` per speaker."""

from __future__ import annotations

import re

from qualcode.errors import FormatError, Problem

from .common import Seg
from .cues import BLOCK_SPLIT, TIMING, accept_labels, split_prefix, strip_tags, to_segs
from .names import parse_time

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
        dashed = sum(1 for line in payload if _DASH.match(line) and not line.startswith("--"))
        if dashed >= 2 or (dashed == 1 and len(payload) >= 2 and _DASH.match(payload[0])):
            pieces, current = [], []
            for line in payload:
                if _DASH.match(line) and current:
                    pieces.append(" ".join(current))
                    current = []
                current.append(_DASH.sub("", line, count=1) if _DASH.match(line) else line)
            pieces.append(" ".join(current))
            for j, piece in enumerate(pieces):
                cand, rest = split_prefix(piece)
                # each dash is a change of speaker: unnamed ones must not merge with each other
                items.append((cand, rest, piece, start, end, j))
        else:
            whole = " ".join(payload)
            cand, rest = split_prefix(whole)
            items.append((cand, rest, whole, start, end, None))
    if not cues:
        raise FormatError(
            "this SubRip file has no cues (no 'HH:MM:SS,mmm --> HH:MM:SS,mmm' lines)",
            path=name,
            hint="export the captions again as .srt",
        )
    accepted = accept_labels([it[:5] for it in items])
    segs: list[Seg] = []
    run: list = []
    for (label, text, start, end), item in zip(accepted, items):
        if item[5] is not None and label is None:
            segs.extend(to_segs(run, swap=False))
            run = []
            segs.append(Seg(text))
            continue
        run.append((label, text, start, end))
    segs.extend(to_segs(run, swap=False))
    problems: list[Problem] = []
    missing = sum(1 for s in segs if s.label is None)
    if missing:
        problems.append(Problem(
            f"{missing} caption paragraph(s) name no speaker; their text is kept outside any turn", name
        ))
    return segs, problems
