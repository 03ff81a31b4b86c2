"""Labelled text: plain text, Markdown/reST, Parliament, f4, court/inquiry transcripts.

The canonical text is the body as written; turns are found line by line in two passes:
1. every line is classified (blank, break, stage direction, label candidate, continuation) and
   candidate labels are counted;
2. candidates are accepted as speakers when they look like a name and are used more than once,
   are role words, carry a question number or bold markup, or name someone the header or front
   matter names. Unlabelled lines continue the previous speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT
from qualcode.errors import Problem

from .common import RawTurn
from .hearing import Hearing
from .names import NAME_KEYS, TS, TITLES, is_header_key, is_role_word, key, looks_like_name, parse_time, role_of_word

_LEAD = re.compile(rf"[ \t]*(?:[\[(#]({TS})[\])#][ \t]*|({TS})[ \t]+)?")  # [00:00:05] or a bare 00:00:05
_QNUM = re.compile(r"Q(\d{1,4})\.?[ \t]+")
_BOLD = re.compile(r"\*\*([^*\n]{1,60}?)(:?)\*\*[ \t]{0,8}(:?)(?=[ \t]|$)")
_PLAIN = re.compile(
    rf"([^\s:：*#\[\]()][^:：\n]{{0,59}}?)[ \t]{{0,8}}(?:[\[(]({TS})[\])][ \t]{{0,8}})?(?::(?=[ \t]|$)|：)"
)
_AFTER = re.compile(rf"[ \t]*(?:[\[(#]({TS})[\])#][ \t]*)?")
_F4_TRAIL = re.compile(r"#(\d{1,2}:\d{2}:\d{2}(?:[.,\-]\d{1,3})?)#[ \t]*$")
_INQ_NUM = re.compile(r"[ \t]*\d{1,2}(?:[ \t]+|$)")
_INQ_QA = re.compile(r"([QA])\.[ \t]+")
_AFFIRMED = re.compile(r"[*_ \t]*(.{2,80}?)[ \t]{0,8}\((?:affirmed|sworn|recalled)\)", re.I)
_QUESTIONS_FROM = re.compile(
    r"[ \t]*(?:Further )?(?:Questions?|Questioned|Examination|Examined|Cross-examination|Re-examination)"
    r"[ \t]+(?:from|by)[ \t]+([^.?!\n]{2,80})$",
    re.I,
)
_UNDERLINE_CHARS = "=-^~\"'`#*+."


def _underline(s: str) -> bool:
    """A line of one repeated mark (3+), e.g. ``=====``: checked in linear time (a regex with a
    backreference keeps a backtracking frame per character: 1 GB on a 12 MB line)."""
    u = s.rstrip(" \t")
    return len(u) >= 3 and u[0] in _UNDERLINE_CHARS and not u.strip(u[0])


def _rule(s: str) -> bool:
    """A horizontal rule: 3+ of ``-``, ``*``, ``_`` (spaces between allowed), in linear time."""
    return bool(s) and s[0] in "-*_" and not s.strip("-*_ \t") and len(s) - s.count(" ") - s.count("\t") >= 3


_MD_HEADING = re.compile(r"#{1,6}[ \t]")
_STAGE = re.compile(r"\([^()]*\)\.?|\[[^\[\]]*\]\.?|\*[^*]+\*|_[^_]+_|\d{1,5}|\d{1,4}/\d{1,4}|…|\.\.\.")
_FIXED_HEADING = re.compile(r"(?:Examination of Witness(?:es)?|Examination-in-chief|Cross-examination)[ \t]*", re.I)
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

BLANK, CONT, STAGE, BREAK, LABEL = range(5)
_GAVE_EVIDENCE = re.compile(r"\bgave evidence\.?[ \t]*$", re.I)


def _description(value: str) -> bool:
    """"Council equalities officer, LSP R": a short description of someone, not something said."""
    return 0 < len(value) <= 80 and not value.rstrip().endswith((".", "?", "!", "…", '"', "”")) \
        and len(value.split()) <= 10


@dataclass
class _Cand:
    label: str
    col: int  # where the turn starts (first non-space character)
    text_col: int  # where the said text starts
    timestamp: float | None
    qnum: bool = False
    bold: bool = False
    qa: str | None = None  # "Q" / "A" in court transcripts


@dataclass
class LabelledResult:
    turns: list[RawTurn]
    header: dict = field(default_factory=dict)
    known: dict = field(default_factory=dict)  # name -> role, from the header block
    problems: list[Problem] = field(default_factory=list)
    default_speaker: str | None = None  # who unlabelled paragraphs were given to (think-aloud layout)
    hearing: Hearing = field(default_factory=Hearing)  # witnesses sworn in, examination headings


def match_label(line: str, pos: int) -> _Cand | None:
    m = _LEAD.match(line, pos)
    ts = m.group(1) or m.group(2)
    col = pos + (len(line[pos:]) - len(line[pos:].lstrip()))
    p = m.end()
    qnum = False
    q = _QNUM.match(line, p)
    if q:
        qnum, p = True, q.end()
    bold = False
    b = _BOLD.match(line, p)
    if b and (b.group(2) or b.group(3)):
        label, bold, p = b.group(1).strip(), True, b.end()
    else:
        m2 = _PLAIN.match(line, p)
        if not m2:
            return None
        label, p = m2.group(1).strip(), m2.end()
        ts = ts or m2.group(2)
    a = _AFTER.match(line, p)
    ts = ts or a.group(1)
    return _Cand(label, col, a.end(), parse_time(ts) if ts else None, qnum, bold)


def _hearing_line(s: str, hearing: Hearing) -> None:
    """A witness sworn in (``*MR MARCUS BELL (affirmed).*``) or an examination heading, in any layout."""
    m = _AFFIRMED.match(s)
    if m and not s[m.end():].strip(" \t.*_)"):
        who = nice_case(" ".join(m.group(1).strip(" *_.").split()))
        if looks_like_name(who) and who not in hearing.witnesses:
            hearing.witnesses.append(who)
    elif _QUESTIONS_FROM.match(s) and len(s) <= 100:
        hearing.examination = True


def nice_case(name: str) -> str:
    """"MR PETER LOWE" -> "Mr Peter Lowe"; mixed-case names are kept."""
    if not name.isupper():
        return name
    small = {"of", "the", "to", "and", "for", "de", "van", "von"}
    return " ".join(w.lower() if i and w.lower() in small else w.capitalize() for i, w in enumerate(name.split()))


def _names_in(value: str) -> list[str]:
    """Names in a header value: "Andrew Miller (Chair); Jim Dowd" -> ["Andrew Miller", "Jim Dowd"]."""
    value = re.sub(r"\([^)]*\)", "", value)
    parts = re.split(r";|,|\band\b|&", value)
    return [" ".join(p.split()) for p in parts if looks_like_name(" ".join(p.split()))]


def drop_line_numbers(text: str) -> str:
    """Court/inquiry transcripts: each line's margin number (`` 6   on the board``) and the gap after it
    are the page's, not what was said, so they are left out of the canonical text. Line breaks stay,
    so line numbers in messages still point at the file's lines."""
    return "\n".join(_drop_number(line) for line in text.split("\n"))


