"""`qualcode table ...`: the analysis tables in the terminal, as JSON or as CSV.

pandas is imported inside the commands, so `qualcode --help` stays fast.
"""

from __future__ import annotations

import math
import sys
import textwrap

import click

from qualcode.cli.context import pass_ctx
from qualcode.cli.output import emit_json, table as text_table


def _coders(ctx, coders: tuple[str, ...]):
    """--coders a,b (repeatable); else the global --coder if given; else the tables' default."""
    names = [n.strip() for item in coders for n in item.split(",") if n.strip()]
    if names:
        return names
    return [ctx.coder_option] if ctx.coder_option else None


def _codes(codes: tuple[str, ...]):
    names = [n.strip() for item in codes for n in item.split(",") if n.strip()]
    return names or None


def output_options(f):
    f = click.option("--csv", "as_csv", is_flag=True, help="Print CSV (for a spreadsheet).")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print JSON: title, caption and rows.")(f)
    f = click.option("--coders", multiple=True, metavar="NAMES",
                     help="Whose codings (repeat, or a,b); several are pooled, except in frequencies, which shows "
                          "each coder. Default: the project's default coder, else every coder pooled.")(f)
    return f


def code_option(f):
    return click.option("--code", "codes", multiple=True, metavar="IDS",
                        help="Only these codes, each with the codes under it (repeat, or a,b).")(f)


@click.group("table")
def table_group() -> None:
    """Analysis tables: frequencies, case x code matrix, Framework matrix, crosstabs, co-occurrence, retrieval.

    Each prints an aligned table (or --json, --csv) with a caption saying what the numbers are.
    """


@table_group.command("frequencies")
@code_option
@output_options
@pass_ctx
def frequencies_cmd(ctx, codes, coders, as_json, as_csv) -> None:
    """How often each code is used: codings, words coded, transcripts and cases."""
    if as_csv:  # pandas writes the CSV; the text and JSON are made without it (a fast start)
        from qualcode.analysis import frequencies

        show(frequencies(ctx.project, coders=_coders(ctx, coders), codes=_codes(codes)), as_json, as_csv)
        return
    from qualcode.analysis.frequency import frequency_table

    show_plain(frequency_table(ctx.project, coders=_coders(ctx, coders), codes=_codes(codes)), as_json)


@table_group.command("matrix")
@click.option("--by", "by", type=click.Choice(["cases", "codings", "words"]), default="cases", show_default=True,
              help="cases: 1 if the code occurs in the case; codings: number of codings; words: words coded.")
@code_option
@output_options
@pass_ctx
def matrix_cmd(ctx, by, codes, coders, as_json, as_csv) -> None:
    """Cases x codes (as text, the longer side runs down the page; --json/--csv keep cases as rows)."""
    from qualcode.analysis import case_matrix

    value = {"cases": "presence", "codings": "counts", "words": "words"}[by]
    show(case_matrix(ctx.project, coders=_coders(ctx, coders), codes=_codes(codes), value=value), as_json, as_csv)


@table_group.command("framework")
@click.option("--quotes", default=2, show_default=True, help="Exemplar quotes per cell.")
@click.option("--max-chars", default=400, show_default=True, help="Clip each quote to about this many characters.")
@code_option
@output_options
@pass_ctx
def framework_cmd(ctx, quotes, max_chars, codes, coders, as_json, as_csv) -> None:
    """Framework matrix: for each case and code, memos and the best exemplar quotes."""
    from qualcode.analysis import framework_matrix

    df = framework_matrix(ctx.project, coders=_coders(ctx, coders), codes=_codes(codes), quotes=quotes,
                          max_chars=max_chars)
    show(df, as_json, as_csv, text=_framework_text,
         extra={k: df.attrs.get(k, {}) for k in ("attributions", "quotes", "memos")})


@table_group.command("crosstab")
@click.option("--rows", required=True, metavar="SPEC",
              help="A code id (its children are the rows), a list a,b,c of code ids, or attr:NAME.")
@click.option("--cols", default=None, metavar="SPEC", help="The same kinds as --rows; without it, totals only.")
@click.option("--by", "by", type=click.Choice(["cases", "codings", "words"]), default="cases", show_default=True,
              help="Count cases, codings or words coded.")
