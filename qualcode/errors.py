"""One exception family for everything a researcher can get wrong.

Every message names the file (and line, where there is one) and says what to do.
The CLI prints ``str(error)`` and exits 2; the TUI shows it as a notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class QualcodeError(Exception):
    """An error the researcher can act on: message, where it happened, what to do."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        text = where + self.message
        if self.hint:
            text += f"\n  What to do: {self.hint}"
        return text


class ProjectError(QualcodeError):
    """The project folder or its qualcode.toml is missing or wrong."""


class FormatError(QualcodeError):
    """An input file (transcript, .docx, .qdpx, CSV) cannot be read."""


class CodebookError(QualcodeError):
    """The codebook is invalid. ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list["Problem"], *, path: str | Path | None = None) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        summary = f"{len(lines)} problem(s) in the codebook:\n  " + "\n  ".join(lines)
        super().__init__(summary, path=None, hint="fix each line named above, then run `qualcode check`")
        self.codebook_path = str(path) if path is not None else None


class JournalError(QualcodeError):
    """A coder's journal cannot be read or written."""


class LockError(JournalError):
    """Another process holds the coder's journal."""


class UnknownCodeError(QualcodeError):
    """A code id that is not in the codebook."""


class AnchorError(QualcodeError):
    """A span or quote cannot be found in a transcript."""


@dataclass(frozen=True)
class Problem:
    """One finding (used for codebook validation, `qualcode check`, warnings)."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


@dataclass(frozen=True)
class Note(Problem):
    """Worth saying, not wrong (a guess the researcher may want to confirm): ``qualcode check`` shows it
    as a note, and it does not make the project unclean."""
