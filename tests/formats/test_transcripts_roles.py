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


HEARING = """Mr Marcus Bell
--------------

**Ms Blackwell**: Mr Bell, may I begin by thanking you. Can you confirm your statement?

**Mr Marcus Bell**: I can.

**Counsel Inquiry**: Thank you. Is that right?

**Mr Marcus Bell**: That's correct.

**Lead Inquiry**: Who chaired the hub?

**Mr Marcus Bell**: I did.

**Lady Hallett**: Thank you very much, Mr Bell.

**Lead 2B**: And the units?

**Mr Marcus Bell**: Three of them.
"""


def test_project_roles_by_exact_label_and_pattern_win_over_guesses():
    speakers = {"roles": {"Ms Blackwell": "interviewer", "Lady Hallett": "interviewer", "Lead *": "interviewer",
                          "re:^counsel": "interviewer"}}
    t, _ = parse_transcript(HEARING.encode(), "05_uk-covid-inquiry_m1_2023-07-13_marcus-bell_equality-hub.txt",
                            speakers=speakers)
    roles = {x.speaker: x.role for x in t.turns}
    assert roles == {"Ms Blackwell": INTERVIEWER, "Mr Marcus Bell": RESPONDENT, "Counsel Inquiry": INTERVIEWER,
                     "Lead Inquiry": INTERVIEWER, "Lady Hallett": INTERVIEWER, "Lead 2B": INTERVIEWER}
    assert t.title == "Mr Marcus Bell"  # the document's heading, not the 58-character file name


def test_a_speaker_asking_most_questions_is_proposed_as_interviewer_and_the_note_says_so():
    text = "Ana: Where did you meet?\n\nBo: At the café.\n\nAna: How often?\n\nBo: Weekly.\n\nAna: Why there?\n\nBo: Cheap.\n"
    t, problems = parse_transcript(text.encode(), "cafe.txt")
    assert {x.speaker: x.role for x in t.turns} == {"Ana": INTERVIEWER, "Bo": RESPONDENT}
    assert any("'Ana' was taken as the interviewer because 3 of 3 turns are questions" in p.message for p in problems)
    t, problems = parse_transcript(text.encode(), "cafe.txt", speakers={"roles": {"Ana": "respondent"}})
    assert not problems and {x.speaker: x.role for x in t.turns}["Ana"] == RESPONDENT  # the project's word wins


def test_witness_gave_evidence_and_role_descriptions_are_header_lines_not_speakers():
    text = ("Examination of Witness\n\nWitness: Ed Vaizey MP, Minister for Culture, gave evidence.\n\n"
            "Q1 Chair: Good morning. Why now?\n\nEd Vaizey: Because it matters.\n\nQ2 Chair: And then?\n\n"
            "Ed Vaizey: We waited.\n")
    t, _ = parse_transcript(text.encode(), "evidence.txt")
    assert {x.speaker for x in t.turns} == {"Chair", "Ed Vaizey"}
    typed = ("Respondent: Council equalities officer, LSP R\n\nI: How long have you been in post?\n\n"
             "R: Three years.\n\nI: And before?\n\nR: Housing.\n")
    t, _ = parse_transcript(typed.encode(), "typed.txt")
    assert [x.speaker for x in t.turns] == ["I", "R", "I", "R"]
    assert t.metadata["header"]["Respondent"] == "Council equalities officer, LSP R"


def test_f4_stamps_are_kept_out_of_the_turns_text():
    text = ("I: How long have you sat on the partnership board? #00:00:12-3#\n\n"
            "B: Since 2004, I think. Before that the forum had no seat at all. #00:00:18-9#\n\n"
            "I: And who decided that? #00:00:21-0#\n")
    t, _ = parse_transcript(text.encode(), "f4.txt")
    assert t.format == "f4"
    said = [t.text[x.text_start:x.end] for x in t.turns]
    assert said == ["How long have you sat on the partnership board?",
                    "Since 2004, I think. Before that the forum had no seat at all.", "And who decided that?"]
    assert [x.timestamp for x in t.turns] == [12.3, 18.9, 21.0]