def _drop_number(line: str) -> str:
    m = _INQ_NUM.match(line)
    return line[m.end():] if m else line


def parse_labelled(text: str, name: str, *, fmt: str, known_names: list[str], line_offset: int = 0,
                   respondent: str | None = None) -> LabelledResult:
    """Find speaker turns in ``text`` (offsets into ``text``); an ``inquiry`` text comes without its line
    numbers (``drop_line_numbers``).

    When only an interviewer is ever labelled (think-aloud and usability sessions: ``MODERATOR:``
    lines, the participant's speech unlabelled), each unlabelled paragraph is a turn of
    ``respondent`` (default "Participant") rather than more of the interviewer's turn."""
    lines = text.split("\n")
    inquiry = fmt == "inquiry"
    n = len(lines)
    hearing = Hearing(examination=inquiry)
    kinds = bytearray(n)
    cands: dict[int, _Cand] = {}
    context: dict[int, tuple[str, str]] = {}  # inquiry: line -> ("witness"|"questioner", name)
    counts: dict[str, int] = {}
    prev_nonblank = False
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            kinds[i] = BLANK
            prev_nonblank = False
            continue
        kind = CONT
        if _underline(s) and (prev_nonblank or _rule(s)):
            kind = BREAK
            if prev_nonblank and kinds[i - 1] == CONT and len(lines[i - 1].strip()) <= len(s) + 2:
                kinds[i - 1] = BREAK  # a reST/setext heading underlined by this line
        elif _MD_HEADING.match(s) or _rule(s) or _FIXED_HEADING.fullmatch(s):
            kind = BREAK
        elif inquiry and _INQ_QA.match(line):
            qa = line[0]
            cands[i] = _Cand(qa, 0, _INQ_QA.match(line).end(), None, qa=qa)
            kind = LABEL
        else:
            cand = match_label(line, 0)
            if cand is not None:
                if is_header_key(cand.label):
                    kind = BREAK
                    cands[i] = cand  # kept for the header
                elif looks_like_name(cand.label, allow_comma=cand.bold):
                    cands[i] = cand
                    counts[key(cand.label)] = counts.get(key(cand.label), 0) + 1
                    kind = LABEL
            if kind == CONT and inquiry:
                m = _AFFIRMED.match(line) or _QUESTIONS_FROM.match(line)
                if m:
                    which = "witness" if m.re is _AFFIRMED else "questioner"
                    context[i] = (which, nice_case(" ".join(m.group(1).strip(" *_.").split())))
                    kind = BREAK
            if kind == CONT and _STAGE.fullmatch(s):
                kind = STAGE
        if kind != LABEL:
            _hearing_line(s, hearing)
        kinds[i] = kind
        prev_nonblank = True

    for i, c in list(cands.items()):  # "Witness: Ed Vaizey MP, Minister ..., gave evidence." heads a session
        if kinds[i] == LABEL and _GAVE_EVIDENCE.search(lines[i][c.text_col:]):
            kinds[i] = BREAK
            counts[key(c.label)] -= 1
    _link_surnames(cands, counts)
    result = LabelledResult([], hearing=hearing)
    known_words: set[str] = set()
    for nm in known_names:
        known_words.update(w.casefold() for w in _WORDS.findall(nm))
    for i, c in cands.items():  # "Witnesses: ..." lines anywhere name the people who answer
        if kinds[i] == BREAK and key(c.label) in NAME_KEYS:
            known_words.update(w.casefold() for w in _WORDS.findall(lines[i][c.text_col:]))

    # The header block: "Key: value" candidates before the first real label.
    for i in sorted(cands):
        cand = cands[i]
        value = lines[i][cand.text_col:].strip()
        k = key(cand.label)
        header_like = kinds[i] == BREAK or (
            k in NAME_KEYS and counts.get(k, 0) == 1 and looks_like_name(value) and 2 <= len(value.split()) <= 5
        ) or (is_role_word(cand.label) and counts.get(k, 0) == 1 and _description(value)
              and any(j > i and kinds[j] == LABEL and key(cands[j].label) != k for j in cands))
        if not header_like:
            break
        kinds[i] = BREAK
        result.header.setdefault(cand.label, value)
        if k in NAME_KEYS:
            for person in _names_in(value):
                known_words.update(w.casefold() for w in _WORDS.findall(person))
                if k != "witnesses":
                    result.known.setdefault(person, NAME_KEYS[k])
            if k == "witnesses":
                known_words.update(w.casefold() for w in _WORDS.findall(value))

    titles = _repeated_titles(lines, kinds, cands)

    def accepted(c: _Cand) -> bool:
        if c.qa or c.qnum or c.bold or is_role_word(c.label):
            return True
        if key(c.label) in titles:
            return False
        if inquiry and c.label.isupper():
            return True  # court transcripts: "NAME IN CAPITALS:" is the convention
        if counts.get(key(c.label), 0) >= 2:
            return True
        words = {w.casefold() for w in _WORDS.findall(c.label)} - TITLES
        return bool(words) and words <= known_words

    rejected: list[tuple[int, str]] = []
    first_label = min((i for i, c in cands.items() if kinds[i] == LABEL and accepted(c)), default=n)
    for i, c in cands.items():
        if kinds[i] == LABEL and not accepted(c):
            if key(c.label) in titles:  # text, not a speaker: reported once per label below
                kinds[i] = CONT
                continue
            if i < first_label:  # before any turn: a header line ("Persons Present: ..."), not speech
                kinds[i] = BREAK
                result.header.setdefault(c.label, lines[i][c.text_col:].strip())
                continue
            kinds[i] = STAGE if _STAGE.fullmatch(lines[i].strip()) else CONT
            rejected.append((i, c.label))
    for i, label in rejected[:5]:
        result.problems.append(Problem(
            f"'{label}:' looks like a speaker label but is used only once, so it was read as part of the "
            "previous turn; name the speaker in the front matter (speakers:) if it is one",
            name, i + 1 + line_offset,
        ))

    for k, (i, label, n_lines, n_texts) in list(titles.items())[:5]:
        result.problems.append(Problem(
            f"'{label}:' starts {n_lines} lines that repeat {n_texts} text(s) word for word (a title or "
            "heading repeated, as in an export of comments), so they were read as text rather than as a "
            "speaker's turns; name the speaker in the front matter (speakers:) if it is one",
            name, i + 1 + line_offset,
        ))
    default = _unlabelled_speaker(lines, kinds, cands, respondent)
    if default:
        result.default_speaker = default
    _build(lines, kinds, cands, context, result, inquiry, default)
    for t in result.turns:  # a label alone on its line: the said text starts on the next line
        while t.text_start < t.end and text[t.text_start].isspace():
            t.text_start += 1
    return result


