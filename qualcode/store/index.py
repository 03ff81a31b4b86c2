"""The transcript index: one entry per file in the transcripts folder, cached in ``.qualcode/``.

Opening a project reads the index (a stat per file, one JSON file) and never parses a transcript
whose file has not changed; the canonical text and turns are cached per content hash and id, and
loaded on demand. The cache is derived data: deleting ``.qualcode/`` loses nothing. It is sealed
with this user's key (``store.cache_seal``): a damaged or foreign cache file is rebuilt from the
transcripts, with a note.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from qualcode.domain.transcript import Transcript
from qualcode.errors import FormatError, Note, Problem, QualcodeError
from qualcode.store.atomic import write_atomic
from qualcode.store.cache_seal import seal, unseal

CACHE_VERSION = 2
"""Raised when what an index entry derives from a parse changes outside the importers (2: words said)."""


def parser_fingerprint() -> str:
    """Changes whenever the transcript importers change, so cached parses are never stale."""
    import hashlib

    folder = Path(__file__).resolve().parents[1] / "formats" / "transcripts"  # found, not imported (slow)
    h = hashlib.blake2b(digest_size=8)
    for f in sorted(folder.glob("*.py")):
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return f"{CACHE_VERSION}-{h.hexdigest()}"


def derived_fingerprint(index, *extra) -> str:
    """What a cache derived from parsed transcripts depends on besides each transcript's bytes: the
    importers, the speaker aliases and roles (``extra``: the deriving code's own version)."""
    import json

    return json.dumps([*extra, parser_fingerprint(), getattr(index, "aliases", None), getattr(index, "speakers", None)],
                      sort_keys=True, default=str)


@dataclass
class Entry:
    """What the project knows of one transcript file without loading its text."""

    id: str
    path: str
    """Relative to the project folder."""
    title: str = ""
    words: int = 0
    turns: int = 0
    chars: int = 0
    hash: str = ""
    format: str = ""
    metadata: dict = field(default_factory=dict)
    speakers: list[str] = field(default_factory=list)
    roles: dict = field(default_factory=dict)
    """speaker -> {"role": interviewer | respondent | "", "turns": n} (see ``speaker_roles``)."""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Guesses worth confirming (a speaker taken as the interviewer): ``check`` shows them as notes."""
    error: str | None = None
    mtime_ns: int = 0
    size: int = 0
    file_hash: str = ""
    """BLAKE2 of the file's bytes: a file whose modification time changed but whose bytes did not
    (a project copied with ``cp -r``, a checkout) keeps its entry instead of being parsed again."""


def file_digest(path: Path) -> str:
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def speaker_roles(turns) -> dict:
    """Each speaker's role (the one most of their turns have) and number of turns, in order of appearance."""
    out: dict = {}
    for t in turns:
        d = out.setdefault(t.speaker, {"role": t.role or "", "turns": 0})
        d["turns"] += 1
    return out


def _parse(path: Path, aliases: dict[str, str], speakers: dict | None = None) -> tuple[Transcript, list[Problem]]:
    from qualcode.formats.transcripts import read_transcript

    return read_transcript(path, aliases=aliases or None, speakers=speakers)


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class TranscriptIndex:
    def __init__(self, root: Path, folder: Path, cache_dir: Path, aliases: dict[str, str],
                 speakers: dict | None = None) -> None:
        self.root = root
        self.folder = folder
        self.cache_dir = cache_dir
        self.aliases = aliases
        self.speakers = speakers or {}
        """``[speakers]`` roles and respondent (``Project.speaker_settings``); part of the cache key."""
        self.entries: dict[str, Entry] = {}
        self.problems: list[Problem] = []
        self.errors: list[Problem] = []
        """The problems that leave a file out of the project (the others are warnings about a file read)."""
        self.notes: list[str] = []
        """About the cache (damaged or foreign files rebuilt): worth saying, not findings."""
        self.advice: list[Problem] = []
        """Notes on files read (a guessed role to confirm): worth saying, not findings."""
        self._loaded: dict[str, Transcript] = {}

    # -- building --------------------------------------------------------------------------
    def _index_file(self) -> Path:
        return self.cache_dir / "index.json"

    def _text_file(self, digest: str, transcript_id: str) -> Path:
        """The cached parse of one transcript: keyed on its text *and* its id, because two files can
        hold the same text (an interview imported twice, under two names) with their own ids, titles
        and speakers."""
        who = hashlib.blake2b(transcript_id.encode("utf-8"), digest_size=6).hexdigest()
        return self.cache_dir / "transcripts" / f"{digest}-{who}.json"

    def _read_cache(self, path: Path, what: str):
        """A sealed cache file's JSON, or None (missing; damaged or foreign: with a note)."""
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        payload = unseal(raw)
        if payload is not None:
            try:
                return json.loads(payload)
            except (ValueError, RecursionError):
                pass
        self.notes.append(f"{path}: the cached {what} is damaged or was not written by you; rebuilt")
        return None

    def _old_entries(self) -> dict[str, Entry]:
        data = self._read_cache(self._index_file(), "transcript index")
        if not isinstance(data, dict) or data.get("version") != parser_fingerprint() \
                or data.get("aliases") != self.aliases or data.get("speakers", {}) != self.speakers \
                or not isinstance(data.get("files"), dict):
            return {}
        old = {}
        for rel, fields in data["files"].items():
            try:
                old[rel] = Entry(**fields)
            except TypeError:
                continue
        return old

    def refresh(self) -> None:
        old = self._old_entries()
        names: list[str] = []
        if self.folder.is_dir():  # names and stats without pathlib: thousands of files are opened often
            with os.scandir(self.folder) as scan:
                names = sorted(e.name for e in scan if not e.name.startswith((".", "~$")) and e.is_file())
        base = self.folder.relative_to(self.root).as_posix() + "/" if names else ""
        base = "" if base == "./" else base
        folder = str(self.folder)
        changed = False
        entries: dict[str, Entry] = {}
        self.problems = []
        self.errors = []
        self.advice = []
        for name in names:
            rel = base + name
            path = os.path.join(folder, name)
            if not _utf8(name):  # bytes from a Windows zip or a Latin-1 disk: the index and journals are UTF-8
                shown = base + os.fsencode(name).decode("utf-8", "backslashreplace")
                self.problems.append(Problem(
                    "the file name is not UTF-8 text (copied from a Windows zip or a disk in another "
                    "encoding?): this file is left out; rename it, or `qualcode import` it, which names it anew",
                    shown))
                self.errors.append(self.problems[-1])
                continue
            try:
                st = os.stat(path)
            except FileNotFoundError:  # deleted while listed
                continue
            cached = old.get(rel)
            if cached and cached.mtime_ns == st.st_mtime_ns and cached.size == st.st_size:
                entry = cached
                if not entry.file_hash and not entry.error:  # an index from before file hashes: add them once
                    entry, changed = replace(entry, file_hash=_digest_or_empty(path)), True
            elif cached and cached.size == st.st_size and cached.file_hash \
                    and cached.file_hash == _digest_or_empty(path):
                entry = replace(cached, mtime_ns=st.st_mtime_ns)  # same bytes, new time: copied (cp -r) or touched
                changed = True
            else:
                entry = self._build(Path(path), rel, st)
                changed = True
            if entry.error:
                self.problems.append(Problem(entry.error, rel))
                self.errors.append(self.problems[-1])
                continue
            for w in entry.warnings:
                self.problems.append(Problem(w, rel))
            self.advice.extend(Note(n, rel) for n in entry.notes)
            if entry.id in entries:
                self.problems.append(Problem(
                    f"transcript id {entry.id!r} is also used by {entries[entry.id].path}; this file is left out",
                    rel))
                self.errors.append(self.problems[-1])
                continue
            entries[entry.id] = entry
        if changed or set(old) != {e.path for e in entries.values()}:
            self._save(entries)
        self.entries = entries

    def _build(self, path: Path, rel: str, st: os.stat_result) -> Entry:
        digest = _digest_or_empty(path)  # before parsing: a file changed meanwhile then fails to match next time
        try:
            transcript, warnings = _parse(path, self.aliases, self.speakers)
        except QualcodeError as exc:
            return Entry(id="", path=rel, error=str(exc).replace(str(path), rel), mtime_ns=st.st_mtime_ns, size=st.st_size)
        except (RecursionError, MemoryError) as exc:
            return Entry(id="", path=rel, error=f"too deeply nested or too large to read ({type(exc).__name__}); "
                         "left out", mtime_ns=st.st_mtime_ns, size=st.st_size)
        except Exception as exc:  # noqa: BLE001 - one bad file must never take the project down
            return Entry(id="", path=rel, error=f"cannot be read: qualcode failed on it ({type(exc).__name__}: "
                         f"{str(exc)[:200]}); left out, please report this file", mtime_ns=st.st_mtime_ns,
                         size=st.st_size)
        self._store_text(transcript)
        return Entry(
            id=transcript.id, path=rel, title=transcript.title, words=transcript.word_count,
            turns=len(transcript.turns), chars=len(transcript.text), hash=transcript.hash,
            format=transcript.format, metadata=_jsonable(transcript.metadata),
            speakers=sorted({t.speaker for t in transcript.turns}),
            roles=speaker_roles(transcript.turns),
            warnings=[p.message + (f" (line {p.line})" if p.line else "") for p in warnings if not isinstance(p, Note)],
            notes=[p.message for p in warnings if isinstance(p, Note)],
            mtime_ns=st.st_mtime_ns, size=st.st_size, file_hash=digest,
        )

    def _store_text(self, transcript: Transcript) -> None:
        self._loaded[transcript.id] = transcript
        try:
            write_atomic(self._text_file(transcript.hash, transcript.id),
                         seal(json.dumps(transcript.to_json(), ensure_ascii=False, default=str).encode("utf-8")),
                         durable=False)
        except QualcodeError:
            pass  # a read-only project still works, just without a cache

    def _save(self, entries: dict[str, Entry]) -> None:
        payload = {"version": parser_fingerprint(), "aliases": self.aliases, "speakers": self.speakers,
                   "files": {e.path: asdict(e) for e in entries.values()}}
        try:
            write_atomic(self._index_file(), seal(json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")),
                         durable=False)
        except QualcodeError:
            pass

    # -- reading ---------------------------------------------------------------------------
    def __contains__(self, transcript_id: object) -> bool:
        return transcript_id in self.entries

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def ids(self) -> list[str]:
        return list(self.entries)

    def get(self, transcript_id: str) -> Entry | None:
        return self.entries.get(transcript_id)

    def find(self, name: str) -> str:
        """The id a user means by ``name``: the id itself, or its file name (with or without the
        extension) in any letter case ("01_Hearing_Q1-79", "lsp-b.docx"); QualcodeError otherwise."""
        if name in self.entries:
            return name
        folded = name.strip().casefold()
        found = sorted({e.id for e in self.entries.values()
                        if folded in (e.id.casefold(), Path(e.path).name.casefold(), Path(e.path).stem.casefold())})
        if len(found) == 1:
            return found[0]
        import difflib

        near = difflib.get_close_matches(folded, [i.casefold() for i in self.entries], n=3, cutoff=0.6)
        near_ids = [i for i in self.entries if i.casefold() in near]
        raise QualcodeError(f"no transcript {name!r} in the project" +
                            (f" ({' or '.join(found)}?)" if found else f" (did you mean {', '.join(near_ids)}?)" if near_ids else ""),
                            hint="`qualcode stats` lists the transcripts by id")

    def load(self, transcript_id: str) -> Transcript:
        """The transcript's canonical text and turns (cache first, else parse the file)."""
        if transcript_id in self._loaded:
            return self._loaded[transcript_id]
        entry = self.entries.get(transcript_id)
        if entry is None:
            raise QualcodeError(f"no transcript with id {transcript_id!r}",
                                hint="see `qualcode stats` for the transcripts in this project")
        transcript = None
        data = self._read_cache(self._text_file(entry.hash, transcript_id), f"text of {transcript_id}")
        if data is not None:
            try:
                transcript = Transcript.from_json(data)
                if transcript.hash != entry.hash or transcript.id != transcript_id:
                    transcript = None
            except Exception:  # noqa: BLE001 - a cache entry of the wrong shape is rebuilt
                transcript = None
        if transcript is None:
            path = self.root / entry.path
            transcript, _ = _parse(path, self.aliases, self.speakers)
            if transcript.hash != entry.hash:
                raise FormatError("the transcript changed while the project was open", path=path,
                                  hint="reopen the project")
            self._store_text(transcript)
        self._loaded[transcript_id] = transcript
        return transcript

    def forget(self, transcript_id: str) -> None:
        self._loaded.pop(transcript_id, None)


def _digest_or_empty(path: Path) -> str:
    try:
        return file_digest(path)
    except OSError:
        return ""


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
