"""Hardening of the project store: one bad file never takes the project down, the journal keeps
what it cannot read, the .qualcode cache is verified, names and disks fail with clear messages."""

from __future__ import annotations

import errno
import io
import json
import os
import pickle
import subprocess
import sys
import time
import zipfile

import pytest

from qualcode.domain.coding import CodingSet
from qualcode.errors import FormatError, JournalError, ProjectError
from qualcode.formats.transcripts import parse_transcript
from qualcode.services.check import check_project
from qualcode.services.project_ops import import_transcripts, init_project
from qualcode.store import journal as journal_mod
from qualcode.store import state
from qualcode.store.cache_seal import seal
from qualcode.store.journal import replay
from qualcode.store.project import Project

QC = [sys.executable, "-m", "qualcode"]


def run(*args):
    return subprocess.run([*QC, *map(str, args)], capture_output=True, text=True)


def test_an_impossible_date_leaves_every_command_working(project):
    root = project.root
    (root / "transcripts" / "bad.txt").write_text("---\ndate: 2024-02-30\n---\nAnn: hello\nBob: hi\n", encoding="utf-8")
    project.close()
    for args in (["check"], ["stats"], ["--coder", "ann", "code", "list"]):
        proc = run(*args, "--project", root)
        assert "internal error" not in proc.stderr + proc.stdout, args
        assert proc.returncode in (0, 1), (args, proc.stderr)
    opened = Project.open(root, search=False)
    assert {"int-1", "bad"} <= set(opened.index.ids())
    assert opened.index.get("bad").metadata["date"] == "2024-02-30"  # kept as written


def test_a_transcript_file_name_that_is_not_utf8_is_left_out_and_named(project):
    """A file copied from a Windows zip or a Latin-1 disk (name bytes b'entrevista-\\xe9.txt'): every
    command still works, and `check` names the file and what to do."""
    root = project.root
    name = os.fsdecode(b"entrevista-\xe9.txt")
    (root / "transcripts" / name).write_text("Ann: hola\nBob: hola\n", encoding="utf-8")
    project.close()
    proc = run("check", "--project", root)
    assert "internal error" not in proc.stderr + proc.stdout
    assert "entrevista-\\xe9.txt" in proc.stdout + proc.stderr and "not UTF-8" in proc.stdout + proc.stderr
    assert proc.returncode == 1
    proc = run("--coder", "ann", "code", "list", "--project", root)
    assert proc.returncode == 0, proc.stderr


def test_an_argument_that_is_not_utf8_is_refused_before_anything_is_saved(project):
    """A memo typed in a Latin-1 terminal arrives as undecodable bytes: a clear refusal, exit 2, and
    the journal untouched (before, an internal error from the journal's encoder)."""
    root = project.root
    project.close()
    bad = os.fsdecode(b"caf\xe9")
    proc = run("--coder", "ann", "code", "add", "int-1", "theme", "--start", "0", "--end", "5", "--memo", bad,
               "--project", root)
    assert proc.returncode == 2
    assert "not UTF-8" in proc.stderr and "internal error" not in proc.stderr
    assert not (root / "codings" / "ann.jsonl").exists() or "caf" not in (root / "codings" / "ann.jsonl").read_text()


def test_a_file_that_breaks_the_importer_is_left_out_and_named(project, monkeypatch):
    (project.root / "transcripts" / "weird.txt").write_text("Ann: x\n", encoding="utf-8")
    import qualcode.store.index as index_mod

    real = index_mod._parse

    def parse(path, *args, **kwargs):
        if path.name == "weird.txt":
            raise IndexError("a bug in an importer")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(index_mod, "_parse", parse)
    project.refresh_index()
    assert "int-1" in project.index.ids()
    problems = [p for p in project.index.problems if p.path == "transcripts/weird.txt"]
    assert problems and "IndexError" in problems[0].message


