"""Labelled text layouts: plain, Q/A, bracketed times, tabs, Markdown, f4, Parliament, inquiry."""

from __future__ import annotations

import pytest

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT
from qualcode.formats.transcripts import parse_transcript, read_transcript


def parse(text: str, name: str = "t.txt", **kw):
    return parse_transcript(text.encode("utf-8"), name, **kw)


def test_plain_text_keeps_body_as_written(check):
    body = "Interviewer: How did it start?\n\nRespondent: With a letter.\nThen a meeting.\n"
    t, problems = parse(body, "P01 Board Interview.txt")
    check(t)
    assert t.text == body
    assert t.id == "p01-board-interview"
    assert t.source == "P01 Board Interview.txt"
    assert t.format == "text"
    assert [(x.speaker, x.role) for x in t.turns] == [("Interviewer", INTERVIEWER), ("Respondent", RESPONDENT)]
    assert t.text[t.turns[1].text_start:t.turns[1].end] == "With a letter.\nThen a meeting."
    assert t.text[t.turns[0].start:t.turns[0].end] == "Interviewer: How did it start?"
    assert problems == []


def test_qa_and_bracketed_timestamps(fixture, check, said):
    t, _ = read_transcript(fixture("qa.txt"))
    check(t)
    assert said(t) == [
        ("Q", "How are ethnic minority residents represented on the board?"),
        ("A", "Through the BME forum, mainly. It has one seat."),
        ("Interviewer", "And monitoring?"),
        ("Respondent", "We started collecting ethnicity data in 2006."),
    ]
    assert [x.role for x in t.turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER, RESPONDENT]
    assert [x.timestamp for x in t.turns] == [None, None, 250.0, 253.0]
    assert t.text[t.turns[2].start:t.turns[2].text_start] == "[00:04:10] Interviewer: "


def test_timestamp_between_label_and_colon_is_not_part_of_the_speaker(check):
    t, _ = parse("John [00:01:23]: Hello.\nMary (00:01:30): Hi.\nJohn: Bye.\nMary: Bye.\n")
    check(t)
    assert [(x.speaker, x.timestamp) for x in t.turns][:2] == [("John", 83.0), ("Mary", 90.0)]


def test_label_tab_layout_and_annotations(fixture, check, said):
    t, _ = read_transcript(fixture("tabs.txt"))
    check(t)
    assert [s for s, _ in said(t)] == ["Interviewer", "Participant 2", "Participant 2", "Interviewer"]
    assert said(t)[1][1] == "Honestly – through the council's regeneration team."
    # the [Cross talk 03:00] annotation is not said by anyone
    annotation = t.text.index("[Cross talk")
    assert t.turn_at(annotation) is None
    assert [x.role for x in t.turns] == [INTERVIEWER, RESPONDENT, RESPONDENT, INTERVIEWER]


def test_f4_trailing_timestamps(fixture, check):
    t, _ = read_transcript(fixture("f4.txt"))
    check(t)
    assert t.format == "f4"
    assert [x.speaker for x in t.turns] == ["I", "B", "I", "B"]
    assert [x.timestamp for x in t.turns] == [12.3, 18.9, 21.0, 25.4]
    assert [x.role for x in t.turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER, RESPONDENT]


def test_markdown_bold_labels_headings_and_stage_directions(fixture, check, said):
    t, _ = read_transcript(fixture("markdown.md"))
    check(t)
    assert t.format == "markdown"
    assert said(t) == [
        ("Ms Carter", "Please give your full name."),
        ("Mr Peter Lowe", "Peter James Lowe.\n\nSince 2004 I have chaired the forum."),
        ("Ms Carter", "Thank you."),
    ]
    assert t.turn_at(t.text.index("(affirmed)")) is None  # heading and stage direction
    assert t.turn_at(t.text.index("withdrew")) is None  # stage direction after the last turn
    # "*MR PETER LOWE (affirmed).*" names the witness: he answers, counsel asks
    assert {x.speaker: x.role for x in t.turns} == {"Ms Carter": INTERVIEWER, "Mr Peter Lowe": RESPONDENT}


