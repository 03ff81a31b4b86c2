"""``qualcode status``: say where you are with each transcript (not started, in progress, done).

    qualcode status                      # your status for every transcript
    qualcode status --all-coders         # every coder's
    qualcode status lsp-b done           # mark lsp-b done (also: in-progress, not-started)

Kept in your journal (``qualcode.store.status``); ``qualcode agree --done-only`` compares only the
transcripts every compared coder marked done.
"""

from __future__ import annotations

import click

from qualcode.cli.context import Context, pass_ctx
from qualcode.cli.output import emit_json, table
from qualcode.errors import QualcodeError


@click.command("status")
@click.argument("transcript", required=False)
@click.argument("status", required=False)
@click.option("--all-coders", is_flag=True, help="Show every coder's status, not only yours.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
def status_cmd(ctx: Context, transcript: str | None, status: str | None, all_coders: bool, as_json: bool) -> None:
    """Show or set transcript status: not-started, in-progress or done (per coder, in your journal).

    \b
    qualcode status                  your status for every transcript
    qualcode status lsp-b done       mark lsp-b done (in-progress, not-started)
    qualcode status --all-coders     every coder's
    """
    from qualcode.store import status as st

    project = ctx.project
    if transcript is not None:
        transcript = project.index.find(transcript)
    if status is not None:
        wanted = st.parse_status(status)  # a bad word fails before the journal is opened
        session = project.session(ctx.writer)
        try:
            st.set_status(session, transcript, wanted)
        finally:
            session.close()
        click.echo(f"{transcript}: {wanted} (for {ctx.writer}; saved in codings/{ctx.writer}.jsonl)")
        return
    coders = project.coders() if all_coders else [ctx.coder]
    if ctx.coder not in coders:
        coders.insert(0, ctx.coder)
    sets = {c: project.codings(c) for c in coders}
    tids = [transcript] if transcript else [e.id for e in project.index]
    rows = [[tid, *(st.status_of(sets[c], tid) for c in coders)] for tid in tids]
    if as_json:
        emit_json([{"transcript": r[0], **dict(zip(coders, r[1:]))} for r in rows])
        return
    table(rows, ["transcript", *coders])


def done_only_transcripts(project, coders: list[str], quiet: bool = False) -> list[str]:
    """For ``qualcode agree --done-only``: the transcripts every coder marked done; says what it left out
    (on stderr when ``quiet``, so JSON and CSV output stay clean)."""
    from qualcode.store.status import done_by_all

    found = done_by_all(project, coders)
    if not found.kept:
        raise QualcodeError(f"no transcript is marked done by all of {', '.join(coders)}",
                            hint="mark one with `qualcode status TRANSCRIPT done --coder NAME` (or D on the home screen)")
    if found.left_out:
        click.echo(f"Left out ({len(found.left_out)} transcript(s) not marked done by every coder):", err=quiet)
        for line in found.describe():
            click.echo(f"  {line}", err=quiet)
        click.echo("", err=quiet)
    return found.kept


COMMANDS = [status_cmd]