@pytest.mark.parametrize("front, what", [
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n", "aliases"),
    ("a: !!python/object:os.system x\n", "tag"),
    ("a: " + "[" * 200 + "]" * 200 + "\n", "nested"),
])
def test_front_matter_yaml_is_read_safely(front, what):
    t0 = time.process_time()
    with pytest.raises(FormatError, match=what) as info:
        parse_transcript(("---\n" + front + "---\nAnn: hello\n").encode(), "p1.txt")
    assert info.value.path == "p1.txt" and info.value.line is not None
    assert time.process_time() - t0 < 60  # (a YAML bomb ran for minutes; not a timing test)


def test_front_matter_aliases_inside_a_docx_are_refused_too():
    import docx

    d = docx.Document()
    for line in ["---", "a: &a [x, x, x]", "b: [*a, *a]", "---", "Ann: hello", "Bob: hi"]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(FormatError, match="aliases"):
        parse_transcript(buf.getvalue(), "p1.docx")


def _docx_with(member: str, data: bytes, compress=zipfile.ZIP_DEFLATED) -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, data if info.filename == member else src.read(info))
    return out.getvalue()


def test_docx_gets_the_qdpx_budget():
    bomb = _docx_with("word/document.xml", b"<w:document>" + b" " * (40 << 20) + b"</w:document>")
    assert len(bomb) < 200_000
    with pytest.raises(FormatError, match="zip bomb|larger than"):
        parse_transcript(bomb, "bomb.docx")


def test_a_long_word_transcript_that_repeats_itself_is_not_taken_for_a_zip_bomb():
    """Repeating text compresses as much as a bomb's zeros: 3 MB of document.xml at over 100 times was
    refused as a zip bomb; the entry and total limits bound a Word file without the ratio."""
    para = b"<w:p><w:r><w:t>Ann: we met the board again and said the same thing.</w:t></w:r></w:p>"
    data = _docx_with("word/document.xml", b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                      b'wordprocessingml/2006/main"><w:body>' + para * 40_000 + b"</w:body></w:document>")
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    assert info.file_size > 1 << 20 and info.file_size > 100 * info.compress_size
    transcript, _ = parse_transcript(data, "long.docx")
    assert transcript.text.count("we met the board again") == 40_000


def test_a_docx_with_a_corrupt_deflate_stream_is_refused_clearly():
    good = _docx_with("word/document.xml", b"<w:document>" + b"hello " * 2000 + b"</w:document>")
    zf = zipfile.ZipFile(io.BytesIO(good))
    info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    bad = bytearray(good)
    for i in range(start + 5, start + 40):
        bad[i] ^= 0x5A
    with pytest.raises(FormatError, match="cannot read|damaged"):
        parse_transcript(bytes(bad), "broken.docx")


def test_a_long_line_of_marks_is_parsed_in_linear_memory():
    text = b"Ann: hello\n" + b"*" * 3_000_000 + b"\nBob: hi\n"
    transcript, _ = parse_transcript(text, "stars.txt")  # was ~300 MB of regex backtracking frames
    assert transcript.text.endswith("Bob: hi\n")


# -- journal ---------------------------------------------------------------------------------------
BAD_LINES = [
    b'{"v":1,"n":"abc","op":"undo"}',
    b'{"v":1,"n":7,"op":"add","coding":{"id":"x","t":"int-1","s":NaN,"e":3,"code":"theme"}}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"v":1,"n":8,"op":"frobnicate"}',
    b"not json at all",
    b'{"v":1,"n":9,"op":"add","coding":{"id":"y","t":"int-1","s":5,"e":2,"code":"theme"}}',
]


def test_bad_journal_lines_are_reported_kept_aside_by_compaction_and_never_crash(project):
    s = project.session("ann")
    s.add("int-1", 0, 11, "theme")
    s.add("int-1", 20, 30, "theme.sub")
    s.close()
    path = project.codings_dir / "ann.jsonl"
    with open(path, "ab") as fh:
        fh.write(b"\n".join(BAD_LINES) + b"\n")
    project = Project.open(project.root, search=False)
    report = check_project(project)
    lines = sorted(f.problem.line for f in report.findings if f.area == "journals")
    assert lines == [3, 4, 5, 6, 7, 8]
    assert len(project.codings("ann")) == 2
    s = project.session("ann")
    s.add("int-1", 40, 45, "theme")  # adding still works
    assert s.compact() == 3
    assert "moved to ann.jsonl.unreadable-" in str(s.notes[0])
    (aside,) = project.codings_dir.glob("ann.jsonl.unreadable-*")
    assert aside.read_bytes() == b"".join(line + b"\n" for line in BAD_LINES)  # verbatim, nothing lost
    s.close()
    reopened = Project.open(project.root, search=False)
    findings = check_project(reopened).findings
    assert [f.problem.path for f in findings if f.area == "journals"] == [str(aside)]
    assert len(reopened.codings("ann")) == 3


