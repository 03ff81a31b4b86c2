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
    """Pick one of ``choices`` [(value, label)]; returns the value or None.

    ``search``: a box above the list takes what is typed and narrows the list to the choices matching
    it (``qualcode.tui.rank``: the value, e.g. a transcript's id, exactly or by its start first, then
    the label's words), best first; ↑↓ move the highlight and Enter picks the highlighted one."""

    DEFAULT_CSS = DIALOG_CSS.format(name="Choose") + """
    Choose OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, object]], hint: str = "Enter picks · Esc cancels",
                 search: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.hint = hint
        self.search = search
        self.ranker = None
        if search:
            from qualcode.tui.rank import Candidate, Ranker

            self.ranker = Ranker([Candidate(value, value, "", str(label)) for value, label in choices])

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            if self.search:
                yield Input(placeholder="type part of the name; ↑↓ move, Enter opens the highlighted one",
                            id="query")
            yield OptionList(*[Option(label, id=value) for value, label in self.choices])
            yield Label(self.hint, classes="hint", id="hint")

    def on_mount(self) -> None:
        steady(self)
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.choices else None
        (self.query_one(Input) if self.search else options).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.ranker is None:
            return
        labels = dict(self.choices)
        ranked = self.ranker.rank(event.value)
        options = self.query_one(OptionList)
        options.set_options([Option(labels[r.candidate.key], id=r.candidate.key) for r in ranked])
        options.highlighted = 0 if ranked else None
        self.query_one("#hint", Label).update(self.hint if ranked else "Nothing matches: Backspace to widen · "
                                              "Esc cancels")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)

    def on_key(self, event) -> None:
        """↑↓ (and page keys) in the search box move the list's highlight; the box keeps the focus."""
        if self.search and self.focused is self.query_one(Input) and event.key in ("up", "down", "pageup",
                                                                                  "pagedown"):
            options = self.query_one(OptionList)
            {"up": options.action_cursor_up, "down": options.action_cursor_down,
             "pageup": options.action_page_up, "pagedown": options.action_page_down}[event.key]()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class CoderDialog(ModalScreen[str | None]):
    """Switch coder: type a new name, or pick a known coder with ↑↓ and Enter.

    The name box has the focus (what is typed goes there); ↑↓ move the list's highlight, which starts
    on the current coder, so Enter on an empty box changes nothing. The coders are listed by name."""

    DEFAULT_CSS = DIALOG_CSS.format(name="CoderDialog") + """
    CoderDialog OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, current: str, coders: list[str]) -> None:
        super().__init__()
        self.current = current
        self.coders = sorted(set(coders) | {current})

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Coding as {self.current}. Switch to:", classes="title")
            yield OptionList(*[Option(c + ("  (you now)" if c == self.current else ""), id=c) for c in self.coders])
            yield Input(placeholder="type a new name, or ↑↓ to pick one; Enter switches", id="name")
            yield Label("Letters, digits, '_', '.', '-' · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        steady(self)
        self.query_one(OptionList).highlighted = self.coders.index(self.current)
        self.query_one(Input).focus()

    def on_key(self, event) -> None:
        """↑↓ in the name box move the list's highlight (the box keeps the focus)."""
        if event.key in ("up", "down") and self.focused is self.query_one(Input):
            options = self.query_one(OptionList)
            options.action_cursor_up() if event.key == "up" else options.action_cursor_down()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)
            return
        highlighted = self.query_one(OptionList).highlighted_option
        self.dismiss(highlighted.id if highlighted is not None else None)


class MemoDialog(ModalScreen[str | None]):
    """Edit a memo; ctrl+s saves (an empty memo clears it), Esc cancels (returns None)."""

    ROWS = 10
    """The memo box's height when the terminal has room for it (fewer on a short terminal: ``fit``)."""
    DEFAULT_CSS = DIALOG_CSS.format(name="MemoDialog") + f"""
    MemoDialog TextArea {{ height: {ROWS}; }}
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

    def on_resize(self, event) -> None:
        """The terminal changed size (or the dialog opened): lay the memo box out again once the dialog
        has its new size."""
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Give the memo box the rows the dialog has left on this terminal (at most ``ROWS``), so no
        wrapped line is cut off below the dialog's edge, and keep the cursor's line in view."""
        box, area = self.query_one(Vertical), self.query_one(TextArea)
        room = box.styles.max_height  # the dialog's (80% of the screen)
        limit = int(room.resolve(self.size, self.size)) if room is not None else self.size.height
        others = box.styles.gutter.height + sum(w.outer_size.height + w.styles.margin.height
                                                for w in box.children if w is not area)
        rows = max(area.styles.gutter.height + 1, min(self.ROWS, limit - others - area.styles.margin.height))
        if area.outer_size.height != rows:
            area.styles.height = rows
        area.call_after_refresh(area.scroll_cursor_visible)

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
