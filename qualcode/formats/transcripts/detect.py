"""Decide a text transcript's layout from its content (never from the file name)."""

from __future__ import annotations

import re

from . import otter, zoomtxt
from .cues import TIMING
from .vtt import is_teams

SAMPLE_CHARS = 200_000
_QNUM_LINE = re.compile(r"^Q\d{1,4}\.?[ \t]+[A-Z][^:\n]{0,60}:[ \t]", re.M)
_PARL_HEADER = re.compile(r"^(?:Members present:|Oral evidence:|Questions \d+[-–]\d+)", re.M)
_F4 = re.compile(r"#\d{1,2}:\d{2}:\d{2}(?:[.,\-]\d{1,3})?#[ \t]*$", re.M)
_BOLD_LABEL = re.compile(r"^\*\*[^*\n]{1,60}?(?::\*\*|\*\*[ \t]{0,8}:)", re.M)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_RST_UNDERLINE = re.compile(r"^\S[^\n]{0,80}\n([=\-^~])\1{2,}[ \t]*$", re.M)
_INQ_LINE = re.compile(r"[ \t]*\d{1,2}(?:[ \t]|$)")
_INQ_LABEL = re.compile(r"[ \t]*\d{1,2}[ \t]+(?:[QA]\.[ \t]|[A-Z][A-Z .'’\-]{1,40}:[ \t])")


def detect_text_format(body: str) -> str:
    """One of: zoom-vtt, teams-vtt, srt, zoom-txt, otter, inquiry, f4, parliament, markdown, text."""
    sample = body[:SAMPLE_CHARS]
    lines = sample.split("\n")[:5000]
    nonblank = [line for line in lines if line.strip()]
    if not nonblank:
        return "text"
    first = nonblank[0].strip()
    if first.startswith("WEBVTT"):
        return "teams-vtt" if is_teams(sample) else "zoom-vtt"
    timings = [i for i, line in enumerate(nonblank[:400]) if TIMING.match(line)]
    if timings and len(timings) >= max(1, len(nonblank[:400]) // 8):
        comma = sum(1 for i in timings if "," in nonblank[i].split("-->")[0])
        if comma > len(timings) / 2:
            return "srt"
        return "teams-vtt" if is_teams(sample) else "zoom-vtt"
    if zoomtxt.detect(sample):
        return "zoom-txt"
    if otter.detect(sample):
        return "otter"
    numbered = sum(1 for line in nonblank if _INQ_LINE.match(line))
    inq_labels = sum(1 for line in nonblank if _INQ_LABEL.match(line))
    if numbered >= 0.6 * len(nonblank) and inq_labels >= 2:
        return "inquiry"
    if len(_F4.findall(sample)) >= 2:
        return "f4"
    qlines = len(_QNUM_LINE.findall(sample))
    if qlines >= 2 or (qlines and _PARL_HEADER.search(sample)):
        return "parliament"
    if len(_BOLD_LABEL.findall(sample)) >= 2 or _MD_HEADING.search(sample) or _RST_UNDERLINE.search(sample):
        return "markdown"
    return "text"
