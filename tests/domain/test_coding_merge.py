"""One coder's changes made on two machines and merged into one journal (``CodingSet.apply`` in the
merged order): a change to a coding removed on the other machine keeps it, and two memos written on
the two machines are both kept."""

from qualcode.domain.coding import Coding, CodingSet, merged_memo


def _set() -> CodingSet:
    cs = CodingSet("ann")
    cs.apply({"op": "add", "coding": Coding("c1", "int-1", 0, 10, "theme", "ann", quote="0123456789").to_json()})
    return cs


def test_a_recode_after_a_removal_from_the_other_machine_keeps_the_coding_and_undo_removes_it():
    cs = _set()
    cs.apply({"op": "remove", "id": "c1"})  # office
    cs.apply({"op": "recode", "id": "c1", "code": "other"})  # laptop, later
    cs.apply({"op": "memo", "id": "c1", "memo": "why it matters", "was": ""})
    assert cs.get("c1").code == "other" and cs.get("c1").memo == "why it matters"
    assert cs.for_transcript("int-1") == [cs.get("c1")]
    cs.apply({"op": "undo"})
    cs.apply({"op": "undo"})  # the recode, which brought it back: it goes again
    assert cs.get("c1") is None
    cs.apply({"op": "redo"})
    assert cs.get("c1").code == "other"


def test_two_memos_written_on_two_machines_are_both_kept():
    assert merged_memo("office note", {"memo": "laptop note", "was": ""}) == "office note\n\nlaptop note"
    assert merged_memo("old", {"memo": "new", "was": "old"}) == "new"  # an edit of the memo it saw
    assert merged_memo("office note", {"memo": None, "was": "old"}) == "office note"  # a clear keeps the other's
    assert merged_memo("old and more", {"memo": "old", "was": ""}) == "old and more"
    assert merged_memo("anything", {"memo": "new"}) == "new"  # a line written before memos said what they replaced
    cs = _set()
    cs.apply({"op": "memo", "id": "c1", "memo": "office note", "was": ""})
    cs.apply({"op": "memo", "id": "c1", "memo": "laptop note", "was": ""})
    assert cs.get("c1").memo == "office note\n\nlaptop note"
    cs.apply({"op": "undo"})
    assert cs.get("c1").memo == "office note"


def test_two_transcript_memos_written_on_two_machines_are_both_kept():
    cs = _set()
    cs.apply({"op": "tset", "t": "int-1", "key": "memo", "value": "office view", "was": ""})
    cs.apply({"op": "tset", "t": "int-1", "key": "memo", "value": "laptop view", "was": ""})
    assert cs.marks["int-1"]["memo"] == "office view\n\nlaptop view"
    cs.apply({"op": "tset", "t": "int-1", "key": "memo", "value": "one view", "was": "office view\n\nlaptop view"})
    assert cs.marks["int-1"]["memo"] == "one view"
    cs.apply({"op": "tset", "t": "int-1", "key": "status", "value": "done"})
    assert cs.marks["int-1"]["status"] == "done"


def test_a_move_to_another_transcript_moves_the_coding_and_undo_brings_it_back():
    cs = _set()
    cs.apply({"op": "move", "id": "c1", "start": 0, "end": 10, "quote": "0123456789", "th": "", "t": "int-1-2"})
    assert cs.for_transcript("int-1") == [] and [c.id for c in cs.for_transcript("int-1-2")] == ["c1"]
    assert cs.get("c1").transcript == "int-1-2"
    cs.apply({"op": "undo"})
    assert [c.id for c in cs.for_transcript("int-1")] == ["c1"] and cs.for_transcript("int-1-2") == []
