"""Codebook editing: every field of a code (id, name, parent, definition, include, exclude, examples,
keywords, colour, key), new codes, order, merge, remove (asking what becomes of the codings), undo.

Every save validates the whole codebook first; a codebook with problems is never written (the
problems are listed under the form), and a good one is written in place at once, as one step of the
codebook's undo history (``services.codebook_ops``). Changing an id, merging and removing never
rewrite a journal: the codebook records them and every reader resolves them.

The codebook file may change while the editor is open (``qualcode codebook add`` in another terminal,
a second workbench window, a sync): the editor reads it again when it opens, when it comes back from a
dialog, and before every save, and each save applies the editor's one change (add, edit fields, move,
merge, remove) to the file as it is then, so nothing saved elsewhere is written over. A change that
cannot be made on it (its code renamed, merged or removed there, a field changed both ways) is not
saved, and the notice says so. A save writes only the fields edited in the form; the others always
show the code as the editor read it last. A read-only window (this coder's journal open elsewhere) edits the
codebook all the same: the journal's lock is per coder, the codebook is every coder's.
"""

from __future__ import annotations

import copy
import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea, Tree

from collections import Counter

from qualcode.domain import codebook_edit as edit
from qualcode.domain.codebook import RESERVED_KEYS, Code, Codebook
from qualcode.errors import CodebookError, QualcodeError
from qualcode.services import codebook_ops
from qualcode.tui.desk import describe_codebook_changes
from qualcode.tui.screens.codebook_dialogs import NameDialog, RemoveDialog
from qualcode.tui.screens.picker import CodePicker, steady
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.status import StatusLine

TOP = "(top level)"
FIELDS = frozenset({"id", "parent", *edit.EDITABLE})
"""What the form shows of a code."""


class Stale(QualcodeError):
    """A change cannot be made on the codebook as it is now (it changed on disk since the editor read it).
    ``advice``: what the researcher can do."""

    def __init__(self, message: str, advice: str = "Do it again on the codebook shown.") -> None:
        super().__init__(message)
        self.advice = advice


def _exact(book: Codebook, code_id: str) -> Code:
    """The code with exactly this id (never the code it was renamed or merged into), or ``Stale``."""
    code = book.get(code_id)
    if code is None:
        now = book.resolve_code(code_id)
        how = "removed" if now in (None, code_id) else f"renamed or merged into {now}"
        raise Stale(f"{code_id} is no longer in the codebook (it was {how} there)")
    return code


def _value(v) -> str:
    if isinstance(v, list):
        v = ", ".join(v)
    v = "(empty)" if v in (None, "") else str(v)
    return repr(v if len(v) <= 30 else v[:29] + "…")


def new_id(book: Codebook, name: str, parent: str | None) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "code"
    if parent:
        base = f"{parent}.{base}"
    candidate, n = base, 2
    while candidate in book:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def put(field: Input, value: str) -> None:
    """Show ``value`` in ``field`` with the cursor after it (typing then adds to the text, as after a
    save or an undo; the field's inputs never select all on focus, so typing never replaces it)."""
    field.value = value
    field.cursor_position = len(value)


