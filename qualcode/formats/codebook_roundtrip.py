"""Saving a codebook in place: only the lines of what changed, with every comment and the key order kept.

The file on disk is read with ruamel.yaml's round-trip loader, but only after the safe reader
(``codebook_yaml.parse_codebook``: no tags, no aliases, size limit) has accepted the same text; the
loaded document is then brought to the new codebook code by code (a changed field is set, a new code
is inserted after its previous sibling, a moved one is taken out and put under its new parent) and
dumped. ``update_text`` returns None when the file cannot be updated this way (then the caller writes
the whole file).
"""

from __future__ import annotations

import io
import textwrap

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString

from qualcode.domain.codebook import Code, Codebook

ORDER = ("id", "name", "colour", "definition", "include", "exclude", "examples", "keywords", "shortcut", "children")
_TEXT = ("name", "definition", "include", "exclude")
_WRAP = 76


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap what is there; new long texts are folded by hand (``_text``)
    return y


def _indents(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indents as the file uses them for ``codes:``."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.rstrip() in ("codes:",):
            for nxt in lines[i + 1:]:
                if nxt.strip() and not nxt.lstrip().startswith("#"):
                    dash = len(nxt) - len(nxt.lstrip())
                    if nxt.lstrip().startswith("- "):
                        return 2, dash + 2, dash
                    break
    return 2, 2, 0


def _text(value: str, old, column: int):
    """A text value: several lines as a literal block, a long text folded at about 76 columns."""
    if isinstance(old, LiteralScalarString) or "\n" in value:
        return LiteralScalarString(value + "\n")
    if len(value) + column > 90:
        out = FoldedScalarString(value + "\n")
        lines = textwrap.wrap(value, max(40, _WRAP - column), break_long_words=False, break_on_hyphens=False)
        pos, at = [], 0
        for line in lines[:-1]:
            at = value.index(line, at) + len(line)
            pos.append(at)
        if " ".join(lines) == value:
            out.fold_pos = pos
        return out
    return value


def _norm(key: str, value):
    if value is None:
        return [] if key in ("examples", "keywords") else ""
    if key in ("examples", "keywords"):
        return [str(value)] if isinstance(value, str) else [str(v) for v in value]
    return str(value).strip()


def _want(code: Code, key: str):
    value = getattr(code, key)
    if key in ("colour", "shortcut"):
        return value or ""
    return list(value) if isinstance(value, list) else value


def _set(m: CommentedMap, key: str, value, column: int) -> None:
    old = m.get(key)
    order = ORDER.index("colour" if key == "color" else key)
    if key in ("examples", "keywords"):
        seq = CommentedSeq(value)
        if isinstance(old, CommentedSeq) and old.fa.flow_style():
            seq.fa.set_flow_style()
        value = seq
    elif key in _TEXT:
        value = _text(value, old, column)
    else:  # colour and shortcut: quoted as the writer and the bundled codebook do ("#1F77B4", "3")
        value = DoubleQuotedScalarString(value)
    if key in m:  # taken out and put back: assigning would keep the old scalar's style
        pos = list(m).index(key)
        comment = m.ca.items.get(key)
        del m[key]
        m.insert(pos, key, value)
        if comment is not None:
            m.ca.items[key] = comment
        return
    pos = 1
    for i, k in enumerate(m):
        if k in ORDER and ORDER.index(k) < order:
            pos = i + 1
    m.insert(min(pos, len(m)), key, value)


def _update_fields(m: CommentedMap, code: Code, column: int) -> None:
    tail = _take_comment(m)  # the lines after the code (a blank line, the next section's heading) stay after it
    try:
        _set_fields(m, code, column)
    finally:
        _give_comment(m, tail)


def _set_fields(m: CommentedMap, code: Code, column: int) -> None:
    if m.get("id") != code.id:
        m["id"] = code.id
    for key in ORDER[1:-1]:
        want = _want(code, key)
        if key == "colour" and "color" in m and "colour" not in m:
            key = "color"  # the file's spelling is kept
        if _norm(key, m.get(key)) == want:
            continue
        if not want:
            del m[key]
        else:
            _set(m, key, want, column)


class _Doc:
    """The loaded document's code mappings, by id, with the list each one sits in."""

    def __init__(self, root: CommentedMap, book: Codebook) -> None:
        self.root = root
        self.where: dict[str, tuple[CommentedMap, CommentedSeq, str | None]] = {}
        self.headings: dict[int, str] = {}
        """The comment lines before each code taken out of its list, until it is put back."""
        self.flat = False
        self._walk(root["codes"], None)
        for code in book.codes:  # a changed id: find the mapping under the old one
            if code.id not in self.where:
                old = next((o for o, n in book.renamed.items() if n == code.id and o in self.where), None)
                if old is not None and old not in book:
                    self.where[code.id] = self.where.pop(old)
                    for cid, (m, seq, parent) in list(self.where.items()):
                        if parent == old:
                            self.where[cid] = (m, seq, code.id)

    def _walk(self, seq, parent: str | None) -> None:
        for m in seq:
            self.where[str(m["id"])] = (m, seq, parent if "parent" not in m else m["parent"])
            self.flat = self.flat or "parent" in m
            if m.get("children"):
                self._walk(m["children"], str(m["id"]))

    def holder(self, seq: CommentedSeq) -> tuple[CommentedMap, str] | None:
        """The mapping and key that hold ``seq``."""
        if seq is self.root["codes"]:
            return self.root, "codes"
        return next(((m, "children") for m, _, _ in self.where.values() if m.get("children") is seq), None)

    def children_of(self, parent: str | None) -> CommentedSeq:
        if parent is None or self.flat:
            return self.root["codes"]
        pm = self.where[parent][0]
        if not isinstance(pm.get("children"), CommentedSeq):
            pm["children"] = CommentedSeq()
        return pm["children"]


def _tail(node) -> tuple[object, object] | None:
    """(container, key) of the last value written for ``node``: comments after it hang there."""
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        value = node[key]
        if not isinstance(value, (CommentedMap, CommentedSeq)) or not len(value):
            return node, key
        node = value
    return None


def _slot(container) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _take_comment(node):
    """Detach the comment lines after ``node`` (blank lines and, e.g., the next section's heading)."""
    where = _tail(node)
    if where is None:
        return None
    container, key = where
    entry = container.ca.items.get(key)
    if not entry or entry[_slot(container)] is None:
        return None
    token = entry[_slot(container)]
    entry[_slot(container)] = None
    return token


def _give_comment(node, token) -> None:
    where = _tail(node)
    if where is None or token is None:
        return
    container, key = where
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    entry[_slot(container)] = token


def _token(value: str):
    return CommentToken(value, CommentMark(0), None)


def _eol_and_rest(token) -> tuple[str, str]:
    """A tail comment as (the end of the item's last line, the lines that follow: blank lines, headings)."""
    if token is None:
        return "", ""
    value = token.value
    cut = value.find("\n") + 1 or len(value)
    return value[:cut], value[cut:]


def _heading(seq: CommentedSeq, k: int) -> str:
    """The comment lines before item ``k`` (``k == len(seq)``: after the last item), as text."""
    if k > 0:
        where = _tail(seq[k - 1])
        entry = where[0].ca.items.get(where[1]) if where else None
        return _eol_and_rest(entry[_slot(where[0])] if entry else None)[1]
    tokens = seq.ca.comment[1] if len(seq.ca.comment or []) > 1 else None
    return "".join((" " * t.column if t.value.strip() else "") + t.value for t in tokens or [])


def _set_heading(seq: CommentedSeq, k: int, holder, text: str) -> None:
    """Make ``text`` the comment lines before item ``k`` (``k == len(seq)``: after the last item)."""
    if k > 0:
        token = _take_comment(seq[k - 1])
        eol = _eol_and_rest(token)[0] or "\n"
        if token is not None or text:
            _give_comment(seq[k - 1], _token(eol + text))
        return
    tokens = []
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip(" ")
        tokens.append(CommentToken(stripped, CommentMark(len(line) - len(stripped)), None))
    if len(seq.ca.comment or []) > 1:
        seq.ca.comment[1] = tokens or None
    elif tokens:
        seq.ca.comment = [None, tokens]
    if holder is not None and holder[1] in holder[0].ca.items:
        holder[0].ca.items[holder[1]][3] = tokens or None


def _insert(seq: CommentedSeq, at: int, m: CommentedMap, holder, headings: dict) -> None:
    """Insert ``m`` with its heading (the comment lines that were before it; for a new code the blank
    lines the file puts between codes); the lines that were before position ``at`` now follow ``m``."""
    displaced = _heading(seq, at)
    heading = headings.pop(id(m), None)
    if heading is None:
        heading = displaced[: len(displaced) - len(displaced.lstrip("\n"))] if at else ""
    seq.insert(at, m)
    _set_heading(seq, at, holder, heading)
    token = _take_comment(m)
    eol = _eol_and_rest(token)[0] or "\n"
    if token is not None or displaced:
        _give_comment(m, _token(eol + displaced))


def _remove(seq: CommentedSeq, m: CommentedMap, holder, headings: dict) -> None:
    """Take ``m`` out, keeping its heading in ``headings`` (it goes where ``m`` goes); the lines after it
    stay where they were. ``holder``: the mapping and key that hold ``seq`` (``root, "codes"`` or
    ``parent, "children"``)."""
    at = next(k for k, x in enumerate(seq) if x is m)
    headings[id(m)] = _heading(seq, at)
    token = _take_comment(m)
    eol, after = _eol_and_rest(token)
    if eol.strip():
        _give_comment(m, _token(eol))  # a comment on its own last line goes with it
    del seq[at]
    if len(seq) or holder is None or holder[1] != "children":
        _set_heading(seq, at, holder, after)
    else:
        holder[0].pop("children", None)
        if after:
            tail = _take_comment(holder[0])
            _give_comment(holder[0], _token((_eol_and_rest(tail)[0] or "\n") + after))


def _reorder(doc: _Doc, want: list[CommentedMap]) -> None:
    """Siblings in the codebook's order (only those out of place are taken out and put back)."""
    if not want:
        return
    seq = next(seq for m, seq, _ in doc.where.values() if m is want[0])
    for i, m in enumerate(want):
        if i < len(seq) and seq[i] is not m:
            _remove(seq, m, doc.holder(seq), doc.headings)
            _insert(seq, i, m, doc.holder(seq), doc.headings)


def _place(doc: _Doc, book: Codebook, code: Code, m: CommentedMap) -> None:
    seq = doc.children_of(code.parent)
    siblings = [c.id for c in book.children(code.parent)]
    i = siblings.index(code.id)
    prev = next((doc.where[s][0] for s in reversed(siblings[:i]) if s in doc.where and doc.where[s][1] is seq), None)
    nxt = next((doc.where[s][0] for s in siblings[i + 1:] if s in doc.where and doc.where[s][1] is seq), None)
    if prev is not None:
        at = next(k for k, x in enumerate(seq) if x is prev) + 1
    elif nxt is not None:
        at = next(k for k, x in enumerate(seq) if x is nxt)
    else:
        at = len(seq)
    _insert(seq, at, m, doc.holder(seq), doc.headings)
    if doc.flat:
        if code.parent:
            m["parent"] = code.parent
        else:
            m.pop("parent", None)
    doc.where[code.id] = (m, seq, code.parent)


def _records(root: CommentedMap, book: Codebook) -> None:
    for key, want in (("renamed", dict(book.renamed)), ("merged", dict(book.merged)), ("dropped", list(book.dropped))):
        have = root.get(key)
        if (dict(have) if isinstance(have, dict) else list(have) if isinstance(have, list) else None) == want:
            continue
        if not want:
            root.pop(key, None)
        else:
            root[key] = CommentedMap(want) if isinstance(want, dict) else CommentedSeq(want)


def update_text(text: str, book: Codebook) -> str | None:
    """``text`` (a codebook file the safe reader accepted) changed to hold ``book``; None if it cannot be."""
    y = _yaml()
    mapping, sequence, offset = _indents(text)
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    root = y.load(text)
    if not isinstance(root, CommentedMap) or not isinstance(root.get("codes"), CommentedSeq):
        return None
    doc = _Doc(root, book)
    for key, want in (("name", book.name), ("description", book.description)):
        if _norm(key, root.get(key)) != want:
            if want:
                root[key] = _text(want, root.get(key), 2)
            else:
                root.pop(key, None)
    gone = [cid for cid in doc.where if cid not in book]
    moved = [c for c in book.codes if c.id in doc.where and doc.where[c.id][2] != c.parent]
    for cid in gone + [c.id for c in moved]:
        m, seq, parent = doc.where[cid]
        _remove(seq, m, doc.holder(seq), doc.headings)
        if cid in gone:
            del doc.where[cid]
        else:
            doc.where[cid] = (m, None, parent)  # out of every list until placed again
    for code in book.walk():
        column = sequence * (book.depth(code.id) + 1) + mapping
        if code.id not in doc.where:
            m = CommentedMap([("id", code.id), ("name", code.name)])
            _update_fields(m, code, column)
            _place(doc, book, code, m)
        else:
            m = doc.where[code.id][0]
            _update_fields(m, code, column)
            if doc.flat and "parent" in m and m["parent"] != code.parent and code not in moved:
                m["parent"] = code.parent  # its parent's id changed
            if code in moved:
                _place(doc, book, code, m)
    if not doc.flat:
        for parent in [None] + [c.id for c in book.codes]:
            _reorder(doc, [doc.where[c.id][0] for c in book.children(parent)])
    for m, seq, _ in list(doc.where.values()):
        if "children" in m and not m["children"]:
            del m["children"]
    _records(root, book)
    out = io.StringIO()
    y.dump(root, out)
    return out.getvalue()
