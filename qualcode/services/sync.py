"""Sharing a project through git: ``qualcode init --git``, ``qualcode share``, ``qualcode sync``.

git is the engine: no server of our own, any remote (a bare repository on a shared drive, a
university git server). Each coder's journal ``codings/<coder>.jsonl`` is merged by qualcode's
journal driver (``store.merge``), registered in each clone's ``.git/config`` by qualcode itself.

``sync`` = commit my changes (the message says what changed) -> fetch -> merge -> push, retried when
someone pushed in between. Every step leaves a state the next ``sync`` completes: a merge
interrupted before its commit (``MERGE_HEAD`` present, kill -9) is committed by the next sync, or
redone with the driver for any journal git left unmerged, and for a codebook git merged as text (a
plain ``git pull`` in a clone where qualcode had not yet set up its drivers).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from qualcode.errors import QualcodeError
from qualcode.formats.codebook_yaml import has_conflict_markers
from qualcode.store.merge import ATTRIBUTES, ensure_driver, merge_journals

IGNORED = (".qualcode/", "codings/*.lock", "codings/*.torn-*", "exports/", "codebooks/.history/", ".*.tmp")
STAGED = (".", ":(exclude,glob)**/.*.tmp")
"""What a sync commits: everything but a rewrite's temporary file left by a killed command
(``.NAME.XXXX.tmp``; also in IGNORED, for projects shared from now on)."""
MAX_ROUNDS = 5
_MARKERS = (b"<<<<<<< ", b"=======", b">>>>>>> ", b"||||||| ")


class SyncError(QualcodeError):
    """git refused or failed; the message says what git said and what to do."""


def _kill_point(step: str) -> None:
    """Tests simulate ``kill -9`` at a named step (``QUALCODE_SYNC_KILL_AT``); nothing otherwise."""
    if os.environ.get("QUALCODE_SYNC_KILL_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _need_git() -> str:
    exe = shutil.which("git")
    if exe is None:
        raise SyncError("git is not installed", hint="install git (e.g. `apt-get install git`), then run this again")
    return exe


def git(root: Path, *args: str, check: bool = True, identity: str | None = None,
        timeout: float | None = None, quiet: bool = False) -> subprocess.CompletedProcess:
    """Run git in ``root``; SyncError with git's own words when it fails and ``check``.
    ``quiet``: never ask for anything (ssh in batch mode), for checks nobody is watching."""
    cmd = [_need_git()]
    if identity:
        cmd += ["-c", f"user.name={identity}", "-c", f"user.email={identity}@{_host()}"]
    env = dict(os.environ, GIT_MERGE_AUTOEDIT="no", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    if quiet:
        env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    try:
        proc = subprocess.run(cmd + list(args), cwd=root, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise SyncError(f"git {args[0]} took longer than {timeout:.0f} s", path=root,
                        hint="check the network and the remote (`git remote -v`)") from None
    if check and proc.returncode != 0:
        raise SyncError(f"git {args[0]} failed: {git_said(proc)}", path=root,
                        hint="fix what git says (`git status` shows the state), then run `qualcode sync` again")
    return proc


def git_said(proc: subprocess.CompletedProcess) -> str:
    """What git said went wrong: its ``fatal:`` and ``error:`` lines (a message can run over two
    lines: "'…/remote.git' does not appear to be a git repository" / "…and the repository exists."),
    else its last line."""
    lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").strip().splitlines() if ln.strip()]
    if not lines:
        return f"exit {proc.returncode}"
    key = [i for i, ln in enumerate(lines) if ln.startswith(("fatal:", "error:"))]
    if not key:
        return lines[-1]
    return " ".join(lines[key[0]:key[0] + 4])


def _host() -> str:
    return "".join(ch for ch in socket.gethostname() if ch.isalnum() or ch in "-.") or "localhost"


def _identity(root: Path, coder: str) -> str | None:
    """The coder's name as commit author when git has no user.name configured."""
    return None if git(root, "config", "user.name", check=False).stdout.strip() else coder


