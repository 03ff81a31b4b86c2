"""Two versions of one transcript file met by a merge that git cannot merge: two different interviews
added under one file name on two machines (each coder imported their own "interview-3.docx"), or one
replaced two ways (a Word file always conflicts as a whole).

Both are kept: the version already shared (the other side of the merge) stays where it is, so nobody's
codings of it move; ours is written beside it under the next free name (``interview-3-2.docx``), and
every coding made on it (its ``th``, the hash of the text it was coded on, is one of our versions')
moves with it: a ``move`` line with ``"t"`` appended to each coder's journal, in the merge, while
``qualcode sync`` holds every journal's lock (marked as the sync's, ``journal.append_held``: the coder's
undo passes it by, and never moves a coding back). What the coders said about our version (their status of
it, their transcript memo: ``tset`` lines) goes with it too, and the name keeps what they said about the
version already shared; its cases.csv row follows it in ``sync_repair.follow_case_rows``.
``follow_text`` then moves any coding whose text is now exactly another transcript's. Every machine
sees both transcripts and each coding on its own text, and the note names whose version is which.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from qualcode.errors import QualcodeError


def _stages(root: Path, git_bin: str, path: str) -> set[int]:
    out = subprocess.run([git_bin, "ls-files", "-u", "-z", "--", path], cwd=root, capture_output=True).stdout
    return {int(entry.split(b"\t")[0].split()[2]) for entry in out.split(b"\0") if entry.strip()}


def _free_name(root: Path, git_bin: str, path: str) -> str:
    p = PurePosixPath(path)
    for n in range(2, 1000):
        candidate = str(p.with_name(f"{p.stem}-{n}{p.suffix}"))
        taken = (root / candidate).exists() or any(
            subprocess.run([git_bin, "cat-file", "-e", f"{rev}:{candidate}"], cwd=root, capture_output=True).returncode == 0
            for rev in ("HEAD", "MERGE_HEAD"))
        if not taken:
            return candidate
    raise QualcodeError(f"no free name beside {path}")


def _history_hashes(root: Path, git_bin: str, rev: str, path: str, limit: int = 20) -> set[str]:
    """The text hashes of the versions of ``path`` in ``rev``'s history (codings carry the hash of the
    version they were made on)."""
    from qualcode.formats.transcripts import parse_transcript

    out = set()
    log = subprocess.run([git_bin, "log", f"-{limit}", "--format=%H", rev, "--", path], cwd=root,
                         capture_output=True, text=True).stdout.split()
    for commit in log:
        data = subprocess.run([git_bin, "show", f"{commit}:{path}"], cwd=root, capture_output=True).stdout
        try:
            out.add(parse_transcript(data, path)[0].hash)
        except QualcodeError:
            continue
    return out


def split_two_transcripts(root: Path, git_bin: str, path: str, folder: str, show, add,
                          renamed: dict[str, str] | None = None) -> str | None:
    """When ``path`` (under the transcripts ``folder``) met two versions git cannot merge (two interviews
    added under one name; one replaced two ways, as a Word file always is), keep both: the version
    already shared (theirs) stays, ours goes beside it, and the codings made on ours go with it, and
    so do the coders' status and memo of it. ``renamed`` (when given) gets ``{kept id: new id}``, for
    its cases.csv row. Returns what was done, in words, naming who added (or changed) each version
    (``sync_notes.sides``) (None: not that case)."""
    from qualcode.formats.transcripts import parse_transcript
    from qualcode.services.sync_notes import merge_base, sides
    from qualcode.store.atomic import write_atomic

    stages = _stages(root, git_bin, path)
    if not path.startswith(folder.rstrip("/") + "/") or not {2, 3} <= stages:
        return None
    ours, theirs = show(":2", path), show(":3", path)
    new_path = _free_name(root, git_bin, path)
    try:
        kept, _ = parse_transcript(theirs, path)
        moved, _ = parse_transcript(ours, new_path)
    except QualcodeError:
        return None  # a file that does not read as a transcript: left to the person
    if kept.id == moved.id or kept.hash == moved.hash:  # an id in the front matter; or the same text
        return None
    write_atomic(root / path, theirs)
    write_atomic(root / new_path, ours)
    mine = (_history_hashes(root, git_bin, "HEAD", path) | {moved.hash}) - _history_hashes(root, git_bin, "MERGE_HEAD", path)
    n = move_codings(root, lambda c: moved.id if c.th in mine else None, add, {kept.id})
    marks = move_marks(root, git_bin, kept.id, moved.id, add)
    if renamed is not None:
        renamed[kept.id] = moved.id
    add(path)
    add(new_path)
    how = ("two different transcripts were added as" if 1 not in stages else
           "two versions git cannot merge (a Word file, or the same lines changed) were made of")
    said = "".join(f", {coder}'s {' and '.join(_MARK_WORDS.get(k, k) for k in keys)}" for coder, keys in marks)
    ours_by, theirs_by = sides(root, merge_base(root), path)  # the note travels: people, not "this machine"
    return (f"{how} {path} on two machines; both are kept: {theirs_by}'s, already shared, {_which(kept)}, stays "
            f"{kept.id}, and {ours_by}'s, {_which(moved)}, is now {new_path} ({moved.id}), its {n} coding(s){said} "
            "with it" + ("" if 1 not in stages else "; if they are one interview, keep one version and code it"))


_MARK_WORDS = {"status": "status", "memo": "transcript memo"}


def _blob(root: Path, git_bin: str, rev: str, path: str) -> bytes:
    proc = subprocess.run([git_bin, "show", f"{rev}:{path}"], cwd=root, capture_output=True)
    return proc.stdout if proc.returncode == 0 else b""


def replay_bytes(data: bytes, coder: str):
    """The coding set (``CodingSet``) a journal's bytes replay to (one of git's versions of it)."""
    from qualcode.store.journal import replay

    with tempfile.TemporaryDirectory() as tmp:
        journal = Path(tmp) / f"{coder}.jsonl"
        journal.write_bytes(data)
        return replay(journal, coder).codings


def _marks_in(data: bytes, coder: str, transcript: str) -> dict[str, str]:
    """What ``coder`` said about ``transcript`` (``status``, ``memo``) in a version of their journal."""
    spelled = (json.dumps(transcript)[1:-1].encode(), json.dumps(transcript, ensure_ascii=False)[1:-1].encode())
    if b'"tset"' not in data or not any(s in data for s in spelled):  # the usual case: nothing said, no replay
        return {}
    return dict(replay_bytes(data, coder).marks.get(transcript, {}))


def move_marks(root: Path, git_bin: str, kept: str, moved: str, add) -> list[tuple[str, list[str]]]:
    """In a merge that moved our version of transcript ``kept`` to ``moved``: what each coder said about
    it on our side since the merge base (their status, their transcript memo) goes to ``moved``, and
    ``kept`` is given back what they said on the other side (the version it now is). A ``tset`` line
    per value, appended to the coder's journal (the caller holds its lock). Returns (coder, keys moved)."""
    from qualcode.store.journal import append_held, replay

    proc = subprocess.run([git_bin, "merge-base", "HEAD", "MERGE_HEAD"], cwd=root, capture_output=True, text=True)
    base = proc.stdout.strip() if proc.returncode == 0 else ""
    out = []
    for journal in sorted((root / "codings").glob("*.jsonl")):
        coder, rel = journal.stem, journal.relative_to(root).as_posix()
        ours = _marks_in(_blob(root, git_bin, "HEAD", rel), coder, kept)
        before = _marks_in(_blob(root, git_bin, base, rel), coder, kept) if base else {}
        keys = sorted((k for k in ours.keys() | before.keys() if ours.get(k) != before.get(k)),
                      key=lambda k: (k != "status", k))
        if not keys:  # nothing said on our side about our version (or only what the base already said)
            continue
        theirs = _marks_in(_blob(root, git_bin, "MERGE_HEAD", rel), coder, kept)
        now = replay(journal, coder).codings.marks.get(kept, {})
        ops = [{"op": "tset", "t": moved, "key": k, "value": ours[k]} for k in keys if ours.get(k)]
        ops += [{"op": "tset", "t": kept, "key": k, "value": theirs.get(k)} for k in keys
                if now.get(k) != theirs.get(k)]
        if ops:
            append_held(journal, coder, ops)
            add(rel)
        if any(ours.get(k) for k in keys):
            out.append((coder, [k for k in keys if ours.get(k)]))
    return out


