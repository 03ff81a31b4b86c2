"""Candidate segments: the passages the scorers rank.

A candidate is a sentence inside a respondent's turn (interviewer questions are context, not
candidates, unless asked for), as character offsets into the canonical text. Text with little or no
punctuation (raw speech-to-text) would give one endless "sentence", so any sentence longer than
``MAX_WORDS`` words is cut into windows of about ``WINDOW`` words, at a comma when one is near.
Paragraph breaks inside a turn always end a segment. Adjacent segments are merged later, by the
engine, when they get the same suggested code.

Turns with no role (a transcript with unlabelled speakers) are candidates; a transcript with no
turns at all is one region. A sentence of fewer than ``MIN_WORDS`` words ("No.", "Yes, of course.") is joined to
the next sentence of its paragraph. Text outside every turn is a candidate only where there is a lot of it
(``OUTSIDE_MIN_WORDS``: text the importer could not give a speaker, such as comments pasted before the
first labelled line); a bracketed note, a caption or a header is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, ORTH, SENT_START

from qualcode.domain.transcript import INTERVIEWER, Transcript
from qualcode.suggest.suggestion import overlap, overlaps_enough  # noqa: F401 (re-exported)

MAX_WORDS = 40
"""A sentence with more words than this is cut into windows."""
WINDOW = 28
"""Target window length in words (windows come out between about 25 and 30 words)."""
MIN_WORDS = 4
"""A sentence with fewer words is joined to the next one ("No. We haven't got any reserved seats.")."""
OUTSIDE_MIN_WORDS = 150
"""Text outside every turn with at least this many words (in one stretch) is a candidate region: content
the importer could not give a speaker (the coder may well have coded it), not a header or a note
(a hearing's header and witness list run to about 120 words)."""
SHORT_ANSWER = 6
"""A whole answer with fewer words ("I can.", "Yes.", "I think 2021.") is scored and shown together with
the question it answers: alone it means nothing."""
_PARA = re.compile(r"\n[ \t\f\v]*\n\s*")

Matches = Callable[[object], Iterable[tuple[str, int, int]]]
"""A function doc -> (key, token start, token end) for each rule match (see ``rules.RuleSet``)."""


@dataclass(slots=True)
class Segment:
    """One candidate passage: ``text[start:end]`` of transcript ``transcript``."""

    transcript: str
    start: int
    end: int
    turn: int | None
    """Index into ``Transcript.turns`` (None when the transcript has no turns)."""
    role: str | None
    lemmas: str
    """Lower-cased lemmas of its words, space-separated (what TF-IDF sees)."""
    words: int
    hits: tuple[str, ...] = ()
    """Keys of the codebook rules (``rules.RuleSet``) matched inside this segment."""
    context: str = ""
    """Lemmas of the interviewer's last question before this passage (empty when there is none)."""
    denied: tuple[str, ...] = ()
    """Keys of rules matched inside this segment but negated ("don't", "not", "never" just before)."""
    answer_start: int = -1
    """For a short answer scored with its question: where the answer starts (``start`` is where the
    question starts); -1 otherwise."""

    @property
    def length(self) -> int:
        return self.end - self.start


def regions(transcript: Transcript, include_interviewer: bool = False) -> list[tuple[int, int, int | None, str | None, bool]]:
    """Spans of spoken text: ``(start, end, turn index, role, candidate)``, in text order. Interviewer
    turns come with ``candidate=False`` (they are context: the question a passage answers) unless
    asked for; a stretch of at least ``OUTSIDE_MIN_WORDS`` words outside every turn is a region with no
    turn and no role."""
    text = transcript.text
    if not transcript.turns:
        return [(0, len(text), None, None, True)] if text.strip() else []
    out = []
    pos = 0
    for i, turn in sorted(enumerate(transcript.turns), key=lambda it: it[1].start):
        gap_end = max(0, min(turn.start, len(text)))
        if gap_end > pos and len(text[pos:gap_end].split()) >= OUTSIDE_MIN_WORDS:
            out.append((pos, gap_end, None, None, True))
        start = max(0, min(turn.text_start, len(text)))
        end = max(start, min(turn.end, len(text)))
        if text[start:end].strip():
            out.append((start, end, i, turn.role, include_interviewer or turn.role != INTERVIEWER))
        pos = max(pos, end)
    if len(text[pos:].split()) >= OUTSIDE_MIN_WORDS:
        out.append((pos, len(text), None, None, True))
    return out


def paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-empty paragraphs of ``text[start:end]`` (split at blank lines), as offsets."""
    out = []
    pos = start
    for m in _PARA.finditer(text, start, end):
        if text[pos:m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:end].strip():
        out.append((pos, end))
    return out


class _Tokens:
    """A paragraph doc as plain lists (much faster than creating a Token object per word)."""

    __slots__ = ("n", "idx", "length", "word", "lemma", "starts", "after_comma")

    def __init__(self, doc, commas: frozenset[int]) -> None:
        arr = doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE, LEMMA, SENT_START, ORTH])
        cols = arr.T.tolist() if len(doc) else [[]] * 7
        self.n = len(doc)
        self.idx, self.length = cols[0], cols[1]
        self.word = [not (p or sp) for p, sp in zip(cols[2], cols[3])]
        self.lemma = cols[4]
        self.starts = [i for i, v in enumerate(cols[5]) if v == 1] or [0]
        if self.starts[0] != 0:
            self.starts.insert(0, 0)
        orth = cols[6]
        self.after_comma = [i > 0 and orth[i - 1] in commas for i in range(self.n)]


def _windows(toks: _Tokens, words: list[int]) -> list[int]:
    """Token indices where windows start, for a sentence's word tokens (first word included)."""
    n = len(words)
    k = max(2, round(n / WINDOW))
    size = n / k
    starts = [words[0]]
    for j in range(1, k):
        target = int(round(j * size))
        best = target
        # prefer to start right after a comma, within a few words of the even cut
        for delta in (0, 1, -1, 2, -2, 3, -3):
            w = target + delta
            if 0 < w < n and toks.after_comma[words[w]]:
                best = w
                break
        starts.append(words[best])
    return sorted(set(starts))


def _pieces(toks: _Tokens) -> list[tuple[int, int, int]]:
    """Token ranges ``(start, end, words)`` of a paragraph's segments: sentences, long ones cut into
    windows, very short ones ("No.", "Yes, of course.") joined to the sentence after them (or before,
    at the end)."""
    word = toks.word
    bounds = toks.starts + [toks.n]
    pieces: list[list[int]] = []
    for a, b in zip(bounds, bounds[1:]):
        words = [i for i in range(a, b) if word[i]]
        if not words:
            if pieces:
                pieces[-1][1] = b
            continue
        if len(words) > MAX_WORDS:
            cuts = _windows(toks, words)
            for x, y in zip(cuts, cuts[1:] + [b]):
                pieces.append([x, y, sum(word[x:y])])
        else:
            pieces.append([a, b, len(words)])
    out: list[list[int]] = []
    carry: list[int] | None = None
    for p in pieces:
        if carry is not None:
            p = [carry[0], p[1], carry[2] + p[2]]
            carry = None
        if p[2] < MIN_WORDS:
            carry = p
            continue
        out.append(p)
    if carry is not None:
        if out:
            out[-1][1], out[-1][2] = carry[1], out[-1][2] + carry[2]
        else:
            out.append(carry)
    return [(a, b, w) for a, b, w in out]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def segment_transcript(nlp, transcript: Transcript, *, include_interviewer: bool = False,
                       matches: Matches | None = None, batch_size: int = 256) -> list[Segment]:
    """The candidate segments of a transcript, in text order.

    ``matches`` (``RuleSet.matches``) is run on each paragraph's doc; a match is attached to the
    segment that holds all of it.
    """
    text = transcript.text
    from qualcode.suggest.negation import negated

    paras: list[tuple[int, int, int | None, str | None, bool]] = []
    for start, end, turn, role, candidate in regions(transcript, include_interviewer):
        paras.extend((s, e, turn, role, candidate) for s, e in paragraphs(text, start, end))
    paras_in_turn: dict[int | None, int] = {}
    for p in paras:
        paras_in_turn[p[2]] = paras_in_turn.get(p[2], 0) + 1
    question_start = -1
    out: list[Segment] = []
    tid = transcript.id
    question = ""
    question_turn = None
    strings = nlp.vocab.strings
    commas = frozenset(strings.add(c) for c in (",", ";", ":", "-", "–", "—"))
    lemma_text: dict[int, str] = {}

    def lemmas(toks: _Tokens, a: int, b: int) -> str:
        out_words = []
        for i in range(a, b):
            if toks.word[i]:
                h = toks.lemma[i]
                w = lemma_text.get(h)
                if w is None:
                    w = lemma_text[h] = strings[h].lower()
                out_words.append(w)
        return " ".join(out_words)

    prev: tuple[int, int | None, _Tokens, int] | None = None
    """The paragraph before (start, turn, tokens, end), whoever spoke it."""
    docs = nlp.pipe((text[s:e] for s, e, *_ in paras), batch_size=batch_size)
    for (base, _pend, turn, role, candidate), doc in zip(paras, docs):
        toks = _Tokens(doc, commas)
        before, prev = prev, (base, turn, toks, _pend)
        if not candidate:  # an interviewer's question: context for the answers that follow
            words = lemmas(toks, 0, toks.n)
            if turn != question_turn:
                question_start = base
            question = f"{question} {words}" if turn == question_turn else words
            question_turn = turn
            continue
        context = question if role != INTERVIEWER else ""
        first = len(out)
        seg_of_tok: list[int] = [-1] * toks.n
        pieces = _pieces(toks)
        short = (len(pieces) == 1 and pieces[0][2] < SHORT_ANSWER and paras_in_turn.get(turn) == 1
                 and turn is not None)
        q_start, q_words = question_start, question
        if short and not (question and question_turn == turn - 1 and question_start >= 0):
            # no interviewer's question just before (a hearing whose counsel was taken for a witness,
            # a focus group): a question in the turn before, whoever asked it, is what "I can."
            # answers; after a statement ("Hear, hear.") it stays a passage of its own
            if before is not None and before[1] == turn - 1 and text[before[0]:before[3]].rstrip().endswith("?"):
                q_start, q_words = before[0], lemmas(before[2], 0, before[2].n)
            else:
                short = False
        for a, b, nwords in pieces:
            s_char, e_char = _trim(text, base + toks.idx[a], base + toks.idx[b - 1] + toks.length[b - 1])
            if e_char <= s_char or not nwords:
                continue
            idx = len(out)
            seg_of_tok[a:b] = [idx] * (b - a)
            if short:  # "Yes." alone means nothing: the passage is the question and its answer
                q_start, _ = _trim(text, q_start, s_char)
                out.append(Segment(tid, q_start, e_char, turn, role, f"{q_words} {lemmas(toks, a, b)}".strip(),
                                   nwords, context=context, answer_start=s_char))
            else:
                out.append(Segment(tid, s_char, e_char, turn, role, lemmas(toks, a, b), nwords, context=context))
        if matches is not None and len(out) > first:
            found: dict[int, set[str]] = {}
            denied: dict[int, set[str]] = {}
            for key, s, e in matches(doc):
                seg = seg_of_tok[s]
                if seg >= 0 and seg == seg_of_tok[e - 1]:
                    (denied if negated(doc, s, e) else found).setdefault(seg, set()).add(key)
            for seg, keys in found.items():
                out[seg].hits = tuple(sorted(keys))
            for seg, keys in denied.items():
                out[seg].denied = tuple(sorted(keys))
    return out


def adjacent(a: Segment, b: Segment) -> bool:
    """Whether ``b`` directly follows ``a`` in the same turn (only white space or nothing between)."""
    return a.transcript == b.transcript and a.turn == b.turn and b.start >= a.end
