"""Export: pick tables, preview one, choose the output, write it in a worker with progress.

``ExportScreen(project, coder)``; both default to the workbench's open project and coder
(``app.desk``), so the screen registry can build it with no arguments. Tables are computed in a
worker when the screen opens; writing (Word report, Excel workbook, CSV files or the codebook)
runs in the ``export`` worker group and posts its progress; the result is a notification that
says where the file went.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, ProgressBar, Select, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from qualcode.errors import QualcodeError
from qualcode.tui.layout import column_widths

FORMATS = [
    ("Word report (.docx)", "docx", "report.docx"),
    ("Excel workbook (.xlsx)", "xlsx", "tables.xlsx"),
    ("CSV files (a folder)", "csv", "tables"),
    ("Codebook (.docx)", "codebook", "codebook.docx"),
]
EXTRA = [("framework", "Framework matrix"), ("matrix-counts", "Codings by case and code")]
PREVIEW_ROWS = 200


@dataclass
class TableChoice:
    key: str
    frame: object  # a pandas DataFrame
    standard: bool


class ExportScreen(Screen):
    DEFAULT_CSS = """
    ExportScreen Label.heading { text-style: bold; padding: 0 1; width: 100%; background: $boost; }
    ExportScreen #body { height: 1fr; }
    ExportScreen #left { width: 44; }
    ExportScreen #tables-label { padding: 0 1; width: 100%; height: auto; }  /* two lines when narrow, never cut */
    ExportScreen #tables { height: 1fr; }
    ExportScreen #coders { width: 100%; }
    ExportScreen #preview-title { padding: 0 1; color: $text-muted; width: 100%; height: auto; max-height: 3; }
    ExportScreen #preview { height: 1fr; }
    ExportScreen #controls { height: auto; padding: 0 1; }
    ExportScreen #format { width: 28; }
    ExportScreen #path { width: 1fr; }
    ExportScreen #progress-row { height: 1; padding: 0 1; display: none; }
    ExportScreen #progress-row.busy { display: block; }
    ExportScreen #status { height: auto; padding: 0 1; }
    ExportScreen.narrow #left { width: 30; }
    ExportScreen.narrow #format { width: 27; }
    """
    NARROW = 110
    """Below this many columns the list and the format narrow so the path keeps room to be read beside the
    Write button (the coders' choice sits under the list: it decides what the tables hold)."""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "write", "Write"),
    ]

    class Progress(Message):
        """The writer's progress (posted from the worker thread)."""

        def __init__(self, done: int, total: int, what: str) -> None:
            super().__init__()
            self.done, self.total, self.what = done, total, what

        def can_replace(self, message: Message) -> bool:  # only the latest progress matters
            return isinstance(message, ExportScreen.Progress)

    def __init__(self, project=None, coder: str | None = None) -> None:
        super().__init__()
        self._project = project
        self._coder = coder
        self.choices: list[TableChoice] = []
        self.tables_done = False
        """True once every table of the latest request is listed and the first is previewed."""
        self.generation = 0
        self.path_edited = False
        self.written: Path | None = None

    @property
    def project(self):
        return self._project if self._project is not None else self.app.desk.project

    @property
    def coder(self) -> str | None:
        if self._coder is not None:
            return self._coder
        desk = getattr(self.app, "desk", None)
        return getattr(desk, "coder", None)

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Label("Export tables and reports", classes="heading")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Label("Tables: space ticks, arrows preview", id="tables-label")
                yield SelectionList[str](id="tables")
                yield Select(self._coder_options(), value="default", allow_blank=False, id="coders")
            with Vertical():
                yield Label("Computing the tables…", id="preview-title")
                yield DataTable(id="preview", zebra_stripes=True)
        with Horizontal(id="controls"):
            yield Select([(label, key) for label, key, _ in FORMATS], value="docx", allow_blank=False, id="format")
            yield Input(id="path", placeholder="where to write")
            yield Button("Write", id="write", variant="primary")
        with Horizontal(id="progress-row"):
            yield ProgressBar(id="progress", show_eta=False)
        yield Static("", id="status")
        yield Footer()

    def _coder_options(self) -> list[tuple[str, str]]:
        options = [("Coders: default", "default")]
        if self.coder:
            options.append((f"Coders: {self.coder}", "me"))
        options.append(("Coders: all, pooled", "all"))
        return options

    def on_resize(self, event) -> None:
        self.set_class(self.app.size.width < self.NARROW, "narrow")

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "narrow")
        self.query_one("#path", Input).value = self._default_path("docx")
        self.request_tables()

    # -- choices -------------------------------------------------------------------------------
    def _coders(self):
        choice = self.query_one("#coders", Select).value
        if choice == "me" and self.coder:
            return [self.coder]
        if choice == "all":
            return self.project.coders_with_codings() or None
        return None

    def _default_path(self, fmt: str) -> str:
        name = next(n for _, key, n in FORMATS if key == fmt)
        target = Path(self.project.exports_dir) / name
        try:
            return str(target.relative_to(self.project.root))
        except ValueError:
            return str(target)

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        if not self.path_edited:
            path = self.query_one("#path", Input)
            path.value = self._default_path(str(event.value))
            self.path_edited = False
        self.query_one("#tables", SelectionList).disabled = event.value == "codebook"

    @on(Select.Changed, "#coders")
    def _coders_changed(self, event: Select.Changed) -> None:
        self.request_tables()

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.path_edited = event.value != self._default_path(str(self.query_one("#format", Select).value))

    # -- tables --------------------------------------------------------------------------------
    class TablesReady(Message):
        """Tables computed so far (the standard set first, then the slower extras)."""

        def __init__(self, choices: list[TableChoice], generation: int, final: bool = False) -> None:
            super().__init__()
            self.choices, self.generation, self.final = choices, generation, final

    @work(thread=True, exclusive=True, group="export-tables", exit_on_error=False)
    def load_tables(self, coders, generation: int) -> None:
        from textual.worker import get_current_worker

        from qualcode.export.catalog import build

        worker = get_current_worker()
        out = [TableChoice(f"standard:{k}", df, True) for k, df in enumerate(build(self.project, "standard", coders))]
        self.post_message(self.TablesReady(list(out), generation))
        for key, _ in EXTRA:
            if worker.is_cancelled:
                return
            out.append(TableChoice(key, build(self.project, key, coders)[0], False))
        self.post_message(self.TablesReady(out, generation, final=True))

    def request_tables(self) -> None:
        """Compute the tables for the coders chosen (in a worker); a newer request supersedes older ones."""
        self.generation += 1
        self.tables_done = False
        self.load_tables(self._coders(), self.generation)

    def on_export_screen_tables_ready(self, message: "ExportScreen.TablesReady") -> None:
        if message.generation == self.generation:
            self._show_tables(message.choices)
            self.tables_done = message.final

    def _show_tables(self, choices: list[TableChoice]) -> None:
        tables = self.query_one("#tables", SelectionList)
        ticked = set(tables.selected) if self.choices else None
        known = {c.key for c in self.choices}
        highlighted = tables.highlighted or 0
        self.choices = choices
        tables.clear_options()
        for c in choices:
            title = str(c.frame.attrs.get("title") or c.key)
            empty = " (no data)" if c.frame.attrs.get("empty_reason") else ""
            on = c.standard if ticked is None or c.key not in known else c.key in ticked
            tables.add_option(Selection(f"{title}{empty}", c.key, on))
        if choices:
            tables.highlighted = min(highlighted, len(choices) - 1)
            self._preview(choices[tables.highlighted])

    @on(SelectionList.SelectionHighlighted, "#tables")
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        key = event.selection.value
        choice = next((c for c in self.choices if c.key == key), None)
        if choice is not None:
            self._preview(choice)

    def _preview(self, choice: TableChoice) -> None:
        from qualcode.export.frame import grid

        g = grid(choice.frame)
        table = self.query_one("#preview", DataTable)
        table.clear(columns=True)
        title = self.query_one("#preview-title", Label)
        if g.empty:
            title.update(Text(f"{g.title}: no data. {g.empty_reason}"))
            return
        shown = min(len(g.rows), PREVIEW_ROWS)
        more = f" (first {shown} of {len(g.rows)} rows)" if len(g.rows) > shown else f" ({len(g.rows)} rows)"
        title.update(Text(f"{g.title}{more}. {g.caption}"))
        rows = []
        for i in range(shown):
            cells = []
            for j in range(len(g.headers)):
                text = " ".join(g.text(i, j).split())
                text = text if len(text) <= 60 else text[:59] + "…"
                cells.append(Text(text, justify="right" if g.numeric[j] else "left"))
            rows.append(cells)
        for j, (header, width) in enumerate(zip(g.headers, column_widths(g.headers, rows))):
            table.add_column(Text(header, justify="right" if g.numeric[j] else "left"), key=str(j), width=width)
        for cells in rows:
            table.add_row(*cells)

    # -- writing -------------------------------------------------------------------------------
    def _target(self) -> Path:
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            raise QualcodeError("no output path", hint="type where to write, e.g. exports/report.docx")
        path = Path(raw).expanduser()
        return path if path.is_absolute() else Path(self.project.root) / path

    def action_write(self) -> None:
        self.start_write()

    @on(Button.Pressed, "#write")
    def _write_pressed(self) -> None:
        self.start_write()

    def start_write(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        try:
            target = self._target()
        except QualcodeError as exc:
            self._failed(exc)
            return
        chosen = set(self.query_one("#tables", SelectionList).selected)
        frames = [c.frame for c in self.choices if c.key in chosen]
        if fmt != "codebook" and not frames:
            self._failed(QualcodeError("no table is ticked", hint="tick at least one table (space)"))
            return
        self.query_one("#status", Static).update(Text(f"Writing {target}…"))
        self.query_one("#write", Button).disabled = True
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#progress-row").add_class("busy")
        self.write(fmt, target, frames, self._coders())

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def write(self, fmt: str, target: Path, frames: list, coders) -> Path:
        def progress(done: int, total: int, what: str) -> None:
            self.post_message(self.Progress(done, total, what))

        if fmt == "docx":
            from qualcode.export.docx_report import write_report

            return write_report(self.project, target, tables=frames, coders=coders, progress=progress)
        if fmt == "xlsx":
            from qualcode.export.tables_out import write_xlsx

            return write_xlsx(self.project, target, tables=frames, coders=coders, progress=progress)
        if fmt == "csv":
            from qualcode.export.tables_out import write_csv

            write_csv(self.project, target, tables=frames, coders=coders, progress=progress)
            return target
        from qualcode.export.docx_codebook import write_codebook_docx

        return write_codebook_docx(self.project, target)

    def on_export_screen_progress(self, message: "ExportScreen.Progress") -> None:
        self.query_one("#progress", ProgressBar).update(total=max(message.total, 1), progress=message.done)
        self.query_one("#status", Static).update(Text(message.what))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        group = event.worker.group
        if group == "export-tables":
            if event.state == WorkerState.ERROR:
                self.query_one("#preview-title", Label).update("The tables could not be computed.")
                self._failed(event.worker.error)
        elif group == "export":
            if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
                self.query_one("#write", Button).disabled = False
            if event.state == WorkerState.SUCCESS:
                self.written = Path(event.worker.result)
                bar = self.query_one("#progress", ProgressBar)
                bar.update(total=1, progress=1)
                from qualcode.export.keep import kept_for, kept_text

                kept = kept_for(self.written)  # a file there edited since qualcode wrote it: kept beside
                done = f"Written to {self.written}" + (f"; the file {kept_text(self.written, kept)}" if kept else "")
                self.query_one("#status", Static).update(Text(done))
                self.app.notify(done, title="Export", markup=False)
            elif event.state == WorkerState.ERROR:
                self._failed(event.worker.error)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, QualcodeError):
            message = str(error)
        else:
            message = f"{type(error).__name__}: {error}. This is a bug; please report it."
        self.query_one("#status", Static).update(Text(f"Not written: {message}"))
        self.app.notify(message, title="Export", severity="error", timeout=20, markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
