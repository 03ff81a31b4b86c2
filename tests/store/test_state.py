"""The cached journal state (store.state): exactly what a full replay gives, read per transcript,
kept current by the writer without replaying the journal, and never trusted when the journal changed
behind it (an edit, a merge, compaction) or when it is damaged or foreign."""

import os
import pickle

import pytest

from qualcode.domain.coding import Coding, CodingSet
from qualcode.store import journal as journal_mod
from qualcode.store import state
from qualcode.store.journal import JournalWriter, replay
from qualcode.store.project import Project


def _fill(folder, n, statedir=None):
    with JournalWriter(folder, "ann", statedir) as w:
        rep = w.open()
        for i in range(n):
            op = {"op": "add", "coding": Coding(f"c{i}", f"t{i % 7}", i, i + 3, "a", "ann", quote="abc").to_json()}
            w.append(op)
            rep.codings.apply(op)
            if i % 7 == 0:
                w.append({"op": "recode", "id": f"c{i}", "code": "b"})
                rep.codings.apply({"op": "recode", "id": f"c{i}", "code": "b"})
        w.append({"op": "tset", "t": "t1", "key": "status", "value": "done"})
        w.append({"op": "undo"})


def _stated(tmp_path, monkeypatch, n):
    """A journal of ``n`` codings (and their recodes) with its cached state saved."""
    monkeypatch.setattr(state, "MIN_LINES_TO_SAVE", 10)
    statedir = tmp_path / "state"
    _fill(tmp_path, n)
    path = tmp_path / "ann.jsonl"
    replay(path, "ann", statedir)
    return path, statedir


def _state(rep):
    cs = rep.codings
    return (sorted(cs.codings.values()), {t: sorted(cs.by_transcript.get(t, {}).values()) for t in cs.transcripts()},
            len(cs), list(cs.undo_stack), cs.redo_stack, cs.marks, rep.last_seq)


class Counting:
    """Counts the journal lines replays apply and the transcripts read from the cached state."""

    def __init__(self, monkeypatch):
        self.lines = 0
        self.parts: list[str] = []
        apply, part = journal_mod._apply_lines, state.Stored.part

        def counting_apply(result, chunk, lineno, path):
            end = apply(result, chunk, lineno, path)
            self.lines += end - lineno
            return end

        def counting_part(stored, tid):
            self.parts.append(tid)
            return part(stored, tid)

        monkeypatch.setattr(journal_mod, "_apply_lines", counting_apply)
        monkeypatch.setattr(state.Stored, "part", counting_part)


def test_state_equals_full_replay_and_then_follows_appends(tmp_path, monkeypatch):
    monkeypatch.setattr(state, "MIN_LINES_TO_SAVE", 10)
    statedir = tmp_path / "state"
    _fill(tmp_path, 300)
    path = tmp_path / "ann.jsonl"
    full = replay(path, "ann")
    first = replay(path, "ann", statedir)  # writes the state
    assert (statedir / "ann.state").exists()
    second = replay(path, "ann", statedir)  # reads it
    assert _state(first) == _state(full) == _state(second)
    with JournalWriter(tmp_path, "ann", statedir) as w:  # appends after the state are replayed on top
        w.open()
        w.append({"op": "redo"})
        w.append({"op": "remove", "id": "c5"})
    assert _state(replay(path, "ann", statedir)) == _state(replay(path, "ann"))
    assert replay(path, "ann", statedir).codings.get("c5") is None


def test_a_writer_keeps_the_state_current_without_replaying_the_journal(tmp_path, monkeypatch):
    path, statedir = _stated(tmp_path, monkeypatch, 300)
    count = Counting(monkeypatch)
    with JournalWriter(tmp_path, "ann", statedir) as w:
        rep = w.open()
        assert count.lines == 0 and count.parts == []  # opened on the state: nothing replayed or read
        op = {"op": "add", "coding": Coding("new", "t3", 1, 9, "a", "ann", quote="x").to_json()}
        rep.codings.check(op)
        w.append(op)
        assert w.save_state(rep.stored) is not None
    assert count.lines == 1  # only the line just written
    count.lines = 0
    again = replay(path, "ann", statedir)
    assert count.lines == 0  # the state covers the whole journal now
    assert _state(again) == _state(replay(path, "ann"))


def test_stale_state_is_ignored_after_compaction_or_edit(tmp_path, monkeypatch):
    path, statedir = _stated(tmp_path, monkeypatch, 50)
    with JournalWriter(tmp_path, "ann") as w:
        rep = w.open()
        w.compact(rep.codings, rep.future_lines)
    assert _state(replay(path, "ann", statedir))[:3] == _state(replay(path, "ann"))[:3]
    # an edit inside the covered bytes (same length, same file, at once) must not be masked by the state
    replay(path, "ann", statedir)
    data = path.read_bytes().replace(b'"code":"a"', b'"code":"z"', 1)
    with open(path, "r+b") as fh:
        fh.write(data)
    assert _state(replay(path, "ann", statedir)) == _state(replay(path, "ann"))
    assert "z" in {c.code for c in replay(path, "ann", statedir).codings}


