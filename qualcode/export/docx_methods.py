"""The report's methods section, written from the project: transcripts, codebook, coders, agreement."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

from qualcode.export import docx_base as base
from qualcode.export.docx_codebook import summary
from qualcode.export.frame import Grid, clean_text
from qualcode.export.spoken import WORDS_DEFINED, spoken_table, spoken_words  # noqa: F401 (spoken_words: tests)

MAX_LISTED = 100  # transcripts listed in the methods table; the rest are counted


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _grid(headers, rows, numeric, title, index=1) -> Grid:
    return Grid(headers=headers, rows=rows, numeric=numeric, decimals=[0] * len(headers),
                index_columns=index, title=title)


def small_grid(headers, rows, title) -> Grid:
    """A table of text (no numbers) with the first column as row labels."""
    return _grid(headers, rows, [False] * len(headers), title)


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def coder_stats(project, coders: list[str]) -> dict[str, dict]:
    out = {}
    for coder in coders:
        cs = project.codings(coder)
        out[coder] = {"codings": len(cs), "transcripts": sorted(cs.transcripts()),
                      "codes": len({c.code for c in cs})}
    return out


def transcripts_part(doc, project, stats: dict, add_table) -> None:
    entries = list(project.index)
    spoken, said = spoken_table(project, entries)
    words = sum(spoken.values())
    turns = sum(e.turns for e in entries)
    formats = Counter(e.format for e in entries)
    dates = sorted(d for d in (_date(e.metadata.get("date")) for e in entries) if d)
    text = (f"The project holds {_plural(len(entries), 'transcript')} ({_plural(words, 'spoken word')}, "
            f"{_plural(turns, 'speaker turn')}) in {_plural(len(formats), 'format')}")
    if dates:
        text += (f", of interviews held on {base.format_date(dates[0])}" if dates[0] == dates[-1] else
                 f", of interviews held between {base.format_date(dates[0])} and {base.format_date(dates[-1])}")
    base.para(doc, text + ".")
    if not entries:
        return
    coded_by: dict[str, list[str]] = {}
    for coder, s in stats.items():
        for tid in s["transcripts"]:
            coded_by.setdefault(tid, []).append(coder)
    rows = [[e.id, project.cases.case(e.id), str(e.metadata.get("date") or ""), spoken[e.id], e.turns,
             ", ".join(coded_by.get(e.id, [])) or "not coded"] for e in entries[:MAX_LISTED]]
    grid = _grid(["Transcript", "Case", "Date", "Spoken words", "Turns", "Coded by"], rows,
                 [False, False, False, True, True, False], "Transcripts")
    add_table(grid, "The transcripts: case, date of interview, length and who coded each",
              " ".join(("Note.", WORDS_DEFINED, said)).strip())
    if len(entries) > MAX_LISTED:
        base.para(doc, f"The first {MAX_LISTED} of {len(entries):,} transcripts are listed; "
                          "`qualcode stats --json` lists them all.", style="Table Note")
    missing = [e.id for e in entries if e.id not in project.cases.attributes]
    if project.cases.columns and missing:
        base.para(doc, f"{_plural(len(missing), 'transcript')} ha{'s' if len(missing) == 1 else 've'} no row in "
                          f"the cases file ({', '.join(missing[:10])}{', ...' if len(missing) > 10 else ''}): "
                          "their attributes are shown as not recorded.")


def codebook_part(doc, project, by_code: dict[str, list], add_table, counted: list[str] | None = None,
                  who: str = "") -> None:
    """The codebook in numbers, and its top-level themes with their codings (``counted``: whose codings
    ``by_code`` holds; ``who``: how the tables name them, "kerrigan and ana pooled")."""
    book = project.codebook
    s = summary(book)
    name = f", {clean_text(book.name)}," if book.name else ""
    base.para(doc, 
        f"The codebook{name} has {_plural(s['codes'], 'code')} on {_plural(s['levels'], 'level')}: "
        f"{_plural(len(s['themes']), 'top-level theme')} and {_plural(s['leaves'], 'code')} without children. "
        "Appendix A gives every code with its definition, inclusion and exclusion criteria and examples.")
    rows = []
    for theme in s["themes"]:
        under = [theme.id, *book.descendants(theme.id)]
        rows.append([theme.name, theme.id, len(under) - 1, sum(len(by_code.get(c, ())) for c in under)])
    if rows:
        grid = _grid(["Theme", "Id", "Codes under it", "Codings"], rows, [False, False, True, True], "Themes")
        add_table(grid, "Top-level themes of the codebook, with the number of codes under each and of codings",
                  _themes_note({c: cs for c, cs in by_code.items() if c in book}, counted or [], who))
    outside = {code: len(cs) for code, cs in by_code.items() if code not in book}
    if outside:
        listed = ", ".join(f"{code} ({n})" for code, n in sorted(outside.items()))
        base.para(doc, 
            f"{_plural(sum(outside.values()), 'coding')} use{'s' if sum(outside.values()) == 1 else ''} "
            f"{_plural(len(outside), 'code')} no longer in the codebook: {listed}. They are counted in the "
            "tables under their ids and have no definition; recode them or put the codes back in the codebook.",
            style="Notice")


def _themes_note(by_code: dict[str, list], counted: list[str], who: str) -> str:
    """Whose codings the themes table adds up, as the other tables say it; the coders' shares when
    it pools several (a passage both coded counts once for each)."""
    if not counted:
        return ""
    text = f"Note. Codings by {who or ' and '.join(counted)}: a theme's codings are those of the theme and of every code under it"
    if len(counted) > 1:
        each = {c: 0 for c in counted}
        for codings in by_code.values():
            for c in codings:
                if c.coder in each:
                    each[c.coder] += 1
        text += (f"; the {len(counted)} coders' codings are added together, so a passage they both coded counts "
                 "once for each (" + ", ".join(f"{c}: {_plural(n, 'coding')}" for c, n in each.items()) + ")")
    return text + "."


def coders_part(doc, project, stats: dict, add_table) -> None:
    n_all = len(project.index)
    if not stats:
        base.para(doc, "No coder has coded any transcript yet.")
        return
    sentences = []
    for coder, s in stats.items():
        k = len(s["transcripts"])
        which = ("all " + _plural(n_all, "transcript")) if k == n_all and n_all else (
            f"{k} of the {n_all} transcripts" + (f" ({', '.join(s['transcripts'])})" if 0 < k <= 12 else ""))
        sentences.append(f"{coder} coded {which}: {_plural(s['codings'], 'coding')} with {_plural(s['codes'], 'code')}.")
    intro = "One coder" if len(stats) == 1 else f"{len(stats)} coders"
    base.para(doc, f"{intro} coded the transcripts. " + " ".join(sentences))
    rows = [[coder, len(s["transcripts"]), s["codings"], s["codes"]] for coder, s in stats.items()]
    add_table(_grid(["Coder", "Transcripts", "Codings", "Codes used"], rows, [False, True, True, True], "Coders"),
              "Coders and what each coded")
    for coder in stats:
        warnings = project.journal_warnings(coder)
        if warnings:
            base.para(doc, f"{coder}'s journal has {_plural(len(warnings), 'problem')} "
                              f"(first: {clean_text(warnings[0].message)}); run `qualcode check`.", style="Notice")


UNIT = "sentence"
RESAMPLES = 10_000  # as `qualcode agree` draws by default
INTERVAL_BUDGET = 3_000_000
"""Characters of the transcripts all the coders coded above which the report leaves out alpha's
bootstrap interval (minutes of work on a thousand transcripts); `qualcode agree` computes it."""


AGREEMENT_BUDGET = 120_000_000
"""Characters of the transcripts all the coders coded above which the report leaves the agreement
table out unless asked (``write_report(agreement=True)``, ``--agreement``): about 3,300 transcripts
of 5,000 words. At 3,000 such transcripts (108 million characters, 600,000 codings) the table adds
about 5 s and 250 MB to the report (13 s and 920 MB in all); past the budget the report would pass
30 s or 1 GB; `qualcode agree` computes it (the report says so, with the command)."""


def compared_chars(project, coders: list[str]) -> int:
    """Characters of the transcripts every one of ``coders`` coded (the text agreement compares)."""
    common = None
    for coder in coders:
        have = set(project.codings(coder).transcripts())
        common = have if common is None else common & have
    index = {e.id: e.chars for e in project.index}
    return sum(index.get(t, 0) for t in common or ())


def resamples_for(project, coders: list[str], resamples: int | None = None) -> int:
    """``resamples`` if given; else the default, or 0 (no interval) past ``INTERVAL_BUDGET``."""
    if resamples is not None:
        return resamples
    return RESAMPLES if compared_chars(project, coders) <= INTERVAL_BUDGET else 0


def agreement_frame(project, coders: list[str], resamples: int = RESAMPLES):
    """The agreement table from ``qualcode.reliability.report.agreement_table`` (sentences as
    units, as `qualcode agree` reports by default), or None when reliability offers none. Its
    verdicts are reliability's (``qualcode.reliability.verdict``), never recomputed here."""
    try:
        from qualcode.reliability.report import agreement_table
    except ImportError:
        return None
    return agreement_table(project, coders, UNIT, n_resamples=resamples)


