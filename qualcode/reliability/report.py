"""Agreement reports: a row per code (and overall) for one choice of unit, named in the output.

``agreement_report(project, coders, unit=...)`` compares the coders on the transcripts they all
coded and returns an :class:`AgreementReport` (pure numpy): per code the number of units, the share
each coder coded, percent agreement, kappa (Cohen's for two coders, Fleiss' for more),
Krippendorff's alpha (nominal) with a bootstrap interval (Hayes & Krippendorff 2007) and Gwet's
AC1; overall, the same on every code decision pooled, and alpha over the *set* of codes in each
unit (MASI distance, Passonneau 2006). For ``unit="unitized"`` the coefficient is Krippendorff's
unitizing alpha per code and pooled. ``to_json``, ``csv_text`` and, for the Word report,
:func:`agreement_table` (a pandas DataFrame; the only place pandas is imported).

Thresholds are Krippendorff's (2004, *Content Analysis*, 2nd ed., p. 241), not invented here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Sequence

from qualcode.reliability.alpha import RELIABLE, TENTATIVE
import numpy as np

from qualcode.reliability.binary import BinaryCounts, coefficients
from qualcode.reliability.disagreements import CONSENSUS
from qualcode.reliability.clusters import char_clusters, cluster_groups, grouped_bootstrap
from qualcode.reliability.matrix import ReliabilityDataError, UndefinedCoefficient
from qualcode.reliability.sets import masi_distance, sets_alpha, sets_alpha_details  # noqa: F401 - re-exported
from qualcode.reliability.units import UNIT_NAMES, UNITS, CodingData, UnitData, collect, unit_data
from qualcode.reliability.unitizing import unitizing_alpha
from qualcode.reliability.verdict import RULE, rule, verdict  # noqa: F401 - RULE re-exported

THRESHOLDS = (
    "Krippendorff (2004, Content Analysis, 2nd ed., p. 241): rely on codes with alpha >= .800; "
    "consider codes with .667 <= alpha < .800 only for drawing tentative conclusions."
)
DEFAULT_SEED = 2007
ALL_CODES = "(all codes)"
CODE_SETS = "(sets of codes)"


def agreement_coders(project, consensus: str = CONSENSUS) -> list[str]:
    """The coders agreement compares unless told: the project's configured coders (qualcode.toml's
    ``coders``) when it names two or more, as `qualcode agree` does; else every coder with codings.
    Never the consensus coder, and never a journal nobody configured (the workbench writes one per
    login) while coders are configured."""
    configured = [c for c in project.config.coders if c != consensus]
    if len(configured) >= 2:
        return configured
    return [c for c in project.coders_with_codings() if c != consensus]


def assessment(alpha: float | None, low: float | None = None, n_units: int | None = None,
               p_c: float | None = None, n_coders: int = 2, n_codings: int | None = None) -> str:
    """The verdict on an alpha: :func:`qualcode.reliability.verdict.verdict` (the one rule the CLI,
    the workbench and the Word report share)."""
    return verdict(alpha, low=low, n_units=n_units, p_c=p_c, n_coders=n_coders, n_codings=n_codings)


def fmt(value: float | None, digits: int = 3) -> str:
    """A coefficient for reading: "0.812", "" when there is no number. Never 1.000 unless it is 1: a
    value that would round to 1 (0.9997, a code one coder used once in 2,607 units and the other
    never) reads ">0.999", and one that would round to -1 "<-0.999" (``number`` writes them plainly)."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    if abs(value) != 1 and text.lstrip("-") == f"{1:.{digits}f}":
        below = f"{1 - 10 ** -digits:.{digits}f}"
        return ">" + below if value > 0 else "<-" + below
    return text


def number(value: float | None, digits: int = 6) -> str:
    """A coefficient for a program (CSV): plain, rounded to ``digits``."""
    return "" if value is None else f"{value:.{digits}f}"


def percent(share: float) -> str:
    """A share for reading, to 0.1 %: never 0.0% unless none, nor 100.0% unless all ("<0.1%", ">99.9%")."""
    text = f"{share:.1%}"
    if share > 0 and text == "0.0%":
        return "<0.1%"
    if share < 1 and text == "100.0%":
        return ">99.9%"
    return text


