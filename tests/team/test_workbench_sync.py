"""The workbench's sync action (command palette: "Sync with the team"): others' work arrives and is
shown, the coder's own is pushed, and coding goes on afterwards."""

from __future__ import annotations

from qualcode.store.project import Project
from qualcode.tui.app import make_app
from tests.team.test_sync_follow import recoded_here_removed_there
from tests.team.test_team import code, qc, team  # noqa: F401 - the fixture


async def synced(app, pilot) -> list[str]:
    """Sync, then wait (by state, not time) until the sync has reported and the journal is open again."""
    app.action_sync()
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        done = [n for n in app._notifications if n.title == "Sync" and not n.message.startswith("Syncing")]
        if done and app.desk.ready and not any(not w.is_finished for w in app.workers):
            return [n.message for n in app._notifications]
    raise AssertionError([(n.title, n.message) for n in app._notifications])


async def test_sync_from_the_workbench_brings_the_others_work(team):  # noqa: F811
    arrived = code(team["ana-laptop"], "community empowerment network")
    qc(team["ana-laptop"], "--coder", "ana", "sync")
    mine = code(team["ben"], "two years")
    project = Project.open(team["ben"], search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Sync with the team" in [c.title for c in app.get_system_commands(app.screen)]
        said = await synced(app, pilot)
        assert any("Arrived from ana-laptop" in m and "ana: 1 coding added" in m for m in said), said
        assert arrived in {c.id for c in app.desk.project.codings("ana")}
        assert app.desk.session is not None and not app.desk.read_only  # coding goes on
        app.desk.session.add("int-1", 0, 11, "theme")
    project.close()
    qc(team["ana-laptop"], "--coder", "ana", "sync")
    ids = {c.id for c in Project.open(team["ana-laptop"], search=False).codings("ben")}
    assert mine in ids  # ben's coding, pushed by the workbench's sync, reached ana's laptop


async def test_a_codebook_conflict_that_arrived_is_shown_in_the_workbench(team):  # noqa: F811
    qc(team["lead"], "codebook", "edit", "theme", "--definition", "Lead's wording.")
    qc(team["lead"], "--coder", "lead", "sync")
    qc(team["ben"], "codebook", "edit", "theme", "--definition", "Ben's wording.")
    project = Project.open(team["ben"], search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        # asked at once, while the journal is still being opened: the sync waits for it
        await synced(app, pilot)
        said = [n.message for n in app._notifications if n.title == "Codebook conflict"]
        assert said and "Lead's wording." in said[0] and "Ben's wording." in said[0]
        assert app.desk.codebook.get("theme").definition == "Ben's wording."  # ours kept until the user chooses
    project.close()


async def test_the_sync_notes_are_shown_in_the_workbench(team):  # noqa: F811
    """A removal that stood over a recode made on the other machine is said in the workbench too
    (before, only `qualcode sync` in a terminal said it), and a sync with nothing to push says so."""
    kept = recoded_here_removed_there(team)
    project = Project.open(team["ana-laptop"], search=False)
    app = make_app(project, "ana")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        said = await synced(app, pilot)
        assert any(kept in m and "removed" in m for m in said), said
        app._notifications.clear()
        again = await synced(app, pilot)
        assert any("Nothing to push." in m for m in again), again
    project.close()


async def test_the_workbench_syncs_after_a_decision_on_the_agreement_screen(team):  # noqa: F811
    """A disagreement settled on the agreement screen keeps the consensus journal open in this very
    workbench: the sync stopped on "consensus's journal is open in another qualcode" until one quit."""
    ben = team["ben"]
    project = Project.open(ben, search=False)
    app = make_app(project, "ben")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        settled = project.session("consensus").add("int-1", 0, 11, "theme")  # what the screen's decision does
        said = await synced(app, pilot)
        assert not any("open in another qualcode" in m for m in said), said
        assert any("Pushed." in m for m in said), said
        assert project.session("consensus").codings.get(settled.id) is not None  # reopened at the next decision
    project.close()
    qc(team["lead"], "--coder", "lead", "sync")
    assert settled.id in {c.id for c in Project.open(team["lead"], search=False).codings("consensus")}