@click.option("--no-percent", is_flag=True, help="Counts only, no percentage columns.")
@output_options
@pass_ctx
def crosstab_cmd(ctx, rows, cols, by, no_percent, coders, as_json, as_csv) -> None:
    """Codes against case attributes (attr:NAME) or against codes, counting cases by default. Code rows
    show the code's name beside its id, marked "(with sub-codes)" when the row counts codes under it.

    Groups of fewer than 5 cases are named once: under the table, in the JSON's "caution", or (--csv)
    in a short note on the Total row with the whole warning on stderr."""
    from qualcode.analysis.crosstab import labelled

    from qualcode.analysis.crosstab import crosstab

    df = crosstab(ctx.project, rows, cols, coders=_coders(ctx, coders), by=by, percent=not no_percent)
    caution = df.attrs.get("caution") or None
    if as_csv:
        show(labelled(df, note="short"), False, True)
        if caution:
            click.echo(textwrap.fill(caution, width=100), err=True)
        return
    show(labelled(df, note=None), as_json, False, extra={"caution": caution})


@table_group.command("cooccurrence")
@click.option("--mode", type=click.Choice(["overlap", "turn"]), default="overlap", show_default=True,
              help="overlap: overlapping codings; turn: codes in the same speaker turn.")
@code_option
@output_options
@pass_ctx
def cooccurrence_cmd(ctx, mode, codes, coders, as_json, as_csv) -> None:
    """Code x code co-occurrence (symmetric)."""
    from qualcode.analysis import cooccurrence

    show(cooccurrence(ctx.project, coders=_coders(ctx, coders), codes=_codes(codes), mode=mode), as_json, as_csv)


@table_group.command("retrieve")
@click.argument("code_args", nargs=-1, metavar="[CODE]...")
@code_option
@click.option("--no-children", is_flag=True, help="Only the code itself, not the codes under it.")
@click.option("--context", default=150, show_default=True, help="Characters of context either side.")
@output_options
@pass_ctx
def retrieve_cmd(ctx, code_args, codes, no_children, context, coders, as_json, as_csv) -> None:
    """Every segment coded CODE: quote, speaker, context and the case's attributes."""
    from qualcode.errors import QualcodeError

    wanted = _codes(code_args + codes)
    if not wanted:
        raise QualcodeError("name a code to retrieve", hint="e.g. `qualcode table retrieve outcomes.matter`")
    how = dict(coders=_coders(ctx, coders), include_children=not no_children, context=context)
    from qualcode.analysis.retrieve import retrieve  # imports no pandas: only calling it does
    if as_csv:  # pandas writes the CSV; the text and JSON are made without it (a fast start)
        show(retrieve(ctx.project, wanted, **how), as_json, as_csv)
        return
    from qualcode.analysis.retrieve import segment_table

    t = segment_table(ctx.project, wanted, **how)
    show_plain(t, as_json, index_name=None if "empty_reason" in t.attrs else "coding",  # as the DataFrame says
               text=lambda cols, rows: _retrieve_text((cid, dict(zip(cols, values))) for cid, values in rows))


COMMANDS = [table_group]


# -- output --------------------------------------------------------------------------------------
def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.1f}"
    if hasattr(value, "item"):  # numpy scalar
        return _cell(value.item())
    return str(value)


