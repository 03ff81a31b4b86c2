"""The Suggester end to end on a small project: cold start, learning, decisions, bad input."""

from __future__ import annotations

import pytest

from suggest_helpers import span
from qualcode.domain.transcript import Transcript
from qualcode.suggest import rejections
from qualcode.suggest.engine import SuggestionEngine
from qualcode.suggest.suggestion import LEARNED, RULES, SIMILAR, Suggester, Suggestion, uncertainty


def _by_quote(suggestions):
    return {s.quote: s for s in suggestions}


def test_cold_start_uses_the_codebook_and_says_which_codes_it_cannot_help_with(sproject, pipeline):
    engine = SuggestionEngine(sproject, "ann")
    assert isinstance(engine, Suggester)
    found = engine.suggest(sproject.transcript("int-a"))
    assert found and all(isinstance(s, Suggestion) for s in found)
    mon = [s for s in found if s.code == "monitoring" and s.suggested]
    assert mon and mon[0].quote == "Yes. We hand out monitoring forms to everyone on the board."
    assert mon[0].scorers[0] == RULES and mon[0].reasons[0] == "matches 'monitoring form'"
    assert not any(s.code == "silent" and s.suggested for s in found)
    for s in found:  # nothing measured yet (fixed priors): "low" whatever p, and said why
        assert s.basis == "fixed priors" and s.confidence == "low"
    notes = engine.notes()
    assert any("'silent'" in n and "no keywords" in n for n in notes)  # its name's words are nowhere
    assert not any("'monitoring'" in n for n in notes)
    # interviewer questions are never candidates by default
    t = sproject.transcript("int-a")
    for s in found:
        assert t.turns[s.turn].role == "respondent"
        assert t.text[s.start:s.end] == s.quote


def test_a_coding_no_candidate_covers_is_named_in_the_notes(sproject, pipeline):
    session = sproject.session("ann")
    session.add("int-a", *span(sproject, "int-a", "We hand out monitoring forms to everyone on the board."), "monitoring")
    session.add("int-a", *span(sproject, "int-a", "Do you monitor the ethnicity of your members?"), "monitoring")
    engine = SuggestionEngine(sproject, "ann")
    notes = engine.notes()
    said = [n for n in notes if "cover no candidate passage" in n]
    assert said and said[0].startswith("1 of your 2 coding(s)") and "--include-interviewer" in said[0]
    assert not any("cover no candidate" in n for n in SuggestionEngine(sproject, "ann", include_interviewer=True).notes())


def test_codes_filter_and_ordering(sproject, pipeline):
    engine = SuggestionEngine(sproject, "ann")
    found = engine.suggest(sproject.transcript("int-b"), codes=["jobs", "nonexistent"])
    assert {s.code for s in found} == {"jobs"}
    flags = [s.suggested for s in found]
    assert flags == sorted(flags, reverse=True)  # suggested ones first
    scores = [s.score for s in found if s.suggested]
    assert scores == sorted(scores, reverse=True)


def test_text_without_punctuation_gets_window_sized_suggestions(sproject, pipeline):
    engine = SuggestionEngine(sproject, "ann")
    found = [s for s in engine.suggest(sproject.transcript("int-raw")) if s.code == "monitoring"]
    assert found
    assert 15 <= len(found[0].quote.split()) <= 40
    # "we never really did any ethnic monitoring": the window is the best candidate; the negated keyword
    # counts for half (a topic code: the passage is about monitoring, less surely) and says so
    assert "ethnic monitoring" in found[0].quote
    assert "matches 'ethnic monitoring (negated)'" in found[0].reasons
    assert 0 < found[0].parts[RULES] < 0.5


