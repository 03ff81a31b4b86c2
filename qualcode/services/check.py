"""`qualcode check`: the whole project validated, every finding listed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from qualcode.errors import CodebookError, Problem, QualcodeError
from qualcode.store.anchoring import KEPT, MOVED, ORPHANED
from qualcode.store.cases import Cases, ConflictMarkers, marker_line
from qualcode.store.project import Project


@dataclass
class Finding:
    area: str
    """codebook, transcripts, cases, journals, anchors"""
    problem: Problem
    severity: str = "warning"
    """'error' (the project cannot be used as it is) or 'warning'."""

    def to_json(self) -> dict:
        return {"area": self.area, "severity": self.severity, "message": self.problem.message,
                "path": self.problem.path, "line": self.problem.line}


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    anchors: Counter = field(default_factory=Counter)
    moved: list[dict] = field(default_factory=list)
    orphaned: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    reshaped: list[str] = field(default_factory=list)
    """The codebook's records of renamed, merged and dropped codes (notes, not findings)."""
    fixed: int = 0
    """Moved codings whose new place ``--fix`` saved."""
    notes: list[Finding] = field(default_factory=list)
    """Worth saying, not wrong (a guessed role, a transcript with no case row): the project stays clean."""

    @property
    def clean(self) -> bool:
        return not self.findings

    def add(self, area: str, problem: Problem, severity: str = "warning") -> None:
        self.findings.append(Finding(area, problem, severity))

    def note(self, area: str, problem: Problem) -> None:
        self.notes.append(Finding(area, problem, "note"))

    def to_json(self) -> dict:
        return {"clean": self.clean, "counts": self.counts, "anchors": dict(self.anchors), "fixed": self.fixed,
                "moved": self.moved, "orphaned": self.orphaned, "reshaped": self.reshaped,
                "findings": [f.to_json() for f in self.findings], "notes": [f.to_json() for f in self.notes]}


