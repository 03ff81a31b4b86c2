"""The coding workbench: ``make_app(project, coder)`` builds it for the CLI and for tests alike.

The App owns the ``Desk`` (project, coder, session) and is the only place that changes it:
screens ask (``commit``, ``open_transcript``, ``switch_coder``) and the App tells every screen
what changed. The coder's journal is opened in a worker after the first frame; nothing here
imports spaCy or scikit-learn.
"""

from __future__ import annotations

import gc
import getpass
import os
from dataclasses import dataclass
from typing import Callable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from qualcode.errors import JournalError, QualcodeError
from qualcode.store.journal import check_coder_name
from qualcode.store.project import Project
from qualcode.tui.colours import code_colours
from qualcode.tui.commands import WorkbenchCommands
from qualcode.tui.desk import Change, Desk, NothingToDo, describe_codebook_changes, remember_coder, remembered_coder
from qualcode.tui.registry import SCREENS
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.team import TeamCheck


@dataclass
class Settings:
    """How the workbench behaves (the CLI uses the defaults; tests and benchmarks may change them)."""

    open_transcript: str | None = None
    """A transcript to open at start instead of showing the project home."""
    cursor_blink: bool = False
    """Blinking cursors in text fields (off: steadier screens and snapshots)."""
    background_overview: bool = True
    """Compute the home's per-transcript figures in a worker after the first frame."""
    suggester: Callable | None = None
    """Builds the suggestion engine: ``(project, coder) -> Suggester``. Default: qualcode's spaCy and
    scikit-learn engine, imported the first time suggestions are asked for (never at start)."""


