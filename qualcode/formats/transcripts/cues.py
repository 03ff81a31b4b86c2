"""Timed cues (WebVTT, SubRip) -> segments: timings, speaker prefixes, merging."""

from __future__ import annotations

import html
import re

from .common import Seg
from .names import key, looks_like_name

TIMING = re.compile(
    r"[ \t]*((?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)[ \t]*-->[ \t]*((?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)"
)
BLOCK_SPLIT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*\n")
_PREFIX = re.compile(r"(?:>>[ \t]*)?([^:：\n<>]{1,60}?)[ \t]{0,8}(?::[ \t]+|：[ \t]*)")
_BRACKET = re.compile(r"\[([^\]\n]{1,60})\][ \t]*:?[ \t]*")
_TAG = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_SENTENCE = frozenset('?!"“”')
GAP = 2.0  # seconds of silence that start a new paragraph of unattributed captions


def strip_tags(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def split_prefix(text: str) -> tuple[str | None, str]:
    """``Name: text`` or ``[Name] text`` -> (candidate label, rest); (None, text) otherwise."""
    m = _BRACKET.match(text)
    if m and looks_like_name(m.group(1).strip(), allow_comma=True):
        return m.group(1).strip(), text[m.end():]
    m = _PREFIX.match(text)
    if m:
        return m.group(1).strip(), text[m.end():]
    return None, text


def prefix_ok(label: str, counts: dict[str, int]) -> bool:
    """A prefix is a speaker when it reads as a name, or is a short phrase used as one repeatedly."""
    if looks_like_name(label, allow_comma=True):
        return True
    words = label.split()
    return counts.get(key(label), 0) >= 2 and len(words) <= 6 and not any(c in _SENTENCE for c in label)


def to_segs(cues: list[tuple[str | None, str, float | None, float | None]], *, swap: bool) -> list[Seg]:
    """Merge consecutive cues of one speaker into one turn (first cue's time kept); captions with no
    speaker become plain paragraphs, split where the recording pauses."""
    segs: list[Seg] = []
    prev_end = None
    for label, text, start, end in cues:
        if not text.strip():
            prev_end = end
            continue
        last = segs[-1] if segs else None
        if last is not None and last.label == label and (
            label is not None or start is None or prev_end is None or start - prev_end < GAP
        ):
            last.extra.append(text)
        else:
            segs.append(Seg(text, label, start if label is not None else None, swap=swap))
        prev_end = end
    for seg in segs:
        if seg.extra:
            seg.body = " ".join([seg.body, *seg.extra])
            seg.extra = []
    return segs


def accept_labels(items: list[tuple[str | None, str, str, float | None, float | None]]):
    """``items``: (candidate, rest, whole, start, end). Keep candidates that pass ``prefix_ok``."""
    counts: dict[str, int] = {}
    for cand, *_ in items:
        if cand:
            counts[key(cand)] = counts.get(key(cand), 0) + 1
    out = []
    for cand, rest, whole, start, end in items:
        if cand and prefix_ok(cand, counts):
            out.append((cand, rest, start, end))
        else:
            out.append((None, whole, start, end))
    return out
