"""Taguette projects (.sqlite3) as new qualcode projects: documents, tags, every highlight by its user.

The test databases are built here with the tables and columns of Taguette 1.5's models
(taguette/database/models.py) and its latest alembic revision.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys

import pytest

from qualcode.errors import FormatError
from qualcode.formats.taguette import html_text, read_taguette

SCHEMA = """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
CREATE TABLE users (login VARCHAR(30) PRIMARY KEY, created DATETIME NOT NULL, hashed_password VARCHAR(192),
  disabled BOOLEAN NOT NULL, password_set_date DATETIME, language VARCHAR(10), email VARCHAR(256), email_sent DATETIME);
CREATE TABLE projects (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL, description TEXT NOT NULL,
  created DATETIME NOT NULL);
CREATE TABLE project_members (project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_login VARCHAR(30) NOT NULL REFERENCES users(login), privileges VARCHAR(9) NOT NULL,
  PRIMARY KEY (project_id, user_login));
CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL, description TEXT NOT NULL,
  filename VARCHAR(200) NOT NULL, created DATETIME NOT NULL, project_id INTEGER NOT NULL REFERENCES projects(id),
  text_direction VARCHAR(13) NOT NULL, contents TEXT NOT NULL);
CREATE TABLE commands (id INTEGER PRIMARY KEY AUTOINCREMENT, date DATETIME NOT NULL,
  user_login VARCHAR(30) NOT NULL REFERENCES users(login), project_id INTEGER NOT NULL REFERENCES projects(id),
  document_id INTEGER, payload TEXT NOT NULL);
CREATE TABLE highlights (id INTEGER PRIMARY KEY AUTOINCREMENT, document_id INTEGER NOT NULL REFERENCES documents(id),
  start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, snippet TEXT NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL REFERENCES projects(id),
  path VARCHAR(200) NOT NULL, description TEXT NOT NULL, UNIQUE (project_id, path));
CREATE TABLE highlight_tags (highlight_id INTEGER NOT NULL REFERENCES highlights(id),
  tag_id INTEGER NOT NULL REFERENCES tags(id), PRIMARY KEY (highlight_id, tag_id));
