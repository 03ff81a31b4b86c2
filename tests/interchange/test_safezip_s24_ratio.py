"""The zip-bomb guard refused qualcode's own .qdpx of a project with a 10 MB transcript that repeats
itself (one long line of synthetic text deflates 500 times, past the old limit of 200 once past
1 MiB). The ratio now counts only for entries past ``Limits.ratio_floor`` (64 MiB); real bombs are
still refused, and many smaller entries are bounded by the bytes read in all."""

from __future__ import annotations

import functools
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest

from qualcode.errors import FormatError
from qualcode.formats.refi import Limits
from qualcode.formats.refi.safezip import open_package
from qualcode.services.interchange import import_project
from tests.interchange.refi_helpers import G, make_qdpx, project_xml

QC = [sys.executable, "-c", "import sys; from qualcode.cli.main import main; sys.argv[0] = 'qualcode'; main()"]
SOURCE = f"sources/{G['s1']}.txt"
QDE = project_xml(f'<Sources><TextSource guid="{G["s1"]}" name="T" plainTextPath="internal://{G["s1"]}.txt"/>'
                  f'</Sources>')


def run(*args, cwd=None):
    return subprocess.run([*QC, *map(str, args)], capture_output=True, text=True, cwd=cwd)


@functools.cache
def zeros_deflated(mib: int) -> tuple[bytes, int]:
    """A genuine raw deflate stream of ``mib`` MiB of zeros (about 1 KB per MiB) and its CRC-32, made
    without compressing them all: one MiB's blocks, fully flushed (so they stand alone), repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    crc, chunk = 0, bytes(1 << 20)
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    return block * mib + c.flush(), crc


def write_zip(path, members: list[tuple[str, bytes, int, int, int]]):
    """A zip of (name, stored bytes, method, CRC-32, declared size) members, written field by field
    (zipfile would have to compress a bomb's gigabyte to write it)."""
    out, central = bytearray(), bytearray()
    for name, data, method, crc, size in members:
        raw = name.encode()
        central += struct.pack("<4s6H3L5HLL", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                               len(raw), 0, 0, 0, 0, 0o644 << 16, len(out)) + raw
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size, len(raw), 0)
        out += raw + data
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def bomb(path, *, declared: int | None = None, mib: int = 1024):
    """A .qdpx whose one text source is ``mib`` MiB of zeros in about a megabyte (declared as such,
    unless ``declared`` says otherwise: headers can lie)."""
    data, crc = zeros_deflated(mib)
    qde = QDE.encode()
    return write_zip(path, [("project.qde", qde, 0, zlib.crc32(qde), len(qde)),
                            (SOURCE, data, 8, crc, mib << 20 if declared is None else declared)])


def test_the_own_export_of_a_long_repetitive_transcript_imports_again(tmp_path):
    assert run("init", tmp_path / "proj").returncode == 0
    text = "Interviewer: " + "hello there, how was the board meeting? " * 250_000 + "\n"  # 10 MB, one line
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    imported = run("import", tmp_path / "long.txt", "--project", tmp_path / "proj")
    assert imported.returncode == 0, imported.stderr
    exported = run("export", "qdpx", "-o", tmp_path / "long.qdpx", "--project", tmp_path / "proj")
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(tmp_path / "long.qdpx") as zf:  # the case that was refused: past 1 MiB and 200 times
        info = next(i for i in zf.infolist() if i.filename.startswith("sources/"))
        assert info.file_size > 10_000_000 and info.file_size > 200 * info.compress_size
    back = run("import-project", tmp_path / "long.qdpx", tmp_path / "back")
    assert back.returncode == 0, back.stderr
    assert "Traceback" not in back.stderr and "zip bomb" not in back.stderr
    again = (tmp_path / "back" / "transcripts" / "long.txt").read_text(encoding="utf-8")
    assert again.endswith(text) and again.count("hello there") == 250_000


def test_a_gigabyte_of_zeros_is_still_refused(tmp_path):
    archive = bomb(tmp_path / "bomb.qdpx")
    assert archive.stat().st_size < 2 << 20
    target = tmp_path / "proj"
    with pytest.raises(FormatError, match=r"expands more than 200 times .*zip bomb") as info:
        import_project(archive, target)
    assert f"{1 << 30:,}" in info.value.message and info.value.path == str(archive)
    assert not target.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".proj")]
    proc = run("import-project", archive, target)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "a zip bomb?); refused" in proc.stderr and "What to do:" in proc.stderr
    assert not target.exists()


def test_a_bomb_declaring_a_small_size_is_stopped_while_reading(tmp_path):
    archive = bomb(tmp_path / "liar.qdpx", declared=1 << 20)
    # zipfile stops at the declared size (then the CRC fails); qualcode checks the size itself too
    with pytest.raises(FormatError, match="larger than the archive says|cannot read .* Bad CRC"):
        import_project(archive, tmp_path / "proj")
    assert not (tmp_path / "proj").exists()


def test_just_past_the_floor_the_ratio_counts_again(tmp_path):
    # a source of 65 MiB of zeros: past ratio_floor, a thousand times its compressed size
    with pytest.raises(FormatError, match="zip bomb"):
        import_project(bomb(tmp_path / "b.qdpx", mib=65), tmp_path / "proj")
    assert Limits().ratio_floor == 64 << 20


def test_many_entries_under_the_floor_are_bounded_by_the_bytes_read_in_all(tmp_path):
    sources = "".join(f'<TextSource guid="{G[k]}" name="{k}" plainTextPath="internal://{G[k]}.txt"/>'
                      for k in ("s1", "s2"))
    archive = make_qdpx(tmp_path / "a.qdpx", project_xml(f"<Sources>{sources}</Sources>"),
                        {f"sources/{G[k]}.txt": bytes(6 << 20) for k in ("s1", "s2")})
    with pytest.raises(FormatError, match="more than 10,485,760 bytes of text"):
        import_project(archive, tmp_path / "proj", limits=Limits(max_total_bytes=10 << 20))
    assert not (tmp_path / "proj").exists()


def test_an_archive_inside_the_archive_is_never_opened(tmp_path):
    inner = bomb(tmp_path / "inner.zip").read_bytes()  # a gigabyte bomb, as a "text" source
    pkg = open_package(make_qdpx(tmp_path / "a.qdpx", QDE, {SOURCE: inner}))
    try:
        data, why = pkg.source(f"internal://{G['s1']}.txt")
        assert why is None and data == inner and pkg.read_bytes < 2 * len(inner) + len(QDE)
    finally:
        pkg.close()
