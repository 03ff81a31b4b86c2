"""Lenient import of deviant (synthetic) REFI-QDA files, modelled on what real programs write."""

from __future__ import annotations

import codecs

import pytest

from qualcode.services.interchange import import_project
from qualcode.store.project import Project
from tests.interchange.refi_helpers import G, make_qdpx, project_xml

CODEBOOK = (
    f'<CodeBook><Codes><Code guid="{G["c1"]}" name="Parent" isCodable="false" color="#abc">'
    f'<Description>Top.</Description>'
    f'<Code guid="{G["c2"]}" name="Child one" isCodable="true" color="#E34948FF"/></Code>'
    f'<Code guid="{G["c3"]}" name="Other" isCodable="true" description="written as an attribute"/></Codes></CodeBook>'
)
USERS = f'<Users><User guid="{G["u1"]}" name="Ann Smith"/><User guid="{{{G["u2"]}}}" name="Bob Jones" id="BJ"/></Users>'

# An NVivo-like text file: BOM, CRLF, characters outside the BMP.
RAW = "First line 😀 here\r\nSecond line with 👍 emoji\r\nThird line\r\n"
CANON = RAW.replace("\r\n", "\n")


def utf16_file_pos(sub: str, occurrence_end: bool = False) -> tuple[int, int]:
    """NVivo's positions of ``sub`` in RAW: UTF-16 units, CR counted, BOM not."""
    i = RAW.index(sub)
    units = lambda s: len(s.encode("utf-16-le")) // 2  # noqa: E731
    return units(RAW[:i]), units(RAW[: i + len(sub)])


def cp_pos(sub: str) -> tuple[int, int]:
    i = CANON.index(sub)
    return i, i + len(sub)


def _sel(guid: str, span: tuple[int, int], codes: list[str], *, name: str = "", user: str | None = None,
         extra: str = "") -> str:
    who = f' creatingUser="{user}"' if user else ""
    codings = "".join(f'<Coding guid="{guid[:-3]}{i:03d}"{who}><CodeRef targetGUID="{c}"/></Coding>'
                      for i, c in enumerate(codes, start=100))
    return (f'<PlainTextSelection guid="{guid}" name="{name}" startPosition="{span[0]}" endPosition="{span[1]}"{who}>'
            f'{extra}{codings}</PlainTextSelection>')


def _import(tmp_path, qde: str, files: dict | None = None, name="p.qdpx"):
    path = make_qdpx(tmp_path / name, qde, files)
    result = import_project(path, tmp_path / "proj")
    project = Project.open(tmp_path / "proj", search=False)
    return result, project


def _quotes(project: Project) -> dict[str, list[str]]:
    out = {}
    for coder in project.coders():
        for c in sorted(project.codings(coder), key=lambda c: (c.start, c.code)):
            out.setdefault(coder, []).append((project.transcript(c.transcript).text[c.start:c.end], c.code))
    return out


def test_nvivo_style_utf16_crlf_bom_capital_sources(tmp_path):
    s1 = _sel("ffffffff-0000-4000-8000-000000000001", utf16_file_pos("Second line with 👍 emoji"), [G["c2"].lower()],
              user=G["u1"].lower())
    s2 = _sel("ffffffff-0000-4000-8000-000000000002", utf16_file_pos("Third line"), [G["c3"]], user=G["u2"])
    qde = project_xml(USERS + CODEBOOK + f'<Sources><TextSource guid="{G["s1"]}" name="Interview 1" '
                      f'plainTextPath="internal://{G["s1"].lower()}.txt">{s1}{s2}</TextSource></Sources>',
                      attrs='name="N" origin="NVivo for Windows 12.6"')
    files = {f"Sources/{G['s1'].lower()}.txt": codecs.BOM_UTF8 + RAW.encode("utf-8"),
             f"Sources/{G['s1'].lower()}.docx": b"PK...", "Sources/.root": b""}
    result, project = _import(tmp_path, qde, files)
    assert result.offsets == {"UTF-16 units / file text": 1}
    assert _quotes(project) == {"Ann_Smith": [("Second line with 👍 emoji", "parent.child_one")],
                                "Bob_Jones": [("Third line", "other")]}
    assert project.transcript("interview-1").text == CANON
    assert any("not used" in w.message and ".docx" in w.message for w in result.warnings)
    book = project.codebook
    assert book.get("parent").colour == "#AABBCC" and book.get("parent.child_one").colour == "#E34948"
    assert book.get("other").definition == "written as an attribute"
    assert any("#E34948FF" in w.message for w in result.warnings)
    assert any("not codable" in w.message for w in result.warnings)
    assert result.coders["Bob_Jones"] == ("Bob Jones", G["u2"].lower())
    project.close()


