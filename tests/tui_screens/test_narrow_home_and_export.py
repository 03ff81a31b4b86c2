"""At 80x24 (and 120x40): the home's codebook heading in two lines, not three; a long transcript id under
the home table broken where it has a separator, not mid-word; the export screen's "Tables" label whole."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from textual.widgets import DataTable  # noqa: E402

from qualcode.tui.app import make_app  # noqa: E402
from qualcode.tui.layout import BREAKS, break_id  # noqa: E402
from qualcode.tui.screens.export import ExportScreen  # noqa: E402
from tui_helpers import make_project, settle, until  # noqa: E402

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LONG_ID = "01_ukparl_scitech-committee_2014-06-18_social-media-data_q1-79"


@pytest.fixture
def study(tmp_path):
    proj = make_project(tmp_path)
    yield proj
    proj.close()


def seen(app, widget) -> list[str]:
    """The lines of the terminal where ``widget`` is drawn, as the researcher sees them."""
    region = widget.region
    strips = app.screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text.strip() for y in range(region.y, region.bottom)]


@pytest.mark.parametrize("size", SIZES)
async def test_the_codebook_heading_says_it_all_in_two_lines_at_most(study, size):
    app = make_app(study, "ann")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        heading = app.screen.query_one("#codebook-heading")
        lines = [line for line in seen(app, heading) if line]
        assert 1 <= len(lines) <= 2, lines
        said = " ".join(lines)
        for words in ("Codebook", "4 codes", "2 levels", "4 ", "keys", "my codings"):
            assert words in said, lines
        assert all(not line.endswith(",") for line in lines), lines  # not a sentence wrapped anyhow


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_id_under_the_home_table_breaks_after_a_separator(study, tmp_path, size):
    from qualcode.services.project_ops import import_transcripts

    source = tmp_path / f"{LONG_ID}.txt"
    source.write_text(f"---\nid: {LONG_ID}\ntitle: Social media data\n---\nInterviewer: What do you use?\n\n"
                      "Ann: Plots.\n", encoding="utf-8")
    import_transcripts(study, [source])
    app = make_app(study, "ann")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        home = app.screen
        table = home.query_one("#transcripts", DataTable)
        table.move_cursor(row=table.get_row_index(LONG_ID))
        await pilot.pause()
        await pilot.pause()
        lines = seen(app, home.query_one("#case"))
        shown, i = "", 0
        while len(shown) < len(LONG_ID):  # the id's lines, each ending after a separator but the last
            shown += lines[i].split(" ·")[0]
            i += 1
        assert shown.startswith(LONG_ID), lines
        assert all(line[-1] in BREAKS for line in lines[:i - 1]), lines
        assert "· not started" in " ".join(lines[i - 1:i + 1])
        await pilot.resize_terminal(200, 50)  # room: on one line again
        await pilot.pause()
        await pilot.pause()
        assert seen(app, home.query_one("#case"))[0].startswith(LONG_ID + " · not started")


def test_break_id_keeps_words_whole_where_it_can():
    assert break_id(LONG_ID, 47) == ["01_ukparl_scitech-committee_2014-06-18_social-", "media-data_q1-79"]
    assert break_id("short", 47) == ["short"]
    assert break_id("abcdefghij", 4) == ["abcd", "efgh", "ij"]  # no separator: cut where the line ends
    assert "".join(break_id(LONG_ID, 9)) == LONG_ID and all(len(p) <= 9 for p in break_id(LONG_ID, 9))


@pytest.mark.parametrize("size", SIZES)
async def test_the_export_screens_tables_label_is_whole(study, size):
    app = make_app(study, "ann")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+x")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen) and app.screen.tables_done)
        label = app.screen.query_one("#tables-label")
        assert " ".join(line for line in seen(app, label) if line) == "Tables: space ticks, arrows preview"
        assert app.screen.query_one("#left").region.contains_region(label.region)
