"""Units for agreement on free-text coding: what the coders' codings look like unit by unit.

Coders code spans of text; agreement coefficients compare values per unit. This module turns
the codings of two or more coders into reliability data for one choice of unit (pure numpy; no
pandas, no spaCy):

``char``
    Every character of a compared transcript is a unit; per code, each character is coded or
    not by each coder (NVivo's coding comparison, computed per code and transcript and pooled).
``sentence`` / ``turn``
    Sentences (:func:`~qualcode.reliability.segments.sentence_spans`, a deterministic splitter)
    or speaker turns; a code is present in a unit for a coder when one of the coder's codings of
    that code overlaps at least ``min_overlap`` of the unit's characters (default: any
    character).
``transcript`` / ``case``
    A code is present in a transcript (or in any transcript of a case, from ``cases.csv``) when
    the coder used it there.
``unitized``
    No units: Krippendorff's unitizing alpha over the character continuum (see ``report``).

Only transcripts that every compared coder coded (used at least one code in) are compared;
:attr:`CodingData.left_out` says which were left out and who coded them. Codings are taken at
their anchored place (``Project.anchored``) when the transcript changed since they were made;
orphaned codings are left out and listed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from qualcode.reliability.matrix import ReliabilityDataError, ReliabilityMatrix
from qualcode.reliability.segments import sentence_spans, turn_spans

UNITS = ("char", "sentence", "turn", "transcript", "case", "unitized")

UNIT_NAMES = {
    "char": "characters",
    "sentence": "sentences",
    "turn": "speaker turns",
    "transcript": "transcripts",
    "case": "cases",
    "unitized": "the character continuum (unitizing)",
}

#: (start, end, coding ids) of one coder's merged codings of one code.
Segment = tuple


@dataclass
class CodingData:
    """The codings being compared, restricted to the transcripts every coder coded.

    ``segments[(coder, transcript, code)]`` is the coder's merged coverage of the code in the
    transcript: sorted, non-overlapping ``(start, end, ids)`` with the ids of the codings merged.
    """

    coders: tuple[str, ...]
    transcripts: tuple[str, ...]
    lengths: dict[str, int]
    codes: tuple[str, ...]
    segments: dict[tuple[str, str, str], list[Segment]]
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unused_codes: tuple[str, ...] = ()
    orphaned: list[tuple[str, str]] = field(default_factory=list)  # (coder, coding id)
    texts: dict = field(default_factory=dict, repr=False)  # transcript id -> Transcript
    _unit_spans: dict = field(default_factory=dict, repr=False)
    chosen: bool = False  # the transcripts were named (--transcripts), not found by who coded what
    span_cache: object = field(default=None, repr=False)  # a SpanCache, when made by ``collect``
    uncoded: dict = field(default_factory=dict)  # chosen transcript -> coders who coded nothing there

    def unit_spans(self, transcript_id: str, kind: str) -> list[tuple[int, int]]:
        """Sentence or turn spans of a compared transcript (computed once)."""
        starts, ends = self.unit_arrays(transcript_id, kind)
        return list(zip(starts.tolist(), ends.tolist()))

    def unit_arrays(self, transcript_id: str, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """(starts, ends) of the sentence or turn spans of a compared transcript: from the project's
        cache of them (:mod:`~qualcode.reliability.span_cache`) while the transcript is unchanged,
        else split once (the text loaded for it, not kept)."""
        key = (transcript_id, kind)
        if key not in self._unit_spans:
            if self.span_cache is not None:
                found = self.span_cache.spans(transcript_id, kind, self.texts.get(transcript_id))
            else:
                t = self.texts[transcript_id]
                spans = sentence_spans(t) if kind == "sentence" else turn_spans(t)
                found = (np.array([a for a, _ in spans], dtype=np.int64).reshape(-1),
                         np.array([b for _, b in spans], dtype=np.int64).reshape(-1))
            self._unit_spans[key] = found
        return self._unit_spans[key]

    def save_spans(self) -> None:
        """Write the project's cache of unit spans if spans were split (see ``unit_arrays``)."""
        if self.span_cache is not None:
            self.span_cache.save()

    def spans(self, coder: str, transcript: str, code: str) -> list[Segment]:
        return self.segments.get((coder, transcript, code), [])

    @property
    def total_chars(self) -> int:
        return sum(self.lengths[t] for t in self.transcripts)

    def left_out_note(self) -> str:
        """One sentence on the transcripts that were not compared, or ''."""
        if not self.left_out:
            return ""
        parts = [f"{t} ({', '.join(c) if c else 'nobody'})" for t, c in self.left_out.items()]
        why = "not among the transcripts chosen" if self.chosen else "not coded by all of " + ", ".join(self.coders)
        return f"Left out, {why}: " + "; ".join(parts) + " (coded by those in brackets)."

    def uncoded_note(self) -> str:
        """One sentence on chosen transcripts where a coder coded nothing, or ''."""
        if not self.uncoded:
            return ""
        parts = [f"{', '.join(c)} coded nothing in {t}" for t, c in self.uncoded.items()]
        return "Compared as chosen although " + "; ".join(parts) + " (every unit there counts as not coded by them)."


