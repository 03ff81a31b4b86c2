from pathlib import Path

import pytest

from qualcode.errors import CodebookError, FormatError
from qualcode.formats.codebook_yaml import load_codebook, parse_codebook, save_codebook

GOOD = """name: Test
codes:
  - id: a
    name: Alpha
    colour: "#112233"
    shortcut: "1"
    definition: First theme.
    children:
      - id: a.b
        name: Alpha beta
        keywords: [ethnic monitoring, "monitor ... ethnicity"]
        children:
          - id: a.b.c
            name: Deep
  - id: z
    name: Zed
"""

EVERY_ERROR = """codes:
  - id: a
    name: ""
    colour: red
    shortcut: q
  - id: a
    name: Again
  - id: orphan
    name: Orphan
    parent: nowhere
  - id: c1
    name: C1
    parent: c2
  - id: c2
    name: C2
    parent: c1
  - id: k1
    name: K1
    shortcut: "7"
  - id: k2
    name: K2
    shortcut: "7"
"""


def test_tree_levels_and_lines():
    book = parse_codebook(GOOD, "good.yaml")
    assert [c.id for c in book.walk()] == ["a", "a.b", "a.b.c", "z"]
    assert book.depth("a.b.c") == 2
    assert book.get("a.b").keywords == ["ethnic monitoring", "monitor ... ethnicity"]
    assert book.get("a.b.c").line == 13
    assert book.by_shortcut()["1"].id == "a"


def test_every_problem_reported_at_once_with_lines():
    with pytest.raises(CodebookError) as info:
        parse_codebook(EVERY_ERROR, "bad.yaml")
    text = str(info.value)
    msgs = [(p.line, p.message) for p in info.value.problems]
    assert any("empty name" in m for _, m in msgs)
    assert (6, "duplicate code id 'a' (first defined on line 2)") in msgs
    assert any("unknown parent 'nowhere'" in m for _, m in msgs)
    assert sum("cycle" in m for _, m in msgs) == 1
    assert "bad.yaml:6:" in text
    # a bad colour or shortcut changes no coding's meaning: a warning beside the errors, not one of them
    warned = [p.message for p in info.value.warnings]
    assert not any("#RRGGBB" in m or "shortcut" in m for _, m in msgs)
    assert any("#RRGGBB" in m for m in warned)
    assert any("reserved" in m and "quit" in m for m in warned)
    assert any("duplicate shortcut '7'" in m for m in warned)


@pytest.mark.parametrize("text, expected", [
    ("a: !!python/object/apply:os.system ['echo hi']", "tag"),
    ("a: &x [1, 2]\nb: *x\n", "aliases"),
    ("lol: &a [x, x]\nlol2: &b [*a, *a, *a, *a]\nlol3: [*b, *b, *b, *b]\n", "aliases"),
    ("codes: [\n", "not valid YAML"),
])
def test_unsafe_or_broken_yaml_is_refused_cleanly(text, expected):
    with pytest.raises(FormatError) as info:
        parse_codebook(text, "evil.yaml")
    assert expected in str(info.value)
    assert "evil.yaml:" in str(info.value)


def test_save_is_atomic_and_refuses_invalid(tmp_path):
    path = tmp_path / "cb.yaml"
    book = parse_codebook(GOOD, str(path))
    save_codebook(book, path)
    before = path.read_text()
    assert load_codebook(path).get("a.b.c").name == "Deep"
    book.get("z").colour = "not-a-colour"
    with pytest.raises(CodebookError):
        save_codebook(book, path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cb.yaml"]  # no temp files left behind


def test_non_utf8_codebook(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_bytes(b"codes:\n  - id: a\n    name: Caf\xe9\n")
    with pytest.raises(FormatError) as info:
        load_codebook(path)
    assert "UTF-8" in str(info.value) and ":3" in str(info.value)


def test_missing_codebook_names_the_file(tmp_path):
    with pytest.raises(FormatError) as info:
        load_codebook(Path(tmp_path / "nope.yaml"))
    assert "nope.yaml" in str(info.value) and "What to do" in str(info.value)


def test_save_keeps_the_opening_comment_block(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("# How we code: leaf codes first.\n#\n# Keys: digits for the common codes.\n\n" + GOOD)
    book = load_codebook(path)
    book.get("z").name = "Zed renamed"
    save_codebook(book, path)
    text = path.read_text()
    assert text.startswith("# How we code: leaf codes first.\n#\n# Keys: digits for the common codes.\n")
    assert load_codebook(path).get("z").name == "Zed renamed"