def agreement(project, coders: list[str], resamples: int = RESAMPLES):
    """(table, None), or (None, why not)."""
    from qualcode.errors import QualcodeError

    try:
        return agreement_frame(project, coders, resamples), None
    except QualcodeError as exc:
        return None, exc.message


def agreement_part(doc, coders: list[str], frame, problem: str | None, add_frame,
                   resamples: int = RESAMPLES, too_large: int = 0, asked: int | None = None) -> None:
    """``too_large``: the characters compared, when the agreement was left out for the size; ``asked``:
    the resamples the report was asked for (``--resamples``; None: the default, which is 0 only past
    ``INTERVAL_BUDGET``), so that the text gives the real reason for an alpha without its interval."""
    pair = ",".join(coders)
    if too_large:
        base.para(doc,
            f"Agreement between {' and '.join(coders)} is not computed in this report: the transcripts "
            f"they all coded hold {too_large / 1e6:,.1f} million characters, more than the "
            f"{AGREEMENT_BUDGET / 1e6:,.0f} million this report computes agreement for (past that it takes "
            f"longer than the rest of the report and gigabytes of memory). `qualcode agree --coders {pair} "
            f"--unit {UNIT}` reports it per code and overall; `qualcode export docx --agreement` puts it "
            "here.")
        return
    if problem:
        base.para(doc, f"Agreement between {' and '.join(coders)} could not be computed: {problem}",
                  style="Notice")
        return
    if frame is None:
        base.para(doc,
            f"{' and '.join(coders)} coded some transcripts independently. Agreement between them is not "
            f"computed in this report; `qualcode agree --coders {pair} --unit {UNIT}` reports it per code "
            "and overall.")
        return
    command = f"qualcode agree --coders {pair} --unit {UNIT}" + ("" if resamples == RESAMPLES else
                                                                   f" --resamples {resamples}")
    text = (f"Agreement between {' and '.join(coders)} on the transcripts all of them coded, with each "
            f"{UNIT} as a unit (`{command}` gives the same numbers).")
    if resamples == 0:
        why = ("This report was made with `--resamples 0`" if asked == 0 else
               "The transcripts compared are long")
        text += (f" {why}, so it gives alpha without its bootstrap "
                 f"interval, and each verdict says \u201cno interval\u201d; `qualcode agree --coders {pair} "
                 f"--unit {UNIT}` computes the intervals ({RESAMPLES:,} resamples) and the verdicts read off them.")
    base.para(doc, text)
    add_frame(frame)