# -- share ---------------------------------------------------------------------------------------
@dataclass
class ShareResult:
    created_repo: bool = False
    committed: bool = False
    remote: str | None = None
    pushed: bool = False


def _add_lines(path: Path, lines: tuple[str, ...] | list[str]) -> None:
    from qualcode.store.atomic import write_atomic

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    have = set(text.splitlines())
    missing = [line for line in lines if line not in have]
    if missing:
        write_atomic(path, text + ("" if not text or text.endswith("\n") else "\n") + "".join(f"{m}\n" for m in missing))


def share(root: Path, coder: str, remote: str | None = None) -> ShareResult:
    """Make ``root`` a git repository ready for sharing (idempotent); with ``remote``, push it there."""
    root = Path(root)
    result = ShareResult()
    if not (root / ".git").exists():
        git(root, "init", "-q")  # git's own default branch, as a bare repository made by `git init --bare` has
        result.created_repo = True
    _add_lines(root / ".gitignore", IGNORED)
    _add_lines(root / ".gitattributes", ATTRIBUTES)
    ensure_driver(root)
    git(root, "add", "-A", "--", *STAGED)
    if git(root, "diff", "--cached", "--quiet", check=False).returncode != 0 or not _has_head(root):
        who = git(root, "config", "user.name", check=False).stdout.strip() or coder  # git's name for the person
        git(root, "commit", "-q", "--allow-empty", "-m", f"qualcode share: the project, shared by {who}",
            identity=_identity(root, coder))
        result.committed = True
    if remote:
        names = git(root, "remote").stdout.split()
        if "origin" in names:
            git(root, "remote", "set-url", "origin", remote)
        else:
            git(root, "remote", "add", "origin", remote)
        result.remote = remote
        git(root, "push", "-q", "-u", "origin", f"HEAD:{_branch(root)}")
        git(root, "branch", "-q", f"--set-upstream-to=origin/{_branch(root)}", check=False)
        result.pushed = True
    return result


def _has_head(root: Path) -> bool:
    return git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).returncode == 0


def _branch(root: Path) -> str:
    name = git(root, "symbolic-ref", "-q", "--short", "HEAD", check=False).stdout.strip()
    if not name:
        raise SyncError("this clone is not on a branch (a detached HEAD)", path=root,
                        hint="`git switch main` (or your branch), then `qualcode sync`")
    return name


# -- what changed ------------------------------------------------------------------------------------
@dataclass
class Change:
    """What one file's new lines hold, in words."""

    added: int = 0
    removed: int = 0
    undone: int = 0
    other: int = 0

    def words(self) -> str:
        parts = []
        if self.added:
            parts.append(f"{self.added} coding{'s' if self.added != 1 else ''} added")
        if self.removed:
            parts.append(f"{self.removed} removed")
        if self.undone:
            parts.append(f"{self.undone} undone")
        if self.other:
            parts.append(f"{self.other} other change{'s' if self.other != 1 else ''}")
        return ", ".join(parts) or "no change"


def _count(lines: list[bytes]) -> Change:
    change = Change()
    for raw in lines:
        try:
            rec = json.loads(raw)
        except ValueError:
            change.other += 1
            continue
        ops = rec.get("ops") if rec.get("op") == "batch" and isinstance(rec.get("ops"), list) else [rec]
        for op in ops:
            kind = op.get("op") if isinstance(op, dict) else None
            if kind == "add":
                change.added += 1
            elif kind == "remove":
                change.removed += 1
            elif kind == "undo":
                change.undone += 1
            else:
                change.other += 1
    return change


def _new_lines(old: bytes, new: bytes) -> list[bytes]:
    """Lines of ``new`` that ``old`` does not hold (a journal only grows; after a compaction, all)."""
    if new.startswith(old):
        tail = new[len(old):]
    else:
        have = set(old.split(b"\n"))
        tail = b"\n".join(line for line in new.split(b"\n") if line not in have)
    return [line for line in tail.split(b"\n") if line.strip()]


