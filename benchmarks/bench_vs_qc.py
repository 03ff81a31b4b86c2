"""qualcode against qc (qualitative-coding 1.7.8) on the same corpus, command by command, interleaved.

qc is not installed by this script (nor by qualcode): make its own venv once, apart from qualcode's,

    python3 -m venv /tmp/qcvenv && /tmp/qcvenv/bin/pip install qualitative-coding==1.7.8

then run

    .venv/bin/python benchmarks/bench_vs_qc.py --qc /tmp/qcvenv/bin/qc [--rounds 7] [--reuse]

The corpus: benchmarks/generate.py's project of 200 transcripts x 5,000 words and 40,000 codings by two
coders (coder_1, coder_2), and the same transcripts and codings turned into a qc project. qc codes
lines, not character spans: each transcript's canonical text is wrapped at 80 columns (turns stay
paragraphs, a blank line apart: qc's paragraphs are qualcode's turns), each qualcode coding becomes
that coder's code on every line its span touches, and the codebook is the same tree (a code id's
dots become underscores, as qc's code names allow only letters, digits, _ and -). The qc project is
written with qc's own QCCorpus (documents registered as `qc corpus import` does) and its coded lines
inserted in bulk into qc's database.

Each matched pair runs as a user runs it (a fresh process, stdout discarded), interleaved round by
round: qc, qualcode, qc, qualcode... (the pair's order alternates from round to round), after one
warm-up run of each. Printed per command: both medians, and the median of the per-round ratios qc /
qualcode (a busy machine slows both sides of a round alike); beside them the load average and the
machine (benchmarks/machine.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_project  # noqa: E402
from machine import load, measured  # noqa: E402

RETRIEVE = "outcomes.matter"  # the code retrieved (a leaf with its share of the codings)
TARGETS = {"table frequencies": 0.25, "table retrieve": 0.25}  # issue 18: at most 0.25 s

# The qc project is written inside qc's venv by its own classes (run there as a script).
QC_BUILD = r"""
import json, sqlite3, sys
from pathlib import Path
from qualitative_coding.corpus import QCCorpus
from qualitative_coding.logs import configure_logger

root = Path(sys.argv[1])
data = json.loads(Path(sys.argv[2]).read_text())
settings = root / "settings.yaml"
QCCorpus.initialize(settings)
configure_logger(settings)
corpus = QCCorpus(settings)
with corpus.session():
    for name in data["documents"]:
        corpus.register_document(corpus.corpus_dir / name)
db = sqlite3.connect(root / corpus.settings["database"])
paragraphs = {}
for doc, start, end, loc in db.execute(
        "SELECT di.document_id, l.start_line, l.end_line, l.id FROM location l "
        "JOIN document_index di ON l.document_index_id = di.id WHERE di.name = 'paragraphs'"):
    for line in range(start, end):
        paragraphs[(doc, line)] = loc
db.executemany("INSERT INTO coder (name) VALUES (?)", [(c,) for c in data["coders"]])
db.executemany("INSERT INTO code (name) VALUES (?)", [(c,) for c in data["codes"]])
seen = set()
n = 0
for doc, line, coder, code in data["coded_lines"]:
    if (doc, line, coder, code) in seen:
        continue
    seen.add((doc, line, coder, code))
    n += 1
    db.execute("INSERT INTO coded_line (id, line, coder_id, code_id) VALUES (?, ?, ?, ?)", (n, line, coder, code))
    db.execute("INSERT INTO coded_line_location_association (coded_line_id, location_id) VALUES (?, ?)",
               (n, paragraphs[(doc, line)]))
db.commit()
print(n)
"""

# qc codes in an editor; this one adds CODE to the first line of the codes file that lacks it.
QC_EDITOR = r"""
import sys
from pathlib import Path
codes = Path(sys.argv[2])
lines = codes.read_text().split("\n")
for i, line in enumerate(lines[:-1]):
    have = [c.strip() for c in line.split(",") if c.strip()]
    if CODE not in have:
        lines[i] = ", ".join(have + [CODE])
        break
