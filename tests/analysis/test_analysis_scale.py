"""What keeps the tables fast and small on a 3,000-transcript project (issue 18), checked for the
results it must not change: the turn cache, the Framework matrix's shortcut, the frequencies
counted two ways, transcripts let go after a table, the garbage collector given back."""

from __future__ import annotations

import gc
import threading

import pandas as pd
import pytest

from qualcode.analysis import cooccurrence, data, framework_matrix, frequencies, retrieve, turns
from qualcode.analysis.frequency import frequency_table
from qualcode.store.project import Project


def _fresh(project):
    """As a new process would see the project: nothing in memory, the caches on disk only."""
    data._cache.clear()
    turns._tables.clear()
    project.index._loaded.clear()


def _same_framework(a, b):
    pd.testing.assert_frame_equal(a, b)
    for key in ("attributions", "quotes", "memos"):
        assert a.attrs[key] == b.attrs[key]


def test_the_turn_cache_gives_the_same_tables_and_is_kept_on_disk(small):
    path = small.cache_dir / turns.FILE
    _fresh(small)
    without = framework_matrix(small, quotes=3)
    turned = cooccurrence(small, mode="turn")
    assert path.exists()
    _fresh(small)
    with_cache = framework_matrix(small, quotes=3)
    _same_framework(without, with_cache)
    pd.testing.assert_frame_equal(turned, cooccurrence(small, mode="turn"))
    assert with_cache.attrs["attributions"]["Case A"]["theme.a"][0] == "(Case A, LSP coordinator)"


def test_a_damaged_or_foreign_turn_cache_is_not_trusted(small):
    _fresh(small)
    expected = framework_matrix(small)
    path = small.cache_dir / turns.FILE
    raw = path.read_bytes()
    # the same payload with every speaker renamed, unsealed: as if someone else had written it
    path.write_bytes(raw.split(b"\n", 1)[1].replace(b"Ann Lee", b"Mallory"))
    _fresh(small)
    _same_framework(expected, framework_matrix(small))
    path.write_bytes(b"QCSEAL1 0000\n{not json")
    _fresh(small)
    _same_framework(expected, framework_matrix(small))


def test_an_edited_transcript_is_read_again_not_taken_from_the_turn_cache(small, tmp_path):
    _fresh(small)
    framework_matrix(small)  # the cache now holds t1's turns, Ann Lee speaking
    f = small.transcripts_dir / "t1.txt"
    text = f.read_text(encoding="utf-8").replace("Ann Lee", "Ann Lee-Smith")
    f.write_text(text.replace("LSP coordinator; chair", "forum chair; member"), encoding="utf-8")
    root = small.root
    small.close()
    project = Project.open(root, search=False)
    try:
        fm = framework_matrix(project)
        said = [a for per_code in fm.attrs["attributions"]["Case A"].values() for a in per_code]
        assert "(Case A, forum chair)" in said and not any("LSP coordinator" in a for a in said)
    finally:
        project.close()


def test_the_framework_shortcut_chooses_what_the_walk_chooses(small, monkeypatch):
    from qualcode.analysis import framework

    for quotes in (1, 2, 3):
        _fresh(small)
        fast = framework_matrix(small, quotes=quotes, max_chars=40)
        monkeypatch.setattr(framework, "_easy_cells",
                            lambda cell, *a: (pd.Series(False, index=range(int(cell.max()) + 1)).to_numpy(),
                                              pd.Series([], dtype="int64").to_numpy()))
        _fresh(small)
        walked = framework_matrix(small, quotes=quotes, max_chars=40)
        monkeypatch.undo()
        _same_framework(fast, walked)


def test_frequencies_as_a_frame_match_the_plain_table(small):
    for coders in (None, "bob", ["ann", "bob"]):
        for codes in (None, "theme.a"):
            df = frequencies(small, coders=coders, codes=codes)
            plain = frequency_table(small, coders=coders, codes=codes)
            assert df.values.tolist() == plain.rows
            assert list(df.columns) == plain.columns and list(df.index) == plain.index
            assert df.attrs == plain.attrs


def test_tables_let_go_of_the_transcripts_they_read(small):
    _fresh(small)
    small.transcript("t2")  # one the user has open: it stays
    framework_matrix(small)
    retrieve(small, "theme.a")
    cooccurrence(small, mode="turn")
    assert set(small.index._loaded) == {"t2"}


def test_tables_give_the_garbage_collector_back():
    assert gc.isenabled()
    with data.paused_gc():
        assert not gc.isenabled()
        with data.paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with data.paused_gc():
            pass
        assert not gc.isenabled()  # someone else had it off: left off
    finally:
        gc.enable()


def test_tables_in_two_threads_give_the_collector_back(small):
    errors = []

    def run():
        try:
            for _ in range(3):
                framework_matrix(small)
                frequencies(small)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and gc.isenabled()


@pytest.mark.parametrize("value", ["presence", "counts", "words"])
def test_the_codings_frame_keeps_plain_text_columns(small, value):
    """Object columns (not pandas' string dtype): what the tables' groupbys and factorize are fast on."""
    from qualcode.analysis import case_matrix

    case_matrix(small, value=value)
    frame = data.coding_frame(small, ["ann"])
    assert all(frame[c].dtype == object for c in ("id", "transcript", "code", "coder", "quote", "th"))


def test_retrieval_of_many_segments_finds_the_same_speakers_and_context(small, monkeypatch):
    import importlib

    retrieval = importlib.import_module("qualcode.analysis.retrieve")
    plain = retrieve(small, "theme.a", coders=["ann", "bob"])
    monkeypatch.setattr(retrieval, "_NUMPY_FROM", 0)  # the vectorised turn look-up for any number
    pd.testing.assert_frame_equal(plain, retrieve(small, "theme.a", coders=["ann", "bob"]))
    assert plain.attrs == retrieve(small, "theme.a", coders=["ann", "bob"]).attrs
