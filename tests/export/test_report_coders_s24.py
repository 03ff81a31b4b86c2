"""The Word report compares the coders `qualcode agree` compares: a researcher's workbench journal
(codings/<login>.jsonl) and the consensus journal stay out of its agreement section and cover."""

from __future__ import annotations

from datetime import date

import docx
import pytest

from tests.conftest import copy_study


def _add_journal(root, coder: str, n: int = 2) -> None:
    from qualcode.store.project import Project

    p = Project.open(root, search=False)
    try:
        session = p.session(coder)
        for i in range(n):
            session.add("lsp-a", 100 + 50 * i, 140 + 50 * i, "barriers.trust")
    finally:
        p.close()


def _report_text(root) -> tuple[str, list[list[str]]]:
    """(the report's paragraphs, its tables' cells) with the defaults, no bootstrap."""
    from qualcode.export.docx_report import write_report
    from qualcode.store.project import Project

    p = Project.open(root, search=False)
    try:
        path = write_report(p, root / "exports" / "report.docx", today=date(2024, 5, 1), resamples=0,
                            command="qualcode export docx")
    finally:
        p.close()
    doc = docx.Document(str(path))
    paras = "\n".join(par.text for par in doc.paragraphs)
    tables = [[cell.text for row in t.rows for cell in row.cells] for t in doc.tables]
    return paras, tables


def _agreement(paras: str) -> str:
    start = paras.index("Agreement between researcher_a")
    return paras[start:paras.index("\nResults", start)]


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    return _report_text(copy_study(tmp_path_factory.mktemp("clean") / "lsp-study"))


@pytest.mark.parametrize("login", ["root", "consensus"])
def test_a_workbench_journal_does_not_join_the_reports_agreement(clean, tmp_path, login):
    root = copy_study(tmp_path / "lsp-study")
    _add_journal(root, login)
    paras, tables = _report_text(root)
    clean_paras, clean_tables = clean
    assert _agreement(paras) == _agreement(clean_paras)
    assert "Agreement between researcher_a and researcher_b on" in paras
    assert login not in _agreement(paras)
    cover = next(line for line in paras.splitlines() if line.startswith("Coders: "))
    assert cover == "Coders: researcher_a, researcher_b"
    # the agreement table's figures are the clean copy's
    agreement_tables = [t for t in tables if any("alpha" in c.lower() for c in t)]
    assert agreement_tables and agreement_tables == [t for t in clean_tables if any("alpha" in c.lower() for c in t)]


def test_the_report_and_agree_choose_the_same_coders(tmp_path):
    from qualcode.export.docx_report import counted_coders, report_coders
    from qualcode.reliability.report import agreement_coders
    from qualcode.store.project import Project

    root = copy_study(tmp_path / "lsp-study")
    _add_journal(root, "root")
    _add_journal(root, "consensus")
    p = Project.open(root, search=False)
    try:
        assert agreement_coders(p) == ["researcher_a", "researcher_b"]
        assert report_coders(p, counted_coders(p)) == ["researcher_a", "researcher_b"]
    finally:
        p.close()
