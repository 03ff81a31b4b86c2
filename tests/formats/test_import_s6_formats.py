"""Transcript layouts from the outside tester (s6)."""

from qualcode.formats.transcripts import parse_transcript


def _said(t):
    return [(x.speaker, x.timestamp, t.text[x.text_start:x.end]) for x in t.turns]


def test_bare_timestamps_at_line_start_are_read_like_bracketed_ones():
    bare = ("00:00:05 Interviewer: How are ethnic minority residents represented on the board?\n"
            "00:00:12 Respondent: Through the BME forum, mainly. It has one seat.\n"
            "01:02 Interviewer: And monitoring?\n"
            "01:05 Respondent: We started collecting ethnicity data in 2006.\n")
    bracketed = bare.replace("00:00:05 ", "[00:00:05] ").replace("00:00:12 ", "[00:00:12] ") \
        .replace("01:02 ", "[01:02] ").replace("01:05 ", "[01:05] ")
    t, warnings = parse_transcript(bare.encode(), "stamps_nobracket.txt")
    assert not [w for w in warnings if "no speaker labels" in w.message]
    assert _said(t) == [
        ("Interviewer", 5.0, "How are ethnic minority residents represented on the board?"),
        ("Respondent", 12.0, "Through the BME forum, mainly. It has one seat."),
        ("Interviewer", 62.0, "And monitoring?"),
        ("Respondent", 65.0, "We started collecting ethnicity data in 2006."),
    ]
    assert t.text.startswith("00:00:05 Interviewer: How are")  # the stored text is the file's, stamps kept
    b, _ = parse_transcript(bracketed.encode(), "stamps.txt")
    assert _said(b) == _said(t)


def test_a_clock_time_inside_a_sentence_is_not_a_label():
    text = ("Interviewer: When do you meet?\n\nRespondent: Monthly, at 10:30 most times.\n\n"
            "Interviewer: And the agenda?\n\nRespondent: Set by the chair.\n")
    t, _ = parse_transcript(text.encode(), "plain.txt")
    assert [x.speaker for x in t.turns] == ["Interviewer", "Respondent", "Interviewer", "Respondent"]


def test_classic_teams_layout_saved_as_text_names_its_speakers():
    text = ("0:0:4.110 --> 0:0:7.980\nRuth Adebayo\nThanks for making time.\n\n"
            "0:0:11.300 --> 0:0:16.920\nTom Keane\nSure.\n")
    t, warnings = parse_transcript(text.encode(), "teams_classic.txt")
    assert not warnings
    assert _said(t) == [("Ruth Adebayo", 4.11, "Thanks for making time."), ("Tom Keane", 11.3, "Sure.")]
    assert "Ruth Adebayo Thanks" not in t.text


def test_webvtt_cues_of_two_lines_stay_webvtt():
    text = ("WEBVTT\n\n1\n00:00:04.110 --> 00:00:07.980\nRuth Adebayo: Thanks for making time.\n\n"
            "2\n00:00:11.300 --> 00:00:16.920\nTom Keane: Sure.\n")
    t, _ = parse_transcript(text.encode(), "zoom.vtt")
    assert t.format == "zoom-vtt" and [x.speaker for x in t.turns] == ["Ruth Adebayo", "Tom Keane"]


def test_srt_warning_counts_the_captions_that_name_no_speaker():
    text = ("1\n00:00:04,110 --> 00:00:07,980\nThanks for making time.\n\n"
            "2\n00:00:08,110 --> 00:00:10,980\nSure, I chair the network.\n\n"
            "3\n00:00:30,000 --> 00:00:31,000\n- Why?\n- Because.\n")
    t, warnings = parse_transcript(text.encode(), "nospk.srt")
    said = [w.message for w in warnings if "caption" in w.message]
    assert said and said[0].startswith("3 of 3 captions name no speaker")
