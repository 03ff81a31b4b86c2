"""A pandas table flattened once for every writer (Word, XLSX, CSV, the workbench preview).

``grid(df)`` gives headers, rows of plain Python values (``None`` where missing) and, per column,
whether it holds numbers and how many decimals to show. The index becomes leading columns when
it carries labels (anything but a default 0..n-1 range).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: object) -> str:
    """Text safe for XML (Word, XLSX): control characters removed."""
    return _CONTROL.sub("", str(text))


@dataclass
class Grid:
    headers: list[str]
    rows: list[list[object]]
    numeric: list[bool]
    decimals: list[int]
    index_columns: int = 0
    title: str = ""
    caption: str = ""
    kind: str = ""
    empty_reason: str = ""
    attrs: dict = field(default_factory=dict)
    rich: dict = field(default_factory=dict)
    """(row, column) -> [(kind, text)] for cells set as several paragraphs: kind is "text", "memo",
    "quote" or "attribution" (the Framework matrix's cells)."""

    @property
    def empty(self) -> bool:
        return not self.rows or len(self.headers) <= self.index_columns

    def text(self, row: int, col: int) -> str:
        return format_value(self.rows[row][col], self.numeric[col], self.decimals[col])


def title_of(df) -> str:
    return str(df.attrs.get("title") or df.attrs.get("kind") or "Table")


def _py(value: object) -> object:
    """numpy/pandas scalars to Python; NaN, NaT, NA to None."""
    if value is None:
        return None
    item = getattr(value, "item", None)
    if item is not None and not isinstance(value, (str, bytes)):
        try:
            value = item()
        except (ValueError, TypeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def _label(value: object) -> str:
    if isinstance(value, tuple):
        return " / ".join(str(v) for v in value if str(v) not in ("", "nan", "None"))
    value = _py(value)
    return "" if value is None else str(value)


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _decimals(values: list, header: str, attrs: dict) -> int:
    override = attrs.get("decimals")
    if isinstance(override, dict) and header in override:
        return int(override[header])
    if isinstance(override, int):
        return override if any(isinstance(v, float) and not v.is_integer() for v in values) else 0
    floats = [v for v in values if isinstance(v, float)]
    if floats and (header.endswith("%") or attrs.get("percent") is True):
        return 1  # a percentage column reads 0.0 and 100.0 like its 55.6, even when no row has decimals
    if all(v.is_integer() for v in floats):
        return 0
    return 3 if max(abs(v) for v in floats) <= 1 else 1


def _show_index(df, pd) -> bool:
    """The index is shown when it is named, or labels rows in a way no column already does."""
    index = df.index
    if any(n is not None for n in index.names):
        return True
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return False
    values = index.tolist()
    for col in df.columns:
        try:
            if df[col].tolist() == values:
                return False
        except (TypeError, ValueError):
            continue
    return True


def grid(df) -> Grid:
    """Flatten ``df`` (any index, any columns) into a :class:`Grid`."""
    import pandas as pd

    attrs = dict(df.attrs)
    index = df.index
    show_index = _show_index(df, pd)
    if isinstance(index, pd.MultiIndex):
        index_headers = [_label(n) for n in index.names]
        index_values = [list(t) for t in index.tolist()]
    else:
        index_headers = [_label(index.name)]
        index_values = [[v] for v in index.tolist()]
    headers = (index_headers if show_index else []) + [_label(c) for c in df.columns]
    body = df.to_numpy(dtype=object).tolist() if len(df.columns) else [[] for _ in range(len(df))]
    rows = []
    for i, values in enumerate(body):
        lead = index_values[i] if show_index else []
        rows.append([_py(v) for v in lead] + [_py(v) for v in values])
    n_index = len(index_headers) if show_index else 0
    numeric, decimals = [], []
    for j, header in enumerate(headers):
        col = [r[j] for r in rows if r[j] is not None]
        is_num = j >= n_index and bool(col) and all(_is_number(v) for v in col)
        numeric.append(is_num)
        decimals.append(_decimals(col, header, attrs) if is_num else 0)
    return Grid(headers=headers, rows=rows, numeric=numeric, decimals=decimals, index_columns=n_index,
                title=title_of(df), caption=str(attrs.get("caption") or ""), kind=str(attrs.get("kind") or ""),
                empty_reason=str(attrs.get("empty_reason") or ""), attrs=attrs)


def format_value(value: object, numeric: bool = False, decimals: int = 0) -> str:
    """How a cell reads in a report: thousands separators, a fixed number of decimals, '' for missing."""
    if value is None:
        return ""
    if numeric and _is_number(value):
        if decimals == 0:
            return f"{int(round(value)):,}"
        return f"{value:,.{decimals}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return clean_text(value)
