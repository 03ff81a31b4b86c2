"""Helpers for the transcript importer tests."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from qualcode.domain.transcript import Transcript

FIXTURES = Path(__file__).parent / "fixtures"


def shared_dir() -> Path:
    """The team's shared folder: $QUALCODE_SHARED, else ../shared beside the repository."""
    env = os.environ.get("QUALCODE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture
def realworld() -> Path:
    folder = shared_dir() / "realworld" / "transcripts"
    if not folder.is_dir():
        reason = f"real-world transcripts not found at {folder} (set QUALCODE_SHARED to the shared folder)"
        print(reason)
        pytest.skip(reason)
    return folder


def check_turns(t: Transcript) -> None:
    """The offset contract every importer keeps."""
    text = t.text
    assert "\r" not in text and "\ufeff" not in text and "\u2028" not in text
    prev_end = 0
    for turn in t.turns:
        assert 0 <= prev_end <= turn.start <= turn.text_start <= turn.end <= len(text), turn
        whole = text[turn.start:turn.end]
        said = text[turn.text_start:turn.end]
        assert whole and not whole[0].isspace() and not whole[-1].isspace(), (turn, whole)
        assert not said or not said[0].isspace(), (turn, said)
        assert turn.speaker and turn.label
        assert turn.role in (None, "interviewer", "respondent")
        prev_end = turn.end


def said(t: Transcript) -> list[tuple[str, str]]:
    """(speaker, what was said) per turn."""
    return [(turn.speaker, t.text[turn.text_start:turn.end]) for turn in t.turns]


def make_docx(paragraphs, *, title: str | None = None) -> bytes:
    """A .docx built with python-docx; a tuple paragraph is (line, line) joined by a line break."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for item in paragraphs:
        if isinstance(item, tuple):
            para = document.add_paragraph(item[0])
            for line in item[1:]:
                para.add_run().add_break()
                para.add_run(line)
        else:
            document.add_paragraph(item)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(name="check")
def _check_fixture():
    return check_turns


@pytest.fixture(name="said")
def _said_fixture():
    return said


@pytest.fixture(name="docx_bytes")
def _docx_fixture():
    return make_docx


@pytest.fixture(name="fixture")
def _fixture_path():
    """fixture("zoom.vtt") -> Path of a made-up example file."""
    return lambda name: FIXTURES / name
