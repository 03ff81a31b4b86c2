"""Seeded mutants of every importer's input and of a journal: each ends in success or one clear
message (a QualcodeError), never a traceback. Bounded (a few dozen per format) so CI stays quick;
benchmarks/fuzz_formats.py runs 10,000 per format."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

COUNT = 25


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return harness.seeds(tmp_path_factory.mktemp("fuzzseeds"))


@pytest.mark.parametrize("fmt", sorted(harness.RUNNERS))
def test_mutants_end_in_a_result_or_a_clear_message(fmt, seeds, tmp_path, monkeypatch):
    monkeypatch.setattr("os.sync", lambda: None)  # import-project syncs the disk once per import
    out = harness.run(fmt, seeds[fmt], COUNT, tmp_path)
    assert out.runs == COUNT
    assert out.tracebacks == [], "\n".join(out.tracebacks)


@pytest.mark.parametrize("fmt", sorted(harness.RUNNERS))
def test_every_seed_itself_is_accepted(fmt, seeds, tmp_path, monkeypatch):
    """The mutants start from files qualcode reads, so a refusal above is about the mutation."""
    monkeypatch.setattr("os.sync", lambda: None)
    for i, seed in enumerate(seeds[fmt]):
        scratch = tmp_path / str(i)
        scratch.mkdir()
        harness.RUNNERS[fmt](seed, scratch)
