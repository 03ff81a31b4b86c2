"""Three-way merge of two copies of the codebook (git's merge driver for ``codebooks/*.yaml``).

Per code (by id) and per field, against the common ancestor: a field changed on one side only takes
that side's value; changed alike on both, that value; changed two ways, a conflict. The records
``renamed:``, ``merged:`` and ``dropped:`` say what became of an old id; they are merged per id the same
way. An id changed two ways (its id changed on one machine and merged, removed or given another id on
the other) is a conflict that keeps ours, and the other side's new id is recorded to lead where ours
went, so codings made on either machine keep a code. A code one side renamed keeps the other side's
edits under its new id, and a code one side merged or dropped away is gone (codings made with its id,
by anyone, resolve through the record to the code it went into). A code deleted on one side and
edited on the other is kept, and said so.

Conflicts keep our value in the codebook (our file is updated in place, its comments kept) and are written, one JSON object per line, to
``<codebook>.conflicts`` beside it (committed with the merge); ``qualcode check`` lists each with the
other value, and the user chooses with ``qualcode codebook resolve`` or the workbench
(``services.conflicts``), which removes it from the file. A merge whose result
is not a valid codebook (a cycle of parents, say) is left to git as a text conflict.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, replace
from pathlib import Path

from qualcode.domain.codebook import Code, Codebook, validate
from qualcode.errors import Problem, QualcodeError
from qualcode.store.atomic import write_atomic

FIELDS = [f.name for f in fields(Code) if f.name not in ("id", "line")]


def conflicts_path(codebook: Path) -> Path:
    return codebook.with_name(codebook.name + ".conflicts")


def _follow(book_records: dict, code_id: str) -> str:
    seen = {code_id}
    while code_id in book_records and book_records[code_id] not in seen:
        code_id = book_records[code_id]
        seen.add(code_id)
    return code_id


def three_way(base, ours, theirs) -> tuple[object, bool]:
    """The merged value of one thing changed on either side, and whether it was changed two ways (then
    ours is kept)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return ours, True


def _pick(name: str, base, ours, theirs, where: str, conflicts: list[dict]):
    value, twice = three_way(base, ours, theirs)
    if twice:
        conflicts.append({"code": where, "field": name, "kept": ours, "other": theirs, "base": base})
    return value


def fate(book: Codebook, code_id: str) -> tuple[str, str | None] | None:
    """What a codebook's records say became of ``code_id``: ("renamed", new id), ("merged", target),
    ("dropped", None), or None (no record: a live code, or one removed keeping its codings)."""
    if code_id in book.renamed:
        return ("renamed", book.renamed[code_id])
    if code_id in book.merged:
        return ("merged", book.merged[code_id])
    if code_id in book.dropped:
        return ("dropped", None)
    return None


def fate_words(f) -> str:
    if not f:
        return "kept as it was"
    kind, to = f
    return {"renamed": f"id changed to {to}", "merged": f"merged into {to}"}.get(kind, "removed with its codings")


def _merge_records(base: Codebook, ours: Codebook, theirs: Codebook, conflicts: list[dict]):
    """Per old id, three-way, what became of it: changed on one side only, that side's fate; changed
    two ways (its id changed on one machine, merged on the other, say), ours is kept and the other
    side's new id is recorded to lead where ours went, so that nobody's codings are left without a
    code. Returns (renamed, merged, dropped, codes whose fate was contested and kept on our side)."""
    keys = list(dict.fromkeys([*ours.renamed, *ours.merged, *ours.dropped, *theirs.renamed, *theirs.merged,
                               *theirs.dropped, *base.renamed, *base.merged, *base.dropped]))
    chosen: dict[str, tuple] = {}
    two_ways: list[tuple[str, tuple | None, tuple | None, tuple | None]] = []
    for x in keys:
        fb, fo, ft = fate(base, x), fate(ours, x), fate(theirs, x)
        f, twice = three_way(fb, fo, ft)
        if twice:
            two_ways.append((x, fb, fo, ft))
        if f:
            chosen[x] = f
    # their new id (a code they renamed that we merged, removed or renamed otherwise): its codings,
    # made on their machine, go where ours went
    lead = {ft[1]: (fo if fo else ("renamed", x)) for x, _, fo, ft in two_ways
            if ft and ft[0] == "renamed" and ft[1] not in chosen}
    chosen.update(lead)
    kept = []
    contested = {x: (fo, ft) for x, _, fo, ft in two_ways}
    for x, fb, fo, ft in two_ways:
        if fb and fb[0] != "dropped" and contested.get(fb[1]) == (fo, ft):
            continue  # an older record that led to the contested code, repointed alike: said once
        kept.append(fo)
        conflicts.append({"code": x, "field": "became", "kept": fate_words(fo), "other": fate_words(ft),
                          "base": fate_words(fb), "kept_fate": list(fo) if fo else None,
                          "other_fate": list(ft) if ft else None})
    renamed = {k: f[1] for k, f in chosen.items() if f[0] == "renamed"}
    merged = {k: f[1] for k, f in chosen.items() if f[0] == "merged"}
    dropped = [k for k, f in chosen.items() if f[0] == "dropped"]
    return renamed, merged, dropped, kept


