"""`qualcode agree` as a researcher runs it: real subprocesses, exit codes, messages."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

QC = [sys.executable, "-m", "qualcode"]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders x 12 units, missing data
KRIPPENDORFF_2011 = """coder,1,2,3,4,5,6,7,8,9,10,11,12
A,1,2,3,3,2,1,4,1,2,,,
B,1,2,3,3,2,2,4,1,2,5,,3
C,,3,3,3,2,3,4,2,2,5,1,
D,1,2,3,3,2,4,4,1,2,5,1,
"""


def run(*args, cwd=None):
    return subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def ok(*args, cwd=None) -> str:
    proc = run(*args, cwd=cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def fails(*args, cwd=None) -> str:
    proc = run(*args, cwd=cwd)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc.stderr


def test_sentence_table_on_the_study(study_copy):
    out = ok("agree", "--coders", "researcher_a,researcher_b", "--unit", "sentence", "--resamples", "500",
             cwd=study_copy)
    assert "A = researcher_a, B = researcher_b" in out
    assert "Unit: sentences" in out and "any of its characters" in out
    assert "lsp-b (researcher_a)" in out  # what was left out, and why
    assert "recruitment.nomination" in out and "(all codes)" in out and "(sets of codes)" in out
    assert "Krippendorff (2004, Content Analysis, 2nd ed., p. 241)" in out
    assert "nan" not in out.lower().replace("nomination", "")


def test_json_csv_and_by_transcript(study_copy):
    data = json.loads(ok("agree", "--unit", "char", "--json", "--resamples", "200", cwd=study_copy))
    assert data["unit"] == "char" and data["coders"] == ["researcher_a", "researcher_b"]
    assert data["transcripts"] == ["lsp-a", "lsp-c", "lsp-e", "lsp-g", "lsp-h"]
    assert data["thresholds"]["reliable"] == 0.8 and data["thresholds"]["tentative"] == 0.667
    assert data["by_transcript"] and all(r["transcript"] for r in data["by_transcript"])
    assert all(r["alpha_ci"] is None or r["alpha_ci"][0] <= r["alpha"] + 1e-9 for r in data["codes"])
    rows = list(csv.DictReader(io.StringIO(ok("agree", "--unit", "turn", "--csv", "--resamples", "0",
                                              cwd=study_copy))))
    assert {r["scope"] for r in rows} == {"overall", "sets", "code", "transcript"}
    assert all(r["unit"] == "turn" for r in rows)
    text = ok("agree", "--unit", "char", "--by-transcript", "--code", "barriers.trust", cwd=study_copy)
    assert "Per transcript" in text and "lsp-c" in text


def test_unitized_and_transcript_units(study_copy):
    out = ok("agree", "--unit", "unitized", cwd=study_copy)
    assert "u-alpha" in out and "unitizing" in out
    out = ok("agree", "--unit", "transcript", "--resamples", "0", cwd=study_copy)
    assert "Unit: transcripts" in out


def test_disagreements_listed(study_copy):
    out = ok("agree", "--unit", "sentence", "--code", "barriers.trust", "--disagreements", cwd=study_copy)
    assert "disagreement(s) between researcher_a, researcher_b with sentences as units" in out
    assert "barriers.trust  lsp-" in out and "did not code it" in out
    data = json.loads(ok("agree", "--code", "barriers.trust", "--disagreements", "--json", "--resamples", "0",
                         cwd=study_copy))
    first = data["disagreements"][0]
    assert set(first["coders"]) == {"researcher_a", "researcher_b"} and first["code"] == "barriers.trust"
    rows = list(csv.DictReader(io.StringIO(ok("agree", "--code", "barriers.trust", "--disagreements", "--csv",
                                              cwd=study_copy))))
    assert rows and rows[0]["quote"] and "researcher_a_spans" in rows[0]


def test_project_errors(study_copy):
    assert "no coder 'nobody'" in fails("agree", "--coders", "researcher_a,nobody", cwd=study_copy)
    assert "at least two coders" in fails("agree", "--coders", "researcher_a", cwd=study_copy)
    assert "unknown code 'no.such'" in fails("agree", "--code", "no.such", cwd=study_copy)
    # a code the coders did not use: agreement on it is undefined, and said so
    assert "no coder used pmf.published" in fails("agree", "--code", "pmf.published", cwd=study_copy)
    assert "choose one of --json and --csv" in run("agree", "--json", "--csv", cwd=study_copy).stderr


def test_coders_who_coded_different_transcripts(study_copy):
    """A third coder coded only lsp-b: nothing in common with researcher_b."""
    from qualcode.store.project import Project

    project = Project.open(study_copy)
    project.session("carol").add("lsp-b", 200, 260, "barriers.trust")
    project.close()
    err = fails("agree", "--coders", "carol,researcher_b", cwd=study_copy)
    assert "no transcript was coded by all of carol, researcher_b" in err
    out = ok("agree", "--coders", "researcher_a,carol", "--resamples", "0", cwd=study_copy)
    assert "Compared: 1 transcript(s) coded by all (lsp-b)" in out
    assert "lsp-a (researcher_a)" in out
    assert "orphaned" not in out


def test_matrix_every_coefficient_that_applies(tmp_path):
    f = tmp_path / "k.csv"
    f.write_text(KRIPPENDORFF_2011)
    expected = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
    for level, alpha in expected.items():
        data = json.loads(ok("agree", "--matrix", f, "--level", level, "--json", "--resamples", "1000"))
        first = data["coefficients"][0]
        assert first["name"] == f"Krippendorff's alpha ({level})"
        assert first["value"] == pytest.approx(alpha, abs=5e-4)
        assert first["ci"][0] <= first["value"] <= first["ci"][1]
        assert data["coders"] == ["A", "B", "C", "D"] and data["missing"] == 7
    names = [c["name"] for c in json.loads(ok("agree", "--matrix", f, "--json"))["coefficients"]]
    assert "Fleiss' kappa" in names and "Gwet's AC1" in names
    assert "percent agreement (exact match, units equal)" in names
    text = ok("agree", "--matrix", f)
    assert "Krippendorff's alpha (nominal)" in text and "0.743" in text and "Krippendorff (2004" in text
    two = tmp_path / "two.csv"
    two.write_text("1,2,2,1,3\n1,2,1,1,3\n")  # no names: coder 1 and coder 2
    data = json.loads(ok("agree", "--matrix", two, "--json", "--level", "ordinal"))
    assert data["coders"] == ["coder 1", "coder 2"]
    names = [c["name"] for c in data["coefficients"]]
    for name in ("Cohen's kappa", "Scott's pi", "Fleiss' kappa", "Conger's kappa", "Hubert's kappa", "Gwet's AC1",
                 "Cohen's kappa (linear weights)", "Gwet's AC2 (linear weights)", "Brennan-Prediger (linear weights)"):
        assert name in names
    rows = list(csv.reader(io.StringIO(ok("agree", "--matrix", two, "--csv"))))
    assert rows[0] == ["coefficient", "value", "p_a", "p_e", "ci_low", "ci_high", "verdict", "note"] and rows[1][1]


def test_matrix_text_categories(tmp_path):
    f = tmp_path / "words.csv"
    f.write_text("ann,low,mid,high,mid,,low\nben,low,high,high,mid,low,low\n")
    data = json.loads(ok("agree", "--matrix", f, "--level", "ordinal", "--categories", "low,mid,high", "--json",
                         "--coder-column"))
    assert data["coders"] == ["ann", "ben"] and data["coefficients"][0]["value"] > 0.5


@pytest.mark.parametrize("content, level, message", [
    ("1,2,3\n", "nominal", "the matrix has 1 coder with values"),
    ("1,1,1\n1,1,\n", "nominal", "alpha is undefined"),
    ("1,x,2\n1,2,3\n", "interval", "the interval level needs their order"),
    ("A,1,2,3\nB,1,2\n", "nominal", "ragged rows"),
    ("", "nominal", "the matrix is empty"),
])
def test_matrix_errors(tmp_path, content, level, message):
    f = tmp_path / "m.csv"
    f.write_text(content)
    err = fails("agree", "--matrix", f, "--level", level)
    assert message in err and "m.csv" in err
    assert "nan" not in err.lower()


def test_matrix_file_missing(tmp_path):
    assert "file not found" in fails("agree", "--matrix", tmp_path / "none.csv")


def test_chosen_transcripts_and_what_was_left_out(study_copy):
    out = ok("agree", "--transcripts", "lsp-a,lsp-c", "--resamples", "0", cwd=study_copy)
    assert "Compared: 2 transcript(s) chosen (lsp-a, lsp-c)" in out
    assert "Left out, not among the transcripts chosen: lsp-b (researcher_a); " in out
    assert "lsp-e (researcher_a, researcher_b)" in out
    data = json.loads(ok("agree", "--transcripts", "lsp-a,lsp-c", "--json", "--resamples", "0", cwd=study_copy))
    assert data["transcripts"] == ["lsp-a", "lsp-c"] and set(data["left_out"]) == {
        "lsp-b", "lsp-d", "lsp-e", "lsp-f", "lsp-g", "lsp-h", "lsp-i"}
    # a chosen transcript one coder did not code is compared, and said so
    out = ok("agree", "--transcripts", "lsp-a,lsp-b", "--resamples", "0", cwd=study_copy)
    assert "researcher_b coded nothing in lsp-b" in out
    err = fails("agree", "--transcripts", "lsp-a,nope", cwd=study_copy)
    assert "no transcript 'nope'" in err and "lsp-a, lsp-b" in err
