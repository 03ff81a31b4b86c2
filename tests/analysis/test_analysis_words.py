"""The vectorised word count agrees with the transcript's own word count."""

import random
import re

import numpy as np

from qualcode.analysis.words import _BMP, count_words
from qualcode.domain.transcript import count_words as one


def test_word_table_is_python_regex_word_class():
    word = re.compile(r"\w")
    for i in range(65536):
        if 0xD800 <= i < 0xE000:
            continue
        assert _BMP[i] == bool(word.match(chr(i))), hex(i)


def test_counts_match_the_regex_on_tricky_and_random_text():
    tricky = ["don't stop", "a''b", "’tis", "rock 'n' roll", "naïve café", "x_y z9", "l'été c’est", "'", "a'",
              "'a'", "ab’cd’", "日本語 テキスト", "e\u0301t\u00e9", "x--y", "", "𝔘𝔫𝔦 word", "tab\there\nnew line",
              "\x00inside\x00", "it's—really—fine", "12,000 people; 3.5%"]
    rng = random.Random(7)
    alphabet = "ab c'’-\n\t.é日_9\U0001D518\x00"
    randoms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    quotes = tricky + randoms
    got = count_words(quotes)
    assert got.dtype == np.int64 and len(got) == len(quotes)
    assert got.tolist() == [one(q) for q in quotes]
    assert count_words([]).tolist() == []
