"""The workbench's keys, generated from the bindings: the key sheet (``?``) and the palette (``ctrl+p``).

Every place of the workbench (the App itself, each screen, the widgets with keys of their own) is
listed in ``PLACES`` by its class; the key sheet and the command palette read the classes'
``BINDINGS``, so a key added to a screen shows up in both without another edit (a test checks that
no binding with a description is missing). ``HELP`` gives a longer wording for a binding
(``"ClassName.action"``); ``Place.notes`` adds what is not a binding (the mouse, moving the cursor,
a code's own key).

Single lower-case letters and digits belong to code shortcuts on the coding screen except the ones
in ``qualcode.domain.codebook.RESERVED_KEYS``; App-wide keys are upper-case, a symbol, a ctrl key or
a function key, so no code shortcut can collide with them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from textual.app import App
from textual.binding import Binding


@dataclass(frozen=True)
class Place:
    title: str
    targets: tuple[str, ...]
    """``"package.module:Class"`` of the screen or widget whose ``BINDINGS`` are listed."""
    notes: tuple[tuple[str, str], ...] = field(default=())
    """(key, what) rows that are not bindings."""

    def classes(self) -> list[type]:
        out = []
        for target in self.targets:
            module, _, name = target.partition(":")
            out.append(getattr(importlib.import_module(module), name))
        return out


PLACES: list[Place] = [
    Place("Everywhere", ("qualcode.tui.app:WorkbenchApp",), (
        ("ctrl+p", "command palette: every action, by name"),
        ("escape", "back (or clear the selection, close a dialog)"),
    )),
    Place("Project home", ("qualcode.tui.screens.home:HomeScreen",), (
        ("↑ ↓", "choose a transcript"),
    )),
    Place("Coding", ("qualcode.tui.screens.coding:CodingScreen", "qualcode.tui.widgets.code_tree:CodeTree",
                     "qualcode.tui.widgets.coding_list:CodingList"), (
        ("a code's key", "apply that code to the selection (the keys are in the codebook panel and below)"),
        ("← → ↑ ↓", "move the cursor (pageup/pagedown, home/end, ctrl+home/ctrl+end)"),
        ("ctrl+← ctrl+→", "move by word"),
        ("shift+arrows", "select (shift+home/end, ctrl+shift+←/→ by word)"),
        ("mouse drag", "select"),
        ("tab / shift+tab", "move between transcript, codebook and codings panel"),
        ("“Here:” line", "under the transcript while the codebook pane is hidden (f2, or by itself on a narrow "
                         "terminal): names the code(s) under the cursor, those x, m and C act on"),
    )),
    Place("Suggestions (S on the coding screen)", (
        "qualcode.tui.screens.suggestions:SuggestionsPanel", "qualcode.tui.screens.suggestions:SuggestionsScreen"), (
        ("enter", "show the passage in the transcript (what a would code)"),
    )),
    Place("Codebook editor (ctrl+e)", ("qualcode.tui.screens.codebook:CodebookScreen",)),
    Place("Retrieval (ctrl+r)", ("qualcode.tui.screens.retrieval:RetrievalScreen",
                                 "qualcode.tui.screens.retrieval:SegmentList")),
    Place("Agreement (ctrl+a)", ("qualcode.tui.screens.agreement:AgreementScreen",), (
        ("enter", "open the code's disagreements, then a passage"),
    )),
    Place("Export (ctrl+x)", ("qualcode.tui.screens.export:ExportScreen",)),
    Place("Memos (M)", ("qualcode.tui.screens.memos:MemosScreen",), (
        ("type", "search: the memos with every word typed (memo, passage, code, transcript, coder)"),
    )),
    Place("Codebook conflicts (ctrl+p, after a team sync)", ("qualcode.tui.screens.conflicts:ConflictsDialog",)),
]

HELP: dict[str, str] = {
    "WorkbenchApp.quit": "quit (everything is saved as you go)",
    "WorkbenchApp.keys": "this key sheet",
    "WorkbenchApp.open_picker": "open a transcript by name (type to narrow the list)",
    "WorkbenchApp.switch_coder": "switch coder",
    "HomeScreen.open": "open the transcript for coding",
    "HomeScreen.cycle_status": "status of the transcript (yours): not started → in progress → done",
    "HomeScreen.transcript_memo": "memo on the highlighted transcript",
    "CodingScreen.transcript_memo": "memo on this transcript",
    "MemosScreen.open": "open the passage (or the transcript) of the memo",
    "MemosScreen.transcript_memo": "memo on a transcript",
    "CodingScreen.select_sentence": "select the sentence at the cursor",
    "CodingScreen.select_turn": "select the speaker turn at the cursor",
    "CodingScreen.pick_code": "code picker: apply a code by name",
    "CodingScreen.recode": "recode the coding under the cursor",
    "CodingScreen.remove": "remove the coding under the cursor",
    "CodingScreen.memo": "memo on the coding under the cursor",
    "CodingScreen.jump(1, False)": "next coding",
    "CodingScreen.jump(-1, False)": "previous coding",
    "CodingScreen.jump(1, True)": "next coding of the code highlighted in the codebook",
    "CodingScreen.jump(-1, True)": "previous coding of the code highlighted in the codebook",
    "CodingScreen.turn(1)": "next speaker turn (the cursor to its first word; t selects it)",
    "CodingScreen.turn(-1)": "previous speaker turn (or the start of this one)",
    "CodingScreen.undo": "undo (survives a restart; in another transcript: named first, u again undoes)",
    "CodingScreen.redo": "redo (in another transcript: named first, U again redoes)",
    "CodingScreen.search": "search the transcript (enter: next match; the bar counts them)",
    "CodingScreen.suggest": "suggestions for this transcript (accept, reject, review)",
    "CodingScreen.find(1)": "next match",
    "CodingScreen.find(-1)": "previous match",
    "CodingScreen.toggle_side": "show or hide the codebook and codings pane (hidden by itself when narrow)",
    "CodingScreen.back": "back (or close the search and its highlights, or deselect)",
    "CodeTree.apply_code": "apply the highlighted code (codebook panel)",
    "SuggestionsPanel.accept": "accept: the passage becomes a coding",
    "SuggestionsPanel.reject": "reject (remembered: it teaches the model)",
    "SuggestionsPanel.skip": "skip: leave it undecided",
    "SuggestionsPanel.undo": "take back the last accept or reject made here (it is back in the list)",
    "SuggestionsPanel.scroll_detail(1)": "scroll the detail (reasons and passage) down; tab moves into it",
    "SuggestionsPanel.scroll_detail(-1)": "scroll the detail up",
    "SuggestionsPanel.toggle_review": "review mode: the least certain first",
    "SuggestionsPanel.cycle_code(1)": "next code (one code at a time, or all)",
    "SuggestionsPanel.cycle_code(-1)": "previous code",
    "SuggestionsPanel.refresh_suggestions": "recompute now",
    "CodebookScreen.new(False)": "new code beside the highlighted one",
    "CodebookScreen.new(True)": "new child code under the highlighted one",
    "CodebookScreen.save": "save the code's fields",
    "CodebookScreen.move(-1)": "move the code up among its siblings",
    "CodebookScreen.move(1)": "move the code down among its siblings",
    "RetrievalScreen.choose_code": "choose another code",
    "SegmentList.choose": "open the segment in its transcript",
    "CodingList.choose": "jump to the coding (codings panel)",
    "AgreementScreen.toggle_done_only": "only the transcripts every coder marked done, or all (says what it leaves out)",
    "AgreementScreen.next_unit": "next unit of comparison (sentence, turn, character…)",
    "AgreementScreen.take(0)": "settle a disagreement: take coder A's coding",
    "AgreementScreen.take(1)": "take coder B's coding",
    "AgreementScreen.take(2)": "take coder C's coding",
    "AgreementScreen.take_both": "take both",
    "AgreementScreen.take_neither": "take neither",
    "AgreementScreen.undo": "undo the last decision",
    "AgreementScreen.adopt": ("adopt every passage the coders agree on at the unit; boundaries drawn differently "
                              "in one sentence (turn): their overlap, the text every coder coded"),
    "AgreementScreen.open_in_workbench": "open the passage on the coding screen",
    "ExportScreen.write": "write the export",
    "ConflictsDialog.take('mine')": "keep mine: the value in the codebook now (the conflict is settled)",
    "ConflictsDialog.take('theirs')": "take theirs: the other machine's value (one undoable codebook change)",
    "ConflictsDialog.take_value(3)": "take value 3, a third machine's, by whose it was (4 to 9 likewise)",
}

_KEY_NAMES = {
    "question_mark": "?", "slash": "/", "escape": "escape", "right_square_bracket": "]",
    "left_square_bracket": "[", "right_curly_bracket": "}", "left_curly_bracket": "{", "up": "↑", "down": "↓", "left": "←", "right": "→",
}


def key_label(keys: str) -> str:
    """``"U,ctrl+y"`` -> ``"U / ctrl+y"``; ``"ctrl+up"`` -> ``"ctrl+↑"``."""
    out = []
    for key in keys.split(","):
        parts = [_KEY_NAMES.get(p, p) for p in key.strip().split("+")]
        out.append("+".join(parts))
    return " / ".join(out)


def described(cls: type) -> list[tuple[Binding, str]]:
    """The bindings of ``cls`` (its own ``BINDINGS``) a researcher is told about, with their wording."""
    out = []
    for b in getattr(cls, "BINDINGS", []):
        if not isinstance(b, Binding):
            b = Binding(*b)
        if b.action.startswith("app.") and not issubclass(cls, App):
            continue  # a screen's footer shortcut to an App action: listed once, under Everywhere
        text = HELP.get(f"{cls.__name__}.{b.action}") or b.description
        if text:
            out.append((b, text))
    return out


def sheet() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(key, what)]) for every place of the workbench."""
    sections = []
    for place in PLACES:
        rows = [(key_label(b.key), text) for cls in place.classes() for b, text in described(cls)]
        sections.append((place.title, rows + list(place.notes)))
    return sections


def place_of(cls: type) -> Place | None:
    target = f"{cls.__module__}:{cls.__name__}"
    return next((p for p in PLACES if target in p.targets), None)
