"""Coder ids for the users of a REFI-QDA file: ASCII ids a researcher recognises as their coders.

A coder id names the coder's journal (``codings/<id>.jsonl``), is typed after ``--coder`` and travels
through git to every platform, so it is ASCII: ``[A-Za-z0-9][A-Za-z0-9_.-]{0,63}``
(``store.journal.CODER_NAME``); the ids made here leave out the dot too, as a journal whose name has
one is found on disk only when qualcode.toml lists its coder. A user's name becomes one as follows
(``coder_id``):

- Latin letters lose their accents (``José Núñez`` -> ``Jose_Nunez``); letters that do not decompose
  are spelled out (``ß`` -> ``ss``, ``Ø`` -> ``O``, ``Ł`` -> ``L``, ``Æ`` -> ``AE``, ``Þ`` -> ``Th``);
- Cyrillic and Greek are transliterated (``Анна`` -> ``Anna``, ``Сергей Иванов`` -> ``Sergey_Ivanov``,
  ``Γιώργος`` -> ``Giorgos``), Hangul by the Revised Romanization (``김민준`` -> ``Gimminjun``), kana
  by Hepburn (``さくら`` -> ``Sakura``);
- a name in a script that cannot be transliterated without a dictionary (Chinese characters, Arabic,
  Hebrew, Devanagari, Thai ...) takes the user's ``id`` when the file gives one that reads as an id
  (NVivo's initials: ``LN``), else the script and six hex digits of the name's hash: ``张伟`` ->
  ``han-`` followed by them, the same id for the same name in every file and on every machine.

Spaces and punctuation (the dot too: ``ATLAS.ti`` -> ``ATLAS_ti``) become ``_``. The user's name as
written is kept beside the id (``[refi.users]`` in qualcode.toml, ``services.interchange.coder_names``),
printed by ``import-project`` and written back on export.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_ALLOWED = re.compile(r"[^A-Za-z0-9_-]+")
_LATIN = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H", "ŋ": "ng",
    "Ŋ": "NG", "ſ": "s", "ĸ": "q", "ŀ": "l", "Ŀ": "L", "ƒ": "f",
}
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian, Belarusian, Serbian, Macedonian, Kazakh
    "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
    "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "ә": "a", "ғ": "g", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u",
    "ү": "u", "һ": "h",
}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_GREEK_PAIRS = {"ου": "ou", "αυ": "av", "ευ": "ev", "ηυ": "iv", "μπ": "mp", "ντ": "nt", "γκ": "gk"}
_TABLES = (_LATIN, _CYRILLIC, _GREEK)

# Hangul syllables: initial x medial x final (Revised Romanization, without sound changes)
_HANGUL_INITIAL = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_HANGUL_MEDIAL = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_HANGUL_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
                 "t", "t", "ng", "t", "t", "k", "t", "p", "t"]
# kana: Unicode names spell them in Kunrei-shiki; these are their Hepburn spellings
_KANA_HEPBURN = {"si": "shi", "ti": "chi", "tu": "tsu", "hu": "fu", "zi": "ji", "di": "ji", "du": "zu",
                 "wi": "i", "we": "e", "wo": "o", "vu": "vu"}
_SCRIPT_LABEL = {"cjk": "han", "hiragana": "kana", "katakana": "kana"}
MAX_ID = 64


def _kana(ch: str) -> str | None:
    """A kana's Hepburn syllable (``さ`` -> ``sa``); ``"~small-<vowel>"``/``"~tsu"``/``"~long"`` for
    the small letters and the long-vowel mark, which change the syllable before or after them."""
    name = unicodedata.name(ch, "")
    if name == "KATAKANA-HIRAGANA PROLONGED SOUND MARK":
        return "~long"
    m = re.match(r"^(?:HIRAGANA|KATAKANA) LETTER (SMALL )?([A-Z]+)$", name)
    if not m:
        return None
    syllable = m.group(2).lower()
    if m.group(1):
        return "~tsu" if syllable == "tu" else f"~small-{syllable}"
    return _KANA_HEPBURN.get(syllable, syllable)


def _hangul(ch: str) -> str | None:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return None
    initial = _HANGUL_INITIAL[code // 588]
    return ("" if initial == "-" else initial) + _HANGUL_MEDIAL[(code % 588) // 28] + _HANGUL_FINAL[code % 28]


def _bare(ch: str) -> str:
    """``ch`` without its accents (``ύ`` -> ``υ``)."""
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)) or ch


def _caseless(ch: str) -> bool:
    return _hangul(ch) is not None


def _one(ch: str) -> str | None:
    """One character in ASCII, or None when it is a letter of a script qualcode cannot transliterate.
    Anything that is not a letter or a digit becomes a space."""
    if ch.isascii():
        return ch if ch.isalnum() or ch in "_-" else " "
    low = ch.lower()
    for table in _TABLES:
        if ch in table:
            return table[ch]
        if low in table:
            out = table[low]
            return out[:1].upper() + out[1:]
    out = _hangul(ch)
    if out is not None:
        return out
    category = unicodedata.category(ch)
    if category == "Nd":
        return str(unicodedata.digit(ch))
    if not category.startswith(("L", "M", "N")):
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and base != ch:
        parts = [_one(c) for c in base]
        if all(p is not None for p in parts):
            return "".join(parts)  # type: ignore[arg-type]
    if category.startswith("M"):
        return ""
    return None


def transliterate(text: str) -> tuple[str, list[str]]:
    """``text`` in ASCII letters, digits, ``_-`` and spaces, and the scripts of the letters that could
    not be transliterated (lower-case script names, in order of appearance; empty when all could)."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    missing: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        pair = "".join(_bare(c) for c in text[i:i + 2]).lower()
        if pair in _GREEK_PAIRS:
            got = _GREEK_PAIRS[pair]
            both = text[i + 1].isupper()
            out.append(got.upper() if ch.isupper() and both else got.capitalize() if ch.isupper() else got)
            i += 2
            continue
        kana = _kana(ch)
        if kana is not None:
            _add_kana(out, kana)
            if len(out) == 1 or (len(out) > 1 and out[-2].endswith(" ")):
                out[-1] = out[-1].capitalize()
            i += 1
            continue
        got = _one(ch)
        if got is None:
            script = unicodedata.name(ch, "other").split()[0].lower()
            missing.append(_SCRIPT_LABEL.get(script, script))
            out.append(" ")
        else:
            shouting = any(0 <= j < len(text) and text[j].isupper() for j in (i - 1, i + 1))
            if len(got) > 1 and ch.isupper() and shouting:
                got = got.upper()  # ЮЛИЯ -> YULIYA, not YuLIYa
            elif got and _caseless(ch) and (not out or out[-1].endswith(" ")):
                got = got.capitalize()  # 김민준 -> Gimminjun
            out.append(got)
        i += 1
    return "".join(out), list(dict.fromkeys(missing))


