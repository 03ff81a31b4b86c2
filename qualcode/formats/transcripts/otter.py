"""Otter.ai TXT export: ``Speaker  M:SS`` (or ``Speaker␠␠``) on its own line, text below."""

from __future__ import annotations

import re

from .common import Seg, merge_segs
from .cues import BLOCK_SPLIT
from .names import looks_like_name, parse_time, role_of_word

_HEAD_TS = re.compile(r"(\S(?:.{0,58}?\S)?)[ \t]+((?:\d{1,2}:)?\d{1,2}:\d{2})[ \t]*")
_HEAD_SPACES = re.compile(r"(\S(?:.{0,58}?\S)?)  [ \t]*")


def _speaker_ok(name: str) -> bool:
    return looks_like_name(name, allow_comma=True) or role_of_word(name) is not None


def header(line: str, *, plain_ok: bool = False) -> tuple[str, float | None] | None:
    """(speaker, seconds) when ``line`` is an Otter block header."""
    if len(line) > 120:
        return None
    m = _HEAD_TS.fullmatch(line)
    if m and _speaker_ok(m.group(1)):
        return m.group(1), parse_time(m.group(2))
    m = _HEAD_SPACES.fullmatch(line)
    if m and _speaker_ok(m.group(1)):
        return m.group(1), None
    if plain_ok and _speaker_ok(line.strip()):
        return line.strip(), None
    return None


def _blocks(text: str) -> list[list[str]]:
    return [b.split("\n") for b in BLOCK_SPLIT.split(text.strip("\n")) if b.strip()]


def detect(sample: str) -> bool:
    """Most blocks open with a speaker header followed by text."""
    blocks = _blocks(sample)[:300]
    if len(blocks) < 2:
        return False
    strong = sum(1 for b in blocks if len(b) >= 2 and header(b[0]) is not None)
    if strong >= 2 and strong >= 0.5 * len(blocks):
        return True
    plain = [b[0].strip() for b in blocks if len(b) >= 2 and header(b[0], plain_ok=True)]
    return len(plain) >= 3 and len(plain) >= 0.8 * len(blocks) and len(set(plain)) <= max(2, len(plain) // 2)


def parse_otter(body: str) -> list[Seg]:
    blocks = _blocks(body)
    strong = sum(1 for b in blocks if len(b) >= 2 and header(b[0]) is not None)
    plain_ok = strong < 2
    segs: list[Seg] = []
    for block in blocks:
        head = header(block[0], plain_ok=plain_ok) if len(block) >= 2 or header(block[0]) else None
        if head is None:
            segs.append(Seg("\n".join(block)))
        else:
            speaker, ts = head
            segs.append(Seg("\n".join(block[1:]), speaker, ts))
    return merge_segs(segs, "\n")
