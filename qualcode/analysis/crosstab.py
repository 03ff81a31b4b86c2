"""Cross-tabulations: codes against case attributes, or codes against codes.

A dimension (``rows`` or ``cols``) is one of

- ``"attr:NAME"``: the values of a case attribute (a case with no value: "(missing)");
- a code id: its children are the categories, each counting its own sub-codes too (a code
  without children is its own single category; codings of the parent itself, if any, are a
  category named after it);
- ``"a,b,c"``: those codes, each with the codes under it;
- ``"codes"`` (or ``"*"``): every code used, in tree order, each with the codes under it.

Code rows and columns carry reader's labels in ``attrs["row_labels"]``/``["col_labels"]``: the
code's name, with "(with sub-codes)" when the row also counts codes under it.

``by="cases"`` (default) counts cases; ``"codings"`` and ``"words"`` count the codings of the
code dimension (their words). Against another code dimension a coding counts in a column when
it, or a coding overlapping it (same coder and transcript), carries that column's code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qualcode.analysis.data import (
    MISSING, NOT_IN_CODEBOOK, case_attributes, choose_coders, coded_cases, coding_frame, empty, finish, natural_key,
    no_codings_reason, paused_gc, plural, pooled, resolve_code, split_list,
)
from qualcode.errors import QualcodeError, UnknownCodeError

BY = ("cases", "codings", "words")
TOTAL = "Total"
ALL_CODES = ("codes", "*")
SUB_CODES = " (with sub-codes)"
SMALL_GROUP = 5
NOTE = "note"
"""A column group of a case attribute with fewer cases than this gets a note: its percentages are unstable."""


@dataclass
class Dimension:
    spec: str
    kind: str
    """"attr" or "codes"."""
    categories: list[str]
    label: str
    """For captions: "the case attribute region", "the codes under recruitment"."""
    attr: str | None = None
    each: str = ""
    """For captions: "each code under recruitment", "the code recruitment.open"."""
    mapping: pd.DataFrame | None = None
    """For codes: columns ``code``, ``category`` (a code may count in several categories)."""
    labels: dict = field(default_factory=dict)
    """For codes: category -> the name a reader sees ("Equalities framework (with sub-codes)")."""


def parse_dimension(project, spec: str, used, option: str = "rows") -> Dimension:
    """Read a ``--rows``/``--cols`` value (see the module docstring); a clear error if it names
    nothing in this project."""
    spec = (spec or "").strip()
    if spec.startswith("attr:"):
        name = spec[5:].strip()
        columns = list(project.cases.columns)
        if name not in columns:
            raise QualcodeError(
                f"unknown case attribute {name!r} in --{option}" if name else f"--{option} attr: needs a name",
                path=project.cases_path,
                hint=(f"attributes in {project.config.cases}: {', '.join(columns)}" if columns
                      else f"add attribute columns to {project.config.cases} (transcript,case,<attribute>,...)"))
        return Dimension(spec, "attr", [], f"the case attribute {name}", attr=name)
    book = project.codebook
    if spec.lower() in ALL_CODES:
        return _all_codes(book, used)
    refs = split_list(spec)
    if not refs:
        raise QualcodeError(f"--{option} is empty", hint="give a code id, a list a,b,c of code ids, or attr:NAME")
    ids = []
    for ref in refs:
        try:
            ids.append(resolve_code(book, ref, used))
        except UnknownCodeError as exc:
            hint = "give a code id (its children become the categories), a list a,b,c of code ids, or attr:NAME"
            if ref in project.cases.columns:
                hint = f"{ref!r} is a case attribute: write attr:{ref}"
            from qualcode.domain.codebook import did_you_mean

            raise UnknownCodeError(f"unknown code {ref!r} in --{option}: not in the codebook and not in any coding"
                                   f"{did_you_mean(book.codes, ref)}", path=exc.path, hint=hint) from None
    pairs: list[tuple[str, str]] = []
    itself = None
    if len(ids) == 1 and book.children(ids[0]):
        parent = ids[0]
        categories = [c.id for c in book.children(parent)]
        for cat in categories:
            pairs += [(cat, cat)] + [(d, cat) for d in book.descendants(cat)]
        if parent in set(used):
            categories.append(parent)
            pairs.append((parent, parent))
            itself = parent
        label, each = f"the codes under {parent}", f"each code under {parent}"
    else:
        categories = list(dict.fromkeys(ids))
        for cat in categories:
            pairs += [(cat, cat)] + ([(d, cat) for d in book.descendants(cat)] if cat in book else [])
        label = f"the code {categories[0]}" if len(categories) == 1 else f"the codes {', '.join(categories)}"
        each = label if len(categories) == 1 else f"each of {label}"
    mapping = pd.DataFrame(pairs, columns=["code", "category"]).drop_duplicates()
    return Dimension(spec, "codes", categories, label, each=each, mapping=mapping,
                     labels=_labels(book, categories, set(used), pairs, itself=itself))


def _all_codes(book, used) -> Dimension:
    """``codes``: every code used (and every code above one), in tree order, each counting the
    codes under it too: a theme's row is "this theme or any code under it"."""
    used = set(used)
    cats, pairs = [], []
    for c in book.walk():
        under = [c.id, *book.descendants(c.id)]
        if used & set(under):
            cats.append(c.id)
            pairs += [(d, c.id) for d in under]
    outside = sorted(u for u in used if u not in book)
    cats += outside
    pairs += [(u, u) for u in outside]
    mapping = pd.DataFrame(pairs, columns=["code", "category"]).drop_duplicates()
    return Dimension("codes", "codes", cats, "every code used", each="each code (with the codes under it)",
                     mapping=mapping, labels=_labels(book, cats, used, pairs, indent=True))


