"""Tables that read better in Word as something other than a plain grid.

- a Framework matrix: quotes in italics with their attributions under them, memos first, and one
  part per theme (the Framework method's thematic charts);
- retrieved segments: a list of quotations, each attributed, instead of 25 columns;
- a case x code matrix of more than ``MATRIX_CASES`` cases: one row per code (the cases with it),
  since hundreds of cases as columns fill pages nobody reads (the XLSX export has the matrix).
"""

from __future__ import annotations

from docx.shared import Cm, Pt

from qualcode.export import docx_base as base
from qualcode.export.frame import Grid, clean_text

TEXT_COLUMNS = 5  # data columns per part for a table of text
MATRIX_CASES = 40  # a case x code matrix with more cases is summarised per code in Word (XLSX: whole)
GRID_FITS = 8  # a code x code grid with at most this many codes fits one page with names as headers


def unwrap(text: str) -> str:
    """'(LSP C, chair (council))' -> 'LSP C, chair (council)': only enclosing parentheses go."""
    text = str(text or "").strip()
    if text.startswith("(") and text.endswith(")"):
        depth = 0
        for k, ch in enumerate(text):
            depth += (ch == "(") - (ch == ")")
            if depth == 0 and k < len(text) - 1:
                return text  # "(a) and (b)": not one enclosing pair
        return text[1:-1]
    return text


def code_label(book, code: str, indent: bool = False) -> str:
    if book is not None and code in book:
        return ("  " * book.depth(code) if indent else "") + book.get(code).name
    return str(code)


PARENT_ROWS = (" A theme or code not used itself but above codes that were has an empty row, so every code "
               "stands under its own theme.")


def tree_rows(codes, book) -> list[str]:
    """``codes`` and every code above them, in codebook order (codes not in the codebook last): the
    rows of a table indented by level, so no code appears under another theme's heading."""
    codes = [str(c) for c in codes]
    wanted = set(codes)
    for c in codes:
        if book is not None and c in book:
            wanted.update(book.ancestors(c))
    ordered = [c.id for c in book.walk() if c.id in wanted] if book is not None else []
    return ordered + [c for c in codes if c not in set(ordered)]


def _with_parents(out, codes, book):
    """``out`` (one row per code in ``codes``) with empty rows for the codes above them."""
    rows = tree_rows(codes, book)
    if len(rows) == len(codes):
        return out, ""
    return out.reindex(rows), PARENT_ROWS


def codes_as_rows(df, book):
    """A case x code matrix turned so codes are rows (named, indented by level, under their themes)
    and cases columns: nine cases fit a page across, forty code names do not."""
    out, parents = _with_parents(df.T.copy(), [str(c) for c in df.columns], book)
    out.index = [code_label(book, c, indent=True) for c in out.index]
    out.index.name = "Code"
    out.columns = [str(c) for c in df.index]
    out.attrs = dict(df.attrs)
    caption = str(df.attrs.get("caption", ""))
    out.attrs["caption"] = caption.replace("rows are the", "columns are the").replace(", columns every", ", rows every") \
        .replace(", columns the", ", rows the") + parents
    return out


def case_matrix_summary(df, book):
    """A case x code matrix with more cases than a page can show as columns, summarised per code: the
    cases in which it occurs (and their share of the coded cases), with the codings or words and the
    most in any one case for a matrix of counts or words. The whole matrix is in the XLSX export."""
    import pandas as pd

    value = df.attrs.get("value", "presence")
    n = len(df)
    present = (df > 0).sum(axis=0)
    codes = [str(c) for c in df.columns]
    out = pd.DataFrame({"Cases": present.to_numpy(), "% of cases": (present / n * 100).round(1).to_numpy()},
                       index=codes)
    unit = {"counts": "Codings", "words": "Words coded"}.get(value)
    if unit:
        out[unit] = df.sum(axis=0).to_numpy()
        out["Most in one case"] = df.max(axis=0).to_numpy()
    out, parents = _with_parents(out, codes, book)
    out.index = pd.Index([code_label(book, c, indent=True) for c in out.index], name="Code")
    out.attrs = dict(df.attrs)
    what = {"counts": "; the codings of the code, and the most in any one case",
            "words": "; the words coded with it, and the most in any one case"}.get(value, "")
    out.attrs["title"] = f"{df.attrs.get('title', 'Codes by case')} (summary)"
    out.attrs["caption"] = (f"The {n:,} cases are too many to show as columns, so each code gets one row: the cases "
                            f"in which it occurs and their share of the {n:,} cases with codings{what}. "
                            f"`qualcode export xlsx` writes the whole case x code matrix. "
                            + str(df.attrs.get("caption", "")).split(": each cell is", 1)[0] + "." + parents)
    return out


