"""The Framework method's matrix: cases down the side, codes across, a summary in each cell.

Each cell holds the coders' memos on that case's codings of the code ("Memo: ..."), then the best
exemplar quotes: said by an interviewee rather than the interviewer, the longest first, never two
overlapping passages; shown in text order and clipped to ``max_chars``. The attribution of each
quote ("(LSP C, VCS representative on the LSP board)") is kept apart, in
``df.attrs["attributions"][case][code]``, a list parallel to ``df.attrs["quotes"][case][code]``,
so an exporter can set quotes and attributions in their own styles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qualcode.analysis.data import (
    choose_codes, choose_coders, coded_cases, coding_frame, empty, finish, no_codings_reason, paused_gc, plural,
    pooled, transcript_order, unknown_note,
)
from qualcode.analysis.speakers import TranscriptView, attribution, clip

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
    sub = sub.assign(_length=sub["end"] - sub["start"])
    sub = sub.sort_values(["case", "code", "_length", "start"], ascending=[True, True, False, True], kind="stable")
    # a cell rarely needs more than its longest few codings (interviewer turns and overlaps are skipped)
    sub = sub.groupby(["case", "code"], sort=False).head(quotes * CANDIDATES_PER_QUOTE).reset_index(drop=True)
    rank = {t: i for i, t in enumerate(transcript_order(project, sub["transcript"].unique()))}
    # the turn each candidate lies in (-1: several turns, none, or an edited transcript), vectorised
    views: dict[str, TranscriptView] = {}
    turn = np.full(len(sub), -1, dtype=np.int64)
    starts, ends = sub["start"].to_numpy(dtype=np.int64), sub["end"].to_numpy(dtype=np.int64)
    ths = sub["th"].to_numpy()
    for tid, positions in sub.groupby("transcript", sort=False).indices.items():
        view = views[tid] = TranscriptView(project, tid)
        found = view.single_turns(starts[positions], ends[positions])
        turn[positions] = np.where(ths[positions] == view.hash, found, -1)
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