codes.write_text("\n".join(lines))
"""


def qc_name(code_id: str) -> str:
    return code_id.replace(".", "_")


def wrap(text: str, width: int = 80) -> tuple[list[str], list[int]]:
    """The text as lines of at most ``width`` columns (paragraphs kept), and each line's start offset."""
    lines: list[str] = []
    starts: list[int] = []
    pos = 0
    for para in text.split("\n"):
        if not para.strip():
            lines.append("")
            starts.append(pos)
        else:
            at = pos
            for piece in textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=False):
                at = text.index(piece, at)
                lines.append(piece)
                starts.append(at)
                at += len(piece)
        pos += len(para) + 1
    return lines, starts


def build_qc(folder: Path, qc_root: Path, qc_python: Path) -> dict:
    """The qc project of the qualcode project in ``folder``: the same texts, codings and codebook."""
    import bisect

    from qualcode.store.project import Project

    project = Project.open(folder, search=False)
    if qc_root.exists():
        shutil.rmtree(qc_root)
    (qc_root / "corpus").mkdir(parents=True)
    codes = {c.id: qc_name(c.id) for c in project.codebook.codes}
    assert len(set(codes.values())) == len(codes), "two code ids map to one qc name"
    documents, coded_lines, line_starts = [], [], {}
    for tid in project.index.ids():
        t = project.transcript(tid)
        lines, starts = wrap(t.text)
        name = f"{tid}.txt"
        (qc_root / "corpus" / name).write_text("\n".join(lines) + "\n", "utf-8")
        documents.append(name)
        line_starts[tid] = starts
    codings = 0
    for coder in project.coders():
        for c in project.codings(coder):
            starts = line_starts[c.transcript]
            first = bisect.bisect_right(starts, c.start) - 1
            last = bisect.bisect_left(starts, c.end) - 1
            for line in range(first, last + 1):
                coded_lines.append((f"{c.transcript}.txt", line, coder, codes[c.code]))
            codings += 1
    tree = _qc_tree(project.codebook, codes)
    (qc_root / "codebook.yaml").write_text(tree, "utf-8")
    data = qc_root / "build.json"
    data.write_text(json.dumps({"documents": documents, "coders": project.coders(),
                                "codes": sorted(codes.values()), "coded_lines": coded_lines}))
    out = subprocess.run([str(qc_python), "-c", QC_BUILD, str(qc_root), str(data)], cwd=qc_root,
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"building the qc project failed: {out.stderr.strip()[-800:]}")
    data.unlink()
    editor = qc_root / "add_one_code.py"
    editor.write_text(f"CODE = {codes[RETRIEVE]!r}\n" + QC_EDITOR)
    import yaml

    settings = yaml.safe_load((qc_root / "settings.yaml").read_text())
    settings["editor"] = "bench"
    settings["editors"] = {"bench": {"name": "bench", "memo_command": "true",
                                     "code_command": f'{qc_python} {editor} "{{corpus_file_path}}" "{{codes_file_path}}"'}}
    (qc_root / "settings.yaml").write_text(yaml.safe_dump(settings))
    return {"codings": codings, "coded lines": int(out.stdout.split()[-1]), "codes": len(codes),
            "transcripts": len(documents), "first": documents[0]}


def _qc_tree(codebook, names: dict[str, str]) -> str:
    """The codebook as qc's YAML tree: a list of names, a parent as a one-key mapping to its children."""
    import yaml

    children: dict[str | None, list] = {}
    for c in codebook.codes:
        children.setdefault(c.parent, []).append(c.id)

    def node(cid: str):
        kids = children.get(cid)
        return {names[cid]: [node(k) for k in kids]} if kids else names[cid]

    return yaml.safe_dump([node(c) for c in children.get(None, [])], default_flow_style=False)


