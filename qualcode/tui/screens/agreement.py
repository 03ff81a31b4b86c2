"""Agreement and adjudication: the agreement table, each code's disagreements, and decisions.

Three views on one screen. The table of codes (agreement, kappa, alpha with its interval, AC1,
Krippendorff's assessment) for the chosen unit; Enter on a code lists its disagreements (Enter on
an overall row lists them all); Enter on a disagreement shows the passage in context, read-only,
with each coder's codings marked and listed. In the list and the passage view one key each takes
coder A's (``a``), coder B's (``b``), coder C's (``c``), both (``o``) or neither (``n``) coding
into the ``consensus`` coder's journal, saved at once ("neither" too: the journal records it, so it
reads settled after a restart); ``z`` undoes the last decision. ``A`` adopts every passage the coders
agree on at the table's unit, which is not listed as a disagreement: identical codings as they are,
codings whose boundaries differ inside the same sentence (turn) as their overlap, the text every
coder coded; it says how many it copied. ``w`` posts :class:`AgreementScreen.OpenAt` for the app to open the
coding workbench at the passage. ``u`` changes the unit. Escape goes back one view.

The numbers are computed in a worker; nothing slow runs on the UI thread.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from qualcode.errors import QualcodeError
from qualcode.tui.layout import column_widths, columns_that_fit

UNITS = ("sentence", "turn", "char", "transcript", "unitized")
CONSENSUS = "consensus"
LETTERS = "abc"
_MARKS = ("on #1F4E79", "underline bold #E8A33D", "italic on #3C6E47")


class AgreementScreen(Screen):
    """Agreement between ``coders`` (default: the project's coders) and adjudication into
    ``consensus``. Built with no arguments it takes the project from ``app.desk.project``."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("u", "next_unit", "Unit"),
        Binding("D", "toggle_done_only", "Done only", show=False),
        Binding("a", "take(0)", "Take A"),
        Binding("b", "take(1)", "Take B"),
        Binding("c", "take(2)", "Take C", show=False),
        Binding("o", "take_both", "Both"),
        Binding("n", "take_neither", "Neither"),
        Binding("z", "undo", "Undo"),
        Binding("A", "adopt", "Adopt agreed", show=False),
        Binding("w", "open_in_workbench", "Workbench", show=False),
    ]
    DEFAULT_CSS = """
    AgreementScreen #agreement-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    AgreementScreen #agreement-caption { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    AgreementScreen DataTable { height: 1fr; }
    AgreementScreen #code-detail { height: auto; max-height: 2; padding: 0 1; background: $panel; }
    AgreementScreen #passage { height: 1fr; padding: 0 1; }
    AgreementScreen #passage-who { height: auto; padding: 1 1 0 1; border-top: solid $panel; }
    """

    class Computed(Message):
        """The worker's result: the report and its disagreements."""

        def __init__(self, report, disagreements: list) -> None:
            super().__init__()
            self.report = report
            self.disagreements = disagreements

    class Failed(Message):
        def __init__(self, error: QualcodeError) -> None:
            super().__init__()
            self.error = error

    class OpenAt(Message):
        """Open the coding workbench at ``[start, end)`` of ``transcript_id`` (the app may handle it)."""

        def __init__(self, transcript_id: str, start: int, end: int) -> None:
            super().__init__()
            self.transcript_id = transcript_id
            self.start = start
            self.end = end

    class Decided(Message):
        """A decision was saved in the consensus journal (the app may refresh its views)."""

        def __init__(self, transcript_id: str, code: str, choice: str, codings: list) -> None:
            super().__init__()
            self.transcript_id = transcript_id
            self.code = code
            self.choice = choice
            self.codings = codings

    def __init__(self, project=None, coders=None, *, unit: str = "sentence", consensus: str = CONSENSUS,
                 n_resamples: int = 10_000, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.project = project
        self.coders = list(coders) if coders else None
        self.unit = unit
        self.consensus = consensus
        self.n_resamples = n_resamples
        self.report = None
        self.disagreements: list = []
        self.shown: list = []  # the disagreements in the list view
        self.current = None  # the disagreement in the passage view
        self.view = "codes"
        self.done_only = False
        """Compare only the transcripts every coder marked done (D); ``left_out`` says which were not."""
        self.left_out: list[str] = []
        self.details: dict[str, str] = {}
        """Per row of the codes table, its code and assessment in full (the cells may cut them)."""

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("Agreement", id="agreement-title")
        yield Static("Computing…", id="agreement-caption")
        yield DataTable(id="codes", cursor_type="row", zebra_stripes=True)
        yield Static(id="code-detail")
        yield DataTable(id="disagreements", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="passage"):
            yield Static(id="passage-text")
            yield Static(id="passage-who")
        yield Footer()

    def on_mount(self) -> None:
        if self.project is None:
            self.project = self.app.desk.project
        if not self.coders:
            self.coders = default_coders(self.project, self.consensus)
        self._show("codes")
        if len(self.coders) < 2:
            self.query_one("#agreement-caption", Static).update(
                "Agreement needs two coders with codings; this project has "
                f"{', '.join(self.coders) or 'none'}.")
            return
        self.compute()

    def _show(self, view: str) -> None:
        self.view = view
        self.query_one("#codes").display = self.query_one("#code-detail").display = view == "codes"
        self.query_one("#disagreements").display = view == "list"
        self.query_one("#passage").display = view == "passage"
        target = {"codes": "#codes", "list": "#disagreements", "passage": "#passage"}[view]
        self.query_one(target).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("take", "take_both", "take_neither", "open_in_workbench"):
            if self.view not in ("list", "passage"):
                return None
            if action == "take" and parameters and parameters[0] >= len(self.coders or ()):
                return False
        return True

    # -- computing ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def compute(self) -> None:
        from qualcode.reliability.disagreements import find_disagreements
        from qualcode.reliability.report import agreement_report

        try:
            only = None
            if self.done_only:
                from qualcode.store.status import done_by_all

                found = done_by_all(self.project, self.coders)
                if not found.kept:
                    raise QualcodeError(f"no transcript is marked done by all of {', '.join(self.coders)}",
                                        hint="mark transcripts done with D on the home (each coder), then D here")
                only, self.left_out = found.kept, found.describe()
            report = agreement_report(self.project, self.coders, self.unit, n_resamples=self.n_resamples,
                                      transcripts=only)
            found = find_disagreements(report.data, report.unit, report.units)
        except QualcodeError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Computed(report, found))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "agreement" and event.state == WorkerState.ERROR:
            self.notify(f"Agreement could not be computed: {event.worker.error!r}. This is a bug.",
                        severity="error", timeout=20, markup=False)

    def on_agreement_screen_failed(self, message: Failed) -> None:
        self.done_only = False  # nothing to compare that way: back to every transcript
        self.query_one("#agreement-caption", Static).update(Text(str(message.error)))
        self.notify(str(message.error), title="Agreement", severity="error", timeout=20, markup=False)

    def on_agreement_screen_computed(self, message: Computed) -> None:
        from qualcode.reliability.report import THRESHOLDS

        self.report, self.disagreements = message.report, message.disagreements
        r = self.report
        letters = [f"{LETTERS[i].upper()} = {c}" for i, c in enumerate(r.coders)]
        self.query_one("#agreement-title", Static).update(Text(  # the counts first: at 80 columns the end is cut
            f"Agreement · {len(r.transcripts)} transcript(s) · {len(self.disagreements)} disagreement(s) · "
            f"{', '.join(letters)} · unit: {r.unit_name} (u to change)", no_wrap=True, overflow="ellipsis"))
        caption = THRESHOLDS
        if self.done_only:
            caption += "\nOnly transcripts every coder marked done (D: all)." + (
                " Left out: " + "; ".join(self.left_out) if self.left_out else "")
        if r.left_out:
            caption += "\n" + r.left_out_note()
        self.query_one("#agreement-caption", Static).update(Text(caption))
        self._fill_codes()
        if self.view != "codes":
            self._show("codes")

    def _fill_codes(self) -> None:
        from qualcode.reliability.report import coded_text, fmt

        r = self.report
        table = self.query_one("#codes", DataTable)
        table.clear(columns=True)
        coded = [f"{LETTERS[i].upper()} coded" for i in range(len(r.coders))]
        if r.unit == "unitized":
            headers = ["code", *coded, "u-alpha", "assessment", "disagreements"]
        else:
            headers = ["code", "units", *coded, "agreement", "kappa", "alpha", "95% CI", "AC1",
                       "assessment", "disagreements"]
        rows = []
        self.details = {}
        count = {}
        for d in self.disagreements:
            count[d.code] = count.get(d.code, 0) + 1
        for row in r.rows + r.overall:
            n = count.get(row.code, 0) if row.scope == "code" else len(self.disagreements)
            shares = [coded_text(v, row.units) for v in row.coded]  # "1 (<0.1%)", never a bare 0.0%
            alpha = fmt(row.alpha) if row.alpha is not None else ("undefined" if row.undefined else "")
            if r.unit == "unitized":
                cells = [row.code, *shares, alpha, row.assessment, str(n)]
            else:
                ci = f"{fmt(row.alpha_low)}–{fmt(row.alpha_high)}" if row.alpha_low is not None else ""
                kappa = fmt(row.kappa) if row.kappa is not None else ("undefined" if "kappa" in row.undefined else "")
                cells = [row.code, str(row.units), *shares, fmt(row.agreement), kappa, alpha, ci, fmt(row.ac1),
                         row.assessment, str(n)]
            cells[-2] = _cut(cells[-2], ASSESSMENT_MAX if self.app.size.width >= 100 else ASSESSMENT_MIN)
            rows.append((row.code, [_cut(cells[0], CODE_MAX), *cells[1:]]))
            self.details[row.code] = f"{row.code}: {row.assessment}" if row.assessment else row.code
        # narrow screens: the least needed columns go first (alpha, the assessment and the code stay)
        widths = dict(zip(headers, column_widths(headers, [cells for _, cells in rows])))
        drop = ["units", *coded, "95% CI", "AC1", "agreement", "kappa", "disagreements"]
        shown = columns_that_fit(widths, drop, max(40, self.app.size.width - 2))  # the screen is the terminal
        keep = [j for j, h in enumerate(headers) if h in shown]
        for j in keep:  # sized now, not when the app is next idle (see layout.column_widths)
            table.add_column(headers[j], width=widths[headers[j]])
        for key, cells in rows:
            table.add_row(*[cells[j] for j in keep], key=key)
        self.shown_columns = [headers[j] for j in keep]
        self._show_detail()

    def _show_detail(self) -> None:
        """Below the codes table: the highlighted row's code and assessment in full."""
        table = self.query_one("#codes", DataTable)
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value if table.row_count else None
        self.query_one("#code-detail", Static).update(Text(self.details.get(key, "")))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "codes":
            self._show_detail()

    def on_resize(self, event) -> None:
        if self.report is not None and self.view == "codes":
            self._fill_codes()

    # -- navigation --------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "codes" and self.report is not None:
            code = event.row_key.value
            self.list_disagreements(None if code.startswith("(") else code)
        elif event.data_table.id == "disagreements" and self.shown:
            self.open_passage(self.shown[event.cursor_row])

    def list_disagreements(self, code: str | None) -> None:
        """Show the disagreements of ``code`` (None: all)."""
        self.shown = [d for d in self.disagreements if code is None or d.code == code]
        table = self.query_one("#disagreements", DataTable)
        table.clear(columns=True)
        letters = [LETTERS[i].upper() for i in range(len(self.coders))]
        headers = ["code", "transcript", "span", "what differs", *letters, "consensus"]
        rows = [self._list_cells(d) for d in self.shown]
        widths = column_widths(headers, rows)
        widths[-1] = max(widths[-1], 16)  # the consensus cell changes as passages are settled
        for header, width in zip(headers, widths):
            table.add_column(header, width=width)
        for i, cells in enumerate(rows):
            table.add_row(*cells, key=str(i))
        if not self.shown:
            self.notify(f"No disagreements on {code or 'any code'} with {self.report.unit_name} as units.")
            return
        self._show("list")

    def _list_cells(self, d) -> list[str]:
        cells = [d.code, d.transcript, f"{d.start}-{d.end}", d.kind]
        cells += ["yes" if d.of(c) else "—" for c in self.coders]
        return cells + [self._state(d)]

    def _state(self, d) -> str:
        from qualcode.reliability.disagreements import BOTH, NEITHER, UNDECIDED, consensus_state

        state = consensus_state(self.project, d, self.consensus)
        if state in self.coders:
            return f"as {LETTERS[self.coders.index(state)].upper()}"
        if state in (BOTH, NEITHER):
            return state
        if state == UNDECIDED:
            return "—"
        return "edited"

    def open_passage(self, d) -> None:
        """The passage in its context, each coder's codings marked and listed (read-only)."""
        self.current = d
        transcript = self.report.data.texts[d.transcript]
        text = transcript.text
        lo, hi = _context(transcript, d.start, d.end)
        shown = Text(text[lo:hi])
        shown.stylize("bold", d.start - lo, d.end - lo)
        for i, c in enumerate(self.coders):
            for s, e, _ in d.of(c):
                shown.stylize(_MARKS[i % len(_MARKS)], s - lo, e - lo)
        header = Text(f"{d.code} · {d.transcript} · {d.start}-{d.end} · {d.kind}\n", style="bold")
        self.query_one("#passage-text", Static).update(header + shown)
        self._update_who()
        self._show("passage")

    def _update_who(self) -> None:
        d = self.current
        text = self.report.data.texts[d.transcript].text
        who = Text()
        for i, c in enumerate(self.coders):
            who.append(f"{LETTERS[i]}  ", style="bold")
            who.append(f"{c}: ", style=_MARKS[i % len(_MARKS)])
            who.append(d.describe(c, text, width=90) + "\n")
        who.append(f"consensus: {self._state(d)}   ", style="bold")
        keys = ", ".join(f"{LETTERS[i]} takes {c}'s" for i, c in enumerate(self.coders))
        who.append(f"({keys}, o both, n neither, z undo, w open in the workbench)")
        self.query_one("#passage-who", Static).update(who)

    def action_back(self) -> None:
        if self.view == "passage":
            self._show("list")
        elif self.view == "list":
            self._show("codes")
        else:
            self.dismiss()

    def action_toggle_done_only(self) -> None:
        self.done_only = not self.done_only
        self.left_out = []
        self.query_one("#agreement-caption", Static).update(
            "Computing on the transcripts every coder marked done…" if self.done_only else "Computing on every transcript…")
        self.compute()

    def action_next_unit(self) -> None:
        i = UNITS.index(self.unit) if self.unit in UNITS else -1
        self.unit = UNITS[(i + 1) % len(UNITS)]
        self.query_one("#agreement-caption", Static).update(f"Computing with {self.unit} units…")
        self.compute()

    def action_open_in_workbench(self) -> None:
        d = self._target()
        if d is not None:
            self.post_message(self.OpenAt(d.transcript, d.start, d.end))

    # -- decisions ---------------------------------------------------------------------------
    def _target(self):
        if self.view == "passage":
            return self.current
        if self.view == "list" and self.shown:
            return self.shown[self.query_one("#disagreements", DataTable).cursor_row]
        return None

    def action_take(self, index: int) -> None:
        if index < len(self.coders):
            self._decide(self.coders[index])

    def action_take_both(self) -> None:
        from qualcode.reliability.disagreements import BOTH

        self._decide(BOTH)

    def action_take_neither(self) -> None:
        from qualcode.reliability.disagreements import NEITHER

        self._decide(NEITHER)

    def _decide(self, choice: str) -> None:
        from qualcode.reliability.disagreements import decide

        d = self._target()
        if d is None:
            return
        try:
            added = decide(self.project, d, choice, self.consensus)
        except QualcodeError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=20, markup=False)
            return
        self.post_message(self.Decided(d.transcript, d.code, choice, added))
        self._refresh_decision(d, advance=True)

    def _refresh_decision(self, d, advance: bool = False) -> None:
        table = self.query_one("#disagreements", DataTable)
        if d in self.shown:
            row = self.shown.index(d)
            table.update_cell(str(row), table.ordered_columns[-1].key, self._state(d))
            if advance and row + 1 < len(self.shown):
                table.move_cursor(row=row + 1)
                if self.view == "passage":
                    self.open_passage(self.shown[row + 1])
                    return
        if self.view == "passage":
            self._update_who()

    def action_undo(self) -> None:
        if self.consensus not in self.project.coders():
            return
        from qualcode.tui.desk import describe_change, op_ids

        try:
            session = self.project.session(self.consensus)
            stack = session.codings.undo_stack
            before = {i: session.codings.get(i) for i in (op_ids(stack[-1][1]) if stack else ())}
            session.undo()
        except QualcodeError as exc:
            self.notify(str(exc), title="Not undone", severity="warning", markup=False)
            return
        book = self.app.desk.codebook if hasattr(self.app, "desk") else self.project.codebook
        what = describe_change(book, before, {i: session.codings.get(i) for i in before})
        self.notify(f"Undone in {self.consensus}'s journal: {what}", markup=False)
        self._refresh_all()

    def action_adopt(self) -> None:
        from qualcode.reliability.disagreements import adopt_agreements

        if self.report is None:
            return
        try:
            done = adopt_agreements(self.project, self.report.data, self.consensus,
                                    unit=self.report.unit, units=self.report.units)
        except QualcodeError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=20, markup=False)
            return
        self.notify(done.describe(self.consensus), timeout=12, markup=False)
        self._refresh_all()

    def _refresh_all(self) -> None:
        if self.view in ("list", "passage"):
            table = self.query_one("#disagreements", DataTable)
            column = table.ordered_columns[-1].key
            for i, d in enumerate(self.shown):
                table.update_cell(str(i), column, self._state(d))
        if self.view == "passage":
            self._update_who()


