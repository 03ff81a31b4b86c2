"""The suggestions panel: candidate passages for the open transcript, accepted or rejected one key each.

``SuggestionsPanel(project, coder, transcript_id, suggester)`` lists what ``suggester.suggest`` returns
(the real one is ``qualcode.suggest.engine.SuggestionEngine``; tests pass a fake, so this module
never imports spaCy or scikit-learn). Keys while the panel has focus:

- ``a`` accept: the passage becomes a coding (``project.session(coder).add``, fsynced), then
  :class:`SuggestionsPanel.Accepted` is posted so the coding screen can show it;
- ``r`` reject: recorded as a negative example in ``codings/<coder>.rejections.jsonl``;
- ``k`` skip: leave it undecided (it moves to the bottom of the list);
- ``u`` take back the last accept or reject made here (the coding is removed, or the rejection
  leaves the rejections file), and the suggestion is back in the list;
- ``enter`` jump: posts :class:`SuggestionsPanel.JumpTo` with the span, for the coding screen;
- ``v`` review mode: every candidate, the ones the engine is least sure about first (active
  learning: your decisions on those teach the model most);
- ``[`` / ``]`` show one code at a time, or all codes; ``g`` recompute now.

What a row, its offsets and ``enter`` show is exactly what ``a`` codes (``accept_span``): whole words,
whole sentences where they fit, and for a short answer shown with its question, the answer alone.
The engine's passages that would be coded as the same span, for the same code (two windows of one
long sentence) are one row (``merge_same_span``: the best score, every reason; the detail names the
engine's passages, as ``qualcode suggest`` lists them, when they differ from what ``a`` codes). A row
whose span the coder has coded with its code already (accepted here or coded on the coding screen)
is not shown, so ``a`` on a row never meets "already coded".
Narrow terminals get fewer columns (the code's name and the passage); the detail below the list
scrolls (``tab`` into it, or ``shift+↑↓``) and puts the reasons first.

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
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualcode.errors import QualcodeError
from qualcode.suggest import rejections
from qualcode.suggest.suggestion import FIXED, OTHER_CODES, Suggester, Suggestion, coding_span, trust_said

BATCH = 5
"""Decisions after which the suggestions are recomputed (and the model retrained)."""
MIN_SHOWN = 10
"""Rows the list fills up to with the best candidates below the threshold."""
WIDE = 110
"""From this many columns the list also shows why each passage is suggested (narrower: in the detail)."""


def accept_span(transcript, s: Suggestion) -> tuple[int, int]:
    """What accepting ``s`` codes, and so what the panel shows of it (``suggestion.coding_span``)."""
    return coding_span(transcript, s)


def merge_same_span(found: list[Suggestion], spans: dict[tuple, tuple[int, int]], key) -> tuple[
        list[Suggestion], dict[tuple, list[Suggestion]]]:
    """One suggestion per passage the researcher would code: the engine's suggestions of one code whose
    coding spans (``spans``, by ``key``) coincide become the best scored of them, carrying every
    reason and scorer of the others. Returns the suggestions (in the order of their first) and, by
    the key of each one that stands for several, those several (the engine's passages, in text order)."""
    groups: dict[tuple, list[Suggestion]] = {}
    for f in found:
        groups.setdefault((f.transcript, f.code, spans[key(f)]), []).append(f)
    out: list[Suggestion] = []
    members: dict[tuple, list[Suggestion]] = {}
    for group in groups.values():
        best = max(group, key=lambda g: g.score)
        if len(group) > 1:
            rest = [g for g in group if g is not best]
            best = replace(best, reasons=tuple(dict.fromkeys(r for g in (best, *rest) for r in g.reasons)),
                           scorers=tuple(dict.fromkeys(x for g in (best, *rest) for x in g.scorers)))
            members[key(best)] = sorted(group, key=lambda g: (g.start, g.end))
        out.append(best)
    return out, members


def question_of(transcript, s: Suggestion, start: int) -> str:
    """The question a short answer (coded from ``start``) answers, without the answer's speaker label
    (the engine's ``question`` runs up to the answer's first word, label included)."""
    turn = transcript.turn_at(start)
    if turn is not None and s.start < turn.start:
        return " ".join(transcript.text[s.start:turn.start].split())
    return " ".join(s.question.split())


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def standing(s: Suggestion) -> str:
    """Where a suggestion stands, in words that do not contradict each other: the score ranks it among
    its code's passages; p is the calibrated chance the coder would code it, and the confidence says
    the same in a word; a candidate is shown to fill the list (outside the transcript's budget)."""
    kind = "suggested" if s.suggested else "a candidate, not suggested"
    unmeasured = s.basis in (FIXED, OTHER_CODES)  # the engine says "low" there, whatever p
    if s.confidence:
        kind += f" ({s.confidence} confidence{': not measured on this code' if unmeasured else ''})"
    said = f"{kind} · score {s.score:.2f} (its rank within the code)"
    if s.probability is not None:
        said += f" · p {s.probability:.2f} " + {
            FIXED: "(from fixed priors: too little coded yet to measure)",
            OTHER_CODES: "(calibrated on your other codes)",
        }.get(s.basis, "(the calibrated chance you would code it)")
    return said


class SuggestionsPanel(Vertical, can_focus=False):
    """Ranked suggestions for one transcript, with accept, reject, skip, jump and review mode."""

    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("r", "reject", "Reject"),
        Binding("k", "skip", "Skip"),
        Binding("u", "undo", "Take back"),
        Binding("shift+down", "scroll_detail(1)", "Scroll the detail", show=False),
        Binding("shift+up", "scroll_detail(-1)", "Scroll the detail back", show=False),
        Binding("v", "toggle_review", "Review mode"),
        Binding("right_square_bracket", "cycle_code(1)", "Next code", show=False),
        Binding("left_square_bracket", "cycle_code(-1)", "Prev code", show=False),
        Binding("g", "refresh_suggestions", "Recompute", show=False),
    ]
    DEFAULT_CSS = """
    SuggestionsPanel { height: 1fr; }
    SuggestionsPanel #suggest-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    SuggestionsPanel #suggest-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    SuggestionsPanel DataTable { height: 1fr; min-height: 5; }
    SuggestionsPanel #suggest-detail-box { height: 1fr; min-height: 5; border-top: solid $panel; }
    SuggestionsPanel #suggest-detail { padding: 0 1; }
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

    class Withdrawn(Message):
        """An accepted suggestion was taken back (``u``): ``coding`` is gone from the journal already."""

        def __init__(self, coding, suggestion: Suggestion | None = None) -> None:
            super().__init__()
            self.coding = coding
            self.suggestion = suggestion

    class Ready(Message):
        """The worker's result."""

        def __init__(self, suggestions: list[Suggestion], notes: list[str], spans: dict | None = None,
                     members: dict | None = None) -> None:
            super().__init__()
            self.suggestions = suggestions
            self.notes = notes
            self.spans = spans or {}
            self.members = members or {}

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
        self.spans: dict[tuple, tuple[int, int]] = {}
        """What accepting each suggestion codes (``accept_span``), by ``key``."""
        self.members: dict[tuple, list[Suggestion]] = {}
        """The engine's passages a row stands for, by the row's ``key``, where it stands for several
        (``merge_same_span``)."""
        self.history: list[tuple[str, Suggestion, object]] = []
        """The decisions made here, for ``u``: ("accept", suggestion, coding) or ("reject", suggestion,
        [rejection, ...]) (one per passage of the engine's the row stands for)."""

    def compose(self) -> ComposeResult:
        yield Static("Suggestions", id="suggest-title")
        yield Static("", id="suggest-status")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="suggest-table")
        with VerticalScroll(id="suggest-detail-box"):
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
        spans = {self.key(f): accept_span(transcript, f) for f in found}
        found, members = merge_same_span(found, spans, self.key)
        notes_fn = getattr(self.suggester, "notes", None)  # optional: the engine has it, fakes need not
        notes = list(notes_fn(None)) if callable(notes_fn) else []
        if not worker.is_cancelled:
            self.post_message(self.Ready(found, notes, spans, members))

    def on_suggestions_panel_ready(self, message: "SuggestionsPanel.Ready") -> None:
        message.stop()
        self.busy = False
        self.suggestions = message.suggestions
        self.notes = message.notes
        self.spans = dict(message.spans)
        decided = {self.key(h[1]) for h in self.history}  # u may bring one of those back after this
        self.members = {**{k: v for k, v in self.members.items() if k in decided}, **message.members}
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
        items = self._not_coded(items)
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

    def _not_coded(self, items: list[Suggestion]) -> list[Suggestion]:
        """``items`` without those whose span (what ``a`` codes) lies inside one of the coder's codings
        of the same code: once a passage is coded, every row it covers for that code leaves the list."""
        try:
            by_transcript = self.project.session(self.coder).codings.by_transcript
        except QualcodeError:  # the journal is another process's now: accepting would say so
            return items
        coded: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for tid in {s.transcript for s in items}:
            for c in by_transcript.get(tid, {}).values():
                coded.setdefault((tid, c.code), []).append((c.start, c.end))

        def covered(s: Suggestion) -> bool:
            start, end = self.span(s)
            return any(a <= start and end <= b for a, b in coded.get((s.transcript, s.code), ()))

        return [s for s in items if not covered(s)]

    def span(self, s: Suggestion) -> tuple[int, int]:
        """What ``a`` codes for ``s`` (and what its row, its detail and ``enter`` show)."""
        k = self.key(s)
        if k not in self.spans:
            self.spans[k] = accept_span(self._transcript_of(s), s)
        return self.spans[k]

    def passage(self, s: Suggestion) -> str:
        start, end = self.span(s)
        return self._transcript_of(s).text[start:end]

    def _columns(self) -> dict[str, int]:
        """Each column's width for the panel's width: at every width the passage keeps the most room;
        below ``WIDE`` columns the "why" column is left out (the detail below has the reasons) and the
        score is the number alone."""
        width = self.size.width or self.app.size.width
        wide = width >= WIDE
        room = width - 2  # the vertical scrollbar
        cols = {"score": 11 if wide else 5, "code": 24 if wide else 18}
        if wide:
            cols["why"] = 0
        rest = room - sum(cols.values()) - 2 * (len(cols) + 1)  # each column's padding, the passage's too
        if wide:
            cols["why"] = max(20, min(60, rest - max(50, rest * 3 // 5)))
            rest -= cols["why"]
        cols["passage"] = max(12, rest)
        return cols

    def _fill(self, keep: int | None = None) -> None:
        table = self.table
        row = table.cursor_row if keep is None else keep
        cols = self._columns()
        table.clear(columns=True)
        table.add_column("score", width=cols["score"], key="score")
        table.add_column("code", width=cols["code"], key="code")
        table.add_column("passage ('a' codes it)" if cols["passage"] >= 24 else "passage", width=cols["passage"],
                         key="passage")
        if "why" in cols:
            table.add_column("why", width=cols["why"], key="why")
        self.shown = self.visible()
        for i, s in enumerate(self.shown):
            if self.review:
                score = f"{s.score:.2f}?"
            elif "why" in cols:
                score = f"{s.score:.2f} {s.confidence}".rstrip()
            else:
                score = f"{s.score:.2f}"
            style = "" if self.key(s) not in self.skipped else "dim"
            candidate = not s.suggested
            cells = [Text(score, style=style or ("dim" if candidate else "")),
                     Text(_short(self._code_name(s.code), cols["code"]), style=style),
                     Text(_short(self.passage(s), cols["passage"]), style=style)]
            if "why" in cols:
                cells.append(Text(_short(s.reason, cols["why"]), style="dim"))
            table.add_row(*cells, key=str(i))
        if self.shown:
            table.move_cursor(row=max(0, min(row, len(self.shown) - 1)))
        self._title()
        self._status()
        self._detail()

    def on_resize(self, event) -> None:
        if self.is_mounted and (self.shown or self.suggestions):
            self._fill(keep=self.table.cursor_row)  # the columns for the new width

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
        status = self.query_one("#suggest-status", Static)
        status.update(Text(text))
        status.display = bool(text)  # no empty line when there is nothing to say

    def current(self) -> Suggestion | None:
        if not self.shown:
            return None
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _detail(self) -> None:
        """The highlighted suggestion: why first (the reasons, the trust in each scorer, where it stands),
        then what ``a`` codes, with its offsets (a short answer's question above it, not coded)."""
        s = self.current()
        detail = self.query_one("#suggest-detail", Static)
        if s is None:
            detail.update("")
            return
        t = self._transcript_of(s)
        start, end = self.span(s)
        turn = t.turn_index(start)
        text = Text()
        name = self._code_name(s.code)
        text.append(name, style="bold")
        text.append(f" · {'turn ' + str(turn + 1) + ', ' if turn is not None else ''}{start}-{end}\n")
        for reason in s.reasons:
            text.append(f"• {reason}\n")
        if s.weights:
            trusted = ", ".join(f"{k} {w:.0%}" for k, w in sorted(s.weights.items(), key=lambda kv: -kv[1]))
            text.append(f"{trust_said(s.basis)}: {trusted}\n", style="dim")
        text.append(f"{standing(s)} ({', '.join(s.scorers) or 'no scorer'})\n", style="dim")
        scored = self.members.get(self.key(s)) or [s]
        if len(scored) > 1:  # why one row stands for several of the passages `qualcode suggest` lists
            said = " and ".join(f"{m.start}-{m.end}" for m in scored)
            text.append(f"the engine scored {len(scored)} passages here ({said}, as qualcode suggest lists "
                        f"them); a codes them once, as one passage: {start}-{end}\n", style="dim")
        elif (s.start, s.end) != (start, end) and not s.question:  # a short answer says so below
            text.append(f"the engine scored {s.start}-{s.end} (as qualcode suggest lists it); a codes it as "
                        f"whole words and sentences: {start}-{end}\n", style="dim")
        if s.question:
            text.append("answers: " + _short(question_of(t, s, start), 200) + " (not coded)\n", style="dim italic")
        text.append("a codes: ", style="bold")
        text.append("“" + _short(t.text[start:end], 600) + "”\n", style="italic")
        if name != s.code:
            text.append(f"code id: {s.code}\n", style="dim")
        detail.update(text)
        self.query_one("#suggest-detail-box", VerticalScroll).scroll_home(animate=False)

    def action_scroll_detail(self, step: int) -> None:
        box = self.query_one("#suggest-detail-box", VerticalScroll)
        box.scroll_relative(y=step * max(1, box.size.height - 1), animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_jump()

    # -- decisions ------------------------------------------------------------------------------
    def action_jump(self) -> None:
        s = self.current()
        if s is not None:
            start, end = self.span(s)  # the passage a would code, selected on the coding screen
            self.post_message(self.JumpTo(start, end, s.transcript))

    def _transcript_of(self, s: Suggestion):
        if self._transcript is not None and self._transcript.id == s.transcript:
            return self._transcript
        return self.project.transcript(s.transcript)

    def action_accept(self) -> None:
        s = self.current()
        if s is None:
            return
        start, end = self.span(s)  # what the row shows: whole words and sentences, an answer without its question
        try:
            session = self.project.session(self.coder)
            coding = session.add(s.transcript, start, end, s.code)
        except QualcodeError as exc:
            self.app.notify(str(exc), title="Not saved", severity="error", timeout=8)
            return
        self.history.append(("accept", s, session.codings.get(coding.id) or coding))
        self._decided(s)
        self.post_message(self.Accepted(coding, s))

    def action_reject(self) -> None:
        s = self.current()
        if s is None:
            return
        t = self._transcript_of(s)
        rej = []  # each passage the engine scored that the row stands for, a negative example
        try:
            for m in self.members.get(self.key(s)) or [s]:
                rej.append(rejections.record(self.project.codings_dir, self.coder, transcript=m.transcript,
                                             start=m.start, end=m.end, code=m.code, text=t.text, th=t.hash))
        except QualcodeError as exc:
            for done in reversed(rej):  # all of the row or none of it
                rejections.withdraw(self.project.codings_dir, self.coder, done)
            self.app.notify(str(exc), title="Not saved", severity="error", timeout=8)
            return
        self.history.append(("reject", s, rej))
        self._decided(s)
        self.post_message(self.Rejected(s))

    def action_undo(self) -> None:
        """Take back the last accept or reject made in this panel; the suggestion is back in the list."""
        if not self.history:
            self.app.notify("Nothing accepted or rejected here to take back (u on the coding screen undoes "
                            "codings).", severity="warning", timeout=4)
            return
        kind, s, thing = self.history[-1]
        where = f"{self._code_name(s.code)} for “{_short(self.passage(s), 50)}”"
        try:
            if kind == "accept":
                said = self._unaccept(s, thing)
            else:
                found = all([rejections.withdraw(self.project.codings_dir, self.coder, r) for r in thing])
                said = (f"Taken back: rejected {where} (no longer a negative example); it is back in the list." if found
                        else f"Rejected {where} was no longer in the rejections file; it is back in the list.")
        except QualcodeError as exc:
            self.app.notify(str(exc), title="Not taken back", severity="error", timeout=8)
            return
        self.history.pop()
        k = self.key(s)
        self.decided.discard(k)
        self.pending = max(0, self.pending - 1)
        if k not in {self.key(x) for x in self.suggestions}:  # the list was recomputed since
            self.suggestions.append(s)
        self._fill(keep=self.table.cursor_row)
        if s in self.shown:
            self.table.move_cursor(row=self.shown.index(s))
        self.app.notify(said, title="Suggestions", timeout=6, markup=False)

    def _unaccept(self, s: Suggestion, coding) -> str:
        """Remove the coding an accept made: the journal's undo when it is the last change (then redo on
        the coding screen brings it back), else a removal. Returns what was done, in words."""
        where = f"{self._code_name(s.code)} for “{_short(coding.quote or self.passage(s), 50)}”"
        session = self.project.session(self.coder)
        if session.codings.get(coding.id) is None:
            return f"Accepted {where} was removed already; the suggestion is back in the list."
        stack = session.codings.undo_stack
        last = stack[-1][0] if stack else {}
        if last.get("op") == "add" and last.get("coding", {}).get("id") == coding.id:
            session.undo()
        else:
            session.remove(coding.id)
        self.post_message(self.Withdrawn(coding, s))
        return f"Taken back: accepted {where} (the coding is removed); it is back in the list."

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
