"""The REFI-QDA commands as a researcher runs them."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.interchange.refi_helpers import make_qdpx

# The `qualcode` entry point (main imported as a module, as the installed script does).
QC = [sys.executable, "-c", "import sys; from qualcode.cli.main import main; sys.argv[0] = 'qualcode'; main()"]


def run(*args, cwd=None, check=None):
    proc = subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


def test_export_import_round_trip_from_the_command_line(study_copy, tmp_path):
    out = run("export", "qdpx", "-o", tmp_path / "s.qdpx", cwd=study_copy, check=0).stdout
    assert "wrote" in out and "9 sources" in out
    default = run("export", "qdpx", "--json", "--project", study_copy, check=0)
    path = json.loads(default.stdout)["path"]
    assert path.startswith(str(study_copy / "exports")) and path.endswith(".qdpx")
    run("export", "qdc", "-o", tmp_path / "s.qdc", "--project", study_copy, check=0)
    res = run("import-project", tmp_path / "s.qdpx", tmp_path / "back", "--json", check=0)
    data = json.loads(res.stdout)
    assert data["imported"]["transcripts"] == 9 and data["found"]["users"] == 2
    assert set(data["coders"]) == {"researcher_a", "researcher_b"}
    assert run("check", "--project", tmp_path / "back").returncode in (0, 1)
    stats = json.loads(run("stats", "--json", "--project", tmp_path / "back", check=0).stdout)
    assert stats["transcripts"] == 9
    merged = run("import-codebook", tmp_path / "s.qdc", "--project", tmp_path / "back", check=0).stdout
    assert "merge: 0 added, 0 updated" in merged and "saved as" not in merged  # nothing changed: nothing written


def test_errors_exit_2_with_one_message(project, tmp_path):
    hostile = make_qdpx(tmp_path / "h.qdpx", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>',
                        {"../evil.txt": "x"})
    proc = run("import-project", hostile, tmp_path / "p")
    assert proc.returncode == 2 and "climbs out" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "p").exists()
    proc = run("import-codebook", tmp_path / "missing.qdc", "--project", project.root)
    assert proc.returncode == 2 and "file not found" in proc.stderr
    proc = run("import-codebook", tmp_path / "missing.qdc", "--force", "--project", project.root)
    assert proc.returncode == 2 and "--force only applies with --replace" in proc.stderr
    project.session("ann").add("int-1", 0, 11, "theme.sub")
    project.close()
    qdc = tmp_path / "one.qdc"
    qdc.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="11111111-0000-4000-8000-'
                   '000000000001" name="Only" isCodable="true"/></Codes></CodeBook>', encoding="utf-8")
    proc = run("import-codebook", qdc, "--replace", "--project", project.root)
    assert proc.returncode == 2 and "use codes the file does not have" in proc.stderr and "--force" in proc.stderr
