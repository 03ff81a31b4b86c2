"""The CLI as a researcher uses it: real subprocesses, exit codes, messages, files on disk."""

import json
import subprocess
import sys

from tests.conftest import INTERVIEW

QC = [sys.executable, "-m", "qualcode"]


def run(*args, cwd=None, check=None):
    proc = subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


def test_init_import_code_list_check_stats(tmp_path):
    run("init", tmp_path / "s", check=0)
    src = tmp_path / "int-1.txt"
    src.write_text(INTERVIEW, encoding="utf-8")
    sub = tmp_path / "s" / "transcripts"
    out = run("import", src, cwd=sub, check=0).stdout  # found by walking up from a subfolder
    assert "imported int-1" in out and "2 speakers" not in out
    add = run("--coder", "ann", "code", "add", "int-1", "theme", "--quote", "We monitor ethnicity on the board",
              "--memo", "key passage", "--json", cwd=tmp_path / "s", check=0)
    coding = json.loads(add.stdout)
    assert coding["quote"] == "We monitor ethnicity on the board"
    journal = (tmp_path / "s" / "codings" / "ann.jsonl").read_text()
    assert coding["id"] in journal
    listed = run("--coder", "ann", "code", "list", "--json", "--project", tmp_path / "s", check=0)
    assert [c["id"] for c in json.loads(listed.stdout)] == [coding["id"]]
    said = run("stats", "--project", tmp_path / "s", check=0).stdout
    assert "1 transcript," in said and "1 coder, 1 coding" in said  # not "1 coders"
    stats = json.loads(run("stats", "--json", "--project", tmp_path / "s", check=0).stdout)
    assert stats["transcripts"] == 1 and stats["coders"] == 1 and stats["codings"] == 1
    assert run("check", "--project", tmp_path / "s", check=0).stdout.strip().endswith("clean")


def test_undo_redo_from_cli_survive_between_commands(project):
    run("--coder", "ann", "code", "add", "int-1", "theme", "--quote", "outcomes matter", "--project", project.root, check=0)
    assert "undone: add theme" in run("--coder", "ann", "code", "undo", "--project", project.root, check=0).stdout
    assert json.loads(run("--coder", "ann", "code", "list", "--json", "--project", project.root).stdout) == []
    run("--coder", "ann", "code", "redo", "--project", project.root, check=0)
    assert len(json.loads(run("--coder", "ann", "code", "list", "--json", "--project", project.root).stdout)) == 1


def test_errors_exit_2_with_one_message_and_no_traceback(tmp_path, project):
    cases = [
        (["stats"], tmp_path, "no qualcode.toml"),
        (["code", "add", "int-1", "no.such.code", "--quote", "outcomes"], project.root, "unknown code 'no.such.code'"),
        (["code", "add", "int-1", "theme", "--quote", "words never said"], project.root, "not found"),
        (["code", "add", "int-9", "theme", "--start", "0", "--end", "3"], project.root, "no transcript"),
        (["import", tmp_path / "missing.txt"], project.root, "file not found"),
        (["code", "remove", "nope"], project.root, "no coding with id"),
    ]
    for args, cwd, expected in cases:
        proc = run(*args, cwd=cwd)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert expected in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_check_reports_findings_with_exit_1(project):
    (project.root / "cases.csv").write_text("transcript,case,region\nint-1,A,North\nghost,B,South\n")
    proc = run("check", "--project", project.root)
    assert proc.returncode == 1
    assert "ghost" in proc.stdout and "cases.csv:3" in proc.stdout


def test_bad_files_are_refused_by_import(tmp_path, project):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    fake_docx = tmp_path / "fake.docx"
    import zipfile
    with zipfile.ZipFile(fake_docx, "w") as z:
        z.writestr("hello.txt", "not a word document")
    truncated = tmp_path / "cut.docx"
    from docx import Document
    d = Document()
    d.add_paragraph("Interviewer: hello")
    d.save(tmp_path / "whole.docx")
    truncated.write_bytes((tmp_path / "whole.docx").read_bytes()[:2000])
    for f in (empty, binary, fake_docx, truncated):
        proc = run("import", f, "--project", project.root)
        assert proc.returncode == 2, (f, proc.stderr)
        assert f.name in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in (project.root / "transcripts").iterdir()) == ["int-1.txt"]


def test_transcript_edited_after_coding_is_reported_and_fixed(project):
    """Each coding is kept, moved or orphaned, never silently dropped or left on the wrong text."""
    root = project.root
    for quote in ("We monitor ethnicity on the board", "It took us two years to get there",
                  "The outcomes matter more than who gets the money"):
        run("--coder", "ann", "code", "add", "int-1", "theme", "--quote", quote, "--project", root, check=0)
    path = root / "transcripts" / "int-1.txt"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Interviewer: Could you start", "Interviewer: Thanks. Could you start")
    text = text.replace("It took us two years to get there, honestly.", "We never got anywhere.")
    path.write_text(text, encoding="utf-8")
    proc = run("check", "--json", "--project", root)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["anchors"] == {"kept": 0, "moved": 2, "orphaned": 1}
    assert report["orphaned"][0]["quote"].startswith("It took us two years")
    new_text = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    for item in report["moved"]:
        s, e = item["to"]
        assert item["quote"] in new_text  # the moved span is the same words, at their new place
    fixed = run("check", "--fix", "--coder", "ann", "--project", root)
    assert fixed.returncode == 1 and "saved the new place of 2 moved coding(s)" in fixed.stdout  # the lost one remains
    assert "check --fix` saves the new place" not in fixed.stdout  # saved: no longer to do
    after = json.loads(run("check", "--json", "--project", root).stdout)
    assert after["anchors"] == {"kept": 2, "orphaned": 1}
    listed = {c["quote"] for c in json.loads(run("--coder", "ann", "code", "list", "--json", "--project", root).stdout)}
    assert {"We monitor ethnicity on the board", "The outcomes matter more than who gets the money"} <= listed


