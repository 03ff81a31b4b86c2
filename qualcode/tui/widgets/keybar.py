"""The key bar: Textual's footer, fitted to the terminal's width.

Textual's ``Footer`` shows every binding with ``show=True`` in a row and lets the ones that do not fit
fall off the right end, so at 80 columns the coding screen's bar ended "… u Un▏^p palette" and
``/ Search``, ``S Suggest``, ``esc Back`` and ``q Quit`` never appeared. ``KeyBar`` fits them: when the
row is wider than the terminal it goes compact (one space less around each key) and leaves out the
bindings the screen names in ``FOOTER_DROP`` (least needed first) until the rest fits. The ``?`` key
sheet and the command palette still list every key.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual 8 (pinned): the footer's key widget

from qualcode.tui.layout import cells

PALETTE = 13
"""Cells the command palette's key takes at the right end (``▏^p palette`` with its padding)."""


def key_cells(key: str, description: str, compact: bool) -> int:
    """Cells one key takes in the bar: ``" ^e Codebook "`` (compact: ``"^e Codebook "``)."""
    return cells(key) + cells(description) + (2 if compact else 3)


class KeyBar(Footer):
    """The footer, leaving out the screen's ``FOOTER_DROP`` actions (in that order) while it is too wide."""

    _fitted_width = -1

    def compose(self):
        items = list(super().compose())
        keys = [w for w in items if isinstance(w, FooterKey) and "-command-palette" not in w.classes]
        width = self.app.size.width
        drop = list(getattr(self.screen, "FOOTER_DROP", ()))
        compact = sum(key_cells(k.key_display, k.description, False) for k in keys) + PALETTE > width
        if compact != self.compact:
            self.set_reactive(Footer.compact, compact)
            self.set_class(compact, "-compact")
        if compact:
            total = sum(key_cells(k.key_display, k.description, True) for k in keys) + PALETTE - 2
            for action in drop:
                if total <= width:
                    break
                for k in [k for k in keys if k.action == action]:
                    items.remove(k)
                    keys.remove(k)
                    total -= key_cells(k.key_display, k.description, True)
        for item in keys:  # the palette's key keeps its own (compact) look
            item.compact = compact
        self._fitted_width = width
        yield from items

    def on_resize(self) -> None:
        if self.app.size.width != self._fitted_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)
