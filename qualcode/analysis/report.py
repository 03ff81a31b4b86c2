"""The tables a default report contains, in order."""

from __future__ import annotations

import pandas as pd

from qualcode.analysis.counts import case_matrix, cooccurrence, frequencies
from qualcode.analysis.data import case_attributes, case_order, empty, finish, paused_gc, plural


@paused_gc()
def cases_table(project) -> pd.DataFrame:
    """One row per case: its transcripts and its attributes from cases.csv ("(missing)" if none)."""
    title = "Cases"
    order = case_order(project)
    if not order:
        return empty(kind="cases", title=title, reason="There are no transcripts in this project yet.",
                     columns=["case", "transcripts", *project.cases.columns])
    table = case_attributes(project, order)
    transcripts: dict[str, list[str]] = {c: [] for c in order}
    for e in project.index:
        transcripts.setdefault(project.cases.case(e.id), []).append(e.id)
    table.insert(0, "transcripts", [", ".join(transcripts.get(c, [])) for c in order])
    attrs = list(project.cases.columns)
    caption = (f"The {plural(len(order), 'case')} of the study with their transcripts"
               + (f" and the {plural(len(attrs), 'attribute')} in {project.config.cases}" if attrs else "")
               + ' ("(missing)" where a case has no value).')
    return finish(table, kind="cases", title=title, caption=caption)


def standard_tables(project, *, coders=None) -> list[pd.DataFrame]:
    """Cases and their attributes; code frequencies; the case x code matrix (presence); code
    co-occurrence (overlapping codings). A table with nothing to show comes back empty, with
    ``attrs["empty_reason"]``."""
    return [
        cases_table(project),
        frequencies(project, coders=coders),
        case_matrix(project, coders=coders, value="presence"),
        cooccurrence(project, coders=coders, mode="overlap"),
    ]