def check_project(project: Project, *, fix: bool = False, coder_for_fix: str | None = None) -> CheckReport:
    """Validate codebook, transcripts, cases, journals and anchors. With ``fix``, moved codings of
    ``coder_for_fix`` (or every coder) are written back at their new place (journal ``move`` ops)."""
    report = CheckReport()
    book = None
    markers = _marked_files(project)
    try:
        book = project.reload_codebook(quiet=True)  # its warnings are findings here, not said twice
    except CodebookError as exc:
        for p in exc.problems:
            report.add("codebook", p, "error")
        for p in getattr(exc, "warnings", []):
            report.add("codebook", p)
    except QualcodeError as exc:
        if project.codebook_path.resolve() in markers:  # said as what it is, with its line
            report.add("codebook", _markers_problem(
                project.codebook_path, markers[project.codebook_path.resolve()],
                "run `qualcode sync`: it merges the codebook with qualcode's driver (do not edit the markers)"), "error")
        else:
            report.add("codebook", Problem(exc.message, exc.path, exc.line), "error")
    if book is not None:
        for p in book.warnings:  # a bad colour or a taken shortcut: ignored, and how to fix it
            report.add("codebook", p)
        report.reshaped = reshape_notes(book, _dropped_counts(project, set(book.dropped)))
    from qualcode.store.codebook_merge import conflict_findings

    for p in conflict_findings(project.codebook_path):  # a team's codebook merge left choices to make
        report.add("codebook", p)
    for key, folder in (("transcripts", project.transcripts_dir), ("codings", project.codings_dir)):
        # a typo in qualcode.toml showed an empty project as clean (a clone has no empty codings
        # folder, since git keeps no empty folder: said only when the setting is not the usual one)
        if not folder.is_dir() and (key == "transcripts" or project.config.codings != "codings"):
            report.add("project", Problem(
                f"the {key} folder {getattr(project.config, key)!r} named in qualcode.toml does not exist"
                + (": no coder's codings are read" if key == "codings" else ": no transcript is read"),
                str(project.root / "qualcode.toml")))
    index = project.refresh_index()
    left_out = {id(p) for p in index.errors}
    for p in index.problems:  # a file left out is an error; a file read with a warning is a warning
        if _resolved(project, p.path) in markers:
            continue  # git's markers in it: said once, as such (``_merge_leftovers``)
        report.add("transcripts", p, "error" if id(p) in left_out else "warning")
    for p in index.advice:
        report.note("transcripts", p)
    marked = _merge_leftovers(project, index, report, markers)
    try:
        cases = project.cases
    except ConflictMarkers as exc:  # a finding among the others (any other unreadable cases file stops check)
        report.add("cases", Problem(f"{exc.message}; {exc.hint}" if exc.hint else exc.message, exc.path, exc.line),
                   "error")
        cases = Cases()
    for p in cases.problems:
        report.add("cases", p)
    for tid in cases.attributes:
        if tid not in index:
            report.add("cases", Problem(f"cases.csv names transcript {tid!r}, which is not in the project",
                                        str(project.cases_path), cases.lines.get(tid)))
    if cases.attributes:
        for tid in index.ids():
            if tid not in cases.attributes:
                report.note("cases", Problem(f"transcript {tid!r} has no row in cases.csv: its attributes count as "
                                             "(none) in tables by attribute; add a row to give them", str(project.cases_path)))
    total = 0
    for p in project.stray_journals():
        report.add("journals", p)
    for coder in project.coders():
        codings = project.codings(coder)
        for p in project.journal_warnings(coder):
            report.add("journals", p)
        total += len(codings)
        jpath = str(project.codings_dir / f"{coder}.jsonl")
        unknown_codes = Counter()
        same: dict[tuple, list[str]] = {}
        for c in codings:
            if book is not None and c.code not in book:
                unknown_codes[c.code] += 1
            same.setdefault((c.transcript, c.start, c.end, c.code), []).append(c.id)
        for (tid, start, end, code), ids in sorted(same.items()):
            if len(ids) > 1:  # made on two machines by one coder, and merged: tables count it twice
                report.add("journals", Problem(
                    f"{coder} has {len(ids)} identical codings of {code} on {tid} {start}-{end} ({', '.join(ids)}; "
                    f"one coder on two machines, merged?): tables count each; remove the extra one(s) with "
                    f"`qualcode --coder {coder} code remove {ids[-1]}`", jpath))
        for code, n in sorted(unknown_codes.items()):
            report.add("journals", Problem(f"{n} coding(s) use code {code!r}, which is not in the codebook "
                                           "(add it back, or recode them)", jpath))
        by_t: dict[str, list] = {}
        for c in codings:
            by_t.setdefault(c.transcript, []).append(c)
        for tid, cs in sorted(by_t.items()):
            if tid not in index:
                report.add("anchors", Problem(f"{len(cs)} coding(s) of {coder} belong to transcript {tid!r}, "
                                              "which is not in the project (bring the file back)", jpath))
                report.anchors[ORPHANED] += len(cs)
                continue
            entry = index.get(tid)
            stale = [c for c in cs if c.th != entry.hash]
            report.anchors[KEPT] += len(cs) - len(stale)
            if not stale:
                continue
            transcript = project.transcript(tid)
            moves = []
            for c, a in project.anchored(stale, transcript):
                report.anchors[a.status] += 1
                item = {"coder": coder, "id": c.id, "transcript": tid, "code": c.code,
                        "from": [c.start, c.end], "to": [a.start, a.end], "quote": c.quote[:80],
                        "similarity": round(a.similarity, 3)}
                if a.status == MOVED and a.ambiguous:  # a short quote found in several places, nothing to go by
                    item["ambiguous"] = a.ambiguous
                    report.moved.append(item)
                    report.add("anchors", Problem(
                        f"{coder}'s coding {c.id} ({c.code}) {c.quote[:40]!r} may have moved {c.start}-{c.end} -> "
                        f"{a.start}-{a.end} after the transcript changed, but its text stands in {a.ambiguous} "
                        "places: `check --fix` leaves it; open the transcript and code the right one again "
                        f"(then remove this coding: `qualcode --coder {coder} code remove {c.id}`)", entry.path))
                elif a.status == MOVED:
                    report.moved.append(item)
                    report.add("anchors", Problem(
                        f"{coder}'s coding {c.id} ({c.code}) moved {c.start}-{c.end} -> {a.start}-{a.end} "
                        f"after the transcript changed (`qualcode --coder {coder} check --fix` saves the new place)",
                        entry.path))
                    if tid not in marked:
                        moves.append((c, a, report.findings[-1]))
                elif a.status == ORPHANED:
                    report.orphaned.append(item)
                    report.add("anchors", Problem(
                        f"{coder}'s coding {c.id} ({c.code}) lost its text: {c.quote[:50]!r} is no longer in the "
                        "transcript (recode it or remove it)", entry.path), "error")
            if fix and moves and (coder_for_fix in (None, coder)):
                session = project.session(coder)
                for c, a, finding in moves:
                    session.move(c.id, a.start, a.end)
                    report.findings.remove(finding)  # saved: no longer something to do
                    report.fixed += 1
    report.counts = {"transcripts": len(index), "coders": len(project.coders()), "codings": total,
                     "codes": len(book) if book is not None else 0}
    return report


