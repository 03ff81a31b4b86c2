"""The files of a new qualcode project made from an import plan: front matter, config, cases, notes."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import yaml

from qualcode.store.config import ProjectConfig, render_config

from .importing import ImportPlan, PlannedTranscript


def transcript_file(t: PlannedTranscript) -> str:
    """YAML front matter (id, title, then the original front matter when there was one) and the text."""
    meta = {"id": t.id, "title": t.title, **{k: v for k, v in t.metadata.items() if k not in ("id", "title")}}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n" + t.text


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def config_text(plan: ImportPlan, source: Path, origin: str) -> str:
    """qualcode.toml, plus ``[refi]`` (where it came from) and ``[refi.users]`` (coder <- REFI user)."""
    cfg = ProjectConfig(name=plan.name, codebook="codebooks/codebook.yaml", coders=list(plan.coders))
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    lines = [render_config(cfg).rstrip("\n"), "",
             "# Where this project came from (kept for reference; qualcode does not read it).",
             "[refi]", f"file = {_toml_str(source.name)}", f"origin = {_toml_str(origin)}",
             f"imported = {_toml_str(stamp)}", "", "# qualcode coder = REFI user name and GUID", "[refi.users]"]
    lines += [f"{_toml_str(c)} = {_toml_str(f'{name} {{{g}}}' if g else name)}" for c, (name, g) in plan.coders.items()]
    return "\n".join(lines) + "\n"


def cases_csv(plan: ImportPlan, tids: set[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["transcript", "case", *plan.columns])
    for t in plan.transcripts:
        if t.id in tids and (t.id in plan.attributes or t.id in plan.case_of):
            row = plan.attributes.get(t.id, {})
            w.writerow([t.id, plan.case_of.get(t.id, t.id), *[row.get(c, "") for c in plan.columns]])
    return buf.getvalue()


def notes_md(plan: ImportPlan) -> str:
    parts = [f"# Notes imported from {plan.name}\n",
             "Notes (memos) from the REFI-QDA file that were not attached to a coded selection.\n"]
    for heading, body in plan.other_notes:
        parts.append(f"## {heading}\n\n{body}\n")
    return "\n".join(parts)
