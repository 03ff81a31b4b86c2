"""Counting tables: code frequencies, the case x code matrix, code co-occurrence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from qualcode.analysis.data import (
    choose_codes, choose_coders, coded_cases, coding_frame, empty, finish, no_codings_reason, paused_gc, plural,
    pooled, unknown_note,
)
from qualcode.analysis.frequency import assemble, empty_table
from qualcode.errors import QualcodeError

MATRIX_VALUES = ("presence", "counts", "words")
COOCCURRENCE_MODES = ("overlap", "turn")


def frequencies(project, *, coders=None, codes=None) -> pd.DataFrame:
    """One row per code in tree order (``code``: indented name, ``id``), with the number of codings,
    words coded, and transcripts and cases with the code; one set of columns per coder when several
    coders are named ("codings (researcher_a)"), else pooled. The same table as the command line's
    plain-Python ``analysis.frequency``, counted here with one groupby over the shared codings frame."""
    choice = choose_coders(project, coders)
    with paused_gc():
        df = coding_frame(project, choice.coders, words=True)
        if df.empty:
            t = empty_table(choice)
            return empty(kind="frequencies", title=t.attrs["title"], reason=t.attrs["empty_reason"],
                         columns=t.columns, coders=t.attrs["coders"])
        sel = choose_codes(project, codes, df["code"].unique(), all_when_none=True)
        sub = df[df["code"].isin(sel.ids)]
        g = sub.groupby(["coder", "code"] if choice.separate else ["code"], sort=False)
        counted = pd.DataFrame({"codings": g.size(), "words": g["words"].sum(),
                                "transcripts": g["transcript"].nunique(), "cases": g["case"].nunique()})
        stats = {(k if isinstance(k, tuple) else (k,)): tuple(int(v) for v in row)
                 for k, row in zip(counted.index, counted.to_numpy())}
        t = assemble(choice, sel, stats, len(sub), sub["transcript"].nunique(), sub["case"].nunique())
    out = pd.DataFrame(t.rows, index=pd.Index(t.index), columns=t.columns)
    out = out.astype({c: "int64" for c in t.columns[2:]})
    out.attrs.update(t.attrs)
    return out


@paused_gc()
def case_matrix(project, *, coders=None, codes=None, value="presence") -> pd.DataFrame:
    """Rows cases (in cases.csv order), columns codes (tree order); each cell 1/0 for presence, the
    number of codings (``counts``) or the words coded (``words``). Only cases with codings by the
    chosen coders are rows; without ``codes``, the codes used are columns."""
    if value not in MATRIX_VALUES:
        raise QualcodeError(f"unknown matrix value {value!r}", hint=f"use one of: {', '.join(MATRIX_VALUES)}")
    title = {"presence": "Codes by case", "counts": "Codings by case and code",
             "words": "Words coded by case and code"}[value]
    choice = choose_coders(project, coders)
    df = coding_frame(project, choice.coders, words=value == "words")
    if df.empty:
        return empty(kind="case_matrix", title=title, reason=no_codings_reason(choice), coders=choice.coders,
                     columns=["case"])
    cases = coded_cases(project, df)
    sel = choose_codes(project, codes, df["code"].unique(), all_when_none=False)
    sub = df[df["code"].isin(sel.ids)]
    if value == "words":
        table = sub.groupby(["case", "code"])["words"].sum().unstack()
    else:
        table = sub.groupby(["case", "code"]).size().unstack()
    table = table.reindex(index=cases, columns=sel.ids).fillna(0).astype("int64")
    if value == "presence":
        table = (table > 0).astype("int64")
    table.index.name, table.columns.name = "case", "code"
    unit = {"presence": "1 if the code occurs in the case, else 0",
            "counts": "the number of codings of the code in the case",
            "words": "the words coded with the code in the case (summed over codings)"}[value]
    shown = "the codes named" if codes is not None else "every code used"
    caption = (f"Codings by {pooled(choice)}: each cell is {unit}, for the {plural(len(cases), 'case')} "
               f"with codings and {shown} (a sub-code counts on its own){unknown_note(sel.unknown)}.")
    return finish(table, kind="case_matrix", title=title, caption=caption, value=value, coders=choice.coders,
                  code_names=sel.names, not_in_codebook=sel.unknown)


@paused_gc()
def cooccurrence(project, *, coders=None, codes=None, mode="overlap") -> pd.DataFrame:
    """A symmetric code x code table. ``overlap``: pairs of overlapping codings (same coder and
    transcript); ``turn``: speaker turns in which both codes occur (per coder). The diagonal holds
    each code's codings (overlap) or turns (turn)."""
    if mode not in COOCCURRENCE_MODES:
        raise QualcodeError(f"unknown co-occurrence mode {mode!r}", hint=f"use one of: {', '.join(COOCCURRENCE_MODES)}")
    title = "Code co-occurrence" + (" within speaker turns" if mode == "turn" else " (overlapping codings)")
    choice = choose_coders(project, coders)
    df = coding_frame(project, choice.coders)
    if df.empty:
        return empty(kind="cooccurrence", title=title, reason=no_codings_reason(choice), coders=choice.coders,
                     columns=["code"])
    sel = choose_codes(project, codes, df["code"].unique(), all_when_none=False)
    sub = df[df["code"].isin(sel.ids)].reset_index(drop=True)
    m = len(sel.ids)
    position = {c: i for i, c in enumerate(sel.ids)}
    code_ix = sub["code"].map(position).to_numpy(dtype=np.int64)
    if mode == "overlap":
        i, j = overlap_pairs_of(sub)
        a, b = code_ix[i], code_ix[j]
        diag = np.bincount(code_ix, minlength=m)
    else:
        from qualcode.analysis.overlaps import turn_units

        rows, units = turn_units(project, sub)
        pairs = pd.DataFrame({"unit": units, "code": code_ix[rows]}).drop_duplicates()
        diag = np.bincount(pairs["code"].to_numpy(), minlength=m)
        both = pairs.merge(pairs, on="unit")
        both = both[both["code_x"] < both["code_y"]]
        a, b = both["code_x"].to_numpy(), both["code_y"].to_numpy()
    keep = a != b
    a, b = a[keep], b[keep]
    counts = np.bincount(a * m + b, minlength=m * m).reshape(m, m)
    counts = counts + counts.T
    counts[np.arange(m), np.arange(m)] = diag
    table = pd.DataFrame(counts.astype("int64"), index=pd.Index(sel.ids, name="code"),
                         columns=pd.Index(sel.ids, name="code"))
    if mode == "overlap":
        unit = ("pairs of overlapping codings (same coder, same transcript) with the two codes; the diagonal "
                "is the number of codings of each code")
    else:
        unit = ("speaker turns in which both codes occur (counted per coder); the diagonal is the number of "
                "turns with each code")
    caption = (f"Codings by {pooled(choice)}: each cell is the number of {unit}{unknown_note(sel.unknown)}.")
    return finish(table, kind="cooccurrence", title=title, caption=caption, mode=mode, coders=choice.coders,
                  code_names=sel.names, not_in_codebook=sel.unknown)


def overlap_pairs_of(sub: pd.DataFrame):
    from qualcode.analysis.overlaps import overlap_pairs

    return overlap_pairs(sub)
