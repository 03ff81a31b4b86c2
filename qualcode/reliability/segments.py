"""Units of text for agreement: sentences and speaker turns (pure Python, deterministic).

Agreement must not depend on spaCy, so sentences come from a light regex splitter that runs
inside each block of text: each speaker turn's words (``text[turn.text_start:turn.end]``, the
label left out) and each stretch of text outside any turn (a note at the top, a transcript
without speaker labels). A sentence ends at ``.``, ``!``, ``?`` or ``…`` (optionally followed by
closing quotes or brackets) when whitespace follows and the next word does not start with a
lower-case letter, and at a blank line. A full stop after a common abbreviation (Mr, Dr, e.g.,
etc.) or a single capital letter (an initial) does not end a sentence. Every span is trimmed of
surrounding whitespace; whitespace between sentences belongs to no unit.
"""

from __future__ import annotations

import re

from qualcode.domain.transcript import Transcript

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n[ \t]*\n")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st rev cllr sr jr vs etc e.g eg i.e ie no nos approx cf fig al ca gov dept".split()
)
_LAST_WORD = re.compile(r"([\w.]+)[.]$")


def _around_turns(transcript: Transcript, with_labels: bool) -> list[tuple[int, int]]:
    """Each turn (from its label, or from what was said) and each stretch of text outside turns."""
    text = transcript.text
    out: list[tuple[int, int]] = []
    pos = 0
    for turn in transcript.turns:
        if turn.start > pos:
            out.append((pos, turn.start))
        out.append((turn.start if with_labels else turn.text_start, turn.end))
        pos = max(pos, turn.end)
    if pos < len(text):
        out.append((pos, len(text)))
    return [(s, e) for s, e in (_trim(text, s, e) for s, e in out) if s < e]


def blocks(transcript: Transcript) -> list[tuple[int, int]]:
    """The stretches sentences are split in: each turn's words, and the text outside turns."""
    return _around_turns(transcript, with_labels=False)


def turn_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """One unit per speaker turn (label included), plus each stretch of text outside the turns
    that holds more than whitespace; the whole text when the transcript has no turns."""
    return _around_turns(transcript, with_labels=True)


def sentence_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """Sentences inside each block (see the module docstring), in text order, never overlapping."""
    text = transcript.text
    out: list[tuple[int, int]] = []
    for lo, hi in blocks(transcript):
        start = lo
        for m in _END.finditer(text, lo, hi):
            if m.group().startswith("\n"):
                cut = m.start()
            else:
                cut = m.end()
                if not _ends_sentence(text, m.start(), cut, hi):
                    continue
            s, e = _trim(text, start, cut)
            if s < e:
                out.append((s, e))
            start = cut
        s, e = _trim(text, start, hi)
        if s < e:
            out.append((s, e))
    return out


def _ends_sentence(text: str, mark: int, cut: int, hi: int) -> bool:
    """Whether the punctuation at ``mark`` (ending at ``cut``) closes a sentence."""
    if text[mark] == ".":
        word = _LAST_WORD.search(text, max(0, mark - 12), mark + 1)
        if word:
            w = word.group(1).lower()
            if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha() and text[word.start(1)].isupper()):
                return False
    nxt = cut
    while nxt < hi and text[nxt].isspace():
        nxt += 1
    return nxt >= hi or not text[nxt].islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
