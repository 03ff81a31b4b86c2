"""Which codings overlap, and which turns a coding touches: vectorised with numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from qualcode.analysis.turns import turn_table


def overlap_pairs(df: pd.DataFrame, by=("coder", "transcript")) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)``, ``i != j``, of the rows of ``df`` whose spans overlap, within the same
    ``by`` group (same coder and transcript). Each unordered pair appears once, in either order.

    Sorted by group and start, the codings that overlap coding ``i`` and start at or after it are
    the ones after it whose start is before its end: one ``searchsorted`` finds them all.
    """
    n = len(df)
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    group = np.zeros(n, dtype=np.int64)
    for col in by:
        codes, uniques = pd.factorize(df[col])
        group = group * (len(uniques) + 1) + codes
    group = pd.factorize(group)[0].astype(np.int64)
    start = df["start"].to_numpy(dtype=np.int64)
    end = df["end"].to_numpy(dtype=np.int64)
    order = np.lexsort((start, group))
    span = int(max(end.max(), start.max())) + 1
    key_start = group[order] * span + start[order]
    key_end = group[order] * span + end[order]
    stop = np.searchsorted(key_start, key_end, side="left")
    counts = np.maximum(stop - np.arange(n) - 1, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    first = np.repeat(np.arange(n), counts)
    offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    second = first + 1 + offset
    return order[first], order[second]


def turn_units(project, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(row, unit)``: each row of ``df`` with every turn it touches, as one integer per
    (coder, transcript, turn). Text before the first turn counts as a turn of its own. The turns
    come from the turn cache (``analysis.turns``), not from loading the transcripts."""
    rows_out, units_out = [], []
    coder_codes, _ = pd.factorize(df["coder"])
    starts_all = df["start"].to_numpy(dtype=np.int64)
    ends_all = df["end"].to_numpy(dtype=np.int64)
    base = 0
    n_coders = int(coder_codes.max()) + 1 if len(coder_codes) else 1
    groups = df.groupby("transcript", sort=False).indices
    records = turn_table(project).many(groups)
    for tid, positions in groups.items():
        turn_starts = np.zeros(0, dtype=np.int64)
        if records.get(tid) is not None:
            turn_starts = np.array(records[tid].starts, dtype=np.int64)
        elif tid in project.index:
            turn_starts = np.array([t.start for t in project.transcript(tid).turns], dtype=np.int64)
        s, e = starts_all[positions], ends_all[positions]
        first = np.searchsorted(turn_starts, s, side="right") - 1
        last = np.searchsorted(turn_starts, np.maximum(e - 1, s), side="right") - 1
        width = last - first + 1
        rows = np.repeat(positions, width)
        turn = np.repeat(first, width) + (np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width))
        n_turns = len(turn_starts) + 1
        units = base + coder_codes[rows] * n_turns + (turn + 1)
        base += n_turns * n_coders
        rows_out.append(rows)
        units_out.append(units)
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_out), np.concatenate(units_out)
