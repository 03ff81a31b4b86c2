"""A project is a folder: qualcode.toml, a codebook, transcripts, cases.csv, coders' journals.

``Project.open`` reads the config, the codebook, the transcript index and the cases; journals are
replayed on first use. ``CoderSession`` is the one writer of a coder's journal: every change is in
the journal (fsynced) before it is applied in memory and before the call returns.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from qualcode.domain.codebook import Codebook
from qualcode.domain.coding import Coding, CodingSet, make_coding
from qualcode.domain.transcript import Transcript
from qualcode.errors import AnchorError, Problem, QualcodeError, UnknownCodeError
from qualcode.store.anchoring import Anchor, anchor_many
from qualcode.store.cases import Cases, load_cases
from qualcode.store.config import ProjectConfig, find_root, load_config
from qualcode.store.index import TranscriptIndex
from qualcode.store.journal import CODER_NAME, JournalWriter, Replay, aside_warnings, check_coder_name, replay


class Project:
    def __init__(self, root: Path, config: ProjectConfig) -> None:
        self.root = root
        self.config = config
        self._replays: dict[str, tuple[tuple[int, int], Replay]] = {}
        self._sessions: dict[str, CoderSession] = {}

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, search: bool = True) -> "Project":
        start = Path(path) if path is not None else Path.cwd()
        root = find_root(start) if search else start.resolve()
        project = cls(root, load_config(root))
        from qualcode.store.merge import ready_clone

        ready_clone(root)  # a fresh clone of a shared project gets qualcode's merge drivers
        project.index  # noqa: B018 - build the transcript index now
        return project

    @property
    def codebook_path(self) -> Path:
        return self.root / self.config.codebook

    @property
    def transcripts_dir(self) -> Path:
        return self.root / self.config.transcripts

    @property
    def codings_dir(self) -> Path:
        return self.root / self.config.codings

    @property
    def cases_path(self) -> Path:
        return self.root / self.config.cases

    @property
    def exports_dir(self) -> Path:
        return self.root / self.config.exports

    @property
    def cache_dir(self) -> Path:
        return self.root / ".qualcode"

    @cached_property
    def codebook(self) -> Codebook:
        return self._load_codebook()

    def _load_codebook(self, quiet: bool = False) -> Codebook:
        """The codebook file read; what it gives that is ignored (a bad colour, a taken shortcut:
        ``Codebook.warnings``) is said once (``domain.codebook.tell_warnings``), unless ``quiet``."""
        from qualcode.domain.codebook import tell_warnings
        from qualcode.formats.codebook_yaml import load_codebook

        book = load_codebook(self.codebook_path)
        tell_warnings(book.warnings, quiet=quiet)
        return book

    def reload_codebook(self, quiet: bool = False) -> Codebook:
        """The codebook read again; ``quiet``: its warnings are not said (the caller lists them)."""
        self.__dict__.pop("codebook", None)
        self.__dict__["codebook"] = book = self._load_codebook(quiet)
        return book

    def set_codebook(self, book: Codebook) -> None:
        """Save (validated, atomic) and use ``book``."""
        from qualcode.formats.codebook_yaml import save_codebook

        before = self._codebook_or_none()
        save_codebook(book, self.codebook_path)
        book.path = str(self.codebook_path)
        self.__dict__["codebook"] = book
        if before is None or before.records_key() != book.records_key():
            for session in list(self._sessions.values()):
                session.reload()

    @cached_property
    def index(self) -> TranscriptIndex:
        idx = TranscriptIndex(self.root, self.transcripts_dir, self.cache_dir, self.config.aliases,
                              speakers=self.speaker_settings())
        idx.refresh()
        return idx

    def speaker_settings(self) -> dict:
        """``[speakers]`` roles and default respondent, as the transcript importers take them."""
        return {"roles": dict(self.config.speaker_roles), "respondent": self.config.respondent or None}

    def refresh_index(self) -> TranscriptIndex:
        self.index.refresh()
        return self.index

    @cached_property
    def cases(self) -> Cases:
        return load_cases(self.cases_path)

    def transcript(self, transcript_id: str) -> Transcript:
        return self.index.load(transcript_id)

    # -- coders and codings ----------------------------------------------------------------
    def coders(self) -> list[str]:
        found = []
        if self.codings_dir.is_dir():
            # <coder>.jsonl only: suggestion rejections live beside it as <coder>.rejections.jsonl
            found = sorted(p.stem for p in self.codings_dir.glob("*.jsonl")
                           if not p.name.startswith(".") and "." not in p.stem)
        out = list(self.config.coders)
        out += [c for c in found if c not in out]
        return [c for c in out if CODER_NAME.fullmatch(c)]

    def stray_journals(self) -> list[Problem]:
        """Journals (or configured coders) whose name cannot be a coder's: left out, and said so."""
        names = list(self.config.coders)
        if self.codings_dir.is_dir():
            names += [p.stem for p in self.codings_dir.glob("*.jsonl") if not p.name.startswith(".") and "." not in p.stem]
        return [Problem(f"{name!r} is not a usable coder name: this journal is left out; rename it with letters, "
                        "digits, '_', '.' or '-'", str(self.codings_dir / f"{name}.jsonl"))
                for name in dict.fromkeys(names) if not CODER_NAME.fullmatch(name)]

    def coders_with_codings(self) -> list[str]:
        return [c for c in self.coders() if len(self.codings(c))]

    def _replay(self, coder: str) -> Replay:
        if coder in self._sessions:
            s = self._sessions[coder]
            return Replay(s.codings, s.warnings)
        check_coder_name(coder)
        path = self.codings_dir / f"{coder}.jsonl"
        try:
            st = path.stat()
            key = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            key = (0, 0)
        book = self._codebook_or_none()
        key += (book.records_key() if book is not None else None,)
        cached = self._replays.get(coder)
        if cached and cached[0] == key:
            return cached[1]
        rep = replay(path, coder, self.cache_dir / "journals")
        self.resolve_codes(rep.codings)
        self._replays[coder] = (key, rep)
        return rep

    def _codebook_or_none(self) -> Codebook | None:
        try:
            return self.codebook
        except QualcodeError:
            return None

    def resolve_codes(self, codings: CodingSet, ids: list[str] | None = None) -> None:
        """Codes the codebook records as renamed, merged or dropped, resolved in ``codings`` (in memory;
        journals keep the ids they were written with). See ``domain.codebook_edit.resolve_codings``."""
        from qualcode.domain.codebook_edit import resolve_codings

        from qualcode.store.state import partitions_of, resolver_for

        book = self._codebook_or_none()
        if book is None:
            return
        parts = partitions_of(codings)
        if parts is not None and ids is None:  # a cached state: each transcript's codings as they are read
            resolver = resolver_for(book)
            if resolver is not None:
                parts.set_resolver(resolver)
            return
        resolve_codings(codings, book, ids)

    def codings(self, coder: str) -> CodingSet:
        """A coder's current codings (read-only view; use ``session`` to change them)."""
        return self._replay(coder).codings

    def journal_warnings(self, coder: str) -> list[Problem]:
        return list(self._replay(coder).warnings)

    def cache_notes(self) -> list[str]:
        """What was rebuilt in ``.qualcode/`` because it was damaged or not written by this user."""
        notes = list(self.index.notes)
        for _, rep in self._replays.values():
            notes.extend(rep.notes)
        return notes

    def session(self, coder: str) -> "CoderSession":
        """The writer for ``coder`` (takes the journal's lock; LockError if another process has it)."""
        if coder not in self._sessions:
            self._sessions[coder] = CoderSession(self, coder)
        return self._sessions[coder]

    def close(self) -> None:
        for s in list(self._sessions.values()):
            s.close()
        self._sessions.clear()

    def anchored(self, codings: list[Coding], transcript: Transcript) -> list[tuple[Coding, Anchor]]:
        """Where each coding is now (``anchoring.anchor_many``: a short quote found in several places is
        placed by how the codings around it moved)."""
        return list(zip(codings, anchor_many(codings, transcript.text, transcript.hash)))

    def needs_anchoring(self, coding: Coding) -> bool:
        entry = self.index.get(coding.transcript)
        return entry is None or coding.th != entry.hash