def move_codings(root: Path, target, add, transcripts: set[str] | None = None) -> int:
    """Append a ``move`` to transcript ``target(coding)`` for every coding for which it is not None, in
    every coder's journal (the caller holds their locks); ``transcripts`` limits the codings looked at.
    Returns how many moved."""
    from qualcode.store.journal import append_held, replay

    moved = 0
    for journal in sorted((root / "codings").glob("*.jsonl")):
        codings = replay(journal, journal.stem).codings
        chosen = codings if transcripts is None else [c for t in transcripts for c in codings.for_transcript(t)]
        ops = [{"op": "move", "id": c.id, "start": c.start, "end": c.end, "quote": c.quote, "th": c.th, "t": to}
               for c in chosen if (to := target(c)) is not None]
        append_held(journal, journal.stem, ops)
        moved += len(ops)
        if ops:
            add(str(journal.relative_to(root)))
    return moved


def follow_text(root: Path, add) -> int:
    """Codings made, before they knew, on a transcript that has since moved under another name (a
    coding made on one machine on its interview while a sync elsewhere renamed it): each follows the
    text it was made on, when that text is now exactly one other transcript's. Returns how many moved."""
    from qualcode.store.project import Project

    try:
        index = Project.open(root, search=False).index
    except QualcodeError:
        return 0
    by_hash: dict[str, list[str]] = {}
    for e in index:
        by_hash.setdefault(e.hash, []).append(e.id)

    def target(c) -> str | None:
        entry, others = index.get(c.transcript), by_hash.get(c.th, [])
        if entry is not None and entry.hash != c.th and len(others) == 1 and others[0] != c.transcript:
            return others[0]
        return None

    return move_codings(root, target, add)


