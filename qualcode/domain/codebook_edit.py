"""Reshaping a codebook: add, edit, move, merge, change an id, remove. Pure Python.

Each function takes a codebook and returns a new, validated one (the old one is left as it was, so a
caller can keep it to undo). Codings are never rewritten: merging, changing an id and removing with
"drop" leave a record in the codebook (``renamed``, ``merged``, ``dropped``) that every reader of
codings resolves (``Codebook.resolve_code``). The records stay flat: every value is a code of the
codebook (or a code that was removed keeping its codings), never another record's key.
"""

from __future__ import annotations

import copy
from dataclasses import fields

from qualcode.domain.codebook import Code, Codebook, did_you_mean, free_keys, validate
from qualcode.errors import CodebookError, Problem, QualcodeError

EDITABLE = ("name", "definition", "include", "exclude", "examples", "keywords", "colour", "shortcut")
"""Fields ``edit_code`` changes (``id`` and ``parent`` have their own operations)."""

CODINGS_CHOICES = ("reassign:ID", "drop", "keep-orphaned")


def _copy(book: Codebook) -> Codebook:
    return Codebook(codes=[copy.deepcopy(c) for c in book.codes], name=book.name, description=book.description,
                    path=book.path, renamed=dict(book.renamed), merged=dict(book.merged), dropped=list(book.dropped))


def _need(book: Codebook, code_id: str) -> Code:
    code = book.get(code_id) or book.resolve(code_id)
    if code is None:
        now = book.resolve_code(code_id)
        was = "" if now == code_id else " (its codings were dropped)" if now is None else f" (it is now {now!r})"
        near = did_you_mean(book.codes, code_id) if now == code_id else ""
        raise QualcodeError(f"no code {code_id!r} in the codebook{was}{near}", path=book.path,
                            hint="`qualcode codebook show` lists the codes and their ids")
    return code


def _done(book: Codebook) -> Codebook:
    book.reindex()
    problems = validate(book)
    if problems:
        error = CodebookError(problems, path=book.path)
        error.hint = "nothing was changed; give values that fix the problem(s) above"
        raise error
    return book


def _forget(book: Codebook, code_id: str) -> None:
    """``code_id`` becomes a live code again: it is no longer a record's key."""
    book.renamed.pop(code_id, None)
    book.merged.pop(code_id, None)
    if code_id in book.dropped:
        book.dropped.remove(code_id)


def _repoint(book: Codebook, old: str, new: str | None) -> None:
    """Records that led to ``old`` lead to ``new`` (None: to nothing, they are dropped too)."""
    for record in (book.renamed, book.merged):
        for key, value in list(record.items()):
            if value == old:
                if new is None:
                    del record[key]
                    book.dropped.append(key)
                else:
                    record[key] = new


def _insert_after_siblings(book: Codebook, code: Code) -> None:
    """Put ``code`` after the last code of its new parent's subtree (so it is the last child)."""
    book.codes = [c for c in book.codes if c is not code]
    book.reindex()
    last = None
    if code.parent is not None:
        tail = [code.parent] + book.descendants(code.parent)
        last = max(i for i, c in enumerate(book.codes) if c.id in tail)
    book.codes.insert(len(book.codes) if last is None else last + 1, code)


def _clean(details: dict) -> dict:
    """Texts stripped, lists of texts without empty entries (as the YAML reader gives them)."""
    out = {}
    for key, value in details.items():
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, (list, tuple)):
            value = [str(v).strip() for v in value if str(v).strip()]
        out[key] = value
    return out


def with_codes(book: Codebook, codes: list[Code]) -> Codebook:
    """The same codebook (name, records) with ``codes`` (e.g. reordered), validated."""
    new = _copy(book)
    new.codes = [copy.deepcopy(c) for c in codes]
    return _done(new)


