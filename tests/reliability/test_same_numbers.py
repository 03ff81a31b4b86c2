"""Agreement made fast and lean for 3,000 transcripts gives the numbers it gave before, exactly.

The functions below marked "as before" are the earlier implementations (per-segment coverage of
units, per-slice counts per transcript, every row's cluster counts held and grouped with
``np.unique(axis=0)``, MASI distances on every unit's pair of sets, sentences split on every run),
kept here as the reference. The bundled study gets codings at random from three coders, and every
coefficient, interval and q value of every row must be equal (==, not approximately).
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from qualcode.reliability import report as report_mod
from qualcode.reliability import sets as sets_mod
from qualcode.reliability.binary import BinaryCounts
from qualcode.reliability.clusters import cluster_bootstrap
from qualcode.reliability.matrix import ReliabilityMatrix, UndefinedCoefficient
from qualcode.reliability.report import agreement_report, agreement_table
from qualcode.reliability.segments import sentence_spans, turn_spans
from qualcode.reliability.span_cache import FILE, SpanCache
from qualcode.reliability.units import collect, unit_data
from qualcode.store.project import Project

CODERS3 = ["rand_a", "rand_b", "rand_c"]


@pytest.fixture(scope="module")
def randomly_coded(tmp_path_factory):
    """The bundled study with 3 coders' codings at random: spans of 5 to 400 characters, anywhere."""
    from tests.conftest import copy_study

    root = copy_study(tmp_path_factory.mktemp("same") / "study")
    project = Project.open(root)
    rng = random.Random(18)
    codes = [c.id for c in project.codebook.walk()][:12]
    transcripts = [e.id for e in project.index if not e.error]
    for coder in CODERS3:
        spans = []
        for t in transcripts:
            n = project.index.get(t).chars
            for _ in range(rng.randint(5, 40)):
                s = rng.randrange(0, n - 5)
                spans.append((t, s, min(n, s + rng.randint(5, 400)), rng.choice(codes)))
        session = project.session(coder)
        session.add_many(spans)
        session.close()
    project.close()
    return root


# ------------------------------------------------------------------ as before (the reference)

def _old_present(project, data, kind, min_overlap):
    """Presence per (code, coder, unit) by adding up each unit's coverage, segment by segment,
    with the units split from the transcript on the spot."""
    split = sentence_spans if kind == "sentence" else turn_spans
    spans = {t: split(project.transcript(t)) for t in data.transcripts}
    bounds, pos = {}, 0
    for t in data.transcripts:
        bounds[t] = slice(pos, pos + len(spans[t]))
        pos += len(spans[t])
    present = np.zeros((len(data.codes), len(data.coders), pos), dtype=bool)
    for (coder, t, code), segs in data.segments.items():
        if code not in data.codes:
            continue
        row = present[data.codes.index(code), data.coders.index(coder), bounds[t]]
        st = np.array([s for s, _ in spans[t]], dtype=np.int64)
        en = np.array([e for _, e in spans[t]], dtype=np.int64)
        cov = np.zeros(len(st), dtype=np.int64)
        for s, e, _ in segs:
            i0, i1 = np.searchsorted(en, s, "right"), np.searchsorted(st, e, "left")
            if i0 < i1:
                cov[i0:i1] += np.minimum(e, en[i0:i1]) - np.maximum(s, st[i0:i1])
        row[:] = cov >= np.maximum(1, np.ceil(min_overlap * (en - st) - 1e-9))
    return present


def _old_cluster_counts(present, cluster, n_clusters):
    m = present.shape[0]
    s = present.sum(axis=0, dtype=np.int64)
    out = np.empty((n_clusters, 3))
    out[:, 0] = np.bincount(cluster, minlength=n_clusters)
    out[:, 1] = np.bincount(cluster, weights=s, minlength=n_clusters)
    out[:, 2] = np.bincount(cluster, weights=s * (m - s), minlength=n_clusters) / (m - 1)
    return out


def _old_bootstrap(rows, units, cluster, n_clusters, n_coders, boot):
    if boot["clusters"] == "sentences" and boot.get("n_units"):
        for row in rows:
            row.n_pairable = round(row.units * boot["n_clusters"] / boot["n_units"])
    if not boot["n_resamples"]:
        return
    stats = [_old_cluster_counts(units.present[k], cluster, n_clusters) for k in range(len(units.codes))]
    stats.append(sum(stats))
    chosen = [(r, s) for r, s in zip(rows, stats) if r.alpha is not None]
    found = cluster_bootstrap([s for _, s in chosen], n_coders, n_resamples=boot["n_resamples"],
                              seed=boot["seed"], confidence=boot["confidence"])
    for (row, _), ci in zip(chosen, found):
        row.alpha_low, row.alpha_high, row.p_below = ci.low, ci.high, ci.p_below


