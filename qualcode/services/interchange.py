"""REFI-QDA interchange: export a project (.qdpx) or its codebook (.qdc), import either.

    export_qdpx(project, dest=None, positions="auto") -> ExportResult
                                                           qualcode export qdpx [-o FILE] [--positions P]
    export_qdc(project, dest=None) -> ExportResult         qualcode export qdc [-o FILE]
    import_project(file, folder) -> ProjectImport          qualcode import-project FILE DIR
    import_codebook(project, file, replace=False, force=False) -> CodebookImport
                                                           qualcode import-codebook FILE
    coder_names(project) -> {coder: name}                  the REFI user's name of each imported coder

What maps to what, what is lost, how offsets are read and why: docs/interchange.md.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from qualcode.domain.codebook import Codebook, validate
from qualcode.domain.coding import Coding, make_coding
from qualcode.errors import CodebookError, FormatError, Problem, ProjectError, QualcodeError
from qualcode.formats.refi import codebook as refi_codebook
from qualcode.formats.refi import layout, merge
from qualcode.formats.refi.exporting import ExportInput, build
from qualcode.formats.refi.guids import GuidMaker, is_guid, normalise_guid
from qualcode.formats.refi.importing import ImportPlan, plan_import
from qualcode.formats.refi.positions import WRITE_CODEPOINTS, WRITE_UTF16
from qualcode.formats.refi.reader import read_project, root_name
from qualcode.formats.refi.safezip import Limits, open_package, parse_xml
from qualcode.formats.refi.writer import write_qdpx
from qualcode.store.anchoring import ORPHANED, anchor
from qualcode.export.output import refuse_inputs
from qualcode.store.atomic import fsync_dir, write_atomic
from qualcode.store.config import CONFIG_NAME, load_config, save_config
from qualcode.store.project import Project


def _origin() -> str:
    try:
        from importlib.metadata import version

        return f"qualcode {version('qualcode')}"
    except Exception:  # noqa: BLE001 - not installed as a package
        return "qualcode"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _default_name(project: Project, ext: str) -> Path:
    stem = refi_codebook.slug(project.config.name, 60).replace("_", "-") or "project"
    return project.exports_dir / f"{stem}.{ext}"


# -- what an imported project remembers of its REFI-QDA file (qualcode.toml [refi.*]) ---------------
_USER = re.compile(r"^(.*?)\s*\{([^{}]+)\}$")


def _imported_notes(project: Project) -> list[tuple[str, str]]:
    """The project's and documents' memos an import saved to imported-notes.md (to go back out)."""
    try:
        return layout.read_notes_md((project.root / layout.NOTES_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return []


def _refi_table(project: Project, name: str) -> dict[str, str]:
    refi = project.config.raw.get("refi")
    table = refi.get(name) if isinstance(refi, dict) else None
    return {str(k): v for k, v in table.items() if isinstance(v, str)} if isinstance(table, dict) else {}


def imported_users(project: Project) -> dict[str, tuple[str, str]]:
    """coder -> (REFI user name, GUID) from ``[refi.users]`` (``"Bob Jones {guid}"``)."""
    out = {}
    for coder, value in _refi_table(project, "users").items():
        m = _USER.match(value)
        name, g = (m.group(1), normalise_guid(m.group(2)) or "") if m and is_guid(m.group(2)) else (value, "")
        out[coder] = (coder if name.startswith("(") else name, g)  # "(no user given)" is not a name
    return out


def coder_names(project: Project) -> dict[str, str]:
    """coder -> the user's name as the REFI-QDA file wrote it, for the coders whose id is not that name
    (``张伟`` for ``han-4e9998``, ``Анна`` for ``Anna``): what to show beside the id wherever coders
    are listed."""
    return {coder: name for coder, (name, _) in imported_users(project).items() if name and name != coder}


def imported_code_guids(project: Project) -> dict[str, str]:
    """code id -> the GUID it came with (``[refi.codes]``), following codes renamed since."""
    book, out = project.codebook, {}
    table = _refi_table(project, "codes")
    for cid, g in sorted(table.items(), key=lambda kv: kv[0] not in book.by_id):  # current ids first
        cur = cid if cid in book.by_id else book.resolve_code(cid)
        if cur in book.by_id and cur not in out and is_guid(g):
            out[cur] = normalise_guid(g)
    return out


def _remember_code_guids(project: Project, ids: dict[str, str], book: Codebook) -> None:
    """Record in ``[refi.codes]`` the GUID of each code that has none yet (the file's GUID, unless it is
    the one qualcode gives the code anyway)."""
    kept, own = imported_code_guids(project), GuidMaker(project.config.name)
    taken = set(kept.values())
    new = {cid: g for g, cid in ids.items()
           if cid in book.by_id and cid not in kept and g not in taken and is_guid(g) and g != own("code", cid)}
    if not new:
        return
    cfg = project.config
    refi = cfg.raw.setdefault("refi", {})
    refi.setdefault("codes", {}).update(new)
    save_config(project.root, cfg)


# -- export ------------------------------------------------------------------------------------
@dataclass
class ExportResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    size: int = 0
    positions: str = WRITE_CODEPOINTS
    """How the selections' positions count: ``codepoints`` or ``utf16``."""