def _plain(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def show(df, as_json: bool, as_csv: bool, *, text=None, extra=None) -> None:
    if as_csv:
        df.to_csv(sys.stdout, index=df.index.name is not None)
        return
    show_rows(df.attrs, df.index.name, [str(c) for c in df.columns],
              zip(df.index, df.itertuples(index=False, name=None)), as_json,
              text=lambda: (text or _generic_text)(df), extra=extra)


def show_plain(t, as_json: bool, *, index_name=None, text=None) -> None:
    """A table of plain rows (``analysis.frequency.PlainTable``) as ``show`` prints a DataFrame of it;
    ``text(columns, rows)`` prints it as text (default: aligned columns, without the index)."""
    rows = list(zip(t.index, t.rows))
    show_rows(t.attrs, index_name, t.columns, rows, as_json, text=lambda: (text or _plain_text)(t.columns, rows))


def _plain_text(columns, rows) -> None:
    text_table([[_cell(v) for v in values] for _, values in rows], columns)


def show_rows(attrs: dict, index_name, columns: list[str], rows, as_json: bool, *, text, extra=None) -> None:
    """Title, the table (``text()``) and caption; or, with ``as_json``, the JSON payload of ``rows``
    ((label, values) pairs)."""
    if as_json:
        out = []
        for label, values in rows:
            row = {index_name: _plain(label)} if index_name is not None else {}
            row.update({c: _plain(v) for c, v in zip(columns, values)})
            out.append(row)
        payload = {"title": attrs.get("title"), "caption": attrs.get("caption"), "kind": attrs.get("kind"),
                   "index": index_name, "columns": columns, "rows": out}
        if "empty_reason" in attrs:
            payload["empty_reason"] = attrs["empty_reason"]
        payload.update(extra or {})
        emit_json(payload)
        return
    click.echo(attrs.get("title", ""))
    click.echo()
    if "empty_reason" in attrs:
        click.echo(attrs["empty_reason"])
        return
    text()
    click.echo()
    if attrs.get("caution"):  # a crosstab's small groups: said once, under the table
        click.echo(textwrap.fill(attrs["caution"], width=100))
        click.echo()
    click.echo(textwrap.fill(attrs.get("caption", ""), width=100))


def _generic_text(df) -> None:
    if df.attrs.get("kind") == "case_matrix" and df.shape[1] > df.shape[0]:
        t = df.T  # codes down the page: a terminal is taller than it is wide
        headers = ["code", *map(str, t.columns)]
        rows = [[code, *map(_cell, values)] for code, values in zip(t.index, t.itertuples(index=False, name=None))]
        text_table(rows, headers)
        return
    show_index = df.index.name is not None or df.attrs.get("kind") != "frequencies"
    headers = ([df.index.name or ""] if show_index else []) + [str(c) for c in df.columns]
    rows = []
    for label, values in zip(df.index, df.itertuples(index=False, name=None)):
        rows.append(([_cell(label)] if show_index else []) + [_cell(v) for v in values])
    text_table(rows, headers)


def _framework_text(df) -> None:
    attributions = df.attrs.get("attributions", {})
    memos = df.attrs.get("memos", {})
    quotes = df.attrs.get("quotes", {})
    for case in df.index:
        shown = False
        for code in df.columns:
            q = quotes.get(case, {}).get(code, [])
            m = memos.get(case, {}).get(code, [])
            if not q and not m:
                continue
            if not shown:
                click.echo(f"== {case} ==")
                shown = True
            click.echo(f"  {code}")
            for memo in m:
                click.echo(textwrap.fill(f"Memo: {memo}", width=100, initial_indent="    ", subsequent_indent="    "))
            for quote, who in zip(q, attributions.get(case, {}).get(code, [])):
                click.echo(textwrap.fill(f"“{quote}” {who}", width=100, initial_indent="    ",
                                         subsequent_indent="     "))
        if shown:
            click.echo()


def _fill(text: str, indent: str, width: int = 100) -> str:
    """``textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent)`` for ``text`` whose
    words are one space apart: the same lines, about eight times faster (a retrieval prints thousands;
    textwrap cost `table retrieve` 0.13 s of 0.4 on 840 segments). Text with a hyphen (textwrap may
    break after it) or a word too long for a line goes to textwrap itself."""
    words = text.split(" ")
    if not text or "-" in text or max(map(len, words)) > width - len(indent):
        return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)
    lines, line = [], indent + words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = indent + word
    lines.append(line)
    return "\n".join(lines)


def _retrieve_text(rows) -> None:
    """``rows``: (coding id, row) pairs, each row a mapping of column to value. Each segment: its code,
    place, coder and id; the words said within it in [brackets] in their context (a question coded with
    its answer, with its labels, in the context before); who said them."""
    for coding_id, row in rows:
        where = f"{row['transcript']} {row['start']}-{row['end']}"
        memo = row["memo"] if isinstance(row["memo"], str) and row["memo"] else ""
        status = "" if row["status"] == "kept" else f" [{row['status']}]"
        click.echo(f"{row['code']}  {where}  {row['coder']}  {coding_id}{status}")
        body = f"{row['before']}[{row['quote']}]{row['after']}"
        click.echo(_fill(" ".join(body.split()), "    "))
        click.echo(f"    {_said_by(row)}" + (f"  memo: {memo}" if memo else ""))
        click.echo()


def _said_by(row) -> str:
    """Who said the quote, as the spreadsheets' speaker and attribution columns name them: "Yvonne Okafor
    (LSP C, VCS representative)"; the attribution alone when it names them already ("(LSP B, Bo Chan)")."""
    said_by = str(row["attribution"] or "")
    names = [n for n in str(row["speaker"] or "").split("; ") if n and n.lower() not in said_by.lower()]
    return f"{' and '.join(names)} {said_by}" if names else said_by
