"""Speech where it belongs: think-aloud sessions (only the moderator labelled), header lines before the
first turn, and warnings when an interviewer holds most of the text or a declared role holds no turn."""

from __future__ import annotations

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT
from qualcode.formats.transcripts import parse_transcript

THINK_ALOUD = """Session 4, usability test of the booking form

MODERATOR: Thanks for joining. Please think aloud as you go. Start by booking a room for Thursday.

Okay, so I'm looking for... there's a calendar icon here, I'll click that. Hmm, it opened a month view.

I'm not sure whether Thursday means this week or next.

MODERATOR: What would you expect to happen?

I'd expect it to default to this week. Right, found it. Now it wants a cost code, which I don't have.

MODERATOR: What would you do now?

Probably ring the office, honestly.
"""


def _turns(t):
    return [(x.speaker, x.role, t.text[x.text_start:x.end].split()[0]) for x in t.turns]


def test_think_aloud_unlabelled_paragraphs_go_to_the_participant_with_a_note():
    t, problems = parse_transcript(THINK_ALOUD.encode(), "session-4.txt")
    assert _turns(t) == [
        ("MODERATOR", INTERVIEWER, "Thanks"),
        ("Participant", RESPONDENT, "Okay,"),  # two paragraphs, one turn
        ("MODERATOR", INTERVIEWER, "What"),
        ("Participant", RESPONDENT, "I'd"),
        ("MODERATOR", INTERVIEWER, "What"),
        ("Participant", RESPONDENT, "Probably"),
    ]
    assert "I'm not sure whether Thursday" in t.text[t.turns[1].start:t.turns[1].end]
    assert t.text[:t.turns[0].start].strip() == "Session 4, usability test of the booking form"  # a title, no turn
    (note,) = problems
    assert "given to 'Participant'" in note.message and "respondent: NAME" in note.message


def test_think_aloud_respondent_named_in_front_matter_takes_the_paragraphs_silently():
    data = ("---\nrespondent: Priya\n---\n" + THINK_ALOUD).encode()
    t, problems = parse_transcript(data, "session-4.txt")
    assert {x.speaker for x in t.turns} == {"MODERATOR", "Priya"} and problems == []


def test_labelled_interviews_are_not_changed_by_the_think_aloud_rule():
    text = "Interviewer: How long?\n\nRespondent: Two years.\n\nIt felt longer.\n\nInterviewer: Why?\n\nRespondent: Meetings.\n"
    t, _ = parse_transcript(text.encode(), "i.txt")
    assert [x.speaker for x in t.turns] == ["Interviewer", "Respondent", "Interviewer", "Respondent"]


def test_a_header_line_before_the_first_turn_is_not_a_warning_about_a_previous_turn():
    text = ("Persons Present: Ms Blackwell, Lady Hallett\n\n"
            "Ms Blackwell: Good morning. Could you state your name?\n\nMr Bell: Marcus Bell.\n\n"
            "Ms Blackwell: Thank you.\n\nMr Bell: Thank you.\n")
    t, problems = parse_transcript(text.encode(), "hearing.txt")
    assert not [p for p in problems if "previous turn" in p.message]
    assert t.metadata["header"]["Persons Present"] == "Ms Blackwell, Lady Hallett"
    assert [x.speaker for x in t.turns] == ["Ms Blackwell", "Mr Bell", "Ms Blackwell", "Mr Bell"]


def test_an_interviewer_holding_most_of_the_text_is_reported_with_a_fix():
    long = "We asked about the board and the forum and the papers and the meetings. " * 8
    text = "".join(f"Interviewer: {long}\n\nRespondent: Yes.\n\n" for _ in range(4))
    _, problems = parse_transcript(text.encode(), "lopsided.txt")
    (p,) = problems
    assert "the interviewer (Interviewer) holds 9" in p.message and "[speakers.roles]" in p.message


def test_a_declared_role_that_holds_no_turn_is_reported():
    text = "---\nspeakers:\n  Dan: interviewer\n  Participant: respondent\n---\nDan: Hello?\n\nDan: Anyone?\n\nDan: Fine.\n"
    _, problems = parse_transcript(text.encode(), "empty.txt")
    assert any("makes 'Participant' the respondent, but no turn has that role" in p.message for p in problems)
