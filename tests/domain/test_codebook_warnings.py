"""A codebook problem that changes no coding's meaning (a bad colour, a taken or invalid shortcut) is a
warning: the codebook loads, the value is ignored (never dropped from the file unasked), and
`codebook edit` can fix it. Problems that change meaning stay errors; an unknown parent names the
closest code."""

from __future__ import annotations

import pytest

from qualcode.domain import codebook_edit as edit
from qualcode.domain.codebook import close_match, did_you_mean
from qualcode.errors import CodebookError, QualcodeError
from qualcode.formats.codebook_yaml import load_codebook, parse_codebook, save_codebook

COSMETIC = """\
# my codes
codes:
  - id: data
    name: Data
    colour: "#12345"
    shortcut: "3"
  - id: trust
    name: Trust
    shortcut: "3"
  - id: quick
    name: Quick
    shortcut: q
  - id: big
    name: Big
    shortcut: "10"
"""


def test_cosmetic_problems_load_as_warnings_with_lines():
    book = parse_codebook(COSMETIC, "cb.yaml")
    assert book.get("data").shortcut == "3" and book.get("data").colour is None  # the default colour
    assert book.get("trust").shortcut is None  # the second of two with one key loses it
    assert book.get("quick").shortcut is None and book.get("big").shortcut is None
    said = [str(w) for w in book.warnings]
    assert len(said) == 4
    assert said[0].startswith("cb.yaml:3: code 'data': colour '#12345' is not #RRGGBB")
    assert "qualcode codebook edit data --colour" in said[0]
    assert said[1].startswith("cb.yaml:7: code 'trust': duplicate shortcut '3': also used by 'data' (line 3)")
    assert "qualcode codebook edit trust --shortcut KEY" in said[1]
    assert "reserved by the workbench (quit)" in said[2] and "one digit or lower-case letter" in said[3]
    assert book.by_shortcut() == {"3": book.get("data")}


@pytest.mark.parametrize("text, expected", [
    ("codes:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", "duplicate code id 'a'"),
    ("codes:\n  - {id: data, name: Data}\n  - {id: b, name: B, parent: dta}\n",
     "code 'b': unknown parent 'dta'; did you mean 'data'?"),
    ("codes:\n  - {id: a, name: A, parent: b}\n  - {id: b, name: B, parent: a}\n", "parent cycle"),
])
def test_problems_that_change_meaning_stay_errors(text, expected):
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "cb.yaml")
    assert any(expected in str(p) for p in info.value.problems)


def test_an_unrelated_change_keeps_the_ignored_values_in_the_file(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(COSMETIC, encoding="utf-8")
    book = load_codebook(path)
    assert save_codebook(edit.edit_code(book, "big", name="Bigger"), path)
    assert path.read_text(encoding="utf-8") == COSMETIC.replace("name: Big", "name: Bigger")
    # the whole file written (no file to update in place): the values as written all the same
    other = tmp_path / "new.yaml"
    assert save_codebook(book, other)
    again = load_codebook(other)
    def ignored(b):
        return {(c.id, k): v[0] for c in b.codes for k, v in c.ignored.items()}

    assert ignored(again) == ignored(book) == {("data", "colour"): "#12345", ("trust", "shortcut"): "3",
                                               ("quick", "shortcut"): "q", ("big", "shortcut"): "10"}


def test_edit_fixes_a_shortcut_and_a_colour(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(COSMETIC, encoding="utf-8")
    book = edit.edit_code(load_codebook(path), "trust", shortcut="6")
    book = edit.edit_code(book, "data", colour="#123456")
    book = edit.edit_code(book, "quick", shortcut="")  # cleared: the line goes
    assert [w.message.split(":")[0] for w in book.warnings] == ["code 'big'"]
    save_codebook(book, path)
    text = path.read_text(encoding="utf-8")
    assert 'colour: "#123456"' in text and 'shortcut: "6"' in text and "shortcut: q" not in text
    fixed = load_codebook(path)
    assert fixed.get("trust").shortcut == "6" and fixed.get("data").colour == "#123456"
    assert len(fixed.warnings) == 1 and "'10'" in fixed.warnings[0].message


def test_edit_to_a_taken_key_is_refused_naming_the_free_ones(tmp_path):
    book = parse_codebook(COSMETIC, "cb.yaml")
    with pytest.raises(CodebookError) as info:  # as every refused edit: the editor shows it so
        edit.edit_code(book, "trust", shortcut="3")
    said = str(info.value)
    assert "shortcut '3' is already the key of 'data' (line 3)" in said and "free: 0, 1, 2, 4" in said
    with pytest.raises(CodebookError):  # a new bad value is refused, not set aside
        edit.edit_code(book, "trust", colour="#12")


def test_close_matches_over_ids_names_and_last_parts():
    book = parse_codebook("codes:\n  - {id: explainability_techniques, name: Techniques}\n"
                          "  - {id: explainability_techniques.shap, name: SHAP values}\n"
                          "  - {id: barriers.trust, name: Lack of trust}\n", "cb.yaml")
    assert close_match(book.codes, "explainability_techniques.shapp") == "explainability_techniques.shap"
    assert close_match(book.codes, "truts") == "barriers.trust"
    assert close_match(book.codes, "shap valeus") == "explainability_techniques.shap"
    assert did_you_mean(book.codes, "zzzz") == ""
    with pytest.raises(QualcodeError, match="did you mean 'barriers.trust'"):
        edit.edit_code(book, "barriers.truts", name="x")
