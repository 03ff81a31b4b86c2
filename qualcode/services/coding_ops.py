"""Coding from outside the workbench: by offsets or by quote."""

from __future__ import annotations

import re

from qualcode.domain.coding import Coding
from qualcode.domain.transcript import Transcript
from qualcode.errors import AnchorError
from qualcode.store.project import Project


def find_quote(transcript: Transcript, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """The span of ``quote`` in the transcript. Exact first; then with white space and quote marks
    folded (a quote copied from a PDF or Word). Ambiguous quotes need ``occurrence`` (1-based)."""
    text = transcript.text
    quote = quote.strip()
    if not quote:
        raise AnchorError("the quote is empty", hint="give the text to code with --quote")
    spans = quote_spans(text, quote)
    if not spans:
        raise AnchorError(f"the quote was not found in {transcript.id}: {quote[:60]!r}",
                          hint="copy the text exactly from the transcript (`qualcode code list` shows coded text)")
    if occurrence is not None:
        if not 1 <= occurrence <= len(spans):
            raise AnchorError(f"the quote occurs {len(spans)} time(s) in {transcript.id}; --occurrence {occurrence} is out of range")
        return off_labels(transcript, spans[occurrence - 1], quote)
    if len(spans) > 1:
        raise AnchorError(f"the quote occurs {len(spans)} times in {transcript.id}",
                          hint="lengthen the quote, or pick one with --occurrence N")
    return off_labels(transcript, spans[0], quote)


def off_labels(transcript: Transcript, span: tuple[int, int], quote: str) -> tuple[int, int]:
    """``span`` without the speaker label (with its markup: ``**Name**:``, a timestamp) it starts in: a
    quote copied with the label around the speech codes the speech, as the workbench's selections do
    (the label is the transcript's layout, not what was said; the coding's text shows what was coded).
    A quote wholly within a label is refused: there is nothing said to code."""
    start, end = span
    turn = transcript.turn_at(start)
    if turn is None or not turn.start <= start < turn.text_start:
        return span
    speech = turn.text_start
    while speech < end and transcript.text[speech].isspace():
        speech += 1
    if speech >= end:
        raise AnchorError(f"the quote {quote[:60]!r} is the speaker label of a turn in {transcript.id} "
                          f"({transcript.text[turn.start:turn.text_start].strip()!r}), not something said",
                          hint="quote the words said after the label (or pick another with --occurrence N); "
                               "to code a whole turn, quote its speech")
    return speech, end


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every span of ``quote`` in ``text``: exact matches, else matches with white space and quote marks folded."""
    spans = []
    i = text.find(quote)
    while i != -1:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    if not spans:
        spans = [(m.start(), m.end()) for m in _loose(quote).finditer(text)]
    return spans


_FOLD = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"}


def _loose(quote: str) -> re.Pattern:
    parts = []
    for word in quote.split():
        esc = "".join(
            "['‘’]" if ch in "'‘’" else '["“”]' if ch in '"“”' else "[-–—]" if ch in "-–—" else re.escape(ch)
            for ch in word
        )
        parts.append(esc)
    return re.compile(r"\s+".join(parts))


def add_coding(project: Project, coder: str, transcript_id: str, code: str, *, start: int | None = None,
               end: int | None = None, quote: str | None = None, occurrence: int | None = None,
               memo: str | None = None) -> Coding:
    transcript = project.transcript(transcript_id)
    known_code(project, code)  # before the quote: one error
    if quote is not None:
        start, end = find_quote(transcript, quote, occurrence)
    if start is None or end is None:
        raise AnchorError("say what to code: --start and --end, or --quote TEXT")
    return project.session(coder).add(transcript_id, start, end, code, memo=memo)


def known_code(project: Project, code: str) -> str:
    """The id of ``code`` (an id, an exact name, or a merged or old id), else an ``UnknownCodeError``
    that names the nearest code ("unknown code 'x'; did you mean 'y'?")."""
    book = project.codebook
    if code in book:
        return code
    resolved = book.for_coding(code)
    if resolved is not None:
        return resolved.id
    from qualcode.domain.codebook import did_you_mean
    from qualcode.errors import UnknownCodeError

    raise UnknownCodeError(f"unknown code {code!r}{did_you_mean(book.codes, code)}", path=project.codebook_path,
                           hint="`qualcode codebook show` lists the codes and their ids")


def recode_coding(project: Project, coder: str, coding_id: str, code: str) -> str:
    """Give ``coder``'s coding ``coding_id`` the code ``code`` (an id or exact name); returns the code id."""
    code = known_code(project, code)
    project.session(coder).recode(coding_id, code)
    return code
