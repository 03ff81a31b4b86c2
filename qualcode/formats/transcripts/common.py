"""Shared pieces: raw turns, rendering reconstructed formats, speakers (aliases) and roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.domain.transcript import INTERVIEWER, RESPONDENT, Turn

from .names import key, name_words, role_of_word, swap_surname_first


@dataclass
class RawTurn:
    """A turn before speakers and roles are settled: offsets into the final text."""

    label: str
    start: int
    end: int
    text_start: int
    timestamp: float | None = None
    speaker: str | None = None  # set by the parser when the label is not the speaker (inquiry "Q.")
    hint: str | None = None  # a role the layout itself implies (Parliament "Q12 X:", inquiry "A.")
    swap: bool = False  # "Surname, Forename" directory names (Teams)


@dataclass
class Seg:
    """One paragraph of a reconstructed transcript: a turn (``label`` set) or plain text."""

    body: str
    label: str | None = None
    timestamp: float | None = None
    prefix: str | None = None  # what is printed before the body; default "label:"
    speaker: str | None = None
    hint: str | None = None
    swap: bool = False
    extra: list[str] = field(default_factory=list)  # further parts to join (merged cues)


def merge_segs(segs: list[Seg], joiner: str) -> list[Seg]:
    """Merge consecutive segments of the same label (and consecutive unlabelled ones)."""
    out: list[Seg] = []
    for seg in segs:
        if not seg.body.strip() and seg.label is None:
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.label == seg.label and prev.speaker == seg.speaker:
            prev.extra.append(seg.body)
            if prev.timestamp is None:
                prev.timestamp = seg.timestamp
        else:
            out.append(seg)
    for seg in out:
        if seg.extra:
            seg.body = joiner.join(p for p in [seg.body, *seg.extra] if p.strip())
            seg.extra = []
    return out


def _clean_body(body: str) -> str:
    lines = [" ".join(line.split()) for line in body.split("\n")]
    return "\n".join(line for line in lines if line)


def render(segs: list[Seg]) -> tuple[str, list[RawTurn]]:
    """One paragraph per segment, ``Label: said`` for turns, a blank line between paragraphs."""
    parts: list[str] = []
    turns: list[RawTurn] = []
    pos = 0
    for seg in segs:
        body = _clean_body(seg.body)
        if seg.label is None:
            if not body:
                continue
            piece = body
        else:
            prefix = " ".join((seg.prefix or f"{seg.label}:").split())
            piece = f"{prefix} {body}" if body else prefix
            text_start = pos + len(prefix) + (1 if body else 0)
            turns.append(
                RawTurn(seg.label, pos, pos + len(piece), text_start, seg.timestamp, seg.speaker, seg.hint, seg.swap)
            )
        parts.append(piece)
        pos += len(piece) + 2
    text = "\n\n".join(parts)
    return (text + "\n" if text else text), turns


def _lookup(table: dict[str, str], folded: dict[str, str], label: str) -> str | None:
    if label in table:
        return table[label]
    return folded.get(key(label))


def _matches(name: str, speaker: str, label: str) -> bool:
    if key(name) in (key(speaker), key(label)):
        return True
    words = name_words(name)
    mine = name_words(speaker)
    return bool(mine) and mine <= words


def build_turns(
    raw: list[RawTurn],
    *,
    aliases: dict[str, str],
    declared: dict[str, str],
    known: dict[str, str | None],
    settle: bool = True,
) -> list[Turn]:
    """Settle each raw turn's speaker (aliases, surnames) and role.

    ``declared``: front matter name -> role ("" when the role is not given).
    ``known``: names from the document header -> role they imply (or None).
    ``settle``: give the speakers nothing in the document names a role (the one named speaker beside
    "Participant" asks; beside an interviewer, the others answer); off for a hearing, whose roles
    ``hearing.hearing_roles`` settles.
    """
    folded = {key(k): v for k, v in aliases.items()}
    # 1. explicit speakers: parser override, alias table, directory-name swap
    speakers: list[str] = []
    explicit: list[bool] = []
    for t in raw:
        base = (t.speaker or t.label).replace("’", "'")  # "O’Brien" (Word) and "O'Brien" are one person
        target = _lookup(aliases, folded, t.label) or (t.speaker and _lookup(aliases, folded, t.speaker))
        if target:
            speakers.append(target)
            explicit.append(True)
        else:
            speakers.append(swap_surname_first(base) if t.swap else base)
            explicit.append(False)
    # 2. surname only after the first appearance ("RUTH ADEBAYO:" ... "ADEBAYO:")
    full_names: dict[str, set[str]] = {}
    for name in [*speakers, *declared, *known]:
        words = name.split()
        if len(words) >= 2 and role_of_word(name) is None:
            full_names.setdefault(key(words[-1]), set()).add(name)
    first_seen: dict[str, str] = {}
    for s in speakers:
        first_seen.setdefault(key(s), s)
    for i, s in enumerate(speakers):
        if explicit[i] or len(s.split()) != 1 or role_of_word(s) is not None:
            continue
        options = full_names.get(key(s), set())
        by_key = {key(o): o for o in options}
        if len(by_key) == 1:
            target = next(iter(by_key.values()))
            speakers[i] = first_seen.get(key(target), target)
    # one spelling per speaker (the first one met)
    speakers = [first_seen.get(key(s), s) for s in speakers]
    roles = _roles(raw, speakers, declared, known, settle)
    return [
        Turn(speakers[i], t.start, t.end, t.text_start, t.timestamp, roles[key(speakers[i])], t.label)
        for i, t in enumerate(raw)
    ]


def _roles(raw, speakers, declared, known, settle: bool = True) -> dict[str, str | None]:
    labels: dict[str, list[RawTurn]] = {}
    display: dict[str, str] = {}
    for t, s in zip(raw, speakers):
        labels.setdefault(key(s), []).append(t)
        display.setdefault(key(s), s)
    roles: dict[str, str | None] = {}
    generic: set[str] = set()
    for k, turns in labels.items():
        speaker = display[k]
        role = None
        for name, value in declared.items():
            if value and any(_matches(name, speaker, t.label) for t in turns[:1]):
                role = value
                break
        if role is None:
            hints = {t.hint for t in turns if t.hint}
            role = INTERVIEWER if INTERVIEWER in hints else (RESPONDENT if hints else None)
        if role is None:
            words = {role_of_word(t.label) for t in {t.label: t for t in turns}.values()} | {role_of_word(speaker)}
            if INTERVIEWER in words:
                role = INTERVIEWER
            elif RESPONDENT in words:
                role = RESPONDENT
            elif "" in words and len(words - {None}) == 1:
                generic.add(k)
        if role is None and k not in generic:
            matches = {r for name, r in known.items() if r and _matches(name, speaker, turns[0].label)}
            if len(matches) == 1:
                role = matches.pop()
        roles[k] = role
    if not settle:
        return roles
    unknown = [k for k, r in roles.items() if r is None and k not in generic]
    if not any(r == INTERVIEWER for r in roles.values()) and len(unknown) == 1 and RESPONDENT in roles.values():
        roles[unknown[0]] = INTERVIEWER  # "Dan" beside "Participant": the one named speaker asks
    if any(r == INTERVIEWER for r in roles.values()):
        for k, r in roles.items():
            if r is None and k not in generic:
                roles[k] = RESPONDENT
    return roles
