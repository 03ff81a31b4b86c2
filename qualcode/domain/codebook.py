"""The codebook: a tree of codes, and its validation. Pure Python."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qualcode.errors import Problem

# Keys the workbench uses for its own actions; a code shortcut may not take them.
RESERVED_KEYS = {
    "q": "quit",
    "s": "select sentence",
    "t": "select turn",
    "n": "next coding",
    "p": "previous coding",
    "x": "remove coding",
    "m": "memo",
    "u": "undo",
    "c": "code picker",
    "a": "accept suggestion",
    "r": "reject suggestion",
}

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_SHORTCUT = re.compile(r"^[0-9a-z]$")


@dataclass
class Code:
    """One code of the codebook. ``line`` is where it is defined in the YAML file (for messages)."""

    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    colour: str | None = None
    shortcut: str | None = None
    line: int | None = None
    ignored: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)
    """Fields the file gives a value that cannot be used (a bad colour, a taken shortcut): field ->
    (the value as written, what is wrong and what to do). The field itself is None (the default colour,
    no key); the value is written back as it was on save until the field is given a new value."""


@dataclass
class Codebook:
    """Codes in file order; ``children`` and ``depth`` are derived."""

    codes: list[Code] = field(default_factory=list)
    name: str = ""
    description: str = ""
    path: str | None = None
    renamed: dict[str, str] = field(default_factory=dict)
    """Old id -> new id: codings made with the old id count as the new one (``renamed:`` in YAML)."""
    merged: dict[str, str] = field(default_factory=dict)
    """Merged id -> the code it was merged into (``merged:``); read like ``renamed``."""
    dropped: list[str] = field(default_factory=list)
    """Ids removed together with their codings (``dropped:``): codings with them are not counted."""

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self.by_id: dict[str, Code] = {c.id: c for c in self.codes}
        self._children: dict[str | None, list[Code]] = {}
        for c in self.codes:
            self._children.setdefault(c.parent, []).append(c)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self.by_id

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code_id: str) -> Code | None:
        return self.by_id.get(code_id)

    def children(self, code_id: str | None) -> list[Code]:
        return list(self._children.get(code_id, []))

    @property
    def roots(self) -> list[Code]:
        return self.children(None)

    def ancestors(self, code_id: str) -> list[str]:
        """Parent, grandparent, ... (stops on a cycle)."""
        out: list[str] = []
        seen = {code_id}
        code = self.by_id.get(code_id)
        while code is not None and code.parent and code.parent not in seen:
            out.append(code.parent)
            seen.add(code.parent)
            code = self.by_id.get(code.parent)
        return out

    def descendants(self, code_id: str) -> list[str]:
        out: list[str] = []
        stack = [c.id for c in self.children(code_id)]
        while stack:
            cid = stack.pop()
            out.append(cid)
            stack.extend(c.id for c in self.children(cid))
        return out

    def depth(self, code_id: str) -> int:
        return len(self.ancestors(code_id))

    def walk(self) -> list[Code]:
        """Codes in tree order (depth first, file order among siblings)."""
        out: list[Code] = []

        def visit(parent: str | None) -> None:
            for c in self._children.get(parent, []):
                out.append(c)
                visit(c.id)

        visit(None)
        return out

    def path_name(self, code_id: str) -> str:
        names = [self.by_id[a].name for a in reversed(self.ancestors(code_id)) if a in self.by_id]
        return " / ".join(names + [self.by_id[code_id].name])

    @property
    def warnings(self) -> list[Problem]:
        """What the codebook gives that is ignored without changing what any coding means (a bad colour,
        a taken or invalid shortcut), in file order: see ``settle``."""
        return [Problem(message, self.path, c.line) for c in self.codes for _, message in c.ignored.values()]

    def by_shortcut(self) -> dict[str, Code]:
        return {c.shortcut: c for c in self.codes if c.shortcut}

    def resolve_code(self, code_id: str) -> str | None:
        """The id a coding's code counts as today: follows ``renamed`` and ``merged`` (chains too);
        None when the code was dropped with its codings. Unknown ids come back as they are."""
        seen = set()
        while code_id not in seen:
            seen.add(code_id)
            nxt = self.renamed.get(code_id) or self.merged.get(code_id)
            if nxt is None:
                break
            code_id = nxt
        return None if code_id in self.dropped else code_id

    def records_key(self) -> tuple:
        """Changes when the renamed / merged / dropped records change (a cache key for readers)."""
        return (tuple(sorted(self.renamed.items())), tuple(sorted(self.merged.items())), tuple(sorted(self.dropped)))

    def for_coding(self, ref: str) -> Code | None:
        """The code a new coding given ``ref`` gets: by id or exact name, or the code an id renamed or
        merged since counts as today (a coder on another machine still using the old id)."""
        return self.resolve(ref) or self.get(self.resolve_code(ref) or "")

    def resolve(self, ref: str) -> Code | None:
        """A code by id, or by exact (case-insensitive) name."""
        if ref in self.by_id:
            return self.by_id[ref]
        low = ref.casefold()
        hits = [c for c in self.codes if c.name.casefold() == low]
        return hits[0] if len(hits) == 1 else None


_sink: list = [None]
_said: set[str] = set()


def set_warning_sink(sink) -> None:
    """Where ``tell_warnings`` says a codebook's warnings (the command line: stderr); None: nowhere."""
    _sink[0] = sink