def _which(transcript) -> str:
    """How a researcher recognises a transcript: its title, else (none, or only its file's name) its
    first words."""
    if transcript.title and transcript.title != transcript.id:
        return repr(transcript.title)
    words = transcript.text.split()
    return repr(" ".join(words[:8]) + ("…" if len(words) > 8 else ""))


def added_twice(root: Path, git_bin: str, path: str, folder: str, show):
    """``path`` (under the transcripts ``folder``) was added on both sides of the merge, two different
    files with no version in common, that ``split_two_transcripts`` could not keep side by side (both
    name one transcript id in their front matter): a SyncError that says so and how to keep both (our
    version saved under ``.git/qualcode-yours/``, to import under another id); editing the file to
    remove git's markers would splice two interviews. None: not that case."""
    from qualcode.services.sync import SyncError
    from qualcode.services.sync_notes import merge_base, sides
    from qualcode.store.atomic import write_atomic

    if not path.startswith(folder.rstrip("/") + "/") or _stages(root, git_bin, path) != {2, 3}:
        return None
    ours = show(":2", path)
    p = PurePosixPath(path)
    saved = root / ".git" / "qualcode-yours" / p.name
    if not saved.exists() or saved.read_bytes() != ours:
        saved.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(saved, ours)
    ours_by, theirs_by = sides(root, merge_base(root), path)
    new_id = PurePosixPath(_free_name(root, git_bin, path)).stem
    return SyncError(
        f"{path} was added on two machines as two different transcripts under the one id {p.stem!r} "
        f"({ours_by}'s here, {theirs_by}'s already shared): they are two files with no version in common, and "
        f"keeping parts of each would splice two interviews. Nothing is lost: your version is saved as {saved}",
        path=root / path,
        hint=f"keep the shared one and import yours under another id: `git checkout --theirs -- {path}`, then "
             f"`qualcode sync`, then `qualcode import {saved} --id {new_id}` (codings you made on your version "
             f"need coding again on {new_id})")
