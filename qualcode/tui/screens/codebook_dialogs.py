"""Dialogs of the codebook editor: a new code's name, and what becomes of a removed code's codings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from qualcode.tui.screens.picker import DIALOG_CSS, steady


class NameDialog(ModalScreen[str | None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="NameDialog")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(placeholder="the new code's name", id="name")
            yield Label("Enter creates it · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        steady(self)
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class RemoveDialog(ModalScreen[str | None]):
    """Asks what becomes of the codings of a code being removed: "reassign" (then a code is picked),
    "drop", "keep-orphaned", or None (cancel)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="RemoveDialog") + """
    RemoveDialog #question { width: 100%; }
    RemoveDialog #choices { height: auto; grid-size: 2; grid-gutter: 0 1; grid-rows: 3; }
    RemoveDialog #choices Button { width: 100%; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, code_name: str, used: int, who: str) -> None:
        super().__init__()
        self.code_name = code_name
        self.used = used
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Remove {self.code_name}?", classes="title")
            yield Label(f"It is used by {self.used} coding(s) ({self.who}). What becomes of them?", id="question")
            with Grid(id="choices"):  # two by two: four buttons in a row do not fit 80 columns
                yield Button("Reassign to another code…", id="reassign", variant="primary")
                yield Button("Drop them", id="drop", variant="error")
                yield Button("Keep them (orphaned)", id="keep-orphaned")
                yield Button("Cancel", id="cancel")
            yield Label("Journals are not rewritten: the codebook records the choice, and ctrl+z in the "
                        "editor (or `qualcode codebook undo`) takes it back.", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#reassign", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        self.dismiss(None if choice == "cancel" else choice)
