"""A seeded mutation fuzzer over every importer and the journal reader.

Each format has seeds (real-looking files made here or read from the repository's fixtures) and a
runner that feeds one input to qualcode the way a user's command would. A run is fine when it ends
in success or a ``QualcodeError`` (a clear message); anything else is a traceback, recorded with
the seed, the mutant number and the exception. Mutants are deterministic: (format, seed, index).

Used by ``tests/fuzz/test_fuzz.py`` (a few dozen mutants per format, seconds) and by
``benchmarks/fuzz_formats.py`` (10,000 per format, timed).
"""

from __future__ import annotations

import io
import json
import random
import shutil
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "formats" / "fixtures"

TRANSCRIPT = """---
id: int-1
title: A short interview
date: 2024-02-20
speakers:
  Interviewer: interviewer
  Ruth Adebayo: respondent
---
Interviewer: Could you start with your role on the partnership board?

Ruth Adebayo: I chair the community empowerment network. We monitor ethnicity on the board.

Interviewer: And the Neighbourhood Renewal Fund?

Ruth Adebayo: The outcomes matter more than who gets the money.
"""

CODEBOOK = """name: Fuzz
codes:
  - id: barriers
    name: Barriers
    colour: "#D62728"
    definition: Anything that keeps residents from taking part.
    examples: ["The papers come out the night before."]
    keywords: [barrier, jargon]
    children:
      - id: barriers.trust
        name: Trust
        shortcut: "l"
  - id: nrf
    name: Funding
"""

CASES = "transcript,case,sector,region\nint-1,A,voluntary,London\nint-2,B,council,\"North, East\"\n"

# Tokens a hostile or careless file is made of.
TOKENS = [
    b"---\n", b"...\n", b"&a ", b"*a ", b"!!python/object:os.system ", b"<<: *a\n", b": ", b"- ", b"[", b"]", b"{", b"}",
    b"\x00", b"\r", b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe2\x80\xa8", b"\t", b'"', b"'", b"#", b"\\",
    b"2024-02-30", b"99999999999999999999999999999999999999", b"NaN", b"-Infinity", b"1e999", b"null",
    b"Interviewer:", b"Q:", b"A:", b"[00:01:23]", b"00:00:01,000 --> 00:00:02,000\n", b"WEBVTT\n",
    b"<v Ann>", b"</v>", b"Speaker 1  0:04\n", b"**Name**:", b"#00:00:12-3#", b"\"n\":\"abc\"", b'"op":"zap"',
    b'"s":-1', b'"e":1e400', b"*" * 4096, b"a" * 4096, b" " * 4096, b"\n" * 512, b"[" * 3000, b"- " * 500 + b"x",
]


def _rng(fmt: str, seed_index: int, i: int) -> random.Random:
    return random.Random(f"{fmt}/{seed_index}/{i}")


def mutate(data: bytes, rnd: random.Random, *, rounds: int | None = None) -> bytes:
    """A few random edits: flips, insertions of hostile tokens, deletions, duplications, truncation."""
    buf = bytearray(data)
    for _ in range(rounds or rnd.randint(1, 6)):
        kind = rnd.random()
        pos = rnd.randint(0, len(buf)) if buf else 0
        if kind < 0.25 and buf:
            i = rnd.randrange(len(buf))
            buf[i] ^= 1 << rnd.randrange(8)
        elif kind < 0.55:
            token = rnd.choice(TOKENS)
            buf[pos:pos] = token * (rnd.randint(1, 40) if rnd.random() < 0.1 else 1)
        elif kind < 0.7 and buf:
            end = min(len(buf), pos + rnd.randint(1, 64))
            del buf[pos:end]
        elif kind < 0.85 and buf:
            a = rnd.randrange(len(buf))
            chunk = bytes(buf[a:a + rnd.randint(1, 256)])
            buf[pos:pos] = chunk * rnd.randint(1, 8)
        elif kind < 0.93 and buf:
            del buf[pos:]
        else:
            buf[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
    return bytes(buf)


def _rezip(data: bytes, rnd: random.Random, *, xml_member: str) -> bytes:
    """Mutate one member of a zip (usually the XML that matters) and zip it again; or the raw bytes."""
    if rnd.random() < 0.3:
        return mutate(data, rnd)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(info, zf.read(info)) for info in zf.infolist()]
    except Exception:  # noqa: BLE001 - a seed that is already damaged: mutate its bytes
        return mutate(data, rnd)
    target = xml_member if rnd.random() < 0.7 else rnd.choice(members)[0].filename
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, content in members:
            if info.filename == target:
                content = mutate(content, rnd)
            zf.writestr(info.filename, content)
    return out.getvalue()


