"""Code frequencies in plain Python (no pandas, no numpy), so `qualcode table frequencies` starts as
fast as `qualcode check` (issue 18). ``counts.frequencies`` makes its DataFrame from this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter

from qualcode.analysis.data import (
    choose_codes, choose_coders, no_codings_reason, paused_gc, plural, unknown_note,
)

TITLE = "Code frequencies"
MEASURES = ["codings", "words coded", "transcripts", "cases"]
_NUMPY_FROM = 20_000
"""From this many codings numpy's import (about 0.07 s) pays for itself (used by ``retrieve``)."""


@dataclass
class PlainTable:
    """A table as rows of plain values: what ``cli.tables.show_rows`` prints and what a DataFrame is made of."""

    columns: list[str]
    rows: list[list]
    index: list[str]
    attrs: dict = field(default_factory=dict)


def _words(project, cs, wanted: set[str]) -> tuple[list, list[int]]:
    """The codings of ``cs`` with a code in ``wanted``, and the words said in each one: its quote's words
    (counted once, when the coding entered the coder's cached state: ``CodingSet.word_counts``) less
    the speaker labels of a coding across turns (``turns.words_said``)."""
    from qualcode.analysis.turns import words_said

    codings = list(cs)
    words = cs.word_counts()
    keep = [code in wanted for code in map(attrgetter("code"), codings)]
    chosen, counted = list(compress(codings, keep)), list(compress(words, keep))
    said = words_said(project, [c.transcript for c in chosen], [c.start for c in chosen], [c.end for c in chosen],
                      [c.th for c in chosen], [c.quote for c in chosen], counted)
    return chosen, said


def frequency_table(project, *, coders=None, codes=None) -> PlainTable:
    """See ``counts.frequencies``: the same rows, columns, caption and attributes."""
    choice = choose_coders(project, coders)
    with paused_gc():
        sources = [(who, project.codings(who)) for who in choice.coders]
        if not any(len(cs) for _, cs in sources):
            return empty_table(choice)
        used: set[str] = set()
        for _, cs in sources:
            used.update(map(attrgetter("code"), cs))
        sel = choose_codes(project, codes, used, all_when_none=True)
        wanted = set(sel.ids)
        groups: dict[tuple, list] = {}
        seen_t: set[str] = set()
        n_items = 0
        for who, cs in sources:
            chosen, words = _words(project, cs, wanted)
            n_items += len(chosen)
            for c, n in zip(chosen, words):
                key = (c.coder or who, c.code) if choice.separate else (c.code,)
                g = groups.get(key)
                if g is None:
                    g = groups[key] = [0, 0, set()]
                g[0] += 1
                g[1] += n
                g[2].add(c.transcript)
            seen_t.update(c.transcript for c in chosen)
        case = {t: project.cases.case(t) for t in seen_t}
        stats = {k: (g[0], g[1], len(g[2]), len({case[t] for t in g[2]})) for k, g in groups.items()}
        return assemble(choice, sel, stats, n_items, len(seen_t), len(set(case.values())))


def empty_table(choice) -> PlainTable:
    reason = no_codings_reason(choice)
    return PlainTable(["code", "id", *MEASURES], [], [],
                      {"title": TITLE, "caption": reason, "kind": "frequencies", "empty_reason": reason,
                       "coders": choice.coders})


def assemble(choice, sel, stats: dict[tuple, tuple], n_items: int, n_transcripts: int, n_cases: int) -> PlainTable:
    """The table from ``stats``: ``(code,)`` (or ``(coder, code)`` when the coders are apart) ->
    (codings, words coded, transcripts, cases); the counts over every chosen coding for the caption."""
    keys = [[(who, cid) for who in choice.coders] for cid in sel.ids] if choice.separate \
        else [[(cid,)] for cid in sel.ids]
    rows = []
    for cid, row_keys in zip(sel.ids, keys):
        row = [sel.labels[cid], cid]
        for k in row_keys:
            row += list(stats.get(k, (0, 0, 0, 0)))
        rows.append(row)
    columns = ["code", "id"] + ([f"{m} ({who})" for who in choice.coders for m in MEASURES]
                                if choice.separate else MEASURES)
    who = choice.description + (", each coder in its own columns" if choice.separate else "")
    caption = (f"Codings by {who}, per code: the number of codings, the words said in them (summed over "
               f"codings; speaker labels not counted), and the transcripts and cases with at least one coding of the code itself "
               f"(a sub-code counts on its own row); {plural(n_items, 'coding')} in "
               f"{plural(n_transcripts, 'transcript')} ({plural(n_cases, 'case')}){unknown_note(sel.unknown)}.")
    return PlainTable(columns, rows, list(sel.ids),
                      {"title": TITLE, "caption": caption, "kind": "frequencies", "coders": choice.coders,
                       "code_names": sel.names, "not_in_codebook": sel.unknown})
