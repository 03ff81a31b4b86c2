"""The status line: who is coding, whether the last change is saved, where the cursor is, the project."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from qualcode.tui.desk import Desk


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    desk: Desk | None = None
    where: str = ""
    first: bool = False

    def show(self, desk: Desk, where: str = "", first: bool = False) -> None:
        """``where``: what the screen says (the cursor's place...), after the saved state; ``first``: right
        after the coder instead, so that a narrow terminal cuts the saved state, not it (a search's
        "match 3 of 33")."""
        self.desk, self.where, self.first = desk, where, first
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
        elif desk.last_saved:
            text.append(f" · ✓ saved (journal line {desk.seq}): {desk.last_saved}", style="#7CC47C")
        else:
            text.append(" · ✓ all saved", style="#7CC47C")
        if where:
            text.append(" · " + where)
        text.append(" · " + desk.project.config.name, style="dim")
        self.update(text, layout=False)  # one line, fixed height: no layout pass per keystroke

    def redraw(self) -> None:
        """Show again what was last shown, as the desk is now (another coder, the journal opened)."""
        if self.desk is not None:
            self.show(self.desk, self.where, self.first)