def test_a_full_disk_says_so(project, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_mod.os, "pwrite", full)  # no lock file yet: writing who holds it fails
    s = project.session("newcoder")
    monkeypatch.setattr(journal_mod.os, "write", full)
    with pytest.raises(JournalError, match="the disk is full"):
        s.add("int-1", 0, 5, "theme")
    monkeypatch.undo()
    s.close()
    assert replay(project.codings_dir / "newcoder.jsonl", "newcoder").codings.codings == {}


# -- the cache -------------------------------------------------------------------------------------
def test_a_crafted_state_cannot_inject_codings(project, monkeypatch):
    monkeypatch.setattr(state, "MIN_LINES_TO_SAVE", 1)
    s = project.session("ann")
    s.add("int-1", 0, 11, "theme")
    s.close()
    path = project.codings_dir / "ann.jsonl"
    data = path.read_bytes()
    real = replay(path, "ann")
    (c,) = real.codings
    evil = CodingSet("ann")
    for x in (c, c._replace(id="injected", code="theme.sub")):
        evil.apply({"op": "add", "coding": x.to_json()})
    folder = project.cache_dir / "journals"

    def forge():  # a state that covers the journal exactly, written with another user's key
        import qualcode.store.cache_seal as cs

        monkeypatch.setattr(cs, "_key", b"k" * 32)
        state.save(folder, "ann", evil, base=None, journal=path, consumed=len(data), bounds=[len(data)],
                   digest=state.chain(data, 0, [len(data)]), sig=None, lines=1, last_seq=1, warnings=[], future=[])
        monkeypatch.setattr(cs, "_key", None)

    forge()
    opened = Project.open(project.root, search=False)
    assert set(opened.codings("ann").codings) == {c.id}
    assert any("journal state" in n for n in opened.cache_notes())
    # not sealed at all (what someone else's .qualcode/ might hold): refused too
    header = state.header_path(folder, "ann")
    header.write_bytes(header.read_bytes().split(b"\n", 1)[1])
    reopened = Project.open(project.root, search=False)
    s = reopened.session("ann")
    assert set(s.codings.codings) == {c.id}
    s.compact()
    s.close()
    assert set(replay(path, "ann").codings.codings) == {c.id}


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"version": 1, "files": [1, 2]}', b"\x00" * 64])
def test_a_corrupt_index_is_rebuilt_with_a_note(project, content):
    (project.cache_dir / "index.json").write_bytes(content)
    for f in (project.cache_dir / "transcripts").glob("*.json"):
        f.write_bytes(content)
    opened = Project.open(project.root, search=False)
    assert opened.index.ids() == ["int-1"]
    assert opened.transcript("int-1").text.startswith("Interviewer:")
    assert any("index" in n and "rebuilt" in n for n in opened.cache_notes())


# -- names, files ----------------------------------------------------------------------------------
def test_names_with_control_characters_are_refused_up_front(tmp_path):
    with pytest.raises(ProjectError, match="line break"):
        init_project(tmp_path / "bad\nname")
    assert not (tmp_path / "bad\nname").exists()
    with pytest.raises(ProjectError, match="line break"):
        init_project(tmp_path / "ok", name="tab\there")  # an explicit name: refused before writing
    assert not (tmp_path / "ok").exists()
    init_project(tmp_path / "ok").close()
    with pytest.raises(JournalError, match="not a usable coder name"):
        Project.open(tmp_path / "ok", search=False).session("ann\n")


