"""Two different transcripts added under one file name on two machines (each coder imported their own
"interview-3.docx"), met by a merge: git sees one file added twice with different contents.

Both are kept: ours stays where it is, theirs is written beside it under the next free name
(``interview-3-2.docx``), and every coding made on their text (its ``th``, the hash of the text it was
coded on, is theirs) moves with it: a ``move`` line with ``"t"`` appended to each coder's journal, in
the merge, while ``qualcode sync`` holds every journal's lock. Every machine then sees both transcripts
and each coding on the text it was made on.
"""

from __future__ import annotations

import subprocess
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


def split_two_transcripts(root: Path, git_bin: str, path: str, folder: str, show, add) -> str | None:
    """When ``path`` (under the transcripts ``folder``) was added on both sides with different contents,
    keep both and move their codings; returns what was done, in words (None: not that case)."""
    from qualcode.formats.transcripts import parse_transcript
    from qualcode.store.atomic import write_atomic
    from qualcode.store.journal import append_held, replay

    if not path.startswith(folder.rstrip("/") + "/") or _stages(root, git_bin, path) != {2, 3}:
        return None
    ours, theirs = show(":2", path), show(":3", path)
    new_path = _free_name(root, git_bin, path)
    try:
        mine, _ = parse_transcript(ours, path)
        other, _ = parse_transcript(theirs, new_path)
    except QualcodeError:
        return None  # a file that does not read as a transcript: left to the person
    if mine.id == other.id:  # an id in the front matter: the two would still share it
        return None
    write_atomic(root / path, ours)
    write_atomic(root / new_path, theirs)
    moved = 0
    for journal in sorted((root / "codings").glob("*.jsonl")):
        coder = journal.stem
        codings = replay(journal, coder).codings
        ops = [{"op": "move", "id": c.id, "start": c.start, "end": c.end, "quote": c.quote, "th": c.th, "t": other.id}
               for c in codings.for_transcript(mine.id) if c.th == other.hash]
        append_held(journal, coder, ops)
        moved += len(ops)
        if ops:
            add(str(journal.relative_to(root)))
    add(path)
    add(new_path)
    return (f"two different transcripts were added as {path} on two machines; both are kept: {_which(mine)} stays "
            f"{mine.id}, and {_which(other)} is now {new_path} ({other.id}), its {moved} coding(s) with it")


def _which(transcript) -> str:
    """How a researcher recognises a transcript: its title, else its first words."""
    if transcript.title:
        return repr(transcript.title)
    words = transcript.text.split()
    return repr(" ".join(words[:8]) + ("…" if len(words) > 8 else ""))
