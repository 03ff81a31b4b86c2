"""Page footers left in transcripts exported from MAXQDA (PDF or Word, then saved as text): the file
name, "Seite 3 von 12" / "Page 3 of 12" / "3/12" and a date at the foot of every page, and the paragraph
number MAXQDA prints again when a paragraph runs on to the next page. They are not speech: they must
not end up inside a turn, and speech that mentions a page must stay.

The inputs are made up here, in the layouts of MAXQDA's exports (real MAXQDA exports, e.g. the PDPilot
user study in ../shared/realworld/coded/pdpilot, print "n/N" at the foot of each page and repeat a
paragraph's number after a page break)."""

from __future__ import annotations

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT
from qualcode.formats.transcripts import parse_transcript

FOOTER = "Interview_P3.docx{gap}Seite {n} von 3{gap}12.03.2024"

# A MAXQDA text export: the paragraph number on its own line above each paragraph; at each page's foot
# a footer of three cells; the paragraph broken by the page shows its number again on the next page.
MAXQDA_TEXT = """\
1
Interview

2
Ruth: Could you start with your role on the board?

3
Participant: Sure. I chair the network, so I'm one of the two

{f1}
3
voluntary-sector members. Page 3 of the report says we have two seats.

4
Ruth: And who decided that?

5
Participant: The council, mostly.

{f2}
6
Ruth: How did that feel?

7
Participant: Honestly, like we were an afterthought.

{f3}
"""


def _maxqda(gap: str = " " * 30) -> str:
    return MAXQDA_TEXT.format(**{f"f{n}": FOOTER.format(gap=gap, n=n) for n in (1, 2, 3)})


def _said(t):
    return [(x.speaker, t.text[x.text_start:x.end]) for x in t.turns]


def test_maxqda_footers_are_not_in_any_turn_and_a_paragraph_reads_on_across_the_page(check):
    t, problems = parse_transcript(_maxqda().encode(), "P3.txt")
    check(t)
    assert _said(t) == [
        ("Ruth", "Could you start with your role on the board?"),
        ("Participant", "Sure. I chair the network, so I'm one of the two\n"
                        "voluntary-sector members. Page 3 of the report says we have two seats."),
        ("Ruth", "And who decided that?"),
        ("Participant", "The council, mostly."),
        ("Ruth", "How did that feel?"),
        ("Participant", "Honestly, like we were an afterthought."),
    ]
    assert "Seite" not in t.text and "Interview_P3.docx" not in t.text and "12.03.2024" not in t.text
    assert {x.speaker: x.role for x in t.turns} == {"Ruth": INTERVIEWER, "Participant": RESPONDENT}
    assert t.metadata["title"] == "Interview"
    assert problems == []


def test_footers_with_tabs_and_form_feeds_as_pdftotext_writes_them(check):
    text = _maxqda(gap="\t\t").replace("\n" + FOOTER.format(gap="\t\t", n=1), "\n\f" + FOOTER.format(gap="\t\t", n=1))
    t, _ = parse_transcript(text.encode(), "P3.txt")
    check(t)
    assert "Seite" not in t.text
    assert _said(t)[1][1].startswith("Sure. I chair the network, so I'm one of the two\nvoluntary-sector members.")


# "Page 3 of 12" footers with the file name and the date on lines of their own, and a running header
# ("Transcript P4 - board study") at the top of each new page; no paragraph numbers.
PAGED = """\
Interviewer: Could you start with your role on the board? Page 3 of the report says you chair it.

P4: Yes. Page 3 of 12 in the annual report lists the members, and I'm one of the two

Interview_P4.docx
Page 1 of 3
12.03.2024
Transcript P4 - board study
voluntary-sector members.

Interviewer: Who decided that?

P4: The council.
Page 2 of the minutes says so.
Page 3.

Interview_P4.docx
Page 2 of 3
12.03.2024
Transcript P4 - board study

Interviewer: And the forum?

P4: We were told the plan was already written. 1/2 of the seats went to officers.

Interview_P4.docx
Page 3 of 3
12.03.2024
"""


def test_footer_lines_go_and_speech_that_mentions_a_page_stays(check):
    t, problems = parse_transcript(PAGED.encode(), "P4.txt")
    check(t)
    assert _said(t) == [
        ("Interviewer", "Could you start with your role on the board? Page 3 of the report says you chair it."),
        ("P4", "Yes. Page 3 of 12 in the annual report lists the members, and I'm one of the two\n"
               "voluntary-sector members."),
        ("Interviewer", "Who decided that?"),
        ("P4", "The council.\nPage 2 of the minutes says so.\nPage 3."),
        ("Interviewer", "And the forum?"),
        ("P4", "We were told the plan was already written. 1/2 of the seats went to officers."),
    ]
    for furniture in ("Interview_P4.docx", "Page 1 of 3", "12.03.2024", "Transcript P4 - board study"):
        assert furniture not in t.text
    assert problems == []


def test_a_page_number_said_on_its_own_line_is_speech():
    text = ("Interviewer: Which page?\n\nParticipant: This one:\n1/2\n\nInterviewer: And the next?\n\n"
            "Participant: Page 2\n\nInterviewer: Thanks.\n")
    t, _ = parse_transcript(text.encode(), "pages.txt")
    assert "\n1/2\n" in t.text  # once, and not the last page: not a footer
    assert _said(t)[3] == ("Participant", "Page 2")


def test_warnings_name_the_file_line_when_footers_were_dropped():
    text = _maxqda().replace("4\nRuth: And who decided that?", "4\nSudden Visitor: And who decided that?")
    _, problems = parse_transcript(text.encode(), "P3.txt")
    (p,) = [p for p in problems if "Sudden Visitor" in p.message]
    assert text.split("\n")[p.line - 1].startswith("Sudden Visitor:")


def test_word_file_with_footers_as_paragraphs(docx_bytes, check):
    """A MAXQDA PDF opened in Word: footers become paragraphs of the body."""
    data = docx_bytes([
        "Ruth: Could you start with your role on the board?",
        "Participant: Sure. I chair the network, so I'm one of the two",
        "Interview_P3.docx\tPage 1 of 2\t12.03.2024",
        "voluntary-sector members.",
        "Ruth: And who decided that?",
        "Participant: The council, mostly.",
        "Interview_P3.docx\tPage 2 of 2\t12.03.2024",
    ])
    t, _ = parse_transcript(data, "P3.docx")
    check(t)
    assert t.format == "docx"
    assert _said(t) == [
        ("Ruth", "Could you start with your role on the board?"),
        ("Participant", "Sure. I chair the network, so I'm one of the two\nvoluntary-sector members."),
        ("Ruth", "And who decided that?"),
        ("Participant", "The council, mostly."),
    ]
    assert "Page 1 of 2" not in t.text