def readable_notes(frame, book=None) -> dict:
    """The table's caption and notes with the names its rows show: a note on a code ("pmf.none: ...")
    names the code, the overall rows are called what their row says, and the list of unused codes
    gives names, not ids."""
    names = {}
    if {"Code", "Name"} <= set(frame.columns):
        names = {str(c): str(n) for c, n in zip(frame["Code"], frame["Name"])}

    def name(code: str) -> str:
        code = code.strip()
        if code in names:
            return names[code]
        return book.get(code).name if book is not None and code in book else code

    caption = str(frame.attrs.get("caption") or "")
    for code, label in names.items():
        if code.startswith("("):
            caption = caption.replace(f"'{code}'", f"\u201c{label}\u201d")
    notes = []
    for note in frame.attrs.get("notes") or []:
        head, sep, rest = str(note).partition(": ")
        if sep and head.startswith("Not used by any"):
            note = head + sep + ", ".join(name(c) for c in rest.split(","))
        elif sep and (head in names or (book is not None and head in book)):
            note = name(head) + sep + rest
        notes.append(note)
    return {"caption": caption, "notes": notes}


def for_word(frame, book=None):
    """The agreement table as it reads best on a page: code names without ids, the interval's two
    bounds in one column ("0.746 to 0.968", as `qualcode agree` prints it), short coefficient names
    (defined in the note under the table) and no Note column when every note is empty.
    CSV and XLSX keep the full frame."""
    from qualcode.reliability.report import CODED_RULE, DISPLAY_RULE, coded_text

    low = next((c for c in frame.columns if c.endswith(" low")), None)
    high = next((c for c in frame.columns if c.endswith(" high")), None)
    out = frame.copy()
    if low and high:
        pos = out.columns.get_loc(low)
        ci = [("" if math.isnan(lo) or math.isnan(hi) else f"{_three(lo)}\u00a0to\u00a0{_three(hi)}")  # no-break: one line
              for lo, hi in zip(out[low], out[high])]
        out = out.drop(columns=[low, high])
        out.insert(pos, low[: -len(" low")], ci)
    if "Note" in out.columns and not out["Note"].fillna("").astype(str).str.strip().any():
        out = out.drop(columns=["Note"])
    units = out["Units"].tolist() if "Units" in out.columns else None
    for c in [c for c in out.columns if c.startswith("Coded by ")]:  # the units coded and their share: "1 (<0.1%)", one line
        out[c] = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else
                  coded_text(float(v), int(n)).replace(" ", "\u00a0") if units is not None else f"{float(v):.1%}"
                  for v, n in zip(out[c], units or [0] * len(out))]
    coefficients = [c for c in ("Agreement", "Cohen's kappa", "Fleiss' kappa", "Krippendorff's alpha", "u-alpha",
                                "Gwet's AC1") if c in out.columns]
    for c in coefficients:  # never 1.000 unless exactly 1 (0.9997 reads >0.999)
        out[c] = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else _three(float(v)) for v in out[c]]
    # readers want code names, not ids (the Name column also labels the overall rows)
    if "Name" in out.columns and "Code" in out.columns:
        out = out.drop(columns=["Code"])
    # the short names the note under the table defines (kappa, alpha, AC1): headers fit their columns
    out = out.rename(columns={"Cohen's kappa": "kappa", "Fleiss' kappa": "kappa", "Krippendorff's alpha": "alpha",
                              "Gwet's AC1": "AC1", **{c: c.replace("Coded by ", "") + " coded"
                                                      for c in out.columns if c.startswith("Coded by ")}})
    out.attrs = {**frame.attrs, **readable_notes(frame, book)}
    shown = [CODED_RULE] if units is not None and any(str(c).endswith(" coded") for c in out.columns) else []
    out.attrs["notes"] = [*shown, DISPLAY_RULE, *out.attrs.get("notes", [])]
    out.attrs["right"] = [c for c in out.columns if str(c).endswith(" coded")] + \
        [{"Cohen's kappa": "kappa", "Fleiss' kappa": "kappa", "Krippendorff's alpha": "alpha", "Gwet's AC1": "AC1"}.get(c, c)
         for c in coefficients]
    return out


def _three(x: float) -> str:
    """Three decimals, without the minus sign of a value that rounds to zero ("-0.000"), and never 1.000
    unless it is 1 (``reliability.report.fmt``: ">0.999")."""
    from qualcode.reliability.report import fmt

    text = fmt(x, 3)
    return "0.000" if text == "-0.000" else text
