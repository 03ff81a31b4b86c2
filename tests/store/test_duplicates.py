"""An exact duplicate coding (same coder, code and span in the same transcript) is refused, never
counted twice: ``add`` raises with a clear message, ``add_many`` and ``code import`` leave duplicates
out and say how many, the CLI exits 2 naming the transcript, code and span."""

from __future__ import annotations

import pytest

from qualcode.store.project import DuplicateCodingError
from tests.cli.test_cli import run
from tests.conftest import INTERVIEW


def _lines(project, coder):
    return (project.codings_dir / f"{coder}.jsonl").read_text(encoding="utf-8").splitlines()


def test_add_refuses_an_exact_duplicate_and_writes_nothing(project):
    s = project.session("ann")
    first = s.add("int-1", 10, 40, "theme")
    before = _lines(project, "ann")
    with pytest.raises(DuplicateCodingError) as err:
        s.add("int-1", 10, 40, "A first theme")  # the code's name resolves to the same code
    message = str(err.value)
    assert "int-1" in message and "10-40" in message and "theme" in message and first.id in message
    assert _lines(project, "ann") == before
    assert len(s.codings) == 1
    # what is not a duplicate is still accepted: another code, another span, another coder
    s.add("int-1", 10, 40, "theme.sub")
    s.add("int-1", 10, 41, "theme")
    project.session("bea").add("int-1", 10, 40, "theme")
    assert len(s.codings) == 3 and len(project.codings("bea")) == 1


def test_a_removed_coding_can_be_made_again_and_undo_restores_the_state(project):
    s = project.session("ann")
    c = s.add("int-1", 5, 25, "theme")
    s.remove(c.id)
    again = s.add("int-1", 5, 25, "theme")  # the check follows the current codings
    s.undo()
    assert s.codings.get(again.id) is None
    s.add("int-1", 5, 25, "theme")
    with pytest.raises(DuplicateCodingError):
        s.add("int-1", 5, 25, "theme")


def test_the_check_uses_the_session_state_not_a_replay(project, monkeypatch):
    s = project.session("ann")
    s.add("int-1", 0, 12, "theme")
    import qualcode.store.journal as journal
    import qualcode.store.project as project_module

    def no_replay(*a, **k):
        raise AssertionError("the journal was replayed")

    monkeypatch.setattr(journal, "replay", no_replay)
    monkeypatch.setattr(project_module, "replay", no_replay)
    with pytest.raises(DuplicateCodingError):
        s.add("int-1", 0, 12, "theme")
    s.add("int-1", 0, 13, "theme")


def test_add_many_leaves_duplicates_out_and_says_how_many(project):
    s = project.session("ann")
    s.add("int-1", 10, 40, "theme")
    n_before = len(_lines(project, "ann"))
    added = s.add_many([("int-1", 10, 40, "theme"),      # already coded
                        ("int-1", 50, 60, "theme"),
                        ("int-1", 50, 60, "theme"),      # twice in the same call
                        ("int-1", 50, 60, "theme.sub")])
    assert added.skipped == 2
    assert sorted((c.start, c.end, c.code) for c in added) == [(50, 60, "theme"), (50, 60, "theme.sub")]
    assert len(_lines(project, "ann")) == n_before + 1  # one batch line, one undo step
    assert len(s.codings) == 3
    nothing = s.add_many([("int-1", 50, 60, "theme")])
    assert list(nothing) == [] and nothing.skipped == 1
    assert len(_lines(project, "ann")) == n_before + 1  # nothing written when everything was a duplicate


def _cli_project(tmp_path):
    """A project made with the CLI itself: init, then import the one interview."""
    proj = tmp_path / "s"
    run("init", proj, check=0)
    src = tmp_path / "int-1.txt"
    src.write_text(INTERVIEW, encoding="utf-8")
    run("import", src, "--project", proj, check=0)
    return proj


def test_cli_code_add_twice_exits_2_naming_transcript_code_and_span(tmp_path):
    proj = _cli_project(tmp_path)
    args = ("--coder", "ann", "--project", proj, "code", "add", "int-1", "theme", "--quote", "We monitor ethnicity")
    run(*args, check=0)
    again = run(*args, check=2)
    assert "Traceback" not in again.stderr
    assert "int-1" in again.stderr and "theme" in again.stderr and "already coded" in again.stderr
    assert "-" in again.stderr.split("int-1", 1)[1].split("is already", 1)[0]  # the span, start-end
    listed = run("--coder", "ann", "--project", proj, "code", "list", "--json", check=0).stdout
    assert listed.count('"code": "theme"') == 1


def test_code_import_skips_rows_already_coded_and_says_how_many(tmp_path):
    proj = _cli_project(tmp_path)
    run("--coder", "ann", "--project", proj, "code", "add", "int-1", "theme", "--quote",
        "We monitor ethnicity on the board", check=0)
    table = tmp_path / "segments.csv"
    table.write_text("transcript,code,text\n"
                     "int-1,theme,We monitor ethnicity on the board\n"      # already coded
                     "int-1,theme,It took us two years to get there\n"
                     "int-1,theme,It took us two years to get there\n",    # repeated in the table
                     encoding="utf-8")
    out = run("--coder", "ann", "--project", proj, "code", "import", table, check=0)
    assert "1 placed" in out.stdout and "2 already coded" in out.stdout
    listed = run("--coder", "ann", "--project", proj, "code", "list", "--json", check=0).stdout
    assert listed.count('"code": "theme"') == 2


async def test_workbench_says_a_duplicate_was_not_saved(project):
    """Any path of the workbench that reaches ``add`` (here the desk, as the suggestions' accept does)
    gets a notification, not a crash, and the journal keeps one coding."""
    from qualcode.tui.app import make_app

    app = make_app(project, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.commit(lambda: app.desk.apply("int-1", 10, 40, "theme")) is not None
        assert app.commit(lambda: app.desk.apply("int-1", 10, 40, "theme")) is None
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("int-1 10-40 is already coded theme" in m for m in said), said
    assert len(_lines(project, "ann")) == 1
