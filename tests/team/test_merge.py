"""The journal merge: one coder on two machines, both histories kept, the same result wherever merged."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from qualcode.store.journal import replay
from qualcode.store.merge import merge_files, merge_journals
from qualcode.store.project import Project
from tests.conftest import REPO


def _machine(project: Project, dest: Path) -> Project:
    """A second machine: a copy of the project folder (its cache left behind)."""
    shutil.copytree(project.root, dest, ignore=shutil.ignore_patterns(".qualcode", "*.lock"))
    return Project.open(dest, search=False)


def _codings(path: Path, coder: str = "ana") -> dict:
    rep = replay(path, coder)
    assert not rep.warnings, rep.warnings
    return {c.id: (c.transcript, c.start, c.end, c.code) for c in rep.codings}


def test_two_machines_merge_to_the_union_whichever_side_merges(project, tmp_path):
    s = project.session("ana")
    s.add("int-1", 0, 11, "theme")
    project.close()
    other = _machine(project, tmp_path / "laptop")
    here = project.session("ana")
    kept = here.add("int-1", 20, 30, "theme")
    gone = here.add("int-1", 40, 50, "theme")
    here.remove(gone.id)
    there = other.session("ana")
    far = there.add("int-1", 60, 70, "theme.sub")
    there.recode(far.id, "theme")
    here.close()
    there.close()
    a = (project.codings_dir / "ana.jsonl").read_bytes()
    b = (other.codings_dir / "ana.jsonl").read_bytes()
    merged = merge_journals(a, b)
    assert merged == merge_journals(b, a)  # the same bytes on either machine
    assert merge_journals(merged, a) == merged and merge_journals(b, merged) == merged  # nothing twice
    out = tmp_path / "merged.jsonl"
    out.write_bytes(merged)
    codings = _codings(out)
    assert codings[kept.id][3] == "theme" and codings[far.id][3] == "theme"
    assert gone.id not in codings
    assert len(codings) == 3
    assert merged.count(b"\n") == a.count(b"\n") + b.count(b"\n") - 1  # the shared first line once


def test_undo_after_a_merge_undoes_what_the_coder_undid(project, tmp_path):
    """Both machines share action P. Machine A then codes X; machine B, later, undoes P. In the merged
    order A's X stands between P and B's undo: the undo still takes back P (it names it), not X."""
    s = project.session("ana")
    shared = s.add("int-1", 0, 11, "theme")
    project.close()
    other = _machine(project, tmp_path / "office")
    here = project.session("ana")
    x = here.add("int-1", 20, 30, "theme")  # A's block starts first
    time.sleep(0.01)  # "later": blocks are ordered by their first line's time, to the millisecond (a tie
    # goes by operation id, at random here: the two lines were once written within one millisecond)
    there = other.session("ana")
    assert there.undo() == "add theme"
    redone = there.add("int-1", 60, 70, "theme")
    there.undo()
    there.redo()
    here.close()
    there.close()
    a = (project.codings_dir / "ana.jsonl").read_bytes()
    b = (other.codings_dir / "ana.jsonl").read_bytes()
    merged = merge_journals(a, b)
    assert merged.index(x.id.encode()) < merged.index(b'"op":"undo"')
    out = tmp_path / "merged.jsonl"
    out.write_bytes(merged)
    codings = _codings(out)
    assert set(codings) == {x.id, redone.id}  # P undone on B stays undone; A's X stays
    assert shared.id not in codings
    reopened = Project.open(project.root, search=False)
    (project.codings_dir / "ana.jsonl").write_bytes(merged)
    after = reopened.session("ana")
    assert after.undo() == "add theme" and redone.id not in after.codings.codings  # B's last action first
    reopened.close()


def test_journals_written_before_operation_ids_merge_and_stay_byte_for_byte(tmp_path):
    """The bundled journals have no operation ids: merging a copy that grew keeps every old line as it
    was, and two copies that each grew keep both."""
    old = (REPO / "codings" / "researcher_a.jsonl").read_bytes()
    lines = old.splitlines(keepends=True)
    base = b"".join(lines[:-10])
    mine = base + b"".join(lines[-10:-5])
    theirs = base + b"".join(lines[-5:])
    merged = merge_journals(mine, theirs)
    assert merged.startswith(base)
    assert sorted(merged.splitlines()) == sorted(old.splitlines())
    assert merge_journals(old, base) == old  # one side ahead: that side, unchanged
    out = tmp_path / "researcher_a.jsonl"
    out.write_bytes(merged)
    assert len(replay(out, "researcher_a").codings) == len(replay(REPO / "codings" / "researcher_a.jsonl",
                                                                  "researcher_a").codings)


def test_the_driver_writes_the_union_into_ours(tmp_path):
    base, ours, theirs = (tmp_path / n for n in ("O", "A", "B"))
    base.write_bytes(b"")
    ours.write_bytes(b'{"v":1,"n":1,"at":"2026-01-01T00:00:01.000+00:00","oid":"aa","op":"tset","t":"x","key":"status","value":"done"}\n')
    theirs.write_bytes(b'{"v":1,"n":1,"at":"2026-01-01T00:00:00.000+00:00","oid":"bb","op":"tset","t":"y","key":"status","value":"done"}\n')
    assert merge_files(base, ours, theirs) == 0
    merged = ours.read_bytes().splitlines()
    assert [b'"oid":"bb"' in merged[0], b'"oid":"aa"' in merged[1]] == [True, True]