def _current_codings(project: Project, warnings: list[Problem]) -> dict[str, list[Coding]]:
    """Every coder's codings at their place in the transcripts' current text (re-anchored if edited)."""
    out: dict[str, list[Coding]] = {}
    orphaned = missing = 0
    for coder in project.coders():
        kept = []
        for c in project.codings(coder):
            entry = project.index.get(c.transcript)
            if entry is None:
                missing += 1
                continue
            if c.th == entry.hash and 0 <= c.start < c.end <= entry.chars:
                kept.append(c)
                continue
            t = project.transcript(c.transcript)
            a = anchor(c, t.text, t.hash)
            if a.status == ORPHANED or a.start >= a.end:
                orphaned += 1
                continue
            kept.append(c._replace(start=a.start, end=a.end))
        if kept:
            out[coder] = kept
    if missing:
        warnings.append(Problem(f"{missing} coding(s) on transcripts that are no longer in the project were left out"))
    if orphaned:
        warnings.append(Problem(f"{orphaned} coding(s) whose text is no longer in their transcript were left out "
                                "(see `qualcode check`)"))
    return out


def _marks(project: Project, warnings: list[Problem]) -> tuple[dict, dict]:
    """coder -> transcript id -> that coder's memo on the transcript (``T`` in the workbench), and
    coder -> transcript id -> the status the coder said (``D``, ``qualcode status``)."""
    memos: dict[str, dict[str, str]] = {}
    statuses: dict[str, dict[str, str]] = {}
    gone = 0
    for coder in project.coders():
        for tid, marks in sorted(project.codings(coder).marks.items()):
            if tid not in project.index:
                gone += bool(marks.get("memo"))
                continue
            if marks.get("memo"):
                memos.setdefault(coder, {})[tid] = marks["memo"]
            if marks.get("status"):
                statuses.setdefault(coder, {})[tid] = marks["status"]
    if gone:
        warnings.append(Problem(f"{gone} memo(s) on transcripts that are no longer in the project were left out"))
    return memos, statuses


POSITIONS = ("auto", WRITE_CODEPOINTS, WRITE_UTF16)
"""``export qdpx --positions``: how selection positions count (docs/interchange.md, "Offsets")."""


def export_positions(project: Project, positions: str = "auto") -> str:
    """``codepoints`` or ``utf16``. ``auto``: UTF-16 code units for a project imported from NVivo (it is
    going back there; NVivo counts so), else code points, as REFI-QDA 1.5 §10.2 says and ATLAS.ti,
    MAXQDA, QualCoder and qualcode itself read them."""
    if positions not in POSITIONS:
        raise QualcodeError(f"unknown way of counting positions: {positions!r}",
                            hint="use codepoints, utf16 or auto")
    if positions != "auto":
        return positions
    refi = project.config.raw.get("refi")
    origin = refi.get("origin") if isinstance(refi, dict) else None
    return WRITE_UTF16 if isinstance(origin, str) and "nvivo" in origin.lower() else WRITE_CODEPOINTS


