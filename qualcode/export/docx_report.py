"""The Word report: title page, contents, methods, tables, charts, coded material, codebook.

``write_report(project, path)`` writes it whole (temp file and rename) or not at all.
``write_codebook_docx(project, path)`` writes the codebook alone.
"""

from __future__ import annotations

import io
import math
from datetime import date
from pathlib import Path
from typing import Callable

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from qualcode.errors import QualcodeError
from qualcode.export import docx_base as base
from qualcode.export import docx_kinds as kinds
from qualcode.export import docx_methods as methods
from qualcode.export.docx_codebook import add_codebook, write_codebook_docx
from qualcode.export.docx_table import add_table
from qualcode.export.frame import Grid, clean_text, grid
from qualcode.export.output import check_writable, output_path, save_bytes
from qualcode.export.quotes import exemplars, group_codings, is_illustrative

__all__ = ["write_report", "write_codebook_docx", "counted_coders", "report_coders", "table_coders"]

Progress = Callable[[int, int, str], None]
WIDE = 7  # more columns than this: a landscape page
MAX_COLUMNS = 14  # more than this (landscape): the table is split into parts
MAX_PARTS = 12
MAX_ROWS = 300  # rows shown in Word; the XLSX export has them all
FIGURE_CM = 16.0  # a figure's width on the page (charts are drawn 6.3 in wide)
EMU_PER_INCH = 914400


