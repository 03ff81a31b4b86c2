"""Generate a large qualcode project for benchmarks.

    python benchmarks/generate.py DIR [--transcripts 1000] [--words 5000] [--codings 200000] [--coders 2]

Transcripts are labelled plain text (interviewer and respondent turns of varied length, words drawn
from a study-like vocabulary); the codebook is the bundled study's; codings are written as journal
lines for real spans (quote and content hash included), spread over the coders. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

VOCAB = (
    "the partnership board members ethnic minority community groups council voluntary sector "
    "monitoring recruitment retention forum network funding neighbourhood renewal outcomes targets "
    "equality framework duty guidance government office we they it was were have had not really "
    "think mean know people local strategy theme group meeting papers chair coordinator officer "
    "representatives places election nomination open process data form survey report action plan "
    "allocation projects money budget year years time area ward estate residents services health "
    "police housing employment education young older women men faith organisations capacity trust "
    "and of to in for on with that this but so because about from at by as which who what when"
).split()


def _sentence(rng: random.Random) -> str:
    n = rng.randint(6, 24)
    words = [rng.choice(VOCAB) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "?", "..."])


def _transcript(rng: random.Random, tid: str, words: int) -> str:
    out = [f"---\nid: {tid}\ntitle: Generated interview {tid}\nspeakers:\n  Interviewer: interviewer\n"
           f"  Respondent: respondent\n---\n"]
    count = 0
    turn = 0
    while count < words:
        speaker = "Interviewer" if turn % 2 == 0 else "Respondent"
        sentences = rng.randint(1, 3) if speaker == "Interviewer" else rng.randint(3, 14)
        body = " ".join(_sentence(rng) for _ in range(sentences))
        count += body.count(" ") + 1
        out.append(f"{speaker}: {body}\n\n")
        turn += 1
    return "".join(out)


def copy_study(dest: str | Path) -> Path:
    """A copy of the bundled study (the repository root's project files) to benchmark on."""
    dest = Path(dest)
    dest.mkdir(parents=True)
    for name in ("qualcode.toml", "cases.csv"):
        shutil.copy(REPO / name, dest / name)
    for folder in ("codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / folder, dest / folder, ignore=shutil.ignore_patterns("*.lock", "*.torn-*"))
    return dest


def make_project(folder: str | Path, transcripts: int = 1000, words_per_transcript: int = 5000,
                 codings: int = 200_000, coders: int = 2, seed: int = 0) -> Path:
    from qualcode.formats.codebook_yaml import load_codebook
    from qualcode.services.project_ops import init_project
    from qualcode.store.project import Project

    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    project = init_project(folder, name=f"Generated ({transcripts} transcripts)")
    shutil.copy(REPO / "codebooks" / "lsp-participation.yaml", folder / "codebooks" / "codebook.yaml")
    rng = random.Random(seed)
    ids = [f"t{i:04d}" for i in range(transcripts)]
    for tid in ids:
        (folder / "transcripts" / f"{tid}.txt").write_text(_transcript(rng, tid, words_per_transcript), "utf-8")
    rows = ["transcript,case,area_type,region"]
    for i, tid in enumerate(ids):
        rows.append(f"{tid},Case {i // 2},{rng.choice(['urban', 'rural', 'mixed'])},{rng.choice('NSEW')}")
    (folder / "cases.csv").write_text("\n".join(rows) + "\n", "utf-8")
    project = Project.open(folder, search=False)
    leaves = [c.id for c in load_codebook(folder / "codebooks" / "codebook.yaml").codes]
    per_transcript = max(1, codings // max(1, transcripts))
    coder_names = [f"coder_{k + 1}" for k in range(coders)]
    files = {c: open(folder / "codings" / f"{c}.jsonl", "w", encoding="utf-8") for c in coder_names}
    seq = {c: 0 for c in coder_names}
    made = 0
    for i, tid in enumerate(ids):
        t = project.transcript(tid)
        n = per_transcript if i < transcripts - 1 else codings - made
        for k in range(n):
            turn = t.turns[rng.randrange(len(t.turns))]
            lo, hi = turn.text_start, turn.end
            s = rng.randrange(lo, max(lo + 1, hi - 20))
            e = min(hi, s + rng.randint(40, 400))
            if e <= s:
                continue
            coder = coder_names[k % coders]
            seq[coder] += 1
            made += 1
            rec = {"v": 1, "n": seq[coder], "at": "2026-11-25T00:00:00.000+00:00", "op": "add",
                   "coding": {"id": f"g{made:07d}", "t": tid, "s": s, "e": e, "code": rng.choice(leaves),
                              "coder": coder, "at": "2026-11-25T00:00:00+00:00", "quote": t.text[s:e], "th": t.hash}}
            files[coder].write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
        project.index.forget(tid)
    for f in files.values():
        f.close()
    return folder


def add_project_args(ap: argparse.ArgumentParser, folder: str, transcripts: int, words: int, codings: int) -> None:
    """The options every benchmark on a generated project takes."""
    ap.add_argument("--folder", default=folder)
    ap.add_argument("--transcripts", type=int, default=transcripts)
    ap.add_argument("--words", type=int, default=words)
    ap.add_argument("--codings", type=int, default=codings)
    ap.add_argument("--reuse", action="store_true", help="reuse an existing generated folder")


def ensure_project(a: argparse.Namespace) -> Path:
    """The generated project of ``add_project_args``' options: made now, unless --reuse finds one."""
    folder = Path(a.folder)
    if not (a.reuse and (folder / "qualcode.toml").exists()):
        t0 = time.perf_counter()
        make_project(folder, a.transcripts, a.words, a.codings)
        print(f"generated {a.transcripts} transcripts x {a.words} words, {a.codings} codings "
              f"in {time.perf_counter() - t0:.1f} s")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--coders", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    t0 = time.perf_counter()
    make_project(a.folder, a.transcripts, a.words, a.codings, a.coders, a.seed)
    print(f"generated {a.folder} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
