"""Reshaping a codebook (pure functions) and saving it in place: only the changed lines, comments kept."""

import difflib
import shutil

import pytest

from qualcode.domain import codebook_edit as edit
from qualcode.errors import CodebookError, QualcodeError
from qualcode.formats.codebook_yaml import load_codebook, parse_codebook, save_codebook
from tests.conftest import REPO

BUNDLED = REPO / "codebooks" / "lsp-participation.yaml"


@pytest.fixture
def bundled(tmp_path):
    path = tmp_path / "codebook.yaml"
    shutil.copy(BUNDLED, path)
    return path


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = [d for d in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
            if not d.startswith(("---", "+++", "@@"))]
    return [d[1:] for d in diff if d.startswith("+")], [d[1:] for d in diff if d.startswith("-")]


def test_adding_one_code_to_the_bundled_codebook_adds_only_its_lines(bundled):
    before = bundled.read_text(encoding="utf-8")
    book = edit.add_code(load_codebook(bundled), "barriers.childcare", "Childcare and caring duties",
                         parent="barriers", definition="Caring responsibilities that keep people from meetings. " * 3,
                         keywords=["childcare", "carer"], colour="#123456")
    assert save_codebook(book, bundled) is True
    after = bundled.read_text(encoding="utf-8")
    added, removed = changed_lines(before, after)
    assert removed == []
    assert "  - id: barriers.childcare" in "\n".join(added) and all(line.strip() != "# ---" for line in added)
    assert len(added) < 15  # that code's lines (and the blank line that sets it apart), nothing else
    # every comment is still there, and the new code sits with barriers' children, before the pmf heading
    assert [ln for ln in after.splitlines() if ln.lstrip().startswith("#")] == \
        [ln for ln in before.splitlines() if ln.lstrip().startswith("#")]
    assert after.index("id: barriers.childcare") < after.index("  - id: pmf\n")
    reread = load_codebook(bundled)
    assert reread.get("barriers.childcare").parent == "barriers"
    assert reread.get("barriers.childcare").keywords == ["childcare", "carer"]


def test_saving_an_unchanged_codebook_writes_nothing(bundled):
    stat = bundled.stat()
    data = bundled.read_bytes()
    assert save_codebook(load_codebook(bundled), bundled) is False
    assert bundled.read_bytes() == data and bundled.stat().st_mtime_ns == stat.st_mtime_ns


def test_editing_one_field_changes_only_that_fields_lines_and_keeps_key_order(bundled):
    before = bundled.read_text(encoding="utf-8")
    save_codebook(edit.edit_code(load_codebook(bundled), "pmf.none", shortcut="9", include="Short now."), bundled)
    added, removed = changed_lines(before, bundled.read_text(encoding="utf-8"))
    assert sorted(added) == ['        include: Short now.', '        shortcut: "9"']
    assert removed[0] == "        include: >" and len(removed) == 4  # the old include text only
    code = load_codebook(bundled).get("pmf.none")
    assert (code.shortcut, code.include) == ("9", "Short now.")


def test_merge_rename_move_remove_leave_records_every_reader_resolves(bundled):
    book = load_codebook(bundled)
    book = edit.merge_codes(book, "barriers.trust", "barriers")
    book = edit.rename_id(book, "nrf", "funding")
    book = edit.move_code(book, "pmf.none", "statutory")
    book = edit.remove_code(book, "monitoring.none", "drop")
    book = edit.remove_code(book, "outcomes.matter", "keep-orphaned")
    save_codebook(book, bundled)
    text = bundled.read_text(encoding="utf-8")
    assert "# ----------------------------------------------------------------- proposals" in text
    reread = load_codebook(bundled)
    assert reread.merged == {"barriers.trust": "barriers"} and reread.renamed == {"nrf": "funding"}
    assert reread.dropped == ["monitoring.none"]
    assert reread.get("nrf.process").parent == "funding" and reread.get("pmf.none").parent == "statutory"
    assert reread.resolve_code("barriers.trust") == "barriers"
    assert reread.resolve_code("nrf") == "funding"
    assert reread.resolve_code("monitoring.none") is None
    assert reread.resolve_code("outcomes.matter") == "outcomes.matter"  # kept, orphaned: check lists it
    # changing an id back, then again: the record stays flat
    again = edit.rename_id(edit.rename_id(reread, "funding", "nrf"), "nrf", "money")
    assert again.renamed == {"funding": "money", "nrf": "money"}
    assert again.resolve_code("nrf") == "money" and again.resolve_code("funding") == "money"


