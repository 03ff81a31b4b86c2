"""Bytes -> str for transcript files: BOMs, UTF-16, cp1252 fallback, binary sniffing."""

from __future__ import annotations

import codecs

from qualcode.errors import FormatError, Problem

CP1252_WARNING = "not UTF-8; read as Windows-1252 — check accented characters"

# Magic numbers of files people drop into a transcripts folder by mistake.
_MAGIC: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "a PDF file", "copy the text out of the PDF (or export it as .txt / .docx) and import that"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word 97-2003 (.doc) or other OLE file",
     "open it in Word or LibreOffice and save it as .docx or plain text (.txt)"),
    (b"{\\rtf", "a Rich Text Format (.rtf) file", "open it in Word or LibreOffice and save it as .docx or .txt"),
    (b"\x89PNG", "a PNG image", "import the transcript text, not an image"),
    (b"\xff\xd8\xff", "a JPEG image", "import the transcript text, not an image"),
    (b"GIF8", "a GIF image", "import the transcript text, not an image"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first and import the transcript inside"),
    (b"ID3\x03", "an MP3 audio file", "import the transcript of the recording, not the audio"),
    (b"ID3\x04", "an MP3 audio file", "import the transcript of the recording, not the audio"),
    (b"OggS", "an Ogg audio file", "import the transcript of the recording, not the audio"),
    (b"fLaC", "a FLAC audio file", "import the transcript of the recording, not the audio"),
]

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

_BINARY_HINT = "check you picked the transcript itself (plain text, Markdown, .vtt, .srt or .docx)"


def _line_of(data: bytes, index: int) -> int:
    return data.count(b"\n", 0, index) + 1


def _sniff_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    n = min(len(even), len(odd))
    if odd[:n].count(0) >= 0.9 * n and even[:n].count(0) == 0:
        return "utf-16-le"
    if even[:n].count(0) >= 0.9 * n and odd[:n].count(0) == 0:
        return "utf-16-be"
    return None


def reject_binary(data: bytes, name: str) -> None:
    """Raise FormatError for known non-text files (PDF, .doc, images, audio)."""
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise FormatError(f"this is {what}, not a transcript", path=name, hint=hint)
    if data.startswith(b"RIFF") and data[8:12] in (b"WAVE", b"AVI "):
        raise FormatError("this is a WAV/AVI media file, not a transcript", path=name,
                          hint="import the transcript of the recording, not the media")


def decode(data: bytes, name: str) -> tuple[str, list[Problem]]:
    """Decode a transcript's bytes. Returns the text (BOM kept off) and warnings.

    UTF-8 (with or without BOM), UTF-16/32 with a BOM (UTF-16 without one when it is evident),
    then Windows-1252 as a fallback with a warning. NUL bytes elsewhere mean a binary file.
    """
    problems: list[Problem] = []
    if not data or not data.strip(b" \t\r\n\x0b\x0c"):
        raise FormatError("the file is empty", path=name, hint="export the transcript again; this file has no text")
    reject_binary(data, name)
    encoding = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding, data = enc, data[len(bom):]
            break
    if encoding is None and b"\x00" in data[:4096]:
        encoding = _sniff_utf16(data[:4096])
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise FormatError(
                f"the file starts as {encoding.upper()} but byte {exc.start} is not valid {encoding.upper()}",
                path=name,
                hint="the file is damaged or mixes encodings; save it again as UTF-8 text",
            ) from None
    else:
        nul = data.find(b"\x00")
        if nul != -1:
            raise FormatError(
                "this is a binary file, not text (it contains NUL bytes)",
                path=name,
                line=_line_of(data, nul),
                hint=_BINARY_HINT,
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _decode_cp1252(data)
            problems.append(Problem(CP1252_WARNING, name, _line_of(data, exc.start)))
    if "\x00" in text:
        raise FormatError("this is a binary file, not text (it contains NUL characters)", path=name, hint=_BINARY_HINT)
    _check_control_characters(text, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise FormatError("the file is empty (only blank space)", path=name,
                          hint="export the transcript again; this file has no text")
    return text, problems


def _decode_cp1252(data: bytes) -> str:
    # cp1252 leaves five bytes undefined; read those as Latin-1 so decoding never fails.
    return "".join(_cp1252_chunks(data))


def _cp1252_chunks(data: bytes):
    try:
        yield data.decode("cp1252")
        return
    except UnicodeDecodeError:
        pass
    start = 0
    for i, b in enumerate(data):
        if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
            yield data[start:i].decode("cp1252")
            yield chr(b)
            start = i + 1
    yield data[start:].decode("cp1252")


_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\x0b", "\x0c", "\x1a"} | {"\x7f"}


def _check_control_characters(text: str, name: str) -> None:
    """Many C0 control characters in the first 64 KB mean a binary file decoded by accident."""
    head = text[:65536]
    bad = sum(head.count(c) for c in _CONTROL)
    if bad > max(8, len(head) // 100):
        raise FormatError(
            "this does not look like text (it is full of control characters)", path=name, hint=_BINARY_HINT
        )