def merge_codebooks(base: Codebook | None, ours: Codebook, theirs: Codebook) -> tuple[Codebook, list[dict]]:
    """The merged codebook and its conflicts (each: code, field, kept, other, base)."""
    conflicts: list[dict] = []
    base = base or Codebook()
    renames, merged_record, dropped, kept_fates = _merge_records(base, ours, theirs, conflicts)
    gone = set(merged_record) | set(dropped)

    def canon(book: Codebook) -> dict[str, Code]:
        out = {}
        for c in book.codes:
            cid = _follow(renames, c.id)
            parent = _follow(renames, c.parent) if c.parent else None
            out[cid] = replace(c, id=cid, parent=parent, line=None)
        return out

    b, o, t = canon(base), canon(ours), canon(theirs)
    for c in conflicts:  # their new code, should someone take theirs later: kept in the conflict
        f = c.get("other_fate")
        if c["field"] == "became" and f and f[0] == "renamed" and f[1] in t and f[1] in gone:
            c["other_code"] = {k: v for k, v in asdict(t[f[1]]).items() if k != "line"}
    for f in kept_fates:  # our new id won over their merge or removal: on their side it stands as it was
        if f and f[0] == "renamed" and f[1] not in t and f[1] in b:
            t[f[1]] = b[f[1]]
    order = list(o) + [cid for cid in t if cid not in o]
    codes: list[Code] = []
    for cid in order:
        if cid in gone:
            edited = next((side[cid] for side in (t, o) if cid in side and cid in b and side[cid] != b[cid]), None)
            if edited is not None:  # edited on one machine, merged or dropped on the other: the edit is kept here
                changes = "; ".join(f"{n}: {getattr(edited, n)!r}" for n in FIELDS
                                    if getattr(edited, n) != getattr(b[cid], n))
                fate_now = (f"merged into {merged_record[cid]}" if cid in merged_record else "removed with its codings")
                conflicts.append({"code": cid, "field": "removed", "kept": fate_now,
                                  "other": f"edited on the other machine ({changes})", "base": None,
                                  "other_code": {k: v for k, v in asdict(edited).items() if k != "line"}})
            continue
        mine, other, old = o.get(cid), t.get(cid), b.get(cid)
        if mine is None or other is None:
            present = mine or other
            # a new id given on the side that kept the code is an edit too (renamed there, removed here)
            given = {_follow(renames, v) for x, v in (ours if mine else theirs).renamed.items() if base.renamed.get(x) != v}
            if old is None:
                codes.append(present)  # added on one side
            elif present != old or cid in given:
                codes.append(present)  # deleted on one side, edited on the other: kept
                conflicts.append({"code": cid, "field": "removed", "kept": "the edited code",
                                  "other": "deleted", "base": None})
            continue  # deleted on one side, untouched on the other
        values = {name: _pick(name, getattr(old, name) if old else None, getattr(mine, name), getattr(other, name),
                              cid, conflicts)
                  for name in FIELDS}
        codes.append(Code(id=cid, **values))
    ids = {c.id for c in codes}
    codes = [replace(c, parent=_new_home(c.parent, ids, merged_record, renames, (b, o, t)))
             if c.parent and c.parent not in ids else c for c in codes]
    book = Codebook(codes=_tree_order(codes), name=_pick("name", base.name, ours.name, theirs.name, "(codebook)", conflicts),
                    description=_pick("description", base.description, ours.description, theirs.description,
                                      "(codebook)", conflicts),
                    path=ours.path, renamed=renames, merged=merged_record, dropped=dropped)
    return book, conflicts


