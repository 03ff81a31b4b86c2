"""A Taguette project database (``.sqlite3``) -> an import plan for a new qualcode project.

Taguette (https://www.taguette.org, BSD) keeps a project in SQLite (schema of Taguette 1.x, alembic
revisions listed in ``KNOWN_REVISIONS``):

- ``documents``: ``name``, ``description``, ``contents`` (the document as HTML);
- ``tags``: ``path`` (hierarchy written with dots, ``barriers.trust``) and ``description``;
- ``highlights``: ``document_id``, ``start_offset``/``end_offset`` (UTF-8 byte offsets into the
  document's text nodes joined with nothing between them) and ``snippet`` (the highlighted HTML);
  ``highlight_tags`` links highlights to tags;
- ``commands``: the project's history; a ``highlight_add`` command names the user who made a highlight.

Each document becomes a transcript (its HTML rendered as text, one paragraph per block); each tag a
code (with its description); each highlight one coding per tag by its Taguette user, placed by its
text at the occurrence nearest its stored offset (the offsets count bytes of the HTML's text nodes,
so they drift from the rendered text by a few characters).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from qualcode.domain.codebook import Code, Codebook
from qualcode.errors import FormatError, Problem
from qualcode.formats.refi.codebook import slug as code_slug
from qualcode.formats.refi.importing import ImportPlan, PlannedCoding, PlannedTranscript, coder_name
from qualcode.formats.transcripts.names import slug

KNOWN_REVISIONS = frozenset((
    "e4e090a5b511", "dd37d9027a24", "679f625e6e6a", "80b1cc9d4c22", "447d636f72c5", "bce44849c2f2",
    "91ade71ccf4d", "b23f3b7a638e", "807c0cc0ecf6", "ecb4065de575", "bc8e0e0677e9", "43d6c240309d",
    "d86c45d7aa8a", "491de2dc7cd7", "e4cf92942271", "09c662cd9483", "6489b5f9cfb5", "382db36f20f4",
    "db5e31a0233d",
))
_NEEDED = {
    "projects": {"id", "name", "description"},
    "documents": {"id", "name", "description", "project_id", "contents"},
    "tags": {"id", "project_id", "path", "description"},
    "highlights": {"id", "document_id", "start_offset", "end_offset", "snippet"},
    "highlight_tags": {"highlight_id", "tag_id"},
}
_BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol table tr blockquote pre section article header footer".split())
DEFAULT_USER = "taguette"


class _Text(HTMLParser):
    """HTML -> text with a blank line between blocks; ``marks`` maps Taguette byte offsets to text offsets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.bytes = 0
        self.marks: list[tuple[int, int]] = [(0, 0)]
        self.pending = ""

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _BLOCKS and self.length:
            self.pending = "\n\n"
        elif tag == "br" and self.length and not self.pending:
            self.pending = "\n"

    def handle_endtag(self, tag) -> None:
        if tag in _BLOCKS and self.length:
            self.pending = "\n\n"

    def handle_data(self, data: str) -> None:
        at = self.bytes
        self.bytes += len(data.encode("utf-8"))
        body = re.sub(r"\s+", " ", data)
        if not body.strip():
            if self.length and not self.pending:
                self.pending = " "
            self.marks.append((at, self.length + len(self.pending)))
            return
        if self.pending or not self.length:
            body = body.lstrip()
            self._emit(self.pending)
            self.pending = ""
        self.marks.append((at, self.length))
        self._emit(body)

    def text(self) -> str:
        return "".join(self.parts).rstrip() + "\n"

    def at(self, byte_offset: int) -> int:
        """The text offset of a Taguette byte offset (start of the text node holding it, plus the rest)."""
        lo = 0
        for i, (b, _) in enumerate(self.marks):
            if b <= byte_offset:
                lo = i
            else:
                break
        b, c = self.marks[lo]
        return c + (byte_offset - b)


