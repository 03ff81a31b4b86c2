"""Word transcripts built with python-docx: Teams layouts, hand-typed layouts, damaged files."""

from __future__ import annotations

import io
import zipfile

import pytest

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT
from qualcode.errors import FormatError
from qualcode.formats.transcripts import parse_transcript, read_transcript


def test_teams_docx_current_layout(docx_bytes, check, said):
    data = docx_bytes([
        "Partnership board interview - 3",
        "14 March 2024, 10:02AM",
        "42m 10s",
        "",
        ("Ruth Adebayo   0:04", "Thanks for making time. Could you start with your role on the partnership board?"),
        "",
        "Keane, Tom   0:11",
        "Sure. I chair the community empowerment network.",
        "And I sit on the board.",
        "",
        ("Keane, Tom   0:20", "Since 2004."),
        ("Ruth Adebayo   1:02:45", "Last question, then."),
    ])
    t, problems = parse_transcript(data, "Board 3.docx")
    check(t)
    assert t.format == "teams-docx"
    assert t.id == "board-3"
    assert t.metadata == {"title": "Partnership board interview - 3", "date": "14 March 2024, 10:02AM", "duration": "42m 10s"}
    assert said(t) == [
        ("Ruth Adebayo", "Thanks for making time. Could you start with your role on the partnership board?"),
        ("Tom Keane", "Sure. I chair the community empowerment network.\nAnd I sit on the board.\nSince 2004."),
        ("Ruth Adebayo", "Last question, then."),
    ]
    assert [x.timestamp for x in t.turns] == [4.0, 11.0, 3765.0]
    assert "Partnership board interview" not in t.text  # header lines are metadata, not turns
    assert problems == []


def test_teams_docx_classic_layout(docx_bytes, check, said):
    data = docx_bytes([
        "0:0:4.110 --> 0:0:7.980", "Ruth Adebayo", "Thanks for making time.", "",
        "0:0:11.300 --> 0:0:16.920", "Tom Keane", "Sure.", "",
    ])
    t, _ = parse_transcript(data, "classic.docx")
    check(t)
    assert t.format == "teams-docx"
    assert said(t) == [("Ruth Adebayo", "Thanks for making time."), ("Tom Keane", "Sure.")]
    assert [x.timestamp for x in t.turns] == [4.11, 11.3]


def test_hand_typed_hanging_indent_with_front_matter_and_core_title(docx_bytes, check, said):
    data = docx_bytes([
        "---", "id: oh-03", "interviewer: Ruth Adebayo", "---",
        "Interviewer: Ruth Adebayo", "Narrator: Tom Keane", "Date: 16/10/2014", "",
        "Adebayo:          Could you please tell me your role, umm, on the",
        "                        board?",
        "",
        " Keane:       I chair the network. I've been, I mean, on the board since",
        "                        2004.",
        "",
        "Adebayo:          Thank you.",
    ], title="Oral history 3")
    t, _ = parse_transcript(data, "oral history.docx")
    check(t)
    assert t.format == "docx"
    assert t.id == "oh-03"
    assert t.metadata["title"] == "Oral history 3"
    assert t.metadata["interviewer"] == "Ruth Adebayo"
    assert said(t) == [
        ("Ruth Adebayo", "Could you please tell me your role, umm, on the board?"),
        ("Tom Keane", "I chair the network. I've been, I mean, on the board since 2004."),
        ("Ruth Adebayo", "Thank you."),
    ]
    assert [x.role for x in t.turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER]
    assert [x.label for x in t.turns] == ["Adebayo", "Keane", "Adebayo"]
    assert "---" not in t.text
    assert "\n\nAdebayo: Could you please" in t.text


def test_transcription_service_tab_layout(docx_bytes, check, said):
    data = docx_bytes([
        "Interviewer:\tSo how did the board first approach the forum?", "",
        "Participant 2:\tHonestly – through the council's regeneration team.", "",
        "[Cross talk 03:00]", "",
        "Participant 2:\tWe were told the NRF plan was already written.",
    ])
    t, _ = parse_transcript(data, "service.docx")
    check(t)
    assert [s for s, _ in said(t)] == ["Interviewer", "Participant 2", "Participant 2"]
    assert t.text.startswith("Interviewer: So how did the board")
    assert t.turn_at(t.text.index("[Cross talk")) is None