def _add_kana(out: list[str], kana: str) -> None:
    prev = out[-1] if out else ""
    if kana == "~long":
        if prev and prev[-1] in "aeiou":
            out.append(prev[-1])
    elif kana == "~tsu":
        out.append("\x00")  # doubles the next consonant
    elif kana.startswith("~small-"):
        vowel = kana[len("~small-"):]
        if vowel in ("ya", "yu", "yo") and len(prev) >= 2 and prev.endswith("i"):
            stem = prev[:-1]
            out[-1] = stem + (vowel[1:] if stem.lower() in ("sh", "ch", "j") else vowel)  # しゃ -> sha
        else:
            out.append(vowel)
    else:
        if prev == "\x00":
            out[-1] = "t" if kana.startswith("ch") else kana[0] if kana[0] not in "aeiou" else ""
        out.append(kana)


def _cleaned(text: str, limit: int) -> str:
    return _ALLOWED.sub("_", text).strip("_-")[:limit].strip("_-")


def name_hash(name: str) -> str:
    """Six hex digits of the name (NFC, surrounding spaces ignored): the same on every machine."""
    return hashlib.sha1(unicodedata.normalize("NFC", name.strip()).encode("utf-8")).hexdigest()[:6]


def base_id(name: str, user_id: str = "") -> str:
    """The coder id a user's name (and ``id`` attribute) gives, before any clash is resolved."""
    ascii_name, missing = transliterate(name)
    if not missing:
        base = _cleaned(ascii_name, MAX_ID - 8)
        if base:
            return base
    if user_id:
        ascii_id, id_missing = transliterate(user_id)
        base = _cleaned(ascii_id, MAX_ID - 8)
        if base and not id_missing:
            return base
    if not missing:
        return f"user-{name_hash(name)}" if name.strip() else "user"
    kept = _cleaned(ascii_name, MAX_ID - 16)
    return f"{kept or missing[0]}-{name_hash(name)}"


def coder_id(name: str, taken: set[str], user_id: str = "") -> str:
    """A coder id for a user called ``name`` (its ``id`` attribute a fallback), not one of ``taken``
    (compared case-insensitively: journal files are one per id on a case-insensitive disk too);
    it is added to ``taken``."""
    base = base_id(name, user_id)
    if not base[0].isalnum():
        base = "u" + base
    folded = {t.casefold() for t in taken}
    cand, n = base, 2
    while cand.casefold() in folded:
        cand = f"{base}-{n}"
        n += 1
    taken.add(cand)
    return cand