def _merge_leftovers(project: Project, index, report: CheckReport, markers: dict) -> set[str]:
    """A team's merge left half done: git's conflict markers in a transcript (read as if someone had
    said them, and codings re-anchored onto them; or not read at all, its front matter broken by them),
    or a merge not yet committed. Returns the ids of the transcripts with markers (``--fix`` leaves
    their codings alone)."""
    marked: set[str] = set()
    folder = project.transcripts_dir.resolve()
    ids = {_resolved(project, entry.path): entry.id for entry in index}
    for path, line in sorted(markers.items()):
        if folder not in path.parents:
            continue
        if path in ids:
            marked.add(ids[path])
        rel = path.relative_to(project.root.resolve()).as_posix()
        advice = ("two different transcripts were added under this name on two machines: do not edit the markers "
                  "(that would splice two interviews); run `qualcode sync`, which says how to keep both"
                  if _added_twice(project, rel) else
                  "keep the text you want, delete the marker lines, then run `qualcode sync` (until then "
                  "`check --fix` leaves this transcript's codings where they are)")
        report.add("transcripts", _markers_problem(path, line, advice, relative=rel), "error")
    if (project.root / ".git" / "MERGE_HEAD").exists():
        report.add("transcripts", Problem(
            "a merge of the team's work is not finished (a sync was interrupted or stopped on a conflict): "
            "run `qualcode sync` to finish it", str(project.root)))
    return marked


def _resolved(project: Project, path) -> object:
    from pathlib import Path

    if not path:
        return None
    p = Path(path)
    return (p if p.is_absolute() else project.root / p).resolve()


def _marked_files(project: Project) -> dict:
    """The project's files that hold git's conflict markers (a merge of two versions stopped in them):
    its transcripts (but Word files, zips git writes no markers into) and the codebook ->
    the line of the first marker. Only in a git repository (only a merge leaves them)."""
    if not (project.root / ".git").exists():
        return {}
    paths = [project.codebook_path]
    if project.transcripts_dir.is_dir():
        paths += [p for p in sorted(project.transcripts_dir.rglob("*"))
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".docx"]
    out = {}
    for p in paths:
        try:
            line = marker_line(p.read_bytes())
        except OSError:
            continue
        if line:
            out[p.resolve()] = line
    return out


def _markers_problem(path, line: int, advice: str, relative: str | None = None) -> Problem:
    return Problem(f"unresolved git conflict markers (<<<<<<< ======= >>>>>>>: a merge of two "
                   f"versions stopped there): {advice}", relative or str(path), line)


def _added_twice(project: Project, rel: str) -> bool:
    """Whether git's merge met two versions of ``rel`` added on both sides (none in common)."""
    import shutil

    from qualcode.services.sync_transcripts import _stages

    git_bin = shutil.which("git")
    return bool(git_bin) and _stages(project.root, git_bin, rel) == {2, 3}


def reshape_notes(book, dropped: dict[str, dict[str, int]] | None = None) -> list[str]:
    """One line per record of the codebook's ``renamed:``, ``merged:`` and ``dropped:`` (``dropped``:
    code -> coder -> codings of it the journals still hold, named so that nobody's work stops counting
    unseen, as when the removal arrived by a plain `git pull`)."""
    out = [f"code id {old!r} was renamed to {new!r}: its codings count as {new!r}" for old, new in book.renamed.items()]
    out += [f"code {old!r} was merged into {new!r}: its codings count as {new!r}" for old, new in book.merged.items()]
    for old in book.dropped:
        held = (dropped or {}).get(old)
        who = "; " + ", ".join(f"{coder}'s {n}" for coder, n in sorted(held.items())) + \
            " in the journals no longer count (add the code back, or `qualcode codebook undo` on the machine " \
            "that removed it, for them to count again)" if held else ""
        out.append(f"code {old!r} was removed with its codings: they are no longer counted{who}")
    return out


def dropped_codings(project: Project, coder: str, codes: set[str]) -> dict[str, int]:
    """This coder's codings (as the journal holds them) of ``codes``, codes removed with their codings:
    work that no table shows any more."""
    if not codes:
        return {}
    from qualcode.store.journal import replay

    path = project.codings_dir / f"{coder}.jsonl"
    if not path.exists():
        return {}
    out: dict[str, int] = {}
    for c in replay(path, coder).codings:
        if c.code in codes:
            out[c.code] = out.get(c.code, 0) + 1
    return out


def _dropped_counts(project: Project, codes: set[str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    if not codes:
        return out
    try:
        coders = project.coders()
    except QualcodeError:
        return out
    for coder in coders:
        try:
            found = dropped_codings(project, coder, codes)
        except QualcodeError:
            continue
        for code, n in found.items():
            out.setdefault(code, {})[coder] = n
    return out
