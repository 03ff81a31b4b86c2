"""Selection positions: code points or UTF-16 units, the file's text or the canonical text."""

from qualcode.formats.refi.positions import CANONICAL, CODE_POINTS, RAW, UTF16, SourceText, choose, quote_matches


def test_conversions():
    st = SourceText("\ufeffa😀b\r\nc👍d\r\n")
    assert st.canonical == "a😀b\nc👍d\n" and st.ambiguous
    # 'c' is code point 4 in the canonical text; in the file (BOM not counted) it is code point 5,
    # UTF-16 unit 6 (the emoji counts 2, the CR counts 1)
    assert st.convert(5, CODE_POINTS, RAW) == 4
    assert st.convert(6, UTF16, RAW) == 4
    assert st.convert(4, CODE_POINTS, CANONICAL) == 4
    assert st.convert(5, UTF16, CANONICAL) == 4
    assert st.convert(2, UTF16, RAW) == 2  # inside the surrogate pair of 😀: rounds up, past the emoji
    assert st.convert(4, CODE_POINTS, RAW) == 3  # between CR and LF: the newline
    assert st.convert(999, UTF16, RAW) == len(st.canonical)  # clamped
    plain = SourceText("plain text\n")
    assert not plain.ambiguous and plain.convert(3, UTF16, RAW) == 3


def test_choice_by_names_then_boundaries():
    st = SourceText("one 😀 two\r\nthree four\r\n")
    units = lambda s: len(s.encode("utf-16-le")) // 2  # noqa: E731
    raw = st.raw
    i = raw.index("three")
    named = [(units(raw[:i]), units(raw[:i]) + 5, "three")]
    assert (choose(st, named, prefer_utf16=False).unit, choose(st, named, prefer_utf16=False).base) == (UTF16, RAW)
    unnamed = [(units(raw[:i]), units(raw[:i]) + 5, "")]
    c = choose(st, unnamed, prefer_utf16=False)
    assert st.canonical[st.convert(unnamed[0][0], c.unit, c.base):].startswith("three four")


def test_quote_matches():
    assert quote_matches("the board", "the  board")
    assert quote_matches("the board said…", "the board said so, and then")
    assert not quote_matches("line:6", "the board")
    assert not quote_matches("", "")
