"""Charts for the report (matplotlib, Agg backend, PNG bytes): how often each top-level theme is
coded in the cases of each value of a case attribute."""

from __future__ import annotations

import io
import math
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field

MISSING = "(not recorded)"
OUTSIDE = "(not in the codebook)"


@dataclass
class ChartData:
    attribute: str
    groups: list[tuple[str, int]]  # (value, number of cases)
    rows: list[tuple[str, str, bool]]  # (code id, label, is a theme heading)
    percent: dict[tuple[str, str], float]  # (code, value) -> % of the group's cases with the code
    bold: set = field(default_factory=set)  # row ids whose label is set in bold (themes)


def case_values(project, attribute: str) -> dict[str, str]:
    """Case -> its value of ``attribute`` (the first transcript of a case that has one)."""
    out: dict[str, str] = {}
    for entry in project.index:
        case = project.cases.case(entry.id)
        value = project.cases.value(entry.id, attribute)
        if value and out.get(case, MISSING) == MISSING:
            out[case] = value
        else:
            out.setdefault(case, MISSING)
    return out


def choose_attributes(project, limit: int = 2) -> list[str]:
    """Attributes that split the cases into 2 to 5 groups, the most even splits first."""
    scored = []
    for attribute in project.cases.columns:
        values = [v for v in case_values(project, attribute).values() if v != MISSING]
        counts = Counter(values)
        if not 2 <= len(counts) <= 5 or len(values) < 2:
            continue
        n = len(values)
        entropy = -sum(k / n * math.log(k / n) for k in counts.values())
        evenness = entropy / math.log(len(counts))
        scored.append((-round(evenness, 3), len(counts), project.cases.columns.index(attribute), attribute))
    return [a for *_, a in sorted(scored)[:limit]]


def chart_rows(project, used: set[str]) -> list[tuple[str, str, bool]]:
    """Rows of the chart: each theme as a heading over its second-level codes (each counting the
    codes under it too); a theme without children is a row itself. Codes never used are left out; every
    other row is kept (``split`` makes a long chart into parts that each fit a page)."""
    book = project.codebook
    rows: list[tuple[str, str, bool]] = []
    for theme in book.roots:
        children = [c for c in book.children(theme.id)
                    if used & {c.id, *book.descendants(c.id)}]
        if children:
            rows.append((theme.id, theme.name, True))
            rows += [(c.id, c.name, False) for c in children]
        elif theme.id in used:
            rows.append((theme.id, theme.name, False))
    outside = sorted(c for c in used if c not in book)
    if outside:
        rows.append((OUTSIDE, OUTSIDE, True))
        rows += [(c, c, False) for c in outside]
    while rows and rows[-1][2]:
        rows.pop()
    return rows


def presence(project, codings_by_code: dict[str, list], rows: list[tuple[str, str, bool]]) -> dict[str, set[str]]:
    """Row code -> the cases in which it, or a code under it, was coded."""
    book = project.codebook
    row_of: dict[str, str] = {}
    for code_id, _, heading in rows:
        if heading:
            continue
        row_of[code_id] = code_id
        if code_id in book:
            for d in book.descendants(code_id):
                row_of[d] = code_id
    out: dict[str, set[str]] = defaultdict(set)
    case_of: dict[str, str] = {}
    for code, codings in codings_by_code.items():
        row = row_of.get(code)
        if row is None:
            continue
        for c in codings:
            case = case_of.get(c.transcript)
            if case is None:
                case = case_of[c.transcript] = project.cases.case(c.transcript)
            out[row].add(case)
    return out


def chart_data(project, attribute: str, codings_by_code: dict[str, list]) -> ChartData:
    values = case_values(project, attribute)
    group_cases: dict[str, set[str]] = defaultdict(set)
    for case, value in values.items():
        group_cases[value].add(case)
    order = sorted((v for v in group_cases if v != MISSING), key=str.casefold)
    if MISSING in group_cases:
        order.append(MISSING)
    rows = chart_rows(project, {c for c, cs in codings_by_code.items() if cs})
    coded = presence(project, codings_by_code, rows)
    percent = {}
    for code_id, _, heading in rows:
        if heading:
            continue
        for value in order:
            members = group_cases[value]
            percent[(code_id, value)] = 100.0 * len(coded.get(code_id, set()) & members) / len(members)
    return ChartData(attribute, [(v, len(group_cases[v])) for v in order], rows, percent)


