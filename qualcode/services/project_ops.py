"""Making projects and bringing transcripts in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.domain.codebook import Code, Codebook
from qualcode.errors import FormatError, ProjectError, Problem, QualcodeError
from qualcode.store.atomic import write_atomic
from qualcode.store.config import CONFIG_NAME, ProjectConfig, has_control, save_config
from qualcode.store.project import Project

STARTER_CODEBOOK = Codebook(
    name="Starter codebook",
    description="Replace these codes with your own (edit this file, or use the workbench's codebook screen).",
    codes=[
        Code(id="theme", name="A first theme", definition="What this theme covers, in one or two sentences.",
             include="When to apply it.", exclude="When not to, and which code to use instead.",
             examples=["An example quote."], keywords=["example"], colour="#1F77B4", shortcut="1"),
        Code(id="theme.sub", name="A sub-theme", parent="theme", definition="A narrower part of the theme.",
             colour="#6BAED6", shortcut="2"),
    ],
)


def enclosing_project(folder: str | Path) -> Path | None:
    """The folder of the nearest project strictly above ``folder`` (its qualcode.toml), or None."""
    root = Path(folder).resolve()
    for above in root.parents:
        if (above / CONFIG_NAME).is_file():
            return above
    return None


def _project_name(root: Path) -> str:
    """The name qualcode.toml gives the project in ``root`` (its folder's name if it cannot be read)."""
    try:
        from qualcode.store.config import load_config

        return load_config(root).name or root.name
    except (QualcodeError, OSError, ValueError):  # a broken qualcode.toml still encloses: name its folder
        return root.name


def init_project(folder: str | Path, name: str | None = None, *, inside: bool = False) -> Project:
    """Create a working project in ``folder`` (which may exist, but must not hold a project). A folder
    inside another project is refused unless ``inside``: every command run there would find the new
    project, not the enclosing one, and the enclosing project's files would hold the new one's."""
    from qualcode.formats.codebook_yaml import save_codebook

    root = Path(folder).resolve()
    if has_control(name or root.name):
        raise ProjectError(f"the project name {name or root.name!r} holds a line break or another control character",
                           path=root, hint="choose a name (or a folder name) without line breaks or tabs")
    if (root / CONFIG_NAME).exists():
        raise ProjectError("there is a project here already", path=root / CONFIG_NAME,
                           hint="open it with `qualcode`, or choose another folder")
    outer = enclosing_project(root)
    if outer is not None and not inside:
        elsewhere = outer.parent / root.name
        raise ProjectError(
            f"this folder is inside the project {_project_name(outer)!r} ({outer}): a project here would be nested "
            "in it; nothing created", path=root,
            hint=f"a project nested there would take over every command run in it; choose a folder outside {outer} "
                 f"(e.g. `qualcode init {elsewhere}`), or add --inside to nest it on purpose")
    try:
        root.mkdir(parents=True, exist_ok=True)
        for sub in ("codebooks", "transcripts", "codings", "exports"):
            (root / sub).mkdir(exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"cannot create the project folder: {exc.strerror}", path=root) from None
    cfg = ProjectConfig(name=name or root.name, codebook="codebooks/codebook.yaml")
    save_codebook(STARTER_CODEBOOK, root / cfg.codebook)
    write_atomic(root / cfg.cases, "transcript,case\n")
    write_atomic(root / ".gitignore", ".qualcode/\ncodings/*.lock\n")
    save_config(root, cfg)
    return Project.open(root, search=False)


@dataclass
class ImportResult:
    imported: list[tuple[str, str]] = field(default_factory=list)
    """(transcript id, path in the project)"""
    unchanged: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    failed: list[tuple[str, QualcodeError]] = field(default_factory=list)
    """(file given, why it was not imported): only with ``keep_going``"""


MAX_FILE_NAME = 200
"""Bytes in a transcript's file name (file systems allow 255; some cloud drives fewer)."""


def _safe_ext(path: Path) -> str:
    ext = path.suffix.lower()
    return ext if re.fullmatch(r"\.[a-z0-9]{1,8}", ext) else ".txt"


def import_transcripts(project: Project, files: list[str | Path], *, replace: bool = False,
                       transcript_id: str | None = None, title: str | None = None,
                       keep_going: bool = False) -> ImportResult:
    """Check every file first, then copy each good one as ``<id><ext>`` (each copy atomic).
    Without ``keep_going`` nothing is copied if one file is bad (its error is raised); with it the
    good files are copied and each bad one is listed in ``result.failed``.
    ``transcript_id`` and ``title`` (one file only) are set in the copy's front matter."""
    if (transcript_id or title) and len(files) != 1:
        raise FormatError("--id and --title name one transcript", hint="import the files one at a time with them")

    result = ImportResult()
    planned = []
    seen: dict[str, Path] = {}
    texts: dict[str, list[str]] = {}  # text hash -> ids: the project's transcripts, then the files given
    for e in project.index:
        texts.setdefault(e.hash, []).append(e.id)
    for f in files:
        kept = len(result.warnings)
        try:
            _plan_one(project, Path(f), result, planned, seen, texts, replace=replace,
                      transcript_id=transcript_id, title=title)
        except QualcodeError as exc:
            if not keep_going:
                raise
            del result.warnings[kept:]  # a file not imported says why once, not with its warnings too
            result.failed.append((str(f), exc))
    for tid, src, dest, old, data in planned:
        write_atomic(dest, data)
        if old is not None and old.exists():
            old.unlink()
        result.imported.append((tid, dest.relative_to(project.root).as_posix()))
    project.refresh_index()
    return result


def _plan_one(project: Project, src: Path, result: ImportResult, planned: list, seen: dict[str, Path],
              texts: dict[str, list[str]], *, replace: bool, transcript_id: str | None, title: str | None) -> None:
    """Check one file and add its copy to ``planned`` (or its id to ``result.unchanged``); raises when it is bad."""
    from qualcode.formats.transcripts import parse_transcript
    from qualcode.formats.transcripts.stamp import stamp_front_matter

    if not src.is_file():
        if src.exists():
            raise FormatError("not a regular file (a folder, a FIFO or a device); refused", path=src,
                              hint="give the transcript files themselves")
        raise FormatError("file not found", path=src, hint="check the path")
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the transcript: {exc.strerror}", path=src) from None
    name = src.name
    if data.startswith(b"PK") and transcript_id and not title:
        name = f"{transcript_id}{_safe_ext(src)}"  # a Word file's id is its file name
    elif transcript_id or title:
        data = stamp_front_matter(data, src.name, {"id": transcript_id or "", "title": title or ""})
    transcript, warnings = parse_transcript(data, name, aliases=project.config.aliases or None,
                                            speakers=project.speaker_settings())
    own = transcript.metadata.get("id")
    if transcript_id and transcript.id != transcript_id and name != src.name and own not in (None, ""):
        # a Word file's id: its front matter's, else its file name (which --id sets); the front matter
        # of a Word file cannot be rewritten here as a text transcript's is
        raise FormatError(f"{src.name} gives its own id {str(own).strip()!r} in its front matter, and a Word file's "
                          f"own id wins over --id {transcript_id!r}", path=src,
                          hint=f"import it without --id (it becomes transcript {transcript.id!r}), or change the "
                               f"`id:` line at the top of the document to {transcript_id} (or delete it) and "
                               "import again")
    if transcript_id and transcript.id != transcript_id:
        raise FormatError(f"--id {transcript_id!r} cannot be used as a transcript id", path=src,
                          hint="use letters, digits, '-' and '_' (e.g. --id hearing-07)")
    result.warnings.extend(warnings)
    if transcript.id in seen:
        raise FormatError(f"two files would both be transcript {transcript.id!r} (also {seen[transcript.id]})",
                          path=src, hint="give one of them an `id:` in its front matter, or rename it")
    seen[transcript.id] = src
    dest = project.transcripts_dir / f"{transcript.id}{_safe_ext(src)}"
    if len(dest.name.encode("utf-8")) > MAX_FILE_NAME:
        raise FormatError(f"the transcript id is too long to be a file name ({len(transcript.id)} characters)",
                          path=src, hint="give it a shorter `id:` in its front matter, or rename the file")
    twins = [t for t in texts.get(transcript.hash, ()) if t != transcript.id]
    again = project.index.get(transcript.id)
    # the same interview twice (a copy under another name) would count twice in every table; a
    # re-import of the same file is no news
    if twins and (again is None or again.hash != transcript.hash):
        result.warnings.append(Problem(
            f"has the same text as transcript {twins[0]!r}: imported as {transcript.id!r} all the same; if it "
            f"is the same interview, delete one of the two files from the transcripts folder", str(src)))
    texts.setdefault(transcript.hash, []).append(transcript.id)
    existing = project.index.get(transcript.id)
    if existing is not None:
        old = project.root / existing.path
        if old != dest and not replace:
            # the same id from another file (otter.docx, then otter.txt): never skipped in silence
            raise FormatError(
                f"transcript {transcript.id!r} exists already, imported from another file ({existing.path}); "
                f"{src.name} not imported", path=src,
                hint=f"to keep both, import it under a new id (`qualcode import --id {transcript.id}-2 {src}`); "
                     f"to make it the new version of {transcript.id!r}, add --replace")
        if existing.hash == transcript.hash and old == dest:
            result.unchanged.append(transcript.id)
            return
        if not replace:
            raise FormatError(f"transcript {transcript.id!r} exists already with other text ({existing.path})",
                              path=src, hint="use --replace to bring in the new version (codings follow their "
                                             "text: `qualcode check` shows where, `check --fix` saves it), or "
                                             f"--id NEW to import it as another transcript")
        planned.append((transcript.id, src, dest, old if old != dest else None, data))
        return
    planned.append((transcript.id, src, dest, None, data))