def _labels(book, categories, used, pairs, indent: bool = False, itself: str | None = None) -> dict[str, str]:
    """Row labels for reading: the code's name, indented by depth when ``indent``, and "(with
    sub-codes)" when the row also counts codes under it that were used."""
    wider = {cat for code, cat in pairs if code != cat and code in used}
    out = {}
    for cat in categories:
        if cat in book:
            name = book.get(cat).name
            pad = "  " * book.depth(cat) if indent else ""
        else:
            name, pad = f"{cat} {NOT_IN_CODEBOOK}", ""
        out[cat] = pad + name + (SUB_CODES if cat in wider else " (coded at this code itself)" if cat == itself else "")
    return out


def _code_members(df: pd.DataFrame, dim: Dimension, unit: str) -> pd.DataFrame:
    """``(unit, category)`` for every row of ``df`` whose code is in the dimension."""
    frame = pd.DataFrame({"unit": df[unit].to_numpy(), "code": df["code"].to_numpy()})
    return frame.merge(dim.mapping, on="code")[["unit", "category"]].drop_duplicates()


def _attr_members(units: pd.Series, case_of_unit: pd.Series, attrs: pd.DataFrame, dim: Dimension) -> pd.DataFrame:
    values = case_of_unit.map(attrs[dim.attr]).fillna(MISSING)
    return pd.DataFrame({"unit": units.to_numpy(), "category": values.to_numpy()})


