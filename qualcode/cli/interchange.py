"""REFI-QDA commands: export qdpx / qdc, import-project, import-codebook."""

from __future__ import annotations

import click

from qualcode.cli.export_group import export_group
from qualcode.cli.context import Context, pass_ctx
from qualcode.cli.output import emit_json


def _warn(warnings) -> None:
    for w in warnings:
        click.echo(f"warning: {w}", err=True)


def _counts(counts: dict) -> str:
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())


@export_group.command("qdpx")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="The file to write (default: exports/<project name>.qdpx).")
@click.option("--positions", type=click.Choice(["auto", "codepoints", "utf16"]), default="auto", show_default=True,
              help="How selection positions count, which matters only in text with characters outside the BMP "
                   "(emoji): codepoints as REFI-QDA says (ATLAS.ti, MAXQDA, QualCoder), utf16 as NVivo counts; "
                   "auto: utf16 for a project imported from NVivo, else codepoints.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def export_qdpx_cmd(ctx: Context, output: str | None, positions: str, as_json: bool) -> None:
    """The whole project as a REFI-QDA project (.qdpx) for ATLAS.ti, MAXQDA, NVivo, QualCoder ..."""
    from qualcode.services.interchange import export_qdpx

    r = export_qdpx(ctx.project, output, positions=positions)
    if as_json:
        emit_json({"path": str(r.path), "bytes": r.size, "counts": r.counts, "positions": r.positions,
                   "warnings": [str(w) for w in r.warnings]})
        return
    _warn(r.warnings)
    how = "UTF-16 code units (as NVivo counts)" if r.positions == "utf16" else "code points"
    click.echo(f"wrote {r.path} ({r.size:,} bytes): {_counts(r.counts)}; positions in {how}{_kept(r.path)}")


@export_group.command("qdc")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="The file to write (default: exports/<project name>.qdc).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def export_qdc_cmd(ctx: Context, output: str | None, as_json: bool) -> None:
    """The codebook as a REFI-QDA codebook (.qdc)."""
    from qualcode.services.interchange import export_qdc

    r = export_qdc(ctx.project, output)
    if as_json:
        emit_json({"path": str(r.path), "bytes": r.size, "counts": r.counts})
        return
    click.echo(f"wrote {r.path} ({r.size:,} bytes): {_counts(r.counts)}{_kept(r.path)}")


def _kept(path) -> str:
    """What the export kept aside (a file there edited since qualcode wrote it), as the line's end."""
    from qualcode.export.keep import kept_for, kept_text

    kept = kept_for(path)
    return f"; the file {kept_text(path, kept)}" if kept else ""


@click.command("import-project")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--taguette-project", type=int, default=None,
              help="For a Taguette database holding several projects: the project's id.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_project_cmd(file: str, folder: str, taguette_project: int | None, as_json: bool) -> None:
    """Make a new project in FOLDER from a REFI-QDA project FILE (.qdpx, or a .qde that holds its texts) or a
    Taguette project database (.sqlite3)."""
    from qualcode.services.interchange import import_project
    from qualcode.services.taguette import import_taguette, is_sqlite

    if is_sqlite(file):
        r = import_taguette(file, folder, project_id=taguette_project)
    else:
        r = import_project(file, folder)
    if as_json:
        emit_json({"project": str(r.root), "found": r.found, "imported": r.imported,
                   "coders": {c: {"user": u, "guid": g} for c, (u, g) in r.coders.items()},
                   "offsets": r.offsets, "warnings": [str(w) for w in r.warnings]})
        return
    _warn(r.warnings)
    click.echo(f"the file holds: {_counts(r.found)}")
    click.echo(f"created {r.root}: {_counts(r.imported)}")
    for coder, (user, guid) in r.coders.items():
        click.echo(f"  coder {coder}  <-  user {user}" + (f" {{{guid}}}" if guid else ""))
    click.echo("Next: `cd` there and run `qualcode check`, then `qualcode`.")


@click.command("import-codebook")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True,
              help="Make the codebook exactly the file's codes (default: merge into the current codebook).")
@click.option("--force", is_flag=True, help="With --replace: replace even if codings use codes that would vanish.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def import_codebook_cmd(ctx: Context, file: str, replace: bool, force: bool, as_json: bool) -> None:
    """Bring a REFI-QDA codebook (.qdc, or a .qdpx's codebook) into this project's codebook."""
    from qualcode.services.interchange import import_codebook

    if force and not replace:
        raise click.UsageError("--force only applies with --replace")
    r = import_codebook(ctx.project, file, replace=replace, force=force)
    if as_json:
        emit_json({"mode": r.mode, "backup": str(r.backup) if r.backup else None, "added": r.added,
                   "updated": r.updated, "unchanged": r.unchanged, "removed": r.removed, "kept": r.kept,
                   "warnings": [str(w) for w in r.warnings]})
        return
    _warn(r.warnings)
    click.echo(f"{r.mode}: {len(r.added)} added, {len(r.updated)} updated, {len(r.unchanged)} unchanged, "
               + (f"{len(r.removed)} removed" if r.mode == "replace" else f"{len(r.kept)} kept (not in the file)"))
    if r.backup:
        click.echo(f"the previous codebook is saved as {r.backup}")


COMMANDS = [export_group, import_project_cmd, import_codebook_cmd]
