"""Merging an imported codebook into the current one (pure: nothing is read or written here).

Matching (``known_ids``): a file's code is the current code that came with its GUID from another
program (``[refi.codes]``) or whose GUID qualcode would give it (the file came from this project,
maybe through another program), else the current code with the same
full path of names (case-insensitive). qualcode's metadata, when present, is applied before this
by ``codebook.from_refi``.

Merging (``merge``): what the file says wins; what a REFI file cannot say (a shortcut) or did not
say (no colour, no description) is kept from the matching current code. In merge mode the codes the
file does not have are kept; in replace mode they are removed (the service refuses when codings
still use them).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from qualcode.domain.codebook import Code, Codebook

from . import model
from .guids import GuidMaker

_FIELDS = ("name", "parent", "colour", "shortcut", "definition", "include", "exclude", "examples", "keywords")


def _path(names: list[str]) -> str:
    return " / ".join(" ".join(n.split()).casefold() for n in names)


def known_ids(old: Codebook, codes: list[model.Code], guid: GuidMaker,
              kept: dict[str, str] | None = None) -> dict[str, str]:
    """File GUID -> current code id, for the file's codes that match a current code. ``kept``: GUID ->
    code id of the GUIDs codes came with from another program (``[refi.codes]``)."""
    known = {guid("code", c.id): c.id for c in old.codes}
    known.update({g: cid for g, cid in (kept or {}).items() if cid in old.by_id})
    by_path: dict[str, list[str]] = {}
    for c in old.codes:
        names = [old.by_id[a].name for a in reversed(old.ancestors(c.id)) if a in old.by_id] + [c.name]
        by_path.setdefault(_path(names), []).append(c.id)
    by_guid = {c.guid: c for c in codes}
    for c in codes:
        if c.guid in known:
            continue
        names, cur, seen = [], c, set()
        while cur is not None and cur.guid not in seen:
            seen.add(cur.guid)
            names.append(cur.name)
            cur = by_guid.get(cur.parent) if cur.parent else None
        hits = by_path.get(_path(list(reversed(names))), [])
        if len(hits) == 1:
            known[c.guid] = hits[0]
    return known


def merge_code(old: Code, new: Code) -> Code:
    has_text = any((new.definition, new.include, new.exclude, new.examples, new.keywords))
    return Code(id=old.id, name=new.name, parent=new.parent, colour=new.colour or old.colour,
                shortcut=new.shortcut or old.shortcut,
                definition=new.definition if has_text else old.definition,
                include=new.include if has_text else old.include,
                exclude=new.exclude if has_text else old.exclude,
                examples=list(new.examples) if new.examples else list(old.examples),
                keywords=list(new.keywords) if new.keywords else list(old.keywords))


def same(a: Code, b: Code) -> bool:
    return all(getattr(a, k) == getattr(b, k) for k in _FIELDS)


@dataclass
class Merge:
    codes: list[Code]
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Current codes the file does not have, dropped (replace)."""
    kept: list[str] = field(default_factory=list)
    """Current codes the file does not have, kept (merge)."""


def merge(old: Codebook, incoming: list[Code], *, replace_all: bool) -> Merge:
    """The merged code list (new objects: ``old`` is not changed) and what happened to each code."""
    by_id = {c.id: c for c in incoming}
    out = Merge(codes=[])
    if replace_all:
        out.codes = [merge_code(old.by_id[c.id], c) if c.id in old.by_id else replace(c) for c in incoming]
        out.removed = [c.id for c in old.codes if c.id not in by_id]
    else:
        for c in old.codes:
            if c.id in by_id:
                out.codes.append(merge_code(c, by_id[c.id]))
            else:
                out.codes.append(replace(c, examples=list(c.examples), keywords=list(c.keywords)))
                out.kept.append(c.id)
        out.codes += [replace(c) for c in incoming if c.id not in old.by_id]
    for c in out.codes:
        if c.id not in by_id:
            continue
        if c.id not in old.by_id:
            out.added.append(c.id)
        elif same(c, old.by_id[c.id]):
            out.unchanged.append(c.id)
        else:
            out.updated.append(c.id)
    seen: set[str] = set()
    for c in out.codes:  # a shortcut taken twice stays with the first code
        if c.shortcut:
            if c.shortcut in seen:
                c.shortcut = None
            else:
                seen.add(c.shortcut)
    return out
