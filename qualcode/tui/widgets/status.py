"""The status line: who is coding, whether the last change is saved, where the cursor is, the project."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from qualcode.tui.desk import Desk


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    JOURNAL_ROOM = 98
    """From this many cells (a 100-column terminal) the saved state says "journal line N", below "line N"."""

    desk: Desk | None = None
    where: str = ""
    first: bool = False

    def show(self, desk: Desk, where: str = "", first: bool = False) -> None:
        """``where``: what the screen says (the cursor's place...), after the saved state; ``first``: right
        after the coder instead, so that a narrow terminal cuts the saved state, not it (a search's
        "match 3 of 33"). The last change is described as widely as the line has room for: a narrow
        terminal gets the code name cut in the middle and a shorter quote, never the place left out."""
        self.desk, self.where, self.first = desk, where, first
        room = self.size.width or max(self.app.size.width - 2, 0)
        forms = desk.last_saved_forms or [None]
        # "journal line N" on a wide line, "line N" on a narrow one, whatever the change: chosen by the
        # change's length, a recode said "line 16" and the remove after it "journal line 17"
        label = "journal line" if room >= self.JOURNAL_ROOM else "line"
        widest_first = (self.line(desk, where, first, saved, label) for saved in forms)
        for text, essential in widest_first:  # usually the first fits; else the last (narrowest) is shown
            if essential <= room:
                break
        # the widget wraps words to a second line, which a one-line status never shows: what follows the
        # saved state goes word by word, as it should, but where even the narrowest form does not fit, a
        # long word (a transcript id) went whole and the place was lost from "in" on; cut it here, with "…"
        if essential > room:
            text.truncate(room, overflow="ellipsis")
        self.update(text, layout=False)  # one line, fixed height: no layout pass per keystroke

    def fits(self, desk: Desk, where: str) -> bool:
        """Whether the line with ``where`` after the saved state fits whole (the change said as briefly
        as it can be): for a screen with shorter wordings of ``where`` to choose among."""
        room = self.size.width or max(self.app.size.width - 2, 0)
        forms = desk.last_saved_forms or [None]
        text, _ = self.line(desk, where, False, forms[-1], "line")
        return text.cell_len <= room

    @staticmethod
    def line(desk: Desk, where: str, first: bool, saved: str | None, label: str) -> tuple[Text, int]:
        """The line, with the last change said as ``saved`` after ``saved (LABEL N)``, and the cells up
        to the end of the saved state (what should fit; the rest may be cut)."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("coding as ")
        text.append(desk.coder, style="bold")
        if first and where:
            text.append(" · " + where, style="bold")
            where = ""
        if not desk.ready:
            text.append(" · opening your journal…", style="italic")
        elif desk.read_only:
            text.append(" · READ-ONLY (journal open in another qualcode)", style="bold #FF6B6B")
        elif saved:
            text.append(f" · ✓ saved ({label} {desk.seq}): {saved}", style="#7CC47C")
        else:
            text.append(" · ✓ all saved", style="#7CC47C")
        essential = text.cell_len
        if where:
            text.append(" · " + where)
        text.append(" · " + desk.project.config.name, style="dim")
        return text, essential

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Show again what was last shown, as the desk is now (another coder, the journal opened)."""
        if self.desk is not None:
            self.show(self.desk, self.where, self.first)
