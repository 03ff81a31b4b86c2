"""Bytes in: encodings, line breaks, front matter errors and files that are not transcripts."""

from __future__ import annotations

import pytest

from qualcode.errors import FormatError, QualcodeError
from qualcode.formats.transcripts import parse_transcript, read_transcript

BODY = "Interviewer: Où étiez-vous — en 2004?\nRespondent: À Northgate, naïvely “happy”.\n"


@pytest.mark.parametrize(
    "data",
    [
        BODY.encode("utf-8"),
        b"\xef\xbb\xbf" + BODY.encode("utf-8"),
        BODY.encode("utf-16"),  # BOM + native order
        b"\xff\xfe" + BODY.encode("utf-16-le"),
        b"\xfe\xff" + BODY.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-le-bom", "utf16-be-bom"],
)
def test_unicode_encodings(data, check):
    t, problems = parse_transcript(data, "enc.txt")
    check(t)
    assert t.text == BODY
    assert [x.speaker for x in t.turns] == ["Interviewer", "Respondent"]
    assert problems == []


def test_cp1252_fallback_warns_with_line():
    data = "Interviewer: Hello.\nRespondent: Caf\xe9 \u2013 na\xefve \u201cquote\u201d.\n".encode("cp1252")
    t, problems = parse_transcript(data, "old.txt")
    assert "Café – naïve “quote”." in t.text
    assert len(problems) == 1
    assert problems[0].message == "not UTF-8; read as Windows-1252 — check accented characters"
    assert problems[0].path == "old.txt" and problems[0].line == 2


def test_cp1252_undefined_bytes_never_fail():
    t, problems = parse_transcript(b"Interviewer: odd \x81\x8d byte\n", "odd.txt")
    assert t.turns and problems


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\x85"])
def test_line_breaks_become_newlines(newline, check):
    body = newline.join(["Q: One?", "A: Two.", "", "Q: Three?", ""])
    t, _ = parse_transcript(body.encode("utf-8"), "crlf.txt")
    check(t)
    assert t.text == "Q: One?\nA: Two.\n\nQ: Three?\n"
    assert [t.text[x.start:x.end] for x in t.turns] == ["Q: One?", "A: Two.", "Q: Three?"]


def test_front_matter_with_crlf_and_bom():
    data = b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n\r\nQ: Hi?\r\nA: Yes.\r\n"
    t, _ = parse_transcript(data, "fm.txt")
    assert t.metadata == {"title": "T"}
    assert t.text == "Q: Hi?\nA: Yes.\n"


def test_front_matter_on_vtt():
    data = b"---\nid: zoom-7\n---\nWEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nRuth: Hello.\n"
    t, _ = parse_transcript(data, "z.vtt")
    assert (t.id, t.format, t.text) == ("zoom-7", "zoom-vtt", "Ruth: Hello.\n")


@pytest.mark.parametrize(
    ("data", "words", "line"),
    [
        (b"", "empty", None),
        (b"   \n\n\t\n", "empty", None),
        (b"Q: hi\x00there", "binary", 1),
        (bytes(range(1, 32)) * 50, "control characters", None),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".doc", None),
        (b"{\\rtf1\\ansi hello}", "Rich Text", None),
        (b"\x89PNG\r\n\x1a\n", "PNG", None),
        (b"---\ntitle: x\nbad: [1, 2\n---\nQ: hi\n", "YAML", 4),
        (b"---\ntitle: [x\n---\nQ: hi\n", "YAML", None),
        (b"---\ntitle: x\nQ: hi\n", "never ends", 1),
        (b"---\n- a\n- b\n---\nQ: hi\n", "mapping", 2),
        (b"---\nid: has space\n---\nQ: hi\n", "id", None),
        (b"---\ntitle: x\n---\n\n\n", "no text after its front matter", None),
        (b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n\n", "no transcript text", None),
    ],
)
def test_bad_input_is_a_format_error(data, words, line):
    with pytest.raises(FormatError) as info:
        parse_transcript(data, "bad.txt")
    error = info.value
    assert error.path == "bad.txt"
    assert words in str(error)
    assert error.hint
    if line is not None:
        assert error.line == line


def test_yaml_is_loaded_safely():
    data = b"---\ntitle: !!python/object/apply:os.system ['echo hacked']\n---\nQ: hi\n"
    with pytest.raises(FormatError, match="YAML"):
        parse_transcript(data, "evil.txt")


def test_yaml_dates_become_iso_strings():
    t, _ = parse_transcript(b"---\ndate: 2024-03-14\nwhen: 2024-03-14 10:02:00\n---\nQ: hi\n", "d.txt")
    assert t.metadata == {"date": "2024-03-14", "when": "2024-03-14T10:02:00"}


def test_read_transcript_os_errors(tmp_path):
    with pytest.raises(FormatError) as info:
        read_transcript(tmp_path / "missing.txt")
    assert "missing.txt" in str(info.value)
    with pytest.raises(FormatError):
        read_transcript(tmp_path)  # a folder


def test_read_transcript_uses_file_name(tmp_path):
    path = tmp_path / "P 07 – Board (final).txt"
    path.write_text("Q: Hi?\nA: Yes.\n", encoding="utf-8")
    t, _ = read_transcript(path)
    assert t.id == "p-07-board-final"
    assert t.source == "P 07 – Board (final).txt"


def test_every_error_is_a_qualcode_error_for_random_bytes():
    import random

    rng = random.Random(7)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        for prefix in (b"", b"PK\x03\x04", b"WEBVTT\n\n", b"---\n"):
            try:
                parse_transcript(prefix + data, "fuzz.bin")
            except QualcodeError:
                pass


@pytest.mark.parametrize("xml, points_to", [
    ('<?xml version="1.0" encoding="utf-8"?>\n<Project name="p" xmlns="urn:QDA-XML:project:1.0">'
     '<Sources/></Project>', "import-project"),
    ('<?xml version="1.0"?>\n<!-- made by X -->\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
     "import-codebook"),
])
def test_a_refi_file_given_as_a_transcript_is_refused_and_pointed_to_its_command(xml, points_to):
    """A .qde or .qdc given to `qualcode import` became one long transcript of XML."""
    with pytest.raises(FormatError) as err:
        parse_transcript(xml.encode(), "study.qde")
    assert "REFI-QDA" in str(err.value) and points_to in str(err.value)
    # a transcript that talks about XML is still a transcript
    t, _ = parse_transcript(b"Interviewer: Do you export <Project> files?\n\nAnn: Yes, as XML.\n", "t.txt")
    assert len(t.turns) == 2
