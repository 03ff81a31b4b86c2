"""Transcript importers: bytes in, a ``Transcript`` (canonical text, speaker turns, metadata) out.

    from qualcode.formats.transcripts import read_transcript, parse_transcript
    transcript, warnings = read_transcript(Path("p01.docx"), aliases={"Counsel Inquiry": "Ms Blackwell"})

The layout is recognised from the content, never from the file name:

==============  ============================================================================
format          what it is
==============  ============================================================================
text            labelled plain text (``Name:``, ``Q:``/``A:``, ``[00:01:23] Interviewer:``)
markdown        Markdown / reStructuredText renderings (``**Name**:``, headings)
parliament      select-committee oral evidence (``Q12 Chair:``, ``Members present:``)
f4              f4/f5 transcripts (``I:``/``B:`` with ``#00:00:12-3#`` stamps)
inquiry         court/inquiry transcripts with numbered lines and ``Q.``/``A.``
otter           Otter.ai TXT export (``Speaker  0:04`` then text)
zoom-vtt        Zoom WebVTT (``Name: text`` cues)
teams-vtt       Microsoft Teams WebVTT (``<v Name>text</v>``, GUID cue ids)
srt             SubRip captions
docx            Word transcripts typed by people or transcription services
teams-docx      Microsoft Teams .docx transcript download
==============  ============================================================================

Text formats keep the body as written (front matter removed); the others are rendered as one
paragraph per turn, ``Speaker: what was said``, with a blank line between turns.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from qualcode.domain.offsets import canonicalize
from qualcode.domain.transcript import Transcript
from qualcode.errors import FormatError, Problem

from .balance import balance_warnings
from .common import RawTurn, build_turns, render
from .decode import decode
from .detect import detect_text_format
from .frontmatter import alias_table, check_id, declared_roles, names_in_metadata, split_front_matter
from .labelled import parse_labelled
from .names import slug

__all__ = ["FORMATS", "parse_transcript", "read_transcript"]

FORMATS = (
    "text", "markdown", "otter", "zoom-vtt", "teams-vtt", "srt", "docx", "teams-docx", "parliament", "f4", "inquiry",
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def read_transcript(path: Path, *, aliases: dict[str, str] | None = None) -> tuple[Transcript, list[Problem]]:
    """Read and parse one transcript file. An unreadable file raises ``FormatError``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise FormatError(
            f"cannot read the transcript: {reason}", path=str(path), hint="check the file exists and you may read it"
        ) from None
    return parse_transcript(data, path.name, aliases=aliases)


def parse_transcript(
    data: bytes, name: str, *, aliases: dict[str, str] | None = None
) -> tuple[Transcript, list[Problem]]:
    """Parse a transcript's bytes. ``name`` (the file name) is used in messages and for the id.

    ``aliases`` maps a label as written to the canonical speaker (it wins over front matter
    ``aliases:``). Returns the transcript and warnings (``Problem``) worth showing.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("parse_transcript needs bytes; use read_transcript for a path")
    data = bytes(data)
    if data.startswith(_ZIP_MAGIC):
        from .docx import parse_docx

        text, raw, metadata, fmt, problems, known = parse_docx(data, name)
    else:
        text, raw, metadata, fmt, problems, known = _parse_text(data, name)
    if not text.strip():
        if metadata:
            raise FormatError("the transcript has no text after its front matter", path=name,
                              hint="add the transcript below the closing '---' line")
        raise FormatError(f"no transcript text found (read as {fmt})", path=name,
                          hint="check the file holds what was said, not only timings or headings")
    table = alias_table(metadata, name, problems)
    table.update(aliases or {})
    declared = declared_roles(metadata, name, problems)
    turns = build_turns(raw, aliases=table, declared=declared, known=known)
    problems.extend(balance_warnings(turns, name, declared))
    if not turns:
        problems.append(Problem(
            "no speaker labels found ('Name: ...' at the start of a paragraph); imported as text without turns",
            name,
        ))
    transcript_id = check_id(metadata, name) or slug(PurePath(name).stem)
    return Transcript(transcript_id, text, turns, metadata, fmt, name), problems


def _parse_text(data: bytes, name: str):
    decoded, problems = decode(data, name)
    text = canonicalize(decoded)
    metadata, body, skipped = split_front_matter(text, name)
    fmt = detect_text_format(body)
    known: dict = {}
    if fmt in ("zoom-vtt", "teams-vtt"):
        from .vtt import parse_vtt

        segs, note, fmt, more = parse_vtt(body, name)
        for k, v in note.items():
            metadata.setdefault(k, v)
        problems.extend(more)
        body, raw = render(segs)
    elif fmt == "srt":
        from .srt import parse_srt

        segs, more = parse_srt(body, name)
        problems.extend(more)
        body, raw = render(segs)
    elif fmt == "otter":
        from .otter import parse_otter

        body, raw = render(parse_otter(body))
    else:
        named = metadata.get("respondent") if isinstance(metadata.get("respondent"), str) else None
        result = parse_labelled(body, name, fmt=fmt, known_names=names_in_metadata(metadata), line_offset=skipped,
                                respondent=named)
        problems.extend(result.problems)
        if result.default_speaker and not named:
            problems.append(Problem(
                f"only the interviewer is labelled, so each unlabelled paragraph was given to "
                f"{result.default_speaker!r}; to name them, add 'respondent: NAME' to the front matter", name))
        if result.header:
            metadata.setdefault("header", result.header)
        known = result.known
        raw: list[RawTurn] = result.turns
    return body, raw, metadata, fmt, problems, known
