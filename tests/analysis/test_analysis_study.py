"""The bundled study's published figures, reproduced from its codings (on a copy of the study)."""

from __future__ import annotations

import json

import pytest

from qualcode.analysis import crosstab, framework_matrix, frequencies, retrieve, standard_tables
from qualcode.cli.main import main
from qualcode.store.project import Project


@pytest.fixture
def study(study_copy):
    if not (study_copy / "codings" / "researcher_a.jsonl").exists():
        pytest.skip("the bundled study has no codings yet")
    project = Project.open(study_copy, search=False)
    yield project
    project.close()


def _transcripts_with(project, code: str) -> set[str]:
    return {c.transcript for c in project.codings("researcher_a") if c.code == code}


def test_the_codings_carry_the_published_counts(study):
    assert len(_transcripts_with(study, "statutory.framework.within")) == 4
    assert len(_transcripts_with(study, "recruitment.open")) == 1
    assert len(study.codings("researcher_a").transcripts()) == 9


def test_four_of_nine_work_within_the_equalities_framework(study):
    t = crosstab(study, "statutory.framework", "attr:equality_framework")
    assert t.loc["statutory.framework.within", ["within", "outside", "Total"]].tolist() == [4, 0, 4]
    assert t.loc["statutory.framework.outside", ["within", "outside", "Total"]].tolist() == [0, 5, 5]
    assert t.loc["Total", ["within", "outside", "Total"]].tolist() == [4, 5, 9]
    assert t.loc["statutory.framework.within", "within %"] == 100.0
    assert "researcher_a (the project's default coder)" in t.attrs["caption"]
    codes_only = crosstab(study, "statutory.framework")
    assert codes_only.loc["statutory.framework.within", "Total"] == 4
    assert codes_only.loc["statutory.framework.within", "Total %"] == 44.4
    assert codes_only.loc["Total", "Total"] == 9


def test_one_of_nine_has_open_recruitment(study):
    t = crosstab(study, "recruitment")
    assert t.loc["recruitment.open", "Total"] == 1 and t.loc["Total", "Total"] == 9
    by_attr = crosstab(study, "recruitment", "attr:open_recruitment")
    assert by_attr.loc["recruitment.open", ["yes", "no"]].tolist() == [1, 0]
    assert by_attr.loc["Total", ["yes", "no"]].tolist() == [1, 8]
    assert by_attr.loc["recruitment.nomination", "no"] == 8


def test_frequencies_follow_the_case_table(study):
    f = frequencies(study)
    transcripts = f["transcripts"]
    assert transcripts["monitoring.core_wider"] == 2
    assert transcripts["monitoring.board_only"] == 1 and transcripts["monitoring.subgroups_only"] == 1
    assert transcripts["monitoring.none"] == 5
    assert (transcripts["pmf.published"], transcripts["pmf.on_request"], transcripts["pmf.none"]) == (1, 4, 4)
    assert transcripts["nrf.monitoring.yes"] == 2 and transcripts["outcomes.matter"] == 7
    assert len(f) == len(study.codebook)


def test_other_tables_on_the_study(study):
    for t in standard_tables(study):
        assert not t.empty and t.attrs["caption"]
    r = retrieve(study, "recruitment.open")
    assert set(r["case"]) == {"LSP C"} and set(r["open_recruitment"]) == {"yes"}
    assert r["attribution"].str.startswith("(LSP C, ").all()
    fm = framework_matrix(study, codes="statutory.framework")
    for case, row in fm.attrs["quotes"].items():
        for code, quotes in row.items():
            assert len(quotes) == len(fm.attrs["attributions"][case][code]) <= 2


def test_cli_reproduces_the_figures(study, capsys):
    with pytest.raises(SystemExit) as done:
        main(["--project", str(study.root), "table", "crosstab", "--rows", "statutory.framework",
              "--cols", "attr:equality_framework", "--json"])
    assert done.value.code == 0
    data = json.loads(capsys.readouterr().out)
    within = next(r for r in data["rows"] if r["id"] == "statutory.framework.within")
    assert (within["within"], within["outside"]) == (4, 0)
    assert within["code"] == study.codebook.get("statutory.framework.within").name
    with pytest.raises(SystemExit) as done:
        main(["--project", str(study.root), "table", "crosstab", "--rows", "recruitment"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("recruitment.open"))
    assert line.split()[0] == "recruitment.open" and line.split()[-2:] == ["1", "11.1"]
    assert study.codebook.get("recruitment.open").name in line
