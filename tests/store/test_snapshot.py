"""Replay snapshots give exactly the state a full replay gives, and are never trusted when stale."""

import os
import pickle

from qualcode.domain.coding import Coding
from qualcode.store import snapshot
from qualcode.store.journal import JournalWriter, replay


def _fill(folder, n, snapdir=None):
    with JournalWriter(folder, "ann", snapdir) as w:
        rep = w.open()
        for i in range(n):
            op = {"op": "add", "coding": Coding(f"c{i}", "t", i, i + 3, "a", "ann", quote="abc").to_json()}
            w.append(op)
            rep.codings.apply(op)
            if i % 7 == 0:
                w.append({"op": "recode", "id": f"c{i}", "code": "b"})
                rep.codings.apply({"op": "recode", "id": f"c{i}", "code": "b"})
        w.append({"op": "undo"})


def _state(rep):
    return (sorted(rep.codings.codings.values()), list(rep.codings.undo_stack), rep.codings.redo_stack, rep.last_seq)


def test_snapshot_equals_full_replay_and_then_follows_appends(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "MIN_LINES_TO_SAVE", 10)
    snapdir = tmp_path / "snaps"
    _fill(tmp_path, 300)
    path = tmp_path / "ann.jsonl"
    full = replay(path, "ann")
    first = replay(path, "ann", snapdir)  # writes the snapshot
    assert (snapdir / "ann.snap").exists()
    second = replay(path, "ann", snapdir)  # reads it
    assert _state(first) == _state(full) == _state(second)
    with JournalWriter(tmp_path, "ann", snapdir) as w:  # appends after the snapshot are replayed on top
        w.open()
        w.append({"op": "redo"})
        w.append({"op": "remove", "id": "c5"})
    assert _state(replay(path, "ann", snapdir)) == _state(replay(path, "ann"))
    assert replay(path, "ann", snapdir).codings.get("c5") is None


def test_stale_snapshot_is_ignored_after_compaction_or_edit(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "MIN_LINES_TO_SAVE", 10)
    snapdir = tmp_path / "snaps"
    _fill(tmp_path, 50)
    path = tmp_path / "ann.jsonl"
    replay(path, "ann", snapdir)
    with JournalWriter(tmp_path, "ann") as w:
        rep = w.open()
        w.compact(rep.codings, rep.future_lines)
    assert _state(replay(path, "ann", snapdir))[:1] == _state(replay(path, "ann"))[:1]
    # an edit inside the covered bytes (same length) must not be masked by the snapshot
    replay(path, "ann", snapdir)
    data = path.read_bytes().replace(b'"code":"a"', b'"code":"z"', 1)
    path.write_bytes(data)
    assert _state(replay(path, "ann", snapdir)) == _state(replay(path, "ann"))


def test_snapshot_with_a_class_reference_is_refused(tmp_path):
    snapdir = tmp_path / "snaps"
    snapdir.mkdir()
    _fill(tmp_path, 5)
    path = tmp_path / "ann.jsonl"
    evil = pickle.dumps({"version": 1, "consumed": 10, "digest": os.system})
    (snapdir / "ann.snap").write_bytes(evil)
    assert _state(replay(path, "ann", snapdir)) == _state(replay(path, "ann"))