class WorkbenchApp(TeamCheck, App):
    TITLE = "qualcode"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "keys", "Keys"),
        Binding("ctrl+o", "open_picker", "Open", show=False),
        Binding("ctrl+k", "switch_coder", "Coder", show=False),
        *[Binding(s.key, s.action, s.name, show=False) for s in SCREENS if s.key],
    ]

    NARROW = 100
    """Below this many columns notices are shorter (no blank line above and below their text) and the
    "Saved" ones go sooner: at 80x24 a notice of 38 by 14 cells covered a third of the transcript."""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    CSS = """
    Screen.-narrow Toast { padding: 0 1; }
    """
    SAVED_NARROW = 3.0
    """Seconds a "Saved" notice stays below NARROW columns (5 above)."""
    ERROR_SEEN = 3.0
    """An error notice up this many seconds has been read: a dialog opening takes it down (``push_screen``)."""

    def __init__(self, desk: Desk, settings: Settings) -> None:
        super().__init__()
        self.desk = desk
        self.settings = settings
        self.colours: dict[str, str] = code_colours(desk.codebook)
        self.cases = None
        self.start_note = ""
        """Said once the workbench is up: why it does not code as the coder last chosen here."""

    # -- start -------------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.title = f"qualcode · {self.desk.project.config.name}"
        try:
            self.cases = self.desk.project.cases
        except QualcodeError as exc:
            self.report(exc, title="Cases file")
        if self.desk.codebook_error is not None:
            self.report(self.desk.codebook_error, title="Codebook not loaded")
        for problem in self.desk.codebook.warnings[:5]:  # a bad colour or a taken shortcut: ignored, and how to fix it
            self.notify(str(problem), title="Codebook", severity="warning", timeout=20, markup=False)
        for problem in self.desk.project.index.problems[:5]:
            self.notify(str(problem), title="Transcript", severity="warning", timeout=10)
        if self.start_note:
            self.notify(self.start_note, title="Coder", severity="warning", timeout=20, markup=False)
        if self.settings.open_transcript:
            self.open_transcript(self.settings.open_transcript)
        self.call_after_refresh(self.open_session)
        self.call_after_refresh(self.start_team_check)  # others' work arriving (a shared project; team.py)

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def open_session(self) -> list[str]:
        notes = self.desk.open_session()
        if self.settings.background_overview:
            self.desk.rows = self.desk.overview()
        return notes

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "session":
            return
        if event.state == WorkerState.SUCCESS:
            self.desk.ready = True
            for note in event.worker.result or []:
                self.notify(note, title="Journal", severity="warning", timeout=15)
            self.session_ready()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self.desk.ready = True
            self.desk.read_only = str(error)
            self.report(error, title="Journal")
            self.session_ready()

    def settle_memory(self) -> None:
        """Move what is loaded so far (project, journals, the open transcript's index) out of the
        garbage collector's reach: full collections then no longer scan it, which otherwise paused a
        keystroke for up to 65 ms on a 10,000-coding transcript. Objects freed later by reference
        counting are still freed."""
        gc.collect()
        gc.freeze()

    def session_ready(self) -> None:
        self.settle_memory()
        if getattr(self, "_sync_pending", False):
            self.call_after_refresh(self.action_sync)
        if self.desk.read_only:
            from qualcode.tui.screens.dialogs import MessageDialog

            self.push_screen(MessageDialog(
                "This project is open in another qualcode for " + self.desk.coder,
                f"{self.desk.read_only}\n\nThis window is READ-ONLY: you can read and retrieve, but not code. "
                "Close the other qualcode and reopen this project to code as "
                f"{self.desk.coder}, or switch coder with ctrl+k. The codebook is every coder's, not this "
                "journal's: ctrl+e still edits it, and each save keeps what the other window saved."))
        self.redraw_status_lines()
        for screen in self.screen_stack:
            if hasattr(screen, "overview_ready"):
                screen.overview_ready()
            if hasattr(screen, "coder_changed") and not isinstance(screen, HomeScreen):
                screen.coder_changed()

    def redraw_status_lines(self) -> None:
        """Every open screen's status line says who codes now (also screens with nothing else to update)."""
        from qualcode.tui.widgets.status import StatusLine

        for screen in self.screen_stack:
            for line in screen.query(StatusLine):
                line.redraw()

    def on_unmount(self) -> None:
        self.desk.close()

    # -- suggestions ---------------------------------------------------------------------------
    def suggester(self):
        """One suggestion engine per coder for the session (it keeps what it learned)."""
        key = self.desk.coder
        cached = getattr(self, "_suggester", None)
        if cached is None or cached[0] != key:
            factory = self.settings.suggester
            if factory is None:  # the disk cache the CLI fills: a first panel needs no spaCy, no training
                from functools import partial

                from qualcode.suggest.engine import SuggestionEngine

                factory = partial(SuggestionEngine, cache=True)
            cached = (key, factory(self.desk.project, key))
            self._suggester = cached
        return cached[1]

    # -- changes -------------------------------------------------------------------------------
    def commit(self, action: Callable[[], Change]) -> Change | None:
        """Run one change (saved to the journal before it returns), then show it everywhere."""
        try:
            change = action()
        except QualcodeError as exc:
            self.report(exc)
            return None
        for screen in self.screen_stack:
            if hasattr(screen, "codings_changed"):
                screen.codings_changed(change)
        if change.what.startswith(("removed", "recoded", "undone", "redone")):
            # what went away or back, in full (the status line is cut on a narrow terminal); one at a time:
            # a row of undos piled up over the text
            self.take_down({"Saved"})
            self.notify(change.what, title="Saved", timeout=self.SAVED_NARROW if self.size.width < self.NARROW else 5,
                        markup=False)
        return change

    def take_down(self, titles: set[str]) -> None:
        """Take down the notices with these titles (errors included: a notice asking a question that
        was answered)."""
        gone = [n for n in self._notifications if n.title in titles]  # Textual 8 (pinned): no public way
        for n in gone:
            self._unnotify(n, refresh=False)
        if gone:
            self._refresh_notifications()

    def push_screen(self, screen, *args, **kwargs):
        """A dialog opening takes down the notices over it (``take_down_notices``)."""
        from textual.screen import ModalScreen

        if isinstance(screen, ModalScreen):
            self.take_down_notices()
        return super().push_screen(screen, *args, **kwargs)

    def take_down_notices(self) -> None:
        """Take down what covers a dialog that opens: every notice but the errors shown for less than
        ERROR_SEEN seconds (at 80x24 an error stayed 20 s over the coder dialog opened after it; one
        just raised stays, to be read). The status line still names the last change."""
        from time import time

        gone = [n for n in self._notifications
                if n.severity != "error" or time() - n.raised_at >= self.ERROR_SEEN]  # Textual 8 (pinned)
        for n in gone:
            self._unnotify(n, refresh=False)
        if gone:
            self._refresh_notifications()

    def take_down_saved(self) -> None:
        """Take down the "Saved" notices (what a change removed or brought back) when a dialog opens over
        them: at 80x24 one covered the code picker's hint line and its codes' keys, and the status line
        still names the last change. Errors stay."""
        saved = [n for n in self._notifications if n.title == "Saved"]  # Textual 8 (pinned): no public way
        for n in saved:
            self._unnotify(n, refresh=False)
        if saved:
            self._refresh_notifications()

    def report(self, error: BaseException, title: str = "Not done") -> None:
        """An error the researcher can act on, as a notification (never a crash)."""
        message = str(error) if isinstance(error, QualcodeError) else f"{type(error).__name__}: {error}"
        if isinstance(error, NothingToDo):  # a moment's notice, not one covering the screen for long
            self.notify(message, severity="warning", timeout=3, markup=False)
            return
        self.notify(message, title=title, severity="error", timeout=20, markup=False)

    def codebook_saved(self) -> None:
        self.colours = code_colours(self.desk.codebook)
        for screen in self.screen_stack:
            if hasattr(screen, "codebook_changed"):
                screen.codebook_changed()

    # -- navigation ----------------------------------------------------------------------------
    def go_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def open_transcript(self, tid: str, span: tuple[int, int] | None = None) -> None:
        """Show a transcript on the coding screen (above the home), optionally selecting ``span``."""
        from qualcode.tui.screens.coding import CodingScreen

        if tid not in self.desk.project.index:
            self.notify(f"No transcript {tid!r} in this project.", severity="error")
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, CodingScreen):
            self.pop_screen()
        if isinstance(self.screen, CodingScreen):
            self.screen.open(tid, span)
            self.call_after_refresh(self.settle_memory)
            return
        if not self.is_screen_installed("coding"):
            self.install_screen(CodingScreen(), "coding")
        screen = self.get_screen("coding")
        screen.open(tid, span)
        self.push_screen(screen)
        self.call_after_refresh(self.settle_memory)

    def open_screen(self, target: str) -> None:
        entry = next((s for s in SCREENS if s.target == target), None)
        if entry is None:
            return
        cls = entry.load()
        if isinstance(self.screen, cls):
            return
        self.push_screen(cls())

    def on_open_at(self, message) -> None:
        """A screen asks to show a passage (``messages.OpenAt``, or the agreement screen's ``OpenAt``)."""
        span = None
        if message.start is not None and message.end is not None and message.end > message.start:
            span = (message.start, message.end)
        self.open_transcript(message.transcript_id, span)

    on_agreement_screen_open_at = on_open_at

    def on_suggestions_panel_jump_to(self, message) -> None:
        """The suggestions panel shows a passage: select it on the coding screen."""
        from qualcode.tui.screens.coding import CodingScreen

        coding = next((s for s in reversed(self.screen_stack) if isinstance(s, CodingScreen)), None)
        tid = message.transcript_id or (coding.tid if coding is not None else None)
        if tid is not None:
            self.open_transcript(tid, (message.start, message.end))

    def on_suggestions_panel_accepted(self, message) -> None:
        """An accepted suggestion is saved already: show it everywhere like any coding."""
        self.commit(lambda: self.desk.note_saved([message.coding], "accepted a suggestion"))

    def on_suggestions_panel_withdrawn(self, message) -> None:
        """An accepted suggestion taken back in the panel (removed from the journal already)."""
        self.commit(lambda: self.desk.note_removed([message.coding], "took back an accepted suggestion"))

    def retrieve(self, code: str) -> None:
        from qualcode.tui.screens.retrieval import RetrievalScreen

        self.push_screen(RetrievalScreen(code))

    def action_open_screen(self, target: str) -> None:
        self.open_screen(target)

    def action_keys(self) -> None:
        from qualcode.tui.screens.keysheet import KeySheet

        if not isinstance(self.screen, KeySheet):
            self.push_screen(KeySheet(self.desk.codebook, self.colours))

    def action_open_picker(self) -> None:
        from qualcode.tui.screens.dialogs import Choose

        choices = [(e.id, f"{e.id} · {e.title}") for e in self.desk.project.index]
        self.push_screen(Choose("Open a transcript", choices, search=True),
                         lambda tid: self.open_transcript(tid) if tid else None)

    def action_switch_coder(self) -> None:
        from qualcode.tui.screens.dialogs import CoderDialog

        self.push_screen(CoderDialog(self.desk.coder, self.desk.coder_choices()),
                         lambda name: self.switch_coder(name) if name else None)

    def switch_coder(self, name: str) -> None:
        if name == self.desk.coder and self.desk.ready and not self.desk.read_only:
            return
        try:
            self.desk.switch(name)
        except QualcodeError as exc:
            self.report(exc, title="Cannot switch coder")
            return
        remember_coder(self.desk.project, name)  # the next start codes as them too
        self.redraw_status_lines()
        for screen in self.screen_stack:
            if hasattr(screen, "coder_changed"):
                screen.coder_changed()
        self.notify(f"Now coding as {name}.", title="Coder")
        self.open_session()

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Key sheet", "Every key of the workbench", self.action_keys)
        yield SystemCommand("Switch coder", f"Code as someone else (now {self.desk.coder})", self.action_switch_coder)
        yield SystemCommand("Project home", "The list of transcripts", self.go_home)
        yield SystemCommand("Reload codebook", "Read the codebook file again (after editing it outside)",
                            self.reload_codebook)
        if (self.desk.project.root / ".git").exists():
            yield SystemCommand("Sync with the team", "qualcode sync: share your work, get the others' (git)",
                                self.action_sync)
        if self.has_conflicts():
            yield SystemCommand("Codebook conflicts", "Choose on the codebook fields a merge found changed two ways",
                                self.action_conflicts)
        for entry in SCREENS:
            if entry.key:  # listed already with its key (the palette's keyed commands): once is enough
                continue
            yield SystemCommand(entry.name, entry.help, lambda target=entry.target: self.open_screen(target))

    def action_sync(self) -> None:
        """``qualcode sync`` from the workbench: the journal is let go while git works, then reopened
        with what arrived (the notice says what, from whom). Asked while the journal is still being
        opened, the sync waits for it (it would find the journal locked by this very window)."""
        if not self.desk.ready:
            self._sync_pending = True
            self.notify("Syncing once the project has opened…", title="Sync")
            return
        self._sync_pending = False
        self.desk.switch(self.desk.coder)
        for session in list(self.desk.project._sessions.values()):  # the consensus journal the agreement
            session.close()  # screen wrote to (it reopens it at its next decision): git must not find it held
        self.notify("Syncing with the team…", title="Sync")
        self.sync_worker()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def sync_worker(self) -> None:
        from qualcode.services.sync import sync

        project = self.desk.project
        try:
            result = sync(project.root, self.desk.coder, project.config.codebook)
            project.refresh_index()
        except QualcodeError as exc:
            self.call_from_thread(self.report, exc, title="Sync")
        else:
            who = f" from {', '.join(result.authors)}" if result.authors else ""
            said = (f"Arrived{who}: " + "; ".join(result.arrived)) if result.arrived else "Nothing new from the others."
            pushed = " Pushed." if result.pushed else " Nothing to push." if result.up_to_date else " Not pushed."
            self.call_from_thread(self.notify, said + pushed, title="Sync", timeout=15, markup=False)
            for note in result.notes[:5]:  # two interviews kept under one name, a change a removal overrode...
                self.call_from_thread(self.notify, note, title="Sync", severity="warning", timeout=20, markup=False)
            if len(result.notes) > 5:
                self.call_from_thread(self.notify, f"{len(result.notes) - 5} more note(s): `qualcode sync` in a "
                                      "terminal prints them all", title="Sync", timeout=20)
        self.call_from_thread(self.after_sync)

    def after_sync(self) -> None:
        from qualcode.store.codebook_merge import conflict_findings

        error = self.desk.load_codebook(reload=True)
        if error is None:
            self.codebook_saved()
        for problem in conflict_findings(self.desk.project.codebook_path)[:5]:  # a choice the merge left
            self.notify(str(problem), title="Codebook conflict", severity="warning", timeout=20)
        self.open_session()

    def check_codebook(self, quiet: bool = False) -> dict | None:
        """Read the codebook again if its file changed since this workbench read or saved it (another
        window, ``qualcode codebook`` in a terminal, an editor), and show it everywhere. Called when a
        screen comes back, when the terminal regains focus, and by the codebook editor before it opens
        and before every save. Returns what changed (None: nothing); says so unless ``quiet``."""
        records = self.desk.codebook.records_key()
        diff = self.desk.refresh_codebook()
        if diff is None:
            return None
        if self.desk.codebook_error is not None:  # the last good codebook stays in use
            if not quiet:
                self.report(self.desk.codebook_error, title="The codebook file changed and cannot be read")
            return diff
        self.codebook_saved()
        if records != self.desk.codebook.records_key():  # merged, renamed or dropped there: codings count anew
            for screen in self.screen_stack:
                if hasattr(screen, "coder_changed"):
                    screen.coder_changed()
        if not quiet:
            what = describe_codebook_changes(diff)
            self.notify(f"The codebook file changed on disk and was reloaded{': ' + what if what else ''}.",
                        title="Codebook", timeout=8, markup=False)
        return diff

    def on_app_focus(self, event) -> None:
        """Back from another terminal (where ``qualcode codebook`` may have run): the codebook as it is."""
        self.check_codebook()

    def reload_codebook(self) -> None:
        self.desk.codebook_stamp = "reload"  # read it whatever its fingerprint: the palette asked for it
        diff = self.desk.refresh_codebook()
        if self.desk.codebook_error is not None:
            self.report(self.desk.codebook_error, title="Codebook not reloaded")
            return
        self.codebook_saved()
        what = describe_codebook_changes(diff)
        self.notify(f"Codebook reloaded{': ' + what if what else ''}.", markup=False)


