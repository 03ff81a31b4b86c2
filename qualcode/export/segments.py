"""Coded segments as the Word report and the spreadsheets list them: the words said within each
coding, without speaker labels, and who said them (see ``analysis.retrieve``, which gives them so, as
`qualcode table retrieve` prints them, through ``speakers.said_fields``).

``said_segments`` makes any other ``retrieve`` table (one made before retrieval gave the words said)
read the same, through the same ``said_fields``.
"""

from __future__ import annotations

from qualcode.analysis.speakers import SAID, SAID_NOTE, TranscriptView, said_fields, visiting


def said_segments(project, df):
    """``df`` (a ``retrieve`` table) with each found segment's quote the words said, its speaker, role
    and attribution theirs, and its context taking in what the quote leaves out; any other table, or
    one done already, as it is."""
    if df.attrs.get("kind") != "retrieve" or df.attrs.get(SAID) or not len(df):
        return df
    out = df.copy()
    out.attrs = {**df.attrs, SAID: True, "caption": str(df.attrs.get("caption") or "").rstrip() + SAID_NOTE}
    names = ["transcript", "case", "start", "end", "quote", "before", "after", "status"]
    changed = {k: out[k].tolist() for k in ("quote", "speaker", "role", "attribution", "before", "after")}
    views: dict = {}
    with visiting(project):  # the transcripts read for a quote's context are let go after
        for i, row in enumerate(zip(*(df[k].tolist() for k in names))):
            fields = _said(project, views, *row)
            if fields is not None:
                for key, value in zip(changed, fields):
                    changed[key][i] = value
    for key, values in changed.items():
        out[key] = values
    return out


def _said(project, views: dict, tid, case, start, end, quote, before, after, status):
    """(quote, speaker, role, attribution, before, after) of one segment, or None to leave it as it is
    (its text lost, or no turns to tell who speaks)."""
    if status not in ("kept", "moved") or not isinstance(quote, str):
        return None
    view = _view(project, views, tid)
    if view is None:
        return None
    return said_fields(view, case, int(start), int(end), quote, before, after)


def _view(project, views: dict, tid):
    """The transcript's ``TranscriptView`` from its cached turns (its text read only when needed); None
    when it has no turns."""
    if tid not in views:
        from qualcode.analysis.turns import turn_table

        record = turn_table(project).get(tid)
        views[tid] = TranscriptView(project, tid, record) if record is not None and record.starts else None
    return views[tid]
