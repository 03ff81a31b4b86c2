"""Reports and tables out of a project: Word (python-docx), CSV and XLSX (openpyxl), charts (matplotlib).

The writers are imported on first use, so importing this package stays cheap::

    from qualcode.export import write_report, write_codebook_docx, write_xlsx, write_csv
"""

from __future__ import annotations

_WRITERS = {
    "write_report": "qualcode.export.docx_report",
    "write_codebook_docx": "qualcode.export.docx_codebook",
    "write_xlsx": "qualcode.export.tables_out",
    "write_csv": "qualcode.export.tables_out",
}

__all__ = list(_WRITERS)


def __getattr__(name: str):
    if name in _WRITERS:
        import importlib

        return getattr(importlib.import_module(_WRITERS[name]), name)
    raise AttributeError(f"module 'qualcode.export' has no attribute {name!r}")
