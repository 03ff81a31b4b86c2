"""A small project made through qualcode's own API, with numbers small enough to check by hand.

Cases: "Case A" = t1 + t2 (region North from t1; t2 gives none), "Case B" = t3 (no region),
t4 is not in cases.csv (its own case, no attributes). Coder ann (the default coder) codes t1-t3;
bob codes t1 and t4. The code "old" is removed from the codebook after ann used it.
"""

from __future__ import annotations

import shutil

import pytest

TRANSCRIPTS = {
    "t1": """---
id: t1
speakers:
  Interviewer: interviewer
  Ann Lee: respondent
roles:
  Ann Lee: LSP coordinator; chair of the forum
---
Interviewer: What about the board?

Ann Lee: We monitor the board members. The forum is open to everyone.

Interviewer: And the money?

Ann Lee: Outcomes matter more than who gets it.
""",
    "t2": """---
id: t2
speakers:
  Interviewer: interviewer
  Bo Chan: respondent
---
Interviewer: Tell me about the board.

Bo Chan: We don't monitor anyone. Nobody asked us to.

Interviewer: And the money?

Bo Chan: Outcomes matter. Who gets it matters too.
""",
    "t3": """---
id: t3
speakers:
  Interviewer: interviewer
  Cy Dee: respondent
---
Interviewer: Anything else?

Cy Dee: The forum is closed. We don't monitor the forum.
""",
    "t4": """---
id: t4
speakers:
  Interviewer: interviewer
  Di Eve: respondent
---
Interviewer: Hello?

Di Eve: Nothing to say about the board.
""",
}

CASES = "transcript,case,region,size\nt1,Case A,North,big\nt2,Case A,,\nt3,Case B,,small\n"

# (transcript, quote, code, memo)
ANN = [
    ("t1", "We monitor the board members", "theme.a", None),
    ("t1", "monitor the board", "other", None),
    ("t1", "The forum is open to everyone", "theme.b.x", None),
    ("t1", "Outcomes matter more than who gets it.", "theme.b", "outcomes view"),
    ("t2", "We don't monitor anyone", "theme.a", None),
    ("t2", "Outcomes matter.", "theme.b", None),
    ("t2", "Who gets it matters too.", "old", None),
    ("t3", "We don't monitor the forum.", "theme.a", None),
    ("t3", "The forum is closed.", "theme.b.x", None),
]
BOB = [
    ("t1", "We monitor the board", "theme.a", None),
    ("t4", "Nothing to say about the board.", "other", None),
]


def codebook(with_old: bool):
    from qualcode.domain.codebook import Code, Codebook

    codes = [
        Code(id="theme", name="Theme"),
        Code(id="theme.a", name="Theme A", parent="theme"),
        Code(id="theme.b", name="Theme B", parent="theme"),
        Code(id="theme.b.x", name="Theme B X", parent="theme.b"),
        Code(id="other", name="Other"),
    ]
    if with_old:
        codes.append(Code(id="old", name="Old code"))
    return Codebook(codes=codes, name="test codes")


def add_codings(project, coder: str, rows) -> None:
    session = project.session(coder)
    for tid, quote, code, memo in rows:
        text = project.transcript(tid).text
        start = text.index(quote)
        session.add(tid, start, start + len(quote), code, memo=memo)


def build(root, *, codings: bool = True):
    from qualcode.services.project_ops import init_project
    from qualcode.store.config import save_config
    from qualcode.store.project import Project

    project = init_project(root)
    project.config.default_coder = "ann"
    project.config.coders = ["ann", "bob"]
    save_config(project.root, project.config)
    for tid, text in TRANSCRIPTS.items():
        (project.transcripts_dir / f"{tid}.txt").write_text(text, encoding="utf-8")
    (project.root / "cases.csv").write_text(CASES, encoding="utf-8")
    project.close()
    project = Project.open(root, search=False)
    project.set_codebook(codebook(with_old=True))
    if codings:
        add_codings(project, "ann", ANN)
        add_codings(project, "bob", BOB)
    project.set_codebook(codebook(with_old=False))
    project.close()
    return Project.open(root, search=False)


@pytest.fixture(scope="session")
def _templates(tmp_path_factory):
    root = tmp_path_factory.mktemp("analysis-templates")
    build(root / "small").close()
    build(root / "blank", codings=False).close()
    return root


def _copy(templates, name, dest):
    from qualcode.store.project import Project

    shutil.copytree(templates / name, dest, ignore=shutil.ignore_patterns("*.lock"))
    return Project.open(dest, search=False)


@pytest.fixture
def small(_templates, tmp_path):
    project = _copy(_templates, "small", tmp_path / "small")
    yield project
    project.close()


@pytest.fixture
def blank(_templates, tmp_path):
    """The same transcripts and cases, no codings at all."""
    project = _copy(_templates, "blank", tmp_path / "blank")
    yield project
    project.close()
