"""Reconstructed layouts: Otter, Zoom and Teams WebVTT, Zoom saved captions, SubRip."""

from __future__ import annotations

import pytest

from qualcode.errors import FormatError
from qualcode.formats.transcripts import parse_transcript, read_transcript


def test_otter_with_timestamps(fixture, check, said):
    t, _ = read_transcript(fixture("otter_timestamps.txt"))
    check(t)
    assert t.format == "otter"
    assert said(t) == [
        ("Ruth Adebayo", "Thanks for making time. Could you start with your role on the partnership board?"),
        ("Tom Keane", "Sure. I chair the community empowerment network, so I sit on the LSP board as one of "
                      "the two VCS reps.\nThat was back in 2004."),
        ("Ruth Adebayo", "Last question, then."),
    ]
    assert [x.timestamp for x in t.turns] == [4.0, 11.0, 3765.0]
    assert t.text.startswith("Ruth Adebayo: Thanks for making time.")
    assert "\n\nTom Keane: Sure." in t.text
    assert t.turn_at(t.text.index("Transcribed by")) is None


OTTER_PLAIN = (  # built here: the two trailing spaces after each name are the layout
    "Ruth Adebayo  \nThanks for making time.\n\nTom Keane  \nSure.\n\n"
    "Ruth Adebayo  \nAnd who decided that?\n\nSpeaker 3  \nIt was the council.\n"
)


def test_otter_without_timestamps(check):
    t, _ = parse_transcript(OTTER_PLAIN.encode(), "otter_plain.txt")
    check(t)
    assert t.format == "otter"
    assert [(x.speaker, x.timestamp) for x in t.turns] == [
        ("Ruth Adebayo", None), ("Tom Keane", None), ("Ruth Adebayo", None), ("Speaker 3", None)
    ]
    assert t.turns[3].role is None


def test_zoom_vtt_merges_cues_and_unescapes(fixture, check, said):
    t, problems = read_transcript(fixture("zoom.vtt"))
    check(t)
    assert t.format == "zoom-vtt"
    assert t.text == (
        "Ruth Adebayo: Thanks for making time. Could you start with your role on the partnership board?\n\n"
        "Tom Keane: Sure. I chair the community empowerment network. It's been a while & a half.\n\n"
        "Ruth Adebayo: Last question, then.\n"
    )
    assert [x.timestamp for x in t.turns] == [4.11, 11.3, 62.45]
    assert [(x.start, x.text_start) for x in t.turns][0] == (0, len("Ruth Adebayo: "))
    assert problems == []


def test_zoom_vtt_unattributed_captions_stay_outside_turns(check):
    data = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nRuth: Hello there.\n\n"
        "2\n00:00:02.100 --> 00:00:03.000\nsomething nobody claimed\n\n"
        "3\n00:00:04.000 --> 00:00:05.000\nTom: Hi.\n\n4\n00:00:06.000 --> 00:00:07.000\nRuth: Bye.\n"
    ).encode()
    t, problems = parse_transcript(data, "z.vtt")
    check(t)
    assert [x.speaker for x in t.turns] == ["Ruth", "Tom", "Ruth"]
    assert t.turn_at(t.text.index("something nobody")) is None
    assert any("name no speaker" in p.message for p in problems)


def test_teams_vtt_guid_ids_voice_tags_entities_and_directory_names(fixture, check, said):
    t, _ = read_transcript(fixture("teams.vtt"))
    check(t)
    assert t.format == "teams-vtt"
    assert said(t) == [
        ("Ruth Adebayo", "Thanks for making time. Could you start with your role?"),
        ("Tom Keane", "Sure. I chair the community empowerment network & sit on the board. We're one of two VCS reps."),
        ("Ruth Adebayo", "Thank you."),
    ]
    assert t.turns[1].label == "Keane, Tom"
    assert "<v" not in t.text and "&amp;" not in t.text and "6b1f0d2e" not in t.text
    assert t.turns[1].timestamp == 11.3


def test_older_teams_vtt_without_guid_or_closing_tag(fixture, check, said):
    t, _ = read_transcript(fixture("teams_old.vtt"))
    check(t)
    assert t.format == "teams-vtt"
    assert said(t) == [("Ruth Adebayo", "Thanks for making time."), ("Tom Keane", "Sure, I chair the network. Since 2004.")]


def test_vtt_note_block_is_metadata(fixture):
    t, _ = read_transcript(fixture("note.vtt"))
    assert t.metadata == {"title": "Partnership board interview 3", "date": "2024-03-14", "interviewer": "Ruth Adebayo"}
    assert [(x.speaker, x.role) for x in t.turns] == [("Ruth Adebayo", "interviewer"), ("Tom Keane", "respondent")]
    assert "NOTE" not in t.text


