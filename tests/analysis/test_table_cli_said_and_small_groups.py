"""What outside testers found in `qualcode table retrieve` and `qualcode table crosstab`:

- retrieve quoted whole spans with the speaker labels inside them ("Interviewer: Could you ...
  Geoffrey Pryce: It's a large district"), where the Word/CSV/XLSX listings give the words said,
  "[…]" between pieces, and who said them: it now gives the same, in text, CSV and JSON;
- crosstab in the terminal gave no small-group warning (the Word report does), and its note column
  widened every row to the warning's length: the warning is said once, under the table (JSON: its
  "caution"; CSV: a short note on the Total row and the warning on stderr).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from qualcode.cli.main import main
from qualcode.store.project import Project

LABELS = ("Interviewer:", "Geoffrey Pryce:", "Alison Marsh:")
CODE = "outcomes.who_benefits"


def run(capsys, root, *args):
    with pytest.raises(SystemExit) as done:
        main(["--project", str(root), "--coder", "researcher_a", *args])
    out = capsys.readouterr()
    assert done.value.code == 0, out.err
    return out.out, out.err


@pytest.fixture
def exchange(study_copy):
    """The study with one coding of lsp-b from the interviewer's question through both answers to it
    (Geoffrey Pryce's, then Alison Marsh's): (root, the coding's start and end, the two answers' words)."""
    project = Project.open(study_copy, search=False)
    t = project.transcript("lsp-b")
    question, first, second = t.turns[3:6]
    assert (question.role, first.speaker, second.speaker) == ("interviewer", "Geoffrey Pryce", "Alison Marsh")
    project.session("researcher_a").add_many([("lsp-b", question.start, second.end, CODE)])
    words = (t.text[first.text_start:first.end].strip(), t.text[second.text_start:second.end].strip())
    project.close()
    return study_copy, (question.start, second.end), words


def _said(words) -> str:
    return words[0] + " [\u2026] " + words[1]


def test_retrieve_gives_the_words_said_and_who_said_them_in_text_csv_and_json(exchange, capsys):
    root, (start, end), words = exchange
    out, _ = run(capsys, root, "table", "retrieve", CODE, "--json")
    data = json.loads(out)
    row = next(r for r in data["rows"] if (r["transcript"], r["start"], r["end"]) == ("lsp-b", start, end))
    assert row["quote"] == _said(words) and not any(label in row["quote"] for label in LABELS)
    assert (row["speaker"], row["role"]) == ("Geoffrey Pryce; Alison Marsh", "respondent")
    assert row["attribution"] == "(LSP B, LSP chair and LSP coordinator)"  # not "interviewer and ..."
    assert row["before"].rstrip().endswith("Interviewer: Could you describe the area for me? Geoffrey Pryce:")
    assert "without speaker labels" in data["caption"]

    out, _ = run(capsys, root, "table", "retrieve", CODE, "--csv")
    listed = next(r for r in csv.DictReader(io.StringIO(out)) if (r["transcript"], r["start"]) == ("lsp-b", str(start)))
    assert {k: listed[k] for k in ("quote", "speaker", "role", "attribution", "before")} == {
        k: row[k] for k in ("quote", "speaker", "role", "attribution", "before")}

    out, _ = run(capsys, root, "table", "retrieve", CODE)
    block = next(b for b in out.split("\n\n") if f"lsp-b {start}-{end}" in b)
    text = " ".join(block.split())
    assert "for me? Geoffrey Pryce: [It's a large district" in text  # the label stays outside the quote
    assert "[Interviewer:" not in text and "[\u2026] And the ethnic minority population" in text
    assert block.splitlines()[-1] == "    Geoffrey Pryce and Alison Marsh (LSP B, LSP chair and LSP coordinator)"


def test_retrieve_quotes_what_the_export_listing_quotes(exchange, capsys, tmp_path):
    from qualcode.export.tables_out import write_csv

    root, _, _ = exchange
    out, _ = run(capsys, root, "table", "retrieve", CODE, "--csv")
    printed = list(csv.DictReader(io.StringIO(out)))
    project = Project.open(root, search=False)
    try:
        (path,) = [f for f in write_csv(project, tmp_path / "csv", tables=[f"quotes={CODE}"]) if f.suffix == ".csv"]
    finally:
        project.close()
    with open(path, encoding="utf-8", newline="") as fh:
        exported = list(csv.DictReader(fh))
    keys = ("coding", "quote", "speaker", "role", "attribution", "before", "after")
    assert [{k: r[k] for k in keys} for r in printed] == [{k: r[k] for k in keys} for r in exported]


DRIVER = """
import atexit, json, sys
def _record():
    print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'spacy', 'docx'})))
atexit.register(_record)
from qualcode.cli.main import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("as_json", [False, True])
def test_retrieve_of_words_said_still_imports_no_heavy_library(exchange, as_json):
    root, (start, end), words = exchange
    args = [sys.executable, "-c", DRIVER, "--project", str(root), "--coder", "researcher_a", "table", "retrieve", CODE]
    subprocess.run(args, capture_output=True, text=True)  # the first run reads lsp-b.docx for the cache
    proc = subprocess.run(args + (["--json"] if as_json else []), capture_output=True, text=True, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    *shown, heavy = proc.stdout.rstrip().rsplit("\n", 1)
    assert json.loads(heavy) == []
    assert ("Geoffrey Pryce and Alison Marsh (LSP B" in shown[0]) != as_json
    assert (json.dumps(_said(words), ensure_ascii=False) in shown[0]) == as_json


def test_crosstab_warns_of_small_groups_once_under_the_table(study_copy, capsys):
    out, _ = run(capsys, study_copy, "table", "crosstab", "--rows", "codes", "--cols", "attr:equality_framework")
    lines = out.splitlines()
    assert " note" not in lines[2]  # no note column ...
    assert max(map(len, lines)) < 200  # ... widening every row to the warning's length
    total = next(k for k, line in enumerate(lines) if line.startswith("Total "))
    under = " ".join(" ".join(lines[total + 1:]).split())
    assert under.startswith("Small groups of equality_framework: within has 4 cases. Percentages of a group of "
                            "fewer than 5 cases are unstable (in a group of 4, one case more or fewer moves a "
                            "percentage by 25 points): read them with their counts. Codings by researcher_a")
    assert out.count("Small groups of") == 1

    out, err = run(capsys, study_copy, "table", "crosstab", "--rows", "codes", "--cols", "attr:equality_framework",
                   "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["note"] for r in rows if r["note"]] == ["Fewer than 5 cases, percentages unstable: within (4)"]
    assert rows[-1]["id"] == "Total" and rows[-1]["within"] == "4"
    assert max(map(len, out.splitlines())) < 120
    assert " ".join(err.split()).startswith("Small groups of equality_framework: within has 4 cases.")

    out, _ = run(capsys, study_copy, "table", "crosstab", "--rows", "codes", "--cols", "attr:equality_framework",
                 "--json")
    data = json.loads(out)
    assert "note" not in data["columns"] and data["caution"].startswith("Small groups of equality_framework")

    out, err = run(capsys, study_copy, "table", "crosstab", "--rows", "codes")
    assert "Small groups" not in out + err  # no groups: nothing to warn of
