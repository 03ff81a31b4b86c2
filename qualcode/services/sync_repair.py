"""What ``qualcode sync`` repairs before it merges: what a git killed midway leaves behind, and a
codebook that git merged as text because qualcode's driver was not set up yet (a plain ``git pull``
in a fresh clone)."""

from __future__ import annotations

import os
from pathlib import Path

from qualcode.formats.codebook_yaml import has_conflict_markers
from qualcode.services import sync


def git_running(root: Path) -> bool | None:
    """Whether a git process works in this project now (None: cannot tell, no /proc)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return None
    here = root.resolve()
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if not (entry / "comm").read_text().strip().startswith("git"):
                continue
            cwd = Path(os.readlink(entry / "cwd")).resolve()
        except OSError:
            continue
        if cwd == here or here in cwd.parents:
            return True
    return False


def clear_interrupted(root: Path, notes: list[str]) -> None:
    """What a git killed midway (a sync killed while git merged) leaves: its index lock, which stops
    every later git command, and the merge driver's temporary copies (``.merge_file_*``), which
    ``git add -A`` would commit. Cleared when no git is running here; else the sync stops."""
    lock = root / ".git" / "index.lock"
    temps = list(root.glob(".merge_file_*"))
    if not lock.exists() and not temps:
        return
    running = git_running(root)
    if running is not False:
        raise sync.SyncError("a git command is still running in this project (or left .git/index.lock behind)",
                        path=lock, hint="wait for it to finish and run `qualcode sync` again; if no git is running, "
                                        "delete .git/index.lock and run `qualcode sync` again")
    if lock.exists():
        lock.unlink()
        notes.append("an earlier git command was interrupted: its lock (.git/index.lock) was removed")
    for t in temps:
        t.unlink(missing_ok=True)


def remerge(root: Path, path: str) -> bool:
    """A codebook (or its conflicts file) git merged as text, because the merge ran where qualcode's
    driver was not yet set up (a plain `git pull` in a fresh clone): merge git's three versions of it
    again as the driver would. The file is only replaced when that merge succeeds (a hand edit of the
    markers is otherwise left as it is). Returns whether the path is now merged and staged."""
    import tempfile

    from qualcode.store.atomic import write_atomic
    from qualcode.store.codebook_merge import merge_files

    if not path.startswith("codebooks/"):
        return False
    stages = [sync._show(root, f":{n}", path) for n in (1, 2, 3)]
    if path.endswith(".conflicts"):  # git's union driver: both sides' lines
        ours = stages[1].decode("utf-8", "replace").splitlines()
        theirs = [line for line in stages[2].decode("utf-8", "replace").splitlines() if line not in ours]
        merged = "".join(line + "\n" for line in ours + theirs).encode("utf-8")
    elif path.endswith((".yaml", ".yml")):
        with tempfile.TemporaryDirectory() as tmp:
            files = [Path(tmp) / name for name in ("base", "ours", "theirs")]
            for f, data in zip(files, stages):
                f.write_bytes(data)
            if merge_files(files[0], files[1], files[2], str(root / path)) != 0:  # conflicts beside it
                return False
            merged = files[1].read_bytes()
    else:
        return False
    write_atomic(root / path, merged)
    sync.git(root, "add", "--", path)
    if path.endswith((".yaml", ".yml")) and (root / (path + ".conflicts")).exists():
        sync.git(root, "add", "--", path + ".conflicts")
    return True


def _rows(data: bytes) -> list[list[str]] | None:
    """A cases file's non-blank rows (a spreadsheet's semicolons or UTF-16 too); None when it cannot be
    read row by row: a quote left open would fold the rows after it into one cell, and rewriting the
    file would lose them, so such a file is left to the person."""
    from qualcode.errors import FormatError
    from qualcode.formats.segments_table import csv_records
    from qualcode.store.cases import cases_delimiter, decode_cases

    text = decode_cases(data)[0]
    try:
        records = csv_records(text, cases_delimiter(text), "cases.csv", one_per_line=True)
    except FormatError:
        return None
    return [r.cells for r in records if any(c.strip() for c in r.cells)]


def _table(data: bytes):
    """A cases file's header and its rows keyed on the transcript (None, {}: not a cases table)."""
    rows = _rows(data)
    if not rows or "transcript" not in [h.strip() for h in rows[0]]:
        return None, {}
    header = [h.strip() for h in rows[0]]
    key = header.index("transcript")
    return header, {r[key].strip(): r for r in rows[1:] if len(r) > key}


