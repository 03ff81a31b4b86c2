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


def test_a_short_quote_found_twice_is_placed_by_how_its_neighbours_moved():
    """After a line is added at the top that also says "Yes.", the coded "Yes." is the one further
    down: the codings around it moved by the added line's length, so it did too."""
    from qualcode.store.anchoring import anchor_many

    old = ("Interviewer: Do you monitor the board?\n\nRuth: Yes.\n\n"
           "Interviewer: And the theme groups?\n\nRuth: We monitor ethnicity in every theme group now.\n")
    short = coding_of(old, "Yes.")
    long = Coding("d", "t", old.index("We monitor"), old.index(" now."), "a", "r",
                  quote=old[old.index("We monitor"):old.index(" now.")], th=content_hash(old))
    added = "Interviewer: Shall we start? Ruth: Yes. Fine.\n\n"
    new = added + old
    alone = anchor(short, new, content_hash(new))
    assert alone.ambiguous == 2 and alone.start == new.index("Yes.")  # the nearest: the wrong one
    placed = anchor_many([short, long], new, content_hash(new))
    assert placed[0].status == MOVED and not placed[0].ambiguous
    assert placed[0].start == len(added) + short.start and new[placed[0].start:placed[0].end] == "Yes."
    assert placed[1].start == len(added) + long.start


def test_check_fix_leaves_a_coding_whose_short_quote_stands_in_two_places(project):
    from qualcode.services.check import check_project

    s = project.session("ann")
    t = project.transcript("int-1")
    start = t.text.index("honestly")
    s.add("int-1", start, start + len("honestly"), "theme")
    path = project.root / "transcripts" / "int-1.txt"
    raw = path.read_text(encoding="utf-8")
    path.write_text(raw.replace("Interviewer: Could you", "Interviewer: Speak honestly, please. Could you", 1),
                    encoding="utf-8")
    report = check_project(project, fix=True)
    item = next(m for m in report.moved if m["id"])
    assert item["ambiguous"] == 2
    assert any("stands in 2 places" in f.problem.message and "code remove" in f.problem.message
               for f in report.findings)
    assert project.codings("ann").codings[item["id"]].start == start  # left where it was, not moved


def test_code_list_shows_where_a_coding_is_after_its_transcript_changed(project):
    import json

    from tests.cli.test_cli import run

    s = project.session("ann")
    t = project.transcript("int-1")
    start = t.text.index("We monitor ethnicity")
    s.add("int-1", start, start + len("We monitor ethnicity"), "theme")
    s.close()
    path = project.root / "transcripts" / "int-1.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Could you start", "To begin, could you start", 1),
                    encoding="utf-8")
    shift = len("To begin, could you start") - len("Could you start")
    listed = run("--coder", "ann", "--project", project.root, "code", "list", check=0)
    assert f"{start + shift}" in listed.stdout and "[moved] We monitor ethnicity" in listed.stdout
    assert "shown where their text is now" in listed.stderr
    row, = json.loads(run("--coder", "ann", "--project", project.root, "code", "list", "--json", check=0).stdout)
    assert row["s"] == start and row["place"] == {"status": "moved", "s": start + shift, "e": start + shift + 20,
                                                  "quote": "We monitor ethnicity"}
    # a typo fixed inside the coded words: the list shows the words as they are now, not as they were
    path.write_text(path.read_text(encoding="utf-8").replace("We monitor ethnicity", "We monitor ethnicty", 1),
                    encoding="utf-8")
    listed = run("--coder", "ann", "--project", project.root, "code", "list", check=0)
    assert "We monitor ethnicty" in listed.stdout and "We monitor ethnicity" not in listed.stdout
    row, = json.loads(run("--coder", "ann", "--project", project.root, "code", "list", "--json", check=0).stdout)
    assert row["quote"] == "We monitor ethnicity" and row["place"]["quote"] == "We monitor ethnicty"
