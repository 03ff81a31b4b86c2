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


def test_sentence_at_between_turns_is_the_next_turns_first_sentence_never_across_turns():
    from qualcode.formats.transcripts import parse_transcript

    text = ("Interview\n\nInterviewer: Do you monitor the board? Tell me.\n\n"
            "Respondent: Yes. We do it every year.\n\nInterviewer: Thanks.\n")
    t, _ = parse_transcript(text.encode("utf-8"), "t.txt")
    said = lambda off: t.text[slice(*t.sentence_at(off))]  # noqa: E731
    assert said(t.text.index("\n\nRespondent") + 1) == "Yes."  # the blank line before the answer
    assert said(t.text.index("\n\nInterviewer: Thanks") + 1) == "Thanks."
    assert said(t.text.index("Interview\n")) == "Interview"  # a heading outside the turns stays itself
    assert said(len(t.text)) == "Thanks."  # past the last turn: its last sentence
    assert said(t.text.index("every")) == "We do it every year."
    assert said(t.text.index("every year.") + len("every year.")) == "We do it every year."  # at the line's end