@pytest.mark.parametrize("positions,origin", [("utf16", "Some Tool 1.0"), ("cp", "NVivo for Mac 12.7.0")])
def test_selection_names_decide_how_positions_count(tmp_path, positions, origin):
    """Where selections carry their text, it decides between code points and UTF-16 (whatever the origin)."""
    pos = utf16_file_pos if positions == "utf16" else cp_pos
    quotes = ["with 👍 emoji", "Third line", "line 😀 here"]
    sels = "".join(_sel(f"ffffffff-0000-4000-8000-00000000000{i}", pos(q), [G["c3"]], name=q, user=G["u1"])
                   for i, q in enumerate(quotes))
    raw = RAW if positions == "utf16" else CANON
    qde = project_xml(USERS + CODEBOOK + f'<Sources><TextSource guid="{G["s1"]}" name="T" '
                      f'plainTextPath="internal://{G["s1"]}.txt">{sels}</TextSource></Sources>',
                      attrs=f'name="N" origin="{origin}"')
    result, project = _import(tmp_path, qde, {f"sources/{G['s1']}.txt": raw})
    got = sorted(q for q, _ in _quotes(project)["Ann_Smith"])
    assert got == sorted(quotes)
    assert not [w for w in result.warnings if "differs" in w.message]
    project.close()


def test_mismatching_selection_names_are_reported(tmp_path):
    sels = (_sel("ffffffff-0000-4000-8000-000000000001", cp_pos("Third line"), [G["c3"]], name="Third line",
                 user=G["u1"])
            + _sel("ffffffff-0000-4000-8000-000000000002", cp_pos("First line"), [G["c3"]], name="Something else",
                   user=G["u1"]))
    qde = project_xml(USERS + CODEBOOK + f'<Sources><TextSource guid="{G["s1"]}" name="T" '
                      f'plainTextPath="internal://{G["s1"]}.txt">{sels}</TextSource></Sources>')
    result, project = _import(tmp_path, qde, {f"sources/{G['s1']}.txt": CANON})
    assert any("1 selection(s) whose text differs" in w.message for w in result.warnings)
    assert len(list(project.codings("Ann_Smith"))) == 2
    project.close()


@pytest.mark.parametrize("ns", [None, "urn:QDA-XML:project:0:4"])
def test_namespace_variants_braced_guids_inline_text(tmp_path, ns):
    text = "Q: Why?\nA: Because the board said so.\nQ: And then?\n"
    span = (text.index("Because"), text.index("so.") + 3)
    braced = "{" + G["c2"].upper() + "}"
    sel = (f'<PlainTextSelection guid="{{{G["n1"].upper()}}}" startPosition="{span[0]}" endPosition="{span[1]}">'
           f'<Description>selection comment</Description>'
           f'<Coding guid="{{DDDDDDDD-0000-4000-8000-000000000001}}" creatingUser="{G["u2"].upper()}">'
           f'<CodeRef targetGUID="{braced}"/><NoteRef targetGUID="{G["n1"].upper()}"/></Coding>'
           f'<Coding guid="DDDDDDDD-0000-4000-8000-000000000002" creatingUser="{G["u2"]}">'
           f'<CodeRef targetGUID="{G["c3"]}"/></Coding></PlainTextSelection>')
    qde = project_xml(USERS + CODEBOOK + f'<Sources><TextSource guid="{G["s1"]}" name="Inline">'
                      f'<PlainTextContent>{text}</PlainTextContent>{sel}</TextSource></Sources>'
                      f'<Notes><Note guid="{G["n1"]}" name="memo"><PlainTextContent>a note</PlainTextContent></Note>'
                      f'<Note guid="eeeeeeee-0000-4000-8000-000000000009" name="Project log">'
                      f'<PlainTextContent>kept elsewhere</PlainTextContent></Note></Notes>', ns=ns)
    result, project = _import(tmp_path, qde)
    if ns:
        assert any("0:4" in w.message for w in result.warnings)
    codings = sorted(project.codings("Bob_Jones"), key=lambda c: c.code)
    assert [(c.code, c.quote) for c in codings] == [("other", "Because the board said so."),
                                                     ("parent.child_one", "Because the board said so.")]
    assert codings[1].memo == "selection comment\n\na note"
    assert codings[0].memo == "selection comment"
    notes = (tmp_path / "proj" / "imported-notes.md").read_text("utf-8")
    assert "Project log" in notes and "kept elsewhere" in notes
    project.close()


