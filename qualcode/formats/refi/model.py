"""The REFI-QDA data qualcode reads and writes, independent of XML and of qualcode's project.

The reader fills these from a ``.qde`` / ``.qdc`` file (GUIDs normalised to lower case, no braces);
the writer turns them into schema-valid XML. Positions of text selections are whatever the file
said (``refi.positions`` converts them); the writer is given offsets, end exclusive, in code points
(or in UTF-16 code units when ``Project.utf16`` says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class User:
    guid: str
    name: str = ""
    id: str = ""


@dataclass(slots=True)
class Code:
    guid: str
    name: str
    parent: str | None = None
    """The parent code's GUID (None at the top)."""
    description: str = ""
    colour: str | None = None
    codable: bool = True


@dataclass(slots=True)
class DroppedCode:
    """A ``<Code>`` left out on reading: no GUID, or the GUID of a code read before it."""

    name: str
    guid: str | None
    first: str | None = None
    """The name of the code read before it with the same GUID."""
    below: list[str] = field(default_factory=list)
    """The GUIDs of the codes nested in it (left out with it)."""

    def message(self, codings: int | None = None) -> str:
        what = f"code {self.name!r} " + (f"{{{self.guid}}}" if self.guid else "(no GUID)")
        why = f"it repeats the GUID of code {self.first!r}" if self.guid else "it has no GUID"
        text = f"{what} was left out ({why})"
        if self.below:
            text += f", with the {len(self.below)} code(s) nested in it"
        if codings is not None:
            text += f"; {codings} coding(s) {'of those codes' if self.below else 'of it'} were left out"
            if self.guid:
                text += f" (codings with its GUID went to {self.first!r}, which has it first)"
        return text + "; give each code its own GUID in the program that made the file"


@dataclass(slots=True)
class CodingRef:
    """One ``<Coding>``: a code applied to a selection (or a whole source)."""

    guid: str
    code: str
    user: str | None = None
    created: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Selection:
    guid: str
    start: int
    end: int
    name: str = ""
    description: str = ""
    user: str | None = None
    created: str | None = None
    codings: list[CodingRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class VariableValue:
    variable: str
    """The variable's GUID."""
    value: str
    type: str = "Text"


@dataclass
class Source:
    """A text-bearing source: a TextSource, or the text representation of a PDF."""

    guid: str
    name: str = ""
    kind: str = "TextSource"
    path: str | None = None
    """``plainTextPath`` as written (``internal://...``, a bare file name, ``relative://``...)."""
    text: str | None = None
    """Inline ``PlainTextContent`` (or, for the writer, the text to store in ``sources/<guid>.txt``)."""
    description: str = ""
    user: str | None = None
    created: str | None = None
    selections: list[Selection] = field(default_factory=list)
    codings: list[CodingRef] = field(default_factory=list)
    """Codings of the whole source."""
    notes: list[str] = field(default_factory=list)
    variables: list[VariableValue] = field(default_factory=list)


@dataclass
class Note:
    guid: str
    name: str = ""
    text: str = ""
    description: str = ""
    user: str | None = None
    created: str | None = None
    path: str | None = None


@dataclass
class Variable:
    guid: str
    name: str
    type: str = "Text"
    description: str = ""


@dataclass
class Case:
    guid: str
    name: str = ""
    description: str = ""
    values: list[VariableValue] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class Set:
    guid: str
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Project:
    name: str = ""
    origin: str = ""
    creating_user: str | None = None
    created: str | None = None
    modified: str | None = None
    users: list[User] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    """Tree order: a parent always comes before its children."""
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sets: list[Set] = field(default_factory=list)
    description: str = ""
    project_notes: list[str] = field(default_factory=list)
    utf16: bool = False
    """For the writer: the selections' positions count UTF-16 code units (NVivo), not code points."""
    other_sources: dict[str, int] = field(default_factory=dict)
    """Sources qualcode does not import, by element name (PictureSource, AudioSource ...)."""
    dropped_codes: list[DroppedCode] = field(default_factory=list)
    """Codes left out on reading (no GUID, or a repeated one)."""
    counts: dict[str, int] = field(default_factory=dict)
    """What the file holds, counted while reading (users, codes, sources, selections, codings ...)."""
