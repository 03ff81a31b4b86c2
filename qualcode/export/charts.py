"""Charts for the report (matplotlib, Agg backend, PNG bytes): how often each top-level theme is
coded in the cases of each value of a case attribute."""

from __future__ import annotations

import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

MISSING = "(not recorded)"
OUTSIDE = "(not in the codebook)"


@dataclass
class ChartData:
    attribute: str
    groups: list[tuple[str, int]]  # (value, number of cases)
    rows: list[tuple[str, str, bool]]  # (code id, label, is a theme heading)
    percent: dict[tuple[str, str], float]  # (code, value) -> % of the group's cases with the code
    bold: set = field(default_factory=set)  # row ids whose label is set in bold (themes)
    peers: tuple = ()
    """A part of a split figure: (label, bold) of every row of the whole figure, which its labels must
    read apart from as well (``split``)."""


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


_HINTING = 1.06
"""Text drawn in the figure runs up to about 5% wider than its glyphs' advances (hinting at small sizes)."""


def _label_width_pt(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points at ``size`` in matplotlib's default font: its glyphs' advances as
    FreeType gives them (not guessed from the number of characters), with a margin for hinting."""
    return sum(_advance(ch, bold) for ch in text) * size * _HINTING


@lru_cache(maxsize=2048)
def _advance(ch: str, bold: bool) -> float:
    """The advance of ``ch`` at 1 pt (FreeType's unhinted advance, which grows with the size)."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(weight="bold" if bold else "normal")))
    font.set_size(100, 72)
    return font.load_char(ord(ch)).linearHoriAdvance / 65536 / 100


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


LABEL_SHARE = (0.5, 0.6)
"""The share of the figure's width the row labels may take: up to the larger, leaving each column of the
heatmap ``COLUMN_MIN_IN`` wide (its label broken between words); never less than the smaller (many columns
have their labels turned upright)."""
COLUMN_MIN_IN = 0.56
_LABEL_MARGIN_IN = 0.15  # left of the labels
_LABEL_PAD_PT = 6.0  # between a label and the heatmap (the tick's pad, and some air)


def row_font(data: ChartData) -> float:
    """The size of the row labels and of the numbers in the cells."""
    return 7.0 if len(data.rows) <= 45 else 6.0


def _bold_rows(data: ChartData) -> list[bool]:
    return [heading or code_id in data.bold for code_id, _, heading in data.rows]


def _left(data: ChartData, width_in: float) -> float:
    """The share of the width left of the heatmap: the widest row label as drawn, within the labels' share."""
    size = row_font(data)
    widths = [_label_width_pt(label, size, bold) for label, bold in zip(_row_labels(data, width_in), _bold_rows(data))]
    need = ((max(widths, default=40.0) + _LABEL_PAD_PT) / 72 + _LABEL_MARGIN_IN) / width_in
    return min(_label_share(data, width_in), need)


def _label_share(data: ChartData, width_in: float) -> float:
    least, most = LABEL_SHARE
    return max(least, min(most, _AXIS_RIGHT - len(data.groups) * COLUMN_MIN_IN / width_in))


def _labelled_rows(data: ChartData) -> tuple:
    """(label, bold) of each row, the label's white space folded."""
    return tuple((" ".join(label.split()), bold) for (_, label, _), bold in zip(data.rows, _bold_rows(data)))


def _row_labels(data: ChartData, width_in: float = 6.3) -> list[str]:
    """Each row's label as drawn: whole when it fits the labels' share of the width, else cut between words
    in the middle, keeping its end ("Pain point in comparing… different types of plots"); a cut that could
    be another row's name cut (in any part of a split figure) keeps its end as far as the word that tells
    them apart ("Which features to look… (purposes 4) (with sub-codes)")."""
    room = (_label_share(data, width_in) * width_in - _LABEL_MARGIN_IN) * 72 - _LABEL_PAD_PT
    cuts = _fitted(data.peers or _labelled_rows(data), row_font(data), room)
    return [cuts[row] for row in _labelled_rows(data)]


@lru_cache(maxsize=64)
def _fitted(every: tuple, size: float, room: float) -> dict[tuple, str]:
    """(label, bold) -> the label as drawn, for every row of a figure (a chart's size and parts ask often)."""
    names = list(dict.fromkeys(text for text, _ in every))
    cuts = {}
    for row in dict.fromkeys(every):
        cut = fit_label(*row, size=size, room_pt=room)
        alike = _read_as(cut, row[0], names) if cut != row[0] else []
        cuts[row] = (_apart(row, alike, size, room) if alike else None) or cut
    return cuts


def _read_as(cut: str, text: str, names: list[str]) -> list[str]:
    """The other names ``cut`` (a cut of ``text``: "head… tail") could be read as a cut of."""
    head, _, tail = cut.partition("\u2026")
    tail = tail.strip()
    return [n for n in names if n != text and n.startswith(head) and n.endswith(tail)]


def _apart(row: tuple, others: list[str], size: float, room: float) -> str | None:
    """``row``'s label cut so that it keeps its last words as far as the one where its name differs from
    each of ``others``; None when they differ only where no cut can show it."""
    text = row[0]
    shared = max(_shared_end(text, other) for other in others)
    if shared < len(text.split()) - 2:
        return fit_label(*row, size=size, room_pt=room, tail_words=shared + 1)
    return None


def _shared_end(a: str, b: str) -> int:
    """How many last words ``a`` and ``b`` have in common."""
    n = 0
    for x, y in zip(reversed(a.split()), reversed(b.split())):
        if x != y:
            break
        n += 1
    return n


TAIL_SHARE = 0.45
"""A row label cut in the middle keeps its last words within this share of the room: its distinctive end."""


@lru_cache(maxsize=4096)
def fit_label(text: str, bold: bool = False, *, size: float, room_pt: float, tail_words: int = 1) -> str:
    """``text`` whole if it is at most ``room_pt`` wide at ``size``; else its first words, "…" and its
    last words (at least ``tail_words``; as many as fit in ``TAIL_SHARE`` of the room), with as many first
    words as fit beside them; neither part opens a bracket the other closes."""
    text = " ".join(text.split())
    if _label_width_pt(text, size, bold) <= room_pt:
        return text
    words = text.split(" ")
    heads = [(h, " ".join(words[:h]).rstrip(",;:-") + "\u2026") for h in range(len(words) - 1, 0, -1)]
    heads = [(h, head, _label_width_pt(head, size, bold)) for h, head in heads
             if head.count("(") == head.count(")") or h == 1]  # no bracket left open
    tails = [(k, " " + " ".join(words[-k:])) for k in range(max(1, tail_words), len(words) - 1)]
    tails = [(k, tail, _label_width_pt(tail, size, bold)) for k, tail in tails if tail.count("(") == tail.count(")")]
    fitting = [t for t in tails if t[2] <= TAIL_SHARE * room_pt] or tails[:1]
    for k, tail, tail_pt in [*reversed(fitting), (0, "", 0.0)]:  # the longest tail first
        for h, head, head_pt in heads:  # the longest head first; widths add up (and are checked whole)
            if h + k < len(words) and head_pt + tail_pt <= room_pt \
                    and _label_width_pt(head + tail, size, bold) <= room_pt:
                return head + tail
    while len(text) > 1 and _label_width_pt(text + "\u2026", size, bold) > room_pt:
        text = text[:-1]  # one word wider than the room: cut inside it
    return text + "\u2026"


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
    peers = data.peers or _labelled_rows(data)
    return [ChartData(data.attribute, data.groups, part,
                      {k: v for k, v in data.percent.items() if k[0] in {r[0] for r in part}},
                      data.bold & {r[0] for r in part}, peers) for part in parts]


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
    labels = _row_labels(data, width_in)
    left = _left(data, width_in)  # margins by hand (tight_layout draws the figure once more)
    fig.subplots_adjust(left=left, right=_AXIS_RIGHT, top=1 - columns.header_in / height, bottom=BOTTOM_IN / height)
    ax = fig.add_subplot(1, 1, 1)
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="white")
    ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=100, aspect="auto", interpolation="nearest")
    size = row_font(data)
    for i, (_, _, heading) in enumerate(data.rows):
        if heading:
            continue
        for j in range(n_cols):
            v = grid[i, j]
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=size,
                    color="white" if v >= 60 else "#222222")
    ax.set_yticks(range(n_rows))
    ticks = ax.set_yticklabels(labels, fontsize=size)
    for label, bold in zip(ticks, _bold_rows(data)):
        if bold:
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