def test_a_very_long_id_and_a_fifo_are_refused_with_the_file_named(project, tmp_path):
    long_id = tmp_path / "long.txt"
    long_id.write_text("---\nid: " + "a" * 300 + "\n---\nAnn: hi\n", encoding="utf-8")
    with pytest.raises(FormatError, match="300 characters") as info:
        import_transcripts(project, [long_id])
    assert "long.txt" in str(info.value)
    long_name = tmp_path / ("b" * 240 + ".txt")
    long_name.write_text("Ann: hi\n", encoding="utf-8")
    with pytest.raises(FormatError, match="too long to be a file name"):
        import_transcripts(project, [long_name])
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(FormatError, match="not a regular file"):
        import_transcripts(project, [fifo])


def test_toml_strings_escape_control_characters(tmp_path):
    from qualcode.store.config import load_config, save_config

    project = init_project(tmp_path / "p")
    cfg = project.config
    cfg.aliases = {"Counsel\nInquiry": "Ms \"B\"\t\\"}
    save_config(project.root, cfg)
    assert load_config(project.root).aliases == cfg.aliases
    json.dumps(cfg.aliases)


def test_a_compaction_killed_before_its_rename_leaves_no_litter(project):
    s = project.session("ann")
    s.add("int-1", 0, 11, "theme")
    s.close()
    stale = project.codings_dir / ".ann.jsonl.abc123.tmp"
    stale.write_text("half a compaction\n")
    s = project.session("ann")  # the lock is ours: no other writer can be mid-compaction
    assert not stale.exists() and len(s.codings) == 1
    s.close()


def test_a_journal_whose_name_is_not_a_coder_is_reported_not_fatal(project):
    s = project.session("ann")
    s.add("int-1", 0, 11, "theme")
    s.close()
    (project.codings_dir / "bad name.jsonl").write_bytes((project.codings_dir / "ann.jsonl").read_bytes())
    opened = Project.open(project.root, search=False)
    assert opened.coders() == ["ann"]
    findings = [f.problem for f in check_project(opened).findings if f.area == "journals"]
    assert [p.path for p in findings] == [str(project.codings_dir / "bad name.jsonl")]


def test_fifos_where_project_files_belong_are_reported_not_waited_on(project):
    os.mkfifo(project.codings_dir / "zed.jsonl")
    project.cases_path.unlink()
    os.mkfifo(project.cases_path)
    opened = Project.open(project.root, search=False)
    messages = [f.problem.message for f in check_project(opened).findings if f.area in ("journals", "cases")]
    assert sum("not a regular file" in m for m in messages) == 2
    with pytest.raises(JournalError, match="not a regular file"):
        opened.session("zed")


def test_two_files_with_the_same_text_keep_their_own_ids_titles_and_speakers(project, tmp_path):
    """An interview imported twice under two names (same words, its own front matter) is two
    transcripts: the cached parse of one must never be handed out for the other."""
    from tests.conftest import INTERVIEW

    copy = INTERVIEW.replace("id: int-1", "id: int-1-copy").replace("title: A short interview",
                                                                   "title: The same interview again")
    copy = copy.replace("Ruth Adebayo: respondent", "Ruth Adebayo: interviewer")
    src = tmp_path / "int-1-copy.txt"
    src.write_text(copy, encoding="utf-8")
    import_transcripts(project, [src])
    for opened in (project, Project.open(project.root, search=False)):  # parsed now, then from the cache
        a, b = opened.transcript("int-1"), opened.transcript("int-1-copy")
        assert a.text == b.text
        assert (a.id, a.title) == ("int-1", "A short interview")
        assert (b.id, b.title) == ("int-1-copy", "The same interview again")
        assert {t.role for t in a.turns if t.speaker == "Ruth Adebayo"} == {"respondent"}
        assert {t.role for t in b.turns if t.speaker == "Ruth Adebayo"} == {"interviewer"}