def _has_remote(root: Path) -> bool:
    """Whether the project is a git clone with a remote (shared, even without qualcode's drivers)."""
    try:
        return '[remote "' in (root / ".git" / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _names(stack) -> dict:
    """``{"of": <operation id>}`` of the action an undo or redo takes back, so that it stays the one
    taken back after a merge of two machines' histories (``store.merge``); ``{}`` for an old one."""
    oid = stack[-1][0].get("oid") if stack else None
    return {"of": oid} if oid else {}


class DuplicateCodingError(QualcodeError):
    """The coder already has a coding with this transcript, span and code."""


class Added(list):
    """The codings ``add_many`` saved (a list), with ``skipped``: the exact duplicates left out."""

    def __init__(self, items=(), *, skipped: int = 0) -> None:
        super().__init__(items)
        self.skipped = skipped


class CoderSession:
    """Changes to one coder's codings. Each method returns only after the journal is fsynced."""

    def __init__(self, project: Project, coder: str) -> None:
        self.project = project
        self.coder = check_coder_name(coder)
        self.writer = JournalWriter(project.codings_dir, coder, project.cache_dir / "journals")
        rep = self.writer.open()
        self.codings: CodingSet = rep.codings
        project.resolve_codes(self.codings)
        self.warnings: list[Problem] = rep.warnings
        self.future_lines = rep.future_lines
        self.listeners: list = []
        self._stored = rep.stored
        """The cached state the journal was opened on: brought up to date by ``close``."""
        self._opened_seq = self.writer.seq

    def reload(self) -> None:
        """Replay the journal again (after the codebook's records changed, e.g. an undone merge);
        the same ``codings`` object is updated, so views holding it stay current."""
        rep = replay(self.writer.path, self.coder, self.project.cache_dir / "journals")
        self.project.resolve_codes(rep.codings)
        for name in ("codings", "by_transcript", "undo_stack", "redo_stack", "marks", "removed"):
            setattr(self.codings, name, getattr(rep.codings, name))
        self.warnings[:] = rep.warnings
        self._stored = rep.stored

    def save_state(self) -> None:
        """Keep the cached state current with this session's changes (so that the next command reads
        only what it needs); a failure only costs the next command a replay of the new lines."""
        if self._stored is not None and self.writer.seq != self._opened_seq:
            try:
                self._stored = self.writer.save_state(self._stored) or None
            except QualcodeError:
                self._stored = None
            self._opened_seq = self.writer.seq

    def close(self) -> None:
        self.save_state()
        self.writer.close()
        self.project._sessions.pop(self.coder, None)

    def commit(self, op: dict) -> dict:
        """Check, write durably, then apply. The single path for every change."""
        from qualcode.domain.coding import OperationError

        try:
            self.codings.check(op)
        except OperationError as exc:
            raise QualcodeError(str(exc)) from None
        record = self.writer.append(op)
        self.codings.apply(op)
        from qualcode.domain.codebook_edit import op_coding_ids

        self.project.resolve_codes(self.codings, op_coding_ids(op))
        for listener in self.listeners:
            listener(op)
        return record

    # -- operations ------------------------------------------------------------------------
    def _new(self, transcript_id: str, start: int, end: int, code: str, memo: str | None) -> Coding:
        book = self.project.codebook
        if code not in book:
            resolved = book.for_coding(code)  # a name, or a merged/old id
            if resolved is None:
                raise UnknownCodeError(f"unknown code {code!r}", path=self.project.codebook_path,
                                       hint="use a code id from the codebook (`qualcode stats --codes` lists them)")
            code = resolved.id
        transcript = self.project.transcript(transcript_id)
        if not (0 <= start < end <= len(transcript.text)):
            raise AnchorError(f"span {start}-{end} is not inside {transcript_id} (0-{len(transcript.text)})",
                              hint="give start < end within the transcript's length")
        return make_coding(transcript=transcript_id, start=start, end=end, code=code, coder=self.coder,
                           text=transcript.text, th=transcript.hash, memo=memo)

    def duplicate_of(self, c: Coding) -> Coding | None:
        """The coding this coder already has with ``c``'s transcript, span and code, if any. Looks only
        at the session's current codings of that transcript (never replays the journal)."""
        for other in self.codings.by_transcript.get(c.transcript, {}).values():
            if other.start == c.start and other.end == c.end and other.code == c.code:
                return other
        return None

    def add(self, transcript_id: str, start: int, end: int, code: str, memo: str | None = None) -> Coding:
        """A new coding; an exact duplicate (same transcript, span and code as one of this coder's
        codings) is refused with a ``DuplicateCodingError`` and nothing is written."""
        c = self._new(transcript_id, start, end, code, memo)
        twin = self.duplicate_of(c)
        if twin is not None:
            raise DuplicateCodingError(
                f"{c.transcript} {c.start}-{c.end} is already coded {c.code} by {self.coder} "
                f"(coding {twin.id}): nothing saved", path=self.writer.path,
                hint="a second identical coding would count twice; code another span or another code "
                     "(`qualcode code list --transcript " + c.transcript + "` lists the codings)")
        self.commit({"op": "add", "coding": c.to_json()})
        return self.codings.get(c.id)

    def add_many(self, spans: list[tuple[str, int, int, str]]) -> "Added":
        """Several codings as one action (one journal line, one undo step). Exact duplicates (of this
        coder's codings, or repeated within ``spans``) are left out; ``.skipped`` says how many."""
        new, seen = [], set()
        for t, s, e, code in spans:
            c = self._new(t, s, e, code, None)
            k = (c.transcript, c.start, c.end, c.code)
            if k not in seen and self.duplicate_of(c) is None:
                new.append(c)
            seen.add(k)
        out = Added(skipped=len(spans) - len(new))
        if new:
            self.commit({"op": "batch", "ops": [{"op": "add", "coding": c.to_json()} for c in new]})
            out.extend(self.codings.get(c.id) for c in new)
        return out

    def remove(self, coding_id: str) -> None:
        self.commit({"op": "remove", "id": coding_id})

    def recode(self, coding_id: str, code: str) -> None:
        if code not in self.project.codebook:
            raise UnknownCodeError(f"unknown code {code!r}", path=self.project.codebook_path)
        self.commit({"op": "recode", "id": coding_id, "code": code})

    def set_memo(self, coding_id: str, memo: str | None) -> None:
        c = self.codings.get(coding_id)
        op = {"op": "memo", "id": coding_id, "memo": memo or None}
        if c is not None:
            op["was"] = c.memo or ""  # what it replaces: a memo written meanwhile on another machine is kept too
        self.commit(op)

    def move(self, coding_id: str, start: int, end: int) -> None:
        c = self.codings.get(coding_id)
        if c is None:
            raise QualcodeError(f"no coding with id {coding_id!r}")
        t = self.project.transcript(c.transcript)
        self.commit({"op": "move", "id": coding_id, "start": start, "end": end,
                     "quote": t.text[start:end], "th": t.hash})

    def undo(self) -> str:
        what = self.codings.describe_undo()
        if what is None:
            raise QualcodeError("nothing to undo")
        self.commit({"op": "undo", **_names(self.codings.undo_stack)})
        return what

    def redo(self) -> str:
        what = self.codings.describe_redo()
        if what is None:
            raise QualcodeError("nothing to redo", hint="a change made after an undo ends what can be redone: "
                                "one made here, or by you on another machine and brought by a sync")
        self.commit({"op": "redo", **_names(self.codings.redo_stack)})
        return what

    def compact(self) -> int:
        """Rewrite the journal from itself (see ``JournalWriter.compact``); ``notes`` says what was set aside."""
        from qualcode.store.merge import routes_journals

        if routes_journals(self.project.root) or _has_remote(self.project.root):
            raise QualcodeError("this project is shared through git: a compacted journal no longer merges with "
                                "its copies on other machines (their lines would come back as duplicates)",
                                path=self.writer.path,
                                hint="no need to compact: journals open fast whatever their length (.qualcode/ keeps "
                                     "their state)")
        n = self.writer.compact(self.codings, self.future_lines)
        self._stored = None  # the journal was rewritten: the next open rebuilds the state
        self.warnings[:] = aside_warnings(self.writer.path)  # the journal now holds only what applies
        return n

    @property
    def notes(self) -> list[Problem]:
        return list(self.writer.notes)

