"""The Framework method's matrix: cases down the side, codes across, a summary in each cell.

Each cell holds the coders' memos on that case's codings of the code ("Memo: ..."), then the best
exemplar quotes: said by an interviewee rather than the interviewer (of a coding that runs from a
question into its answer, the answer's words: never the question, never a speaker's label), the
longest first, never two overlapping passages; shown in text order and clipped to ``max_chars``. The attribution of each
quote ("(LSP C, VCS representative on the LSP board)") is kept apart, in
``df.attrs["attributions"][case][code]``, a list parallel to ``df.attrs["quotes"][case][code]``,
so an exporter can set quotes and attributions in their own styles.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import pandas as pd

from qualcode.analysis.data import (
    choose_codes, choose_coders, coded_cases, coding_frame, empty, finish, no_codings_reason, paused_gc, plural,
    pooled, transcript_order, unknown_note,
)
from qualcode.analysis.speakers import TranscriptView, attribution, clip, describe_turns, visiting
from qualcode.analysis.turns import turn_table

CANDIDATES_PER_QUOTE = 5

@paused_gc()
def framework_matrix(project, *, coders=None, codes=None, quotes=2, max_chars=400, memos=True) -> pd.DataFrame:
    """Rows cases (coded ones, in case order), columns codes (tree order; the codes used, or those
    named with the codes under them); each cell text as described in the module docstring, "" when
    the case has no coding of the code."""
    title = "Framework matrix"
    quotes = max(0, int(quotes))
    choice = choose_coders(project, coders)
    df = coding_frame(project, choice.coders)
    if df.empty:
        return empty(kind="framework_matrix", title=title, reason=no_codings_reason(choice), coders=choice.coders,
                     attributions={}, quotes={}, memos={}, columns=["case"])
    cases = coded_cases(project, df)
    sel = choose_codes(project, codes, df["code"].unique(), all_when_none=False)
    sub = df[df["code"].isin(set(sel.ids))]
    memo_lists: dict[tuple[str, str], list[str]] = {}
    if memos:
        noted = sub[sub["memo"].notna() & (sub["memo"].astype(str).str.strip() != "")]
        for (case, code), group in noted.groupby(["case", "code"], sort=False):
            memo_lists[(case, code)] = list(dict.fromkeys(m.strip() for m in group["memo"]))
    picked: dict[tuple[str, str], list[tuple]] = {}
    if quotes:
        picked = _pick(project, sub, quotes)
    cells = {code: [] for code in sel.ids}
    attributions: dict[str, dict[str, list[str]]] = {}
    quote_lists: dict[str, dict[str, list[str]]] = {}
    memo_out: dict[str, dict[str, list[str]]] = {}
    for case in cases:
        attributions[case], quote_lists[case], memo_out[case] = {}, {}, {}
        for code in sel.ids:
            chosen = picked.get((case, code), [])
            notes = memo_lists.get((case, code), [])
            texts = [clip(q, max_chars) for _, q, _ in chosen]
            attributions[case][code] = [a for _, _, a in chosen]
            quote_lists[case][code] = texts
            memo_out[case][code] = notes
            lines = [f"Memo: {clip(m, max_chars)}" for m in notes] + [f"“{q}”" for q in texts]
            cells[code].append("\n".join(lines))
    table = pd.DataFrame(cells, index=pd.Index(cases, name="case"), columns=pd.Index(sel.ids, name="code"))
    with_text = int((table != "").to_numpy().sum())
    caption = (f"Codings by {pooled(choice)}: for each of the {plural(len(cases), 'case')} with codings and each code, "
               f"the memos on its codings and up to {plural(quotes, 'quote')} (the longest passages spoken by "
               f"interviewees, clipped to {max_chars} characters); {with_text} of {table.size} cells have "
               f"material{unknown_note(sel.unknown)}.")
    return finish(table, kind="framework_matrix", title=title, caption=caption, coders=choice.coders,
                  code_names=sel.names, not_in_codebook=sel.unknown, attributions=attributions,
                  quotes=quote_lists, memos=memo_out)


def _pick(project, sub: pd.DataFrame, quotes: int) -> dict[tuple[str, str], list[tuple]]:
    """``(case, code)`` -> ``[(sort key, quote, attribution), ...]`` in text order.

    Walks each cell's codings longest first until the cell has its quotes: interviewees' passages
    first, the interviewer's only to fill a cell that has too few; never two overlapping passages.
    """
    # by case and code (as strings sort), longest first, then by start: one stable integer sort
    case_ix, _ = pd.factorize(sub["case"], sort=True)
    code_ix, code_uniques = pd.factorize(sub["code"], sort=True)
    cell = case_ix.astype(np.int64) * (len(code_uniques) + 1) + code_ix
    starts = sub["start"].to_numpy(dtype=np.int64)
    ordered = np.lexsort((starts, starts - sub["end"].to_numpy(dtype=np.int64), cell))
    cell = cell[ordered]
    # a cell rarely needs more than its longest few codings (interviewer turns and overlaps are skipped)
    first = np.r_[0, np.flatnonzero(cell[1:] != cell[:-1]) + 1] if len(cell) else np.zeros(0, np.int64)
    within = np.arange(len(cell)) - np.repeat(first, np.diff(np.r_[first, len(cell)]))
    keep = within < quotes * CANDIDATES_PER_QUOTE
    sub = sub.iloc[ordered[keep]].reset_index(drop=True)
    sub["_cell"] = cell[keep]
    rank = {t: i for i, t in enumerate(transcript_order(project, sub["transcript"].unique()))}
    with visiting(project):  # the transcripts a passage across turns needs are let go after
        return _choose(project, sub, quotes, rank)


def _choose(project, sub: pd.DataFrame, quotes: int, rank: dict) -> dict[tuple[str, str], list[tuple]]:
    n = len(sub)
    starts, ends = sub["start"].to_numpy(dtype=np.int64), sub["end"].to_numpy(dtype=np.int64)
    tix, tids = pd.factorize(sub["transcript"])
    records = turn_table(project).many(tids)
    found, asks, said_by, said_from = _single_turns(project, tids, [records.get(t) for t in tids], tix, starts, ends,
                                                    sub["th"].to_numpy())
    order = np.array([rank.get(t, 0) for t in tids], dtype=np.int64)[tix] if n else np.zeros(0, np.int64)
    cell = pd.factorize(sub["_cell"].to_numpy())[0] if n else np.zeros(0, np.int64)  # 0, 1, 2, ... in order
    easy, chosen_rows = _easy_cells(cell, found >= 0, asks, starts, ends, tix, quotes)
    out: dict[tuple[str, str], list[tuple]] = {}
    if len(chosen_rows):
        # cells settled without a walk: their first `quotes` interviewee passages, in text order
        rows = chosen_rows[np.lexsort((chosen_rows, starts[chosen_rows], order[chosen_rows], cell[chosen_rows]))]
        cases, codes, quotes_of = sub["case"].to_numpy(), sub["code"].to_numpy(), sub["quote"].to_numpy()
        for r, rk, st in zip(rows.tolist(), order[rows].tolist(), starts[rows].tolist()):
            case, desc = cases[r], said_by[r]
            label = int(said_from[r]) - st  # a coding that starts on its turn's label: the words after it
            out.setdefault((case, codes[r]), []).append(
                ((rk, st), quotes_of[r][label:].lstrip() if label > 0 else quotes_of[r],
                 f"({case}, {desc})" if desc else f"({case})"))
    hard = np.flatnonzero(~easy[cell]) if n else np.zeros(0, np.int64)
    if len(hard):
        rest = sub.iloc[hard]
        views = {t: TranscriptView(project, t, records.get(t)) for t in rest["transcript"].unique()}
        out.update(_walk(rest, found[hard], views, quotes, rank))
    return out


def _single_turns(project, tids, recs, tix, starts, ends, ths):
    """For each coding: the one turn it lies in (-1: several, none, only the turn's label, or the
    transcript was edited since), whether that turn is an interviewer's, the speaker's description and
    where the turn's words start (after its label); in one pass over every transcript's turns laid end
    to end (``TranscriptView.single_turns`` for all at once)."""
    n = len(starts)
    lengths = np.array([len(r.starts) if r is not None else 0 for r in recs], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(lengths)[:-1]] if len(lengths) else np.zeros(0, np.int64)
    have = [r for r in recs if r is not None]
    total = int(lengths.sum())
    t_start = np.fromiter(chain.from_iterable(r.starts for r in have), dtype=np.int64, count=total)
    t_end = np.fromiter(chain.from_iterable(r.ends for r in have), dtype=np.int64, count=total)
    t_words = np.fromiter(chain.from_iterable(r.text_starts for r in have), dtype=np.int64, count=total)
    t_asks = np.array(list(chain.from_iterable(r.roles for r in have)), dtype=object) == "interviewer"
    t_said = np.empty(int(lengths.sum()), dtype=object)
    for k, (tid, r) in enumerate(zip(tids, recs)):
        if r is not None and len(r.starts):
            entry = project.index.get(tid)
            roles = entry.metadata.get("roles") if entry is not None else None
            t_said[offsets[k]:offsets[k] + lengths[k]] = describe_turns(roles, r.speakers, r.roles)
    if not n or not len(t_start):
        return (np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=bool), np.empty(n, dtype=object),
                np.full(n, -1, dtype=np.int64))
    span = int(max(t_start.max(), t_end.max(), starts.max(), ends.max())) + 1
    t_key = np.repeat(np.arange(len(recs), dtype=np.int64), lengths) * span + t_start
    base = tix.astype(np.int64) * span
    first = np.searchsorted(t_key, base + starts, side="right") - 1
    last = np.searchsorted(t_key, base + np.maximum(ends - 1, starts), side="right") - 1
    inside = (first == last) & (first >= offsets[tix])
    inside &= starts < t_end[np.maximum(first, 0)]
    inside &= ends > t_words[np.maximum(first, 0)]  # more than the turn's label
    hashes = np.array([r.hash if r is not None else None for r in recs], dtype=object)[tix]
    inside &= ths == hashes
    at = np.maximum(first, 0)
    found = np.where(inside, first - offsets[tix], -1)
    return found, inside & t_asks[at], np.where(inside, t_said[at], None), np.where(inside, t_words[at], -1)


def _easy_cells(cell, fast, asks, starts, ends, tids, quotes: int) -> tuple[np.ndarray, np.ndarray]:
    """(per cell: settled without the walk, the rows chosen in those cells). A cell is settled when
    its first ``quotes`` candidates said by an interviewee each lie in one turn, no candidate before
    them needs the slow look-up, and no two of them overlap: exactly what the walk would choose."""
    n_cells = int(cell.max()) + 1 if len(cell) else 0
    if not n_cells or quotes == 0:
        return np.zeros(n_cells, dtype=bool), np.zeros(0, dtype=np.int64)
    good = fast & ~asks
    s = pd.Series
    nth = s(good.astype(np.int64)).groupby(cell).cumsum().to_numpy()
    slow_before = s((~fast).astype(np.int64)).groupby(cell).cumsum().to_numpy()
    pick = good & (nth <= quotes)
    last = pick & (nth == quotes)  # the row that completes the cell
    easy = np.zeros(n_cells, dtype=bool)
    easy[cell[last & (slow_before == 0)]] = True
    rows = np.flatnonzero(pick & easy[cell])
    if len(rows):  # exactly `quotes` rows per easy cell, in cell order: compare them pairwise
        grid = rows.reshape(-1, quotes)
        clash = np.zeros(len(grid), dtype=bool)
        for i in range(quotes):
            for j in range(i + 1, quotes):
                a, b = grid[:, i], grid[:, j]
                clash |= (tids[a] == tids[b]) & (starts[a] < ends[b]) & (starts[b] < ends[a])
        easy[cell[grid[clash, 0]]] = False
        rows = grid[~clash].ravel()
    return easy, rows


def _walk(sub: pd.DataFrame, turn: np.ndarray, views: dict, quotes: int, rank: dict) -> dict[tuple[str, str], list[tuple]]:
    """The cells not settled at once, walked candidate by candidate."""
    out: dict[tuple[str, str], list[tuple]] = {}
    columns = [sub[k].tolist() for k in ("case", "code", "id", "transcript", "start", "end", "quote", "th")]
    key = None
    chosen: list[tuple] = []
    spare: list[tuple] = []

    def close() -> None:
        for item in spare:
            if len(chosen) >= quotes:
                break
            if not _overlaps(item, chosen):
                chosen.append(item)
        chosen.sort(key=lambda item: (rank.get(item[0], 0), item[1].start))
        out[key] = [((rank.get(t, 0), loc.start), quote, attribution(key[0], loc)) for t, loc, quote in chosen]

    for k, (case, code, cid, tid, start, end, quote, th) in enumerate(zip(*columns)):
        if (case, code) != key:
            if key is not None:
                close()
            key, chosen, spare = (case, code), [], []
        if len(chosen) >= quotes:
            continue
        view = views[tid]
        t = turn[k]
        loc = view.located(int(t), start, end) if t >= 0 else view.locate(cid, start, end, quote, th)
        quote, loc = view.spoken(loc, quote, th)  # a respondent's words, without speaker labels
        item = (tid, loc, quote)
        if loc.roles == ["interviewer"]:
            if len(spare) < quotes:
                spare.append(item)
        elif not _overlaps(item, chosen):
            chosen.append(item)
    if key is not None:
        close()
    return out


def _overlaps(item: tuple, chosen: list[tuple]) -> bool:
    tid, loc, _ = item
    return any(t == tid and loc.start < other.end and other.start < loc.end for t, other, _ in chosen)
