"""The Word report's layout as a reader sees it: no header word broken (in Word's Calibri or in the
DejaVu Sans LibreOffice uses without Carlito), Table 1 whole with long ids, a table's note never alone
on a page, and "spoken words" counted as the note says (no turns, Chinese)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import pytest

from tests.conftest import copy_study
from tests.export.conftest import W, caption_before

LONG = "pdpilot-user-study-2023-participant-07-session-recording"
MARGINS = 216  # twips: Word's default cell margins, left and right (108 each)
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def header_word_width(word: str) -> float:
    """Twips a header word needs at 9 points bold: the wider of Calibri and DejaVu Sans Bold."""
    from qualcode.export.docx_table import measure

    calibri = measure(word, True)
    if DEJAVU_BOLD.exists():
        from PIL import ImageFont

        return max(calibri, ImageFont.truetype(str(DEJAVU_BOLD), 1000).getlength(word) * 9 * 20 / 1000)
    return calibri * 1.34  # DejaVu Sans Bold's width against Calibri Bold's, measured on header words


@pytest.fixture(scope="module")
def mixed_report(tmp_path_factory):
    """The study with a transcript with a long id, a latin-1 note without turns and a Chinese interview."""
    from qualcode.export.docx_report import write_report
    from qualcode.store.project import Project

    root = copy_study(tmp_path_factory.mktemp("layout") / "lsp-study")
    t = root / "transcripts"
    (t / f"{LONG}.txt").write_text("Interviewer: How did it go?\n\nRespondent: It went well, thank you.\n")
    (t / "notes-latin1.txt").write_bytes("Notes from the café visit, written up by the researcher.\n".encode("latin-1"))
    (t / "zh-interview.txt").write_text("Interviewer: 你们的社区参与情况如何？\n\nRespondent: 我们每个月开一次会，大家都来参加。\n\n"
                                        "Interviewer: 有什么困难吗？\n\nRespondent: 语言是最大的问题。\n")
    p = Project.open(root, search=False)
    path = write_report(p, root / "exports" / "report.docx", tables=["frequencies", "cooccurrence"],
                        agreement=False, memos=None, today=date(2024, 5, 1))
    yield p, docx.Document(str(path))
    p.close()


def _widths(table) -> list[int]:
    return [int(g.get(W + "w")) for g in table._tbl.iter(W + "gridCol")]


def _broken_headers(doc) -> list[str]:
    broken = []
    for table in doc.tables:
        headers = [c.text for c in table.rows[0].cells]
        for header, width in zip(headers, _widths(table)):
            for word in re.split(r"\s+|(?<=[-/])", header):
                if word and header_word_width(word) > width - MARGINS:
                    broken.append(f"{caption_before(table)[:30]}: {word!r} needs {header_word_width(word):.0f} "
                                  f"of {width - MARGINS}")
    return broken


def test_no_header_word_is_broken_in_the_study_report(report_doc):
    together = [t for t in report_doc.tables if "Together" in [c.text for c in t.rows[0].cells]]
    assert together, "the co-occurrence table is in the report"
    assert _broken_headers(report_doc) == []


def test_table_1_with_long_ids_is_whole_and_its_date_header_unbroken(mixed_report):
    _, doc = mixed_report
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    table = _transcripts(doc)
    number = caption_before(table).split(".")[0]
    assert not any(c.startswith(f"{number} (continued") for c in captions)
    assert [c.text for c in table.rows[0].cells] == ["Transcript", "Case", "Date", "Spoken words", "Turns",
                                                     "Coded by"]
    assert any(r.cells[0].text == LONG for r in table.rows)
    assert _broken_headers(doc) == []


def test_a_tables_note_stays_with_its_table(report_doc):
    assert report_doc.styles["Table Note"].paragraph_format.keep_together is True
    body = report_doc.element.body
    followed = 0
    for tbl in body.iter(W + "tbl"):
        nxt = tbl.getnext()
        style = nxt.find(f"{W}pPr/{W}pStyle") if nxt is not None and nxt.tag == W + "p" else None
        if style is None or style.get(W + "val") != "TableNote":
            continue
        followed += 1
        last_row = tbl.findall(W + "tr")[-1]
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in last_row.iter(W + "p"))
    assert followed >= 5


def _transcripts(doc):
    """Table 1 of a report without key findings: the transcripts (found by its caption's text)."""
    return next(t for t in doc.tables if "The transcripts: case, date" in caption_before(t))


def _row(doc, tid: str) -> list[str]:
    table = _transcripts(doc)
    return next([c.text for c in r.cells] for r in table.rows if r.cells[0].text == tid)


def _note_after_table_1(doc) -> str:
    table = _transcripts(doc)
    return "".join(x.text or "" for x in table._tbl.getnext().iter(W + "t"))


def test_spoken_words_of_a_transcript_without_turns_are_said_to_be_its_whole_text(mixed_report):
    _, doc = mixed_report
    assert _row(doc, "notes-latin1")[3:5] == ["10", "0"]
    assert "notes-latin1 has no speaker turns: its count is the words of the whole text" in _note_after_table_1(doc)


def test_chinese_is_counted_by_character_and_the_note_says_so(mixed_report):
    _, doc = mixed_report
    # 40 Han characters in the four turns (punctuation and labels not counted), not 5 "runs of letters"
    assert _row(doc, "zh-interview")[3:5] == ["40", "4"]
    note = _note_after_table_1(doc)
    assert "each character counts as a word (zh-interview)" in note
    summary = next(p.text for p in doc.paragraphs if p.text.startswith("The project holds"))
    table = _transcripts(doc)
    total = sum(int(r.cells[3].text.replace(",", "")) for r in table.rows[1:])
    assert f"{total:,} spoken words" in summary  # the sentence and the table agree
