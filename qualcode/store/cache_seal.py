"""Seals for the ``.qualcode/`` cache: it is verified, never trusted.

Every cache file (the transcript index, parsed transcripts, cached journal states) is written as
``QCSEAL1 <mac>\\n<payload>``, where ``mac`` is a keyed BLAKE2 of the payload under a key only this
user has (``$XDG_CACHE_HOME/qualcode/cache.key``, else ``~/.cache/qualcode/cache.key``, mode 0600,
made on first use). A cache file someone else wrote (a project folder handed over with its
``.qualcode/``), or one damaged on disk, fails the check and is rebuilt from the project's own
files. When the key cannot be kept (a read-only home), a key for this process alone is used:
caches still work within the process, and are rebuilt next time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

MAGIC = b"QCSEAL1 "
_KEY_BYTES = 32
_key: bytes | None = None


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qualcode" / "cache.key"


def _load_key() -> bytes:
    path = key_path()
    try:
        data = path.read_bytes()
        if len(data) == _KEY_BYTES:
            return data
    except OSError:
        pass
    key = secrets.token_bytes(_KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # first writer wins; a racing process then reads the winner's key
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        data = path.read_bytes()
        if len(data) == _KEY_BYTES:
            return data
    except OSError:
        pass
    return key


def _mac(payload: bytes | memoryview) -> bytes:
    global _key
    if _key is None:
        _key = _load_key()
    return hashlib.blake2b(payload, key=_key, digest_size=32).hexdigest().encode()


def mac(payload: bytes | memoryview) -> str:
    """The keyed digest of ``payload`` (for a record checked on its own, inside a sealed cache)."""
    return _mac(payload).decode()


def seal(payload: bytes) -> bytes:
    """``payload`` with its seal, ready to write."""
    return MAGIC + _mac(payload) + b"\n" + payload


def unseal(raw: bytes) -> bytes | None:
    """The payload of a sealed file, or None when the seal is missing or does not match."""
    if not raw.startswith(MAGIC):
        return None
    nl = raw.find(b"\n", len(MAGIC))
    if nl == -1:
        return None
    payload = memoryview(raw)[nl + 1:]
    if not hmac.compare_digest(raw[len(MAGIC):nl], _mac(payload)):
        return None
    return bytes(payload)


def read_sealed(path: Path) -> bytes | None:
    """The payload of the sealed file at ``path``; None when it is missing, unreadable or not sealed
    by this user."""
    try:
        return unseal(path.read_bytes())
    except OSError:
        return None