class ReportWriter:
    """Adds numbered tables and figures to a document, switching page orientation as needed."""

    def __init__(self, doc, book=None) -> None:
        self.doc = doc
        self.book = book
        self.tables = 0
        self.figures = 0
        self.headings: list[tuple[int, str]] = []
        self.captions: dict[str, list[str]] = {"Table": [], "Figure": []}

    def heading(self, text: str, level: int, landscape: bool = False) -> None:
        if level == 1:
            self.orient(landscape)
        text = clean_text(text)
        base.heading(self.doc, text, level)
        self.headings.append((level, text))

    def orient(self, landscape: bool) -> None:
        if base.is_landscape(self.doc) != landscape:
            base.new_section(self.doc, landscape)

    def caption(self, label: str, text: str, after_number: str = ""):
        if label == "Table":
            self.tables += 1
            number = self.tables
        else:
            self.figures += 1
            number = self.figures
        self.captions[label].append(f"{label} {number}{after_number}. {clean_text(text).rstrip('.')}.")
        return base.add_caption(self.doc, label, number, text, after_number)

    def note(self, text: str) -> None:
        if text:
            base.para(self.doc, clean_text(text), style="Table Note")

    def _parts(self, g: Grid) -> list[list[int] | None]:
        if g.kind == "framework_matrix" and self.book is not None:
            return kinds.theme_parts(g, self.book)
        n_cols = len(g.headers)
        limit = g.index_columns + kinds.TEXT_COLUMNS if kinds.text_heavy(g) else MAX_COLUMNS
        if n_cols <= limit:
            return self._fit_parts(g)
        lead = list(range(g.index_columns))
        units = column_units(g)
        per_part = max(1, (limit - len(lead)) // max(len(u) for u in units))
        n_parts = -(-len(units) // per_part)
        per_part = -(-len(units) // n_parts)  # balanced: 40 columns in 4 parts of 10, not 13+13+13+1
        return [lead + _flat(units[i:i + per_part]) for i in range(0, len(units), per_part)]

    def _fit_parts(self, g: Grid) -> list[list[int] | None]:
        """[None] when every column fits the page at its narrowest (no word broken); else parts that
        do, each repeating the row labels and keeping a count with its percentage."""
        from qualcode.export.docx_table import TWIPS_PER_EMU, minimum_widths

        total = int(base.text_width(self.doc) * TWIPS_PER_EMU)
        widths = minimum_widths(g, rows=list(range(min(len(g.rows), MAX_ROWS))))
        if sum(widths) <= total:
            return [None]
        lead = list(range(g.index_columns))
        room = total - sum(widths[j] for j in lead)
        units = column_units(g)
        parts, current, used = [], [], 0
        for unit in units:
            need = sum(widths[j] for j in unit)
            if current and used + need > room:
                parts.append(current)
                current, used = [], 0
            current.append(unit)
            used += need
        parts.append(current)
        # balanced, when the same number of parts can share the columns evenly (7 + 7, not 13 + 1)
        size = -(-len(units) // len(parts))
        even = [units[i:i + size] for i in range(0, len(units), size)]
        if len(even) == len(parts) and all(sum(widths[j] for j in _flat(part)) <= room for part in even):
            parts = even
        return [lead + _flat(part) for part in parts]

    def grid_table(self, g: Grid, caption: str, note: str = "") -> None:
        """Caption, table (in parts if very wide, capped in length), note."""
        parts = self._parts(g)
        notes = []
        if len(parts) > MAX_PARTS:
            shown = sum(len(p) - g.index_columns for p in parts[:MAX_PARTS])
            notes.append(f"Only the first {shown:,} of {len(g.headers) - g.index_columns:,} columns are shown; "
                         "`qualcode export xlsx` writes the whole table.")
            parts = parts[:MAX_PARTS]
        rows = list(range(min(len(g.rows), MAX_ROWS)))
        if len(g.rows) > MAX_ROWS:
            notes.append(f"The first {MAX_ROWS:,} of {len(g.rows):,} rows are shown; "
                         "`qualcode export xlsx` writes the whole table.")
        for k, columns in enumerate(parts):
            if k == 0:
                self.caption("Table", caption)
            else:
                base.para(self.doc, f"Table {self.tables} (continued, part {k + 1} of {len(parts)}): "
                          f"{clean_text(caption).rstrip('.')}.", style="Caption")
            add_table(self.doc, g, style=base.TABLE_STYLE, width=base.text_width(self.doc), columns=columns,
                      rows=rows)
            if k < len(parts) - 1:
                base.para(self.doc)
        self.note(" ".join([note, *notes]).strip())
        if not note and not notes:
            base.para(self.doc)

    def frame(self, df, g: Grid | None = None, level: int = 2) -> None:
        """A DataFrame with its title as a heading; a sentence instead when it has no data."""
        g = g or prepare(df, self.book)
        if g.kind == "retrieve":
            return self._segments(df, g, level)
        if g.kind == "cooccurrence" and not g.empty:
            return self._cooccurrence(df, level)
        self.orient(needs_landscape(g))
        self.heading(g.title, level)
        if g.empty:
            reason = g.empty_reason.strip().rstrip(".") or "there is nothing to count with the codings chosen"
            base.para(self.doc, f"No data for this table: {reason}.", style="Notice")
            return
        self.grid_table(g, g.title, note=describe(g))

    def _cooccurrence(self, df, level: int) -> None:
        """Co-occurrence as a ranked list of the pairs that occur (a grid of mostly zeros reads badly),
        and the grid too when it fits one page."""
        pairs = kinds.cooccurrence_pairs(df)
        self.orient(False)
        self.heading(df.attrs.get("title", "Code co-occurrence"), level)
        if not len(pairs):
            base.para(self.doc, "No two codes were applied to overlapping passages.", style="Notice")
        else:
            g = prepare(pairs)
            self.grid_table(g, g.title, note=describe(g))
        if 1 < len(df.columns) <= kinds.GRID_FITS:
            g = prepare(kinds.named_grid(df, self.book), self.book)
            self.grid_table(g, g.title, note=describe(g))

    def _segments(self, df, g: Grid, level: int) -> None:
        self.orient(False)
        title = g.title
        if self.book is not None and ": " in title:  # "Coded segments: outcomes.matter" -> the code's name
            head, _, named = title.partition(": ")
            title = head + ": " + ", ".join(kinds.code_label(self.book, c.strip()) for c in named.split(","))
        self.heading(title, level)
        if g.empty:
            reason = g.empty_reason.strip().rstrip(".") or "no coded segments"
            base.para(self.doc, f"No coded segments to show: {reason}.", style="Notice")
            return
        if g.caption:
            base.para(self.doc, clean_text(g.caption), style="Table Note")
        shown = kinds.retrieved_quotes(self.doc, df, MAX_ROWS, self.book)
        if len(df) > shown:
            self.note(f"{shown:,} of {len(df):,} segments are shown; `qualcode export xlsx` writes them all.")

    def figure(self, png: bytes, caption: str, width_cm: float = FIGURE_CM, part: tuple[int, int] | None = None,
               alt: str = "") -> None:
        """A picture and its caption below it, kept on one page (``part``: (k, n) of a figure in n parts:
        the first is numbered, the others repeat its number, "Figure 3 (part 2 of 3)")."""
        p = base.para(self.doc)
        shape = p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        shape._inline.docPr.set("descr", clean_text(alt or caption))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.keep_together = True
        if part is None or part[0] == 1:
            below = self.caption("Figure", caption, f" (part 1 of {part[1]})" if part else "")
        else:
            below = base.para(self.doc, f"Figure {self.figures} (part {part[0]} of {part[1]}). "
                              f"{clean_text(caption).rstrip('.')}.", style="Caption")
        below.paragraph_format.space_after = Pt(12)
        below.paragraph_format.keep_with_next = False  # a figure's caption ends its block: the next heading may start a page

    def figure_room(self, caption: str) -> float:
        """The tallest picture (inches) that fits on a page of the current section with its caption below
        it: the height between the margins less the caption's lines (10 pt bold, about 0.068 in a
        character), the spacing around them and 0.3 in to spare."""
        width_in = base.text_width(self.doc) / EMU_PER_INCH
        lines = math.ceil(len(caption) * 0.068 / width_in)
        return base.text_height(self.doc) / EMU_PER_INCH - lines * 0.19 - (6 + 12) / 72 - 0.3

    def chart(self, data, caption: str, table: int | None = None) -> None:
        """A heatmap (``charts.ChartData``) as one figure when it fits the page, else in parts that each
        do (on a portrait page, where more rows fit), every row in one of them; each part's caption says
        which rows of the table it shows."""
        from qualcode.export import charts

        rows_of = f"; the rows are those of Table {table}" if table else ""
        whole = f"Figure 00. {caption}{rows_of}."
        n = len(str(len(data.rows)))  # the longest caption a part can have
        longest = f"Figure 00 (part {'0' * n} of {'0' * n}). {caption}{rows_of}; " \
                  f"this part shows rows {'0' * n} to {'0' * n} of {'0' * n}."
        height = charts.chart_height(data)
        if height > self.figure_room(whole) and base.is_landscape(self.doc):
            self.orient(False)  # a portrait page holds more rows
        parts = [data] if height <= self.figure_room(whole) else charts.split(data, self.figure_room(longest))
        first = 1
        for k, part in enumerate(parts, start=1):
            where = rows_of
            if len(parts) > 1:
                last = first + len(part.rows) - 1
                where += f"; this part shows rows {first} to {last} of {len(data.rows)}"
                first = last + 1
            text = caption + where
            self.figure(charts.heatmap_png(part), text, part=(k, len(parts)) if len(parts) > 1 else None,
                        alt="Heatmap. " + text + ". Rows: " + "; ".join(label for _, label, _ in part.rows))


def column_units(g: Grid) -> list[list[int]]:
    """The data columns in groups a table part never splits: a count and the percentage after it
    ("North East", "North East %")."""
    units: list[list[int]] = []
    for j in range(g.index_columns, len(g.headers)):
        if units and g.headers[j].endswith("%") and not g.headers[j - 1].endswith("%"):
            units[-1].append(j)
        else:
            units.append([j])
    return units


def _flat(units: list[list[int]]) -> list[int]:
    return [j for unit in units for j in unit]


def word_view(df, book=None):
    """The columns a reader needs in Word: the frequencies' ``id`` column goes when the (indented)
    code names are there, and so do columns with nothing in them (an agreement table's empty
    Note column); crosstabs and case x code matrices name their codes; attribute names lose their
    underscores. The CSV and XLSX exports keep every column as it is."""
    out = df
    kind = df.attrs.get("kind")
    if kind == "frequencies" and {"code", "id"} <= set(map(str, df.columns)):
        out = df.drop(columns=["id"]).reset_index(drop=True)
    elif kind == "crosstab" and book is not None:
        from qualcode.export.findings import crosstab_for_word

        out = crosstab_for_word(_ProjectBook(book), df)
    elif kind == "case_matrix" and book is not None and len(df.columns):
        out = kinds.case_matrix_summary(df, book) if len(df) > kinds.MATRIX_CASES else kinds.codes_as_rows(df, book)
    elif kind == "cases":
        out = df.rename(columns={c: str(c).replace("_", " ") for c in df.columns})
    if len(out) and len(out.columns) > 1:
        blank = [c for c in out.columns if out[c].dtype == object
                 and out[c].map(lambda v: v is None or (isinstance(v, str) and not v.strip())).all()]
        if blank and len(blank) < len(out.columns):
            out = out.drop(columns=blank)
    if out is not df:
        out.attrs = {**df.attrs, **out.attrs}
    return out


class _ProjectBook:
    """What ``findings.crosstab_for_word`` needs of a project, from a codebook alone."""

    def __init__(self, book) -> None:
        self.codebook = book


def describe(g: Grid) -> str:
    """The note under a table: a caution first (a crosstab's small groups), then its caption (what the
    numbers are) and any notes, each said once."""
    caution = str(g.attrs.get("caution") or "").strip()
    parts = [caution] if caution else []
    if g.caption.strip() and g.caption.strip() != g.title:
        parts.append(g.caption.strip())
    notes = g.attrs.get("notes")
    if isinstance(notes, (list, tuple)):
        for n in notes:
            n = str(n).strip().rstrip(".")
            if n and not any(n in p for p in parts):
                parts.append(n + ".")
    return ("Note. " + " ".join(parts)) if parts else ""


def prepare(df, book=None) -> Grid:
    g = grid(word_view(df, book))
    if g.kind == "framework_matrix":
        kinds.framework_grid(g, df)
    return g


def needs_landscape(g: Grid) -> bool:
    if g.kind == "retrieve" or g.empty:
        return False
    return g.kind == "framework_matrix" or len(g.headers) > WIDE


def counted_coders(project, coders=None) -> list[str]:
    """Whose codings the tables count: the analysis module's rule (named coders; else the default
    coder when they have codings; else every coder with codings)."""
    try:
        from qualcode.analysis.data import choose_coders
    except ImportError:  # pragma: no cover - the analysis package ships with qualcode
        choose_coders = None
    if choose_coders is not None:
        return list(choose_coders(project, coders).coders)
    if coders:
        return list(coders)
    default = project.config.default_coder
    if default and len(project.codings(default)):
        return [default]
    return project.coders_with_codings()


def table_coders(project, coders=None) -> list[str] | None:
    """Whose codings the counts tables take when ``coders`` names none: as the analysis tables choose
    (``None``), except that the consensus journal is never pooled with the coders' own codings. When the
    analysis rule would take it with others (no default coder, so every coder with codings), the coders
    are named without it. Findings from the settled codings alone: ``--coders consensus``."""
    from qualcode.reliability.disagreements import CONSENSUS

    if coders is not None:
        return coders
    counted = counted_coders(project, None)
    if CONSENSUS in counted and len(counted) > 1:
        return [c for c in counted if c != CONSENSUS]
    return None


def report_coders(project, counted: list[str]) -> list[str]:
    """The coders the report is about when none are named (its cover, methods and agreement): the
    coders `qualcode agree` compares by default (``agreement_coders``: the configured coders, never
    the consensus coder nor a stray workbench login's journal), then any other whose codings the
    tables count."""
    from qualcode.reliability.report import agreement_coders

    have = set(project.coders_with_codings())
    return list(dict.fromkeys([c for c in agreement_coders(project) if c in have] + list(counted)))


def _consensus_note(project, counted: list[str], named) -> str:
    """When the consensus journal has codings and the tables do not count it: that they do not, and
    how to report from it."""
    from qualcode.reliability.disagreements import CONSENSUS

    if named is not None or CONSENSUS in counted or CONSENSUS not in project.coders_with_codings():
        return ""
    return (f" They do not count the consensus journal ({CONSENSUS}: the passages settled in the workbench's "
            f"Agreement screen), which is never added to the coders' own codings; `qualcode export docx --coders "
            f"{CONSENSUS}` reports from it.")


def _who(project, chosen) -> str:
    """Whose codings the tables count, as their notes say it ("kerrigan and ana pooled")."""
    from qualcode.analysis.data import choose_coders, pooled

    return pooled(choose_coders(project, chosen))


def _title_page(doc, project, coders: list[str], today: date, stamp) -> None:
    doc.sections[0].different_first_page_header_footer = True
    base.para(doc, clean_text(project.config.name), style="Title")
    base.para(doc, "Report of coded material", style="Subtitle")
    book = project.codebook
    lines = [base.format_date(today), f"Codebook: {clean_text(book.name or project.config.codebook)}",
             "Coders: " + (", ".join(coders) or "none yet"), f"Project folder: {clean_text(project.root.name)}"]
    base.para(doc, "\n".join(lines))
    entries = list(project.index)
    marked = [e.id for e in entries if is_illustrative(e.metadata)]
    if marked:
        which = (f"All {len(entries)} transcripts in this project are" if len(marked) == len(entries) else
                 f"{len(marked)} of the {len(entries)} transcripts ({', '.join(marked[:12])}"
                 f"{', ...' if len(marked) > 12 else ''}) are")
        p = base.para(doc, style="Notice")
        base.shade(p, "FBE5D6")
        p.add_run("Illustrative data. ").bold = True
        p.add_run(f"{which} marked as illustrative in their metadata (illustrative: true): they are not real "
                  "interview data, and nothing in this report is evidence about real people, places or "
                  "organisations.")
    base.para(doc, f"Written by qualcode {stamp.version} with \u201c{clean_text(stamp.command)}\u201d. Every figure "
              "is computed from the codebook, transcripts and coders' journals as they stood then (inputs stamp "
              f"{stamp.digest}; the last appendix says which files, with their hashes).", style="Table Note")


def set_properties(doc, project, stamp) -> None:
    """Document properties from the stamp, not the template's (its 2013 date, "python-docx")."""
    from qualcode.export.provenance import stamp_datetime

    props = doc.core_properties
    when = stamp_datetime(stamp).replace(tzinfo=None)
    props.author = "qualcode"
    props.last_modified_by = f"qualcode {stamp.version}"
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    props.category = "Report of coded material"
    props.keywords = f"qualcode; stamp {stamp.digest}"
    props.comments = clean_text(stamp.short())[:255]  # Word's limit for a core property
    props.identifier = stamp.digest
    props.version = stamp.version


def write_report(project, path=None, *, tables=None, coders=None, progress: Progress | None = None,
                 chart_by: list[str] | None = None, quotes_per_code: int = 2, agreement: bool | None = None,
                 today: date | None = None, key_tables: bool = True, memos: str | None = "code",
                 command: str | None = None, resamples: int | None = None) -> Path:
    """Write the Word report to ``path`` (default ``exports/report.docx``) and return the path.

    It opens with the key findings (``findings``: the project's ``[report] key_tables``, else codes
    by the attributes that split the cases most evenly; ``chart_by`` names attributes instead),
    then methods, the other tables, coded material, memos, the codebook and where every number
    came from (``provenance``).

    ``tables``: DataFrames from ``qualcode.analysis`` and/or table specs (see ``catalog``); default
    the standard set. ``coders``: whose codings (default: as the analysis tables choose).
    ``progress(done, total, what)`` is called as the work advances. ``agreement``: compute the
    agreement table when two or more coders have codings (None: unless the transcripts compared
    exceed ``docx_methods.AGREEMENT_BUDGET`` characters, which the report then says; True: always;
    False: never); ``resamples``: bootstrap resamples for its
    intervals (default 10,000, or none when the compared transcripts are very long: see
    ``docx_methods.INTERVAL_BUDGET``). ``memos``: "code", "transcript" or None
    (no memos section). ``command``: what made the report, for the stamp (default: this process's
    command line). Nothing is written, and no folder made, unless the whole report is ready.
    """
    from qualcode.export import provenance
    from qualcode.export.catalog import check_coders, resolve_tables
    from qualcode.export.findings import build_key_tables, key_specs
    from qualcode.reliability.report import agreement_coders

    path = check_writable(output_path(project, path, "report.docx"), suffix=".docx")
    if memos not in (None, "code", "transcript"):
        raise QualcodeError(f"unknown memos layout {memos!r}", hint="use code, transcript or none")
    state = {"done": 0, "total": 8}

    def tick(what: str) -> None:
        if progress is not None:
            progress(state["done"], state["total"], what)
        state["done"] += 1

    tick("computing tables")
    named = check_coders(project, coders)
    chosen = table_coders(project, named)  # the counts never pool the consensus with the coders
    for attribute in chart_by or []:
        if attribute not in project.cases.columns:
            raise QualcodeError(f"no case attribute {attribute!r}", path=project.cases_path,
                                hint="the attributes are: " + (", ".join(project.cases.columns) or "none"))
    specs, source = key_specs(project, chart_by) if key_tables else ([], "")
    keys = build_key_tables(project, specs, chosen)
    frames = resolve_tables(project, tables, chosen)
    state["total"] += len(frames) + len(keys)
    counted = counted_coders(project, chosen)
    described = named if named is not None else report_coders(project, counted)
    by_code = group_codings(project, counted)
    book = project.codebook
    stamp = provenance.stamp(project, command=command, coders=counted)

    doc = base.new_document(project.config.name, "Report of coded material")
    set_properties(doc, project, stamp)
    w = ReportWriter(doc, book)
    tick("title page")
    _title_page(doc, project, described, today or date.today(), stamp)
    base.page_break(doc)
    base.para(doc, "Contents", style="TOC Heading")
    toc_anchor = base.para(doc)

    if key_tables:
        _key_findings(doc, w, project, keys, source, tick)

    tick("methods")
    w.heading("Methods", 1)
    stats = methods.coder_stats(project, described)
    w.heading("Transcripts", 2)
    methods.transcripts_part(doc, project, stats, w.grid_table)
    w.heading("Codebook", 2)
    methods.codebook_part(doc, project, by_code, w.grid_table, counted, _who(project, chosen))
    w.heading("Coding", 2)
    methods.coders_part(doc, project, stats, w.grid_table)
    if counted:
        base.para(doc, "The tables, charts and quotations count the codings of " + " and ".join(counted)
                  + (" (the project's default coder)." if counted == [project.config.default_coder]
                     and chosen is None else ".") + _consensus_note(project, counted, named))
    # the coders `qualcode agree` compares unless told (never the consensus), or those named
    have = set(project.coders_with_codings())
    pair = [c for c in (named if named is not None else agreement_coders(project)) if c in have]
    if len(pair) >= 2:
        tick("agreement between coders")
        compared = methods.compared_chars(project, pair)
        too_large = compared if agreement is None and compared > methods.AGREEMENT_BUDGET else 0
        run = agreement is True or (agreement is None and not too_large)
        draws = methods.resamples_for(project, pair, resamples) if run else 0
        frame, problem = methods.agreement(project, pair, draws) if run else (None, None)
        g = prepare(methods.for_word(frame, book)) if frame is not None else None
        w.orient(g is not None and needs_landscape(g))
        w.heading("Agreement between coders", 2)
        methods.agreement_part(doc, pair, frame, problem, lambda df: w.grid_table(g, g.title, describe(g)), draws,
                               too_large=too_large, asked=resamples)

    grids = [prepare(df, book) for df in frames]
    w.heading("Results", 1, landscape=bool(grids) and needs_landscape(grids[0]))
    if not frames:
        base.para(doc, "No tables were chosen.")
    for df, g in zip(frames, grids):
        tick(f"table: {g.title}")
        w.frame(df, g)

    tick("coded material")
    w.heading("Coded material", 1)
    _coded_material(doc, w, project, by_code, quotes_per_code, counted)

    if memos:
        from qualcode.export.memos import add_memos

        tick("memos")
        add_memos(doc, w, project, by_code, memos)

    tick("codebook")
    w.heading("Appendix A. Codebook", 1)
    counts = {code: len(cs) for code, cs in by_code.items()}
    w.tables = add_codebook(doc, book, level=2, counts=counts, number=w.tables + 1) - 1
    if len(book):
        w.captions["Table"].append(f"Table {w.tables}. The codebook.")
    w.headings += [(2, clean_text(c.name)) for c in book.roots]  # the appendix's own headings

    w.heading("Appendix B. Where the numbers come from", 1)
    _provenance_part(doc, w, stamp)

    base.add_contents(doc, [(lvl, t) for lvl, t in w.headings if lvl <= 2], before=toc_anchor)
    for label, heading in (("Table", "Tables"), ("Figure", "Figures")):
        if w.captions[label]:
            toc_anchor._p.addprevious(base.para(doc, heading, style="TOC Heading")._p)
            base.add_contents(doc, [(1, c) for c in w.captions[label]], before=toc_anchor,
                              instruction=f'TOC \\h \\z \\c "{label}"')
    toc_anchor._p.getparent().remove(toc_anchor._p)

    tick("saving")
    buf = io.BytesIO()
    doc.save(buf)
    out = save_bytes(path, buf.getvalue(), project)
    if progress is not None:
        progress(state["total"], state["total"], f"written to {out}")
    return out


def _key_findings(doc, w: ReportWriter, project, keys: list, source: str, tick) -> None:
    from qualcode.export import charts
    from qualcode.export.findings import crosstab_for_word

    w.heading("Key findings", 1)
    if not keys:
        base.para(doc, "No key tables: no case attribute splits the cases into two to five groups. Name the "
                  "tables that carry the study's findings in qualcode.toml ([report] key_tables).")
        return
    base.para(doc, f"The tables this report leads with are {source}. Each counts cases: a case counts once in a "
              "row however often the code occurs in it; percentages are of each column's cases (the Total row "
              "gives each column's n).")
    for df in keys:
        view = crosstab_for_word(project, df) if df.attrs.get("kind") == "crosstab" else df
        g = prepare(view, project.codebook) if view is df else grid(view)
        tick(f"key table: {g.title}")
        w.orient(needs_landscape(g))
        w.heading(g.title, 2)
        if g.empty:
            reason = g.empty_reason.strip().rstrip(".") or "nothing to count with the codings chosen"
            base.para(doc, f"No data for this table: {reason}.", style="Notice")
            continue
        w.grid_table(g, g.title, note=describe(g))
        data = charts.crosstab_chart(view)
        if data is not None:
            label = data.attribute.replace("_", " ")
            w.chart(data, f"{g.title}: the percentage of the cases with each value of {label} (n cases) in "
                    "which each code occurs", table=w.tables)


def _provenance_part(doc, w: ReportWriter, stamp) -> None:
    base.para(doc, "Every figure in this report was computed by qualcode from the files below, read when the "
              "report was written. Running the same command on the same files gives the same stamp; a "
              "different stamp means something changed. The document properties carry the same stamp.")
    w.grid_table(methods.small_grid(["Item", "Value"], [list(r) for r in stamp.summary()], "Provenance"),
                 "Provenance: qualcode version, command, project and the inputs read")
    if len(stamp.transcripts) <= 200:
        rows = [[t, h] for t, h in stamp.transcripts]
        w.grid_table(methods.small_grid(["Transcript", "Content hash (canonical text)"], rows, "Transcript hashes"),
                     "The transcripts read, with the content hash each coding records")
    else:
        base.para(doc, f"{len(stamp.transcripts):,} transcripts were read; `qualcode export csv` writes their "
                  "content hashes in provenance.json.")


def _coded_material(doc, w: ReportWriter, project, by_code: dict, per_code: int, coders: list[str]) -> None:
    book = project.codebook
    n_transcripts = len(project.index)
    if not by_code:
        base.para(doc, "Nothing has been coded yet.")
        return
    base.para(doc,
        f"For each code, up to {per_code} coded passages from different cases, preferring a respondent's "
        "words within one turn. What is quoted is what a respondent said within the coding, without speaker "
        "labels (of a coding that runs from a question into its answer, the answer). Each is attributed to its "
        "case and the speaker's role.")
    chosen = exemplars(project, by_code, per_code=per_code)
    pooled = len(coders) > 1

    def one(code_id: str, name: str, level: int) -> None:
        codings = by_code.get(code_id) or []
        if not codings:
            return
        w.heading(name, level)
        k = len({c.transcript for c in codings})
        if pooled:
            each = ", ".join(f"{c}: {sum(1 for x in codings if x.coder == c):,}" for c in coders)
            count = f"{len(codings):,} coding{'s' if len(codings) != 1 else ''} by {len(coders)} coders ({each})"
        else:
            count = f"Coded {len(codings):,} time{'s' if len(codings) != 1 else ''}"
        note = base.para(doc, f"{count} in {k:,} of {n_transcripts:,} transcripts ({code_id}).", style="Table Note")
        note.paragraph_format.keep_with_next = True
        for ex in chosen.get(code_id, []):
            base.para(doc, f"\u201c{clean_text(ex.text)}\u201d", style="Quote")
            base.para(doc, f"\u2014 {clean_text(ex.attribution)}", style="Quote Attribution")

    for theme in book.roots:
        under = [theme.id, *book.descendants(theme.id)]
        if not any(by_code.get(c) for c in under):
            continue
        w.heading(theme.name, 2)
        inside = set(under[1:])
        for code in [theme, *[c for c in book.walk() if c.id in inside]]:
            one(code.id, code.name if code.id != theme.id else f"{code.name} (the theme itself)", 3)
    outside = sorted(c for c in by_code if c not in book)
    if outside:
        w.heading("Codes not in the codebook", 2)
        for code_id in outside:
            one(code_id, code_id, 3)
