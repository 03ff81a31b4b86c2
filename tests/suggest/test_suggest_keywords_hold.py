"""Never worse than the keywords: where the codebook's keywords find what the coder codes, the full
system keeps their hits (``Trust.keyword_codes``), however little the models learn; where the keywords
are noise, the budget alone decides."""

from __future__ import annotations

import numpy as np

from tests.conftest import copy_study
from qualcode.store.project import Project
from qualcode.suggest.engine import SuggestionEngine
from qualcode.suggest.evaluate import evaluate
from qualcode.suggest.suggestion import LEARNED, RULES
from suggest_helpers import keyword_coder
from qualcode.suggest.trust import fit_trust


def _fit(hits: np.ndarray, learned: np.ndarray, y: np.ndarray):
    spans = [("c", [i]) for i in np.flatnonzero(y[:, 0])]
    groups = np.array(["t1", "t2", "t3", "t4"] * (len(y) // 4))
    return fit_trust({LEARNED: {"c": learned}, RULES: {"c": hits * 0.9}}, y, {"c": 0}, spans, 4, groups)


def test_precise_keywords_keep_every_hit_and_noisy_ones_do_not():
    rng = np.random.default_rng(3)
    n = 800
    y = np.zeros((n, 1), dtype=bool)
    y[rng.choice(n, 120, replace=False), 0] = True
    noise = rng.random(n)
    # the keywords find 90 of the 120 passages and little else; the learned model knows nothing
    precise = y[:, 0] & (rng.random(n) < 0.75)
    precise[rng.choice(np.flatnonzero(~y[:, 0]), 10, replace=False)] = True
    trust = _fit(precise.astype(float), noise, y)
    assert trust.keyword_codes == ["c"]
    # keywords that hit at random, beside a learned model that ranks the coder's passages: budget only
    scattered = (rng.random(n) < 0.3).astype(float)
    good = y[:, 0] * 0.6 + rng.random(n) * 0.5
    trust = _fit(scattered, good, y)
    assert trust.keyword_codes == []
    assert trust.ratio is not None and trust.ratio > 0


def test_a_coder_who_codes_what_the_keywords_find_is_not_let_down_by_the_models(tmp_path):
    """On the bundled study, a coder who codes three of every four keyword hits (and a few other
    passages that no keyword finds, and no model could learn): the full system does at least as well
    as the keywords alone, where without the keyword choice it fell short of them (F1 0.70 against
    0.82 over all nine transcripts)."""
    proj = copy_study(tmp_path / "study")
    for f in (proj / "codings").glob("*.jsonl"):
        f.unlink()
    keyword_coder(proj, "kw")
    project = Project.open(proj, search=False)
    ev = evaluate(project, "kw", systems=("full", "keywords"), curve=False,
                  transcripts=sorted(t.id for t in project.index)[:4])
    full, base = ev.system("full").micro["f1"], ev.system("keywords").micro["f1"]
    engine = SuggestionEngine(project, "kw")
    engine.train([c for c in project.codings("kw")])
    assert engine.trust.keyword_codes  # the choice is made on the coder's own work, and said
    # why, in the words of the choice made: some codes' hits, or (cross-fitted) the keywords alone
    reason = ("every passage with the codebook's keywords is suggested: on your coded transcripts they found "
              "what you coded better than the models did" if engine.trust.ratio == 0.0 else
              "every passage with this code's keywords is suggested: you coded enough of them so far")
    assert any(reason in s.reasons for s in engine.suggest(project.transcript("lsp-a")) if s.suggested)
    assert base > 0.6
    assert full >= base, (full, base)


def test_keywords_taken_from_one_interview_do_not_outvote_a_model_that_carries_over():
    """Keywords written from the first interview find that interview's passages and little in the
    others: they are trusted for what they do on the other transcripts, so the learned model, which
    ranks the coder's passages everywhere, leads the code."""
    rng = np.random.default_rng(5)
    n = 800
    y = np.zeros((n, 1), dtype=bool)
    y[rng.choice(n, 120, replace=False), 0] = True
    groups = np.array(["t1", "t2", "t3", "t4"] * (n // 4))
    # perfect on t1 (where they were taken from), scattered elsewhere
    hits = np.where(groups == "t1", y[:, 0], rng.random(n) < 0.05).astype(float)
    learned = y[:, 0] * 0.1 + rng.random(n) * 0.9  # a weak model, but one that carries over
    trust = _fit(hits, learned, y)
    # pooled over the four transcripts the keywords' lift is 0.19, above the model's 0.17; on the
    # three they were not taken from it is 0.04
    assert trust.quality[RULES]["c"][0] < 0.1 < trust.quality[LEARNED]["c"][0]
    assert trust.weights([LEARNED, RULES], "c")[1] == LEARNED
    # keywords that find the coder's passages in every transcript still lead
    everywhere = (y[:, 0] & (rng.random(n) < 0.8)).astype(float)
    assert _fit(everywhere, learned, y).weights([LEARNED, RULES], "c")[1] == RULES


def test_a_suggestion_or_two_accepted_in_a_new_transcript_do_not_make_it_worked_through(tmp_path):
    """The coder coded lsp-a to lsp-c, then accepted one suggestion in lsp-d: lsp-d's other passages
    were never looked at, so they are not taken as passages the coder chose not to code (before, its
    whole list shrank and reordered after that one decision). Five codings, or the status "done",
    make a transcript worked through."""
    proj = copy_study(tmp_path / "study")
    project = Project.open(proj, search=False)
    mine = [c for c in project.codings("researcher_a") if c.transcript in {"lsp-a", "lsp-b", "lsp-c"}]
    in_d = [c for c in project.codings("researcher_a") if c.transcript == "lsp-d"]
    engine = SuggestionEngine(project, "researcher_a")

    def worked(codings):
        engine.train(codings)
        return {engine.all_segments[r].transcript for r in engine.training.base}

    assert worked(mine) == {"lsp-a", "lsp-b", "lsp-c"}
    assert worked(in_d[:2]) == {"lsp-d"}  # a first transcript being coded: the models need negatives
    assert worked(mine + in_d[:1]) == {"lsp-a", "lsp-b", "lsp-c"}
    assert worked(mine + in_d[:5]) == {"lsp-a", "lsp-b", "lsp-c", "lsp-d"}
    engine._done = frozenset({"lsp-d"})  # what `qualcode status lsp-d done` tells it
    assert worked(mine + in_d[:1]) == {"lsp-a", "lsp-b", "lsp-c", "lsp-d"}


def test_with_nothing_measured_the_codebook_leads_what_one_coding_taught():
    """A first coding: the definition (or the keywords) still lead the code; the model trained on
    that one coding speaks lightly (it led, and buried "Maybe the SHAP values." for SHAP)."""
    from qualcode.suggest.suggestion import DEFINITION, SIMILAR, WORDS
    from qualcode.suggest.trust import default_trust

    trust = default_trust([DEFINITION, LEARNED, SIMILAR, WORDS])
    weights, lead = trust.weights([DEFINITION, LEARNED, SIMILAR, WORDS], "c")
    assert lead == DEFINITION and weights[DEFINITION] > 0.5
    assert default_trust([RULES, LEARNED]).weights([RULES, LEARNED], "c")[1] == RULES
