"""Give a text transcript an id or title at import (``qualcode import --id/--title``) through its
front matter, which is not part of the canonical text: offsets and the content hash do not change."""

from __future__ import annotations

import json

from qualcode.errors import FormatError

from .decode import decode
from .frontmatter import split_front_matter


def stamp_front_matter(data: bytes, name: str, values: dict[str, str]) -> bytes:
    """``data`` (a text transcript) with ``values`` set in its YAML front matter (added when it has none)."""
    values = {k: v for k, v in values.items() if v}
    if not values:
        return data
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise FormatError("--title and --id in the file work for text transcripts, not Word files", path=name,
                          hint="for a .docx, import it without --title (the id comes from --id as its file name)")
    text, _ = decode(data, name)
    text = text.lstrip("\ufeff")
    new = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    metadata, body, _ = split_front_matter(text.replace("\r\n", "\n"), name)
    if metadata or text.startswith("---"):
        lines = text.split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        kept = [ln for ln in lines[1:end] if ln.split(":", 1)[0].strip() not in values]
        text = "\n".join([lines[0], *new, *kept, *lines[end:]])
    else:
        text = "---\n" + "\n".join(new) + "\n---\n" + text
    return text.encode("utf-8")