def _show(root: Path, rev: str, path: str) -> bytes:
    proc = subprocess.run([_need_git(), "show", f"{rev}:{path}"], cwd=root, capture_output=True)
    return proc.stdout if proc.returncode == 0 else b""


def _codebook_change(old: bytes, new: bytes) -> str:
    """"3 codes added, 1 removed, 2 edited" between two versions of the codebook file; a code whose id
    changed ("renamed meth to methods") or that was merged into another is said as such, not as one
    code added and one removed."""
    from dataclasses import replace

    from qualcode.formats.codebook_yaml import parse_codebook

    try:
        before = parse_codebook(old.decode("utf-8"), "old") if old else None
        after = parse_codebook(new.decode("utf-8"), "new")
    except (QualcodeError, UnicodeDecodeError):
        return "codebook edited"
    a = {c.id: c for c in before.codes} if before else {}
    b = {c.id: c for c in after.codes}
    renamed = {x: to for x, to in after.renamed.items()
               if x in a and x not in b and to in b and to not in a and (not before or before.renamed.get(x) != to)}
    merged = {x: to for x, to in after.merged.items()
              if x in a and x not in b and to in b and (not before or before.merged.get(x) != to)}
    added = len(b.keys() - a.keys() - set(renamed.values()))
    removed = len(a.keys() - b.keys() - set(renamed) - set(merged))
    edited = sum(1 for k in a.keys() & b.keys() if _plain(a[k]) != _plain(b[k]))
    edited += sum(1 for x, to in renamed.items() if _plain(replace(a[x], id=to)) != _plain(b[to]))
    parts = [f"renamed {x} to {to}" for x, to in renamed.items()] + [f"merged {x} into {to}" for x, to in merged.items()]
    counts = [f"{n} code{'s' if n != 1 else ''} {what}" if i == 0 else f"{n} {what}"
              for i, (n, what) in enumerate(x for x in ((added, "added"), (removed, "removed"), (edited, "edited")) if x[0])]
    parts += [", ".join(counts)] if counts else []
    return "codebook: " + ("; ".join(parts) if parts else "edited (no code changed)")


def _plain(code) -> tuple:
    from dataclasses import astuple, replace

    return astuple(replace(code, line=None))


def describe(root: Path, old_rev: str | None, new_rev: str | None, paths: list[str], codebook: str) -> list[str]:
    """One line per changed journal (``coder: 3 codings added, 1 removed``) and one for the codebook,
    between two revisions (``new_rev`` None: the files as they are in the folder)."""
    from qualcode.store.config import load_config

    try:
        folder = load_config(root).transcripts.rstrip("/") + "/"
    except QualcodeError:
        folder = "transcripts/"
    out = []
    for path in paths:
        old = _show(root, old_rev, path) if old_rev else b""
        try:
            new = _show(root, new_rev, path) if new_rev else (root / path).read_bytes()
        except OSError:
            new = b""
        if path == codebook:
            out.append(_codebook_change(old, new))
        elif path.endswith(".jsonl"):
            lines = _new_lines(old, new)
            if lines:
                out.append(f"{Path(path).name[:-len('.jsonl')]}: {_count(lines).words()}")
        elif path.startswith(folder) and not path[len(folder):].startswith(".") and not (old and new):
            name = PurePosixPath(path).stem  # (a transcript's id is its file's name, as `import` writes it)
            out.append(f"new transcript {name} ({path})" if new else f"transcript {name} removed ({path})")
        else:
            out.append(f"{path} changed")
    return out


