"""The workbench's key map, in one place: bindings, the footer and the key sheet read it.

Single lower-case letters and digits belong to code shortcuts except the ones in
``qualcode.domain.codebook.RESERVED_KEYS``; everything else here is upper-case, a symbol,
a ctrl key or a function key, so no code shortcut can collide with it.
"""

from __future__ import annotations

KEY_SHEET: list[tuple[str, list[tuple[str, str]]]] = [
    ("Everywhere", [
        ("q", "quit (everything is saved as you go)"),
        ("?", "this key sheet"),
        ("ctrl+p", "command palette: every action, by name"),
        ("ctrl+o", "open a transcript"),
        ("ctrl+e", "edit the codebook"),
        ("ctrl+r", "retrieve: every coded segment of a code"),
        ("ctrl+k", "switch coder"),
        ("escape", "back (or clear the selection)"),
    ]),
    ("Project home", [
        ("↑ ↓", "choose a transcript"),
        ("enter", "open it for coding"),
    ]),
    ("Coding: moving and selecting", [
        ("← → ↑ ↓", "move the cursor (pageup/pagedown, home/end, ctrl+home/ctrl+end)"),
        ("ctrl+← ctrl+→", "move by word"),
        ("shift+arrows", "select (shift+home/end, ctrl+shift+←/→ by word)"),
        ("mouse drag", "select"),
        ("s", "select the sentence at the cursor"),
        ("t", "select the speaker turn at the cursor"),
        ("tab / shift+tab", "move between transcript, codebook and codings panel"),
    ]),
    ("Coding: codes", [
        ("a code's key", "apply that code to the selection (see the codebook panel)"),
        ("enter (codebook)", "apply the highlighted code"),
        ("c", "code picker: apply a code by name"),
        ("C", "recode the coding under the cursor"),
        ("x", "remove the coding under the cursor"),
        ("m", "memo on the coding under the cursor"),
        ("n / p", "next / previous coding"),
        ("N / P", "next / previous coding of the code highlighted in the codebook"),
        ("enter (codings)", "jump to the coding"),
        ("u", "undo (survives a restart)"),
        ("U or ctrl+y", "redo"),
        ("/", "search the transcript (enter: next match)"),
        ("f3 / shift+f3", "next / previous match"),
    ]),
    ("Codebook editor", [
        ("ctrl+n", "new code beside the highlighted one"),
        ("ctrl+b", "new child code under the highlighted one"),
        ("ctrl+s", "save the code's fields"),
        ("ctrl+↑ ctrl+↓", "move the code among its siblings (alt+↑/↓ too)"),
    ]),
    ("Retrieval", [
        ("enter", "open the segment in its transcript"),
        ("c", "choose another code"),
    ]),
]
