"""A raw reliability matrix from a CSV file, and every coefficient that applies to its level.

The file has one row per coder and one column per unit; an empty cell (or ``NA``) is a missing
value. The first column may name the coders: it is read as names when its cells are all filled,
all different and not otherwise values of the data (at the interval and ratio levels: not
numbers); ``names=True/False`` overrides the guess. A first row whose first cell is ``coder``
(or ``rater``, ``annotator``, ``observer``) names the units and is skipped.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from qualcode.errors import FormatError
from qualcode.reliability.alpha import LEVELS, alpha_details
from qualcode.reliability.bootstrap import alpha_bootstrap
from qualcode.reliability.matrix import ReliabilityDataError, UndefinedCoefficient, as_matrix

_MISSING = {"", "na", "n/a", "nan"}
_HEADER = {"coder", "coders", "rater", "raters", "annotator", "annotators", "observer", "observers"}


@dataclass
class MatrixData:
    """The parsed file: coder names, unit names and coders x units values (None = missing)."""

    path: str
    coders: list[str]
    units: list[str]
    rows: list[list[Any]]
    lines: list[int]  # the file line of each coder's row
    numeric: bool

    @property
    def n_missing(self) -> int:
        return sum(v is None for r in self.rows for v in r)


def _number(text: str) -> float | int | None:
    try:
        x = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        return None
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() else x


def read_matrix(path: str | Path, level: str = "nominal", names: bool | None = None) -> MatrixData:
    """Read and check the CSV file (see the module docstring). FormatError / ReliabilityDataError
    name the file, the line and what to do."""
    if level not in LEVELS:
        raise ReliabilityDataError(f"unknown level {level!r}", hint=f"use one of {', '.join(LEVELS)}")
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FormatError("file not found", path=p) from None
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror}", path=p) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        table = [(n, [c.strip() for c in row]) for n, row in enumerate(csv.reader(io.StringIO(text), dialect), 1)]
    except csv.Error as exc:
        raise FormatError(f"not a readable CSV file: {exc}", path=p) from None
    table = [(n, r) for n, r in table if any(r)]
    if not table:
        raise ReliabilityDataError("the matrix is empty", path=p, hint="one row per coder, one column per unit")
    unit_names: list[str] | None = None
    if table[0][1][0].casefold() in _HEADER:
        unit_names = table[0][1][1:]
        table = table[1:]
        names = True if names is None else names
    lengths = {len(r) for _, r in table}
    if len(lengths) > 1:
        counts = [(n, len(r)) for n, r in table]
        common = max(lengths, key=lambda k: sum(c == k for _, c in counts))
        shown = counts if len(counts) <= 6 else [(n, c) for n, c in counts if c != common]
        raise ReliabilityDataError(
            "ragged rows, the rows have different numbers of cells: "
            + ", ".join(f"line {n} has {c}" for n, c in shown),
            path=p, line=next(n for n, c in counts if c != common),
            hint="give every coder one cell per unit, with an empty cell where a coder did not code a unit",
        )
    first = [r[0] for _, r in table]
    if names is None:
        names = _first_column_names(first, [c for _, r in table for c in r[1:]], level)
    if names:
        coders = first
        cells = [r[1:] for _, r in table]
    else:
        coders = [f"coder {i}" for i in range(1, len(table) + 1)]
        cells = [r for _, r in table]
    lines = [n for n, _ in table]
    if len(coders) < 2:
        raise ReliabilityDataError(
            f"the matrix has one coder ({coders[0]}); agreement needs at least two",
            path=p, hint="one row per coder: add the other coders' rows",
        )
    n_units = len(cells[0])
    if n_units == 0:
        raise ReliabilityDataError("the matrix has no units (no columns of values)", path=p)
    values = [[None if c.casefold() in _MISSING else c for c in row] for row in cells]
    offset = 2 if names else 1
    for u in range(n_units):
        if all(row[u] is None for row in values):
            label = f" ({unit_names[u]})" if unit_names and u < len(unit_names) and unit_names[u] else ""
            raise ReliabilityDataError(
                f"unit {u + 1}{label} (column {u + offset}) was coded by no one: every cell is empty",
                path=p, hint="delete the empty column, or fill in the coders' values",
            )
    parsed = [[None if v is None else _number(v) for v in row] for row in values]
    all_numeric = all(x is not None for row, prow in zip(values, parsed) for v, x in zip(row, prow) if v is not None)
    if level in ("interval", "ratio") and not all_numeric:
        for i, (row, prow) in enumerate(zip(values, parsed)):
            for u, (v, x) in enumerate(zip(row, prow)):
                if v is not None and x is None:
                    raise ReliabilityDataError(
                        f"{coders[i]}, unit {u + 1} (column {u + offset}): {v!r} is not a number; "
                        f"the {level} level needs numbers",
                        path=p, line=lines[i],
                        hint="fix the value, or use --level nominal or ordinal for categories",
                    )
    rows = parsed if all_numeric else values
    units = list(unit_names) if unit_names and len(unit_names) == n_units else [str(u + 1) for u in range(n_units)]
    return MatrixData(str(p), coders, units, rows, lines, all_numeric)


def _first_column_names(first: list[str], rest: list[str], level: str) -> bool:
    if any(not c for c in first) or len(set(first)) != len(first):
        return False
    if all(_number(c) is not None for c in first):
        return False
    if level in ("interval", "ratio"):
        return all(_number(c) is None for c in first)
    return not set(first) & set(rest)


@dataclass
class Coefficient:
    """One coefficient's value, or why it is undefined."""

    name: str
    value: float | None
    note: str = ""
    interval: tuple[float, float] | None = None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"name": self.name, "value": self.value}
        if self.interval is not None:
            out["ci"] = list(self.interval)
        if self.note:
            out["note"] = self.note
        out.update(self.extra)
        return out