def collect(
    project,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    transcripts: Sequence[str] | None = None,
) -> CodingData:
    """The codings of ``coders`` in the transcripts they all coded (or in ``transcripts``).

    ``codes`` restricts the comparison to those code ids; by default every code that any of the
    coders used in the compared transcripts, in codebook order.

    Raises ReliabilityDataError for fewer than two coders, a coder repeated, a coder without a
    journal, no transcript coded by all, or an unknown code.
    """
    coders = tuple(coders)
    if len(coders) < 2:
        raise ReliabilityDataError(
            f"agreement needs at least two coders; got {len(coders)} ({', '.join(coders) or 'none'})",
            hint="name two or more coders, e.g. --coders " + (",".join(project.coders()[:2]) if len(project.coders()) >= 2
                                                             else "ann,ben"),
        )
    if len(set(coders)) != len(coders):
        raise ReliabilityDataError(f"a coder is named twice: {', '.join(coders)}")
    known = project.coders()
    for c in coders:
        if c not in known:
            raise ReliabilityDataError(
                f"no coder {c!r} in this project", hint=f"the coders are: {', '.join(known) or 'none yet'}"
            )
    sets = {c: project.codings(c) for c in coders}
    coded = {c: s.transcripts() for c, s in sets.items()}
    for c in coders:
        if not coded[c]:
            raise ReliabilityDataError(f"coder {c!r} has no codings yet; there is nothing to compare")
    index_ids = list(project.index.ids())
    if transcripts is not None:
        chosen = list(dict.fromkeys(transcripts))
        if not chosen:
            raise ReliabilityDataError("no transcript chosen", hint="name one or more, e.g. --transcripts lsp-a,lsp-c")
        for t in chosen:
            if t not in project.index:
                raise ReliabilityDataError(f"no transcript {t!r} in this project",
                                           hint=f"the transcripts are: {', '.join(index_ids)}")
        anyone = set.union(*coded.values())
        left_out = {t: tuple(c for c in coders if t in coded[c]) for t in index_ids
                    if t in anyone and t not in chosen}
        uncoded = {t: tuple(c for c in coders if t not in coded[c]) for t in chosen}
        uncoded = {t: c for t, c in uncoded.items() if c}
    else:
        every = set.intersection(*coded.values())
        anyone = set.union(*coded.values())
        chosen = [t for t in index_ids if t in every]
        left_out = {t: tuple(c for c in coders if t in coded[c]) for t in index_ids if t in anyone - every}
        if not chosen:
            raise ReliabilityDataError(
                f"no transcript was coded by all of {', '.join(coders)}; agreement compares only what all coded",
                hint="; ".join(f"{c} coded {', '.join(sorted(coded[c]))}" for c in coders),
            )
    book = project.codebook
    if codes is not None:
        wanted = []
        for ref in codes:
            code = book.resolve(ref)
            if code is None:
                from qualcode.domain.codebook import did_you_mean

                raise ReliabilityDataError(
                    f"unknown code {ref!r}{did_you_mean(book.codes, ref)}", path=project.codebook_path,
                    hint="use a code id from the codebook (`qualcode stats --codes` lists them)",
                )
            wanted.append(code.id)
        wanted_set = set(wanted)
    lengths: dict[str, int] = {}
    texts = Texts(project)
    raw: dict[tuple[str, str, str], list[tuple[int, int, str]]] = {}
    orphaned: list[tuple[str, str]] = []
    for t in chosen:
        entry = project.index.get(t)
        if entry is None or entry.error:
            transcript = texts[t]  # loaded now: a transcript that cannot be read says so here
            lengths[t], content_hash = len(transcript.text), transcript.hash
        else:  # the index knows its length and hash: the text is loaded only if a coding needs it
            lengths[t], content_hash = entry.chars, entry.hash
        for c in coders:
            for coding in sets[c].for_transcript(t):
                if codes is not None and coding.code not in wanted_set:
                    continue
                s, e = coding.start, coding.end
                if coding.th != content_hash:
                    (_, anchor), = project.anchored([coding], texts[t])
                    if anchor.status == "orphaned":
                        orphaned.append((c, coding.id))
                        continue
                    s, e = anchor.start, anchor.end
                s, e = max(0, s), min(lengths[t], e)
                if s < e:
                    raw.setdefault((c, t, coding.code), []).append((s, e, coding.id))
    segments = {key: merge(raw.pop(key)) for key in list(raw)}  # each list let go once merged
    used = {code for (_, _, code) in segments}
    order = [c.id for c in book.walk()]
    extra = sorted(used - set(order))  # codes no longer in the codebook still count
    if codes is not None:
        code_list = tuple(wanted)
        unused = tuple(c for c in code_list if c not in used)
    else:
        code_list = tuple([c for c in order if c in used] + extra)
        unused = tuple(c for c in order if c not in used)
    data = CodingData(coders, tuple(chosen), lengths, code_list, segments, left_out, unused, orphaned, texts)
    from qualcode.reliability.span_cache import SpanCache

    data.span_cache = SpanCache(project)
    if transcripts is not None:
        data.chosen, data.uncoded = True, uncoded
    return data