def test_lines_merged_into_the_middle_rebuild_and_lines_appended_extend(tmp_path, monkeypatch):
    """What a git merge or sync does to a journal: another machine's lines inside, or after, ours."""
    path, statedir = _stated(tmp_path, monkeypatch, 60)
    theirs = b'{"v":1,"n":5,"at":"x","op":"add","coding":{"id":"theirs","t":"t2","s":0,"e":4,"code":"a"}}\n'
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:3] + [theirs] + lines[3:]))
    count = Counting(monkeypatch)
    merged = replay(path, "ann", statedir)
    assert count.lines == len(lines) + 1  # a rebuild: the state no longer matches the journal's start
    assert merged.codings.get("theirs") is not None and _state(merged) == _state(replay(path, "ann"))
    count.lines = 0
    more = b'{"v":1,"n":99,"at":"x","op":"add","coding":{"id":"later","t":"t4","s":0,"e":4,"code":"a"}}\n'
    with open(path, "ab") as fh:
        fh.write(more)
    after = replay(path, "ann", statedir)
    assert count.lines == 1  # the state still matches the start: only the new line
    assert _state(after) == _state(replay(path, "ann"))


def test_state_with_a_class_reference_is_refused(tmp_path):
    statedir = tmp_path / "state"
    statedir.mkdir()
    _fill(tmp_path, 5)
    path = tmp_path / "ann.jsonl"
    evil = pickle.dumps({"version": 2, "consumed": 10, "digest": os.system})
    (statedir / "ann.state").write_bytes(evil)
    rep = replay(path, "ann", statedir)
    assert _state(rep) == _state(replay(path, "ann"))
    assert any("journal state" in n for n in rep.notes)


def test_a_damaged_pack_record_is_a_clear_error_and_the_next_run_rebuilds(tmp_path, monkeypatch):
    path, statedir = _stated(tmp_path, monkeypatch, 100)
    (pack,) = statedir.glob("ann.pack-*")
    data = bytearray(pack.read_bytes())
    data[5] ^= 0xFF
    pack.write_bytes(bytes(data))
    rep = replay(path, "ann", statedir)
    with pytest.raises(state.StateDamaged) as err:
        list(rep.codings)
    assert "run the command again" in err.value.hint
    assert _state(replay(path, "ann", statedir)) == _state(replay(path, "ann"))


def test_lazy_set_behaves_like_a_dict_backed_one(tmp_path, monkeypatch):
    path, statedir = _stated(tmp_path, monkeypatch, 40)
    lazy, plain = replay(path, "ann", statedir).codings, replay(path, "ann").codings
    assert isinstance(lazy.codings, state.LazyCodings) and isinstance(plain.codings, dict)
    for cs in (lazy, plain):
        cs.apply({"op": "add", "coding": Coding("x1", "tnew", 0, 2, "a", "ann").to_json()})
        cs.apply({"op": "move", "id": "c3", "start": 20, "end": 30})
        cs.apply({"op": "remove", "id": "c8"})
        cs.apply({"op": "undo"})
    assert len(lazy) == len(plain) and set(lazy.codings) == set(plain.codings)
    assert lazy.transcripts() == plain.transcripts() and lazy.for_transcript("t3") == plain.for_transcript("t3")
    assert "c8" in lazy.codings and "nope" not in lazy.codings and lazy.get("nope") is None
    assert isinstance(CodingSet("ann"), CodingSet)


def test_a_project_cli_add_reads_one_transcript_and_no_journal_line(project, monkeypatch):
    """``qualcode code add`` on a project whose state is current: no journal line replayed, only the
    transcript coded read from the cache; the state is current again afterwards."""
    from qualcode.cli.main import main

    monkeypatch.setattr(state, "MIN_LINES_TO_SAVE", 10)
    s = project.session("ann")
    s.add_many([("int-1", i, i + 5, "theme") for i in range(30)])
    for i in range(12):
        s.add("int-1", 100 + i, 110 + i, "theme")
    project.close()
    Project.open(project.root, search=False).codings("ann")  # a reader saves the state (12 lines)
    count = Counting(monkeypatch)
    for args in (["code", "add", "int-1", "theme", "--start", "200", "--end", "220"],
                 ["code", "add", "int-1", "theme", "--start", "200", "--end", "221"]):
        with pytest.raises(SystemExit) as done:
            main(["--project", str(project.root), "--coder", "ann", *args])
        assert done.value.code == 0
    assert count.lines == 2  # each run: only its own line, when bringing the state up to date
    assert set(count.parts) == {"int-1"}
    count.lines = 0
    reopened = Project.open(project.root, search=False)
    assert len(reopened.codings("ann")) == 44 and count.lines == 0
    with pytest.raises(SystemExit) as done:  # the duplicate check sees the state's codings
        main(["--project", str(project.root), "--coder", "ann", "code", "add", "int-1", "theme",
              "--start", "200", "--end", "220"])
    assert done.value.code == 2


