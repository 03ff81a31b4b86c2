"""The bundled study (issue 3): the repository root is a clean project whose codings agree with the
report's published findings for the nine LSPs interviewed in depth. Counts come from the codings."""

import csv
import json
import subprocess
import sys
from collections import defaultdict

import pytest

from qualcode.store.project import Project
from tests.conftest import REPO


@pytest.fixture(scope="module")
def study():
    return Project.open(REPO, search=False)


@pytest.fixture(scope="module")
def coded_in(study):
    """code id -> set of transcripts where researcher_a (who coded all nine) applied it."""
    out = defaultdict(set)
    for c in study.codings("researcher_a"):
        out[c.code].add(c.transcript)
    return out


def test_check_is_clean_and_stats_as_promised(tmp_path, study_copy):
    proc = subprocess.run([sys.executable, "-m", "qualcode", "check", "--project", study_copy],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    stats = json.loads(subprocess.run([sys.executable, "-m", "qualcode", "stats", "--json", "--project", study_copy],
                                      capture_output=True, text=True, check=True).stdout)
    assert stats["transcripts"] == 9 and stats["coders"] == 2 and stats["codes"] >= 25
    assert stats["code_levels"] >= 3
    assert stats["by_coder"]["researcher_a"]["transcripts"] == 9
    assert stats["by_coder"]["researcher_b"]["transcripts"] == 5


def test_transcripts_are_labelled_illustrative_and_sized(study):
    formats = set()
    for entry in study.index:
        t = study.transcript(entry.id)
        assert t.metadata.get("illustrative") in (True, "true"), entry.id
        assert "illustrative" in t.text[:400].lower(), entry.id
        assert 2500 <= entry.words <= 4500, (entry.id, entry.words)
        roles = {turn.role for turn in t.turns}
        assert {"interviewer", "respondent"} <= roles, entry.id
        formats.add(entry.format)
    assert {"docx", "otter", "zoom-vtt"} <= formats and "text" in formats


def test_codebook_is_complete(study):
    book = study.codebook
    assert len(book) >= 25 and max(book.depth(c.id) for c in book.codes) >= 2
    for c in book.codes:
        assert c.definition and c.include and c.exclude and c.examples and c.keywords and c.colour, c.id
    assert len(book.by_shortcut()) >= 10


def test_density_of_researcher_a(study):
    for entry in study.index:
        n = len(study.codings("researcher_a").for_transcript(entry.id))
        assert 60 <= entry.words / n <= 150, (entry.id, entry.words / n)


def test_published_findings_for_the_nine_from_the_codings(coded_in):
    # only four of the nine work within the local authority's equalities framework
    assert len(coded_in["statutory.framework.within"]) == 4
    assert coded_in["statutory.framework.within"].isdisjoint(coded_in["statutory.framework.outside"])
    assert len(coded_in["statutory.framework.within"] | coded_in["statutory.framework.outside"]) == 9
    # only one had an open recruitment process for some core places
    assert len(coded_in["recruitment.open"]) == 1
    # none monitored retention by ethnic background; only one monitored retention at all
    assert len(coded_in["recruitment.retention.by_ethnicity"]) == 0
    assert len(coded_in["recruitment.retention.monitored"]) == 1
    # only a small minority monitored ethnicity when allocating NRF
    assert 1 <= len(coded_in["nrf.monitoring.yes"]) <= 2
    # most thought outcomes mattered, not who received NRF
    assert len(coded_in["outcomes.matter"]) >= 5
    assert len(coded_in["outcomes.matter"] - coded_in["outcomes.who_benefits"]) >= 5
    # a mix of PMF situations, each LSP in exactly one
    pmf = [coded_in["pmf.published"], coded_in["pmf.on_request"], coded_in["pmf.none"]]
    assert all(pmf) and sum(len(s) for s in pmf) == 9 and len(set().union(*pmf)) == 9
    # most did not monitor members by ethnic origin
    assert len(coded_in["monitoring.none"]) > len(coded_in["monitoring.core_wider"] | coded_in["monitoring.board_only"]
                                                  | coded_in["monitoring.subgroups_only"])


def test_cases_file_agrees_with_the_codings(coded_in):
    rows = {r["transcript"]: r for r in csv.DictReader(open(REPO / "cases.csv", encoding="utf-8"))}
    assert len(rows) == 9
    within = {t for t, r in rows.items() if r["equality_framework"] == "within"}
    assert within == coded_in["statutory.framework.within"]
    assert {t for t, r in rows.items() if r["open_recruitment"] == "yes"} == coded_in["recruitment.open"]
    assert {t for t, r in rows.items() if r["nrf_ethnicity_monitoring"] == "yes"} == coded_in["nrf.monitoring.yes"]
    assert {t for t, r in rows.items() if r["pmf_status"] == "published"} == coded_in["pmf.published"]


def test_no_real_place_names_in_transcripts():
    places = ["Birmingham", "Manchester", "Leeds", "Bradford", "Leicester", "Liverpool", "Sheffield", "Bristol",
              "Newcastle", "Tower Hamlets", "Newham", "Brent", "Oldham", "Luton", "Slough", "Kent", "Yorkshire"]
    for path in (REPO / "transcripts").iterdir():
        if path.suffix == ".docx":
            continue
        text = path.read_text(encoding="utf-8")
        for place in places:
            assert place not in text, (path.name, place)


def test_two_coders_agree_well_but_not_perfectly(study):
    """Krippendorff's alpha between 0.6 and 0.85 on most codes, lower on a few (sentences as units)."""
    from qualcode.reliability.report import agreement_report

    report = agreement_report(study, ["researcher_a", "researcher_b"], "sentence", n_resamples=0)
    alphas = [r.alpha if r.alpha is not None else 0.0 for r in report.rows if r.scope == "code"]
    in_band = sum(0.6 <= a <= 0.85 for a in alphas)
    below = sum(a < 0.6 for a in alphas)
    assert in_band > len(alphas) / 2, (in_band, len(alphas))
    assert 1 <= below <= len(alphas) // 5
    pooled = report.overall[0]
    assert 0.6 <= pooled.alpha <= 0.85