def html_text(html: str) -> _Text:
    p = _Text()
    p.feed(html or "")
    p.close()
    return p


def plain(html: str) -> str:
    return " ".join(html_text(html).text().split())


def _open(path: Path) -> sqlite3.Connection:
    try:
        with open(path, "rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or type(exc).__name__}", path=path,
                          hint="check the file exists and you may read it") from None
    if magic != b"SQLite format 3\x00":
        raise FormatError("not a Taguette project: the file is not an SQLite database", path=path,
                          hint="give the .sqlite3 file Taguette keeps the project in")
    try:
        db = sqlite3.connect(f"file:{path.absolute()}?mode=ro&immutable=1", uri=True)
        db.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise FormatError(f"the SQLite database cannot be read: {exc}", path=path,
                          hint="open it in Taguette to check it, or use a backup copy") from None
    return db


def _check_schema(db: sqlite3.Connection, path: Path) -> str:
    tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    revision = ""
    if "alembic_version" in tables:
        row = db.execute("select version_num from alembic_version").fetchone()
        revision = row[0] if row else ""
    missing = []
    for table, cols in _NEEDED.items():
        have = {r[1] for r in db.execute(f"pragma table_info({table})")} if table in tables else set()
        missing += [f"{table}.{c}" for c in sorted(cols - have)]
    if missing or (revision and revision not in KNOWN_REVISIONS):
        what = f"schema revision {revision!r}" if revision else "no schema revision"
        raise FormatError(
            f"this is not a Taguette 1.x project database qualcode can read ({what}"
            + (f"; missing {', '.join(missing[:6])}" if missing else "") + ")",
            path=path,
            hint="open the project in Taguette 1.x (it upgrades the database), then import that file; "
            "or export the highlights as CSV and use `qualcode code import`",
        )
    return revision


def read_taguette(path: str | Path, project_id: int | None = None) -> ImportPlan:
    """The plan for a new qualcode project from one project of a Taguette database."""
    path = Path(path)
    db = _open(path)
    try:
        _check_schema(db, path)
        projects = db.execute("select id, name, description from projects order by id").fetchall()
        if project_id is None:
            if len(projects) != 1:
                listing = "; ".join(f"{i}: {n}" for i, n, _ in projects) or "none"
                raise FormatError(f"the database holds {len(projects)} projects ({listing})", path=path,
                                  hint="choose one with --taguette-project ID")
            project_id = projects[0][0]
        chosen = [p for p in projects if p[0] == project_id]
        if not chosen:
            raise FormatError(f"no project {project_id} in the database", path=path,
                              hint="projects: " + "; ".join(f"{i}: {n}" for i, n, _ in projects))
        return _plan(db, path, chosen[0])
    finally:
        db.close()


