"""Code picker speed figures (printed, never asserted).

    .venv/bin/python benchmarks/bench_picker.py

A codebook of 1,000 codes (the bundled study's 47 and 953 made from its vocabulary, each with a
parent path, an id and keywords). For each query, the picker's ranking (``qualcode.tui.rank``) runs
once per keystroke, for every prefix of the query as it is typed, up to 30 characters; printed:
the mean and the worst keystroke, each keystroke timed as the best of ``REPEATS`` runs (the machine's
other work shows up as noise, not as the picker's cost). Target: at most 5 ms per keystroke. The old picker took 9.7 s for
``monitori`` on the bundled codebook. Then the same 1,000 codes in the real picker, headless: ranking
plus listing the best 100 (what a keystroke costs before the frame is drawn).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qualcode.formats.codebook_yaml import load_codebook  # noqa: E402
from qualcode.tui.rank import Candidate, Ranker  # noqa: E402

REPEATS = 5
QUERIES = [
    "ethnicity monitoring of nrf al",   # a real name, typed in full
    "noethmonxqzwvutsrponmlkjihgfed",   # the query that froze the old picker, then nonsense
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",   # one letter repeated (worst case for backtracking matchers)
    "lang",                            # short: exact/prefix/word-start tiers
    "e e e e e e e e e e e e e e e ",  # many one-letter words
    "barriers.trust jargon papers l",   # id, keyword and name words mixed
]


def candidates(n: int = 1000) -> list[Candidate]:
    book = load_codebook(REPO / "codebooks" / "lsp-participation.yaml")
    out = [Candidate(c.id, c.name, c.id, f"{book.path_name(c.id)} {' '.join(c.keywords)}")
           for c in book.walk()]
    words = sorted({w.lower() for c in book.walk() for w in (c.name + " " + c.definition).split() if w.isalpha()})
    rng = random.Random(12)
    while len(out) < n:
        name = " ".join(rng.choice(words) for _ in range(rng.randint(2, 6))).capitalize()
        parent = rng.choice(out[:47])
        cid = f"{parent.key}.{len(out)}"
        keywords = " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
        out.append(Candidate(cid, name, cid, f"{parent.name} / {name} {keywords}", use=rng.randint(0, 400)))
    return out


def main() -> None:
    cands = candidates()
    t0 = time.perf_counter()
    ranker = Ranker(cands)
    print(f"{len(cands)} codes; preparing the ranker: {(time.perf_counter() - t0) * 1000:.2f} ms")
    worst_all = 0.0
    for query in QUERIES:
        times = []
        for k in range(1, len(query) + 1):
            best = float("inf")
            for _ in range(REPEATS):
                t = time.perf_counter()
                hits = ranker.rank(query[:k])
                best = min(best, time.perf_counter() - t)
            times.append(best * 1000)
        worst_all = max(worst_all, max(times))
        print(f"{query!r:36} {len(query):2} keystrokes: mean {statistics.mean(times):6.2f} ms, "
              f"worst {max(times):6.2f} ms, {len(hits)} matches for the full query")
    print(f"worst keystroke over all queries: {worst_all:.2f} ms (target <= 5 ms)")
    in_the_picker(cands)


def in_the_picker(cands: list[Candidate]) -> None:
    """The same codebook in the real picker (headless): ranking plus listing the first 100 codes."""
    import asyncio

    from textual.app import App

    from qualcode.domain.codebook import Code, Codebook
    from qualcode.tui.screens.picker import CodePicker

    book = Codebook(name="bench", codes=[Code(id=f"c{i}", name=c.name, keywords=c.extra.split()[-3:])
                                         for i, c in enumerate(cands)])
    picker = CodePicker(book, {}, counts={f"c{i}": c.use for i, c in enumerate(cands)})
    query = QUERIES[0]

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(picker)

    async def run() -> list[float]:
        times = []
        async with Host().run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for k in range(1, len(query) + 1):
                t = time.perf_counter()
                picker._fill(query[:k])
                times.append((time.perf_counter() - t) * 1000)
                await pilot.pause()
        return times

    times = asyncio.run(run())
    print(f"in the picker (rank + list up to {CodePicker.SHOWN} codes), {query!r} typed: "
          f"mean {statistics.mean(times):.2f} ms, worst {max(times):.2f} ms per keystroke")


if __name__ == "__main__":
    with measured("bench_picker"):
        main()