def _new_home(parent: str, ids: set[str], merged: dict, renames: dict, books) -> str | None:
    """Where a code goes whose parent the merge removed (a code added under it on one machine while
    another machine removed it): where that machine's ``codebook merge`` or ``remove`` moved the
    parent's other children, into the code it was merged into, else up to its own parent (as any
    version had it); None: the top level. ``qualcode sync`` says so (``sync_notes``)."""
    seen = set()
    while parent and parent not in ids and parent not in seen:
        seen.add(parent)
        up = merged.get(parent) or next((book[parent].parent for book in books if parent in book), None)
        parent = _follow(renames, up) if up else None
    return parent if parent in ids else None


def _tree_order(codes: list[Code]) -> list[Code]:
    """Parents before children (file order otherwise), as the YAML tree is written."""
    kids: dict[str | None, list[Code]] = {}
    for c in codes:
        kids.setdefault(c.parent, []).append(c)
    out: list[Code] = []
    stack = list(reversed(kids.get(None, [])))
    seen = set()
    while stack:
        c = stack.pop()
        if c.id in seen:
            continue
        seen.add(c.id)
        out.append(c)
        stack.extend(reversed(kids.get(c.id, [])))
    out.extend(c for c in codes if c.id not in seen)  # a cycle: left for validation to refuse
    return out


def merge_files(base: Path, ours: Path, theirs: Path, name: str, pending: Path | None = None) -> int:
    """git's driver: 0 with the merged codebook in ``ours`` (conflicts beside it as ``<name>.conflicts``,
    relative to the working folder git runs drivers in), 1 to leave a text conflict to git."""
    from qualcode.formats.codebook_yaml import parse_codebook, save_codebook

    try:
        texts = [p.read_bytes().decode("utf-8-sig") if p.exists() else "" for p in (base, ours, theirs)]
        b = parse_codebook(texts[0], str(base)) if texts[0].strip() else None
        o = parse_codebook(texts[1], str(ours))
        t = parse_codebook(texts[2], str(theirs))
    except (QualcodeError, UnicodeDecodeError, OSError):
        return 1  # a side git cannot read as a codebook: a text merge, for a person
    book, conflicts = merge_codebooks(b, o, t)
    shortcuts: dict[str, str] = {}
    for i, c in enumerate(book.codes):  # the same key given to two codes: the second loses it
        if c.shortcut and c.shortcut in shortcuts:
            conflicts.append({"code": c.id, "field": "shortcut", "kept": None, "other": c.shortcut, "base": None})
            book.codes[i] = replace(c, shortcut=None)
        elif c.shortcut:
            shortcuts[c.shortcut] = c.id
    book.reindex()
    if validate(book):
        return 1
    try:
        save_codebook(book, ours)  # our file updated in place: its comments and key order kept
    except QualcodeError:
        return 1
    if conflicts:
        at = _now()
        for c in conflicts:
            c["at"] = at
        target = conflicts_path(Path(name))
        lines = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in conflicts)
        if pending is not None and pending.parent.is_dir():
            # not into the work tree: the other side may add the conflicts file in this same merge, and
            # git then refuses the merge for an untracked file in the way; ``apply_pending`` moves them
            _append(pending, "".join(json.dumps({"file": str(target), "line": line}) + "\n"
                                           for line in lines.splitlines()))
        else:
            _append(target, lines)
    return 0


PENDING = ".git/qualcode-conflicts-pending.jsonl"
"""Conflicts a codebook merge recorded, waiting to be added to their conflicts file (``apply_pending``)."""


