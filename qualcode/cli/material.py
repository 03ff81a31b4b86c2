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


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out = {}
    for v in values:
        if "=" not in v:
            raise click.UsageError(f"{option} {v!r}: write LABEL=VALUE, e.g. {option} \"Lady Hallett=interviewer\"")
        k, val = v.rsplit("=", 1)
        out[k.strip()] = val.strip()
    return out


@click.command("speakers")
@click.option("--transcript", "-t", "transcripts", multiple=True, help="Only these transcripts.")
@click.option("--role", "roles", multiple=True, metavar="LABEL=ROLE",
              help="Set a role for every transcript: LABEL (a name, a glob like 'Lead *', or 're:REGEX') = "
                   "interviewer, respondent or none. Saved in qualcode.toml [speakers.roles].")
@click.option("--alias", "aliases", multiple=True, metavar="LABEL=SPEAKER",
              help="Make a label one speaker everywhere (saved in [speakers.aliases]).")
@click.option("--respondent", default=None, help="Who speaks unlabelled paragraphs in think-aloud layouts.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def speakers_cmd(ctx: Context, transcripts, roles, aliases, respondent, as_json) -> None:
    """List every speaker with role, turns and transcripts; set roles and aliases for the project."""
    from qualcode.analysis.speakers import project_speakers

    project = ctx.project
    if roles or aliases or respondent is not None:
        from qualcode.errors import ProjectError
        from qualcode.formats.transcripts.rules import check_rules
        from qualcode.store.config import save_config

        new_roles = {k: v.lower() for k, v in _pairs(roles, "--role").items()}
        bad = check_rules(new_roles)
        if bad:
            raise ProjectError("; ".join(bad), hint="roles are interviewer, respondent or none")
        cfg = project.config
        cfg.speaker_roles.update(new_roles)
        cfg.aliases.update(_pairs(aliases, "--alias"))
        if respondent is not None:
            cfg.respondent = respondent
        save_config(project.root, cfg)
        project.close()
        ctx._project = None
        project = ctx.project
        if not as_json:
            click.echo("saved in qualcode.toml; transcripts re-read with the new settings")
    rows = project_speakers(project, list(transcripts) or None)
    if as_json:
        emit_json(rows)
        return
    table([[r["speaker"], r["role"] or "-", r["turns"], f"{r['questions']:.0%}", len(r["transcripts"]),
            f"{r['proposed']} ({r['why']})" if r["proposed"] else ""] for r in rows],
          ["speaker", "role", "turns", "questions", "transcripts", "proposed"])
    if any(r["proposed"] for r in rows):
        click.echo("set a role with: qualcode speakers --role \"NAME=interviewer\"")


COMMANDS: list = [speakers_cmd]
