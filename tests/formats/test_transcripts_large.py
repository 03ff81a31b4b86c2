"""Size and shape stress: a 50 MB transcript imports; odd lines do not make the parser crawl.

Speed itself is measured in benchmarks/bench_import.py, not asserted here.
"""

from __future__ import annotations

import pytest

from qualcode.formats.transcripts import parse_transcript

UNIT = (
    "Interviewer: How did the partnership board first approach the forum, and who decided that?\n\n"
    "Respondent: Honestly – through the council’s regeneration team. We were told the plan was written.\n\n"
    "That was back in 2004, before the forum had a seat. Don't get me wrong: it was fine.\n\n"
)


def test_fifty_megabyte_labelled_transcript(check):
    repeats = 50_000_000 // len(UNIT.encode("utf-8")) + 1
    data = ("---\ntitle: Big\n---\n" + UNIT * repeats).encode("utf-8")
    assert len(data) >= 50_000_000
    t, problems = parse_transcript(data, "big.txt")
    assert len(t.turns) == 2 * repeats
    assert t.turns[-1].speaker == "Respondent" and t.turns[-1].role == "respondent"
    last = t.turns[-1]
    assert t.text[last.text_start:last.end].endswith("Don't get me wrong: it was fine.")
    assert last.end == len(t.text.rstrip())
    check(t)
    assert problems == []


def test_large_vtt(check):
    cues = []
    for i in range(60_000):
        who = "Ruth Adebayo" if (i // 4) % 2 == 0 else "Tom Keane"
        s = i * 2
        cues.append(f"{i + 1}\n{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000 --> "
                    f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60 + 1:02d}.500\n{who}: words of cue {i}\n")
    t, _ = parse_transcript(("WEBVTT\n\n" + "\n".join(cues)).encode(), "big.vtt")
    check(t)
    assert len(t.turns) == 15_000
    assert t.turns[1].timestamp == 8.0


@pytest.mark.parametrize(
    "data",
    [
        b"A" + b" " * 2_000_000 + b"x: y",
        b"Ruth Adebayo" + b" " * 500_000 + b"0:04  \ntext\n\n",
        b":" * 2_000_000,
        b"**" + b"*" * 1_000_000,
        b"[" * 1_000_000 + b"]",
        b"Q1 " * 500_000 + b"Chair: hi",
        b"-" * 1_000_000 + b"->",
        (b"Ab " * 500_000) + b":",
        b"00:00:01.000 --> " * 50_000 + b"\nx\n",
        b"I: x #00:00:12-3#" + b" " * 1_000_000 + b"\n",
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + b"A" * 1_000_000 + b": hi\n",
        b"1\n00:00:01,000 --> 00:00:02,000\n" + b"- " * 500_000 + b"\n",
    ],
    ids=["spaces", "otter-gap", "colons", "stars", "brackets", "qnums", "dashes", "words", "timings", "f4",
         "vtt-long", "srt-dashes"],
)
def test_pathological_lines_finish(data):
    try:
        parse_transcript(data, "odd.txt")
    except Exception as exc:  # only our own errors may come out
        from qualcode.errors import QualcodeError

        assert isinstance(exc, QualcodeError), exc
