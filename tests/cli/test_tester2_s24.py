"""An outside tester's findings: a Word file's own id against --id, and quotes that fall in a speaker
label."""

from __future__ import annotations

import json

from tests.cli.test_cli import run


def _docx(path, lines):
    from docx import Document

    d = Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(path)


SPEECH = ["Interviewer: How did it start?", "Participant: A combination of things, mostly the council."]


def test_a_word_files_own_id_against_id_is_said_as_such(tmp_path):
    """`import P3.docx --id hearing-07` said "--id 'hearing-07' cannot be used as a transcript id / use
    letters, digits, '-' and '_' (e.g. --id hearing-07)": the real cause is the file's own `id: P3`."""
    run("init", tmp_path / "s", check=0)
    src = tmp_path / "P3.docx"
    _docx(src, ["---", "id: P3", "---", *SPEECH])
    proc = run("import", src, "--id", "hearing-07", cwd=tmp_path / "s", check=2)
    said = proc.stdout + proc.stderr
    assert "cannot be used as a transcript id" not in said, said
    assert "P3.docx gives its own id 'P3' in its front matter" in said, said
    assert "import it without --id (it becomes transcript 'P3')" in said and "`id:` line" in said, said
    assert not list((tmp_path / "s" / "transcripts").iterdir())  # nothing imported
    run("import", src, cwd=tmp_path / "s", check=0)  # as the message says
    assert [p.name for p in (tmp_path / "s" / "transcripts").iterdir()] == ["P3.docx"]


def test_id_still_names_a_word_file_without_its_own_and_a_text_transcript_with_one(tmp_path):
    run("init", tmp_path / "s", check=0)
    plain = tmp_path / "P4.docx"
    _docx(plain, SPEECH)
    run("import", plain, "--id", "hearing-08", cwd=tmp_path / "s", check=0)
    text = tmp_path / "P5.txt"
    text.write_text("---\nid: P5\n---\n" + "\n\n".join(SPEECH) + "\n", encoding="utf-8")
    run("import", text, "--id", "hearing-09", cwd=tmp_path / "s", check=0)  # a text transcript's is rewritten
    names = sorted(p.name for p in (tmp_path / "s" / "transcripts").iterdir())
    assert names == ["hearing-08.docx", "hearing-09.txt"], names
    bad = run("import", tmp_path / "P4.docx", "--id", "bad id!", "--replace", cwd=tmp_path / "s", check=2)
    assert "cannot be used as a transcript id" in bad.stdout + bad.stderr


def _labelled(tmp_path):
    run("init", tmp_path / "s", check=0)
    src = tmp_path / "bell.md"
    src.write_text("**Interviewer**: How did it start?\n\n**Mr Marcus Bell**: A combination of things.\n\n"
                   "**Participant**: Yes.\n\nParticipant: Participant numbers grew.\n", encoding="utf-8")
    run("import", src, cwd=tmp_path / "s", check=0)
    return tmp_path / "s"


def _coded(project, *args):
    out = run("code", "add", "bell", "theme", *args, "--json", cwd=project, check=0).stdout
    return json.loads(out)


def test_a_quote_starting_inside_a_speaker_label_codes_the_speech(tmp_path):
    project = _labelled(tmp_path)
    c = _coded(project, "--quote", "Mr Marcus Bell**: A combination")
    assert c["quote"] == "A combination", c


def test_a_quote_within_a_speaker_label_is_refused(tmp_path):
    project = _labelled(tmp_path)
    for args in (["--quote", "Participant", "--occurrence", "2"], ["--quote", "**Mr Marcus Bell**:"],
                 ["--quote", "Marcus"]):
        proc = run("code", "add", "bell", "theme", *args, cwd=project)
        said = proc.stdout + proc.stderr
        assert proc.returncode != 0, (args, said)
        assert "is the speaker label of a turn in bell" in said and "quote the words said after the label" in said
    c = _coded(project, "--quote", "Participant", "--occurrence", "3")  # in what was said: coded
    assert c["quote"] == "Participant" and c["s"] > 100, c
    assert run("code", "list", cwd=project, check=0).stdout.count("theme") == 1