def test_oral_history_capitals_surname_after_first_appearance(fixture, check):
    t, problems = read_transcript(fixture("oral_history.txt"))
    check(t)
    assert [(x.label, x.speaker) for x in t.turns] == [
        ("RUTH ADEBAYO", "RUTH ADEBAYO"),
        ("TOM KEANE", "TOM KEANE"),
        ("ADEBAYO", "RUTH ADEBAYO"),
        ("KEANE", "TOM KEANE"),
    ]
    assert "(laughs)" in t.text[t.turns[3].text_start:t.turns[3].end]


def test_parliament_layout_and_traps(fixture, check):
    t, _ = read_transcript(fixture("parliament.txt"))
    check(t)
    assert t.format == "parliament"
    speakers = [x.speaker for x in t.turns]
    assert speakers == [
        "Chair", "Councillor Hussain", "Dev Mistry", "Mark Dunne", "Dev Mistry", "Priya Shah", "Chair",
        "Sir Nigel Shadbolt",
    ]
    # header lines are not speakers; they go into metadata
    assert not {"Date", "Members present", "Witnesses", "Oral evidence"} & set(speakers)
    assert t.metadata["header"]["Members present"].startswith("Jane Hollis (Chair)")
    # "Don't get me wrong:" continues the witness's answer
    answer = t.turns[1]
    assert "Don’t get me wrong: the data is not perfect." in t.text[answer.text_start:answer.end]
    assert "That means the board" in t.text[answer.text_start:answer.end]
    # question lines are the questioner's; wide gap after the number (HTML variant)
    assert t.turns[5].label == "Priya Shah"
    roles = {x.speaker: x.role for x in t.turns}
    assert roles == {
        "Chair": INTERVIEWER, "Mark Dunne": INTERVIEWER, "Priya Shah": INTERVIEWER,
        "Councillor Hussain": RESPONDENT, "Dev Mistry": RESPONDENT, "Sir Nigel Shadbolt": RESPONDENT,
    }
    # the new panel's heading and witness list belong to no turn
    assert t.turn_at(t.text.index("Examination of Witnesses")) is None


def test_sentence_with_colon_is_not_a_speaker(check):
    text = (
        "Interviewer: What happened next?\n\n"
        "Respondent: We met again.\n\n"
        "Don't get me wrong: it was fine.\n\n"
        "The thing is: nobody asked.\n\n"
        "Note: recording paused.\n\n"
        "Interviewer: Thanks.\n"
    )
    t, _ = parse(text)
    check(t)
    assert [x.speaker for x in t.turns] == ["Interviewer", "Respondent", "Interviewer"]
    assert "nobody asked" in t.text[t.turns[1].text_start:t.turns[1].end]


def test_name_used_once_is_a_warning_not_a_speaker(check):
    t, problems = parse("Ruth: Hello.\n\nTom: Hi.\n\nRuth: Bye.\n\nTom: Bye.\n\nSudden Visitor: Hello all.\n")
    check(t)
    assert [x.speaker for x in t.turns] == ["Ruth", "Tom", "Ruth", "Tom"]
    assert any("Sudden Visitor" in p.message and p.line == 9 for p in problems)


def test_speaker_named_in_front_matter_is_accepted_once():
    text = "---\nspeakers:\n  Sudden Visitor: respondent\n  Ruth: interviewer\n---\nRuth: Hello.\n\nSudden Visitor: Hi.\n"
    t, problems = parse(text)
    assert [(x.speaker, x.role) for x in t.turns] == [("Ruth", INTERVIEWER), ("Sudden Visitor", RESPONDENT)]


def test_header_block_is_metadata_and_surnames_resolve(fixture, check):
    t, _ = read_transcript(fixture("hanging.txt"))
    check(t)
    assert [(x.label, x.speaker, x.role) for x in t.turns] == [
        ("Adebayo", "Ruth Adebayo", INTERVIEWER),
        ("Keane", "Tom Keane", RESPONDENT),
        ("Adebayo", "Ruth Adebayo", INTERVIEWER),
    ]
    assert t.metadata["header"] == {"Interviewer": "Ruth Adebayo", "Narrator": "Tom Keane", "Date": "16/10/2014"}


