"""``qualcode codebook``: show and reshape the codebook (add, edit, move, merge, rename-id, remove, undo).

Every change is one undoable step (``qualcode codebook undo``); codings are never rewritten.
"""

from __future__ import annotations

import click

from qualcode.cli.context import Context, pass_ctx
from qualcode.cli.output import emit_json

_DETAILS = [
    click.option("--definition", default=None, help="What the code means."),
    click.option("--include", default=None, help="When to apply it."),
    click.option("--exclude", default=None, help="When not to (and what to use instead)."),
    click.option("--example", "examples", multiple=True, help="An example passage (repeat for more; replaces the list)."),
    click.option("--keyword", "keywords", multiple=True, help="A keyword or phrase (repeat for more; replaces the list)."),
    click.option("--colour", "--color", "colour", default=None, help='Its colour, "#RRGGBB".'),
    click.option("--shortcut", default=None, help="Its key in the workbench (a digit or letter; \"\" clears it)."),
]


def _project(ctx: Context):
    """The project without its transcript index (reshaping the codebook never needs the transcripts)."""
    from pathlib import Path

    from qualcode.store.config import find_root, load_config
    from qualcode.store.merge import ready_clone
    from qualcode.store.project import Project

    root = find_root(Path(ctx.project_dir) if ctx.project_dir else Path.cwd())
    ready_clone(root)  # a fresh clone: the codebook changed here merges with qualcode's driver
    return Project(root, load_config(root))


def _details(f):
    for option in reversed(_DETAILS):
        f = option(f)
    return f


def _given(**values) -> dict:
    out = {}
    for key, value in values.items():
        if value is None or value == ():
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


@click.group("codebook")
def codebook_group() -> None:
    """Show and reshape the codebook. Each change can be undone (`qualcode codebook undo`).

    Merging, removing and changing ids never rewrite anyone's journal: the codebook records them
    (renamed:, merged:, dropped:) and every reader applies them. `qualcode check` lists them.
    """