def test_commands_about_one_transcript_or_one_coder_read_only_that(project, monkeypatch, capsys, tmp_path):
    from qualcode.cli.main import main
    from qualcode.services.project_ops import import_transcripts
    from tests.conftest import INTERVIEW

    monkeypatch.setattr(state, "MIN_LINES_TO_SAVE", 10)
    other = tmp_path / "int-2.txt"
    other.write_text(INTERVIEW.replace("id: int-1", "id: int-2"), encoding="utf-8")
    import_transcripts(project, [other])
    for coder in ("ann", "bob"):
        s = project.session(coder)
        for tid in ("int-1", "int-2"):
            for i in range(8):
                s.add(tid, i, i + 20, "theme")
    project.close()
    for coder in ("ann", "bob"):
        Project.open(project.root, search=False).codings(coder)  # the states are saved
    count = Counting(monkeypatch)
    opened = []
    real_load = state.load
    monkeypatch.setattr(state, "load", lambda folder, coder, *a, **k: opened.append(coder) or real_load(folder, coder, *a, **k))
    capsys.readouterr()

    def run(*args):
        with pytest.raises(SystemExit) as done:
            main(["--project", str(project.root), "--coder", "ann", *args])
        assert done.value.code == 0
        return capsys.readouterr().out

    listed = run("code", "list", "--transcript", "int-2", "--json")
    assert listed.count('"t": "int-2"') == 8 and "int-1" not in listed
    assert count.parts == ["int-2"] and opened == ["ann"] and count.lines == 0
    count.parts.clear()
    opened.clear()
    shown = run("status")
    assert "in progress" in shown and count.parts == [] and opened == ["ann"]


def test_a_same_size_edit_right_after_a_writer_saved_the_state_is_seen(tmp_path, monkeypatch):
    path, statedir = _stated(tmp_path, monkeypatch, 40)
    with JournalWriter(tmp_path, "ann", statedir) as w:
        rep = w.open()
        w.append({"op": "recode", "id": "c3", "code": "q"})
        w.save_state(rep.stored)
    data = path.read_bytes()
    with open(path, "r+b") as fh:  # at once: no clock tick need pass
        fh.write(data.replace(b'"code":"q"', b'"code":"r"'))
    assert replay(path, "ann", statedir).codings.get("c3").code == "r"


def test_a_mostly_superseded_pack_is_written_anew(tmp_path, monkeypatch):
    path, statedir = _stated(tmp_path, monkeypatch, 60)
    monkeypatch.setattr(state, "REPACK_SLACK", 0)
    (first,) = statedir.glob("ann.pack-*")
    for i in range(30):  # each save appends the transcript's codings again: soon more dead than live
        with JournalWriter(tmp_path, "ann", statedir) as w:
            rep = w.open()
            w.append({"op": "recode", "id": "c1", "code": f"x{i}"})
            w.save_state(rep.stored)
    (now,) = statedir.glob("ann.pack-*")
    assert now != first and not first.exists()  # written anew, the old one removed
    assert _state(replay(path, "ann", statedir)) == _state(replay(path, "ann"))


def test_a_change_to_a_coding_removed_before_the_state_was_saved_brings_it_back_as_a_full_replay_does(
        tmp_path, monkeypatch):
    """One coder on two machines: removed on one, recoded on the other; the recode arrives (appended,
    as a merge whose other lines all came later appends them) after this machine's state was saved.
    The state keeps what was removed, so it gives what a full replay of the journal gives."""
    path, statedir = _stated(tmp_path, monkeypatch, 50)
    with JournalWriter(tmp_path, "ann", statedir) as w:
        w.open()
        w.append({"op": "remove", "id": "c3"})
    replay(path, "ann", statedir)  # the state now covers the removal
    with open(path, "a", encoding="utf-8") as f:  # what the other machine did, merged in
        f.write('{"v":1,"n":999,"at":"2026-12-07T10:00:00Z","op":"recode","id":"c3","code":"z","oid":"x1"}\n')
    cached, full = replay(path, "ann", statedir), replay(path, "ann")
    assert cached.codings.get("c3").code == "z" and not cached.warnings
    assert _state(cached) == _state(full)


def test_a_coding_moved_to_another_transcript_after_the_state_was_saved_is_where_a_full_replay_puts_it(
        tmp_path, monkeypatch):
    path, statedir = _stated(tmp_path, monkeypatch, 50)
    with open(path, "a", encoding="utf-8") as f:  # what a sync appends when two transcripts shared a name
        f.write('{"v":1,"n":998,"at":"2026-12-07T10:00:00Z","op":"move","id":"c3","start":3,"end":6,'
                '"quote":"abc","th":"","t":"t9","oid":"x2"}\n')
    cached, full = replay(path, "ann", statedir), replay(path, "ann")
    assert cached.codings.get("c3").transcript == "t9" and "c3" not in cached.codings.by_transcript.get("t3", {})
    assert _state(cached) == _state(full)
