"""YAML front matter (``---`` first line ... ``---``) and the metadata it carries."""

from __future__ import annotations

import datetime as _dt
import re

from qualcode.errors import FormatError, Problem
from qualcode.formats.safe_yaml import load_yaml

_FENCE = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
ROLE_VALUES = ("interviewer", "respondent")
MAX_FRONT_MATTER = 1_000_000
MAX_ID = 120


def split_front_matter(text: str, name: str) -> tuple[dict, str, int]:
    """Split canonical ``text`` into (metadata, body, number of lines removed before the body).

    Leading blank lines of the body are removed too (they count in the line number).
    """
    if not text.startswith("---") or not _FENCE.fullmatch(text[: text.find("\n")] if "\n" in text else text):
        body = text.lstrip("\n")
        return {}, body, text[: len(text) - len(body)].count("\n")
    close = _find_close(text)
    if close is None:
        raise FormatError(
            "the front matter that starts on line 1 with '---' never ends",
            path=name,
            line=1,
            hint="close the front matter with a line holding only '---', or remove the first line",
        )
    yaml_start = text.index("\n") + 1
    close_start, close_end = close
    source = text[yaml_start:close_start]
    data = load_yaml(source, name, line_offset=1, max_bytes=MAX_FRONT_MATTER, what="the front matter")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FormatError(
            "the front matter must be 'key: value' lines (a YAML mapping)",
            path=name,
            line=2,
            hint="write one 'key: value' per line between the '---' lines",
        )
    rest = text[close_end:]
    body = rest.lstrip("\n")
    removed = text[: len(text) - len(body)].count("\n")
    return normalise(data), body, removed


def _find_close(text: str) -> tuple[int, int] | None:
    if "\n" not in text:
        return None  # only the opening '---'
    pos = text.index("\n") + 1
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        if _CLOSE.fullmatch(text, pos, end):
            return pos, (end + 1 if nl != -1 else end)
        if nl == -1:
            return None
        pos = nl + 1
    return None


def normalise(value):
    """Make YAML values JSON-safe: dates become ISO strings, mapping keys strings."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    return value


def check_id(metadata: dict, name: str) -> str | None:
    """The transcript id the front matter gives, checked; None when it gives none."""
    if "id" not in metadata or metadata["id"] is None:
        return None
    value = str(metadata["id"]).strip()
    if len(value) > MAX_ID:
        raise FormatError(
            f"the front matter id is {len(value)} characters long (at most {MAX_ID})",
            path=name,
            line=None,
            hint="give the transcript a shorter id, e.g. 'id: p01-interview'",
        )
    if not _ID.fullmatch(value):
        raise FormatError(
            f"the front matter id {value!r} cannot be used as a transcript id",
            path=name,
            line=None,
            hint="use letters, digits, '-', '_' or '.' only, e.g. 'id: p01-interview'",
        )
    return value


def alias_table(metadata: dict, name: str, problems: list[Problem]) -> dict[str, str]:
    """``aliases:`` from the front matter: ``{label: speaker}`` or ``{speaker: [label, ...]}``."""
    raw = metadata.get("aliases")
    table: dict[str, str] = {}
    if raw is None:
        return table
    if not isinstance(raw, dict):
        problems.append(Problem("front matter 'aliases' should map a label to a speaker; ignored", name))
        return table
    for key, value in raw.items():
        if isinstance(value, list):
            for label in value:
                table[str(label)] = str(key)
        elif value is not None:
            table[str(key)] = str(value)
    return table


def declared_roles(metadata: dict, name: str, problems: list[Problem]) -> dict[str, str]:
    """Speaker name -> role from ``interviewer:`` (str or list) and ``speakers: {Name: role}``."""
    roles: dict[str, str] = {}
    speakers = metadata.get("speakers")
    if isinstance(speakers, dict):
        for who, role in speakers.items():
            role_text = str(role).strip().lower() if role is not None else ""
            if role_text in ROLE_VALUES:
                roles[str(who)] = role_text
            elif role is not None:
                problems.append(
                    Problem(f"front matter speakers: role {role!r} for {who!r} is not 'interviewer' or 'respondent'", name)
                )
    elif isinstance(speakers, list):
        for who in speakers:
            roles.setdefault(str(who), "")
    interviewer = metadata.get("interviewer")
    for who in interviewer if isinstance(interviewer, list) else [interviewer]:
        if who:
            roles[str(who)] = "interviewer"
    for key in ("respondent", "interviewee", "narrator", "participant"):
        value = metadata.get(key)
        for who in value if isinstance(value, list) else [value]:
            if isinstance(who, str) and who:
                roles.setdefault(who, "respondent")
    return roles


_NAME_KEYS = ("interviewer", "interviewers", "respondent", "interviewee", "narrator", "participant", "participants")


def names_in_metadata(metadata: dict) -> list[str]:
    """Every person the front matter names (speakers, aliases, interviewer, respondent ...)."""
    names: list[str] = []
    for k in _NAME_KEYS:
        value = metadata.get(k)
        for who in value if isinstance(value, list) else [value]:
            if isinstance(who, str) and who.strip():
                names.append(who.strip())
    for k in ("speakers", "aliases"):
        value = metadata.get(k)
        if isinstance(value, dict):
            for who, other in value.items():
                names.append(str(who))
                for o in other if isinstance(other, list) else [other]:
                    if isinstance(o, str) and o.strip() and o.strip().lower() not in ROLE_VALUES:
                        names.append(o.strip())
        elif isinstance(value, list):
            names.extend(str(v) for v in value)
    return names
