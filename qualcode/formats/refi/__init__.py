"""REFI-QDA interchange: .qdpx projects and .qdc codebooks, out (strict) and in (lenient, safe).

    guids       stable uuid5 GUIDs for export; lenient GUID reading
    safezip     opening a .qdpx / bare .qde with limits; safe XML parsing
    model       the REFI data as plain dataclasses
    reader      XML -> model (any namespace variant, lenient)
    writer      model -> schema-valid project.qde and .qdpx
    codebook    codes <-> REFI codes (descriptions, ids, colours); .qdc in and out
    positions   selection positions (code points / NVivo's UTF-16, CRLF) -> canonical offsets
    exporting   qualcode data -> model
    importing   model -> a plan for a new qualcode project
    layout      the files of that new project (front matter, qualcode.toml, cases.csv, notes)
    merge       merging an imported codebook into the current one

The user-visible operations are in ``qualcode.services.interchange``; docs/interchange.md says
what maps to what and what is lost.
"""

from .safezip import Limits

__all__ = ["Limits"]
