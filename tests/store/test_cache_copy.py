"""A project copied with `cp -r` (every file a new modification time, the same bytes) reuses its
`.qualcode/` cache: no transcript is parsed again (issue 18). A cache sealed by someone else (a
folder handed over with its `.qualcode/`) is still never trusted: every transcript is parsed."""

from __future__ import annotations

import os
import shutil

import pytest

import qualcode.store.cache_seal as cache_seal
import qualcode.store.index as index_module
from qualcode.store.project import Project


def _cp_r(src, dest):
    """Like `cp -r`: same bytes, modification times of now (shutil.copytree would keep them)."""
    shutil.copytree(src, dest, copy_function=shutil.copyfile)
    later = os.stat(src / "qualcode.toml").st_mtime_ns + 5_000_000_000
    for path in (dest / "transcripts").iterdir():
        os.utime(path, ns=(later, later))


@pytest.fixture
def parses(monkeypatch):
    """The transcripts parsed from their files (not from the cache)."""
    seen = []
    real = index_module._parse

    def counting(path, *a, **k):
        seen.append(path.name)
        return real(path, *a, **k)

    monkeypatch.setattr(index_module, "_parse", counting)
    return seen


def _open_everything(root):
    p = Project.open(root, search=False)
    texts = {e.id: p.transcript(e.id).text for e in p.index}
    problems = list(p.index.problems)
    notes = p.cache_notes()
    p.close()
    return texts, problems, notes


def test_a_copy_reuses_the_cache_and_gives_the_same_transcripts(study_copy, tmp_path, parses):
    before, problems, _ = _open_everything(study_copy)  # builds .qualcode/
    assert len(parses) == 9 and not problems
    parses.clear()
    _cp_r(study_copy, tmp_path / "copied")
    after, _, notes = _open_everything(tmp_path / "copied")
    assert parses == [] and notes == []
    assert after == before
    # the copy's index now records the new times: the next open does not even hash the files
    p = Project.open(tmp_path / "copied", search=False)
    assert all(e.mtime_ns == os.stat(tmp_path / "copied" / e.path).st_mtime_ns for e in p.index)
    p.close()


def test_a_changed_file_of_the_same_size_is_parsed_again(study_copy, tmp_path, parses):
    _open_everything(study_copy)
    parses.clear()
    _cp_r(study_copy, tmp_path / "copied")
    path = tmp_path / "copied" / "transcripts" / "lsp-a.txt"
    text = path.read_text(encoding="utf-8")
    i = text.index("partnership")
    path.write_text(text[:i] + "Partnership" + text[i + len("partnership"):], encoding="utf-8")  # same size
    texts, _, _ = _open_everything(tmp_path / "copied")
    assert parses == ["lsp-a.txt"]
    assert "Partnership" in texts["lsp-a"]


def test_a_copy_sealed_by_someone_else_is_rebuilt_not_trusted(study_copy, tmp_path, parses, monkeypatch):
    _open_everything(study_copy)
    parses.clear()
    _cp_r(study_copy, tmp_path / "copied")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))  # another user's cache key
    monkeypatch.setattr(cache_seal, "_key", None)
    texts, _, notes = _open_everything(tmp_path / "copied")
    assert sorted(parses) == sorted(p.name for p in (tmp_path / "copied" / "transcripts").iterdir())
    assert any("not written by you" in n for n in notes)
    assert len(texts) == 9
