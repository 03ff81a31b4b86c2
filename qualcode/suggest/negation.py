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


RESTRICTIVE = frozenset("only just except alone solely exclusively".split())
"""Words that make an affirmative name partly negative: "Monitors sub-group members only" is what
"the board isn't monitored" says, so its words negated are no reason against it."""
NEGATIVE_NAMES = frozenset("no none not never outside without under non lack lacking absent".split())


def _words(text: str) -> set[str]:
    import re

    return set(re.split(r"[^a-z]+", text.lower())) - {""}


def is_negative(code) -> bool:
    """Whether the code is a negative case: its id or its (short) name says no, none, not, outside..."""
    name = _words(_unquoted(code.name))
    said = NEGATIVE_NAMES | NEGATORS
    return bool(_words(code.id.rsplit(".", 1)[-1]) & said or (name & said and len(name) <= 4))


def _unquoted(text: str) -> str:
    """"Didn't use" -> "Didnt use", so that the contracted negators read as words."""
    return text.replace("'", "").replace("\u2019", "")


def _polar_groups(codebook) -> list[list]:
    groups: dict[str | None, list] = {}
    for code in codebook.codes:
        groups.setdefault(code.parent, []).append(code)
    return [codes for codes in groups.values() if len(codes) >= 2 and any(is_negative(c) for c in codes)]


def polar_codes(codebook) -> set[str]:
    """Codes whose siblings include a negative case (an id or name saying no, none, not, outside...):
    for these, a negated keyword means the other sibling, so the code is not suggested."""
    return {c.id for codes in _polar_groups(codebook) for c in codes}


def name_terms(codebook, content_lemmas) -> dict[str, list[str]]:
    """For each affirmative code of a polar group, the words of its name that a negative sibling's
    name uses too: "Uses PDPs and ICE plots" beside "Does not use PDPs or ICE plots" gives use, PDP,
    ICE, plot. A passage that negates them ("I don't use ICE plots") and uses none of them plainly
    says the negative sibling, with or without keywords in the codebook.

    Only where the two names share at least half of the affirmative one's words ("Comparing
    different types of plots" and "No good approach to which plots to look at" share just "plots").
    ``content_lemmas(text)`` gives ``[(word as written, lemma)]`` for the content words of a name."""
    out: dict[str, list[str]] = {}
    for codes in _polar_groups(codebook):
        negative = [c for c in codes if is_negative(c)]
        said_no = {lemma for c in negative for _, lemma in content_lemmas(c.name)}
        for code in codes:
            if code in negative or _words(_unquoted(code.name)) & (NEGATORS | RESTRICTIVE):
                continue
            words = content_lemmas(code.name)
            terms = [word for word, lemma in words if lemma in said_no]
            if terms and 2 * len(terms) >= len(words):  # opposites share most of their words
                out[code.id] = list(dict.fromkeys(terms))
    return out
