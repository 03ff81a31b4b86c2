"""Tables of coded segments (MAXQDA, ATLAS.ti, NVivo, Taguette, plain) placed in a project's transcripts."""

from __future__ import annotations

import csv

import pytest

from qualcode.errors import FormatError, QualcodeError
from qualcode.services.code_import import AMBIGUOUS, DUPLICATE, NO_TRANSCRIPT, NOT_FOUND, PLACED, plan_code_import, \
    write_code_import


def _csv(path, header, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def _xlsx(path, header, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_maxqda_coded_segments_layout_with_code_paths(project, tmp_path):
    # MAXQDA "Coded Segments" export: code paths Parent\Child, Beginning/End are paragraph numbers
    f = _csv(tmp_path / "maxqda.csv",
             ["Color", "Document group", "Document name", "Code", "Segment", "Beginning", "End", "Weight score",
              "Comment", "Created by", "Created", "Area", "Coverage %"],
             [["#ff0000", "", "int-1", "A first theme\\A sub-theme", "We monitor ethnicity on the board", 2, 2, 0,
               "board monitoring", "", "", 30, 2.1],
              ["#ff0000", "", "int-1", "A first theme", "The outcomes matter more than\nwho gets the money.", 6, 6, 0,
               "", "", "", 40, 3.0]])
    r = plan_code_import(project, f, coder="ann")
    assert r.layout == "maxqda" and r.counts[PLACED] == 2 and r.complete
    write_code_import(project, r)
    got = sorted(project.codings("ann"), key=lambda c: c.start)
    assert [(c.code, c.quote) for c in got] == [
        ("theme.sub", "We monitor ethnicity on the board"),
        ("theme", "The outcomes matter more than who gets the money."),
    ]
    assert got[0].memo == "board monitoring"
    # importing the same table again adds nothing
    again = plan_code_import(project, f, coder="ann")
    assert again.counts[DUPLICATE] == 2 and not again.planned


def test_atlasti_quotations_xlsx_several_codes_per_row_and_new_codes(project, tmp_path):
    f = _xlsx(tmp_path / "quotations.xlsx",
              ["ID", "Quotation Name", "Document", "Quotation Content", "Codes", "Comment", "Reference", "Density",
               "Created by"],
              [["1:1", "We monitor…", "1: int-1.txt", "We monitor ethnicity on the board", "Monitoring\nA first theme",
                None, "2:10-2:43", 0, "Bea"]])
    r = plan_code_import(project, f, coder="ann", create_codes=True)
    assert r.layout == "atlasti" and r.new_codes == ["monitoring"]
    write_code_import(project, r)
    assert project.codebook.get("monitoring").name == "Monitoring"
    assert sorted(c.code for c in project.codings("Bea")) == ["monitoring", "theme"]
    assert not list(project.codings("ann"))


def test_nvivo_coding_summary_layout(project, tmp_path):
    f = _csv(tmp_path / "nvivo.csv", ["Hierarchical Name", "File", "Coded By Initials", "Coverage", "Coded Text"],
             [["Codes\\\\A first theme\\\\A sub-theme", "int-1", "CD", "0.02", "“We monitor ethnicity on the board”"]])
    r = plan_code_import(project, f, coder="ann")
    assert r.layout == "nvivo" and r.counts[PLACED] == 1
    write_code_import(project, r)
    (c,) = project.codings("CD")
    assert c.code == "theme.sub" and c.quote == "We monitor ethnicity on the board"


def test_plain_layout_with_offsets_picks_the_nearest_occurrence(project, tmp_path):
    text = project.transcript("int-1").text
    second = text.index("Interviewer:", text.index("Interviewer:") + 1)
    f = _csv(tmp_path / "plain.tsv", ["transcript", "code", "quote", "start", "end"],
             [["int-1", "theme", "Interviewer:", second + 3, second + 15]], delimiter="\t")
    r = plan_code_import(project, f, coder="ann")
    assert r.planned[0][2] == second


def test_unplaced_rows_are_reported_and_nothing_is_written_without_partial(project, tmp_path):
    f = _csv(tmp_path / "rows.csv", ["transcript", "code", "text"],
             [["int-1", "theme", "Interviewer:"],  # occurs twice
              ["int-1", "theme", "words nobody said"],
              ["int-9", "theme", "anything"],
              ["int-1", "theme", "outcomes matter"]])
    r = plan_code_import(project, f, coder="ann")
    assert [(p.line, p.status) for p in r.problems] == [(2, AMBIGUOUS), (3, NOT_FOUND), (4, NO_TRANSCRIPT)]
    with pytest.raises(QualcodeError, match="nothing was written"):
        write_code_import(project, r)
    assert not (project.codings_dir / "ann.jsonl").exists() or not list(project.codings("ann"))
    write_code_import(project, r, partial=True)
    assert [c.quote for c in project.codings("ann")] == ["outcomes matter"]


def test_bad_tables_get_one_clear_message(project, tmp_path):
    wrong = _csv(tmp_path / "wrong.csv", ["name", "colour"], [["x", "red"]])
    with pytest.raises(FormatError, match="no column for code") as e:
        plan_code_import(project, wrong, coder="ann")
    assert "--map" in str(e.value)
    sep = _csv(tmp_path / "sep.csv", ["transcript", "code", "text"], [["int-1", "Trust/Tokenism", "outcomes matter"]])
    with pytest.raises(FormatError, match="path separator") as e:
        plan_code_import(project, sep, coder="ann", create_codes=True)
    assert e.value.line == 2
    r = plan_code_import(project, sep, coder="ann", create_codes=True, code_separator="/")
    assert r.new_codes == ["trust", "trust.tokenism"]
    coder = _csv(tmp_path / "coder.csv", ["transcript", "code", "text", "coder"],
                 [["int-1", "theme", "outcomes matter", "../../etc"]])
    with pytest.raises(FormatError, match="not a usable coder name"):
        plan_code_import(project, coder, coder="ann")
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    with pytest.raises(FormatError, match="100.0 MB"):
        plan_code_import(project, big, coder="ann")


def test_taguette_highlights_csv_nests_dotted_tags_like_import_project(project, tmp_path):
    f = _csv(tmp_path / "highlights.csv", ["id", "document", "tag", "content"],
             [[1, "int-1", "monitoring.board", "We monitor ethnicity on the board"]])
    r = plan_code_import(project, f, coder="ann", create_codes=True)
    assert r.layout == "taguette" and r.new_codes == ["monitoring", "monitoring.board"]
    write_code_import(project, r)
    assert project.codebook.get("monitoring.board").parent == "monitoring"
