"""Shared fixtures: small projects made through qualcode's own API, and the shared data folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QUALCODE_SHARED", REPO.parent / "shared"))

INTERVIEW = """---
id: int-1
title: A short interview
speakers:
  Interviewer: interviewer
  Ruth Adebayo: respondent
---
Interviewer: Could you start with your role on the partnership board?

Ruth Adebayo: I chair the community empowerment network. We monitor ethnicity on the board, but not in the theme groups.

It took us two years to get there, honestly.

Interviewer: And the Neighbourhood Renewal Fund?

Ruth Adebayo: The outcomes matter more than who gets the money. That is what the council says, anyway.
"""


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set QUALCODE_SHARED to the shared folder)")
    return path


@pytest.fixture
def project(tmp_path):
    """A fresh project with the starter codebook and one imported interview."""
    from qualcode.services.project_ops import import_transcripts, init_project

    proj = init_project(tmp_path / "study")
    src = tmp_path / "int-1.txt"
    src.write_text(INTERVIEW, encoding="utf-8")
    import_transcripts(proj, [src])
    yield proj
    proj.close()


STUDY_CODERS = ("researcher_a.", "researcher_b.")
"""The bundled study's journals (and their rejections) as the repository holds them."""


def copy_study(dest: Path) -> Path:
    """Copy the bundled study (the repository root's project files) to ``dest``."""
    dest.mkdir(parents=True)
    for name in ("qualcode.toml", "cases.csv"):
        shutil.copy(REPO / name, dest / name)
    for folder in ("codebooks", "transcripts"):
        shutil.copytree(REPO / folder, dest / folder, ignore=shutil.ignore_patterns("*.lock", "*.torn-*"))
    # the study's two reference coders only: a researcher who explored the study first (the README's
    # tour writes codings/<login>.jsonl, settling disagreements codings/consensus.jsonl) runs the same tests
    shutil.copytree(REPO / "codings", dest / "codings", ignore=lambda _, names: [
        n for n in names if n != ".gitkeep" and (not n.startswith(STUDY_CODERS) or n.endswith(".lock") or ".torn-" in n)])
    return dest


@pytest.fixture
def study_copy(tmp_path):
    """A copy of the bundled study (the repository root) to work on without touching the repo."""
    return copy_study(tmp_path / "lsp-study")
