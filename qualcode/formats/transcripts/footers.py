"""Page furniture in text that was laid out on pages: footers (and headers) left in a transcript by a
PDF or Word export (MAXQDA's "n/N", "Seite 3 von 12", "Interview_P3.docx   Page 3 of 12   12.03.2024")
and the paragraph number MAXQDA prints again after a page break.

They are not what anyone said, so they are dropped from the text before turns are found: a turn
that crosses a page break reads on. A line is taken as a footer only by its shape *and* the document's
pages: it is the page number alone or in cells set apart by wide gaps or tabs, and the same shape comes
back with the page number going up ("1/5" ... "2/5"). Speech that mentions a page ("Page 3 of the report
says ...") is never a footer: the page number is not a cell of its own there. Lines printed beside
every footer (the file name, the date) go with it.
"""

from __future__ import annotations

import re

_NUM = r"(\d{1,4})"
_OF = r"(?:of|von|sur|de|di|van|av|af|/)"
_PAGE_WORD = r"(?:page|seite|pagina|página|side|sida|s\.|p\.|pg\.?)"
_PAGE = re.compile(
    rf"{_PAGE_WORD}[ \t]*{_NUM}(?:[ \t]*{_OF}[ \t]*{_NUM})?"  # Page 3, Seite 3 von 12, Page 3 of 12
    rf"|{_NUM}[ \t]*/[ \t]*{_NUM}"  # 3/12
    rf"|[-–—][ \t]*{_NUM}[ \t]*[-–—]",  # - 3 -
    re.I,
)
_CELLS = re.compile(r"\t+|[ \u00a0]{2,}|[ \t]+[|·•][ \t]+")
_DIGITS = re.compile(r"\d+")
_BARE_NUMBER = re.compile(r"\d{1,5}")
_DATE = re.compile(
    r"\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AaPp][Mm])?"
    r"|\d{1,2}\.?[ \t]+[A-Za-zä]{3,9}\.?[ \t]+\d{4}|[A-Za-z]{3,9}\.?[ \t]+\d{1,2},?[ \t]+\d{4}"
)
_FILE = re.compile(r"\S.{0,120}\.(?:docx?|rtf|pdf|txt|odt|mx\d{2}|mex\d{2}|qdpx|atlproj|nvp|nvpx)", re.I)
_PRODUCT = re.compile(r"(?:MAXQDA|ATLAS\.ti|NVivo|f4transkript|f5transkript|QualCoder)\b.*", re.I)
MAX_LINE = 200
NEAR = 3
"""Lines printed with a footer are at most this many lines from it (blank lines counted)."""


def _page_number(line: str) -> tuple[int, int | None] | None:
    """(page, pages) when the whole line is page furniture: the page number alone, or cells (wide gaps,
    tabs) of which one is the page number and the others are short (a file name, a date, a title)."""
    s = line.strip()
    if not s or len(s) > MAX_LINE or not _DIGITS.search(s):
        return None
    found = None
    for cell in (c.strip() for c in _CELLS.split(s)):
        if not cell:
            continue
        m = _PAGE.fullmatch(cell)
        if m:
            if found is not None:
                return None
            numbers = [int(g) for g in m.groups() if g is not None]
            total = numbers[1] if len(numbers) == 2 else None
            if total is not None and numbers[0] > total:
                return None  # "5/3" is not page 5 of 3
            found = (numbers[0], total)
        elif len(cell) > 80 or cell.endswith(("?", "!", ":")):
            return None  # a question, or a speaker's label: speech, not a footer
    return found


def _shape(line: str) -> str:
    return " ".join(_DIGITS.sub("#", line).split()).casefold()


def _furniture_like(text: str) -> bool:
    """A line that could be printed beside a footer: a date, a time, a file name, the QDA program."""
    return bool(_DATE.fullmatch(text) or _FILE.fullmatch(text) or _PRODUCT.fullmatch(text))


