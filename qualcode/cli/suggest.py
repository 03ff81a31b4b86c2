"""``qualcode suggest``: ranked candidate passages per code, and ``--evaluate`` against a gold coder.

spaCy and scikit-learn are imported inside the command, never when the CLI starts.
"""

from __future__ import annotations

import sys

import click

from qualcode.cli.main import Context, pass_ctx
from qualcode.cli.output import emit_json, table


def _codes(project, refs: tuple[str, ...]) -> list[str] | None:
    """Code ids (with their sub-codes) for ``--code`` options, or None for every code."""
    from qualcode.errors import UnknownCodeError

    if not refs:
        return None
    book = project.codebook
    out: list[str] = []
    for ref in refs:
        code = book.resolve(ref)
        if code is None:
            from qualcode.domain.codebook import did_you_mean

            raise UnknownCodeError(f"unknown code {ref!r}{did_you_mean(book.codes, ref)}", path=project.codebook_path,
                                   hint="use a code id from the codebook (`qualcode stats --codes` lists them)")
        out += [code.id, *book.descendants(code.id)]
    return list(dict.fromkeys(out))


def _short(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _pct(v) -> str:
    return "" if v is None else f"{v:.2f}"


@click.command("suggest")
@click.option("--transcript", "-t", "transcript_id", default=None,
              help="Only this transcript (default: every transcript in the project).")
@click.option("--code", "-c", "code_refs", multiple=True,
              help="Only this code and its sub-codes (repeatable; default: every code).")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="Suggestions shown per code and transcript.")
@click.option("--all-candidates", is_flag=True,
              help="Show every candidate kept, not only each code's best --top (what review mode shows).")
@click.option("--include-interviewer", is_flag=True, help="Interviewer turns are candidates too.")
@click.option("--evaluate", is_flag=True,
              help="Measure the suggestions against a gold coder (leave-one-transcript-out) instead.")
@click.option("--gold", default=None, help="With --evaluate: the coder whose codings are the reference.")
@click.option("--keywords", "show_keywords", is_flag=True,
              help="Propose keywords for each code from your codings, with their evidence (changes nothing).")
@click.option("--accept-keywords", "accept_code", default=None, metavar="CODE",
              help="Add the proposed keywords of CODE to the codebook (undo: `qualcode codebook undo`).")
