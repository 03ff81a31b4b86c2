"""An outside tester's findings (second round): the coder chosen with ctrl+k is remembered before they
have coded; at 80 columns the status line keeps the place of the last change, the agreement screen
gives each code's assessment in full, and the retrieval header stands over its columns."""

from __future__ import annotations

import getpass

from textual.widgets import DataTable, Label, Static

from qualcode.store.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.agreement import AgreementScreen
from qualcode.tui.screens.retrieval import RetrievalScreen, SegmentList
from qualcode.tui.widgets.status import StatusLine
from test_home_and_screens import seed
from test_tui_s24_coder_memory import quit_after_switching_to
from tui_helpers import opened, settle, span_of, until


async def test_a_coder_chosen_before_coding_is_the_coder_next_time(study, monkeypatch):
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "visitor")
    await quit_after_switching_to(study, "newperson")  # no journal, not in qualcode.toml
    study.close()
    reopened = Project.open(study.root)
    try:
        assert make_app(reopened).desk.coder == "newperson"
    finally:
        reopened.close()


async def test_at_80_columns_the_status_line_keeps_the_place_of_the_last_change(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot)
        code = app.desk.codebook.get("barrier")
        code.name = "Barriers to participation in local strategic partnerships"
        screen.view.select(*span_of(study, "int-1", "We monitor ethnicity on the board"))
        await pilot.press("b")
        await pilot.pause()
        status = str(screen.query_one(StatusLine).render())
        assert "✓ saved (line 1): coded Barrie…" in status  # the code name cut in the middle
        assert "in int-1 “We monito" in status  # the place and the start of the quote
        await pilot.resize_terminal(160, 40)  # wide: said in full
        await settle(app, pilot)
        status = str(screen.query_one(StatusLine).render())
        assert f"✓ saved (journal line 1): {app.desk.last_saved}" in status


async def test_at_80_columns_the_agreement_screen_gives_the_assessment_in_full(study):
    seed(study)
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+a")
        await until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.report is not None)
        screen = app.screen
        table = screen.query_one("#codes", DataTable)
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            code = table.coordinate_to_cell_key((row, 0)).row_key.value
            [full] = [r for r in screen.report.rows + screen.report.overall if r.code == code]
            assert f"{code}: {full.assessment}" in str(screen.query_one("#code-detail", Static).render())
            cell = str(table.get_row_at(row)[screen.shown_columns.index("assessment")])
            if cell != full.assessment:  # cut after a whole word
                assert cell.endswith("…") and full.assessment.startswith(cell[:-1])
                assert full.assessment[len(cell) - 1] == " "


async def test_the_retrieval_header_stands_over_its_columns(study):
    seed(study)
    for size in ((80, 24), (120, 40)):
        app = make_app(study, "ann")
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            app.push_screen(RetrievalScreen("theme"))
            await until(pilot, lambda: isinstance(app.screen, RetrievalScreen)
                        and any(found.rows for found in app.screen.query(SegmentList)))
            screen = app.screen
            header = str(screen.query_one("#columns", Label).render())
            rows = screen.query_one(SegmentList)
            first = rows.rows[0]
            line = "".join(s.text for s in rows.row_segments(0, rows.scrollable_content_region.width))
            assert header.index("speaker") == line.index(first.speaker[:5])
            assert header.index("coder") == line.index(first.coding.coder)
            assert header.index("transcript") == line.index(first.coding.transcript)