TITLE_MIN_LINES = 3
"""A label needs this many lines before its repeats can show it to be a title, not a speaker."""


def _repeated_titles(lines, kinds, cands: dict[int, _Cand]) -> dict[str, tuple[int, str, int, int]]:
    """Labels whose lines mostly repeat the same text word for word ("PSZ: Januártól ... oltás miatt"
    above every comment on a video, in an export of comments): no one says the same sentence of four
    words or more again and again, so these are titles, not speakers. ``{label key: (first line,
    label, lines, distinct texts)}``."""
    texts: dict[str, list[str]] = {}
    first: dict[str, tuple[int, str]] = {}
    for i, c in cands.items():
        if kinds[i] == LABEL and not (c.qa or c.qnum or c.bold or is_role_word(c.label)):
            k = key(c.label)
            texts.setdefault(k, []).append(" ".join(lines[i][c.text_col:].split()))
            first.setdefault(k, (i, c.label))
    out = {}
    for k, said in texts.items():
        distinct = set(said)
        if (len(said) >= TITLE_MIN_LINES and 2 * len(distinct) <= len(said)
                and sum(len(t.split()) for t in said) >= 4 * len(said)):
            out[k] = (*first[k], len(said), len(distinct))
    return out


def _link_surnames(cands: dict[int, _Cand], counts: dict[str, int]) -> None:
    """"RUTH ADEBAYO:" once and "ADEBAYO:" once are one speaker used twice."""
    by_surname: dict[str, set[str]] = {}
    for k in counts:
        words = k.split()
        if len(words) >= 2:
            by_surname.setdefault(words[-1], set()).add(k)
    for surname, fulls in by_surname.items():
        if surname in counts and len(fulls) == 1:
            full = next(iter(fulls))
            both = counts[surname] + counts[full]
            counts[surname] = counts[full] = both