# -- sync ----------------------------------------------------------------------------------------------
@dataclass
class SyncResult:
    committed: list[str] = field(default_factory=list)
    """What my commit said (empty: nothing of mine to commit)."""
    arrived: list[str] = field(default_factory=list)
    """What arrived, one line per journal or file."""
    authors: list[str] = field(default_factory=list)
    pushed: bool = False
    """Commits were pushed (False when the remote already had every commit of this clone)."""
    up_to_date: bool = False
    """Nothing to push: the remote already had every commit of this clone."""
    remote: str = ""
    resumed: bool = False
    """An interrupted sync (a merge not committed) was completed first."""
    notes: list[str] = field(default_factory=list)
    """What the merge did that the team should know (two transcripts under one name kept apart)."""


class _JournalLocks:
    """Every coder's journal lock, so that no qualcode appends while git replaces a journal."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fds: list[int] = []

    def __enter__(self) -> "_JournalLocks":
        if not self.folder.is_dir():
            return self
        for journal in sorted(self.folder.glob("*.jsonl")):
            lock = journal.with_name(journal.name[:-len(".jsonl")] + ".lock")
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                self.__exit__()
                raise SyncError(f"{journal.stem}'s journal is open in another qualcode", path=journal,
                                hint="close the workbench (or the other qualcode), then `qualcode sync`") from None
            self.fds.append(fd)
        return self

    def __exit__(self, *exc) -> None:
        for fd in self.fds:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        self.fds.clear()


def _remote(root: Path, branch: str) -> str:
    name = git(root, "config", f"branch.{branch}.remote", check=False).stdout.strip()
    if name:
        return name
    if "origin" in git(root, "remote").stdout.split():
        return "origin"
    raise SyncError("this project has no remote to sync with", path=root,
                    hint="`qualcode share URL` (a bare repository on a shared drive or a git server); "
                         "teammates then `git clone URL`")


def _finish_merge(root: Path, identity: str | None, notes: list[str] | None = None) -> bool:
    """A merge left uncommitted (a sync killed midway): merge any journal git left unmerged with the
    driver, then commit. Returns whether there was one. SyncError for another file in conflict."""
    if not (root / ".git" / "MERGE_HEAD").exists():
        return False
    from qualcode.services.sync_repair import follow_case_rows, merge_cases, overridden_changes, remerge
    from qualcode.services.sync_transcripts import follow_text, split_two_transcripts
    from qualcode.store.config import load_config

    def add(p: str) -> None:
        git(root, "add", "--", p)

    config = load_config(root)

    unmerged = [p for p in git(root, "diff", "--name-only", "--diff-filter=U", "-z").stdout.split("\0") if p]
    folder = config.transcripts.rstrip("/") + "/"
    # journals first: codings may move after; then transcripts: a case row may move with one
    unmerged.sort(key=lambda p: 0 if p.startswith("codings/") else 1 if p.startswith(folder) else 2)
    seen = list(notes or [])
    renamed: dict[str, str] = {}  # transcript kept -> where our version of it went
    for path in unmerged:
        if not (path.startswith("codings/") and path.endswith(".jsonl")):
            if not _settled(root / path) and remerge(root, path):
                continue
            if not _settled(root / path):
                merged, said = merge_cases(root, path, config.cases, set(renamed))  # row by row
                if merged:
                    if said and notes is not None:
                        notes.append(said)
                    continue
            # git leaves our copy of a file it cannot merge as text (a Word file) without markers: that is
            # not a choice someone made
            untouched = not _settled(root / path) or (root / path).read_bytes() == _show(root, ":2", path)
            said = split_two_transcripts(root, _need_git(), path, config.transcripts,
                                         lambda rev, p: _show(root, rev, p), add, renamed) if untouched else None
            if said:
                if notes is not None:
                    notes.append(said)
                continue
            if _settled(root / path):  # the user chose (no conflict markers left): take it as it is
                git(root, "add", "--", path)
                continue
            from qualcode.services.sync_transcripts import added_twice

            twice = added_twice(root, _need_git(), path, config.transcripts, lambda rev, p: _show(root, rev, p))
            if twice is not None:
                raise twice
            raise SyncError(f"{path} was changed on both sides and git could not merge it", path=root / path,
                            hint=f"edit {path} to keep what you want (remove the <<<<<<< ======= >>>>>>> lines), "
                                 "then `qualcode sync` again")
        here = (root / path).read_bytes() if (root / path).exists() else b""
        # what the folder holds (appended since, or git's conflict markers) without the markers
        here = b"\n".join(line for line in here.split(b"\n") if not line.startswith(_MARKERS)) + b"\n"
        from qualcode.store.atomic import write_atomic

        merged = merge_journals(merge_journals(_show(root, ":2", path), here), _show(root, ":3", path))
        write_atomic(root / path, merged)
        git(root, "add", "--", path)
    said = follow_case_rows(root, config.cases, renamed)  # after git or merge_cases merged the file
    if said and notes is not None:
        notes.append(said)
    from qualcode.services.sync_consensus import settled_twice
    from qualcode.services.sync_notes import codebook_notes

    # this merge's codebook conflicts, into their file with who had which value (before any Project.open
    # adds them without); a removal that stands over a change made on another machine; a passage settled
    # on two machines
    said = codebook_notes(root, config.codebook) + overridden_changes(root) + settled_twice(root, add)
    followed = follow_text(root, add)  # codings made meanwhile on a transcript this merge renamed
    if followed:
        said.append(f"{followed} coding(s) made on a transcript since renamed went with their text")
    if notes is not None:
        notes.extend(said)
    git(root, "add", "-A", "--", *STAGED)
    staged = [p for p in git(root, "diff", "--cached", "--name-only", "-z").stdout.split("\0") if p]
    for path in staged:  # a file marked resolved (`git add`) with git's markers still in it
        if not (path.startswith("codings/") and path.endswith(".jsonl")) and not _settled(root / path) \
                and (root / path).exists():
            raise SyncError(f"{path} still holds git's conflict markers (<<<<<<< ... >>>>>>>) from the merge; "
                            "nothing was committed", path=root / path,
                            hint=f"edit {path} to keep what you want (remove the <<<<<<< ======= >>>>>>> lines), "
                                 "then `qualcode sync` again")
    said = [n for n in (notes or []) if n not in seen]
    if said:  # in the merge's message too, so that the other machines are told when it reaches them
        msg = (root / ".git" / "MERGE_MSG").read_text(encoding="utf-8", errors="replace") if (root / ".git" / "MERGE_MSG").exists() else "Merge"
        git(root, "commit", "-q", "-m", msg.rstrip() + "\n\n" + "".join(f"Note: {n}\n" for n in said), identity=identity)
    else:
        git(root, "commit", "-q", "--no-edit", identity=identity)
    return True


def _settled(path: Path) -> bool:
    """Whether a file git could not merge has been settled by hand (it exists without conflict markers)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return not has_conflict_markers(data)



