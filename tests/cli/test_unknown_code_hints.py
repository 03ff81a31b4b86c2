"""A mistyped code id names the nearest code ("; did you mean 'y'?"), as `code add` and `code list` do:
`code recode` said only "unknown code 'x'", and so did `table retrieve`, `table crosstab --rows`,
`table frequencies --code` and `agree --code`. Every one exits 2 with one message and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

QC = [sys.executable, "-m", "qualcode"]
QUOTE = "A lot of the communities are consulted to death"


def run(*args, cwd):
    env = {**os.environ, "QUALCODE_CODER": "tester"}
    return subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env)


def refused(*args, cwd) -> str:
    proc = run(*args, cwd=cwd)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    return proc.stderr


def test_code_recode_with_a_mistyped_code_names_the_nearest_and_changes_nothing(study_copy):
    add = run("code", "add", "lsp-c", "barriers.trust", "--quote", QUOTE, "--json", cwd=study_copy)
    assert add.returncode == 0, add.stderr
    cid = json.loads(add.stdout)["id"]
    journal = study_copy / "codings" / "tester.jsonl"
    before = journal.read_text()

    err = refused("code", "recode", cid, "barriers.trusst", cwd=study_copy)
    assert "unknown code 'barriers.trusst'; did you mean 'barriers.trust'?" in err
    assert "codebook show" in err  # what to do
    assert journal.read_text() == before

    err = refused("code", "recode", cid, "zzzzqqq", cwd=study_copy)  # nothing near: no guess
    assert "unknown code 'zzzzqqq'" in err and "did you mean" not in err

    # the hint's code works, and so does the code's exact name (as `code add` takes it)
    ok = run("code", "recode", cid, "barriers.capacity", cwd=study_copy)
    assert ok.returncode == 0 and ok.stdout.strip() == f"recoded {cid} to barriers.capacity", ok.stderr
    ok = run("code", "recode", cid, "Trust, tokenism and consultation fatigue", cwd=study_copy)
    assert ok.returncode == 0 and ok.stdout.strip() == f"recoded {cid} to barriers.trust", ok.stderr
    listed = json.loads(run("code", "list", "--json", cwd=study_copy).stdout)
    assert [(c["id"], c["code"]) for c in listed] == [(cid, "barriers.trust")]


@pytest.mark.parametrize("args, said", [
    (["table", "retrieve", "barriers.trusst"],
     "unknown code 'barriers.trusst': not in the codebook and not in any coding; did you mean 'barriers.trust'?"),
    (["table", "crosstab", "--rows", "barriers.trusst", "--cols", "attr:equality_framework"],
     "unknown code 'barriers.trusst' in --rows: not in the codebook and not in any coding; "
     "did you mean 'barriers.trust'?"),
    (["table", "frequencies", "--code", "barriers.trusst"], "did you mean 'barriers.trust'?"),
    (["agree", "--code", "barriers.trusst"], "unknown code 'barriers.trusst'; did you mean 'barriers.trust'?"),
])
def test_tables_and_agree_name_the_nearest_code(study_copy, args, said):
    err = refused(*args, cwd=study_copy)
    assert said in err
    assert err.count("qualcode:") == 1  # one message


@pytest.mark.parametrize("args", [("suggest", "--code", "barriers.trusst"),
                                  ("suggest", "--accept-keywords", "barriers.trusst")])
def test_suggest_with_a_mistyped_code_names_the_nearest(study_copy, args):
    said = refused(*args, cwd=study_copy)
    assert "unknown code 'barriers.trusst'; did you mean 'barriers.trust'?" in said