# -- seeds -------------------------------------------------------------------------------------
def _docx_seed() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Interview with Ruth Adebayo, 12 March 2024")
    for who, said in [("Interviewer", "Could you start with your role?"), ("Ruth Adebayo", "I chair the network."),
                      ("Interviewer", "And the fund?"), ("Ruth Adebayo", "The outcomes matter more.")]:
        d.add_paragraph(f"{who}: {said}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _refi_seeds(work: Path) -> tuple[bytes, bytes]:
    from qualcode.services.coding_ops import add_coding  # noqa: F401 - the same path the CLI takes
    from qualcode.services.interchange import export_qdc, export_qdpx
    from qualcode.services.project_ops import import_transcripts, init_project

    proj = init_project(work / "seedproj")
    src = work / "int-1.txt"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    import_transcripts(proj, [src])
    s = proj.session("ann")
    t = proj.transcript("int-1")
    s.add("int-1", 10, 40, "theme")
    s.add("int-1", t.text.index("outcomes"), t.text.index("outcomes") + 20, "theme.sub", memo="a memo")
    proj.close()
    qdpx = export_qdpx(proj, work / "seed.qdpx").path
    qdc = export_qdc(proj, work / "seed.qdc").path
    return Path(qdpx).read_bytes(), Path(qdc).read_bytes()


def _journal_seed() -> bytes:
    lines = []
    for n in range(1, 6):
        lines.append({"v": 1, "n": n, "at": "2024-01-01T00:00:00Z", "op": "add",
                      "coding": {"id": f"c{n}", "t": "int-1", "s": n, "e": n + 10, "code": "barriers",
                                 "coder": "ann", "at": "2024", "quote": "x" * 10, "th": "abc"}})
    lines.append({"v": 1, "n": 6, "op": "recode", "id": "c1", "code": "nrf"})
    lines.append({"v": 1, "n": 7, "op": "memo", "id": "c2", "memo": "why"})
    lines.append({"v": 1, "n": 8, "op": "batch", "ops": [{"op": "remove", "id": "c3"},
                                                          {"op": "move", "id": "c4", "start": 1, "end": 2}]})
    lines.append({"v": 1, "n": 9, "op": "undo"})
    lines.append({"v": 1, "n": 10, "op": "redo"})
    return "".join(json.dumps(x) + "\n" for x in lines).encode()


def seeds(work: Path) -> dict[str, list[bytes]]:
    """Seeds per format (``work`` is a scratch folder for making the REFI ones)."""
    text_seeds = {"text": [TRANSCRIPT.encode()], "vtt": [], "srt": [], "otter": []}
    for f in sorted(FIXTURES.glob("*")):
        kind = {"vtt": "vtt", "srt": "srt"}.get(f.suffix.lstrip("."), "otter" if "otter" in f.name else "text")
        text_seeds[kind].append(f.read_bytes())
    qdpx, qdc = _refi_seeds(work)
    return {
        "text": text_seeds["text"], "vtt": text_seeds["vtt"], "srt": text_seeds["srt"],
        "otter": text_seeds["otter"] or [b"Speaker 1  0:04\nHello there.\n\nSpeaker 2  0:09\nHi.\n"],
        "docx": [_docx_seed()], "codebook": [CODEBOOK.encode()], "cases": [CASES.encode()],
        "journal": [_journal_seed()], "qdpx": [qdpx], "qdc": [qdc],
    }


# -- runners ------------------------------------------------------------------------------------
def _transcript(data: bytes, work: Path) -> None:
    from qualcode.formats.transcripts import parse_transcript

    parse_transcript(data, "fuzz.txt")


def _codebook(data: bytes, work: Path) -> None:
    from qualcode.formats.codebook_yaml import load_codebook

    path = work / "codebook.yaml"
    path.write_bytes(data)
    load_codebook(path)


def _cases(data: bytes, work: Path) -> None:
    from qualcode.store.cases import load_cases

    path = work / "cases.csv"
    path.write_bytes(data)
    load_cases(path)


def _journal(data: bytes, work: Path) -> None:
    from qualcode.store.journal import JournalWriter

    folder = work / "codings"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "ann.jsonl").write_bytes(data)
    with JournalWriter(folder, "ann", work / "snaps") as w:
        rep = w.open()
        w.compact(rep.codings, rep.future_lines)