def export_qdpx(project: Project, dest: str | Path | None = None, *, now: str | None = None,
                positions: str = "auto") -> ExportResult:
    """Write the project as a REFI-QDA 1.5 .qdpx (valid against Project-mrt2019.xsd), its selections'
    positions counted as ``positions`` says (``export_positions``)."""
    dest = Path(dest) if dest else _default_name(project, "qdpx")
    positions = export_positions(project, positions)
    refuse_inputs(project, dest)  # never over a journal, a transcript, the codebook
    warnings: list[Problem] = [Problem(p.message, p.path, p.line) for p in project.index.problems]
    transcripts = [project.transcript(e.id) for e in project.index]
    codings = _current_codings(project, warnings)
    memos, statuses = _marks(project, warnings)
    cases = project.cases
    data = ExportInput(name=project.config.name, origin=_origin(), codebook=project.codebook, transcripts=transcripts,
                       codings=codings, coders=list(project.config.coders), attributes=cases.attributes,
                       case_of=cases.case_of, columns=cases.columns, now=now or _now(),
                       users=imported_users(project), code_guids=imported_code_guids(project),
                       notes=_imported_notes(project), transcript_memos=memos, statuses=statuses,
                       positions=positions)
    model, problems = build(data)
    warnings += problems
    from qualcode.export.provenance import stamp  # where the exported data came from, in the project's Description

    model.description = "\n\n".join(x for x in (model.description, stamp(project).text()) if x)
    from qualcode.export.keep import guarded  # a file there edited since qualcode wrote it is kept beside

    try:
        with guarded(project, dest):
            size = write_qdpx(dest, model)
    except OSError as exc:
        raise QualcodeError(f"could not write the export: {exc.strerror}", path=dest,
                            hint="check the folder exists, is writable and the disk has space") from None
    counts = {"users": len(model.users), "codes": len(model.codes), "sources": len(model.sources),
              "selections": sum(len(s.selections) for s in model.sources),
              "memos": sum(1 for n in model.notes if n.name != refi_codebook.META_NAME),
              "cases": len(model.cases), "variables": len(model.variables)}
    return ExportResult(dest, counts, warnings, size, positions)


def export_qdc(project: Project, dest: str | Path | None = None) -> ExportResult:
    """Write the codebook as a REFI-QDA .qdc (valid against Codebook.xsd)."""
    dest = Path(dest) if dest else _default_name(project, "qdc")
    refuse_inputs(project, dest)
    data = refi_codebook.write_qdc(project.codebook, GuidMaker(project.config.name), _origin(),
                                   imported_code_guids(project))
    from qualcode.export.keep import guarded

    try:
        with guarded(project, dest):
            write_atomic(dest, data)
    except OSError as exc:
        raise QualcodeError(f"could not write the export: {exc.strerror}", path=dest,
                            hint="check the folder exists, is writable and the disk has space") from None
    return ExportResult(dest, {"codes": len(project.codebook)}, [], len(data))


# -- reading a file ----------------------------------------------------------------------------
def _xml_name(file: Path, pkg) -> str:
    return str(file) if pkg.zip is None else f"{file}:{pkg.qde_name}"