@click.option("--term", "terms", multiple=True, help="With --accept-keywords: only this proposed term (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def suggest_cmd(ctx: Context, transcript_id, code_refs, top, all_candidates, include_interviewer, evaluate,
                gold, show_keywords, accept_code, terms, as_json) -> None:
    """Suggest passages to code, ranked per code, each with its reasons.

    Suggestions come from the codebook's keywords (matched on lemmas), a model trained on your
    codings and rejections, and similarity to the codes' examples and your coded passages. Accept
    or reject them in the workbench; here they are only listed.
    """
    if evaluate:
        _evaluate(ctx, gold, code_refs, include_interviewer, as_json)
        return
    if show_keywords or accept_code:
        _keywords(ctx, code_refs, accept_code, terms, as_json)
        return
    if terms:
        raise click.UsageError("--term goes with --accept-keywords")
    if gold:
        raise click.UsageError("--gold goes with --evaluate")
    from qualcode.errors import QualcodeError
    from qualcode.suggest.engine import SuggestionEngine

    project = ctx.project
    coder = ctx.coder
    codes = _codes(project, code_refs)
    if transcript_id:
        ids = [project.index.find(transcript_id)]
    else:
        ids = [e.id for e in project.index]
    engine = SuggestionEngine(project, coder, include_interviewer=include_interviewer, cache=True)
    results = {tid: engine.suggest(project.transcript(tid), codes) for tid in ids}
    notes = engine.notes(None)
    info = engine.summary()
    trust = info.get("trust") or {}
    if as_json:
        emit_json({"coder": coder, "pipeline": info["pipeline"], "trained_on": {"codings": info["codings"],
                   "rejections": info["rejections"]}, "threshold": info["threshold"], "trust": trust, "notes": notes,
                   "suggestions": [s.to_json() for tid in ids for s in _pick(results[tid], top, all_candidates)]})
        return
    for note in notes:
        click.echo(f"note: {note}", err=True)
    how = ("measured on your own codings, " + trust["method"]) if trust.get("method", "default") != "default" \
        else "default settings (too little coded to measure)"
    if trust.get("ratio") and trust.get("rate"):  # the budget decides what is suggested, not a fixed score
        rule = (f"suggested: each transcript's most probable passages, {trust['ratio']:g} x as many as you code "
                "in that much text")
    else:
        rule = f"suggested: probability p {info['threshold']:.2f} or more"
    click.echo(f"Suggestions for {coder} (pipeline {info['pipeline']}; learned from {info['codings']} coding(s) and "
               f"{info['rejections']} rejection(s); {rule}; {how})")
    book = project.codebook
    shown = 0
    held = 0
    for tid in ids:
        picked = _pick(results[tid], top, all_candidates)
        if not (all_candidates or code_refs):  # every code's candidates were a thousand lines
            below = [s for s in picked if not s.suggested]
            picked = [s for s in picked if s.suggested] or sorted(below, key=lambda s: -(s.probability or 0))[:LEAD]
            held += len(below) - len([s for s in picked if not s.suggested])
        if not picked:
            continue
        t = project.transcript(tid)
        click.echo(f"\n{tid}  {t.title}")
        if not any(s.suggested for s in results[tid]):
            budget = trust.get("ratio") and trust.get("rate")
            enough = "for the share of text you code" if budget else f"(p {info['threshold']:.2f} or more)"
            click.echo(f"  nothing suggested here: no passage is probable enough {enough} "
                       f"(learned from {info['codings']} coding(s)); below, the most probable candidates, to accept "
                       "or reject: each decision teaches it")
        by_code: dict[str, list] = {}
        for s in picked:
            by_code.setdefault(s.code, []).append(s)
        for code, items in sorted(by_code.items(), key=lambda kv: -kv[1][0].score):
            click.echo(f"  {code}  ({book.get(code).name})")
            for s in items:
                turn = f"turn {s.turn + 1}" if s.turn is not None else "no turn"
                mark = "" if s.suggested else "  (a candidate, not suggested)"
                p = f" p {s.probability:.2f}" if s.probability is not None else ""
                click.echo(f"    {s.score:.2f} {s.confidence or ''}{p}  {turn}, {s.start}-{s.end}{mark}  "
                           f"\"{_short(s.quote)}\"")
                why = _why(s)
                if why:
                    click.echo(f"          {why}")
                shown += 1
    unsaid = [tid for tid in ids if not any(s.role != "interviewer" for s in project.transcript(tid).turns)
              and project.transcript(tid).turns] if not shown else []
    if not ids:
        click.echo("\nNo suggestions: the project has no transcripts yet (`qualcode import FILE...`).")
    elif not shown and unsaid and not include_interviewer:
        click.echo("\nNo suggestions" + (f" for {transcript_id}" if transcript_id else "") + ": "
                   + (f"{unsaid[0]} has" if len(unsaid) == 1 else f"{len(unsaid)} transcripts have")
                   + " no respondent turn (only the interviewer's), and suggestions come from what respondents say: "
                   "set the speakers' roles (`qualcode speakers`), or use --include-interviewer.")
    elif not shown:
        click.echo("\nNo suggestions" + (f" for {transcript_id}" if transcript_id else "") + ": no passage that is "
                   "not coded already shares words with the codebook or with your coded passages (text in "
                   "another language, or on a topic nothing is coded for yet?).")
    elif not all_candidates:
        more = (f"{held} candidate(s) below the bar are not listed: --code CODE shows that code's best (up to "
                "--top), --all-candidates every one. " if held else
                "Each code shows its best passages (up to --top), the ones not suggested too; --all-candidates "
                "shows every candidate kept. ")
        click.echo(f"\n{more}The first figure ranks a code's passages; p is how likely you are to code it, "
                   "measured on your own codings (high from 0.5, medium from 0.2, else low; low whatever p for a "
                   "code you have not coded yet, or while too little is coded to measure: nothing measured it).")


LEAD = 10
"""Candidates listed for a transcript with nothing suggested (the most probable, whatever their code)."""


def _why(s) -> str:
    """Reasons, then each scorer's probability and its share of the trust for this code, and where that
    trust comes from when it was not measured on this code (``Suggestion.basis``)."""
    from qualcode.suggest.suggestion import BASES, MEASURED

    parts = "; ".join(s.reasons)
    if s.weights:
        trusted = ", ".join(f"{k} {s.parts.get(k, 0):.2f} x{w:.2f}" for k, w in
                            sorted(s.weights.items(), key=lambda kv: -kv[1]))
        if s.basis in BASES and s.basis != MEASURED:
            trusted += f"; trust {BASES[s.basis]}"
        parts = f"{parts}  [{trusted}]" if parts else f"[{trusted}]"
    return parts


