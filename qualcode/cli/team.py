"""Working as a team through git: ``share``, ``sync``, ``merge-driver``."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.context import Context, pass_ctx
from qualcode.cli.output import emit_json


def report_share(result, root: Path) -> None:
    if result.created_repo:
        click.echo(f"Made {root} a git repository")
    click.echo("Ready for sharing: .qualcode/ and exports/ ignored, codings/*.jsonl merged by qualcode's journal driver")
    if result.committed:
        click.echo("Committed the project")
    if result.pushed:
        click.echo(f"Pushed to {result.remote}. Teammates: `git clone {result.remote}`, then `qualcode sync` "
                   "whenever they want others' work and to share theirs.")
    else:
        click.echo("Next: `qualcode share URL` with a bare repository (`git init --bare /shared/drive/study.git`) "
                   "or a git server's empty repository")


@click.command("share")
@click.argument("remote", required=False)
@pass_ctx
def share_cmd(ctx: Context, remote: str | None) -> None:
    """Make the project a git repository ready for sharing; with REMOTE (a URL or a path to a bare
    repository), push it there so teammates can clone it."""
    from qualcode.services.sync import share

    root = ctx.project.root
    report_share(share(root, ctx.coder, remote), root)


@click.command("sync")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def sync_cmd(ctx: Context, as_json: bool) -> None:
    """Share your work and get the team's: commit your changes (saying what changed), fetch, merge
    (journals by qualcode's driver), push; then say what arrived from whom."""
    from qualcode.services.check import dropped_codings
    from qualcode.services.sync import sync

    project = ctx.project
    dropped_before = _dropped(project)
    result = sync(project.root, ctx.coder, project.config.codebook)
    unknown = codes_not_in_codebook(project) if result.arrived or result.committed else {}
    # (when something arrived, codes_not_in_codebook has just reloaded the codebook)
    lost = dropped_codings(project, ctx.coder, set(project.codebook.dropped) - dropped_before) \
        if result.arrived else {}
    if as_json:
        emit_json({"committed": result.committed, "arrived": result.arrived, "authors": result.authors,
                   "pushed": result.pushed, "up_to_date": result.up_to_date, "remote": result.remote,
                   "resumed": result.resumed,
                   "codes_not_in_codebook": unknown, "your_codings_dropped": lost, "notes": result.notes})
        return
    if result.resumed:
        click.echo("Finished a merge left unfinished (a sync interrupted, or a `git pull` stopped on a conflict): "
                   "it is now committed")
    if result.committed:
        click.echo("Committed your changes: " + "; ".join(result.committed))
    else:
        click.echo("Nothing of yours to commit")
    for note in result.notes:
        click.echo(f"Note: {note}")
    if result.arrived:
        who = f" from {', '.join(result.authors)}" if result.authors else ""
        click.echo(f"Arrived{who}:")
        for line in result.arrived:
            click.echo(f"  {line}")
    else:
        click.echo("Nothing new from the others")
    click.echo(f"Pushed to {result.remote}" if result.pushed else
               f"Nothing to push: {result.remote} already has all of this machine's work" if result.up_to_date
               else "Not pushed")
    for code_id, n in sorted(unknown.items()):
        click.echo(f"Note: {n} coding(s) use code {code_id!r}, which the codebook no longer has (removed on one "
                   "machine, used on another): add it back or recode them; `qualcode check` lists them")
    from qualcode.services.sync_notes import who_removed

    for code_id, n in sorted(lost.items()):
        by = who_removed(project.root, project.config.codebook, code_id)
        where = f"{by}'s machine" if by else "another machine"
        click.echo(f"Note: {n} of your coding(s) use code {code_id!r}, which arrived removed with its codings "
                   f"(`codebook remove --codings drop` on {where}): they no longer count. Your journal "
                   "keeps them; for them to count again, that removal must be undone (`qualcode codebook undo` "
                   f"on {where if by else 'the machine that made it'}) or the code added back")
    from qualcode.store.codebook_merge import open_conflicts

    waiting = len(open_conflicts(project.codebook_path))
    if waiting:
        click.echo(f"Codebook: {waiting} conflict(s) to choose on (the same field changed two ways): "
                   "`qualcode codebook resolve` lists them")


def _dropped(project) -> set[str]:
    from qualcode.errors import QualcodeError

    try:
        return set(project.reload_codebook().dropped)
    except QualcodeError:
        return set()


def codes_not_in_codebook(project) -> dict[str, int]:
    """Codes that codings use (after the codebook's renamed/merged records) but the merged codebook
    lacks: a code deleted on one machine and used on another."""
    from qualcode.errors import QualcodeError

    try:
        book = project.reload_codebook()
    except QualcodeError:
        return {}
    out: dict[str, int] = {}
    for coder in project.coders():
        for c in project.codings(coder):
            if c.code not in book:
                out[c.code] = out.get(c.code, 0) + 1
    return out


@click.command("merge-driver")
@click.argument("kind", type=click.Choice(["journal", "codebook"]))
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
@click.argument("path", required=False)
def merge_driver_cmd(kind: str, base: str, ours: str, theirs: str, path: str | None) -> int:
    """git's merge drivers (git runs them: see .gitattributes). journal: the union of OURS and THEIRS,
    each operation once, written into OURS. codebook: a three-way merge per code and field into OURS,
    conflicts recorded in PATH.conflicts (PATH: the codebook's path in the project); exit 1 leaves a
    text conflict to git."""
    if kind == "journal":
        from qualcode.store.merge import merge_files

        return merge_files(Path(base), Path(ours), Path(theirs))
    from qualcode.store import codebook_merge

    return codebook_merge.merge_files(Path(base), Path(ours), Path(theirs), path or ours)



def share_new(project) -> None:
    """``qualcode init --git``: the new project made a repository ready for sharing, first commit made."""
    import os

    from qualcode.cli.context import _login_name
    from qualcode.services.sync import share

    coder = os.environ.get("QUALCODE_CODER") or _login_name()
    report_share(share(project.root, coder), project.root)


COMMANDS = [share_cmd, sync_cmd, merge_driver_cmd]
