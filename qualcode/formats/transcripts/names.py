"""What a speaker label looks like: role words, header keys, name shape, time stamps."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT

# Role words (case-insensitive, optional number: "Interviewer 2", "P1", "B2").
_INTERVIEWER_WORDS = (
    "interviewer|int|i|ir|iv|q|question|questioner|researcher|moderator|facilitator|chair|chairman|"
    "chairwoman|chairperson|the chair|host|counsel|counsel inquiry|counsel to the inquiry|lead counsel|"
    "examiner|investigator"
)
_RESPONDENT_WORDS = (
    "respondent|resp|interviewee|ie|participant|p|r|a|b|answer|narrator|witness|the witness|"
    "informant|befragte|befragter|guest"
)
_GENERIC_WORDS = "speaker|unknown speaker|unknown|unidentified speaker|unidentified"
_INTERVIEWER_RE = re.compile(rf"(?:{_INTERVIEWER_WORDS})[ ]?\d{{0,3}}", re.I)
_RESPONDENT_RE = re.compile(rf"(?:{_RESPONDENT_WORDS})[ ]?\d{{0,3}}", re.I)
_GENERIC_RE = re.compile(rf"(?:{_GENERIC_WORDS})[ ]?\d{{0,3}}", re.I)

# "Key:" lines that are document header fields, never speakers.
HEADER_KEYS = frozenset(
    (
        "date", "time", "place", "location", "venue", "duration", "length", "title", "project",
        "transcriber", "transcribed by", "transcription", "transcript", "subject", "topic",
        "members present", "present", "witnesses", "in attendance", "apologies", "oral evidence",
        "written evidence", "recording", "recorded", "recorded by", "file", "filename", "audio",
        "audio file", "interview date", "interview time", "language", "keywords", "source", "note",
        "notes", "date of interview", "place of interview", "interview location", "tape", "session",
        "interview", "meeting", "event", "attendees", "participants present",
    )
)
# Header-block keys whose value names people (and the role those people play).
NAME_KEYS = {
    "interviewer": INTERVIEWER, "interviewers": INTERVIEWER, "researcher": INTERVIEWER,
    "moderator": INTERVIEWER, "facilitator": INTERVIEWER, "members present": INTERVIEWER,
    "interviewee": RESPONDENT, "narrator": RESPONDENT, "respondent": RESPONDENT,
    "participant": RESPONDENT, "participants": None, "witnesses": RESPONDENT, "present": None,
    "in attendance": None, "speakers": None, "attendees": None,
}
TITLES = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron councillor cllr rev revd "
    "reverend judge justice father sister brother rt hon mp kc qc the".split()
)
_PARTICLES = frozenset("de da del della der den di du van von la le of the to and y bin ibn al el st".split())
# Capitalised words that start sentences and headings, not names (single-word labels only).
_NOT_NAMES = frozenset(
    """yes no well so and but or note notes nb example examples warning update edit source sources link
    links summary re ps ok okay thanks also then now here there this that it he she they we you reason
    result chapter part section page figure table step day track side appendix annex agenda action
    actions decision outcome conclusion introduction background important""".split()
)
_NOT_NAME_FIRST = frozenset("chapter part section page figure table step appendix annex item".split())

_WORD_OK = re.compile(r"[^\W\d_][\w'’.\-]*|\d{1,3}[A-Za-z]?|[A-Z]{1,3}\d{0,3}|[a-z]{1,2}['’]\w+", re.U)
_BAD_CHARS = frozenset('?!;"“”…«»<>{}=/\\|@#*_[]()')

TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,\-]\d{1,3})?"
_TS_RE = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,\-](\d{1,3}))?")


def parse_time(text: str) -> float | None:
    """Seconds from ``H:MM:SS``, ``M:SS``, ``HH:MM:SS.mmm`` (VTT), ``HH:MM:SS,mmm`` (SRT),
    f4 ``HH:MM:SS-d`` (tenths) or older Teams ``H:M:S.fff``; None when ``text`` is no time."""
    m = _TS_RE.fullmatch(text.strip())
    if not m:
        return None
    hours, minutes, seconds, frac = m.groups()
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if frac:
        value += int(frac) / 10 ** len(frac)
    return round(value, 3)


@lru_cache(maxsize=8192)
def key(label: str) -> str:
    """Case- and space-insensitive comparison key of a label."""
    return " ".join(label.replace("’", "'").split()).casefold()


@lru_cache(maxsize=8192)
def role_of_word(label: str) -> str | None:
    """INTERVIEWER / RESPONDENT for role words, "" for generic speakers, None for names."""
    text = " ".join(label.split())
    if _INTERVIEWER_RE.fullmatch(text):
        return INTERVIEWER
    if _RESPONDENT_RE.fullmatch(text):
        return RESPONDENT
    if _GENERIC_RE.fullmatch(text):
        return ""
    return None


def is_role_word(label: str) -> bool:
    return role_of_word(label) is not None


def is_header_key(label: str) -> bool:
    return key(label) in HEADER_KEYS


@lru_cache(maxsize=8192)
def looks_like_name(label: str, *, allow_comma: bool = False) -> bool:
    """A short label of capitalised words ("Dr d'Aquin", "Participant 2", "RUTH ADEBAYO")."""
    if not label or len(label) > 48 or is_header_key(label):
        return False
    if is_role_word(label):
        return True
    if any(c in _BAD_CHARS for c in label):
        return False
    if "," in label:
        if not allow_comma or label.count(",") != 1:
            return False
        label = label.replace(",", " ")
    words = label.split()
    if not 1 <= len(words) <= 5:
        return False
    first = words[0]
    if not _capital(first[0]) or key(first).rstrip(".") in _NOT_NAME_FIRST:
        return False
    if len(words) == 1 and key(first).rstrip(".") in _NOT_NAMES:
        return False
    for i, word in enumerate(words):
        if not _WORD_OK.fullmatch(word):
            return False
        if "." in word.rstrip(".") or (word.endswith(".") and len(word) > 4):
            return False
        if i and not (_capital(word[0]) or word[0].isdigit() or word.casefold() in _PARTICLES
                      or re.match(r"[a-z]{1,2}['’]", word)):
            return False
    return True


def _capital(ch: str) -> bool:
    """An upper-case letter, or a letter of a script without case (names in CJK, Arabic ...)."""
    return ch.isupper() or (ch.isalpha() and ch.lower() == ch.upper())


def name_words(label: str) -> set[str]:
    """The words of a name that identify the person (titles dropped), case-folded."""
    return {w for w in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", key(label)) if w not in TITLES}


def swap_surname_first(label: str) -> str:
    """Directory style "Keane, Tom" -> "Tom Keane" (other labels unchanged)."""
    if label.count(",") != 1:
        return label
    surname, forename = (part.strip() for part in label.split(","))
    if surname and forename and looks_like_name(surname) and looks_like_name(forename):
        return f"{forename} {surname}"
    return label


def slug(text: str) -> str:
    """Lower-case id made of ``[a-z0-9_-]``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9_-]+", "-", folded).strip("-")
    return out or "transcript"