def tell_warnings(problems: list[Problem], *, quiet: bool = False) -> None:
    """Say each warning to the sink once per process (a codebook read again says nothing new);
    ``quiet``: count them as said without saying them (``qualcode check`` lists them itself)."""
    for p in problems:
        text = str(p)
        if text in _said:
            continue
        _said.add(text)
        if _sink[0] is not None and not quiet:
            _sink[0](p)


def close_match(codes, ref: str) -> str | None:
    """The id of the code whose id or name is closest to ``ref`` (a typo), or None (``difflib``)."""
    import difflib

    table: dict[str, str] = {}
    for c in codes:  # its id, its name, the last part of a dotted id: the closest of all wins
        if c.id:
            for word in (c.id, c.name or "", c.id.rsplit(".", 1)[-1]):
                if word:
                    table.setdefault(word.casefold(), c.id)
    hit = difflib.get_close_matches(str(ref).casefold(), list(table), n=1, cutoff=0.7)
    return table[hit[0]] if hit else None


def did_you_mean(codes, ref: str) -> str:
    """``"; did you mean 'x'?"`` for the code closest to ``ref`` (see ``close_match``), or ``""``."""
    hit = close_match(codes, ref)
    return f"; did you mean {hit!r}?" if hit is not None and hit != ref else ""


def _cosmetic(c: Code, seen_keys: dict[str, Code]) -> dict[str, str]:
    """field -> what is wrong with ``c``'s colour and shortcut (``seen_keys``: the shortcuts taken so far,
    updated with ``c``'s when it is usable)."""
    out: dict[str, str] = {}
    if c.colour is not None and not _COLOUR.match(str(c.colour)):
        out["colour"] = f"code {c.id!r}: colour {c.colour!r} is not #RRGGBB (e.g. \"#1F77B4\")"
    if c.shortcut is not None:
        key = str(c.shortcut)
        if not _SHORTCUT.match(key):
            out["shortcut"] = f"code {c.id!r}: shortcut {key!r} must be one digit or lower-case letter"
        elif key in RESERVED_KEYS:
            out["shortcut"] = f"code {c.id!r}: shortcut {key!r} is reserved by the workbench ({RESERVED_KEYS[key]})"
        elif key in seen_keys:
            other = seen_keys[key]
            out["shortcut"] = f"code {c.id!r}: duplicate shortcut {key!r}: also used by {other.id!r} (line {other.line})"
        else:
            seen_keys[key] = c
    return out


def free_keys(codebook: Codebook) -> list[str]:
    """The shortcuts no code has and the workbench does not keep for itself, digits first."""
    taken = {c.shortcut for c in codebook.codes if c.shortcut}
    return [k for k in "0123456789abcdefghijklmnopqrstuvwxyz" if k not in taken and k not in RESERVED_KEYS]


