"""The pipeline (offline, lower-cased lemmas, fallback) and candidate segmentation."""

from __future__ import annotations

import re

from qualcode.domain.transcript import Transcript, Turn
from qualcode.suggest import segments as seg_mod
from qualcode.suggest.pipeline import BLANK, load_pipeline
from qualcode.suggest.segments import overlaps_enough, paragraphs, segment_transcript


def test_blank_pipeline_lemmas_are_lower_cased_lookups(nlp):
    doc = nlp("The Managers were losing their JOBS. Monitoring forms went out.")
    lemmas = [t.lemma_ for t in doc if not t.is_punct]
    assert lemmas[:5] == ["the", "manager", "be", "lose", "their"]
    assert "job" in lemmas and "form" in lemmas
    assert len(list(doc.sents)) == 2


def test_configured_pipeline_that_is_not_installed_falls_back_with_a_clear_warning(monkeypatch):
    import spacy.cli

    def no_download(*args, **kwargs):  # nothing may ever be downloaded
        raise AssertionError("tried to download a model")

    monkeypatch.setattr(spacy.cli, "download", no_download)
    pipe = load_pipeline("en_core_web_nonexistent_sm")
    assert pipe.name == BLANK
    assert "en_core_web_nonexistent_sm" in pipe.warnings[0]
    assert "not installed" in pipe.warnings[0] and "never downloads" in pipe.warnings[0]
    assert [t.lemma_ for t in pipe.nlp("Forms")] == ["form"]


def _transcript(text: str, turns: list[Turn], tid: str = "t") -> Transcript:
    return Transcript(id=tid, text=text, turns=turns)


def _labelled(*pairs: tuple[str, str, str]) -> Transcript:
    """A transcript from (speaker, role, said) triples, one paragraph each."""
    text, turns = "", []
    for speaker, role, said in pairs:
        start = len(text)
        text += f"{speaker}: "
        text_start = len(text)
        text += said
        turns.append(Turn(speaker, start, len(text), text_start, role=role))
        text += "\n\n"
    return _transcript(text, turns)


def test_segments_are_respondent_sentences_with_exact_offsets(nlp):
    t = _labelled(("I", "interviewer", "Do you monitor members? Tell me."),
                  ("R", "respondent", "Yes, we do that every year. The board fills in the form.\n\nIt took two years."))
    segs = segment_transcript(nlp, t)
    quotes = [t.text[s.start:s.end] for s in segs]
    assert quotes == ["Yes, we do that every year.", "The board fills in the form.", "It took two years."]
    assert all(s.role == "respondent" and s.turn == 1 for s in segs)
    assert segs[0].context == "do you monitor member tell me"  # the question is the context
    assert segs[1].lemmas == "the board fill in the form"
    with_questions = segment_transcript(nlp, t, include_interviewer=True)
    assert [t.text[s.start:s.end] for s in with_questions][0] == "Do you monitor members? Tell me."


def test_very_short_sentences_join_the_next_one(nlp):
    t = _labelled(("R", "respondent", "No. We haven't got any reserved seats. Right."))
    quotes = [t.text[s.start:s.end] for s in segment_transcript(nlp, t)]
    assert quotes == ["No. We haven't got any reserved seats. Right."]


def test_text_without_punctuation_is_cut_into_windows_of_about_25_to_30_words(nlp):
    words = ("so we have the board and then the theme groups and we never really did any monitoring "
             "because nobody asked and the council said it was fine ").split()
    said = " ".join(words * 8)  # about 200 words, no punctuation at all
    t = _labelled(("R", "respondent", said))
    segs = segment_transcript(nlp, t)
    sizes = [s.words for s in segs]
    assert len(segs) >= 6
    assert all(20 <= n <= 36 for n in sizes), sizes
    # windows tile the turn: no gaps with words in them, no overlaps
    for a, b in zip(segs, segs[1:]):
        assert a.end <= b.start and not re.search(r"\w", t.text[a.end:b.start])


def test_no_turns_means_one_region_and_empty_text_means_no_segments(nlp):
    plain = _transcript("First sentence here today. Second sentence follows it.", [])
    assert len(segment_transcript(nlp, plain)) == 2
    assert segment_transcript(nlp, _transcript("", [])) == []
    assert segment_transcript(nlp, _transcript("   \n\n  ", [])) == []


def test_long_text_before_the_first_turn_is_a_candidate_but_a_header_is_not(nlp):
    # a comment dump exported from NVivo: one "speaker" label detected 7,000 words in; the coder
    # coded the comments before it (real case: nvivo-win-12.6_oltas.qdpx)
    comments = " ".join(f"Comment {i}: the vaccine mandate is unfair and nobody asked us about it." for i in range(20))
    header = "Oral evidence. Witnesses: Professor A, Dr B.\n\n"
    body = "PSZ: One turn that was taken for a speaker label.\n\n"
    for pre, expect in ((comments + "\n\n", True), (header, False)):
        t = _transcript(pre + body, [Turn("PSZ", len(pre), len(pre + body) - 2, len(pre) + 5)])
        segs = segment_transcript(nlp, t)
        before = [s for s in segs if s.end <= len(pre)]
        assert bool(before) is expect, pre[:40]
        assert all(s.turn is None and s.role is None for s in before)
        assert t.text[segs[-1].start:segs[-1].end] == "One turn that was taken for a speaker label."


def test_non_english_words_and_unicode_keep_offsets(nlp):
    t = _labelled(("R", "respondent", "Wir haben keine Daten, ehrlich gesagt. 我们没有数据 🙂 at all, none."))
    segs = segment_transcript(nlp, t)
    assert segs
    for s in segs:
        assert t.text[s.start:s.end].strip() == t.text[s.start:s.end]
        assert s.lemmas


def test_paragraphs_and_overlap_rule():
    text = "one\n\n two \n \n\nthree"
    assert [text[s:e].strip() for s, e in paragraphs(text, 0, len(text))] == ["one", "two", "three"]
    assert overlaps_enough(0, 10, 5, 100)        # half of the shorter (10) overlaps
    assert not overlaps_enough(0, 10, 6, 100)    # 4 of 10
    assert overlaps_enough(0, 100, 40, 50)       # contained
    assert not overlaps_enough(0, 0, 0, 10)      # empty
    assert seg_mod.MAX_WORDS >= seg_mod.WINDOW
