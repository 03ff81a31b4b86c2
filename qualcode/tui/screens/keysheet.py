"""``?``: every key of the workbench (generated from the bindings, ``qualcode.tui.keys``), and the
codebook's shortcut keys."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from qualcode.domain.codebook import Codebook
from qualcode.tui.colours import UNKNOWN
from qualcode.tui.keys import sheet
from qualcode.tui.screens.picker import DIALOG_CSS


class KeySheet(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="KeySheet").replace("> Vertical", "> VerticalScroll") + """
    KeySheet > VerticalScroll { height: 90%; max-height: 90%; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss(None)", "Close")]

    def __init__(self, book: Codebook, colours: dict[str, str]) -> None:
        super().__init__()
        self.book = book
        self.colours = colours

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Keys (Esc closes; ctrl+p finds any action by name)", classes="title")
            yield Static(self._table(), id="sheet")

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(title, [(key, what)]) for every section, the codebook's shortcuts last."""
        sections = sheet()
        codes = [(c.shortcut, self.book.path_name(c.id)) for c in self.book.walk() if c.shortcut]
        sections.append(("Code shortcuts (from the codebook)",
                         codes or [("", "none yet: give codes a shortcut in the codebook editor (ctrl+e)")]))
        return sections

    def _table(self) -> Group:
        colour = {c.shortcut: self.colours.get(c.id, UNKNOWN) for c in self.book.codes if c.shortcut}
        sections = self.sections()
        tables = []
        for i, (title, rows) in enumerate(sections):
            table = Table(box=None, show_header=False, expand=True, padding=(0, 2, 0, 0),
                          title=Text(title, style="bold underline"), title_justify="left")
            table.add_column("key", style="bold", no_wrap=True, ratio=1)
            table.add_column("what", ratio=3)
            last = i == len(sections) - 1
            for key, what in rows:
                if last and key in colour:
                    table.add_row(key, Text.assemble(("■ ", colour[key]), what))
                else:
                    table.add_row(key, what)
            tables.append(table)
            tables.append(Text(""))
        return Group(*tables)