def test_vtt_two_voices_in_one_cue_and_short_times(check):
    data = (
        "WEBVTT\n\n00:01.000 --> 00:04.000\n<v.loud Ruth>Hi <i>there</i>.</v> <v Tom>Hello.</v>\n\n"
        "00:05.000 --> 00:06.000\n<v Ruth>Bye.\n"
    ).encode()
    t, _ = parse_transcript(data, "two.vtt")
    check(t)
    assert [(x.speaker, x.timestamp) for x in t.turns] == [("Ruth", 1.0), ("Tom", 1.0), ("Ruth", 5.0)]
    assert t.text.startswith("Ruth: Hi there.\n\nTom: Hello.")


def test_srt_with_speaker_prefixes(fixture, check, said):
    t, _ = read_transcript(fixture("speakers.srt"))
    check(t)
    assert t.format == "srt"
    assert said(t) == [
        ("Ruth Adebayo", "Thanks for making time. Could you start with your role?"),
        ("Tom Keane", "Sure, I chair the network."),
    ]
    assert [x.timestamp for x in t.turns] == [4.11, 11.3]


def test_srt_dashes_are_separate_unnamed_speakers(fixture, check):
    t, problems = read_transcript(fixture("dashes.srt"))
    check(t)
    assert [x.speaker for x in t.turns] == ["Ruth Adebayo"]
    assert t.text == (
        "Ruth Adebayo: Thanks for making time.\n\nCould you start with your role?\n\nSure, I chair the network.\n"
    )
    assert problems and "no speaker" in problems[0].message


SRT_NAMED_ON_FIRST_CUE = """1
00:00:04,110 --> 00:00:07,980
José Núñez: Thanks for making time. Could you start with

2
00:00:08,010 --> 00:00:09,240
your role on the partnership board?

3
01:02:11,300 --> 01:02:16,920
Zoë O'Brien: Sure. I chair the network, so I sit

4
01:02:17,000 --> 01:02:19,000
on the board as a voluntary-sector rep.
"""


def test_srt_cue_without_a_name_continues_the_previous_speaker(check, said):
    t, problems = parse_transcript(SRT_NAMED_ON_FIRST_CUE.encode(), "named_once.srt")
    check(t)
    assert said(t) == [
        ("José Núñez", "Thanks for making time. Could you start with your role on the partnership board?"),
        ("Zoë O'Brien", "Sure. I chair the network, so I sit on the board as a voluntary-sector rep."),
    ]
    assert [x.timestamp for x in t.turns] == [4.11, 3731.3]
    assert problems == []


def test_srt_cue_without_a_name_before_any_name_stays_outside_turns(check):
    data = "1\n00:00:01,000 --> 00:00:02,000\n[music] Welcome.\n\n" + SRT_NAMED_ON_FIRST_CUE.replace(
        "1\n00:00:04", "9\n00:00:04", 1)
    t, problems = parse_transcript(data.encode(), "intro.srt")
    check(t)
    assert [x.speaker for x in t.turns] == ["José Núñez", "Zoë O'Brien"]
    assert t.turn_at(t.text.index("Welcome")) is None
    assert any("name no speaker" in p.message for p in problems)


def _srt(*cues: tuple[str, str]) -> bytes:
    """SubRip bytes from (timing, text) cues, numbered from 1."""
    return "\n".join(f"{i}\n{timing}\n{text}\n" for i, (timing, text) in enumerate(cues, 1)).encode()


def test_srt_cue_naming_two_speakers_is_two_turns(check, said):
    t, _ = parse_transcript(_srt(
        ("00:00:04,110 --> 00:00:07,980", "José Núñez: Was there a written plan?"),
        ("00:00:08,010 --> 00:00:09,240", "José Núñez: And did you?\nZoë O'Brien: No. Well, a draft one, in June."),
    ), "two_names.srt")
    check(t)
    assert said(t) == [
        ("José Núñez", "Was there a written plan? And did you?"),
        ("Zoë O'Brien", "No. Well, a draft one, in June."),
    ]
    assert t.turns[1].timestamp == 8.01


def test_srt_second_line_that_is_not_a_name_stays_in_the_turn(said):
    t, _ = parse_transcript(_srt(("00:00:01,000 --> 00:00:03,000", "José Núñez: The rule was\nno idea: no money.")),
                            "colon.srt")
    assert said(t) == [("José Núñez", "The rule was no idea: no money.")]


def test_srt_bracket_names_and_tags(check):
    data = (
        "1\n00:00:01,000 --> 00:00:02,000\n[Ruth] <i>Hello.</i>\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n[Tom] Hi.\n"
    ).encode()
    t, _ = parse_transcript(data, "b.srt")
    check(t)
    assert t.text == "Ruth: Hello.\n\nTom: Hi.\n"