def _changed_paths(root: Path, old: str | None, new: str) -> list[str]:
    if old is None:
        out = git(root, "ls-tree", "-r", "--name-only", "-z", new).stdout
    else:
        out = git(root, "diff", "--name-only", "-z", old, new).stdout
    return [p for p in out.split("\0") if p]


def sync(root: Path, coder: str, codebook: str) -> SyncResult:
    """Commit my changes, fetch, merge (journals by the driver), push; say what arrived from whom."""
    root = Path(root)
    if not (root / ".git").exists():
        raise SyncError("this project is not shared yet (no git repository)", path=root,
                        hint="`qualcode share URL` makes it one and pushes it; teammates `git clone URL`")
    ensure_driver(root)
    result = SyncResult()
    identity = _identity(root, coder)
    branch = _branch(root)
    remote = result.remote = _remote(root, branch)
    with _JournalLocks(root / "codings"):
        from qualcode.services.sync_repair import clear_interrupted

        clear_interrupted(root, result.notes)
        start = git(root, "rev-parse", "HEAD").stdout.strip() if _has_head(root) else None
        result.resumed = _finish_merge(root, identity, result.notes)
        git(root, "add", "-A", "--", *STAGED)
        staged = [p for p in git(root, "diff", "--cached", "--name-only", "-z").stdout.split("\0") if p]
        if staged:
            head = "HEAD" if _has_head(root) else None
            result.committed = describe_staged(root, head, staged, codebook)
            message = f"qualcode sync: {coder} on {_host()}\n\n" + "\n".join(result.committed) + "\n"
            git(root, "commit", "-q", "-m", message, identity=identity)
        _kill_point("committed")
        before = git(root, "rev-parse", "HEAD").stdout.strip() if _has_head(root) else None
        if result.resumed and not staged:  # what the merge left unfinished brought in: said as arrived
            before = start
        for _ in range(MAX_ROUNDS):
            fetched = git(root, "fetch", "-q", remote, check=False)
            if fetched.returncode != 0:
                raise SyncError(f"could not reach the shared repository {remote!r}: {git_said(fetched)}", path=root,
                                hint="your work is committed on this machine and nothing is lost; check the network "
                                     "and the remote (`git remote -v`), then run `qualcode sync` again to share it")
            upstream = f"{remote}/{branch}"
            theirs = git(root, "rev-parse", "-q", "--verify", f"refs/remotes/{upstream}", check=False).stdout.strip()
            known = bool(theirs)  # (``theirs``: what the others pushed, merged in; a push moves the ref on)
            if known:
                proc = git(root, "merge", "-q", "--no-commit", upstream, check=False, identity=identity)
                _kill_point("merging")
                if (root / ".git" / "MERGE_HEAD").exists():
                    _finish_merge(root, identity, result.notes)
                elif proc.returncode != 0:
                    raise SyncError(f"git merge failed: {git_said(proc)}", path=root,
                                    hint="fix what git says (`git status`), then `qualcode sync` again")
            _kill_point("merged")
            if known and git(root, "rev-list", "--count", f"{upstream}..HEAD").stdout.strip() == "0":
                result.up_to_date = True  # the remote has all of it (as fetched just now): nothing to push
                git(root, "branch", "-q", f"--set-upstream-to={upstream}", check=False)
                break
            push = git(root, "push", "-q", remote, f"HEAD:{branch}", check=False)
            if push.returncode == 0:
                result.pushed = True
                git(root, "branch", "-q", f"--set-upstream-to={upstream}", check=False)
                break
            if "rejected" not in push.stderr and "fetch first" not in push.stderr:
                raise SyncError(f"git push failed: {git_said(push)}", path=root,
                                hint="check the remote (`git remote -v`) and your access to it, then `qualcode sync`")
        else:
            raise SyncError("others kept pushing while this sync merged; nothing is lost", path=root,
                            hint="run `qualcode sync` again")
        after = git(root, "rev-parse", "HEAD").stdout.strip()
        if after != before:
            # what the others changed (since the version in common), not what this sync's merge did (a
            # transcript of ours it moved, the lines it appended to journals)
            common = git(root, "merge-base", before, theirs, check=False).stdout.strip() if before and theirs else ""
            old, new = (common or None, theirs) if theirs else (before, after)
            result.arrived = describe(root, old, new, _changed_paths(root, old, new), codebook) if old != new else []
            log = git(root, "log", "--no-merges", "--format=%an%x1f%P%x1f%s", f"{before}..{after}" if before else after).stdout
            result.authors = sorted({_author(*line.split("\x1f", 2)) for line in log.splitlines() if line.count("\x1f") == 2}
                                    - {""})
            told = git(root, "log", "--format=%B", f"{before}..{after}" if before else after).stdout
            from qualcode.services.sync_notes import still_open

            result.notes.extend(still_open(root, codebook, list(dict.fromkeys(
                line[len("Note: "):] for line in told.splitlines()
                if line.startswith("Note: ") and line[len("Note: "):] not in result.notes)), coder, result.notes))
    return result


