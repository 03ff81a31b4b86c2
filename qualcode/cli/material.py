"""Bringing a researcher's material in: ``qualcode code import`` (coded-segment tables) and
``qualcode speakers`` (who speaks, in which role, across the project)."""

from __future__ import annotations

import sys

import click

from qualcode.cli.context import Context, pass_ctx
from qualcode.cli.core import code_group
from qualcode.cli.output import emit_json, table


def _mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.UsageError(f"--map {pair!r}: write FIELD=COLUMN, e.g. --map code=Theme")
        f, col = pair.split("=", 1)
        out[f.strip().lower()] = col.strip()
    return out


@code_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--map", "pairs", multiple=True, metavar="FIELD=COLUMN",
              help="Which column holds a field (transcript, code, text, start, end, coder, memo); "
                   "repeat for each. Default: recognised from the header (MAXQDA, ATLAS.ti, NVivo, Taguette, plain).")
@click.option("--layout", type=click.Choice(["auto", "maxqda", "atlasti", "nvivo", "taguette", "plain"]),
              default="auto", show_default=True, help="The program that wrote the table.")
@click.option("--create-codes", is_flag=True, help="Add codes the codebook lacks (paths make parents).")
@click.option("--code-separator", default=None, help="How a code path is written in the table, e.g. '/'.")
@click.option("--partial", is_flag=True, help="Write the rows that were placed even if some were not.")
@click.option("--dry-run", is_flag=True, help="Place every row and report, but write nothing.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def code_import(ctx: Context, file, pairs, layout, create_codes, code_separator, partial, dry_run, as_json) -> None:
    """Code in bulk from a table of coded segments (CSV, TSV or XLSX), in one operation per coder.

    Rows without a coder column are coded as you (--coder). Exit 0 when every row was placed,
    2 when rows were not placed (nothing is written unless --partial).
    """
    from qualcode.services.code_import import write_code_import, plan_code_import

    project = ctx.project
    mapping = _mapping(pairs)
    coder = ctx.coder
    result = plan_code_import(project, file, coder=coder, mapping=mapping, layout=layout,
                              create_codes=create_codes, code_separator=code_separator)
    failed = not result.complete
    if not dry_run and (not failed or partial):
        write_code_import(project, result, partial=partial)
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(f"{file}: {result.rows} rows, read as {result.layout} ({result.columns})")
        for p in result.problems[:50]:
            click.echo(f"  line {p.line}: {p.status}: {p.message}", err=True)
        if len(result.problems) > 50:
            click.echo(f"  ... and {len(result.problems) - 50} more", err=True)
        counts = ", ".join(f"{n} {k}" for k, n in result.counts.items() if n)
        click.echo(f"codings: {counts}")
        if result.new_codes:
            click.echo(f"new codes: {', '.join(result.new_codes)}")
        if result.written:
            click.echo("written: " + ", ".join(f"{n} for {c}" for c, n in result.written.items())
                       + " (one undo step each: `qualcode --coder NAME code undo`)")
        elif dry_run:
            click.echo("dry run: nothing written")
        elif failed:
            click.echo("nothing written: not every row was placed. Fix the rows above (or pass --partial "
                       "to write the placed rows).", err=True)
    sys.exit(2 if failed and not (partial and not dry_run) else 0)


COMMANDS: list = []
