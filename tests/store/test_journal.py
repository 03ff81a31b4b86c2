"""Journals: durable appends, replay, torn and future lines, locks, undo across restarts, failures."""

import errno
import json
import multiprocessing
import os

import pytest

from qualcode.domain.coding import Coding
from qualcode.errors import JournalError, LockError
from qualcode.store.journal import JournalWriter, replay


def _add(w: JournalWriter, cid: str, start: int = 0) -> dict:
    c = Coding(id=cid, transcript="t", start=start, end=start + 5, code="a", coder="alice", quote="hello", th="h")
    return w.append({"op": "add", "coding": c.to_json()})


def test_append_then_replay(tmp_path):
    with JournalWriter(tmp_path, "alice") as w:
        w.open()
        _add(w, "c1")
        _add(w, "c2", 10)
        w.append({"op": "recode", "id": "c1", "code": "b"})
        w.append({"op": "memo", "id": "c2", "memo": "note"})
        w.append({"op": "remove", "id": "c2"})
    rep = replay(tmp_path / "alice.jsonl", "alice")
    assert rep.warnings == []
    assert {c.id: c.code for c in rep.codings} == {"c1": "b"}
    lines = (tmp_path / "alice.jsonl").read_text().splitlines()
    assert [json.loads(l)["n"] for l in lines] == [1, 2, 3, 4, 5]


def test_torn_last_line_is_set_aside_not_fatal(tmp_path):
    with JournalWriter(tmp_path, "alice") as w:
        w.open()
        _add(w, "c1")
    path = tmp_path / "alice.jsonl"
    with open(path, "ab") as fh:
        fh.write(b'{"v":1,"n":2,"op":"add","coding":{"id":"c2","t":"t","s":0')
    rep = replay(path, "alice")
    assert [c.id for c in rep.codings] == ["c1"]
    assert "incomplete" in rep.warnings[0].message
    with JournalWriter(tmp_path, "alice") as w:
        rep2 = w.open()
        _add(w, "c3")
    assert any("moved to" in p.message for p in rep2.warnings)
    assert sorted(c.id for c in replay(path, "alice").codings) == ["c1", "c3"]
    assert list(tmp_path.glob("alice.jsonl.torn-*"))


def test_a_whole_last_line_without_its_line_end_is_kept(tmp_path):
    """A journal edited by hand (a line pasted back from a set-aside file, an editor that adds no
    final newline): its last line is complete and confirmed, so it counts, and the next save starts
    a new line after it; nothing is set aside."""
    with JournalWriter(tmp_path, "alice") as w:
        w.open()
        _add(w, "c1")
        _add(w, "c2", 10)
    path = tmp_path / "alice.jsonl"
    path.write_bytes(path.read_bytes()[:-1])
    rep = replay(path, "alice")
    assert sorted(c.id for c in rep.codings) == ["c1", "c2"] and rep.warnings == []
    with JournalWriter(tmp_path, "alice") as w:
        w.open()
        _add(w, "c3", 20)
    assert sorted(c.id for c in replay(path, "alice").codings) == ["c1", "c2", "c3"]
    assert not list(tmp_path.glob("alice.jsonl.torn-*"))
    assert [json.loads(line)["n"] for line in path.read_text().splitlines()] == [1, 2, 3]


def test_two_torn_lines_set_aside_in_the_same_second_are_both_kept_and_reported(tmp_path):
    path = tmp_path / "alice.jsonl"
    for k, tail in enumerate((b'{"v":1,"n":9,"op":"add","coding":{"id":"ONE"', b'{"v":1,"n":9,"op":"add","coding":{"id":"TWO"')):
        with JournalWriter(tmp_path, "alice") as w:
            w.open()
            _add(w, f"c{k}", 10 * k)
        with open(path, "ab") as fh:
            fh.write(tail)
        with JournalWriter(tmp_path, "alice") as w:
            w.open()
    kept = sorted(p.read_bytes() for p in tmp_path.glob("alice.jsonl.torn-*"))
    assert len(kept) == 2 and b"ONE" in kept[0] and b"TWO" in kept[1]
    found = replay(path, "alice").warnings  # what `check` reports until the files are deleted
    assert sum(".torn-" in w.path and "incomplete" in w.message for w in found) == 2


def test_line_from_future_version_is_kept_but_not_applied(tmp_path):
    path = tmp_path / "alice.jsonl"
    with JournalWriter(tmp_path, "alice") as w:
        w.open()
        _add(w, "c1")
    future = '{"v":2,"n":2,"op":"hologram","id":"c1"}'
    with open(path, "a") as fh:
        fh.write(future + "\n")
    rep = replay(path, "alice")
    assert [c.id for c in rep.codings] == ["c1"]
    assert "newer qualcode" in rep.warnings[0].message
    with JournalWriter(tmp_path, "alice") as w:
        r = w.open()
        w.compact(r.codings, r.future_lines)
    assert future in path.read_text()


