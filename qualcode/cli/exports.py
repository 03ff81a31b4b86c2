"""`qualcode export docx | codebook-docx | xlsx | csv`: the Word report, the codebook, the tables.

The subcommands join the shared ``export`` group (``qualcode.cli.export_group``), which the
interchange module registers. python-docx, pandas, openpyxl and matplotlib are imported inside the
commands, so `qualcode --help` stays fast.
"""

from __future__ import annotations

import click

from qualcode.cli.export_group import export_group
from qualcode.cli.context import pass_ctx  # the same object qualcode.cli.main re-exports

TABLES_HELP = ("Tables to include (repeat, or a,b): standard (the default), frequencies, matrix, matrix-counts, "
               "matrix-words, framework, cooccurrence, crosstab=ROWS/COLS, quotes=CODE.")
CODERS_HELP = ("Whose codings (repeat, or a,b). Default: the global --coder if given, else the project's "
               "default coder, else every coder with codings but the consensus (name it to count it).")


def _names(values: tuple[str, ...]) -> list[str]:
    return [n.strip() for item in values for n in item.split(",") if n.strip()]


def _coders(ctx, coders: tuple[str, ...]):
    names = _names(coders)
    if names:
        return names
    return [ctx.coder_option] if ctx.coder_option else None


def _table_coders(ctx, coders: tuple[str, ...]):
    """As ``_coders``; when none is named, the counts never pool the consensus journal with the coders'
    (``docx_report.table_coders``, the Word report's rule)."""
    from qualcode.export.docx_report import table_coders

    return table_coders(ctx.project, _coders(ctx, coders))


def _progress(quiet: bool):
    if quiet:
        return None

    def report(done: int, total: int, what: str) -> None:
        # steps are numbered without a total: the total grows once the tables are computed
        if done < total:
            click.echo(f"[{done + 1}] {what}", err=True)

    return report


def _shown(path) -> str:
    from pathlib import Path

    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _wrote(path) -> str:
    """``wrote exports/report.docx``, and, when the file there had been edited, where it was kept."""
    from qualcode.export.keep import written_line

    return written_line(path, _shown)


def table_options(f):
    f = click.option("--quiet", "-q", is_flag=True, help="Do not print progress.")(f)
    f = click.option("--coders", multiple=True, metavar="NAMES", help=CODERS_HELP)(f)
    f = click.option("--tables", multiple=True, metavar="SPECS", help=TABLES_HELP)(f)
    return f


def report_options(f):
    f = click.option("--no-agreement/--agreement", "no_agreement", default=None,
                     help="Leave out the agreement table, or compute it even when the transcripts compared exceed "
                          "120 million characters, about 3,300 interviews (left out by default then).")(f)
    f = click.option("--resamples", type=click.IntRange(min=0), default=None,
                     help="Bootstrap resamples for alpha's intervals in the agreement table (default 10,000; "
                          "none when the compared transcripts exceed 3 million characters).")(f)
    f = click.option("--memos", "memos", type=click.Choice(["code", "transcript", "none"]), default="code",
                     show_default=True, help="A section of the coders' memos, by code or by transcript, or none.")(f)
    f = click.option("--quotes", "quotes_per_code", default=2, show_default=True, type=click.IntRange(0, 20),
                     help="Exemplar quotations per code.")(f)
    f = click.option("--chart-by", multiple=True, metavar="ATTRS",
                     help="Lead with codes by these case attributes (repeat, or a,b), instead of the key tables "
                          "named in qualcode.toml ([report] key_tables).")(f)
    f = table_options(f)
    return f


def _report_kwargs(ctx, tables, coders, quiet, chart_by, quotes_per_code, no_agreement, memos,
                   resamples) -> dict:
    from qualcode.export.provenance import cli_command

    return dict(tables=_names(tables) or None, coders=_coders(ctx, coders), progress=_progress(quiet),
                chart_by=_names(chart_by) or None, quotes_per_code=quotes_per_code, agreement=None if no_agreement is None else not no_agreement,
                memos=None if memos == "none" else memos, command=cli_command(), resamples=resamples)