def pairs(folder: Path, qc: str, codes: dict, first_doc: str, out: Path) -> list[tuple[str, str, list, list]]:
    """(qualcode command, how matched, qc argv, qualcode argv): what each side runs."""
    QC = [sys.executable, "-m", "qualcode", "--project", str(folder), "--coder", "coder_1"]
    both = "coder_1,coder_2"
    all_codes = sorted(codes.values())
    return [
        ("--version", "qc version", [qc, "version"], [*QC, "--version"]),
        ("check", "qc check", [qc, "check"], [*QC, "check"]),
        ("codebook show", "qc codes list (the code tree)", [qc, "codes", "list"], [*QC, "codebook", "show"]),
        ("table frequencies", "qc codes stats (every code, both coders pooled)",
         [qc, "codes", "stats"], [*QC, "table", "frequencies"]),
        ("table frequencies --coders", "qc codes stats --by-coder",
         [qc, "codes", "stats", "--by-coder"], [*QC, "table", "frequencies", "--coders", both]),
        ("table retrieve", f"qc codes find {codes[RETRIEVE]} (its segments, both coders)",
         [qc, "codes", "find", codes[RETRIEVE]], [*QC, "table", "retrieve", RETRIEVE, "--no-children"]),
        ("table cooccurrence", f"qc codes crosstab of all {len(all_codes)} codes",
         [qc, "codes", "crosstab", *all_codes], [*QC, "table", "cooccurrence"]),
        ("export qdpx", "qc export (REFI-QDA .qdpx)",
         [qc, "export", str(out / "qc.qdpx")], [*QC, "export", "qdpx", "-o", str(out / "qualcode.qdpx")]),
        ("code add", f"qc code coder_1 -p {first_doc} (an editor adding one code to one line)",
         [qc, "code", "coder_1", "-p", first_doc], "ADD"),
    ]