def test_a_transcript_is_found_by_its_file_name_in_any_case(tmp_path):
    """Ids are the file name lower-cased; a researcher types the file name as it is on disk."""
    run("init", tmp_path / "s", check=0)
    src = tmp_path / "Hearing_Q1-79.txt"
    src.write_text(INTERVIEW.replace("id: int-1\n", ""), encoding="utf-8")  # the id comes from the file name
    run("import", src, "--project", tmp_path / "s", check=0)
    for name in ("Hearing_Q1-79", "hearing_q1-79", "Hearing_Q1-79.txt"):
        add = run("--coder", "ann", "code", "add", name, "theme", "--quote", "We monitor ethnicity on the board",
                  "--json", "--project", tmp_path / "s", check=0)
        assert json.loads(add.stdout)["t"] == "hearing_q1-79"
        run("--coder", "ann", "code", "undo", "--project", tmp_path / "s", check=0)
    assert "hearing_q1-79" in run("--coder", "ann", "status", "Hearing_Q1-79", "--project", tmp_path / "s", check=0).stdout
    wrong = run("--coder", "ann", "code", "list", "--transcript", "Hearing_Q1-80", "--project", tmp_path / "s", check=2)
    assert "did you mean hearing_q1-79" in wrong.stderr and "Traceback" not in wrong.stderr


def test_a_tour_command_never_changes_the_reference_coders_journal(study_copy):
    """The bundled study's default_coder (researcher_a) chooses whose codings reports show; a command
    that changes codings acts as you. An outside tester's `qualcode code undo` took back one of
    researcher_a's reference codings."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "QUALCODE_CODER"}
    env.update(USER="tourist", LOGNAME="tourist")
    before = (study_copy / "codings" / "researcher_a.jsonl").read_bytes()
    for args in (["status", "lsp-b", "done"], ["code", "undo"], ["code", "add", "lsp-a", "monitoring.none", "--quote",
                                                                  "But we don't track it"]):
        proc = subprocess.run([*QC, *args], capture_output=True, text=True, cwd=study_copy, env=env)
        assert proc.returncode == 0, proc.stderr
    assert (study_copy / "codings" / "researcher_a.jsonl").read_bytes() == before
    assert (study_copy / "codings" / "tourist.jsonl").exists()
    shown = subprocess.run([*QC, "code", "list", "--transcript", "lsp-a"], capture_output=True, text=True,
                           cwd=study_copy, env=env).stdout
    assert "researcher_a" in shown  # reports still show the reference coder


def test_an_unknown_code_is_named_before_the_quote_is_looked_for(project):
    proc = run("--coder", "ann", "code", "add", "int-1", "nosuch", "--quote", "the", "--project", project.root, check=2)
    assert "unknown code 'nosuch'" in proc.stderr and "occurs" not in proc.stderr


def test_an_id_renamed_on_another_machine_still_codes_as_its_new_id(project):
    """ben kept coding with the old id after the lead's rename-id reached him: it codes as the new id
    (the codebook's `renamed:` record), where before it was refused as an unknown code."""
    run("codebook", "rename-id", "theme", "topic", "--project", project.root, check=0)
    out = run("--coder", "ben", "code", "add", "int-1", "theme", "--start", "0", "--end", "5",
              "--project", project.root, check=0).stdout
    assert ": topic on int-1" in out


def test_code_list_takes_the_short_options_suggest_takes(tmp_path):
    """An outside tester typed `code list -t P4` after `suggest -t P4`: "No such option '-t'"."""
    run("init", tmp_path / "s", check=0)
    src = tmp_path / "int-1.txt"
    src.write_text(INTERVIEW, encoding="utf-8")
    run("import", src, "--project", tmp_path / "s", check=0)
    out = run("--coder", "ann", "code", "list", "-t", "int-1", "-c", "anything", "--project", tmp_path / "s")
    assert "No such option" not in out.stderr


def test_suggest_lists_what_it_suggests_not_every_codes_candidates(tmp_path):
    """An outside tester got 998 lines for one transcript: every one of 91 codes with five candidates.
    The list holds what is suggested; each code's candidates come with --code or --all-candidates."""
    from tests.conftest import copy_study

    root = copy_study(tmp_path / "study")
    said = run("--coder", "researcher_a", "suggest", "--transcript", "lsp-c", "--project", root, check=0).stdout
    assert "(a candidate, not suggested)" not in said and "below the bar are not listed" in said
    one = run("--coder", "researcher_a", "suggest", "-t", "lsp-c", "-c", "outcomes.matter", "--project", root,
              check=0).stdout
    assert "(a candidate, not suggested)" in one