def _unlabelled_speaker(lines, kinds, cands, respondent: str | None) -> str | None:
    """The speaker of unlabelled paragraphs when only an interviewer is labelled (else None)."""
    labels = {key(cands[i].label) for i in range(len(lines)) if kinds[i] == LABEL}
    if len(labels) != 1 or any(cands[i].qa or cands[i].qnum for i in cands if kinds[i] == LABEL):
        return None
    (only,) = labels
    if role_of_word(only) != INTERVIEWER:
        return None
    loose = sum(1 for i in range(len(lines)) if kinds[i] == CONT and (i == 0 or kinds[i - 1] in (BLANK, BREAK)))
    return (respondent or "Participant") if loose else None


def _heading_like(lines, i: int) -> bool:
    """A one-line paragraph without a sentence's end: a title, not speech."""
    one_line = i + 1 >= len(lines) or not lines[i + 1].strip()
    s = lines[i].strip()
    return one_line and len(s) <= 80 and not s.endswith((".", "?", "!", "…", '"', "”"))


def _said_end(line: str, pos: int, floor: int) -> int:
    """Where the said text of a line ends: before a trailing f4 stamp (``#00:00:12-3#``), so the
    stamp is in no turn's text and in no quote."""
    m = _F4_TRAIL.search(line)
    if m and pos + len(line[:m.start()].rstrip()) > floor:
        return pos + len(line[:m.start()].rstrip())
    return pos + len(line.rstrip())


