"""The workbench's pure parts: wrapping, the coding index, the desk's changes; and its import cost."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qualcode.domain.coding import Coding
from qualcode.domain.transcript import Transcript
from qualcode.tui.coverage import CodingIndex
from qualcode.tui.desk import Desk, coverage, op_ids
from qualcode.tui.layout import Wrap, cell_to_col, cells
from tui_helpers import span_of


def test_import_of_the_workbench_loads_neither_spacy_nor_sklearn():
    code = "import sys, qualcode.tui.app; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = {m.split(".")[0] for m in out.split()}
    assert "spacy" not in loaded and "sklearn" not in loaded
    assert "pandas" not in loaded and "docx" not in loaded


@pytest.mark.parametrize("width", [4, 7, 10, 23])
def test_wrap_covers_every_character_once_and_fits(width):
    text = ("Honestly? It’s “the café” 😀 where we decided — together — to stand.\n\n"
            "A verylongwordthatcannotfitonanyline and   spaces   between.\n" + "x" * 50)
    starts = Transcript("t", text).lines.starts
    wrap = Wrap(text, starts, width)
    pieces = [text[wrap.starts[i]:wrap.end(i)] for i in range(len(wrap))]
    assert "".join(pieces) == text.replace("\n", "")
    for p in pieces:
        assert cells(p.rstrip(" ")) <= width
    # every offset maps to a line showing it, and back
    for off in range(len(text) + 1):
        i = wrap.line_of(off)
        assert wrap.starts[i] <= off <= wrap.end(i)


def test_cells_and_columns_with_wide_characters():
    line = "a😀b"
    assert cells(line) == 4
    assert [cell_to_col(line, x) for x in range(5)] == [0, 1, 1, 2, 3]


def _coding(cid, s, e, code="a", th="h"):
    return Coding(id=cid, transcript="t", start=s, end=e, code=code, coder="me", quote="", th=th)


def test_coding_index_rows_overlaps_and_order():
    text = "one two three\nfour five six\nseven"
    t = Transcript("t", text)
    th = t.hash
    index = CodingIndex.build(t, [_coding("1", 0, 3, th=th), _coding("2", 4, 20, "b", th=th),
                                  _coding("3", 15, 18, "c", th=th)])
    assert {s.id for s in index.overlapping(14, 27)} == {"2", "3"}
    assert [s.id for s in index.at(16)] == ["3", "2"]  # innermost first
    assert index.next_after(0).id == "2" and index.prev_before(15).id == "2"
    assert index.next_after(0, {"c"}).id == "3"
    index.remove("2")
    assert {s.id for s in index.overlapping(14, 27)} == {"3"}
    index.add(_coding("4", 28, 33, "d", th=th))
    assert [s.id for s in index.overlapping(28, 29)] == ["4"]
    assert [k[3] for k in index.order] == ["1", "3", "4"]
    assert index.codes == {"a": 1, "c": 1, "d": 1}


def test_coverage_counts_overlaps_once():
    cs = [_coding("1", 0, 10), _coding("2", 5, 15), _coding("3", 20, 25), _coding("4", 21, 22)]
    assert coverage(cs) == 20


def test_desk_changes_carry_before_and_after(study):
    desk = Desk(study, "ann")
    desk.open_session()
    desk.ready = True  # the App sets it on its thread once the worker is done
    s, e = span_of(study, "int-1", "We monitor")
    change = desk.apply("int-1", s, e, "theme")
    [added] = change.added
    assert change.before == {added.id: None} and change.transcripts == {"int-1"}
    assert desk.counts["theme"] == 1 and desk.rows["int-1"].mine == 1
    change = desk.recode(added.id, "barrier")
    assert change.before[added.id].code == "theme" and change.after[added.id].code == "barrier"
    change = desk.undo()
    assert change.after[added.id].code == "theme" and desk.counts == {"theme": 1, "barrier": 0}
    assert op_ids({"op": "batch", "ops": [{"op": "remove", "id": "x"}, {"op": "add", "coding": {"id": "y"}}]}) == {"x", "y"}
    desk.close()
