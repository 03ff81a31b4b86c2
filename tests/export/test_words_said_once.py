"""The words said within a coded span (its text without the speaker labels) are told in one place,
``TranscriptView.said``: the report's exemplar quotes, the coded-segment listings and `table retrieve`
quote the same words of a coding that runs from the interviewer's question into the answer."""

from __future__ import annotations

from qualcode.analysis.speakers import TranscriptView

LABELS = ("Interviewer:", "Geoffrey Pryce:", "Alison Marsh:")


def _question_and_answer(project):
    """A coding of lsp-b's question "Could you describe the area for me?" with Geoffrey Pryce's answer."""
    t = project.transcript("lsp-b")
    question, answer = t.turns[3:5]
    assert (question.role, answer.speaker) == ("interviewer", "Geoffrey Pryce")
    code = project.codebook.roots[0].id
    project.session("researcher_a").add_many([("lsp-b", question.start, answer.end, code)])
    coding = next(c for c in project.codings("researcher_a") if (c.start, c.end) == (question.start, answer.end))
    return t, answer, coding


def test_the_exemplar_and_the_listing_quote_the_same_words_said_told_in_one_place(study, monkeypatch):
    from qualcode.analysis import retrieve
    from qualcode.export.quotes import exemplars, mark_cuts, shorten

    t, answer, coding = _question_and_answer(study)
    calls = []
    said = TranscriptView.said

    def spy(self, start, end, *args, **kwargs):
        calls.append((self.id, start, end))
        return said(self, start, end, *args, **kwargs)

    monkeypatch.setattr(TranscriptView, "said", spy)
    (ex,) = exemplars(study, {coding.code: [coding]}, per_code=1)[coding.code]
    assert ("lsp-b", coding.start, coding.end) in calls  # the exemplar asks the one implementation
    words = t.text[answer.text_start:answer.end].strip()
    assert ex.text == mark_cuts(shorten(words)) and ex.speaker == "Geoffrey Pryce"
    assert not any(label in ex.text for label in LABELS)
    calls.clear()
    listed = retrieve(study, coding.code, include_children=False)
    row = listed[listed.index == coding.id].iloc[0]
    assert ("lsp-b", coding.start, coding.end) in calls  # and so does the listing
    assert row["quote"] == words and row["speaker"] == "Geoffrey Pryce"  # the words the exemplar quotes
    assert ex.text.startswith(row["quote"][:80])
