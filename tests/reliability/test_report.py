"""Agreement reports (JSON, CSV, DataFrame), disagreements and adjudication; the bundled study."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pytest

from qualcode.reliability import (
    ReliabilityMatrix,
    UndefinedCoefficient,
    cohen_kappa,
    gwet_ac1,
    krippendorff_alpha,
    unitizing_alpha,
)
from qualcode.reliability.disagreements import (
    BOTH,
    NEITHER,
    UNDECIDED,
    adopt_agreements,
    consensus_state,
    decide,
    find_disagreements,
    replace_span,
)
from qualcode.reliability.report import (
    ALL_CODES,
    CODE_SETS,
    agreement_report,
    agreement_table,
    assessment,
    masi_distance,
)
from qualcode.reliability.units import collect, unit_data
from qualcode.store.project import Project


def _span(project, quote: str, tid: str = "int-1") -> tuple[int, int]:
    text = project.transcript(tid).text
    i = text.index(quote)
    return i, i + len(quote)


@pytest.fixture
def pair(project):
    """ann and ben on int-1: one passage alike, one with other boundaries, one each alone."""
    ann, ben = project.session("ann"), project.session("ben")
    both = _span(project, "We monitor ethnicity on the board")
    ann.add("int-1", *both, "theme")
    ben.add("int-1", *both, "theme")
    ann.add("int-1", *_span(project, "It took us two years to get there"), "theme")
    ann.add("int-1", *_span(project, "The outcomes matter more than who gets the money."), "theme.sub")
    ben.add("int-1", *_span(project, "outcomes matter more than who gets"), "theme.sub")  # same sentence
    ben.add("int-1", *_span(project, "I chair the community empowerment network."), "theme.sub")
    ann.close()
    ben.close()
    return project


def test_sentence_report_equals_the_general_coefficients(pair):
    report = agreement_report(pair, ["ann", "ben"], "sentence", n_resamples=500)
    units = report.units
    assert [r.code for r in report.rows] == ["theme", "theme.sub"]
    for k, row in enumerate(report.rows):
        m = ReliabilityMatrix(units.present[k].astype(np.int32), (0, 1))
        assert row.units == units.n_units
        assert row.kappa == pytest.approx(cohen_kappa(m), abs=1e-12)
        assert row.alpha == pytest.approx(krippendorff_alpha(m), abs=1e-12)
        assert row.ac1 == pytest.approx(gwet_ac1(m), abs=1e-12)
        assert row.alpha_low <= row.alpha_high
        assert row.coded == tuple(units.present[k].mean(axis=1))
    pooled, sets = report.overall
    assert (pooled.code, sets.code) == (ALL_CODES, CODE_SETS)
    m = ReliabilityMatrix(np.concatenate(list(units.present), axis=1).astype(np.int32), (0, 1))
    assert pooled.alpha == pytest.approx(krippendorff_alpha(m), abs=1e-12)
    assert pooled.units == 2 * units.n_units
    assert report.kappa_name == "Cohen's kappa"
    assert [r.transcript for r in report.by_transcript] == ["int-1", "int-1"]


def test_char_report_is_nvivo_coding_comparison(pair):
    report = agreement_report(pair, ["ann", "ben"], "char", n_resamples=0)
    text = pair.transcript("int-1").text
    row = next(r for r in report.by_transcript if r.code == "theme.sub")
    a = set(range(*_span(pair, "The outcomes matter more than who gets the money.")))
    b = set(range(*_span(pair, "outcomes matter more than who gets"))) | set(
        range(*_span(pair, "I chair the community empowerment network.")))
    assert row.units == len(text)
    assert row.agreement == pytest.approx(1 - len(a ^ b) / len(text))
    assert row.coded == (len(a) / len(text), len(b) / len(text))
    assert row.alpha_low is None  # no interval per transcript, nor with n_resamples=0
    assert "characters" in report.title and "each character" in report.rule


def test_unitized_report_is_unitizing_alpha(pair):
    report = agreement_report(pair, ["ann", "ben"], "unitized")
    data = report.data
    segs = {c: [(s, e, code) for (cc, t, code), v in data.segments.items() if cc == c for s, e, _ in v]
            for c in data.coders}
    ref = unitizing_alpha(segs, data.total_chars, categories=list(data.codes))
    assert [r.alpha for r in report.rows] == [ref.per_category[c].alpha for c in data.codes]
    assert report.overall[0].alpha == ref.alpha
    assert report.rows[0].kappa is None and report.rows[0].agreement is None
    assert "unitizing" in report.caption and "u-alpha" in agreement_table(pair, ["ann", "ben"], "unitized").columns


def test_undefined_values_are_reasons_in_json_csv_and_dataframe(pair):
    report = agreement_report(pair, ["ann", "ben"], "transcript", n_resamples=0)
    theme = report.rows[0]  # both used both codes in the one transcript: no variation
    assert theme.alpha is None and theme.kappa is None and theme.agreement == 1.0 and theme.ac1 == 1.0
    assert "undefined" in theme.note() and theme.assessment == ""
    text = json.dumps(report.to_json(), allow_nan=False)  # no NaN anywhere
    assert "undefined" in text
    rows = list(csv.DictReader(io.StringIO(report.csv_text())))
    first = next(r for r in rows if r["code"] == "theme")
    assert first["alpha"] == "" and first["kappa"] == "" and "undefined" in first["note"]
    assert first["unit"] == "transcript" and first["coded_ann"] == "1.000000"
    df = agreement_table(pair, ["ann", "ben"], "transcript", n_resamples=0)
    assert math.isnan(df.loc[0, "Krippendorff's alpha"]) and "undefined" in df.loc[0, "Note"]
    assert any("undefined" in n for n in df.attrs["notes"])


def test_dataframe_for_the_word_report(pair):
    df = agreement_table(pair, ["ann", "ben"], unit="sentence", n_resamples=300)
    assert list(df.columns[:5]) == ["Code", "Name", "Units", "Coded by ann", "Coded by ben"]
    for col in ["Agreement", "Cohen's kappa", "Krippendorff's alpha", "alpha 95% CI low", "alpha 95% CI high",
                "Gwet's AC1", "Assessment", "Note"]:
        assert col in df.columns
    assert df["Code"].tolist() == ["theme", "theme.sub", ALL_CODES, CODE_SETS]
    assert df["Krippendorff's alpha"].dtype == float
    title, caption = df.attrs["title"], df.attrs["caption"]
    assert "sentences" in title
    assert "ann and ben" in caption and "sentences" in caption
    assert "Krippendorff (2004" in caption and ".800" in caption and ".667" in caption
    assert df.attrs["unit"] == "sentence" and df.attrs["coders"] == ["ann", "ben"]
    only = agreement_table(pair, ["ann", "ben"], codes=["theme.sub"], n_resamples=0)
    assert only["Code"].tolist()[0] == "theme.sub"


def test_a_code_no_one_used_is_an_error(pair):
    from qualcode.domain.codebook import Code, Codebook

    book = pair.codebook
    pair.set_codebook(Codebook(book.codes + [Code("other", "Other")], name=book.name))
    with pytest.raises(UndefinedCoefficient, match="no coder used other"):
        agreement_report(pair, ["ann", "ben"], codes=["other"])
    assert agreement_report(pair, ["ann", "ben"], n_resamples=0).unused_codes == ("other",)


def test_assessment_and_masi():
    # without an interval the point estimate is read, and said so
    assert [assessment(a) for a in (0.85, 0.8, 0.7, 0.667, 0.5, None)] == [
        "reliable (no interval)", "reliable (no interval)", "tentative (no interval)", "tentative (no interval)",
        "below .667 (no interval)", ""]
    a, b = frozenset("x"), frozenset("xy")
    assert masi_distance(a, a) == 0 and masi_distance(frozenset(), frozenset()) == 0
    assert masi_distance(a, frozenset("z")) == 1 and masi_distance(frozenset(), a) == 1
    assert masi_distance(a, b) == pytest.approx(1 - 0.5 * 2 / 3)
    assert masi_distance(frozenset("xz"), b) == pytest.approx(1 - (1 / 3) * (1 / 3))


@pytest.mark.parametrize("n_codes", [3, 70])
def test_sets_of_codes_per_unit(n_codes):
    from qualcode.reliability import alpha_details
    from qualcode.reliability.sets import code_sets, sets_alpha

    rng = np.random.default_rng(n_codes)
    codes = [f"c{i}" for i in range(n_codes)]
    present = rng.random((n_codes, 2, 40)) < 0.05
    present[:, 1] = np.where(rng.random((n_codes, 40)) < 0.9, present[:, 0], present[:, 1])
    matrix, sets = code_sets(present, codes)
    naive = [[frozenset(codes[k] for k in range(n_codes) if present[k, i, u]) for u in range(40)] for i in range(2)]
    assert [[sets[v] for v in row] for row in matrix.codes] == naive
    cats = sorted(set(naive[0]) | set(naive[1]), key=sorted)
    d = [[masi_distance(a, b) for b in cats] for a in cats]
    assert sets_alpha(present, codes) == pytest.approx(
        alpha_details(naive, categories=cats, distance_matrix=d).alpha, abs=1e-12)


def test_three_coders_use_fleiss_kappa(pair):
    s = pair.session("cat")
    s.add("int-1", *_span(pair, "We monitor ethnicity on the board"), "theme")
    s.close()
    report = agreement_report(pair, ["ann", "ben", "cat"], "sentence", n_resamples=0)
    assert report.kappa_name == "Fleiss' kappa" and len(report.rows[0].coded) == 3
    assert "ann, ben and cat" in report.caption


# ---------------------------------------------------------------------------- disagreements


def test_disagreements_depend_on_the_unit(pair):
    data = collect(pair, ["ann", "ben"])
    by_char = find_disagreements(data, "char")
    assert [(d.code, d.kind) for d in by_char] == [
        ("theme", "only ann"), ("theme.sub", "only ben"), ("theme.sub", "boundaries")]
    by_sentence = find_disagreements(data, "sentence", unit_data(data, "sentence"))
    # the two boundaries of the outcomes passage lie in the same sentence: agreement at sentence level
    assert [(d.code, d.kind) for d in by_sentence] == [("theme", "only ann"), ("theme.sub", "only ben")]
    assert all(d.units == 1 for d in by_sentence)
    by_transcript = find_disagreements(data, "transcript", unit_data(data, "transcript"))
    assert by_transcript == []  # both used both codes in the transcript
    text = data.texts["int-1"].text
    d = by_char[2]
    assert d.describe("ann", text).startswith("coded ") and '"The outcomes' in d.describe("ann", text)
    assert by_char[0].describe("ben") == "did not code it"
    ann_len = len("The outcomes matter more than who gets the money.")
    assert d.units == ann_len - len("outcomes matter more than who gets")
    j = d.to_json(text)
    assert j["coders"]["ben"][0]["quote"] == "outcomes matter more than who gets"
    with pytest.raises(Exception, match="needs the sentence units"):
        find_disagreements(data, "sentence")


def test_adjudication_writes_the_consensus_journal(pair):
    data = collect(pair, ["ann", "ben"])
    only_ann, only_ben, bounds = find_disagreements(data, "char")
    assert consensus_state(pair, bounds) == UNDECIDED
    (c,) = decide(pair, only_ann, "ann")
    assert (c.start, c.end, c.code, c.coder) == (only_ann.start, only_ann.end, "theme", "consensus")
    assert consensus_state(pair, only_ann) == "ann"
    union = decide(pair, bounds, BOTH)
    assert [(x.start, x.end) for x in union] == [(bounds.start, bounds.end)]
    assert consensus_state(pair, bounds) == "ann"  # ann's passage holds ben's: the union is ann's
    decide(pair, bounds, "ben")  # replaces the union
    assert consensus_state(pair, bounds) == "ben"
    assert consensus_state(pair, only_ben) == UNDECIDED
    assert decide(pair, only_ben, NEITHER) == []  # nothing added, but the decision is written
    assert consensus_state(pair, only_ben) == NEITHER
    assert decide(pair, only_ben, NEITHER) == []  # the same again changes nothing: nothing written
    assert "consensus" in pair.coders()
    lines = (pair.codings_dir / "consensus.jsonl").read_text().splitlines()
    assert len(lines) == 4  # one line per decision that changed something, "neither" included
    pair.session("consensus").undo()  # the "neither"
    assert consensus_state(pair, only_ben) == UNDECIDED
    pair.session("consensus").undo()
    assert consensus_state(pair, bounds) == "ann"
    with pytest.raises(Exception, match="unknown choice"):
        decide(pair, bounds, "zoe")
    with pytest.raises(Exception, match="one of the coders compared"):
        decide(pair, bounds, "ann", consensus="ann")
    # the consensus coder now counts as a coder everywhere
    report = agreement_report(pair, ["ann", "consensus"], "sentence", n_resamples=0)
    assert report.coders == ("ann", "consensus")


def test_replace_span_keeps_what_lies_outside(pair):
    text = pair.transcript("int-1").text
    s, e = _span(pair, "We monitor ethnicity on the board, but not in the theme groups.")
    replace_span(pair, "int-1", "theme", s, e, [(s, e)])
    mid = s + 10
    replace_span(pair, "int-1", "theme", mid, mid + 5, [])  # cut a hole
    spans = [(c.start, c.end) for c in pair.codings("consensus").for_transcript("int-1")]
    assert spans == [(s, mid), (mid + 5, e)]
    replace_span(pair, "int-1", "theme", mid, mid + 5, [(mid, mid + 5)])  # and fill it: one coding again
    spans = [(c.start, c.end) for c in pair.codings("consensus").for_transcript("int-1")]
    assert spans == [(s, e)] and text[s:e].startswith("We monitor")


def test_adopt_agreements_copies_identical_passages_once(pair):
    data = collect(pair, ["ann", "ben"])
    assert int(adopt_agreements(pair, data)) == 1
    assert int(adopt_agreements(pair, data)) == 0
    (c,) = pair.codings("consensus").for_transcript("int-1")
    assert c.quote == "We monitor ethnicity on the board"


# ---------------------------------------------------------------------------- the bundled study


@pytest.fixture
def study(study_copy):
    p = Project.open(study_copy)
    yield p
    p.close()


def test_study_report_by_sentence(study):
    report = agreement_report(study, ["researcher_a", "researcher_b"], "sentence")
    assert report.transcripts == ("lsp-a", "lsp-c", "lsp-e", "lsp-g", "lsp-h")
    assert set(report.left_out) == {"lsp-b", "lsp-d", "lsp-f", "lsp-i"}
    assert len(report.rows) >= 30
    alphas = [r.alpha for r in report.rows if r.alpha is not None]
    assert all(-1 <= a <= 1 for a in alphas)
    between = [a for a in alphas if 0.6 <= a <= 0.85]
    assert len(between) >= len(alphas) // 3
    pooled = report.overall[0]
    assert 0.5 < pooled.alpha < 0.9 and pooled.alpha_low < pooled.alpha < pooled.alpha_high
    again = agreement_report(study, ["researcher_a", "researcher_b"], "sentence")
    assert [r.alpha_low for r in again.rows] == [r.alpha_low for r in report.rows]  # seeded


@pytest.mark.parametrize("unit", ["char", "turn", "transcript", "case", "unitized"])
def test_study_every_unit(study, unit):
    report = agreement_report(study, ["researcher_a", "researcher_b"], unit, n_resamples=200)
    assert report.rows and report.overall
    json.dumps(report.to_json(), allow_nan=False)
    data = report.data
    found = find_disagreements(data, unit, report.units)
    assert found and all(d.transcript in report.transcripts for d in found)


def test_study_adjudication_on_a_copy(study):
    data = collect(study, ["researcher_a", "researcher_b"], codes=["barriers.trust"])
    found = find_disagreements(data, "char")
    for d in found:
        decide(study, d, BOTH)
    assert len(study.codings("consensus")) == len(found)
    assert "consensus" in study.coders()


def test_neither_is_written_and_read_back_after_a_restart(pair):
    """Settling a passage as neither, where the consensus had nothing, writes one fsynced line that a
    fresh replay of the journal (a restart) reads as settled; taking a coding later clears it."""
    from qualcode.store.project import Project

    data = collect(pair, ["ann", "ben"])
    only_ann, only_ben, bounds = find_disagreements(data, "char")
    decide(pair, only_ben, NEITHER)
    (line,) = [json.loads(x) for x in (pair.codings_dir / "consensus.jsonl").read_text().splitlines()]
    assert line["op"] == "batch" and line["ops"][0]["op"] == "tset"
    pair.close()
    again = Project.open(pair.root)
    try:
        assert consensus_state(again, only_ben) == NEITHER
        assert consensus_state(again, only_ann) == UNDECIDED
        decide(again, only_ben, "ben")  # changed mind: the codings are the decision, the mark goes
        assert consensus_state(again, only_ben) == "ben"
        assert not again.codings("consensus").marks.get("int-1")
    finally:
        again.close()


def test_adopt_agreements_at_sentence_level_takes_the_overlap(pair):
    """Boundaries drawn differently inside one sentence are agreement at sentence level (not listed as a
    disagreement), so adopting copies the text both coded; at character level they are not adopted."""
    data = collect(pair, ["ann", "ben"])
    assert int(adopt_agreements(pair, data)) == 1  # characters: only the identical passage
    units = unit_data(data, "sentence")
    done = adopt_agreements(pair, data, unit="sentence", units=units)
    assert (done.passages, done.overlap, done.kept) == (1, 1, 1)
    assert "1 with boundaries drawn differently" in done.describe()
    quotes = sorted(c.quote for c in pair.codings("consensus").for_transcript("int-1"))
    assert quotes == ["We monitor ethnicity on the board", "outcomes matter more than who gets"]
