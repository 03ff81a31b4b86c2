"""Text made for the width it is shown in: ``Fitted(build)`` calls ``build(width)`` (the cells its content
has) and shows what it returns, again whenever its width changes (a resized terminal, a pane shown)."""

from __future__ import annotations

from typing import Callable

from textual.widgets import Label

WIDE = 10_000
"""The width ``build`` is given before the widget is laid out (its first resize makes it again)."""


class Fitted(Label):
    DEFAULT_CSS = """
    Fitted { width: 100%; }
    """

    def __init__(self, build: Callable[[int], object] | None = None, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.build = build
        self.made_for = 0
        """The width the content was last made for (0: not laid out yet)."""

    def show(self, build: Callable[[int], object]) -> None:
        """Show ``build(width)`` from now on."""
        self.build = build
        self.remake()

    def remake(self) -> None:
        if self.build is not None:
            self.made_for = self.content_size.width
            self.update(self.build(self.made_for or WIDE))

    def on_resize(self) -> None:
        if self.content_size.width != self.made_for:
            self.remake()
