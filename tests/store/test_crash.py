"""SIGKILL at random moments loses nothing that was reported as saved, and the project still loads."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from qualcode.store.journal import replay
from qualcode.store.project import Project

CHILD = Path(__file__).with_name("crash_child.py")


def test_kill_at_random_moments_loses_nothing_confirmed(project):
    rng = random.Random(20261125)
    root = project.root
    project.close()
    confirmed: set[str] = set()
    rounds = 24
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, str(CHILD), str(root)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        # wait for the first confirmation, then let it run a random while before the kill
        first = proc.stdout.readline().strip()
        assert first, proc.stderr.read()
        confirmed.add(first)
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed.update(line for line in out.split("\n") if line.strip())
        saved = {c.id for c in replay(root / "codings" / "crasher.jsonl", "crasher").codings}
        missing = confirmed - saved
        assert not missing, f"{len(missing)} confirmed coding(s) lost"
    reopened = Project.open(root, search=False)
    session = reopened.session("crasher")  # takes the lock: the killed writers released theirs
    assert {c.id for c in session.codings} >= confirmed
    assert len(confirmed) > rounds
    reopened.close()
