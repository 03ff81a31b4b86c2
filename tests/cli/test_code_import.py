"""`qualcode code import`: the PDPilot study's real MAXQDA coding brought in end to end, and bad tables."""

from __future__ import annotations

import csv
import json
import shutil

import yaml

from tests.cli.test_cli import run
from tests.conftest import INTERVIEW, copy_study, shared_path


def _maxqda_from_segments(pdpilot, dest):
    """segments.tsv (transcript, code id, quote with \\n for breaks) in MAXQDA's "Coded Segments" layout."""
    book = yaml.safe_load((pdpilot / "codebook.yaml").read_text(encoding="utf-8"))
    paths = {}

    def walk(codes, path):
        for c in codes:
            paths[c["id"]] = path + [c["name"]]
            walk(c.get("children") or [], paths[c["id"]])

    walk(book["codes"], [])
    with open(pdpilot / "segments.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    with open(dest, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Color", "Document group", "Document name", "Code", "Segment", "Beginning", "End",
                    "Weight score", "Comment", "Created by", "Created", "Area", "Coverage %"])
        for r in rows:
            w.writerow(["#c80000", "Interviews", r["transcript"], "\\".join(paths[r["code"]]),
                        r["quote"].replace("\\n", "\n"), 1, 2, 0, "", "", "07.12.2026 10:00", 100, 1.0])
    return len(rows)


def _pdpilot(tmp_path):
    """A project of PDPilot's transcripts and codebook, and its coding as a MAXQDA table (not imported)."""
    pdpilot = shared_path("realworld", "coded", "pdpilot")
    proj = tmp_path / "pd"
    run("init", proj, check=0)
    shutil.copy(pdpilot / "codebook.yaml", proj / "codebooks" / "codebook.yaml")
    run("import", *sorted((pdpilot / "transcripts").glob("P*.txt")), "--project", proj, check=0)
    table = tmp_path / "coded-segments.csv"
    n = _maxqda_from_segments(pdpilot, table)
    assert n == 261
    return proj, table


def test_pdpilot_maxqda_segments_all_placed_in_one_step(tmp_path):
    proj, table = _pdpilot(tmp_path)
    out = run("--coder", "kerrigan", "code", "import", table, "--json", "--project", proj, check=0)
    report = json.loads(out.stdout)
    assert report["layout"] == "maxqda" and report["counts"] == {"placed": 261}
    assert report["written"] == {"kerrigan": 261}
    # one journal line: the whole import is one operation (one undo step)
    assert len((proj / "codings" / "kerrigan.jsonl").read_text().splitlines()) == 1
    check = run("check", "--project", proj, check=0).stdout
    assert "261 kept, 0 moved, 0 orphaned" in check
    listed = json.loads(run("--coder", "kerrigan", "code", "list", "--json", "--project", proj, check=0).stdout)
    per = {}
    for c in listed:
        per[c["t"]] = per.get(c["t"], 0) + 1
    assert per == {"P1": 34, "P2": 43, "P3": 32, "P4": 41, "P5": 32, "P6": 30, "P7": 49}  # the README's counts
    # a second import finds every row already coded and writes nothing
    again = run("--coder", "kerrigan", "code", "import", table, "--project", proj, check=0)
    assert "261 already coded" in again.stdout
    assert len((proj / "codings" / "kerrigan.jsonl").read_text().splitlines()) == 1
    run("--coder", "kerrigan", "code", "undo", "--project", proj, check=0)
    assert json.loads(run("stats", "--json", "--project", proj, check=0).stdout)["codings"] == 0


def test_unplaced_rows_exit_2_and_write_nothing_unless_partial(tmp_path):
    proj = tmp_path / "s"
    run("init", proj, check=0)
    src = tmp_path / "int-1.txt"
    src.write_text(INTERVIEW, encoding="utf-8")
    run("import", src, "--project", proj, check=0)
    table = tmp_path / "t.csv"
    table.write_text("transcript,code,text\nint-1,theme,Interviewer:\nint-1,theme,outcomes matter\n", encoding="utf-8")
    bad = run("--coder", "ann", "code", "import", table, "--project", proj, check=2)
    assert "line 2: ambiguous: int-1: the text occurs 2 times" in bad.stderr
    assert "nothing written" in bad.stderr and "Traceback" not in bad.stderr
    assert not (proj / "codings" / "ann.jsonl").exists()
    run("--coder", "ann", "code", "import", table, "--partial", "--project", proj, check=0)
    assert json.loads(run("stats", "--json", "--project", proj, check=0).stdout)["codings"] == 1
    wrong = tmp_path / "w.csv"
    wrong.write_text("name,colour\nx,red\n", encoding="utf-8")
    msg = run("--coder", "ann", "code", "import", wrong, "--project", proj, check=2).stderr
    assert "w.csv:1: the table's columns do not match" in msg and "--map" in msg
    mapped = tmp_path / "m.csv"
    mapped.write_text("Interview;Theme;Passage\nint-1;A first theme;the council says\n", encoding="utf-8")
    run("--coder", "ann", "code", "import", mapped, "--map", "transcript=Interview", "--map", "code=Theme",
        "--map", "text=Passage", "--project", proj, check=0)


def test_the_coded_segments_qualcode_exports_come_back_at_their_own_spans(tmp_path):
    """The coded-segments tables quote the respondents' words: an answer without the question coded
    with it (120 of PDPilot's 261 codings), pieces joined by "[…]". Brought back with `code import`,
    such rows were placed at the answer alone, or not found; the offsets beside the quote say where
    the coding was."""
    root, maxqda = _pdpilot(tmp_path)
    run("--coder", "kerrigan", "code", "import", maxqda, "--project", root, check=0)
    book = yaml.safe_load((root / "codebooks" / "codebook.yaml").read_text(encoding="utf-8"))
    themes = ",".join(f"quotes={c['id']}" for c in book["codes"])
    run("--coder", "kerrigan", "export", "csv", "--tables", themes, "-o", tmp_path / "out", "--project", root, check=0)
    rows = []
    for f in sorted((tmp_path / "out").glob("*coded-segments*.csv")):
        with open(f, encoding="utf-8", newline="") as fh:
            rows += [{k: r[k] for k in ("transcript", "code", "quote", "start", "end")} for r in csv.DictReader(fh)]
    # the case the import must read: quotes shorter than their coded spans (a question left out)
    assert sum(int(r["end"]) - int(r["start"]) > len(r["quote"]) + 10 for r in rows) >= 20
    table = tmp_path / "back.csv"
    with open(table, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    run("--coder", "back", "code", "import", table, "--project", root, check=0)
    listed = {c: {(x["t"], x["s"], x["e"], x["code"]) for x in json.loads(
        run("--coder", c, "code", "list", "--json", "--project", root, check=0).stdout)} for c in ("kerrigan", "back")}
    assert len(listed["kerrigan"]) == 261 and listed["back"] == listed["kerrigan"]
