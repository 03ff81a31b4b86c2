"""Analysis tables (pandas): frequencies, case x code matrices, Framework matrices, crosstabs,
co-occurrence and retrieval.

Every function takes the open ``Project`` and returns a ``pandas.DataFrame`` with a meaningful
index and columns and ``df.attrs``: ``title``, ``caption`` (what the numbers are: unit, coders,
codes), ``kind`` and, for an empty result, ``empty_reason``. Column labels are plain strings.

``coders=None`` means the project's ``default_coder`` if they have codings, else every coder with
codings, pooled (the caption says which); ``coders`` may be a name, a list or "a,b". ``codes``
names codes (ids or names, a list or "a,b"), each with the codes under it; without it,
frequencies list every code and the other tables the codes used. Codings whose code is not in
the codebook are kept under their id, marked "(not in codebook)". Cases are the ``case`` column
of cases.csv (else the transcript id); only cases with codings by the chosen coders are counted.
"""

import importlib
import sys
import types

_WHERE = {
    "case_matrix": "counts", "cooccurrence": "counts", "frequencies": "counts", "crosstab": "crosstab",
    "framework_matrix": "framework", "cases_table": "report", "standard_tables": "report", "retrieve": "retrieve",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    """Each table function is imported on first use, so a module of this package that needs no pandas
    (``analysis.frequency``, the plain-Python frequencies) can be imported without it."""
    if name in _WHERE:
        value = getattr(importlib.import_module(f"qualcode.analysis.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'qualcode.analysis' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Two table functions share their module's name (``crosstab``, ``retrieve``). Importing the
    module ``qualcode.analysis.crosstab`` makes the import system bind the package's ``crosstab``
    to that module; whether ``from qualcode.analysis import crosstab`` then gave the function or the
    module depended on what the process had imported before. The package keeps the function."""

    def __setattr__(self, name, value):
        if isinstance(value, types.ModuleType) and _WHERE.get(name) == name and callable(getattr(value, name, None)):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
