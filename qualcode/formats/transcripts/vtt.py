"""WebVTT: Zoom (``Name: text`` cues) and Microsoft Teams (``<v Name>text</v>``, GUID cue ids)."""

from __future__ import annotations

import re

from qualcode.errors import FormatError, Problem

from .common import Seg
from .cues import BLOCK_SPLIT, TIMING, accept_labels, split_prefix, strip_tags, to_segs
from .names import parse_time

# A cue that is only an annotation ("[music]", "(laughs)", "[Illustrative ...]") is not unattributed speech.
_ANNOTATION = re.compile(r"^(\[[^\]]*\]|\([^)]*\))$", re.S)

GUID_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?:/\d+-\d+)?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>\n]*)>")
_NOTE_KEY = re.compile(r"([A-Za-z][\w \-]{0,40}?)[ \t]{0,8}:[ \t]*(.*)")


def is_teams(sample: str) -> bool:
    return bool(_VOICE.search(sample)) or any(GUID_ID.fullmatch(line.strip()) for line in sample.split("\n")[:200])


def _note_metadata(lines: list[str], metadata: dict) -> None:
    first = lines[0][4:].strip()
    for line in ([first] if first else []) + lines[1:]:
        m = _NOTE_KEY.fullmatch(line.strip())
        if m and m.group(2):
            metadata.setdefault(m.group(1).strip(), m.group(2).strip())


def parse_vtt(body: str, name: str) -> tuple[list[Seg], dict, str, list[Problem]]:
    """Segments (one per merged turn), NOTE metadata, format name, warnings."""
    blocks = BLOCK_SPLIT.split(body.strip("\n"))
    metadata: dict = {}
    teams = is_teams(body[:200_000])
    items = []
    seen_cue = False
    for bi, block in enumerate(blocks):
        lines = block.split("\n")
        head = lines[0].strip()
        if bi == 0 and head.startswith("WEBVTT"):
            continue
        if head.startswith("NOTE") and (len(head) == 4 or head[4] in " \t"):
            if not seen_cue:
                _note_metadata(lines, metadata)
            continue
        if head in ("STYLE", "REGION"):
            continue
        t = 0 if TIMING.match(lines[0]) else (1 if len(lines) > 1 and TIMING.match(lines[1]) else None)
        if t is None:
            continue  # stray text outside a cue: WebVTT players ignore it too
        seen_cue = True
        m = TIMING.match(lines[t])
        start, end = parse_time(m.group(1)), parse_time(m.group(2))
        payload = " ".join(line.strip() for line in lines[t + 1:] if line.strip())
        for label, text in _voices(payload):
            if label is None:
                whole = strip_tags(text).strip()
                cand, rest = split_prefix(whole)
                items.append((False, (cand, rest, whole, start, end)))
            else:
                items.append((True, (label, strip_tags(text).strip(), start, end)))
    if not seen_cue:
        raise FormatError(
            "this WebVTT file has no cues (no 'HH:MM:SS.mmm --> HH:MM:SS.mmm' lines)",
            path=name,
            hint="download the transcript again from Zoom or Teams",
        )
    plain = iter(accept_labels([item for voiced, item in items if not voiced]))
    cues = [item if voiced else next(plain) for voiced, item in items]
    problems = []
    missing = sum(1 for c in cues if c[0] is None and c[1].strip() and not _ANNOTATION.match(c[1].strip()))
    if missing:
        problems.append(Problem(
            f"{missing} of {len(cues)} captions name no speaker; their text is kept as paragraphs outside any turn",
            name,
        ))
    return to_segs(cues, swap=teams), metadata, ("teams-vtt" if teams else "zoom-vtt"), problems


def _voices(payload: str) -> list[tuple[str | None, str]]:
    """Split a cue payload at ``<v Name>`` tags: [(name or None, text), ...]."""
    found = list(_VOICE.finditer(payload))
    if not found:
        return [(None, payload)]
    out: list[tuple[str | None, str]] = []
    if payload[: found[0].start()].strip():
        out.append((None, payload[: found[0].start()]))
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(payload)
        label = " ".join(strip_tags(m.group(1)).split())
        out.append((label or None, payload[m.end():stop]))
    return out
