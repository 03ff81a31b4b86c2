"""Helpers for the REFI-QDA tests: synthetic archives, schema validation, counting elements."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from tests.conftest import shared_path

NS = "urn:QDA-XML:project:1.0"


def schema(name: str) -> etree.XMLSchema:
    """A REFI-QDA schema from the shared folder (the test is skipped when it is not there)."""
    return etree.XMLSchema(etree.parse(str(shared_path("refi", "schemas", name))))


def assert_valid(xsd: etree.XMLSchema, xml: bytes) -> None:
    doc = etree.fromstring(xml)
    assert xsd.validate(doc.getroottree()), "\n".join(str(e) for e in xsd.error_log)


def count(xml: bytes, tag: str) -> int:
    """Elements with this local name, anywhere (independent of qualcode's reader)."""
    return len(etree.fromstring(xml).xpath(f'//*[local-name()="{tag}"]'))


def make_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes | str] | None = None,
              qde_name: str = "project.qde") -> Path:
    """A zip holding ``qde`` as ``qde_name`` and ``files`` (name -> content) as they are named."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(qde_name, qde.encode("utf-8") if isinstance(qde, str) else qde)
        for name, data in (files or {}).items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def project_xml(body: str, *, ns: str | None = NS, attrs: str = 'name="Synthetic" origin="test"') -> str:
    xmlns = f' xmlns="{ns}"' if ns else ""
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Project{xmlns} {attrs}>{body}</Project>'


G = {  # GUIDs for synthetic files (upper-case on purpose in places)
    "u1": "AAAAAAAA-0000-4000-8000-000000000001",
    "u2": "aaaaaaaa-0000-4000-8000-000000000002",
    "c1": "CCCCCCCC-0000-4000-8000-000000000001",
    "c2": "cccccccc-0000-4000-8000-000000000002",
    "c3": "cccccccc-0000-4000-8000-000000000003",
    "s1": "5555AAAA-0000-4000-8000-000000000001",
    "s2": "5555aaaa-0000-4000-8000-000000000002",
    "n1": "eeeeeeee-0000-4000-8000-000000000001",
}


def guid(n: int) -> str:
    return f"12345678-0000-4000-8000-{n:012d}"
