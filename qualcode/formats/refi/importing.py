"""The REFI-QDA model -> a plan for a new qualcode project (transcripts, codebook, cases, codings).

Pure mapping: ``services.interchange.import_project`` writes the plan to disk. What maps to what
(and what is left out) is in docs/interchange.md.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field

from qualcode.domain.codebook import Codebook
from qualcode.errors import FormatError, Problem

from . import model
from .codebook import META_NAME, from_refi, read_meta, slug
from .guids import is_guid
from .names import coder_id
from .positions import CODE_POINTS, UTF16, WRITE_CODEPOINTS, WRITE_UTF16, SourceText, choose, quote_matches
from .safezip import Package, is_external

_CODER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
DEFAULT_CODER = "imported"
END_SLACK = 2
"""How far past the end of its text a selection may end and still be kept (clamped): a final newline."""


@dataclass
class PlannedCoding:
    transcript: str
    start: int
    end: int
    code: str
    memo: str | None = None
    created: str | None = None
    guid: str | None = None
    """The selection's GUID, kept as the coding's id so that it survives a round trip."""


@dataclass
class PlannedTranscript:
    id: str
    title: str
    text: str
    """Canonical text; planned codings are offsets into it."""
    metadata: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    name: str
    codebook: Codebook
    transcripts: list[PlannedTranscript] = field(default_factory=list)
    codings: dict[str, list[PlannedCoding]] = field(default_factory=dict)
    coders: dict[str, tuple[str, str]] = field(default_factory=dict)
    """coder -> (REFI user name, GUID)."""
    code_guids: dict[str, str] = field(default_factory=dict)
    """code id -> the code's GUID in the file (kept in ``[refi.codes]``, written back on export)."""
    columns: list[str] = field(default_factory=list)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    case_of: dict[str, str] = field(default_factory=dict)
    other_notes: list[tuple[str, str]] = field(default_factory=list)
    """(heading, text) of notes not attached to a source, a selection or a coding."""
    transcript_memos: dict[str, dict[str, str]] = field(default_factory=dict)
    """coder -> transcript id -> memo: a source's Description and the notes it refers to."""
    statuses: dict[str, dict[str, str]] = field(default_factory=dict)
    """coder -> transcript id -> status (not started, in progress, done), from qualcode metadata."""
    warnings: list[Problem] = field(default_factory=list)
    found: dict[str, int] = field(default_factory=dict)
    offsets: Counter = field(default_factory=Counter)
    """How positions were read: "code points / file" -> number of sources."""


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Bytes of a plain-text source -> text (BOM removed) and a warning when it was not UTF-8."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), None
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "not UTF-8; read as Windows-1252 (check accented characters)"


def coder_name(label: str, taken: set[str], user_id: str = "") -> str:
    """A coder id (``[A-Za-z0-9][A-Za-z0-9_.-]*``) for a REFI user's name: transliterated, or, for a
    script that cannot be, the user's ``id`` or a stable id from the name's hash (``refi.names``)."""
    return coder_id(label, taken, user_id)


