"""An outside tester saw the panel claim trust "measured on your codings" and "medium" or "high"
confidence for codes with no codings (PDPilot's "Anonymize": "definition 100%", p 0.36, its one link the
word "code"), and, in a new study with two codings, "suggested (high confidence) · p 0.50" on every row
from fixed priors; and a reason from a scorer shown with 0% of the trust ("rules 0%" next to "matches
'equality'"). Each suggestion now says where its trust comes from (``basis``), its confidence is "low"
where nothing was measured for its code, and a scorer with no share says it did not count."""

from __future__ import annotations

import json

from click.testing import CliRunner

from qualcode.cli.main import cli
from qualcode.domain.codebook import Code, Codebook
from qualcode.suggest.engine import SuggestionEngine
from qualcode.suggest.suggestion import FIXED, MEASURED, OTHER_CODES, RULES, Suggestion
from qualcode.tui.screens.suggestions import standing
from suggest_helpers import CODEBOOK, span
from test_suggest_evaluate_cli import _code_study  # the same two coded interviews

BOARD = Code(id="board", name="Board membership", definition="who sits on the board, the members of the board")


def _with_board(project) -> None:
    """The test codebook and a code nobody has coded, whose definition finds passages."""
    project.set_codebook(Codebook(name=CODEBOOK.name, codes=[Code(**vars(c)) for c in CODEBOOK.codes] + [BOARD]))


def _measured_rule(p: float) -> str:
    return "high" if p >= 0.5 else "medium" if p >= 0.2 else "low"


def test_with_nothing_measured_every_suggestion_says_fixed_priors_and_low(sproject, pipeline):
    found = SuggestionEngine(sproject, "ann").suggest(sproject.transcript("int-a"))
    assert any(s.suggested and s.probability >= 0.5 for s in found)  # what read "high confidence" before
    assert all(s.basis == FIXED and s.confidence == "low" for s in found)
    said = standing(next(s for s in found if s.suggested))
    assert said.startswith("suggested (low confidence: not measured on this code)")
    assert "from fixed priors" in said and "the calibrated chance" not in said
    runner = CliRunner()
    root = str(sproject.root)
    text = runner.invoke(cli, ["--project", root, "--coder", "ann", "suggest", "-t", "int-a", "-c", "monitoring"])
    assert text.exit_code == 0, text.output
    assert "trust fixed priors: too little coded yet to measure]" in text.output
    assert " high p " not in text.output and " medium p " not in text.output
    data = json.loads(runner.invoke(cli, ["--project", root, "--coder", "ann", "suggest", "--json"]).output)
    assert data["suggestions"] and all(s["basis"] == FIXED and s["confidence"] == "low" for s in data["suggestions"])


def test_a_code_not_coded_yet_says_its_trust_comes_from_the_other_codes(sproject, pipeline):
    _with_board(sproject)
    _code_study(sproject)
    engine = SuggestionEngine(sproject, "gold")
    found = [s for tid in ("int-a", "int-b", "int-raw") for s in engine.suggest(sproject.transcript(tid))]
    assert engine.trust.method != "default"
    board = [s for s in found if s.code == "board"]
    assert board and all(s.basis == OTHER_CODES and s.confidence == "low" for s in board)
    assert any(s.probability >= 0.2 for s in board)  # what read "medium" or "high" before
    coded = [s for s in found if s.code != "board"]
    assert coded and all(s.basis == MEASURED and s.confidence == _measured_rule(s.probability) for s in coded)
    best = max(board, key=lambda s: s.probability)
    assert standing(best).split(" · ")[0].endswith("(low confidence: not measured on this code)")
    assert "(calibrated on your other codes)" in standing(best)
    runner = CliRunner()
    root = str(sproject.root)
    text = runner.invoke(cli, ["--project", root, "--coder", "gold", "suggest", "-c", "board", "--top", "1"])
    assert text.exit_code == 0, text.output
    assert "trust not measured on this code, no codings yet: from your other codes]" in text.output
    data = json.loads(runner.invoke(cli, ["--project", root, "--coder", "gold", "suggest", "--json", "-c", "board",
                                          "-c", "jobs"]).output)
    by_code = {s["code"]: s for s in data["suggestions"]}
    assert by_code["board"]["basis"] == OTHER_CODES and by_code["board"]["confidence"] == "low"
    assert by_code["jobs"]["basis"] == MEASURED


