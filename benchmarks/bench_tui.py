"""Workbench speed figures (printed, never asserted).

    .venv/bin/python benchmarks/bench_tui.py [--quick] [--keep DIR]

1. First frame of `qualcode` (the real command, in a pseudo-terminal) on a copy of the bundled
   study, and on a generated project of 1,000 transcripts and 200,000 codings: time from starting
   the command to the home screen's first frame on the terminal (targets 1.0 s and 2.0 s).
2. Opening a 30,000-word transcript, and applying a code with 10,000 codings in it (targets
   300 ms and 50 ms), measured in-process with the headless driver: key press to the next frame.
3. Scrolling: page down and cursor moves through that transcript (work per keystroke).

``--quick`` skips the 1,000-transcript project (its generation takes a minute or two).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import copy_study  # noqa: E402

QUALCODE = Path(sys.executable).with_name("qualcode")




def first_frame(project: Path, coder: str, marker: bytes = b"Transcripts:", timeout: float = 30.0) -> float:
    """Seconds from starting `qualcode` in a 120x40 pseudo-terminal to the home screen on it."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, as a researcher would type it
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("TEXTUAL", None)
        os.execv(str(QUALCODE), [str(QUALCODE), "--project", str(project), "--coder", coder])
    t0 = time.monotonic()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    elapsed = None
    deadline = t0 + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen = (seen + chunk)[-200000:]
        if b"\x1b[6n" in chunk or b"\x1b[c" in chunk:  # answer terminal queries so nothing waits
            os.write(fd, b"\x1b[1;1R")
        if marker in seen:
            elapsed = time.monotonic() - t0
            break
    # quit and reap
    time.sleep(0.3)
    try:
        os.write(fd, b"q")
    except OSError:
        pass
    end = time.monotonic() + 10
    while time.monotonic() < end:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            if select.select([fd], [], [], 0.1)[0]:
                os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        raise RuntimeError(f"no first frame within {timeout} s (last output: {seen[-300:]!r})")
    return elapsed


def big_transcript_project(folder: Path, words: int = 30_000, codings: int = 10_000) -> Path:
    from generate import make_project

    return make_project(folder, transcripts=1, words_per_transcript=words, codings=codings, coders=1, seed=1)


async def in_process(folder: Path) -> dict[str, list[float]]:
    """Key (or call) to frame: the time from the input to the last frame it caused.

    The headless driver does everything a terminal run does except writing the bytes; each
    frame's time is taken where the App hands it to the driver (``App._display``).
    """
    from qualcode.store.project import Project
    from qualcode.tui.app import Settings, make_app

    project = Project.open(folder, search=False)
    tid = project.index.ids()[0]
    app = make_app(project, "coder_1", Settings())
    frames: list[float] = []
    display = app._display

    shown: list[float] = []
    saved_at = [0]

    def spy(screen, renderable):
        display(screen, renderable)
        frames.append(time.perf_counter())
        view = getattr(screen, "view", None) if type(screen).__name__ == "CodingScreen" else None
        if view is not None and view._cache and app.desk.seq >= saved_at[0]:
            shown.append(frames[-1])  # the transcript (with the new coding, when one was saved) is drawn

    app._display = spy
    out: dict[str, list[float]] = {"first open": [], "open": [], "open settled": [], "apply": [],
                                   "apply settled": [], "pagedown": [], "cursor": [], "select_turn": [], "scroll": []}

    async def timed(name: str, action) -> None:
        await pilot.pause()
        frames.clear()
        shown.clear()
        saved_at[0] = app.desk.seq + 1 if name == "apply" else 0
        t0 = time.perf_counter()
        await action()
        await pilot.pause()
        if name in ("open", "first open", "apply") and shown:
            out[name].append(shown[0] - t0)  # the first frame showing it
            if name in ("open", "apply"):
                out[f"{name} settled"].append(frames[-1] - t0)  # the last frame it caused
        elif frames:
            out[name].append(frames[-1] - t0)

    async with app.run_test(size=(140, 45)) as pilot:
        await app.workers.wait_for_complete()
        for k in range(4):
            app.go_home()
            project.index.forget(tid)

            async def open_it() -> None:
                app.open_transcript(tid)

            await timed("first open" if k == 0 else "open", open_it)
        screen = app.screen
        n = len(screen.index)
        keys = [c for c in app.desk.codebook.walk() if c.shortcut][:5]
        for k in range(10):
            screen.view.move_cursor(screen.transcript.turns[5 + 2 * k].text_start + 3)
            await timed("select_turn", lambda: pilot.press("t"))
            await timed("apply", lambda: pilot.press(keys[k % len(keys)].shortcut))
        for _ in range(20):
            await timed("pagedown", lambda: pilot.press("pagedown"))
        for _ in range(20):
            await timed("cursor", lambda: pilot.press("down"))
        async def wheel() -> None:  # what one step of the mouse wheel does
            screen.view.scroll_down(animate=False)

        for _ in range(20):
            await timed("scroll", wheel)
        out["codings"] = [float(n)]
        out["words"] = [float(screen.transcript.word_count)]
    project.close()
    return out


