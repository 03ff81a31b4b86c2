"""What every table is made from: the chosen coders, their codings as one DataFrame, cases, codes.

The codings of a coder become a DataFrame once and are kept (per project, per coder) until that
coder's codings change, so a screen that asks for several tables pays for it once. Transcript texts
are never loaded here: counts use the coding's own span and quote.
"""

from __future__ import annotations

import gc
import re
import threading
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from qualcode.errors import QualcodeError, UnknownCodeError

MISSING = "(missing)"
NOT_IN_CODEBOOK = "(not in codebook)"

if TYPE_CHECKING:
    import pandas as pd
# numpy and pandas are imported inside the functions that make frames: choosing coders and codes,
# captions and plurals serve the plain-Python frequencies too (`analysis.frequency`), without pandas
FRAME_COLUMNS = ["id", "transcript", "start", "end", "code", "coder", "memo", "quote", "th"]


# -- coders ---------------------------------------------------------------------------------------
@dataclass
class CoderChoice:
    coders: list[str]
    description: str
    """Who the numbers come from, for captions ("researcher_a (the project's default coder)")."""
    separate: bool = False
    """Several coders were named: tables that can (frequencies) show each coder apart."""


def choose_coders(project, coders=None) -> CoderChoice:
    """``None``: the default coder if they have codings, else every coder with codings, pooled."""
    if coders is None:
        default = project.config.default_coder
        if default and len(project.codings(default)):
            return CoderChoice([default], f"{default} (the project's default coder)")
        have = project.coders_with_codings()
        if not have:
            return CoderChoice([], "no coder (there are no codings yet)")
        if len(have) == 1:
            return CoderChoice(have, f"{have[0]} (the only coder with codings)")
        return CoderChoice(have, f"all coders pooled ({', '.join(have)})")
    names = split_list(coders)
    if not names:
        raise QualcodeError("no coder named", hint="give one or more coder names, e.g. --coders researcher_a")
    known = project.coders()
    for name in names:
        if name not in known:
            raise QualcodeError(f"unknown coder {name!r}",
                                hint=f"coders in this project: {', '.join(known) or 'none yet'}")
    if len(names) == 1:
        return CoderChoice(names, names[0])
    return CoderChoice(names, " and ".join([", ".join(names[:-1]), names[-1]]), separate=True)


def pooled(choice: CoderChoice) -> str:
    """The description for a table that pools several named coders."""
    return choice.description + (" pooled" if choice.separate else "")


def split_list(value) -> list[str]:
    """``"a,b"``, ``["a", "b,c"]`` -> ``["a", "b", "c"]`` (order kept, duplicates dropped)."""
    items = [value] if isinstance(value, str) else list(value or [])
    out: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


# -- the cyclic garbage collector -----------------------------------------------------------------
_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_on = False


@contextmanager
def paused_gc():
    """No cyclic garbage collection inside: a table over 600,000 codings makes millions of small
    objects (tuples, sets, strings) and each generation-0 collection would walk the project's codings
    again (a third to half of the time of the plain-Python tables). The tables make no reference
    cycles, so nothing is lost; the collector resumes (if it was on) when the last table in any
    thread is done."""
    global _gc_holders, _gc_was_on
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_on = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_on:
                gc.enable()


# -- codings as a DataFrame -----------------------------------------------------------------------
@dataclass
class _Cached:
    state: tuple
    frame: pd.DataFrame


_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _state(codings) -> tuple:
    """What changes whenever a coding set changes: every change goes through its undo/redo stacks."""
    undo, redo = codings.undo_stack, codings.redo_stack
    return (codings, len(codings), len(undo), len(redo), undo[-1] if undo else None, redo[-1] if redo else None)


def _same(a: tuple, b: tuple) -> bool:
    return all(x is y or (isinstance(x, int) and x == y) for x, y in zip(a, b))


