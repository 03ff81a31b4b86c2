"""``qualcode`` with no command: open the workbench (Textual is imported only here)."""

from __future__ import annotations

import click

from qualcode.errors import QualcodeError


def open_workbench(ctx) -> None:
    try:
        from qualcode.tui.app import run
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("qualcode.tui"):
            raise QualcodeError("the workbench is not installed in this build",
                                hint="use the commands listed by `qualcode --help`") from None
        raise
    from qualcode.store.journal import check_coder_name

    project = ctx.project
    # --coder, else QUALCODE_CODER, else the coder last chosen in this workbench, else your login name:
    # never the project's default_coder by itself
    # (the workbench must not write into a reference coder's journal unless you choose that coder)
    run(project, coder=check_coder_name(ctx.coder_option) if ctx.coder_option else None)
    click.echo("Everything you coded is saved.")
