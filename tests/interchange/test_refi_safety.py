"""Hostile archives are refused with a clear FormatError, and nothing is left half-written."""

from __future__ import annotations

import stat
import zipfile

import pytest

from qualcode.errors import FormatError, ProjectError
from qualcode.formats.refi import Limits
from qualcode.services.interchange import import_project
from tests.interchange.refi_helpers import G, make_qdpx, project_xml

GOOD_SOURCE = (f'<Sources><TextSource guid="{G["s1"]}" name="T" plainTextPath="internal://{G["s1"]}.txt"/>'
               f'</Sources>')


def _refused(tmp_path, archive, match: str, limits: Limits | None = None):
    target = tmp_path / "proj"
    with pytest.raises(FormatError, match=match) as info:
        import_project(archive, target, limits=limits)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".proj")]  # no temp folder left
    return info.value


@pytest.mark.parametrize("entry,why", [
    ("/etc/evil.txt", "absolute path"),
    ("C:\\evil.txt", "absolute path"),
    ("sources/../../evil.txt", "climbs out"),
    ("..\\evil.txt", "climbs out"),
])
def test_entry_names_that_escape_are_refused(tmp_path, entry, why):
    archive = make_qdpx(tmp_path / "a.qdpx", project_xml(GOOD_SOURCE), {entry: "x", f"sources/{G['s1']}.txt": "t"})
    err = _refused(tmp_path, archive, why)
    assert repr(entry) in str(err) and "refused" in str(err)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_symlink_entries_are_refused(tmp_path):
    archive = tmp_path / "a.qdpx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.qde", project_xml(""))
        info = zipfile.ZipInfo("sources/link.txt")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    _refused(tmp_path, archive, "symbolic link")


@pytest.mark.parametrize("path", ["internal://../../../etc/passwd", "internal:///etc/passwd", "../secret.txt"])
def test_source_paths_that_escape_are_refused(tmp_path, path):
    qde = project_xml(f'<Sources><TextSource guid="{G["s1"]}" plainTextPath="{path}"/></Sources>')
    _refused(tmp_path, make_qdpx(tmp_path / "a.qdpx", qde), "refused")


def test_bare_qde_cannot_read_outside_its_sources_folder(tmp_path):
    (tmp_path / "export" / "sources").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read", encoding="utf-8")
    (tmp_path / "export" / "sources" / "link.txt").symlink_to(secret)
    qde = project_xml(f'<Sources><TextSource guid="{G["s1"]}" plainTextPath="internal://link.txt"/></Sources>')
    (tmp_path / "export" / "project.qde").write_text(qde, encoding="utf-8")
    _refused(tmp_path, tmp_path / "export" / "project.qde", "not a plain file")


def test_too_many_entries(tmp_path):
    files = {f"sources/{i}.txt": "x" for i in range(30)}
    archive = make_qdpx(tmp_path / "a.qdpx", project_xml(""), files)
    _refused(tmp_path, archive, "31 entries", Limits(max_entries=20))


def test_zip_bomb_by_ratio(tmp_path):
    archive = make_qdpx(tmp_path / "a.qdpx", project_xml(GOOD_SOURCE), {f"sources/{G['s1']}.txt": b"\0" * 3_000_000})
    _refused(tmp_path, archive, "zip bomb", Limits(ratio_floor=100_000, max_ratio=50))


def test_total_and_entry_size_limits(tmp_path):
    text = "word " * 20_000
    archive = make_qdpx(tmp_path / "a.qdpx", project_xml(GOOD_SOURCE), {f"sources/{G['s1']}.txt": text})
    _refused(tmp_path, archive, "more than 50,000 bytes of text", Limits(max_total_bytes=50_000, max_ratio=1e9))
    _refused(tmp_path, archive, "larger than 60,000 bytes", Limits(max_entry_bytes=60_000, max_ratio=1e9))
    _refused(tmp_path, archive, "would expand", Limits(max_declared_bytes=10_000, max_ratio=1e9))


