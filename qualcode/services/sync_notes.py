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
    from qualcode.store.codebook_merge import apply_pending, pending_conflicts

    base = merge_base(root)
    named: dict[str, tuple[str, str]] = {}

    def who(conflicts_file: str) -> tuple[str, str]:
        if conflicts_file not in named:
            named[conflicts_file] = sides(root, base, conflicts_file[:-len(".conflicts")])
        return named[conflicts_file]

    def names(conflicts_file: str, record: dict) -> dict:
        if _lost_shortcut(record):
            return {}
        kept_by, other_by = who(conflicts_file)
        return {"kept_by": kept_by, "other_by": other_by}

    notes = [_conflict_words(record, *who(f)) for f, record in pending_conflicts(root)]
    apply_pending(root, names)
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


def still_open(root: Path, codebook: str, notes: list[str]) -> list[str]:
    """``notes`` (read from the commits a sync brought in) without the codebook conflicts chosen on since
    they were noted: a conflict is open while it was recorded after the last choice on its code and
    field (``codebook_merge.open_conflicts``, as ``qualcode check`` says it)."""
    from qualcode.store.codebook_merge import open_conflicts

    prefix = "codebook conflict on "
    if not any(n.startswith(prefix) for n in notes):
        return notes
    told = [f"{prefix}{_subject(str(c['code']), str(c['field']))}:" for _, c in open_conflicts(Path(root) / codebook)
            if c is not None and "code" in c and "field" in c]
    return [n for n in notes if not n.startswith(prefix) or n.startswith(tuple(told))]


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


def _conflict_words(record: dict, kept_by: str, other_by: str) -> str:
    from qualcode.services.conflicts import show

    code, field = str(record.get("code")), str(record.get("field"))
    if _lost_shortcut(record):
        return (f"codebook: {code} and another code were given the key {record.get('other')!r} on two machines; "
                f"the other code keeps it: give {code} another with `qualcode codebook edit {code} --shortcut KEY`")
    return (f"codebook conflict on {_subject(code, field)}: {kept_by} had {show(record.get('kept'))}, {other_by} had "
            f"{show(record.get('other'))}; the codebook keeps {kept_by}'s until someone chooses: `qualcode codebook "
            f"resolve {code} {field} --take mine` keeps {kept_by}'s, `--take theirs` takes {other_by}'s")


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
