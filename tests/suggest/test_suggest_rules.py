"""Scorer (a): keyword and gapped phrase rules on lemmas, weighted by rarity."""

from __future__ import annotations

from qualcode.domain.codebook import Code, Codebook
from qualcode.domain.transcript import Transcript, Turn
from qualcode.suggest.rules import RuleScorer, RuleSet
from qualcode.suggest.segments import segment_transcript

BOOK = Codebook(codes=[
    Code(id="monitoring", name="Monitoring", keywords=["ethnic monitoring", "monitoring form", "monitor ... ethnicity"]),
    Code(id="jobs", name="Jobs", keywords=["lose ... job", "lose ... job"]),  # duplicate keyword kept once
    Code(id="common", name="Common", keywords=["board"]),
    Code(id="empty", name="No keywords"),
])


def _segs(nlp, said: str, rules: RuleSet):
    text = "R: " + said
    t = Transcript(id="t", text=text, turns=[Turn("R", 0, len(text), 3, role="respondent")])
    return t, segment_transcript(nlp, t, matches=rules.matches)


def test_phrases_match_on_lemmas_and_gapped_phrases_match_with_words_between(nlp):
    rules = RuleSet(nlp, BOOK)
    assert len(rules) == 5 and rules.codes_with_rules() == {"monitoring", "jobs", "common"}
    t, segs = _segs(nlp, "We sent Monitoring Forms to the board. Half the street lost their jobs. "
                         "We monitor the ethnicity of members. Nothing here matches anything.", rules)
    by_quote = {t.text[s.start:s.end]: {rules.rules[k].label for k in s.hits} for s in segs}
    assert by_quote["We sent Monitoring Forms to the board."] == {"monitoring form", "board"}
    assert by_quote["Half the street lost their jobs."] == {"lose ... job"}
    assert by_quote["We monitor the ethnicity of members."] == {"monitor ... ethnicity"}
    assert by_quote["Nothing here matches anything."] == set()


def test_a_gapped_match_may_not_cross_segments(nlp):
    rules = RuleSet(nlp, BOOK)
    t, segs = _segs(nlp, "They had to lose weight. The job was hard.", rules)
    assert all(not s.hits for s in segs)


def test_rare_rules_weigh_more_than_common_ones(nlp):
    rules = RuleSet(nlp, BOOK)
    said = " ".join(["The board met again."] * 20 + ["We did ethnic monitoring once."])
    t, segs = _segs(nlp, said, rules)
    scorer = RuleScorer(rules).fit(segs)
    common = scorer.score(segs[0])["common"]
    rare = scorer.score(segs[-1])["monitoring"]
    assert 0 < common[0] < rare[0] < 1
    assert rare[1] == ["ethnic monitoring"]
    assert RuleScorer.reason(["ethnic monitoring"]) == "matches 'ethnic monitoring'"
    assert RuleScorer.reason(["a", "b", "c"]) == "matches 'a', 'b' (+1 more)"
