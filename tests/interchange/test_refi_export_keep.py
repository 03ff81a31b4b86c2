"""A .qdpx or .qdc export never loses a file there that was edited since qualcode wrote it (or that
qualcode did not write): it is kept beside the new one, as the other exports do (``export.keep``)."""

from __future__ import annotations

import pytest

from tests.interchange.test_refi_cli import run


@pytest.mark.parametrize("kind, name", [("qdc", "cb.qdc"), ("qdpx", "p.qdpx")])
def test_an_edited_refi_export_is_kept_beside_the_new_one(study_copy, kind, name):
    out = study_copy / "exports" / name
    args = ("export", kind, "-o", out, "--project", study_copy)
    run(*args, check=0)
    assert "kept" not in run(*args, check=0).stdout  # a re-export of qualcode's own file keeps nothing
    out.write_bytes(out.read_bytes() + b"edited elsewhere")
    edited = out.read_bytes()
    line = run(*args, check=0).stdout.strip().splitlines()[-1]
    kept = [p for p in out.parent.iterdir() if p.name.startswith(f"{out.stem} (edited, kept ")]
    assert len(kept) == 1 and kept[0].suffix == out.suffix
    assert kept[0].read_bytes() == edited
    assert out.read_bytes() != edited
    assert "changed since qualcode wrote it" in line and kept[0].name in line