def _build(lines, kinds, cands, context, result: LabelledResult, inquiry: bool, default: str | None = None) -> None:
    turns = result.turns
    witness = questioner = None
    cur: RawTurn | None = None
    pos = 0
    for i, line in enumerate(lines):
        kind = kinds[i]
        if default and kind == CONT and (i == 0 or kinds[i - 1] in (BLANK, BREAK)) and cur is None and not turns \
                and _heading_like(lines, i):
            kind = BREAK  # a title above the first turn
        elif default and kind == CONT and (i == 0 or kinds[i - 1] in (BLANK, BREAK)) \
                and (cur is None or cur.speaker != default):
            if cur is not None:
                turns.append(cur)
            col = len(line) - len(line.lstrip())
            cur = RawTurn(default, pos + col, pos + len(line.rstrip()), pos + col, None, default, RESPONDENT)
            pos += len(line) + 1
            continue
        if kind == LABEL:
            if cur is not None:
                turns.append(cur)
            c = cands[i]
            speaker = hint = None
            if c.qa == "Q":
                speaker, hint = questioner, INTERVIEWER
            elif c.qa == "A":
                speaker, hint = witness, RESPONDENT
            elif c.qnum:
                hint = INTERVIEWER
            end = _said_end(line, pos, pos + c.text_col)
            cur = RawTurn(c.label, pos + c.col, end, min(pos + c.text_col, end), c.timestamp, speaker, hint)
            if cur.timestamp is None:
                m = _F4_TRAIL.search(line)
                if m:
                    cur.timestamp = parse_time(m.group(1))
        elif kind == CONT:
            if cur is not None:
                cur.end = _said_end(line, pos, pos)
                if cur.timestamp is None:
                    m = _F4_TRAIL.search(line)
                    if m:
                        cur.timestamp = parse_time(m.group(1))
        elif kind == BREAK:
            if cur is not None:
                turns.append(cur)
                cur = None
            if inquiry and i in context:
                which, who = context[i]
                if which == "witness":
                    witness = who
                else:
                    questioner = who
        pos += len(line) + 1
    if cur is not None:
        turns.append(cur)
