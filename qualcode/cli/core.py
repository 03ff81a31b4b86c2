"""The foundation's commands: init, import, check, code, stats, compact."""

from __future__ import annotations

import sys

import click

from qualcode.cli.context import Context, pass_ctx
from qualcode.cli.output import emit_json, table
from qualcode.domain.codebook import set_warning_sink


def _codebook_warning(problem) -> None:
    """A codebook problem that changes no coding's meaning (a bad colour, a taken shortcut): said once on
    stderr by every command that reads the codebook, which goes on (`qualcode check` lists them too)."""
    click.echo(f"qualcode: warning: {problem}", err=True)


set_warning_sink(_codebook_warning)


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--name", default=None, help="The study's name (default: the folder's name).")
@click.option("--git", "use_git", is_flag=True, help="Also make it a git repository ready for sharing (see `qualcode share`).")
@click.option("--inside", is_flag=True,
              help="Make it even though FOLDER is inside another project (refused without: commands run there "
                   "would find the new project, not the enclosing one).")
def init_cmd(folder: str, name: str | None, use_git: bool = False, inside: bool = False) -> None:
    """Create a project in FOLDER: qualcode.toml, a starter codebook, transcripts/, codings/, exports/.
    FOLDER must not be inside another project unless you add --inside."""
    from qualcode.services.project_ops import init_project

    project = init_project(folder, name, inside=inside)
    click.echo(f"Created project {project.config.name!r} in {project.root}")
    if use_git:
        from qualcode.cli.team import share_new

        share_new(project)
    click.echo("Next: `cd` there, `qualcode import YOUR-TRANSCRIPTS...`, edit codebooks/codebook.yaml, then `qualcode`.")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Bring in a new version of a transcript already imported.")
