"""Memos in the exports: the notes coders wrote on their codings, by code or by transcript.

Word: a "Memos" section (one heading per code, or per transcript), each memo with the passage it
was written on and who wrote it. XLSX: a "Memos" sheet (``memo_frame``).
"""

from __future__ import annotations

from qualcode.export import docx_base as base
from qualcode.export.frame import clean_text
from qualcode.export.quotes import shorten


def memo_codings(by_code: dict) -> list:
    return [c for cs in by_code.values() for c in cs if (c.memo or "").strip()]


def _order(project, codings: list, by: str) -> list[tuple[str, str, list]]:
    """(key, heading, codings) in codebook order (by code) or the project's order (by transcript)."""
    book = project.codebook
    groups: dict[str, list] = {}
    for c in codings:
        groups.setdefault(c.code if by == "code" else c.transcript, []).append(c)
    if by == "code":
        keys = [c.id for c in book.walk() if c.id in groups] + sorted(k for k in groups if k not in book)
        title = {k: (book.get(k).name if k in book else f"{k} (not in the codebook)") for k in keys}
    else:
        ids = project.index.ids()
        keys = [t for t in ids if t in groups] + sorted(k for k in groups if k not in set(ids))
        title = {k: f"{project.cases.case(k)} ({k})" if project.cases.case(k) != k else k for k in keys}
    return [(k, title[k], sorted(groups[k], key=lambda c: (c.transcript, c.start, c.coder))) for k in keys]


def add_memos(doc, w, project, by_code: dict, by: str = "code") -> None:
    """The report's Memos section (nothing is added when no coding has a memo)."""
    codings = memo_codings(by_code)
    if not codings:
        return
    book = project.codebook
    w.heading("Memos", 1)
    coders = sorted({c.coder for c in codings})
    base.para(doc, f"The {len(codings):,} memo{'s' if len(codings) != 1 else ''} written on the codings counted "
              f"in this report (by {', '.join(coders)}), grouped by {'code' if by == 'code' else 'transcript'}; "
              "each with the passage it was written on.")
    for _, heading, group in _order(project, codings, by):
        w.heading(heading, 3)
        for c in group:
            memo = base.para(doc, clean_text(" ".join(c.memo.split())))
            memo.paragraph_format.keep_with_next = True
            base.para(doc, f"\u201c{clean_text(shorten(c.quote or '', 60))}\u201d", style="Quote")
            where = project.cases.case(c.transcript)
            what = book.get(c.code).name if c.code in book else c.code
            base.para(doc, f"\u2014 {clean_text(where)}, {c.transcript}; "
                      f"{clean_text(what) if by == 'transcript' else 'memo'} by {c.coder}", style="Quote Attribution")


def memo_frame(project, coders: list[str]):
    """One row per coding with a memo: code, name, transcript, case, coder, memo, quote."""
    import pandas as pd

    book = project.codebook
    rows = []
    for coder in coders:
        for c in project.codings(coder):
            if (c.memo or "").strip():
                rows.append([c.code, book.get(c.code).name if c.code in book else c.code, c.transcript,
                             project.cases.case(c.transcript), c.coder, c.memo, c.quote, c.start, c.end])
    df = pd.DataFrame(rows, columns=["code", "code name", "transcript", "case", "coder", "memo", "quote",
                                     "start", "end"])
    df.attrs.update({"title": "Memos", "kind": "memos",
                     "caption": f"The memos on the codings of {', '.join(coders) or 'no coder'}: one row per coding "
                                "with a memo, with the passage it was written on."})
    return df