@export_group.command("docx")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write (default: exports/report.docx in the project).")
@report_options
@pass_ctx
def docx_cmd(ctx, output, tables, coders, quiet, chart_by, quotes_per_code, no_agreement, memos,
             resamples) -> None:
    """A Word report: key findings, methods, tables, charts, quotations, memos, codebook, provenance.

    \b
    qualcode export docx
    qualcode export docx -o exports/nrf.docx --tables frequencies,crosstab=nrf/attr:region
    """
    from qualcode.export.docx_report import write_report

    path = write_report(ctx.project, output, **_report_kwargs(ctx, tables, coders, quiet, chart_by,
                                                              quotes_per_code, no_agreement, memos, resamples))
    click.echo(_wrote(path))


@export_group.command("pdf")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write (default: exports/report.pdf in the project).")
@report_options
@pass_ctx
def pdf_cmd(ctx, output, tables, coders, quiet, chart_by, quotes_per_code, no_agreement, memos,
            resamples) -> None:
    """The Word report as a PDF, made with LibreOffice (headless), contents with page numbers.

    \b
    qualcode export pdf
    qualcode export pdf -o exports/report.pdf --memos none
    """
    from qualcode.export.pdf import write_pdf

    def warn(text: str) -> None:
        click.echo(f"qualcode: warning: {text}", err=True)

    path = write_pdf(ctx.project, output, warn=warn, **_report_kwargs(ctx, tables, coders, quiet, chart_by,
                                                                       quotes_per_code, no_agreement, memos,
                                                                       resamples))
    click.echo(_wrote(path))


@export_group.command("codebook-docx")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write (default: exports/codebook.docx in the project).")
@pass_ctx
def codebook_docx_cmd(ctx, output) -> None:
    """The codebook as a Word document: the tree, definitions, criteria, examples, keywords."""
    from qualcode.export.docx_codebook import write_codebook_docx

    click.echo(_wrote(write_codebook_docx(ctx.project, output)))


@export_group.command("xlsx")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write (default: exports/tables.xlsx in the project).")
@table_options
@pass_ctx
def xlsx_cmd(ctx, output, tables, coders, quiet) -> None:
    """Every table as a sheet of one Excel workbook (numbers as numbers, header row frozen), memos,
    and an About sheet that says where the numbers come from."""
    from qualcode.export.tables_out import write_xlsx

    from qualcode.export.provenance import cli_command

    path = write_xlsx(ctx.project, output, tables=_names(tables) or None, coders=_table_coders(ctx, coders),
                      progress=_progress(quiet), command=cli_command())
    click.echo(_wrote(path))


@export_group.command("csv")
@click.option("-o", "--output", type=click.Path(file_okay=False), default=None,
              help="The folder to write into (default: exports/tables/ in the project).")
@table_options
@click.option("--bom", is_flag=True, help="Start each file with a UTF-8 byte-order mark (for Excel).")
@pass_ctx
def csv_cmd(ctx, output, tables, coders, quiet, bom) -> None:
    """Every table as a CSV file (UTF-8), one file per table, and provenance.json; the set replaces
    the folder's old set whole."""
    from qualcode.export.tables_out import write_csv

    from qualcode.export.provenance import cli_command

    paths = write_csv(ctx.project, output, tables=_names(tables) or None, coders=_table_coders(ctx, coders),
                      progress=_progress(quiet), bom=bom, command=cli_command())
    from qualcode.export.keep import kept_for, kept_text

    for path in paths:
        click.echo(f"wrote {_shown(path)}")
    kept = kept_for(paths[0].parent) if paths else None
    if kept is not None:
        click.echo("the folder " + kept_text(paths[0].parent, kept, _shown))


# ``export_group`` itself is registered by qualcode.cli.interchange (it lists it in its COMMANDS).
COMMANDS: list = []
