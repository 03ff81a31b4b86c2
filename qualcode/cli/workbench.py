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
    project = ctx.project
    run(project, coder=ctx.coder)
    click.echo("Everything you coded is saved.")
