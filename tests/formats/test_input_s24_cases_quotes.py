"""A cases.csv with a quote left open (a spreadsheet's semicolons, or commas) used to swallow the rest
of the file into one cell, silently: transcripts lost their attributes and every table by attribute
was wrong. It is now refused with the file, the line where the quote opens and what to do, by
``qualcode check``, the tables, the exports and the workbench alike; cells that really hold several
lines are read as before."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qualcode.errors import FormatError
from qualcode.formats.segments_table import csv_records, read_table
from qualcode.store.cases import load_cases

QC = [sys.executable, "-c", "import sys; from qualcode.cli.main import main; sys.argv[0] = 'qualcode'; main()"]

ROWS = [
    ["transcript", "case", "region", "roles"],
    ["lsp-a", "LSP A", "North", "coordinator"],
    ["lsp-b", "LSP B", "South West", "chair"],
    ["lsp-c", "LSP C", "London", "VCS representative"],
    ["lsp-d", "LSP D", "South East", "policy officer"],
]


def _file(tmp_path, d: str, *, opened_in: int, cell: int = 2, close_with: str | None = None, eol="\n"):
    """cases.csv with ``d`` between cells, whose row ``opened_in`` (0: the header) has a quote opened
    at the start of cell ``cell`` and not closed there (``close_with`` put later, at the start of
    the last cell of the last row)."""
    rows = [list(r) for r in ROWS]
    rows[opened_in][cell] = '"' + rows[opened_in][cell]
    if close_with is not None:
        rows[-1][-1] = close_with + rows[-1][-1]
    path = tmp_path / "cases.csv"
    path.write_text(eol.join(d.join(r) for r in rows) + eol, encoding="utf-8", newline="")
    return path


def _refused(path, line: int) -> FormatError:
    with pytest.raises(FormatError) as info:
        load_cases(path)
    err = info.value
    assert err.path == str(path) and err.line == line, str(err)
    assert "quote" in err.message and "closing" in err.hint
    assert str(err).startswith(f"{path}:{line}: ")
    return err


@pytest.mark.parametrize("d", [";", ",", "\t"])
@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_a_quote_never_closed_is_named_at_its_line(tmp_path, d, eol):
    err = _refused(_file(tmp_path, d, opened_in=2, eol=eol), line=3)
    assert "never closed" in err.message and '("South West' in err.message


@pytest.mark.parametrize("d", [";", ","])
def test_a_quote_that_closes_lines_later_inside_a_cell_is_named_at_its_line(tmp_path, d):
    # the runaway ends at the next quote, which opened a cell of its own: csv reads on regardless
    err = _refused(_file(tmp_path, d, opened_in=1, close_with='"x" '), line=2)
    assert "runs over line ends to line 5" in err.message


@pytest.mark.parametrize("d", [";", ","])
def test_a_quote_that_closes_cleanly_lines_later_is_caught_by_the_row_width(tmp_path, d):
    # a stray '"' at the end of a later cell closes the runaway as a well-formed cell would be closed
    path = tmp_path / "cases.csv"
    rows = [d.join(r) for r in ROWS]
    rows[1] = rows[1].replace(f"{d}North", f'{d}"North')
    rows[3] = rows[3] + ' 5\'10"'
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    err = _refused(path, line=2)
    assert "where the header has 4" in err.message


def test_a_quote_opened_in_the_header_is_named(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text('transcript;"case;region\nlsp-a;A;North"\nlsp-b;B;South\n', encoding="utf-8")
    err = _refused(path, line=1)
    assert "header row" in err.message
    _refused(_file(tmp_path, ";", opened_in=0), line=1)


def test_the_last_line_without_a_line_end(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("transcript;case\nlsp-a;A\nlsp-b;\"B", encoding="utf-8")
    _refused(path, line=3)


def test_utf16_tab_separated_from_a_spreadsheet(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("transcript\tcase\tregion\r\nlsp-a\tA\t\"North\r\nlsp-b\tB\tSouth\r\n".encode("utf-16"))
    _refused(path, line=2)


@pytest.mark.parametrize("d", [";", ","])
@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_cells_that_really_hold_several_lines_are_read_as_before(tmp_path, d, eol):
    path = tmp_path / "cases.csv"
    text = (f"transcript{d}case{d}notes{eol}"
            f'lsp-a{d}A{d}"met twice{d} then{eol}a second{d} longer{eol}visit"{eol}'
            f'{eol}'
            f'lsp-b{d}B{d}"said ""no"", {eol}twice"{eol}'
            f'lsp-c{d}C 5\'10"{d}"one line"{eol}')
    path.write_text(text, encoding="utf-8", newline="")
    cases = load_cases(path)
    assert cases.problems == []
    assert cases.attributes["lsp-a"]["notes"] == f"met twice{d} then{eol}a second{d} longer{eol}visit"
    assert cases.attributes["lsp-b"]["notes"] == f'said "no", {eol}twice'
    assert cases.case_of == {"lsp-a": "A", "lsp-b": "B", "lsp-c": "C 5'10\""}
    assert cases.lines == {"lsp-a": 2, "lsp-b": 6, "lsp-c": 8}  # lines as an editor shows them


def test_a_single_line_quirk_is_still_read(tmp_path):
    """A quoted cell followed by text on the same line ('"LSP" A') swallows nothing: read as csv reads it."""
    path = tmp_path / "cases.csv"
    path.write_text('transcript,case,region\nlsp-a,"LSP" A,North\nlsp-b,B,South\n', encoding="utf-8")
    cases = load_cases(path)
    assert cases.case_of == {"lsp-a": "LSP A", "lsp-b": "B"} and cases.problems == []


def test_segment_tables_keep_multi_line_cells_and_refuse_a_quote_never_closed(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text('Document,Codes,Quotation Content\nint-1,"a\nb","one\ntwo"\nint-2,c,three\n', encoding="utf-8")
    table = read_table(good)
    assert table.rows == [["int-1", "a\nb", "one\ntwo"], ["int-2", "c", "three"]]
    assert table.lines == [4, 5]  # type: ignore[attr-defined]  (the line each row ends on, as before)
    bad = tmp_path / "bad.csv"
    bad.write_text('Document,Codes,Quotation Content\nint-1,a,"one\nint-2,c,three\n', encoding="utf-8")
    with pytest.raises(FormatError) as info:
        read_table(bad)
    assert info.value.line == 2 and info.value.path == str(bad) and "never closed" in info.value.message


def test_records_carry_the_lines_they_span(tmp_path):
    records = csv_records('a,b\r\n\r\n1,"x\r\ny"\r\n2,z', ",", "t.csv")
    assert [(r.start, r.end, r.cells) for r in records] == [
        (1, 1, ["a", "b"]), (2, 2, []), (3, 4, ["1", "x\r\ny"]), (5, 5, ["2", "z"])]


def _run(*args):
    return subprocess.run([*QC, *map(str, args)], capture_output=True, text=True)


def test_every_command_that_reads_cases_says_so_and_exits_2(project, tmp_path):
    project.session("ann").add("int-1", 0, 11, "theme.sub")  # a coding, so that the tables read the cases
    project.close()
    path = project.root / "cases.csv"
    path.write_text('transcript;case;region\nint-1;"Case A;North\nint-2;Case B;South\n', encoding="utf-8")
    for args in (["check"], ["table", "matrix"], ["export", "csv", "-o", tmp_path / "out"]):
        proc = _run(*args, "--project", project.root)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert f"{path}:2: the quote that opens a cell on this line" in proc.stderr, (args, proc.stderr)
        assert "What to do:" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
    assert path.read_text(encoding="utf-8").startswith("transcript;case;region\nint-1;\"Case A")  # left as it was


async def test_the_workbench_says_so_when_it_opens(project):
    from qualcode.tui.app import make_app

    (project.root / "cases.csv").write_text('transcript,case\nint-1,"Case A\n', encoding="utf-8")
    project.__dict__.pop("cases", None)
    app = make_app(project, "ann")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any(f"cases.csv:2: the quote that opens a cell on this line" in m for m in shown), shown
