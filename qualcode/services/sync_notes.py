"""What ``qualcode sync`` says about what its merge decided in the codebook, naming the coders.

In a merge being made (``MERGE_HEAD``), ``sync._finish_merge`` asks here for notes on the codebook:

- each conflict the codebook driver recorded: who had which value, which one the codebook keeps for
  now, and which ``--take`` of ``qualcode codebook resolve`` gives whose (the records keep the names,
  ``kept_by`` and ``other_by``, and ``qualcode check`` says them too);
- a code added (or moved) under a parent that another machine removed: the code and its codings are
  kept, where that machine put the parent's other codes (``codebook_merge._new_home``), and the note
  says where and how to move it;
- two choices on one codebook conflict, made on two machines, that disagree: which one stood, over
  whose.

The notes go into the merge's commit message, so every machine the merge reaches reads them: they
name people, never "this machine", "mine" or "theirs" alone. Who: the coder a sync commit names
(``qualcode sync: CODER on HOST``), else the commit's git author, of the commits on each side since
the common version that changed the file (``sides``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from qualcode.services import sync

_SYNC_SUBJECT = re.compile(r"^qualcode sync: (.+) on \S+$")


def merge_base(root: Path) -> str:
    """The common version of the merge being made ("" when the histories share none)."""
    return sync.git(root, "merge-base", "HEAD", "MERGE_HEAD", check=False).stdout.strip()


def _people(root: Path, base: str, rev: str, path: str) -> list[tuple[str, str]]:
    """(coder, git author) of the commits in ``base..rev`` that changed ``path``, oldest first, each once."""
    span = f"{base}..{rev}" if base else rev
    log = sync.git(root, "log", "--reverse", "--no-merges", "--format=%an%x1f%s", span, "--", path,
                   check=False).stdout
    out: list[tuple[str, str]] = []
    for line in log.splitlines():
        author, _, subject = line.partition("\x1f")
        said = _SYNC_SUBJECT.match(subject.strip())
        who = (said.group(1) if said else author).strip(), author.strip()
        if who[0] and who not in out:
            out.append(who)
    return out


def sides(root: Path, base: str, path: str) -> tuple[str, str]:
    """Who changed ``path`` on this side of the merge and who on the other, in words ("ben"; "ana
    (ana-laptop)" and "ana (ana-office)" for one coder on two machines)."""
    found = [_people(root, base, rev, path) for rev in ("HEAD", "MERGE_HEAD")]
    names = [" and ".join(dict.fromkeys(c for c, _ in p)) for p in found]
    if names[0] and names[0] == names[1]:  # one coder on two machines: say which machine, as git knows it
        authors = [", ".join(dict.fromkeys(a for _, a in p)) for p in found]
        if authors[0] != authors[1]:
            return tuple(f"{n} ({a})" for n, a in zip(names, authors))
        return f"{names[0]} (one machine)", f"{names[1]} (another machine)"
    return names[0] or "one machine", names[1] or "another machine"


def _book(root: Path, rev: str | None, path: str):
    """The codebook ``path`` as ``rev`` has it (None: the file in the folder); None when unreadable."""
    from qualcode.errors import QualcodeError
    from qualcode.formats.codebook_yaml import parse_codebook

    try:
        data = sync._show(root, rev, path) if rev else (root / path).read_bytes()
        return parse_codebook(data.decode("utf-8-sig"), path) if data.strip() else None
    except (OSError, UnicodeDecodeError, QualcodeError):
        return None


def codebook_notes(root: Path, codebook: str) -> list[str]:
    """In a merge being made: the notes above, in words. Also adds the conflicts this merge's codebook
    driver recorded to their file, with who had each value (``codebook_merge.apply_pending``)."""
    from qualcode.store.codebook_merge import apply_pending, extra_values, open_conflicts, pending_conflicts

    base = merge_base(root)
    named: dict[str, tuple[str, str]] = {}
    found: dict[str, dict] = {}

    def who(conflicts_file: str) -> tuple[str, str]:
        if conflicts_file not in named:
            named[conflicts_file] = sides(root, base, conflicts_file[:-len(".conflicts")])
        return named[conflicts_file]

    def names(conflicts_file: str, record: dict) -> dict:
        if _lost_shortcut(record):
            return {}
        key = conflicts_file + json.dumps(record, sort_keys=True, ensure_ascii=False)
        if key not in found:
            found[key] = writers(root, base, conflicts_file[:-len(".conflicts")], record, who(conflicts_file))
        return found[key]

    pending = pending_conflicts(root)
    said = [(f, record, names(f, record)) for f, record in pending]
    apply_pending(root, names)
    notes = []
    for f, record, by in said:
        extra = next((extra_values(c) for _, c in open_conflicts(root / f[:-len(".conflicts")])
                      if c is not None and (c.get("code"), c.get("field")) == (record.get("code"), record.get("field"))),
                     [])
        notes.append(_conflict_words(record, by.get("kept_by", ""), by.get("other_by", ""), extra))
    moved, chosen = (base and _changed_on_both(root, base, path) for path in (codebook, codebook + ".conflicts"))
    if not (moved or chosen):
        return notes
    books = [_book(root, rev, codebook) for rev in (base, "HEAD", "MERGE_HEAD", None)]
    if all(books):
        if moved:
            notes += placed_elsewhere(root, base, codebook, books[:3], books[3])
        if chosen:
            notes += clashing_choices(root, base, codebook, books[1:3], books[3])
    return notes


def writers(root: Path, base: str, path: str, record: dict, both: tuple[str, str]) -> dict:
    """Who had each value of a conflict the codebook driver recorded (``kept_by``, ``other_by``): for a
    field's value, the coder whose commit on that side wrote it (the merge's other side can hold the
    work of several people: alice's value is not "bob and alice"'s); else (what became of a code, a
    value no commit of the side wrote) whoever changed the codebook on that side (``both``)."""
    from qualcode.store.codebook_merge import NOT_VALUES

    code, field = str(record.get("code")), str(record.get("field"))
    if field in NOT_VALUES:
        return {"kept_by": both[0], "other_by": both[1]}
    kept = _writer(root, base, "HEAD", path, code, field, record.get("kept"))
    other = _writer(root, base, "MERGE_HEAD", path, code, field, record.get("other"))
    if not kept or not other or kept == other:  # one coder on two machines: told apart by machine
        return {"kept_by": kept if kept and kept != other else both[0], "other_by": other if other and other != kept else both[1]}
    return {"kept_by": kept, "other_by": other}


def _writer(root: Path, base: str, rev: str, path: str, code: str, field: str, value) -> str | None:
    """The coder of the latest commit in ``base..rev`` that set ``field`` of ``code`` to ``value`` (None:
    none did)."""
    span = f"{base}..{rev}" if base else rev
    log = sync.git(root, "log", "--no-merges", "--format=%H%x1f%an%x1f%s", span, "--", path, check=False).stdout
    for line in log.splitlines():  # newest first
        if line.count("\x1f") != 2:
            continue
        commit, author, subject = line.split("\x1f", 2)
        now = _book(root, commit, path)
        if now is None or not _same(_value(now, code, field), value):
            continue
        before = _book(root, commit + "^", path)
        if before is None or not _same(_value(before, code, field), value):
            said = _SYNC_SUBJECT.match(subject.strip())
            return (said.group(1) if said else author).strip() or None
    return None


def _same(a, b) -> bool:
    return (a if a not in ("", []) else None) == (b if b not in ("", []) else None)


def still_open(root: Path, codebook: str, notes: list[str], coder: str | None = None,
               said: list[str] | tuple = ()) -> list[str]:
    """``notes`` (read from the commits a sync brought in) without the codebook conflicts chosen on since
    they were noted: a conflict is open while it was recorded after the last choice on its code and
    field (``codebook_merge.open_conflicts``, as ``qualcode check`` says it). A conflict this sync's own
    notes (``said``) already tell is not told again; one between others than ``coder`` is told as theirs
    ("alice and bob edited ... differently"), from its record as it stands (every value still open), once."""
    from qualcode.store.codebook_merge import extra_values, open_conflicts

    prefix = "codebook conflict on "
    if not any(n.startswith(prefix) for n in notes):
        return notes
    told = {f"{prefix}{_subject(str(c['code']), str(c['field']))}:": c for _, c in open_conflicts(Path(root) / codebook)
            if c is not None and "code" in c and "field" in c}
    out, done = [], {head for head in told if any(n.startswith(head) for n in said)}
    for n in notes:
        head = next((h for h in told if n.startswith(h)), None) if n.startswith(prefix) else ""
        if head is None or head in done:
            continue  # chosen on since, or told already
        if head:
            done.add(head)
            record = told[head]
            who = [str(record.get(k) or "") for k in ("kept_by", "other_by")] + \
                [str(v.get("by") or "") for v in extra_values(record)]
            if coder and all(w and w != coder and not w.startswith(coder + " (") for w in who):
                n = _conflict_words(record, who[0], who[1], extra_values(record), others=True)
        out.append(n)
    return out


def _changed_on_both(root: Path, base: str, path: str) -> bool:
    """Whether both sides of the merge being made changed ``path`` since ``base``."""
    was = sync._show(root, base, path)
    return all(sync._show(root, rev, path) != was for rev in ("HEAD", "MERGE_HEAD"))


def _lost_shortcut(record: dict) -> bool:
    """The record of a key given to two codes on two machines (the later code lost it): no side kept it."""
    return record.get("field") == "shortcut" and record.get("kept") is None and record.get("base") is None


def _subject(code: str, field: str) -> str:
    if code == "(codebook)":
        return f"the codebook's {field}"
    return {"became": f"what became of code {code}", "removed": f"code {code} (removed on one machine, changed on "
            "the other)"}.get(field, f"{field} of code {code}")


def _conflict_words(record: dict, kept_by: str, other_by: str, extra: list[dict] | None = None,
                    others: bool = False) -> str:
    """A conflict the codebook driver recorded, in words; ``others``: told on a machine that had none of
    its values (said as the others' conflict, the value kept named as the codebook's)."""
    from qualcode.services.conflicts import show
    from qualcode.store.codebook_merge import take_words

    code, field = str(record.get("code")), str(record.get("field"))
    if _lost_shortcut(record):
        return (f"codebook: {code} and another code were given the key {record.get('other')!r} on two machines; "
                f"the other code keeps it: give {code} another with `qualcode codebook edit {code} --shortcut KEY`")
    kept_by, other_by = kept_by or "one machine", other_by or "another machine"
    extra = extra or []
    earlier = "".join(f", {v['by'] or 'an earlier merge'} had {show(v['value'])}" for v in extra)
    takes = "".join(f"; {take_words(code, field, v)} takes {v['by']}'s" if v["take"] else
                    f"; to take {v['by'] or 'the earlier merge'}'s: {take_words(code, field, v)}"
                    for v in _extra_choices(record, kept_by, other_by, extra))
    if others:
        names = [kept_by, other_by] + [v["by"] or "an earlier merge" for v in extra]
        return (f"codebook conflict on {_subject(code, field)}: {', '.join(names[:-1])} and {names[-1]} edited it "
                f"differently ({kept_by} had {show(record.get('kept'))}, {other_by} had {show(record.get('other'))}"
                f"{earlier}); the codebook keeps {kept_by}'s until someone chooses: `qualcode codebook resolve "
                f"{code} {field} --take mine` keeps {kept_by}'s, `--take theirs` takes {other_by}'s{takes}")
    return (f"codebook conflict on {_subject(code, field)}: {kept_by} had {show(record.get('kept'))}, {other_by} had "
            f"{show(record.get('other'))}{earlier}{' (from an earlier merge, still open)' if extra else ''}; "
            f"the codebook keeps {kept_by}'s until someone chooses: `qualcode codebook "
            f"resolve {code} {field} --take mine` keeps {kept_by}'s, `--take theirs` takes {other_by}'s{takes}")


def _extra_choices(record: dict, kept_by: str, other_by: str, extra: list[dict]) -> list[dict]:
    """``codebook_merge.choices`` of the earlier merges' values ``extra``, for a record that may not yet
    hold them or its names (a merge's own record, before ``apply_pending`` added them)."""
    from qualcode.store.codebook_merge import choices

    return choices({**record, "kept_by": kept_by, "other_by": other_by,
                    "values": [{"value": record.get("kept")}, {"value": record.get("other")}, *extra]})[2:]


def placed_elsewhere(root: Path, base: str, codebook: str, books, merged) -> list[str]:
    """Each code that one side added (or moved) under a parent the other side removed, merged away or
    dropped: where it is now, and how to move it."""
    was, ours, theirs = books
    out, seen, who = [], set(), None
    for code in merged.codes:
        for side, (this, other) in ((ours, (0, 1)), (theirs, (1, 0))):
            had = side.get(code.id)
            parent = had.parent if had else None
            if code.id in seen or not parent or parent not in was or _alive(merged, parent):
                continue
            before = was.get(code.id)
            if before is not None and before.parent == parent:
                continue  # under it already: the removal moved it, as it moves every child
            seen.add(code.id)
            who = who or sides(root, base, codebook)
            gone = (f"merged {parent} into {merged.merged[parent]}" if parent in merged.merged
                    else f"removed {parent} with its codings" if parent in merged.dropped else f"removed {parent}")
            now = (f"under {code.parent} (“{merged.get(code.parent).name}”)" if code.parent in merged
                   else "at the top level")
            out.append(f"code {code.id} (“{code.name}”) was {'added' if before is None else 'moved'} under {parent} "
                       f"by {who[this]} while {who[other]} {gone}; {code.id} is kept with its codings, now {now}. "
                       f"To put it elsewhere: `qualcode codebook move {code.id} --under PARENT` (or `--top`)")
    return out


def _alive(book, code_id: str) -> bool:
    """``code_id`` is a code of ``book``, under its id or a new one (``renamed``)."""
    return code_id in book or (code_id in book.renamed and book.resolve_code(code_id) in book)


def _choices(text: bytes, before: set[bytes]) -> dict[tuple[str, str], str]:
    """The choices (``resolved`` lines) in a conflicts file's ``text`` that ``before`` lacks: (code, field) ->
    mine or theirs, the latest of each."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for line in text.splitlines():
        if line in before or b'"resolved"' not in line:
            continue
        try:
            c = json.loads(line)
            key, at = (str(c["code"]), str(c["field"])), str(c.get("at") or "")
        except (ValueError, KeyError, TypeError):
            continue
        if key not in out or at >= out[key][1]:
            out[key] = (str(c["resolved"]), at)
    return {key: take for key, (take, _) in out.items()}


def _value(book, code: str, field: str):
    """What ``book`` holds for a conflict's (code, field): the field's value, or what became of the code."""
    from qualcode.store.codebook_merge import FIELDS

    if code == "(codebook)":
        return getattr(book, field, None)
    c = book.get(code)
    if field in FIELDS:
        return getattr(c, field) if c is not None else None
    return c is not None, book.resolve_code(code)


def clashing_choices(root: Path, base: str, codebook: str, books, merged) -> list[str]:
    """Two machines chose differently on one codebook conflict (one kept the value, the other took the
    other one): the codebook merge keeps whichever changed the codebook, silently. Said: whose stood,
    over whose, both choices, and how to set the other."""
    from qualcode.services.conflicts import show

    path = codebook + ".conflicts"
    texts = [sync._show(root, rev, path) for rev in (base, "HEAD", "MERGE_HEAD")]
    before = set(texts[0].splitlines())
    ours, theirs = _choices(texts[1], before), _choices(texts[2], before)
    both = [key for key in ours if key in theirs]
    if not both:
        return []
    records = {}
    for line in (root / path).read_bytes().splitlines() if (root / path).exists() else []:
        try:
            c = json.loads(line)
            if "resolved" not in c:
                records[(str(c["code"]), str(c["field"]))] = c
        except (ValueError, KeyError, TypeError):
            continue
    who = sides(root, base, path)
    out = []
    for key in both:
        code, field = key
        values = [_value(book, code, field) for book in (*books, merged)]
        if values[0] == values[1]:
            continue  # the same choice, or two that came to the same codebook
        record = records.get(key, {})

        def chose(i: int) -> str:
            take = (ours, theirs)[i][key]
            if field in ("became", "removed", "renamed", "merged"):  # what the record said each meant
                return show(record.get("kept" if take == "mine" else "other"))
            return show(values[i])

        stood = [i for i in (0, 1) if values[i] == values[2]]
        said = (f"{_subject(code, field)}: {who[0]} chose {chose(0)} and {who[1]} chose {chose(1)} on the same "
                "codebook conflict, on two machines; ")
        if stood:
            win, lose = stood[0], 1 - stood[0]
            said += (f"{who[win]}'s choice stood over {who[lose]}'s. If {who[lose]}'s should stand, set it again: "
                     f"{_how(code, field, values[lose])}, then sync")
        else:
            said += f"neither stood as chosen: the codebook has {show(values[2])}; set the one you agree on, then sync"
        out.append(said)
    return out


def _how(code: str, field: str, value) -> str:
    """The command that sets ``field`` of ``code`` to ``value``, in words."""
    from qualcode.store.codebook_merge import set_command

    return set_command(code, field, value)


def who_removed(root: Path, codebook: str, code: str) -> str | None:
    """The coder whose commit removed ``code`` with its codings (the latest commit that put it in the
    codebook's ``dropped:`` record; None: not found in the recent history)."""
    log = sync.git(root, "log", "--no-merges", "-n", "200", "--format=%H%x1f%an%x1f%s", "--", codebook,
                   check=False).stdout
    for line in log.splitlines():  # newest first
        if line.count("\x1f") != 2:
            continue
        commit, author, subject = line.split("\x1f", 2)
        now, before = _book(root, commit, codebook), _book(root, commit + "^", codebook)
        if now is not None and code in now.dropped and (before is None or code not in before.dropped):
            said = _SYNC_SUBJECT.match(subject.strip())
            return (said.group(1) if said else author).strip() or None
    return None

