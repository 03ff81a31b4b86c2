"""Tables that read better in Word as something other than a plain grid.

- a Framework matrix: quotes in italics with their attributions under them, memos first, and one
  part per theme (the Framework method's thematic charts);
- retrieved segments: a list of quotations, each attributed, instead of 25 columns.
"""

from __future__ import annotations

from qualcode.export import docx_base as base
from qualcode.export.frame import Grid, clean_text

TEXT_COLUMNS = 5  # data columns per part for a table of text


def framework_grid(g: Grid, df) -> Grid:
    """Fill ``g.rich`` from the matrix's attrs (quotes, attributions, memos)."""
    quotes = df.attrs.get("quotes") or {}
    attributions = df.attrs.get("attributions") or {}
    memos = df.attrs.get("memos") or {}
    offset = g.index_columns
    names = df.attrs.get("code_names") or {}
    g.attrs["column_ids"] = list(g.headers)
    g.headers = g.headers[:offset] + [str(names.get(h, h)) for h in g.headers[offset:]]
    for i, case in enumerate(df.index.tolist()):
        for k, code in enumerate(df.columns.tolist()):
            q = (quotes.get(case) or {}).get(code) or []
            a = (attributions.get(case) or {}).get(code) or []
            m = (memos.get(case) or {}).get(code) or []
            if not (q or m):
                continue
            parts = [("memo", f"Memo: {text}") for text in m]
            for n, text in enumerate(q):
                parts.append(("quote", f"\u201c{text}\u201d"))
                if n < len(a) and a[n]:
                    parts.append(("attribution", "\u2014 " + str(a[n]).strip("()")))
            g.rich[(i, offset + k)] = parts
    return g


def theme_parts(g: Grid, book, per_part: int = TEXT_COLUMNS) -> list[list[int]]:
    """Column groups, one per top-level theme of the codebook (split when a theme has many codes)."""
    lead = list(range(g.index_columns))
    ids = g.attrs.get("column_ids") or g.headers
    groups: dict[str, list[int]] = {}
    for j in range(g.index_columns, len(g.headers)):
        code = ids[j]
        chain = book.ancestors(code) if code in book else []
        root = chain[-1] if chain else code.split(".")[0]
        groups.setdefault(root, []).append(j)
    parts = []
    for cols in groups.values():
        n_parts = -(-len(cols) // per_part)
        size = -(-len(cols) // n_parts)  # balanced: 6 codes as 3 + 3, not 5 + 1
        for k in range(0, len(cols), size):
            parts.append(lead + cols[k:k + size])
    return parts


def text_heavy(g: Grid) -> bool:
    sample = g.rows[:50]
    cells = [len(str(v)) for r in sample for v in r[g.index_columns:] if isinstance(v, str)]
    return bool(cells) and sum(cells) / len(cells) > 40


def retrieved_quotes(doc, df, limit: int) -> int:
    """Each segment as a quotation with its attribution, code and coder; returns how many shown."""
    shown = 0
    for row in df.head(limit).itertuples(index=False):
        rec = row._asdict()
        quote = " ".join(str(rec.get("quote") or "").split())
        if not quote:
            continue
        base.para(doc, f"\u201c{clean_text(quote)}\u201d", style="Quote")
        who = str(rec.get("attribution") or rec.get("case") or "").strip("()")
        extra = ", ".join(str(v) for v in (rec.get("code"), rec.get("coder")) if v)
        base.para(doc, f"\u2014 {clean_text(who)}" + (f" [{clean_text(extra)}]" if extra else ""),
                          style="Quote Attribution")
        shown += 1
    return shown
