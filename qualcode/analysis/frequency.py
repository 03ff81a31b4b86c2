"""Code frequencies in plain Python (no pandas, no numpy), so `qualcode table frequencies` starts as
fast as `qualcode check` (issue 18). ``counts.frequencies`` makes its DataFrame from this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.analysis.data import choose_codes, choose_coders, no_codings_reason, plural, unknown_note

MEASURES = ["codings", "words coded", "transcripts", "cases"]
_NUMPY_FROM = 20_000
"""From this many quotes the numpy word count is worth its import (about 0.07 s)."""


@dataclass
class PlainTable:
    """A table as rows of plain values: what ``cli.tables.show_rows`` prints and what a DataFrame is made of."""

    columns: list[str]
    rows: list[list]
    index: list[str]
    attrs: dict = field(default_factory=dict)


def _words(quotes: list[str]) -> list[int]:
    if len(quotes) >= _NUMPY_FROM:
        from qualcode.analysis.words import count_words

        return count_words(quotes).tolist()
    from qualcode.domain.transcript import count_words

    return [count_words(q) for q in quotes]


def frequency_table(project, *, coders=None, codes=None) -> PlainTable:
    """See ``counts.frequencies``: the same rows, columns, caption and attributes."""
    title = "Code frequencies"
    choice = choose_coders(project, coders)
    items = [(c.coder or who, c) for who in choice.coders for c in project.codings(who)]
    if not items:
        reason = no_codings_reason(choice)
        return PlainTable(["code", "id", *MEASURES], [], [],
                          {"title": title, "caption": reason, "kind": "frequencies", "empty_reason": reason,
                           "coders": choice.coders})
    sel = choose_codes(project, codes, {c.code for _, c in items}, all_when_none=True)
    wanted = set(sel.ids)
    items = [(who, c) for who, c in items if c.code in wanted]
    words = _words([c.quote for _, c in items])
    case = {t: project.cases.case(t) for t in {c.transcript for _, c in items}}
    groups: dict[tuple, list] = {}
    for (who, c), n in zip(items, words):
        key = (who, c.code) if choice.separate else (c.code,)
        g = groups.get(key)
        if g is None:
            g = groups[key] = [0, 0, set(), set()]
        g[0] += 1
        g[1] += n
        g[2].add(c.transcript)
        g[3].add(case[c.transcript])
    keys = [[(who, cid) for who in choice.coders] for cid in sel.ids] if choice.separate \
        else [[(cid,)] for cid in sel.ids]
    rows = []
    for cid, row_keys in zip(sel.ids, keys):
        row = [sel.labels[cid], cid]
        for k in row_keys:
            g = groups.get(k)
            row += [g[0], g[1], len(g[2]), len(g[3])] if g else [0, 0, 0, 0]
        rows.append(row)
    columns = ["code", "id"] + ([f"{m} ({who})" for who in choice.coders for m in MEASURES]
                                if choice.separate else MEASURES)
    n_t = len({c.transcript for _, c in items})
    n_c = len({case[c.transcript] for _, c in items})
    who = choice.description + (", each coder in its own columns" if choice.separate else "")
    caption = (f"Codings by {who}, per code: the number of codings, the words they cover (summed over "
               f"codings), and the transcripts and cases with at least one coding of the code itself "
               f"(a sub-code counts on its own row); {plural(len(items), 'coding')} in "
               f"{plural(n_t, 'transcript')} ({plural(n_c, 'case')}){unknown_note(sel.unknown)}.")
    return PlainTable(columns, rows, list(sel.ids),
                      {"title": title, "caption": caption, "kind": "frequencies", "coders": choice.coders,
                       "code_names": sel.names, "not_in_codebook": sel.unknown})
