"""Sentence units that hold on real speech: the splitter on three real transcripts, against counts
made by reading the turns, and the abbreviation rule case by case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qualcode.domain.transcript import Transcript
from qualcode.reliability.segments import sentence_spans

PARLIAMENT = "01_ukparl_scitech-committee_2014-06-18_social-media-data_Q1-79.txt"
INQUIRY = "05_uk-covid-inquiry_m1_2023-07-13_marcus-bell_equality-hub.txt"
USER_STUDY = "09_pdpilot-user-study_P1.txt"

# Sentences per turn, counted by hand (2026-12-07) by reading each turn's words:
# {file: {turn index: sentences}}. 45 sentences in 16 turns.
HAND_COUNTED = {
    USER_STUDY: {0: 2, 1: 1, 2: 3, 3: 2, 4: 1, 5: 1, 6: 1, 7: 1, 8: 2},  # "Okay. Okay. So my first ..."
    INQUIRY: {20: 5, 21: 1, 22: 2, 23: 2},
    PARLIAMENT: {10: 3, 11: 16, 12: 2},  # 11: four paragraphs of Timo Hannay's answer
}


def realworld() -> Path:
    env = os.environ.get("QUALCODE_SHARED")
    shared = Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared"
    folder = shared / "realworld" / "transcripts"
    if not folder.is_dir():
        reason = f"real-world transcripts not found at {folder} (set QUALCODE_SHARED to the shared folder)"
        print(reason)
        pytest.skip(reason)
    return folder


def sentences_in(t: Transcript, spans, turn) -> list[str]:
    return [t.text[s:e] for s, e in spans if s >= turn.text_start and e <= turn.end]


@pytest.mark.parametrize("name", sorted(HAND_COUNTED))
def test_hand_counted_turns_of_real_transcripts(name):
    from qualcode.formats.transcripts import read_transcript

    t, _ = read_transcript(realworld() / name)
    spans = sentence_spans(t)
    got = {i: len(sentences_in(t, spans, t.turns[i])) for i in HAND_COUNTED[name]}
    assert got == HAND_COUNTED[name]


def test_real_speech_no_so_and_cut_off_words_end_sentences():
    from qualcode.formats.transcripts import read_transcript

    folder = realworld()
    t, _ = read_transcript(folder / USER_STUDY)
    texts = [t.text[s:e] for s, e in sentence_spans(t)]
    assert "I think I." in texts and "So I wasn't." in texts
    assert "No." in texts  # "No. I don't know ..." is two sentences
    assert not any(x.startswith("No. I don't know") for x in texts)
    inquiry, _ = read_transcript(folder / INQUIRY)
    joined = [inquiry.text[s:e] for s, e in sentence_spans(inquiry)]
    assert any("the No. 10 disability" in x for x in joined)  # No. before a number is an abbreviation


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(Transcript("x", text, []))]


@pytest.mark.parametrize("text, expected", [
    ("No. It's attendance that counts.", ["No.", "It's attendance that counts."]),
    ("we didn't, no. So that was that.", ["we didn't, no.", "So that was that."]),
    ("Very much so. If we look at it.", ["Very much so.", "If we look at it."]),
    ("Uh. yeah, we did.", ["Uh.", "yeah, we did."]),
    ("See No. 10 on the list. Then stop.", ["See No. 10 on the list.", "Then stop."]),
    ("It is on p. 241 of the report.", ["It is on p. 241 of the report."]),
    ("I met Mr. Smith and Dr. Jones today.", ["I met Mr. Smith and Dr. Jones today."]),
    ("She asked the Dr. he said no.", ["She asked the Dr.", "he said no."]),
    ("Take e.g. London or i.e. Leeds.", ["Take e.g. London or i.e. Leeds."]),
    ("Forms, papers etc. and more. Done.", ["Forms, papers etc. and more.", "Done."]),
    ("Forms, papers etc. Then we left.", ["Forms, papers etc.", "Then we left."]),
    ("J. Smith chaired it. Yes.", ["J. Smith chaired it.", "Yes."]),
    ("Did you? and then what... nothing.", ["Did you? and then what... nothing."]),
    ("It was the U.K. government.", ["It was the U.K. government."]),
])
def test_abbreviations_only_where_the_next_token_shows_them(text, expected):
    assert split(text) == expected
