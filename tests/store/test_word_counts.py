"""Words coded (issue 18): each coding's words are counted once, when it enters the cached journal
state, and kept there; ``CodingSet.word_counts`` gives exactly ``count_words`` of each quote after
every kind of change, whether the journal has a state, is too short for one, or changed behind it."""

import pytest

from qualcode.domain.coding import Coding
from qualcode.domain.transcript import count_words
from qualcode.store import state
from qualcode.store.journal import JournalWriter, replay


def _quote(i: int) -> str:
    return " ".join(["word"] * (i % 9 + 1)) + (" -- it's 12 o'clock" if i % 4 == 0 else "")


def _exact(cs) -> list[int]:
    return [count_words(c.quote) for c in cs]


def _no_counting(monkeypatch):
    """From now on the state may not count any quote: what it gives must have been kept."""

    def refuse(text):
        raise AssertionError(f"counted again: {text!r}")

    monkeypatch.setattr(state, "count_words", refuse)


@pytest.fixture
def stated(tmp_path, monkeypatch):
    """A journal of 120 codings (quotes of 1 to 9 words and more) in 6 transcripts, its state saved."""
    monkeypatch.setattr(state, "MIN_LINES_TO_SAVE", 10)
    statedir = tmp_path / "state"
    with JournalWriter(tmp_path, "ann") as w:
        w.open()
        for i in range(120):
            w.append({"op": "add", "coding": Coding(f"c{i}", f"t{i % 6}", i, i + 5, "a", "ann",
                                                     quote=_quote(i)).to_json()})
    path = tmp_path / "ann.jsonl"
    rebuilt = replay(path, "ann", statedir)  # replayed whole: the state is built and saved
    assert (statedir / "ann.state").exists()
    assert rebuilt.codings.word_counts() == _exact(rebuilt.codings)
    return path, statedir


def test_counts_are_kept_in_the_state_and_read_back_without_counting(stated, monkeypatch):
    path, statedir = stated
    expected = {c.id: count_words(c.quote) for c in replay(path, "ann").codings}
    _no_counting(monkeypatch)
    cs = replay(path, "ann", statedir).codings
    assert isinstance(cs.codings, state.LazyCodings)
    assert dict(zip((c.id for c in cs), cs.word_counts())) == expected
    assert cs.word_counts() == _exact(cs)
    assert sum(cs.word_counts()) == sum(count_words(_quote(i)) for i in range(120))


def test_counts_follow_add_recode_move_remove_undo_and_redo(stated, monkeypatch):
    path, statedir = stated
    counted: list[str] = []
    real = state.count_words

    def counting(text):
        counted.append(text)
        return real(text)

    monkeypatch.setattr(state, "count_words", counting)
    with JournalWriter(path.parent, "ann", statedir) as w:
        rep = w.open()
        cs = rep.codings
        assert isinstance(cs.codings, state.LazyCodings)
        ops = [
            {"op": "add", "coding": Coding("new", "t2", 500, 540, "a", "ann",
                                           quote="a brand new quote of eight words here").to_json()},
            {"op": "recode", "id": "c7", "code": "b"},
            {"op": "move", "id": "c8", "start": 3, "end": 40, "quote": "now moved to a longer passage", "th": "x"},
            {"op": "move", "id": "c9", "start": 9, "end": 10, "quote": "x", "th": "x"},
            {"op": "remove", "id": "c10"},
            {"op": "undo"},  # the removal: c10 is back with its words
            {"op": "undo"},  # the second move: c9 has its old quote again
            {"op": "redo"},
            {"op": "batch", "ops": [
                {"op": "add", "coding": Coding("b1", "t9", 0, 3, "a", "ann", quote="one two three").to_json()},
                {"op": "move", "id": "new", "start": 500, "end": 502, "quote": "two words", "th": "x"}]},
        ]
        for op in ops:
            cs.check(op)
            w.append(op)
            cs.apply(op)
            assert cs.word_counts() == _exact(cs), op
        assert "now moved to a longer passage" in counted and "one two three" in counted
        assert len(counted) <= 12  # the changed codings only, never the 120 read from the state
        assert w.save_state(rep.stored) is not None
    full = replay(path, "ann").codings
    _no_counting(monkeypatch)
    again = replay(path, "ann", statedir).codings  # the state saved by the writer: counts kept
    assert again.word_counts() == _exact(again)
    assert sorted(again) == sorted(full)


def test_counts_after_the_journal_changed_behind_the_state(stated):
    path, statedir = stated
    with JournalWriter(path.parent, "ann") as w:  # another writer (no state): lines after the state
        w.open()
        w.append({"op": "move", "id": "c1", "start": 0, "end": 9, "quote": "moved behind the state's back", "th": "x"})
        w.append({"op": "add", "coding": Coding("late", "t1", 0, 9, "a", "ann", quote="late one").to_json()})
    tail = replay(path, "ann", statedir).codings
    assert tail.word_counts() == _exact(tail)
    assert sorted(tail) == sorted(replay(path, "ann").codings)
    assert dict(zip((c.id for c in tail), tail.word_counts()))["c1"] == 5
    # an edit inside the bytes the state covers: rebuilt from the journal, counts with it
    data = path.read_bytes().replace(b'"quote":"word word word word",', b'"quote":"edit with four words",', 1)
    path.write_bytes(data)
    rebuilt = replay(path, "ann", statedir).codings
    assert "edit with four words" in {c.quote for c in rebuilt}
    assert rebuilt.word_counts() == _exact(rebuilt)
    again = replay(path, "ann", statedir).codings
    assert again.word_counts() == _exact(again)


def test_a_journal_too_short_for_a_state_counts_on_the_fly(tmp_path):
    with JournalWriter(tmp_path, "ann") as w:
        w.open()
        for i in range(5):
            w.append({"op": "add", "coding": Coding(f"c{i}", "t0", i, i + 5, "a", "ann", quote=_quote(i)).to_json()})
    cs = replay(tmp_path / "ann.jsonl", "ann", tmp_path / "state").codings
    assert not (tmp_path / "state" / "ann.state").exists() and isinstance(cs.codings, dict)
    assert cs.word_counts() == [count_words(_quote(i)) for i in range(5)]


def test_a_codebook_drop_resolved_on_read_keeps_counts_aligned(stated):
    path, statedir = stated
    cs = replay(path, "ann", statedir).codings
    parts = state.partitions_of(cs)

    def drop_every_third(part):
        for cid in [cid for cid in part if int(cid[1:]) % 3 == 0]:
            del part[cid]

    parts.set_resolver(drop_every_third)
    assert len(list(cs)) == 80
    assert cs.word_counts() == _exact(cs)


def test_a_state_of_an_earlier_version_is_rebuilt_without_a_note(stated):
    """A state written by an earlier qualcode (VERSION 2 kept no word counts) is this user's own:
    rebuilt quietly, not reported as damaged."""
    from qualcode.store.cache_seal import seal, unseal

    path, statedir = stated
    header = statedir / "ann.state"
    h = state._loads(unseal(header.read_bytes()))
    header.write_bytes(seal(state._dump({**h, "version": 2})))
    rep = replay(path, "ann", statedir)
    assert rep.notes == [] and rep.codings.word_counts() == _exact(rep.codings)
    assert state._loads(unseal(header.read_bytes()))["version"] == state.VERSION
