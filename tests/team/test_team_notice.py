"""The workbench notices when others' work arrived on the remote (issue 17 item 2): a worker fetches
every `[team] check_minutes` and notifies once per new remote head "New work from ...: sync to bring it
in"; nothing runs in a project that is not shared; a failed check is one status line, no notice."""

from __future__ import annotations

import shutil

from qualcode.services.sync import incoming
from qualcode.store.project import Project
from qualcode.tui.app import make_app
from tests.team.test_team import code, qc, team  # noqa: F401 - the fixture


def notices(app) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Team"]


def set_minutes(folder, value: str) -> None:
    with open(folder / "qualcode.toml", "a", encoding="utf-8") as f:
        f.write(f"\n[team]\ncheck_minutes = {value}\n")


async def check(app, pilot) -> None:
    app.check_team()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_others_work_is_noticed_once_per_arrival_and_the_folder_is_untouched(team):  # noqa: F811
    project = Project.open(team["ben"], search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "every 5 min" in app.team_status  # the default interval
        await check(app, pilot)
        assert notices(app) == [] and app.team_status == "nothing new from the team"

        code(team["ana-laptop"], "community empowerment network")
        qc(team["ana-laptop"], "--coder", "ana", "sync")
        await check(app, pilot)
        said = notices(app)
        assert len(said) == 1 and "New work from ana-laptop (codings of ana)" in said[0], said
        assert "sync to bring it in" in said[0] and "Sync with the team" in said[0]
        assert not (team["ben"] / "codings" / "ana.jsonl").exists()  # only fetched: the folder is as it was
        await check(app, pilot)
        assert len(notices(app)) == 1  # the same arrival is not announced twice

        qc(team["lead"], "codebook", "add", "funding", "Funding")
        qc(team["lead"], "--coder", "lead", "sync")
        await check(app, pilot)
        said = notices(app)
        assert len(said) == 2 and "ana-laptop, lead" in said[1] and "the codebook" in said[1], said

        app.action_sync()  # brought in: the next check has nothing to say
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await check(app, pilot)
        assert len(notices(app)) == 2 and app.team_status == "nothing new from the team"
    project.close()


async def test_a_tiny_interval_checks_by_itself(team):  # noqa: F811
    set_minutes(team["ben"], "0.001")
    code(team["ana-laptop"], "two years")
    qc(team["ana-laptop"], "--coder", "ana", "sync")
    project = Project.open(team["ben"], search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        for _ in range(400):  # until the timer's check has run (bounded; no time is asserted)
            if notices(app):
                break
            await pilot.pause(0.05)
        assert notices(app) and "New work from ana-laptop" in notices(app)[0]
    project.close()


async def test_a_failed_check_is_one_status_line_not_a_notice(team, tmp_path):  # noqa: F811
    shutil.move(str(tmp_path / "study.git"), str(tmp_path / "moved.git"))  # the remote is gone
    project = Project.open(team["ben"], search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await check(app, pilot)
        await check(app, pilot)
        assert app.team_status.startswith("could not check for the team's work: git fetch failed")
        assert [n for n in app._notifications if n.severity == "error" or n.title == "Team"] == []
        assert app.desk.session is not None and not app.desk.read_only  # coding goes on
    project.close()


async def test_no_check_when_not_shared_or_switched_off(team, tmp_path):  # noqa: F811
    lonely = tmp_path / "lonely"
    qc(tmp_path, "init", str(lonely))
    assert incoming(lonely, "codings", "codebooks/codebook.yaml") is None  # no git: nothing is run
    solo = tmp_path / "solo"
    qc(tmp_path, "init", "--git", str(solo))  # a repository without a remote
    assert incoming(solo, "codings", "codebooks/codebook.yaml") is None
    set_minutes(team["ben"], "0")
    for folder, words in ((lonely, "not shared"), (solo, "not shared"), (team["ben"], "check_minutes = 0")):
        project = Project.open(folder, search=False)
        app = make_app(project, "ben")
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert words in app.team_status
            assert not [t for t in app._timers if getattr(t, "name", "") == "team-check"]
        project.close()


async def test_a_bad_interval_is_a_clear_notice(team):  # noqa: F811
    set_minutes(team["ben"], '"often"')
    project = Project.open(team["ben"], search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [n.message for n in app._notifications if n.severity == "error"]
        assert any("[team] check_minutes must be a number" in m and "qualcode.toml" in m for m in said), said
    project.close()
