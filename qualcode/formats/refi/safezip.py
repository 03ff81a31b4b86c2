"""Reading a .qdpx (zip) or a bare .qde safely.

Nothing is ever extracted by the names inside the archive: qualcode reads ``project.qde`` and the
plain-text sources it refers to into memory, and writes files under names of its own. Still, an
archive that looks hostile is refused outright, with a ``FormatError`` that says why:

- an entry name that is absolute (``/x``, ``C:\\x``), climbs out (``..``), or is a symbolic link;
- more entries than ``Limits.max_entries``; two entries of the same name;
- an entry larger than ``ratio_floor`` whose declared size is more than ``max_ratio`` times its
  compressed size (a zip bomb), or declared sizes that add up to more than ``max_declared_bytes``;
- while reading: an entry that decompresses past its declared size, past ``max_entry_bytes``, past
  ``max_ratio`` once past ``ratio_floor``, or the bytes read in all past ``max_total_bytes``
  (declared sizes can lie).

The ratio is a test on large entries only: plain text compresses 500 to 1,000 times when it repeats
(a synthetic transcript, a long run of one line), as much as a zip bomb's zeros, so below
``ratio_floor`` it tells nothing; what bounds an archive of many such entries is
``max_total_bytes``.

XML is parsed by lxml with entities left unresolved, no network, no DTD loading and libxml2's size
and depth limits on; a document with a DOCTYPE is refused (REFI-QDA files never need one).
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from qualcode.errors import FormatError

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 20
_EXTERNAL = ("relative://", "absolute://", "file://", "http://", "https://", "ftp://")


@dataclass(frozen=True)
class Limits:
    """Bounds on what an archive may make qualcode read (defaults suit any real project)."""

    max_entries: int = 20_000
    max_entry_bytes: int = 1 << 30
    """Largest text source read."""
    max_xml_bytes: int = 512 << 20
    """Largest project.qde read (about a million codings; the model of it is what takes memory)."""
    max_total_bytes: int = 2 << 30
    """All bytes decompressed in one import."""
    max_declared_bytes: int = 64 << 30
    """Sum of the sizes the archive declares (media files included, though they are never read)."""
    max_ratio: float = 200.0
    """Largest uncompressed/compressed ratio of an entry ..."""
    ratio_floor: int = 64 << 20
    """... once it is larger than this. Below it, any ratio is read (within ``max_total_bytes``):
    a project's own export of a 10 MB transcript that repeats itself compresses 500 times."""


def is_external(ref: str) -> bool:
    """Whether a ``plainTextPath`` names a file outside the package (``relative://``, ``absolute://`` ...)."""
    return ref.strip().lower().startswith(_EXTERNAL)


def hostile_name(name: str) -> str | None:
    """Why an entry name or internal path is refused (None when it is fine)."""
    if "\x00" in name:
        return "contains a NUL character"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path"
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        return "climbs out of its folder ('..')"
    return None


