"""Retrieval: every coded segment of a code, with who said it, its context and its case's attributes."""

from __future__ import annotations

import pandas as pd

from qualcode.analysis.data import (
    MISSING, case_attributes, case_order, choose_coders, coding_frame, empty, finish, no_codings_reason, plural,
    pooled, resolve_code, split_list, transcript_order,
)
from qualcode.analysis.speakers import TranscriptView, attribution, context_after, context_before

SEGMENT_COLUMNS = ["transcript", "case", "speaker", "role", "start", "end", "coder", "code", "quote", "memo",
                   "before", "after", "attribution", "status"]


def retrieve(project, code, *, coders=None, include_children=True, context=150) -> pd.DataFrame:
    """One row per coded segment of ``code`` (an id or name, or a list "a,b"; with the codes under
    it unless ``include_children=False``), indexed by coding id, in case and text order.

    Columns: transcript, case, speaker ("; " between several), role (interviewer/respondent),
    start, end (where the passage is now), coder, code, quote (as coded), memo, before/after (up
    to ``context`` characters around it, cut at a space), attribution ("(LSP C, coordinator)"),
    status (kept, moved, orphaned: see ``qualcode check``), then one column per case attribute
    ("(missing)" where a case has no value).
    """
    choice = choose_coders(project, coders)
    df = coding_frame(project, choice.coders)
    book = project.codebook
    used = set(df["code"].unique())
    refs = split_list(code)
    if not refs:
        from qualcode.errors import QualcodeError

        raise QualcodeError("no code given", hint="name the code to retrieve, e.g. outcomes.matter")
    wanted: list[str] = []
    for ref in refs:
        cid = resolve_code(book, ref, used)
        wanted += [cid] + (book.descendants(cid) if include_children and cid in book else [])
    named = ", ".join(refs)
    title = f"Coded segments: {named}"
    attr_names = list(project.cases.columns)
    columns = SEGMENT_COLUMNS + [_attr_column(a) for a in attr_names]
    sub = df[df["code"].isin(set(wanted))]
    if sub.empty:
        reason = (no_codings_reason(choice) if df.empty else
                  f"No segments coded {named}{' (or a code under it)' if include_children else ''} by {pooled(choice)}.")
        return empty(kind="retrieve", title=title, reason=reason, columns=columns, coders=choice.coders, codes=wanted)
    rank = {t: i for i, t in enumerate(transcript_order(project, sub["transcript"].unique()))}
    sub = sub.assign(_rank=sub["transcript"].map(rank)).sort_values(["_rank", "start", "end", "code", "coder"])
    columns_out: dict[str, list] = {k: [] for k in ["id", *SEGMENT_COLUMNS]}
    for tid, group in sub.groupby("transcript", sort=False):
        view = TranscriptView(project, tid)
        text = view.text
        ids, cases, coders_, codes_ = (group[k].tolist() for k in ("id", "case", "coder", "code"))
        quotes_, memos_, ths = (group[k].tolist() for k in ("quote", "memo", "th"))
        located = view.locate_many(ids, group["start"].to_numpy(), group["end"].to_numpy(), quotes_, ths)
        for k, loc in enumerate(located):
            found = loc.status in ("kept", "moved")
            memo = memos_[k]
            columns_out["id"].append(ids[k])
            columns_out["transcript"].append(tid)
            columns_out["case"].append(cases[k])
            columns_out["speaker"].append("; ".join(loc.speakers) or None)
            columns_out["role"].append("; ".join(dict.fromkeys(loc.roles)) or None)
            columns_out["start"].append(loc.start)
            columns_out["end"].append(loc.end)
            columns_out["coder"].append(coders_[k])
            columns_out["code"].append(codes_[k])
            columns_out["quote"].append(quotes_[k])
            columns_out["memo"].append(memo if isinstance(memo, str) and memo else None)
            columns_out["before"].append(context_before(text, loc.start, context) if found else "")
            columns_out["after"].append(context_after(text, loc.end, context) if found else "")
            columns_out["attribution"].append(attribution(cases[k], loc))
            columns_out["status"].append(loc.status)
    out = pd.DataFrame(columns_out).set_index("id")
    out.index.name = "coding"
    order = case_order(project, sub["transcript"].unique())
    attrs = case_attributes(project, order)
    for a in attr_names:
        out[_attr_column(a)] = out["case"].map(attrs[a]).fillna(MISSING)
    out = out[columns]
    moved = int((out["status"] != "kept").sum())
    n_cases = out["case"].nunique()
    scope = f"{named} and the codes under it" if include_children else named
    caption = (f"Segments coded {scope} by {pooled(choice)}: {plural(len(out), 'segment')} in "
               f"{plural(out['transcript'].nunique(), 'transcript')} ({plural(n_cases, 'case')}), each with its "
               f"speaker, up to {context} characters of context either side and its case's attributes"
               + (f"; {plural(moved, 'segment')} moved or orphaned by transcript edits (run `qualcode check`)"
                  if moved else "") + ".")
    return finish(out, kind="retrieve", title=title, caption=caption, coders=choice.coders, codes=wanted)


def _attr_column(name: str) -> str:
    return f"attr:{name}" if name in SEGMENT_COLUMNS else name