def test_a_transcript_read_with_a_warning_is_a_warning_in_check_and_a_file_left_out_is_an_error(project, tmp_path):
    """A Latin-1 file imports with a warning ("not UTF-8; read as Windows-1252"): `check` must say the
    same, not turn it into an error for good; a file the project cannot read stays an error."""
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Interviewer: Hi\n\nRespondent: café naïve, ça va\n".encode("latin-1"))
    import_transcripts(project, [latin])
    (project.root / "transcripts" / "junk.txt").write_bytes(b"\x00\x01\x02" * 50)
    findings = check_project(Project.open(project.root, search=False)).findings
    by_file = {f.problem.path: f.severity for f in findings if f.area == "transcripts"}
    assert by_file["transcripts/latin.txt"] == "warning"
    assert by_file["transcripts/junk.txt"] == "error"


def test_importing_the_same_text_under_another_name_warns(project, tmp_path):
    from tests.conftest import INTERVIEW

    body = INTERVIEW.split("---\n", 2)[2]  # no front matter: the id comes from the file name
    copy = tmp_path / "int-1 (copy).txt"
    copy.write_text(INTERVIEW.replace("id: int-1", "id: int-1-copy"), encoding="utf-8")
    result = import_transcripts(project, [copy])
    assert [t for t, _ in result.imported] == ["int-1-copy"]
    assert any("has the same text as transcript 'int-1'" in p.message for p in result.warnings)
    again = import_transcripts(project, [copy])  # the same file again: unchanged, no warning
    assert again.unchanged == ["int-1-copy"] and not any("same text" in p.message for p in again.warnings)
    other = tmp_path / "other.txt"
    other.write_text(body.replace("two years", "three years"), encoding="utf-8")
    assert not any("same text" in p.message for p in import_transcripts(project, [other]).warnings)


def test_a_project_setting_pointing_outside_the_project_is_refused(project):
    """A qualcode.toml handed over by someone else must not make `code add` write to /etc."""
    root = project.root
    project.close()
    toml = root / "qualcode.toml"
    text = toml.read_text(encoding="utf-8")
    for value in ("../../etc", "/tmp/elsewhere"):
        toml.write_text(text.replace('codings = "codings"', f'codings = "{value}"'), encoding="utf-8")
        proc = run("--coder", "ann", "code", "add", "int-1", "theme", "--start", "0", "--end", "5", "--project", root)
        assert proc.returncode == 2 and "inside the project folder" in proc.stderr, proc.stderr
        assert "codings" in proc.stderr and "internal error" not in proc.stderr
    assert not list((root.parent).glob("etc/ann.jsonl"))


def test_a_codings_folder_misspelt_in_the_settings_is_said_by_check(project):
    root = project.root
    project.close()
    toml = root / "qualcode.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('codings = "codings"', 'codings = "coding"'),
                    encoding="utf-8")
    proc = run("check", "--project", root)
    assert proc.returncode == 1
    assert "the codings folder 'coding' named in qualcode.toml does not exist" in proc.stdout


@pytest.mark.parametrize("login, coder", [("анна", "anna"), ("José", "Jose"), ("first last", "first_last"), ("bob", "bob")])
def test_a_login_name_in_any_script_gives_a_coder_name(monkeypatch, login, coder):
    """A researcher whose login is "анна" could run no command that codes (the coder name is ASCII)."""
    import getpass

    from qualcode.cli.context import _login_name
    from qualcode.store.journal import check_coder_name

    monkeypatch.setattr(getpass, "getuser", lambda: login)
    assert _login_name() == coder
    check_coder_name(_login_name())


@pytest.mark.parametrize("data", [
    b"transcript;case;region\r\nint-1;C1;North\r\n",  # Excel's CSV where the decimal mark is a comma
    "transcript\tcase\tregion\r\nint-1\tC1\tNorth\r\n".encode("utf-16"),  # Excel's "Unicode text"
    b"\xef\xbb\xbftranscript,case,region\nint-1,C1,North\n",
])
def test_cases_saved_by_a_spreadsheet_in_any_locale_are_read(tmp_path, data):
    """A semicolon or UTF-16 tab-separated cases.csv stopped every report with "the first row must
    name the columns, one of them 'transcript'" although it did."""
    from qualcode.store.cases import load_cases

    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    cases = load_cases(path)
    assert cases.problems == []
    assert cases.case_of == {"int-1": "C1"} and cases.attributes["int-1"] == {"region": "North"}
