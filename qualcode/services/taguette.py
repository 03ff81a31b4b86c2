"""``qualcode import-project taguette.sqlite3 DIR``: a Taguette project as a new qualcode project."""

from __future__ import annotations

from pathlib import Path

from qualcode.formats.taguette import read_taguette
from qualcode.services.interchange import ProjectImport, build_project


def is_sqlite(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def import_taguette(file: str | Path, folder: str | Path, *, project_id: int | None = None) -> ProjectImport:
    """Documents as transcripts, tags as codes, highlights as codings by their Taguette user.

    ``found`` counts what the database holds; ``imported`` what the new project holds (the same
    numbers unless a highlight could not be placed, which is then a warning)."""
    file = Path(file)
    plan = read_taguette(file, project_id)
    result = build_project(plan, file, Path(folder), "Taguette", dict(plan.found))
    return result