class Planner:
    def __init__(self, p: model.Project, package: Package | None, path: str, reader_problems: list[Problem]) -> None:
        self.p = p
        self.package = package
        self.path = path
        self.warn_counts: Counter[str] = Counter()
        self.plan = ImportPlan(name=p.name or "Imported project", codebook=Codebook())
        self.plan.warnings.extend(reader_problems)
        self.meta = None
        for n in p.notes:
            if n.name == META_NAME:
                self.meta = read_meta(n.text)
        self.notes = {n.guid: n for n in p.notes if n.name != META_NAME or self.meta is None}
        self.used_notes: set[str] = set()
        self.guids_used: set[str] = set()
        self.unreadable: list[str] = []
        """Sources whose text could not be read: 'name': why."""
        self.not_beside: list[model.Source] = []
        """A bare .qde's sources whose text file (internal, not external) is not beside it."""

    def warn(self, message: str, n: int = 1) -> None:
        self.warn_counts[message] += n

    # -- users -----------------------------------------------------------------------------
    def users(self) -> None:
        meta_users = (self.meta or {}).get("users", {}) if self.meta else {}
        taken: set[str] = set()
        self.coder_of: dict[str, str] = {}
        for u in self.p.users:
            wanted = meta_users.get(u.guid) if isinstance(meta_users, dict) else None
            label = u.name or u.id or u.guid
            if isinstance(wanted, str) and _CODER.match(wanted) and wanted.casefold() not in {t.casefold() for t in taken}:
                taken.add(wanted)
                coder = wanted
            else:
                coder = coder_name(label, taken, u.id if u.name else "")
            self.coder_of[u.guid] = coder
            self.plan.coders[coder] = (label, u.guid)
        self.taken_coders = taken

    def coder(self, *guids: str | None) -> str:
        for g in guids:
            if not g:
                continue
            if g not in self.coder_of:
                coder = coder_name(f"user-{g[:8]}", self.taken_coders)
                self.coder_of[g] = coder
                self.plan.coders[coder] = ("(not in the file's users)", g)
                self.warn("codings by a user the file does not list were given to a coder named after the user's GUID")
            return self.coder_of[g]
        if DEFAULT_CODER not in self.plan.coders:
            self.plan.coders[DEFAULT_CODER] = ("(no user given)", "")
            self.taken_coders.add(DEFAULT_CODER)
        return DEFAULT_CODER

    # -- codes -----------------------------------------------------------------------------
    def codes(self) -> None:
        book_meta = (self.meta or {}).get("codebook") if self.meta else None
        codes, self.code_ids, problems = from_refi(self.p.codes, book_meta, path=self.path)
        self.plan.warnings.extend(problems)
        name = (book_meta or {}).get("name") or (f"{self.p.name} codebook" if self.p.name else "Imported codebook")
        self.plan.codebook = Codebook(codes=codes, name=name, description=(book_meta or {}).get("description", ""))
        self.plan.code_guids = {cid: g for g, cid in self.code_ids.items() if is_guid(g)}
        self.dropped_of = {g: k for k, d in enumerate(self.p.dropped_codes) for g in d.below if g not in self.code_ids}
        self.dropped_codings: Counter[int] = Counter()
        folders = sum(1 for c in self.p.codes if not c.codable)
        if folders:
            self.warn(f"{folders} code(s) marked not codable (folders) are ordinary codes in qualcode")

    # -- sources ---------------------------------------------------------------------------
    def source_text(self, s: model.Source) -> str | None:
        if s.text is not None and not s.path:
            return s.text
        data, why = (None, "no text") if self.package is None else self.package.source(s.path)
        if data is None:
            if s.text is not None:
                return s.text
            if self.package is not None and self.package.zip is None and s.path and not is_external(s.path):
                self.not_beside.append(s)
            self.warn(f"source {s.name or s.guid!r} left out: {why}")
            self.unreadable.append(f"{s.name or s.guid!r}: {why}")
            return None
        text, note = decode_text(data)
        if note:
            self.warn(f"source {s.name or s.guid!r}: {note}")
        return text

    def sources(self) -> None:
        meta_sources = (self.meta or {}).get("sources", {}) if self.meta else {}
        taken: set[str] = set()
        self.tid_of: dict[str, str] = {}
        for s in self.p.sources:
            raw = self.source_text(s)
            n_sel = len(s.selections)
            if raw is None or not raw.strip():
                if raw is not None:
                    self.warn(f"source {s.name or s.guid!r} left out: it has no text")
                if n_sel:
                    self.warn("selections on sources that were left out were not imported", n_sel)
                if s.description.strip():  # its notes go to imported-notes.md with the others (leftovers)
                    self.plan.other_notes.append((f"Description of {s.name or s.guid}", s.description.strip()))
                continue
            entry = meta_sources.get(s.guid) if isinstance(meta_sources, dict) else None
            entry = entry if isinstance(entry, dict) else {}
            tid = entry.get("id")
            if not (isinstance(tid, str) and _TID.match(tid) and tid.casefold() not in taken):
                base = slug(s.name or "", 48).replace("_", "-") or "source"
                tid, n = base, 2
                while tid.casefold() in taken:
                    tid, n = f"{base}-{n}", n + 1
            taken.add(tid.casefold())
            self.tid_of[s.guid] = tid
            metadata = entry.get("metadata") if isinstance(entry.get("metadata"), dict) else {}
            title = metadata.get("title") or s.name or tid
            st = SourceText(raw)
            self.plan.transcripts.append(PlannedTranscript(tid, str(title), st.canonical, dict(metadata)))
            self.selections(s, tid, st)
            self.source_memos(s, tid)
        self._refuse_bare_qde()
        self._refuse_no_text()

    def _refuse_bare_qde(self) -> None:
        """A .qde on its own is the project's XML without its documents. REFI-QDA 1.5 says the .qde
        "must be embedded in a ZIP file with extension .QDPX" (§5.3), beside the sources/ folder that
        holds every internal source (§8.1); a TextSource has either its PlainTextContent inline or a
        plainTextPath (§5.3). So a .qde is imported only when every text it refers to is there: inline,
        or in a sources/ folder beside it (an unzipped .qdpx). Otherwise nothing is: a project missing
        its transcripts (or some of them) is not the project that was exported. (External texts,
        relative:// and absolute://, are left out with a warning, as from a .qdpx.)"""
        if not self.not_beside:
            return
        missing = self.not_beside
        first = missing[0]
        example = f"{first.name!r}: {first.path}" if first.name else str(first.path)
        folder = self.package._sources_dir() if self.package is not None else None
        where = (f"the {folder.name}/ folder beside it does not hold them" if folder is not None
                 else "there is no sources/ folder beside it")
        n_text = len(self.p.sources)
        what = f"all {n_text}" if len(missing) == n_text else f"{len(missing)} of the {n_text}"
        raise FormatError(
            f"this .qde is only the project's XML, without its documents: the text of {what} text source(s) is "
            f"in files it refers to (e.g. {example}) and {where}; nothing was imported", path=self.path,
            hint=f"export the project again from {self.p.origin or 'the program that made it'} as a REFI-QDA "
                 "project (.qdpx: the XML and its documents in one file) and import that, or put this .qde "
                 "back beside its sources/ folder")

    def _refuse_no_text(self) -> None:
        """A .qdpx whose every source is missing from the archive would make a project of nothing (a
        bare .qde missing its texts is refused before this: ``_refuse_bare_qde``)."""
        if self.plan.transcripts or not self.unreadable or self.package is None or self.package.zip is None:
            return
        shown = "; ".join(self.unreadable[:3]) + (" ..." if len(self.unreadable) > 3 else "")
        raise FormatError(f"none of the file's {len(self.unreadable)} text source(s) could be read ({shown}); "
                          "nothing was imported", path=self.path,
                          hint="export the project again from your QDA program with its documents "
                               "(the .qdpx must hold its sources/ folder)")

    def source_memos(self, s: model.Source, tid: str) -> None:
        """A source's Description and the notes its NoteRefs point to (a document memo, as NVivo,
        MAXQDA and ATLAS.ti write it) become the transcript's memo. qualcode keeps transcript memos per
        coder: a note goes to the coder of its creatingUser, the Description to the source's."""
        parts: dict[str, list[str]] = {}
        if s.description.strip():
            parts.setdefault(self.coder(s.user, self.p.creating_user), []).append(s.description.strip())
        for r in s.notes:
            note = self.notes.get(r)
            if note is None:
                continue
            self.used_notes.add(r)
            text = "\n\n".join(x for x in (note.description.strip(), self._note_text(note).strip()) if x)
            if text:
                parts.setdefault(self.coder(note.user, s.user, self.p.creating_user), []).append(text)
        for coder, texts in parts.items():
            self.plan.transcript_memos.setdefault(coder, {})[tid] = "\n\n".join(dict.fromkeys(texts))

    def _note_text(self, note: model.Note) -> str:
        text = note.text
        if not text and note.path and self.package is not None:
            data, _ = self.package.source(note.path)
            text = decode_text(data)[0] if data else ""
        return text or ""

    def _memo(self, parts: list[str], refs: list[str]) -> list[str]:
        for r in refs:
            note = self.notes.get(r)
            if note is None:
                continue
            self.used_notes.add(r)
            text = note.text or note.description
            if not text and note.path and self.package is not None:
                data, _ = self.package.source(note.path)
                text = decode_text(data)[0] if data else ""
            if text and text.strip():
                parts.append(text.strip())
        return parts

    def _said_unit(self) -> str | None:
        """How positions count, when the file says so itself: qualcode's export records it in its
        metadata (``--positions``). Believed only of a file qualcode wrote (``origin``): a program that
        re-exports the project may keep the note but count its own way."""
        said = (self.meta or {}).get("positions") if self.meta else None
        if not (self.p.origin or "").lower().startswith("qualcode"):
            return None
        return {WRITE_CODEPOINTS: CODE_POINTS, WRITE_UTF16: UTF16}.get(said) if isinstance(said, str) else None

    def selections(self, s: model.Source, tid: str, st: SourceText) -> None:
        choice = choose(st, [(x.start, x.end, x.name) for x in s.selections],
                        prefer_utf16="nvivo" in (self.p.origin or "").lower(), unit=self._said_unit())
        if s.selections:
            self.plan.offsets[f"{choice.unit} / {choice.base} text"] += 1
        text = st.canonical
        matched = mismatched = 0
        unit, base = choice.unit, choice.base
        limit = st.length(unit, base)
        past_end: list[model.Selection] = []
        for sel in s.selections:
            if sel.start >= limit or sel.end > limit + END_SLACK:
                past_end.append(sel)
                continue
            a, b = st.convert(sel.start, unit, base), st.convert(sel.end, unit, base)
            if sel.start < 0 or sel.end < sel.start or a >= b:
                self.warn("empty or reversed selections (or negative positions) were left out",
                          max(1, len(sel.codings)))
                continue
            if sel.name:
                if quote_matches(sel.name, text[a:b]):
                    matched += 1
                else:
                    mismatched += 1
            memo_parts = [sel.description.strip()] if sel.description.strip() else []
            self._memo(memo_parts, sel.notes)
            if not sel.codings:
                self._uncoded(s, tid, text[a:b], memo_parts)
            for k, ref in enumerate(sel.codings):  # the selection's GUID goes to its first coding
                self._add(tid, a, b, ref, memo_parts, sel.user, sel.created, s.user, None if k else sel.guid)
        self._warn_past_end(s, tid, past_end, limit, unit)
        wordy = sum(1 for x in s.selections if len(x.name) >= 20 and " " in x.name.strip())
        if not matched and mismatched and wordy * 2 > len(s.selections):
            self.warn(f"source {s.name or tid!r}: the selections' names look like quotes but none is the text at "
                      "its positions; check a few codings (the positions were kept as given)")
        if matched and mismatched:  # the producer writes the text into the name: check it
            self.warn(f"source {s.name or tid!r}: {mismatched} selection(s) whose text differs from the name the "
                      "file gives them (kept at the positions given)")
        for ref in s.codings:
            self._add(tid, 0, len(text), ref, [], s.user, s.created, s.user)
            self.warn("codings of a whole source became codings of the whole transcript")

    def _uncoded(self, s: model.Source, tid: str, quote: str, memo_parts: list[str]) -> None:
        """A selection without a coding: left out, but its comment (an ATLAS.ti quotation's) is kept."""
        self.warn("selection(s) without a coding were left out (qualcode keeps only coded text)")
        if not memo_parts:
            return
        shown = " ".join(quote.split())
        shown = shown if len(shown) <= 80 else shown[:77].rstrip() + "…"
        body = "\n\n".join([f"> {shown}", *dict.fromkeys(memo_parts)])
        self.plan.other_notes.append((f"Comment on a quotation in {s.name or tid}", body))
        self.warn("comment(s) of selections without a coding were saved to imported-notes.md, with the quoted text")

    def _warn_past_end(self, s: model.Source, tid: str, past: list[model.Selection], limit: int, unit: str) -> None:
        if not past:
            return
        codings = sum(len(x.codings) for x in past)
        shown = ", ".join(f"{{{x.guid}}}" if x.guid else repr(x.name[:40]) if x.name else "(no GUID or name)"
                          for x in past[:5])
        where = ", ".join(f"{x.start}-{x.end}" for x in past[:5])
        more = f" and {len(past) - 5} more" if len(past) > 5 else ""
        self.warn(f"source {s.name or tid!r}: {len(past)} selection(s) reach past the end of its text "
                  f"({limit} {unit}) and were left out, with {codings} coding(s): {shown}{more} "
                  f"at positions {where}{more}; check them in the program that made the file")

    def _add(self, tid, a, b, ref: model.CodingRef, memo_parts, sel_user, sel_created, src_user,
             guid: str | None = None) -> None:
        code = self.code_ids.get(ref.code)
        if code is None:
            if ref.code in self.dropped_of:
                self.dropped_codings[self.dropped_of[ref.code]] += 1
            else:
                self.warn("codings with a code the codebook does not have were left out")
            return
        coder = self.coder(ref.user, sel_user, src_user, self.p.creating_user)
        parts = self._memo(list(memo_parts), ref.notes)
        memo = "\n\n".join(dict.fromkeys(parts)) or None
        self.plan.codings.setdefault(coder, []).append(
            PlannedCoding(tid, a, b, code, memo, ref.created or sel_created,
                          guid if guid and is_guid(guid) and guid not in self.guids_used else None))
        if guid:
            self.guids_used.add(guid)

    # -- cases -----------------------------------------------------------------------------
    def _column_names(self) -> dict[str, str]:
        """Variable GUID -> its cases.csv column: every variable kept, renamed (with a warning) when
        its name is one of qualcode's own columns or another variable's."""
        taken = {"transcript", "case"}
        names: dict[str, str] = {}
        for v in self.p.variables:
            base = " ".join((v.name or "").split()) or v.guid
            name, n = base, 2
            while name.casefold() in taken:
                name, n = f"{base}_{n}", n + 1
            if name != base:
                why = "qualcode's own column" if base.casefold() in ("transcript", "case") else "another variable's"
                self.warn(f"variable {base!r} is kept as column {name!r}: its name is {why}")
            taken.add(name.casefold())
            names[v.guid] = name
        return names

    def statuses(self) -> None:
        """Each coder's status of each transcript, as a qualcode export keeps it in its metadata."""
        from qualcode.store.status import STATUSES

        said = (self.meta or {}).get("statuses") if self.meta else None
        if not isinstance(said, dict):
            return
        for user, by_source in said.items():
            if user not in self.coder_of or not isinstance(by_source, dict):
                continue
            for g, status in by_source.items():
                if g in self.tid_of and status in STATUSES:
                    self.plan.statuses.setdefault(self.coder_of[user], {})[self.tid_of[g]] = status

    def cases(self) -> None:
        names = self._column_names()
        cols: list[str] = []
        meta_cols = (self.meta or {}).get("columns") if self.meta else None
        if isinstance(meta_cols, list):
            cols += [str(c) for c in meta_cols]
        cols += list(names.values())
        attrs = self.plan.attributes
        for case in self.p.cases:
            members = [self.tid_of[g] for g in case.sources if g in self.tid_of]
            if not members and (case.values or case.sources):
                self.warn("cases without an imported source were left out")
            for tid in members:
                self.plan.case_of.setdefault(tid, case.name or tid)
                row = attrs.setdefault(tid, {})
                for v in case.values:
                    if v.value != "":
                        row[names.get(v.variable, v.variable)] = v.value
        for s in self.p.sources:
            tid = self.tid_of.get(s.guid)
            if tid and s.variables:
                row = attrs.setdefault(tid, {})
                for v in s.variables:
                    if v.value != "":
                        row[names.get(v.variable, v.variable)] = v.value
        other_sets = 0
        for st in self.p.sets:
            if st.name == META_NAME:
                continue
            m = re.match(r"^\s*([^:]{1,60}?)\s*:\s*(.+?)\s*$", st.name or "")
            if m and st.sources and not st.codes:
                col, value = m.group(1), m.group(2)
                cols.append(col)
                for g in st.sources:
                    if g in self.tid_of:
                        attrs.setdefault(self.tid_of[g], {}).setdefault(col, value)
            else:
                other_sets += 1
        if other_sets:
            self.warn(f"{other_sets} set(s) (code or document groups) were not imported: qualcode has none")
        seen = {c for row in attrs.values() for c in row}
        self.plan.columns = [c for c in dict.fromkeys(cols) if c in seen and c not in ("transcript", "case")]
        for tid in attrs:
            self.plan.case_of.setdefault(tid, tid)

    # -- the rest --------------------------------------------------------------------------
    def leftovers(self) -> None:
        for n in self.p.notes:
            if n.guid in self.used_notes or (n.name == META_NAME and self.meta is not None):
                continue
            text = self._note_text(n)
            body = "\n\n".join(x for x in (n.description.strip(), text.strip()) if x)
            self.plan.other_notes.append((n.name or n.guid, body))
        if self.plan.other_notes:
            self.warn(f"{len(self.plan.other_notes)} note(s) not attached to a transcript or a coded selection were "
                      "saved to imported-notes.md")
        for kind, n in sorted(self.p.other_sources.items()):
            self.warn(f"{n} {kind}(s) left out: qualcode codes text only")
        c = self.p.counts
        if c.get("other_selections"):
            self.warn(f"{c['other_selections']} picture, media or PDF-area selection(s) left out")
        for what in ("links", "graphs"):
            if c.get(what):
                self.warn(f"{c[what]} {what} left out: qualcode has none")
        if self.package is not None:
            stray = self.package.unreferenced()
            if stray:
                shown = ", ".join(stray[:5]) + (" ..." if len(stray) > 5 else "")
                self.warn(f"{len(stray)} file(s) in the archive were not used: {shown}")

    def run(self) -> ImportPlan:
        self.users()
        self.codes()
        self.sources()
        self.statuses()
        self.cases()
        self.leftovers()
        self.plan.warnings += [Problem(d.message(self.dropped_codings[k]), self.path)
                               for k, d in enumerate(self.p.dropped_codes)]
        self.plan.warnings += [Problem(m if n == 1 else f"{m} ({n})", self.path) for m, n in self.warn_counts.items()]
        return self.plan


def plan_import(p: model.Project, package: Package | None, path: str, reader_problems: list[Problem]) -> ImportPlan:
    return Planner(p, package, path, reader_problems).run()
