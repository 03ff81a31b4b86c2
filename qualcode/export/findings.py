"""The report's key tables: the cross-tabulations a project names as its findings.

A project names them in ``qualcode.toml``::

    [report]
    key_tables = [
      "crosstab=codes/attr:equality_framework",
      "crosstab=outcomes/attr:equality_framework",
    ]

Each entry is a table spec (see ``catalog``); ``codes`` as rows means every code used, each with
the codes under it. Without the setting, the report takes codes x attribute tables for the case
attributes with few values (two to five, the most even splits first).
"""

from __future__ import annotations

from qualcode.errors import QualcodeError

DEFAULT_LIMIT = 2


def configured_specs(project) -> list[str] | None:
    """The ``[report] key_tables`` of qualcode.toml, checked; None when the project names none."""
    section = (getattr(project.config, "raw", None) or {}).get("report")
    if section is None:
        return None
    where = project.root / "qualcode.toml"
    if not isinstance(section, dict):
        raise QualcodeError("[report] must be a table of settings", path=where,
                            hint='write [report] on its own line, then key_tables = ["crosstab=codes/attr:NAME"]')
    specs = section.get("key_tables")
    if specs is None:
        return None
    if isinstance(specs, str):
        specs = [specs]
    if not isinstance(specs, list) or not all(isinstance(s, str) and s.strip() for s in specs):
        raise QualcodeError("[report] key_tables must be a list of table specs", path=where,
                            hint='e.g. key_tables = ["crosstab=codes/attr:region", "crosstab=outcomes/attr:region"]')
    return [s.strip() for s in specs]


def key_specs(project, chart_by: list[str] | None = None) -> tuple[list[str], str]:
    """(specs, where they come from) for the report's key findings."""
    from qualcode.export.charts import choose_attributes

    if chart_by:
        return [f"crosstab=codes/attr:{a}" for a in chart_by], "the attributes named with --chart-by"
    named = configured_specs(project)
    if named is not None:
        return named, "the key tables named in qualcode.toml ([report] key_tables)"
    attrs = choose_attributes(project, limit=DEFAULT_LIMIT)
    return ([f"crosstab=codes/attr:{a}" for a in attrs],
            "codes by the case attributes that split the cases most evenly (name your own in qualcode.toml, "
            "[report] key_tables)")


def build_key_tables(project, specs: list[str], coders=None) -> list:
    """The DataFrames of ``specs``; an error names qualcode.toml when a spec there is wrong."""
    from qualcode.export.catalog import build

    out = []
    for spec in specs:
        try:
            out += build(project, spec, coders)
        except QualcodeError as exc:
            if exc.path is None:
                raise QualcodeError(f"key table {spec!r}: {exc.message}", path=project.root / "qualcode.toml",
                                    hint=exc.hint) from None
            raise
    return out


def readable(project, spec: str) -> str:
    """'attr:equality_framework' -> 'equality framework'; a code id -> its name; 'codes' -> 'Codes'."""
    spec = (spec or "").strip()
    if spec.startswith("attr:"):
        return spec[5:].replace("_", " ")
    if spec in ("codes", "*"):
        return "codes"
    book = project.codebook
    names = []
    for ref in spec.split(","):
        code = book.get(ref.strip()) if ref.strip() in book else None
        names.append(code.name if code is not None else ref.strip())
    return ", ".join(names)


def crosstab_title(project, df) -> str:
    rows, cols = df.attrs.get("rows"), df.attrs.get("cols")
    by = df.attrs.get("by", "cases")
    head = readable(project, rows)
    head = head[:1].upper() + head[1:]
    return f"{head} by {readable(project, cols)} ({by})" if cols else f"{head} ({by})"


def crosstab_for_word(project, df):
    """A crosstab as a reader wants it: code names (indented, "(with sub-codes)" said) as row labels,
    attribute names without underscores, "n" for the bases. CSV and XLSX keep ids."""
    import pandas as pd

    labels = dict(df.attrs.get("row_labels") or {})
    col_labels = dict(df.attrs.get("col_labels") or {})
    total = df.attrs.get("total", "Total")
    out = df.copy()
    out.index = pd.Index([labels.get(i, i) for i in out.index], name=_index_header(project, df))
    renamed = {}
    for c in out.columns:
        c = str(c)
        base, pct = (c[:-2], "\u00a0%") if c.endswith(" %") else (c, "")  # "within %" on one line
        renamed[c] = str(col_labels.get(base, base)) + pct
    out.columns = [renamed[str(c)] for c in out.columns]
    out.attrs = dict(df.attrs)
    out.attrs["title"] = crosstab_title(project, df)
    out.attrs["total"] = total
    return out


def _index_header(project, df) -> str:
    if df.attrs.get("row_kind") == "codes":
        return "Code"
    return readable(project, df.attrs.get("rows") or "").capitalize()
