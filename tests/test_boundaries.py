"""The layering DESIGN.md asks for: checked in a fresh interpreter, so nothing else has imported them."""

import subprocess
import sys

import pytest


def _modules_after(import_stmt: str) -> set[str]:
    code = f"import sys; {import_stmt}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {m.split(".")[0] for m in out.split()}


@pytest.mark.parametrize("heavy", ["textual", "spacy", "sklearn", "docx", "pandas"])
def test_domain_imports_no_engine(heavy):
    mods = _modules_after("import qualcode.domain.transcript, qualcode.domain.codebook, qualcode.domain.coding, qualcode.domain.offsets")
    assert heavy not in mods


@pytest.mark.parametrize("heavy", ["spacy", "sklearn", "textual", "pandas"])
def test_cli_start_imports_no_engine(heavy):
    """`qualcode --help` and the foundation's commands stay fast: no engine at import."""
    assert heavy not in _modules_after("import qualcode.cli.main")
