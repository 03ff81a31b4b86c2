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
zoom-txt        Zoom saved captions (``[Name] 10:15:32`` then text; ``10:15:32 From Name : text``)
zoom-vtt        Zoom WebVTT (``Name: text`` cues)
teams-vtt       Microsoft Teams WebVTT (``<v Name>text</v>``, GUID cue ids)
srt             SubRip captions
docx            Word transcripts typed by people or transcription services
teams-docx      Microsoft Teams .docx transcript download
==============  ============================================================================

Text formats keep the body as written (front matter removed; page footers and an inquiry transcript's
line numbers dropped, see ``footers``); the others are rendered as one paragraph per turn,
``Speaker: what was said``, with a blank line between turns.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path, PurePath

from qualcode.domain.offsets import canonicalize
from qualcode.domain.transcript import RESPONDENT, Transcript
from qualcode.errors import FormatError, Problem

from .balance import balance_warnings
from .common import RawTurn, build_turns, render
from .decode import decode
from .detect import detect_text_format
from .footers import drop_page_furniture
from .frontmatter import alias_table, check_id, declared_roles, names_in_metadata, split_front_matter
from .hearing import hearing_roles
from .labelled import drop_line_numbers, parse_labelled
from .rules import apply_rules, fill_respondents, propose_roles
from .names import key, slug

__all__ = ["FORMATS", "parse_transcript", "read_transcript"]

FORMATS = (
    "text", "markdown", "otter", "zoom-txt", "zoom-vtt", "teams-vtt", "srt", "docx", "teams-docx", "parliament", "f4",
    "inquiry",
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def read_transcript(path: Path, *, aliases: dict[str, str] | None = None,
                    speakers: dict | None = None) -> tuple[Transcript, list[Problem]]:
    """Read and parse one transcript file. An unreadable file raises ``FormatError``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise FormatError(
            f"cannot read the transcript: {reason}", path=str(path), hint="check the file exists and you may read it"
        ) from None
    return parse_transcript(data, path.name, aliases=aliases, speakers=speakers)


def parse_transcript(
    data: bytes, name: str, *, aliases: dict[str, str] | None = None, speakers: dict | None = None
) -> tuple[Transcript, list[Problem]]:
    """Parse a transcript's bytes. ``name`` (the file name) is used in messages and for the id.

    ``aliases`` maps a label as written to the canonical speaker (it wins over front matter
    ``aliases:``). ``speakers`` holds the project's ``roles`` (label or pattern -> role, see
    ``rules``; they win over front matter and heuristics) and ``respondent`` (who speaks unlabelled
    paragraphs in think-aloud layouts). Returns the transcript and warnings (``Problem``) worth showing.
    """
    speakers = speakers or {}
    project_roles = dict(speakers.get("roles") or {})
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("parse_transcript needs bytes; use read_transcript for a path")
    data = bytes(data)
    if data.startswith(_ZIP_MAGIC):
        from .docx import parse_docx

        text, raw, metadata, fmt, problems, known, hearing = parse_docx(data, name)
    else:
        text, raw, metadata, fmt, problems, known, hearing = _parse_text(data, name, speakers.get("respondent"))
    if not text.strip():
        if metadata:
            raise FormatError("the transcript has no text after its front matter", path=name,
                              hint="add the transcript below the closing '---' line")
        raise FormatError(f"no transcript text found (read as {fmt})", path=name,
                          hint="check the file holds what was said, not only timings or headings")
    table = alias_table(metadata, name, problems)
    table.update(aliases or {})
    declared = declared_roles(metadata, name, problems)
    if hearing is not None and not hearing.applies(t.label for t in raw):
        hearing = None
    if hearing is not None:
        known = {**known, **{w: RESPONDENT for w in hearing.witnesses}}
    turns = apply_rules(build_turns(raw, aliases=table, declared=declared, known=known, settle=hearing is None),
                        project_roles)
    if hearing is not None:
        turns, notes = hearing_roles(text, turns, name, project_roles, numbered=fmt == "parliament")
        problems.extend(notes)
    turns, notes = propose_roles(text, turns, name, project_roles)
    turns = fill_respondents(turns, project_roles, declared)
    problems.extend(notes)
    problems.extend(balance_warnings(turns, name, declared))
    if not turns:
        problems.append(Problem(
            "no speaker labels found ('Name: ...' at the start of a paragraph); imported as text without turns",
            name,
        ))
    transcript_id = check_id(metadata, name) or slug(PurePath(name).stem)
    if not metadata.get("title"):
        title = _title_in(text, turns[0].start if turns else len(text), metadata.get("header"))
        if title:
            metadata["title"] = title
    return Transcript(transcript_id, text, turns, metadata, fmt, name), problems


_UNDERLINE = re.compile(r"([=\-^~#*])\1{2,}[ \t]*")
_HEADING = re.compile(r"#{1,6}[ \t]+(.+?)[ \t#]*")
_NUMBER_LINE = re.compile(r"\d{1,5}(?:/\d{1,5})?")  # a MAXQDA paragraph number, a page footer "1/5"
TITLE_MAX = 60


def _title_in(text: str, before: int, header) -> str | None:
    """A short title the document gives itself above its first turn: a header's "Oral evidence" or
    "Title", a reST/Markdown heading, or a first line that reads as a title."""
    if isinstance(header, dict):
        for k in ("Title", "Oral evidence", "Subject", "Topic"):
            if isinstance(header.get(k), str) and header[k].strip():
                return _clip(header[k])
    lines = [ln.strip() for ln in text[:before].split("\n")]
    for i, line in enumerate(lines):
        if not line or _UNDERLINE.fullmatch(line) or _NUMBER_LINE.fullmatch(line) or _header_line(line, header):
            continue
        m = _HEADING.fullmatch(line)
        if m:
            return _clip(m.group(1).strip("*_ "))
        if i + 1 < len(lines) and _UNDERLINE.fullmatch(lines[i + 1]) and len(lines[i + 1]) >= len(line) - 2:
            return _clip(line.strip("*_ "))
        if len(line) <= TITLE_MAX and not line.endswith((".", "?", "!", ":", ",")) and not line.startswith(("*", "(")):
            return _clip(line)
        return None
    return None


def _header_line(line: str, header) -> bool:
    """A ``Key: value`` line of the header block (``Interviewer: Ruth Adebayo``): metadata, not a title."""
    label, colon, _ = line.partition(":")
    return bool(colon) and isinstance(header, dict) and key(label) in {key(k) for k in header}


def _clip(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX else title[:TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


_REFI_XML = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(Project|CodeBook)\b[^>]*urn:QDA-XML", re.S)


def _parse_text(data: bytes, name: str, respondent: str | None = None):
    decoded, problems = decode(data, name)
    refi = _REFI_XML.match(decoded[:4000])
    if refi:  # a .qde or .qdc given to `import`: read as text it became one long "transcript" of XML
        project = refi.group(1) == "Project"
        raise FormatError(f"this is a REFI-QDA {'project' if project else 'codebook'} (XML), not a transcript",
                          path=name, hint=("bring it in with `qualcode import-project FILE FOLDER` (a .qdpx holds "
                                           "its texts)" if project else "bring it in with `qualcode import-codebook FILE`"))
    text = canonicalize(decoded)
    metadata, body, skipped = split_front_matter(text, name)
    fmt = detect_text_format(body)
    known: dict = {}
    hearing = None
    if fmt in ("zoom-vtt", "teams-vtt") and _teams_classic_layout(body):
        from .docx import _teams_classic  # a classic Teams transcript saved as text: the .docx's layout

        segs, header = _teams_classic(body.split("\n"))
        for k, v in header.items():
            metadata.setdefault(k, v)
        fmt = "teams-docx"
        body, raw = render(segs)
    elif fmt in ("zoom-vtt", "teams-vtt"):
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
    elif fmt == "zoom-txt":
        from .zoomtxt import parse_zoom_captions

        body, raw = render(parse_zoom_captions(body))
    else:
        body, kept = drop_page_furniture(body)
        if fmt == "inquiry":
            body = drop_line_numbers(body)
        named = metadata.get("respondent") if isinstance(metadata.get("respondent"), str) else respondent
        result = parse_labelled(body, name, fmt=fmt, known_names=names_in_metadata(metadata), line_offset=skipped,
                                respondent=named)
        problems.extend(_file_lines(result.problems, kept, skipped))
        if result.default_speaker and not named:
            problems.append(Problem(
                f"only the interviewer is labelled, so each unlabelled paragraph was given to "
                f"{result.default_speaker!r}; to name them, add 'respondent: NAME' to the front matter "
                "(or respondent = \"NAME\" under [speakers] in qualcode.toml)", name))
        if result.header:
            metadata.setdefault("header", result.header)
        known = result.known
        hearing = result.hearing
        raw: list[RawTurn] = result.turns
    return body, raw, metadata, fmt, problems, known, hearing


def _file_lines(problems: list[Problem], kept: list[int] | None, skipped: int) -> list[Problem]:
    """Line numbers of the text without its page footers -> the file's line numbers."""
    if kept is None:
        return problems
    out = []
    for p in problems:
        i = (p.line or 0) - 1 - skipped
        out.append(replace(p, line=kept[i] + 1 + skipped) if p.line and 0 <= i < len(kept) else p)
    return out


def _teams_classic_layout(body: str) -> bool:
    """Classic Teams (``0:0:4.110 --> 0:0:7.980``, then the speaker's name alone on a line, then the
    text), not WebVTT: no ``WEBVTT`` line, and most timing lines are followed by a name and then text."""
    from .cues import TIMING
    from .names import looks_like_name

    lines = [line.strip() for line in body[:200_000].split("\n")]
    first = next((line for line in lines if line), "")
    if first.startswith("WEBVTT"):
        return False
    timed = named = 0
    for i, line in enumerate(lines):
        if TIMING.fullmatch(line):
            timed += 1
            if (i + 2 < len(lines) and ":" not in lines[i + 1] and looks_like_name(lines[i + 1], allow_comma=True)
                    and lines[i + 2] and not TIMING.fullmatch(lines[i + 2])):
                named += 1
    return timed >= 1 and named >= 0.8 * timed