_SHARED = re.compile(r"^qualcode share: the project, shared by (.+)$")


def _author(name: str, parents: str, subject: str) -> str:
    """Who made a commit that arrived, in words: the git author of a ``qualcode sync`` commit (the
    coder's machine); for a commit made otherwise, what it was rather than a git identity that reads
    like a person (a project seeded by a tool: "Seed e616255b maintainers")."""
    if subject.startswith("qualcode sync: "):
        return name
    shared = _SHARED.match(subject)
    if shared:
        return f"{shared.group(1)}'s `qualcode share`"
    if not parents.strip():
        return "the project's first commit"
    return f"a commit made outside qualcode (git user {name!r})"


def describe_staged(root: Path, head: str | None, paths: list[str], codebook: str) -> list[str]:
    """What my commit holds, in words (journals and codebook; other files by name)."""
    return describe(root, head, None, paths, codebook)


# -- the workbench's check for others' work ------------------------------------------------------------
DEFAULT_CHECK_MINUTES = 5.0


def check_minutes(config, root: Path) -> float:
    """``[team] check_minutes`` of qualcode.toml (default 5; 0 = never check)."""
    team = config.raw.get("team", {})
    value = team.get("check_minutes", DEFAULT_CHECK_MINUTES) if isinstance(team, dict) else DEFAULT_CHECK_MINUTES
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise QualcodeError(f"[team] check_minutes must be a number of minutes (0 = off), not {value!r}",
                            path=Path(root) / "qualcode.toml",
                            hint="write e.g. check_minutes = 5 under [team] in qualcode.toml")
    return float(value)