def test_no_roles_at_all_is_reported_with_the_command_that_sets_them():
    text = "".join(f"Ms Blackwell: Please turn to page {i}.\n\nMr Bell: Page {i}, yes.\n\n" for i in range(3))
    _, problems = parse_transcript(text.encode(), "hearing.txt")
    (p,) = problems
    assert "no speaker has a role (Ms Blackwell, Mr Bell)" in p.message and "qualcode speakers --role" in p.message
    _, problems = parse_transcript(text.encode(), "hearing.txt",
                                   speakers={"roles": {"Ms Blackwell": "interviewer", "Mr Bell": "respondent"}})
    assert problems == []


# Hearings: the witness answers; counsel, the chair and the panel ask. Known from the layout, never from
# anyone's name.

SWORN = """Lord Bridges
------------

*LORD BRIDGES (sworn).*

Questions From Counsel to the Inquiry
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

**Mr Keith**: My Lord, may I begin. You chaired the committee?

**Lord Bridges**: I did.

**Sir Ian Dale**: Please slow down.

**Lord Bridges**: I'm sorry. We met monthly.

**Mr Keith**: Thank you.

**Sir Ian Dale**: Thank you for your help.

*(The witness withdrew)*
"""


def test_a_sworn_witness_answers_and_everyone_else_in_the_hearing_asks():
    t, problems = parse_transcript(SWORN.encode(), "hearing.rst")
    # the chair never asks a question here, and the witness is a peer: the oath says who answers
    assert {x.speaker: x.role for x in t.turns} == {
        "Mr Keith": INTERVIEWER, "Lord Bridges": RESPONDENT, "Sir Ian Dale": INTERVIEWER,
    }
    assert problems == []


UNSWORN = """Questions from Counsel to the Inquiry

MS RAHMAN KC: My Lady, may I begin. Could you give your name?

MR OKONJO: Daniel Okonjo.

MS RAHMAN KC: You led the resilience forum from 2016.

MR OKONJO: I did.

LADY PRICE: Please slow down a little.

MR OKONJO: I'm sorry.

MR FENWICK: Were you consulted on the plan?

MR OKONJO: No.

MR FENWICK: Not at all?

MR OKONJO: Not that I recall.

MR FENWICK: Did you ask to be?

MR OKONJO: We did, in writing.

LADY PRICE: Thank you.
"""


def test_without_an_oath_titles_and_questions_say_who_asks():
    t, problems = parse_transcript(UNSWORN.encode(), "hearing.txt")
    assert {x.speaker: x.role for x in t.turns} == {
        "MS RAHMAN KC": INTERVIEWER,  # counsel's title
        "LADY PRICE": INTERVIEWER,  # addressed as "my Lady": she presides
        "MR FENWICK": INTERVIEWER,  # 3 of 3 turns are questions: a guess, said in a note
        "MR OKONJO": RESPONDENT,
    }
    (note,) = problems
    assert "'MR FENWICK' was taken as asking the questions in this hearing because 3 of 3" in note.message


def test_titles_do_not_make_roles_outside_a_hearing():
    text = ("Interviewer: Where did you grow up?\n\nLady Price: In Northgate, my lady's maid's cottage.\n\n"
            "Interviewer: And school?\n\nLady Price: The grammar school, Judge Lane's old school.\n")
    t, _ = parse_transcript(text.encode(), "oral-history.txt")
    assert {x.speaker: x.role for x in t.turns} == {"Interviewer": INTERVIEWER, "Lady Price": RESPONDENT}
    initials = "RA: Where?\n\nSC: Here.\n\nRA: When?\n\nSC: Now.\n\nRA: Why?\n\nSC: Because.\n"
    t, _ = parse_transcript(initials.encode(), "initials.txt")  # "SC" is someone's initials, not Senior Counsel
    assert {x.speaker: x.role for x in t.turns} == {"RA": INTERVIEWER, "SC": RESPONDENT}
