"""A project shaped like a real coded study (the PDPilot user study an outside tester exported): about
a hundred codes on three levels with long names, eight interviews of an interviewer's questions and a
participant's answers, one of them with accents, cases with numeric attributes (years, team size)
and a five-valued role, and two coders. Made through qualcode's own API.

Some codings start at the interviewer's question and run into the answer, as coders select a whole
exchange: their quotes hold both speakers' labels ("Dan: ... Participant: ...").
"""

from __future__ import annotations

import shutil

THEMES = [
    ("purposes", "Explainability purposes"),
    ("techniques", "Explainability techniques"),
    ("usage", "PDPilot general usage"),
    ("improvements", "PDPilot improvements"),
    ("limits", "Study limitations"),
    ("benefits", "Benefits of PDPilot"),
]
SUBS = ["Understanding feature-outcome relationships", "Comparing different types of plots for the same feature",
        "Pain point in comparing and understanding different plots", "Which features to look at"]
LEAVES = ["Uses scatter plots to identify interactions", "Didn't use highlighted histogram difference",
          "Outliers, overfitting, and skewed distributions"]

ROLES = ["Data scientist", "Model validator", "ML engineer", "Data scientist", "Researcher", "ML engineer",
         "Data scientist", "Analyste données"]
CASES = ("transcript,case,role,years_experience,team_size,sector\n"
         + "".join(f"P{i + 1},P{i + 1},{role},{(i * 3) % 11 + 2},{(i * 5) % 17 + 3},{'Finance' if i % 2 else 'Health'}\n"
                   for i, role in enumerate(ROLES)))


def codes() -> list:
    from qualcode.domain.codebook import Code

    out = []
    for t, (tid, tname) in enumerate(THEMES):
        out.append(Code(id=tid, name=tname))
        for s, sname in enumerate(SUBS):
            sid = f"{tid}.s{s}"
            out.append(Code(id=sid, name=f"{sname} ({tname.split()[0].lower()} {s + 1})", parent=tid))
            for k, lname in enumerate(LEAVES):
                out.append(Code(id=f"{sid}.l{k}", name=f"{lname} {t + 1}.{s + 1}.{k + 1}", parent=sid))
    return out


def transcript(i: int) -> str:
    lines = [f"---\nid: P{i}\ntitle: \"Interview with participant P{i}\"\nspeakers:\n  Dan: interviewer\n"
             "  Participant: respondent\n---\nInterview\n"]
    if i == 8:
        lines.append("Dan: Could you tell me how you use PDPs in your team?\n")
        lines.append("Participant: Sure, we call them dependence curves at our café in Zürich. Honestly, it's the "
                     "naïve approach: we plot the feature's effect and check whether it makes sense.\n")
    for q in range(14):
        lines.append(f"Dan: Question {q} for P{i}, what do you think about the plots and the features?\n")
        lines.append(f"Participant: Answer {q} from P{i}. We look at the plots every week and they help us see "
                     f"how the model behaves. The features matter for the team number {q}.\n")
    return "\n".join(lines)


def _span(text: str, needle: str, whole_exchange: bool) -> tuple[int, int]:
    """The answer containing ``needle`` (its words only), or the question before it and the answer
    (from the question's label to the answer's end), as a coder who selects a whole exchange does."""
    at = text.index(needle)
    answer_start = text.rindex("\nParticipant: ", 0, at) + 1
    end = text.index("\n", at)
    if whole_exchange:
        return text.rindex("\nDan: ", 0, answer_start) + 1, end
    return answer_start + len("Participant: "), end


def build(root):
    from qualcode.domain.codebook import Codebook
    from qualcode.services.project_ops import init_project
    from qualcode.store.config import save_config
    from qualcode.store.project import Project

    project = init_project(root)
    project.config.default_coder = "kerrigan"
    project.config.coders = ["kerrigan", "ana"]
    save_config(project.root, project.config)
    for i in range(1, 9):
        (project.transcripts_dir / f"P{i}.txt").write_text(transcript(i), encoding="utf-8")
    (project.root / "cases.csv").write_text(CASES, encoding="utf-8")
    project.close()
    project = Project.open(root, search=False)
    book = codes()
    project.set_codebook(Codebook(codes=book, name="PDPilot-like codes"))
    texts = {f"P{i}": project.transcript(f"P{i}").text for i in range(1, 9)}
    mine, theirs = [], []
    for n, code in enumerate(c for c in book if c.parent is not None):
        for k in range(2):  # each code in two interviews: a whole exchange the first time for every third
            tid = f"P{(n + 3 * k) % 8 + 1}"  # code, and both times for every seventh
            exchange = (k == 0 and n % 3 == 0) or n % 7 == 0
            s, e = _span(texts[tid], f"Answer {n % 14} from", whole_exchange=exchange)
            mine.append((tid, s, e, code.id))
        if n % 2 == 0:
            tid = f"P{n % 8 + 1}"
            s, e = _span(texts[tid], f"Answer {n % 14} from", whole_exchange=False)
            theirs.append((tid, s, e, code.id))
    s, e = _span(texts["P8"], "dependence curves", whole_exchange=True)
    mine.append(("P8", s, e, "usage"))
    project.session("kerrigan").add_many(mine)
    project.session("ana").add_many(theirs)
    project.close()
    return Project.open(root, search=False)


def copy(template, dest):
    from qualcode.store.project import Project

    shutil.copytree(template, dest, ignore=shutil.ignore_patterns("*.lock"))
    return Project.open(dest, search=False)
