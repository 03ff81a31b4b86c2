"""Unitizing alpha has no interval: its verdict is never read off the point estimate (README: "never
the point estimate alone"), in `qualcode agree`, the workbench's rows and the Word report's table."""

from __future__ import annotations

import pytest

from tests.reliability.test_agree_cli import ok

POINT_VERDICTS = ("reliable", "tentative", "below .667", "inconclusive")


def test_the_verdict_without_a_possible_interval_says_so():
    from qualcode.reliability.verdict import verdict

    assert verdict(0.812, n_codings=3) == "no interval: not judged (n = 3 codings)"
    assert verdict(0.5, n_codings=1) == "no interval: not judged (n = 1 coding)"
    assert verdict(None, n_codings=3) == ""
    # an interval that could have been computed (--resamples 0) still reads the estimate, and says so
    assert verdict(0.812) == "reliable (no interval)"


@pytest.fixture
def unitized(study_copy):
    from qualcode.reliability.report import agreement_report
    from qualcode.store.project import Project

    p = Project.open(study_copy, search=False)
    try:
        yield agreement_report(p, ["researcher_a", "researcher_b"], "unitized")
    finally:
        p.close()


def test_no_unitized_row_is_judged_from_its_point_estimate(unitized):
    rows = unitized.rows + unitized.overall + unitized.by_transcript
    assert rows
    for r in rows:
        if r.alpha is None:
            continue
        assert r.assessment.startswith("no interval: not judged (n = "), (r.code, r.assessment)
        assert not r.assessment.startswith(POINT_VERDICTS)
    few = [r for r in unitized.rows if r.n_codings is not None and r.n_codings <= 4]
    assert few, "the study has codes each coder marked once or twice"
    # the same verdict reaches the JSON and the table the Word report writes
    data = unitized.to_json()
    assert [r["assessment"] for r in data["codes"]] == [r.assessment or None for r in unitized.rows]


def test_the_word_reports_table_carries_the_verdict(unitized):
    from qualcode.reliability.report import agreement_table

    table = agreement_table(None, unitized.coders, "unitized", report=unitized)
    verdicts = table["Assessment"].astype(str)
    assert not verdicts.str.startswith(POINT_VERDICTS).any()
    assert verdicts.str.startswith("no interval: not judged").any()

def test_agree_unitized_prints_no_point_verdict(study_copy):
    out = ok("agree", "--unit", "unitized", cwd=study_copy)
    assert "(no interval)" not in out
    assert "no interval: not judged (n = " in out
