"""The Word report on a very large project (issue 18): the agreement left out past a size, saying
so and how to get it; spoken words from the turn cache, the same as counted from the transcripts;
the exemplar quotations chosen as before without sorting every coding."""

from __future__ import annotations

import docx

from tests.export.conftest import caption_before


def _captions(doc) -> list[str]:
    return [caption_before(t) for t in doc.tables]


def test_past_the_budget_the_report_leaves_agreement_out_and_says_how_to_get_it(study, monkeypatch):
    from qualcode.export import docx_methods
    from qualcode.export.docx_report import write_report

    monkeypatch.setattr(docx_methods, "AGREEMENT_BUDGET", 1000)
    doc = docx.Document(str(write_report(study, study.root / "exports" / "a.docx", tables=["frequencies"],
                                         memos=None)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "is not computed in this report" in text and "million characters" in text
    assert "qualcode agree --coders researcher_a,researcher_b --unit sentence" in text and "--agreement" in text
    assert not any("Inter-coder agreement" in c for c in _captions(doc))
    forced = docx.Document(str(write_report(study, study.root / "exports" / "b.docx", tables=["frequencies"],
                                            memos=None, agreement=True)))
    assert any("Inter-coder agreement" in c for c in _captions(forced))
    text = "\n".join(p.text for p in forced.paragraphs)
    assert "million characters" not in text


def test_the_cli_forces_or_leaves_out_the_agreement(study, monkeypatch, capsys):
    import pytest

    from qualcode.cli.main import main
    from qualcode.export import docx_methods

    monkeypatch.setattr(docx_methods, "AGREEMENT_BUDGET", 1000)
    out = study.root / "exports"
    for flag, name in (("--agreement", "f.docx"), ("--no-agreement", "n.docx")):
        with pytest.raises(SystemExit) as done:
            main(["--project", str(study.root), "export", "docx", "-q", flag, "--tables", "frequencies",
                  "--memos", "none", "-o", str(out / name)])
        assert done.value.code in (0, None)
    forced, left = docx.Document(str(out / "f.docx")), docx.Document(str(out / "n.docx"))
    assert any("Inter-coder agreement" in c for c in _captions(forced))
    assert not any("Inter-coder agreement" in c for c in _captions(left))
    assert "million characters" not in "\n".join(p.text for p in left.paragraphs)  # left out as asked


def test_spoken_words_from_the_turn_cache_are_those_of_the_transcripts(study):
    from qualcode.analysis import turns
    from qualcode.analysis.words import count_words
    from qualcode.export.docx_methods import spoken_words

    entries = list(study.index)
    first = spoken_words(study, entries)  # the cache made
    turns._tables.clear()
    study.index._loaded.clear()
    again = spoken_words(study, entries)  # read from its file
    assert not study.index._loaded  # no transcript read the second time
    for e in entries:
        t = study.transcript(e.id)
        direct = int(count_words([t.text[u.text_start:u.end] for u in t.turns]).sum()) if t.turns else e.words
        assert first[e.id] == again[e.id] == direct


def test_exemplars_are_the_best_ranked_as_with_a_full_sort(study, monkeypatch):
    from qualcode.export import quotes

    by_code = quotes.group_codings(study, ["researcher_a", "researcher_b"])
    expected = quotes.exemplars(study, by_code)
    monkeypatch.setattr(quotes, "_HEAD", 1)  # a walk past the head goes on in the full order
    assert quotes.exemplars(study, by_code) == expected
    assert any(len(v) == 2 for v in expected.values())


def test_a_matrix_of_many_cases_is_summarised_per_code_in_word(study, monkeypatch):
    from qualcode.analysis import case_matrix
    from qualcode.export import docx_kinds
    from qualcode.export.docx_report import write_report

    from tests.export.conftest import table_text

    full = case_matrix(study)
    monkeypatch.setattr(docx_kinds, "MATRIX_CASES", 3)  # the study's 9 cases count as many
    doc = docx.Document(str(write_report(study, study.root / "exports" / "m.docx", tables=["matrix"],
                                         memos=None, agreement=False, key_tables=False)))
    table = next(t for t in doc.tables if "Codes by case (summary)" in caption_before(t))
    rows = table_text(table)
    assert rows[0] == ["Code", "Cases", "% of cases"]
    book = study.codebook
    above = {a for c in full.columns for a in book.ancestors(c)} - set(full.columns)
    assert len(rows) - 1 == len(full.columns) + len(above)  # one row per code (and its themes), not per case
    assert all(r[1:] == ["", ""] for r in rows[1:] if r[0].strip() in {book.get(a).name for a in above})
    cases = {r[0].strip(): r[1] for r in rows[1:]}
    name = study.codebook.get(full.columns[0]).name
    assert cases[name] == str(int(full[full.columns[0]].sum()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "too many to show as columns" in text and "qualcode export xlsx" in text
