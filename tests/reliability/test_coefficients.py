"""Unit tests of qualcode.reliability: conventions, bad input, cross-checks, bootstrap."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.errors import QualcodeError
from qualcode.reliability import (
    NAMES,
    ReliabilityDataError,
    ReliabilityMatrix,
    UndefinedCoefficient,
    alpha_bootstrap,
    alpha_details,
    as_matrix,
    bennett_s,
    brennan_prediger,
    cohen_kappa,
    cohen_kappa_details,
    compute,
    conger_kappa,
    fleiss_kappa,
    fleiss_kappa_details,
    free_marginal_kappa,
    gwet_ac1,
    gwet_ac2,
    hubert_kappa,
    krippendorff_alpha,
    mean_pairwise_cohen_kappa,
    pairable_percent_agreement,
    percent_agreement,
    scott_pi,
)
from qualcode.reliability.alpha import coincidence_matrix

# Krippendorff (2011) section C: 4 observers x 12 units, missing data (published example).
KRIPP_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

MULTI_CODER_FUNCS = [
    ("krippendorff_alpha", lambda d, **k: krippendorff_alpha(d, **k)),
    ("percent_agreement", lambda d, **k: percent_agreement(d, **k)),
    ("pairable_percent_agreement", lambda d, **k: pairable_percent_agreement(d, **k)),
    ("fleiss_kappa", lambda d, **k: fleiss_kappa(d, **k)),
    ("gwet_ac1", lambda d, **k: gwet_ac1(d, **k)),
    ("brennan_prediger", lambda d, **k: brennan_prediger(d, **k)),
    ("conger_kappa", lambda d, **k: conger_kappa(d, **k)),
]


def random_data(rng, coders, units, q, missing=0.1, agree=0.7):
    truth = rng.integers(0, q, units)
    data = np.tile(truth, (coders, 1)).astype(float)
    noise = rng.random((coders, units)) > agree
    data[noise] = rng.integers(0, q, noise.sum())
    data[rng.random((coders, units)) < missing] = np.nan
    return data


# ------------------------------------------------------------------ bad input


def test_errors_are_qualcode_errors():
    assert issubclass(UndefinedCoefficient, QualcodeError)
    assert issubclass(ReliabilityDataError, QualcodeError)


@pytest.mark.parametrize("name,func", MULTI_CODER_FUNCS + [("cohen_kappa", cohen_kappa), ("scott_pi", scott_pi)])
def test_one_coder_is_undefined(name, func):
    with pytest.raises(UndefinedCoefficient, match="at least 2 coders"):
        func([[1, 2, 3, 1]])


def test_unit_no_one_coded_is_ignored():
    with_empty = [row[:5] + [None] + row[5:] for row in KRIPP_C]
    for name, func in MULTI_CODER_FUNCS:
        assert func(with_empty) == pytest.approx(func(KRIPP_C), abs=1e-12), name
    two = [[1, 2, None, 2, 1, 3], [1, 2, None, 3, 1, 3]]
    two_dropped = [[1, 2, 2, 1, 3], [1, 2, 3, 1, 3]]
    assert cohen_kappa(two) == pytest.approx(cohen_kappa(two_dropped))
    assert scott_pi(two) == pytest.approx(scott_pi(two_dropped))


def test_single_category_in_use_is_undefined_with_reason():
    data = [["a", "a", "a", None], ["a", "a", "a", "a"]]
    with pytest.raises(UndefinedCoefficient, match=r"D_e = 0.*one category"):
        krippendorff_alpha(data)
    with pytest.raises(UndefinedCoefficient, match="p_e = 1"):
        cohen_kappa(data)
    with pytest.raises(UndefinedCoefficient, match="p_e = 1"):
        scott_pi(data)
    with pytest.raises(UndefinedCoefficient, match="p_e = 1"):
        fleiss_kappa(data)
    with pytest.raises(UndefinedCoefficient, match="fewer than two codebook categories"):
        gwet_ac1(data)
    # with the codebook's categories, AC1 and Brennan-Prediger are defined (perfect agreement)
    assert gwet_ac1(data, categories=["a", "b"]) == pytest.approx(1.0)
    assert brennan_prediger(data, categories=["a", "b"]) == pytest.approx(1.0)
    # alpha stays undefined even with more codebook categories: no variation among values
    with pytest.raises(UndefinedCoefficient):
        krippendorff_alpha(data, categories=["a", "b"])


def test_no_pairable_values_is_undefined():
    data = [[1, None, 2], [None, 3, None]]
    with pytest.raises(UndefinedCoefficient, match="no unit was coded by two or more coders"):
        krippendorff_alpha(data)
    with pytest.raises(UndefinedCoefficient, match="two or more coders"):
        percent_agreement(data)
    with pytest.raises(UndefinedCoefficient, match="both coders"):
        cohen_kappa(data)


def test_non_numeric_values_at_interval_level():
    data = [["low", "high", "mid"], ["low", "mid", "mid"]]
    for level in ("interval", "ratio"):
        with pytest.raises(ReliabilityDataError, match="numeric values.*'high'|numeric values.*'low'") as info:
            krippendorff_alpha(data, level=level)
        assert "category_scores" in str(info.value)
    # ordinal works with an order, interval with scores
    cats = ["low", "mid", "high"]
    assert krippendorff_alpha(data, level="ordinal", categories=cats) == pytest.approx(
        krippendorff_alpha([[1, 3, 2], [1, 2, 2]], level="ordinal", categories=[1, 2, 3])
    )
    assert krippendorff_alpha(data, level="interval", categories=cats, category_scores=[1, 2, 3]) == pytest.approx(
        krippendorff_alpha([[1, 3, 2], [1, 2, 2]], level="interval")
    )


def test_ragged_rows():
    with pytest.raises(ReliabilityDataError, match="ragged") as info:
        krippendorff_alpha([[1, 2, 3], [1, 2]])
    assert "coder 0: 3" in str(info.value) and "coder 1: 2" in str(info.value)
    with pytest.raises(ReliabilityDataError, match="ragged"):
        fleiss_kappa([[1, 2, 3], [1, 2, 3, 4], [1, 2, 3]])


def test_other_bad_input():
    with pytest.raises(ReliabilityDataError, match="not in the categories"):
        krippendorff_alpha([[1, 2, 7], [1, 2, 3]], categories=[1, 2, 3])
    with pytest.raises(ReliabilityDataError, match="not in the categories"):
        krippendorff_alpha(np.array([[1.0, 2.0, 7.0], [1.0, 2.0, 3.0]]), categories=[1, 2, 3])
    with pytest.raises(ReliabilityDataError, match="duplicates"):
        krippendorff_alpha([[1, 2], [1, 2]], categories=[1, 1, 2])
    with pytest.raises(ReliabilityDataError, match="unknown level"):
        krippendorff_alpha(KRIPP_C, level="nominall")
    with pytest.raises(ReliabilityDataError, match="exactly two coders"):
        cohen_kappa(KRIPP_C)
    with pytest.raises(ReliabilityDataError, match="2-D"):
        krippendorff_alpha(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ReliabilityDataError, match="non-negative"):
        krippendorff_alpha([[-1, 2, 3], [1, 2, 3]], level="ratio")
    with pytest.raises(ReliabilityDataError, match="3 x 3"):
        krippendorff_alpha([[1, 2, 3], [1, 2, 2]], distance_matrix=[[0, 1], [1, 0]])
    with pytest.raises(ReliabilityDataError, match="unknown coefficient"):
        compute("cohens_kappa", [[1, 2], [1, 2]])
    with pytest.raises(ReliabilityDataError, match="complete data"):
        hubert_kappa(KRIPP_C)


# ------------------------------------------------------------------ conventions


def test_input_forms_agree():
    as_floats = np.array([[np.nan if v is None else v for v in row] for row in KRIPP_C])
    as_strings = [[None if v is None else f"v{v}" for v in row] for row in KRIPP_C]
    ref = krippendorff_alpha(KRIPP_C)
    assert krippendorff_alpha(as_floats) == pytest.approx(ref, abs=1e-12)
    assert krippendorff_alpha(np.array(KRIPP_C, dtype=object)) == pytest.approx(ref, abs=1e-12)
    assert krippendorff_alpha(as_strings) == pytest.approx(ref, abs=1e-12)
    m = as_matrix(KRIPP_C, categories=[1, 2, 3, 4, 5])
    assert isinstance(m, ReliabilityMatrix) and m.n_coders == 4 and m.n_units == 12
    assert krippendorff_alpha(m, level="interval") == pytest.approx(krippendorff_alpha(as_floats, level="interval"))


def test_default_categories_are_observed_and_sorted():
    m = as_matrix([["b", "a", None], ["c", "a", "a"]])
    assert m.categories == ("a", "b", "c")
    assert as_matrix(np.array([[3.0, 1.0], [2.0, np.nan]])).categories == (1, 2, 3)


def test_numeric_encoding_paths():
    halves = np.array([[0.5, 1.5, 2.5], [1.5, np.nan, 0.5]])
    assert as_matrix(halves).categories == (0.5, 1.5, 2.5)
    wide = np.array([[0, 10_000_000, 5], [5, 0, np.nan]])
    m = as_matrix(wide)
    assert m.categories == (0, 5, 10_000_000)
    np.testing.assert_array_equal(m.codes, [[0, 2, 1], [1, 0, -1]])
    ints = np.array([[3, 1, 2], [2, 2, 3]])
    assert as_matrix(ints).categories == (1, 2, 3)
    assert krippendorff_alpha(ints, "interval") == pytest.approx(
        krippendorff_alpha(ints.tolist(), "interval", categories=[1, 2, 3])
    )
    assert as_matrix(halves, categories=[2.5, 1.5, 0.5]).codes[0].tolist() == [2, 1, 0]
    assert as_matrix(np.full((2, 3), np.nan)).categories == ()


def test_two_percent_agreement_definitions_differ_with_varying_m_u():
    assert percent_agreement(KRIPP_C) == pytest.approx(9 / 11)  # units count equally
    assert pairable_percent_agreement(KRIPP_C) == pytest.approx(0.8)  # units weighted by m_u
    res = alpha_details(KRIPP_C)
    assert res.pairable_percent_agreement == pytest.approx(1 - res.D_o)


def test_unused_codebook_category_changes_q():
    data = [[0, 0, 1, 1], [0, 1, 1, 1], [0, 0, 1, 1]]
    assert brennan_prediger(data, categories=[0, 1, 2]) != pytest.approx(brennan_prediger(data))
    assert brennan_prediger(data, q=3) == pytest.approx(brennan_prediger(data, categories=[0, 1, 2]))
    assert bennett_s(data, categories=[0, 1, 2]) == free_marginal_kappa(data, categories=[0, 1, 2])
    assert gwet_ac1(data, categories=[0, 1, 2]) != pytest.approx(gwet_ac1(data))
    assert fleiss_kappa(data, categories=[0, 1, 2]) == pytest.approx(fleiss_kappa(data))


def test_ordinal_uses_codebook_order_and_ignores_unused_categories():
    data = [[1, 2, 4, 4, 1], [1, 4, 4, 2, 2]]
    base = krippendorff_alpha(data, "ordinal")
    # an unused category has n_g = 0, so it adds nothing to the ordinal distance
    assert krippendorff_alpha(data, "ordinal", categories=[1, 2, 3, 4]) == pytest.approx(base)
    # the order of the codebook categories is what matters
    assert krippendorff_alpha(data, "ordinal", categories=[2, 1, 4]) != pytest.approx(base)
    # whereas at the interval level the values matter
    assert krippendorff_alpha(data, "interval") != pytest.approx(base)


def test_kappa_weights_and_scores():
    data = [[0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 1, 1, 0, 0]]
    lin = cohen_kappa(data, weights="linear")
    # scores are the numeric categories: rescaling them changes nothing, unequal spacing does
    assert cohen_kappa(data, weights="linear", category_scores=[0, 10, 20]) == pytest.approx(lin)
    assert cohen_kappa(data, weights="linear", category_scores=[0, 1, 5]) != pytest.approx(lin)
    # linear weights as an explicit matrix, and as a distance matrix
    w = 1 - np.abs(np.subtract.outer([0, 1, 2], [0, 1, 2])) / 2
    assert cohen_kappa(data, weights=w) == pytest.approx(lin)
    assert cohen_kappa(data, distance_matrix=1 - w) == pytest.approx(lin)
    details = cohen_kappa_details(data, weights="quadratic")
    assert details.value == pytest.approx((details.p_a - details.p_e) / (1 - details.p_e))
    # text categories without scores use 1..q
    text = [["a", "b", "c", "c", "b", "a", "c"], ["a", "c", "c", "b", "b", "a", "a"]]
    assert cohen_kappa(text, weights="quadratic") == pytest.approx(cohen_kappa(data, weights="quadratic"))


def test_two_coder_special_cases_agree():
    rng = np.random.default_rng(7)
    data = random_data(rng, 2, 300, 4, missing=0.0)
    # with two coders and complete data, Fleiss' kappa == Scott's pi, Conger == Cohen
    assert fleiss_kappa(data) == pytest.approx(scott_pi(data))
    assert conger_kappa(data) == pytest.approx(cohen_kappa(data))
    assert hubert_kappa(data) == pytest.approx(cohen_kappa(data))
    assert mean_pairwise_cohen_kappa(data) == pytest.approx(cohen_kappa(data))
    # AC2 with identity weights is AC1
    assert gwet_ac2(data, weights=np.eye(4)) == pytest.approx(gwet_ac1(data))
    # quadratic-weighted Cohen's kappa is close to interval alpha for large n
    assert cohen_kappa(data, weights="quadratic") == pytest.approx(
        krippendorff_alpha(data, "interval"), abs=0.01
    )


def test_conger_kappa_matches_irrcac_readme_value():
    # R irrCAC README, conger.kappa.raw(cac.raw4raters): unit 12's value under rater 3 (C).
    gwet = [row[:] for row in KRIPP_C]
    gwet[1][11], gwet[2][11] = None, 3
    assert conger_kappa(gwet) == pytest.approx(0.76282, abs=5e-6)
    assert fleiss_kappa(gwet) == pytest.approx(fleiss_kappa(KRIPP_C))


def test_hubert_equals_conger_on_complete_data_and_light_is_mean_of_pairs():
    rng = np.random.default_rng(3)
    data = random_data(rng, 4, 80, 3, missing=0.0)
    assert hubert_kappa(data) == pytest.approx(conger_kappa(data))
    pairs = [cohen_kappa(data[[i, j]]) for i in range(4) for j in range(i + 1, 4)]
    assert mean_pairwise_cohen_kappa(data) == pytest.approx(np.mean(pairs))


def test_fleiss_details_with_complete_data_is_fleiss_1971():
    data = [[1, 2, 2, 1, 3], [1, 2, 1, 1, 3], [2, 2, 1, 1, 3]]
    res = fleiss_kappa_details(data)
    counts = as_matrix(data).counts()
    p_j = counts.sum(axis=0) / counts.sum()
    assert res.p_e == pytest.approx((p_j**2).sum())
    p_i = ((counts * (counts - 1)).sum(axis=1) / (3 * 2)).mean()
    assert res.p_a == pytest.approx(p_i)


# ------------------------------------------------------------------ alpha cross-checks


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("coders", [2, 3, 5, 12])
def test_alpha_matches_krippendorff_package(level, coders):
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(coders)
    data = random_data(rng, coders, 400, 6, missing=0.25) + 1
    ours = krippendorff_alpha(data, level)
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_both_coincidence_paths_agree():
    rng = np.random.default_rng(11)
    data = random_data(rng, 5, 500, 3, missing=0.3)  # 10 pairs > q: count-matrix path
    m = as_matrix(data)
    o_counts, n_counts = coincidence_matrix(m)
    # the pairwise path, forced by giving many (unused) categories
    wide = ReliabilityMatrix(m.codes, m.categories + tuple(range(100, 120)))
    o_pairs, n_pairs = coincidence_matrix(wide)
    assert n_counts == n_pairs
    np.testing.assert_allclose(o_pairs[:3, :3], o_counts, atol=1e-9)
    assert o_counts.sum() == pytest.approx((m.values_per_unit()[m.values_per_unit() >= 2]).sum())


def test_custom_distance_matrix_equals_builtin_metric():
    data = [[1, 2, 3, 3, 2, 1], [1, 3, 3, 2, 2, 2], [1, 2, 3, 3, None, 1]]
    d = np.subtract.outer([1, 2, 3], [1, 2, 3]) ** 2
    assert krippendorff_alpha(data, distance_matrix=d) == pytest.approx(krippendorff_alpha(data, "interval"))


def test_alpha_result_fields():
    res = alpha_details(KRIPP_C, "interval")
    assert res.alpha == pytest.approx(1 - res.D_o / res.D_e)
    assert res.n_pairable_values == pytest.approx(40)
    assert res.n_pairable_units == 11
    assert res.coincidences.shape == (5, 5)
    np.testing.assert_allclose(res.coincidences, res.coincidences.T)
    assert float(res) == res.value == res.alpha


def test_registry_names_cover_the_vocabulary():
    vocabulary = {
        "percent_agreement", "pairable_percent_agreement", "cohen_kappa", "cohen_kappa_pe", "scott_pi",
        "scott_pi_pe", "bennett_s", "brennan_prediger", "free_marginal_kappa", "fleiss_kappa",
        "fleiss_kappa_pe", "gwet_ac1", "gwet_ac2", "krippendorff_alpha", "krippendorff_Do",
        "krippendorff_De", "conger_kappa", "hubert_kappa", "mean_pairwise_cohen_kappa",
        "krippendorff_alpha_nominal", "krippendorff_alpha_ordinal", "krippendorff_alpha_interval",
        "krippendorff_alpha_ratio",
    }
    assert vocabulary <= set(NAMES)
    complete = [[1, 2, 3, 3, 2, 1, 4, 1, 2], [1, 2, 3, 3, 2, 2, 4, 1, 2], [1, 3, 3, 3, 2, 3, 4, 2, 2]]
    for name in NAMES:
        data = complete[:2] if name.startswith(("cohen", "scott")) else complete
        assert np.isfinite(compute(name, data, categories=[1, 2, 3, 4, 5])), name
    assert compute("krippendorff_alpha_interval", KRIPP_C) == pytest.approx(0.849107142871, abs=1e-9)
    assert compute("gwet_ac2", KRIPP_C, weights="quadratic") == pytest.approx(gwet_ac2(KRIPP_C))


# ------------------------------------------------------------------ bootstrap


def test_bootstrap_is_reproducible_and_sane():
    a = alpha_bootstrap(KRIPP_C, "interval", seed=42, n_resamples=4000)
    b = alpha_bootstrap(KRIPP_C, "interval", seed=42, n_resamples=4000)
    assert (a.low, a.high, a.p_below) == (b.low, b.high, b.p_below)
    np.testing.assert_array_equal(a.samples, b.samples)
    c = alpha_bootstrap(KRIPP_C, "interval", seed=43, n_resamples=4000)
    assert not np.array_equal(a.samples, c.samples)
    assert a.alpha == pytest.approx(0.849107142871)
    assert -1.0 <= a.low <= a.alpha <= a.high <= 1.0
    assert a.interval == (a.low, a.high)
    assert 0 <= a.p_below[0.667] <= a.p_below[0.8] <= 1
    assert a.probability_below(0.8) == a.p_below[0.8]
    # M = number of pairs of values: 9 units x 3 coders (3 pairs) + 3 units x 4 coders (6)... computed:
    m_u = as_matrix(KRIPP_C).values_per_unit()
    assert a.n_draws == int((m_u * (m_u - 1) // 2).sum())


def test_bootstrap_centres_on_alpha_and_narrows_with_more_data():
    rng = np.random.default_rng(5)
    small = random_data(rng, 3, 60, 4, missing=0.1, agree=0.8)
    big = random_data(rng, 3, 3000, 4, missing=0.1, agree=0.8)
    bs = alpha_bootstrap(small, seed=1, n_resamples=5000, confidence=0.90)
    bb = alpha_bootstrap(big, seed=1, n_resamples=5000, confidence=0.90)
    assert np.mean(bb.samples) == pytest.approx(bb.alpha, abs=0.005)
    assert (bb.high - bb.low) < (bs.high - bs.low)
    assert bb.low < bb.alpha < bb.high


def test_bootstrap_perfect_agreement_and_bad_parameters():
    perfect = [[1, 2, 3, 1, 2], [1, 2, 3, 1, 2]]
    res = alpha_bootstrap(perfect, seed=0, n_resamples=500, q_min=0.8)
    assert res.alpha == 1.0 and res.high == 1.0
    assert set(res.p_below) == {0.8}
    with pytest.raises(ReliabilityDataError, match="confidence"):
        alpha_bootstrap(KRIPP_C, confidence=95)
    with pytest.raises(UndefinedCoefficient):
        alpha_bootstrap([[1, 1], [1, 1]])
