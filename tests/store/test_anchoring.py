from qualcode.domain.coding import Coding
from qualcode.domain.transcript import content_hash
from qualcode.store.anchoring import KEPT, MOVED, ORPHANED, anchor

OLD = "Interviewer: Hello.\n\nRuth: We monitor ethnicity on the board, but not in the theme groups. It took years.\n"


def coding_of(text, quote):
    s = text.index(quote)
    return Coding("c", "t", s, s + len(quote), "a", "r", quote=quote, th=content_hash(text))


def test_unchanged_is_kept():
    c = coding_of(OLD, "We monitor ethnicity on the board")
    assert anchor(c, OLD, content_hash(OLD)).status == KEPT


def test_text_inserted_before_moves_exactly():
    c = coding_of(OLD, "We monitor ethnicity on the board")
    new = "A new first line.\n" + OLD
    a = anchor(c, new, content_hash(new))
    assert a.status == MOVED and new[a.start:a.end] == c.quote


def test_quote_edited_moves_approximately_to_the_right_text():
    quote = "We monitor ethnicity on the board, but not in the theme groups."
    c = coding_of(OLD, quote)
    new = "Intro.\n" + OLD.replace("on the board, but not", "on the LSP board, though not")
    a = anchor(c, new, content_hash(new))
    assert a.status == MOVED
    assert new[a.start:a.end].startswith("We monitor ethnicity on the LSP board")
    assert new[a.start:a.end].endswith("theme groups.")


def test_quote_gone_is_orphaned_not_silently_kept():
    c = coding_of(OLD, "We monitor ethnicity on the board")
    new = "Interviewer: Hello.\n\nRuth: Something else entirely was said here.\n"
    assert anchor(c, new, content_hash(new)).status == ORPHANED


def test_nearest_of_several_occurrences():
    text = "yes. " * 50 + "We agree. " + "no. " * 50 + "We agree. "
    second = text.rindex("We agree.")
    c = Coding("c", "t", second, second + 9, "a", "r", quote="We agree.", th="old")
    new = "x" + text
    a = anchor(c, new, content_hash(new))
    assert a.status == MOVED and a.start == second + 1
