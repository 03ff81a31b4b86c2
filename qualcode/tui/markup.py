"""Markdown and reStructuredText markup the transcript view hides (display only).

A Markdown or reST transcript keeps its markup in the canonical text (``**Ms Blackwell**:``, heading
underlines, ``*stage directions*``): codings, quotes and every offset are into that text, and
stripping it at import would move the codings of transcripts already coded. So the workbench hides
the markup characters when it draws them instead: ``hidden_spans`` says which characters those are,
and the view gives them no cells (``layout.Wrap``), skips them when moving the cursor and trims them
from the edges of a selection, so a coding made on what is shown covers the same characters.
"""

from __future__ import annotations

import re

MARKUP_FORMATS = frozenset({"markdown"})
"""Transcript formats whose markup is hidden (the detector's name for Markdown and reST renderings)."""

_UNDERLINE = re.compile(r"^([=\-~^\"'`*+#:._])\1{2,}[ \t]*$", re.M)
"""A heading's underline or overline (reST), a setext underline or a rule (Markdown)."""
_ATX = re.compile(r"^(#{1,6})[ \t]+", re.M)
_STRONG = re.compile(r"(\*\*|__)(?=\S)([^\n]*?\S)\1")
_EMPH = re.compile(r"(?<![\w*\\])([*_])(?=[^\s*_])([^\n*]*?[^\s*_\\])\1(?![\w*])")
_LITERAL = re.compile(r"(?<!`)(``?)(?=[^\s`])([^\n`]*?[^\s`])\1(?!`)")
_ROLE = re.compile(r":[\w.+-]+:(?=`)")
_REF_TAIL = re.compile(r"(?<=`)__?(?![\w])")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]+\)")


def hidden_spans(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` ranges of markup characters in ``text``, sorted and merged."""
    spans: list[tuple[int, int]] = []
    work = list(text)

    def hide(a: int, b: int) -> None:
        if a < b:
            spans.append((a, b))
            work[a:b] = "\0" * (b - a)  # hidden characters are no longer markup for the later patterns

    def scan(pattern: re.Pattern, on) -> None:
        for m in pattern.finditer("".join(work)):
            on(m)

    scan(_UNDERLINE, lambda m: hide(m.start(), m.end()))
    scan(_ATX, lambda m: hide(m.start(), m.end()))
    scan(_LINK, lambda m: (hide(m.start(), m.start() + 1), hide(m.end(1), m.end())))
    scan(_ROLE, lambda m: hide(m.start(), m.end()))
    scan(_REF_TAIL, lambda m: hide(m.start(), m.end()))
    for pattern in (_LITERAL, _STRONG, _EMPH):
        scan(pattern, lambda m: (hide(m.start(), m.end(1)), hide(m.end(2), m.end())))
    return merge(spans)


def heading_spans(text: str) -> list[tuple[int, int]]:
    """The lines that are headings (above a reST or setext underline, or after ``#``), drawn in bold."""
    out = []
    for m in _UNDERLINE.finditer(text):
        end = m.start() - 1  # the line break before the underline
        start = text.rfind("\n", 0, max(end, 0)) + 1
        if end > start and text[start:end].strip() and not _UNDERLINE.fullmatch(text[start:end]):
            out.append((start, end))
    for m in _ATX.finditer(text):
        stop = text.find("\n", m.end())
        out.append((m.end(), len(text) if stop == -1 else stop))
    return merge(out)


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def shown_text(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without its hidden characters (what the view shows)."""
    parts, at = [], 0
    for a, b in spans:
        parts.append(text[at:a])
        at = b
    parts.append(text[at:])
    return "".join(parts)


def as_shown(text: str, fmt: str) -> str:
    """A passage of a transcript in format ``fmt`` as the workbench shows it (markup left out), for
    the quotes in the codings panel and retrieval."""
    return shown_text(text, hidden_spans(text)) if fmt in MARKUP_FORMATS else text


def find_shown(pattern: re.Pattern, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Matches of ``pattern`` in what is shown of ``text``, as ``[start, end)`` offsets into ``text``
    (so "Ms Blackwell: Mr Bell" is found where the text says ``**Ms Blackwell**: Mr Bell``)."""
    if not spans:
        return [(m.start(), m.end()) for m in pattern.finditer(text)]
    where: list[int] = []
    at = 0
    for a, b in spans:
        where.extend(range(at, a))
        at = b
    where.extend(range(at, len(text)))
    shown = "".join(text[k] for k in where)
    return [(where[m.start()], where[m.end() - 1] + 1) for m in pattern.finditer(shown) if m.end() > m.start()]
