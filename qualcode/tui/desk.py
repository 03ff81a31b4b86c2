"""The workbench's model: the open project, who codes, their session, and each change as a ``Change``.

No Textual here. Every change goes through the coder's ``CoderSession`` (journal line fsynced
before the call returns); the ``Change`` it yields says which codings were before and after, so
the views update only what changed. Errors are ``QualcodeError`` for the App to show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from qualcode.domain.codebook import Codebook
from qualcode.domain.coding import Coding, CodingSet
from qualcode.errors import LockError, QualcodeError
from qualcode.store.project import CoderSession, Project
from qualcode.tui.layout import middle_cut


class NothingToDo(QualcodeError):
    """Undo or redo with nothing to undo or redo: said briefly, it is no error to act on."""


@dataclass
class Change:
    """One saved change: codings by id before and after (None = absent)."""

    what: str
    before: dict[str, Coding | None]
    after: dict[str, Coding | None]
    seq: int = 0
    """The journal line number that holds it."""
    marked: set[str] = field(default_factory=set)
    """Transcripts whose status or transcript memo changed."""

    @property
    def transcripts(self) -> set[str]:
        return {c.transcript for c in (*self.before.values(), *self.after.values()) if c is not None} | self.marked

    @property
    def added(self) -> list[Coding]:
        return [c for i, c in self.after.items() if c is not None and self.before.get(i) is None]


def op_ids(op: dict) -> set[str]:
    """The coding ids an operation touches."""
    kind = op.get("op")
    if kind == "add":
        return {op["coding"]["id"]}
    if kind == "batch":
        out: set[str] = set()
        for sub in op.get("ops", []):
            out |= op_ids(sub)
        return out
    if "id" in op:
        return {op["id"]}
    return set()


def op_marks(op: dict) -> set[str]:
    """The transcripts whose status or memo an operation sets (``tset``)."""
    if op.get("op") == "tset":
        return {op["t"]}
    if op.get("op") == "batch":
        return {t for sub in op.get("ops", []) for t in op_marks(sub)}
    return set()


def coverage(codings: list[Coding]) -> int:
    """Characters covered by at least one of ``codings`` (overlaps counted once)."""
    total = 0
    end = -1
    for c in sorted(codings, key=lambda c: c.start):
        if c.end <= end:
            continue
        total += c.end - max(c.start, end)
        end = c.end
    return total


def place(c: Coding, quote_width: int = 40, id_width: int | None = None) -> str:
    """Where a coding is: ``int-3 “the first words of the passage…”`` (the quote ``quote_width`` at most;
    the transcript id ``id_width`` at most, cut in the middle: ``05_uk-…ity-hub``, as the home shows it)."""
    quote = " ".join(c.quote.split())
    tid = c.transcript if id_width is None else middle_cut(c.transcript, id_width)
    return f"{tid} “{quote if len(quote) <= quote_width else quote[:quote_width - 1] + '…'}”"


def name_cut(name: str, width: int | None) -> str:
    """``Recruitment…of members``: a code name in ``width`` characters at most, its middle left out, its
    first and last words whole when they fit (else ``layout.middle_cut``, the last word kept if it can)."""
    if width is None or len(name) <= width:
        return name
    words = name.split()
    if len(words) > 1 and len(words[0]) + 1 + len(words[-1]) <= width:
        kept = 1
        while kept < len(words) - 1 and len(words[0]) + 1 + len(" ".join(words[-kept - 1:])) <= width:
            kept += 1
        return words[0] + "…" + " ".join(words[-kept:])
    if len(words) > 1 and len(words[-1]) <= width - 4:
        return name[:width - 1 - len(words[-1])].rstrip() + "…" + words[-1]
    return middle_cut(name, width)


DESCRIPTION_SIZES = ((None, 40, None), (32, 28, 32), (24, 20, 24), (20, 16, 20), (16, 12, 16), (14, 10, 14),
                     (12, 8, 12), (10, 8, 9), (8, 6, 7))
"""The widths (code name, quote, transcript id) a saved change is described in, widest first: the
status line uses the widest that fits (``Desk.last_saved_forms``). The id is cut too: an imported
file's name ("05_uk-covid-inquiry_m1_2023-07-13_marcus-bell_equality-hub") is longer than an 80-column
status line has room for after the code, and the place was lost with it."""


def describe_change(book: Codebook, before: dict[str, Coding | None], after: dict[str, Coding | None],
                    name_width: int | None = None, quote_width: int = 40, id_width: int | None = None) -> str:
    """What a change did, naming the code and the place: ``removed Barriers from int-3 “…”`` (and N more);
    a code name longer than ``name_width`` loses its middle, a quote longer than ``quote_width`` its end,
    a transcript id longer than ``id_width`` its middle."""

    def name(code: str) -> str:
        found = book.get(code)
        return name_cut(found.name if found else code, name_width)

    said = []
    for i in sorted(set(before) | set(after)):
        b, a = before.get(i), after.get(i)
        if b is None and a is not None:
            said.append(f"coded {name(a.code)} in {place(a, quote_width, id_width)}")
        elif a is None and b is not None:
            said.append(f"removed {name(b.code)} from {place(b, quote_width, id_width)}")
        elif a is not None and b is not None and a.code != b.code:
            said.append(f"recoded {name(b.code)} to {name(a.code)} in {place(a, quote_width, id_width)}")
        elif a is not None and b is not None and a.memo != b.memo:
            said.append(f"memo {'saved' if a.memo else 'cleared'} on {name(a.code)} in "
                        f"{place(a, quote_width, id_width)}")
    if not said:
        return "no change"
    return said[0] + (f" (and {len(said) - 1} more)" if len(said) > 1 else "")


def describe_codebook_changes(diff: dict[str, list[str]] | None, most: int = 3) -> str:
    """``renamed barrier to obstacle; added usability, trust; changed theme``: what a codebook changed
    elsewhere brought (from ``Desk.refresh_codebook``); "" when nothing a code has changed (only the
    order, or records)."""
    if not diff:
        return ""
    parts = []
    for key in ("renamed", "added", "removed", "changed"):
        ids = diff.get(key) or []
        if ids:
            more = f" (+{len(ids) - most} more)" if len(ids) > most else ""
            parts.append(f"{key} {', '.join(ids[:most])}{more}")
    return "; ".join(parts)


def read_memory(project: Project, name: str, sealed: bool = False) -> dict:
    """What the workbench keeps in ``.qualcode/NAME`` (JSON) on this machine; {} when it is missing or
    cannot be read (a convenience, never an error). ``sealed``: only what this user wrote
    (``store.cache_seal``), never what came with a project folder handed over."""
    import json

    from qualcode.store.atomic import read_regular
    from qualcode.store.cache_seal import unseal

    try:
        raw = read_regular(project.cache_dir / name)
        data = json.loads((unseal(raw) if sealed else raw) or b"")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_memory(project: Project, name: str, data: dict, sealed: bool = False) -> None:
    """Keep ``data`` in ``.qualcode/NAME`` (a temporary file renamed over it; ``sealed`` with this
    user's key); a read-only project keeps nothing."""
    import json

    from qualcode.store.atomic import write_atomic
    from qualcode.store.cache_seal import seal

    payload = json.dumps(data, sort_keys=True).encode("utf-8")
    try:
        write_atomic(project.cache_dir / name, seal(payload) if sealed else payload, durable=False)
    except QualcodeError:
        pass


CODER_MEMORY = "coder.json"
"""The coder you last chose in this project's workbench (ctrl+k, or ``--coder``). Sealed: a project
folder handed over with its ``.qualcode/`` never makes the next person code as its last coder."""


def remembered_coder(project: Project) -> str | None:
    """The coder you last chose in this project's workbench on this machine, or None."""
    name = read_memory(project, CODER_MEMORY, sealed=True).get("coder")
    return name if isinstance(name, str) and name else None


def remember_coder(project: Project, coder: str) -> None:
    if remembered_coder(project) != coder:
        write_memory(project, CODER_MEMORY, {"coder": coder}, sealed=True)


@dataclass
class TranscriptRow:
    """What the project home shows of one transcript's coding."""

    mine: int = 0
    coded_chars: int = 0
    others: dict[str, int] = field(default_factory=dict)


class Desk:
    def __init__(self, project: Project, coder: str) -> None:
        self.project = project
        self.coder = coder
        self.session: CoderSession | None = None
        self.read_only: str | None = None
        """Why changes are refused (another instance holds the journal), or None."""
        self.ready = False
        """True once the coder's journal is open (or known to be read-only)."""
        self.codebook = Codebook()
        self.codebook_error: QualcodeError | None = None
        self.codebook_stamp: str | None = None
        """A fingerprint of the codebook file as ``codebook`` was read or saved (``codebook_on_disk``)."""
        self.counts: Counter = Counter()
        """My codings per code, across the project."""
        self.rows: dict[str, TranscriptRow] = {}
        self.seq = 0
        self.last_saved: str | None = None
        self.last_saved_forms: list[str] = []
        """``last_saved`` and shorter descriptions of the same change (``DESCRIPTION_SIZES``)."""
        self.load_codebook(reload=True)  # the file as it is now, whatever the project read before

    # -- opening ---------------------------------------------------------------------------
    def load_codebook(self, reload: bool = False) -> QualcodeError | None:
        """Read the codebook; on an error keep the last good one (or none) and return the error."""
        stamp = self.codebook_on_disk()  # taken first: a change made while reading is seen next time
        try:
            self.codebook = self.project.reload_codebook() if reload else self.project.codebook
            self.codebook_error = None
        except QualcodeError as exc:
            self.codebook_error = exc
        self.codebook_stamp = stamp
        return self.codebook_error

    def codebook_on_disk(self) -> str | None:
        """A fingerprint (SHA-256) of the codebook file as it is now; None when it cannot be read."""
        import hashlib

        from qualcode.store.atomic import read_regular

        try:
            return hashlib.sha256(read_regular(self.project.codebook_path)).hexdigest()
        except OSError:
            return None

    def codebook_changed_on_disk(self) -> bool:
        """Whether the codebook file changed since this workbench read or saved it (``qualcode codebook``
        in another terminal, a second workbench window, an editor, a sync)."""
        return self.codebook_on_disk() != self.codebook_stamp

    def refresh_codebook(self) -> dict[str, list[str]] | None:
        """Read the codebook again when its file changed since it was read or saved here. Returns what
        changed (``domain.codebook_edit.differences``: renamed, added, removed, changed), or None when the
        file is as it was. An unreadable file keeps the last good codebook and sets ``codebook_error``.
        Merges, id changes and drops made elsewhere change which code a coding counts as: the coder's
        codings are resolved again and the per-code counts recounted."""
        if not self.codebook_changed_on_disk():
            return None
        from qualcode.domain.codebook_edit import differences

        before = self.codebook
        self.load_codebook(reload=True)
        if self.codebook_error is not None:
            return {"added": [], "removed": [], "changed": []}
        if before.records_key() != self.codebook.records_key():
            if self.session is not None:
                self.session.reload()
            self.counts = Counter(c.code for c in list(self.codings))
        return differences(before, self.codebook)

    def open_session(self) -> list[str]:
        """Take the coder's journal (in a worker thread). Returns notes for the researcher.

        ``ready`` stays False until the App (on its own thread) says the journal is open, so no
        change can run while a worker still reads the codings."""
        notes: list[str] = []
        self.session = None
        self.read_only = None
        try:
            self.session = self.project.session(self.coder)
            notes += [str(w) for w in self.session.warnings]
            self.seq = self.session.writer.seq
        except LockError as exc:
            self.read_only = str(exc)
        except QualcodeError as exc:
            self.read_only = str(exc)
        if self.read_only is not None:
            try:
                notes += [str(w) for w in self.project.journal_warnings(self.coder)]
            except QualcodeError as exc:
                notes.append(str(exc))
        self.counts = Counter(c.code for c in list(self.codings))
        return notes

    @property
    def codings(self) -> CodingSet:
        if self.session is not None:
            return self.session.codings
        try:
            return self.project.codings(self.coder)
        except QualcodeError:
            return CodingSet(self.coder)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def switch(self, coder: str) -> None:
        """Let go of this coder's journal; ``open_session`` then opens the new coder's."""
        from qualcode.store.journal import check_coder_name

        check_coder_name(coder)
        self.close()
        self.coder = coder
        self.ready = False
        self.read_only = None
        self.counts = Counter()
        self.rows = {}
        self.seq, self.last_saved, self.last_saved_forms = 0, None, []  # that was the other coder's

    # -- where the researcher left each transcript ------------------------------------------
    POSITIONS = "positions.json"

    def position(self, tid: str) -> int | None:
        """Where this coder's cursor was when they last left ``tid`` (None: never opened here)."""
        mine = read_memory(self.project, self.POSITIONS).get(self.coder)
        at = mine.get(tid) if isinstance(mine, dict) else None
        return at if isinstance(at, int) and at >= 0 else None

    def remember_position(self, tid: str, offset: int) -> None:
        """Keep the cursor's place in ``.qualcode/`` (this machine only; a convenience, never an error:
        a read-only project opens at the top next time)."""
        data = read_memory(self.project, self.POSITIONS)
        mine = data.get(self.coder)
        mine = mine if isinstance(mine, dict) else {}
        if mine.get(tid) == offset:
            return
        mine[tid] = offset
        data[self.coder] = mine
        write_memory(self.project, self.POSITIONS, data)

    # -- who can be chosen -------------------------------------------------------------------
    def coder_choices(self) -> list[str]:
        """The coders ctrl+k (and the palette) offer: those named in qualcode.toml, those with codings,
        and the current coder. A journal left with no codings (the consensus journal after its
        decisions were undone, a coder whose codings were all removed) is not offered; typing its name
        still opens it."""
        configured = set(self.project.config.coders)

        def has_codings(coder: str) -> bool:
            if coder == self.coder:
                return True
            try:
                return len(self.project.codings(coder)) > 0
            except QualcodeError:
                return True  # unreadable is not empty: offered, and opening it says what is wrong

        return [c for c in self.project.coders() if c in configured or has_codings(c)]

    # -- the project home ------------------------------------------------------------------
    def overview(self) -> dict[str, TranscriptRow]:
        """Per transcript: my codings, the share of its text I coded, other coders' counts."""
        rows = {e.id: TranscriptRow() for e in self.project.index}
        mine = self.codings
        for tid, by_id in list(mine.by_transcript.items()):
            if tid in rows and by_id:
                rows[tid].mine = len(by_id)
                rows[tid].coded_chars = coverage(list(by_id.values()))
        for other in self.project.coders():
            if other == self.coder:
                continue
            try:
                theirs = self.project.codings(other)
            except QualcodeError:
                continue
            for tid, by_id in list(theirs.by_transcript.items()):
                if tid in rows and by_id:
                    rows[tid].others[other] = len(by_id)
        return rows

    def refresh_row(self, tid: str) -> TranscriptRow:
        row = self.rows.setdefault(tid, TranscriptRow())
        mine = list(self.codings.by_transcript.get(tid, {}).values())
        row.mine = len(mine)
        row.coded_chars = coverage(mine)
        return row

    # -- changes ---------------------------------------------------------------------------
    def _writer(self) -> CoderSession:
        if self.session is None or not self.ready:
            if self.read_only:
                raise QualcodeError(f"read-only: {self.read_only.splitlines()[0]}",
                                    hint="close the other qualcode, then reopen this project (or switch coder with ctrl+k)")
            raise QualcodeError("your journal is still opening", hint="wait a moment and try again")
        assert self.session is not None
        return self.session

    def _change(self, prefix: str, ids: set[str], action, marked: set[str] = frozenset(),
                otherwise: str = "", undoing: bool = False) -> Change:
        """Run ``action`` on the session; the change is described by what it did (``prefix`` first),
        or by ``otherwise`` when it changed no coding (a transcript's status or memo). ``undoing``: by
        the change it took back ("undone: coded X in …" when the coding went away again)."""
        s = self._writer()
        before = {i: s.codings.get(i) for i in ids}
        result = action(s)
        if isinstance(result, Coding):
            ids = ids | {result.id}
            before.setdefault(result.id, None)
        elif isinstance(result, list):
            for c in result:
                ids = ids | {c.id}
                before.setdefault(c.id, None)
        after = {i: s.codings.get(i) for i in ids}
        return self._record(prefix, before, after, marked, otherwise, undoing)

    def _record(self, prefix: str, before: dict, after: dict, marked: set[str] = frozenset(),
                otherwise: str = "", undoing: bool = False) -> Change:
        """A saved change, described (``prefix`` first; see ``_change``): keep the per-code counts and
        the home's rows in step with it."""

        def said(name_width: int | None, quote_width: int, id_width: int | None = None) -> str:
            was, now = (after, before) if undoing else (before, after)
            text = describe_change(self.codebook, was, now, name_width, quote_width, id_width)
            return prefix + (otherwise if text == "no change" and otherwise else text)

        forms = list(dict.fromkeys(said(*size) for size in DESCRIPTION_SIZES))
        change = Change(forms[0], before, after, self._writer().writer.seq, set(marked))
        self.seq, self.last_saved, self.last_saved_forms = change.seq, forms[0], forms
        for c in before.values():
            if c is not None:
                self.counts[c.code] -= 1
        for c in after.values():
            if c is not None:
                self.counts[c.code] += 1
        for tid in change.transcripts:
            self.refresh_row(tid)
        return change

    def note_saved(self, codings: list[Coding], what: str = "") -> Change:
        """Codings another part of the workbench saved through this coder's session (the suggestions
        panel's accepted passages): they are in the journal already; keep the counts and rows in step."""
        s = self._writer()
        before = {c.id: None for c in codings}
        after = {c.id: s.codings.get(c.id) for c in codings}
        return self._record(what + ": " if what else "", before, after)

    def note_removed(self, codings: list[Coding], what: str = "") -> Change:
        """Codings another part of the workbench removed through this coder's session (an accepted
        suggestion taken back in the suggestions panel): keep the counts and rows in step."""
        s = self._writer()
        before = {c.id: c for c in codings}
        after = {c.id: s.codings.get(c.id) for c in codings}
        return self._record(what + ": " if what else "", before, after)

    def apply(self, tid: str, start: int, end: int, code: str, memo: str | None = None) -> Change:
        return self._change("", set(), lambda s: s.add(tid, start, end, code, memo=memo))

    def remove(self, coding_id: str) -> Change:
        return self._change("", {coding_id}, lambda s: s.remove(coding_id))

    def recode(self, coding_id: str, code: str) -> Change:
        return self._change("", {coding_id}, lambda s: s.recode(coding_id, code))

    def set_memo(self, coding_id: str, memo: str | None) -> Change:
        return self._change("", {coding_id}, lambda s: s.set_memo(coding_id, memo))

    def next_history(self, undo: bool = True) -> tuple[set[str], str] | None:
        """What undo (``undo``) or redo would change, before it does: the transcripts it touches and the
        change it would take back or bring back, said as it was made ("coded Trust in int-3 “…”"); None
        when there is nothing to undo (redo) or the journal is not open for writing. Worked out on a
        scratch set holding only the codings concerned: nothing is changed."""
        if self.session is None or not self.ready or self.read_only:
            return None
        s = self.session
        stack = s.codings.undo_stack if undo else s.codings.redo_stack
        if not stack:
            return None
        forward, inverse = stack[-1]
        ids = op_ids(forward) | op_ids(inverse)
        now = {i: s.codings.get(i) for i in ids}
        scratch = CodingSet(coder=s.codings.coder)
        for c in now.values():
            if c is not None:
                scratch._put(c)
        scratch.removed = {i: s.codings.removed[i] for i in ids if i in s.codings.removed}
        try:
            scratch._apply_one(inverse if undo else forward)
        except Exception:  # noqa: BLE001 - a preview only: the undo itself says what is wrong
            return None
        then = {i: scratch.get(i) for i in ids}
        was, made = (then, now) if undo else (now, then)  # the change as it was made
        marks = op_marks(forward)
        tids = {c.transcript for c in (*was.values(), *made.values()) if c is not None} | marks
        text = describe_change(self.codebook, was, made, 24, 28, 32)
        if text == "no change":
            text = (s.codings.describe_undo() if undo else s.codings.describe_redo()) or "a change"  # "status of int-3"
        return tids, text

    def undo(self) -> Change:
        s = self._writer()
        if not s.codings.undo_stack:
            raise NothingToDo("nothing to undo")
        forward, inverse = s.codings.undo_stack[-1]
        return self._change("undone: ", op_ids(inverse), lambda s: s.undo(), op_marks(forward),
                            s.codings.describe_undo() or "change", undoing=True)

    def redo(self) -> Change:
        s = self._writer()
        if not s.codings.redo_stack:
            raise NothingToDo("nothing to redo")
        forward = s.codings.redo_stack[-1][0]
        return self._change("redone: ", op_ids(forward), lambda s: s.redo(), op_marks(forward),
                            s.codings.describe_redo() or "change")

    # -- transcript status and memos (kept in the journal too: qualcode.store.status) ------
    def status(self, tid: str) -> str:
        from qualcode.store.status import status_of

        return status_of(self.codings, tid)

    def set_status(self, tid: str, status: str) -> Change:
        from qualcode.store.status import set_status

        return self._change("", set(), lambda s: set_status(s, tid, status), {tid}, f"{tid} marked {status}")

    def set_transcript_memo(self, tid: str, memo: str | None) -> Change:
        from qualcode.store.status import set_mark

        return self._change("", set(), lambda s: set_mark(s, tid, "memo", memo), {tid},
                            f"memo {'saved' if memo else 'cleared'} on {tid}")

    # -- the codebook ----------------------------------------------------------------------
    def save_codebook(self, book: Codebook) -> None:
        """Validate and save atomically (raises CodebookError listing every problem)."""
        self.project.set_codebook(book)
        self.codebook = self.project.codebook
        self.codebook_error = None
        self.codebook_stamp = self.codebook_on_disk()
