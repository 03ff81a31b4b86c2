"""Small dialogs: choose one of several, write a memo, read a message, name a coder."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from qualcode.tui.screens.picker import DIALOG_CSS, steady


class Choose(ModalScreen[str | None]):
    """Pick one of ``choices`` [(value, label)]; returns the value or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="Choose") + """
    Choose OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, object]], hint: str = "Enter picks · Esc cancels") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield OptionList(*[Option(label, id=value) for value, label in self.choices])
            yield Label(self.hint, classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class CoderDialog(ModalScreen[str | None]):
    """Switch coder: pick a known coder or type a new name."""

    DEFAULT_CSS = DIALOG_CSS.format(name="CoderDialog") + """
    CoderDialog OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, current: str, coders: list[str]) -> None:
        super().__init__()
        self.current = current
        self.coders = coders

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Coding as {self.current}. Switch to:", classes="title")
            yield OptionList(*[Option(c + ("  (you now)" if c == self.current else ""), id=c) for c in self.coders])
            yield Input(placeholder="or type a new coder name and press Enter", id="name")
            yield Label("Letters, digits, '_', '.', '-' · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        steady(self)
        if self.coders:
            self.query_one(OptionList).highlighted = 0
            self.query_one(OptionList).focus()
        else:
            self.query_one(Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)


class MemoDialog(ModalScreen[str | None]):
    """Edit a memo; ctrl+s saves (an empty memo clears it), Esc cancels (returns None)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MemoDialog") + """
    MemoDialog TextArea { height: 10; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save memo", priority=True),
    ]

    def __init__(self, title: str, memo: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.memo = memo or ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield TextArea(self.memo, id="memo", soft_wrap=True)
            yield Label("ctrl+s saves · an empty memo clears it · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        steady(self)
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())


class MessageDialog(ModalScreen[None]):
    """A message that needs reading (e.g. the journal is open elsewhere); Enter or Esc closes."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MessageDialog") + """
    MessageDialog Static { width: 100%; padding: 0 0 1 0; }
    """
    BINDINGS = [Binding("escape,enter", "dismiss(None)", "Close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Static(self.body, markup=False)
            yield Label("Enter or Esc closes", classes="hint")