def crosstab_chart(df) -> ChartData | None:
    """The chart of a codes x attribute crosstab (``findings.crosstab_for_word`` view): the same rows
    as the table, each column the share of that group's cases; None if the table is not one."""
    if df.attrs.get("col_kind") != "attr" or df.attrs.get("by", "cases") != "cases" or not len(df):
        return None
    total = df.attrs.get("total", "Total")
    labels = df.index.tolist()
    body = [i for i, label in enumerate(labels) if label != total]
    base_row = labels.index(total) if total in labels else None
    groups = []
    for c in df.columns:
        c = str(c)
        if c.endswith("%") or c == total or _pct(df, c) is None:
            continue
        n = int(df.iloc[base_row][c]) if base_row is not None else 0
        groups.append((c, n))
    if not groups or not body:
        return None
    rows, percent, bold = [], {}, set()
    for i in body:  # every row of the table: ``split`` cuts the chart into parts that fit a page
        key = f"row{i}"
        label = str(labels[i])
        rows.append((key, label.strip(), False))
        if not label.startswith(" ") and df.attrs.get("row_kind") == "codes" and "(with sub-codes)" in label:
            bold.add(key)
        for value, _ in groups:
            v = df.iloc[i][_pct(df, value)]
            percent[(key, value)] = 0.0 if v != v else float(v)  # NaN (an empty group): 0
    cols = str(df.attrs.get("cols") or "")
    name = cols[5:] if cols.startswith("attr:") else cols
    return ChartData(name, groups, rows, percent, bold)


def _pct(df, column: str) -> str | None:
    """The percentage column beside ``column`` ("within %" or, in the Word view, "within\u00a0%")."""
    return next((c for c in (f"{column} %", f"{column}\u00a0%") if c in df.columns), None)


ROW_IN = 0.17
"""Inches per row of the heatmap."""
BOTTOM_IN = 0.15
MIN_FONT = 5.0
_AXIS_RIGHT = 0.98


