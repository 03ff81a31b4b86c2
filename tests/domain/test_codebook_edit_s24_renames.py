"""What changed between two codebooks (``codebook_edit.differences``, the "codebook changed on disk"
notice): a code whose id changed (recorded under ``renamed:``) is "renamed X to Y", not "added Y;
removed X", and its children, whose parent's id changed with it, are not "changed"."""

from qualcode.domain import codebook_edit as edit
from qualcode.domain.codebook import Code, Codebook
from qualcode.tui.desk import describe_codebook_changes


def book() -> Codebook:
    return Codebook(name="Test", codes=[
        Code(id="theme", name="A theme", definition="The first theme."),
        Code(id="theme.sub", name="A sub-theme", parent="theme"),
        Code(id="barrier", name="Barriers"),
        Code(id="outcome", name="Outcomes"),
    ])


def test_a_rename_is_said_as_a_rename():
    old = book()
    new = edit.rename_id(old, "barrier", "obstacle")
    diff = edit.differences(old, new)
    assert diff == {"added": [], "removed": [], "renamed": ["barrier to obstacle"], "changed": []}
    assert describe_codebook_changes(diff) == "renamed barrier to obstacle"


def test_the_children_of_a_renamed_code_are_not_changed():
    old = book()
    diff = edit.differences(old, edit.rename_id(old, "theme", "topic"))
    assert (diff["renamed"], diff["changed"], diff["added"], diff["removed"]) == (["theme to topic"], [], [], [])


def test_a_renamed_code_whose_other_fields_changed_too_is_renamed_and_changed():
    old = book()
    new = edit.edit_code(edit.rename_id(old, "barrier", "obstacle"), "obstacle", definition="In the way.")
    diff = edit.differences(old, new)
    assert (diff["renamed"], diff["changed"]) == (["barrier to obstacle"], ["obstacle"])
    assert describe_codebook_changes(diff) == "renamed barrier to obstacle; changed obstacle"


def test_a_child_moved_to_another_parent_is_still_changed_when_its_parent_was_renamed():
    old = book()
    new = edit.move_code(edit.rename_id(old, "theme", "topic"), "theme.sub", "outcome")
    diff = edit.differences(old, new)
    assert (diff["renamed"], diff["changed"]) == (["theme to topic"], ["theme.sub"])


def test_two_renames_in_a_row_are_one_rename_from_the_first_id_to_the_last():
    old = book()
    new = edit.rename_id(edit.rename_id(old, "barrier", "obstacle"), "obstacle", "hurdle")
    assert edit.differences(old, new)["renamed"] == ["barrier to hurdle"]
    middle = edit.rename_id(old, "barrier", "obstacle")
    assert edit.differences(middle, new)["renamed"] == ["obstacle to hurdle"]


def test_a_merge_a_removal_and_an_unrelated_new_code_are_not_renames():
    old = book()
    new = edit.add_code(edit.remove_code(edit.merge_codes(old, "barrier", "outcome"), "theme.sub", "drop"),
                        "trust", "Trust")
    diff = edit.differences(old, new)
    assert diff["renamed"] == []
    assert (diff["removed"], diff["added"]) == (["theme.sub", "barrier"], ["trust"])  # in codebook order
    assert describe_codebook_changes(diff) == "added trust; removed theme.sub, barrier"


def test_a_rename_whose_new_code_was_then_removed_is_a_removal():
    old = book()
    new = edit.remove_code(edit.rename_id(old, "barrier", "obstacle"), "obstacle", "keep-orphaned")
    diff = edit.differences(old, new)
    assert (diff["renamed"], diff["removed"], diff["added"]) == ([], ["barrier"], [])


def test_a_new_code_given_a_renamed_code_s_old_id_is_added_beside_the_rename():
    old = book()
    new = edit.add_code(edit.rename_id(old, "barrier", "obstacle"), "barrier", "New barriers")
    diff = edit.differences(old, new)
    # barrier is in both (a different code now, so changed), obstacle is new
    assert (diff["renamed"], diff["added"], diff["changed"]) == ([], ["obstacle"], ["barrier"])


def test_nothing_changed_is_nothing_to_say():
    old = book()
    diff = edit.differences(old, edit.with_codes(old, old.codes))
    assert not any(diff.values())
    assert describe_codebook_changes(diff) == ""