def _plan(db: sqlite3.Connection, path: Path, project: tuple) -> ImportPlan:
    pid, name, description = project
    tags = db.execute("select id, path, description from tags where project_id=? order by path", (pid,)).fetchall()
    codes, code_of = _codes(tags)
    plan = ImportPlan(name=name or path.stem, codebook=Codebook(codes=codes, name=name or path.stem,
                                                                description=description or ""))
    users = _users(db, pid)
    docs = db.execute("select id, name, description, contents from documents where project_id=? order by id",
                      (pid,)).fetchall()
    highlights = db.execute(
        "select h.id, h.document_id, h.start_offset, h.end_offset, h.snippet from highlights h "
        "join documents d on d.id = h.document_id where d.project_id=? order by h.id", (pid,)).fetchall()
    tag_rows = db.execute(
        "select ht.highlight_id, ht.tag_id from highlight_tags ht join tags t on t.id = ht.tag_id "
        "where t.project_id=?", (pid,)).fetchall()
    tags_of: dict[int, list[int]] = {}
    for hid, tid in tag_rows:
        tags_of.setdefault(hid, []).append(tid)
    plan.found = {"documents": len(docs), "tags": len(tags), "highlights": len(highlights),
                  "highlight tags": len(tag_rows), "users": len(set(users.values()) or {DEFAULT_USER})}
    rendered: dict[int, tuple[str, _Text]] = {}
    taken_ids: set[str] = set()
    for did, dname, ddesc, contents in docs:
        base = slug(Path(dname or f"document-{did}").stem)[:60] or f"document-{did}"
        tid, n = base, 2
        while tid in taken_ids:
            tid, n = f"{base}-{n}", n + 1
        taken_ids.add(tid)
        parsed = html_text(contents)
        text = parsed.text()
        meta = {"source": f"Taguette document {did} ({dname})"}
        if ddesc:
            meta["description"] = ddesc
        plan.transcripts.append(PlannedTranscript(tid, dname or tid, text, meta))
        rendered[did] = (tid, parsed)
    coders: dict[str, str] = {}
    taken: set[str] = set()
    placed = Counter()
    from qualcode.services.coding_ops import quote_spans

    for hid, did, start, end, snippet in highlights:
        tid, parsed = rendered[did]
        text = parsed.text()
        want = parsed.at(start)
        quote = plain(snippet)
        spans = quote_spans(text, quote) if quote else []
        if spans:
            span = min(spans, key=lambda s: abs(s[0] - want))
            placed["by text"] += 1
        else:
            a, b = want, parsed.at(end)
            if not (0 <= a < b <= len(text)):
                plan.warnings.append(Problem(f"highlight {hid} in {tid!r} could not be placed: its text "
                                             f"{quote[:50]!r} is not in the document and its offsets are outside it",
                                             str(path)))
                continue
            span = (a, b)
            placed["by offset"] += 1
        user = users.get(hid, DEFAULT_USER)
        if user not in coders:
            coders[user] = coder_name(user, taken)
            taken.add(coders[user])
            plan.coders[coders[user]] = (user, "")
        items = plan.codings.setdefault(coders[user], [])
        ids = tags_of.get(hid, [])
        if not ids:
            plan.warnings.append(Problem(f"highlight {hid} in {tid!r} has no tag, so it makes no coding", str(path)))
        for tag in ids:
            items.append(PlannedCoding(tid, span[0], span[1], code_of[tag]))
    plan.offsets = placed
    return plan


def _codes(tags: list[tuple]) -> tuple[list[Code], dict[int, str]]:
    """Tags as codes; a dotted path (``barriers.trust``) makes the parents it names."""
    codes: dict[str, Code] = {}
    by_path: dict[str, str] = {}
    code_of: dict[int, str] = {}
    descriptions = {p: d for _, p, d in tags}
    for tag_id, tpath, _ in tags:
        parts = [p.strip() for p in tpath.split(".")]
        if any(not p for p in parts):
            parts = [tpath.strip()]
        parent = None
        for depth in range(len(parts)):
            prefix = ".".join(parts[:depth + 1])
            if prefix not in by_path:
                base = code_slug(parts[depth]) or "tag"
                base = f"{parent}.{base}" if parent else base
                cid, k = base, 2
                while cid in codes:
                    cid, k = f"{base}_{k}", k + 1
                codes[cid] = Code(id=cid, name=parts[depth], parent=parent,
                                  definition=descriptions.get(prefix, "") or "")
                by_path[prefix] = cid
            parent = by_path[prefix]
        code_of[tag_id] = parent
    return list(codes.values()), code_of


def _users(db: sqlite3.Connection, pid: int) -> dict[int, str]:
    """highlight id -> the login of who added it (the last ``highlight_add`` for it)."""
    out: dict[int, str] = {}
    tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    if "commands" not in tables:
        return out
    for login, payload in db.execute("select user_login, payload from commands where project_id=? order by id", (pid,)):
        try:
            data = json.loads(payload) if isinstance(payload, str) else {}
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict) and data.get("type") == "highlight_add" and isinstance(data.get("highlight_id"), int):
            out[data["highlight_id"]] = str(login)
    return out
