"""`code list` after an import from NVivo: the coder shown (your login name) has no codings, others do.
An outside tester got an empty table and no hint; now stderr names who has codings and how to see them,
while stdout (the table, or `--json`) keeps its shape. Also: the README tour's examples name what the
bundled study holds (a tester's `codebook merge barriers.jargon ...` failed: no such code)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, shared_path

QC = [sys.executable, "-c", "import sys; from qualcode.cli.main import main; sys.argv[0] = 'qualcode'; main()"]


def _env(login: str = "visitor") -> dict:
    env = {k: v for k, v in os.environ.items() if k != "QUALCODE_CODER"}
    env.update(USER=login, LOGNAME=login)
    return env


def qc(*args, cwd: Path, login: str = "visitor") -> subprocess.CompletedProcess:
    return subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=_env(login))


def test_after_an_nvivo_import_code_list_names_the_coders_who_have_codings(tmp_path):
    qdpx = shared_path("refi", "samples", "projects", "nvivo-win-12.6_oltas.qdpx")
    made = qc("import-project", qdpx, tmp_path / "p", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    root = tmp_path / "p"

    plain = qc("code", "list", cwd=root)
    assert plain.returncode == 0, plain.stderr
    assert "Traceback" not in plain.stderr
    # stdout unchanged: the header of an empty table, no row
    assert plain.stdout.split("\n")[0].split() == ["id", "coder", "transcript", "start", "end", "code", "quote"]
    assert "floriansipos" not in plain.stdout
    # stderr: who is shown, who has codings (not Gergo, who has none), how to see them
    assert "visitor" in plain.stderr and "no codings" in plain.stderr
    assert "floriansipos (97 codings)" in plain.stderr and "Gergo" not in plain.stderr
    assert "--coder floriansipos" in plain.stderr and "--all-coders" in plain.stderr

    as_json = qc("code", "list", "--json", cwd=root)
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == []
    assert "--all-coders" in as_json.stderr

    # what the hint says works
    theirs = qc("--coder", "floriansipos", "code", "list", "--json", cwd=root)
    assert len(json.loads(theirs.stdout)) == 97 and theirs.stderr == ""
    every = qc("code", "list", "--all-coders", cwd=root)
    assert "floriansipos" in every.stdout and "no codings" not in every.stderr


def test_no_hint_when_the_coder_has_codings_or_nobody_has(project):
    root = project.root
    project.close()
    alone = qc("code", "list", cwd=root)  # nobody has coded yet: nothing to point at
    assert alone.returncode == 0 and alone.stderr == ""
    add = qc("--coder", "ann", "code", "add", "int-1", "theme", "--quote", "We monitor ethnicity on the board", cwd=root)
    assert add.returncode == 0, add.stderr
    hint = qc("code", "list", cwd=root)
    assert "ann (1 coding)" in hint.stderr and "--coder ann" in hint.stderr
    own = qc("--coder", "ann", "code", "list", "--transcript", "int-1", cwd=root)
    assert "ann" in own.stdout and own.stderr == ""
    # ann has codings, only not of this code: an empty table is the answer, no hint about other coders
    none_here = qc("--coder", "ann", "code", "list", "--code", "theme.sub", cwd=root)
    assert none_here.returncode == 0 and none_here.stderr == ""


# -- the README's tour names what the bundled study holds -----------------------------------------
def _tour_lines() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## A tour of the command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [re.split(r"\s+# ", line)[0].strip() for line in block.splitlines() if line.startswith("qualcode ")]


def test_the_readme_tour_runs_on_the_bundled_study(study_copy):
    lines = _tour_lines()
    wanted = [ln for ln in lines if ln.startswith(("qualcode code add", "qualcode code list", "qualcode codebook merge"))]
    assert len(wanted) == 3, lines
    for line in wanted:
        args = shlex.split(line)[1:]
        proc = qc(*args, cwd=study_copy, login="tourist")
        assert proc.returncode == 0, f"{line}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr
    merged = re.search(r"codebook merge (\S+) (\S+)", " ".join(wanted))
    codes = [line.split()[0] for line in qc("codebook", "show", cwd=study_copy).stdout.splitlines() if line.strip()]
    assert merged and merged.group(1) not in codes and merged.group(2) in codes
