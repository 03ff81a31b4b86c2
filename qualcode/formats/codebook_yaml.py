"""Codebooks in YAML: read with line numbers (safe: no tags, no aliases), write atomically.

Format: a mapping with ``name``, ``description`` and ``codes``: a list of codes, each a mapping
with ``id``, ``name`` and optional ``definition``, ``include``, ``exclude``, ``examples``,
``keywords``, ``colour``, ``shortcut``, ``children`` (nested codes) or ``parent`` (flat lists).
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from qualcode.domain.codebook import Code, Codebook, settle, validate
from qualcode.errors import CodebookError, FormatError, Problem, QualcodeError
from qualcode.formats.safe_yaml import check_events
from qualcode.store.atomic import read_regular, write_atomic

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}
_TEXT_FIELDS = ("definition", "include", "exclude")
_KNOWN = {"id", "name", "parent", "definition", "include", "exclude", "examples", "keywords",
          "colour", "color", "shortcut", "children", "description"}
MAX_BYTES = 20_000_000


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, path: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormatError(f"not valid YAML: {problem}", path=path, line=line,
                          hint="fix the YAML syntax on that line (indentation, quotes, colons)") from None


def _as_written(node: yaml.Node, value) -> str:
    """A scalar as the researcher wrote it: `id: no` is the code "no" (YAML 1.1 would read False),
    `id: 010` is "010" (not 8)."""
    return node.value if isinstance(node, yaml.ScalarNode) else str(value)


class _Reader:
    """Turns YAML nodes into Python values, refusing tags and aliases (YAML bombs)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: set[int] = set()
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def value(self, node: yaml.Node):
        if id(node) in self.seen:
            raise FormatError("YAML aliases (&anchor / *alias) are not allowed in a codebook",
                              path=self.path, line=node.start_mark.line + 1,
                              hint="write the value out in full")
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise FormatError(f"YAML tag {node.tag!r} is not allowed in a codebook", path=self.path,
                              line=node.start_mark.line + 1, hint="remove the '!tag'; codebooks hold plain text")
        if isinstance(node, yaml.MappingNode):
            out, lines = {}, {}
            for k, v in node.value:
                key = self.value(k)
                if isinstance(key, (dict, list)):
                    key = str(key)
                if key in out:  # YAML lets the later one win silently: say it
                    self.problems.append(Problem(
                        f"'{key}' is given twice in one entry (lines {lines[key]} and {k.start_mark.line + 1}); "
                        "only one can count: remove the other", self.path, k.start_mark.line + 1))
                lines[key] = k.start_mark.line + 1
                out[key] = (v, self.value(v))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [(n, self.value(n)) for n in node.value]
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        return self._scalars.construct_object(node, deep=True)

    def text(self, mapping: dict, key: str, line: int) -> str:
        if key not in mapping:
            return ""
        node, val = mapping[key]
        if val is None:
            return ""
        if isinstance(val, (dict, list)):
            self.problems.append(Problem(f"'{key}' must be text", self.path, node.start_mark.line + 1))
            return ""
        return _as_written(node, val).strip()

    def strings(self, mapping: dict, key: str) -> list[str]:
        if key not in mapping:
            return []
        node, val = mapping[key]
        if val is None:
            return []
        if isinstance(val, str):
            return [val]
        if not isinstance(val, list):
            self.problems.append(Problem(f"'{key}' must be a list of text", self.path, node.start_mark.line + 1))
            return []
        out = []
        for n, v in val:
            if isinstance(v, (dict, list)) or v is None:
                self.problems.append(Problem(f"'{key}' entries must be text", self.path, n.start_mark.line + 1))
            else:
                out.append(_as_written(n, v))
        return out


def has_conflict_markers(data: bytes | str) -> bool:
    """Whether the text holds git's conflict markers: a ``<<<<<<< `` line and a ``>>>>>>> `` line (a
    ``=======`` line alone is a heading's underline in Markdown or reST)."""
    start, end = ("<<<<<<< ", ">>>>>>> ") if isinstance(data, str) else (b"<<<<<<< ", b">>>>>>> ")
    nl = "\n" if isinstance(data, str) else b"\n"
    return (data.startswith(start) or nl + start in data) and (data.startswith(end) or nl + end in data)