def test_docx_turn_over_several_paragraphs_and_line_breaks(docx_bytes, check, said):
    data = docx_bytes([
        ("Q1 Chair: Could you say how?", "With detail, please."),
        "Councillor Hussain: We start from the gaps.",
        "That means the board sees the data.",
        "Q2 Chair: Thanks.",
        "Councillor Hussain: Welcome.",
    ])
    t, _ = parse_transcript(data, "parl.docx")
    check(t)
    assert said(t) == [
        ("Chair", "Could you say how?\nWith detail, please."),
        ("Councillor Hussain", "We start from the gaps.\nThat means the board sees the data."),
        ("Chair", "Thanks."),
        ("Councillor Hussain", "Welcome."),
    ]
    assert t.text.startswith("Q1 Chair: Could you say how?")


def test_docx_recognised_by_content_not_extension(docx_bytes, tmp_path):
    path = tmp_path / "interview.txt"
    path.write_bytes(docx_bytes(["Q: Hello?", "A: Hi."]))
    t, _ = read_transcript(path)
    assert t.format == "docx"
    assert [x.speaker for x in t.turns] == ["Q", "A"]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: _zip({"xl/workbook.xml": b"<x/>"}), "Excel"),
        (lambda d: _zip({"readme.txt": b"hi"}), "zip archive"),
        (lambda d: d[: len(d) // 2], "damaged or truncated"),
        (lambda d: d[:40], "damaged or truncated"),
        (lambda d: _zip({"word/document.xml": b"<not xml"}), "damaged"),
        (lambda d: d.replace(b"word/document.xml", b"word/documenX.xml"), "not a Word transcript"),
    ],
)
def test_bad_docx_is_a_format_error(docx_bytes, make, words):
    data = make(docx_bytes(["Q: Hello?", "A: Hi."]))
    with pytest.raises(FormatError) as info:
        parse_transcript(data, "bad.docx")
    message = str(info.value)
    assert "bad.docx" in message and words in message and "What to do" in message


def test_docx_without_text(docx_bytes):
    with pytest.raises(FormatError, match="no text"):
        parse_transcript(docx_bytes(["", "   ", ""]), "blank.docx")


def test_docx_table_rows(check):
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for row, (who, what) in zip(table.rows, [("Interviewer:", "Hello?"), ("Respondent:", "Hi."), ("Interviewer:", "Bye.")]):
        row.cells[0].text, row.cells[1].text = who, what
    buffer = io.BytesIO()
    document.save(buffer)
    t, _ = parse_transcript(buffer.getvalue(), "table.docx")
    check(t)
    assert [x.speaker for x in t.turns] == ["Interviewer", "Respondent", "Interviewer"]
    assert t.text.startswith("Interviewer: Hello?")


def test_word_header_line_is_not_the_title(docx_bytes):
    data = docx_bytes([
        "Interviewer: José Núñez", "Narrator: Zoë O'Brien", "Date: 16/10/2014", "",
        "Núñez: Could you tell me your role on the board?", "", "O'Brien: I chair the network.",
    ])
    t, _ = parse_transcript(data, "oral history 4.docx")
    assert t.metadata["header"]["Interviewer"] == "José Núñez"
    assert "title" not in t.metadata
    assert [x.speaker for x in t.turns] == ["José Núñez", "Zoë O'Brien"]


def test_word_inquiry_transcript_loses_its_line_numbers(docx_bytes, said):
    data = docx_bytes([
        " 1   LADY HALLETT: Good morning.", " 2   MS CARTER: May I call Mr Núñez?",
        " 3   Q. Mr Núñez, could you start with your role", " 4   on the partnership board?",
        " 5   LADY HALLETT: Thank you.",
    ])
    t, _ = parse_transcript(data, "inquiry.docx")
    assert said(t)[2] == ("Q", "Mr Núñez, could you start with your role\non the partnership board?")