def test_failed_write_leaves_the_journal_as_it_was(tmp_path, monkeypatch):
    with JournalWriter(tmp_path, "alice") as w:
        w.open()
        _add(w, "c1")
        before = (tmp_path / "alice.jsonl").read_bytes()
        real_write = os.write

        def half_write(fd, data):
            real_write(fd, data[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", half_write)
        with pytest.raises(JournalError) as info:
            _add(w, "c2")
        monkeypatch.setattr(os, "write", real_write)
        assert "disk is full" in str(info.value)
        assert (tmp_path / "alice.jsonl").read_bytes() == before
        _add(w, "c3")
    assert sorted(c.id for c in replay(tmp_path / "alice.jsonl", "alice").codings) == ["c1", "c3"]


def _hold_lock(folder, ready, release):
    w = JournalWriter(folder, "alice")
    w.open()
    ready.set()
    release.wait(10)
    w.close()


def test_second_process_gets_a_clear_lock_error(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(tmp_path, ready, release))
    proc.start()
    try:
        assert ready.wait(20)
        with pytest.raises(LockError) as info:
            JournalWriter(tmp_path, "alice").open()
        assert "already open in another qualcode" in str(info.value)
        assert f"pid {proc.pid}" in str(info.value)
    finally:
        release.set()
        proc.join(10)
    with JournalWriter(tmp_path, "alice") as w:  # free again once the other one closed
        w.open()


def test_undo_redo_survive_restart(tmp_path):
    path = tmp_path / "alice.jsonl"
    with JournalWriter(tmp_path, "alice") as w:
        rep = w.open()
        for op in ({"op": "add", "coding": Coding("c1", "t", 0, 5, "a", "alice", quote="x").to_json()},
                   {"op": "recode", "id": "c1", "code": "b"}):
            w.append(op)
            rep.codings.apply(op)
    with JournalWriter(tmp_path, "alice") as w:
        rep = w.open()
        assert rep.codings.describe_undo() == "recode to b"
        w.append({"op": "undo"})
    rep = replay(path, "alice")
    assert rep.codings.get("c1").code == "a"
    assert rep.codings.describe_redo() == "recode to b"
    with JournalWriter(tmp_path, "alice") as w:
        w.open()
        w.append({"op": "redo"})
        w.append({"op": "undo"})
        w.append({"op": "undo"})
    rep = replay(path, "alice")
    assert len(rep.codings) == 0
    assert rep.codings.describe_redo() == "add a"


def test_bad_coder_name(tmp_path):
    with pytest.raises(JournalError):
        JournalWriter(tmp_path, "../evil")


def test_config_save_keeps_sections_it_does_not_manage(tmp_path):
    from qualcode.store.config import load_config, save_config

    (tmp_path / "qualcode.toml").write_text('[project]\nname = "S"\n\n[refi.users]\n"Dr. Ann Lee" = "dr_ann_lee"\n\n[custom]\nflag = true\nn = 3\n')
    cfg = load_config(tmp_path)
    cfg.name = "Renamed"
    save_config(tmp_path, cfg)
    again = load_config(tmp_path)
    assert again.name == "Renamed"
    assert again.raw["refi"]["users"] == {"Dr. Ann Lee": "dr_ann_lee"}
    assert again.raw["custom"] == {"flag": True, "n": 3}


def test_a_coder_who_only_looks_leaves_no_journal_and_the_first_change_makes_it(tmp_path, monkeypatch):
    """Opening the workbench to read must not add an empty ``codings/<you>.jsonl`` (a coder with no
    codings, in `stats` and in git); the first change makes the file, and syncs the folder, before it
    is confirmed."""
    from qualcode.store import journal

    with JournalWriter(tmp_path, "viewer") as w:
        w.open()
    assert not (tmp_path / "viewer.jsonl").exists()
    synced = []
    monkeypatch.setattr(journal, "fsync_dir", lambda folder: synced.append(folder))
    with JournalWriter(tmp_path, "alice") as w:
        w.open()
        assert not (tmp_path / "alice.jsonl").exists()
        assert w.compact(None, []) == 0  # nothing to compact yet
        _add(w, "c1")
        assert (tmp_path / "alice.jsonl").exists() and synced == [tmp_path]
        _add(w, "c2", 10)
    assert sorted(c.id for c in replay(tmp_path / "alice.jsonl", "alice").codings) == ["c1", "c2"]
    with JournalWriter(tmp_path, "alice") as w:  # an existing journal is opened for appending at once
        w.open()
        _add(w, "c3", 20)
    assert len((tmp_path / "alice.jsonl").read_text().splitlines()) == 3