def _build(codings) -> pd.DataFrame:
    """One row per coding. Text columns are plain object arrays: made from the coding set in one pass
    each, without the per-value checks of pandas' string dtype (twice as fast at 300,000 codings)."""
    import numpy as np
    import pandas as pd

    with paused_gc():
        items = list(codings)
        n = len(items)
        own = codings.coder

        def text(values) -> pd.Series:
            return pd.Series(values, dtype=object)

        def column(name: str) -> list:
            return list(map(attrgetter(name), items))

        return pd.DataFrame({
            "id": text(column("id")),
            "transcript": text(column("transcript")),
            "start": np.fromiter(map(attrgetter("start"), items), dtype=np.int64, count=n),
            "end": np.fromiter(map(attrgetter("end"), items), dtype=np.int64, count=n),
            "code": text(column("code")),
            "coder": text([c.coder or own for c in items]),
            "memo": text(column("memo")),
            "quote": text(column("quote")),
            "th": text(column("th")),
        })


def _coder_frame(project, coder: str, words: bool) -> pd.DataFrame:
    import numpy as np

    codings = project.codings(coder)
    per_project = _cache.setdefault(project, {})
    state = _state(codings)
    cached = per_project.get(coder)
    if cached is None or not _same(cached.state, state):
        cached = per_project[coder] = _Cached(state, _build(codings))
    if words and "words" not in cached.frame.columns:
        from qualcode.analysis.turns import words_said
        from qualcode.analysis.words import count_words

        f = cached.frame
        quotes = f["quote"].tolist()
        said = words_said(project, f["transcript"].tolist(), f["start"].tolist(), f["end"].tolist(), f["th"].tolist(),
                          quotes, count_words(quotes).tolist())
        # a new frame swapped in whole, so a table being made in another thread never sees half a change
        cached.frame = f.assign(words=np.array(said, dtype=np.int64))
    return cached.frame


def coding_frame(project, coders: list[str], *, words: bool = False) -> pd.DataFrame:
    """The coders' codings, one row each: id, transcript, start, end, code, coder, memo, quote, th,
    case (and words, the words said in the coding, when asked for: ``turns.words_said``). A new frame: change it freely."""
    import numpy as np
    import pandas as pd

    parts = [_coder_frame(project, c, words) for c in coders]
    parts = [p for p in parts if len(p)]
    if not parts:
        df = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("start", "end") else object) for c in FRAME_COLUMNS})
        if words:
            df["words"] = pd.Series(dtype="int64")
    elif len(parts) == 1:
        df = parts[0].copy(deep=False)
    else:
        df = pd.concat(parts, ignore_index=True)
    if words and "words" not in df.columns:
        df["words"] = np.zeros(len(df), dtype=np.int64)
    codes, uniques = pd.factorize(df["transcript"])
    case_of = np.array([project.cases.case(t) for t in uniques] + [""], dtype=object)
    df["case"] = case_of[codes] if len(df) else pd.Series(dtype=object)
    return df


# -- transcripts and cases ------------------------------------------------------------------------
def transcript_order(project, extra=()) -> list[str]:
    """Transcripts in cases.csv order, then the rest of the index, then ``extra`` (ids with codings only)."""
    index_ids = project.index.ids()
    present = set(index_ids) | set(extra)
    order = [t for t in project.cases.attributes if t in present]
    seen = set(order)
    order += [t for t in index_ids if t not in seen]
    seen.update(index_ids)
    order += sorted(t for t in set(extra) if t not in seen)
    return order


def case_order(project, transcripts=()) -> list[str]:
    """Cases in the order of their first transcript (see ``transcript_order``)."""
    out: dict[str, None] = {}
    for t in transcript_order(project, transcripts):
        out.setdefault(project.cases.case(t), None)
    return list(out)


def coded_cases(project, df: pd.DataFrame) -> list[str]:
    """The cases with at least one coding in ``df``, in case order."""
    have = set(df["case"].unique())
    return [c for c in case_order(project, df["transcript"].unique()) if c in have]


