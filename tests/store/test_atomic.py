"""Atomic rewrites keep the file's permissions (a shared project stays shared after a save)."""

import os
import stat

from qualcode.store.atomic import write_atomic


def test_rewrite_keeps_mode_and_new_files_follow_umask(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("old")
    os.chmod(path, 0o664)
    write_atomic(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    fresh = tmp_path / "fresh.txt"
    write_atomic(fresh, "x")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask
