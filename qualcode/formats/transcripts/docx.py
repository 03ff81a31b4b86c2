"""Word .docx transcripts: Teams downloads and hand-typed/service layouts, rendered as text."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePath

from qualcode.domain.offsets import canonicalize
from qualcode.errors import FormatError, Problem

from . import otter
from .common import RawTurn, Seg, merge_segs, render
from .cues import TIMING
from .detect import detect_text_format
from .footers import drop_page_furniture
from .frontmatter import names_in_metadata, split_front_matter
from .hearing import Hearing
from .labelled import LabelledResult, drop_line_numbers, match_label, parse_labelled
from .names import looks_like_name, parse_time

_OTHER_ZIPS = [
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint file (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt/.ods)"),
]
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"\.?\s+\d{1,2}|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)",
    re.I,
)
_DURATION = re.compile(r"(?:\d+\s*h(?:ours?)?\s*)?(?:\d+\s*m(?:in(?:utes?)?)?\s*)?(?:\d+\s*s(?:ec(?:onds?)?)?)?", re.I)
_INDENT = re.compile(r"(?:[ \u00a0]{2,}|\t)")
_GENERIC_TITLE = re.compile(
    r"(?:microsoft\s+)?(?:office\s+)?word\s+document|(?:new\s+)?(?:microsoft\s+)?(?:word\s+)?document\s*\d*|"
    r"doc\s*\d+|untitled(?:\s+document)?\s*\d*|title|\W*",
    re.I,
)
"""Titles that Word, LibreOffice or python-docx put in the core properties by default ("Word
Document" when a package has none), not the transcript's."""
_PRINTED = re.compile(r"microsoft\s+(?:word|office\s+word)\s*[-\u2013\u2014:]", re.I)
"""A title Word gives a document printed to PDF and converted back ("Microsoft Word - interview3.doc")."""
_HEADING_STYLE = re.compile(r"(?:title|heading\s*[1-3])", re.I)


def document_title(title: str | None) -> str | None:
    """The core properties' title when it is the document's own: not empty, not a default such as
    "Word Document" or "Document1", not a "Microsoft Word - file.doc" left by a PDF round trip."""
    title = " ".join((title or "").split())
    if not title or _GENERIC_TITLE.fullmatch(title) or _PRINTED.match(title):
        return None
    return title


def _first_heading(document) -> str | None:
    """The text of the first paragraph when it is styled as a title or heading (Title, Heading 1-3)."""
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            return None
        if tag != "p":
            continue
        from docx.text.paragraph import Paragraph

        para = Paragraph(child, document)
        text = " ".join(para.text.split())
        if not text:
            continue
        style = para.style.name if para.style is not None else ""
        return text if style and _HEADING_STYLE.fullmatch(style.strip()) else None
    return None
_HINT = "open the file in Word and save it again as .docx, or export the transcript as plain text"


def _open(data: bytes, name: str):
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
        raise FormatError("this Word/zip file is damaged or truncated and cannot be opened", path=name,
                          hint=_HINT) from None
    if "word/document.xml" not in names:
        if "project.qde" in names or any("/" not in n and n.lower().endswith(".qde") for n in names):
            # ATLAS.ti 26 names its .qde after the project
            file = PurePath(name).name
            raise FormatError("this is a REFI-QDA project file (.qdpx: a whole project from NVivo, ATLAS.ti, "
                              "MAXQDA, QualCoder or qualcode), not a transcript; `qualcode import` takes "
                              "transcripts", path=name,
                              hint=f"make a new project from it with `qualcode import-project {file} FOLDER`, "
                                   f"or take only its codebook into this project with "
                                   f"`qualcode import-codebook {file}`")
        what = next((desc for member, desc in _OTHER_ZIPS if member in names), "a zip archive")
        raise FormatError(f"this is {what}, not a Word transcript (it has no word/document.xml)", path=name,
                          hint="import the transcript itself: a .docx, .txt, .md, .vtt or .srt file")
    from qualcode.formats.refi.safezip import check_docx

    check_docx(data, name)  # entries, ratio and sizes bounded, every entry decompresses: as for .qdpx
    try:
        import docx  # python-docx, only needed here

        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any failure inside a damaged package is the file's fault
        raise FormatError(f"this Word file is damaged and cannot be read ({type(exc).__name__})", path=name,
                          hint=_HINT) from None


def _paragraphs(document) -> list[str]:
    """Body paragraphs in order; table rows become one paragraph of tab-separated cells."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(" ".join(cell.text.split()))
                out.append("\t".join(c for c in cells if c))
    return out


def parse_docx(data: bytes, name: str
               ) -> tuple[str, list[RawTurn], dict, str, list[Problem], dict, Hearing | None]:
    """(text, raw turns, metadata, format, warnings, header-known names, what the layout says of a
    hearing). Page footers left as paragraphs (a PDF opened in Word) are dropped (``footers``)."""
    document = _open(data, name)
    try:
        paragraphs = _paragraphs(document)
        title = document_title(document.core_properties.title)
        heading = None if title else _first_heading(document)  # no title of its own: the first heading
    except Exception as exc:  # noqa: BLE001
        raise FormatError(f"this Word file is damaged and cannot be read ({type(exc).__name__})", path=name,
                          hint=_HINT) from None
    raw = canonicalize("\n".join(paragraphs))
    if not raw.strip():
        raise FormatError("this Word file has no text", path=name, hint="check it is the transcript, not an empty template")
    metadata, body, _skipped = split_front_matter(raw, name)
    if title:
        metadata.setdefault("title", title)
    elif heading:  # else the reader takes a title line above the first turn, else the file name
        from . import _clip

        metadata.setdefault("title", _clip(heading))
    lines = body.split("\n")
    problems: list[Problem] = []
    heads = sum(1 for line in lines if _timed_head(line) is not None)
    timings = sum(1 for line in lines if TIMING.fullmatch(line.strip()))
    if heads >= 2 or timings >= 2:
        segs, header = (_teams_classic(lines) if timings > heads else _teams(lines))
        for field, value in header.items():
            metadata.setdefault(field, value)
        text, turns = render(segs)
        return text, turns, metadata, "teams-docx", problems, {}, None
    text = "\n".join(_unwrap(drop_page_furniture("\n".join(lines))[0].split("\n")))  # footers left as paragraphs
    fmt = detect_text_format(text)
    hearing = None
    if fmt == "otter":
        segs = otter.parse_otter(text)
        known = {}
    else:
        if fmt == "inquiry":
            text = drop_line_numbers(text)
        result = parse_labelled(text, name, fmt=fmt, known_names=names_in_metadata(metadata))
        # line numbers of the unwrapped text mean nothing in Word: the message names the label
        problems.extend(Problem(p.message, p.path) for p in result.problems)
        for field, value in result.header.items():
            metadata.setdefault("header", {}).setdefault(field, value)
        segs = _segs_from(text, result)
        known = result.known
        hearing = result.hearing
    rendered, turns = render(segs)
    return rendered, turns, metadata, "docx", problems, known, hearing


def _unwrap(lines: list[str]) -> list[str]:
    """Hanging-indent Word layout: an indented paragraph right after text is the same printed line."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line.strip() and _INDENT.match(line):
            cand = match_label(line.strip(), 0)
            if cand is None or not looks_like_name(cand.label):
                out[-1] = out[-1].rstrip() + " " + line.strip()
                continue
        out.append(line.replace("\u00a0", " ") if line.strip() else "")
    return out


def _segs_from(text: str, result: LabelledResult) -> list[Seg]:
    segs: list[Seg] = []
    pos = 0
    for t in result.turns:
        segs.extend(Seg(p.strip()) for p in text[pos:t.start].split("\n") if p.strip())
        prefix = text[t.start:t.text_start].strip() or f"{t.label}:"
        segs.append(Seg(text[t.text_start:t.end], t.label, t.timestamp, prefix=prefix, speaker=t.speaker, hint=t.hint))
        pos = t.end
    segs.extend(Seg(p.strip()) for p in text[pos:].split("\n") if p.strip())
    return segs


def _teams(lines: list[str]) -> tuple[list[Seg], dict]:
    """Current Teams layout: ``Name   0:04`` then the text (same paragraph or the next ones)."""
    segs: list[Seg] = []
    header_lines: list[str] = []
    for line in lines:
        head = _timed_head(line)
        if head is not None:
            speaker, ts = head
            segs.append(Seg("", speaker, ts, swap=True))
        elif line.strip():
            if segs:
                segs[-1].body += ("\n" if segs[-1].body else "") + line.strip()
            else:
                header_lines.append(line.strip())
    return merge_segs(segs, "\n"), _teams_header(header_lines)


def _timed_head(line: str) -> tuple[str, float | None] | None:
    """``Name   0:04`` (a Teams entry header); headers without a time are not trusted in Word files."""
    head = otter.header(line)
    return head if head is not None and head[1] is not None else None


def _teams_header(header_lines: list[str]) -> dict:
    meta: dict = {}
    rest = []
    for line in header_lines:
        if "duration" not in meta and _DURATION.fullmatch(line) and any(c.isdigit() for c in line):
            meta["duration"] = line
        elif "date" not in meta and _DATE.search(line):
            meta["date"] = line
        elif "title" not in meta:
            meta["title"] = line
        else:
            rest.append(line)
    if rest:
        meta["header"] = rest
    return meta


def _teams_classic(lines: list[str]) -> tuple[list[Seg], dict]:
    """Classic Teams layout: timing line, speaker line, text line(s)."""
    segs: list[Seg] = []
    header_lines: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        m = TIMING.fullmatch(lines[i].strip())
        if m and i + 1 < n and lines[i + 1].strip():
            speaker = lines[i + 1].strip()
            j = i + 2
            body = []
            while j < n and lines[j].strip() and not TIMING.fullmatch(lines[j].strip()):
                body.append(lines[j].strip())
                j += 1
            segs.append(Seg("\n".join(body), speaker, parse_time(m.group(1)), swap=True))
            i = j
            continue
        if lines[i].strip() and not segs:
            header_lines.append(lines[i].strip())
        i += 1
    return merge_segs(segs, "\n"), _teams_header(header_lines)
