"""Where an export goes, and writing it whole or not at all (temp file, fsync, rename)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from qualcode.store.atomic import write_atomic
from qualcode.errors import QualcodeError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str, limit: int = 48) -> str:
    """A file-name-safe version of ``text`` ('Table 3: Codes x cases' -> 'table-3-codes-x-cases')."""
    s = _UNSAFE.sub("-", str(text).lower()).strip("-.")
    return (s[:limit].rstrip("-.") or "table")


def output_path(project, path: str | Path | None, default_name: str) -> Path:
    """``path`` as given (relative to the current folder), or ``exports/<default_name>`` in the project."""
    if path is None or str(path) == "":
        return Path(project.exports_dir) / default_name
    return Path(path).expanduser()


def check_writable(path: Path, *, folder: bool = False) -> Path:
    """Fail early, with a message that names the path, if ``path`` cannot be written."""
    path = Path(path)
    if not folder and path.is_dir():
        raise QualcodeError("this is a folder, not a file name", path=path,
                            hint="give a file name, e.g. exports/report.docx")
    if folder and path.exists() and not path.is_dir():
        raise QualcodeError("this is a file, not a folder", path=path, hint="give a folder for the CSV files")
    parent = path if folder else path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QualcodeError(f"cannot create the folder: {exc.strerror}", path=parent,
                            hint="choose a folder you can write to (-o PATH)") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise QualcodeError("cannot write in this folder (permission denied)", path=parent,
                            hint="choose a folder you can write to (-o PATH)")
    if not folder and path.exists() and not os.access(path, os.W_OK):
        raise QualcodeError("the file exists and is read-only (or open in another program)", path=path,
                            hint="close it, or write to another file name with -o")
    return path


def save_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: a reader sees the old file or the new one, never a part."""
    path = check_writable(Path(path))
    write_atomic(path, data)
    return path