def test_merging_a_parent_moves_its_children_and_refuses_nonsense(bundled):
    book = load_codebook(bundled)
    merged = edit.merge_codes(book, "monitoring", "representation")
    assert {c.parent for c in merged.codes if c.id.startswith("monitoring.")} == {"representation"}
    inside = edit.merge_codes(book, "representation", "representation.networks.cen")
    assert inside.get("representation.networks").parent is None  # the branch holding the target moves up
    assert inside.get("representation.under").parent == "representation.networks.cen"
    with pytest.raises(QualcodeError, match="into itself"):
        edit.merge_codes(book, "pmf", "pmf")
    with pytest.raises(QualcodeError, match="inside it"):
        edit.move_code(book, "representation", "representation.networks.cen")
    with pytest.raises(QualcodeError, match="already a code"):
        edit.rename_id(book, "pmf", "nrf")
    with pytest.raises(QualcodeError, match="--codings"):
        edit.remove_code(book, "pmf", "burn")


def test_a_record_naming_a_live_code_is_refused_with_its_file():
    text = "codes:\n  - id: a\n    name: A\n  - id: b\n    name: B\nmerged:\n  a: b\n"
    with pytest.raises(CodebookError, match="'a' is in use and also listed under 'merged:'"):
        parse_codebook(text, "cb.yaml")
    with pytest.raises(CodebookError, match="circle"):
        parse_codebook("codes:\n  - id: c\n    name: C\nrenamed:\n  a: b\n  b: a\n", "cb.yaml")
    with pytest.raises(CodebookError, match="must map"):
        parse_codebook("codes:\n  - id: c\n    name: C\nrenamed: [a, b]\n", "cb.yaml")


