"""Fixtures for the export tests: a copy of the bundled study, and its Word report written once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import copy_study

REPO = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def study(tmp_path):
    """The bundled study, copied, opened."""
    from qualcode.store.project import Project

    p = Project.open(copy_study(tmp_path / "lsp-study"), search=False)
    yield p
    p.close()


@pytest.fixture(scope="module")
def study_report(tmp_path_factory):
    """(project, path of the Word report written with the defaults) for the bundled study."""
    from qualcode.export.docx_report import write_report
    from qualcode.store.project import Project

    root = copy_study(tmp_path_factory.mktemp("report") / "lsp-study")
    p = Project.open(root, search=False)
    path = write_report(p, root / "exports" / "report.docx", today=date(2024, 5, 1))
    yield p, path
    p.close()


@pytest.fixture(scope="module")
def report_doc(study_report):
    import docx

    return docx.Document(str(study_report[1]))


def table_text(table) -> list[list[str]]:
    """Cell texts of a python-docx table (zero-width break hints removed)."""
    return [[c.text.replace("\u200b", "") for c in row.cells] for row in table.rows]


def caption_before(table) -> str:
    """The text of the nearest Caption paragraph before ``table`` in the body."""
    el = table._tbl.getprevious()
    while el is not None:
        if el.tag == W + "p":
            style = el.find(f"{W}pPr/{W}pStyle")
            if style is not None and style.get(W + "val") == "Caption":
                return "".join(t.text or "" for t in el.iter(W + "t"))
        el = el.getprevious()
    return ""


def section_of_tables(doc) -> list[int]:
    """For each table in the body, the index of the section it sits in."""
    body = doc.element.body
    out, section = [], 0
    for el in body.iterchildren():
        if el.tag == W + "tbl":
            out.append(section)
        elif el.tag == W + "p" and el.find(f"{W}pPr/{W}sectPr") is not None:
            section += 1
    return out


def note_after(table) -> str:
    """The text of the paragraph right after ``table`` (its note, in the Table Note style)."""
    el = table._tbl.getnext()
    while el is not None and el.tag != W + "p":
        el = el.getnext()
    return "".join(t.text or "" for t in el.iter(W + "t")) if el is not None else ""


@pytest.fixture(scope="session")
def wide_template(tmp_path_factory):
    """A project shaped like a real study (``wide_study``), made once."""
    from tests.export.wide_study import build

    root = tmp_path_factory.mktemp("wide") / "pdp"
    build(root).close()
    return root


@pytest.fixture
def wide(wide_template, tmp_path):
    """A copy of the ``wide_study`` project, opened."""
    from tests.export.wide_study import copy

    p = copy(wide_template, tmp_path / "pdp")
    yield p
    p.close()