@codebook_group.command("show")
@click.argument("code", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
def show_cmd(ctx: Context, code: str | None, as_json: bool) -> None:
    """The code tree with ids, keys and codings per code; with CODE, everything about that code."""
    from qualcode.domain.codebook_edit import _need
    from qualcode.formats.codebook_yaml import code_details
    from qualcode.services.codebook_ops import usage

    project = _project(ctx)
    book = project.codebook
    use = usage(project)
    if code:
        c = _need(book, code)
        data = {"id": c.id, "name": c.name, "parent": c.parent, "colour": c.colour, "shortcut": c.shortcut,
                **code_details(c), "children": [k.id for k in book.children(c.id)], "codings": use.of(c.id),
                "was": sorted(o for o, n in {**book.renamed, **book.merged}.items() if book.resolve_code(o) == c.id)}
        if as_json:
            emit_json(data)
            return
        for key, value in data.items():
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                value = "; ".join(value) if key != "examples" else "\n    " + "\n    ".join(value)
            click.echo(f"{key}: {value}")
        return
    rows = [{"id": c.id, "name": c.name, "depth": book.depth(c.id), "shortcut": c.shortcut, "codings": use.of(c.id)}
            for c in book.walk()]
    if as_json:
        emit_json({"name": book.name, "codes": rows, "renamed": book.renamed, "merged": book.merged,
                   "dropped": book.dropped})
        return
    for r in rows:
        key = f"[{r['shortcut']}] " if r["shortcut"] else ""
        click.echo(f"{'  ' * r['depth']}{r['id']}  {key}{r['name']}  ({r['codings']})")
    for old, new in {**book.renamed, **book.merged}.items():
        click.echo(f"  (was {old} -> {new})")


def _say(message: str) -> None:
    click.echo(message)


@codebook_group.command("add")
@click.argument("code_id")
@click.argument("name")
@click.option("--parent", default=None, help="The code to put it under (default: the top level).")
@_details
@pass_ctx
def add_cmd(ctx: Context, code_id: str, name: str, parent: str | None, **details) -> None:
    """Add a code CODE_ID called NAME."""
    from qualcode.services.codebook_ops import add

    _say(add(_project(ctx), code_id, name, parent, **_given(**details)))


@codebook_group.command("edit")
@click.argument("code")
@click.option("--name", default=None, help="Its name.")
@_details
@click.option("--clear", "clear", multiple=True,
              type=click.Choice(["definition", "include", "exclude", "examples", "keywords", "colour", "shortcut"]),
              help="Empty a field (repeat for more).")
@pass_ctx
def edit_cmd(ctx: Context, code: str, clear: tuple[str, ...], **fields) -> None:
    """Change fields of CODE (an id or exact name). Fields not given stay as they are."""
    from qualcode.errors import QualcodeError
    from qualcode.services.codebook_ops import change

    changes = _given(**fields)
    for key in clear:
        changes[key] = [] if key in ("examples", "keywords") else ""
    if not changes:
        raise QualcodeError("nothing to change", hint="give at least one of --name, --definition, --include, "
                            "--exclude, --example, --keyword, --colour, --shortcut, --clear")
    _say(change(_project(ctx), code, **changes))


@codebook_group.command("move")
@click.argument("code")
@click.option("--under", "parent", default=None, help="The new parent.")
@click.option("--top", is_flag=True, help="Move to the top level.")
@pass_ctx
def move_cmd(ctx: Context, code: str, parent: str | None, top: bool) -> None:
    """Move CODE (with its children) under another code, or to the top level."""
    from qualcode.errors import QualcodeError
    from qualcode.services.codebook_ops import move

    if bool(parent) == top:
        raise QualcodeError("say where to: --under PARENT or --top")
    _say(move(_project(ctx), code, parent))


@codebook_group.command("merge")
@click.argument("source")
@click.argument("target")
@pass_ctx
def merge_cmd(ctx: Context, source: str, target: str) -> None:
    """Merge SOURCE into TARGET: every coder's SOURCE codings count as TARGET; SOURCE's children move
    under TARGET; SOURCE leaves the codebook."""
    from qualcode.services.codebook_ops import merge

    _say(merge(_project(ctx), source, target))


@codebook_group.command("rename-id")
@click.argument("old")
@click.argument("new")
@pass_ctx
def rename_cmd(ctx: Context, old: str, new: str) -> None:
    """Change a code's id from OLD to NEW; codings made with OLD count as NEW. (Its name: `edit --name`.)"""
    from qualcode.services.codebook_ops import rename

    _say(rename(_project(ctx), old, new))


@codebook_group.command("remove")
@click.argument("code")
@click.option("--codings", "codings", default=None, metavar="reassign:ID|drop|keep-orphaned",
              help="What becomes of its codings (required when it has some).")
@pass_ctx
def remove_cmd(ctx: Context, code: str, codings: str | None) -> None:
    """Remove CODE; its children move up to its parent."""
    from qualcode.services.codebook_ops import remove

    _say(remove(_project(ctx), code, codings))


@codebook_group.command("undo")
@click.option("--force", is_flag=True, help="Undo even if the file was changed since (by hand).")
@pass_ctx
def undo_cmd(ctx: Context, force: bool) -> None:
    """Undo the last codebook change (made here or in the workbench's codebook editor)."""
    from qualcode.services.codebook_ops import undo

    _say(f"undone: {undo(_project(ctx), force=force)}")


@codebook_group.command("history")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
def history_cmd(ctx: Context, as_json: bool) -> None:
    """The codebook changes `undo` can take back, newest last."""
    from qualcode.services.codebook_ops import history

    entries = history(_project(ctx))
    if as_json:
        emit_json(entries)
        return
    if not entries:
        click.echo("no codebook changes to undo")
    for e in entries:
        click.echo(f"{e['n']:4d}  {e.get('at', '')}  {e['what']}")


@codebook_group.command("resolve")
@click.argument("code", required=False)
@click.argument("field", required=False)
@click.option("--take", default=None, metavar="NAME|mine|theirs",
              help="Whose value to keep, by the name the list gives (`--take ana`), any of the values listed; "
                   "mine: the value in the codebook now; theirs: the other side's value.")
@click.option("--codings", "codings", default=None, metavar="reassign:ID|drop|keep-orphaned",
              help="Taking theirs on a code the other side deleted: what becomes of its codings.")
@click.option("--json", "as_json", is_flag=True, help="List as JSON.")
@pass_ctx
def resolve_cmd(ctx: Context, code: str | None, field: str | None, take: str | None, codings: str | None,
                as_json: bool) -> None:
    """Codebook conflicts a team merge left (the same field changed two ways on two machines): without
    arguments, list them, each value with who had it; `resolve CODE FIELD --take NAME` keeps that person's
    value (`--take mine|theirs` too; an undoable change)."""
    from qualcode.errors import QualcodeError
    from qualcode.services.conflicts import conflicts, resolve

    project = _project(ctx)
    if code is None:
        found = conflicts(project.codebook_path, project.codebook)
        if as_json:
            emit_json([{"code": c.code, "field": c.field, "mine": c.mine, "theirs": c.theirs,
                        **dict(zip(("mine_by", "theirs_by"), c.names or (None, None))),
                        **({"others": c.options()[2:]} if len(c.options()) > 2 else {})} for c in found])
            return
        if not found:
            click.echo("no codebook conflicts to choose on")
            return
        for c in found:
            click.echo(c.words())
        click.echo("choose: qualcode codebook resolve CODE FIELD --take NAME (whose value to keep, as listed; "
                   "--take mine|theirs work too)")
        return
    if field is None or take is None:
        raise QualcodeError("say which conflict and which value: CODE FIELD --take NAME (whose value to keep) "
                            "or --take mine|theirs",
                            hint="`qualcode codebook resolve` lists the conflicts")
    _say(resolve(project, code, field, take, codings))


COMMANDS = [codebook_group]
