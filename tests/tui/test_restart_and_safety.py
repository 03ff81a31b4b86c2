"""Restart keeps codings and the undo history; errors are notifications; a second instance is read-only."""

from __future__ import annotations

import os

from qualcode.errors import JournalError
from qualcode.store.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.dialogs import MessageDialog
from qualcode.tui.widgets.coding_list import CodingList
from qualcode.tui.widgets.status import StatusLine
from tui_helpers import journal, notes, settle, span_of


async def test_code_quit_reopen_highlight_and_undo_history_survive(study):
    root = study.root
    a = span_of(study, "int-1", "We monitor ethnicity")
    b = span_of(study, "int-1", "The outcomes matter")
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        screen = app.screen
        screen.view.select(*a)
        await pilot.press("1")
        screen.view.select(*b)
        await pilot.press("b")
        await pilot.press("q")  # quit
        await pilot.pause()
    assert app.return_code == 0
    study.close()

    reopened = Project.open(root)
    try:
        app = make_app(reopened, "ann")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.open_transcript("int-1")
            await pilot.pause()
            screen = app.screen
            assert [s.code for s in screen.index.at(a[0])] == ["theme"]  # the highlight is back
            assert [s.code for s in screen.index.at(b[0])] == ["barrier"]
            await pilot.press("u")  # the undo history came back from the journal
            await pilot.pause()
            assert screen.index.at(b[0]) == [] and len(screen.index) == 1
            await pilot.press("u")
            await pilot.pause()
            assert len(app.desk.codings) == 0
        assert [r["op"] for r in journal(reopened, "ann")] == ["add", "add", "undo", "undo"]
    finally:
        reopened.close()


async def test_second_instance_for_the_same_coder_is_read_only_and_says_so(study):
    other = Project.open(study.root)
    try:
        other.session("ann")  # "another qualcode" holds ann's journal
        app = make_app(study, "ann")
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, MessageDialog)
            assert "READ-ONLY" in app.screen.body and "another qualcode" in app.screen.body
            await pilot.press("escape")
            assert app.desk.read_only
            assert "READ-ONLY" in str(app.screen.query_one(StatusLine).render())
            app.open_transcript("int-1")
            await pilot.pause()
            app.screen.view.select(*span_of(study, "int-1", "We monitor"))
            await pilot.press("1")
            await pilot.pause()
            assert journal(study, "ann") == []
            assert any(n.startswith("read-only") for n in notes(app))
    finally:
        other.close()


async def test_a_journal_error_is_a_notification_and_nothing_is_shown_as_done(study, monkeypatch):
    app = make_app(study, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        screen = app.screen

        def full_disk(op):
            raise JournalError("not saved: the disk is full", path=app.desk.session.writer.path,
                               hint="free some disk space and do it again; earlier work is safe")

        monkeypatch.setattr(app.desk.session.writer, "append", full_disk)
        screen.view.select(*span_of(study, "int-1", "We monitor"))
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)  # still running
        assert len(app.desk.codings) == 0 and len(screen.index) == 0
        assert any("disk is full" in n and "What to do" in n for n in notes(app))
        assert "journal line" not in str(screen.query_one(StatusLine).render())


async def test_a_broken_codebook_opens_with_a_notification(study):
    path = study.codebook_path
    # (a reserved shortcut is only a warning now: the codebook loads; an unknown parent is an error)
    path.write_text("codes:\n  - id: a\n    name: A\n    parent: nowhere\n", encoding="utf-8")
    project = Project.open(study.root)
    try:
        app = make_app(project, "ann")
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(app, pilot)
            messages = notes(app)
            assert any("nowhere" in n and "What to do" in n for n in messages)
            app.open_transcript("int-1")
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)
    finally:
        project.close()


async def test_a_coding_whose_transcript_changed_is_flagged(study):
    s = study.session("ann")
    s.add("int-1", *span_of(study, "int-1", "We monitor ethnicity"), "theme")
    study.close()
    src = study.root / study.index.get("int-1").path
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace("I chair the community", "I have chaired, for a while now, the community"),
                   encoding="utf-8")
    os.utime(src, ns=(1, 1))
    project = Project.open(study.root)
    try:
        app = make_app(project, "ann")
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(app, pilot)
            app.open_transcript("int-1")
            await pilot.pause()
            screen = app.screen
            [shown] = screen.index.flagged()
            assert shown.status == "moved"
            assert project.transcript("int-1").text[shown.start:shown.end] == "We monitor ethnicity"
            assert any("earlier version of this transcript" in n for n in notes(app))
            row = "".join(seg.text for seg in screen.query_one(CodingList).row_segments(0, 80))
            assert "⚠moved" in row
    finally:
        project.close()


async def test_a_transcript_reopens_where_the_coder_left_it(study):
    """Leaving a transcript and opening it again, even after a restart, goes back to the same place."""
    root = study.root
    text = study.transcript("int-1").text
    at = text.rindex("The outcomes matter")
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(app, pilot)
        app.open_transcript("int-1")
        await pilot.pause()
        app.screen.view.move_cursor(at)
        await pilot.press("escape")  # back home
        await pilot.pause()
        app.open_transcript("int-1")
        await pilot.pause()
        assert app.screen.view.cursor == at
        await pilot.press("q")
        await pilot.pause()
    study.close()

    reopened = Project.open(root)
    try:
        for coder, expected in (("ann", at), ("bob", 0)):  # each coder has their own place
            app = make_app(reopened, coder)
            async with app.run_test(size=(80, 12)) as pilot:
                await settle(app, pilot)
                app.open_transcript("int-1")
                await pilot.pause()
                await pilot.pause()
                view = app.screen.view
                assert view.cursor == expected
                line = view.wrap.line_of(view.cursor)
                top = int(view.scroll_y)
                assert top <= line < top + view.scrollable_content_region.height  # and it is on the screen
                await pilot.press("q")
                await pilot.pause()
    finally:
        reopened.close()
