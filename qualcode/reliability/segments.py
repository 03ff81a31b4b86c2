"""Units of text for agreement: sentences and speaker turns (pure Python, deterministic).

Agreement must not depend on spaCy, so sentences come from a light regex splitter that runs
inside each block of text: each speaker turn's words (``text[turn.text_start:turn.end]``, the
label left out) and each stretch of text outside any turn (a note at the top, a transcript
without speaker labels). Every span is trimmed of surrounding whitespace; whitespace between
sentences belongs to no unit. The rule (docs/reliability.md, "Sentences"):

* A blank line ends a sentence.
* ``!``, ``?``, ``…`` or ``...`` (optionally followed by closing quotes or brackets) followed by
  whitespace end a sentence unless the next word starts with a lower-case letter ("you are?” and").
* A full stop followed by whitespace ends a sentence ("No.", "no.", "So.", "Uh. yeah" all end one),
  except where the next token shows an abbreviation:
  a title (Mr, Mrs, Ms, Dr, Prof, Rev, Cllr, St, ...) before a capitalised word (a name);
  No., Nos., p., pp., vol., fig., para., ch., sec., art. before a number;
  e.g., i.e., cf., vs., viz., et al. always; etc., approx. and dotted acronyms (U.K., a.m.) before a
  lower-case word or a number; and a single capital initial (J. Smith, not "I." or "A.") before a
  capitalised word.
"""

from __future__ import annotations

import re

from qualcode.domain.transcript import Transcript

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n[ \t]*\n")
_TITLES = frozenset("mr mrs ms mx dr prof rev revd cllr st sr jr sgt capt col gen lt hon rt fr".split())
_BEFORE_NUMBER = frozenset("no nos p pp vol vols fig figs para paras ch sec art q".split())
_ALWAYS = frozenset("e.g eg i.e ie cf vs viz al".split())
_BEFORE_LOWER = frozenset("etc approx ca dept gov".split())
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
    """Whether the punctuation at ``mark`` (ending at ``cut``) closes a sentence (module docstring)."""
    nxt = cut
    while nxt < hi and text[nxt].isspace():
        nxt += 1
    if nxt >= hi:
        return True
    following = text[nxt]
    lower, digit, upper = following.islower(), following.isdigit(), following.isupper()
    if text[mark] != "." or text.startswith("...", mark):
        return not lower
    word = _LAST_WORD.search(text, max(0, mark - 12), mark + 1)
    if not word:
        return True
    w = word.group(1).lower()
    if w in _ALWAYS:
        return False
    if w in _TITLES:
        return not upper
    if w in _BEFORE_NUMBER:
        return not digit
    if w in _BEFORE_LOWER or "." in w:
        return not (lower or digit)
    if len(w) == 1 and w.isalpha() and text[word.start(1)].isupper() and w not in "ia":
        return not upper
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
