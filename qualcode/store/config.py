"""``qualcode.toml``: where a project's parts are, who codes, and settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ProjectError
from qualcode.store.atomic import read_regular, write_atomic

CONFIG_NAME = "qualcode.toml"


@dataclass
class ProjectConfig:
    name: str = "Untitled study"
    """Shown in the workbench and on report title pages."""
    codebook: str = "codebooks/codebook.yaml"
    """The codebook's path, relative to the project folder."""
    transcripts: str = "transcripts"
    """The folder holding the transcripts (every non-hidden file in it is one transcript)."""
    cases: str = "cases.csv"
    """Case attributes per transcript: a CSV with a ``transcript`` column (and optionally ``case``)."""
    codings: str = "codings"
    """The folder of coders' journals (``<coder>.jsonl``)."""
    exports: str = "exports"
    """Where reports and exchange files are written by default."""
    coders: list[str] = field(default_factory=list)
    """Coders the project expects (others appear as soon as they have a journal)."""
    default_coder: str = ""
    """Who you code as when neither ``--coder`` nor ``QUALCODE_CODER`` says (else your login name)."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Speaker label aliases for every transcript: label as written -> one speaker name."""
    speaker_roles: dict[str, str] = field(default_factory=dict)
    """``[speakers.roles]``: label, glob or ``re:`` pattern -> interviewer | respondent | none (every transcript)."""
    respondent: str = ""
    """``[speakers] respondent``: who speaks the unlabelled paragraphs of think-aloud layouts (default Participant)."""
    nlp_pipeline: str = ""
    """An installed trained spaCy pipeline to use for suggestions; empty for the built-in blank English one."""
    raw: dict = field(default_factory=dict)