def matrix_coefficients(
    data: MatrixData,
    level: str = "nominal",
    categories: Sequence[Any] | None = None,
    *,
    n_resamples: int = 10_000,
    seed: int | None = 2007,
    confidence: float = 0.95,
) -> list[Coefficient]:
    """Every coefficient that applies at ``level`` (Krippendorff's alpha first, with its bootstrap
    interval). Raises UndefinedCoefficient when alpha itself is undefined (e.g. one category in use);
    other coefficients that are undefined are returned with value None and the reason."""
    from qualcode.reliability import coefficients as co
    from qualcode.reliability import pairwise as pw

    m = as_matrix(data.rows, categories)
    try:
        res = alpha_details(m, level)
    except UndefinedCoefficient as exc:
        try:
            hint = f"percent agreement is {co.percent_agreement(m):.3f}; alpha needs values that vary"
        except UndefinedCoefficient:
            hint = "have at least two coders code the same units"
        raise UndefinedCoefficient(exc.message, path=data.path, hint=hint) from None
    alpha = Coefficient(f"Krippendorff's alpha ({level})", res.alpha,
                        extra={"D_o": res.D_o, "D_e": res.D_e, "pairable_values": res.n_pairable_values})
    if n_resamples:
        b = alpha_bootstrap(m, level, n_resamples=n_resamples, seed=seed, confidence=confidence)
        alpha.interval = (b.low, b.high)
        alpha.extra["p_below"] = {f"{k:.3f}": v for k, v in b.p_below.items()}
    out = [alpha]
    two = m.n_coders == 2

    def add(name: str, func: Callable[[], float]) -> None:
        try:
            out.append(Coefficient(name, float(func())))
        except UndefinedCoefficient as exc:
            out.append(Coefficient(name, None, exc.message))

    if level == "ratio":
        add("Krippendorff's alpha (interval)", lambda: alpha_details(m, "interval").alpha)
    add("percent agreement (exact match, units equal)", lambda: co.percent_agreement(m))
    if level == "nominal":
        add("pairable percent agreement", lambda: res.pairable_percent_agreement)
        if two:
            add("Cohen's kappa", lambda: pw.cohen_kappa(m))
            add("Scott's pi", lambda: pw.scott_pi(m))
        else:
            add("Fleiss' kappa", lambda: co.fleiss_kappa(m))
            add("Conger's kappa", lambda: co.conger_kappa(m))
            add("Light's kappa (mean pairwise Cohen's)", lambda: pw.mean_pairwise_cohen_kappa(m))
        add("Gwet's AC1", lambda: co.gwet_ac1(m))
        add("Brennan-Prediger (Bennett's S, free-marginal kappa)", lambda: co.brennan_prediger(m))
    else:
        weights = "linear" if level == "ordinal" else "quadratic"
        if two:
            add(f"Cohen's kappa ({weights} weights)", lambda: pw.cohen_kappa(m, weights=weights))
        else:
            add(f"Fleiss' kappa ({weights} weights)", lambda: co.fleiss_kappa(m, weights=weights))
        add(f"Gwet's AC2 ({weights} weights)", lambda: co.gwet_ac2(m, weights=weights))
    return out
