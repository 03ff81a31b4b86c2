"""Durable file writes: appends fsynced, rewrites through a temporary file and a rename."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from qualcode.errors import QualcodeError


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # once, at import: os.umask is process-wide, so never toggle it in a worker


def mode_for(path: Path) -> int:
    """The one file mode policy for everything qualcode writes (journals aside): a file it replaces
    keeps its mode; a new file gets 0666 less the umask (0644 usually), as any editor would make it."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def write_atomic(path: str | Path, data: bytes | str, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename, fsync the folder.

    On any failure (a full disk, a permission) the old file is untouched and the temp file removed.
    ``durable=False`` skips the fsyncs (still atomic): for derived caches that can be rebuilt.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise QualcodeError(f"cannot write here: {exc.strerror}", path=path,
                            hint="check that the folder exists and is writable") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, mode_for(path))  # mkstemp makes 0600: keep the old file's mode, else the umask's
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise QualcodeError(f"could not save ({exc.strerror}); the previous version is unchanged",
                            path=path, hint="free some disk space or check permissions, then try again") from exc
    if durable:
        fsync_dir(folder)


def read_regular(path: str | Path) -> bytes:
    """A file's bytes, refusing (OSError EINVAL) anything but a regular file: a FIFO or a device put
    where a project file belongs would otherwise hang the read or never end it.
    FileNotFoundError and other OSErrors propagate as from ``Path.read_bytes``."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, a device or a folder)", str(path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)