def test_learning_from_codings_and_rejections(sproject, pipeline):
    session = sproject.session("ann")
    session.add("int-a", *span(sproject, "int-a", "We hand out monitoring forms to everyone on the board."), "monitoring")
    session.add("int-a", *span(sproject, "int-a", "The outcomes matter more than who gets the money."), "outcomes")
    session.add("int-a", *span(sproject, "int-a", "Half the town lost their jobs when the factory closed."), "jobs")
    engine = SuggestionEngine(sproject, "ann")
    b = sproject.transcript("int-b")
    found = engine.suggest(b)
    mon = _by_quote(s for s in found if s.code == "monitoring")[
        "No, we have never done ethnic monitoring of the board at all."]
    # "never done ethnic monitoring": the keyword is negated, so it counts for less and says so; the
    # passage is still about monitoring (a topic code with no negative sibling)
    assert "matches 'ethnic monitoring (negated)'" in mon.reasons
    assert {RULES, LEARNED, SIMILAR} <= set(mon.parts)
    assert engine.learned.models["monitoring"].positives == 2  # the coding and the codebook's example
    jobs = _by_quote(s for s in found if s.code == "jobs")[
        "My brothers both lost their jobs at the mill in the nineties."]
    assert any(r.startswith("learned from your 1 coded passage: ") for r in jobs.reasons)
    assert {RULES, LEARNED, SIMILAR} <= set(jobs.scorers)
    assert jobs.weights and abs(sum(jobs.weights.values()) - 1) < 1e-6
    alone = SuggestionEngine(sproject, "ann", scorers=(SIMILAR,))  # similarity alone: which coding is it like?
    like = {s.reasons[0] for s in alone.suggest(b, ["jobs"]) if s.scorers and s.scorers[0] == SIMILAR}
    assert like & {"like your coding in Case A, turn 6", 'like the codebook example "Half the street lost their jobs."'}
    # what is coded already is not suggested again for the same code
    a_found = engine.suggest(sproject.transcript("int-a"))
    assert not any(s.code == "monitoring" and s.quote.startswith("We hand out") for s in a_found)
    # a rejection is durable, never in the journal, and the engine retrains on it at once
    rejections.record(sproject.codings_dir, "ann", transcript="int-b", start=mon.start, end=mon.end,
                      code="monitoring", text=b.text, th=b.hash)
    again = engine.suggest(b)
    assert not any(s.code == "monitoring" and s.start == mon.start for s in again)
    assert engine.rejected and engine.learned.models["monitoring"].rejections == 1
    journal = (sproject.codings_dir / "ann.jsonl").read_text()
    assert "rejection" not in journal and journal.count('"op":"add"') == 3


def test_a_configured_pipeline_that_is_missing_is_reported_and_replaced(sproject, pipeline):
    sproject.config.nlp_pipeline = "xx_not_installed_pipeline"
    engine = SuggestionEngine(sproject, "ann")
    assert engine.suggest(sproject.transcript("int-a"))
    notes = engine.notes()
    assert "xx_not_installed_pipeline" in notes[0] and "blank English" in notes[0]


def test_empty_and_outside_transcripts(sproject, pipeline):
    engine = SuggestionEngine(sproject, "ann")
    assert engine.suggest(Transcript(id="empty", text="")) == []
    loose = Transcript(id="loose", text="We started ethnic monitoring here last year. The outcomes mattered.")
    found = engine.suggest(loose)
    assert {s.code for s in found if s.suggested} >= {"monitoring"}


def test_adjacent_sentences_with_the_same_code_are_merged(sproject, pipeline):
    engine = SuggestionEngine(sproject, "ann")
    text = ("R: We did ethnic monitoring of the board. Then ethnic monitoring of every group. "
            "The bus was late.")
    from qualcode.domain.transcript import Turn

    t = Transcript(id="merge", text=text, turns=[Turn("R", 0, len(text), 3, role="respondent")])
    mon = [s for s in engine.suggest(t, ["monitoring"]) if s.suggested]
    assert len(mon) == 1
    assert mon[0].quote == "We did ethnic monitoring of the board. Then ethnic monitoring of every group."


def test_uncertainty():
    assert uncertainty(0.5, 0.5) == 1.0 and uncertainty(1.0, 0.5) == 0.0 and uncertainty(0.0, 0.5) == 0.0
    assert 0 < uncertainty(0.3, 0.5) < 1


def test_reasons_name_a_transcript_by_its_title_only_where_the_title_tells_it_apart(sproject):
    """"like your coding in LSP C, turn 14"; but where every title starts "PDPilot user study: ...",
    the reason says "P3", not a name all seven transcripts share."""
    from types import SimpleNamespace

    engine = SuggestionEngine(sproject, "ann")
    titled = lambda title: SimpleNamespace(metadata={"title": title})  # noqa: E731
    engine.transcripts = {"P1": titled("PDPilot user study: interview with P1"),
                          "P2": titled("PDPilot user study: interview with P2"),
                          "lsp-c": titled("LSP C: interview with the coordinator"), "x": titled("")}
    engine._corpus_key = ("four transcripts",)
    assert engine._short_names() == {"P1": "P1", "P2": "P2", "lsp-c": "LSP C", "x": "x"}
