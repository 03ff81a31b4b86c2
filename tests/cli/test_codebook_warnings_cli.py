"""A cosmetic codebook typo (two codes with one shortcut, a bad colour) no longer blocks the project:
commands warn once on stderr and go on, `check` lists each with file:line, `codebook edit` fixes it.
Unknown codes are named once, with the closest code."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run
from tests.conftest import copy_study

QUOTE = "A lot of the communities are consulted to death"


@pytest.fixture
def broken(tmp_path):
    """The study, its codebook given a colour of five digits and a second code with shortcut "1"."""
    proj = copy_study(tmp_path / "study")
    path = proj / "codebooks" / "lsp-participation.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count('shortcut: "2"') == 1 and text.count('colour: "#8FBFEF"') == 1
    path.write_text(text.replace('shortcut: "2"', 'shortcut: "1"').replace('"#8FBFEF"', '"#12345"'),
                    encoding="utf-8")
    return proj, path


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("qualcode: warning:")]


def test_commands_warn_once_and_go_on(broken):
    proj, path = broken
    for args in (["stats"], ["table", "frequencies"], ["code", "list", "--code", "barriers"]):
        proc = run(*args, "--project", proj, check=0)
        said = _warnings(proc.stderr)
        assert len(said) == 2, proc.stderr  # each once, however often the codebook is read
        assert f"{path}:26: code 'monitoring': colour '#12345'" in said[0]
        assert "duplicate shortcut '1'" in said[1] and "--shortcut KEY" in said[1]
        assert "problem(s) in the codebook" not in proc.stderr and "Traceback" not in proc.stderr
    stats = json.loads(run("stats", "--json", "--project", proj, check=0).stdout)
    assert stats["codes"] == 47


def test_check_lists_each_and_codebook_edit_fixes_them(broken):
    proj, path = broken
    before = path.read_text(encoding="utf-8")
    check = run("check", "--project", proj, check=1)
    assert "47 codes" in check.stdout and not _warnings(check.stderr)  # listed as findings, not said twice
    found = [line for line in check.stdout.splitlines() if line.startswith("warning: [codebook]")]
    assert len(found) == 2 and f"{path}:26:" in found[0] and "qualcode codebook edit" in found[1]
    who = found[1].split("code '")[1].split("'")[0]
    run("codebook", "edit", who, "--name", "Renamed", "--project", proj, check=0)
    after = path.read_text(encoding="utf-8")  # the ignored values stay in the file: never dropped unasked
    assert after.count('shortcut: "1"') == 2 and '"#12345"' in after and after != before
    assert "is already the key of" in run("codebook", "edit", who, "--shortcut", "1", "--project", proj,
                                          check=2).stderr
    run("codebook", "edit", who, "--shortcut", "2", "--project", proj, check=0)
    run("codebook", "edit", "monitoring", "--colour", "#123456", "--project", proj, check=0)
    text = path.read_text(encoding="utf-8")
    assert text.count('shortcut: "1"') == 1 and '"#12345"' not in text
    clean = run("check", "--project", proj, check=0)
    assert "[codebook]" not in clean.stdout and not _warnings(clean.stderr)


def test_meaning_changing_problems_stay_errors(tmp_path):
    proj = copy_study(tmp_path / "study")
    path = proj / "codebooks" / "lsp-participation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: barriers.culture", "- id: barriers.trust", 1), encoding="utf-8")
    proc = run("stats", "--project", proj, check=2)
    assert "duplicate code id 'barriers.trust'" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_codes_named_once_with_the_closest(tmp_path):
    proj = copy_study(tmp_path / "study")
    add = run("code", "add", "lsp-c", "truts", "--quote", QUOTE, "--project", proj, check=2)
    assert "unknown code 'truts'; did you mean 'barriers.trust'?" in add.stderr
    table = tmp_path / "t.csv"
    table.write_text(f"transcript,code,text\nlsp-c,barriers.truts,{QUOTE}\n", encoding="utf-8")
    imp = run("code", "import", table, "--project", proj, check=2)
    assert "line 2: unknown code: 'barriers.truts' is not in the codebook; did you mean 'barriers.trust'?" \
        in imp.stderr
    assert "unknown code: unknown code" not in imp.stderr
    listed = run("code", "list", "--code", "barriers.trst", "--project", proj, check=2)
    assert "did you mean 'barriers.trust'?" in listed.stderr
    path = proj / "codebooks" / "lsp-participation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("codes:\n", "codes:\n  - {id: extra, name: Extra, parent: barrers}\n", 1),
                    encoding="utf-8")
    bad = run("stats", "--project", proj, check=2)
    assert "unknown parent 'barrers'; did you mean 'barriers'?" in bad.stderr


async def test_workbench_opens_with_the_codes_and_a_notification(broken):
    """The workbench had "0 codes" and "Codebook not loaded"; now every code and a warning to fix."""
    from qualcode.store.project import Project
    from qualcode.tui.app import make_app

    proj, path = broken
    app = make_app(Project.open(proj), "ann")
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.pause()
        assert app.desk.codebook_error is None and len(app.desk.codebook) == 47
        said = [(n.title, n.message) for n in app._notifications]
        assert not any(t == "Codebook not loaded" for t, _ in said)
        codebook = [m for t, m in said if t == "Codebook"]
        assert len(codebook) == 2 and f"{path}:26:" in codebook[0] and "duplicate shortcut '1'" in codebook[1]
    app.desk.project.close()
