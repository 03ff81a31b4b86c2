"""The workbench's export screen, pushed on a minimal host app."""

from __future__ import annotations

import docx
import openpyxl
from textual.app import App
from textual.widgets import Button, DataTable, Input, Label, Select, SelectionList, Static

from qualcode.tui.screens.export import ExportScreen


class Host(App):
    def __init__(self, project, coder: str = "researcher_a") -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.notes: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.push_screen(ExportScreen(self.project, self.coder))

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True) -> None:
        self.notes.append((severity, str(message)))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


async def _settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_pick_preview_and_write_a_report(study, tmp_path):
    app = Host(study)
    async with app.run_test(size=(140, 45)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        tables = screen.query_one("#tables", SelectionList)
        assert tables.option_count == 6  # the four standard tables, the Framework matrix, codings by case
        assert len(tables.selected) == 4
        preview = screen.query_one("#preview", DataTable)
        assert preview.row_count == 9  # Cases: one row per LSP
        assert "Cases" in str(screen.query_one("#preview-title", Label).render())
        # preview another table by moving the highlight
        tables.focus()
        await pilot.press("down")
        await pilot.pause()
        assert preview.row_count == 47  # code frequencies
        # untick the co-occurrence table, write to a path of our own
        tables.deselect(tables.get_option_at_index(3).value)
        target = tmp_path / "tui-report.docx"
        screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert target.exists()
        assert ("information", f"Written to {target}") in app.notes
        assert f"Written to {target}" in str(screen.query_one("#status", Static).render())
        assert not screen.query_one("#write", Button).disabled
        captions = [p.text for p in docx.Document(str(target)).paragraphs if p.style.name == "Caption"]
        assert any("Code frequencies" in c for c in captions)
        assert not any("co-occurrence" in c for c in captions)


async def test_other_formats_and_default_paths(study):
    app = Host(study)
    async with app.run_test(size=(140, 45)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        fmt = screen.query_one("#format", Select)
        path = screen.query_one("#path", Input)
        assert path.value == "exports/report.docx"
        fmt.value = "xlsx"
        await pilot.pause()
        assert path.value == "exports/tables.xlsx"
        await pilot.click("#write")
        await _settle(app, pilot)
        wb = openpyxl.load_workbook(study.root / "exports" / "tables.xlsx")
        assert wb.sheetnames == ["About", "Cases", "Code frequencies", "Codes by case",
                                 "Co-occurrence (overlapping)", "Memos"]
        fmt.value = "codebook"
        await pilot.pause()
        assert path.value == "exports/codebook.docx"
        await pilot.click("#write")
        await _settle(app, pilot)
        assert (study.root / "exports" / "codebook.docx").exists()


async def test_coders_choice_recomputes_the_tables(study):
    app = Host(study, coder="researcher_b")
    async with app.run_test(size=(140, 45)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        screen.query_one("#coders", Select).value = "me"
        await _settle(app, pilot)
        freq = next(c for c in screen.choices if c.frame.attrs.get("kind") == "frequencies")
        assert freq.frame.attrs["coders"] == ["researcher_b"]


async def test_unwritable_path_is_reported_not_raised(study, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    app = Host(study)
    async with app.run_test(size=(140, 45)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        screen.query_one("#path", Input).value = str(blocker / "r.docx")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        errors = [m for s, m in app.notes if s == "error"]
        assert errors and "cannot create the folder" in errors[0]
        assert "Not written" in str(screen.query_one("#status", Static).render())
        assert not screen.query_one("#write", Button).disabled
        assert blocker.read_text() == "x"
        # and with nothing ticked
        screen.query_one("#tables", SelectionList).deselect_all()
        screen.query_one("#path", Input).value = str(tmp_path / "ok.docx")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert any("no table is ticked" in m for s, m in app.notes if s == "error")
        assert not (tmp_path / "ok.docx").exists()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