def shared_remote(root: Path) -> tuple[str, str] | None:
    """(remote, branch) when the project is a git repository on a branch with a remote; else None
    (reads git's configuration only: no network)."""
    root = Path(root)
    if not (root / ".git").exists() or shutil.which("git") is None:
        return None
    branch = git(root, "symbolic-ref", "-q", "--short", "HEAD", check=False).stdout.strip()
    if not branch:
        return None
    try:
        return _remote(root, branch), branch
    except SyncError:
        return None


@dataclass
class Incoming:
    """Commits on the remote that this clone has not merged, touching codings or the codebook."""

    head: str
    """The remote branch's commit (a notice is given once per new head)."""
    authors: list[str]
    coders: list[str]
    """Whose journals changed."""
    codebook: bool

    def words(self) -> str:
        who = ", ".join(self.authors or self.coders) or "the team"
        what = []
        if self.coders:
            what.append("codings of " + ", ".join(self.coders))
        if self.codebook:
            what.append("the codebook")
        return f"New work from {who} ({' and '.join(what)}): sync to bring it in"


def incoming(root: Path, codings: str, codebook: str, fetch: bool = True, timeout: float = 60) -> Incoming | None:
    """What the others pushed and this clone has not merged (None: nothing, or not shared).
    ``fetch`` first updates the remote-tracking branch (the only network use; never touches the
    folder or the journals). SyncError when git fails (no network, remote gone)."""
    root = Path(root)
    where = shared_remote(root)
    if where is None:
        return None
    remote, branch = where
    if fetch:
        git(root, "fetch", "-q", remote, timeout=timeout, quiet=True)
    upstream = f"refs/remotes/{remote}/{branch}"
    head = git(root, "rev-parse", "-q", "--verify", upstream, check=False).stdout.strip()
    if not head or not _has_head(root):
        return None
    paths = ["--", codings.rstrip("/") + "/", codebook]
    span = f"HEAD..{head}"
    authors = git(root, "log", "--no-merges", "--format=%an", span, *paths).stdout.split("\n")
    authors = sorted(set(a for a in authors if a))
    if not authors:
        return None
    changed = [p for p in git(root, "diff", "--name-only", "-z", f"HEAD...{head}", *paths).stdout.split("\0") if p]
    coders = sorted(Path(p).name[:-len(".jsonl")] for p in changed if p.endswith(".jsonl"))
    return Incoming(head, authors, coders, codebook in changed)
