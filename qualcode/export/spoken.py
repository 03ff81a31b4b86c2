"""The report's "spoken words" per transcript, counted as its note says they are.

The words of the speaker turns (``analysis.turns``, cached). Two cases the plain count gets wrong for
a reader of Table 1, handled here and named in the table's note:

- a transcript without speaker turns (a plain text with no labels): its count is the words of its
  whole text, and the note says which transcripts these are, instead of calling them words of turns;
- Chinese and Japanese, written without spaces between words: a "run of letters" is a whole clause
  or sentence, so 8 turns of Chinese counted 12 words. Each Han or kana character counts as one word
  there (the usual measure of length for these scripts), and the note says so. Only transcripts
  whose characters per word show they may hold such text are read again.
"""

from __future__ import annotations

import re

WORDS_DEFINED = ("Spoken words are the words of the speaker turns: speaker labels, timestamps and notes "
                 "before the first turn are not counted (a word is a run of letters or digits, with an "
                 "apostrophe inside it: \u201cdon't\u201d is one word).")

# Han ideographs (with extensions and compatibility forms), hiragana and katakana
UNSPACED = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
SUSPECT_CHARS_PER_WORD = 9
"""English, French or German text runs at 5 to 7 characters a word (labels and spaces included):
a transcript above this may be written without spaces, and is read to count its characters."""


def count_said(text: str) -> int:
    """Words in ``text``, each Chinese or Japanese character counting as one."""
    from qualcode.domain.transcript import count_words

    unspaced = len(UNSPACED.findall(text))
    if not unspaced:
        return count_words(text)
    return unspaced + count_words(UNSPACED.sub(" ", text))


def _said(transcript) -> tuple[int, bool]:
    """(words, whether it holds unspaced script) of the turns' text, else of the whole text."""
    texts = ([transcript.text[t.text_start:t.end] for t in transcript.turns] if transcript.turns
             else [transcript.text])
    unspaced = any(UNSPACED.search(t) for t in texts)
    return sum(count_said(t) for t in texts), unspaced


def spoken_words(project, entries) -> dict[str, int]:
    """The words spoken in each transcript: the text of its speaker turns, without the speaker labels,
    timestamps and any note before the first turn (a transcript without turns, or one that cannot be
    read: the index's count). From the turn cache (``analysis.turns``): the transcripts are read only
    when the cache does not have them yet, one at a time."""
    return spoken_table(project, entries)[0]


def spoken_table(project, entries) -> tuple[dict[str, int], str]:
    """``spoken_words``, with Chinese and Japanese counted by character, and what the table's note
    adds to ``WORDS_DEFINED`` about them and about transcripts without turns ("" when nothing)."""
    from qualcode.analysis.turns import turn_table

    records = turn_table(project).many([e.id for e in entries])
    out: dict[str, int] = {}
    unspaced: list[str] = []
    for e in entries:
        rec = records.get(e.id)
        out[e.id] = rec.words if rec is not None and rec.words is not None else e.words
        if e.chars > SUSPECT_CHARS_PER_WORD * max(1, e.words):
            try:
                words, cjk = _said(project.transcript(e.id))
            except Exception:  # a transcript that cannot be read keeps the index's count
                continue
            if cjk:
                out[e.id] = words
                unspaced.append(e.id)
    no_turns = [e.id for e in entries if not e.turns]
    notes = []
    if no_turns:
        notes.append(f"{_listed(no_turns)} {'has' if len(no_turns) == 1 else 'have'} no speaker turns: "
                     f"{'its' if len(no_turns) == 1 else 'their'} count is the words of the whole text.")
    if unspaced:
        notes.append("In Chinese and Japanese, written without spaces between words, each character counts "
                     f"as a word ({_listed(unspaced)}).")
    return out, " ".join(notes)


def _listed(ids: list[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit:,} more" if len(ids) > limit else "")