@dataclass
class Package:
    """The REFI-QDA file as read: the XML of project.qde and access to its sources."""

    path: Path
    qde: bytes
    qde_name: str
    limits: Limits
    zip: zipfile.ZipFile | None = None
    folder: Path | None = None
    """For a bare .qde: the folder that may hold its ``sources/``."""
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    base: str = ""
    used: set[str] = field(default_factory=set)
    read_bytes: int = 0
    hint: str = "the .qdpx file is damaged; export it again"
    """What to do when an entry cannot be decompressed."""

    # -- sources ---------------------------------------------------------------------------
    def source(self, ref: str | None) -> tuple[bytes | None, str | None]:
        """The bytes a ``plainTextPath`` names, or (None, why not). Hostile paths raise FormatError."""
        if not ref or not ref.strip():
            return None, "no plainTextPath"
        ref = ref.strip()
        low = ref.lower()
        if low.startswith(_EXTERNAL):
            return None, f"external file {ref!r} (qualcode reads only files inside the archive)"
        name = ref[len("internal://"):] if low.startswith("internal://") else ref
        why = hostile_name(name)
        if why:
            raise FormatError(f"the source path {ref!r} {why}; refused", path=self.path,
                              hint="this file may have been crafted to write or read outside its folder; do not use it")
        while name.startswith("./"):
            name = name[2:]
        if name.lower().startswith("sources/"):
            name = name[len("sources/"):]
        for candidate in dict.fromkeys((name, unquote(name))):
            data = self._zip_source(candidate) if self.zip is not None else self._disk_source(candidate)
            if data is not None:
                return data, None
        where = "in the archive" if self.zip is not None else f"in {self._sources_dir() or 'a sources/ folder beside it'}"
        return None, f"{name!r} is not {where}"

    def _zip_source(self, name: str) -> bytes | None:
        key = f"{self.base}sources/{name}"
        info = self.entries.get(key)
        if info is None:
            folded = key.casefold()
            hits = [i for k, i in self.entries.items() if k.casefold() == folded]
            if not hits:
                return None
            info = hits[0]
        return self._read(info)

    def _sources_dir(self) -> Path | None:
        if self.folder is None:
            return None
        for sub in ("sources", "Sources"):
            if (self.folder / sub).is_dir():
                return self.folder / sub
        return None

    def _disk_source(self, name: str) -> bytes | None:
        folder = self._sources_dir()
        if folder is None:
            return None
        path = folder / name
        if not path.exists():
            lower = name.casefold()
            hits = [p for p in folder.iterdir() if p.name.casefold() == lower]
            if not hits:
                return None
            path = hits[0]
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or path.resolve().parent != folder.resolve():
            raise FormatError(f"the source {name!r} is not a plain file inside {folder}", path=path,
                              hint="sources must be ordinary files in the sources/ folder (no links)")
        self._count(st.st_size, name)
        self.used.add(path.name)
        return path.read_bytes()

    # -- reading with limits ---------------------------------------------------------------
    def _count(self, n: int, name: str, limit: int | None = None) -> None:
        limit = limit or self.limits.max_entry_bytes
        if n > limit:
            raise FormatError(f"{name} is larger than {limit:,} bytes; refused", path=self.path,
                              hint="this is not a file qualcode can import in one piece (see docs/interchange.md)")
        self.read_bytes += n
        if self.read_bytes > self.limits.max_total_bytes:
            raise FormatError(f"the archive holds more than {self.limits.max_total_bytes:,} bytes of text; refused",
                              path=self.path, hint="split the project, or check the file is what you think it is")

    def _read(self, info: zipfile.ZipInfo, limit: int | None = None) -> bytes:
        assert self.zip is not None
        if info.flag_bits & 0x1:
            raise FormatError(f"{info.filename} is encrypted", path=self.path,
                              hint="export the project again without a password")
        lim = self.limits
        out = bytearray()
        start = self.read_bytes
        try:
            with self.zip.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    n = len(out)
                    if n > info.file_size:
                        raise FormatError(f"{info.filename} is larger than the archive says; refused", path=self.path,
                                          hint="the archive is damaged or crafted; do not use it")
                    if _too_compressed(n, info, lim):
                        raise _bomb(self.path, info, n, lim)
                    self.read_bytes = start
                    self._count(n, info.filename, limit)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError, NotImplementedError,
                zlib.error, ValueError) as exc:
            raise FormatError(f"cannot read {info.filename} from the archive: {exc}", path=self.path,
                              hint=self.hint) from None
        self.used.add(info.filename)
        return bytes(out)

    def unreferenced(self) -> list[str]:
        """Files in the archive nothing referred to (hidden files and folders left out)."""
        out = []
        for name, info in self.entries.items():
            leaf = PurePosixPath(name).name
            if info.is_dir() or not leaf or leaf.startswith(".") or name in self.used or name == self.qde_name:
                continue
            out.append(name)
        return out

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()
            self.zip = None


def _too_compressed(size: int, info: zipfile.ZipInfo, lim: Limits) -> bool:
    """Whether ``size`` bytes of ``info`` are a zip bomb's: past ``ratio_floor`` and ``max_ratio``."""
    return size > lim.ratio_floor and size > lim.max_ratio * max(info.compress_size, 1)


def _bomb(path, info: zipfile.ZipInfo, size: int, lim: Limits) -> FormatError:
    return FormatError(f"{info.filename} expands more than {lim.max_ratio:g} times ({info.compress_size:,} bytes "
                       f"to {size:,} or more: a zip bomb?); refused",
                       path=path, hint="this file is damaged or was crafted to exhaust memory; do not use it")


def open_package(path: str | Path, limits: Limits | None = None) -> Package:
    """Open a .qdpx (zip) or a bare .qde (XML). Refuses hostile archives (see the module doc)."""
    path = Path(path)
    limits = limits or Limits()
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except FileNotFoundError:
        raise FormatError("file not found", path=path, hint="check the path") from None
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror}", path=path) from None
    if head.startswith(_ZIP_MAGIC):
        return _open_zip(path, limits)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<") or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        size = path.stat().st_size
        pkg = Package(path=path, qde=b"", qde_name=path.name, limits=limits, folder=path.parent)
        pkg._count(size, path.name, limits.max_xml_bytes)
        pkg.qde = path.read_bytes()
        return pkg
    raise FormatError("this is neither a .qdpx archive (zip) nor a .qde/.qdc file (XML)", path=path,
                      hint="export the project from your QDA program as REFI-QDA (.qdpx)")


def _open_zip(path: Path, limits: Limits) -> Package:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
        raise FormatError(f"not a readable zip archive: {exc}", path=path,
                          hint="the .qdpx file is damaged or incomplete; export it again") from None
    try:
        entries = check_entries(zf, path, limits)
        qde_name = _find_qde(entries, path)
        base = qde_name.rpartition("/")[0]
        pkg = Package(path=path, qde=b"", qde_name=qde_name, limits=limits, zip=zf, entries=entries,
                      base=base + "/" if base else "")
        pkg.qde = pkg._read(entries[qde_name], limits.max_xml_bytes)
        return pkg
    except BaseException:
        zf.close()
        raise


