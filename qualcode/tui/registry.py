"""Screens reachable from anywhere: adding one is one module and one entry here.

Each entry gives the palette and the key sheet a name and help, one key binding (upper-case,
ctrl or function key: single lower-case letters and digits belong to code shortcuts), and the
screen class as ``"module:Class"``, imported only when first opened so the workbench starts fast.
The class is built with no arguments and reads what it needs from ``self.app`` (``app.desk`` is
the project, the coder and their session). To open the coding screen at a passage, a screen posts
``qualcode.tui.messages.OpenAt(transcript_id, start, end)``; a screen that saves codings itself
through ``project.session(coder)`` tells the App with ``app.commit(lambda: app.desk.note_saved(codings))``
so every view shows them (the suggestions panel's ``Accepted`` message does exactly that).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    """Shown in the command palette and the key sheet."""
    key: str | None
    """The one binding that opens it."""
    help: str
    target: str
    """``"package.module:ScreenClass"``."""

    @property
    def action(self) -> str:
        return f"app.open_screen('{self.target}')"

    def load(self):
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


SCREENS: list[ScreenEntry] = [
    ScreenEntry("Edit the codebook", "ctrl+e", "add, rename, move codes; definitions, keywords, colours, keys",
                "qualcode.tui.screens.codebook:CodebookScreen"),
    ScreenEntry("Retrieve a code's segments", "ctrl+r", "every coded segment of a code across the project",
                "qualcode.tui.screens.retrieval:RetrievalScreen"),
    ScreenEntry("Agreement between coders", "ctrl+a", "agreement table, disagreements, adjudication",
                "qualcode.tui.screens.agreement:AgreementScreen"),
    ScreenEntry("Memos", "M", "every coding memo and transcript memo, searchable; Enter jumps to the passage",
                "qualcode.tui.screens.memos:MemosScreen"),
    ScreenEntry("Export tables and reports", "ctrl+x", "Word report, Excel workbook, CSV files, the codebook",
                "qualcode.tui.screens.export:ExportScreen"),
]
