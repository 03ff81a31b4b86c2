"""REFI-QDA hardening: selection GUIDs survive a round trip, every variable is kept, exports share one
file mode, code trees too deep are refused before anything is written."""

from __future__ import annotations

import os
import stat

import pytest
from lxml import etree

from qualcode.errors import FormatError
from qualcode.services.interchange import export_qdc, export_qdpx, import_codebook, import_project
from qualcode.store.project import Project
from tests.interchange.refi_helpers import G, make_qdpx, project_xml

CODEBOOK = f'<CodeBook><Codes><Code guid="{G["c3"]}" name="Other" isCodable="true"/></Codes></CodeBook>'
USERS = f'<Users><User guid="{G["u1"]}" name="Ann Smith"/></Users>'
SEL = "ffffffff-0000-4000-8000-00000000abcd"


def _selection_guids(qdpx) -> set[str]:
    import zipfile

    with zipfile.ZipFile(qdpx) as zf:
        root = etree.fromstring(zf.read("project.qde"))
    return {el.get("guid").lower() for el in root.xpath('//*[local-name()="PlainTextSelection"]')}


def test_selection_guids_survive_import_and_export(tmp_path):
    text = "alpha beta gamma"
    qde = project_xml(
        USERS + CODEBOOK + f'<Sources><TextSource guid="{G["s1"]}" name="One"><PlainTextContent>{text}</PlainTextContent>'
        f'<PlainTextSelection guid="{SEL.upper()}" startPosition="6" endPosition="10" creatingUser="{G["u1"]}">'
        f'<Coding guid="ffffffff-0000-4000-8000-000000000100" creatingUser="{G["u1"]}"><CodeRef targetGUID="{G["c3"]}"/>'
        f'</Coding></PlainTextSelection></TextSource></Sources>')
    import_project(make_qdpx(tmp_path / "in.qdpx", qde), tmp_path / "proj")
    project = Project.open(tmp_path / "proj", search=False)
    out = export_qdpx(project, tmp_path / "out.qdpx")
    assert _selection_guids(out.path) == {SEL}
    # and again: a second round trip keeps it too
    import_project(out.path, tmp_path / "proj2")
    again = export_qdpx(Project.open(tmp_path / "proj2", search=False), tmp_path / "out2.qdpx")
    assert _selection_guids(again.path) == {SEL}


def test_variables_named_like_qualcode_columns_are_kept_renamed_with_a_warning(tmp_path):
    v1, v2, v3 = (f"77777777-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
    values = "".join(f'<VariableValue><VariableRef targetGUID="{v}"/><TextValue>{x}</TextValue></VariableValue>'
                     for v, x in ((v1, "T-value"), (v2, "C-value"), (v3, "R-value")))
    qde = project_xml(
        USERS + CODEBOOK
        + f'<Variables><Variable guid="{v1}" name="transcript" typeOfVariable="Text"/>'
          f'<Variable guid="{v2}" name="Case" typeOfVariable="Text"/>'
          f'<Variable guid="{v3}" name="region" typeOfVariable="Text"/></Variables>'
          f'<Sources><TextSource guid="{G["s1"]}" name="One"><PlainTextContent>some text</PlainTextContent>'
          f'{values}</TextSource></Sources>')
    result = import_project(make_qdpx(tmp_path / "in.qdpx", qde), tmp_path / "proj")
    project = Project.open(tmp_path / "proj", search=False)
    row = project.cases.attributes["one"]
    assert row == {"transcript_2": "T-value", "Case_2": "C-value", "region": "R-value"}
    warned = " ".join(w.message for w in result.warnings)
    assert "'transcript' is kept as column 'transcript_2'" in warned and "'Case' is kept as column 'Case_2'" in warned


def test_every_export_gets_the_same_file_mode(project, tmp_path):
    old = os.umask(0o022)
    try:
        qdpx = export_qdpx(project, tmp_path / "a.qdpx").path
        qdc = export_qdc(project, tmp_path / "a.qdc").path
    finally:
        os.umask(old)
    modes = {stat.S_IMODE(os.stat(p).st_mode) for p in (qdpx, qdc)}
    assert len(modes) == 1
    assert modes.pop() & 0o044  # readable by others like any saved document, not 0600


def test_a_code_tree_too_deep_is_refused_before_any_backup(project, tmp_path):
    inner = ""
    for i in range(164, 0, -1):
        inner = f'<Code guid="12345678-0000-4000-8000-{i:012d}" name="c{i}" isCodable="true">{inner}</Code>'
    path = tmp_path / "deep.qdc"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
                    f'origin="t"><Codes>{inner}</Codes></CodeBook>', encoding="utf-8")
    before = sorted(p.name for p in project.codebook_path.parent.iterdir())
    with pytest.raises(FormatError, match="nested 31 levels deep"):
        import_codebook(project, path)
    assert sorted(p.name for p in project.codebook_path.parent.iterdir()) == before  # no stray .bak


def _corrupt_member(data: bytes, member: str, *, version: int | None = None) -> bytes:
    import io
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out = bytearray(data)
    if version is None:
        for i in range(start + 2, start + 30):
            out[i] ^= 0x5A
    else:  # "version needed to extract", in the central directory (what zipfile checks)
        cd = data.find(b"PK\x01\x02")
        while cd != -1:
            name_len = int.from_bytes(data[cd + 28:cd + 30], "little")
            if data[cd + 46:cd + 46 + name_len].decode() == member:
                out[cd + 6:cd + 8] = version.to_bytes(2, "little")
            cd = data.find(b"PK\x01\x02", cd + 4)
    return bytes(out)


@pytest.mark.parametrize("version", [None, 99])
def test_a_qdpx_with_a_corrupt_stream_or_unsupported_zip_version_is_refused_clearly(project, tmp_path, version):
    good = export_qdpx(project, tmp_path / "good.qdpx").path.read_bytes()
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(_corrupt_member(good, "project.qde", version=version))
    with pytest.raises(FormatError, match="cannot read project.qde|not a readable zip archive") as info:
        import_project(bad, tmp_path / "out")
    assert str(bad) in str(info.value)
    assert not (tmp_path / "out").exists()
