"""The line under the transcript that names the code(s) under the cursor, shown while the codebook
pane is hidden (at 80 columns by itself), is on the key sheet."""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

import pytest  # noqa: E402
from textual.widgets import Label  # noqa: E402

from qualcode.tui.app import make_app  # noqa: E402
from qualcode.tui.keys import sheet  # noqa: E402
from tui_helpers import make_project, opened  # noqa: E402


@pytest.fixture
def study(tmp_path):
    with closing(make_project(tmp_path)) as project:
        yield project


async def test_the_key_sheet_names_the_line_under_the_transcript(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        here = screen.query_one("#here", Label)
        assert here.display  # the codebook pane is hidden at 80 columns: this line stands in for it
        coding = dict(sheet())["Coding"]
        [(key, what)] = [(k, w) for k, w in coding if "Here:" in k]
        assert "code(s) under the cursor" in what and "f2" in what and "hidden" in what
