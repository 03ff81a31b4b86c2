"""The files of a new qualcode project made from an import plan: front matter, config, cases, notes."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import yaml

from qualcode.store.config import ProjectConfig, render_config

from .importing import ImportPlan, PlannedTranscript

NOTES_NAME = "imported-notes.md"
"""Notes of an imported project not attached to a transcript or a coded selection (written back as project
notes)."""


def transcript_file(t: PlannedTranscript) -> str:
    """YAML front matter (id, title, then the original front matter when there was one) and the text."""
    meta = {"id": t.id, "title": t.title, **{k: v for k, v in t.metadata.items() if k not in ("id", "title")}}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n" + t.text


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def config_text(plan: ImportPlan, source: Path, origin: str) -> str:
    """qualcode.toml, plus ``[refi]`` (where it came from), ``[refi.users]`` (coder <- REFI user) and
    ``[refi.codes]`` (code id <- GUID): export writes users and codes back as they came."""
    cfg = ProjectConfig(name=plan.name, codebook="codebooks/codebook.yaml", coders=list(plan.coders))
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    lines = [render_config(cfg).rstrip("\n"), "",
             "# Where this project came from (export writes the users and codes back with these names and GUIDs).",
             "[refi]", f"file = {_toml_str(source.name)}", f"origin = {_toml_str(origin)}",
             f"imported = {_toml_str(stamp)}", "", "# qualcode coder = REFI user name and GUID", "[refi.users]"]
    lines += [f"{_toml_str(c)} = {_toml_str(f'{name} {{{g}}}' if g else name)}" for c, (name, g) in plan.coders.items()]
    lines += ["", "# qualcode code id = the code's GUID in the file (written back on export; matches codes on",
              "# import-codebook)", "[refi.codes]"]
    lines += [f"{_toml_str(cid)} = {_toml_str(g)}" for cid, g in plan.code_guids.items()]
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


def read_notes_md(text: str) -> list[tuple[str, str]]:
    """(heading, text) of each ``## `` section of imported-notes.md (what ``notes_md`` wrote)."""
    out = []
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = part.partition("\n")
        if heading.strip() or body.strip():
            out.append((heading.strip(), re.sub(r"^\\(\\*#)", r"\1", body.strip(), flags=re.M)))
    return out


def notes_md(plan: ImportPlan) -> str:
    parts = [f"# Notes imported from {plan.name}\n",
             "Notes (memos) from the REFI-QDA file that were not attached to a transcript or a coded selection.\n"]
    for heading, body in plan.other_notes:
        body = re.sub(r"^(\\*#)", r"\\\1", body, flags=re.M)  # a '#' line of a note is not a heading here
        parts.append(f"## {' '.join(heading.split())}\n\n{body}\n")
    return "\n".join(parts)