def _qdpx(data: bytes, work: Path) -> None:
    from qualcode.services.interchange import import_project

    path = work / "in.qdpx"
    path.write_bytes(data)
    target = work / "imported"
    shutil.rmtree(target, ignore_errors=True)
    import_project(path, target)


def _qdc(data: bytes, work: Path) -> None:
    from qualcode.services.interchange import _codes_from_file

    path = work / "in.qdc"
    path.write_bytes(data)
    _codes_from_file(path, None)


RUNNERS = {
    "text": _transcript, "vtt": _transcript, "srt": _transcript, "otter": _transcript, "docx": _transcript,
    "codebook": _codebook, "cases": _cases, "journal": _journal, "qdpx": _qdpx, "qdc": _qdc,
}


def make_mutant(fmt: str, seed: bytes, seed_index: int, i: int) -> bytes:
    rnd = _rng(fmt, seed_index, i)
    if fmt == "docx":
        return _rezip(seed, rnd, xml_member="word/document.xml")
    if fmt == "qdpx":
        return _rezip(seed, rnd, xml_member="project.qde")
    return mutate(seed, rnd)


@dataclass
class Outcome:
    fmt: str
    runs: int = 0
    accepted: int = 0
    refused: int = 0
    tracebacks: list[str] = field(default_factory=list)
    slowest: float = 0.0
    slowest_case: str = ""
    times: list[float] = field(default_factory=list)

    def over(self, seconds: float) -> int:
        return sum(t > seconds for t in self.times)


def run(fmt: str, fmt_seeds: list[bytes], count: int, work: Path, *, start: int = 0) -> Outcome:
    """Mutants ``start`` .. ``start + count - 1`` of ``fmt`` (round robin over its seeds) through its runner."""
    out = Outcome(fmt)
    runner = RUNNERS[fmt]
    for i in range(start, start + count):
        k = i % len(fmt_seeds)
        data = make_mutant(fmt, fmt_seeds[k], k, i)
        scratch = Path(tempfile.mkdtemp(dir=work))
        t0 = time.perf_counter()
        try:
            runner(data, scratch)
            out.accepted += 1
        except QualcodeError:
            out.refused += 1
        except Exception:  # noqa: BLE001 - this is what the fuzzer looks for
            out.tracebacks.append(f"{fmt} seed {k} mutant {i}:\n{traceback.format_exc(limit=6)}")
        finally:
            dt = time.perf_counter() - t0
            shutil.rmtree(scratch, ignore_errors=True)
        out.runs += 1
        out.times.append(dt)
        if dt > out.slowest:
            out.slowest, out.slowest_case = dt, f"seed {k} mutant {i}"
    return out
