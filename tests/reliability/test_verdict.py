"""Honest verdicts: the interval and the amount of data decide, not the point estimate; the CLI,
the workbench and the Word report show the same verdict."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from qualcode.reliability.clusters import char_clusters, cluster_bootstrap, cluster_counts
from qualcode.reliability.report import agreement_report, agreement_table
from qualcode.reliability.verdict import minimum_units, verdict


def test_minimum_sample_matches_krippendorffs_table():
    # Krippendorff (2019) / ATLAS.ti: 4 equally likely values (p_c = .25), two coders, p = .05:
    # 139 units for alpha_min = .800 and 81 for .667.
    assert np.ceil(minimum_units(0.25, alpha_min=0.800)) == 139
    assert np.ceil(minimum_units(0.25)) == 81
    assert minimum_units(0.0) == float("inf")


@pytest.mark.parametrize("alpha, low, n, p_c, expected", [
    (1.0, 0.0, 1113, 2 / 2226, "insufficient data (n = 1,113, needs"),  # one coded sentence per coder
    (1.0, 0.0, 5, 0.4, "insufficient data (n = 5, needs 63)"),  # transcripts as units
    (0.9, 0.82, 500, 0.3, "reliable"),
    (0.9, 0.70, 500, 0.3, "tentative"),
    (0.75, 0.55, 500, 0.3, "inconclusive"),
    (0.6, 0.40, 500, 0.3, "below .667"),
    (0.9, None, 500, 0.3, "reliable (no interval)"),
    (None, None, 500, 0.3, ""),
])
def test_verdict_rule(alpha, low, n, p_c, expected):
    assert verdict(alpha, low=low, n_units=n, p_c=p_c).startswith(expected)


def test_cluster_bootstrap_is_wider_than_treating_characters_as_independent():
    rng = np.random.default_rng(3)
    # 200 sentences of 100 characters; each coder codes whole sentences, agreeing on 85%
    truth = rng.random(200) < 0.3
    other = np.where(rng.random(200) < 0.85, truth, ~truth)
    present = np.vstack([np.repeat(truth, 100), np.repeat(other, 100)])
    starts = np.arange(0, 20_000, 100)
    cluster = char_clusters(starts, 20_000)
    assert cluster[0] == 0 and cluster[99] == 0 and cluster[100] == 1 and cluster[-1] == 199
    by_sentence, = cluster_bootstrap([cluster_counts(present, cluster, 200)], 2, n_resamples=2000, seed=1)
    by_char, = cluster_bootstrap([cluster_counts(present, np.arange(20_000), 20_000)], 2, n_resamples=2000, seed=1)
    assert by_sentence.high - by_sentence.low > 5 * (by_char.high - by_char.low)
    assert by_sentence.low < by_char.low
    assert 0 <= by_sentence.p_below[0.8] <= 1


def test_report_rows_use_the_verdict_and_say_the_clusters(study_copy):
    from qualcode.store.project import Project

    project = Project.open(study_copy)
    report = agreement_report(project, ["researcher_a", "researcher_b"], "char", n_resamples=300)
    assert report.bootstrap["clusters"] == "sentences" and report.bootstrap["n_clusters"] > 1000
    assert "cluster bootstrap interval that resamples whole sentences" in report.methods()
    pooled = report.overall[0]
    assert pooled.alpha_high - pooled.alpha_low > 0.03  # not 0.665 to 0.675
    outcomes = next(r for r in agreement_report(project, ["researcher_a", "researcher_b"], "sentence",
                                                n_resamples=300).rows if r.code == "outcomes")
    assert outcomes.alpha == 1.0 and outcomes.assessment.startswith("insufficient data (n = ")
    transcripts = agreement_report(project, ["researcher_a", "researcher_b"], "transcript", n_resamples=300)
    assert not any(r.assessment == "reliable" for r in transcripts.rows)
    table = agreement_table(project, ["researcher_a", "researcher_b"], "sentence", n_resamples=300)
    sentence = agreement_report(project, ["researcher_a", "researcher_b"], "sentence", n_resamples=300)
    assert list(table["Assessment"]) == [r.assessment for r in sentence.rows + sentence.overall]
    project.close()


def test_cli_json_and_table_show_the_same_verdict(study_copy):
    args = [sys.executable, "-m", "qualcode", "agree", "--unit", "sentence", "--resamples", "300"]
    data = json.loads(subprocess.run(args + ["--json"], capture_output=True, text=True, cwd=study_copy).stdout)
    text = subprocess.run(args, capture_output=True, text=True, cwd=study_copy).stdout
    row = next(r for r in data["codes"] if r["code"] == "outcomes")
    assert row["assessment"].startswith("insufficient data")
    line = next(x for x in text.splitlines() if x.startswith("outcomes "))
    assert row["assessment"] in line
    assert "Verdict: insufficient data when" in text


def test_grouped_cluster_draws_match_naive_resampling():
    """Identical clusters are grouped before drawing; the interval matches drawing clusters one by one."""
    rng = np.random.default_rng(11)
    present = rng.random((2, 300)) < 0.2
    present[1] = np.where(rng.random(300) < 0.8, present[0], present[1])
    stats = cluster_counts(present, np.arange(300), 300)
    grouped, = cluster_bootstrap([stats], 2, n_resamples=4000, seed=2)
    naive = []
    for _ in range(4000):
        pick = rng.integers(0, 300, 300)
        u, n1, o = stats[pick].sum(axis=0)
        n = 2 * u
        naive.append(1 - (2 * o / n) / (2 * (n - n1) * n1 / (n * (n - 1))))
    low, high = np.quantile(naive, [0.025, 0.975])
    assert grouped.low == pytest.approx(low, abs=0.03) and grouped.high == pytest.approx(high, abs=0.03)


def test_word_report_shows_the_same_verdicts(study_copy, tmp_path):
    """The Word report's agreement table carries the CLI's verdicts, word for word."""
    import docx

    out = tmp_path / "report.docx"
    proc = subprocess.run([sys.executable, "-m", "qualcode", "export", "docx", "-o", str(out)],
                          capture_output=True, text=True, cwd=study_copy)
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(subprocess.run([sys.executable, "-m", "qualcode", "agree", "--json"], capture_output=True,
                                    text=True, cwd=study_copy).stdout)
    expected = [r["assessment"] or "" for r in cli["codes"] + cli["overall"]]
    for table in docx.Document(str(out)).tables:
        header = [c.text for c in table.rows[0].cells]
        if "Assessment" in header:
            col = header.index("Assessment")
            got = [row.cells[col].text for row in table.rows[1:]]
            assert got == expected
            assert any(v.startswith("insufficient data") for v in got)
            break
    else:
        pytest.fail("no agreement table with an Assessment column in the Word report")


async def test_workbench_agreement_screen_shows_the_same_verdicts(study_copy):
    from textual.app import App
    from textual.widgets import DataTable

    from qualcode.store.project import Project
    from qualcode.tui.screens.agreement import AgreementScreen

    project = Project.open(study_copy)
    screen = AgreementScreen(project, ["researcher_a", "researcher_b"])

    class Host(App):
        def on_mount(self):
            self.push_screen(screen)

    app = Host()
    async with app.run_test(size=(200, 60)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        codes = screen.query_one("#codes", DataTable)
        col = [str(c.label) for c in codes.columns.values()].index("assessment")
        shown = [str(codes.get_row_at(i)[col]) for i in range(codes.row_count)]
    expected = [r.assessment for r in agreement_report(project, ["researcher_a", "researcher_b"], "sentence").rows]
    assert shown[:len(expected)] == expected and any(v.startswith("insufficient data") for v in shown)
    project.close()