def _pick(suggestions, top: int, all_candidates: bool) -> list:
    """The best ``top`` per code: suggested ones first, then the best candidates below the threshold
    (the engine keeps a few per code, so new text still shows its best passages); every candidate
    with ``all_candidates``."""
    out, count = [], {}
    for s in suggestions:
        if all_candidates:
            out.append(s)
            continue
        if count.get(s.code, 0) < top:
            count[s.code] = count.get(s.code, 0) + 1
            out.append(s)
    return out


def _keywords(ctx: Context, code_refs, accept_code: str | None, terms, as_json: bool) -> None:
    """List keyword proposals per code, or add one code's proposals to the codebook."""
    from qualcode.errors import QualcodeError, UnknownCodeError
    from qualcode.suggest.engine import SuggestionEngine

    project = ctx.project
    engine = SuggestionEngine(project, ctx.coder)
    proposals = engine.keyword_proposals()
    book = project.codebook
    if accept_code:
        code = book.resolve(accept_code)
        if code is None:
            from qualcode.domain.codebook import did_you_mean

            raise UnknownCodeError(f"unknown code {accept_code!r}{did_you_mean(book.codes, accept_code)}",
                                   path=project.codebook_path,
                                   hint="use a code id from the codebook (`qualcode codebook show` lists them)")
        props = proposals.get(code.id, [])
        # a term may be given as shown ("data sources") or as its lemmas ("datum source")
        by_name = {p.term: p for p in props} | {p.label: p for p in props}
        offered = [p.label for p in props]
        chosen = list(dict.fromkeys(by_name[t].label if t in by_name else t for t in terms)) if terms else offered
        missing = [t for t in chosen if t not in offered]
        if missing:
            raise QualcodeError(f"not proposed for {code.id}: {', '.join(repr(t) for t in missing)}",
                                path=project.codebook_path,
                                hint=f"`qualcode suggest --keywords -c {code.id}` lists what is proposed"
                                     + (f": {', '.join(offered)}" if offered else " (nothing yet: code a few more passages)"))
        if not chosen:
            raise QualcodeError(f"no keyword is proposed for {code.id} yet", path=project.codebook_path,
                                hint="proposals come from your codings: code at least two passages with it")
        from qualcode.services import codebook_ops

        new = list(code.keywords) + [t for t in chosen if t not in code.keywords]
        codebook_ops.change(project, code.id, keywords=new)
        click.echo(f"{code.id}: added keyword(s) {', '.join(repr(t) for t in chosen)} to {project.codebook_path.name} "
                   "(undo: qualcode codebook undo)")
        return
    wanted = _codes(project, code_refs)
    rows = [p for code, ps in proposals.items() if wanted is None or code in wanted for p in ps]
    if as_json:
        emit_json({"coder": ctx.coder, "proposals": [p.to_json() for p in rows]})
        return
    if not rows:
        click.echo("No keywords to propose yet: a code needs at least two coded passages that share words "
                   "the rest of your transcripts rarely use.")
        return
    click.echo(f"Keywords proposed from {ctx.coder}'s codings (nothing is changed until you accept: "
               "qualcode suggest --accept-keywords CODE [--term T]).")
    for code in [c.id for c in book.walk()]:
        items = [p for p in rows if p.code == code]
        if not items:
            continue
        click.echo(f"\n  {code}  ({book.get(code).name})")
        for p in items:
            click.echo(f"    {p.label!r:28}  {p.evidence}")


CODE_WIDTH = 40
"""Code ids in the per-code table are cut in the middle past this (PDPilot's run to 90 characters,
which made the table 230 columns wide)."""