def test_inquiry_numbered_lines(fixture, check):
    t, _ = read_transcript(fixture("inquiry.txt"))
    check(t)
    assert t.format == "inquiry"
    assert [(x.label, x.speaker, x.role) for x in t.turns][2:6] == [
        ("Q", "Counsel to the Inquiry", INTERVIEWER),
        ("A", "Mr Peter Lowe", RESPONDENT),
        ("Q", "Counsel to the Inquiry", INTERVIEWER),
        ("A", "Mr Peter Lowe", RESPONDENT),
    ]
    assert [x.speaker for x in t.turns][:2] == ["LADY HALLETT", "MS CARTER"]
    assert t.text[t.turns[5].text_start:t.turns[5].end] == "I do."  # "(11.15 am)" is a stage direction
    # the chair and the counsel who calls the witness are on the asking side, not respondents
    assert {x.speaker: x.role for x in t.turns} == {
        "LADY HALLETT": INTERVIEWER, "MS CARTER": INTERVIEWER, "Counsel to the Inquiry": INTERVIEWER,
        "Mr Peter Lowe": RESPONDENT,
    }


INQUIRY_WRAPPED = """\
 1   LADY HALLETT: Good morning.
 2   MS CARTER: My Lady, may I call Mr José Núñez.
 3                  MR JOSÉ NÚÑEZ (affirmed)
 4            Questions from COUNSEL TO THE INQUIRY
 5   Q. Mr Núñez, could you start with your role
 6   on the partnership board?
 7   A. I chair the community empowerment network, so I sit
 8   on the board as one of the two voluntary-sector reps.
 9                     (11.15 am)
10   Q. Since when?
11   A. Since 2004. 12 years on the board
12   by then.
"""


def test_inquiry_line_numbers_are_not_in_the_text(check, said):
    from qualcode.services.coding_ops import find_quote

    t, _ = parse(INQUIRY_WRAPPED, "inquiry_wrapped.txt")
    check(t)
    assert t.format == "inquiry"
    assert said(t)[2:] == [
        ("Counsel to the Inquiry", "Mr Núñez, could you start with your role\non the partnership board?"),
        ("Mr José Núñez", "I chair the community empowerment network, so I sit\n"
                          "on the board as one of the two voluntary-sector reps."),
        ("Counsel to the Inquiry", "Since when?"),
        ("Mr José Núñez", "Since 2004. 12 years on the board\nby then."),  # only the margin number goes
    ]
    assert t.text.count("\n") == INQUIRY_WRAPPED.count("\n")  # one line per numbered line
    start, end = find_quote(t, "your role on the partnership board")
    assert t.turn_at(start) is t.turns[2]
    assert "title" not in t.metadata  # not the first line's number


def test_maxqda_paragraph_number_is_not_the_title(fixture):
    t, _ = read_transcript(fixture("maxqda.txt"))
    assert t.metadata["title"] == "Interview"


def test_header_line_is_not_the_title(fixture):
    t, _ = read_transcript(fixture("hanging.txt"))
    assert "title" not in t.metadata  # "Interviewer: Ruth Adebayo" is the header's, not a title
    assert t.title == "hanging"


def test_maxqda_paragraph_numbers(fixture, check):
    t, _ = read_transcript(fixture("maxqda.txt"))
    check(t)
    assert [x.speaker for x in t.turns] == ["Ruth", "Participant", "Ruth"]
    # the page footer "1/5" and the paragraph number printed again after it are not what was said
    assert t.text[t.turns[1].text_start:t.turns[1].end] == (
        "Sure. I chair the network, so I'm one of the two\nvoluntary-sector members.")
    assert t.turns[0].role == INTERVIEWER  # the one named speaker beside "Participant"


