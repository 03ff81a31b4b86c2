"""`qualcode table ...` as a researcher runs it: text, --json, --csv, errors exit 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from qualcode.cli.main import main


def run(capsys, project, *args):
    with pytest.raises(SystemExit) as done:
        main(["--project", str(project.root), *args])
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def test_frequencies_text_json_csv(small, capsys):
    code, out, _ = run(capsys, small, "table", "frequencies")
    assert code == 0
    assert out.startswith("Code frequencies")
    assert "old (not in codebook)" in out and "ann (the project's default coder)" in out
    code, out, _ = run(capsys, small, "table", "frequencies", "--json")
    data = json.loads(out)
    assert data["kind"] == "frequencies" and data["caption"]
    row = next(r for r in data["rows"] if r["id"] == "theme.a")
    assert row["codings"] == 3 and row["code"] == "  Theme A"
    code, out, _ = run(capsys, small, "table", "frequencies", "--csv", "--coders", "ann,bob", "--code", "other")
    df = pd.read_csv(io.StringIO(out))
    assert df["codings (bob)"].tolist() == [1] and df["id"].tolist() == ["other"]


def test_coders_option_and_global_coder(small, capsys):
    _, out, _ = run(capsys, small, "table", "matrix", "--coders", "bob", "--json")
    assert [r["case"] for r in json.loads(out)["rows"]] == ["Case A", "t4"]
    _, out, _ = run(capsys, small, "--coder", "bob", "table", "matrix", "--json")
    assert [r["case"] for r in json.loads(out)["rows"]] == ["Case A", "t4"]
    _, out, _ = run(capsys, small, "table", "matrix", "--coders", "ann", "--coders", "bob", "--by", "codings", "--csv")
    df = pd.read_csv(io.StringIO(out), index_col="case")
    assert df.loc["Case A", "theme.a"] == 3


def test_crosstab_and_cooccurrence_output(small, capsys):
    code, out, _ = run(capsys, small, "table", "crosstab", "--rows", "theme", "--cols", "attr:region")
    assert code == 0
    lines = out.splitlines()
    assert "(missing)" in lines[2] and "North %" in lines[2]
    row_b = next(ln for ln in lines if ln.startswith("theme.b"))
    assert row_b.split()[-6:] == ["1", "100.0", "1", "100.0", "2", "100.0"]
    assert "(with sub-codes)" in row_b  # it counts theme.b.x too, as the Word report says
    _, out, _ = run(capsys, small, "table", "crosstab", "--rows", "theme", "--by", "words", "--no-percent", "--csv")
    df = pd.read_csv(io.StringIO(out), index_col=0)
    assert df.loc["theme.a", "Total"] == 14 and list(df.columns) == ["code", "Total"]
    assert df.loc["theme.b", "code"].endswith(" (with sub-codes)") and not df.loc["theme.a", "code"].endswith(")")
    _, out, _ = run(capsys, small, "table", "cooccurrence", "--mode", "turn", "--json")
    data = json.loads(out)
    assert data["index"] == "code"
    assert next(r for r in data["rows"] if r["code"] == "theme.a")["theme.b.x"] == 2


def test_retrieve_and_framework_text(small, capsys):
    code, out, _ = run(capsys, small, "table", "retrieve", "theme.b")
    assert code == 0
    assert "[Outcomes matter more than who gets it.]" in out and "(Case A, LSP coordinator)" in out
    assert "memo: outcomes view" in out
    _, out, _ = run(capsys, small, "table", "retrieve", "--code", "theme.b", "--no-children", "--json")
    assert [r["code"] for r in json.loads(out)["rows"]] == ["theme.b", "theme.b"]
    _, out, _ = run(capsys, small, "table", "framework", "--quotes", "1")
    assert "== Case A ==" in out and "“We monitor the board members” (Case A, LSP coordinator)" in out
    _, out, _ = run(capsys, small, "table", "framework", "--json")
    assert json.loads(out)["attributions"]["Case A"]["theme.b"] == ["(Case A, LSP coordinator)", "(Case A, Bo Chan)"]


def test_empty_table_says_why(blank, capsys):
    code, out, _ = run(capsys, blank, "table", "crosstab", "--rows", "theme", "--cols", "attr:region")
    assert code == 0 and "no codings" in out.lower()
    _, out, _ = run(capsys, blank, "table", "frequencies", "--json")
    assert json.loads(out)["rows"] == [] and "no codings" in json.loads(out)["empty_reason"].lower()


@pytest.mark.parametrize("args, message", [
    (["crosstab", "--rows", "theme", "--cols", "attr:colour"], "unknown case attribute 'colour'"),
    (["crosstab", "--rows", "nope"], "unknown code 'nope' in --rows"),
    (["crosstab", "--rows", "region"], "write attr:region"),
    (["crosstab", "--rows", "theme", "--cols", "attr:"], "attr: needs a name"),
    (["frequencies", "--code", "nope"], "unknown code 'nope'"),
    (["matrix", "--coders", "nobody"], "unknown coder 'nobody'"),
    (["retrieve"], "name a code"),
    (["crosstab", "--rows", "theme", "--by", "turns"], "Invalid value"),
])
def test_bad_input_exits_2_with_one_message(small, capsys, args, message):
    code, out, err = run(capsys, small, "table", *args)
    assert code == 2, (out, err)
    assert message in err and "Traceback" not in err


QC = [sys.executable, "-c", "from qualcode.cli.main import main; main()"]  # what the `qualcode` script runs


def test_table_command_in_a_real_process(small):
    proc = subprocess.run([*QC, "--project", str(small.root), "table", "crosstab", "--rows", "nope"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "unknown code 'nope'" in proc.stderr and "Traceback" not in proc.stderr
    help_text = subprocess.run([*QC, "table", "--help"], capture_output=True, text=True).stdout
    for name in ("frequencies", "matrix", "framework", "crosstab", "cooccurrence", "retrieve"):
        assert name in help_text


def test_table_module_imports_no_pandas():
    code = "import sys, qualcode.cli.tables; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_the_matrix_caption_holds_whichever_way_the_table_is_printed(study_copy, capsys):
    """The terminal prints codes down the page; the caption said 'rows are the 9 cases'."""
    from qualcode.store.project import Project

    code, out, _ = run(capsys, Project.open(study_copy, search=False), "table", "matrix", "--by", "cases")
    assert code == 0 and out.splitlines()[2].startswith("code")
    assert "rows are the" not in out and "for the 9 cases with codings" in " ".join(out.split())
