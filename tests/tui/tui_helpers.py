"""Workbench test projects (made through qualcode's own API) and helpers for pilot tests."""

from __future__ import annotations

import json

from qualcode.domain.codebook import Code, Codebook

INTERVIEW = """---
id: int-1
title: A short interview
speakers:
  Interviewer: interviewer
  Ruth Adebayo: respondent
---
Interviewer: Could you start with your role on the partnership board?

Ruth Adebayo: I chair the community empowerment network. We monitor ethnicity on the board, but not in the theme groups. It took us two years to get there, honestly.

Interviewer: And the Neighbourhood Renewal Fund?

Ruth Adebayo: The outcomes matter more than who gets the money. That is what the council says, anyway.
"""

# Non-ASCII on purpose: accents, curly quotes, a dash, an emoji (two cells wide) before coded text.
ACCENTS = """---
id: int-2
title: Entretien avec Renée
speakers:
  Interviewer: interviewer
  Renée Côté: respondent
---
Interviewer: What did the forum change for you?

Renée Côté: Honestly? It’s “the café” 😀 where we decided — together — to stand for the board. Après ça, everything was different.

Interviewer: Did the council listen?

Renée Côté: Not at first. Later, yes.
"""

BOOK = Codebook(name="Test codebook", codes=[
    Code(id="theme", name="A first theme", colour="#1F77B4", shortcut="1", definition="The first theme.",
         keywords=["board"]),
    Code(id="theme.sub", name="A sub-theme", parent="theme", colour="#2CA02C", shortcut="2"),
    Code(id="barrier", name="Barriers", colour="#D62728", shortcut="b", keywords=["money"]),
    Code(id="outcome", name="Outcomes", colour="#9467BD", shortcut="o"),
])


def make_project(root, transcripts=(INTERVIEW, ACCENTS), cases=True):
    from qualcode.services.project_ops import import_transcripts, init_project

    proj = init_project(root / "study", name="Test study")
    proj.set_codebook(Codebook(name=BOOK.name, codes=[Code(**vars(c)) for c in BOOK.codes]))
    files = []
    for i, text in enumerate(transcripts):
        src = root / f"in-{i}.txt"
        src.write_text(text, encoding="utf-8")
        files.append(src)
    import_transcripts(proj, files)
    if cases:
        (proj.root / "cases.csv").write_text(
            "transcript,case,region,role\nint-1,Case A,North,chair\nint-2,Case B,South,member\n", encoding="utf-8")
        proj.__dict__.pop("cases", None)
    return proj


def span_of(project, tid, quote):
    text = project.transcript(tid).text
    i = text.index(quote)
    return i, i + len(quote)


def journal(project, coder):
    path = project.codings_dir / f"{coder}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def settle(app, pilot):
    """Let workers finish and the screen catch up (never sleep)."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def notes(app):
    return [n.message for n in app._notifications]


async def opened(app, pilot, tid="int-1"):
    """Settle, open ``tid`` on the coding screen and return that screen."""
    await settle(app, pilot)
    app.open_transcript(tid)
    await pilot.pause()
    return app.screen


async def until(pilot, done, pauses: int = 100_000):
    """Let the app run (workers, messages, refreshes) until ``done()`` holds: wait for a state, never
    for a time. Fails after ``pauses`` turns of the event loop without it."""
    app = pilot.app
    for _ in range(pauses):
        if done():
            await app.workers.wait_for_complete()
            await pilot.pause()
            return
        await app.workers.wait_for_complete()
        await pilot.pause()
    raise AssertionError("the screen never reached the expected state")