def cooccurrence_pairs(df):
    """The pairs of different codes that co-occur, most first: code, other code, count, and each
    code's own total (the grid's diagonal)."""
    import pandas as pd

    names = df.attrs.get("code_names") or {}
    ids = [str(c) for c in df.columns]
    values = df.to_numpy()
    rows = []
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            n = int(values[i, j])
            if n:
                rows.append([names.get(ids[i], ids[i]), names.get(ids[j], ids[j]), n,
                             int(values[i, i]), int(values[j, j])])
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    overlap = df.attrs.get("mode", "overlap") == "overlap"
    unit = "Codings of" if overlap else "Turns with"
    out = pd.DataFrame(rows, columns=["Code", "Occurs with", "Together", f"{unit} first code (all)",
                                      f"{unit} second code (all)"])
    together = ("the number of pairs of overlapping codings (a coding that overlaps two codings of the other "
                "code makes two pairs), so it can exceed either code's codings" if overlap
                else "the number of speaker turns with both codes")
    total = "codings" if overlap else "turns"
    out.attrs = {"title": "Codes that occur together, most often first", "kind": "cooccurrence_pairs",
                 "caption": (f"{df.attrs.get('caption', '')} Each row is a pair of different codes: Together is "
                             f"{together}; the last two columns give each code's {total} in all, whether or not "
                             "they overlap (the grid's diagonal). Pairs that never occur together are left "
                             "out.").strip()}
    return out


def named_grid(df, book):
    """The co-occurrence grid with code names for rows and columns (only used when it fits a page)."""
    out = df.copy()
    labels = [code_label(book, str(c)) for c in df.columns]
    out.index, out.columns = labels, labels
    out.index.name = "Code"
    out.attrs = dict(df.attrs)
    out.attrs["title"] = str(df.attrs.get("title", "Code co-occurrence")) + ": the grid"
    return out


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
                    parts.append(("attribution", "\u2014 " + unwrap(a[n])))
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


def retrieved_quotes(doc, df, limit: int, book=None) -> int:
    """Each segment as a quotation in its context (the words before and after it, in grey), with
    its attribution, code, coder and the case's attributes; returns how many were shown."""
    from qualcode.analysis.retrieve import SEGMENT_COLUMNS

    attributes = [c for c in df.columns if c not in SEGMENT_COLUMNS]
    shown = 0
    for row in df.head(limit).itertuples(index=False):
        rec = dict(zip(df.columns, row))
        quote = " ".join(str(rec.get("quote") or "").split())
        if not quote:
            continue
        p = base.para(doc, style="Quote")
        before = " ".join(str(rec.get("before") or "").split())
        after = " ".join(str(rec.get("after") or "").split())
        if before:  # the context says itself where it was cut ("…")
            grey(p.add_run(f"{clean_text(before)} "))
        p.add_run(f"\u201c{clean_text(quote)}\u201d").bold = True
        if after:
            grey(p.add_run(after_quote(clean_text(after))))
        who = unwrap(rec.get("attribution") or rec.get("case") or "")
        code = rec.get("code")
        extra = ", ".join(str(v) for v in (code_label(book, code) if code else None, rec.get("coder")) if v)
        facts = "; ".join(f"{a.replace('_', ' ')}: {rec.get(a)}" for a in attributes if rec.get(a) not in (None, ""))
        line = f"\u2014 {clean_text(who)}" + (f" [{clean_text(extra)}]" if extra else "")
        attribution = base.para(doc, line, style="Quote Attribution")
        if facts:  # the case's attributes, under the attribution, as the caption promises
            attribution.paragraph_format.keep_with_next = True
            attribution.paragraph_format.space_after = Pt(0)
            note = base.para(doc, f"{who.split(',')[0]}: {clean_text(facts)}.", style="Table Note")
            note.paragraph_format.left_indent = Cm(1)
        shown += 1
    return shown


def after_quote(text: str) -> str:
    """The words after a quotation, spaced as prose: none before a full stop, comma or the like
    ('“…the funding bid”. Interviewer'), one before a word."""
    return text if text[:1] in ".,;:!?)]\u2026\u2019\u201d" else " " + text


def grey(run) -> None:
    from docx.shared import RGBColor

    run.font.color.rgb = RGBColor(0x76, 0x76, 0x76)
