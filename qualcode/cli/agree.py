"""`qualcode agree`: inter-coder agreement on the project's codings, or on a raw matrix file."""

from __future__ import annotations

import click

from qualcode.cli.context import Context, pass_ctx
from qualcode.cli.output import emit_json, table

UNIT_CHOICES = ["char", "sentence", "turn", "transcript", "case", "unitized"]
LEVEL_CHOICES = ["nominal", "ordinal", "interval", "ratio"]


@click.command("agree")
@click.option("--coders", help="Two or more coders, comma-separated (default: the coders in qualcode.toml).")
@click.option("--unit", type=click.Choice(UNIT_CHOICES), default="sentence", show_default=True,
              help="The unit compared: characters, sentences, speaker turns, transcripts, cases, "
                   "or Krippendorff's unitizing alpha over the characters.")
@click.option("--code", "codes", multiple=True, help="Only this code (id or exact name); repeat for more.")
@click.option("--transcripts", "chosen_transcripts",
              help="Compare only these transcripts, comma-separated (default: every transcript all the coders "
                   "coded); the others are listed as left out.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--done-only", is_flag=True,
              help="Only the transcripts every compared coder marked done (`qualcode status T done`); says which it left out.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the report as CSV (every row, per transcript too).")
@click.option("--disagreements", is_flag=True, help="List every disagreement: transcript, span, what each coder did.")
@click.option("--by-transcript", is_flag=True, help="Also show each code per transcript (NVivo's coding comparison).")
@click.option("--min-overlap", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Sentence and turn units: the share of a unit a coding must cover to count (0 = any character).")
@click.option("--resamples", type=click.IntRange(min=0), default=10_000, show_default=True,
              help="Bootstrap resamples for alpha's interval (0: no interval).")
@click.option("--seed", type=int, default=2007, show_default=True, help="Seed of the bootstrap.")
@click.option("--matrix", "matrix_file", type=click.Path(dir_okay=False),
              help="A CSV reliability matrix instead of the project: one row per coder, one column per unit, "
                   "empty cell = missing; the first column may name the coder.")
@click.option("--level", type=click.Choice(LEVEL_CHOICES), default="nominal", show_default=True,
              help="With --matrix: the level of measurement.")
@click.option("--categories",
              help="With --matrix: the categories in order, comma-separated (ordinal order; unused ones count).")
@click.option("--scores", help="With --matrix: a number per category (same order as --categories), for the "
                               "interval/ratio metric and linear/quadratic weights.")
@click.option("--weights", "weights",
              help="With --matrix: weights of the weighted kappas and AC2: linear, quadratic, or a CSV file of "
                   "q x q agreement weights (default: none at nominal, linear at ordinal, quadratic above).")
@click.option("--header/--no-header", default=None,
              help="With --matrix: the first row names the units (default: only when its first cell is 'coder').")
@click.option("--coder-column/--no-coder-column", default=None,
              help="With --matrix: the first column names the coders (default: only with a 'coder' header). "
                   "With --transpose: the first column names the units.")
@click.option("--transpose", is_flag=True,
              help="With --matrix: the file has one row per unit and one column per coder (as SPSS and R "
                   "keep ratings); --header then says the first row names the coders (default: when its first "
                   "cell is empty, 'unit', 'item', 'id', 'case' or 'subject', which also makes the first "
                   "column the units' names).")
@pass_ctx
def agree_cmd(ctx: Context, coders, unit, codes, as_json, as_csv, disagreements, by_transcript, min_overlap,
              resamples, seed, matrix_file, level, categories, scores, weights, header, coder_column,
              done_only=False, chosen_transcripts=None, transpose=False) -> None:
    """Inter-coder agreement per code and overall, with Krippendorff's thresholds.

    \b
    qualcode agree --coders researcher_a,researcher_b --unit sentence
    qualcode agree --coders a,b --unit char --code barriers.trust --disagreements
    qualcode agree --transcripts lsp-a,lsp-c            (the others are listed as left out)
    qualcode agree --matrix ratings.csv --level ordinal --json
    qualcode agree --matrix ratings.csv --coder-column --categories low,mid,high --weights quadratic
    qualcode agree --matrix ratings.csv --transpose     (one row per unit, one column per coder)
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if matrix_file:
        _matrix(matrix_file, level, categories, as_json, as_csv, resamples, seed,
                scores=scores, weights=weights, header=header, coder_column=coder_column, transpose=transpose)
        return
    for flag, given in (("--scores", scores), ("--weights", weights), ("--categories", categories),
                        ("--header", header), ("--coder-column", coder_column), ("--transpose", transpose or None)):
        if given is not None:
            raise click.UsageError(f"{flag} goes with --matrix FILE")
    from qualcode.reliability.matrix import ReliabilityDataError
    from qualcode.reliability.report import agreement_coders, agreement_report

    project = ctx.project
    names = [c.strip() for c in coders.split(",") if c.strip()] if coders else agreement_coders(project)
    if not coders and len(project.config.coders) < 2:
        have = project.coders()
        example = ",".join(have[:2]) if len(have) >= 2 else "ann,ben"
        raise ReliabilityDataError("name the coders to compare",
                                   hint=f"--coders {example} (this project's coders: {', '.join(have) or 'none yet'})")
    only = None
    if chosen_transcripts is not None:
        if done_only:
            raise click.UsageError("choose one of --transcripts and --done-only")
        only = [t.strip() for t in chosen_transcripts.split(",") if t.strip()]
    if done_only:
        from qualcode.cli.status import done_only_transcripts

        only = done_only_transcripts(project, names, quiet=as_json or as_csv)
    report = agreement_report(project, names, unit, list(codes) or None, min_overlap=min_overlap,
                              n_resamples=resamples, seed=seed, transcripts=only,
                              per_transcript=by_transcript or as_json or as_csv)  # shown only then
    found = _disagreements(report) if disagreements else None
    if as_json:
        out = report.to_json()
        if found is not None:
            out["disagreements"] = [d.to_json(report.data.texts[d.transcript].text) for d in found]
        emit_json(out)
    elif as_csv:
        click.echo(_disagreements_csv(report, found) if found is not None else report.csv_text(), nl=False)
    elif found is not None:
        _print_disagreements(report, found)
    else:
        _print_report(report, by_transcript)


# ------------------------------------------------------------------------- project report


def _print_report(report, by_transcript: bool) -> None:
    from qualcode.reliability.report import coded_text, fmt

    letters = [chr(ord("A") + i) for i in range(len(report.coders))]
    n_what = "characters" if report.unit == "unitized" else report.unit_name
    click.echo(f"Agreement between {', '.join(f'{l} = {c}' for l, c in zip(letters, report.coders))}")
    click.echo(f"Unit: {report.unit_name}. {report.rule[0].upper() + report.rule[1:]}.")
    how = "chosen" if report.data.chosen else "coded by all"
    click.echo(f"Compared: {len(report.transcripts)} transcript(s) {how} ({', '.join(report.transcripts)}); "
               f"{report.n_units:,} {n_what}.")
    if report.left_out:
        click.echo(report.left_out_note())
    if report.data.uncoded:
        click.echo(report.data.uncoded_note())
    click.echo("")
    unitized = report.unit == "unitized"
    if unitized:
        headers = ["code", "chars"] + [f"{l} coded" for l in letters] + ["u-alpha", "assessment"]
    else:
        ci = f"{report.bootstrap['confidence']:.0%} CI" if report.bootstrap.get("n_resamples") else "CI"
        headers = (["code", "units"] + [f"{l} coded" for l in letters]
                   + ["agreement", "kappa", "alpha", f"alpha {ci}", "AC1", "assessment"])

    def line(r, label=None):
        cells = [label or r.code, r.units] + [coded_text(v, r.units) for v in r.coded]
        alpha = fmt(r.alpha) if r.alpha is not None else ("undefined" if "alpha" in r.undefined else "")
        if unitized:
            return cells + [alpha, r.assessment]
        kappa = fmt(r.kappa) if r.kappa is not None else ("undefined" if "kappa" in r.undefined else "")
        ci = f"{fmt(r.alpha_low)} to {fmt(r.alpha_high)}" if r.alpha_low is not None else ""
        return cells + [fmt(r.agreement), kappa, alpha, ci, fmt(r.ac1), r.assessment]

    rows = [line(r) for r in report.rows]
    if report.overall:
        rows.append([""] * len(headers))
        rows += [line(r) for r in report.overall]
    table(rows, headers)
    if by_transcript and report.by_transcript:
        click.echo("")
        click.echo("Per transcript (codes used there by at least one coder):")
        table([[r.transcript] + line(r) for r in report.by_transcript], ["transcript"] + headers)
    click.echo("")
    click.echo(report.methods())
    from qualcode.reliability.report import THRESHOLDS

    click.echo(THRESHOLDS)
    for note in report.notes():
        if note not in (report.left_out_note(), report.data.uncoded_note()):
            click.echo(f"Note: {note}")


# ------------------------------------------------------------------------- disagreements


def _disagreements(report):
    from qualcode.reliability.disagreements import find_disagreements

    return find_disagreements(report.data, report.unit, report.units)


def _print_disagreements(report, found) -> None:
    if not found:
        click.echo(f"No disagreements between {', '.join(report.coders)} with {report.unit_name} as units.")
        return
    click.echo(f"{len(found)} disagreement(s) between {', '.join(report.coders)} with {report.unit_name} as units:")
    width = max(len(c) for c in report.coders)
    for d in found:
        text = report.data.texts[d.transcript].text
        count = "" if report.unit in ("char", "unitized", "transcript", "case") else \
            f", {d.units} {report.unit_name if d.units != 1 else report.unit}"
        click.echo("")
        click.echo(f"{d.code}  {d.transcript} {d.start}-{d.end}  ({d.kind}{count})")
        for c in d.coders:
            click.echo(f"  {c.ljust(width)}  {d.describe(c, text)}")


def _disagreements_csv(report, found) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "code", "transcript", "start", "end", "kind", "units"]
               + [f"{c}_spans" for c in report.coders] + ["quote"])
    for d in found:
        text = report.data.texts[d.transcript].text
        spans = [" ".join(f"{s}-{e}" for s, e, _ in d.of(c)) for c in report.coders]
        w.writerow([report.unit, d.code, d.transcript, d.start, d.end, d.kind, d.units] + spans
                   + [text[d.start:d.end]])
    return buf.getvalue()


# ------------------------------------------------------------------------- matrix file


_UNIT_WORDS = {"", "unit", "units", "item", "items", "id", "case", "cases", "subject", "subjects"}
"""With --transpose: a first cell that says the first row names the coders and the first column the units."""

_TRANSPOSED = "with --transpose the file has one row per unit and one column per coder"


def _first_cells(path) -> list[str]:
    """The first non-blank line's cells (empty when the file cannot be read: read_matrix says why)."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            line = next((ln for ln in f if ln.strip()), "")
    except OSError:
        return []
    delim = "\t" if "\t" in line else ";" if ";" in line else ","
    try:
        return [c.strip() for c in next(csv.reader([line], delimiter=delim), [])]
    except csv.Error:
        return []


def _read_transposed(path, level, header, coder_column):
    """A units x coders file read as read_matrix reads coders x units, then turned round: the same
    MatrixData (coders, units, what was left out) as the file written the other way would give."""
    import re

    import numpy as np

    from qualcode.reliability.matrix import ReliabilityDataError
    from qualcode.reliability.matrix_file import MatrixData, number, read_matrix

    first = _first_cells(path)
    word = bool(first) and first[0].casefold() in _UNIT_WORDS
    if header is None:
        header = word
        if not header and len(first) > 1 and all(c and number(c) is None for c in first):
            raise ReliabilityDataError(
                f"the first row ({', '.join(first[:4])}{', ...' if len(first) > 4 else ''}) may name the coders "
                "or hold the values of unit 1; qualcode will not guess which", path=path, line=1,
                hint="add --header if it names the coders, --no-header if it holds values (or start it with an "
                     "empty cell or 'unit', then the first column names the units)")
    if coder_column is None:
        coder_column = header and word
    try:
        data = read_matrix(path, level, header=header, coder_column=coder_column)
    except ReliabilityDataError as exc:  # said the other way round: rows are units, columns coders
        swapped = re.sub(r"\b(coder|unit)(s?)\b", lambda m: ("unit" if m[1] == "coder" else "coder") + m[2],
                         exc.message)
        raise ReliabilityDataError(swapped, path=exc.path, line=exc.line, hint=_TRANSPOSED + (
            f"; {exc.hint}" if exc.hint and "--" in exc.hint else "")) from None
    column = re.compile(r"\(column (\d+)\)")
    gone = [int(m[1]) for d in data.dropped_units if (m := column.search(d))]
    if header and data.unit_names and len(data.unit_names) == data.n_units:
        names = list(data.unit_names)
    elif len(gone) == len(data.dropped_units):  # every column left out is named: number the others as in the file
        offset = 2 if coder_column else 1
        kept = [c for c in range(offset, offset + data.n_units + len(gone)) if c not in gone]
        names = [f"coder {c - offset + 1}" for c in kept]
    else:
        names = [f"coder {i + 1}" for i in range(data.n_units)]
    if len(names) < 2:
        raise ReliabilityDataError(f"the matrix has {len(names)} coder(s) with values; agreement needs at least two",
                                   path=data.path, hint=_TRANSPOSED + ": add the other coders' columns")
    values = np.ascontiguousarray(data.values.T) if data.numeric else [list(col) for col in zip(*data.values)]
    out = MatrixData(data.path, names, len(data.coders), values, [data.lines[0]] * len(names), data.numeric,
                     list(data.coders) if coder_column else None, header, coder_column)
    out.dropped_coders = [column.sub(lambda m: f"(column {m[1]})", d.removeprefix("unit ")) for d in data.dropped_units
                          if d]
    out.dropped_units = [d if coder_column else re.sub(r"^coder (\d+)$", r"row \1", d) for d in data.dropped_coders]
    return out


def _matrix(path, level, categories, as_json, as_csv, resamples, seed, *, scores=None, weights=None,
            header=None, coder_column=None, transpose=False) -> None:
    from qualcode.reliability.matrix_file import prepare, read_matrix, read_weights
    from qualcode.reliability.matrix_report import matrix_coefficients

    if transpose:
        data = _read_transposed(path, level, header, coder_column)
    else:
        data = read_matrix(path, level, header=header, coder_column=coder_column)
    m, score_list, order = prepare(data, level, categories, scores)
    w = weights
    if weights is not None and weights not in ("linear", "quadratic"):
        w = read_weights(weights, m)
    results = matrix_coefficients(m, level, weights=w, scores=score_list, n_resamples=resamples, seed=seed,
                                  path=data.path)
    cats = ", ".join(map(str, m.categories[:20])) + (", ..." if m.q > 20 else "")
    if as_json:
        emit_json({"file": data.path, "level": level, "coders": data.coders, "units": data.n_units,
                   "missing": data.n_missing, "header": data.header, "coder_column": data.coder_column,
                   "transpose": transpose,
                   "categories": list(m.categories), "category_order": order, "scores": score_list,
                   "left_out_units": len(data.dropped_units), "left_out_coders": data.dropped_coders,
                   "notes": data.notes(), "coefficients": [r.to_json() for r in results]})
        return
    if as_csv:
        import csv
        import io

        buf = io.StringIO()
        wr = csv.writer(buf, lineterminator="\n")
        wr.writerow(["coefficient", "value", "p_a", "p_e", "ci_low", "ci_high", "verdict", "note"])
        for r in results:
            wr.writerow([r.name, *("" if v is None else f"{v:.6f}" for v in (r.value, r.p_a, r.p_e)),
                         *(("", "") if r.interval is None else (f"{r.interval[0]:.6f}", f"{r.interval[1]:.6f}")),
                         r.verdict, r.note])
        click.echo(buf.getvalue(), nl=False)
        return
    click.echo(f"{data.path}: {len(data.coders)} coders ({', '.join(data.coders[:10])}"
               f"{', ...' if len(data.coders) > 10 else ''}) x {data.n_units:,} units, level {level}, "
               f"{data.n_missing:,} missing value(s)")
    if transpose:
        click.echo("Read with --transpose (one row per unit, one column per coder); "
                   + ("the first row names the coders" if data.header else "no header row (--header if the first "
                      "row names the coders)") + "; "
                   + ("the first column names the units." if data.coder_column else "no unit-name column "
                      "(--coder-column if the first column names the units)."))
    else:
        click.echo(data.layout())
    click.echo(f"Categories ({order}): {cats}" + (f"; scores {', '.join(map(str, score_list))}" if score_list else ""))
    for note in data.notes():
        click.echo(f"Note: {note}")
    rows = []
    for r in results:
        value = "undefined" if r.value is None else f"{r.value:.3f}"
        ci = "" if r.interval is None else f"{r.interval[0]:.3f} to {r.interval[1]:.3f}"
        pa = "" if r.p_a is None else f"{r.p_a:.4f}"
        pe = "" if r.p_e is None else f"{r.p_e:.4f}"
        rows.append([r.name, value, pa, pe, ci, r.verdict, r.note])
    click.echo("")
    table(rows, ["coefficient", "value", "p_a", "p_e", "95% CI (bootstrap)" if resamples else "CI", "verdict", "note"])
    from qualcode.reliability.report import THRESHOLDS
    from qualcode.reliability.verdict import MATRIX_NO_INTERVAL, rule

    click.echo("")
    click.echo(THRESHOLDS)
    click.echo(rule(no_interval=MATRIX_NO_INTERVAL))


COMMANDS = [agree_cmd]
