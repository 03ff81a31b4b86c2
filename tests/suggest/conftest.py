"""Fixtures for the suggestion engine: one spaCy pipeline per test session, small projects."""

from __future__ import annotations

import pytest

from qualcode.domain.codebook import Code, Codebook
from suggest_helpers import CODEBOOK, INTERVIEWS


@pytest.fixture(scope="session")
def pipeline():
    """The blank English pipeline, loaded once for the whole test session."""
    from qualcode.suggest.pipeline import get_pipeline

    return get_pipeline("")


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


@pytest.fixture
def sproject(tmp_path):
    """A project with the test codebook and three interviews (one without punctuation)."""
    from qualcode.services.project_ops import import_transcripts, init_project

    proj = init_project(tmp_path / "study")
    proj.set_codebook(Codebook(name=CODEBOOK.name, codes=[Code(**vars(c)) for c in CODEBOOK.codes]))
    files = []
    for tid, text in INTERVIEWS.items():
        src = tmp_path / f"{tid}.txt"
        src.write_text(text, encoding="utf-8")
        files.append(src)
    import_transcripts(proj, files)
    yield proj
    proj.close()
