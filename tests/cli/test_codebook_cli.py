"""`qualcode codebook ...` on a copy of the bundled study: real subprocesses, journals untouched."""

import json
import subprocess
import sys
from collections import Counter

import pytest

from qualcode.store.project import Project
from tests.conftest import copy_study

QC = [sys.executable, "-m", "qualcode"]


def run(*args, cwd, check=None):
    proc = subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


@pytest.fixture
def study(tmp_path):
    return copy_study(tmp_path / "study")


def journals(root):
    return {p.name: p.read_bytes() for p in sorted((root / "codings").glob("*.jsonl"))}


def counts(root) -> Counter:
    p = Project.open(root)
    try:
        return Counter(c.code for coder in p.coders() for c in p.codings(coder))
    finally:
        p.close()


def test_merge_counts_every_coders_codings_under_the_target_without_touching_journals_and_undoes(study):
    book = study / "codebooks" / "lsp-participation.yaml"
    original, before_journals, before = book.read_bytes(), journals(study), counts(study)
    out = run("codebook", "merge", "barriers.trust", "barriers", cwd=study, check=0).stdout
    n = before["barriers.trust"]
    assert "merged barriers.trust into barriers: every coder's codings of barriers.trust now count as barriers" in out
    shown = json.loads(run("codebook", "show", "barriers", "--json", cwd=study, check=0).stdout)
    assert shown["codings"] == before["barriers"] + n and shown["was"] == ["barriers.trust"]
    after = counts(study)
    assert after["barriers"] == before["barriers"] + n and "barriers.trust" not in after
    assert journals(study) == before_journals
    check = run("check", cwd=study)
    assert "'barriers.trust' was merged into 'barriers'" in check.stdout and check.returncode == 0
    listed = json.loads(run("--coder", "researcher_b", "code", "list", "--code", "barriers", "--json",
                            cwd=study, check=0).stdout)
    assert any(c["code"] == "barriers" for c in listed)
    assert "merge barriers.trust barriers" in run("codebook", "history", cwd=study, check=0).stdout
    assert "undone: merge barriers.trust barriers" in run("codebook", "undo", cwd=study, check=0).stdout
    assert book.read_bytes() == original and counts(study) == before
    assert "no codebook change to undo" in run("codebook", "undo", cwd=study, check=2).stderr


def test_remove_in_use_asks_what_becomes_of_the_codings(study):
    before = counts(study)
    refused = run("codebook", "remove", "monitoring.none", cwd=study, check=2)
    assert "used by" in refused.stderr and "--codings reassign:" in refused.stderr and "Traceback" not in refused.stderr
    assert counts(study) == before
    run("codebook", "remove", "monitoring.none", "--codings", "drop", cwd=study, check=0)
    assert "monitoring.none" not in counts(study)
    run("codebook", "undo", cwd=study, check=0)
    run("codebook", "remove", "monitoring.none", "--codings", "reassign:monitoring", cwd=study, check=0)
    assert counts(study)["monitoring"] == before["monitoring"] + before["monitoring.none"]
    run("codebook", "undo", cwd=study, check=0)
    run("codebook", "remove", "monitoring.none", "--codings", "keep-orphaned", cwd=study, check=0)
    check = run("check", cwd=study, check=1)
    assert "use code 'monitoring.none', which is not in the codebook" in check.stdout
    bad = run("codebook", "remove", "pmf", "--codings", "shred", cwd=study, check=2)
    assert "reassign:ID, drop, keep-orphaned" in bad.stderr


def test_add_edit_move_rename_show(study):
    run("codebook", "add", "barriers.childcare", "Childcare", "--parent", "barriers", "--keyword", "childcare",
        "--keyword", "carer", "--shortcut", "9", cwd=study, check=0)
    run("codebook", "edit", "barriers.childcare", "--include", "Caring duties.", "--example", "I had the kids.",
        "--clear", "keywords", cwd=study, check=0)
    run("codebook", "move", "barriers.childcare", "--top", cwd=study, check=0)
    before = counts(study)["nrf.process"]
    out = run("codebook", "rename-id", "nrf.process", "nrf.how", cwd=study, check=0).stdout
    assert "codings made with nrf.process count as nrf.how" in out
    assert counts(study)["nrf.how"] == before
    shown = json.loads(run("codebook", "show", "barriers.childcare", "--json", cwd=study, check=0).stdout)
    assert shown["parent"] is None and shown["include"] == "Caring duties." and shown["shortcut"] == "9"
    assert shown["examples"] == ["I had the kids."] and "keywords" not in shown
    tree = run("codebook", "show", cwd=study, check=0).stdout
    assert "barriers.childcare  [9] Childcare  (0)" in tree and "nrf.how" in tree
    assert "was nrf.process -> nrf.how" in tree
    bad = run("codebook", "move", "representation", "--under", "representation.networks", cwd=study, check=2)
    assert "inside it" in bad.stderr
    assert "no code 'nope'" in run("codebook", "edit", "nope", "--name", "x", cwd=study, check=2).stderr


def test_undo_refuses_when_the_file_was_edited_by_hand(study):
    book = study / "codebooks" / "lsp-participation.yaml"
    run("codebook", "add", "x", "X", cwd=study, check=0)
    book.write_text(book.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    refused = run("codebook", "undo", cwd=study, check=2)
    assert "changed after 'add x'" in refused.stderr and "--force" in refused.stderr
    run("codebook", "undo", "--force", cwd=study, check=0)
    assert "id: x\n" not in book.read_text(encoding="utf-8")


def test_a_no_op_qdc_import_writes_nothing(study, tmp_path):
    book = study / "codebooks" / "lsp-participation.yaml"
    run("export", "qdc", "-o", tmp_path / "cb.qdc", cwd=study, check=0)
    data, mtime = book.read_bytes(), book.stat().st_mtime_ns
    out = run("import-codebook", tmp_path / "cb.qdc", cwd=study, check=0).stdout
    assert "0 added, 0 updated" in out
    assert book.read_bytes() == data and book.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in book.parent.iterdir()) == [book.name]  # no backup either
