"""The fuzzy code picker: type part of a code's name, id or keyword, Enter picks."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.domain.codebook import Codebook
from qualcode.tui.colours import UNKNOWN

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

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(placeholder="type part of a code's name, id or keyword", id="query")
            yield OptionList(id="codes")
            yield Label("Enter picks · ↑↓ move · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        steady(self)
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = []
        matcher = Matcher(query) if query else None
        scored = []
        for order, code in enumerate(self.codes):
            hay = f"{self.book.path_name(code.id)} {code.id} {' '.join(code.keywords)}"
            score = matcher.match(hay) if matcher else 1.0
            if score > 0:
                scored.append((-score if matcher else order, order, code))
        for _, _, code in sorted(scored, key=lambda t: (t[0], t[1])):
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
