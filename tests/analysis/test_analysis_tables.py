"""The analysis tables on a small project whose numbers are worked out by hand (see conftest.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qualcode.analysis import (
    case_matrix, cases_table, cooccurrence, crosstab, framework_matrix, frequencies, retrieve, standard_tables,
)
from qualcode.errors import QualcodeError, UnknownCodeError

from tests.analysis.conftest import add_codings


def _attrs_ok(df):
    assert df.attrs["title"] and df.attrs["caption"] and df.attrs["kind"]


# -- frequencies ------------------------------------------------------------------------------
def test_frequencies_tree_order_counts_and_removed_code(small):
    f = frequencies(small)
    _attrs_ok(f)
    assert list(f["id"]) == ["theme", "theme.a", "theme.b", "theme.b.x", "other", "old"]
    assert list(f.index) == list(f["id"])
    assert list(f["code"])[:4] == ["Theme", "  Theme A", "  Theme B", "    Theme B X"]
    assert f.loc["old", "code"] == "old (not in codebook)"
    assert f.loc["theme.a", ["codings", "words coded", "transcripts", "cases"]].tolist() == [3, 14, 3, 2]
    assert f.loc["theme.b", ["codings", "words coded", "transcripts", "cases"]].tolist() == [2, 9, 2, 1]
    assert f.loc["theme.b.x", ["codings", "words coded", "transcripts", "cases"]].tolist() == [2, 10, 2, 2]
    assert f.loc["theme"].tolist()[2:] == [0, 0, 0, 0]
    cap = f.attrs["caption"]
    assert "ann (the project's default coder)" in cap and "not in the codebook (old)" in cap
    assert f.attrs["not_in_codebook"] == ["old"]


def test_frequencies_per_coder_when_several_named(small):
    f = frequencies(small, coders=["ann", "bob"], codes="theme.a,other")
    assert list(f.index) == ["theme.a", "other"]
    assert f.loc["theme.a", "codings (ann)"] == 3 and f.loc["theme.a", "codings (bob)"] == 1
    assert f.loc["other", "cases (bob)"] == 1 and f.loc["other", "words coded (bob)"] == 6
    assert list(f.columns[:6]) == ["code", "id", "codings (ann)", "words coded (ann)", "transcripts (ann)", "cases (ann)"]
    assert "ann and bob" in f.attrs["caption"]


def test_code_selection_includes_children_and_unknown_code_errors(small):
    f = frequencies(small, codes=["theme.b"])
    assert list(f.index) == ["theme.b", "theme.b.x"]
    assert list(frequencies(small, codes="Theme A").index) == ["theme.a"]  # by name
    with pytest.raises(UnknownCodeError, match="no.such"):
        frequencies(small, codes="no.such")


def test_default_coder_without_codings_pools_everyone(small):
    small.config.default_coder = "zed"
    f = frequencies(small)
    assert "all coders pooled (ann, bob)" in f.attrs["caption"]
    assert f.loc["theme.a", "codings"] == 4
    small.config.default_coder = ""
    assert frequencies(small).loc["other", "codings"] == 2
    with pytest.raises(QualcodeError, match="unknown coder 'nobody'"):
        frequencies(small, coders="nobody")


def test_tables_follow_new_codings(small):
    assert frequencies(small).loc["other", "codings"] == 1
    add_codings(small, "ann", [("t3", "We don't monitor", "other", None)])
    assert frequencies(small).loc["other", "codings"] == 2
    small.session("ann").undo()
    assert frequencies(small).loc["other", "codings"] == 1
    small.session("ann").redo()
    assert frequencies(small).loc["other", "cases"] == 2


# -- case matrix ------------------------------------------------------------------------------
def test_case_matrix_values(small):
    m = case_matrix(small)
    _attrs_ok(m)
    assert m.index.name == "case" and list(m.index) == ["Case A", "Case B"]  # t4 has no codings by ann
    assert list(m.columns) == ["theme.a", "theme.b", "theme.b.x", "other", "old"]
    assert m.loc["Case A"].tolist() == [1, 1, 1, 1, 1]
    assert m.loc["Case B"].tolist() == [1, 0, 1, 0, 0]
    counts = case_matrix(small, value="counts")
    assert counts.loc["Case A", "theme.a"] == 2 and counts.loc["Case A", "theme.b"] == 2
    words = case_matrix(small, value="words", codes="theme.a")
    assert list(words.columns) == ["theme.a"] and words.loc["Case A", "theme.a"] == 9
    pooled = case_matrix(small, coders="ann,bob")
    assert list(pooled.index) == ["Case A", "Case B", "t4"] and pooled.loc["t4", "other"] == 1
    with pytest.raises(QualcodeError):
        case_matrix(small, value="colour")


# -- crosstab ---------------------------------------------------------------------------------
def test_crosstab_code_group_by_attribute_with_missing_values(small):
    t = crosstab(small, "theme", "attr:region")
    _attrs_ok(t)
    assert list(t.index) == ["theme.a", "theme.b", "Total"]
    assert list(t.columns) == ["North", "North %", "(missing)", "(missing) %", "Total", "Total %"]
    # theme.b counts its child theme.b.x: Case B has only theme.b.x
    assert t.loc["theme.b", ["North", "(missing)", "Total"]].tolist() == [1, 1, 2]
    assert t.loc["Total", ["North", "(missing)", "Total"]].tolist() == [1, 1, 2]
    assert t.loc["theme.a", "North %"] == 100.0
    # the Total row is each column's n, so its percentages are column percentages too: 100.0
    assert t.loc["Total", ["North %", "(missing) %", "Total %"]].tolist() == [100.0, 100.0, 100.0]
    assert t.attrs["count_columns"] == ["North", "(missing)", "Total"]


def test_crosstab_pooled_cases_and_counts_only(small):
    t = crosstab(small, "theme", "attr:region", coders=["ann", "bob"], percent=False)
    assert list(t.columns) == ["North", "(missing)", "Total"]
    assert t.loc["Total"].tolist() == [1, 2, 3]  # t4 (not in cases.csv) is a case with no region
    assert t.loc["theme.a"].tolist() == [1, 1, 2]


def test_crosstab_by_codings_and_words(small):
    c = crosstab(small, "theme", "attr:region", by="codings", percent=False)
    assert c.loc["theme.a"].tolist() == [2, 1, 3]
    assert c.loc["theme.b"].tolist() == [3, 1, 4]
    assert c.loc["Total"].tolist() == [5, 2, 7]
    w = crosstab(small, "theme", "attr:region", by="words", percent=False)
    assert w.loc["theme.a"].tolist() == [9, 5, 14] and w.loc["theme.b"].tolist() == [15, 4, 19]


def test_crosstab_attribute_rows_and_code_list_columns(small):
    t = crosstab(small, "attr:size", "theme.a,other", percent=False)
    assert list(t.index) == ["big", "small", "Total"]
    assert t.loc["big", ["theme.a", "other"]].tolist() == [1, 1]
    assert t.loc["small", ["theme.a", "other"]].tolist() == [1, 0]
    assert t.loc["Total", ["theme.a", "other", "Total"]].tolist() == [2, 1, 2]


def test_crosstab_code_by_code(small):
    by_case = crosstab(small, "theme.a", "other", percent=False)
    assert by_case.loc["theme.a", ["other", "Total"]].tolist() == [1, 2]
    by_coding = crosstab(small, "theme.a", "other", by="codings", percent=False)
    assert by_coding.loc["theme.a", ["other", "Total"]].tolist() == [1, 3]  # one overlaps "monitor the board"


def test_crosstab_totals_only_and_removed_code(small):
    t = crosstab(small, "theme")
    assert list(t.columns) == ["Total", "Total %"]
    assert t.loc["theme.a", "Total"] == 2 and t.loc["Total", "Total"] == 2
    old = crosstab(small, "old", "attr:region", percent=False)
    assert old.loc["old", "North"] == 1


def test_crosstab_bad_specs_are_clear(small):
    with pytest.raises(QualcodeError, match="unknown case attribute 'colour'") as e:
        crosstab(small, "theme", "attr:colour")
    assert "region, size" in str(e.value)
    with pytest.raises(UnknownCodeError, match="unknown code 'nope' in --rows"):
        crosstab(small, "nope", "attr:region")
    with pytest.raises(UnknownCodeError, match="write attr:region"):
        crosstab(small, "theme", "region")
    with pytest.raises(QualcodeError, match="unknown unit"):
        crosstab(small, "theme", by="turns")


# -- co-occurrence ----------------------------------------------------------------------------
def test_cooccurrence_overlap_and_turn(small):
    o = cooccurrence(small)
    _attrs_ok(o)
    assert (o.to_numpy() == o.to_numpy().T).all()
    assert o.loc["theme.a", "other"] == 1 and o.loc["theme.a", "theme.a"] == 3
    assert o.loc["theme.a", "theme.b.x"] == 0
    t = cooccurrence(small, mode="turn")
    assert t.loc["theme.a", "theme.b.x"] == 2 and t.loc["theme.a", "other"] == 1
    assert t.loc["theme.b", "old"] == 1 and t.loc["theme.b", "theme.b"] == 2
    assert (t.to_numpy() == t.to_numpy().T).all()
    with pytest.raises(QualcodeError):
        cooccurrence(small, mode="sentence")


def test_overlap_pairs_match_brute_force():
    from qualcode.analysis.overlaps import overlap_pairs

    rng = np.random.default_rng(1)
    n = 400
    start = rng.integers(0, 500, n)
    df = pd.DataFrame({"coder": rng.choice(["a", "b"], n), "transcript": rng.choice(["x", "y", "z"], n),
                       "start": start, "end": start + rng.integers(1, 60, n)})
    i, j = overlap_pairs(df)
    got = {tuple(sorted(p)) for p in zip(i.tolist(), j.tolist())}
    assert len(got) == len(i)
    c, t, s, e = (df[k].tolist() for k in ("coder", "transcript", "start", "end"))
    want = {(a, b) for a in range(n) for b in range(a + 1, n)
            if c[a] == c[b] and t[a] == t[b] and s[a] < e[b] and s[b] < e[a]}
    assert got == want


# -- retrieve and framework -------------------------------------------------------------------
def test_retrieve_segments_with_speakers_context_and_attributes(small):
    r = retrieve(small, "theme.b")
    _attrs_ok(r)
    assert r.index.name == "coding"
    assert r["quote"].tolist() == ["The forum is open to everyone", "Outcomes matter more than who gets it.",
                                   "Outcomes matter.", "The forum is closed."]
    assert r["speaker"].tolist() == ["Ann Lee", "Ann Lee", "Bo Chan", "Cy Dee"]
    assert set(r["role"]) == {"respondent"}
    assert r["attribution"].tolist()[0] == "(Case A, LSP coordinator)"
    assert r["region"].tolist() == ["North", "North", "North", "(missing)"]
    assert r["size"].tolist() == ["big", "big", "big", "small"]
    assert r.iloc[1]["memo"] == "outcomes view"
    assert r.iloc[0]["before"].endswith("board members. ") and r.iloc[0]["after"].startswith(".")
    assert set(r["status"]) == {"kept"}
    for col in ("transcript", "case", "speaker", "role", "start", "end", "coder", "code", "quote", "memo",
                "before", "after"):
        assert col in r.columns
    only = retrieve(small, "theme.b", include_children=False)
    assert only["code"].tolist() == ["theme.b", "theme.b"]
    assert retrieve(small, "old")["quote"].tolist() == ["Who gets it matters too."]
    short = retrieve(small, "theme.a", context=10)
    assert all(len(b) <= 12 for b in short["before"])


def test_retrieve_nothing_coded_is_an_empty_table_with_a_reason(small):
    r = retrieve(small, "theme", include_children=False)
    assert r.empty and "theme" in r.attrs["empty_reason"]
    assert "transcript" in r.columns
    assert r.attrs["kind"] == "retrieve"


def test_framework_matrix_memos_quotes_and_attributions(small):
    add_codings(small, "ann", [("t1", "Interviewer: What about the board?", "theme.a", None)])
    fm = framework_matrix(small, quotes=1)
    _attrs_ok(fm)
    assert list(fm.index) == ["Case A", "Case B"] and "theme.a" in fm.columns
    # the interviewer's longer question loses to the interviewee's answer
    assert fm.loc["Case A", "theme.a"] == "“We monitor the board members”"
    assert fm.attrs["attributions"]["Case A"]["theme.a"] == ["(Case A, LSP coordinator)"]
    cell = fm.loc["Case A", "theme.b"]
    assert cell.startswith("Memo: outcomes view\n“Outcomes matter more than who gets it.”")
    assert fm.loc["Case B", "theme.b"] == "" and fm.attrs["attributions"]["Case B"]["theme.b"] == []
    two = framework_matrix(small, quotes=2, codes="theme.a")
    assert two.attrs["quotes"]["Case A"]["theme.a"] == ["We monitor the board members", "We don't monitor anyone"]
    assert two.attrs["attributions"]["Case A"]["theme.a"] == ["(Case A, LSP coordinator)", "(Case A, Bo Chan)"]


# -- empty and standard ------------------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda p: frequencies(p), lambda p: case_matrix(p), lambda p: framework_matrix(p),
    lambda p: crosstab(p, "theme", "attr:region"), lambda p: cooccurrence(p), lambda p: retrieve(p, "theme"),
])
def test_no_codings_gives_empty_tables_with_a_reason(blank, make):
    df = make(blank)
    assert df.empty
    assert "no codings" in df.attrs["empty_reason"].lower()
    assert df.attrs["caption"] == df.attrs["empty_reason"]


def test_bad_spec_still_errors_without_codings(blank):
    with pytest.raises(QualcodeError):
        crosstab(blank, "theme", "attr:colour")


def test_standard_tables(small):
    tables = standard_tables(small)
    assert [t.attrs["kind"] for t in tables] == ["cases", "frequencies", "case_matrix", "cooccurrence"]
    for t in tables:
        _attrs_ok(t)
    cases = cases_table(small)
    assert cases.loc["Case A", "transcripts"] == "t1, t2"
    assert cases.loc["Case B", "region"] == "(missing)" and cases.loc["t4", "size"] == "(missing)"


# -- edited and deleted transcripts -----------------------------------------------------------
def test_retrieve_follows_an_edited_transcript_and_keeps_codings_of_a_deleted_one(small):
    path = small.transcripts_dir / "t1.txt"
    path.write_text(path.read_text("utf-8").replace("Ann Lee: We monitor", "Ann Lee: Well. We monitor"), "utf-8")
    (small.transcripts_dir / "t3.txt").unlink()
    small.refresh_index()
    r = retrieve(small, "theme.a")
    moved = r[r["transcript"] == "t1"].iloc[0]
    assert moved["status"] == "moved" and moved["speaker"] == "Ann Lee"
    text = small.transcript("t1").text
    assert text[moved["start"]:moved["end"]] == "We monitor the board members"
    assert moved["before"].endswith("Well. ")
    path.write_text(path.read_text("utf-8").replace("We monitor the board", "We monitor the bored"), "utf-8")
    small.refresh_index()
    again = retrieve(small, "theme.a")
    assert again[again["transcript"] == "t1"].iloc[0]["quote"] == "We monitor the bored members"  # as it reads now
    gone = r[r["transcript"] == "t3"].iloc[0]
    assert gone["status"] == "no transcript" and gone["before"] == "" and gone["attribution"] == "(Case B)"
    assert "moved or orphaned" in r.attrs["caption"]
    assert frequencies(small).loc["theme.a", "transcripts"] == 3  # counts come from the codings
    fm = framework_matrix(small, codes="theme.b.x")
    assert fm.loc["Case B", "theme.b.x"] == "“The forum is closed.”"
    assert cooccurrence(small, mode="turn").loc["theme.a", "theme.b.x"] >= 1
