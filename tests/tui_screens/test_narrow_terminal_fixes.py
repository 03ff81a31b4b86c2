"""What outside testers missed at 80x24: the export screen's Write button, readable IDs and titles on the
home, and the name of the code under the cursor on the coding screen when the codebook pane is hidden."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from textual.widgets import Button, DataTable, Label, Static  # noqa: E402

from qualcode.tui.app import make_app  # noqa: E402
from qualcode.tui.screens.export import ExportScreen  # noqa: E402
from tui_helpers import make_project, opened, settle, span_of, until  # noqa: E402

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def study(tmp_path):
    proj = make_project(tmp_path)
    yield proj
    proj.close()


def on_screen(app, widget) -> bool:
    """The widget is drawn, whole, inside the terminal."""
    region = widget.region
    return widget.display and region.area > 0 and app.screen.region.contains_region(region)


@pytest.mark.parametrize("size", SIZES)
async def test_the_write_button_is_on_screen_beside_every_other_control(study, size):
    app = make_app(study, "ann")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+x")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen) and app.screen.tables_done)
        screen = app.screen
        controls = [screen.query_one(f"#{name}") for name in ("tables", "coders", "format", "path", "write")]
        assert all(on_screen(app, w) for w in controls), [(w.id, w.display, w.region) for w in controls]
        for i, a in enumerate(controls):  # none hides another
            for b in controls[i + 1:]:
                assert not a.region.overlaps(b.region), (a.id, b.id)
        path = screen.query_one("#path")
        assert path.region.width >= len("exports/report.docx") + 4  # the default path is read whole
        target = study.root / "exports" / "by-the-button.docx"
        screen.query_one("#path").value = str(target)
        await pilot.pause()
        await pilot.click("#write")  # the button itself, not ctrl+s
        await until(pilot, lambda: screen.written is not None)
        assert screen.written == target and target.exists()
        assert not screen.query_one("#write", Button).disabled


LONG = [("01_ukparl_scitech-committee_2014-06-18_social-media-data_q1-79",
         "Social media data and real time analytics, oral evidence"),
        ("09_pdpilot-user-study_p1", "PDPilot user study: interview with participant P1"),
        ("09_pdpilot-user-study_p3", "PDPilot user study: interview with participant P3"),
        ("09_pdpilot-user-study_p12", "PDPilot user study: interview with participant P12")]


async def test_ids_and_titles_get_the_room_of_the_narrow_home(study, tmp_path):
    """Long ids that differ at their end (imported files' names) and titles alike but for their end: at
    80 columns each reads apart, the status and my codings take their short forms to leave them room."""
    from qualcode.services.project_ops import import_transcripts

    files = []
    for tid, title in LONG:
        f = tmp_path / f"{tid}.txt"
        f.write_text(f"---\nid: {tid}\ntitle: \"{title}\"\n---\nInterviewer: What do you use?\n\nAnn: Plots.\n",
                     encoding="utf-8")
        files.append(f)
    import_transcripts(study, files)
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        home = app.screen
        table = home.query_one("#transcripts", DataTable)
        widths = {c.key.value: c.width for c in table.ordered_columns}
        assert list(widths) == ["id", "title", "status", "mine"]
        assert widths["id"] >= 12 and widths["title"] >= 18, widths
        assert sum(w + 2 for w in widths.values()) <= table.size.width  # no sideways scrolling
        rows = {tid: [str(c) for c in table.get_row(tid)] for tid, _ in LONG}
        ids = [r[0] for r in rows.values()]
        titles = [r[1] for r in rows.values()]
        assert len(set(ids)) == len(ids) and len(set(titles)) == len(titles)
        assert [i.rsplit("_", 1)[-1] for i in ids[1:]] == ["p1", "p3", "p12"]  # cut in the middle
        assert [t.rsplit(" ", 1)[-1] for t in titles[1:]] == ["P1", "P3", "P12"]
        assert rows["09_pdpilot-user-study_p1"][2:] == ["·", "0"]  # the status's mark, my codings
        header = [str(c.label) for c in table.ordered_columns]
        assert header == ["ID", "Title", "St", "Mine"]
        table.move_cursor(row=table.get_row_index("09_pdpilot-user-study_p3"))
        await pilot.pause()
        case = str(home.query_one("#case", Static).render())
        assert "09_pdpilot-user-study_p3 · not started" in case  # the full id and the status in words
        await pilot.press("D")
        await pilot.pause()
        assert str(table.get_cell("09_pdpilot-user-study_p3", "status")) == "◐"
        assert "in progress" in str(home.query_one("#case", Static).render())
        await pilot.resize_terminal(200, 50)  # room enough: the long labels and every column again
        await pilot.pause()
        await pilot.pause()
        header = [str(c.label) for c in table.ordered_columns]
        assert header[:4] == ["ID", "Title", "Status", "My codings"] and len(header) == 8
        assert str(table.get_cell("09_pdpilot-user-study_p1", "id")) == "09_pdpilot-user-study_p1"


@pytest.fixture
def coded(study):
    ann = study.session("ann")
    ann.add("int-2", *span_of(study, "int-2", "where we decided — together — to stand for the board"), "barrier")
    ann.add("int-2", *span_of(study, "int-2", "to stand for the board. Après ça"), "outcome")
    ann.close()
    return study


def here_text(screen) -> str:
    return str(screen.query_one("#here", Label).render())


async def cursor_to(pilot, quote: str, ahead: int = 0) -> str:
    """Put the cursor on ``quote`` in int-2; the line under the transcript then."""
    screen = pilot.app.screen
    screen.view.move_cursor(span_of(screen.desk.project, "int-2", quote)[0] + ahead)
    await pilot.pause()
    return here_text(screen)


async def test_the_codes_under_the_cursor_are_named_when_the_codebook_pane_is_hidden(coded):
    app = make_app(coded, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot, "int-2")
        assert not screen.query_one("#side").display  # hidden by itself at 80 columns
        here = screen.query_one("#here", Label)
        assert on_screen(app, here)
        assert here.region.y > screen.view.region.y  # under the transcript, above the footer
        line = await cursor_to(pilot, "where we", 2)
        assert "Here:" in line and "Barriers" in line
        line = await cursor_to(pilot, "for the board")
        assert "2 codes here" in line and "Barriers" in line and "Outcomes" in line
        assert "No code here" in await cursor_to(pilot, "Did the council")
        await pilot.press("f2")  # the pane shows the codes: the line goes
        await pilot.pause()
        assert screen.query_one("#side").display and not here.display


async def test_the_line_appears_when_f2_hides_the_pane_on_a_wide_terminal(coded):
    app = make_app(coded, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(app, pilot, "int-2")
        here = screen.query_one("#here", Label)
        assert screen.query_one("#side").display and not here.display
        await cursor_to(pilot, "Après ça")
        await pilot.press("f2")
        await pilot.pause()
        assert on_screen(app, here) and "Here:" in here_text(screen) and "Outcomes" in here_text(screen)