@paused_gc()
def crosstab(project, rows: str, cols: str | None = None, *, coders=None, by="cases", percent=True) -> pd.DataFrame:
    """Counts of cases (or codings, or words) for each row category and column category, with a
    ``Total`` column (the row category over all cases) and a ``Total`` row (each column's base).
    With ``percent``, each count column ``X`` is followed by ``X %``: the percentage of the
    column's base (cases with that value or code; for codings and words, the column's codings), so
    the Total row reads 100.0 in every percentage column."""
    if by not in BY:
        raise QualcodeError(f"unknown unit {by!r} for a crosstab", hint=f"use one of: {', '.join(BY)}")
    choice = choose_coders(project, coders)
    df = coding_frame(project, choice.coders, words=by == "words")
    used = df["code"].unique()
    rdim = parse_dimension(project, rows, used, "rows")
    cdim = parse_dimension(project, cols, used, "cols") if cols else None
    title = f"{rows} by {cols}" if cdim else f"{rows}"
    if df.empty:
        return empty(kind="crosstab", title=title, reason=no_codings_reason(choice), coders=choice.coders,
                     rows=rows, cols=cols, by=by, columns=[rows, TOTAL, f"{TOTAL} %"] if percent else [rows, TOTAL])
    cases = coded_cases(project, df)
    attrs = case_attributes(project, cases)
    if by == "cases":
        R, C, measure, base_units = _by_cases(df, cases, attrs, rdim, cdim)
    else:
        R, C, measure, base_units = _by_codings(df, attrs, rdim, cdim, by)
    for dim, members in ((rdim, R), (cdim, C)):
        if dim is not None and dim.kind == "attr":
            dim.categories = sorted(set(members["category"]), key=natural_key)
    col_cats = cdim.categories if cdim else []
    total = "(total)" if TOTAL in col_cats or TOTAL in rdim.categories else TOTAL
    weight = measure.to_dict() if by == "words" else None

    def size(frame: pd.DataFrame, key: str) -> pd.Series:
        if weight is None:
            return frame.groupby(key).size()
        return frame.assign(w=frame["unit"].map(weight)).groupby(key)["w"].sum()

    counts = pd.DataFrame(0, index=rdim.categories, columns=col_cats, dtype="int64")
    if cdim is not None and len(R) and len(C):
        both = R.merge(C, on="unit", suffixes=("_r", "_c"))
        if weight is None:
            cells = both.groupby(["category_r", "category_c"]).size()
        else:
            cells = both.assign(w=both["unit"].map(weight)).groupby(["category_r", "category_c"])["w"].sum()
        counts = cells.unstack().reindex(index=rdim.categories, columns=col_cats).fillna(0).astype("int64")
    row_total = size(R, "category").reindex(rdim.categories).fillna(0).astype("int64")
    col_base = (size(C[C["unit"].isin(base_units)], "category").reindex(col_cats).fillna(0).astype("int64")
                if cdim is not None else pd.Series(dtype="int64"))
    grand = int(measure.reindex(base_units).sum()) if weight is not None else len(base_units)

    table = counts.copy()
    table[total] = row_total
    table.loc[total] = list(col_base.reindex(col_cats).fillna(0).astype("int64")) + [grand]
    table = table.astype("int64")
    count_columns = [*col_cats, total]
    percent_columns: list[str] = []
    if percent:
        bases = pd.Series(list(col_base.reindex(col_cats).fillna(0)) + [grand], index=count_columns, dtype=float)
        pct = table.div(bases.replace(0, np.nan), axis=1).mul(100).round(1)
        # the Total row is each column's base: 100 % of itself, as every other row is a share of it
        pct.loc[total] = [100.0 if n else np.nan for n in bases]
        out = {}
        for c in count_columns:
            out[c] = table[c]
            out[f"{c} %"] = pct[c]
            percent_columns.append(f"{c} %")
        table = pd.DataFrame(out)
    table.index.name = rows
    table.columns.name = cols or None
    unit_word = {"cases": "cases", "codings": "codings", "words": "words coded"}[by]
    what = {"cases": f"cases (of the {plural(len(cases), 'case')} coded) in which {rdim.each} occurs",
            "codings": f"codings of {rdim.label if rdim.kind == 'codes' else _counted(cdim)}",
            "words": f"words coded with {rdim.label if rdim.kind == 'codes' else _counted(cdim)}"}[by]
    if rdim.kind == "attr" and by == "cases":
        what = f"cases (of the {plural(len(cases), 'case')} coded) with each value of {rdim.label}"
    against = f", by {cdim.label}" if cdim else ""
    if cdim is not None and cdim.kind == "codes" and rdim.kind == "codes" and by != "cases":
        against += " (a coding counts in a column when it or a coding overlapping it has that code)"
    pct_note = (f"; percentages are of each column's {unit_word}" if percent and cdim else
                f"; percentages are of all {unit_word}" if percent else "")
    sub_note = ""
    if any(v.endswith(SUB_CODES) for v in rdim.labels.values()):
        sub_note = ("; a row marked \"with sub-codes\" counts the code itself or any code under it, the "
                    "other rows the code alone")
    caption = f"Codings by {pooled(choice)}: {what}{against}{pct_note}{sub_note}."
    small = small_groups(attrs, cdim) if percent else {}
    return finish(table, kind="crosstab", title=f"{title} ({unit_word})", caption=caption, coders=choice.coders,
                  small_groups=small, caution=small_group_note(small, cdim, by),
                  rows=rows, cols=cols, by=by, count_columns=count_columns, percent_columns=percent_columns,
                  total=total, row_labels=dict(rdim.labels), col_labels=dict(cdim.labels) if cdim else {},
                  row_kind=rdim.kind, col_kind=cdim.kind if cdim else "", n_cases=len(cases))


def small_groups(attrs: pd.DataFrame, cdim: Dimension | None) -> dict[str, int]:
    """The columns of a case attribute with fewer than ``SMALL_GROUP`` of the coded cases, and how many
    they have (in column order)."""
    if cdim is None or cdim.kind != "attr":
        return {}
    sizes = attrs[cdim.attr].fillna(MISSING).value_counts()
    return {v: int(sizes.get(v, 0)) for v in cdim.categories if 0 < sizes.get(v, 0) < SMALL_GROUP}


def small_group_note(small: dict[str, int], cdim: Dimension | None, by: str = "cases") -> str:
    """"Small groups of background: academia has 2 cases. Percentages of a group of fewer than 5 cases
    are unstable: ..." ("" for none)."""
    if not small:
        return ""
    named = [f"{v} has {plural(n, 'case')}" for v, n in small.items()]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    least = min(small.values())
    why = (f"in a group of {least}, one case more or fewer moves a percentage by {100 / least:.0f} points"
           if by == "cases" else "they rest on the codings of so few cases")
    return (f"Small groups of {cdim.attr}: {listed}. Percentages of a group of fewer than {SMALL_GROUP} cases are "
            f"unstable ({why}): read them with their counts.")