"""
HEAD = "db5e31a0233d"
DOC1 = ("<p>Interviewer: How did the café meetings start?</p>\n<p>Respondent: We met at the café on "
        "Thursdays. Later we met at the café on Thursdays, and people came &amp; stayed.</p>\n"
        "<p>Interviewer: Who chaired them?</p>\n<p>Respondent: <strong>Nobody</strong> chaired them at first.</p>")
DOC2 = "<h1>Field notes</h1><p>The council papers came out late again.</p>"


def _nodes_bytes(html: str) -> str:
    """The document's text nodes joined with nothing between them (what Taguette's offsets count)."""
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


def _offsets(html: str, snippet_text: str, nth: int = 0) -> tuple[int, int]:
    stream = _nodes_bytes(html).encode("utf-8")
    target = snippet_text.encode("utf-8")
    i = -1
    for _ in range(nth + 1):
        i = stream.index(target, i + 1)
    return i, i + len(target)


def make_db(path, *, revision=HEAD, extra_project=False):
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.execute("insert into alembic_version values (?)", (revision,))
    for login in ("admin", "remi"):
        db.execute("insert into users (login, created, disabled) values (?, '2024-01-01', 0)", (login,))
    db.execute("insert into projects values (1, 'Café study', 'Neighbourhood meetings', '2024-01-01')")
    if extra_project:
        db.execute("insert into projects values (2, 'Other', '', '2024-01-01')")
    db.execute("insert into documents values (1, 'Interview 1', 'first', 'int1.docx', '2024-01-01', 1, 'LEFT_TO_RIGHT', ?)",
               (DOC1,))
    db.execute("insert into documents values (2, 'Field notes', '', 'notes.txt', '2024-01-01', 1, 'LEFT_TO_RIGHT', ?)",
               (DOC2,))
    tags = [(1, "meetings", "How meetings began"), (2, "meetings.venue", "Where they met"),
            (3, "governance", "Who runs things"), (4, "interesting", "")]
    db.executemany("insert into tags values (?, 1, ?, ?)", tags)
    # (id, doc, snippet html, text to locate, which occurrence, drift in bytes, tags, user)
    highlights = [
        (1, 1, "we met at the café on Thursdays, and people came &amp; stayed.",
         "we met at the café on Thursdays, and people came & stayed.", 0, 3, [1, 2], "remi"),
        (2, 1, "met at the café on Thursdays", "met at the café on Thursdays", 1, -2, [2], "admin"),
        (3, 1, "<strong>Nobody</strong> chaired them at first.", "Nobody chaired them at first.", 0, 4, [3], "remi"),
        (4, 2, "The council papers came out late again.", "The council papers came out late again.", 0, 0, [4], "admin"),
    ]
    for hid, did, snippet, text, nth, drift, tag_ids, user in highlights:
        s, e = _offsets(DOC1 if did == 1 else DOC2, text, nth)
        db.execute("insert into highlights values (?, ?, ?, ?, ?)", (hid, did, s + drift, e + drift, snippet))
        db.executemany("insert into highlight_tags values (?, ?)", [(hid, t) for t in tag_ids])
        db.execute("insert into commands (date, user_login, project_id, document_id, payload) values "
                   "('2024-01-02', ?, 1, ?, ?)", (user, did, json.dumps({"type": "highlight_add", "highlight_id": hid,
                                                                         "start_offset": s, "end_offset": e, "tags": tag_ids})))
    db.commit()
    db.close()
    return path


def test_html_is_rendered_as_paragraphs_with_entities_decoded():
    t = html_text(DOC1).text()
    assert t.startswith("Interviewer: How did the café meetings start?\n\nRespondent: We met")
    assert "people came & stayed." in t and "<strong>" not in t and "Nobody chaired" in t


def test_plan_places_every_highlight_near_its_offset_with_its_user(tmp_path):
    plan = read_taguette(make_db(tmp_path / "p.sqlite3"))
    assert plan.found == {"documents": 2, "tags": 4, "highlights": 4, "highlight tags": 5, "users": 2}
    assert [c.id for c in plan.codebook.codes] == ["governance", "interesting", "meetings", "meetings.venue"]
    assert plan.codebook.get("meetings.venue").definition == "Where they met"
    texts = {t.id: t.text for t in plan.transcripts}
    got = {coder: sorted((c.code, texts[c.transcript][c.start:c.end]) for c in items)
           for coder, items in plan.codings.items()}
    assert got["remi"] == [("governance", "Nobody chaired them at first."),
                           ("meetings", "we met at the café on Thursdays, and people came & stayed."),
                           ("meetings.venue", "we met at the café on Thursdays, and people came & stayed.")]
    # admin's highlight is the second of two identical passages, its stored offset 2 bytes off
    # (and the text before it holds multi-byte characters): the occurrence nearest it is taken
    (notes, venue) = sorted(plan.codings["admin"], key=lambda c: c.transcript)
    second = texts["interview-1"].index("met at the café on Thursdays, and")
    assert (venue.start, venue.code) == (second, "meetings.venue")
    assert texts["field-notes"][notes.start:notes.end] == "The council papers came out late again."
    assert plan.offsets == {"by text": 4}


def test_import_project_cli_counts_what_arrived(tmp_path):
    db = make_db(tmp_path / "cafe.sqlite3")
    proc = subprocess.run([sys.executable, "-m", "qualcode", "import-project", str(db), str(tmp_path / "cafe"),
                           "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    r = json.loads(proc.stdout)
    assert r["found"]["highlight tags"] == 5 and r["imported"]["codings"] == 5
    assert r["imported"]["transcripts"] == 2 and r["imported"]["codes"] == 4
    assert set(r["coders"]) == {"remi", "admin"}
    check = subprocess.run([sys.executable, "-m", "qualcode", "--project", str(tmp_path / "cafe"), "check"],
                           capture_output=True, text=True)
    assert "5 kept, 0 moved, 0 orphaned" in check.stdout, check.stdout + check.stderr
    speakers = subprocess.run([sys.executable, "-m", "qualcode", "--project", str(tmp_path / "cafe"), "stats",
                               "--json"], capture_output=True, text=True)
    assert json.loads(speakers.stdout)["codings"] == 5


@pytest.mark.parametrize("case", ["other-version", "missing-table", "not-sqlite", "two-projects"])
def test_bad_taguette_files_exit_2_and_leave_nothing(tmp_path, case):
    f = tmp_path / "t.sqlite3"
    if case == "other-version":
        make_db(f, revision="0123456789ab")
        expect = "schema revision '0123456789ab'"
    elif case == "missing-table":
        make_db(f)
        db = sqlite3.connect(f)
        db.execute("drop table highlight_tags")
        db.commit()
        db.close()
        expect = "missing highlight_tags.highlight_id"
    elif case == "not-sqlite":
        f.write_text("id,document,tag,content\n", encoding="utf-8")
        expect = "not a REFI-QDA"  # not SQLite: read as a .qdpx, which it is not either
    else:
        make_db(f, extra_project=True)
        expect = "holds 2 projects (1: Café study; 2: Other)"
    proc = subprocess.run([sys.executable, "-m", "qualcode", "import-project", str(f), str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    if case != "not-sqlite":
        assert expect in proc.stderr, proc.stderr
        assert "What to do:" in proc.stderr
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["t.sqlite3"]
    if case == "two-projects":
        ok = subprocess.run([sys.executable, "-m", "qualcode", "import-project", str(f), str(tmp_path / "out"),
                             "--taguette-project", "1"], capture_output=True, text=True)
        assert ok.returncode == 0, ok.stderr
