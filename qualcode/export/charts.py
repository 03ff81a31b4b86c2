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


MAX_ROWS = 40


def chart_rows(project, used: set[str]) -> list[tuple[str, str, bool]]:
    """Rows of the chart: each theme as a heading over its second-level codes (each counting the
    codes under it too); a theme without children is a row itself. Codes never used are left out."""
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
    kept, shown = [], 0
    for row in rows:
        if not row[2]:
            shown += 1
            if shown > MAX_ROWS:
                break
        kept.append(row)
    while kept and kept[-1][2]:
        kept.pop()
    return kept


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
    for i in body[:MAX_ROWS * 2]:
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


def heatmap_png(data: ChartData, *, width_in: float = 6.3, dpi: int = 170) -> bytes:
    """Codes (rows, grouped under their themes) by attribute value (columns): the share of the
    group's cases in which the code was coded, as colour and as a number."""
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
    height = min(9.2, 0.17 * n_rows + 1.1)
    fig = Figure(figsize=(width_in, height), dpi=dpi)
    labels = [textwrap.shorten(label, 56, placeholder="\u2026") for _, label, _ in data.rows]
    # margins by hand (tight_layout draws the figure once more): labels at about 0.055 in a character
    left = min(0.6, (max((len(x) for x in labels), default=10) * 0.058 + 0.15) / width_in)
    top_in = 0.9
    fig.subplots_adjust(left=left, right=0.98, top=1 - top_in / height, bottom=0.15 / height)
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
    wrap = max(8, int(42 / max(1, n_cols)))
    ax.set_xticklabels([textwrap.fill(str(v), wrap) + f"\n(n = {n})" for v, n in data.groups], fontsize=size)
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
