"""Which tables an export holds: names on the command line -> DataFrames from ``qualcode.analysis``.

A table spec is one of

- ``standard``: the analysis module's standard set (the default);
- ``frequencies``, ``matrix`` (presence), ``matrix-counts``, ``matrix-words``, ``framework``,
  ``cooccurrence``;
- ``crosstab=ROWS/COLS`` (e.g. ``crosstab=statutory.framework/attr:equality_framework``);
- ``quotes=CODE``: the coded passages of CODE (and its children).

Several specs are separated by commas or given by repeating the option.
"""

from __future__ import annotations

from qualcode.errors import QualcodeError

SIMPLE = {
    "frequencies": ("frequencies", {}),
    "matrix": ("case_matrix", {"value": "presence"}),
    "matrix-counts": ("case_matrix", {"value": "counts"}),
    "matrix-words": ("case_matrix", {"value": "words"}),
    "framework": ("framework_matrix", {}),
    "cooccurrence": ("cooccurrence", {}),
}
NAMES = ["standard", *SIMPLE, "crosstab=ROWS/COLS", "quotes=CODE"]


def split_specs(values) -> list[str]:
    """``("frequencies,matrix", "quotes=nrf")`` -> ``["frequencies", "matrix", "quotes=nrf"]``."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        out += [s.strip() for s in str(v).split(",") if s.strip()]
    return out


def check_coders(project, coders) -> list[str] | None:
    """``None`` (every coder) or the named coders, each checked against the project."""
    if coders is None:
        return None
    names = split_specs(coders)
    if not names:
        return None
    known = project.coders()
    unknown = [c for c in names if c not in known]
    if unknown:
        raise QualcodeError(f"unknown coder(s): {', '.join(unknown)}",
                            hint=f"the project's coders are: {', '.join(known) or 'none yet'}")
    return names


def _analysis():
    try:
        import qualcode.analysis as analysis
    except ImportError as exc:  # pragma: no cover - the package is part of qualcode
        raise QualcodeError(f"the analysis tables are not available ({exc})") from None
    if not hasattr(analysis, "standard_tables"):
        raise QualcodeError("the analysis tables are not available in this build",
                            hint="update qualcode; `qualcode export codebook-docx` still works")
    return analysis


def build(project, spec: str, coders=None) -> list:
    """The DataFrames for one spec (``standard`` gives several)."""
    analysis = _analysis()
    name, _, arg = spec.partition("=")
    name = name.strip().lower()
    if name == "standard" and not arg:
        return list(analysis.standard_tables(project, coders=coders))
    if name in SIMPLE and not arg:
        func, kw = SIMPLE[name]
        return [getattr(analysis, func)(project, coders=coders, **kw)]
    if name == "crosstab":
        rows, sep, cols = arg.partition("/")
        if not sep or not rows.strip() or not cols.strip():
            raise QualcodeError(f"table {spec!r}: write crosstab=ROWS/COLS",
                                hint="e.g. crosstab=statutory.framework/attr:equality_framework")
        # from the modules: once ``qualcode.analysis.crosstab`` is imported, the package's
        # ``crosstab`` is that module, not the function
        from qualcode.analysis.crosstab import crosstab

        return [crosstab(project, rows.strip(), cols.strip(), coders=coders)]
    if name == "quotes" and arg.strip():
        from qualcode.analysis.retrieve import retrieve
        from qualcode.export.segments import said_segments

        return [said_segments(project, retrieve(project, arg.strip(), coders=coders))]
    raise QualcodeError(f"unknown table {spec!r}", hint="use one of: " + ", ".join(NAMES))


def build_tables(project, specs=None, coders=None) -> list:
    """Every table the specs name, in order (default: the standard set)."""
    coders = check_coders(project, coders)
    specs = split_specs(specs) or ["standard"]
    out: list = []
    for spec in specs:
        out += build(project, spec, coders)
    return out


def resolve_tables(project, tables=None, coders=None) -> list:
    """The tables of an export: ``tables`` (specs and/or DataFrames from ``qualcode.analysis``, in
    order; default the standard set), each spec built, coded segments giving the words said."""
    from qualcode.export.segments import said_segments

    if tables is None:
        return build_tables(project, None, coders)
    out = []
    for item in tables:
        out += build_tables(project, [item], coders) if isinstance(item, str) else [said_segments(project, item)]
    return out
