"""End to end: the real `qualcode` command in tmux on a copy of the bundled study.

Open the first transcript, select a speaker turn, apply a code by its shortcut key, quit; then
read the journal on disk. Skips (and says why) when tmux is not installed; `.ci/run` installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import copy_study

REPO = Path(__file__).resolve().parents[2]
QUALCODE = Path(sys.executable).with_name("qualcode")


class Tmux:
    """One private tmux server (its own socket), so a user's sessions are never touched."""

    def __init__(self, name: str) -> None:
        self.socket = name
        self.session = "qc"

    def run(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        return out.stdout

    def start(self, command: str, width: int = 140, height: int = 45) -> None:
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", self.session,
                        "-x", str(width),
                        "-y", str(height), command], check=True, timeout=20)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Poll the pane until ``text`` shows (a terminal gives no event to wait on)."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        size = self.run("display", "-p", "-t", self.session, "#{window_width}x#{window_height}").strip()
        raise AssertionError(f"{text!r} did not appear within {timeout} s; the screen ({size}) was:\n{shown}")

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)


def test_code_a_turn_by_shortcut_in_the_real_command(tmp_path):
    if shutil.which("tmux") is None:
        reason = "tmux is not installed (apt-get install tmux; .ci/run installs it)"
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
    if not QUALCODE.exists():
        pytest.skip(f"the qualcode command is not installed next to {sys.executable}")
    study = copy_study(tmp_path / "lsp-study")
    done = tmp_path / "exit-code"
    tmux = Tmux(f"qualcode-e2e-{os.getpid()}")
    # pytest exports COLUMNS=80 and LINES=24, which Textual would obey over the pane size
    command = (f"env -u QUALCODE_CODER -u COLUMNS -u LINES TERM=xterm-256color "
               f"{QUALCODE} --project {study} --coder e2e_tester; echo $? > {done}; sleep 60")
    tmux.start(command)
    try:
        tmux.wait_for("Transcripts:")
        tmux.keys("Enter")  # open the first transcript
        tmux.wait_for("Codings here")
        tmux.keys("t")  # select the (first) speaker turn
        tmux.wait_for("characters selected")
        tmux.keys("1")  # the code whose shortcut is 1
        tmux.wait_for("journal line 1")
        tmux.keys("q")
        deadline = time.monotonic() + 20
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert done.exists(), f"qualcode did not exit; the screen was:\n{tmux.screen()}"
        assert done.read_text().strip() == "0"
        assert "Everything you coded is saved." in tmux.screen()
    finally:
        tmux.kill()

    from qualcode.store.project import Project

    project = Project.open(study)
    try:
        lines = (study / "codings" / "e2e_tester.jsonl").read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines]
        assert [r["op"] for r in records] == ["add"]
        coding = records[0]["coding"]
        first = project.index.ids()[0]
        transcript = project.transcript(first)
        turn = transcript.turns[0] if transcript.turn_at(0) is None else transcript.turn_at(0)
        end = turn.end
        while transcript.text[end - 1].isspace():
            end -= 1
        assert coding["t"] == first and coding["coder"] == "e2e_tester"
        assert (coding["s"], coding["e"]) == (turn.text_start, end)
        assert coding["code"] == project.codebook.by_shortcut()["1"].id
        assert coding["quote"] == transcript.text[turn.text_start:end]
        assert [c.code for c in project.codings("e2e_tester")] == [coding["code"]]
    finally:
        project.close()
