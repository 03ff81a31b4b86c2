"""export qdpx --positions: code points (REFI-QDA 1.5 §10.2) or UTF-16 code units (as NVivo counts).

The two differ only after a character outside the BMP (an emoji counts 1 code point, 2 UTF-16 units).
The NVivo sample is read from the shared folder (never copied into the repository).
"""

from __future__ import annotations

import json
import zipfile

import pytest
from lxml import etree

from qualcode.services.interchange import export_qdpx, import_project
from qualcode.store.project import Project
from tests.conftest import shared_path
from tests.interchange.test_refi_cli import run

NVIVO = ("refi", "samples", "projects", "nvivo-win-12.6_oltas.qdpx")


def _selections(path) -> tuple[str, dict[str, tuple[int, int]]]:
    """The (only) coded text source's file text (BOM removed) and its selections' positions by GUID,
    read from the archive with lxml (independently of qualcode's reader)."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        files = {n.lower(): n for n in zf.namelist()}
        (src,) = root.xpath('//*[local-name()="TextSource"][*[local-name()="PlainTextSelection"]]')
        name = src.get("plainTextPath").replace("internal://", "")
        raw = zf.read(files["sources/" + name.lower()]).decode("utf-8-sig")
    sels = {s.get("guid").lower(): (int(s.get("startPosition")), int(s.get("endPosition")))
            for s in src.xpath('*[local-name()="PlainTextSelection"]')}
    return raw, sels


def _utf16(text: str, start: int, end: int) -> str:
    """text[start:end] with positions counted in UTF-16 code units, as NVivo reads them."""
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def _at_line_start(text: str, start: int) -> bool:
    return start == 0 or _utf16(text, start - 1, start) == "\n"


def _codings(root) -> list[tuple]:
    p = Project.open(root)
    try:
        return sorted((c.transcript, c.start, c.end, c.code, coder, c.id)
                      for coder in p.coders() for c in p.codings(coder))
    finally:
        p.close()


@pytest.fixture(scope="module")
def nvivo_project(tmp_path_factory):
    path = shared_path(*NVIVO)
    root = tmp_path_factory.mktemp("nv") / "nv1"
    import_project(path, root)
    return path, root


@pytest.mark.parametrize("positions", ["auto", "utf16"])
def test_nvivo_project_goes_back_with_nvivo_positions(nvivo_project, tmp_path, positions):
    path, root = nvivo_project
    original, orig_sels = _selections(path)
    assert len(orig_sels) == 97 and all(_at_line_start(original, s) for s, _ in orig_sels.values())
    p = Project.open(root)
    try:
        r = export_qdpx(p, tmp_path / "out.qdpx", positions=positions)
    finally:
        p.close()
    assert r.positions == "utf16"  # auto: the project came from NVivo
    assert any("UTF-16" in str(w) and "--positions codepoints" in str(w) for w in r.warnings)
    text, sels = _selections(tmp_path / "out.qdpx")
    assert set(sels) == set(orig_sels)  # the selections go back with their GUIDs
    assert all(_at_line_start(text, s) for s, _ in sels.values())
    for guid, (s, e) in sels.items():
        want = _utf16(original, *orig_sels[guid]).replace("\r\n", "\n")
        assert _utf16(text, s, e) == want, guid


def test_codepoints_export_follows_the_standard_and_warns_about_nvivo(nvivo_project, tmp_path):
    path, root = nvivo_project
    original, orig_sels = _selections(path)
    p = Project.open(root)
    try:
        r = export_qdpx(p, tmp_path / "cp.qdpx", positions="codepoints")
    finally:
        p.close()
    assert r.positions == "codepoints"
    assert any("NVivo" in str(w) and "--positions utf16" in str(w) for w in r.warnings)
    text, sels = _selections(tmp_path / "cp.qdpx")
    for guid, (s, e) in sels.items():
        assert text[s:e] == _utf16(original, *orig_sels[guid]).replace("\r\n", "\n"), guid


@pytest.mark.parametrize("positions", ["codepoints", "utf16"])
def test_round_trip_places_every_coding_on_the_same_text(nvivo_project, tmp_path, positions):
    _, root = nvivo_project
    p = Project.open(root)
    try:
        export_qdpx(p, tmp_path / "out.qdpx", positions=positions)
    finally:
        p.close()
    back = import_project(tmp_path / "out.qdpx", tmp_path / "back")
    assert back.offsets == {("UTF-16 units" if positions == "utf16" else "code points") + " / file text": 1}
    assert _codings(tmp_path / "back") == _codings(root)


EMOJI_TEXT = ("Ruth: We loved it 😀 and said so.\n\n"
              "Sam: The meeting 🎉 went on and on, and every one of us, honestly, every single one, 🙂 had "
              "something to say about the fund and the board.\n\n"
              "Ruth: Then it ended.\n")


def _emoji_project(project, tmp_path):
    from qualcode.services.coding_ops import add_coding
    from qualcode.services.project_ops import import_transcripts

    src = tmp_path / "emoji.txt"
    src.write_text(EMOJI_TEXT, encoding="utf-8")
    import_transcripts(project, [src])
    code = project.codebook.codes[0].id
    text = project.transcript("emoji").text
    quotes = ["and said so.", "Then it ended.",
              # long (its selection's name is cut short) and holding two emoji
              "The meeting 🎉 went on and on, and every one of us, honestly, every single one, 🙂 had something"]
    for q in quotes:
        add_coding(project, "ann", "emoji", code, quote=q)
    return text, quotes


def test_own_project_defaults_to_code_points(project, tmp_path):
    text, quotes = _emoji_project(project, tmp_path)
    r = export_qdpx(project, tmp_path / "e.qdpx")
    assert r.positions == "codepoints"
    assert any("--positions utf16" in str(w) for w in r.warnings)
    got, sels = _selections(tmp_path / "e.qdpx")
    assert sorted(got[s:e] for s, e in sels.values()) == sorted(quotes)


def test_utf16_export_of_an_emoji_text_round_trips(project, tmp_path):
    text, quotes = _emoji_project(project, tmp_path)
    r = export_qdpx(project, tmp_path / "e.qdpx", positions="utf16")
    got, sels = _selections(tmp_path / "e.qdpx")
    assert sorted(_utf16(got, s, e) for s, e in sels.values()) == sorted(quotes)
    assert r.positions == "utf16"
    back = import_project(tmp_path / "e.qdpx", tmp_path / "back")
    assert not back.warnings, back.warnings
    p = Project.open(tmp_path / "back")
    try:
        t = p.transcript("emoji")
        assert sorted(t.text[c.start:c.end] for c in p.codings("ann")) == sorted(quotes)
    finally:
        p.close()


def test_export_positions_option_on_the_command_line(project, tmp_path):
    _emoji_project(project, tmp_path)
    out = run("export", "qdpx", "--positions", "utf16", "-o", tmp_path / "u.qdpx", "--json",
              "--project", project.root, check=0)
    assert json.loads(out.stdout)["positions"] == "utf16"
    text = run("export", "qdpx", "-o", tmp_path / "c.qdpx", "--project", project.root, check=0)
    assert "positions in code points" in text.stdout and "--positions utf16" in text.stderr
    bad = run("export", "qdpx", "--positions", "bytes", "--project", project.root, check=2)
    assert "Traceback" not in bad.stderr and "--positions" in bad.stderr


def test_round_trip_trusts_the_counting_qualcode_wrote(project, tmp_path):
    """A lone selection whose name is cut short, holding two emoji and ending inside a word: its name
    fits both countings and code points would end it on a word boundary; the metadata decides."""
    from qualcode.services.coding_ops import add_coding
    from qualcode.services.project_ops import import_transcripts

    src = tmp_path / "long.txt"
    src.write_text(EMOJI_TEXT.split("\n\n", 1)[1], encoding="utf-8")  # no emoji before the selection
    import_transcripts(project, [src])
    quote = "The meeting 🎉 went on and on, and every one of us, honestly, every single one, 🙂 had somethi"
    add_coding(project, "ann", "long", project.codebook.codes[0].id, quote=quote)
    export_qdpx(project, tmp_path / "l.qdpx", positions="utf16")
    back = import_project(tmp_path / "l.qdpx", tmp_path / "back")
    assert back.offsets == {"UTF-16 units / file text": 1}
    p = Project.open(tmp_path / "back")
    try:
        (c,) = list(p.codings("ann"))
        assert p.transcript("long").text[c.start:c.end] == quote
    finally:
        p.close()


@pytest.mark.parametrize(("origin", "want"), [("qualcode 0.1.0", "here "), ("NVivo for Windows 12.6", "there")])
def test_the_recorded_counting_is_believed_only_of_qualcode_files(tmp_path, origin, want):
    """A program that re-exports a qualcode project may keep its metadata note but counts its own way."""
    from qualcode.formats.refi.codebook import META_NAME, dump_meta
    from tests.interchange.refi_helpers import G, make_qdpx, project_xml

    text = "Hi 😀 there friend.\n"
    sel = (f'<PlainTextSelection guid="{G["n1"][:-1]}2" startPosition="6" endPosition="11">'
           f'<Coding guid="{G["n1"][:-1]}3"><CodeRef targetGUID="{G["c1"]}"/></Coding></PlainTextSelection>')
    body = (f'<CodeBook><Codes><Code guid="{G["c1"]}" name="Greeting" isCodable="true"/></Codes></CodeBook>'
            f'<Sources><TextSource guid="{G["s1"]}" name="Talk" plainTextPath="internal://{G["s1"]}.txt">{sel}'
            f'</TextSource></Sources><Notes><Note guid="{G["n1"]}" name="{META_NAME}"><PlainTextContent>'
            f'{dump_meta({"positions": "codepoints"})}</PlainTextContent></Note></Notes>')
    path = make_qdpx(tmp_path / "m.qdpx", project_xml(body, attrs=f'name="M" origin="{origin}"'),
                     {f"sources/{G['s1'].lower()}.txt": text})
    import_project(path, tmp_path / "p")
    p = Project.open(tmp_path / "p")
    try:
        (c,) = [c for coder in p.coders() for c in p.codings(coder)]
        assert p.transcript(c.transcript).text[c.start:c.end] == want
    finally:
        p.close()
