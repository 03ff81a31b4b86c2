"""The code picker's ranking, and long or adversarial queries (results asserted, never timings)."""

from __future__ import annotations

from qualcode.domain.codebook import Code, Codebook
from qualcode.tui.app import make_app
from qualcode.tui.rank import MAX_QUERY, Candidate, Ranker
from qualcode.tui.screens.picker import CodePicker, code_ranker
from tui_helpers import opened, span_of

BOOK = Codebook(name="Ranking", codes=[
    Code(id="meeting", name="Meeting culture, jargon and papers", keywords=["language barrier", "acronyms"]),
    Code(id="lang", name="Language and translation"),
    Code(id="monitoring", name="Ethnicity monitoring of members", keywords=["monitor", "records"]),
    Code(id="monitoring.none", name="No ethnicity monitoring", parent="monitoring"),
    Code(id="nrf", name="Neighbourhood Renewal Fund allocation", keywords=["funding"]),
    Code(id="plan", name="Planning", keywords=["language"]),
])


def ranked_ids(query, counts=None):
    return [r.candidate.key for r in code_ranker(BOOK, list(BOOK.walk()), counts or {}).rank(query)]


def test_lang_picks_the_code_named_language_over_a_keyword_match():
    ids = ranked_ids("lang")
    assert ids[0] == "lang"  # the id "lang" exactly, and the name starts with it
    assert ids.index("lang") < ids.index("meeting")
    # a name starting with the query beats the same query in a keyword, even when that code is used more
    assert ranked_ids("langu", {"meeting": 500, "plan": 300})[0] == "lang"


def test_exact_then_prefix_then_word_start_then_substring_then_fuzzy_then_use():
    ranker = Ranker([
        Candidate("fuzzy", "Monitroing, mispelt", use=1000),
        Candidate("inside", "Automonitoring", use=900),
        Candidate("word", "Ethnicity monitoring", use=800),
        Candidate("prefix", "Monitoring of members", use=1),
        Candidate("exact", "Monitoring", use=0),
    ])
    hits = ranker.rank("monitoring")
    assert [h.candidate.key for h in hits] == ["exact", "prefix", "word", "inside", "fuzzy"]
    assert [h.tier for h in hits] == [0, 1, 2, 3, 4]
    # within a tier, the more used first
    ranker = Ranker([Candidate("a", "Monitoring A", use=2), Candidate("b", "Monitoring B", use=9)])
    assert [h.candidate.key for h in ranker.rank("mon")] == ["b", "a"]


def test_words_of_the_query_start_words_of_the_name_in_order():
    assert ranked_ids("eth mon")[:2] == ["monitoring", "monitoring.none"]
    assert ranked_ids("lang trans")[0] == "lang"
    assert ranked_ids("nei ren fu") == ["nrf"]


def test_typos_still_find_the_code():
    assert ranked_ids("monitorng")[0] in {"monitoring", "monitoring.none"}
    assert ranked_ids("neighbourhod")[0] == "nrf"


def test_long_and_adversarial_queries_return_sane_results():
    ranker = code_ranker(BOOK, list(BOOK.walk()), {})
    every = [r.candidate.key for r in ranker.rank("")]
    assert every == [c.id for c in BOOK.walk()]  # nothing typed: the whole codebook in its order
    for query in [
        "noethmon" + "itoring" * 3,                    # froze the old picker for minutes
        "a" * 10_000,                                  # one letter repeated
        "e " * 5_000,                                  # thousands of one-letter words
        "monitoring " * 1_000,                         # a real word, repeated
        "(.*)+[" * 500,                                # regular-expression syntax is just text
        "😀é\u0301\u200b\x00\t\n" * 300,             # emoji, combining accents, zero-width, control
        "".join(chr(c) for c in range(32, 2000)),      # a wide range of code points
    ]:
        hits = ranker.rank(query)
        assert all(h.candidate.key in BOOK.by_id for h in hits)
        assert len({h.candidate.key for h in hits}) == len(hits)
    # what counts of a long query is its first MAX_QUERY characters
    long_query = "ethnicity monitoring of members" + " and then a long tail" * 50
    assert ranker.rank(long_query) == ranker.rank(long_query[:MAX_QUERY])
    assert ranker.rank("  Ethnicity   MONITORING of members  ")[0].candidate.key == "monitoring"
    assert ranker.rank("zzzzqqqq") == []


async def test_typing_in_the_picker_applies_the_best_ranked_code(study):
    app = make_app(study, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot)
        app.screen.view.select(*span_of(study, "int-1", "We monitor ethnicity"))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*("noethmon" + "x" * 40))  # nothing matches: the picker says so
        await pilot.pause()
        assert "No code matches" in str(app.screen.query_one("#hint").render())
        await pilot.press(*["backspace"] * 48, *"out", "enter")
        await pilot.pause()
        assert [c.code for c in app.desk.codings.for_transcript("int-1")] == ["outcome"]