def test_format_is_detected_from_content_not_extension():
    vtt = b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nRuth: Hello.\n"
    assert parse_transcript(vtt, "actually.txt")[0].format == "zoom-vtt"
    srt = b"1\n00:00:01,000 --> 00:00:02,000\nRuth: Hello.\n"
    assert parse_transcript(srt, "captions.vtt")[0].format == "srt"
    text = b"Q: Hello?\nA: Hi.\n"
    assert parse_transcript(text, "labelled.srt")[0].format == "text"


def test_vtt_without_cues_is_an_error():
    with pytest.raises(FormatError) as info:
        parse_transcript(b"WEBVTT\n\nNOTE nothing here\n", "empty.vtt")
    assert "empty.vtt" in str(info.value) and "no cues" in str(info.value)


def test_annotation_cues_are_not_unattributed_speech():
    from qualcode.formats.transcripts import parse_transcript

    data = (b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n[music]\n\n"
            b"2\n00:00:03.000 --> 00:00:05.000\nRuth Adebayo: Hello there.\n\n"
            b"3\n00:00:06.000 --> 00:00:08.000\nsome words nobody claimed\n")
    transcript, problems = parse_transcript(data, "x.vtt")
    assert [p.message for p in problems] == ["1 of 3 captions name no speaker; their text is kept as paragraphs outside any turn"]
    assert "[music]" in transcript.text


# Zoom's "Save captions" file (meeting_saved_closed_caption.txt), current clients: "[Name] HH:MM:SS" on
# its own line, the caption below, a blank line between captions; one utterance is cut into several
# captions. Made up here in that layout.
ZOOM_CAPTIONS = """\
[Ruth Adebayo] 10:15:32
Thanks for making time. Could you start with your role

[Ruth Adebayo] 10:15:36
on the partnership board?

[Tom Keane] 10:15:41
Sure. I chair the community empowerment network,
so I sit on the board.

[Ruth Adebayo] 10:16:02
Who decided that?

[Tom Keane] 10:16:05
The council, mostly.

[Ruth Adebayo] 10:16:20
And how did that feel?

[Tom Keane] 10:16:24
Like an afterthought.
"""


def test_zoom_saved_captions_are_turns_with_speakers(check, said):
    t, problems = parse_transcript(ZOOM_CAPTIONS.encode(), "meeting_saved_closed_caption.txt")
    check(t)
    assert t.format == "zoom-txt"
    assert said(t) == [
        ("Ruth Adebayo", "Thanks for making time. Could you start with your role on the partnership board?"),
        ("Tom Keane", "Sure. I chair the community empowerment network, so I sit on the board."),
        ("Ruth Adebayo", "Who decided that?"),
        ("Tom Keane", "The council, mostly."),
        ("Ruth Adebayo", "And how did that feel?"),
        ("Tom Keane", "Like an afterthought."),
    ]
    assert "[Ruth Adebayo]" not in t.text and "10:15:32" not in t.text
    assert t.text.startswith("Ruth Adebayo: Thanks for making time.")
    assert [x.timestamp for x in t.turns][:2] == [10 * 3600 + 15 * 60 + 32, 10 * 3600 + 15 * 60 + 41]  # clock time
    # the one asking is proposed as the interviewer (a note to confirm), the other answers
    assert {x.speaker: x.role for x in t.turns} == {"Ruth Adebayo": "interviewer", "Tom Keane": "respondent"}
    assert [p.message.split(" was taken")[0] for p in problems] == ["'Ruth Adebayo'"]


def test_zoom_saved_captions_older_from_lines(check, said):
    data = (
        "10:15:32 From Ruth Adebayo : Thanks for making time. Could you start with your role?\n"
        "10:15:41 From  Tom Keane  : Sure. I chair the network: the community one.\n"
        "10:15:44 From Tom Keane : It's been a while.\n"
        "10:15:50 (inaudible)\n"
        "02:16:02 PM From Ruth Adebayo to Everyone: And who decided that?\n"
        "\tThe council?\n"
    ).encode()
    t, _ = parse_transcript(data, "closed_caption.txt")
    check(t)
    assert t.format == "zoom-txt"
    assert said(t) == [
        ("Ruth Adebayo", "Thanks for making time. Could you start with your role?"),
        ("Tom Keane", "Sure. I chair the network: the community one. It's been a while."),
        ("Ruth Adebayo", "And who decided that? The council?"),
    ]
    assert t.turn_at(t.text.index("(inaudible)")) is None  # a caption nobody was named for
    assert t.turns[2].timestamp == 14 * 3600 + 16 * 60 + 2


def test_bracketed_times_before_labels_are_still_labelled_text():
    data = b"[00:04:10] Interviewer: And monitoring?\n[00:04:13] Respondent: We started in 2006.\n"
    assert parse_transcript(data, "t.txt")[0].format == "text"
