"""Retrieval: every coded segment of a code, with who said it, its context and its case's attributes.

The segments are found in plain Python (``segment_table``, which `qualcode table retrieve` prints
without importing pandas or numpy); ``retrieve`` makes the DataFrame the other callers use (the Word,
CSV and XLSX listings of coded segments among them).

Each segment quotes the words said within its coding (``speakers.said_fields``): a coding can start on
a turn's label ("Participant: Yeah...") or run from the interviewer's question into the answer. The
quote is what the report's Framework cells quote (``TranscriptView.spoken``): the words of its respondents'
turns, each without its label, joined by " […] " where someone else spoke between them (the
interviewer's words only when no one else speaks). What it leaves out before or after those words
(the question, with its labels) joins the context around the quote, so a reader still sees what was
asked. The speaker, role and attribution columns name who said the words quoted ("Ann; Bob" and
"(case, Ann and Bob)" when several did); start and end stay the coding's own.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from qualcode.analysis.data import (
    MISSING, case_attribute_values, case_order, choose_coders, empty, no_codings_reason, paused_gc, plural, pooled,
    resolve_code, split_list, transcript_order,
)
from qualcode.analysis.frequency import _NUMPY_FROM, PlainTable
from qualcode.analysis.speakers import (
    SAID, SAID_NOTE, TranscriptView, attribution, context_after, context_before, said_fields, visiting,
)

if TYPE_CHECKING:
    import pandas as pd

SEGMENT_COLUMNS = ["transcript", "case", "speaker", "role", "start", "end", "coder", "code", "quote", "memo",
                   "before", "after", "attribution", "status"]


def retrieve(project, code, *, coders=None, include_children=True, context=150) -> pd.DataFrame:
    """One row per coded segment of ``code`` (an id or name, or a list "a,b"; with the codes under
    it unless ``include_children=False``), indexed by coding id, in case and text order.

    Columns: transcript, case, speaker ("; " between several), role (interviewer/respondent),
    start, end (where the passage is now), coder, code, quote (the words said there now, without speaker
    labels: see the module docstring; a typo fixed in the transcript since shows fixed; as coded when
    its text is lost), memo, before/after (up to ``context`` characters around it, cut at a space, and
    what the quote leaves out of the coding), attribution ("(LSP C, coordinator)": who said the quote),
    status (kept, moved, orphaned: see ``qualcode check``), then one column per case attribute
    ("(missing)" where a case has no value).
    """
    import pandas as pd

    t = segment_table(project, code, coders=coders, include_children=include_children, context=context)
    if "empty_reason" in t.attrs:
        a = t.attrs
        return empty(kind="retrieve", title=a["title"], reason=a["empty_reason"], columns=t.columns,
                     coders=a["coders"], codes=a["codes"])
    out = pd.DataFrame(t.rows, index=pd.Index(t.index, name="coding"), columns=t.columns)
    out.attrs.update(t.attrs)
    return out


@paused_gc()
def segment_table(project, code, *, coders=None, include_children=True, context=150) -> PlainTable:
    """``retrieve``'s rows, columns, caption and attributes, in plain Python."""
    choice = choose_coders(project, coders)
    sources = [(who, project.codings(who)) for who in choice.coders]
    book = project.codebook
    used: set[str] = set()
    for _, cs in sources:
        used.update(map(attrgetter("code"), cs))
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
    keep = set(wanted)
    sub = [(c.coder or who, c) for who, cs in sources for c in cs if c.code in keep]
    if not sub:
        reason = (no_codings_reason(choice) if not used else
                  f"No segments coded {named}{' (or a code under it)' if include_children else ''} by {pooled(choice)}.")
        return PlainTable(columns, [], [], {"title": title, "caption": reason, "kind": "retrieve",
                                            "empty_reason": reason, "coders": choice.coders, "codes": wanted})
    transcripts = list(dict.fromkeys(c.transcript for _, c in sub))
    rank = {t: i for i, t in enumerate(transcript_order(project, transcripts))}
    sub.sort(key=lambda wc: (rank[wc[1].transcript], wc[1].start, wc[1].end, wc[1].code, wc[0]))
    ordered = list(dict.fromkeys(c.transcript for _, c in sub))
    order = case_order(project, ordered)
    values = case_attribute_values(project, order)
    case_of = {t: project.cases.case(t) for t in ordered}
    rows, index = [], []
    by_transcript: dict[str, list] = {}
    for who, c in sub:
        by_transcript.setdefault(c.transcript, []).append((who, c))
    many = len(sub) >= _NUMPY_FROM  # numpy's import pays for itself in the turn look-ups
    with visiting(project):  # each transcript's text read for its context, all let go after
        for tid in ordered:
            view = TranscriptView(project, tid)
            text = view.text
            case = case_of[tid]
            attrs = [values.get(case, {}).get(a, MISSING) for a in attr_names]
            here = by_transcript[tid]
            single = _single_turns(view, here) if many else [-1] * len(here)
            for (who, c), t in zip(here, single):
                index.append(c.id)
                if t >= 0 and c.start >= view.text_starts[t] and c.quote.strip():
                    # within one turn's words of the transcript as coded: its speaker, no anchoring
                    desc = view.descriptions[t]
                    rows.append([tid, case, view.speakers[t] or None, view.roles[t] or None, c.start, c.end, who,
                                 c.code, c.quote.strip(), c.memo or None, context_before(text, c.start, context),
                                 context_after(text, c.end, context), f"({case}, {desc})" if desc else f"({case})",
                                 "kept", *attrs])
                    continue
                loc = view.locate(c.id, c.start, c.end, c.quote, c.th)
                if loc.status not in ("kept", "moved"):
                    rows.append([tid, case, None, None, loc.start, loc.end, who, c.code, c.quote, c.memo or None,
                                 "", "", attribution(case, loc), loc.status, *attrs])
                    continue
                quote = text[loc.start:loc.end]
                before, after = context_before(text, loc.start, context), context_after(text, loc.end, context)
                # the words said in it, and who said them; else as it reads, with whoever's turns it touches
                quote, speaker, role, said_by, before, after = (
                    said_fields(view, case, loc.start, loc.end, quote, before, after)
                    or (quote, "; ".join(loc.speakers) or None, "; ".join(dict.fromkeys(loc.roles)) or None,
                        attribution(case, loc), before, after))
                rows.append([tid, case, speaker, role, loc.start, loc.end, who, c.code, quote, c.memo or None,
                             before, after, said_by, loc.status, *attrs])
    moved = sum(1 for r in rows if r[13] != "kept")
    n_cases = len({r[1] for r in rows})
    scope = f"{named} and the codes under it" if include_children else named
    caption = (f"Segments coded {scope} by {pooled(choice)}: {plural(len(rows), 'segment')} in "
               f"{plural(len(ordered), 'transcript')} ({plural(n_cases, 'case')}), each with its "
               f"speaker, up to {context} characters of context either side and its case's attributes"
               + (f"; {plural(moved, 'segment')} moved or orphaned by transcript edits (run `qualcode check`)"
                  if moved else "") + "." + SAID_NOTE)
    return PlainTable(columns, rows, index, {"title": title, "caption": caption, "kind": "retrieve", SAID: True,
                                             "coders": choice.coders, "codes": wanted})


def _single_turns(view: TranscriptView, here: list) -> list[int]:
    """For each coding, the one turn it lies in on the transcript as coded, else -1 (numpy)."""
    import numpy as np

    found = view.single_turns(np.fromiter((c.start for _, c in here), dtype=np.int64, count=len(here)),
                              np.fromiter((c.end for _, c in here), dtype=np.int64, count=len(here)))
    current = view.hash
    return [int(t) if c.th == current else -1 for t, (_, c) in zip(found.tolist(), here)]


def _attr_column(name: str) -> str:
    return f"attr:{name}" if name in SEGMENT_COLUMNS else name
