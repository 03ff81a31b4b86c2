"""`qualcode table retrieve` wraps each segment as it always did (textwrap's lines), only faster."""

from __future__ import annotations

import random
import textwrap

from qualcode.cli.tables import _fill


def test_segments_wrap_to_the_same_lines_as_textwrap():
    rng = random.Random(7)
    words = ["we", "were", "told", "the", "plan", "was", "already", "written", "“papers”", "[late]", "café",
             "naïve", "co-op", "well--known", "x" * 95, "x" * 96, "x" * 120, "Ms", "Blackwell:", "…", "-", "a-b-c"]
    for n in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
        assert _fill(text, "    ") == textwrap.fill(text, width=100, initial_indent="    ", subsequent_indent="    ")
        body = " ".join(text.split())
        assert _fill(body, "  ", width=40) == textwrap.fill(body, width=40, initial_indent="  ",
                                                              subsequent_indent="  ")


def test_no_line_of_a_long_segment_passes_the_width():
    text = " ".join(["participation"] * 200)
    lines = _fill(text, "    ").split("\n")
    assert len(lines) > 20 and all(len(line) <= 100 and line.startswith("    ") for line in lines)
    assert " ".join(line.strip() for line in lines) == text