# -- import a project --------------------------------------------------------------------------
@dataclass
class ProjectImport:
    root: Path
    found: dict[str, int] = field(default_factory=dict)
    """What the file held: users, codes, sources, text_sources, selections, codings, notes, cases ..."""
    imported: dict[str, int] = field(default_factory=dict)
    """What the new project holds: transcripts, codes, coders, codings, memos, cases."""
    coders: dict[str, tuple[str, str]] = field(default_factory=dict)
    """coder -> (REFI user name, GUID)"""
    offsets: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def _write_file(path: Path, text: str) -> None:
    """Write a file of the project being built (made durable by one ``os.sync`` before the rename)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _build(tmp: Path, plan: ImportPlan, source: Path, origin: str, result: ProjectImport) -> None:
    from qualcode.formats.codebook_yaml import save_codebook

    for sub in ("codebooks", "transcripts", "codings", "exports"):
        (tmp / sub).mkdir(parents=True)
    save_codebook(plan.codebook, tmp / "codebooks" / "codebook.yaml")
    for t in plan.transcripts:
        _write_file(tmp / "transcripts" / f"{t.id}.txt", layout.transcript_file(t))
    _write_file(tmp / ".gitignore", ".qualcode/\ncodings/*.lock\n")
    if plan.other_notes:
        _write_file(tmp / layout.NOTES_NAME, layout.notes_md(plan))
    _write_file(tmp / CONFIG_NAME, layout.config_text(plan, source, origin))
    texts = _check_texts(tmp, plan, result.warnings)
    _write_cases(tmp, plan, set(texts))
    # The transcript index is left to be built when the project is first opened: the codings only
    # need each transcript's text as qualcode reads it, which _check_texts has.
    project = Project(tmp, load_config(tmp))
    try:
        book = project.codebook
        n_codings = n_memos = n_transcript_memos = 0
        for coder in dict.fromkeys([*plan.codings, *plan.transcript_memos, *plan.statuses]):
            ops = []
            for pc in plan.codings.get(coder, []):
                got = texts.get(pc.transcript)
                if got is None:
                    continue
                transcript, remap = got
                span = remap(pc) if remap else (pc.start, pc.end)
                if span is None:
                    continue
                c = make_coding(transcript=transcript.id, start=span[0], end=span[1], code=pc.code, coder=coder,
                                text=transcript.text, th=transcript.hash, memo=pc.memo)
                if pc.created:
                    c = c._replace(created=pc.created)
                if pc.guid:  # the selection's GUID survives the round trip as the coding's id
                    c = c._replace(id=pc.guid)
                assert c.code in book
                ops.append({"op": "add", "coding": c.to_json()})
                n_memos += bool(pc.memo)
            n_codings += len(ops)
            # a document's memo is the coder's transcript memo (a ``tset``, as `T` in the workbench saves it)
            for tid, memo in plan.transcript_memos.get(coder, {}).items():
                if tid in texts and memo:
                    ops.append({"op": "tset", "t": tid, "key": "memo", "value": memo})
                    n_transcript_memos += 1
            for tid, status in plan.statuses.get(coder, {}).items():
                if tid in texts:
                    ops.append({"op": "tset", "t": tid, "key": "status", "value": status})
            if ops:
                session = project.session(coder)
                try:
                    session.commit({"op": "batch", "ops": ops})
                finally:
                    session.close()
        result.imported = {"transcripts": len(texts), "codes": len(plan.codebook), "coders": len(plan.coders),
                           "codings": n_codings, "memos": n_memos, "transcript_memos": n_transcript_memos,
                           "cases": len({plan.case_of[t] for t in texts if t in plan.case_of})}
    finally:
        project.close()


def _write_cases(tmp: Path, plan: ImportPlan, tids: set[str]) -> None:
    _write_file(tmp / "cases.csv", layout.cases_csv(plan, tids))


def _check_texts(root: Path, plan: ImportPlan, warnings: list[Problem]) -> dict:
    """Each planned transcript as qualcode's importer reads it back, and a remap of planned offsets
    when its text is not exactly the planned text (None when it is)."""
    from qualcode.formats.transcripts import read_transcript

    out = {}
    for t in plan.transcripts:
        path = root / "transcripts" / f"{t.id}.txt"
        try:
            got, _ = read_transcript(path)
        except QualcodeError as exc:
            warnings.append(Problem(f"transcript {t.id!r} could not be read back and was left out, with its codings: "
                                    f"{exc.message}"))
            path.unlink()
            continue
        if got.id != t.id:
            raise QualcodeError(f"transcript {t.id!r} reads back as {got.id!r}")  # a bug, not the file's fault
        if got.text == t.text:
            out[t.id] = (got, None)
            continue
        stripped = t.text.lstrip("\n")
        if got.text == stripped:
            shift = len(t.text) - len(stripped)

            def remap(pc, shift=shift, n=len(got.text)):
                a, b = max(0, pc.start - shift), min(n, pc.end - shift)
                return (a, b) if a < b else None
        else:
            warnings.append(Problem(f"transcript {t.id!r} reads back with different text (qualcode's importer "
                                    "re-rendered it); its codings were placed by their quoted text"))

            def remap(pc, planned=t.text, got=got):
                probe = Coding(id="", transcript=got.id, start=pc.start, end=pc.end, code=pc.code, coder="",
                               quote=planned[pc.start:pc.end], th="")
                a = anchor(probe, got.text, got.hash)
                return None if a.status == ORPHANED or a.start >= a.end else (a.start, a.end)
        out[t.id] = (got, remap)
    return out


def import_project(file: str | Path, folder: str | Path, *, limits: Limits | None = None) -> ProjectImport:
    """Make a new qualcode project in ``folder`` from a .qdpx (or a bare .qde).

    The project is built in a hidden folder beside ``folder`` and renamed into place at the end: on
    any failure nothing is left behind. ``folder`` must not exist, or be an empty folder.
    """
    file, target = Path(file), Path(folder).absolute()
    _refuse_target(target)
    pkg = open_package(file, limits)
    try:
        model, reader = read_project(pkg.qde, _xml_name(file, pkg))
        pkg.qde = b""  # the model holds what is needed; free the XML before reading the texts
        plan = plan_import(model, pkg, str(file), reader.problems)
    finally:
        pkg.close()
    return build_project(plan, file, target, model.origin, dict(model.counts))


def _refuse_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ProjectError("the target folder exists and is not empty", path=target,
                           hint="give a new folder name; import-project makes a new project")


def build_project(plan: ImportPlan, file: Path, target: Path, origin: str, found: dict) -> ProjectImport:
    """Write ``plan`` as a new project in ``target`` (built beside it, renamed into place at the end)."""
    target = Path(target).absolute()
    _refuse_target(target)
    result = ProjectImport(root=target, found=found, coders=dict(plan.coders),
                           offsets=dict(plan.offsets), warnings=list(plan.warnings))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"cannot create the folder: {exc.strerror}", path=target.parent) from None
    tmp = target.parent / f".{target.name}.importing-{secrets.token_hex(4)}"
    try:
        tmp.mkdir()
        _build(tmp, plan, file, origin, result)
        os.sync()  # every file of the new project on disk before it appears under its name
        if target.exists():
            target.rmdir()
        os.rename(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


# -- import a codebook -------------------------------------------------------------------------
@dataclass
class CodebookImport:
    mode: str
    backup: Path | None = None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Codes of the current codebook the file does not have, kept (merge)."""
    warnings: list[Problem] = field(default_factory=list)