def load_config(root: Path) -> ProjectConfig:
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(read_regular(path).decode("utf-8-sig"))
    except FileNotFoundError:
        raise ProjectError("no qualcode.toml here", path=root,
                           hint="run `qualcode init DIR` to make a project, or pass --project DIR") from None
    except UnicodeDecodeError:
        raise ProjectError("qualcode.toml is not UTF-8 text", path=path, hint="save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        line = None
        msg = str(exc)
        if "(at line" in msg:
            try:
                line = int(msg.split("(at line", 1)[1].split(",")[0])
            except ValueError:
                pass
        raise ProjectError(f"qualcode.toml is not valid TOML: {msg}", path=path, line=line,
                           hint="fix the syntax on that line") from None
    except RecursionError:
        raise ProjectError("qualcode.toml is nested too deeply to read", path=path,
                           hint="qualcode.toml holds flat settings; remove the nested arrays or tables") from None
    except OSError as exc:
        raise ProjectError(f"cannot read qualcode.toml: {exc.strerror}", path=path,
                           hint="it must be an ordinary file you may read") from None
    proj = data.get("project", {})
    if not isinstance(proj, dict):
        raise ProjectError("[project] must be a table", path=path)
    cfg = ProjectConfig(raw=data)
    for key in ("name", "codebook", "transcripts", "cases", "codings", "exports", "default_coder"):
        if key in proj:
            if not isinstance(proj[key], str):
                raise ProjectError(f"[project] {key} must be a string", path=path)
            setattr(cfg, key, proj[key])
    for key in ("codebook", "transcripts", "cases", "codings", "exports"):
        value = getattr(cfg, key)
        parts = Path(value).parts
        if not value.strip() or Path(value).is_absolute() or ".." in parts or has_control(value):
            raise ProjectError(f"[project] {key} = {value!r} must be a path inside the project folder "
                               "(no absolute path, no '..')", path=path,
                               hint=f"write it relative to the folder of qualcode.toml, as {getattr(ProjectConfig, key)!r}; "
                                    "for reports elsewhere, give `-o` to the export")
    coders = proj.get("coders", [])
    if not isinstance(coders, list) or not all(isinstance(c, str) for c in coders):
        raise ProjectError("[project] coders must be a list of names", path=path)
    cfg.coders = list(coders)
    speakers = data.get("speakers", {})
    aliases = speakers.get("aliases", {}) if isinstance(speakers, dict) else {}
    if not isinstance(aliases, dict):
        raise ProjectError("[speakers.aliases] must be a table of label = \"speaker\"", path=path)
    cfg.aliases = {str(k): str(v) for k, v in aliases.items()}
    roles = speakers.get("roles", {}) if isinstance(speakers, dict) else {}
    if not isinstance(roles, dict):
        raise ProjectError("[speakers.roles] must be a table of label = \"interviewer\"", path=path)
    cfg.speaker_roles = {str(k): str(v).strip().lower() for k, v in roles.items()}
    bad = []
    if cfg.speaker_roles:  # the transcript readers are imported only when there are rules to check
        from qualcode.formats.transcripts.rules import check_rules

        bad = check_rules(cfg.speaker_roles)
    if bad:
        raise ProjectError("[speakers.roles]: " + "; ".join(bad), path=path,
                           hint="write label = \"interviewer\", \"respondent\" or \"none\"; patterns as \"Lead *\" or \"re:^Counsel\"")
    cfg.respondent = str(speakers.get("respondent", "") or "") if isinstance(speakers, dict) else ""
    nlp = data.get("nlp", {})
    if isinstance(nlp, dict):
        cfg.nlp_pipeline = str(nlp.get("pipeline", "") or "")
    return cfg


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _q(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def has_control(text: str) -> bool:
    return any(ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029" for ch in text)


def render_config(cfg: ProjectConfig) -> str:
    lines = [
        "# qualcode project settings (qualcode's README, \"A project is a folder\", says what each is for)",
        "[project]",
        f"name = {_q(cfg.name)}",
        f"codebook = {_q(cfg.codebook)}",
        f"transcripts = {_q(cfg.transcripts)}",
        f"cases = {_q(cfg.cases)}",
        f"codings = {_q(cfg.codings)}",
        f"exports = {_q(cfg.exports)}",
        "coders = [" + ", ".join(_q(c) for c in cfg.coders) + "]",
        f"default_coder = {_q(cfg.default_coder)}",
        "",
        *(["[speakers]", f"respondent = {_q(cfg.respondent)}", ""] if cfg.respondent else []),
        "[speakers.aliases]",
        "# \"Counsel Inquiry\" = \"Ms Blackwell\"",
    ]
    lines += [f"{_q(k)} = {_q(v)}" for k, v in cfg.aliases.items()]
    if cfg.speaker_roles:
        lines += ["", "[speakers.roles]"] + [f"{_q(k)} = {_q(v)}" for k, v in cfg.speaker_roles.items()]
    lines += ["", "[nlp]", "# name of an installed trained spaCy pipeline; empty = built-in blank English",
              f"pipeline = {_q(cfg.nlp_pipeline)}", ""]
    # sections qualcode itself does not manage (e.g. [refi.users]) are kept as they were
    known = {"project", "speakers", "nlp"}
    for name, table in cfg.raw.items():
        if name not in known and isinstance(table, dict):
            lines += _table([name], table)
    return "\n".join(lines)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return _q(str(v))


def _table(path: list[str], table: dict) -> list[str]:
    out = ["[" + ".".join(_q(p) if not p.replace("_", "").replace("-", "").isalnum() else p for p in path) + "]"]
    out += [f"{_q(k)} = {_value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    out.append("")
    for k, v in table.items():
        if isinstance(v, dict):
            out += _table(path + [k], v)
    return out


def save_config(root: Path, cfg: ProjectConfig) -> None:
    if has_control(cfg.name):
        raise ProjectError(f"the project name {cfg.name!r} holds a line break or another control character",
                           path=root, hint="choose a name (or a folder name) without line breaks or tabs")
    write_atomic(root / CONFIG_NAME, render_config(cfg))


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding qualcode.toml (as git finds .git)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ProjectError("not inside a qualcode project (no qualcode.toml here or above)", path=start,
                       hint="cd into a project, pass --project DIR, or run `qualcode init DIR`")