class Texts(dict):
    """The compared transcripts by id, each loaded the first time it is asked for (``texts[t]``) and
    kept; ``get`` gives one only if it is loaded already."""

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project

    def __missing__(self, transcript_id: str):
        transcript = self[transcript_id] = self.project.transcript(transcript_id)
        return transcript


def merge(spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Sorted, merged (start, end, ids) from possibly overlapping (start, end, id) spans."""
    out: list[list] = []
    for s, e, cid in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
            out[-1][2].append(cid)
        else:
            out.append([s, e, [cid]])
    return [(s, e, tuple(ids)) for s, e, ids in out]


@dataclass
class UnitData:
    """Presence of each code in each unit for each coder.

    ``present[k, i, u]`` is True when coder ``i`` coded unit ``u`` with code ``codes[k]``.
    Units are numbered across the compared transcripts in order; ``bounds[t]`` is the slice of
    units that belong to transcript ``t`` (for ``case`` units, the key is the case).
    ``starts``/``ends`` give each unit's character span in its transcript (the whole
    transcript for ``transcript`` units; empty for ``char`` units, where unit u of transcript t
    is character ``u - bounds[t].start``).
    """

    kind: str
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    present: np.ndarray
    bounds: dict[str, slice]
    unit_transcript: np.ndarray  # index into ``groups`` per unit
    groups: tuple[str, ...]
    starts: np.ndarray
    ends: np.ndarray
    rule: str
    group_of: dict = field(default_factory=dict)  # transcript id -> index into ``groups``

    @property
    def n_units(self) -> int:
        return int(self.present.shape[2])

    def matrix(self, k: int, units: slice | None = None) -> ReliabilityMatrix:
        """Coders x units reliability data for code ``codes[k]`` (categories 0 = absent, 1 = present)."""
        values = self.present[k] if units is None else self.present[k][:, units]
        return ReliabilityMatrix(values.astype(np.int32), (0, 1))

    def pooled_matrix(self, units: slice | None = None) -> ReliabilityMatrix:
        """All codes side by side: coders x (codes x units), each cell one coding decision."""
        values = self.present if units is None else self.present[:, :, units]
        stacked = np.concatenate(list(values), axis=1) if len(values) else np.zeros((len(self.coders), 0), bool)
        return ReliabilityMatrix(stacked.astype(np.int32), (0, 1))


def unit_data(data: CodingData, kind: str, *, min_overlap: float = 0.0, cases=None) -> UnitData:
    """Build the presence arrays for ``kind`` (one of UNITS except "unitized").

    ``min_overlap`` (sentence and turn units): the share of a unit's characters a coding must
    cover for the code to count as present (0 = any character, the default). ``cases`` (a
    ``Cases``, for ``case`` units) maps transcripts to cases.
    """
    if kind not in UNITS or kind == "unitized":
        raise ReliabilityDataError(
            f"unknown unit {kind!r}", hint=f"use one of {', '.join(u for u in UNITS if u != 'unitized')}"
        )
    if not 0.0 <= min_overlap <= 1.0:
        raise ReliabilityDataError(f"min_overlap must be between 0 and 1; got {min_overlap}")
    n_codes, n_coders = len(data.codes), len(data.coders)
    code_index = {c: k for k, c in enumerate(data.codes)}
    coder_index = {c: i for i, c in enumerate(data.coders)}
    if kind in ("transcript", "case"):
        return _document_units(data, kind, cases, code_index, coder_index)
    bounds: dict[str, slice] = {}
    starts_all, ends_all, owner = [], [], []
    pos = 0
    transcript_units: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for g, t in enumerate(data.transcripts):
        if kind == "char":
            n = data.lengths[t]
        else:
            st, en = data.unit_arrays(t, kind)
            transcript_units[t] = (st, en)
            starts_all.append(st)
            ends_all.append(en)
            n = len(st)
        bounds[t] = slice(pos, pos + n)
        owner.append(np.full(n, g, dtype=np.int32))
        pos += n
    data.save_spans()
    present = np.zeros((n_codes, n_coders, pos), dtype=bool)
    touched = kind != "char" and min_overlap == 0  # one character suffices: all segments at once
    if touched:
        _mark_touched(data, present, bounds, transcript_units, code_index, coder_index)
    for (coder, t, code), segs in ([] if touched else data.segments.items()):
        k, i, sl = code_index.get(code), coder_index[coder], bounds[t]
        if k is None:
            continue
        row = present[k, i, sl]
        if kind == "char":
            for s, e, _ in segs:
                row[s:e] = True
            continue
        st, en = transcript_units[t]
        cov = np.zeros(len(st), dtype=np.int64)
        for s, e, _ in segs:  # merged segments: their overlaps with a unit add up exactly
            i0, i1 = np.searchsorted(en, s, "right"), np.searchsorted(st, e, "left")
            if i0 < i1:
                cov[i0:i1] += np.minimum(e, en[i0:i1]) - np.maximum(s, st[i0:i1])
        need = np.maximum(1, np.ceil(min_overlap * (en - st) - 1e-9))
        row[:] = cov >= need
    if kind == "char":
        rule = "each character counts as coded when a coding of the code covers it"
        starts = ends = np.zeros(0, dtype=np.int64)
    else:
        what = "a sentence" if kind == "sentence" else "a speaker turn"
        rule = (f"{what} counts as coded when a coding of the code covers "
                + ("any of its characters" if min_overlap == 0 else f"at least {min_overlap:.0%} of its characters"))
        starts = np.concatenate(starts_all) if starts_all else np.zeros(0, dtype=np.int64)
        ends = np.concatenate(ends_all) if ends_all else np.zeros(0, dtype=np.int64)
    unit_owner = np.concatenate(owner) if owner else np.zeros(0, dtype=np.int32)
    return UnitData(kind, data.coders, data.codes, present, bounds, unit_owner, data.transcripts,
                    starts, ends, rule, {t: g for g, t in enumerate(data.transcripts)})


def _mark_touched(data: CodingData, present: np.ndarray, bounds: dict, transcript_units: dict,
                  code_index: dict, coder_index: dict) -> None:
    """``present[k, i, u] = True`` for every unit one of coder i's segments of code k touches (shares
    a character with), for all segments at once: the units a segment touches are the run
    ``searchsorted(ends, start, "right") .. searchsorted(starts, end, "left")``, and each (code,
    coder) row is the union of its runs (a difference array). The same units as adding up each
    unit's coverage and asking for one character (``min_overlap`` 0), without a numpy call per
    segment (a million segments at 3,000 transcripts). Positions are made global (each transcript's
    characters after the previous one's), so one search covers every transcript."""
    n_units = present.shape[2]
    m = present.shape[1]
    offset, pos = {}, 0
    for t in data.transcripts:
        offset[t] = pos
        pos += data.lengths[t] + 1
    all_starts = [transcript_units[t][0] + offset[t] for t in data.transcripts]
    all_ends = [transcript_units[t][1] + offset[t] for t in data.transcripts]
    if not all_starts:
        return
    unit_starts, unit_ends = np.concatenate(all_starts), np.concatenate(all_ends)
    keys = [(offset[t], k * m + coder_index[coder], segs) for (coder, t, code), segs in data.segments.items()
            if (k := code_index.get(code)) is not None and segs]
    count = sum(len(segs) for _, _, segs in keys)
    if not count:
        return
    chain = itertools.chain.from_iterable
    seg_s = np.fromiter(chain((seg[0] + off for seg in segs) for off, _, segs in keys), np.int64, count)
    seg_e = np.fromiter(chain((seg[1] + off for seg in segs) for off, _, segs in keys), np.int64, count)
    rows = np.repeat(np.array([row for _, row, _ in keys], dtype=np.int64), [len(segs) for _, _, segs in keys])
    lo = np.searchsorted(unit_ends, seg_s, "right")
    hi = np.searchsorted(unit_starts, seg_e, "left")
    del seg_s, seg_e, keys
    keep = lo < hi
    lo, hi, rows = lo[keep], hi[keep], rows[keep]
    order = np.argsort(rows, kind="stable")
    lo, hi, rows = lo[order], hi[order], rows[order]
    cuts = np.flatnonzero(np.diff(rows)) + 1
    flat = present.reshape(-1, n_units)
    diff = np.zeros(n_units + 1, dtype=np.int32)
    for a, b in zip(np.concatenate([[0], cuts]), np.concatenate([cuts, [len(rows)]])):
        diff[:] = 0
        np.add.at(diff, lo[a:b], 1)
        np.add.at(diff, hi[a:b], -1)
        flat[rows[a]] = np.cumsum(diff[:-1]) > 0


def _document_units(data, kind, cases, code_index, coder_index) -> UnitData:
    if kind == "case":
        groups = list(dict.fromkeys((cases.case(t) if cases is not None else t) for t in data.transcripts))
        group_of = {t: groups.index(cases.case(t) if cases is not None else t) for t in data.transcripts}
    else:
        groups = list(data.transcripts)
        group_of = {t: g for g, t in enumerate(groups)}
    present = np.zeros((len(data.codes), len(data.coders), len(groups)), dtype=bool)
    for (coder, t, code), segs in data.segments.items():
        k = code_index.get(code)
        if k is not None and segs:
            present[k, coder_index[coder], group_of[t]] = True
    bounds = {g: slice(u, u + 1) for u, g in enumerate(groups)}
    starts = np.zeros(len(groups), dtype=np.int64)
    ends = np.zeros(len(groups), dtype=np.int64)
    if kind == "transcript":
        ends = np.array([data.lengths[t] for t in groups], dtype=np.int64)
    what = "a transcript" if kind == "transcript" else "a case"
    rule = f"a code counts as present in {what} when the coder used it there at least once"
    return UnitData(kind, data.coders, data.codes, present, bounds, np.arange(len(groups), dtype=np.int32),
                    tuple(groups), starts, ends, rule, group_of)
