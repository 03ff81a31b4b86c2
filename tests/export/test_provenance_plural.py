"""The provenance appendix counts in good English: "1 line (292 bytes)", "1 transcript"."""

from __future__ import annotations

import pytest

from qualcode.export.provenance import Journal, Stamp


def stamp_with(lines: int, size: int, transcripts: int) -> Stamp:
    return Stamp(version="1.0", project="Study", codebook="codebook.yml", codebook_sha256="c" * 64,
                 transcripts=[(f"t{i}", "h") for i in range(transcripts)],
                 journals=[Journal("ann", lines, size, "a" * 64, "")], command="qualcode export docx", date="")


@pytest.mark.parametrize("lines, size, transcripts, journal, listed", [
    (1, 1, 1, "1 line (1 byte) read, ", "1 transcript, "),
    (1234, 292, 2, "1,234 lines (292 bytes) read, ", "2 transcripts, "),
    (0, 0, 0, "0 lines (0 bytes) read, ", "0 transcripts, "),
])
def test_lines_bytes_and_transcripts_are_counted_in_good_english(lines, size, transcripts, journal, listed):
    s = stamp_with(lines, size, transcripts)
    rows = dict(s.summary())
    assert rows["Journal of ann"].startswith(journal + "sha256 ")
    assert rows["Transcripts"].startswith(listed)
    short = s.short()
    assert f"ann {journal.split(' (')[0]} " in short and f"; {listed[:-2]}; " in short, short
