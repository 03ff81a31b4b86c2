"""`qualcode import` with several files, some bad (tester s6): good ones imported, each bad one named."""

import json
import subprocess
import sys

QC = [sys.executable, "-m", "qualcode"]

QA = "Q: Who sits on the board?\n\nA: The council, mainly.\n"
F4 = "I: Who decided? #00:00:21-0#\n\nB: The council. #00:00:25-1#\n"
OTTER = ("Ruth Adebayo  0:04  \nThanks for making time.\n\n"
         "Tom Keane  0:11  \nSure. I chair the network.\n")


def run(*args, cwd=None):
    return subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def _project(tmp_path):
    assert run("init", tmp_path / "m").returncode == 0
    return tmp_path / "m"


def test_bad_files_do_not_stop_the_good_ones(tmp_path):
    proj = _project(tmp_path)
    (tmp_path / "qa.txt").write_text(QA, encoding="utf-8")
    (tmp_path / "f4.txt").write_text(F4, encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"I: hello\n\x00\x01\x02 binary\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = run("import", tmp_path / "qa.txt", tmp_path / "f4.txt", tmp_path / "binary.txt", tmp_path / "empty.txt",
               cwd=proj)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "imported qa ->" in proc.stdout and "imported f4 ->" in proc.stdout
    assert sorted(p.name for p in (proj / "transcripts").iterdir()) == ["f4.txt", "qa.txt"]
    err = proc.stderr.strip().splitlines()
    binary = [ln for ln in err if "binary.txt" in ln]
    empty = [ln for ln in err if "empty.txt" in ln]
    assert len(binary) == 1 and "binary" in binary[0] and "what to do" in binary[0]
    assert len(empty) == 1 and "empty" in empty[0] and "what to do" in empty[0]
    assert err[-1] == "imported 2 of 4 files; 2 not imported (see above)"


def test_batch_failures_in_json(tmp_path):
    proj = _project(tmp_path)
    (tmp_path / "qa.txt").write_text(QA, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = run("import", "--json", tmp_path / "qa.txt", tmp_path / "empty.txt", cwd=proj)
    assert proc.returncode == 2
    out = json.loads(proc.stdout)
    assert [i["id"] for i in out["imported"]] == ["qa"]
    assert [f["file"] for f in out["failed"]] == [str(tmp_path / "empty.txt")]


def test_same_id_from_another_file_is_refused_with_what_to_do(tmp_path):
    proj = _project(tmp_path)
    (tmp_path / "otter.md").write_text(OTTER, encoding="utf-8")
    (tmp_path / "otter.txt").write_text(OTTER, encoding="utf-8")  # same text, another extension
    assert run("import", tmp_path / "otter.md", cwd=proj).returncode == 0
    proc = run("import", tmp_path / "otter.txt", cwd=proj)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "unchanged" not in proc.stdout
    assert "exists already, imported from another file (transcripts/otter.md)" in proc.stderr
    assert "--id otter-2" in proc.stderr and "--replace" in proc.stderr
    assert run("import", "--id", "otter-2", tmp_path / "otter.txt", cwd=proj).returncode == 0
    proc = run("import", "--replace", tmp_path / "otter.txt", cwd=proj)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (proj / "transcripts").iterdir()) == ["otter-2.txt", "otter.txt"]


def test_same_file_again_is_still_unchanged(tmp_path):
    proj = _project(tmp_path)
    (tmp_path / "qa.txt").write_text(QA, encoding="utf-8")
    assert run("import", tmp_path / "qa.txt", cwd=proj).returncode == 0
    proc = run("import", tmp_path / "qa.txt", cwd=proj)
    assert proc.returncode == 0 and "unchanged qa (already imported)" in proc.stdout
