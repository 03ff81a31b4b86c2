"""`qualcode codebook resolve CODE FIELD --take NAME`: a field changed on three machines is settled by
whose value to keep, any value the conflict lists (the third machine's too), and `check`, the sync's
note, the list and the workbench offer each by name (was: edit the field by hand, then take mine)."""

from __future__ import annotations

import json

from qualcode.store.codebook_merge import open_conflicts
from qualcode.store.project import Project
from tests.team.test_sync_three_ways import notes, three_ways
from tests.team.test_team import qc, team  # noqa: F401 - the fixture

BOOK = "codebooks/codebook.yaml"


def definition(machine) -> str:
    return json.loads(qc(machine, "codebook", "show", "theme", "--json").stdout)["definition"]


def test_the_third_value_is_taken_by_name(team):  # noqa: F811
    said = notes(three_ways(team))
    (note,) = [n for n in said if n.startswith("codebook conflict on definition of code theme")]
    assert "`--take ben` takes ben's" in note and "codebook edit" not in note, note
    ana = team["ana-laptop"]
    check = qc(ana, "check", check=False)
    assert "ben's was \"Ben's wording.\" (to take it: `--take ben`)" in check.stdout + check.stderr
    listed = qc(ana, "codebook", "resolve").stdout
    assert ("theme definition: ana's \"Ana's wording.\" (kept, --take ana) · lead's \"Lead's wording.\" "
            "(--take lead) · ben's \"Ben's wording.\" (--take ben)") in listed, listed
    done = qc(ana, "codebook", "resolve", "theme", "definition", "--take", "ben").stdout
    assert "took ben's \"Ben's wording.\"; no conflicts left" in done, done
    assert definition(ana) == "Ben's wording."
    assert "changed 3 ways" not in qc(ana, "check", check=False).stdout
    assert "undone" in qc(ana, "codebook", "undo").stdout  # one undoable change, as theirs is
    assert definition(ana) == "Ana's wording."


def test_a_name_of_the_two_sides_and_mine_theirs_still_work(team):  # noqa: F811
    three_ways(team)
    ana = team["ana-laptop"]
    assert "took lead's" in qc(ana, "codebook", "resolve", "theme", "definition", "--take", "LEAD").stdout
    assert definition(ana) == "Lead's wording."
    assert not open_conflicts(ana / BOOK) or "no codebook conflicts" in qc(ana, "codebook", "resolve").stdout


def test_an_unknown_name_is_refused_naming_the_choices(team):  # noqa: F811
    three_ways(team)
    ana = team["ana-laptop"]
    proc = qc(ana, "codebook", "resolve", "theme", "definition", "--take", "zed", check=False)
    assert proc.returncode == 2 and "not 'zed'" in proc.stderr, proc.stderr
    assert "`--take ben` (\"Ben's wording.\")" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert "Ana's wording." == definition(ana)


async def test_the_workbench_offers_the_third_value(team):  # noqa: F811
    from qualcode.tui.app import make_app
    from qualcode.tui.screens.conflicts import ConflictsDialog

    three_ways(team)
    project = Project.open(team["ana-laptop"], search=False)
    app = make_app(project, "ana")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        app.push_screen(ConflictsDialog())  # what the palette's "Codebook conflicts" opens
        await pilot.pause()
        options = app.screen.query_one("OptionList")
        shown = str(options.get_option_at_index(0).prompt)
        assert "3:      ben's \"Ben's wording.\"" in shown, shown
        await pilot.press("3")
        await pilot.pause()
        assert app.desk.codebook.get("theme").definition == "Ben's wording."
        assert not isinstance(app.screen, ConflictsDialog)
        said = [n.message for n in app._notifications if n.title == "Codebook conflict"]
        assert any("took ben's" in m for m in said), said
    project.close()