def _append(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    write_atomic(path, old + ("" if not old or old.endswith("\n") else "\n") + text)


def _pending_rows(root: Path) -> list[tuple[str, str]] | None:
    """(conflicts file, line) for each conflict waiting in ``PENDING``; None: no such file, or unreadable
    (left where it is; nothing depends on it)."""
    try:
        rows = [json.loads(line) for line in (root / PENDING).read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return [(row["file"], row["line"]) for row in rows
            if isinstance(row, dict) and isinstance(row.get("file"), str) and isinstance(row.get("line"), str)]


def pending_conflicts(root: Path) -> list[tuple[str, dict]]:
    """The conflicts a codebook merge recorded and ``apply_pending`` has not yet added: (conflicts file
    relative to ``root``, record)."""
    out = []
    for rel, line in _pending_rows(root) or []:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            out.append((rel, record))
    return out


def apply_pending(root: Path, names=None) -> list[str]:
    """Add the conflicts a codebook merge left waiting to their files (after the merge: ``qualcode
    sync`` before it commits, any project opened after a plain `git pull`). ``names(file, record)``,
    when given, is added to each record (who had the value kept and who the other: ``kept_by``,
    ``other_by``). Returns the files changed, relative to ``root``."""
    rows = _pending_rows(root)
    if rows is None:
        return []
    by_file: dict[str, list[str]] = {}
    for rel, line in rows:
        try:
            record = json.loads(line) if names else None
        except ValueError:
            record = None
        extra = names(rel, record) if isinstance(record, dict) else None
        if extra:
            line = json.dumps({**record, **extra}, ensure_ascii=False)
        by_file.setdefault(rel, []).append(line)
    changed = []
    for rel, lines in by_file.items():
        target = (root / rel).resolve()
        if root.resolve() not in target.parents:
            continue
        _append(target, "".join(line + "\n" for line in lines))
        changed.append(str(target.relative_to(root.resolve())))
    (root / PENDING).unlink(missing_ok=True)
    return changed


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def open_conflicts(codebook: Path) -> list[tuple[int, dict | None]]:
    """The conflicts still open, as (line number, record), the latest record of each (code, field),
    in file order; an unreadable line comes as (line number, None).

    The file only grows, so that git's union merge of two machines' copies loses nothing: choosing
    appends a line ``{"code", "field", "resolved": ..., "at"}`` (``services.conflicts``), and a
    conflict is open while it was recorded after the last choice on its (code, field). (Removing the
    chosen line instead let a union merge of two machines' choices bring both back.)

    A record of a field's values also holds ``values``: every distinct value still open on its (code,
    field), with who had it, earlier merges' included (``_values``), so that a third machine's merge
    leaves the value nobody has chosen against yet choosable."""
    try:
        lines = conflicts_path(codebook).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    latest: dict[tuple, tuple[int, dict]] = {}
    chosen: dict[tuple, str] = {}
    records: dict[tuple, list[dict]] = {}  # every record of each (code, field), in file order
    broken = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            c = json.loads(line)
            key = (str(c["code"]), str(c["field"]))
        except (ValueError, KeyError, TypeError):
            broken.append((n, None))
            continue
        at = str(c.get("at") or "")
        if "resolved" in c:
            chosen[key] = max(chosen.get(key, ""), at)
        else:
            records.setdefault(key, []).append(c)
            if key not in latest or at >= str(latest[key][1].get("at") or ""):
                latest[key] = (n, c)
    found = [(n, c) for key, (n, c) in latest.items() if key not in chosen or str(c.get("at") or "") > chosen[key]]
    for n, c in found:
        key = (str(c["code"]), str(c["field"]))
        earlier = [r for r in records.get(key, []) if r is not c and str(r.get("at") or "") > chosen.get(key, "")]
        if key[1] not in NOT_VALUES and not _lost(c):
            c["values"] = _values([c, *sorted(earlier, key=lambda r: str(r.get("at") or ""), reverse=True)])
    return sorted(found + broken, key=lambda item: item[0])


NOT_VALUES = ("became", "removed", "renamed", "merged")
"""Conflicts whose kept and other are what became of a code, in words, rather than two values of a field."""


def _lost(record: dict) -> bool:
    """The record of a key given to two codes on two machines (the later code lost it): no side kept it."""
    return record.get("field") == "shortcut" and record.get("kept") is None and record.get("base") is None


def _values(records: list[dict]) -> list[dict]:
    """Every distinct value the open records of one (code, field) hold, each once with who had it
    (``by``: None when no sync named them): the latest record's kept first, then its other, then the
    values of records still open from earlier merges (a third machine that changed the field after two
    others had: its merge records its value against one of theirs, and the other one stays choosable)."""
    out: list[dict] = []
    seen: set[str] = set()
    for r in records:
        for value, by in ((r.get("kept"), r.get("kept_by")), (r.get("other"), r.get("other_by"))):
            key = json.dumps(value if value not in ("", []) else None, sort_keys=True, ensure_ascii=False)
            if key in seen:
                continue
            seen.add(key)
            out.append({"value": value, "by": by if isinstance(by, str) and by else None})
    return out


def extra_values(record: dict) -> list[dict]:
    """The values of a conflict (as ``open_conflicts`` gives it) that neither ``--take mine`` nor
    ``--take theirs`` gives: those recorded by earlier merges still open (see ``_values``)."""
    return list(record.get("values") or [])[2:]


def choices(record: dict) -> list[dict]:
    """Every value of a conflict (as ``open_conflicts`` gives it), the value kept first, then the other
    side's, then those of earlier merges still open, each ``{"value", "by", "take"}``: ``take`` is what
    ``qualcode codebook resolve --take`` gives it by: the name of who had it (when that names one value
    alone), else ``mine`` or ``theirs`` for the first two; None for an earlier merge's value nobody was
    named for (set it by hand, then take mine: ``set_command``)."""
    values = [{"value": record.get("kept"), "by": record.get("kept_by")},
              {"value": record.get("other"), "by": record.get("other_by")}] + extra_values(record)
    names = [str(v["by"]).casefold() if isinstance(v["by"], str) and v["by"] else None for v in values]
    out = []
    for i, (v, name) in enumerate(zip(values, names)):
        unique = name is not None and name not in ("mine", "theirs") and names.count(name) == 1
        out.append({"value": v["value"], "by": v["by"] if name else None,
                    "take": v["by"] if unique else ("mine", "theirs")[i] if i < 2 else None})
    return out


def take_flag(take: str) -> str:
    """``--take NAME`` as typed in a shell (a name with spaces or brackets quoted)."""
    import re

    return f"--take {take}" if re.fullmatch(r"[\w.@+-]+", take) else f"--take {json.dumps(take, ensure_ascii=False)}"


def take_words(code: str, field: str, v: dict) -> str:
    """How to take one of the earlier merges' values (``choices``): `--take NAME`, else by hand."""
    if v["take"]:
        return f"`{take_flag(v['take'])}`"
    return f"{set_command(code, field, v['value'])}, then `--take mine`"


def set_command(code: str, field: str, value) -> str:
    """The command that sets ``field`` of ``code`` to ``value``, in words."""
    flags = {"examples": "--example", "keywords": "--keyword"}
    from qualcode.domain.codebook_edit import EDITABLE

    if code != "(codebook)" and field in EDITABLE:
        if isinstance(value, list):
            given = " ".join(f"{flags[field]} {json.dumps(v, ensure_ascii=False)}" for v in value)
        elif value in (None, ""):
            return f"`qualcode codebook edit {code} --clear {field}`"
        else:
            given = f"--{field} {json.dumps(value, ensure_ascii=False)}"
        return f"`qualcode codebook edit {code} {given or '--clear ' + field}`"
    if code != "(codebook)" and field == "parent":
        return f"`qualcode codebook move {code} " + (f"--under {value}`" if value else "--top`")
    return "change the codebook (`qualcode codebook`; the workbench's codebook editor)"


def record_choice(codebook: Path, code: str, field: str, take: str) -> None:
    """Append the choice on a conflict (see ``open_conflicts``)."""
    line = json.dumps({"code": code, "field": field, "resolved": take, "at": _now()}, ensure_ascii=False)
    _append(conflicts_path(codebook), line + "\n")


def conflict_findings(codebook: Path) -> list[Problem]:
    """One finding per conflict a codebook merge recorded and nobody has chosen on yet (``qualcode check``),
    every value still choosable named with who had it and how to take it."""
    path = conflicts_path(codebook)
    out = []
    for n, c in open_conflicts(codebook):
        try:
            if c is None:
                raise ValueError
            what = "the code" if c["field"] == "became" else c["field"]
            kept_by, other_by = c.get("kept_by"), c.get("other_by")
            extra = extra_values(c)
            if isinstance(kept_by, str) and isinstance(other_by, str):  # who had each (recorded by a sync)
                told = (f"kept {kept_by}'s {c['kept']!r} (`--take mine`), {other_by}'s was {c['other']!r} "
                        "(`--take theirs`)")
            else:
                told = f"kept {c['kept']!r}, the other side had {c['other']!r}"
            told += "".join(f", {v['by'] or 'an earlier merge'}'s was {v['value']!r} (to take it: "
                            f"{take_words(str(c['code']), str(c['field']), v)})" for v in choices(c)[2:])
            ways = f"{len(extra) + 2} ways" if extra else "two ways"
            text = f"code {c['code']}: {what} was changed {ways} when the codebook was merged; {told}"
        except (ValueError, KeyError, TypeError):
            text = "a line this file should hold is unreadable"
        out.append(Problem(text + "; choose with `qualcode codebook resolve` (or the workbench's "
                                  "'Codebook conflicts')", str(path), n))
    return out