def test_front_matter_metadata_aliases_and_roles(fixture, check):
    t, problems = read_transcript(fixture("front_matter.md"))
    check(t)
    assert t.id == "p07-board"
    assert t.text.startswith("Ruth Adebayo: Thanks")
    assert t.metadata["title"] == "Partnership board interview 7"
    assert t.metadata["date"] == "2024-03-14"
    assert t.metadata["illustrative"] is True
    assert t.metadata["attributes"] == {"sector": "voluntary", "years_on_board": 12}
    assert [(x.label, x.speaker, x.role) for x in t.turns] == [
        ("Ruth Adebayo", "Ruth Adebayo", INTERVIEWER),
        ("Tom Keane", "Tom Keane", RESPONDENT),
        ("Ruth", "Ruth Adebayo", INTERVIEWER),
        ("Tom Keane", "Tom Keane", RESPONDENT),
    ]
    assert problems == []


def test_caller_aliases_win_over_front_matter():
    text = "---\naliases:\n  Ruth: Ruth A.\n---\nRuth: Hi.\n\nTom: Hello.\n\nRuth: Bye.\n\nTom: Bye.\n"
    t, _ = parse(text, aliases={"Ruth": "Ruth Adebayo", "tom": "Tom Keane"})
    assert [(x.label, x.speaker) for x in t.turns][:2] == [("Ruth", "Ruth Adebayo"), ("Tom", "Tom Keane")]


def test_front_matter_aliases_as_lists():
    text = "---\naliases:\n  Ms Blackwell: [Counsel Inquiry, Counsel]\n---\n" + (
        "**Ms Blackwell**: One.\n\n**Witness**: Two.\n\n**Counsel Inquiry**: Three.\n"
    )
    t, _ = parse(text, "x.md")
    assert [x.speaker for x in t.turns] == ["Ms Blackwell", "Witness", "Ms Blackwell"]
    assert t.turns[2].label == "Counsel Inquiry"


def test_interviewer_list_and_unknown_roles():
    text = "---\ninterviewer: [Ruth, Sam]\n---\nRuth: a\n\nSam: b\n\nTom: c\n\nRuth: d\n\nTom: e\n\nSam: f\n"
    t, _ = parse(text)
    assert {x.speaker: x.role for x in t.turns} == {"Ruth": INTERVIEWER, "Sam": INTERVIEWER, "Tom": RESPONDENT}
    t, _ = parse("Ruth: a\n\nTom: b\n\nRuth: c\n\nTom: d\n")
    assert {x.role for x in t.turns} == {None}  # nobody is known to ask
    t, _ = parse("Speaker 1: a\n\nInterviewer: b\n\nSpeaker 1: c\n")
    assert [x.role for x in t.turns] == [RESPONDENT, INTERVIEWER, RESPONDENT]  # the interviewer is known: the rest answer


def test_leading_blank_lines_and_text_before_first_label(check):
    t, _ = parse("\n\n\nInterview with the board\n\nQ: Hi?\nA: Hello.\n")
    check(t)
    assert t.text.startswith("Interview with the board")
    assert t.turn_at(0) is None
    assert [x.speaker for x in t.turns] == ["Q", "A"]


def test_label_alone_on_its_line():
    t, _ = parse("Interviewer:\nHow did it start?\n\nRespondent:\nWith a letter.\n")
    assert [t.text[x.text_start:x.end] for x in t.turns] == ["How did it start?", "With a letter."]


def test_no_labels_is_text_without_turns_and_a_warning():
    t, problems = parse("Just some notes about the board.\nNothing more.\n")
    assert t.turns == []
    assert any("no speaker labels" in p.message for p in problems)


@pytest.mark.parametrize("label", ["Dr d'Aquin", "Professor Sir Nigel Shadbolt", "Cllr Amira Hussain", "P1", "B2"])
def test_name_shapes_accepted(label):
    t, _ = parse(f"{label}: one.\n\nInterviewer: two.\n\n{label}: three.\n")
    assert [x.speaker for x in t.turns] == [label, "Interviewer", label]