def as_coder_name(name: str) -> str:
    """``new person`` -> ``new_person``: what a coder name may hold."""
    return "".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in name) or "coder"


def login_name() -> str:
    """Your login name as a coder name."""
    try:
        return as_coder_name(getpass.getuser())
    except (KeyError, OSError):
        return "coder"


def default_coder(project: Project) -> str:
    """Who the workbench codes as when ``--coder`` does not say (``opening_coder``)."""
    return opening_coder(project)[0]


def opening_coder(project: Project) -> tuple[str, str]:
    """Who the workbench codes as when ``--coder`` does not say, and a note when the coder you last
    chose could not be used: ``QUALCODE_CODER``; else the coder you last chose in this project's
    workbench on this machine (ctrl+k or ``--coder``; ``desk.remembered_coder``), journal or not: the
    memory is sealed with your key, so only you chose them (a name that is not a usable coder name
    gives way, with a note); else your login name.

    Never the project's ``default_coder`` by itself (that names whose codings reports and tables use):
    opening a project someone else coded, such as the bundled study, must not put your keystrokes into
    their journal. Choose them explicitly with ``--coder NAME`` or ctrl+k."""
    name = os.environ.get("QUALCODE_CODER", "").strip()
    if name:
        return as_coder_name(name), ""
    mine = login_name()
    last = remembered_coder(project)
    if last is None or last == mine:
        return mine, ""
    try:
        return check_coder_name(last), ""  # sealed with your key: you chose them, journal or not
    except JournalError:
        return mine, (f"You last coded here as {last!r}, which is not a usable coder name (letters, "
                      f"digits, '_', '.' or '-'): coding as {mine}. ctrl+k switches coder.")


def make_app(project: Project, coder: str | None = None, settings: Settings | None = None) -> WorkbenchApp:
    """The workbench on ``project`` for ``coder`` (remembered for the next start without ``--coder``),
    else for ``opening_coder``."""
    settings = settings or Settings()
    note = ""
    if coder:
        remember_coder(project, coder)
    else:
        coder, note = opening_coder(project)
    app = WorkbenchApp(Desk(project, coder), settings)
    app.start_note = note
    return app


def run(project: Project, coder: str | None = None) -> None:
    """Run the workbench in this terminal until the researcher quits."""
    app = make_app(project, coder)
    try:
        app.run()
    finally:
        project.close()