def test_in_place_saves_keep_the_safe_readers_protections(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("codes:\n  - &x {id: a, name: A}\n  - *x\n", encoding="utf-8")
    book = parse_codebook("codes:\n  - id: a\n    name: A\n", str(path))
    with pytest.raises(CodebookError):  # never written with a problem (a duplicate id)
        save_codebook(book.__class__(codes=book.codes + book.codes, path=str(path)), path)
    save_codebook(book, path)  # the old file is not something the round-trip loader ever reads: rewritten whole
    assert "&x" not in path.read_text() and load_codebook(path).get("a").name == "A"


def test_a_flat_codebook_with_parent_keys_and_flow_maps_keeps_its_comments_and_style(tmp_path):
    path = tmp_path / "flat.yaml"
    path.write_text('# my flat codebook\nname: Flat\ncodes:\n  # first\n  - id: a\n    name: Alpha\n'
                    '    color: "#112233"\n  - id: b\n    name: Beta\n    parent: a   # beta under alpha\n'
                    '  - {id: c, name: Gamma, keywords: [x, y]}\n', encoding="utf-8")
    for change in (lambda b: edit.add_code(b, "a.d", "Delta", "a"), lambda b: edit.move_code(b, "b", "c"),
                   lambda b: edit.edit_code(b, "c", keywords=["x", "z"]), lambda b: edit.merge_codes(b, "a", "c"),
                   lambda b: edit.rename_id(b, "c", "cc")):
        save_codebook(change(load_codebook(path)), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my flat codebook\nname: Flat\ncodes:\n")  # "# first" went with 'a' (merged away)
    assert "    name: Beta\n    parent: cc # beta under alpha\n" in text  # a comment stays with its code
    assert "  - {id: cc, name: Gamma, keywords: [x, z]}" in text and "    parent: cc\n" in text
    book = load_codebook(path)
    assert [(c.id, c.parent) for c in book.walk()] == [("cc", None), ("a.d", "cc"), ("b", "cc")]
    assert book.merged == {"a": "cc"} and book.renamed == {"c": "cc"}


def test_reordering_and_moving_codes_carries_their_section_headings(bundled):
    before = bundled.read_text(encoding="utf-8")
    book = load_codebook(bundled)
    codes = list(book.codes)
    ids = [c.id for c in codes]
    a, b = ids.index("barriers"), ids.index("recruitment")
    codes[a], codes[b] = codes[b], codes[a]  # what the editor's "Up" does
    save_codebook(edit.move_code(edit.with_codes(book, codes), "barriers.trust", "representation"), bundled)
    after = bundled.read_text(encoding="utf-8")
    comments = sorted(ln for ln in before.splitlines() if ln.lstrip().startswith("#"))
    assert sorted(ln for ln in after.splitlines() if ln.lstrip().startswith("#")) == comments
    heading = "  # " + "-" * 66 + " barriers\n  - id: barriers\n"
    assert heading in before and heading in after
    assert after.index("id: barriers\n") < after.index("id: recruitment\n")
    assert [c.id for c in load_codebook(bundled).roots][:4] == ["monitoring", "representation", "barriers", "recruitment"]


def test_codebook_commands_run_at_once_keep_every_change(tmp_path):
    """Eight `qualcode codebook add` commands started together (a script, two terminals): all eight
    codes are in the codebook and in its history (before, each built on the codebook it had read,
    and the last save won: 1 of 8 kept)."""
    import subprocess
    import sys

    from tests.conftest import copy_study

    root = copy_study(tmp_path / "study")
    procs = [subprocess.Popen([sys.executable, "-m", "qualcode", "--project", str(root), "codebook", "add",
                               f"par{i}", f"Parallel {i}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(8)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    ids = {c.id for c in load_codebook(root / "codebooks" / "lsp-participation.yaml").codes}
    assert {f"par{i}" for i in range(8)} <= ids
    from qualcode.services.codebook_ops import history
    from qualcode.store.project import Project

    project = Project.open(root, search=False)
    try:
        assert sorted(e["what"] for e in history(project))[-8:] == sorted(f"add par{i}" for i in range(8))
    finally:
        project.close()


def test_ids_and_words_are_read_as_written(tmp_path):
    """`id: no` is the code "no" (YAML 1.1 read it as False, and `code add T no` then failed with
    "unknown code"), `id: 010` is "010", keywords `yes` and `off` stay words."""
    text = "name: t\ncodes:\n  - id: no\n    name: No\n  - id: 010\n    name: Ten\n    keywords: [yes, off]\n"
    book = parse_codebook(text, "cb.yaml")
    assert [(c.id, c.name) for c in book.codes] == [("no", "No"), ("010", "Ten")]
    assert book.get("010").keywords == ["yes", "off"]


def test_a_key_given_twice_is_named_with_both_lines(tmp_path):
    text = "name: t\ncodes:\n  - id: a\n    name: First\n    name: Second\n"
    with pytest.raises(CodebookError) as err:
        parse_codebook(text, "cb.yaml")
    assert "'name' is given twice in one entry (lines 4 and 5)" in str(err.value)


def test_a_duplicate_id_under_itself_is_one_problem_not_a_cycle():
    text = "name: t\ncodes:\n  - id: theme\n    name: Theme\n    children:\n      - id: theme\n        name: Again\n"
    with pytest.raises(CodebookError) as err:
        parse_codebook(text, "cb.yaml")
    assert "duplicate code id 'theme'" in str(err.value) and "cycle" not in str(err.value)


def test_a_windows_codebook_keeps_its_line_ends_when_a_code_is_added(bundled):
    bundled.write_bytes(bundled.read_bytes().replace(b"\n", b"\r\n"))
    before = bundled.read_bytes()
    save_codebook(edit.add_code(load_codebook(bundled), "zz", "Added"), bundled)
    after = bundled.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n") > before.count(b"\n")
    added, removed = changed_lines(before.decode(), after.decode())
    assert removed == [] and len(added) < 6  # only the new code's lines changed