def test_lying_sizes_are_caught_while_reading(tmp_path):
    """An entry that decompresses past the size it declares is refused (headers can lie)."""
    archive = make_qdpx(tmp_path / "a.qdpx", project_xml(GOOD_SOURCE), {f"sources/{G['s1']}.txt": "a" * 5000})
    data = bytearray(archive.read_bytes())
    name = f"sources/{G['s1']}.txt".encode()
    # patch the uncompressed size (to 100) in that entry's central directory record
    i = data.find(name, data.find(b"PK\x01\x02"))
    while data[i - 46:i - 42] != b"PK\x01\x02":
        i = data.find(name, i + 1)
    data[i - 46 + 24:i - 46 + 28] = (100).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    _refused(tmp_path, archive, "larger than the archive says|cannot read")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol4;"/>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>&xxe;</Description></Project>"""

NETWORK_DTD = """<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://127.0.0.1:9/evil.dtd">
<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY, NETWORK_DTD], ids=["laughs", "xxe", "dtd"])
def test_xml_entities_and_dtds_are_refused(tmp_path, xml):
    err = _refused(tmp_path, make_qdpx(tmp_path / "a.qdpx", xml), "DOCTYPE")
    assert "refused" in str(err)
    bare = tmp_path / "project.qde"
    bare.write_text(xml, encoding="utf-8")
    _refused(tmp_path, bare, "DOCTYPE")


def test_deep_nesting_and_garbage_are_format_errors(tmp_path):
    deep = "<Code>" * 300 + "</Code>" * 300
    _refused(tmp_path, make_qdpx(tmp_path / "a.qdpx", project_xml(f"<CodeBook><Codes>{deep}</Codes></CodeBook>")),
             "not well-formed|depth")
    (tmp_path / "junk.qdpx").write_bytes(b"PK\x03\x04 this is not a zip")
    _refused(tmp_path, tmp_path / "junk.qdpx", "zip archive")
    (tmp_path / "bin.qdpx").write_bytes(b"\x00\x01\x02")
    _refused(tmp_path, tmp_path / "bin.qdpx", "neither")
    _refused(tmp_path, make_qdpx(tmp_path / "b.qdpx", "<Project"), "not well-formed")
    _refused(tmp_path, make_qdpx(tmp_path / "c.qdpx", "<x/>", qde_name="other.txt"), "no project.qde")


def test_failure_while_building_leaves_nothing(tmp_path, monkeypatch):
    from qualcode.services import interchange

    text = "Some text here.\n"
    qde = project_xml(f'<Sources><TextSource guid="{G["s1"]}" name="T"><PlainTextContent>{text}</PlainTextContent>'
                      f'</TextSource></Sources>')
    archive = make_qdpx(tmp_path / "a.qdpx", qde)

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(interchange, "_write_cases", boom)
    with pytest.raises(OSError):
        import_project(archive, tmp_path / "proj")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.qdpx"]


def test_target_must_be_new_or_empty(tmp_path):
    archive = make_qdpx(tmp_path / "a.qdpx", project_xml("<Users/>"))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ProjectError, match="not empty"):
        import_project(archive, tmp_path / "full")
    (tmp_path / "empty").mkdir()
    result = import_project(archive, tmp_path / "empty")
    assert (result.root / "qualcode.toml").is_file()


def test_xml_size_limit(tmp_path):
    qde = project_xml("<Description>" + "x" * 20_000 + "</Description>")
    archive = make_qdpx(tmp_path / "a.qdpx", qde)
    _refused(tmp_path, archive, "project.qde is larger than 10,000 bytes", Limits(max_xml_bytes=10_000, max_ratio=1e9))
    bare = tmp_path / "project.qde"
    bare.write_text(qde, encoding="utf-8")
    _refused(tmp_path, bare, "larger than 10,000 bytes", Limits(max_xml_bytes=10_000))
