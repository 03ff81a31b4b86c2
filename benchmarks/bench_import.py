"""Import throughput of the transcript importers on generated transcripts.

    python benchmarks/bench_import.py [--mb 50]

Prints MB/s and words/s for a labelled plain-text transcript, a Zoom WebVTT file, a Teams
WebVTT file and an Otter export, each about ``--mb`` megabytes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import measured  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.domain.transcript import count_words  # noqa: E402
from qualcode.formats.transcripts import parse_transcript  # noqa: E402

_WORDS = (
    "the board forum council partnership we they funding really think community network residents "
    "data plan priorities said was were meeting voluntary sector neighbourhood renewal café naïve"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + rng.choice([".", ".", "?", "!"])


def labelled(size: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    parts, total, i = ["---\ntitle: Generated\ninterviewer: Ruth Adebayo\n---\n\n"], 0, 0
    while total < size:
        who = "Ruth Adebayo" if i % 2 == 0 else "Tom Keane"
        para = f"{who}: " + " ".join(_sentence(rng) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.2:
            para += "\n\n" + " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
        parts.append(para + "\n\n")
        total += len(para) + 2
        i += 1
    return "".join(parts).encode("utf-8")


def _stamp(seconds: float, sep: str = ".") -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{int(h):02d}:{int(m):02d}:{s:06.3f}".replace(".", sep)


def vtt(size: int, *, teams: bool = False, seed: int = 2) -> bytes:
    rng = random.Random(seed)
    parts, total, i, t = ["WEBVTT\n\n"], 0, 0, 0.0
    while total < size:
        who = ["Ruth Adebayo", "Keane, Tom"][(i // 3) % 2]
        text = _sentence(rng)
        start, t = t, t + rng.uniform(1.0, 4.0)
        if teams:
            cue = f"6b1f0d2e-8c41-4a7e-b3f9-2d7c51e0a9f4/{i}-0\n{_stamp(start)} --> {_stamp(t)}\n<v {who}>{text}</v>\n\n"
        else:
            cue = f"{i + 1}\n{_stamp(start)} --> {_stamp(t)}\n{' '.join(reversed(who.split(', ')))}: {text}\n\n"
        parts.append(cue)
        total += len(cue)
        i += 1
    return "".join(parts).encode("utf-8")


def otter(size: int, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    parts, total, i = [], 0, 0
    while total < size:
        who = "Ruth Adebayo" if i % 2 == 0 else "Tom Keane"
        h, m, sec = i // 3600, i // 60 % 60, i % 60
        stamp = f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
        block = f"{who}  {stamp}  \n" + " ".join(_sentence(rng) for _ in range(3)) + "\n\n"
        parts.append(block)
        total += len(block)
        i += 1
    return "".join(parts).encode("utf-8")


def run(label: str, data: bytes, name: str) -> None:
    start = time.perf_counter()
    transcript, _ = parse_transcript(data, name)
    elapsed = time.perf_counter() - start
    words = count_words(transcript.text)
    mb = len(data) / 1e6
    print(
        f"{label:<22} {mb:6.1f} MB  {elapsed:6.2f} s  {mb / elapsed:6.1f} MB/s  {words / elapsed:>12,.0f} words/s"
        f"  turns={len(transcript.turns):,}  format={transcript.format}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of each generated file in MB")
    args = parser.parse_args()
    size = int(args.mb * 1e6)
    run("labelled text", labelled(size), "bench.txt")
    run("Zoom WebVTT", vtt(size), "bench.vtt")
    run("Teams WebVTT", vtt(size, teams=True), "bench-teams.vtt")
    run("Otter TXT", otter(size), "bench-otter.txt")


if __name__ == "__main__":
    with measured("bench_import"):
        main()
