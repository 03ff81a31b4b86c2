"""Negation and hedges near a keyword: "we **don't** work within the framework", "it's **not** on the website".

A keyword match is *negated* when a negator stands in the few words before it, in the same clause
(the look-back stops at punctuation and at a contrast such as "but"). A negated match counts for
half its weight (``rules.NEGATED_WEIGHT``) for a topic code, and not at all where the codebook itself
separates yes from no (the code has a sibling for the
negative case: ``pmf.none`` beside ``pmf.published``, ``statutory.framework.outside`` beside
``.within``; see ``polar_codes``), the passage says the opposite of the code, and the engine does not
suggest that code for it at all (``rank.py``). A topic code ("Monitoring of members") still takes a
passage about the absence of monitoring.
"""

from __future__ import annotations

WINDOW = 8
"""Words looked back from the start of a match."""
NEGATORS = frozenset(
    "not n't no never nobody none nothing neither nor nowhere hardly barely scarcely without cannot "
    "dont doesnt didnt isnt wasnt arent werent havent hasnt hadnt cant couldnt wont wouldnt shouldnt "
    "aint".split())
BOUNDARIES = frozenset(", ; : . ? ! ( ) - – — but however although though whereas yet".split())


def negated(doc, start: int, end: int, window: int = WINDOW) -> bool:
    """Whether the match ``doc[start:end]`` is negated by a word shortly before it in its clause."""
    i = start - 1
    seen = 0
    while i >= 0 and seen < window:
        tok = doc[i]
        low = tok.lower_
        if low in BOUNDARIES or tok.is_space:
            if low in BOUNDARIES:
                break
        elif low in NEGATORS:
            return True
        else:
            seen += 1
        if tok.is_sent_start:
            break
        i -= 1
    return False


NEGATIVE_NAMES = frozenset("no none not never outside without under non lack lacking absent".split())


def _words(text: str) -> set[str]:
    import re

    return set(re.split(r"[^a-z]+", text.lower())) - {""}


def polar_codes(codebook) -> set[str]:
    """Codes whose siblings include a negative case (an id or name saying no, none, not, outside...):
    for these, a negated keyword means the other sibling, so the code is not suggested."""
    out: set[str] = set()
    groups: dict[str | None, list] = {}
    for code in codebook.codes:
        groups.setdefault(code.parent, []).append(code)
    for parent, codes in groups.items():
        if len(codes) < 2:
            continue
        if any(_words(c.id.rsplit(".", 1)[-1]) & NEGATIVE_NAMES or
               (_words(c.name) & NEGATIVE_NAMES and len(_words(c.name)) <= 4) for c in codes):
            out.update(c.id for c in codes)
    return out