def add_code(book: Codebook, code_id: str, name: str, parent: str | None = None, **details) -> Codebook:
    new = _copy(book)
    if code_id in new:
        raise QualcodeError(f"there is already a code {code_id!r}", path=book.path, hint="choose another id")
    if parent is not None:
        parent = _need(new, parent).id
    unknown = set(details) - set(EDITABLE)
    if unknown:
        raise QualcodeError(f"unknown field(s): {', '.join(sorted(unknown))}")
    _forget(new, code_id)
    code = Code(id=code_id, name=name.strip(), parent=parent, **_clean(details))
    new.codes.append(code)
    if parent is not None:
        _insert_after_siblings(new, code)
    return _done(new)


def edit_code(book: Codebook, code_id: str, **changes) -> Codebook:
    """Change fields of one code (see EDITABLE); an empty text or list clears the field."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise QualcodeError(f"unknown field(s): {', '.join(sorted(unknown))} (fields: {', '.join(EDITABLE)})")
    new = _copy(book)
    code = _need(new, code_id)
    key = str(changes.get("shortcut") or "").strip()
    other = next((c for c in new.codes if c.shortcut == key and c is not code), None) if key else None
    if other is not None:  # said of the code being edited, with the keys still free
        free = ", ".join(free_keys(new)) or "none"
        error = CodebookError([Problem(f"code {code.id!r}: shortcut {key!r} is already the key of {other.id!r} "
                                       f"(line {other.line})", book.path, code.line)], path=book.path)
        error.hint = (f"nothing was changed; choose a free key (free: {free}), or first take it from "
                      f"{other.id!r} (`qualcode codebook edit {other.id} --clear shortcut`)")
        raise error
    for key, value in _clean(changes).items():
        if key in ("colour", "shortcut"):
            value = value or None
            code.ignored.pop(key, None)  # given anew (or cleared): the value the file had is replaced
        setattr(code, key, value)
    return _done(new)


def move_code(book: Codebook, code_id: str, parent: str | None) -> Codebook:
    """Put a code (with its children) under ``parent`` (None: at the top level), as its last child."""
    new = _copy(book)
    code = _need(new, code_id)
    if parent is not None:
        parent = _need(new, parent).id
        if parent == code.id or parent in new.descendants(code.id):
            raise QualcodeError(f"cannot move {code.id!r} under {parent!r}: that code is inside it",
                                hint="move it under a code outside its own branch")
    code.parent = parent
    _insert_after_siblings(new, code)
    return _done(new)


def rename_id(book: Codebook, old: str, new_id: str) -> Codebook:
    """Change a code's id; codings made with the old id count as the new one (``renamed:``)."""
    new = _copy(book)
    code = _need(new, old)
    old = code.id
    if new_id in new:
        raise QualcodeError(f"there is already a code {new_id!r}", path=book.path,
                            hint="to combine the two codes, use `qualcode codebook merge`")
    _forget(new, new_id)
    code.id = new_id
    for c in new.codes:
        if c.parent == old:
            c.parent = new_id
    _repoint(new, old, new_id)
    new.renamed[old] = new_id
    return _done(new)


def merge_codes(book: Codebook, source: str, target: str) -> Codebook:
    """Merge ``source`` into ``target``: its codings count as ``target`` (``merged:``), its children
    move under ``target`` (or up, for the branch that holds ``target``), and it leaves the codebook."""
    new = _copy(book)
    src, dst = _need(new, source), _need(new, target)
    if src.id == dst.id:
        raise QualcodeError(f"cannot merge {src.id!r} into itself")
    for child in new.children(src.id):
        holds_target = child.id == dst.id or dst.id in new.descendants(child.id)
        child.parent = src.parent if holds_target else dst.id
    new.codes = [c for c in new.codes if c is not src]
    _repoint(new, src.id, dst.id)
    new.merged[src.id] = dst.id
    return _done(new)


