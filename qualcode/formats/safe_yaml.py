"""The one safe way qualcode reads YAML: plain data only, bounded in size, depth and nodes.

``load_yaml(text, name)`` refuses, with the file and line, before anything is built:

- aliases (``*name``): a few hundred bytes of nested aliases expand to gigabytes (a "YAML bomb");
- tags other than YAML's plain ones (``!!python/object``, ``!custom``...);
- more than ``max_bytes`` of text, nesting deeper than ``max_depth``, more than ``max_nodes`` values.

The check walks the parser's event stream (no recursion, no values built), so it costs one linear
pass; only then are the values constructed. A value YAML cannot build (an impossible date such as
``2024-02-30``) is kept as the text written, never an exception.
"""

from __future__ import annotations

import re

import yaml
from yaml.constructor import SafeConstructor

from qualcode.errors import FormatError

PLAIN_TAGS = frozenset({
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp", "!",
})
MAX_BYTES = 4_000_000
MAX_DEPTH = 64
MAX_NODES = 200_000

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """Safe loader whose scalars never raise: what cannot be built stays the text as written."""


def _lenient(method):
    def construct(loader, node):
        try:
            return method(loader, node)
        except (ValueError, OverflowError, TypeError):
            return node.value

    return construct


for _tag, _method in (
    ("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_timestamp),
    ("tag:yaml.org,2002:int", SafeConstructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", SafeConstructor.construct_yaml_float),
):
    _Loader.add_constructor(_tag, _lenient(_method))


# Booleans as YAML 1.2 reads them: only true and false. YAML 1.1 also read yes/no/on/off as booleans,
# so a code with `id: no` became the code False, and a speaker or keyword `no` was lost.
_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _refuse(message: str, name: str, line: int | None, hint: str) -> FormatError:
    return FormatError(message, path=name, line=line, hint=hint)


def check_events(text: str, name: str, *, line_offset: int = 0, max_depth: int = MAX_DEPTH,
                 max_nodes: int = MAX_NODES, what: str = "this file") -> None:
    """Walk the YAML events; raise ``FormatError`` on an alias, a tag, too deep or too many nodes."""
    depth = 0
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=_BASE):
            line = event.start_mark.line + 1 + line_offset if event.start_mark is not None else None
            if isinstance(event, yaml.AliasEvent):
                raise _refuse(f"YAML aliases (*{event.anchor}) are not allowed in {what}", name, line,
                              "write the value out in full instead of '&anchor' / '*alias'")
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                nodes += 1
                tag = event.tag
                if tag is not None and tag not in PLAIN_TAGS:
                    raise _refuse(f"YAML tag {tag!r} is not allowed in {what}", name, line,
                                  "remove the '!tag': only plain text, numbers, dates, lists and mappings are read")
                if nodes > max_nodes:
                    raise _refuse(f"{what} holds more than {max_nodes:,} YAML values; refused", name, line,
                                  "is this the right file? split it or remove the bulk data")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > max_depth:
                    raise _refuse(f"YAML nested more than {max_depth} levels deep; refused", name, line,
                                  "flatten the structure (is this the right file?)")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 + line_offset if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _refuse(f"not valid YAML: {detail}", name, line,
                      "fix the YAML on that line (indentation, quotes around values with ': ' or '#')") from None


def load_yaml(text: str, name: str, *, line_offset: int = 0, max_bytes: int = MAX_BYTES,
              max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES, what: str = "this file"):
    """Parse YAML ``text`` safely (see the module docstring). ``name`` and ``line_offset`` place
    messages in the file the YAML came from (e.g. front matter starts on line 2)."""
    if len(text) > max_bytes:
        raise _refuse(f"{what} holds more than {max_bytes // 1_000_000} MB of YAML; refused", name, None,
                      "is this the right file?")
    check_events(text, name, line_offset=line_offset, max_depth=max_depth, max_nodes=max_nodes, what=what)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, and the events were checked
    except yaml.YAMLError as exc:  # pragma: no cover - check_events parsed the same text
        raise _refuse(f"not valid YAML: {exc}", name, None, "fix the YAML") from None
    except RecursionError:  # pragma: no cover - depth is bounded above
        raise _refuse("YAML nested too deeply; refused", name, None, "flatten the structure") from None
