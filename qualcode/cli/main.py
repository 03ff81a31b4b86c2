"""The ``qualcode`` command. Thin: parse, call a service, print. Errors exit 2 with one message."""

from __future__ import annotations

import os
import sys

import click

from qualcode.cli.context import Context, pass_ctx  # noqa: F401 - re-exported for command modules
from qualcode.errors import QualcodeError


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "project_dir", type=click.Path(file_okay=False), default=None,
              help="The project folder (default: the nearest folder with qualcode.toml, here or above).")
@click.option("--coder", default=None, help="Who you are coding as (default: QUALCODE_CODER, else your login name; the workbench first "
                   "takes the coder you last chose in it; reports with no coder show the project's default_coder).")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
@click.version_option(package_name="qualcode")
@click.pass_context
def cli(ctx: click.Context, project_dir: str | None, coder: str | None, debug: bool) -> None:
    """qualcode: code interview transcripts in the terminal.

    With no command, opens the coding workbench on the project.
    """
    ctx.obj = Context(project_dir, coder, debug)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from qualcode.cli.workbench import open_workbench

        open_workbench(ctx.obj)


def _register() -> None:
    from qualcode.cli import core

    for command in core.COMMANDS:
        cli.add_command(command)
    import importlib

    for name in ("agree", "status", "suggest", "tables", "exports", "interchange", "material", "codebook", "team"):
        try:
            module = importlib.import_module(f"qualcode.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"qualcode.cli.{name}":
                raise
            continue
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


_GLOBAL_VALUE = ("--project", "--coder")


def hoist_global_options(args: list[str]) -> list[str]:
    """Let --project, --coder and --debug stand anywhere on the line (before a `--`)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i:])
            break
        if a == "--debug":
            front.append(a)
        elif a in _GLOBAL_VALUE and i + 1 < len(args):
            front.extend(args[i:i + 2])
            i += 1
        elif a.split("=", 1)[0] in _GLOBAL_VALUE and "=" in a:
            front.append(a)
        else:
            rest.append(a)
        i += 1
    return front + rest


def not_utf8(args: list[str]) -> str | None:
    """The first argument that is not UTF-8 text (bytes from a Latin-1 terminal or a cp1252 paste
    arrive as lone surrogates), unless it names an existing file: file names may be any bytes."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            value = arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg
            if not os.path.lexists(value):
                return arg
    return None


def main(argv: list[str] | None = None) -> None:
    args = hoist_global_options(list(argv if argv is not None else sys.argv[1:]))
    debug = "--debug" in args
    bad = not_utf8(args)
    if bad is not None:
        shown = bad.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        click.echo(f"qualcode: the argument {shown!r} is not UTF-8 text (a terminal or a paste in another "
                   "encoding, such as Latin-1 or cp1252?); nothing was done. Set the terminal to UTF-8 and "
                   "type it again.", err=True)
        sys.exit(2)
    try:
        rv = cli.main(args=args, prog_name="qualcode", standalone_mode=False)
    except QualcodeError as exc:
        if debug:
            raise
        click.echo(f"qualcode: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 1 else exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: say so plainly
        if debug:
            raise
        click.echo(f"qualcode: internal error ({type(exc).__name__}: {exc}). This is a bug; "
                   "run again with --debug and report the traceback.", err=True)
        sys.exit(2)
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":
    main()
