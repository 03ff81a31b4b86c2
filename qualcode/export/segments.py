"""Coded segments as the Word report and the spreadsheets list them: the words said within each
coding, without speaker labels, and who said them.

A coding can start on a turn's label ("Participant: Yeah...") or run from the interviewer's question
into the answer. Its listing quotes what the report's Framework cells quote (``TranscriptView.spoken``):
the words of its respondents' turns, each without its label, joined by " […] " where someone else
spoke between them (the interviewer's words only when no one else speaks). What it leaves out
before or after those words (the question, with its labels) joins the context around the quote, so
a reader still sees what was asked. The speaker, role and attribution columns name who said the
words quoted ("Ann; Bob" and "(case, Ann and Bob)" when several did); start and end stay the
coding's own.
"""

from __future__ import annotations

SAID = "said"
"""``df.attrs`` flag: the segments already give the words said."""

NOTE = (" Each quote is what was said within the coding, without speaker labels: its respondents' words "
        "(\u201c[\u2026]\u201d where someone else spoke between them), the interviewer's only when no one else "
        "speaks; a question coded with its answer stands in the context before the quote, and the quote is "
        "attributed to who said its words.")


def said_segments(project, df):
    """``df`` (a ``retrieve`` table) with each found segment's quote the words said, its speaker, role
    and attribution theirs, and its context taking in what the quote leaves out; any other table, or
    one done already, as it is."""
    if df.attrs.get("kind") != "retrieve" or df.attrs.get(SAID) or not len(df):
        return df
    from qualcode.analysis.speakers import visiting

    out = df.copy()
    out.attrs = {**df.attrs, SAID: True, "caption": str(df.attrs.get("caption") or "").rstrip() + NOTE}
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
    from qualcode.analysis.speakers import Located, attribution

    if status not in ("kept", "moved") or not isinstance(quote, str):
        return None
    view = _view(project, views, tid)
    if view is None:
        return None
    start, end = int(start), int(end)
    located = Located(start, end, "kept", [], [], [])  # start and end are where the passage is now
    words, said = view.spoken(located, quote, view.hash)
    if said is located:
        return None
    head = view.text[start:said.start] if said.start > start else ""
    tail = view.text[said.end:end] if said.end < end else ""
    return (words, "; ".join(said.speakers) or None, "; ".join(dict.fromkeys(said.roles)) or None,
            attribution(case, said), _run_on(before, head), _run_on(tail, after))


def _view(project, views: dict, tid):
    """The transcript's ``TranscriptView`` from its cached turns (its text read only when needed); None
    when it has no turns."""
    if tid not in views:
        from qualcode.analysis.speakers import TranscriptView
        from qualcode.analysis.turns import turn_table

        record = turn_table(project).get(tid)
        views[tid] = TranscriptView(project, tid, record) if record is not None and record.starts else None
    return views[tid]


def _run_on(*parts) -> str:
    """The parts as one stretch of context, runs of white space made single spaces ("" for none)."""
    from qualcode.analysis.speakers import context_before

    text = "".join(str(p) for p in parts if isinstance(p, str))
    return context_before(text, len(text), len(text))  # all of it: nothing is cut