def small_group_flag(small: dict[str, int]) -> str:
    """The small-group caution in a few words, for one cell: "Fewer than 5 cases, percentages unstable:
    within (4)" ("" for none)."""
    if not small:
        return ""
    return (f"Fewer than {SMALL_GROUP} cases, percentages unstable: "
            + ", ".join(f"{v} ({n})" for v, n in small.items()))


def labelled(df: pd.DataFrame, note: str | None = "full") -> pd.DataFrame:
    """The crosstab as a spreadsheet or a terminal shows it: code rows get a ``code`` column beside
    their id, the code's name marked "(with sub-codes)" as in the Word report when the row counts codes
    under it; code columns carry the same mark; a last column, ``note``, says on the Total row which
    groups have fewer than ``SMALL_GROUP`` cases: ``note="full"`` the whole caution (``attrs["caution"]``),
    ``"short"`` its few words (``small_group_flag``), None no note column (the caution said elsewhere,
    once). The counts and attrs are unchanged."""
    out = df.copy()
    out.attrs = dict(df.attrs)
    if df.attrs.get("row_kind") == "codes":
        labels = df.attrs.get("row_labels") or {}
        out.insert(0, "code", [str(labels.get(i, i)).strip() for i in out.index])
        out.index.name = "id"
    marked = {c for c, label in (df.attrs.get("col_labels") or {}).items() if str(label).endswith(SUB_CODES)}
    if marked:
        out.columns = [_marked(str(c), marked) for c in out.columns]
    caution = {"full": df.attrs.get("caution"), "short": small_group_flag(df.attrs.get("small_groups") or {}),
               None: None}[note]
    if caution and NOTE not in out.columns:  # on the Total row, the one that gives each group's n
        total = df.attrs.get("total", TOTAL)
        out[NOTE] = [caution if i == total else None for i in out.index]
    return out


def _marked(column: str, marked: set[str]) -> str:
    base, pct = (column[:-2], " %") if column.endswith(" %") else (column, "")
    return base + SUB_CODES + pct if base in marked else column


def _counted(cdim: Dimension | None) -> str:
    return cdim.label if cdim is not None and cdim.kind == "codes" else "every code"


def _by_cases(df, cases, attrs, rdim, cdim):
    """Units are cases: the coded cases, each once."""
    case_units = pd.Series(cases)

    def members(dim):
        if dim is None:
            return pd.DataFrame({"unit": case_units, "category": ""})
        if dim.kind == "attr":
            return _attr_members(case_units, case_units, attrs, dim)
        return _code_members(df, dim, "case")

    R = members(rdim)
    C = members(cdim) if cdim is not None else pd.DataFrame({"unit": [], "category": []})
    return R, C, pd.Series(1, index=cases), pd.Index(cases)


def _by_codings(df, attrs, rdim, cdim, by):
    """Units are codings (rows of ``df``): those of the code dimension (rows first)."""
    df = df.reset_index(drop=True)
    units = pd.Series(np.arange(len(df)))
    frame = df.assign(unit=units)
    codes_dim = rdim if rdim.kind == "codes" else cdim if (cdim is not None and cdim.kind == "codes") else None
    if codes_dim is not None:
        counted = frame[frame["code"].isin(set(codes_dim.mapping["code"]))]
    else:
        counted = frame
    measure = counted.set_index("unit")["words"] if by == "words" else pd.Series(1, index=counted["unit"])

    def members(dim):
        if dim.kind == "attr":
            return _attr_members(counted["unit"], counted["case"], attrs, dim)
        if dim is codes_dim:
            return _code_members(counted, dim, "unit")
        # a second code dimension: the categories of the counted coding and of every coding overlapping it
        from qualcode.analysis.overlaps import overlap_pairs

        own = _code_members(counted, dim, "unit")
        other = frame[frame["code"].isin(set(dim.mapping["code"])) | frame["unit"].isin(counted["unit"])]
        i, j = overlap_pairs(other)
        u = other["unit"].to_numpy()
        a, b = np.concatenate([u[i], u[j]]), np.concatenate([u[j], u[i]])
        near = pd.DataFrame({"unit": a, "other": b})
        near = near[near["unit"].isin(counted["unit"])]
        near = near.merge(pd.DataFrame({"other": frame["unit"], "code": frame["code"]}), on="other")
        near = near.merge(dim.mapping, on="code")[["unit", "category"]]
        return pd.concat([own, near]).drop_duplicates()

    R = members(rdim)
    C = members(cdim) if cdim is not None else pd.DataFrame({"unit": [], "category": []})
    base_units = pd.Index(R["unit"].unique())
    return R, C, measure, base_units
