"""Cost of hiding Markdown/reST markup in the transcript view (printed, never asserted).

    .venv/bin/python benchmarks/bench_markup.py

A made-up reST hearing of about 30,000 words (every turn ``**Name**: ...`` with some ``*emphasis*``
and ``**strong**`` words, a heading every 40 turns): the time to find the markup (``hidden_spans``),
to wrap the text at 71 columns with and without it hidden (``layout.Wrap``, done on open and on
resize), and per drawn line and per cursor step (``x_of`` / ``offset_at``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.domain.offsets import LineIndex  # noqa: E402
from qualcode.tui.layout import Wrap  # noqa: E402
from qualcode.tui.markup import heading_spans, hidden_spans  # noqa: E402


def hearing(words: int) -> str:
    parts, n, i = [], 0, 0
    sentence = "we looked at the *equality* data and it was **hard** work to publish it every week"
    while n < words:
        if i % 40 == 0:
            title = f"Session {i // 40 + 1}"
            parts.append(f"{title}\n{'^' * len(title)}\n")
        who = "Counsel Inquiry" if i % 2 == 0 else "Ms Jane Doe"
        body = " ".join([sentence] * (1 + i % 5)).capitalize() + "."
        parts.append(f"**{who}**: {body}\n")
        n += len(body.split()) + 2
        i += 1
    return "\n".join(parts)


def timed(what: str, fn, repeat: int = 5):
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    print(f"{what:<48} {best * 1000:9.2f} ms (best of {repeat})")
    return out


def main() -> None:
    text = hearing(30_000)
    starts = LineIndex(text).starts
    print(f"made-up hearing: {len(text.split()):,} words, {len(text):,} characters, {len(starts):,} lines")
    hidden = timed("hidden_spans (find the markup)", lambda: hidden_spans(text))
    timed("heading_spans", lambda: heading_spans(text))
    print(f"{len(hidden):,} hidden ranges, {sum(b - a for a, b in hidden):,} characters hidden")
    plain = timed("Wrap at 71 columns, nothing hidden", lambda: Wrap(text, starts, 71))
    wrap = timed("Wrap at 71 columns, markup hidden", lambda: Wrap(text, starts, 71, hidden))
    print(f"visual lines: {len(plain):,} with markup shown, {len(wrap):,} hidden")
    offsets = [wrap.starts[i] + 5 for i in range(0, len(wrap), max(1, len(wrap) // 1000))]
    timed("x_of on 1,000 lines (cursor steps)", lambda: [wrap.x_of(o) for o in offsets])
    timed("offset_at on 1,000 lines (mouse)", lambda: [wrap.offset_at(wrap.line_of(o), 20) for o in offsets])


if __name__ == "__main__":
    with measured("bench_markup"):
        main()
