"""Evaluation (overlap rule, P/R/F1, P@10, kappa) and the `qualcode suggest` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from suggest_helpers import span
from qualcode.cli.main import cli
from qualcode.suggest.evaluate import _kappa, evaluate, score_system
from qualcode.suggest.suggestion import Suggestion


def _s(start, end, code, score=0.9, suggested=True, tid="t"):
    return Suggestion(tid, start, end, code, score, suggested=suggested)


def test_overlap_rule_precision_recall_and_p_at_10():
    gold = {"t": [("a", 0, 100), ("a", 200, 220), ("b", 300, 400)]}
    sugg = {"t": [
        _s(40, 140, "a", 0.9),             # overlaps 60 of the shorter 100: correct
        _s(150, 209, "a", 0.8),            # overlaps 9 of the shorter 20: wrong
        _s(205, 215, "a", 0.7),            # inside the gold span: correct
        _s(300, 310, "b", 0.6, suggested=False),  # a weaker candidate: ranked, not suggested
        _s(500, 600, "c", 0.9),            # a code the gold never used: false positive
    ]}
    system = score_system("x", sugg, gold, {"t": 1000}, ["a", "b", "c"])
    a, b, c = system.codes["a"], system.codes["b"], system.codes["c"]
    assert (a.suggested, a.correct, a.gold, a.found) == (3, 2, 2, 2)
    assert a.precision == pytest.approx(2 / 3) and a.recall == 1.0 and a.p_at_10 == 1.0  # 2 hits of min(10, 2)
    assert (b.suggested, b.found, b.recall, b.p_at_10) == (0, 0, 0.0, 1.0)
    assert c.precision == 0.0 and c.recall is None and c.p_at_10 is None
    assert system.micro["precision"] == pytest.approx(2 / 4) and system.micro["recall"] == pytest.approx(2 / 3)
    assert system.macro["recall"] == pytest.approx(0.5)  # mean over the codes the gold coder used (a, b)
    assert -1.0 <= system.kappa <= 1.0


def test_kappa_at_character_level():
    assert _kappa([10, 0, 0, 90]) == 1.0
    assert _kappa([0, 10, 10, 80]) < 0
    assert _kappa([0, 0, 0, 0]) == 0.0


def _code_study(project):
    s = project.session("gold")
    for tid, quote, code in [
        ("int-a", "Yes. We hand out monitoring forms to everyone on the board.", "monitoring"),
        ("int-a", "The outcomes matter more than who gets the money.", "outcomes"),
        ("int-a", "Half the town lost their jobs when the factory closed.", "jobs"),
        ("int-b", "No, we have never done ethnic monitoring of the board at all.", "monitoring"),
        ("int-b", "What matters is what it achieves.", "outcomes"),
        ("int-b", "My brothers both lost their jobs at the mill in the nineties.", "jobs"),
    ]:
        s.add(tid, *span(project, tid, quote), code)
    s.close()


def test_leave_one_transcript_out_on_a_small_project(sproject, pipeline):
    _code_study(sproject)
    ev = evaluate(sproject, "gold")
    assert ev.transcripts == ["int-a", "int-b"] and ev.gold_codings == 6
    full, kw = ev.system("full"), ev.system("keywords")
    assert full.codes["jobs"].gold == 2 and kw.codes["jobs"].found == 2
    data = ev.to_json()
    assert data["method"] == "leave-one-transcript-out" and "half of the shorter" in data["overlap_rule"]
    # each scorer alone beside the full system and the keyword baseline
    assert {s["name"] for s in data["systems"]} == {"full", "keywords", "rules", "definition", "words", "learned",
                                                    "similar"}
    assert set(data["per_transcript"]) == {"int-a", "int-b"}
    assert all({"precision", "recall", "f1", "gold", "suggested"} <= set(v) for v in data["per_transcript"].values())
    curve = data["learning_curve"]
    assert [p["coded_transcripts"] for p in curve] == [1] and curve[0]["tested_transcripts"] == 1


def test_cli_suggest_lists_and_evaluates(sproject, pipeline):
    _code_study(sproject)
    runner = CliRunner()
    root = str(sproject.root)
    out = runner.invoke(cli, ["--project", root, "--coder", "ann", "suggest", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["coder"] == "ann" and data["pipeline"] == "blank-en"
    assert {s["code"] for s in data["suggestions"]} >= {"monitoring", "jobs"}
    # every suggestion says how confident it is and why (reasons, each scorer's part and trust)
    assert all(s["confidence"] in ("high", "medium", "low") for s in data["suggestions"])
    for s in data["suggestions"]:  # the confidence says what p says, within the budget or not, where measured
        measured = "high" if s["probability"] >= 0.5 else "medium" if s["probability"] >= 0.2 else "low"
        assert s["confidence"] == (measured if s["basis"] == "measured" else "low")
    assert all(s["weights"] and set(s["weights"]) <= set(s["parts"]) for s in data["suggestions"])
    assert data["trust"]["method"].startswith("out-of-fold") or data["trust"]["method"] == "default"
    text = runner.invoke(cli, ["--project", root, "--coder", "ann", "suggest", "-t", "int-a", "-c", "jobs", "--top", "1"])
    assert text.exit_code == 0, text.output
    assert "int-a  Case A" in text.output and "jobs  (Job losses)" in text.output and "matches 'lose ... job'" in text.output
    bad = runner.invoke(cli, ["--project", root, "suggest", "-t", "nope"])
    assert bad.exit_code != 0
    ev = runner.invoke(cli, ["--project", root, "suggest", "--evaluate", "--gold", "gold"])
    assert ev.exit_code == 0, ev.output
    assert "Overlap rule" in ev.output and "keyword-only baseline" in ev.output and "kappa" in ev.output
    assert "learned model alone" in ev.output and "Learning curve" in ev.output and "per held-out transcript" in ev.output
    assert "coded transcript(s) the suggestions reach F1" in ev.output
    assert "the codebook has no keywords" not in ev.output  # this one has keywords
    ev_json = runner.invoke(cli, ["--project", root, "suggest", "--evaluate", "--gold", "gold", "--json"])
    assert json.loads(ev_json.output)["gold"] == "gold"
    nogold = runner.invoke(cli, ["--project", root, "suggest", "--evaluate"])
    assert nogold.exit_code != 0 and "--gold" in nogold.output


def test_the_per_code_table_fits_a_terminal_when_ids_are_long_and_there_are_no_keywords(sproject, pipeline,
                                                                                        monkeypatch):
    """PDPilot's per-code table was 230 columns wide: code ids of up to 90 characters, and five columns
    of the keyword baseline that a codebook without keywords fills with zeros."""
    import qualcode.cli.suggest as suggest_cli
    from qualcode.domain.codebook import Code, Codebook

    _code_study(sproject)
    book = sproject.codebook
    sproject.set_codebook(Codebook(name=book.name, codes=[Code(**{**vars(c), "keywords": []}) for c in book.codes]))
    monkeypatch.setattr(suggest_cli, "CODE_WIDTH", 7)  # the bundled ids are short: cut them as long ones are
    out = CliRunner().invoke(cli, ["--project", str(sproject.root), "suggest", "--evaluate", "--gold", "gold"])
    assert out.exit_code == 0, out.output
    header = next(line for line in out.output.splitlines() if line.startswith("code "))
    assert "keywords:n" not in header and "P@10" in header
    assert "mon…ing " in out.output  # "monitoring", cut in the middle
    assert "the codebook has no keywords" in out.output


def test_one_coded_transcript_is_evaluated_on_its_two_halves(sproject, pipeline):
    """A coder who coded one document (a focus group, a long hearing) gets an evaluation too: the
    transcript is cut at a turn with half of the codings on each side, each half held out in turn."""
    s = sproject.session("gold")
    for quote, code in [("We hand out monitoring forms to everyone on the board.", "monitoring"),
                        ("The outcomes matter more than who gets the money.", "outcomes"),
                        ("Half the town lost their jobs when the factory closed.", "jobs")]:
        s.add("int-a", *span(sproject, "int-a", quote), code)
    s.close()
    ev = evaluate(sproject, "gold")
    assert ev.transcripts == ["int-a (first half)", "int-a (second half)"] and ev.gold_codings == 3
    assert ev.method == "each half of one transcript held out in turn"
    assert any("coded one transcript, 'int-a': it was cut in two at line" in n for n in ev.notes)
    assert set(ev.per_transcript) == set(ev.transcripts)
    assert [v["gold"] for v in ev.per_transcript.values()] == [1, 2]
    # the keywords find the job losses in the second half, as they would in the whole transcript
    assert ev.system("keywords").codes["jobs"].found == 1
    # the parts are the transcript's own text, cut at the start of a turn, turns moved with them
    from qualcode.suggest.halves import split_project

    split = split_project(sproject, "gold", list(sproject.codings("gold")), "int-a")
    whole = sproject.transcript("int-a")
    first, second = split.parts
    assert first.text + second.text == whole.text[:len(first.text) + len(second.text)]
    assert second.text.startswith("Ruth Adebayo: The outcomes matter")
    assert second.turns[0].start == 0 and second.turns[0].speaker == "Ruth Adebayo"
    assert all(p.text[c.start:c.end] == c.quote for c in split.codings("gold") for p in split.parts
               if c.transcript == p.id)


def test_codings_all_in_one_place_cannot_be_evaluated(sproject, pipeline, capsys):
    from qualcode.cli.main import main

    s = sproject.session("gold")
    start, end = span(sproject, "int-a", "Half the town lost their jobs when the factory closed.")
    s.add("int-a", start, end, "jobs")
    s.add("int-a", start, end, "outcomes")
    s.close()
    with pytest.raises(SystemExit) as done:
        main(["--project", str(sproject.root), "suggest", "--evaluate", "--gold", "gold"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert "'gold' has codings in one transcript, all in one place" in err and "Traceback" not in err


def test_a_transcript_without_turns_or_line_breaks_is_cut_at_a_sentence():
    from qualcode.domain.transcript import Transcript
    from qualcode.suggest.halves import cut_point, part, worked_end

    text = "We monitor the board. Nobody asked us to. The money went to the youth club. Then it stopped. Rest."
    t = Transcript("raw", text)
    starts = [text.index("We"), text.index("Nobody"), text.index("The money"), text.index("Then")]
    cut = cut_point(t, starts)
    assert cut == text.index("The money")  # two codings before, two after, at a sentence start
    end = worked_end(t, text.index("stopped.") + len("stopped."))
    assert text[cut:end].rstrip() == "The money went to the youth club. Then it stopped."
    assert part(t, cut, end, "second half").id == "raw (second half)"


def test_the_learning_curve_is_said_in_a_sentence():
    """When do suggestions start to pay off? The first point within 90% of the curve's best."""
    from qualcode.cli.suggest import pay_off
    from qualcode.suggest.evaluate import CurvePoint

    curve = [CurvePoint(k, 9 - k, f, 0.5) for k, f in enumerate((0.30, 0.42, 0.48, 0.57, 0.62, 0.57, 0.60, 0.63), 1)]
    said = pay_off(curve)
    assert said.startswith("After 4 coded transcript(s) the suggestions reach F1 0.57") and "0.63" in said
    assert "changes little after that" in said
    assert "After 3" in pay_off(curve[:3]) and "changes little" not in pay_off(curve[:3])
    assert "did not find" in pay_off([CurvePoint(1, 2, 0.0, 0.0)])