CODE_MAX, ASSESSMENT_MAX, ASSESSMENT_MIN = 30, 46, 34
"""Cells kept of a code id and of the assessment (below 100 columns: ASSESSMENT_MIN) in the codes
table; the rest is cut with "…"."""


def _cut(text: str, n: int) -> str:
    """``text`` in ``n`` characters, cut with "…" after a whole word when there is one past the middle."""
    if len(text) <= n:
        return text
    kept = text[: n - 1]
    space = kept.rfind(" ")
    return (kept[:space] if space > n // 2 else kept).rstrip() + "…"


def default_coders(project, consensus: str = CONSENSUS) -> list[str]:
    """The project's configured coders with codings, else every coder with codings (not the consensus)."""
    with_codings = [c for c in project.coders_with_codings() if c != consensus]
    configured = [c for c in project.config.coders if c in with_codings]
    return configured if len(configured) >= 2 else with_codings


def _context(transcript, start: int, end: int, margin: int = 400) -> tuple[int, int]:
    """The turn(s) around [start, end), clipped to ``margin`` characters either side."""
    first, last = transcript.turn_at(start), transcript.turn_at(max(start, end - 1))
    lo = first.start if first else start
    hi = last.end if last else end
    return max(lo, start - margin, 0), min(hi, end + margin, len(transcript.text))
