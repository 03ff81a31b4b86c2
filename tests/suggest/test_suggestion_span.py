"""Accepting a suggestion codes whole sentences: a long sentence is scored in windows, and a window
cut mid-clause made a broken quotation (an outside tester coded "...for us the confidence and")."""

from qualcode.domain.transcript import Transcript, Turn
from qualcode.suggest.suggestion import Suggestion, coding_span

LONG = ("Well, I think the practical side matters a great deal, but I would say that for us the confidence and "
        "trust of the users who ultimately provide this information is paramount. Next sentence here.")


def _t() -> Transcript:
    text = "Chair: Why?\n\nWitness: " + LONG + "\n"
    start = text.index("Witness")
    return Transcript(id="h", text=text, turns=[Turn("Chair", 0, 11, 7, role="interviewer"),
                                                Turn("Witness", start, len(text) - 1, start + 9, role="respondent")])


def _s(t: Transcript, quote: str, **kw) -> Suggestion:
    start = t.text.index(quote)
    return Suggestion(transcript="h", start=start, end=start + len(quote), code="c", score=0.5, **kw)


def test_a_window_ending_mid_clause_is_coded_as_its_whole_sentence():
    t = _t()
    s, e = coding_span(t, _s(t, "but I would say that for us the confidence and"))
    assert t.text[s:e] == LONG[:LONG.index(" Next")]


def test_a_whole_sentence_is_coded_as_shown_and_a_short_answer_without_its_question():
    """A short answer is scored (and shown) with its question; accepting it codes the respondent's
    words only: never the interviewer's question or the answer's speaker label."""
    t = _t()
    whole = _s(t, "Next sentence here.")
    assert coding_span(t, whole) == (whole.start, whole.end)
    shown = _s(t, "Why?\n\nWitness: Well", question="Why?")
    s, e = coding_span(t, shown)
    assert t.text[s:e] == "Well,"  # whole words (the shown passage ended inside one)
