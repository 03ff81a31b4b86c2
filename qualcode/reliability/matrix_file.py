"""A raw reliability matrix from a CSV file (the coefficients: :mod:`matrix_report`).

The file has one row per coder and one column per unit; an empty cell (or ``NA``, ``N/A``, ``*``, ``.``,
``NaN``) is a missing value. The layout is said, never guessed from the values:

* a **header row** (unit names) is read when ``header=True``; by default only when the first
  cell is ``coder`` (or ``coders``, ``rater``, ``annotator``, ``observer``);
* a **coder-name column** is read when ``coder_column=True``; by default only when there is such
  a header row and its first cell is a coder word or empty.

Units no one coded and coders who coded nothing are left out (as Krippendorff's alpha leaves
them out) and counted in :attr:`MatrixData.notes`. Values are normalised: a cell that reads as a
number is that number, so "1", "1.0" and " 1" are one category, also beside text values.
Ordinal, interval and ratio text needs its order (``categories``), and interval and ratio text
its numbers (``scores``).

The delimiter is a tab if the first line has one, else a semicolon if it has one, else a comma.
A file without quotes is parsed with numpy row by row (a 2 x 5,000,000 matrix in seconds).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from qualcode.errors import FormatError
from qualcode.reliability.alpha import LEVELS
from qualcode.reliability.matrix import ReliabilityDataError, ReliabilityMatrix, as_matrix

_MISSING = {"", "na", "n/a", "nan", "*", "."}
"""Missing values: an empty cell, NA, N/A, NaN, and Krippendorff's own marks * and . (as in his examples)."""
_HEADER = {"coder", "coders", "rater", "raters", "annotator", "annotators", "observer", "observers"}


@dataclass
class MatrixData:
    """The parsed file: coders x units, with units and coders that hold no value left out.

    ``values`` is a float array (NaN = missing) when every value is a number, else a list of rows
    of normalised values (numbers as int/float, other text as str, None = missing).
    """

    path: str
    coders: list[str]
    n_units: int
    values: Any
    lines: list[int]  # the file line of each coder's row
    numeric: bool
    unit_names: list[str] | None = None
    header: bool = False
    coder_column: bool = False
    dropped_units: list[str] = field(default_factory=list)  # "column N" or the unit's name
    dropped_coders: list[str] = field(default_factory=list)

    @property
    def n_missing(self) -> int:
        if self.numeric:
            return int(np.isnan(self.values).sum())
        return sum(v is None for r in self.values for v in r)

    def layout(self) -> str:
        """How the file was read, in one sentence (and how to read it otherwise)."""
        h = "the first row names the units" if self.header else "no header row (--header if the first row names the units)"
        c = ("the first column names the coders" if self.coder_column
             else "no coder-name column (--coder-column if the first column names the coders)")
        return f"Read with {h}; {c}."

    def notes(self) -> list[str]:
        out = []
        if self.dropped_units:
            shown = ", ".join(self.dropped_units[:10]) + (", ..." if len(self.dropped_units) > 10 else "")
            out.append(f"{len(self.dropped_units):,} unit(s) coded by no one were left out ({shown}), "
                       "as Krippendorff's alpha leaves them out.")
        if self.dropped_coders:
            out.append(f"{len(self.dropped_coders)} coder(s) with no value were left out: "
                       + ", ".join(self.dropped_coders) + ".")
        return out


def number(text: str) -> float | int | None:
    """The number a cell holds ("1", "1.0", "1,5" with a decimal comma), or None."""
    try:
        x = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        return None
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() else x


def normalise(text: str) -> Any:
    """A cell as a category: the number it reads as, else the text itself."""
    x = number(text)
    return text if x is None else x