def parse_codebook(text: str, path: str = "<codebook>") -> Codebook:
    """Parse and validate. Raises CodebookError listing every problem, FormatError for bad YAML."""
    if len(text) > MAX_BYTES:
        raise FormatError("codebook file is too large (over 20 MB)", path=path, hint="is this the right file?")
    if has_conflict_markers(text):
        raise FormatError("git left its conflict markers (<<<<<<< ... >>>>>>>) in the codebook: a merge stopped "
                          "before qualcode could merge it", path=path,
                          hint="run `qualcode sync`: it merges the codebook with qualcode's driver (do not edit the markers)")
    check_events(text, path, what="a codebook")  # aliases, tags and nesting refused before anything is built
    root = _compose(text, path)
    reader = _Reader(path)
    if root is None:
        raise CodebookError([Problem("the codebook is empty: it needs a 'codes:' list", path, 1)], path=path)
    top = reader.value(root)
    if isinstance(top, list):
        top = {"codes": (root, top)}
    if not isinstance(top, dict):
        raise CodebookError([Problem("the codebook must be a mapping with a 'codes:' list", path, 1)], path=path)
    codes: list[Code] = []

    def read_codes(node: yaml.Node, items, parent: str | None) -> None:
        if not isinstance(items, list):
            reader.problems.append(Problem("'codes' / 'children' must be a list", path, node.start_mark.line + 1))
            return
        for item_node, item in items:
            line = item_node.start_mark.line + 1
            if not isinstance(item, dict):
                reader.problems.append(Problem("each code must be a mapping with at least 'id' and 'name'", path, line))
                continue
            for key, (knode, _) in item.items():
                if key not in _KNOWN:
                    reader.problems.append(Problem(f"unknown field {key!r} (known: {', '.join(sorted(_KNOWN - {'color'}))})",
                                                   path, knode.start_mark.line + 1))
            cid = reader.text(item, "id", line)
            if not cid:
                reader.problems.append(Problem("a code has no 'id'", path, line))
            explicit_parent = reader.text(item, "parent", line) or None
            if explicit_parent and parent and explicit_parent != parent:
                reader.problems.append(Problem(f"code {cid!r}: 'parent: {explicit_parent}' contradicts its place under {parent!r}", path, line))
            colour = reader.text(item, "colour", line) or reader.text(item, "color", line) or None
            shortcut = reader.text(item, "shortcut", line) or None
            codes.append(Code(
                id=cid, name=reader.text(item, "name", line), parent=parent or explicit_parent,
                definition=reader.text(item, "definition", line), include=reader.text(item, "include", line),
                exclude=reader.text(item, "exclude", line), examples=reader.strings(item, "examples"),
                keywords=reader.strings(item, "keywords"), colour=colour, shortcut=shortcut, line=line,
            ))
            if "children" in item:
                cnode, cval = item["children"]
                if cval is not None:
                    read_codes(cnode, cval, cid)

    if "codes" not in top:
        reader.problems.append(Problem("the codebook has no 'codes:' list", path, 1))
    else:
        cnode, cval = top["codes"]
        read_codes(cnode, cval or [], None)
    records = _records(reader, top, path)
    name = str(top["name"][1]) if "name" in top and top["name"][1] is not None else ""
    desc = str(top["description"][1]).strip() if "description" in top and top["description"][1] is not None else ""
    book = Codebook(codes=codes, name=name, description=desc, path=path, **records)
    warnings = settle(book)  # a bad colour or shortcut: ignored and said (``Codebook.warnings``), not an error
    problems = reader.problems + validate(book)
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        error = CodebookError(problems, path=path)
        error.warnings = warnings  # said too by `qualcode check`, beside the errors
        raise error
    return book


def _records(reader: _Reader, top: dict, path: str) -> dict:
    """``renamed:`` and ``merged:`` (old id: id), ``dropped:`` (a list of ids); see docs/codebook.md."""
    out: dict = {"renamed": {}, "merged": {}, "dropped": []}
    for key in ("renamed", "merged"):
        node, val = top.get(key, (None, None))
        if val is None:
            continue
        if not isinstance(val, dict) or any(not isinstance(v, str) for _, v in val.values()):
            reader.problems.append(Problem(f"'{key}:' must map old code ids to code ids", path, node.start_mark.line + 1))
            continue
        out[key] = {str(k): v for k, (_, v) in val.items()}
    if "dropped" in top:
        out["dropped"] = reader.strings(top, "dropped")
    return out


