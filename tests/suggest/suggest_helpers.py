"""Test data for the suggestion engine (a uniquely named module: tests/ has several conftest.py)."""

from __future__ import annotations

from qualcode.domain.codebook import Code, Codebook

CODEBOOK = Codebook(
    name="Suggestion tests",
    codes=[
        Code(id="monitoring", name="Monitoring of members", keywords=["ethnic monitoring", "monitoring form",
             "monitor ... ethnicity"], examples=["We give every board member a monitoring form when they join."]),
        Code(id="jobs", name="Job losses", keywords=["lose ... job"], examples=["Half the street lost their jobs."]),
        Code(id="outcomes", name="Outcomes matter", keywords=["outcome", "what matters"],
             examples=["What matters is what the money achieves, not who gets it."]),
        Code(id="silent", name="Xylophone zeppelins"),
    ],
)

INTERVIEWS = {
    "int-a": """---
id: int-a
title: "Case A: interview with a coordinator"
speakers:
  Interviewer: interviewer
  Ruth Adebayo: respondent
---
Interviewer: Do you monitor the ethnicity of your members?

Ruth Adebayo: Yes. We hand out monitoring forms to everyone on the board. The Managers keep the forms in a cupboard.

It took us two years to get there, honestly.

Interviewer: What about the money?

Ruth Adebayo: The outcomes matter more than who gets the money. That is what the council says, anyway.

Interviewer: And the factory?

Ruth Adebayo: Half the town lost their jobs when the factory closed. We never recovered from that.
""",
    "int-b": """---
id: int-b
title: "Case B: interview with a chair"
speakers:
  Interviewer: interviewer
  Sam Okoro: respondent
---
Interviewer: Do you monitor the ethnicity of your members?

Sam Okoro: No, we have never done ethnic monitoring of the board at all. Nobody ever asked us to.

Interviewer: And the funding?

Sam Okoro: What matters is what it achieves. Honestly the outcomes are what count for us.

Interviewer: Was there much unemployment?

Sam Okoro: My brothers both lost their jobs at the mill in the nineties. The mill was the whole town.
""",
    "int-raw": """---
id: int-raw
title: Raw speech to text
speakers:
  Interviewer: interviewer
  Pat: respondent
---
Interviewer: tell me about the board

Pat: so we have the board and then the theme groups and we never really did any ethnic monitoring of any of them because nobody asked and the council said it was fine and then the forum people came along and said you should be doing this and we said we would look into it but nothing happened and then the money ran out and the staff left and that was that really and I think the outcomes were what mattered to the government anyway so we carried on with the projects and the reports and the meetings every month
""",
}


def span(project, tid: str, quote: str) -> tuple[int, int]:
    text = project.transcript(tid).text
    i = text.index(quote)
    return i, i + len(quote)


def keyword_coder(root, coder: str = "kw") -> None:
    """Give the project at ``root`` a coder who coded three of every four passages the codebook's
    keywords find, and three passages per transcript that no keyword finds: a study whose keywords
    work (used by tests/suggest/test_suggest_keywords_hold.py and benchmarks/bench_suggest.py)."""
    from qualcode.store.project import Project
    from qualcode.suggest.engine import SuggestionEngine
    from qualcode.suggest.suggestion import RULES

    project = Project.open(root, search=False)
    finder = SuggestionEngine(project, coder, scorers=(RULES,), threshold=1e-9, cross_validate=False, top_k=0)
    finder.train([])
    leaves = [c.id for c in project.codebook.codes if not project.codebook.children(c.id)]
    spans, k = [], 0
    for entry in project.index:
        transcript = project.transcript(entry.id)
        for s in finder.suggest(transcript):
            k += 1
            if s.suggested and k % 4:
                spans.append((entry.id, s.start, s.end, s.code))
        for j in range(3):
            a = (len(transcript.text) * (j + 1)) // 5
            spans.append((entry.id, a, a + 150, leaves[(k + j) % len(leaves)]))
    session = project.session(coder)
    session.add_many(spans)
    session.close()
    project.close()
