"""A transcript's words are the words said: the same interview counts alike from every export format."""

from qualcode.formats.transcripts import parse_transcript

PLAIN = "Ruth Adebayo: We monitor ethnicity on the board.\n\nInterviewer: Since when?\n\nRuth Adebayo: Since 2004.\n"
STAMPED = ("[00:00:04] Ruth Adebayo: We monitor ethnicity on the board.\n\n[00:00:09] Interviewer: Since when?\n\n"
           "[00:00:11] Ruth Adebayo: Since 2004.\n")
SRT = ("1\n00:00:04,110 --> 00:00:07,980\nRuth Adebayo: We monitor ethnicity on the board.\n\n"
       "2\n00:00:09,010 --> 00:00:10,240\nInterviewer: Since when?\n\n"
       "3\n00:00:11,000 --> 00:00:12,000\nRuth Adebayo: Since 2004.\n")


def test_labels_and_timestamps_are_not_words_said():
    counts = {name: parse_transcript(text.encode(), name)[0].word_count
              for name, text in (("a.txt", PLAIN), ("b.txt", STAMPED), ("c.srt", SRT))}
    assert set(counts.values()) == {10}, counts  # "We monitor ... board" 6, "Since when" 2, "Since 2004" 2


def test_a_name_typed_with_a_curly_apostrophe_is_the_same_speaker():
    a = parse_transcript("Interviewer: Why?\n\nZoë O’Brien: Because.\n\nInterviewer: And?\n\nZoë O’Brien: So.\n".encode(), "a.txt")[0]
    b = parse_transcript("Interviewer: Why?\n\nZoë O'Brien: Because.\n\nInterviewer: And?\n\nZoë O'Brien: So.\n".encode(), "b.txt")[0]
    assert {t.speaker for t in a.turns} == {t.speaker for t in b.turns} == {"Interviewer", "Zoë O'Brien"}