def remove_code(book: Codebook, code_id: str, codings: str) -> Codebook:
    """Remove a code; its children move up to its parent. ``codings`` says what becomes of its codings:
    ``reassign:ID`` (they count as ID: a merge), ``drop`` (no longer counted, for every coder) or
    ``keep-orphaned`` (kept with the old id; `qualcode check` lists them)."""
    if codings.startswith("reassign:"):
        return merge_codes(book, code_id, codings.split(":", 1)[1])
    if codings not in ("drop", "keep-orphaned"):
        raise QualcodeError(f"--codings {codings!r} is not one of {', '.join(CODINGS_CHOICES)}")
    new = _copy(book)
    code = _need(new, code_id)
    for child in new.children(code.id):
        child.parent = code.parent
    new.codes = [c for c in new.codes if c is not code]
    if codings == "drop":
        _repoint(new, code.id, None)
        new.dropped.append(code.id)
    return _done(new)


def renamed_to(book: Codebook, code_id: str) -> str:
    """The id ``code_id``'s code has now when only its id changed since (``renamed:``, a chain of renames
    followed), else ``code_id`` (still there, or merged, removed or unknown)."""
    now, seen = code_id, {code_id}
    while now not in book and book.renamed.get(now) not in (None, *seen):
        now = book.renamed[now]
        seen.add(now)
    return now if now in book else code_id


def differences(old: Codebook, new: Codebook) -> dict[str, list[str]]:
    """What changed between two codebooks (for messages and for no-op checks): ids ``added``,
    ``removed`` and ``changed``, and ``renamed``: ``"X to Y"`` for a code whose id changed (``new``
    records ``X`` as renamed to ``Y``, chains followed), which is then neither added nor removed (and
    is ``changed`` as ``Y`` only when more than its id changed). A parent's new id is no change of
    its children."""
    renames: dict[str, str] = {}
    for code in old.codes:
        now = renamed_to(new, code.id)
        if now != code.id and now not in old and now not in renames.values():
            renames[code.id] = now
    before = {renames.get(c.id, c.id): c for c in old.codes}
    names = [f.name for f in fields(Code) if f.name not in ("line", "id", "parent")]
    changed = [c.id for c in new.codes if c.id in before and (
        any(getattr(c, n) != getattr(before[c.id], n) for n in names)
        or c.parent != renames.get(before[c.id].parent, before[c.id].parent))]
    return {"added": [c.id for c in new.codes if c.id not in before],
            "removed": [c.id for c in old.codes if c.id not in new and c.id not in renames],
            "renamed": [f"{was} to {now}" for was, now in renames.items()], "changed": changed}


def resolve_codings(codings, book: Codebook, ids=None) -> int:
    """Make a coder's codings (a ``CodingSet``) use today's ids: codes recorded as renamed or merged
    count as their new code, codings of dropped codes are left out. The journal is not touched.
    ``ids``: only these codings (after an operation). Returns how many codings changed."""
    if not (book.renamed or book.merged or book.dropped):
        return 0
    changed = 0
    for cid in list(codings.codings) if ids is None else [i for i in ids if i in codings.codings]:
        c = codings.codings[cid]
        code = book.resolve_code(c.code)
        if code == c.code:
            continue
        changed += 1
        if code is None:
            del codings.codings[cid]
            codings.by_transcript.get(c.transcript, {}).pop(cid, None)
        else:
            c = c._replace(code=code)
            codings.codings[cid] = c
            codings.by_transcript.setdefault(c.transcript, {})[cid] = c
    return changed


def op_coding_ids(op: dict) -> list[str]:
    """The ids of the codings a journal operation touches (``undo`` and ``redo``: unknown, so None)."""
    kind = op.get("op")
    if kind == "add":
        return [op["coding"]["id"]]
    if kind == "batch":
        return [i for sub in op["ops"] for i in op_coding_ids(sub) or []]
    if kind in ("undo", "redo"):
        return None
    return [op["id"]] if "id" in op else []
