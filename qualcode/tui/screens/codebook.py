"""Codebook editing: add a code or a child code, rename, move, definition, keywords, colour, key.

Every save validates the whole codebook first; a codebook with problems is never written (the
problems are listed under the form), and a good one is written atomically at once.
"""

from __future__ import annotations

import re
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea, Tree

from qualcode.domain.codebook import RESERVED_KEYS, Code, Codebook, validate
from qualcode.errors import CodebookError, QualcodeError
from qualcode.tui.screens.picker import DIALOG_CSS, steady
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.status import StatusLine

TOP = "(top level)"


def new_id(book: Codebook, name: str, parent: str | None) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "code"
    if parent:
        base = f"{parent}.{base}"
    candidate, n = base, 2
    while candidate in book:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


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


class CodebookScreen(Screen):
    DEFAULT_CSS = """
    CodebookScreen #main { height: 1fr; }
    CodebookScreen #tree { width: 1fr; }
    CodebookScreen #form { width: 1fr; min-width: 50; border-left: tall $panel-lighten-1; padding: 0 1; }
    CodebookScreen Label.heading { text-style: bold; width: 100%; background: $boost; padding: 0 1; }
    CodebookScreen Label.field { margin-top: 1; color: $text-muted; }
    CodebookScreen #definition { height: 6; }
    CodebookScreen #buttons { height: auto; margin-top: 1; }
    CodebookScreen #buttons Button { margin-right: 1; min-width: 10; }
    CodebookScreen #problems { color: $error; margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+n", "new(False)", "New code"),
        Binding("ctrl+b", "new(True)", "New child"),
        Binding("ctrl+up,alt+up", "move(-1)", "Move up"),
        Binding("ctrl+down,alt+down", "move(1)", "Move down"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.code_id: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Label("Codebook", classes="heading", id="heading")
        with Horizontal(id="main"):
            yield CodeTree(id="tree", show_here=False)
            with VerticalScroll(id="form"):
                yield Label("", id="code-id")
                yield Label("Name", classes="field")
                yield Input(id="name")
                yield Label("Parent (moves the code)", classes="field")
                yield Select([(TOP, TOP)], id="parent", allow_blank=False)
                yield Label("Definition", classes="field")
                yield TextArea(id="definition", soft_wrap=True)
                yield Label("Keywords (comma-separated)", classes="field")
                yield Input(id="keywords")
                yield Label("Colour (#RRGGBB, empty for automatic)", classes="field")
                yield Input(id="colour")
                yield Label(f"Shortcut key (one digit or lower-case letter, not {' '.join(sorted(RESERVED_KEYS))})",
                            classes="field")
                yield Input(id="shortcut", max_length=1)
                with Horizontal(id="buttons"):
                    yield Button("Save", id="save", variant="primary")
                    yield Button("New code", id="new")
                    yield Button("New child", id="child")
                    yield Button("Up", id="up")
                    yield Button("Down", id="down")
                yield Static("", id="problems")
        yield Footer()

    @property
    def desk(self):
        return self.app.desk

    def on_mount(self) -> None:
        steady(self)
        self.query_one(StatusLine).show(self.desk, f"saved to {self.desk.project.config.codebook} at each save")
        self._rebuild()
        book = self.desk.codebook
        if book.codes:
            self._load(book.walk()[0].id)
        self.query_one(CodeTree).focus()

    def _rebuild(self) -> None:
        book = self.desk.codebook
        tree = self.query_one(CodeTree)
        tree.rebuild(book, self.app.colours, self.desk.counts, self.desk.counts)
        problem = f" · {self.desk.codebook_error.message}" if self.desk.codebook_error else ""
        self.query_one("#heading", Label).update(
            f"Codebook: {book.name or self.desk.project.config.codebook} · {len(book)} codes{problem}")

    def codebook_changed(self) -> None:
        self._rebuild()

    def codings_changed(self, change) -> None:
        pass

    # -- the form --------------------------------------------------------------------------
    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data and event.node.data != self.code_id:
            self._save_if_edited()
            self._load(event.node.data)

    def _save_if_edited(self) -> None:
        """Leaving a code saves its edited fields (or says why they could not be saved)."""
        edited = self._edited()
        if edited is None or edited == self.desk.codebook.get(edited.id):
            return
        codes = [edited if c.id == edited.id else c for c in self.desk.codebook.codes]
        if not self._save(self._with(codes)):
            self.app.notify(f"Your changes to {edited.name or edited.id!r} were not saved (see above).",
                            title="Codebook", severity="warning")

    def _load(self, code_id: str) -> None:
        book = self.desk.codebook
        code = book.get(code_id)
        if code is None:
            return
        self.code_id = code_id
        self.query_one("#code-id", Label).update(f"Code id: {code.id} (ids stay fixed: codings refer to them)")
        self.query_one("#name", Input).value = code.name
        banned = {code_id, *book.descendants(code_id)}
        options = [(TOP, TOP)] + [("  " * book.depth(c.id) + c.name, c.id) for c in book.walk() if c.id not in banned]
        parent = self.query_one("#parent", Select)
        parent.set_options(options)
        parent.value = code.parent or TOP
        self.query_one("#definition", TextArea).text = code.definition
        self.query_one("#keywords", Input).value = ", ".join(code.keywords)
        self.query_one("#colour", Input).value = code.colour or ""
        self.query_one("#shortcut", Input).value = code.shortcut or ""
        self.query_one("#problems", Static).update("")

    def _edited(self) -> Code | None:
        code = self.desk.codebook.get(self.code_id) if self.code_id else None
        if code is None:
            return None
        parent = self.query_one("#parent", Select).value
        keywords = [k.strip() for k in self.query_one("#keywords", Input).value.split(",") if k.strip()]
        colour = self.query_one("#colour", Input).value.strip() or None
        shortcut = self.query_one("#shortcut", Input).value.strip() or None
        return replace(code, name=self.query_one("#name", Input).value.strip(),
                       parent=None if parent in (TOP, Select.BLANK) else parent,
                       definition=self.query_one("#definition", TextArea).text.strip(),
                       keywords=keywords, colour=colour, shortcut=shortcut)

    def _save(self, book: Codebook, select: str | None = None) -> bool:
        problems = validate(book)
        box = self.query_one("#problems", Static)
        if problems:
            box.update("Not saved: " + "; ".join(p.message for p in problems))
            self.app.notify("Not saved: " + problems[0].message + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""),
                            title="Codebook", severity="error")
            return False
        try:
            self.desk.save_codebook(book)
        except CodebookError as exc:
            box.update("Not saved: " + "; ".join(p.message for p in exc.problems))
            self.app.report(exc, title="Codebook not saved")
            return False
        except QualcodeError as exc:
            box.update(f"Not saved: {exc.message}")
            self.app.report(exc, title="Codebook not saved")
            return False
        box.update("")
        self.app.codebook_saved()
        if select:
            self.code_id = None
            self.query_one(CodeTree).select_code(select)
            self._load(select)
        self.app.notify(f"Saved {self.desk.project.config.codebook}.", title="Codebook")
        return True

    def _with(self, codes: list[Code]) -> Codebook:
        book = self.desk.codebook
        return Codebook(codes=codes, name=book.name, description=book.description, path=book.path)

    def action_save(self) -> None:
        edited = self._edited()
        if edited is None:
            return
        codes = [edited if c.id == edited.id else c for c in self.desk.codebook.codes]
        self._save(self._with(codes), select=edited.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_new(self, child: bool) -> None:
        book = self.desk.codebook
        here = book.get(self.code_id) if self.code_id else None
        parent = (here.id if child else here.parent) if here is not None else None

        def create(name: str | None) -> None:
            if not name:
                return
            code = Code(id=new_id(book, name, parent), name=name, parent=parent)
            codes = list(book.codes)
            at = codes.index(here) + 1 if (here is not None and not child) else len(codes)
            codes.insert(at, code)
            self._save(self._with(codes), select=code.id)

        where = f"under {here.name}" if child and here else "beside " + here.name if here else "at the top level"
        self.app.push_screen(NameDialog(f"New code {where}"), create)

    def action_move(self, step: int) -> None:
        book = self.desk.codebook
        code = book.get(self.code_id) if self.code_id else None
        if code is None:
            return
        siblings = book.children(code.parent)
        i = siblings.index(code)
        j = i + step
        if not 0 <= j < len(siblings):
            return
        codes = list(book.codes)
        a, b = codes.index(siblings[i]), codes.index(siblings[j])
        codes[a], codes[b] = codes[b], codes[a]
        self._save(self._with(codes), select=code.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"save": self.action_save, "new": lambda: self.action_new(False),
                   "child": lambda: self.action_new(True), "up": lambda: self.action_move(-1),
                   "down": lambda: self.action_move(1)}
        action = actions.get(event.button.id or "")
        if action:
            action()

    def action_back(self) -> None:
        self.app.pop_screen()
