"""Where an export goes, and writing it whole or not at all (temp file, fsync, rename)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from qualcode.store.atomic import write_atomic
from qualcode.errors import QualcodeError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str, limit: int = 48) -> str:
    """A file-name-safe version of ``text`` ('Table 3: Codes x cases' -> 'table-3-codes-x-cases')."""
    s = _UNSAFE.sub("-", str(text).lower()).strip("-.")
    return (s[:limit].rstrip("-.") or "table")


def output_path(project, path: str | Path | None, default_name: str) -> Path:
    """``path`` as given (relative to the current folder), or ``exports/<default_name>`` in the project;
    never one of the project's inputs (``refuse_inputs``)."""
    if path is None or str(path) == "":
        return Path(project.exports_dir) / default_name
    return refuse_inputs(project, Path(path).expanduser())


def _inputs(project) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
    """(files, folders) the project reads, each with the name a message gives it. A folder that is
    the project folder itself (a codebook at the top) is not one: exports/ is inside it."""
    from qualcode.store.config import CONFIG_NAME

    root = Path(project.root).resolve()
    files = [(Path(project.codebook_path), "the codebook"),
             (Path(project.cases_path), "cases.csv, the case attributes"),
             (root / CONFIG_NAME, "the project's settings (qualcode.toml)")]
    folders = [(Path(project.transcripts_dir), "the transcripts folder"),
               (Path(project.codings_dir), "the codings folder (the coders' journals)"),
               (Path(project.codebook_path).parent, "the codebooks folder")]
    files = [(p.resolve(), what) for p, what in files]
    folders = [(p.resolve(), what) for p, what in folders if p.resolve() != root]
    return files, folders


def _clash(project, target: Path, folder: bool) -> str | None:
    """How ``target`` would touch the project's inputs ("is the codebook", ...), or None."""
    files, folders = _inputs(project)
    for p, what in files:
        if p == target:
            return f"is {what}"
        if folder and target in p.parents:
            return f"holds {what}"
    for p, what in folders:
        if p == target or p in target.parents:
            return f"is in {what}"
        if folder and target in p.parents:
            return f"holds {what}"
    return None


def refuse_inputs(project, path: Path, *, folder: bool = False) -> Path:
    """An export never writes into or over what the project reads: its transcripts, codings and
    codebooks folders, cases.csv, qualcode.toml. A folder export (CSV) may not hold them either."""
    clash = _clash(project, Path(path).expanduser().resolve(), folder)
    if clash is not None:
        example = Path(project.exports_dir).name + "/" + ("tables-2" if folder else Path(path).name)
        raise QualcodeError(f"this {'folder' if folder else 'path'} {clash}: an export must not replace or "
                            "add to the project's own files", path=path,
                            hint=f"write somewhere else, e.g. -o {example}")
    return Path(path)


def _nearest_existing(path: Path) -> Path:
    p = path
    while not p.exists() and p.parent != p:
        p = p.parent
    return p


def check_suffix(path: Path, suffix: str, what: str | None = None) -> None:
    """An output name must end the way its format does: ``-o report`` or ``xlsx -o t.csv`` is an error."""
    if Path(path).suffix.lower() != suffix:
        fixed = Path(path).with_suffix(suffix).name if Path(path).suffix else Path(path).name + suffix
        raise QualcodeError(f"this name does not end in {suffix}: the file would be {what or suffix[1:].upper()} "
                            "under another extension", path=path, hint=f"name it {fixed}")


def check_writable(path: Path, *, folder: bool = False, suffix: str | None = None) -> Path:
    """Fail early, with a message that names the path, if ``path`` cannot be written. Nothing is
    created here: folders are made only when the export is ready to be saved (``save_bytes``)."""
    path = Path(path)
    if not folder and path.is_dir():
        raise QualcodeError("this is a folder, not a file name", path=path,
                            hint="give a file name, e.g. exports/report.docx")
    if suffix is not None and not folder:
        check_suffix(path, suffix)
    if folder and path.exists() and not path.is_dir():
        raise QualcodeError("this is a file, not a folder", path=path, hint="give a folder for the CSV files")
    parent = path if folder else path.parent
    existing = _nearest_existing(parent)
    if not existing.is_dir():
        raise QualcodeError("cannot create the folder: a file of that name is in the way", path=existing,
                            hint="choose another place to write (-o PATH)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise QualcodeError("cannot write in this folder (permission denied)", path=existing,
                            hint="choose a folder you can write to (-o PATH)")
    if not folder and path.exists() and not os.access(path, os.W_OK):
        raise QualcodeError("the file exists and is read-only (or open in another program)", path=path,
                            hint="close it, or write to another file name with -o")
    return path


def make_folder(folder: Path) -> Path:
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QualcodeError(f"cannot create the folder: {exc.strerror}", path=folder,
                            hint="choose a folder you can write to (-o PATH)") from None
    return Path(folder)


def save_bytes(path: Path, data: bytes, project=None) -> Path:
    """Write ``data`` to ``path`` atomically: a reader sees the old file or the new one, never a part.
    The folder is made now, once everything to write is ready. With ``project``, a file at ``path``
    that qualcode did not write, or that was changed since, is kept beside it first (``keep``), and
    what was written is remembered; ``keep.kept_for(path)`` then says what was kept."""
    from qualcode.export import keep

    path = check_writable(Path(path))
    make_folder(path.parent)
    if project is None:
        write_atomic(path, data)
        return path
    try:
        kept = keep.keep_aside(project, path)
    except OSError as exc:
        raise QualcodeError(f"the file there was changed since qualcode wrote it (or not written by qualcode), "
                            f"and it could not be kept aside: {exc.strerror}; nothing was written", path=path,
                            hint="move or rename it yourself, or write to another file name with -o") from None
    try:
        write_atomic(path, data)
    except BaseException:
        if kept is not None:
            try:
                os.unlink(kept.path)  # the old file is still at ``path``, unchanged
            except OSError:
                pass
        raise
    keep.remember(project, {path: keep.digest(data)})
    keep.note(path, kept)
    return path