@click.option("--id", "transcript_id", default=None, help="The transcript's id (one file; default: front matter or file name).")
@click.option("--title", default=None, help="The transcript's title (one text file; set in its front matter).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def import_cmd(ctx: Context, files: tuple[str, ...], replace: bool, transcript_id, title, as_json: bool) -> None:
    """Copy transcripts into the project (text, Markdown, Otter, Zoom/Teams VTT, SRT, Word .docx)."""
    from qualcode.errors import Note
    from qualcode.services.project_ops import import_transcripts

    result = import_transcripts(ctx.project, list(files), replace=replace, transcript_id=transcript_id, title=title,
                                keep_going=len(files) > 1)
    failed = [_import_failure(f, exc) for f, exc in result.failed]
    if as_json:
        emit_json({"imported": [{"id": i, "path": p} for i, p in result.imported],
                   "unchanged": result.unchanged, "warnings": [str(w) for w in result.warnings],
                   "failed": failed})
        if failed:
            sys.exit(2)
        return
    for w in result.warnings:
        click.echo(f"{'note' if isinstance(w, Note) else 'warning'}: {w}", err=True)
    from qualcode.analysis.data import plural

    for tid, path in result.imported:
        e = ctx.project.index.get(tid)
        who = ", ".join(f"{s} ({d['role'] or 'no role'}, {plural(int(d['turns'] or 0), 'turn')})"
                        for s, d in e.roles.items())
        click.echo(f"imported {tid} -> {path} ({e.format}, {plural(e.turns, 'turn')}, {plural(e.words, 'word')}, "
                   f"speakers: {who or 'none found'})")
    for tid in result.unchanged:
        click.echo(f"unchanged {tid} (already imported)")
    if not failed:
        return
    for f in failed:
        where = f["file"] + (f":{f['line']}" if f["line"] else "")
        click.echo(f"qualcode: {where}: {f['error']}" + (f" (what to do: {f['hint']})" if f["hint"] else ""), err=True)
    same = f" ({len(result.unchanged)} unchanged)" if result.unchanged else ""
    click.echo(f"imported {len(result.imported)} of {plural(len(files), 'file')}{same}; "
               f"{len(failed)} not imported (see above)", err=True)
    sys.exit(2)


def _import_failure(given: str, exc) -> dict:
    """One file that was not imported, named as the researcher gave it: file, line, error, what to do."""
    from pathlib import Path

    where = exc.path or given
    if Path(where).name == Path(given).name:
        where = given
    return {"file": where, "line": exc.line, "error": " ".join(exc.message.split()), "hint": exc.hint or ""}


@click.command("check")
@click.option("--fix", is_flag=True, help="Save moved codings at their new place (journal 'move' operations).")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def check_cmd(ctx: Context, fix: bool, as_json: bool) -> None:
    """Validate the whole project. Exit 0 when clean, 1 with findings, 2 on error."""
    from qualcode.services.check import check_project

    report = check_project(ctx.project, fix=fix, coder_for_fix=ctx.writer)  # a coder saves only their own
    if as_json:
        emit_json(report.to_json())
    else:
        c = report.counts
        from qualcode.analysis.data import plural

        click.echo(f"{plural(c['transcripts'], 'transcript')}, {plural(c['codes'], 'code')}, "
                   f"{plural(c['coders'], 'coder')}, {plural(c['codings'], 'coding')}")
        a = report.anchors
        click.echo(f"anchors: {a.get('kept', 0)} kept, {a.get('moved', 0)} moved, {a.get('orphaned', 0)} orphaned")
        for f in report.findings:
            click.echo(f"{f.severity}: [{f.area}] {f.problem}")
        if report.fixed:
            click.echo(f"saved the new place of {report.fixed} moved coding(s) (a 'move' line in the coder's journal; "
                       "`qualcode code undo` takes one back)")
        for f in report.notes:
            click.echo(f"note: [{f.area}] {f.problem}")
        for note in ctx.project.cache_notes():
            click.echo(f"note: {note}")
        for note in report.reshaped:
            click.echo(f"note: [codebook] {note} (journals unchanged)")
        click.echo("clean" if report.clean else f"{len(report.findings)} finding(s)")
    sys.exit(0 if report.clean else 1)


@click.group("code")
def code_group() -> None:
    """Add, remove, recode, list codings from the command line (undo and redo too)."""


@code_group.command("add")
@click.argument("transcript")
@click.argument("code")
@click.option("--start", type=int, help="Start offset (characters into the transcript).")
@click.option("--end", type=int, help="End offset (exclusive).")
@click.option("--quote", help="Text to code: found in the transcript (exactly, or with spacing and quote marks folded).")
@click.option("--occurrence", type=int, help="Which occurrence of --quote, when it occurs more than once (1-based).")
@click.option("--memo", help="A memo on the coding.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def code_add(ctx: Context, transcript: str, code: str, start, end, quote, occurrence, memo, as_json) -> None:
    """Code a span of TRANSCRIPT with CODE (a code id or exact name)."""
    from qualcode.services.coding_ops import add_coding

    transcript = ctx.project.index.find(transcript)
    c = add_coding(ctx.project, ctx.writer, transcript, code, start=start, end=end, quote=quote,
                   occurrence=occurrence, memo=memo)
    if as_json:
        emit_json(c.to_json())
    else:
        click.echo(f"saved {c.id}: {c.code} on {c.transcript} {c.start}-{c.end} by {c.coder}")


@code_group.command("remove")
@click.argument("coding_id")
@pass_ctx
def code_remove(ctx: Context, coding_id: str) -> None:
    """Remove the coding CODING_ID (see `qualcode code list`)."""
    ctx.project.session(ctx.writer).remove(coding_id)
    click.echo(f"removed {coding_id}")


@code_group.command("recode")
@click.argument("coding_id")
@click.argument("code")
@pass_ctx
def code_recode(ctx: Context, coding_id: str, code: str) -> None:
    """Give the coding CODING_ID another CODE (a code id or exact name)."""
    from qualcode.services.coding_ops import recode_coding

    code = recode_coding(ctx.project, ctx.writer, coding_id, code)
    click.echo(f"recoded {coding_id} to {code}")


@code_group.command("memo")
@click.argument("coding_id")
@click.argument("text", required=False)
@pass_ctx
def code_memo(ctx: Context, coding_id: str, text: str | None) -> None:
    """Set (or, with no TEXT, clear) the memo of a coding."""
    ctx.project.session(ctx.writer).set_memo(coding_id, text)
    click.echo(f"memo {'saved' if text else 'cleared'} on {coding_id}")


@code_group.command("undo")
@pass_ctx
def code_undo(ctx: Context) -> None:
    """Undo your last change (survives restarts)."""
    click.echo(f"undone: {ctx.project.session(ctx.writer).undo()}")


@code_group.command("redo")
@pass_ctx
def code_redo(ctx: Context) -> None:
    """Redo the change last undone."""
    click.echo(f"redone: {ctx.project.session(ctx.writer).redo()}")


@code_group.command("list")
@click.option("--transcript", "-t", "transcript_id", help="Only this transcript.")
@click.option("--code", "-c", "code_id", help="Only this code (and its children).")
@click.option("--all-coders", is_flag=True, help="Every coder's codings, not only yours.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def code_list(ctx: Context, transcript_id, code_id, all_coders, as_json) -> None:
    """List codings with their quoted text."""
    from qualcode.errors import UnknownCodeError

    project = ctx.project
    if transcript_id:
        transcript_id = project.index.find(transcript_id)
    coders = project.coders() if all_coders else [ctx.coder]
    codes = None
    if code_id:
        if code_id not in project.codebook:
            from qualcode.domain.codebook import did_you_mean

            raise UnknownCodeError(f"unknown code {code_id!r}{did_you_mean(project.codebook.codes, code_id)}",
                                   path=project.codebook_path)
        codes = {code_id, *project.codebook.descendants(code_id)}
    rows = []
    for coder in coders:
        codings = project.codings(coder)
        # one transcript: only its codings are read (from the cached state), not the coder's others
        chosen = codings.for_transcript(transcript_id) if transcript_id else codings
        for c in sorted(chosen, key=lambda c: (c.transcript, c.start, c.end)):
            if codes and c.code not in codes:
                continue
            rows.append(c)
    places = _places(project, rows)
    hint = _other_coders_hint(project, ctx.coder) if not rows and not all_coders else None
    if as_json:
        out = []
        for c in rows:
            d = c.to_json()
            a = places.get(c.id)
            if a is not None:  # "s"/"e" stay what the journal holds; "place" is where the text is now
                d["place"] = {"status": a.status, "s": a.start, "e": a.end, **({"ambiguous": a.ambiguous}
                                                                               if a.ambiguous else {})}
                if a.status != "orphaned":
                    d["place"]["quote"] = _text_now(project, c, a)
            out.append(d)
        emit_json(out)
        if hint:
            click.echo(hint, err=True)
        return
    shown = []
    for c in rows:
        a = places.get(c.id)
        if a is None:
            shown.append([c.id, c.coder, c.transcript, c.start, c.end, c.code, _short(c.quote)])
        else:
            mark = {"moved": "[moved] ", "orphaned": "[text lost] "}.get(a.status, "")
            mark = "[moved?] " if a.ambiguous else mark
            quote = c.quote if a.status == "orphaned" else _text_now(project, c, a)
            shown.append([c.id, c.coder, c.transcript, a.start, a.end, c.code, mark + _short(quote)])
    table(shown, ["id", "coder", "transcript", "start", "end", "code", "quote"])
    if places:
        click.echo(f"{len(places)} coding(s) are shown where their text is now: their transcript changed since "
                   "they were made (run `qualcode check` for the list, `qualcode check --fix` to save the places)",
                   err=True)
    if hint:
        click.echo(hint, err=True)


def _other_coders_hint(project, coder: str) -> str | None:
    """When ``coder`` has no codings at all but others do (a project imported from NVivo or ATLAS.ti,
    listed as your login name): who has them and how to see theirs; else None."""
    if len(project.codings(coder)):
        return None
    others = [(c, len(project.codings(c))) for c in project.coders_with_codings() if c != coder]
    if not others:
        return None
    first = others[0][0]
    have = ", ".join(f"{c} ({n} coding{'s' if n != 1 else ''})" for c, n in others)
    return (f"note: {coder} (the coder shown) has no codings in this project; codings are by {have}.\n"
            f"  To see them: `qualcode --coder {first} code list` (one coder's) or `qualcode code list --all-coders` "
            f"(every coder's); default_coder in qualcode.toml sets whose codings reports show")


def _places(project, codings) -> dict:
    """Where each coding whose transcript changed since it was made is now (``Project.anchored``):
    ``{coding id: Anchor}``; nothing for the codings on the text they were made on."""
    from qualcode.store.anchoring import KEPT, ORPHANED, Anchor

    stale: dict[tuple[str, str], list] = {}
    for c in codings:
        if project.needs_anchoring(c):
            stale.setdefault((c.coder, c.transcript), []).append(c)
    out = {}
    for (_, tid), cs in stale.items():
        if tid not in project.index:
            out.update((c.id, Anchor(ORPHANED, c.start, c.end, 0.0)) for c in cs)
            continue
        out.update((c.id, a) for c, a in project.anchored(cs, project.transcript(tid)) if a.status != KEPT)
    return out


def _text_now(project, coding, anchor) -> str:
    """The transcript's text where a moved coding now is (what a researcher would quote)."""
    return project.transcript(coding.transcript).text[anchor.start:anchor.end]


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


@click.command("stats")
@click.option("--codes", "show_codes", is_flag=True, help="Also list every code with its number of codings.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def stats_cmd(ctx: Context, show_codes: bool, as_json: bool) -> None:
    """What is in the project: transcripts, words, codes, coders, codings."""
    from qualcode.services.stats import project_stats

    s = project_stats(ctx.project)
    if as_json:
        emit_json(s)
        return
    click.echo(f"{s['project']}  ({s['root']})")
    from qualcode.analysis.data import plural

    click.echo(f"{plural(s['transcripts'], 'transcript')}, {plural(s['words'], 'word')}, {plural(s['turns'], 'turn')}; "
               f"{plural(s['codes'], 'code')} in {plural(s['code_levels'], 'level')}; {plural(s['coders'], 'coder')}, "
               f"{plural(s['codings'], 'coding')}")
    table([[c, v["codings"], v["transcripts"]] for c, v in s["by_coder"].items()], ["coder", "codings", "transcripts"])
    if show_codes:
        book = ctx.project.codebook
        table([["  " * book.depth(cid) + cid, book.get(cid).shortcut or "", n] for cid, n in s["by_code"].items()],
              ["code", "key", "codings"])


@click.command("compact")
@pass_ctx
def compact_cmd(ctx: Context) -> None:
    """Rewrite your journal as just its current codings (atomic; the undo history is dropped)."""
    session = ctx.project.session(ctx.writer)
    n = session.compact()
    for note in session.notes:
        click.echo(f"warning: {note}", err=True)
    click.echo(f"compacted {ctx.writer}'s journal to {n} line(s)")


COMMANDS = [init_cmd, import_cmd, check_cmd, code_group, stats_cmd, compact_cmd]