def _evaluate(ctx: Context, gold: str | None, code_refs, include_interviewer: bool, as_json: bool) -> None:
    from qualcode.errors import QualcodeError
    from qualcode.suggest.evaluate import evaluate

    if not gold:
        raise click.UsageError("--evaluate needs --gold CODER (whose codings are the reference)")
    project = ctx.project
    if gold not in project.coders() or not len(project.codings(gold)):
        raise QualcodeError(f"{gold!r} has no codings in this project",
                            hint="pick a coder from `qualcode stats`")
    codes = _codes(project, code_refs)
    shown = [0]

    def progress(i: int, n: int, what: str) -> None:  # on a terminal only: a long evaluation shows where it is
        line = f"{what} ({i + 1} of {n})"[:78]
        click.echo("\r" + line.ljust(shown[0]), err=True, nl=False)
        shown[0] = len(line)

    tty = sys.stderr.isatty()
    ev = evaluate(project, gold, include_interviewer=include_interviewer, progress=progress if tty else None)
    if tty and shown[0]:
        click.echo("\r" + " " * shown[0] + "\r", err=True, nl=False)
    if as_json:
        data = ev.to_json()
        if codes:
            for s in data["systems"]:
                s["codes"] = [c for c in s["codes"] if c["code"] in codes]
        emit_json(data)
        return
    for note in ev.notes:
        click.echo(f"note: {note}", err=True)
    full, kw = ev.system("full"), ev.system("keywords")
    click.echo(f"{ev.method[0].upper()}{ev.method[1:]}, against {gold}: {len(ev.transcripts)} transcripts, "
               f"{ev.gold_codings} gold codings ({ev.seconds:.1f} s)")
    click.echo(f"Overlap rule: {ev.rule}.")
    click.echo("P@10: share of the ten best-ranked candidates per code that are correct "
               "(out of the code's gold passages when it has fewer than ten).\n")
    from qualcode.tui.layout import middle_cut

    no_keywords = not any(c.keywords for c in project.codebook.codes)
    rows = []
    for code in [c.id for c in project.codebook.walk()]:
        if codes and code not in codes:
            continue
        f, k = full.codes.get(code), kw.codes.get(code)
        if f is None and k is None:
            continue
        g = (f or k).gold
        rows.append([middle_cut(code, CODE_WIDTH), g,
                     f.suggested if f else 0, _pct(f.precision if f else None), _pct(f.recall if f else None),
                     _pct(f.f1 if f else None), _pct(f.p_at_10 if f else None),
                     k.suggested if k else 0, _pct(k.precision if k else None), _pct(k.recall if k else None),
                     _pct(k.f1 if k else None), _pct(k.p_at_10 if k else None)])
    headers = ["code", "gold", "full:n", "P", "R", "F1", "P@10", "keywords:n", "P", "R", "F1", "P@10"]
    if no_keywords:  # the keyword baseline is nothing but zeros: the summary says why
        rows, headers = [r[:7] for r in rows], headers[:7]
    table(rows, headers)
    click.echo("")
    from qualcode.suggest.evaluate import SYSTEMS

    summary = []
    for system in ev.systems:
        mi, ma = system.micro, system.macro
        summary.append([SYSTEMS.get(system.name, (system.name,))[0], f"{mi['precision']:.3f}", f"{mi['recall']:.3f}",
                        f"{mi['f1']:.3f}", f"{ma['precision']:.3f}", f"{ma['recall']:.3f}", f"{ma['f1']:.3f}",
                        f"{ma['p_at_10']:.3f}", f"{system.kappa:.3f}"])
    table(summary, ["system", "micro P", "micro R", "micro F1", "macro P", "macro R", "macro F1",
                    "P@10 (mean)", "kappa (chars)"])
    if ev.per_transcript:
        click.echo("\nFull system per held-out transcript:")
        table([[tid, v["gold"], v["suggested"], f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}"]
               for tid, v in ev.per_transcript.items()], ["transcript", "gold", "suggested", "P", "R", "F1"])
    if ev.curve:
        click.echo("\nLearning curve (full system trained on the first N coded transcripts, tested on the rest):")
        table([[p.coded, p.tested, f"{p.micro_f1:.3f}", f"{p.p_at_10:.3f}"] for p in ev.curve],
              ["coded", "tested", "micro F1", "P@10 (mean)"])
        click.echo(pay_off(ev.curve))
    diff = round(full.micro["f1"], 3) - round(kw.micro["f1"], 3) + 0.0  # the difference of the figures shown
    diff = 0.0 if abs(diff) < 5e-4 else diff  # never "-0.000"
    singles = [s for s in ev.systems if s.name not in ("full", "keywords")]
    best = max(singles, key=lambda s: s.micro["f1"]) if singles else None
    line = (f"\nmicro F1: full {full.micro['f1']:.3f} vs keywords {kw.micro['f1']:.3f} ({diff:+.3f}"
            + ("; the codebook has no keywords" if no_keywords else "") + "); "
            f"mean P@10: full {full.macro['p_at_10']:.3f}")
    if best is not None:
        line += f"; best single scorer: {best.name} {best.micro['f1']:.3f}"
    click.echo(line)


def pay_off(curve) -> str:
    """The learning curve in a sentence: after how many coded transcripts the suggestions come within
    90% of the best F1 the curve reaches (when they start to pay off on this study)."""
    best = max(p.micro_f1 for p in curve)
    if best <= 0:
        return "Suggestions did not find the gold coder's passages at any point of the curve."
    first = next(p for p in curve if p.micro_f1 >= 0.9 * best)
    later = " and more coding changes little after that" if first.coded < curve[-1].coded else ""
    return (f"After {first.coded} coded transcript(s) the suggestions reach F1 {first.micro_f1:.2f}, within 90% of "
            f"the best on this curve ({best:.2f}){later}. (The last points are tested on few transcripts.)")


COMMANDS = [suggest_cmd]