def _old_transcript_counts(units, k):
    for t, sl in units.bounds.items():
        sub = units.present[k][:, sl]
        if sub.any():
            yield t, BinaryCounts.from_present(sub)


def _old_masi(inter, size_a, size_b):
    union = size_a + size_b - inter
    equal = (inter == size_a) & (inter == size_b)
    subset = (inter == size_a) | (inter == size_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    mono = np.where(subset, 2 / 3, 1 / 3)
    return np.where(equal, 0.0, np.where(inter == 0, 1.0, 1.0 - jaccard * mono))


def _old_code_sets(present, codes):
    n_codes, m, n = present.shape
    packed = np.packbits(present, axis=0, bitorder="little")
    nbytes = packed.shape[0]
    flat = packed.reshape(nbytes, m * n).T
    wide = np.zeros((m * n, 8), dtype=np.uint8)
    wide[:, :nbytes] = flat
    keys, inverse = np.unique(wide.view("<u8").ravel(), return_inverse=True)
    key_bytes = keys.astype("<u8").view(np.uint8).reshape(-1, 8)[:, :nbytes]
    bits = np.unpackbits(key_bytes, axis=1, bitorder="little")[:, :n_codes]
    sets = [frozenset(codes[i] for i in np.flatnonzero(row)) for row in bits]
    return ReliabilityMatrix(inverse.reshape(m, n).astype(np.int32), tuple(range(len(sets)))), sets


def _old_sets_alpha_details(present, codes, *, block=2048, exact_limit=4000, samples=2_000_000, seed=2007):
    matrix, sets = _old_code_sets(present, codes)
    values = np.asarray(matrix.codes, dtype=np.int64)
    m, n_units = values.shape
    if m < 2 or n_units == 0:
        raise UndefinedCoefficient("alpha over sets needs two coders and at least one unit")
    bits = np.zeros((len(sets), len(codes)), dtype=np.int32)
    index = {c: i for i, c in enumerate(codes)}
    for k, st in enumerate(sets):
        for c in st:
            bits[k, index[c]] = 1
    sizes = bits.sum(axis=1)
    n = m * n_units
    observed = 0.0
    for i in range(m):
        for j in range(i + 1, m):
            a, b = values[i], values[j]
            inter = (bits[a] & bits[b]).sum(axis=1)
            observed += 2 * _old_masi(inter, sizes[a], sizes[b]).sum()
    d_o = observed / (m - 1) / n
    counts = np.bincount(values.ravel(), minlength=len(sets)).astype(float)
    if len(sets) <= exact_limit:
        expected = 0.0
        for lo in range(0, len(sets), block):
            hi = min(lo + block, len(sets))
            inter = bits[lo:hi] @ bits.T
            expected += counts[lo:hi] @ _old_masi(inter, sizes[lo:hi, None], sizes[None, :]) @ counts
        d_e, note = expected / (n * (n - 1)), None
    else:
        flat = values.ravel()
        rng = np.random.default_rng(seed)
        i = rng.integers(0, n, samples)
        j = rng.integers(0, n - 1, samples)
        j = j + (j >= i)
        a, b = flat[i], flat[j]
        dist = _old_masi((bits[a] & bits[b]).sum(axis=1), sizes[a], sizes[b])
        d_e = float(dist.mean())
        note = (float(dist.std(ddof=1)), len(sets))
    return 1.0 - d_o / d_e, note


def _numbers(report) -> str:
    return json.dumps(report.to_json(), sort_keys=True)


# ------------------------------------------------------------------ the checks

@pytest.mark.parametrize("unit", ["sentence", "turn", "char", "transcript", "case"])
@pytest.mark.parametrize("coders", [CODERS3, CODERS3[:2]], ids=["3 coders", "2 coders"])
def test_every_number_of_the_report_is_the_same_as_before(randomly_coded, monkeypatch, unit, coders):
    project = Project.open(randomly_coded)
    new = agreement_report(project, coders, unit, n_resamples=400)
    with monkeypatch.context() as m:
        data = collect(project, coders)
        data._project_for_test = project
        _patch_old(m)
        old = agreement_report(project, coders, unit, n_resamples=400, data=data)
    assert len(new.rows) > 5 and new.overall[0].alpha_low is not None
    if unit not in ("transcript", "case"):
        assert len(new.by_transcript) > 20
    assert _numbers(new) == _numbers(old)


def _patch_old(m):
    def old_unit_data(data, kind, *, min_overlap=0.0, cases=None):
        units = unit_data(data, kind, min_overlap=min_overlap, cases=cases)
        if kind in ("sentence", "turn"):
            units.present[...] = _old_present(data._project_for_test, data, kind, min_overlap)
        return units

    m.setattr(report_mod, "unit_data", old_unit_data)
    m.setattr(report_mod, "_bootstrap", _old_bootstrap)
    m.setattr(report_mod, "_transcript_counts", _old_transcript_counts)
    m.setattr(report_mod, "sets_alpha_details", lambda p, c: (_old_sets_alpha_details(p, c)[0], None))


@pytest.mark.parametrize("kind", ["sentence", "turn"])
@pytest.mark.parametrize("min_overlap", [0.0, 0.3])
def test_units_coded_are_the_units_a_coding_covers_as_before(randomly_coded, kind, min_overlap):
    project = Project.open(randomly_coded)
    data = collect(project, CODERS3)
    units = unit_data(data, kind, min_overlap=min_overlap)
    old = _old_present(project, data, kind, min_overlap)
    assert units.present.any() and np.array_equal(units.present, old)


def test_word_report_table_has_the_numbers_of_the_full_report(randomly_coded):
    project = Project.open(randomly_coded)
    table = agreement_table(project, CODERS3, "sentence", n_resamples=300)
    full = agreement_report(project, CODERS3, "sentence", n_resamples=300)
    alphas = table["Krippendorff's alpha"].tolist()
    assert alphas[:-2] == [r.alpha for r in full.rows]
    assert table["alpha 95% CI low"].tolist()[:len(full.rows)] == [r.alpha_low for r in full.rows]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_over_code_sets_is_the_same_as_before_exact_and_estimated(seed):
    rng = np.random.default_rng(seed)
    present = rng.random((9, 3, 5000)) < rng.random((9, 1, 1)) * 0.4
    codes = [f"c{k}" for k in range(9)]
    exact, note = sets_mod.sets_alpha_details(present, codes)
    assert note is None and exact == _old_sets_alpha_details(present, codes)[0]
    estimated, note = sets_mod.sets_alpha_details(present, codes, exact_limit=10, samples=600_000)
    old, (std, n_sets) = _old_sets_alpha_details(present, codes, exact_limit=10, samples=600_000)
    assert estimated == old and f"{n_sets:,} distinct code sets" in note
    assert f"standard error of D_e {std / np.sqrt(600_000):.1e}" in note


def test_units_are_split_once_and_then_read_from_the_sealed_cache(randomly_coded, monkeypatch):
    project = Project.open(randomly_coded)
    path = project.cache_dir / FILE
    path.unlink(missing_ok=True)
    first = unit_data(collect(project, CODERS3), "sentence")
    assert path.exists()
    splits = []
    import qualcode.reliability.segments as segments

    real = segments.sentence_spans
    monkeypatch.setattr(segments, "sentence_spans", lambda t: splits.append(t.id) or real(t))
    again = Project.open(randomly_coded)
    second = unit_data(collect(again, CODERS3), "sentence")
    assert splits == []  # every transcript's sentences came from the cache
    assert np.array_equal(first.present, second.present) and np.array_equal(first.starts, second.starts)
    raw = bytearray(path.read_bytes())  # a damaged (or someone else's) file is not trusted
    raw[-3] ^= 0xFF
    path.write_bytes(bytes(raw))
    third = unit_data(collect(Project.open(randomly_coded), CODERS3), "sentence")
    assert len(splits) == len(third.groups) and np.array_equal(third.starts, first.starts)


def test_a_transcript_changed_since_its_units_were_cached_is_split_again(randomly_coded, tmp_path):
    import shutil

    root = tmp_path / "changed"
    shutil.copytree(randomly_coded, root)
    project = Project.open(root)
    tid = next(iter(project.index.ids()))
    before = SpanCache(project)
    old_starts, _ = before.spans(tid, "sentence")
    before.save()
    entry = project.index.get(tid)
    source = root / entry.path
    source.write_text(source.read_text(encoding="utf-8").replace("\n\n", "\n\nA new first sentence. ", 1),
                      encoding="utf-8")
    project.close()
    reopened = Project.open(root)
    starts, ends = SpanCache(reopened).spans(tid, "sentence")
    fresh = sentence_spans(reopened.transcript(tid))
    assert len(starts) == len(old_starts) + 1
    assert list(zip(starts.tolist(), ends.tolist())) == fresh