def load_codebook(path: str | Path) -> Codebook:
    path = Path(path)
    try:
        data = read_regular(path)  # a FIFO or device is refused, not waited on
    except FileNotFoundError:
        raise FormatError("codebook file not found", path=path,
                          hint="create it, or set 'codebook' in qualcode.toml to the right path") from None
    except OSError as exc:
        raise FormatError(f"cannot read the codebook: {exc.strerror}", path=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError("the codebook is not UTF-8 text", path=path, line=line,
                          hint="save it as UTF-8 in your editor") from None
    return parse_codebook(text, str(path))


def written(code: Code, key: str):
    """``code``'s colour or shortcut as the file is to hold it: its value, else the value the file gave
    that was ignored (``Code.ignored``: never dropped from the file unasked)."""
    value = getattr(code, key)
    if value is None and key in code.ignored:
        return code.ignored[key][0]
    return value


def _with_ignored(book: Codebook) -> Codebook:
    """A copy of ``book`` whose codes hold the ignored values again (what the file is to keep)."""
    if not any(c.ignored for c in book.codes):
        return book
    codes = []
    for c in book.codes:
        c = copy.copy(c)
        c.colour, c.shortcut = written(c, "colour"), written(c, "shortcut")
        codes.append(c)
    return Codebook(codes=codes, name=book.name, description=book.description, path=book.path,
                    renamed=dict(book.renamed), merged=dict(book.merged), dropped=list(book.dropped))


def code_details(code: Code) -> dict:
    """The code's definition, criteria, examples and keywords, each only when it has one."""
    d: dict = {key: getattr(code, key) for key in _TEXT_FIELDS if getattr(code, key)}
    if code.examples:
        d["examples"] = list(code.examples)
    if code.keywords:
        d["keywords"] = list(code.keywords)
    return d


def codebook_to_data(book: Codebook) -> dict:
    def one(code: Code) -> dict:
        d: dict = {"id": code.id, "name": code.name, **code_details(code)}
        for key in ("colour", "shortcut"):
            if written(code, key):
                d[key] = written(code, key)
        kids = book.children(code.id)
        if kids:
            d["children"] = [one(k) for k in kids]
        return d

    data: dict = {}
    if book.name:
        data["name"] = book.name
    if book.description:
        data["description"] = book.description
    data["codes"] = [one(c) for c in book.roots]
    for key in ("renamed", "merged", "dropped"):
        if getattr(book, key):
            data[key] = copy.copy(getattr(book, key))
    return data


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, value: str):
    style = "|" if "\n" in value else ("'" if value[:1] in "'\"" else None)
    if len(value) > 80 and "\n" not in value:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_codebook(book: Codebook) -> str:
    return yaml.dump(codebook_to_data(book), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _same(a: Codebook, b: Codebook) -> bool:
    return codebook_to_data(a) == codebook_to_data(b)


def _in_place(book: Codebook, path: Path) -> tuple[str, str] | None:
    """(the file's text, the same text changed to hold ``book``), or None (no readable file to update)."""
    try:
        old = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        parse_codebook(old, str(path))  # the safe reader first: the round-trip loader sees only what it accepts
        from qualcode.formats.codebook_roundtrip import update_text

        new = update_text(old.replace("\r\n", "\n"), _with_ignored(book))  # a codebook saved on Windows: edited as LF
    except QualcodeError:
        return None
    except Exception:  # noqa: BLE001 - a layout the updater does not handle: write the whole file instead
        return None
    if new is not None and "\r\n" in old:  # a codebook saved on Windows keeps its line ends
        new = _crlf(new)
    return (old, new) if new is not None else None


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def save_codebook(book: Codebook, path: str | Path) -> bool:
    """Validate, then write atomically, changing only the lines of what changed (comments and key
    order kept). A codebook with problems is never written; an unchanged one is not written at all.
    Returns whether the file was written."""
    problems = validate(book)
    if problems:
        raise CodebookError(problems, path=path)
    path = Path(path)
    found = _in_place(book, path)
    if found is not None:
        old, text = found
        try:
            ok = _same(parse_codebook(text, str(path)), book)
        except QualcodeError:
            ok = False
        if ok and text == old:
            return False
        if ok:
            write_atomic(path, text)
            return True
    text = _leading_comments(path) + dump_codebook(book)
    try:
        if b"\r\n" in path.read_bytes():
            text = _crlf(text)
    except OSError:
        pass
    parse_codebook(text, str(path))  # never write what we could not read back
    write_atomic(path, text)
    return True


def _leading_comments(path: Path) -> str:
    """The comment block at the top of the file being replaced (kept on save; other comments are not)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    head = []
    for line in lines:
        if line.startswith("#") or (not line.strip() and head):
            head.append(line)
        else:
            break
    while head and not head[-1].strip():
        head.pop()
    return "\n".join(head) + "\n" if head else ""
