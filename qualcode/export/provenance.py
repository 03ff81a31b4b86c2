"""Where every number in an export came from: one stamp of the inputs it read.

The stamp names the qualcode version, the project, the date of the inputs, a hash of the codebook
file, the content hash of each transcript, a hash of each coder's journal up to the last complete
line read, and the command that made the export. It holds nothing that changes between two runs
on the same inputs (the date is the time of the last journal line read, not the clock), so the
same command on the same inputs gives the same stamp, and its ``digest`` says so at a glance.

The Word report prints it in a short section and its document properties; the XLSX "About" sheet,
the CSV set's ``provenance.json`` and the .qdpx carry it too.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone

from qualcode.analysis.data import plural


def qualcode_version() -> str:
    try:
        from importlib.metadata import version

        return version("qualcode")
    except Exception:  # noqa: BLE001 - not installed as a distribution (a source checkout)
        return "unknown"


def cli_command(argv: list[str] | None = None) -> str:
    """The command line as typed: ``qualcode export docx -o report.docx`` (program name normalised)."""
    args = list(sys.argv[1:] if argv is None else argv)
    return shlex.join(["qualcode", *args])


@dataclass
class Journal:
    coder: str
    lines: int
    size: int
    sha256: str
    last_at: str


@dataclass
class Stamp:
    version: str
    project: str
    codebook: str
    codebook_sha256: str
    transcripts: list[tuple[str, str]]
    journals: list[Journal]
    command: str
    date: str
    """The time of the last journal line read (UTC, ISO 8601); '' when nothing has been coded."""
    coders: list[str] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """A short hash of everything in the stamp: two exports with the same digest read the same inputs
        with the same qualcode and the same command."""
        data = json.dumps(self.to_json(with_digest=False), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]

    @property
    def day(self) -> str:
        return self.date[:10]

    def to_json(self, with_digest: bool = True) -> dict:
        out = {
            "qualcode": self.version,
            "project": self.project,
            "date": self.date,
            "command": self.command,
            "codebook": {"path": self.codebook, "sha256": self.codebook_sha256},
            "transcripts": [{"id": t, "hash": h} for t, h in self.transcripts],
            "journals": [{"coder": j.coder, "lines": j.lines, "bytes": j.size, "sha256": j.sha256,
                          "last_change": j.last_at} for j in self.journals],
            "coders_counted": list(self.coders),
        }
        if with_digest:
            out["digest"] = self.digest
        return out

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) rows for a report's provenance section or an About sheet."""
        n = len(self.transcripts)
        rows = [
            ("Written by", f"qualcode {self.version}"),
            ("Command", self.command),
            ("Project", self.project),
            ("Inputs as of", self.date or "no codings yet"),
            ("Codebook", f"{self.codebook}, sha256 {self.codebook_sha256[:16]}"),
            ("Transcripts", f"{plural(n, 'transcript')}, each with its content hash (listed with the stamp)"),
        ]
        for j in self.journals:
            read = f"{plural(j.lines, 'line')} ({plural(j.size, 'byte')}) read"
            rows.append((f"Journal of {j.coder}", f"{read}, sha256 {j.sha256[:16]}"))
        rows.append(("Stamp", f"{self.digest} (the same command on the same inputs gives the same stamp)"))
        return rows

    def short(self) -> str:
        """One line (a document property holds at most 255 characters)."""
        journals = ", ".join(f"{j.coder} {plural(j.lines, 'line')} {j.sha256[:12]}" for j in self.journals)
        return (f"qualcode {self.version}; stamp {self.digest}; inputs as of {self.date or 'no codings'}; "
                f"codebook {self.codebook_sha256[:12]}; {plural(len(self.transcripts), 'transcript')}; {journals}; "
                f"{self.command}")

    def text(self) -> str:
        """The stamp in a few lines (document properties, .qdpx description)."""
        return "\n".join(f"{k}: {v}" for k, v in self.summary())


def _journal(path, coder: str) -> Journal:
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    data = data[: data.rfind(b"\n") + 1]  # complete lines only: what the replay read
    last_at = ""
    tail = data[: -1] if data else b""
    if tail:
        line = tail[tail.rfind(b"\n") + 1:]
        try:
            at = json.loads(line).get("at")
            last_at = _iso(at)
        except (ValueError, AttributeError):
            last_at = ""
    return Journal(coder, data.count(b"\n"), len(data), hashlib.sha256(data).hexdigest(), last_at)


def _iso(at) -> str:
    if isinstance(at, (int, float)):
        return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(at or "")


def _file_sha(path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


def stamp(project, *, command: str | None = None, coders: list[str] | None = None) -> Stamp:
    """The stamp of ``project`` as it stands now. ``command``: what made the export (default: this
    process's command line); ``coders``: whose codings the tables count."""
    root = project.root
    try:
        book = str(project.codebook_path.relative_to(root))
    except ValueError:
        book = str(project.codebook_path)
    journals = [_journal(project.codings_dir / f"{c}.jsonl", c) for c in project.coders()
                if (project.codings_dir / f"{c}.jsonl").exists()]
    dates = sorted(j.last_at for j in journals if j.last_at)
    return Stamp(
        version=qualcode_version(),
        project=str(project.config.name),
        codebook=book,
        codebook_sha256=_file_sha(project.codebook_path),
        transcripts=[(e.id, e.hash) for e in project.index],
        journals=journals,
        command=command if command is not None else cli_command(),
        date=dates[-1] if dates else "",
        coders=list(coders or []),
    )


def stamp_datetime(s: Stamp) -> datetime:
    """The stamp's date as a datetime (for document properties); 2000-01-01 when nothing is coded."""
    try:
        return datetime.strptime(s.date[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=timezone.utc)
