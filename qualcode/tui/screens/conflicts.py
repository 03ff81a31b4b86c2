"""Codebook conflicts a team merge left (the same field changed two ways on two machines): each with
the value kept (mine) and the other side's (theirs), and who had each when the sync recorded it
("mine: ben's 'Ours.'"); ``m`` keeps mine, ``t`` takes theirs (one undoable
codebook change, ``services.conflicts``). A field changed on three machines lists every value still
open, the third and later numbered ("3: ana's 'Ana's.'"), and ``3``…``9`` take that one (by whose it
was: ``resolve(..., take=NAME)``). Opened from the command palette: "Codebook conflicts"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.services.conflicts import Conflict, conflicts, resolve, show
from qualcode.tui.screens.picker import DIALOG_CSS


class ConflictsDialog(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ConflictsDialog") + """
    ConflictsDialog OptionList { height: auto; max-height: 24; }
    """
    BINDINGS = [
        Binding("m", "take('mine')", "Keep mine"),
        Binding("t", "take('theirs')", "Take theirs"),
        Binding("3", "take_value(3)", "Take value 3 (4…9 likewise: a third machine's)"),
        *(Binding(str(n), f"take_value({n})", show=False) for n in range(4, 10)),
        Binding("escape", "dismiss(None)", "Close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Conflict] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Codebook conflicts: the same field changed two ways on two machines", classes="title")
            yield OptionList()
            yield Label("m keep mine (the value in the codebook now) · t take theirs · 3…9 take the value so "
                        "numbered · Esc closes (`qualcode sync` shares the choice)", classes="hint")

    def on_mount(self) -> None:
        self.refresh_items()
        self.query_one(OptionList).focus()

    def refresh_items(self, keep: int = 0) -> None:
        self.items = conflicts(self.app.desk.project.codebook_path, self.app.desk.project.codebook)
        options = self.query_one(OptionList)
        options.clear_options()
        if not self.items:
            options.add_option(Option("No conflicts left to choose on.", id="none", disabled=True))
            return
        options.add_options([Option(f"{c.code} · {c.what}\n  mine:   {c.whose('mine')}\n"
                                    f"  theirs: {c.whose('theirs')}" + _more(c), id=str(i))
                             for i, c in enumerate(self.items)])
        options.highlighted = min(keep, len(self.items) - 1)

    def _highlighted(self) -> Conflict | None:
        index = self.query_one(OptionList).highlighted
        if not self.items or index is None or index >= len(self.items):
            return None
        return self.items[index]

    def action_take_value(self, n: int) -> None:
        """Take the value numbered ``n`` in the highlighted conflict (3 and on: earlier merges' values)."""
        c = self._highlighted()
        values = c.options() if c is not None else []
        if n > len(values):
            return
        v = values[n - 1]
        if v["take"] is None:  # an earlier merge's value nobody was named for
            from qualcode.store.codebook_merge import set_command

            self.app.notify(f"nobody is named for {show(v['value'])}: set it by hand "
                            f"({set_command(c.code, c.field, v['value'])}), then keep mine (m)",
                            title="Codebook conflict", markup=False)
            return
        self.action_take(v["take"])

    def action_take(self, take: str) -> None:
        c = self._highlighted()
        if c is None:
            return
        index = self.items.index(c)
        app = self.app
        app.check_codebook()  # settled on the codebook as it is on disk, never over changes made elsewhere
        try:
            said = resolve(app.desk.project, c.code, c.field, take)
        except QualcodeError as exc:
            app.report(exc, title="Conflict not settled")
            return
        if take != "mine":
            error = app.desk.load_codebook(reload=True)
            if error is None:
                app.codebook_saved()
        app.notify(said, title="Codebook conflict", markup=False)
        self.refresh_items(index)
        if not self.items:
            self.dismiss(None)


def _more(c: Conflict) -> str:
    """The values beyond mine and theirs (a field changed on three machines), numbered for their key."""
    return "".join(f"\n  {n}:{' ' * (6 - len(str(n)))} {v['by'] or 'an earlier merge'}'s {show(v['value'])}"
                   for n, v in enumerate(c.options()[2:], 3))