def test_question_number_fused_to_title():
    t, _ = parse("Q143 Dr d'Aquin: Why?\n\nProfessor Yates: Because.\n\nQ144 Chair: Thanks.\n\nProfessor Yates: Welcome.\n")
    assert [(x.speaker, x.role) for x in t.turns][:2] == [("Dr d'Aquin", INTERVIEWER), ("Professor Yates", RESPONDENT)]
    assert t.format == "parliament"


def test_names_in_scripts_without_case_and_fullwidth_colons(check):
    t, _ = parse("王芳：你好。\n李明：你好！\n王芳：再见。\n李明：再见。\n")
    check(t)
    assert [(x.speaker, t.text[x.text_start:x.end]) for x in t.turns][:2] == [("王芳", "你好。"), ("李明", "你好！")]


def test_underline_after_a_label_does_not_hide_it(check):
    t, _ = parse("Interview 3\n===========\n\nInterviewer: hi\n-----\nRespondent: yo\n\nInterviewer: bye\n")
    check(t)
    assert [x.speaker for x in t.turns] == ["Interviewer", "Respondent", "Interviewer"]
    assert t.turn_at(0) is None


@pytest.mark.parametrize(
    "line",
    [
        "Don’t get me wrong: it was fine.", "Members present: Jane Hollis", "Date: 19 March 2025",
        "Witnesses: Dev Mistry, gave evidence.", "Well: that is that.", "Yes, well: maybe.",
        "Chapter 1: Beginnings", "See http://example.org: the site", "At 10:30 we met: all of us.",
        "What did you say: nothing?", "Part 2: the board",
    ],
)
def test_traps_repeated_are_still_not_speakers(line):
    text = f"Interviewer: Hello.\n\n{line}\n\nRespondent: Hi.\n\n{line}\n\nInterviewer: Bye.\n"
    t, _ = parse(text)
    assert [x.speaker for x in t.turns] == ["Interviewer", "Respondent", "Interviewer"]


def test_a_title_repeated_above_every_comment_is_not_a_speaker(check):
    """An export of comments repeats the video's title ("PSZ: ...") above each comment: no one says the
    same sentence again and again, so the label is read as text and the file has no turns."""
    title = "PSZ: Januártól több iskolában is leállhat az oktatás a kötelező oltás miatt"
    comments = ["Nyugi a politikusoknak nem kötelező az oltás.", "Ne is tanítson mert esetleg összefertőzi.",
                "Lopott ország.", "Senkit nem lehet kötelezni oltásra."]
    body = "".join(f"TLpr3QZq5OQ\n{title}\n2021-12-01T19:27:34Z\n@user{i}\n{c}\n0\n" for i, c in enumerate(comments))
    t, problems = parse(body, "videos.txt")
    check(t)
    assert t.turns == []
    assert any("'PSZ:' starts 4 lines that repeat 1 text(s) word for word" in p.message and p.line == 2
               for p in problems)
    # a speaker whose turns differ stays a speaker, and so does one who keeps saying a short "Yes."
    speech = "".join(f"Ruth Adebayo: {c}\n\nTom Keane: Yes.\n\n" for c in comments)
    t, problems = parse(speech, "interview.txt")
    assert [x.speaker for x in t.turns[:2]] == ["Ruth Adebayo", "Tom Keane"] and len(t.turns) == 8
    assert not any("word for word" in p.message for p in problems)




def test_respondents_are_filled_in_only_where_none_is_known():
    text = "Clerk: Order.\n\nAnn: Why?\n\nBob: Because.\n\nAnn: And?\n\nBob: Yes.\n\nClerk: Order!\n"
    t, _ = parse(text, speakers={"roles": {"Ann": "interviewer"}})
    assert {x.speaker: x.role for x in t.turns} == {"Clerk": RESPONDENT, "Ann": INTERVIEWER, "Bob": RESPONDENT}
    t, _ = parse(text, speakers={"roles": {"Ann": "interviewer", "Bob": "respondent"}})
    assert {x.speaker: x.role for x in t.turns}["Clerk"] is None  # a known respondent: the clerk is not one
