"""Suggestions cached under ``.qualcode/suggest/``: a second ``qualcode suggest`` is instant.

Training (segmenting every transcript, fitting four scorers, measuring each one out of fold) takes
seconds; its result depends only on the inputs below, so it is kept, per coder, keyed on a digest of
all of them:

- this module's ``VERSION`` and the engine's options (pipeline, interviewer turns, scorers);
- the codebook file's bytes;
- the coder's journal and rejections files' bytes (any decision changes the key);
- every transcript's id and content hash (from the project index).

The entry holds the suggestions for every transcript of the project (scoring the others costs little
once the models are trained), the notes and the trust that was fitted. It is written atomically and
sealed like every ``.qualcode/`` file (``store.cache_seal``): one that fails the seal, or does not
parse, is ignored and rebuilt. Deleting ``.qualcode/`` loses nothing.

This module is light (no spaCy, no scikit-learn): a cache hit never imports them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from qualcode.suggest.suggestion import Suggestion

VERSION = "suggest-cache-18"


def _file_digest(h, path: Path) -> None:
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except FileNotFoundError:
        h.update(b"<missing>")
    h.update(b"\0")


def key(project, coder: str, options: dict) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(VERSION.encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    _file_digest(h, project.codebook_path)
    _file_digest(h, project.codings_dir / f"{coder}.jsonl")
    _file_digest(h, project.codings_dir / f"{coder}.rejections.jsonl")
    for e in sorted(project.index, key=lambda e: e.id):
        h.update(f"{e.id}\0{e.hash}\0".encode())
    return h.hexdigest()


def stamp(project, coder: str) -> tuple:
    """Size and modification time of the files ``key`` reads, and the transcripts' hashes: what has to
    change before the key can (the engine recomputes the key only then)."""
    out = []
    for path in (project.codebook_path, project.codings_dir / f"{coder}.jsonl",
                 project.codings_dir / f"{coder}.rejections.jsonl"):
        try:
            st = path.stat()
            out.append((st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append(None)
    out.append(tuple(sorted((e.id, e.hash) for e in project.index)))
    return tuple(out)


def _path(project, coder: str) -> Path:
    safe = hashlib.sha1(coder.encode()).hexdigest()[:12]
    return project.cache_dir / "suggest" / f"{safe}.json"


def load(project, coder: str, digest: str) -> dict | None:
    """The cached entry for this key, or None (missing, stale, damaged or not sealed by this user)."""
    from qualcode.store.cache_seal import unseal

    try:
        raw = _path(project, coder).read_bytes()
    except OSError:
        return None
    payload = unseal(raw)
    if payload is None:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("key") != digest or data.get("coder") != coder:
        return None
    return data


def save(project, coder: str, digest: str, data: dict) -> None:
    from qualcode.errors import QualcodeError
    from qualcode.store.atomic import write_atomic
    from qualcode.store.cache_seal import seal

    path = _path(project, coder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({**data, "key": digest, "coder": coder}, separators=(",", ":")).encode()
        write_atomic(path, seal(payload), durable=False)
    except (OSError, QualcodeError):  # a full disk or a read-only project
        pass  # a cache that cannot be written is only slower next time


def suggestions_from(data: dict, tid: str) -> list[Suggestion]:
    out = []
    for d in data.get("suggestions", {}).get(tid, []):
        turn = d.get("turn")
        out.append(Suggestion(
            transcript=d["transcript"], start=d["start"], end=d["end"], code=d["code"], score=d["score"],
            scorers=tuple(d.get("scorers", ())), reasons=tuple(d.get("reasons", ())), suggested=d["suggested"],
            uncertainty=d.get("uncertainty", 0.0), parts=dict(d.get("parts", {})),
            turn=None if turn is None else turn - 1, quote=d.get("quote", ""), confidence=d.get("confidence", ""),
            probability=d.get("probability"),
            weights=dict(d.get("weights", {})), threshold=d.get("threshold"), question=d.get("question", ""),
            basis=d.get("basis", "")))
    return out