def _read_text(p: Path) -> str:
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FormatError("file not found", path=p, hint="check the path given to --matrix") from None
    except IsADirectoryError:
        raise FormatError("is a folder, not a CSV file", path=p) from None
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror}", path=p) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _rows(text: str, p: Path) -> tuple[str, list[tuple[int, str]]]:
    """(delimiter, [(line number, line)]) for the non-blank lines. A line of delimiters only is kept: a
    coder who coded nothing (left out, and said so, keeping the other coders' numbers)."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not any(line.strip(" \t,;") for _, line in lines):
        lines = []  # nothing but delimiters: an empty matrix
    first = lines[0][1] if lines else ""
    delim = "\t" if "\t" in first else ";" if ";" in first else ","
    return delim, lines


def _split(line: str, delim: str, quoted: bool, n: int, p: Path) -> list[str]:
    if quoted:
        try:
            cells = next(csv.reader([line], delimiter=delim))
        except csv.Error as exc:
            raise FormatError(f"not a readable CSV line: {exc}", path=p, line=n) from None
    else:
        cells = line.split(delim)
    return [c.strip() for c in cells]


def _fast_numbers(line: str, delim: str) -> np.ndarray | None:
    """The row as floats (NaN for empty cells) when every cell is a plain number, else None."""
    filled = line.replace(delim + delim, delim + "nan" + delim).replace(delim + delim, delim + "nan" + delim)
    if filled.startswith(delim):
        filled = "nan" + filled
    if filled.endswith(delim):
        filled += "nan"
    try:
        out = np.fromstring(filled, sep=delim)
    except ValueError:
        return None
    if len(out) != line.count(delim) + 1 or np.isinf(out).any():
        return None
    return out


def read_matrix(path: str | Path, level: str = "nominal", *, header: bool | None = None,
                coder_column: bool | None = None) -> MatrixData:
    """Read and check the CSV file (see the module docstring). FormatError / ReliabilityDataError
    name the file, the line and what to do."""
    if level not in LEVELS:
        raise ReliabilityDataError(f"unknown level {level!r}", hint=f"use one of {', '.join(LEVELS)}")
    p = Path(path)
    text = _read_text(p)
    delim, lines = _rows(text, p)
    del text
    if not lines:
        raise ReliabilityDataError("the matrix is empty", path=p, hint="one row per coder, one column per unit")
    quoted = any('"' in line for _, line in lines)
    first_cell = _split(lines[0][1][:200], delim, quoted, lines[0][0], p)[0].casefold()
    if header is None:
        header = first_cell in _HEADER
    said = coder_column is not None or header
    if coder_column is None:
        coder_column = header and (first_cell in _HEADER or first_cell == "")
    unit_names = None
    if header:
        cells = _split(lines[0][1], delim, quoted, lines[0][0], p)
        unit_names = cells[1:] if coder_column else cells
        lines = lines[1:]
        if not lines:
            raise ReliabilityDataError("the matrix has a header row but no coder rows", path=p,
                                       hint="add one row per coder under the header, or drop --header")
    coders, rows, numeric = [], [], True
    width = None
    for n, line in lines:
        name = None
        if coder_column:
            if quoted:
                cells = _split(line, delim, True, n, p)
                name, line = cells[0], delim.join(cells[1:])
            else:
                cut = line.find(delim)
                name, line = (line, "") if cut < 0 else (line[:cut].strip(), line[cut + 1:])
        row = None if quoted else _fast_numbers(line, delim)
        if row is None:
            row = _split(line, delim, quoted, n, p) if line else []
            numeric = False
        if width is not None and len(row) != width and not any(str(c).strip() for c in row if c == c):
            continue  # a spreadsheet's empty line (delimiters only, another width): not a coder
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise ReliabilityDataError(
                f"ragged rows: line {n} has {len(row)} value cell(s), line {lines[0][0]} has {width}",
                path=p, line=n,
                hint="give every coder one cell per unit, with an empty cell where a coder did not code a unit",
            )
        coders.append(name or f"coder {len(coders) + 1}")
        rows.append(row)
    line_numbers = [n for n, _ in lines]
    if width == 0:
        raise ReliabilityDataError("the matrix has no units (no columns of values)", path=p)
    if len(set(coders)) != len(coders):
        dup = next(c for c in coders if coders.count(c) > 1)
        raise ReliabilityDataError(f"coder {dup!r} has two rows", path=p,
                                   line=line_numbers[[i for i, c in enumerate(coders) if c == dup][1]],
                                   hint="give each coder one row (or use --no-coder-column if the first "
                                        "column holds values)")
    offset = 2 if coder_column else 1
    if numeric:
        values = np.vstack(rows)
        del rows
    else:
        values = [[None if isinstance(c, float) and math.isnan(c) else
                   (None if isinstance(c, str) and c.casefold() in _MISSING else
                    (normalise(c) if isinstance(c, str) else _py_number(c))) for c in row] for row in rows]
        del rows
        if not said:
            _ask_about_names(values, p, line_numbers[0])
    data = MatrixData(str(p), coders, width, values, line_numbers, numeric, unit_names, header, coder_column)
    _drop_empty(data, offset)
    return data


def _ask_about_names(values: list[list[Any]], p: Path, line: int) -> None:
    """Refuse to decide when nothing says what the first column is and it reads like names: every cell
    a different word found nowhere else in the data (ann, ben). Reading them as values would compare
    "ann" with "ben" on unit 1; reading them as names unasked would be a guess."""
    first = [row[0] if row else None for row in values]
    if not all(isinstance(v, str) for v in first) or len(set(first)) != len(first):
        return
    rest = {v for row in values for v in row[1:] if v is not None}
    if set(first) & rest:
        return
    raise ReliabilityDataError(
        f"the first column ({', '.join(first[:4])}{', ...' if len(first) > 4 else ''}) may name the coders or "
        "hold values of unit 1; qualcode will not guess which",
        path=p, line=line,
        hint="add --coder-column if it names the coders, --no-coder-column if it holds values "
             "(or start the file with a header row whose first cell is 'coder')",
    )


def _py_number(x: float) -> Any:
    return int(x) if float(x).is_integer() else float(x)


def _drop_empty(data: MatrixData, offset: int) -> None:
    """Leave out coders with no value and units no one coded (noted), then check what remains."""
    p = data.path
    if data.numeric:
        has = ~np.isnan(data.values)
        coder_keep = has.any(axis=1)
    else:
        coder_keep = np.array([any(v is not None for v in row) for row in data.values], dtype=bool)
    data.dropped_coders = [c for c, k in zip(data.coders, coder_keep) if not k]
    if not coder_keep.all():
        data.coders = [c for c, k in zip(data.coders, coder_keep) if k]
        data.lines = [n for n, k in zip(data.lines, coder_keep) if k]
        data.values = data.values[coder_keep] if data.numeric else [r for r, k in zip(data.values, coder_keep) if k]
    if len(data.coders) < 2:
        who = f" ({data.coders[0]})" if data.coders else ""
        raise ReliabilityDataError(
            f"the matrix has {len(data.coders)} coder{'' if len(data.coders) == 1 else 's'} with values{who}; "
            "agreement needs at least two",
            path=p, hint="one row per coder: add the other coders' rows",
        )
    if data.numeric:
        unit_keep = (~np.isnan(data.values)).any(axis=0)
    else:
        unit_keep = np.array([any(row[u] is not None for row in data.values) for u in range(data.n_units)], dtype=bool)
    if not unit_keep.all():
        empty = np.flatnonzero(~unit_keep)
        names = data.unit_names if data.unit_names and len(data.unit_names) == data.n_units else None
        data.dropped_units = [
            (f"unit {names[u]}" if names and names[u] else f"unit {u + 1}") + f" (column {u + offset})"
            for u in empty[:10]] + [""] * max(0, len(empty) - 10)
        if data.numeric:
            data.values = data.values[:, unit_keep]
        else:
            idx = np.flatnonzero(unit_keep)
            data.values = [[row[u] for u in idx] for row in data.values]
        if names:
            data.unit_names = [n for n, k in zip(names, unit_keep) if k]
        data.n_units = int(unit_keep.sum())
    if data.n_units == 0:
        raise ReliabilityDataError("no unit has a value: every cell is empty", path=p)


def _parse_list(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [c.strip() for c in text.split(",") if c.strip()]


def prepare(data: MatrixData, level: str, categories: str | Sequence[str] | None = None,
            scores: str | Sequence[Any] | None = None) -> tuple[ReliabilityMatrix, list[float] | None, str]:
    """Encode the data: (matrix, category scores or None, what order was used and why).

    Text at the ordinal level needs ``categories`` (the order); at the interval and ratio levels
    also ``scores``. Errors name the file and show the option to use.
    """
    p = data.path
    cats = _parse_list(categories) if isinstance(categories, str) or categories is None else list(categories)
    cats = [normalise(str(c)) for c in cats] if cats else None
    if cats is not None and len(set(cats)) != len(cats):
        dup = next(c for c in cats if cats.count(c) > 1)
        raise ReliabilityDataError(f"--categories names {dup!r} twice", path=p, hint="name each category once")
    observed_text = None
    if not data.numeric:
        seen: dict = {}
        for row in data.values:
            for v in row:
                if v is not None and v not in seen:
                    seen[v] = None
        observed_text = [v for v in seen if isinstance(v, str)]
    if cats is None and observed_text and level != "nominal":
        example = ",".join(str(v) for v in list(dict.fromkeys(observed_text))[:3])
        extra = f" --scores {','.join(str(i + 1) for i in range(min(3, len(observed_text))))}" \
            if level in ("interval", "ratio") else ""
        raise ReliabilityDataError(
            f"the values include text ({', '.join(repr(v) for v in observed_text[:4])}); the {level} level needs "
            "their order, and qualcode will not guess it",
            path=p, hint=f"give the categories in order, e.g. --categories {example}{extra} "
                         "(or use --level nominal)",
        )
    score_list = None
    if scores is not None:
        raw = _parse_list(scores) if isinstance(scores, str) else [str(s) for s in scores]
        score_list = [number(s) for s in raw]
        if any(s is None for s in score_list):
            bad = raw[score_list.index(None)]
            raise ReliabilityDataError(f"--scores: {bad!r} is not a number", path=p,
                                       hint="give one number per category, e.g. --scores 1,2,4")
    try:
        m = as_matrix(data.values, cats)
    except ReliabilityDataError as exc:
        raise ReliabilityDataError(exc.message, path=p,
                                   hint="list every value in --categories (or leave --categories out)") from None
    if score_list is not None and len(score_list) != m.q:
        raise ReliabilityDataError(
            f"--scores has {len(score_list)} number(s) but there are {m.q} categories "
            f"({', '.join(map(str, m.categories))})", path=p, hint="give one score per category, in the same order")
    if level in ("interval", "ratio") and score_list is None and not all(_is_num(c) for c in m.categories):
        raise ReliabilityDataError(
            f"the {level} level needs numbers; the categories include text "
            f"({', '.join(repr(c) for c in m.categories if not _is_num(c))[:80]})",
            path=p, hint=f"give each category a number: --categories {','.join(map(str, m.categories[:3]))} "
                         f"--scores {','.join(str(i + 1) for i in range(min(3, m.q)))} (or use --level nominal)",
        )
    if cats is not None:
        order = "as given by --categories"
    elif data.numeric or all(_is_num(c) for c in m.categories):
        order = "numbers in increasing order"
    else:
        order = "in order of first appearance (nominal: the order does not matter)"
    return m, score_list, order


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def read_weights(path: str, m: ReliabilityMatrix) -> np.ndarray:
    """A q x q agreement-weight matrix from a CSV file (rows and columns in category order)."""
    p = Path(path)
    text = _read_text(p)
    delim, lines = _rows(text, p)
    rows = []
    for n, line in lines:
        cells = _split(line, delim, '"' in line, n, p)
        vals = [number(c) for c in cells]
        if any(v is None for v in vals):
            raise ReliabilityDataError(f"weights: {cells[vals.index(None)]!r} is not a number", path=p, line=n,
                                       hint="the weights file holds only numbers: q rows of q agreement weights")
        rows.append((n, vals))
    if len(rows) != m.q or any(len(v) != m.q for _, v in rows):
        raise ReliabilityDataError(
            f"weights must be {m.q} x {m.q} (one row and column per category: {', '.join(map(str, m.categories))})",
            path=p, line=next((n for n, v in rows if len(v) != m.q), None),
            hint="give agreement weights (1 on the diagonal), one row per category in the categories' order")
    return np.asarray([v for _, v in rows], dtype=float)

