from qualcode.domain.offsets import LineIndex, canonicalize, from_utf16, to_utf16, utf8_column


def test_canonical_line_breaks_and_bom():
    raw = "\ufeffa\r\nb\rc\u2028d\x85e\x0cf\x0bg\nh"
    assert canonicalize(raw) == "a\nb\nc\nd\ne\nf\ng\nh"


def test_line_index_round_trip():
    text = "first line\nsecond é line\n\nlast 😀 x"
    idx = LineIndex(text)
    for offset in range(len(text) + 1):
        row, col = idx.location(offset)
        assert idx.offset(row, col) == offset
    assert idx.location(text.index("last")) == (3, 0)
    assert idx.line(1) == "second é line"


def test_utf8_and_utf16_columns():
    line = "é😀x"
    assert utf8_column(line, 2) == 2 + 4
    text = "a😀b"
    assert to_utf16(text, 2) == 3
    assert from_utf16(text, 3) == 2
    assert from_utf16(text, to_utf16(text, 3)) == 3