def _heading_like(text: str) -> bool:
    """A running header or footer ("Transcript P4 - board study"), not speech: no label, no sentence's
    end ("Participant: Yes.", "Right." are speech, however often they fall by a page break)."""
    return ":" not in text and not text.endswith((".", "?", "!", "…", '"', "”", ",")) and len(text.split()) >= 2


def page_lines(lines: list[str]) -> list[int]:
    """Indexes of the footer lines: lines of one shape whose page number goes up page after page; a
    footer found once only when it gives the page count and is the last page ("1/1", "Page 3 of 3")
    or MAXQDA printed the paragraph number again after it."""
    groups: dict[str, list[tuple[int, int, int | None]]] = {}
    for i, line in enumerate(lines):
        page = _page_number(line)
        if page is not None:
            groups.setdefault(_shape(line), []).append((i, *page))
    out: list[int] = []
    for found in groups.values():
        numbers = [n for _, n, _ in found]
        if len(found) >= 2 and all(b > a for a, b in zip(numbers, numbers[1:])):
            out.extend(i for i, _, _ in found)
        elif len(found) == 1:
            i, n, total = found[0]
            if total is not None and (n == total or _renumbered(lines, i)):
                out.append(i)
    return sorted(out)


def _renumbered(lines: list[str], i: int) -> bool:
    """MAXQDA's page break: the paragraph number before the footer is printed again right after it."""
    before = next((s for s in (lines[j].strip() for j in range(i - 1, -1, -1)) if _BARE_NUMBER.fullmatch(s)), None)
    after = next((s for s in (lines[j].strip() for j in range(i + 1, len(lines))) if s), None)
    return before is not None and after == before


def _companions(lines: list[str], pages: list[int]) -> set[int]:
    """Lines next to the footers that come back word for word beside at least half of them (two at
    least) and read as furniture: the file name and date on lines of their own, a running header at the
    top of the next page."""
    if len(pages) < 2:
        return set()
    near: dict[str, set[int]] = {}
    where: dict[str, list[int]] = {}
    page_set = set(pages)
    for p in pages:
        for j in range(max(0, p - NEAR), min(len(lines), p + NEAR + 1)):
            s = " ".join(lines[j].split())
            if j in page_set or not s or len(s) > 120:
                continue
            near.setdefault(s, set()).add(p)
            where.setdefault(s, []).append(j)
    out: set[int] = set()
    for s, at in near.items():
        if len(at) < 2 or 2 * len(at) < len(pages):
            continue
        if _furniture_like(s) or _heading_like(s):
            out.update(where[s])
    return out


def drop_page_furniture(text: str) -> tuple[str, list[int] | None]:
    """``text`` without its page footers, and for each line kept the index of the line it was
    (None when nothing was dropped: the text is returned unchanged).

    The blank lines just before a footer go with it, so a paragraph that runs on to the next page
    reads on; where MAXQDA printed the paragraph number again on the new page, that number goes too."""
    lines = text.split("\n")
    pages = page_lines(lines)
    if not pages:
        return text, None
    drop = set(pages) | _companions(lines, pages)
    for i in sorted(drop):  # blank lines between two footer lines (footer, then the next page's header)
        k = i + 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        if k < len(lines) and k in drop:
            drop.update(range(i + 1, k))
    last = None  # the paragraph number MAXQDA printed last
    for i, line in enumerate(lines):
        s = line.strip()
        if i in drop or not _BARE_NUMBER.fullmatch(s):
            continue
        k = i - 1
        while k >= 0 and k not in drop and not lines[k].strip():
            k -= 1
        if k >= 0 and k in drop and s == last:
            drop.update(range(k + 1, i + 1))  # printed again after the break: the same paragraph goes on
        else:
            last = s
    for i in sorted(drop):  # blank lines before a footer go with it
        k = i - 1
        while k >= 0 and k not in drop and not lines[k].strip():
            drop.add(k)
            k -= 1
    kept = [i for i in range(len(lines)) if i not in drop]
    return "\n".join(lines[i] for i in kept), kept