def _write_table(root: Path, path: str, header: list[str], rows, like: bytes = b"") -> None:
    """``rows`` under ``header`` into the cases file, as ``like`` was written (a BOM, CRLF), and staged."""
    import codecs
    import csv
    import io

    from qualcode.store.atomic import write_atomic

    from qualcode.store.cases import cases_delimiter, decode_cases

    out = io.StringIO()
    utf16 = like.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = decode_cases(like)[0]
    w = csv.writer(out, lineterminator="\r\n" if "\r\n" in text else "\n",
                   delimiter=cases_delimiter(text) if like else ",")
    w.writerow(header)
    w.writerows(rows)
    bom = codecs.BOM_UTF8 if like.startswith(codecs.BOM_UTF8) else b""
    write_atomic(root / path, out.getvalue().encode("utf-16") if utf16 else bom + out.getvalue().encode("utf-8"))
    sync.git(root, "add", "--", path)


def merge_cases(root: Path, path: str, cases_name: str,
                moved: set[str] | frozenset = frozenset()) -> tuple[bool, str | None]:
    """cases.csv changed on two machines (a row added on each, say), which git merges as text and may
    not: merged row by row, keyed on the transcript. A row changed two ways keeps ours and is said
    (except for the transcripts in ``moved``: this merge moved our version of them to a new name, and
    ``follow_case_rows`` gives each side's row to its own). Returns whether it merged, and what to say
    (nothing, unless a row was changed two ways). Not cases.csv, or headers that differ: not merged,
    left to the person."""
    from qualcode.store.codebook_merge import three_way

    if path != cases_name:
        return False, None

    (hb, base), (ho, ours), (ht, theirs) = (_table(sync._show(root, f":{n}", path)) for n in (1, 2, 3))
    if ho is None or ht is None or len(set(ho)) != len(ho) or len(set(ht)) != len(ht):
        return False, None  # not a cases table on one side, or a column named twice: left to the person
    hb = hb or []
    # the columns: each side's, in our order then theirs' new ones; one removed on either side is gone
    header = [c for c in dict.fromkeys([*ho, *ht]) if not (c in hb and (c not in ho or c not in ht))]
    merged, kept_ours = {}, []
    for tid in [*ours, *[t for t in theirs if t not in ours], *[t for t in base if t not in ours and t not in theirs]]:
        b = _cells(base.get(tid), hb, header, None, hb)
        o, t = (_cells(rows.get(tid), h, header, base.get(tid), hb) for rows, h in ((ours, ho), (theirs, ht)))
        if o is not None and t is not None:  # on both sides: cell by cell (a column added on one side is its own)
            row, twice = [], False
            for i in range(len(header)):
                cell, two = three_way(b[i] if b else "", o[i], t[i])
                row.append(cell)
                twice = twice or two
        else:
            row, twice = three_way(b, o, t)
        if twice and tid not in moved:
            kept_ours.append(tid)
        if row is not None:
            merged[tid] = row
    _write_table(root, path, header, merged.values(), sync._show(root, ":2", path))
    said = []
    new_cols = [[c for c in h if c not in hb and c in header] for h in (ho, ht)]
    if new_cols[0] and [c for c in new_cols[1] if c not in new_cols[0]]:  # columns added on both machines
        who = _sides(root, path)
        told = " and ".join(f"{w} added the column{'s' if len(cols) != 1 else ''} {', '.join(cols)}"
                            for w, cols in zip(who, new_cols))
        said.append(f"{path}: {told}; all are kept, each with its values")
    if kept_ours:
        ours_by, theirs_by = _sides(root, path)
        said.append(f"{path}: the rows of {', '.join(kept_ours)} were changed on two machines; {ours_by}'s were "
                    f"kept over {theirs_by}'s (edit them if {theirs_by}'s were right)")
    return True, "; ".join(said) or None


def _cells(row, have: list[str], header: list[str], base_row, base_header: list[str]) -> list[str] | None:
    """``row`` (read under the columns ``have``) as the cells of ``header``: a column this side does not
    have holds what the version in common had there (it was not changed here), else nothing."""
    if row is None:
        return None
    out = []
    for c in header:
        if c in have:
            i = have.index(c)
            out.append(row[i] if i < len(row) else "")
        elif base_row is not None and c in base_header and base_header.index(c) < len(base_row):
            out.append(base_row[base_header.index(c)])
        else:
            out.append("")
    return out


def _sides(root: Path, path: str) -> tuple[str, str]:
    """Who changed ``path`` on each side of the merge being made (``sync_notes.sides``)."""
    from qualcode.services.sync_notes import merge_base, sides

    return sides(root, merge_base(root), path)


