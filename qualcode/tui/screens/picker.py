"""The code picker: type part of a code's name, id or keyword, Enter picks.

Ranking (``qualcode.tui.rank``): the code's name (or id) exactly, then names starting with what is
typed, then names with words starting with it, then anything containing it (parents' names,
keywords), then fuzzy matches; within each, the most used codes first. Bounded cost per keystroke.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.domain.codebook import Codebook
from qualcode.tui.colours import UNKNOWN
from qualcode.tui.rank import Candidate, Ranker

DIALOG_CSS = """
    {name} {{ align: center middle; }}
    {name} > Vertical {{
        width: 80%; max-width: 100; height: auto; max-height: 80%;
        border: thick $accent; background: $panel; padding: 0 1;
    }}
    {name} Label.title {{ text-style: bold; width: 100%; padding: 0 0 1 0; }}
    {name} Label.hint {{ color: $text-muted; width: 100%; }}
"""


def steady(screen) -> None:
    """Text cursors blink only if the App's settings say so (steady screens, stable snapshots)."""
    settings = getattr(screen.app, "settings", None)
    blink = bool(getattr(settings, "cursor_blink", False))
    for widget in screen.query("Input, TextArea"):
        widget.cursor_blink = blink


def code_ranker(book: Codebook, codes, counts: dict[str, int]) -> Ranker:
    """The picker's ranker over ``codes``: name and id, then parents' names and keywords."""
    return Ranker([Candidate(c.id, c.name, c.id, f"{book.path_name(c.id)} {' '.join(c.keywords)}",
                             counts.get(c.id, 0)) for c in codes])


class CodePicker(ModalScreen[str | None]):
    """Returns the chosen code's id, or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="CodePicker") + """
    CodePicker OptionList { height: auto; max-height: 20; border: none; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, book: Codebook, colours: dict[str, str], title: str = "Apply code",
                 counts: dict[str, int] | None = None, exclude: set[str] | None = None) -> None:
        super().__init__()
        self.book = book
        self.colours = colours
        self.title_text = title
        self.counts = counts or {}
        self.codes = [c for c in book.walk() if c.id not in (exclude or set())]
        self.ranker = code_ranker(book, self.codes, self.counts)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(placeholder="type part of a code's name, id or keyword", id="query")
            yield OptionList(id="codes")
            yield Label("Enter picks · ↑↓ move · Esc cancels", classes="hint", id="hint")

    def on_mount(self) -> None:
        steady(self)
        take_down = getattr(self.app, "take_down_saved", None)  # the workbench's app; a bare App has none
        if callable(take_down):
            take_down()
        self._fill("")
        self.query_one(Input).focus()

    SHOWN = 100
    """At most this many codes are listed (typing narrows the rest)."""

    def _fill(self, query: str) -> None:
        ranked = self.ranker.rank(query)
        options = []
        for hit in ranked[:self.SHOWN]:
            code = self.book.get(hit.candidate.key)
            label = Text()
            label.append("■ ", style=self.colours.get(code.id, UNKNOWN))
            label.append(self.book.path_name(code.id))
            if code.shortcut:
                label.append(f" [{code.shortcut}]", style="bold")
            label.append(f"  {code.id}", style="dim")
            if code.id in self.counts:
                label.append(f"  {self.counts[code.id]}", style="dim")
            options.append(Option(label, id=code.id))
        codes = self.query_one(OptionList)
        codes.set_options(options)
        if options:
            codes.highlighted = 0
        more = len(ranked) - len(options)
        hint = "Enter picks · ↑↓ move · Esc cancels"
        if more > 0:
            hint = f"{more} more: type to narrow · " + hint
        elif not options:
            hint = "No code matches: Backspace to widen · Esc cancels"
        self.query_one("#hint", Label).update(hint)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value.strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        codes = self.query_one(OptionList)
        option = codes.highlighted_option
        if option is not None:
            self.dismiss(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        codes = self.query_one(OptionList)
        if codes.option_count:
            current = codes.highlighted if codes.highlighted is not None else -step
            codes.highlighted = max(0, min(codes.option_count - 1, current + step))
