"""The suggestions panel: candidate passages for the open transcript, accepted or rejected one key each.

``SuggestionsPanel(project, coder, transcript_id, suggester)`` lists what ``suggester.suggest`` returns
(the real one is ``qualcode.suggest.engine.SuggestionEngine``; tests pass a fake, so this module
never imports spaCy or scikit-learn). Keys while the panel has focus:

- ``a`` accept: the passage becomes a coding (``project.session(coder).add``, fsynced), then
  :class:`SuggestionsPanel.Accepted` is posted so the coding screen can show it;
- ``r`` reject: recorded as a negative example in ``codings/<coder>.rejections.jsonl``;
- ``k`` skip: leave it undecided (it moves to the bottom of the list);
- ``enter`` jump: posts :class:`SuggestionsPanel.JumpTo` with the span, for the coding screen;
- ``v`` review mode: every candidate, the ones the engine is least sure about first (active
  learning: your decisions on those teach the model most);
- ``[`` / ``]`` show one code at a time, or all codes; ``g`` recompute now.

The suggester runs in a worker thread (``group="suggest"``, exclusive): the UI never waits for
spaCy or for retraining. After every ``BATCH`` decisions (or when the list runs out) the panel asks
again, and the engine retrains on the new codings and rejections before it answers.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualcode.errors import QualcodeError
from qualcode.suggest import rejections
from qualcode.suggest.suggestion import Suggester, Suggestion, coding_span

BATCH = 5
MIN_SHOWN = 10
"""Rows the list fills up to with the best candidates below the threshold."""
"""Decisions after which the suggestions are recomputed (and the model retrained)."""


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def standing(s: Suggestion) -> str:
    """Where a suggestion stands, in words that do not contradict each other: the score ranks it among
    its code's passages; p is the calibrated chance the coder would code it; "low" means a candidate
    below the threshold (shown to fill the list), not a weak suggestion."""
    kind = "a candidate, not suggested" if s.confidence == "low" or not s.suggested else "suggested"
    if s.confidence and s.confidence != "low":
        kind += f" ({s.confidence} confidence)"
    said = f"{kind} · score {s.score:.2f} (its rank within the code)"
    if s.probability is not None:
        said += f" · p {s.probability:.2f} (the calibrated chance you would code it)"
    return said


class SuggestionsPanel(Vertical, can_focus=False):
    """Ranked suggestions for one transcript, with accept, reject, skip, jump and review mode."""

    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("r", "reject", "Reject"),
        Binding("k", "skip", "Skip"),
        Binding("v", "toggle_review", "Review mode"),
        Binding("right_square_bracket", "cycle_code(1)", "Next code", show=False),
        Binding("left_square_bracket", "cycle_code(-1)", "Prev code", show=False),
        Binding("g", "refresh_suggestions", "Recompute", show=False),
    ]
    DEFAULT_CSS = """
    SuggestionsPanel { height: 1fr; }
    SuggestionsPanel #suggest-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    SuggestionsPanel #suggest-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    SuggestionsPanel DataTable { height: 1fr; }
    SuggestionsPanel #suggest-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $panel; }
    """

    class JumpTo(Message):
        """Show ``[start, end)`` of the transcript (the coding screen selects it)."""

        def __init__(self, start: int, end: int, transcript_id: str | None = None) -> None:
            super().__init__()
            self.start = start
            self.end = end
            self.transcript_id = transcript_id

    class Accepted(Message):
        """A suggestion was accepted: ``coding`` is saved in the coder's journal already."""

        def __init__(self, coding, suggestion: Suggestion | None = None) -> None:
            super().__init__()
            self.coding = coding
            self.suggestion = suggestion

    class Rejected(Message):
        """A suggestion was rejected: it is saved as a negative example already."""

        def __init__(self, suggestion: Suggestion) -> None:
            super().__init__()
            self.suggestion = suggestion

    class Ready(Message):
        """The worker's result."""

        def __init__(self, suggestions: list[Suggestion], notes: list[str]) -> None:
            super().__init__()
            self.suggestions = suggestions
            self.notes = notes

    def __init__(self, project, coder: str, transcript_id: str, suggester: Suggester, *,
                 code: str | None = None, review: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.project = project
        self.coder = coder
        self.transcript_id = transcript_id
        self.suggester = suggester
        self.code = code
        """Show only this code (None: all codes)."""
        self.review = review
        """Review mode: every candidate, most uncertain first."""
        self.suggestions: list[Suggestion] = []
        self.notes: list[str] = []
        self.shown: list[Suggestion] = []
        self.decided: set[tuple] = set()
        self.skipped: list[tuple] = []
        self.pending = 0
        self.busy = False
        self._transcript = None

    def compose(self) -> ComposeResult:
        yield Static("Suggestions", id="suggest-title")
        yield Static("", id="suggest-status")
        table = DataTable(cursor_type="row", zebra_stripes=True, id="suggest-table")
        table.add_columns("score", "code", "passage", "why")  # the code's name; its id in the detail
        yield table
        yield Static("", id="suggest-detail")

    @property
    def table(self) -> DataTable:
        return self.query_one("#suggest-table", DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.refresh_suggestions()

    # -- work -----------------------------------------------------------------------------------
    def refresh_suggestions(self) -> None:
        """Ask the suggester again (in a worker)."""
        self.busy = True
        self._status("Finding suggestions…")
        self._compute()

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _compute(self) -> None:
        worker = get_current_worker()
        transcript = self.project.transcript(self.transcript_id)
        self._transcript = transcript
        found = list(self.suggester.suggest(transcript, None))
        # a suggester may leave the quote out: the passage is the transcript's own text
        found = [f if f.quote else replace(f, quote=transcript.text[f.start:f.end]) for f in found]
        notes_fn = getattr(self.suggester, "notes", None)  # optional: the engine has it, fakes need not
        notes = list(notes_fn(None)) if callable(notes_fn) else []
        if not worker.is_cancelled:
            self.post_message(self.Ready(found, notes))

    def on_suggestions_panel_ready(self, message: "SuggestionsPanel.Ready") -> None:
        message.stop()
        self.busy = False
        self.suggestions = message.suggestions
        self.notes = message.notes
        self.decided.clear()
        self.pending = 0
        self._fill()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "suggest" or event.state != WorkerState.ERROR:
            return
        self.busy = False
        error = event.worker.error
        text = str(error) if isinstance(error, QualcodeError) else f"suggestions failed ({type(error).__name__}: {error})"
        self._status(text)
        self.app.notify(text, title="Suggestions", severity="error", timeout=8)

    # -- showing --------------------------------------------------------------------------------
    @staticmethod
    def key(s: Suggestion) -> tuple:
        return (s.transcript, s.start, s.end, s.code)

    def visible(self) -> list[Suggestion]:
        """What the list shows now, in order."""
        items = [s for s in self.suggestions if self.key(s) not in self.decided]
        if self.code:
            items = [s for s in items if s.code == self.code]
        if self.review:
            items.sort(key=lambda s: (-s.uncertainty, -s.score))
        else:
            # the suggested ones, then the best candidates below the threshold until the list has
            # MIN_SHOWN rows: new text that scores low still shows its best passages (low confidence)
            top = sorted((s for s in items if s.suggested), key=lambda s: -s.score)
            rest = sorted((s for s in items if not s.suggested), key=lambda s: -s.score)
            items = top + rest[:max(0, MIN_SHOWN - len(top))]
        order = {k: i for i, k in enumerate(self.skipped)}
        return sorted(items, key=lambda s: order.get(self.key(s), -1))  # stable: skipped ones last

    def _fill(self, keep: int | None = None) -> None:
        table = self.table
        row = table.cursor_row if keep is None else keep
        table.clear()
        self.shown = self.visible()
        for i, s in enumerate(self.shown):
            score = f"{s.score:.2f} {s.confidence}".rstrip() if not self.review else f"{s.score:.2f}?"
            style = "" if self.key(s) not in self.skipped else "dim"
            table.add_row(Text(score, style=style), Text(_short(self._code_name(s.code), 36), style=style),
                          Text(_short(s.quote, 60), style=style),
                          Text(_short(s.reason, 80), style="dim"), key=str(i))
        if self.shown:
            table.move_cursor(row=max(0, min(row, len(self.shown) - 1)))
        self._title()
        self._status()
        self._detail()

    def _code_name(self, code: str) -> str:
        """The code as the researcher named it (its id when the codebook has no such code)."""
        found = self.project.codebook.get(code)
        return found.name if found is not None and found.name else code

    def _title(self) -> None:
        which = self._code_name(self.code) if self.code else "all codes"
        mode = "review: least sure first" if self.review else "suggested, then candidates, each best first"
        self.query_one("#suggest-title", Static).update(f"Suggestions · {which} · {mode} · {len(self.shown)}")

    def _status(self, text: str | None = None) -> None:
        if text is None:
            parts = list(self.notes)
            if not self.shown and not self.busy:
                parts.insert(0, "No suggestions here." + ("" if self.review else " Press v to review weaker candidates."))
            text = "\n".join(parts)
        self.query_one("#suggest-status", Static).update(Text(text))

    def current(self) -> Suggestion | None:
        if not self.shown:
            return None
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _detail(self) -> None:
        s = self.current()
        detail = self.query_one("#suggest-detail", Static)
        if s is None:
            detail.update("")
            return
        where = f"turn {s.turn + 1}, " if s.turn is not None else ""
        text = Text()
        name = self._code_name(s.code)
        text.append(f"{name}  " if name == s.code else f"{name} ({s.code})  ", style="bold")
        text.append(f"{where}{s.start}-{s.end}  {standing(s)}  ({', '.join(s.scorers) or 'no scorer'})\n")
        if s.question:
            text.append("Q: " + _short(s.question, 200) + "\n", style="dim italic")
        body = s.quote.strip()
        if s.question and body.startswith(s.question):
            body = body[len(s.question):].strip()  # the answer; its question is shown above
        text.append(_short(body, 400) + "\n", style="italic")
        for reason in s.reasons:
            text.append(f"• {reason}\n", style="dim")
        if s.weights:
            trusted = ", ".join(f"{k} {w:.0%}" for k, w in sorted(s.weights.items(), key=lambda kv: -kv[1]))
            text.append(f"trust for this code (measured on your codings): {trusted}\n", style="dim")
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_jump()

    # -- decisions ------------------------------------------------------------------------------
    def action_jump(self) -> None:
        s = self.current()
        if s is not None:
            self.post_message(self.JumpTo(s.start, s.end, s.transcript))

    def _transcript_of(self, s: Suggestion):
        if self._transcript is not None and self._transcript.id == s.transcript:
            return self._transcript
        return self.project.transcript(s.transcript)

    def action_accept(self) -> None:
        s = self.current()
        if s is None:
            return
        start, end = coding_span(self._transcript_of(s), s)  # whole sentences, not a window cut mid-clause
        try:
            coding = self.project.session(self.coder).add(s.transcript, start, end, s.code)
        except QualcodeError as exc:
            self.app.notify(str(exc), title="Not saved", severity="error", timeout=8)
            return
        self._decided(s)
        self.post_message(self.Accepted(coding, s))

    def action_reject(self) -> None:
        s = self.current()
        if s is None:
            return
        t = self._transcript_of(s)
        try:
            rejections.record(self.project.codings_dir, self.coder, transcript=s.transcript, start=s.start,
                              end=s.end, code=s.code, text=t.text, th=t.hash)
        except QualcodeError as exc:
            self.app.notify(str(exc), title="Not saved", severity="error", timeout=8)
            return
        self._decided(s)
        self.post_message(self.Rejected(s))

    def action_skip(self) -> None:
        s = self.current()
        if s is None:
            return
        k = self.key(s)
        if k in self.skipped:
            self.skipped.remove(k)
        self.skipped.append(k)
        self._fill(keep=self.table.cursor_row)

    def _decided(self, s: Suggestion) -> None:
        self.decided.add(self.key(s))
        self.pending += 1
        row = self.table.cursor_row
        self._fill(keep=row)
        if self.pending >= BATCH or not self.shown:
            self.refresh_suggestions()

    # -- view -----------------------------------------------------------------------------------
    def action_toggle_review(self) -> None:
        self.review = not self.review
        self._fill(keep=0)

    def action_cycle_code(self, step: int) -> None:
        codes = sorted({s.code for s in self.suggestions if self.key(s) not in self.decided})
        choices: list[str | None] = [None, *codes]
        i = choices.index(self.code) if self.code in choices else 0
        self.code = choices[(i + step) % len(choices)]
        self._fill(keep=0)

    def action_refresh_suggestions(self) -> None:
        self.refresh_suggestions()


class SuggestionsScreen(Screen):
    """The panel on a screen of its own (``escape`` goes back). Messages bubble to the App."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, project, coder: str, transcript_id: str, suggester: Suggester, **kwargs) -> None:
        super().__init__()
        self.panel = SuggestionsPanel(project, coder, transcript_id, suggester, **kwargs)

    def compose(self) -> ComposeResult:
        yield self.panel
        yield Footer()