def _codes_from_file(file: Path, limits: Limits | None):
    pkg = open_package(file, limits)
    try:
        name = _xml_name(file, pkg)
        if root_name(pkg.qde, name) == "CodeBook":
            codes, meta, problems, _ = refi_codebook.read_qdc(parse_xml(pkg.qde, name), str(file))
            return codes, meta, problems
        model, reader = read_project(pkg.qde, name)
        meta = None
        for n in model.notes:
            if n.name == refi_codebook.META_NAME:
                found = refi_codebook.read_meta(n.text)
                meta = found.get("codebook") if found else None
        return model.codes, meta, reader.dropped_problems() + reader.problems
    finally:
        pkg.close()


def import_codebook(project: Project, file: str | Path, *, replace: bool = False, force: bool = False,
                    limits: Limits | None = None) -> CodebookImport:
    """Bring a .qdc (or the codebook of a .qdpx) into the project's codebook.

    Codes are matched to the current ones by qualcode's metadata, by GUID (a file exported from this
    project keeps its GUIDs) or by their full path of names. Merge (the default): matched codes are
    updated, new ones added, the others kept. ``replace``: the codebook becomes the file's codes;
    when codings use a code that would vanish this refuses, unless ``force``. Either way the old
    codebook file is copied to ``<codebook>.<time>.bak`` first.
    """
    file = Path(file)
    codes, meta, problems = _codes_from_file(file, limits)
    if not codes:
        raise FormatError("the file holds no codes", path=file, hint="is this the codebook you meant?")
    old = project.codebook
    kept = {g: cid for cid, g in imported_code_guids(project).items()}
    known = merge.known_ids(old, codes, GuidMaker(project.config.name), kept)
    incoming, ids, more = refi_codebook.from_refi(codes, meta, known, reserved=set(old.by_id), path=str(file))
    m = merge.merge(old, incoming, replace_all=replace)
    result = CodebookImport(mode="replace" if replace else "merge", added=m.added, updated=m.updated,
                            unchanged=m.unchanged, removed=m.removed, kept=m.kept, warnings=problems + more)
    name = old.name if not replace or not meta else (meta.get("name") or old.name)
    description = old.description if not replace or not meta else (meta.get("description") or old.description)
    book = Codebook(codes=m.codes, name=name, description=description, path=str(project.codebook_path))
    problems = validate(book)
    if problems:
        raise CodebookError(problems, path=project.codebook_path)
    if result.removed:
        _refuse_vanishing(project, set(result.removed), force, result)
    from qualcode.formats.codebook_yaml import codebook_to_data

    book.renamed, book.merged, book.dropped = dict(old.renamed), dict(old.merged), list(old.dropped)
    if codebook_to_data(book) != codebook_to_data(old):  # else nothing to change: no write, no backup
        result.backup = _backup(project)
        project.set_codebook(book)
    _remember_code_guids(project, ids, book)
    return result


def _refuse_vanishing(project: Project, gone: set[str], force: bool, result: CodebookImport) -> None:
    used: Counter[str] = Counter()
    for coder in project.coders():
        for c in project.codings(coder):
            if c.code in gone:
                used[c.code] += 1
    if not used:
        return
    listed = ", ".join(f"{code} ({n})" for code, n in used.most_common(10)) + (" ..." if len(used) > 10 else "")
    if not force:
        raise QualcodeError(
            f"{sum(used.values())} coding(s) use codes the file does not have: {listed}; nothing was changed",
            path=project.codebook_path,
            hint="import without --replace to merge (keeps those codes), or add --force to replace anyway "
                 "(the codings keep their code ids and `qualcode check` lists them)")
    result.warnings.append(Problem(f"{sum(used.values())} coding(s) now use codes that are not in the codebook: "
                                   f"{listed} (a backup of the old codebook was kept)"))


def _backup(project: Project) -> Path | None:
    path = project.codebook_path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    n = 2
    while backup.exists():
        backup = path.with_name(f"{path.name}.{stamp}-{n}.bak")
        n += 1
    write_atomic(backup, data)
    return backup
