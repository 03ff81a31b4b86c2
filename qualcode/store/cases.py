"""``cases.csv``: attributes per transcript (and the case each transcript belongs to)."""

from __future__ import annotations

import csv
import errno
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import FormatError, Problem
from qualcode.formats.segments_table import csv_records
from qualcode.formats.segments_table import decode_spreadsheet as decode_cases
from qualcode.store.atomic import read_regular


@dataclass
class Cases:
    """``attributes[transcript_id]`` -> {attribute: value}; ``case_of[transcript_id]`` -> case name."""

    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    case_of: dict[str, str] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def case(self, transcript_id: str) -> str:
        return self.case_of.get(transcript_id, transcript_id)

    def value(self, transcript_id: str, attribute: str) -> str | None:
        return self.attributes.get(transcript_id, {}).get(attribute)


def cases_delimiter(text: str) -> str:
    """The separator whose split of the first row names a ``transcript`` column: a comma, or the
    semicolon or tab that spreadsheets use in many locales (comma when none does)."""
    head = next((line for line in text.splitlines() if line.strip()), "")
    for d in (",", ";", "\t"):
        try:
            cells = next(csv.reader([head], delimiter=d), [])
        except csv.Error:
            continue
        if "transcript" in [c.strip() for c in cells]:
            return d
    return ","


class ConflictMarkers(FormatError):
    """git's conflict markers in the cases file: a merge of two versions stopped in it."""


def marker_line(data: bytes | str) -> int | None:
    """The line (from 1) of the first of git's conflict markers in ``data`` (None: no markers)."""
    from qualcode.formats.codebook_yaml import has_conflict_markers

    if not has_conflict_markers(data):
        return None
    lines = data.split("\n" if isinstance(data, str) else b"\n")
    start = "<<<<<<< " if isinstance(data, str) else b"<<<<<<< "
    return next((n for n, line in enumerate(lines, 1) if line.startswith(start)), 1)


def load_cases(path: Path) -> Cases:
    cases = Cases()
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return cases
    except OSError as exc:
        if exc.errno == errno.EINVAL:  # a FIFO or a device: left out, said so
            cases.problems.append(Problem(f"{exc.strerror}: no case attributes read; move it away", str(path)))
            return cases
        raise FormatError(f"cannot read the cases file: {exc.strerror}", path=path) from None
    text, note = decode_cases(data)
    marked = marker_line(text)
    if marked:  # a merge of two versions stopped in it: said as such, not as a header or row gone wrong
        raise ConflictMarkers(f"unresolved git conflict markers (<<<<<<< ======= >>>>>>>: a merge of "
                          "two versions stopped there)", path=path, line=marked,
                          hint="run `qualcode sync` (it merges cases.csv row by row and column by column), or keep "
                               "the rows you want, delete the marker lines, then `qualcode sync`")
    if note:
        cases.problems.append(Problem(note, str(path)))
    # one record per line: a quote left open is named with its line, not read as one huge cell
    records = [r for r in csv_records(text, cases_delimiter(text), path, one_per_line=True,
                                      hint="save it as CSV (comma-separated)") if any(c.strip() for c in r.cells)]
    if not records:
        return cases
    header = [h.strip() for h in records[0].cells]
    if "transcript" not in header:
        raise FormatError("the first row must name the columns, one of them 'transcript'", path=path, line=1,
                          hint="add a header row: transcript,case,<attribute>,...")
    ti = header.index("transcript")
    ci = header.index("case") if "case" in header else None
    cases.columns = [h for h in header if h not in ("transcript", "case")]
    for lineno, _, row in records[1:]:
        if len(row) != len(header):
            cases.problems.append(Problem(f"row has {len(row)} cells, the header has {len(header)}", str(path), lineno))
            row = (row + [""] * len(header))[: len(header)]
        tid = row[ti].strip()
        if not tid:
            cases.problems.append(Problem("row without a transcript id", str(path), lineno))
            continue
        if tid in cases.attributes:
            cases.problems.append(Problem(f"transcript {tid!r} has two rows (first on line {cases.lines[tid]})",
                                          str(path), lineno))
            continue
        cases.lines[tid] = lineno
        cases.case_of[tid] = row[ci].strip() if ci is not None and row[ci].strip() else tid
        cases.attributes[tid] = {h: row[i].strip() for i, h in enumerate(header)
                                 if h not in ("transcript", "case") and row[i].strip() != ""}
    return cases
