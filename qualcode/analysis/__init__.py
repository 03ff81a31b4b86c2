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

from qualcode.analysis.counts import case_matrix, cooccurrence, frequencies
from qualcode.analysis.crosstab import crosstab
from qualcode.analysis.framework import framework_matrix
from qualcode.analysis.report import cases_table, standard_tables
from qualcode.analysis.retrieve import retrieve

__all__ = [
    "case_matrix", "cases_table", "cooccurrence", "crosstab", "framework_matrix", "frequencies", "retrieve",
    "standard_tables",
]