def test_a_scorer_with_no_share_of_the_trust_says_its_reason_did_not_count(sproject, pipeline, monkeypatch):
    from qualcode.suggest import trust as trust_module

    _code_study(sproject)
    real = trust_module.Trust.quality_of

    def keywords_useless_on_monitoring(self, scorer, code):  # as the out-of-fold fit can find them
        return 0.0 if (scorer, code) == (RULES, "monitoring") else real(self, scorer, code)

    monkeypatch.setattr(trust_module.Trust, "quality_of", keywords_useless_on_monitoring)
    engine = SuggestionEngine(sproject, "gold")
    found = [s for tid in ("int-a", "int-b", "int-raw") for s in engine.suggest(sproject.transcript(tid))]
    hits = [s for s in found if s.code == "monitoring" and any(r.startswith("matches '") for r in s.reasons)]
    assert hits
    for s in hits:
        assert s.weights[RULES] < 0.005  # shown as "rules 0%"
        said = next(r for r in s.reasons if r.startswith("matches '"))
        assert said.endswith("(did not count: 0% of the trust for this code)")
        assert RULES not in s.scorers and s.reasons.index(said) >= len(s.scorers)  # after the ones that counted
        assert not any("did not count" in r for r in s.reasons[:len(s.scorers)])
    others = [s for s in found if s.code != "monitoring" and any(r.startswith("matches '") for r in s.reasons)]
    assert others and all("did not count" not in r for s in others for r in s.reasons)


def test_the_panel_names_where_the_trust_comes_from():
    from qualcode.suggest.suggestion import trust_said

    assert trust_said(MEASURED) == "trust for this code (measured on your codings)"
    assert trust_said(OTHER_CODES) == ("trust for this code (not measured on this code, no codings yet: from your "
                                       "other codes)")
    assert trust_said(FIXED) == "trust for this code (fixed priors: too little coded yet to measure)"
    assert trust_said("") == "trust for this code"  # a suggester that does not say: no claim
    s = Suggestion("int-1", 0, 9, "theme", 0.5, (RULES,), (), confidence="high", probability=0.6, basis=MEASURED)
    assert standing(s).startswith("suggested (high confidence) ·") and "the calibrated chance" in standing(s)


class _OneSuggestion:
    """A suggester with one suggestion for a code nobody has coded (as the engine says it now)."""

    def __init__(self, project):
        self.project = project

    def suggest(self, transcript, codes=None):
        quote = "Yes. We hand out monitoring forms to everyone on the board."
        s, e = span(self.project, transcript.id, quote)
        return [Suggestion(transcript.id, s, e, "board", 0.39, ("definition",),
                           ('close to the code\'s name and definition ("Board membership")',), suggested=True,
                           quote=quote, probability=0.36, confidence="low", weights={"definition": 1.0},
                           parts={"definition": 0.39}, basis=OTHER_CODES)]


async def test_the_panel_detail_says_the_trust_was_not_measured_on_the_code(sproject):
    from textual.app import App

    from qualcode.tui.screens.suggestions import SuggestionsPanel

    _with_board(sproject)
    panel = SuggestionsPanel(sproject, "ann", "int-a", _OneSuggestion(sproject))

    class Host(App):
        def compose(self):
            yield panel

    app = Host()
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        detail = " ".join(str(panel.query_one("#suggest-detail").render()).split())
        assert ("trust for this code (not measured on this code, no codings yet: from your other codes): "
                "definition 100%") in detail
        assert "measured on your codings" not in detail
        assert "suggested (low confidence: not measured on this code)" in detail
        assert "p 0.36 (calibrated on your other codes)" in detail