def follow_case_rows(root: Path, cases_name: str, renamed: dict[str, str]) -> str | None:
    """A merge moved our version of transcript ``kept`` to ``moved`` (``renamed``, see
    ``sync_transcripts.split_two_transcripts``): the case row ours gave ``kept`` becomes ``moved``'s,
    and ``kept`` has the row the other side gave it (or none), in the merged cases file (after git or
    ``merge_cases`` merged it); every other row stays as it is. Returns what was done, in words (None:
    no row of ours to move)."""
    if not renamed:
        return None
    ho, ours = _table(sync._show(root, "HEAD", cases_name))
    ht, theirs = _table(sync._show(root, "MERGE_HEAD", cases_name))
    moves = {kept: moved for kept, moved in renamed.items() if kept in ours}
    try:
        data = (root / cases_name).read_bytes()
    except OSError:
        return None
    if not moves or ho is None or has_conflict_markers(data):
        return None
    rows = _rows(data)  # as merged
    if not rows or "transcript" not in [h.strip() for h in rows[0]]:
        return None
    header = [h.strip() for h in rows[0]]
    key = header.index("transcript")

    def fit(row: list[str], names: list[str], tid: str) -> list[str]:
        values = dict(zip(names, row))
        values["transcript"] = tid
        return [values.get(h, "") for h in header]

    out, placed = [], set()
    for row in rows[1:]:
        tid = row[key].strip() if len(row) > key else ""
        if tid in moves:
            if tid not in placed:  # its row from the other side, then ours under the new name
                placed.add(tid)
                if tid in theirs:
                    out.append(fit(theirs[tid], ht, tid))
                out.append(fit(ours[tid], ho, moves[tid]))
        elif tid not in moves.values():
            out.append(row)
    out.extend(fit(ours[k], ho, m) for k, m in moves.items() if k not in placed)
    _write_table(root, cases_name, rows[0], out, data)
    theirs_by = _sides(root, cases_name)[1]
    return "; ".join(f"{cases_name}: the row of {k} went with its interview to {m}; {k} has "
                     + (f"{theirs_by}'s row" if k in theirs else "no row now") for k, m in moves.items())


def overridden_changes(root: Path) -> list[str]:
    """In a merge being made (``MERGE_HEAD``): each coding one coder removed on one machine and changed
    (recoded, moved, gave a memo) on another, where the removal comes later in the merged journal and
    stands, so the change no longer shows (documented: docs/team.md). One line each, in words.

    Cheap when there is none: only journals changed on both sides since the merge base are read, and
    only their new lines are parsed; a journal is replayed only for a coding removed on one side and
    changed on the other."""
    from qualcode.services.sync_transcripts import replay_bytes
    from qualcode.store.journal import replay

    base = sync.git(root, "merge-base", "HEAD", "MERGE_HEAD", check=False).stdout.strip()
    if not base:
        return []

    def changed(rev: str) -> set[str]:
        out = sync.git(root, "diff", "--name-only", "-z", base, rev, "--", "codings/").stdout
        return {p for p in out.split("\0") if p.endswith(".jsonl")}

    out = []
    for path in sorted(changed("HEAD") & changed("MERGE_HEAD")):
        coder = Path(path).name[:-len(".jsonl")]
        was = sync._show(root, base, path)
        sides = [sync._show(root, rev, path) for rev in ("HEAD", "MERGE_HEAD")]
        touched = [_touched(sync._new_lines(was, side)) for side in sides]
        # (changed on this side, removed on the other): {coding id: what was done to it}
        found = {cid: (i, touched[i][1][cid]) for i in (0, 1)
                 for cid in touched[i][1].keys() & touched[1 - i][0]}
        if not found:
            continue
        merged = replay(root / path, coder).codings
        found = {cid: v for cid, v in found.items() if cid not in merged.codings and cid in merged.removed}
        if not found:
            continue
        before = replay_bytes(was, coder)
        states = {}
        for cid, (side, did) in sorted(found.items()):
            if side not in states:
                states[side] = replay_bytes(sides[side], coder)
            now = states[side].get(cid)
            if now is None or now == before.get(cid):  # the change was undone on its own machine
                continue
            c = merged.removed[cid]
            quote = " ".join(str(c.get("quote", "")).split())
            quote = quote if len(quote) <= 40 else quote[:39] + "…"
            out.append(f"{coder}'s coding {cid} ({c.get('t')}, “{quote}”) was {' and '.join(did)} on one machine "
                       "and removed on another; in the merged journal the removal comes last, so it stands and "
                       "the change no longer shows (code the passage again if it should)")
    return out


def _touched(lines: list[bytes]) -> tuple[set[str], dict[str, list[str]]]:
    """The coding ids that journal ``lines`` remove, and those they change (-> what was done, in words)."""
    import json

    removed: set[str] = set()
    changed: dict[str, list[str]] = {}
    for raw in lines:
        try:
            rec = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(rec, dict):
            continue
        ops = rec.get("ops") if rec.get("op") == "batch" and isinstance(rec.get("ops"), list) else [rec]
        for op in ops:
            if not isinstance(op, dict) or not isinstance(op.get("id"), str):
                continue
            kind = op.get("op")
            if kind == "remove":
                removed.add(op["id"])
            elif kind in ("recode", "memo", "move"):
                word = {"recode": f"recoded to {op.get('code')}", "memo": "given a memo",
                        "move": "moved"}[kind]
                if word not in changed.setdefault(op["id"], []):
                    changed[op["id"]].append(word)
    return removed, changed
