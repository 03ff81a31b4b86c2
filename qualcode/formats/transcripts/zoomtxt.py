"""Zoom's saved captions (``meeting_saved_closed_caption.txt``, "Save captions" / "Save transcript").

Two layouts:

- current clients: ``[Speaker Name] HH:MM:SS`` on its own line, what was said on the next line(s),
  a blank line between captions::

      [Ruth Adebayo] 10:15:32
      Thanks for making time. Could you start with your role

      [Tom Keane] 10:15:41
      Sure. I chair the community empowerment network.

- older clients: one line per caption, ``HH:MM:SS From Speaker Name : text`` (also ``From Name to
  Everyone:``); a line that only starts with the time is a caption nobody was named for.

Times are the clock time of the meeting (not time into a recording) and are kept as the turn's time
in seconds after midnight. Captions are short, so consecutive captions of one speaker make one turn.
"""

from __future__ import annotations

import re

from .common import Seg
from .cues import to_segs
from .names import parse_time

_CLOCK = r"\d{1,2}:\d{2}:\d{2}"
_AMPM = r"(?:[ \t]*([AaPp]\.?[Mm]\.?))?"
HEAD = re.compile(rf"[ \t]*\[([^\[\]\n]{{1,80}})\][ \t]+({_CLOCK}){_AMPM}[ \t]*")
FROM = re.compile(
    rf"[ \t]*({_CLOCK}){_AMPM}[ \t]+From[ \t]+([^:\n]{{1,100}}?)"
    r"(?:[ \t]+to[ \t]+(?:Everyone|Waiting Room Participants|[^:\n]{1,80}?\((?:Direct|Privately) Message\)))?"
    r"[ \t]*:[ \t]?(.*)",
    re.I,
)
_TIMED = re.compile(rf"[ \t]*({_CLOCK}){_AMPM}(?:[ \t]+(.*))?")


def _clock(text: str, ampm: str) -> float | None:
    seconds = parse_time(text)
    if seconds is None:
        return None
    low = ampm.lower().replace(".", "")
    if low == "pm" and seconds < 12 * 3600:
        seconds += 12 * 3600
    elif low == "am" and seconds >= 12 * 3600:
        seconds -= 12 * 3600
    return seconds


def _time(m: re.Match, group: int) -> float | None:
    """The clock time in ``group`` (with its am/pm in the next group)."""
    return _clock(m.group(group), m.group(group + 1) or "")


def _name(raw: str) -> str:
    return " ".join(raw.split())


def detect(sample: str) -> bool:
    """Most captions open with ``[Name] HH:MM:SS`` or are ``HH:MM:SS From Name : text`` lines."""
    lines = [line for line in sample.split("\n")[:5000] if line.strip()]
    if len(lines) < 2:
        return False
    heads = sum(1 for line in lines if HEAD.fullmatch(line))
    if heads >= 2 and HEAD.fullmatch(lines[0]) and 4 * heads >= len(lines):
        return True
    froms = sum(1 for line in lines if FROM.fullmatch(line))
    timed = sum(1 for line in lines if _TIMED.fullmatch(line))
    return froms >= 2 and 2 * froms >= timed and 2 * timed >= len(lines)


def parse_zoom_captions(body: str) -> list[Seg]:
    """One segment per turn (consecutive captions of one speaker merged), unattributed captions as
    paragraphs outside any turn."""
    cues: list[tuple[str | None, str, float | None, float | None]] = []
    lines = body.split("\n")
    bracketed = sum(1 for line in lines if HEAD.fullmatch(line)) >= sum(1 for line in lines if FROM.fullmatch(line))
    current: list | None = None  # [speaker, [lines], time]
    preamble: list[str] = []

    def close():
        nonlocal current
        if current is not None:
            cues.append((current[0], " ".join(current[1]), current[2], None))
            current = None

    for line in lines:
        s = line.strip()
        if bracketed:
            m = HEAD.fullmatch(line)
            if m:
                close()
                current = [_name(m.group(1)) or None, [], _time(m, 2)]
                continue
        else:
            m = FROM.fullmatch(line)
            if m:
                close()
                said = m.group(4).strip()
                current = [_name(m.group(3)) or None, [said] if said else [], _time(m, 1)]
                continue
            m = _TIMED.fullmatch(line)
            if m and m.group(3):
                close()
                current = [None, [m.group(3).strip()], _time(m, 1)]
                continue
        if not s:
            if not bracketed:
                close()
            continue
        if current is None:
            preamble.append(s)
        else:
            current[1].append(s)
    close()
    segs = [Seg(" ".join(preamble))] if preamble else []
    return segs + to_segs(cues, swap=False)