class CodebookScreen(Screen):
    DEFAULT_CSS = """
    CodebookScreen #main { height: 1fr; }
    CodebookScreen #tree { width: 1fr; }
    CodebookScreen #form { width: 1fr; min-width: 50; border-left: tall $panel-lighten-1; padding: 0 1; }
    CodebookScreen Label.heading { text-style: bold; width: 100%; background: $boost; padding: 0 1; }
    CodebookScreen Label.field { margin-top: 1; color: $text-muted; width: 100%; }
    CodebookScreen #definition { height: 6; }
    CodebookScreen #include, CodebookScreen #exclude, CodebookScreen #examples { height: 4; }
    CodebookScreen #buttons, CodebookScreen #buttons2, CodebookScreen #buttons3 { height: auto; margin-top: 1; }
    CodebookScreen #buttons Button, CodebookScreen #buttons2 Button, CodebookScreen #buttons3 Button {
        margin-right: 1; min-width: 10;
    }
    CodebookScreen #problems { color: $error; margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+n", "new(False)", "New code"),
        Binding("ctrl+b", "new(True)", "New child"),
        Binding("ctrl+up,alt+up", "move(-1)", "Move up"),
        Binding("ctrl+down,alt+down", "move(1)", "Move down"),
        Binding("ctrl+g", "merge", "Merge into…"),
        Binding("ctrl+d", "remove", "Remove…"),
        Binding("ctrl+z", "undo", "Undo codebook change"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.code_id: str | None = None
        self._shown: Code | None = None
        self._own_change = False
        """True while the App shows a change this editor saved (the form is set by ``_saved``)."""

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Label("Codebook", classes="heading", id="heading")
        with Horizontal(id="main"):
            yield CodeTree(id="tree", show_here=False)
            with VerticalScroll(id="form"):
                yield Label("Id (a new id keeps every coder's codings)", classes="field", id="code-id")
                yield Input(id="id", select_on_focus=False)
                yield Label("Name", classes="field")
                yield Input(id="name", select_on_focus=False)
                yield Label("Parent (moves the code)", classes="field")
                yield Select([(TOP, TOP)], id="parent", allow_blank=False)
                yield Label("Definition", classes="field")
                yield TextArea(id="definition", soft_wrap=True)
                yield Label("Include (when to apply it)", classes="field")
                yield TextArea(id="include", soft_wrap=True)
                yield Label("Exclude (when not to, and what to use instead)", classes="field")
                yield TextArea(id="exclude", soft_wrap=True)
                yield Label("Examples (one per line)", classes="field")
                yield TextArea(id="examples", soft_wrap=True)
                yield Label("Keywords (comma-separated)", classes="field")
                yield Input(id="keywords", select_on_focus=False)
                yield Label("Colour (#RRGGBB, empty for automatic)", classes="field")
                yield Input(id="colour", select_on_focus=False)
                yield Label(f"Shortcut key (one digit or lower-case letter, not {' '.join(sorted(RESERVED_KEYS))})",
                            classes="field")
                yield Input(id="shortcut", max_length=1, select_on_focus=False)
                # rows of three at most: the form is about 50 columns wide in an 80-column terminal
                with Horizontal(id="buttons"):
                    yield Button("Save", id="save", variant="primary")
                    yield Button("New code", id="new")
                    yield Button("New child", id="child")
                with Horizontal(id="buttons2", classes="buttons"):
                    yield Button("Up", id="up")
                    yield Button("Down", id="down")
                    yield Button("Undo", id="undo")
                with Horizontal(id="buttons3", classes="buttons"):
                    yield Button("Merge into…", id="merge")
                    yield Button("Remove…", id="remove", variant="error")
                yield Static("", id="problems")
        yield Footer()

    @property
    def desk(self):
        return self.app.desk

    def on_mount(self) -> None:
        steady(self)
        self.app.check_codebook()  # opened on the codebook as it is on disk, not as it was read before
        self.query_one(StatusLine).show(self.desk, self._where())
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

    def _where(self) -> str:
        path = self.desk.project.config.codebook
        if self.desk.read_only:  # the lock is on this coder's journal; the codebook is every coder's
            return f"the codebook is shared, not read-only: edits are saved to {path}"
        return f"saved to {path} at each save"

    def codebook_changed(self) -> None:
        """The codebook was saved here, or read again after it changed elsewhere (a sync, ``qualcode
        codebook`` in another terminal, another window): show it, and, when it changed elsewhere, the
        form's code as it is now (``_follow``)."""
        self._rebuild()
        self.query_one(StatusLine).show(self.desk, self._where())
        if not self._own_change:
            self._follow()

    def on_screen_resume(self) -> None:
        """Back from a dialog or another screen: the codebook as it is on disk now."""
        if self.is_mounted:
            self._check()

    def _check(self, quiet: bool = False) -> dict | None:
        """``app.check_codebook``: a codebook read again is shown by ``codebook_changed``; one that cannot
        be read is not, and the heading says why."""
        arrived = self.app.check_codebook(quiet=quiet)
        if arrived is not None and self.desk.codebook_error is not None:
            self._rebuild()
        return arrived

    def _follow(self) -> None:
        """The codebook changed elsewhere. The form shows its code as it is now, except in the fields
        edited in it, which keep what was typed (``_refill``: saving then applies only those to the
        codebook as it is now). A code whose id changed there is shown under its new id (with what was
        typed, if anything), so that nothing is saved to the old id; a code merged or removed there
        gives way to the code it went into (or the first code), and the researcher is told."""
        book = self.desk.codebook
        old = self.code_id
        edits = self._edits()
        typed = bool(edits)
        if old in book:
            if typed:
                self._refill(old, edits)
            else:
                self._load(old)
            return
        self.code_id = None
        if old is None:  # nothing was shown (an empty codebook before)
            if book.codes:
                self._select(book.walk()[0].id)
            return
        new = edit.renamed_to(book, old)
        if new != old and typed:  # the edits are still the code's: kept, under its new id
            self._refill(new, edits)
            self._highlight(new)
            self.app.notify(f"{old} was renamed to {new} elsewhere: the form shows it under its new id, with "
                            "your unsaved changes (ctrl+s saves them).", title="Codebook", timeout=15, markup=False)
            return
        went = book.resolve_code(old)
        if new != old:
            said = f"{old} was renamed to {new} elsewhere: the form shows it under its new id"
        elif went in book:
            new, said = went, f"{old} was merged into {went} elsewhere: the form shows {went}"
        else:
            new = book.walk()[0].id if book.codes else None
            said = f"{old} was removed from the codebook elsewhere" + (f": the form shows {new}" if new else "")
        if new is not None:
            self._select(new)
        self.app.notify(said + (f"; your unsaved changes to {old} could not be kept." if typed else "."),
                        title="Codebook", severity="warning" if typed else "information", timeout=15, markup=False)

    def _select(self, code_id: str) -> None:
        """Show ``code_id`` in the form and highlight it in the tree."""
        self._load(code_id)
        self._highlight(code_id)

    def _highlight(self, code_id: str) -> None:
        """Highlight the form's code in the tree once the tree is rebuilt (its nodes have no line before;
        moving there now would highlight the first code, which leaving the form's code saves)."""
        tree = self.query_one(CodeTree)
        tree.call_after_refresh(tree.select_code, code_id)

    def codings_changed(self, change) -> None:
        pass

    # -- the form --------------------------------------------------------------------------
    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data and event.node.data != self.code_id:
            self._save_if_edited()
            self._load(event.node.data)

    def _save_if_edited(self, leaving: bool = False) -> bool:
        """Leaving a code saves its edited fields (or says why they could not be saved). Returns
        whether nothing is left unsaved."""
        form = self._form()
        if form is None or not self._changes(*form):
            return True
        if not self._apply_form(*form, select=False):
            name = form[1].get("name") or form[0]
            more = " Press Esc again to leave without them." if leaving else ""
            self.app.notify(f"Your changes to {name!r} were not saved (see above).{more}",
                            title="Codebook", severity="warning")
            return False
        return True

    def _load(self, code_id: str) -> None:
        code = self.desk.codebook.get(code_id)
        if code is None:
            return
        self.code_id = code_id
        self._shown = copy.deepcopy(code)  # the code as the form shows it: what its edits are measured from
        self._fill(code, FIELDS)
        self.query_one("#problems", Static).update("")

    def _refill(self, code_id: str, edits: dict, measured: bool = True) -> None:
        """The codebook was read again while the form holds ``edits`` (``_edits``) to the code now called
        ``code_id``: the fields not edited show the code as it is now (so that nothing is saved from the
        code as it was), the edited ones keep what was typed. ``measured``: the edits stay measured from
        the code as the form was loaded with, so that a field changed here and elsewhere too is refused
        at the save (``_apply_form``); else (the researcher was told of the clash) from the code as it is
        now, so that saving again puts them over it."""
        code = self.desk.codebook.get(code_id)
        shown = copy.deepcopy(code)
        if measured:
            for key in edits.keys() - {"id"}:
                setattr(shown, key, getattr(self._shown, key))
        before, self.code_id, self._shown = self._shown, code_id, shown
        self._fill(code, {k for k in FIELDS if k not in edits and getattr(code, k) != getattr(before, k)})
        chosen = edits.get("parent") and edit.renamed_to(self.desk.codebook, edits["parent"])
        if "parent" in edits and self.query_one("#parent", Select).value != (chosen or TOP):
            shown.parent = code.parent  # the parent chosen is no longer a code: no move is left to save

    def _fill(self, code: Code, keys) -> None:
        """Show the code's ``keys`` (of ``FIELDS``) in the form; the parent's choices always follow the
        codebook (a parent chosen in the form that is no longer a code gives way to the code's own)."""
        book = self.desk.codebook
        for key in keys & {"id", "name"}:
            put(self.query_one(f"#{key}", Input), getattr(code, key))
        banned = {code.id, *book.descendants(code.id)}
        options = [(TOP, TOP)] + [("  " * book.depth(c.id) + c.name, c.id) for c in book.walk() if c.id not in banned]
        parent = self.query_one("#parent", Select)
        chosen = parent.value if parent.value in (TOP, Select.BLANK) else edit.renamed_to(book, parent.value)
        parent.set_options(options)  # (a parent chosen by an id changed elsewhere since: by the id it has now)
        keep = "parent" not in keys and chosen in {value for _, value in options}
        parent.value = chosen if keep else code.parent or TOP
        for key in keys & {"definition", "include", "exclude"}:
            self.query_one(f"#{key}", TextArea).text = getattr(code, key)
        if "examples" in keys:
            self.query_one("#examples", TextArea).text = "\n".join(code.examples)
        if "keywords" in keys:
            put(self.query_one("#keywords", Input), ", ".join(code.keywords))
        for key in keys & {"colour", "shortcut"}:
            put(self.query_one(f"#{key}", Input), getattr(code, key) or "")

    def _form(self) -> tuple[str, dict, str | None, str] | None:
        """(the code's id, its fields as the form has them, the parent, the id typed)."""
        code = self._shown if self.code_id is not None and self._shown is not None else None
        if code is None or code.id != self.code_id:
            return None
        parent = self.query_one("#parent", Select).value
        fields = {
            "name": self.query_one("#name", Input).value.strip(),
            **{key: self.query_one(f"#{key}", TextArea).text.strip() for key in ("definition", "include", "exclude")},
            "examples": [e.strip() for e in self.query_one("#examples", TextArea).text.splitlines() if e.strip()],
            "keywords": [k.strip() for k in self.query_one("#keywords", Input).value.split(",") if k.strip()],
            "colour": self.query_one("#colour", Input).value.strip() or None,
            "shortcut": self.query_one("#shortcut", Input).value.strip() or None,
        }
        new_id = self.query_one("#id", Input).value.strip() or code.id
        return code.id, fields, None if parent in (TOP, Select.BLANK) else parent, new_id

    def _changes(self, code_id: str, fields: dict, parent: str | None, new_id: str) -> dict:
        """What the form changes: measured from the code as the form loaded it (not from the file, which
        someone else may have changed since)."""
        code = self._shown
        return {k: v for k, v in fields.items() if getattr(code, k) != v} | (
            {"parent": parent} if parent != code.parent else {}) | ({"id": new_id} if new_id != code_id else {})

    def _edits(self) -> dict:
        """The form's edits not saved yet (``_changes``; {} when there are none)."""
        form = self._form()
        return self._changes(*form) if form is not None else {}

    def _apply_form(self, code_id: str, fields: dict, parent: str | None, new_id: str, select: bool = True) -> bool:
        """Save the form's changes to ``code_id`` (one undoable step); ``select``: show that code after.
        Only the fields changed in the form are written, so changes made elsewhere to the code's other
        fields stay; a field changed both here and elsewhere is refused (``Stale``), once."""
        changes = self._changes(code_id, fields, parent, new_id)
        if not changes:
            return True
        shown = self._shown

        def build(book: Codebook) -> Codebook:
            now = _exact(book, edit.renamed_to(book, code_id))  # its id changed elsewhere: still its edits
            target = parent and edit.renamed_to(book, parent)  # a parent chosen by an id changed there since

            def then(k: str):  # the field as the form loaded it; a parent under the id it has now
                v = getattr(shown, k)
                return edit.renamed_to(book, v) if k == "parent" and v else v

            clash = [k for k, v in changes.items() if k != "id" and getattr(now, k) != then(k)
                     and getattr(now, k) != (target if k == "parent" else v)]
            if clash:
                said = ", ".join(f"{k} (now {_value(getattr(now, k))})" for k in clash)
                raise Stale(f"{code_id}'s {said} was changed there too",
                            "Your form keeps your version: ctrl+s again puts it over theirs.")
            edited = {k: v for k, v in changes.items() if k in edit.EDITABLE}
            if edited:
                book = edit.edit_code(book, now.id, **edited)
            if "parent" in changes and now.parent != target:
                book = edit.move_code(book, now.id, target)
            if "id" in changes:
                book = edit.rename_id(book, now.id, new_id)
            return book

        def saved_id(book: Codebook) -> str:  # the code's id after the save
            return new_id if "id" in changes else edit.renamed_to(book, code_id)

        return self._reshape(build, lambda b: f"edit {saved_id(b)}", select=saved_id if select else None,
                             keep_form=True)

    def _reshape(self, build, what, select=None, keep_form: bool = False) -> bool:
        """``_reshape_locked`` holding the codebook lock that `qualcode codebook` commands take, so that
        one of them cannot save between the editor's reading of the file and its writing."""
        with codebook_ops.codebook_lock(self.desk.project):
            return self._reshape_locked(build, what, select, keep_form)

    def _reshape_locked(self, build, what, select=None, keep_form: bool = False) -> bool:
        """Make the new codebook with ``build(book)``, save it as one undoable step, show it.

        The codebook file is read again first when it changed since the editor read it (a code added
        with ``qualcode codebook`` in another terminal, another workbench window): ``build`` then
        applies this one change to the codebook as it is now, so nothing saved elsewhere is written
        over. Where the change cannot be made on it (its code was renamed, merged or removed there, or
        the same field changed both ways) nothing is saved and the researcher is told, to do it again
        on the codebook now shown. ``what`` and ``select`` may be functions of the new codebook."""
        box = self.query_one("#problems", Static)
        seen = self.desk.codebook
        arrived = self.app.check_codebook(quiet=True)
        if self.desk.codebook_error is not None:  # never write over a file that cannot be read
            message = (f"the codebook file cannot be read ({self.desk.codebook_error.message}); fix it, then "
                       "reload it (ctrl+p, Reload codebook)")
            box.update(f"Not saved: {message}")
            self.app.notify(f"Not saved: {message}.", title="Codebook", severity="error", timeout=15, markup=False)
            return False
        elsewhere = words = ""
        if arrived is not None:
            words = describe_codebook_changes(arrived) or "reordered"
            elsewhere = f"The codebook changed on disk ({words}) and was reloaded"
        try:
            book = build(self.desk.codebook)
            what = what(book) if callable(what) else what
            select = select(book) if callable(select) else select
            records = seen.records_key()
            codebook_ops.reshape(self.desk.project, book, what, save=self.desk.save_codebook)
        except CodebookError as exc:
            first = exc.problems[0].message if exc.problems else exc.message
            box.update("Not saved: " + "; ".join(p.message for p in exc.problems))
            more = f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
            said = f"{elsewhere}: " if elsewhere else ""
            self.app.notify(f"Not saved: {said}{first}{more}", title="Codebook", severity="error")
            if arrived is not None:
                self._reloaded(keep_form)
            return False
        except QualcodeError as exc:  # Stale, or an operation the codebook as it is now refuses
            if elsewhere or isinstance(exc, Stale):  # (read again before: at a focus, a sync, a dialog)
                advice = getattr(exc, "advice", "Do it again on the codebook shown.")
                said = f"{elsewhere}; your change was not saved" if elsewhere else "Not saved"
                message = f"{said}: {exc.message}. {advice}"
                box.update(message)
                self.app.notify(message, title="Codebook changed on disk", severity="warning", timeout=20,
                                markup=False)
                self._reloaded(keep_form)
            else:
                box.update(f"Not saved: {exc.message}")
                self.app.report(exc, title="Codebook not saved")
            return False
        box.update("")
        self._saved(records != book.records_key(), select)
        said = f" The file had changed on disk ({words}): that is kept, and shown here." if elsewhere else ""
        self.app.notify(f"Saved {self.desk.project.config.codebook}: {what}.{said}", title="Codebook", markup=False)
        return True

    def _reloaded(self, keep_form: bool) -> None:
        """After a save refused on a codebook read again (shown by ``codebook_changed`` already): the
        researcher was told, so saving the form again puts its edits over the code as it is now (and
        only its edits: the other fields show the code as it is now)."""
        if keep_form and self.code_id in self.desk.codebook:
            self._refill(self.code_id, self._edits(), measured=False)

    def _saved(self, recount: bool, select: str | None) -> None:
        if recount:  # codings now count under other codes (a merge, a changed id, dropped codings)
            self.desk.counts = Counter(c.code for c in list(self.desk.codings))
        self._own_change = True  # the form is set below, not by ``_follow``
        try:
            self.app.codebook_saved()
        finally:
            self._own_change = False
        if select and select not in self.desk.codebook:  # removed or merged away: the first code
            select = self.desk.codebook.walk()[0].id if len(self.desk.codebook) else None
        if select:
            self.code_id = None
            tree = self.query_one(CodeTree)
            tree.select_code(select)
            tree.call_after_refresh(tree.select_code, select)  # after the rebuild's own cursor move
            self._load(select)
        elif self.code_id in self.desk.codebook:  # left for another code: this one as saved
            self._shown = copy.deepcopy(self.desk.codebook.get(self.code_id))

    def action_save(self) -> None:
        form = self._form()
        if form is not None:
            self._apply_form(*form)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_new(self, child: bool) -> None:
        book = self.desk.codebook
        here = book.get(self.code_id) if self.code_id else None
        parent = (here.id if child else here.parent) if here is not None else None

        def create(name: str | None) -> None:
            if not name:
                return

            def build(b: Codebook) -> Codebook:  # beside (or under) the highlighted code, as it is now
                if parent is not None:
                    _exact(b, parent)
                code = Code(id=new_id(b, name, parent), name=name, parent=parent)
                codes = list(b.codes)
                anchor = b.get(here.id) if here is not None else None
                at = codes.index(anchor) + 1 if (anchor is not None and not child) else len(codes)
                codes.insert(at, code)
                made.append(code.id)
                return edit.with_codes(b, codes)

            made: list[str] = []
            self._reshape(build, lambda b: f"add {made[-1]}", select=lambda b: made[-1])

        where = f"under {here.name}" if child and here else "beside " + here.name if here else "at the top level"
        self.app.push_screen(NameDialog(f"New code {where}"), create)

    def action_move(self, step: int) -> None:
        book = self.desk.codebook
        code = book.get(self.code_id) if self.code_id else None
        if code is None:
            return
        siblings = book.children(code.parent)
        if not 0 <= siblings.index(code) + step < len(siblings):
            return

        def build(b: Codebook) -> Codebook:  # among its siblings as they are now (its id maybe changed there)
            now = _exact(b, edit.renamed_to(b, code.id))
            siblings = b.children(now.parent)
            i = siblings.index(now)
            j = i + step
            if not 0 <= j < len(siblings):
                raise Stale(f"{code.id} is already {'first' if step < 0 else 'last'} among its siblings")
            codes = list(b.codes)
            x, y = codes.index(siblings[i]), codes.index(siblings[j])
            codes[x], codes[y] = codes[y], codes[x]
            return edit.with_codes(b, codes)

        self._reshape(build, lambda b: f"move {edit.renamed_to(b, code.id)} {'up' if step < 0 else 'down'}",
                      select=lambda b: edit.renamed_to(b, code.id))

    def action_merge(self) -> None:
        code = self.desk.codebook.get(self.code_id) if self.code_id else None
        if code is None:
            return
        self._save_if_edited()

        def merge(target: str | None) -> None:
            if target:
                self._reshape(lambda b: edit.merge_codes(b, _exact(b, code.id).id, _exact(b, target).id),
                              f"merge {code.id} into {target}", select=target)

        self.app.push_screen(CodePicker(self.desk.codebook, self.app.colours, title=f"Merge {code.name} into…",
                                        counts=self.desk.counts, exclude={code.id}), merge)

    def action_remove(self) -> None:
        code = self.desk.codebook.get(self.code_id) if self.code_id else None
        if code is None:
            return
        use = codebook_ops.usage(self.desk.project)
        select = code.parent

        def remove(choice: str) -> None:
            def build(b: Codebook) -> Codebook:
                _exact(b, code.id)
                if choice.startswith("reassign:"):
                    _exact(b, choice.split(":", 1)[1])
                return edit.remove_code(b, code.id, choice)

            self._reshape(build, f"remove {code.id}", select=select)

        def reassign(target: str | None) -> None:
            if target:
                remove(f"reassign:{target}")

        def chosen(choice: str | None) -> None:
            if choice == "reassign":
                self.app.push_screen(CodePicker(self.desk.codebook, self.app.colours, title=f"Reassign the codings "
                                                f"of {code.name} to…", counts=self.desk.counts, exclude={code.id}),
                                     reassign)
            elif choice:
                remove(choice)

        if not use.of(code.id):
            remove("keep-orphaned")  # nothing to keep: no record is written
            return
        self.app.push_screen(RemoveDialog(code.name, use.of(code.id), use.who(code.id)), chosen)

    def action_undo(self) -> None:
        arrived = self._check(quiet=True)
        if arrived is not None:  # the last change in the history may not be the one this window made
            entries = codebook_ops.history(self.desk.project)
            last = f"; ctrl+z again undoes the last change, '{entries[-1]['what']}'" if entries else ""
            words = describe_codebook_changes(arrived) or "reordered"
            self.app.notify(f"The codebook changed on disk ({words}) and was reloaded; nothing was undone{last}.",
                            title="Codebook", severity="warning", timeout=15, markup=False)
            return
        records = self.desk.codebook.records_key()
        try:
            what = codebook_ops.undo(self.desk.project)
        except QualcodeError as exc:
            self.app.report(exc, title="Codebook")
            return
        self.desk.load_codebook()
        self._saved(records != self.desk.codebook.records_key(), self.code_id)
        self.app.notify(f"Undone: {what}.", title="Codebook")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"save": self.action_save, "new": lambda: self.action_new(False),
                   "child": lambda: self.action_new(True), "up": lambda: self.action_move(-1),
                   "down": lambda: self.action_move(1), "merge": self.action_merge,
                   "remove": self.action_remove, "undo": self.action_undo}
        action = actions.get(event.button.id or "")
        if action:
            action()

    def action_back(self) -> None:
        """Back, saving the code's edited fields first (as moving to another code does); a change
        that cannot be saved keeps the editor open, and a second Esc leaves without it."""
        if self._save_if_edited(leaving=True) or getattr(self, "_leave_unsaved", False):
            self.app.pop_screen()
            return
        self._leave_unsaved = True