def coded_text(share: float, units: int) -> str:
    """What a coder coded, for reading: the units and their share, "1 (<0.1%)", "52 (2.0%)"."""
    return f"{round(share * units):,} ({percent(share)})"


DISPLAY_RULE = "A coefficient reads >0.999 when it is above 0.999 but not 1: 1.000 means exactly 1."
CODED_RULE = ("A coder's column gives the units they coded and their share of all units (<0.1%: at least one, "
              "but fewer than 1 in 1,000).")


@dataclass
class Row:
    """One line of the report: a code (pooled over transcripts, or in one transcript) or overall."""

    code: str
    name: str
    units: int
    coded: tuple[float, ...]  # share of units (characters for unitized) each coder coded
    agreement: float | None = None
    kappa: float | None = None
    alpha: float | None = None
    alpha_low: float | None = None
    alpha_high: float | None = None
    ac1: float | None = None
    transcript: str | None = None  # None: pooled over the compared transcripts
    scope: str = "code"  # "code", "overall", "sets" or "transcript"
    undefined: dict = field(default_factory=dict)  # coefficient -> why it is undefined
    p_below: dict | None = None  # q(alpha < .667), q(alpha < .800) from the bootstrap
    n_pairable: int | None = None  # units coded by two or more coders (all of them here)
    p_c: float | None = None  # share of the less used value ("coded" or not) among the pairable values
    n_coders: int = 2
    n_codings: int | None = None  # unitized rows (no interval can be computed): the codings compared

    @property
    def assessment(self) -> str:
        return assessment(self.alpha, self.alpha_low, self.n_pairable, self.p_c, self.n_coders, self.n_codings)

    def note(self) -> str:
        return "; ".join(dict.fromkeys(self.undefined.values()))

    def to_json(self, coders: Sequence[str]) -> dict:
        return {
            "scope": self.scope,
            "code": self.code,
            "name": self.name,
            "transcript": self.transcript,
            "units": self.units,
            "coded": {c: round(v, 6) for c, v in zip(coders, self.coded)},
            "agreement": self.agreement,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "alpha_ci": None if self.alpha_low is None else [self.alpha_low, self.alpha_high],
            "ac1": self.ac1,
            "q_below": None if self.p_below is None else {f"{k:.3f}": v for k, v in self.p_below.items()},
            "assessment": self.assessment or None,
            "undefined": dict(self.undefined),
        }