def run(argv: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the process and what it waited for) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # check exits 1 with findings
        raise SystemExit(f"{' '.join(map(str, argv))} failed ({proc.returncode}): {proc.stderr.strip()[-600:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def child_env(base: Path) -> dict:
    """The environment both tools run in: bytecode cached (in a folder of the benchmark's own), as after
    an ordinary install. With PYTHONDONTWRITEBYTECODE set (as in some sandboxes) qualcode, run from its
    source tree, would compile its modules on every run while qc's came compiled by pip."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(base / "pycache")
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--qc", default="/tmp/qcvenv/bin/qc", help="qc's command, in its own venv")
    ap.add_argument("--folder", default="/tmp/qc-vs-qc", help="where both projects are made")
    ap.add_argument("--transcripts", type=int, default=200)
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--codings", type=int, default=40_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--reuse", action="store_true", help="reuse both projects made by an earlier run")
    ap.add_argument("--only", help="only these qualcode commands (comma-separated, as printed)")
    a = ap.parse_args()
    qc = Path(a.qc)
    if not qc.exists():
        raise SystemExit(f"qc not found at {qc}. Make its own venv first (not qualcode's):\n"
                         f"  python3 -m venv /tmp/qcvenv && /tmp/qcvenv/bin/pip install qualitative-coding==1.7.8\n"
                         f"then pass --qc /tmp/qcvenv/bin/qc")
    qc_python = qc.parent / "python"
    base = Path(a.folder)
    folder, qc_root, out = base / "qualcode", base / "qc", base / "out"
    if not (a.reuse and (folder / "qualcode.toml").exists() and (qc_root / "settings.yaml").exists()):
        t0 = time.perf_counter()
        make_project(folder, a.transcripts, a.words, a.codings, coders=2)
        print(f"qualcode project: {a.transcripts} transcripts x {a.words} words, {a.codings:,} codings, "
              f"2 coders ({time.perf_counter() - t0:.0f} s)")
        t0 = time.perf_counter()
        made = build_qc(folder, qc_root, qc_python)
        print(f"qc project: the same {made['transcripts']} texts wrapped at 80 columns, {made['codings']:,} codings "
              f"as {made['coded lines']:,} coded lines, {made['codes']} codes ({time.perf_counter() - t0:.0f} s)")
    out.mkdir(parents=True, exist_ok=True)
    from qualcode.store.project import Project

    project = Project.open(folder, search=False)
    codes = {c.id: qc_name(c.id) for c in project.codebook.codes}
    first_doc = f"{project.index.ids()[0]}.txt"
    adder = _adder(folder, project.index.ids()[0])
    del project
    version = subprocess.run([str(qc), "version"], capture_output=True, text=True).stdout.strip()
    print(f"qc: {version} ({qc})")
    chosen = pairs(folder, str(qc), codes, first_doc, out)
    if a.only:
        keep = {s.strip() for s in a.only.split(",")}
        chosen = [p for p in chosen if p[0] in keep]

    env = child_env(base)
    wall: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, *_ in chosen}
    cpu: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, *_ in chosen}
    for r in range(a.rounds + 1):  # round 0 warms both sides' caches and bytecode and is not counted
        for name, _, qc_argv, qualcode_argv in chosen:
            ours = next(adder) if qualcode_argv == "ADD" else qualcode_argv
            sides = [("qc", qc_argv, qc_root), ("qualcode", ours, REPO)]
            got = {}
            for side, argv, cwd in (sides if r % 2 else sides[::-1]):
                got[side] = run(argv, cwd, env)
            if r:
                for k, side in enumerate(("qc", "qualcode")):
                    wall[name][k].append(got[side][0])
                    cpu[name][k].append(got[side][1])
        print(f"  round {r} done ({load()})" if r else f"  warm-up round done ({load()})", flush=True)

    med = statistics.median
    print(f"\n{a.rounds} interleaved rounds. Wall: the median time; ratio: the median over rounds of qc / qualcode "
          f"(target 3x or more). CPU: the median user + system time, which a busy machine inflates less.\n")
    print(f"{'qualcode':<27} {'wall':>7} {'qc wall':>8} {'ratio':>6} {'cpu':>7} {'qc cpu':>7} {'ratio':>6}  matched with")
    worst = None
    for name, how, *_ in chosen:
        (qcs, ours), (qcs_cpu, ours_cpu) = wall[name], cpu[name]
        ratio = med([q / o for q, o in zip(qcs, ours)])
        cpu_ratio = med([q / o for q, o in zip(qcs_cpu, ours_cpu)])
        target = TARGETS.get(name)
        flag = "" if ratio >= 3 else "  (< 3x)"
        if target and med(ours) > target:
            flag += f"  (wall > {target} s"
            flag += f", cpu {'>' if med(ours_cpu) > target else '<='} {target} s)"
        print(f"{name:<27} {med(ours):>6.3f}s {med(qcs):>7.3f}s {ratio:>5.1f}x {med(ours_cpu):>6.3f}s "
              f"{med(qcs_cpu):>6.3f}s {cpu_ratio:>5.1f}x  {how}{flag}")
        worst = ratio if worst is None else min(worst, ratio)
    print(f"\nsmallest wall ratio: {worst:.1f}x  ({load()} at the end)")


def _adder(folder: Path, tid: str):
    """qualcode argv adding one new coding per call: a span not coded before (a duplicate is refused),
    also when --reuse runs again on a project the last run added to."""
    import random

    from qualcode.store.project import Project

    project = Project.open(folder, search=False)
    text = project.transcript(tid).text
    taken = {(c.start, c.end) for c in project.codings("coder_1") if c.transcript == tid and c.code == RETRIEVE}
    rng = random.Random()
    while True:
        s = rng.randrange(0, len(text) - 100)
        if (s, s + 60) in taken:
            continue
        taken.add((s, s + 60))
        yield [sys.executable, "-m", "qualcode", "--project", str(folder), "--coder", "coder_1",
               "code", "add", tid, RETRIEVE, "--start", str(s), "--end", str(s + 60)]


if __name__ == "__main__":
    with measured("bench_vs_qc"):
        main()