def _label_width_pt(text: str, size: float) -> float:
    """The width of ``text`` in points at ``size`` in matplotlib's default font (measured with FreeType,
    not guessed from the number of characters)."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties()))
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64


def _wrap_words(text: str, size: float, room_pt: float) -> list[str] | None:
    """``text`` on lines no wider than ``room_pt``, broken at spaces only; None if a word is wider."""
    lines: list[str] = []
    for word in text.split():
        if _label_width_pt(word, size) > room_pt:
            return None
        if lines and _label_width_pt(lines[-1] + " " + word, size) <= room_pt:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass
class ColumnLabels:
    """How the column labels are set: their text (lines), font size and rotation, and the inches they
    take above the heatmap (with the attribute's name)."""

    texts: list[str]
    size: float
    rotation: int
    header_in: float


def _left(data: ChartData, width_in: float) -> float:
    labels = _row_labels(data)
    return min(0.6, (max((len(x) for x in labels), default=10) * 0.058 + 0.15) / width_in)


def _row_labels(data: ChartData) -> list[str]:
    return [textwrap.shorten(label, 56, placeholder="\u2026") for _, label, _ in data.rows]


def column_labels(data: ChartData, width_in: float = 6.3) -> ColumnLabels:
    """The column labels wrapped at spaces, never inside a word: at 7 pt if every word fits its column,
    else at a smaller size down to 5 pt, else turned upright (one line each) at 7 pt."""
    n_cols = max(1, len(data.groups))
    column_pt = width_in * (_AXIS_RIGHT - _left(data, width_in)) / n_cols * 72 - 4
    names = [str(v) for v, _ in data.groups]
    counts = [f"(n = {n})" for _, n in data.groups]
    size = 7.0
    while size >= MIN_FONT:
        wrapped = [_wrap_words(v, size, column_pt) for v in names]
        if all(w is not None for w in wrapped) and all(_label_width_pt(c, size) <= column_pt for c in counts):
            lines = max(len(w) for w in wrapped) + 1
            texts = ["\n".join(w) + "\n" + c for w, c in zip(wrapped, counts)]
            return ColumnLabels(texts, size, 0, max(0.9, 0.4 + lines * size * 1.3 / 72))
        size -= 0.5
    texts = [f"{v} {c}" for v, c in zip(names, counts)]
    longest = max(_label_width_pt(t, 7.0) for t in texts)
    return ColumnLabels(texts, 7.0, 90, max(0.9, 0.45 + longest / 72))


def chart_height(data: ChartData, n_rows: int | None = None, width_in: float = 6.3) -> float:
    """The height in inches of the heatmap of ``data`` (or of ``n_rows`` of its rows)."""
    n = len(data.rows) if n_rows is None else n_rows
    return ROW_IN * n + column_labels(data, width_in).header_in + BOTTOM_IN + 0.05


def split(data: ChartData, max_height_in: float, width_in: float = 6.3) -> list[ChartData]:
    """``data`` in parts whose heatmaps are each at most ``max_height_in`` tall, every row in one part, the
    parts as even as can be (91 rows in 46 + 45, not 80 + 11); a theme heading never ends a part."""
    fixed = column_labels(data, width_in).header_in + BOTTOM_IN + 0.05
    per_part = max(1, int((max_height_in - fixed) / ROW_IN))
    rows = data.rows
    if len(rows) <= per_part:
        return [data]
    n_parts = -(-len(rows) // per_part)
    size = -(-len(rows) // n_parts)
    parts, start = [], 0
    while start < len(rows):
        end = min(len(rows), start + size)
        while end - 1 > start and end < len(rows) and rows[end - 1][2]:
            end -= 1  # a theme heading goes with the codes under it
        parts.append(rows[start:end])
        start = end
    return [ChartData(data.attribute, data.groups, part,
                      {k: v for k, v in data.percent.items() if k[0] in {r[0] for r in part}},
                      data.bold & {r[0] for r in part}) for part in parts]


def heatmap_png(data: ChartData, *, width_in: float = 6.3, dpi: int = 170) -> bytes:
    """Codes (rows, grouped under their themes) by attribute value (columns): the share of the
    group's cases in which the code was coded, as colour and as a number. ``chart_height`` tall
    (``split`` the data first to keep it within a page)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import numpy as np
    from matplotlib.figure import Figure

    n_rows, n_cols = len(data.rows), len(data.groups)
    grid = np.full((n_rows, n_cols), np.nan)
    for i, (code_id, _, heading) in enumerate(data.rows):
        if not heading:
            for j, (value, _) in enumerate(data.groups):
                grid[i, j] = data.percent[(code_id, value)]
    columns = column_labels(data, width_in)
    height = chart_height(data, width_in=width_in)
    fig = Figure(figsize=(width_in, height), dpi=dpi)
    labels = _row_labels(data)
    # margins by hand (tight_layout draws the figure once more): labels at about 0.055 in a character
    left = _left(data, width_in)
    fig.subplots_adjust(left=left, right=_AXIS_RIGHT, top=1 - columns.header_in / height, bottom=BOTTOM_IN / height)
    ax = fig.add_subplot(1, 1, 1)
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="white")
    ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=100, aspect="auto", interpolation="nearest")
    size = 7 if n_rows <= 45 else 6
    for i, (_, _, heading) in enumerate(data.rows):
        if heading:
            continue
        for j in range(n_cols):
            v = grid[i, j]
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=size,
                    color="white" if v >= 60 else "#222222")
    ax.set_yticks(range(n_rows))
    ticks = ax.set_yticklabels(labels, fontsize=size)
    for label, (code_id, _, heading) in zip(ticks, data.rows):
        if heading or code_id in data.bold:
            label.set_fontweight("bold")
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels(columns.texts, fontsize=columns.size, rotation=columns.rotation,
                       va="bottom", ha="center")
    ax.xaxis.tick_top()
    ax.set_xlabel(data.attribute.replace("_", " "), fontsize=8)
    ax.xaxis.set_label_position("top")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.tick_params(which="minor", length=0)
    ax.grid(which="minor", axis="x", color="white", linewidth=2)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 3})
    return buf.getvalue()