@dataclass
class AgreementReport:
    """The numbers of one agreement comparison and everything a reader needs to read them."""

    unit: str
    rule: str
    coders: tuple[str, ...]
    transcripts: tuple[str, ...]
    n_units: int
    kappa_name: str
    rows: list[Row]
    overall: list[Row]
    by_transcript: list[Row]
    left_out: dict = field(default_factory=dict)
    unused_codes: tuple[str, ...] = ()
    orphaned: list = field(default_factory=list)
    bootstrap: dict = field(default_factory=dict)
    data: CodingData | None = field(default=None, repr=False)
    units: UnitData | None = field(default=None, repr=False)

    @property
    def unit_name(self) -> str:
        return UNIT_NAMES[self.unit]

    @property
    def title(self) -> str:
        return f"Inter-coder agreement by code ({self.unit_name} as units)"

    def left_out_note(self) -> str:
        return self.data.left_out_note() if self.data is not None else ""

    def methods(self) -> str:
        """What each column is, in one paragraph."""
        if self.unit == "unitized":
            return ("u-alpha is Krippendorff's (1995; 2004, pp. 251-256) unitizing alpha over the characters of "
                    "the transcripts, per code and pooled over codes, after merging each coder's touching or "
                    "overlapping codings of one code into one segment; coded is the share of characters each "
                    "coder coded. " + self.verdict_rule)
        b = self.bootstrap
        interval = (f"a {b.get('confidence', 0.95):.0%} cluster bootstrap interval that resamples whole "
                    f"{b.get('clusters', 'units')} ({b.get('n_clusters', 0):,} of them; {b.get('n_resamples', 0):,} "
                    f"resamples, seed {b.get('seed')})" if b.get("n_resamples") else "no interval (--resamples 0)")
        return (f"Units are {self.unit_name}: {self.rule}. Coded is the share of units each coder coded; "
                f"agreement is percent agreement; kappa is {self.kappa_name}; alpha is Krippendorff's alpha "
                f"(nominal) with {interval}; AC1 is Gwet's AC1. "
                f"'{ALL_CODES}' pools every code decision; '{CODE_SETS}' is alpha over the set of codes each "
                "coder gave each unit, with the MASI distance (Passonneau 2006; no interval). " + DISPLAY_RULE + " "
                + self.verdict_rule)

    @property
    def verdict_rule(self) -> str:
        """The legend of the verdicts this report shows (unitizing alpha: not judged; else the point
        estimate read "(no interval)" where no interval was computed)."""
        return rule(unitized=True, no_interval=None) if self.unit == "unitized" else rule()

    @property
    def caption(self) -> str:
        who = " and ".join([", ".join(self.coders[:-1]), self.coders[-1]]) if len(self.coders) > 1 else self.coders[0]
        what = "characters" if self.unit == "unitized" else self.unit_name
        parts = [
            f"Agreement between {who} on the {len(self.transcripts)} transcript(s) "
            f"{'chosen' if self.data is not None and self.data.chosen else 'all of them coded'} "
            f"({', '.join(self.transcripts)}); {self.n_units:,} {what}.",
            self.methods(),
            THRESHOLDS,
        ]
        if self.left_out:
            parts.append(self.left_out_note())
        return " ".join(parts)

    def notes(self) -> list[str]:
        """Why some values are missing, what was left out."""
        out = []
        for r in self.rows + self.overall:
            if r.undefined:
                out.append(f"{r.code}: {r.note()}")
        if self.left_out:
            out.append(self.left_out_note())
        if self.data is not None and self.data.uncoded:
            out.append(self.data.uncoded_note())
        if self.unused_codes:
            out.append("Not used by any of the coders in these transcripts (no row): " + ", ".join(self.unused_codes))
        if self.orphaned:
            out.append(f"{len(self.orphaned)} coding(s) could not be found in their transcript (orphaned) and "
                       "were left out; run `qualcode check`")
        return out

    def all_rows(self) -> list[Row]:
        return self.overall + self.rows + self.by_transcript

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "rule": self.rule,
            "coders": list(self.coders),
            "transcripts": list(self.transcripts),
            "left_out": {t: list(c) for t, c in self.left_out.items()},
            "n_units": self.n_units,
            "kappa": self.kappa_name,
            "bootstrap": self.bootstrap,
            "thresholds": {"reliable": RELIABLE, "tentative": TENTATIVE, "source": THRESHOLDS},
            "verdict_rule": self.verdict_rule,
            "caption": self.caption,
            "overall": [r.to_json(self.coders) for r in self.overall],
            "codes": [r.to_json(self.coders) for r in self.rows],
            "by_transcript": [r.to_json(self.coders) for r in self.by_transcript],
            "unused_codes": list(self.unused_codes),
            "notes": self.notes(),
        }

    def csv_text(self) -> str:
        """Every row (overall, per code, per code and transcript) as CSV; empty cells where undefined."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["unit", "scope", "code", "name", "transcript", "units"]
                   + [f"coded_{c}" for c in self.coders]
                   + ["agreement", "kappa", "alpha", "alpha_low", "alpha_high", "ac1", "assessment", "note",
                      "q_alpha_below_667", "q_alpha_below_800"])
        for r in self.all_rows():
            w.writerow([self.unit, r.scope, r.code, r.name, r.transcript or "", r.units]
                       + [number(v, 6) for v in r.coded]
                       + [number(v, 6) for v in (r.agreement, r.kappa, r.alpha, r.alpha_low, r.alpha_high, r.ac1)]
                       + [r.assessment, r.note()]
                       + ["" if r.p_below is None else f"{r.p_below[k]:.4f}" for k in (TENTATIVE, RELIABLE)])
        return buf.getvalue()


def agreement_report(
    project,
    coders: Sequence[str],
    unit: str = "sentence",
    codes: Sequence[str] | None = None,
    *,
    min_overlap: float = 0.0,
    n_resamples: int = 10_000,
    confidence: float = 0.95,
    seed: int | None = DEFAULT_SEED,
    transcripts: Sequence[str] | None = None,
    data: CodingData | None = None,
    per_transcript: bool = True,
) -> AgreementReport:
    """Compare ``coders`` on the transcripts they all coded, with ``unit`` as the unit.

    ``unit``: "char", "sentence", "turn", "transcript", "case" or "unitized" (see
    :mod:`qualcode.reliability.units`). ``codes``: code ids to compare (default every code any
    of them used). ``n_resamples=0`` skips the bootstrap. ``data`` reuses a :func:`collect` result.
    ``per_transcript=False`` leaves out the rows per code and transcript (``by_transcript`` empty:
    the Word report's table shows none, and at 3,000 transcripts they are 140,000 rows).

    Raises ReliabilityDataError (unknown unit or code, fewer than two coders, nothing both
    coded) and UndefinedCoefficient when a code asked for by name was used by nobody.
    """
    if unit not in UNITS:
        raise ReliabilityDataError(f"unknown unit {unit!r}", hint=f"use one of {', '.join(UNITS)}")
    if data is None:
        data = collect(project, coders, codes, transcripts)
    if codes is not None and data.unused_codes:
        raise UndefinedCoefficient(
            f"no coder used {', '.join(data.unused_codes)} in the transcripts compared "
            f"({', '.join(data.transcripts)}); agreement on a code no one coded is undefined",
            hint="pick a code the coders used (`qualcode stats --codes`)",
        )
    names = {c.id: c.name for c in project.codebook.walk()}
    boot = {"n_resamples": n_resamples, "confidence": confidence, "seed": seed}
    if unit == "unitized":
        return _unitized_report(data, names, boot)
    units = unit_data(data, unit, min_overlap=min_overlap, cases=project.cases if unit == "case" else None)
    cluster, n_clusters, boot["clusters"] = _clusters(data, units)
    boot["n_clusters"] = n_clusters
    if unit == "char":
        boot["n_units"] = units.n_units
    m = len(data.coders)
    kappa_name = "Cohen's kappa" if m == 2 else "Fleiss' kappa"
    rows, by_transcript = [], []
    total = None
    for k, code in enumerate(data.codes):
        counts = BinaryCounts.from_present(units.present[k])
        total = counts if total is None else total + counts
        row = _binary_row(code, names.get(code, code), counts)
        rows.append(row)
        if unit not in ("transcript", "case") and per_transcript:
            for t, sub in _transcript_counts(units, k):
                r = _binary_row(code, names.get(code, code), sub)
                r.transcript, r.scope = t, "transcript"
                by_transcript.append(r)
    overall = []
    if total is not None:
        pooled = _binary_row(ALL_CODES, "all codes, every code decision pooled", total)
        pooled.scope = "overall"
        overall.append(pooled)
        overall.append(_sets_row(units))
        _bootstrap(rows + [pooled], units, cluster, n_clusters, m, boot)
    return AgreementReport(
        unit=unit, rule=units.rule, coders=data.coders, transcripts=data.transcripts, n_units=units.n_units,
        kappa_name=kappa_name, rows=rows, overall=overall, by_transcript=by_transcript, left_out=data.left_out,
        unused_codes=data.unused_codes, orphaned=data.orphaned, bootstrap=boot, data=data, units=units,
    )


def _binary_row(code: str, name: str, counts: BinaryCounts) -> Row:
    c = coefficients(counts)
    n = counts.n_units * counts.n_coders
    n1 = sum(counts.per_coder)
    return Row(code=code, name=name, units=counts.n_units, coded=counts.shares(), agreement=c.agreement,
               kappa=c.kappa, alpha=c.alpha, ac1=c.ac1, undefined=dict(c.undefined),
               n_pairable=counts.n_units, p_c=min(n1, n - n1) / n if n else None, n_coders=counts.n_coders)


def _clusters(data: CodingData, units: UnitData) -> tuple:
    """(cluster of each unit, number of clusters, what a cluster is) for the cluster bootstrap."""
    if units.kind != "char":
        return np.arange(units.n_units), units.n_units, UNIT_NAMES[units.kind]
    parts, offset = [], 0
    for t in data.transcripts:
        starts = data.unit_arrays(t, "sentence")[0]
        parts.append(char_clusters(starts, data.lengths[t]) + offset)
        offset += max(1, len(starts))
    data.save_spans()
    cluster = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return cluster, offset, "sentences"


def _bootstrap(rows: list[Row], units: UnitData, cluster: np.ndarray, n_clusters: int, n_coders: int,
               boot: dict) -> None:
    """The cluster bootstrap's interval and q(alpha < .667/.800) on each row with a defined alpha
    (``rows``: one per code, then the pooled row). With character units the minimum-data check
    counts sentences, not characters (a code's row: the sentences; the pooled row: codes x
    sentences). The groups of identical clusters come from :func:`cluster_groups`: the same as
    :func:`cluster_bootstrap` finds in every row's counts, without holding them all."""
    if boot["clusters"] == "sentences" and boot.get("n_units"):
        for row in rows:
            row.n_pairable = round(row.units * boot["n_clusters"] / boot["n_units"])
    if not boot["n_resamples"]:
        return
    chosen = [j for j, r in enumerate(rows[:-1]) if r.alpha is not None]
    pooled = rows[-1].alpha is not None
    if not chosen and not pooled:
        return
    flat, sizes = cluster_groups(units.present, cluster, n_clusters, chosen, pooled)
    found = grouped_bootstrap(flat, sizes, n_coders, n_resamples=boot["n_resamples"], seed=boot["seed"],
                              confidence=boot["confidence"])
    for row, ci in zip([rows[j] for j in chosen] + ([rows[-1]] if pooled else []), found):
        row.alpha_low, row.alpha_high, row.p_below = ci.low, ci.high, ci.p_below


def _transcript_counts(units: UnitData, k: int):
    """(transcript, BinaryCounts) of code ``codes[k]`` in each transcript where a coder used it, in
    the order of ``units.bounds``: the counts ``BinaryCounts.from_present`` gives on each
    transcript's units, summed per transcript at once (``np.add.reduceat``) instead of per slice."""
    present = units.present[k]
    m = present.shape[0]
    named = [(t, sl) for t, sl in units.bounds.items() if sl.stop > sl.start]
    if not named or not present.any():
        return
    at = np.array([sl.start for _, sl in named], dtype=np.intp)
    per_coder = np.add.reduceat(present.astype(np.int64), at, axis=1)  # coders x transcripts
    coded = per_coder.sum(axis=0) > 0
    s = present.sum(axis=0, dtype=np.int64)
    hist = np.stack([np.add.reduceat((s == v).astype(np.int64), at) for v in range(m + 1)])
    both = np.add.reduceat((present[0] & present[1]).astype(np.int64), at) if m == 2 else None
    for j in np.flatnonzero(coded):
        t, sl = named[j]
        yield t, BinaryCounts(m, sl.stop - sl.start, tuple(int(x) for x in per_coder[:, j]),
                              tuple(int(x) for x in hist[:, j]), int(both[j]) if both is not None else 0)


def _sets_row(units: UnitData) -> Row:
    coded = tuple(float(v) for v in units.present.any(axis=0).mean(axis=1)) if units.n_units else ()
    row = Row(code=CODE_SETS, name="all codes, the set of codes per unit (MASI distance)", units=units.n_units,
              coded=coded, scope="sets")
    try:
        row.alpha, note = sets_alpha_details(units.present, units.codes)
        if note:
            row.name += f" ({note})"
    except UndefinedCoefficient as exc:
        row.undefined["alpha"] = exc.message
    return row


def _unitized_report(data: CodingData, names: dict, boot: dict) -> AgreementReport:
    offsets, pos = {}, 0
    for t in data.transcripts:
        offsets[t] = pos
        pos += data.lengths[t]
    segs = {c: [] for c in data.coders}
    for (coder, t, code), spans in data.segments.items():
        segs[coder].extend((s + offsets[t], e + offsets[t], code) for s, e, _ in spans)
    rows, overall, by_transcript = [], [], []
    pooled = unitizing_alpha(segs, pos, categories=list(data.codes), merge=True) if data.codes else None
    for code in data.codes:
        coded = tuple(sum(e - s for s, e, c in segs[coder] if c == code) / pos for coder in data.coders)
        row = Row(code=code, name=names.get(code, code), units=pos, coded=coded,
                  n_codings=_codings(segs, code))
        _unitizing_alpha_into(row, pooled.per_category[code])
        rows.append(row)
    for t in data.transcripts:
        local = {c: [(s, e, code) for (cc, tt, code), spans in data.segments.items()
                     if cc == c and tt == t for s, e, _ in spans] for c in data.coders}
        used = sorted({code for v in local.values() for *_, code in v})
        if not used:
            continue
        result = unitizing_alpha(local, data.lengths[t], categories=used, merge=True)
        for code in [c for c in data.codes if c in used]:
            coded = tuple(sum(e - s for s, e, c in local[coder] if c == code) / data.lengths[t]
                          for coder in data.coders)
            row = Row(code=code, name=names.get(code, code), units=data.lengths[t], coded=coded,
                      transcript=t, scope="transcript", n_codings=_codings(local, code))
            _unitizing_alpha_into(row, result.per_category[code])
            by_transcript.append(row)
    if pooled is not None:
        coded = tuple(_covered(segs[c]) / pos for c in data.coders)
        overall.append(Row(code=ALL_CODES, name="all codes, unitizing alpha pooled over codes", units=pos,
                           coded=coded, alpha=pooled.alpha, scope="overall", n_codings=_codings(segs)))
    return AgreementReport(
        unit="unitized",
        rule="Krippendorff's unitizing alpha over the characters of the compared transcripts, end to end",
        coders=data.coders, transcripts=data.transcripts, n_units=pos, kappa_name="", rows=rows,
        overall=overall, by_transcript=by_transcript, left_out=data.left_out, unused_codes=data.unused_codes,
        orphaned=data.orphaned, bootstrap={}, data=data,
    )


def _codings(segs: dict, code: str | None = None) -> int:
    """The codings (of ``code``; None: of every code) all the coders made in ``segs``."""
    return sum(1 for spans in segs.values() for *_, c in spans if code is None or c == code)


def _unitizing_alpha_into(row: Row, result) -> None:
    if result.is_defined:
        row.alpha = result.alpha
    else:
        row.undefined["alpha"] = f"unitizing alpha is undefined for {row.code}: no coder marked it"


def _covered(spans: list[tuple[int, int, str]]) -> int:
    total, end = 0, -1
    for s, e, _ in sorted(spans):
        if e > end:
            total += e - max(s, end)
            end = e
    return total


def agreement_table(project, coders: Sequence[str], unit: str = "sentence", codes: Sequence[str] | None = None,
                    **options):
    """The report as a pandas DataFrame for the Word report and for analysis: one row per code, then
    the overall rows. ``df.attrs`` holds "title", "caption" (unit, coders, methods and Krippendorff's
    thresholds cited), "unit", "coders", "thresholds", "notes". Undefined values are NaN, with the
    reason in the "Note" column. ``options`` go to :func:`agreement_report`.
    """
    import pandas as pd

    report = options.pop("report", None)
    if report is None:  # the table shows no rows per transcript: not computed
        report = agreement_report(project, coders, unit, codes, **{"per_transcript": False, **options})
    unitized = report.unit == "unitized"
    alpha_col = "u-alpha" if unitized else "Krippendorff's alpha"
    records = []
    for r in report.rows + report.overall:
        rec = {"Code": r.code, "Name": r.name, "Units": r.units}
        for c, v in zip(report.coders, r.coded):
            rec[f"Coded by {c}"] = v
        if not unitized:
            rec["Agreement"] = r.agreement
            rec[report.kappa_name] = r.kappa
        rec[alpha_col] = r.alpha
        if not unitized:
            ci = f"{report.bootstrap.get('confidence', 0.95):.0%} CI"
            rec[f"alpha {ci} low"] = r.alpha_low
            rec[f"alpha {ci} high"] = r.alpha_high
            rec["Gwet's AC1"] = r.ac1
        rec["Assessment"] = r.assessment
        rec["Note"] = r.note()
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    numeric = [c for c in df.columns if c not in ("Code", "Name", "Assessment", "Note", "Units")]
    df[numeric] = df[numeric].astype(float)
    df.attrs.update({
        "title": report.title,
        "caption": report.caption,
        "unit": report.unit,
        "coders": list(report.coders),
        "thresholds": {"reliable": RELIABLE, "tentative": TENTATIVE, "source": THRESHOLDS},
        "notes": report.notes(),
    })
    return df
