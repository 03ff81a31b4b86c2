"""Scorer (a): the codebook's own keywords and phrases, matched on lemmas, weighted by rarity.

Works before anything is coded. Each keyword of a code is a rule:

- a phrase ("ethnic monitoring", "lost our jobs") is matched on lemmas with a ``PhraseMatcher``
  (``attr="LEMMA"``, patterns made by ``nlp.pipe`` so that they carry lemmas), so "monitoring
  forms" matches "monitoring form";
- a gapped phrase written with "..." ("monitor ... ethnicity", "lose ... job" for "lost our jobs")
  matches its parts in that order, inside one segment, with at most ``GAP`` tokens between them. Each
  part is a lemma phrase pattern; chaining them in Python is several times faster than spaCy's
  ``Matcher`` with a ``{0,8}`` wildcard and finds the same spans.

A rule that matches in many of the project's segments says little: a segment's score for a code
adds the IDF of each distinct rule of that code it matches (``log((1 + N) / (1 + df)) + 1`` over
the project's N segments) and squashes the sum into [0, 1) with ``1 - exp(-sum / SCALE)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher

from qualcode.domain.codebook import Codebook

GAP = 8
"""Most words allowed between the parts of a gapped phrase."""
NEGATED_WEIGHT = 0.5
"""A negated keyword of a topic code counts for this much of its weight ("we never did ethnic
monitoring" is still about monitoring, less surely)."""
SCALE = 3.0
"""One rare keyword (IDF about 6) scores about 0.86; one found in a third of the segments (IDF 2) 0.49."""


@dataclass(frozen=True)
class Rule:
    key: str
    code: str
    label: str
    """The keyword as written in the codebook (for the reason shown to the researcher)."""
    gapped: bool = False


class RuleSet:
    """All the codebook's keyword rules, compiled for one pipeline."""

    def __init__(self, nlp, codebook: Codebook, codes: list[str] | None = None) -> None:
        self.vocab = nlp.vocab
        self.rules: dict[str, Rule] = {}
        self.deny: dict[str, Rule] = {}
        """Words of an affirmative code's name that its negative sibling's name shares (``negation.name_terms``):
        matched only to see them negated, never scored."""
        self.by_code: dict[str, list[str]] = {}
        self.phrase = PhraseMatcher(nlp.vocab, attr="LEMMA")
        wanted = None if codes is None else set(codes)
        specs: list[tuple[str, list[str]]] = []
        for code in codebook.codes:
            if wanted is not None and code.id not in wanted:
                continue
            seen: set[str] = set()
            for kw in code.keywords:
                label = " ".join(str(kw).split())
                parts = [p.strip() for p in label.replace("…", "...").split("...") if p.strip()]
                norm = " ... ".join(p.lower() for p in parts)
                if not parts or norm in seen:
                    continue
                seen.add(norm)
                key = f"r{len(self.rules)}"
                self.rules[key] = Rule(key, code.id, label, len(parts) > 1)
                self.by_code.setdefault(code.id, []).append(key)
                specs.append((key, parts))
        flat = [p for _, parts in specs for p in parts]
        docs = iter(nlp.pipe(flat))
        # gapped phrases: each part is a phrase pattern of its own; ``matches`` chains them in order
        self.parts = PhraseMatcher(nlp.vocab, attr="LEMMA")
        part_keys: dict[tuple[str, ...], str] = {}
        self.gapped: list[tuple[str, list[str]]] = []
        self.by_first: dict[str, list[int]] = {}
        for key, parts in specs:
            part_docs = [next(docs) for _ in parts]
            if len(parts) == 1:
                self.phrase.add(key, [part_docs[0]])
                continue
            chain = []
            for doc in part_docs:
                lemmas = tuple(t.lemma_ for t in doc if not t.is_space)
                if lemmas not in part_keys:
                    part_keys[lemmas] = pk = f"p{len(part_keys)}"
                    self.parts.add(pk, [doc])
                chain.append(part_keys[lemmas])
            self.by_first.setdefault(chain[0], []).append(len(self.gapped))
            self.gapped.append((key, chain))
        self._add_name_terms(nlp, codebook, wanted)

    def _add_name_terms(self, nlp, codebook: Codebook, wanted) -> None:
        from qualcode.suggest.negation import NEGATORS, name_terms

        def content(text: str) -> list[tuple[str, str]]:
            return [(t.text, t.lemma_.lower() or t.lower_) for t in nlp(text)
                    if t.is_alpha and not t.is_stop and t.lower_ not in NEGATORS]

        for code, terms in sorted(name_terms(codebook, content).items()):
            if wanted is not None and code not in wanted:
                continue
            for term, doc in zip(terms, nlp.pipe(terms)):
                key = f"n{len(self.deny)}"
                self.deny[key] = Rule(key, code, term)
                self.phrase.add(key, [doc])

    def __len__(self) -> int:
        return len(self.rules)

    def codes_with_rules(self) -> set[str]:
        return set(self.by_code)

    def matches(self, doc) -> list[tuple[str, int, int]]:
        """Every rule match in ``doc``: ``(rule key, token start, token end)``."""
        strings = self.vocab.strings
        out = [(strings[m], s, e) for m, s, e in self.phrase(doc)]
        if not self.gapped:
            return out
        found: dict[str, list[tuple[int, int]]] = {}
        for m, s, e in self.parts(doc):
            found.setdefault(strings[m], []).append((s, e))
        for first, rules in self.by_first.items():
            if first not in found:
                continue
            for r in rules:
                key, chain = self.gapped[r]
                if any(p not in found for p in chain[1:]):
                    continue
                for s0, e0 in found[first]:
                    end = e0
                    for p in chain[1:]:
                        nxt = next((e for s, e in found[p] if end <= s <= end + GAP), None)
                        if nxt is None:
                            break
                        end = nxt
                    else:
                        out.append((key, s0, end))
        return out


class RuleScorer:
    """Scores segments from their rule hits, with IDF over a collection of segments."""

    name = "rules"

    def __init__(self, ruleset: RuleSet, scale: float = SCALE, polar: set[str] | frozenset[str] = frozenset()) -> None:
        self.ruleset = ruleset
        self.scale = scale
        self.polar = polar
        """Codes the codebook pairs with a negative sibling: a negated keyword of theirs never counts."""
        self.n = 0
        self.df: dict[str, int] = {}

    def fit(self, segments) -> "RuleScorer":
        """Count in how many segments each rule matches (the IDF's document frequency)."""
        df: dict[str, int] = {}
        n = 0
        for seg in segments:
            n += 1
            for key in seg.hits:
                df[key] = df.get(key, 0) + 1
        self.n, self.df = n, df
        return self

    def idf(self, key: str) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(key, 0))) + 1.0

    def score(self, segment) -> dict[str, tuple[float, list[str]]]:
        """``{code: (score, [keywords matched, rarest first])}`` for the codes this segment matches."""
        if not segment.hits and not segment.denied:
            return {}
        rules = self.ruleset.rules
        per_code: dict[str, list[tuple[float, str]]] = {}
        for key in segment.hits:
            rule = rules.get(key)
            if rule is not None:
                per_code.setdefault(rule.code, []).append((self.idf(key), rule.label))
        for key in segment.denied:  # negated: lowered for a topic code, nothing for a polar one
            rule = rules.get(key)
            if rule is not None and rule.code not in self.polar:
                per_code.setdefault(rule.code, []).append((NEGATED_WEIGHT * self.idf(key), f"{rule.label} (negated)"))
        out = {}
        for code, items in per_code.items():
            items.sort(reverse=True)
            total = sum(w for w, _ in items)
            out[code] = (1.0 - math.exp(-total / self.scale), [label for _, label in items])
        return out

    def denied(self, segment) -> dict[str, list[str]]:
        """``{code: [keywords]}`` for codes whose keywords this segment negates and does not also
        match plainly ("we don't work within the framework")."""
        if not segment.denied:
            return {}
        rules, names = self.ruleset.rules, self.ruleset.deny
        plain = {rules[k].code for k in segment.hits if k in rules}
        # a word of the code's name said plainly cancels only the name's own veto, not a keyword's
        plain_name = plain | {names[k].code for k in segment.hits if k in names}
        out: dict[str, list[str]] = {}
        for key in segment.denied:
            rule, said = (rules[key], plain) if key in rules else (names.get(key), plain_name)
            if rule is not None and rule.code not in said:
                out.setdefault(rule.code, []).append(rule.label)
        return out

    @staticmethod
    def reason(labels: list[str]) -> str:
        shown = ", ".join(f"'{label}'" for label in labels[:2])
        more = f" (+{len(labels) - 2} more)" if len(labels) > 2 else ""
        return f"matches {shown}{more}"
