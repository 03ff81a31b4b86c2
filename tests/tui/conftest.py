"""Fixtures for the workbench tests (helpers live in ``tui_helpers``)."""

from __future__ import annotations

import pytest

from tui_helpers import make_project


@pytest.fixture
def study(tmp_path):
    """A project with the test codebook, two interviews (one with accents and an emoji) and cases."""
    proj = make_project(tmp_path)
    yield proj
    proj.close()
