"""`qualcode init sub` inside an existing project used to make a nested project silently: every command
run in `sub` then acted on the new, empty project. It is refused (exit 2, one message naming the
enclosing project and what to do) unless `--inside` says the nesting is meant."""

from __future__ import annotations

import subprocess
import sys

QC = [sys.executable, "-m", "qualcode"]


def run(*args, cwd):
    return subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_init_inside_a_project_is_refused_naming_the_project_and_what_to_do(study_copy):
    before = sorted(p.relative_to(study_copy) for p in study_copy.rglob("*"))
    proc = run("init", "sub", cwd=study_copy)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    err = proc.stderr
    assert err.startswith(f"qualcode: {study_copy / 'sub'}: this folder is inside the project "
                          f"'Participation and local strategic partnerships (illustrative)' ({study_copy})")
    assert "nothing created" in err
    assert f"choose a folder outside {study_copy}" in err and f"qualcode init {study_copy.parent / 'sub'}" in err
    assert "--inside" in err
    assert not (study_copy / "sub").exists()
    assert sorted(p.relative_to(study_copy) for p in study_copy.rglob("*")) == before

    # from a subfolder, and a deeper folder that does not exist yet: the same refusal, nothing made
    deeper = run("init", "notes/pilot", cwd=study_copy / "transcripts")
    assert deeper.returncode == 2 and "this folder is inside the project" in deeper.stderr
    assert not (study_copy / "transcripts" / "notes").exists()


def test_init_inside_with_the_flag_makes_the_nested_project(study_copy):
    proc = run("init", "pilot", "--inside", cwd=study_copy)
    assert proc.returncode == 0, proc.stderr
    assert f"Created project 'pilot' in {study_copy / 'pilot'}" in proc.stdout
    assert (study_copy / "pilot" / "qualcode.toml").is_file()
    stats = run("stats", cwd=study_copy / "pilot")
    assert stats.returncode == 0 and stats.stdout.startswith("pilot")


def test_init_outside_any_project_is_unchanged(tmp_path):
    proc = run("init", "fresh", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "fresh" / "qualcode.toml").is_file()
    again = run("init", "fresh", cwd=tmp_path)  # the folder holding a project: the old message
    assert again.returncode == 2 and "there is a project here already" in again.stderr