def case_attribute_values(project, cases: list[str]) -> dict[str, dict[str, str]]:
    """Each case's attributes: a case takes the first value given by its transcripts (plain Python)."""
    values: dict[str, dict[str, str]] = {c: {} for c in cases}
    for tid in transcript_order(project):
        case = project.cases.case(tid)
        if case in values:
            for k, v in project.cases.attributes.get(tid, {}).items():
                values[case].setdefault(k, v)
    return values


def case_attributes(project, cases: list[str]) -> pd.DataFrame:
    """One row per case, one column per attribute in cases.csv; a case takes the first value given
    by its transcripts; none given -> "(missing)"."""
    import pandas as pd

    columns = list(project.cases.columns)
    values = case_attribute_values(project, cases)
    table = pd.DataFrame([[values[c].get(a, MISSING) for a in columns] for c in cases],
                         index=pd.Index(cases, name="case"), columns=columns, dtype=object)
    return table


def natural_key(value: str):
    """Sort "5-10%" before "10-20%", and "(missing)" last."""
    parts = re.split(r"(\d+)", str(value).casefold())
    return (value == MISSING, [int(p) if p.isdigit() else p for p in parts])


# -- codes ---------------------------------------------------------------------------------------
@dataclass
class CodeChoice:
    ids: list[str]
    """In tree order; codes not in the codebook after them."""
    unknown: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """Indented name (two spaces a level) for row labels."""
    names: dict[str, str] = field(default_factory=dict)


def resolve_code(book, ref: str, used, what: str = "code") -> str:
    """A code id from an id or an exact name; a code only in the codings is kept under its id."""
    code = book.resolve(ref)
    if code is not None:
        return code.id
    if ref in used:
        return ref
    from qualcode.domain.codebook import did_you_mean

    raise UnknownCodeError(f"unknown {what} {ref!r}: not in the codebook and not in any coding"
                           f"{did_you_mean(book.codes, ref)}", path=book.path,
                           hint="give a code id from the codebook (`qualcode table frequencies` lists them)")


def choose_codes(project, codes, used, *, all_when_none: bool) -> CodeChoice:
    """``None``: every code (``all_when_none``) or only the codes used; else the codes named, each
    with the codes under it. Codes used but not in the codebook come last, under their id."""
    book = project.codebook
    used = set(used)
    tree = book.walk()
    if codes is None:
        wanted = {c.id for c in tree} if all_when_none else {c.id for c in tree if c.id in used}
        unknown = sorted(u for u in used if u not in book)
    else:
        wanted, unknown = set(), []
        for ref in split_list(codes):
            cid = resolve_code(book, ref, used)
            if cid in book:
                wanted.add(cid)
                wanted.update(book.descendants(cid))
            elif cid not in unknown:
                unknown.append(cid)
    ids = [c.id for c in tree if c.id in wanted] + unknown
    labels, names = {}, {}
    for c in tree:
        if c.id in wanted:
            labels[c.id] = "  " * book.depth(c.id) + c.name
            names[c.id] = c.name
    for u in unknown:
        labels[u] = names[u] = f"{u} {NOT_IN_CODEBOOK}"
    return CodeChoice(ids, unknown, labels, names)


def unknown_note(unknown: list[str]) -> str:
    if not unknown:
        return ""
    shown = ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
    return f"; {len(unknown)} code(s) not in the codebook ({shown}) are kept under their id, marked {NOT_IN_CODEBOOK}"


# -- results -------------------------------------------------------------------------------------
def finish(df: pd.DataFrame, *, kind: str, title: str, caption: str, **extra) -> pd.DataFrame:
    df.attrs.update({"title": title, "caption": caption, "kind": kind, **extra})
    return df


def empty(*, kind: str, title: str, reason: str, columns=(), **extra) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(columns=list(columns))
    return finish(df, kind=kind, title=title, caption=reason, empty_reason=reason, **extra)


def no_codings_reason(choice: CoderChoice) -> str:
    if not choice.coders:
        return "There are no codings in this project yet: code some passages first."
    return f"There are no codings by {pooled(choice)} yet."


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