def settle(codebook: Codebook) -> list[Problem]:
    """Set aside the colours and shortcuts that cannot be used (they change no coding's meaning): each such
    field becomes None (the default colour, no key; of two codes with one key the later loses it) and
    its value as written goes to ``Code.ignored`` with what is wrong and what to do. Returns them as
    warnings (``Codebook.warnings``). Meant for a codebook just read from its file."""
    seen_keys: dict[str, Code] = {}
    for c in codebook.codes:
        for key, message in _cosmetic(c, seen_keys).items():
            written = getattr(c, key)
            if key == "colour":
                todo = (f"ignored, it takes the default colour: give it one with `qualcode codebook edit {c.id} "
                        f"--colour \"#RRGGBB\"` (or `--clear colour`)")
            else:
                todo = (f"ignored, {c.id!r} has no key: give it another with `qualcode codebook edit {c.id} "
                        f"--shortcut KEY` (or `--clear shortcut`)")
            c.ignored[key] = (written, f"{message}; {todo}")
            setattr(c, key, None)
    return codebook.warnings


def validate(codebook: Codebook) -> list[Problem]:
    """Every problem at once: duplicate ids or shortcuts, unknown parents, cycles, bad colours, empty names."""
    path = codebook.path
    problems: list[Problem] = []
    seen_ids: dict[str, Code] = {}
    seen_keys: dict[str, Code] = {}
    for c in codebook.codes:
        where = {"path": path, "line": c.line}
        if not c.id or not _ID.match(str(c.id)):
            problems.append(Problem(f"code id {c.id!r} is not valid: use letters, digits, '_', '.', '-'", **where))
        elif c.id in seen_ids:
            first = seen_ids[c.id].line
            problems.append(Problem(f"duplicate code id {c.id!r} (first defined on line {first})", **where))
        else:
            seen_ids[c.id] = c
        if not (c.name or "").strip():
            problems.append(Problem(f"code {c.id!r} has an empty name", **where))
        for message in _cosmetic(c, seen_keys).values():
            problems.append(Problem(message, **where))
    ids = {c.id for c in codebook.codes}
    for label, record in (("renamed", codebook.renamed), ("merged", codebook.merged),
                          ("dropped", dict.fromkeys(codebook.dropped))):
        for old in record:
            if old in ids:
                problems.append(Problem(f"code id {old!r} is in use and also listed under '{label}:' "
                                        "(remove it from that list, or give the code another id)", path=path))
    for old in set(codebook.renamed) | set(codebook.merged):
        seen = {old}
        cur = codebook.renamed.get(old) or codebook.merged.get(old)
        while cur is not None and cur not in seen:
            seen.add(cur)
            cur = codebook.renamed.get(cur) or codebook.merged.get(cur)
        if cur is not None:
            problems.append(Problem(f"'renamed:' / 'merged:' go round in a circle from {old!r}", path=path))
            break
    for c in codebook.codes:
        if c.parent is not None and c.parent not in ids:
            problems.append(Problem(f"code {c.id!r}: unknown parent {c.parent!r}"
                                    f"{did_you_mean([o for o in codebook.codes if o is not c], c.parent)}",
                                    path=path, line=c.line))
    # cycles: follow parents; a chain that returns to its start is a cycle (report once per cycle)
    parent = {c.id: c.parent for c in codebook.codes}
    seen_ids: set[str] = set()
    twice = {c.id for c in codebook.codes if c.id in seen_ids or seen_ids.add(c.id)}
    reported: set[frozenset] = set(frozenset([d]) for d in twice)  # a code under its own twin: said as a duplicate
    for c in codebook.codes:
        chain = [c.id]
        cur = parent.get(c.id)
        while cur is not None and cur in parent and cur not in chain:
            chain.append(cur)
            cur = parent.get(cur)
        if cur is not None and cur in chain:
            cycle = chain[chain.index(cur):]
            key = frozenset(cycle)
            if key not in reported:
                reported.add(key)
                problems.append(
                    Problem("parent cycle: " + " -> ".join(cycle + [cur]), path=path, line=c.line)
                )
    return problems