async def overview_time(folder: Path, coder: str) -> float:
    """Seconds from opening the project to the home's coding figures being filled (a worker
    replays every coder's journal after the first frame; the screen works meanwhile)."""
    from qualcode.store.project import Project
    from qualcode.tui.app import make_app

    t0 = time.perf_counter()
    project = Project.open(folder, search=False)
    app = make_app(project, coder)
    async with app.run_test(size=(140, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        elapsed = time.perf_counter() - t0
    project.close()
    return elapsed


def ms(values: list[float]) -> str:
    return f"median {1000 * statistics.median(values):.1f} ms, max {1000 * max(values):.1f} ms (n={len(values)})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the 1,000-transcript project")
    ap.add_argument("--keep", help="make the generated projects here (and reuse them)")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"qualcode workbench benchmarks ({sys.version.split()[0]}, {os.cpu_count()} CPUs), in {work}")

    # the import guard: the workbench must not pull in spaCy or scikit-learn
    code = "import sys, qualcode.tui.app; print(sorted(m for m in ('spacy', 'sklearn') if m in sys.modules))"
    heavy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import qualcode.tui.app"], check=True)
    print(f"import qualcode.tui.app in a fresh interpreter: {time.perf_counter() - t0:.2f} s; heavy modules loaded: {heavy}")

    study = work / "study"
    if not study.exists():
        copy_study(study)
    first_frame(study, "bench")  # builds the transcript cache, as any earlier run would have
    runs = [first_frame(study, "bench") for _ in range(a.runs)]
    print(f"first frame, bundled study (9 transcripts): {ms(runs)}  [target 1000 ms]")

    if not a.quick:
        big = work / "big"
        if not (big / "qualcode.toml").exists():
            from generate import make_project

            t0 = time.perf_counter()
            make_project(big, transcripts=1000, words_per_transcript=5000, codings=200_000, coders=2, seed=0)
            print(f"(generated 1,000 transcripts and 200,000 codings in {time.perf_counter() - t0:.0f} s)")
        first_frame(big, "coder_1", timeout=120)
        runs = [first_frame(big, "coder_1", timeout=60) for _ in range(a.runs)]
        print(f"first frame, 1,000 transcripts / 200,000 codings (coder_1 has 100,000): {ms(runs)}  [target 2000 ms]")
        filled = asyncio.run(overview_time(big, "coder_1"))
        print(f"  (its home figures, from replaying both journals in a worker, are filled {filled:.2f} s after opening)")

    one = work / "one"
    if not (one / "qualcode.toml").exists():
        big_transcript_project(one)
    run = work / "one-run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(one, run)  # a fresh journal each time: the same spans get coded
    figures = asyncio.run(in_process(run))
    words, n = int(figures["words"][0]), int(figures["codings"][0])
    print(f"open a {words:,}-word transcript with {n:,} codings, to the frame showing it: {ms(figures['open'])}"
          f"  [target 300 ms]; to the last frame (side panels settled): {ms(figures['open settled'])}; "
          f"the first open of the session also builds the coding screen: {ms(figures['first open'])}")
    print(f"apply a code by its key with {n:,} codings in the transcript, to the frame showing the highlight "
          f"(journal fsync included): {ms(figures['apply'])}  [target 50 ms]; to the last frame (panels and "
          f"counts updated): {ms(figures['apply settled'])}")
    print(f"select the turn (t): {ms(figures['select_turn'])}")
    print(f"page down: {ms(figures['pagedown'])}; cursor down: {ms(figures['cursor'])}; "
          f"mouse wheel step: {ms(figures['scroll'])}")
    print("(times run from the input to a frame handed to the terminal driver; Textual paces frames at 60 a second;"
          " other figures are to the last frame the input caused)")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    from machine import measured

    with measured("bench_tui"):
        main()
