"""GUIDs: stable ones for export (uuid5 of the project and the object), lenient reading on import."""

from __future__ import annotations

import hashlib
import re
import uuid

# Fixed namespace for qualcode's REFI-QDA GUIDs (never change it: exports would get new GUIDs).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "qualcode:refi-qda")

GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


class GuidMaker:
    """GUIDs for one project: the same project and object always give the same GUID.

    ``project_key`` is the project's name: an exported project keeps its GUIDs across exports, and a
    copy of the project (or one imported back from its own export) gives the same GUIDs too.
    """

    def __init__(self, project_key: str) -> None:
        self.base = uuid.uuid5(NAMESPACE, project_key)
        self._prefix = hashlib.sha1(self.base.bytes)

    def __call__(self, kind: str, *parts: str) -> str:
        """``str(uuid.uuid5(base, kind + US + parts...))``, computed without the uuid module's overhead."""
        h = self._prefix.copy()
        h.update("\x1f".join((kind, *parts)).encode("utf-8"))
        b = bytearray(h.digest()[:16])
        b[6] = (b[6] & 0x0F) | 0x50
        b[8] = (b[8] & 0x3F) | 0x80
        x = b.hex()
        return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def normalise_guid(value: str | None) -> str | None:
    """Lower-case, braces removed; None for empty. Anything not GUID-shaped is kept (stripped) as a key."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    m = GUID.match(text)
    return m.group(1).lower() if m else text


def is_guid(value: str) -> bool:
    return bool(GUID.match(value or ""))
