"""Units for free-text agreement: sentences, turns, characters, transcripts, cases; closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.domain.transcript import Transcript, Turn
from qualcode.reliability import (
    ReliabilityDataError,
    ReliabilityMatrix,
    UndefinedCoefficient,
    alpha_bootstrap,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from qualcode.reliability.binary import BinaryCounts, bootstrap_interval, coefficients
from qualcode.reliability.segments import sentence_spans, turn_spans
from qualcode.reliability.units import collect, merge, unit_data
from tests.conftest import INTERVIEW


def _transcript(text: str, turns: list[tuple[str, int, int, int]]) -> Transcript:
    return Transcript("t", text, [Turn(s, a, b, c) for s, a, b, c in turns])


def _span(project, quote: str, tid: str = "int-1") -> tuple[int, int]:
    text = project.transcript(tid).text
    i = text.index(quote)
    return i, i + len(quote)


# ---------------------------------------------------------------------------- segmentation


def test_sentences_split_inside_turns_without_labels_and_respect_abbreviations():
    text = ("[Note at the top.]\n\nAnn: Hello there. Mr. Smith said e.g. this... and that! Is it?\n\n"
            "Bob: Yes. J. Bloggs agreed.\nNo blank line here.\n\nA new paragraph without stop\n\nLast one")
    a0 = text.index("Ann:")
    b0 = text.index("Bob:")
    turns = [("Ann", a0, b0 - 2, a0 + 5), ("Bob", b0, len(text), b0 + 5)]
    t = _transcript(text, turns)
    got = [text[s:e] for s, e in sentence_spans(t)]
    assert got == [
        "[Note at the top.]",
        "Hello there.",
        "Mr. Smith said e.g. this... and that!",
        "Is it?",
        "Yes.",
        "J. Bloggs agreed.",
        "No blank line here.",
        "A new paragraph without stop",
        "Last one",
    ]
    spans = sentence_spans(t)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))
    assert sentence_spans(t) == spans  # deterministic


def test_turn_units_keep_labels_and_text_outside_turns():
    text = "Preface line.\n\nAnn: One. Two.\n\nBob: Three."
    a0, b0 = text.index("Ann:"), text.index("Bob:")
    t = _transcript(text, [("Ann", a0, b0 - 2, a0 + 5), ("Bob", b0, len(text), b0 + 5)])
    assert [text[s:e] for s, e in turn_spans(t)] == ["Preface line.", "Ann: One. Two.", "Bob: Three."]
    plain = Transcript("p", "No turns at all. Two sentences.", [])
    assert turn_spans(plain) == [(0, len(plain.text))]
    assert len(sentence_spans(plain)) == 2


def test_sentences_of_the_bundled_interview_are_inside_turns(project):
    t = project.transcript("int-1")
    spans = sentence_spans(t)
    words = [t.text[s:e] for s, e in spans]
    assert "We monitor ethnicity on the board, but not in the theme groups." in words
    assert not any(w.startswith(("Interviewer:", "Ruth Adebayo:")) for w in words)


# ---------------------------------------------------------------------------- collecting codings


@pytest.fixture
def coded(project, tmp_path):
    """int-1 coded by ann and ben; int-2 only by ann."""
    from qualcode.services.project_ops import import_transcripts

    src = tmp_path / "int-2.txt"
    src.write_text(INTERVIEW.replace("id: int-1", "id: int-2"), encoding="utf-8")
    import_transcripts(project, [src])
    ann, ben = project.session("ann"), project.session("ben")
    ann.add("int-1", *_span(project, "We monitor ethnicity on the board"), "theme")
    ann.add("int-1", *_span(project, "monitor ethnicity on the board, but not"), "theme")  # overlaps: merged
    ben.add("int-1", *_span(project, "We monitor ethnicity"), "theme")
    ben.add("int-1", *_span(project, "The outcomes matter more"), "theme.sub")
    ann.add("int-2", *_span(project, "It took us two years", "int-2"), "theme")
    ann.close()
    ben.close()
    return project


def test_collect_compares_only_transcripts_all_coded_and_says_what_was_left_out(coded):
    data = collect(coded, ["ann", "ben"])
    assert data.transcripts == ("int-1",)
    assert data.left_out == {"int-2": ("ann",)}
    assert "int-2 (ann)" in data.left_out_note()
    assert data.codes == ("theme", "theme.sub")
    (seg,) = data.spans("ann", "int-1", "theme")  # two overlapping codings merged
    text = coded.transcript("int-1").text
    assert text[seg[0]:seg[1]] == "We monitor ethnicity on the board, but not" and len(seg[2]) == 2
    only = collect(coded, ["ann", "ben"], codes=["theme.sub"])
    assert only.codes == ("theme.sub",) and only.unused_codes == ()


def test_collect_errors(coded):
    with pytest.raises(ReliabilityDataError, match="at least two coders"):
        collect(coded, ["ann"])
    with pytest.raises(ReliabilityDataError, match="no coder 'zoe'"):
        collect(coded, ["ann", "zoe"])
    with pytest.raises(ReliabilityDataError, match="unknown code"):
        collect(coded, ["ann", "ben"], codes=["no.such"])
    with pytest.raises(ReliabilityDataError, match="named twice"):
        collect(coded, ["ann", "ann"])
    s = coded.session("cat")
    s.add("int-2", 0, 5, "theme")
    s.close()
    with pytest.raises(ReliabilityDataError, match="no transcript was coded by all"):
        collect(coded, ["ben", "cat"])


def test_codings_are_taken_at_their_anchored_place_after_an_edit(coded, tmp_path):
    from qualcode.services.project_ops import import_transcripts

    before = collect(coded, ["ann", "ben"]).spans("ben", "int-1", "theme.sub")
    edited = tmp_path / "edit" / "int-1.txt"
    edited.parent.mkdir()
    edited.write_text(INTERVIEW.replace("Could you start", "So, could you start, please,"), encoding="utf-8")
    import_transcripts(coded, [edited], replace=True)
    after = collect(coded, ["ann", "ben"])
    (seg,) = after.spans("ben", "int-1", "theme.sub")
    assert seg[0] == before[0][0] + len("So, could you start, please,") - len("Could you start")
    assert after.texts["int-1"].text[seg[0]:seg[1]] == "The outcomes matter more"


def test_merge_joins_overlaps_only():
    assert merge([(5, 9, "b"), (0, 6, "a"), (9, 12, "c")]) == [(0, 9, ("a", "b")), (9, 12, ("c",))]


# ---------------------------------------------------------------------------- presence arrays


def test_char_units_mark_exactly_the_coded_characters(coded):
    data = collect(coded, ["ann", "ben"])
    u = unit_data(data, "char")
    k = data.codes.index("theme")
    s, e = _span(coded, "We monitor ethnicity on the board, but not")
    assert u.n_units == len(coded.transcript("int-1").text)
    assert np.flatnonzero(u.present[k, 0]).tolist() == list(range(s, e))
    assert u.present[k, 1].sum() == len("We monitor ethnicity")


def test_sentence_units_any_overlap_or_a_minimum_share(coded):
    data = collect(coded, ["ann", "ben"])
    text = data.texts["int-1"].text
    spans = data.unit_spans("int-1", "sentence")
    target = next(i for i, (s, e) in enumerate(spans) if text[s:e].startswith("We monitor"))
    any_overlap = unit_data(data, "sentence")
    k = data.codes.index("theme")
    assert any_overlap.present[k, :, target].tolist() == [True, True]
    assert any_overlap.present[k].sum(axis=1).tolist() == [1, 1]
    half = unit_data(data, "sentence", min_overlap=0.5)
    # ben's "We monitor ethnicity" is 20 of the sentence's 63 characters: under half
    assert half.present[k, :, target].tolist() == [True, False]
    assert "at least 50%" in half.rule and "any of its characters" in any_overlap.rule
    with pytest.raises(ReliabilityDataError):
        unit_data(data, "sentence", min_overlap=2)
    with pytest.raises(ReliabilityDataError, match="unknown unit"):
        unit_data(data, "paragraph")


def test_transcript_and_case_units(coded):
    from qualcode.store.cases import Cases

    s = coded.session("ben")
    s.add("int-2", *_span(coded, "It took us two years", "int-2"), "theme.sub")
    s.close()
    data = collect(coded, ["ann", "ben"])
    assert data.transcripts == ("int-1", "int-2")
    by_t = unit_data(data, "transcript")
    assert by_t.groups == ("int-1", "int-2")
    k_theme, k_sub = data.codes.index("theme"), data.codes.index("theme.sub")
    assert by_t.present[k_theme].tolist() == [[True, True], [True, False]]
    assert by_t.present[k_sub].tolist() == [[False, False], [True, True]]
    cases = Cases(case_of={"int-1": "Case A", "int-2": "Case A"})
    by_case = unit_data(data, "case", cases=cases)
    assert by_case.groups == ("Case A",) and by_case.group_of == {"int-1": 0, "int-2": 0}
    assert by_case.present[k_theme].tolist() == [[True], [True]]


# ---------------------------------------------------------------------------- closed forms


def _reference(present):
    m = ReliabilityMatrix(present.astype(np.int32), (0, 1))

    def ref(f):
        try:
            return f(m)
        except UndefinedCoefficient:
            return None

    kappa = cohen_kappa if present.shape[0] == 2 else fleiss_kappa
    return [ref(percent_agreement), ref(kappa), ref(krippendorff_alpha), ref(gwet_ac1)]


@pytest.mark.parametrize("seed", range(40))
def test_closed_forms_equal_the_general_coefficients(seed):
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(2, 5)), int(rng.integers(1, 60))
    present = rng.random((m, n)) < rng.random()
    if seed % 5 == 0:
        present[:] = present[0]  # perfect agreement (often all one value)
    c = coefficients(BinaryCounts.from_present(present))
    for mine, ref in zip([c.agreement, c.kappa, c.alpha, c.ac1], _reference(present)):
        assert (mine is None) == (ref is None)
        assert mine is None or abs(mine - ref) < 1e-12


def test_undefined_is_a_reason_not_nan():
    c = coefficients(BinaryCounts.from_present(np.ones((2, 5), dtype=bool)))
    assert c.alpha is None and c.kappa is None and c.agreement == 1.0 and c.ac1 == 1.0
    assert "every value is 'coded'" in c.undefined["alpha"]
    assert "chance agreement is 1" in c.undefined["kappa"]


def test_counts_pool_by_adding():
    rng = np.random.default_rng(3)
    a, b = rng.random((2, 30)) < 0.3, rng.random((2, 20)) < 0.3
    pooled = BinaryCounts.from_present(a) + BinaryCounts.from_present(b)
    assert pooled == BinaryCounts.from_present(np.concatenate([a, b], axis=1))


@pytest.mark.parametrize("seed", range(6))
def test_bootstrap_interval_matches_the_general_bootstrap(seed):
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(2, 4)), int(rng.integers(150, 400))
    present = rng.random((m, n)) < 0.3
    present[1:] = np.where(rng.random((m - 1, n)) < 0.9, present[0], present[1:])
    ref = alpha_bootstrap(ReliabilityMatrix(present.astype(np.int32), (0, 1)), seed=seed, n_resamples=20_000)
    low, high = bootstrap_interval(BinaryCounts.from_present(present), seed=seed + 100, n_resamples=20_000)
    assert abs(low - ref.low) < 0.02 and abs(high - ref.high) < 0.02
    again = bootstrap_interval(BinaryCounts.from_present(present), seed=seed + 100, n_resamples=20_000)
    assert again == (low, high)
