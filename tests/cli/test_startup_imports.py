"""The everyday commands start without the heavy libraries (issue 18): `stats`, `code list`, `check`,
`table frequencies` and `table retrieve` (text and JSON) run, in a real subprocess, without importing pandas, numpy,
spaCy, scikit-learn, matplotlib or python-docx. Checked on ``sys.modules`` when the process exits,
not on timing; `table frequencies --csv`, which does use pandas, shows that the check sees an import."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "spacy", "sklearn", "matplotlib", "docx")

# Runs the real command line and, at exit, writes which heavy libraries were imported.
DRIVER = """
import atexit, json, os, sys

def _record():
    heavy = sorted({m.split('.')[0] for m in sys.modules} & set(os.environ['QC_HEAVY'].split(',')))
    with open(os.environ['QC_MODULES_OUT'], 'w') as fh:
        json.dump(heavy, fh)

atexit.register(_record)
from qualcode.cli.main import main
main(sys.argv[1:])
"""


def imported(tmp_path, project, *args):
    out = tmp_path / "modules.json"
    env = dict(os.environ, QC_HEAVY=",".join(HEAVY), QC_MODULES_OUT=str(out))
    proc = subprocess.run([sys.executable, "-c", DRIVER, "--project", str(project), "--coder", "researcher_a", *args],
                          capture_output=True, text=True, env=env)
    assert proc.returncode in (0, 1), proc.stderr  # check exits 1 with findings
    return proc.stdout, json.loads(out.read_text())


@pytest.mark.parametrize("args, shows", [
    (("stats",), "codings"),
    (("stats", "--codes"), "monitoring.core_wider"),
    (("code", "list"), "researcher_a"),
    (("code", "list", "--all-coders", "--transcript", "lsp-c"), "researcher_b"),
    (("check",), "anchors"),
    (("table", "frequencies"), "Code frequencies"),
    (("table", "frequencies", "--json", "--coders", "researcher_a,researcher_b"), "codings (researcher_b)"),
    (("table", "retrieve", "outcomes.matter"), "Coded segments: outcomes.matter"),
    (("table", "retrieve", "barriers", "--json", "--coders", "researcher_a,researcher_b"), '"attribution"'),
])
def test_everyday_commands_import_no_heavy_library(tmp_path, study_copy, args, shows):
    # the first command in a fresh copy reads lsp-b.docx with python-docx to build the transcript
    # cache (.qualcode/); the everyday case is a project already opened once
    _, first = imported(tmp_path, study_copy, "stats")
    assert "docx" in first
    stdout, heavy = imported(tmp_path, study_copy, *args)
    assert shows in stdout
    assert heavy == [], f"`qualcode {' '.join(args)}` imported {heavy}"


def test_the_check_sees_an_import_table_frequencies_csv_uses_pandas(tmp_path, study_copy):
    stdout, heavy = imported(tmp_path, study_copy, "table", "frequencies", "--csv")
    assert stdout.startswith("code,id,codings")
    assert "pandas" in heavy


PANEL = """
import json, os, sys
from qualcode.store.project import Project
from qualcode.tui.app import make_app

project = Project.open(sys.argv[1], search=False)
found = make_app(project, "researcher_a").suggester().suggest(project.transcript("lsp-c"))
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(os.environ['QC_HEAVY'].split(',')))
print(json.dumps({"found": len(found), "heavy": heavy}))
"""


def test_the_workbench_panel_answers_from_the_cache_the_cli_filled(tmp_path, study_copy):
    """An outside tester waited 7 to 9 s for the panel of a fresh workbench where `qualcode suggest`
    answered the same transcript from its cache in under a second: the panel now reads that cache."""
    stdout, heavy = imported(tmp_path, study_copy, "suggest", "--transcript", "lsp-c")
    assert "spacy" in heavy  # the first call computes (and fills the cache)
    env = dict(os.environ, QC_HEAVY=",".join(HEAVY))
    proc = subprocess.run([sys.executable, "-c", PANEL, str(study_copy)], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    said = json.loads(proc.stdout.strip().splitlines()[-1])
    assert said["found"] > 0 and "spacy" not in said["heavy"] and "sklearn" not in said["heavy"], said
