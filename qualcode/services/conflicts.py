"""Choosing on a codebook conflict a merge recorded (``qualcode codebook resolve``, the workbench's
"Codebook conflicts" dialog).

A codebook merge keeps our value and writes each true conflict to ``<codebook>.conflicts``
(``store.codebook_merge``). Here the user takes ``mine`` (the value kept: nothing changes in the
codebook) or ``theirs`` (the other side's value, applied as one undoable codebook change through
``codebook_ops.reshape``); either way the choice is appended to the file (``codebook_merge.open_conflicts``:
the file only grows, so that a union merge of two machines' choices brings no conflict back).
Where the sync recorded who had each value (``kept_by``, ``other_by``: ``sync_notes``), the list, the
dialog and the choice's words name them ("ben's 'Ours.' (kept, --take ben)"), and the user may take a
value by whose it was (``--take ana``): any value the conflict lists, a third machine's included (an
earlier merge's value still open, ``codebook_merge.choices``), applied the way theirs is, with that
value in theirs' place, and the name recorded as the choice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field as dc_field
from pathlib import Path

from qualcode.domain import codebook_edit as edit
from qualcode.errors import QualcodeError
from qualcode.store.codebook_merge import NOT_VALUES, choices, conflicts_path, open_conflicts, record_choice, take_flag
from qualcode.store.project import Project

TAKES = ("mine", "theirs")


@dataclass(frozen=True)
class Conflict:
    code: str
    """The code's id; ``(codebook)`` for the codebook's own name and description; for ``renamed`` and
    ``merged`` the old id whose record was set two ways."""
    field: str
    mine: object
    """The value kept (ours, in the codebook now)."""
    theirs: object
    """The other side's value."""
    detail: dict = dc_field(default_factory=dict, compare=False, hash=False)
    """The whole recorded line (for ``became``: both fates, and their new code)."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.field)

    @property
    def what(self) -> str:
        """The field as a researcher reads it."""
        return "became (what became of the code)" if self.field == "became" else self.field

    @property
    def names(self) -> tuple[str | None, str] | None:
        """Who had each value, as the sync recorded them (``kept_by``, ``other_by``): (mine's, theirs');
        mine's None when the codebook no longer holds the value kept (changed since). None when the
        record names nobody (written by hand, or by a qualcode before the names)."""
        kept_by, other_by = self.detail.get("kept_by"), self.detail.get("other_by")
        if not (isinstance(kept_by, str) and isinstance(other_by, str) and kept_by and other_by):
            return None
        kept = self.detail.get("kept")
        return (kept_by if self.mine == kept or (not self.mine and not kept) else None), other_by

    def whose(self, take: str) -> str:
        """The value ``take`` (mine or theirs) gives, in words: "ben's 'Ours.'" ("'Ours.'" unnamed)."""
        value = show(self.mine if take == "mine" else self.theirs)
        if self.names is None:
            return value
        return f"{self.names[take != 'mine'] or 'the codebook'}'s {value}"

    def options(self) -> list[dict]:
        """Every value to choose from, each ``{"value", "by", "take"}`` (``codebook_merge.choices``): the
        value in the codebook now first (``by`` None: nobody recorded, "the codebook"'s; ``take`` mine),
        then every other value recorded, each once, earlier merges' included."""
        found = choices(self.detail) if self.detail else [{"value": self.mine, "by": None, "take": "mine"},
                                                          {"value": self.theirs, "by": None, "take": "theirs"}]
        now = found[0] if _same(found[0]["value"], self.mine) else {"value": self.mine, "by": None, "take": "mine"}
        return [now] + [v for v in found[1:] + found[:1] if v is not now and not _same(v["value"], self.mine)]

    def words(self) -> str:
        if self.names is None and len(self.options()) <= 2:
            return f"{self.code} {self.what}: mine {show(self.mine)} · theirs {show(self.theirs)}"
        said = []
        for i, v in enumerate(self.options()):
            whose = f"{v['by'] or ('the codebook' if i == 0 else 'an earlier merge')}'s {show(v['value'])}"
            how = take_flag(v["take"]) if v["take"] else "set it by hand, then --take mine"
            said.append(f"{whose} ({'kept, ' if i == 0 else ''}{how})")
        return f"{self.code} {self.what}: " + " · ".join(said)


def _same(a, b) -> bool:
    return (a if a not in ("", []) else None) == (b if b not in ("", []) else None)


def show(value) -> str:
    if value is None or value == "" or value == []:
        return "(none)"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise QualcodeError(f"cannot read the codebook conflicts: {exc}", path=path,
                            hint="it holds one JSON object per line; restore it from git (`git checkout -- FILE`)") from None


def _parse(line: str) -> Conflict | None:
    try:
        c = json.loads(line)
        return Conflict(str(c["code"]), str(c["field"]), c.get("kept"), c.get("other"), c)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def conflicts(codebook: Path, book=None) -> list[Conflict]:
    """The conflicts still to choose on, each once, in the file's order (unreadable lines left out:
    ``qualcode check`` names them). With the codebook ``book``, "mine" is the value it holds now, and
    a conflict whose field already holds the other side's value (chosen meanwhile) is left out."""
    _lines(conflicts_path(codebook))  # an unreadable file: a clear error
    out = []
    for _, record in open_conflicts(codebook):
        c = _parse(json.dumps(record)) if record is not None else None
        if c is None:
            continue
        code = book.get(c.code) if book is not None and c.code != "(codebook)" else None
        if code is not None and c.field in edit.EDITABLE + ("parent",):
            now = getattr(code, c.field)
            if now == c.theirs or (not now and not c.theirs):
                continue  # the other side's value is already there
            c = Conflict(c.code, c.field, now, c.theirs, c.detail)
        out.append(c)
    return out


def _find(codebook: Path, code: str, field: str, book=None) -> Conflict:
    found = [c for c in conflicts(codebook, book) if c.key == (code, field)]
    if not found:
        have = ", ".join(f"{c.code} {c.field}" for c in conflicts(codebook, book)) or "none"
        raise QualcodeError(f"no codebook conflict on {code} {field} (conflicts: {have})",
                            path=conflicts_path(codebook),
                            hint="`qualcode codebook resolve` lists them")
    return found[-1]  # the latest recorded, when one came twice


def _theirs(project: Project, c: Conflict, codings: str | None):
    """The codebook with the other side's value (None: nothing to change)."""
    book = project.codebook
    if c.field == "removed":
        if c.theirs == "deleted":
            if book.get(c.code) is None:
                return None
            from qualcode.services.codebook_ops import usage

            n = usage(project).of(c.code)
            if n and not codings:
                raise QualcodeError(f"{c.code} is used by {n} coding(s); taking theirs removes it",
                                    path=project.codebook_path,
                                    hint="say what becomes of them: --codings reassign:OTHER_ID, drop or keep-orphaned")
            return edit.remove_code(book, c.code, codings or "keep-orphaned")
        data = c.detail.get("other_code")
        if data and book.get(c.code) is None:  # bring the edited code back, its codings counting under it again
            new = edit._copy(book)
            edit._forget(new, c.code)
            _restore(new, data)
            return edit._done(new)
        raise QualcodeError(f"{c.code} was merged or dropped; its edits were not recorded with the conflict, so "
                            "they cannot be brought back from here", path=project.codebook_path,
                            hint=f"take mine, then re-add the code by hand (`qualcode codebook add {c.code} NAME`) if needed")
    if c.field == "became":
        return _their_fate(book, c)
    if c.field in ("renamed", "merged"):
        new = edit._copy(book)
        getattr(new, c.field)[c.code] = c.theirs
        return edit._done(new)
    if c.code == "(codebook)":
        new = edit._copy(book)
        setattr(new, c.field, c.theirs or "")
        return edit._done(new)
    if c.field == "parent":
        return edit.move_code(book, c.code, c.theirs)
    if c.field in edit.EDITABLE:
        value = c.theirs
        if value is None:
            value = [] if c.field in ("examples", "keywords") else ""
        return edit.edit_code(book, c.code, **{c.field: value})
    raise QualcodeError(f"a conflict on {c.field!r} cannot be settled here", path=project.codebook_path,
                        hint=f"edit {project.codebook_path.name} by hand, then take mine")


def _restore(book, data: dict) -> None:
    """Add back a code as a conflict recorded it (under the root when its parent is gone)."""
    from qualcode.domain.codebook import Code

    data = dict(data)
    if data.get("parent") not in book:
        data["parent"] = None
    try:
        book.codes.append(Code(**data))
    except TypeError:  # a conflicts file edited by hand, or from another qualcode
        raise QualcodeError("the code this conflict recorded cannot be read", path=book.path,
                            hint="take mine, then re-add the code by hand (`qualcode codebook add ID NAME`)") from None


def _their_fate(book, c: Conflict):
    """Apply what the other side made of a code whose id was changed two ways."""
    mine, theirs = c.detail.get("kept_fate"), c.detail.get("other_fate")
    if not theirs or not mine:
        raise QualcodeError(f"the other side's change to {c.code} cannot be applied from here",
                            path=book.path, hint=f"edit {book.path.name if book.path else 'the codebook'} "
                                                 "by hand, then take mine")
    kind, to = theirs
    if mine[0] == "renamed":  # the code lives on under our id: do to it what they did
        if kind == "renamed":
            return edit.rename_id(book, mine[1], to)
        if kind == "merged":
            return edit.merge_codes(book, mine[1], to)
        return edit.remove_code(book, mine[1], "drop")
    new = edit._copy(book)  # we merged or removed it: its record changes
    edit._forget(new, c.code)
    if kind == "merged":
        edit._need(new, to)
        new.merged[c.code] = to
    elif kind == "dropped":
        new.dropped.append(c.code)
    else:
        data = dict(c.detail.get("other_code") or {})
        if not data:
            raise QualcodeError(f"{c.code}'s code as the other side had it was not recorded",
                                path=book.path, hint=f"take mine, then `qualcode codebook add {to} NAME`")
        edit._forget(new, to)
        _restore(new, data)
        new.renamed[c.code] = to
    return edit._done(new)


def resolve(project: Project, code: str, field: str, take: str, codings: str | None = None) -> str:
    """Choose on one conflict: ``take`` mine, theirs, or the name of whose value to keep (any value the
    conflict lists, an earlier merge's included: ``Conflict.options``); returns what was done, in words."""
    from qualcode.services.codebook_ops import reshape

    path = project.codebook_path
    c = _find(path, code, field, project.codebook)
    chose = None
    if take not in TAKES:  # a person's name: their value, applied as theirs is with it in theirs' place
        take, value = _named(c, take)
        if take not in TAKES and _same(value, c.mine):
            take = "mine"  # the value the codebook holds: nothing to change
        elif take not in TAKES:
            c, chose = Conflict(c.code, c.field, c.mine, value, c.detail), f"took {take}'s {show(value)}"
    if take != "mine":
        book = _theirs(project, c, codings)
        if book is not None:
            reshape(project, book, f"resolve {c.code} {c.field}: {take}")
    _forget(path, c.key, take)
    left = len(conflicts(path, project.codebook))
    chose = chose or (f"kept mine ({c.whose('mine')})" if take == "mine" else f"took theirs ({c.whose('theirs')})")
    return (f"{c.code} {c.what}: {chose}; " +
            (f"{left} conflict{'s' if left != 1 else ''} left" if left else "no conflicts left")
            + " (`qualcode sync` shares the choice)")


def _named(c: Conflict, name: str) -> tuple[str, object]:
    """The value of ``c`` whoever is called ``name`` had (``Conflict.options``), as (the choice to
    record: that person's name as the record has it, or mine / theirs for what became of a code, whose
    two sides are applied from the record; the value). Refused, naming the choices, when nobody or
    several values answer to it."""
    options = [v for v in c.options() if v["take"] not in (None, *TAKES)]
    wanted = name.strip().casefold()
    found = [v for v in options if v["take"].casefold() == wanted] or \
        [v for v in options if v["take"].partition(" (")[0].casefold() == wanted]
    if len(found) != 1:
        offer = ", ".join(f"`{take_flag(v['take'])}` ({show(v['value'])})" for v in options)
        raise QualcodeError(f"--take must be mine, theirs or the name of whose value to keep, not {name!r}"
                            + (f" ({name} had more than one value: say which by its full name)" if found else ""),
                            hint=(f"on {c.code} {c.field}: {offer}" if offer else
                                  "this conflict names nobody: `--take mine` or `--take theirs`")
                            + "; `qualcode codebook resolve` lists them")
    v = found[0]
    if c.field in NOT_VALUES:  # what became of a code: its record says each side's
        return ("mine" if _same(v["value"], c.detail.get("kept")) else "theirs"), v["value"]
    return v["take"], v["value"]


def _forget(codebook: Path, key: tuple[str, str], take: str) -> None:
    """Record the choice (a line appended: the file only grows, see ``codebook_merge.open_conflicts``)."""
    record_choice(codebook, key[0], key[1], take)