def check_entries(zf: zipfile.ZipFile, path, limits: Limits,
                  what: str = "a genuine REFI-QDA export") -> dict[str, zipfile.ZipInfo]:
    """The archive's entries by name, after refusing hostile names, links, duplicates, too many
    entries, a declared ratio past ``max_ratio`` and declared sizes past ``max_declared_bytes``."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise FormatError(f"the archive has {len(infos):,} entries (more than {limits.max_entries:,}); refused",
                          path=path, hint=f"this is not {what}; do not use it")
    entries: dict[str, zipfile.ZipInfo] = {}
    declared = 0
    for info in infos:
        name = info.filename
        why = hostile_name(name)
        if why:
            raise FormatError(f"the archive entry {name!r} {why}; refused", path=path,
                              hint="this file may have been crafted to write outside its folder; do not use it")
        mode = (info.external_attr >> 16) & 0o170000
        if mode == stat.S_IFLNK:
            raise FormatError(f"the archive entry {name!r} is a symbolic link; refused", path=path,
                              hint=f"this is not {what}: those hold only ordinary files")
        if name in entries:
            raise FormatError(f"the archive has two entries named {name!r}; refused", path=path,
                              hint="the archive is damaged or crafted; do not use it")
        if _too_compressed(info.file_size, info, limits):
            raise _bomb(path, info, info.file_size, limits)
        declared += info.file_size
        entries[name] = info
    if declared > limits.max_declared_bytes:
        raise FormatError(f"the archive would expand to {declared:,} bytes; refused", path=path,
                          hint=f"this is not {what}, or far too large to import")
    return entries


DOCX_LIMITS = Limits(max_entries=5_000, max_entry_bytes=32 << 20, max_xml_bytes=32 << 20,
                     max_total_bytes=96 << 20, max_declared_bytes=96 << 20, max_ratio=100.0)
"""A Word transcript: its text fits in a few MB; images are counted but never decoded."""


def check_docx(data: bytes, name: str, limits: Limits = DOCX_LIMITS) -> None:
    """Refuse a .docx that breaks ``limits`` (entries, ratio, sizes: declared and as read) or does not
    decompress, before python-docx sees it. Every entry is read once, within the budget."""
    hint = "open the file in Word and save it again as .docx, or export the transcript as plain text"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        raise FormatError("this Word/zip file is damaged or truncated and cannot be opened", path=name,
                          hint=hint) from None
    with zf:
        entries = check_entries(zf, name, limits, what="a Word document")
        pkg = Package(path=Path(name), qde=b"", qde_name="", limits=limits, zip=zf, entries=entries, hint=hint)
        for info in entries.values():
            if not info.is_dir():
                pkg._read(info)


def _find_qde(entries: dict[str, zipfile.ZipInfo], path: Path) -> str:
    if "project.qde" in entries:
        return "project.qde"
    qdes = [n for n in entries if n.lower().endswith(".qde") and n.count("/") <= 1]
    top = [n for n in qdes if "/" not in n]
    if len(top) == 1:
        return top[0]
    if len(qdes) == 1:
        return qdes[0]
    if not qdes:
        raise FormatError("the archive holds no project.qde", path=path,
                          hint="is this a REFI-QDA project export (.qdpx)? A codebook (.qdc) is imported with `qualcode import-codebook`")
    raise FormatError(f"the archive holds several .qde files ({', '.join(sorted(qdes))}) and no project.qde", path=path,
                      hint="keep one project per archive")


_PROLOG_DOCTYPE = re.compile(r"^\ufeff?\s*(?:(?:<\?.*?\?>|<!--.*?-->)\s*)*<!DOCTYPE", re.S)


def _has_doctype(data: bytes) -> bool:
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return bool(_PROLOG_DOCTYPE.match(text))


def _refuse_doctype(name) -> FormatError:
    return FormatError("the XML declares a DOCTYPE (a DTD or entities); refused", path=name,
                       hint="REFI-QDA files never need one; this file may be crafted to expand entities "
                            "or to reach other files or the network")


def check_prolog(data: bytes, name: str | Path) -> None:
    """Refuse a document that declares a DOCTYPE (checked before any parsing)."""
    if _has_doctype(data):
        raise _refuse_doctype(name)


def syntax_error(exc: etree.XMLSyntaxError, name: str | Path) -> FormatError:
    msg = str(exc.msg or exc).split(", line")[0]
    return FormatError(f"not well-formed XML: {msg}", path=name, line=exc.lineno or None,
                       hint="the file is damaged or not a REFI-QDA file; export it again")


def parse_xml(data: bytes, name: str | Path) -> etree._Element:
    """Parse untrusted XML: no entities, no DTD, no network, libxml2's size and depth limits."""
    check_prolog(data, name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, collect_ids=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, name) from None
    check_docinfo(root, name)
    return root


def check_docinfo(root: etree._Element, name: str | Path) -> None:
    """Refuse a parsed document that turned out to declare a DOCTYPE after all."""
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _refuse_doctype(name)
