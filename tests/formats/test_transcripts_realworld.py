"""Real public transcripts from ../shared/realworld/transcripts (skipped when that folder is absent).

Expected counts were made by reading the files (``grep -E '^(Q[0-9]+ )?[A-Z][^:]{0,40}: '`` and
``grep -c '^\\*\\*'``) and removing the header lines and sentences that are not labels.
"""

from __future__ import annotations

from collections import Counter

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT
from qualcode.formats.transcripts import parse_transcript, read_transcript

PARLIAMENT = "01_ukparl_scitech-committee_2014-06-18_social-media-data_Q1-79.txt"
INQUIRY = "05_uk-covid-inquiry_m1_2023-07-13_marcus-bell_equality-hub.txt"
USER_STUDY = "09_pdpilot-user-study_P1.txt"


def test_parliament_committee(realworld, check):
    t, problems = read_transcript(realworld / PARLIAMENT)
    check(t)
    assert t.format == "parliament"
    counts = Counter(x.speaker for x in t.turns)
    assert counts == {
        "Chair": 24, "Jim Dowd": 19, "Mr Heath": 14, "Stephen Metcalfe": 10, "Stephen Mosley": 10,
        "Pamela Nash": 7, "Graham Stringer": 5,
        "Professor Preston": 36, "Professor Yates": 30, "Carl Miller": 23, "Timo Hannay": 23,
        "Sureyya Cansoy": 20, "Dr McPherson": 15,
    }
    assert len(t.turns) == 236  # 79 question paragraphs + 157 other labelled paragraphs
    # header lines and the "Don't get me wrong:" sentence are not speakers
    for not_a_speaker in ("Members present", "Witnesses", "Oral evidence", "Don’t get me wrong", "Date"):
        assert not_a_speaker not in counts
    assert t.text[t.turns[0].start:].startswith("Q1 Chair: I welcome the panel")
    assert t.turn_at(t.text.index("Members present:")) is None
    assert t.turn_at(t.text.index("Examination of Witnesses")) is None
    trap = t.text.index("Don’t get me wrong:")
    assert t.speaker_at(trap) == "Professor Yates"
    # an answer of several paragraphs is one turn
    second = t.text.index("In the broader context, companies using social media")
    assert t.speaker_at(second) == "Sureyya Cansoy"
    roles = {x.speaker: x.role for x in t.turns}
    assert {s for s, r in roles.items() if r == INTERVIEWER} == {
        "Chair", "Jim Dowd", "Mr Heath", "Stephen Metcalfe", "Stephen Mosley", "Pamela Nash", "Graham Stringer",
    }
    assert roles["Professor Yates"] == RESPONDENT
    assert [x.label for x in t.turns if x.speaker == "Chair"][:1] == ["Chair"]  # "Q1" is not in the label
    assert "Members present" in t.metadata["header"]
    assert problems == []


def test_covid_inquiry_lawyer_under_two_labels(realworld, check):
    t, problems = read_transcript(realworld / INQUIRY, aliases={"Counsel Inquiry": "Ms Blackwell"})
    check(t)
    assert t.format == "markdown"
    counts = Counter(x.speaker for x in t.turns)
    assert counts == {"Ms Blackwell": 39, "Mr Marcus Bell": 38, "Lady Hallett": 4, "The Witness": 1}
    assert len(t.turns) == 82
    labels = Counter(x.label for x in t.turns if x.speaker == "Ms Blackwell")
    assert labels == {"Counsel Inquiry": 34, "Ms Blackwell": 5}
    assert {x.role for x in t.turns if x.speaker == "Ms Blackwell"} == {INTERVIEWER}
    assert {x.role for x in t.turns if x.speaker == "Mr Marcus Bell"} == {RESPONDENT}
    assert {x.role for x in t.turns if x.speaker == "Lady Hallett"} == {INTERVIEWER}  # the chair asks
    # headings and stage directions belong to no turn
    assert t.turn_at(t.text.index("Questions From Counsel")) is None
    assert t.turn_at(t.text.index("*MR MARCUS BELL (affirmed).*")) is None
    assert t.turn_at(t.text.index("*(The witness withdrew)*")) is None
    first = t.turns[0]
    assert t.text[first.start:first.text_start] == "**Ms Blackwell**: "
    assert t.text[first.text_start:].startswith("Mr Bell, may I begin")
    assert problems == []


def test_covid_inquiry_aliases_from_front_matter(realworld):
    data = b"---\naliases:\n  Ms Blackwell: [Counsel Inquiry]\n---\n" + (realworld / INQUIRY).read_bytes()
    with_front, _ = parse_transcript(data, INQUIRY)
    plain, _ = read_transcript(realworld / INQUIRY)
    assert Counter(x.speaker for x in with_front.turns)["Ms Blackwell"] == 39
    assert with_front.text == plain.text  # front matter is not part of the canonical text
    assert len({x.speaker for x in plain.turns}) == 5  # without aliases the two labels stay apart


def test_covid_inquiry_only_the_witness_answers(realworld):
    """No aliases, no project roles: "*MR MARCUS BELL (affirmed).*" names the witness, so counsel under
    either label and the chair (who asks no question in these turns) are on the asking side."""
    t, problems = read_transcript(realworld / INQUIRY)
    assert {x.speaker: x.role for x in t.turns} == {
        "Ms Blackwell": INTERVIEWER, "Counsel Inquiry": INTERVIEWER, "Lady Hallett": INTERVIEWER,
        "Mr Marcus Bell": RESPONDENT, "The Witness": RESPONDENT,
    }
    assert problems == []


def test_user_study_interview(realworld, check):
    t, problems = read_transcript(realworld / USER_STUDY)
    check(t)
    assert t.format == "text"
    assert Counter(x.speaker for x in t.turns) == {"Dan": 46, "Participant": 47}
    assert len(t.turns) == 93
    assert {x.speaker: x.role for x in t.turns} == {"Dan": INTERVIEWER, "Participant": RESPONDENT}
    assert t.turn_at(0) is None  # the "Interview" heading
    assert problems == []