def test_bare_qde_with_sources_folder_and_plain_file_names(tmp_path):
    folder = tmp_path / "export"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "board_2017.txt").write_text("Alpha beta gamma.\nDelta.\n", encoding="utf-8")
    sel = _sel("ffffffff-0000-4000-8000-000000000001", (6, 10), [G["c3"], G["c2"]], name="line:1")
    qde = project_xml(f'<Users><User guid="{G["u1"]}" name="cp"/></Users>' + CODEBOOK +
                      f'<Sources><TextSource guid="{G["s1"]}" plainTextPath="board_2017.txt">{sel}</TextSource>'
                      f'<TextSource guid="{G["s2"]}" plainTextPath="absolute:///etc/hostname"/></Sources>',
                      attrs=f'name="qc project" origin="qc 1.3.2" creatingUserGUID="{G["u1"]}"')
    (folder / "project.qde").write_text(qde, encoding="utf-8")
    result = import_project(folder / "project.qde", tmp_path / "proj")
    project = Project.open(tmp_path / "proj", search=False)
    assert [e.id for e in project.index] == ["source"]
    # no user on the codings: the project's creating user is the coder
    assert sorted(c.quote for c in project.codings("cp")) == ["beta", "beta"]
    assert any("external file" in w.message for w in result.warnings)
    project.close()


def test_cases_variables_sets_and_whole_source_codings(tmp_path):
    v1, v2 = "77777777-0000-4000-8000-000000000001", "77777777-0000-4000-8000-000000000002"
    qde = project_xml(
        USERS + CODEBOOK
        + f'<Variables><Variable guid="{v1}" name="age" typeOfVariable="Integer"/>'
          f'<Variable guid="{v2}" name="region" typeOfVariable="Text"/></Variables>'
          f'<Cases><Case guid="88888888-0000-4000-8000-000000000001" name="Person A">'
          f'<VariableValue><VariableRef targetGUID="{v1}"/><IntegerValue>42</IntegerValue></VariableValue>'
          f'<SourceRef targetGUID="{G["s1"]}"/><SourceRef targetGUID="{G["s2"]}"/></Case></Cases>'
          f'<Sources><TextSource guid="{G["s1"]}" name="A one"><PlainTextContent>one text</PlainTextContent>'
          f'<Coding guid="99999999-0000-4000-8000-000000000001" creatingUser="{G["u1"]}">'
          f'<CodeRef targetGUID="{G["c3"]}"/></Coding>'
          f'<VariableValue><VariableRef targetGUID="{v2}"/><TextValue>North</TextValue></VariableValue></TextSource>'
          f'<TextSource guid="{G["s2"]}" name="A two"><PlainTextContent>two text</PlainTextContent></TextSource>'
          f'<PictureSource guid="99999999-0000-4000-8000-000000000003" path="internal://x.png"/></Sources>'
          f'<Sets><Set guid="99999999-0000-4000-8000-000000000002" name="gender: female">'
          f'<MemberSource targetGUID="{G["s2"]}"/></Set></Sets>')
    result, project = _import(tmp_path, qde)
    cases = project.cases
    assert cases.columns == ["age", "region", "gender"]
    assert cases.attributes == {"a-one": {"age": "42", "region": "North"}, "a-two": {"age": "42", "gender": "female"}}
    assert cases.case("a-one") == cases.case("a-two") == "Person A"
    (whole,) = project.codings("Ann_Smith")
    assert (whole.start, whole.end, whole.quote) == (0, 8, "one text")
    assert any("PictureSource" in w.message for w in result.warnings)
    project.close()


def test_text_that_qualcode_reads_differently_keeps_its_codings_by_quote(tmp_path):
    """A source whose text looks like WebVTT is re-rendered by qualcode's reader: codings follow their text."""
    text = ("\n\nWEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAnn: Hello there everyone.\n\n"
            "2\n00:00:05.000 --> 00:00:08.000\nBob: Fine thanks.\n")
    span = (text.index("Hello"), text.index("everyone") + 8)
    sel = _sel("ffffffff-0000-4000-8000-000000000001", span, [G["c3"]], user=G["u1"])
    qde = project_xml(USERS + CODEBOOK + f'<Sources><TextSource guid="{G["s1"]}" name="Call">'
                      f'<PlainTextContent>{text}</PlainTextContent>{sel}</TextSource></Sources>')
    result, project = _import(tmp_path, qde)
    assert any("reads back with different text" in w.message for w in result.warnings)
    (c,) = project.codings("Ann_Smith")
    assert c.quote == "Hello there everyone" == project.transcript("call").text[c.start:c.end]
    project.close()


def test_leading_blank_lines_shift_the_offsets(tmp_path):
    text = "\n\n\nAnn: the first words.\nBob: more words.\n"
    span = (text.index("first"), text.index("words") + 5)
    sel = _sel("ffffffff-0000-4000-8000-000000000001", span, [G["c3"]], user=G["u1"])
    qde = project_xml(USERS + CODEBOOK + f'<Sources><TextSource guid="{G["s1"]}" name="Blank start">'
                      f'<PlainTextContent>{text}</PlainTextContent>{sel}</TextSource></Sources>')
    result, project = _import(tmp_path, qde)
    assert project.transcript("blank-start").text == text.lstrip("\n")
    (c,) = project.codings("Ann_Smith")
    assert c.quote == "first words"
    assert not [w for w in result.warnings if "different text" in w.message]
    project.close()
