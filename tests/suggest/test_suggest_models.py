"""Scorers (b) and (c) on their own, and the rejections file."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from qualcode.errors import JournalError
from qualcode.suggest import rejections
from qualcode.suggest.learned import Features, LearnedScorer
from qualcode.suggest.similarity import Exemplar, SimilarityScorer

TEXTS = [
    "we monitor the ethnicity of board member", "every member fill in a monitoring form",
    "the monitoring form go to every board member", "the money go to the project",
    "the outcome matter more than the money", "nobody ask about the money",
    "the bus be late again", "we meet every month in the hall",
]


def test_learned_model_learns_from_positives_and_rejections():
    feats = Features().fit(TEXTS)
    X = feats.transform(TEXTS)
    base = list(range(len(TEXTS)))
    model = LearnedScorer().fit(X, {"monitoring": {0, 1, 2}, "rare": {4}}, base)
    assert model.codes == ["monitoring"]  # "rare" has one positive: no model yet
    p = model.predict(feats.transform(["the monitoring form for the member", "the bus be late"]))["monitoring"]
    assert p[0] > 0.5 > p[1]
    terms = model.top_terms("monitoring", feats.transform(["the monitoring form"])[0], feats.names)
    assert terms and all(isinstance(t, str) for t in terms)
    assert model.reason("monitoring", ["form"], 3) == "learned from your 3 coded passages: 'form'"
    # a rejection pulls the score of that passage down
    with_rejection = LearnedScorer().fit(X, {"monitoring": {0, 1}}, base, {"monitoring": {2}})
    without = LearnedScorer().fit(X, {"monitoring": {0, 1}}, base)
    row = feats.transform([TEXTS[2]])
    assert with_rejection.predict(row)["monitoring"][0] < without.predict(row)["monitoring"][0]
    assert with_rejection.models["monitoring"].rejections == 1


def test_no_positives_means_no_model():
    feats = Features().fit(TEXTS)
    model = LearnedScorer().fit(feats.transform(TEXTS), {}, range(len(TEXTS)))
    assert model.predict(feats.transform(["anything"])) == {}


def test_similarity_finds_the_closest_exemplar_of_each_code_and_can_skip_itself():
    feats = Features().fit(TEXTS)
    ex = [Exemplar("monitoring", "every member fill in a monitoring form", "like A"),
          Exemplar("money", "the money go to the project", "like B", "t", 0, 10)]
    sim = SimilarityScorer().fit(feats, ex)
    scores = sim.score(feats.transform(["the monitoring form for every member", "the money go to the project"]))
    assert scores["monitoring"][0][0] > scores["monitoring"][0][1]
    assert scores["money"][0][1] == pytest.approx(1.0)
    assert sim.exemplars[scores["money"][1][1]].reason == "like B"
    skipped = sim.score(feats.transform(["the money go to the project"]), skip=[[1]])
    assert skipped["money"][0][0] == 0.0


def test_similarity_is_a_vote_of_the_passages_read_not_the_one_closest_coding():
    """A passage like one the coder coded, but more like many they read and left uncoded, is not
    offered on that one coding (the best cosine did: researcher_b's top-ten misses were mostly passages
    left uncoded); a passage like the coded ones is, and a passage does not vote for itself."""
    from qualcode.suggest.similarity import MIN_READ

    read = (["the money go to the project"] * 3 + ["nobody ask about the money for the project"] * 30
            + ["we monitor the ethnicity of board member", "every member fill in a monitoring form",
               "the monitoring form go to every board member"] * 6
            + ["the bus be late again", "we meet every month in the hall"] * 10)
    assert len(read) >= MIN_READ
    feats = Features().fit(read)
    coded = {"money": {0, 1, 2}, "monitoring": set(range(33, 51))}
    ex = [Exemplar(c, read[r], f"like {r}", "t", r, r + 1) for c, rows in coded.items() for r in rows]
    rows = list(range(len(read)))
    voted = SimilarityScorer().fit(feats, ex, read=(rows, feats.transform(read), coded))
    closest = SimilarityScorer().fit(feats, ex)
    asked = ["nobody ask about the money for the project", "the monitoring form for every board member"]
    X = feats.transform(asked)
    by_vote, by_cosine = voted.score(X), closest.score(X)
    # the first is close to the coding "the money go to the project", and far closer to thirty passages
    # read and left uncoded
    assert by_cosine["money"][0][0] > 0.5 and by_vote["money"][0][0] < 0.2
    assert by_vote["monitoring"][0][1] > 0.9 and by_vote["money"][0][1] < 0.1
    # a coded passage read does not vote for itself: alone of its kind, it gets no vote
    lone = read[:50] + ["the parking permit scheme change"]
    feats2 = Features().fit(lone)
    alone = SimilarityScorer().fit(feats2, [Exemplar("parking", lone[50], "like it", "t", 50, 51)],
                                   read=(list(range(51)), feats2.transform(lone), {"parking": {50}}))
    assert alone.score(feats2.transform([lone[50]]), rows=[50])["parking"][0][0] == 0.0
    # compared in chunks (bounded memory on a large study): the same votes
    import qualcode.suggest.similarity as similarity

    many = feats.transform(read)
    whole = voted.score(many, rows=rows)["money"][0]
    cells, similarity.CELLS = similarity.CELLS, len(read) * 7  # seven segments at a time
    try:
        assert np.allclose(voted.score(many, rows=rows)["money"][0], whole)
    finally:
        similarity.CELLS = cells
    # fewer passages read than MIN_READ: the best cosine, as before any vote can mean anything
    few = SimilarityScorer().fit(feats, ex, read=(rows[:10], feats.transform(read[:10]), {"money": {0, 1, 2}}))
    assert few.score(X)["money"][0][0] == pytest.approx(by_cosine["money"][0][0])


def test_rejections_are_appended_durably_and_read_back(tmp_path, monkeypatch):
    synced = []
    real = rejections._sync
    monkeypatch.setattr(rejections, "_sync", lambda fd: (synced.append(fd), real(fd)))
    text = "Yes. We monitor the board."
    r = rejections.record(tmp_path, "ann", transcript="t1", start=5, end=26, code="monitoring", text=text, th="abc")
    rejections.record(tmp_path, "ann", transcript="t1", start=0, end=4, code="other", text=text, th="abc")
    assert len(synced) == 2
    path = tmp_path / "ann.rejections.jsonl"
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert set(lines[0]) == {"transcript", "start", "end", "code", "quote", "th", "at"}
    assert lines[0]["quote"] == "We monitor the board." and r.quote == lines[0]["quote"]
    loaded, problems = rejections.load(tmp_path, "ann")
    assert [x.code for x in loaded] == ["monitoring", "other"] and problems == []
    assert rejections.is_rejections_file(path) and not (tmp_path / "ann.jsonl").exists()
    # a torn last line (a crash mid-write) and a bad line are reported, not fatal
    with open(path, "ab") as fh:
        fh.write(b"not json\n{\"transcript\": \"t1\", \"sta")
    loaded, problems = rejections.load(tmp_path, "ann")
    assert len(loaded) == 2 and len(problems) == 2
    assert rejections.load(tmp_path, "nobody") == ([], [])
    with pytest.raises(JournalError):
        rejections.record(tmp_path, "ann", transcript="t1", start=5, end=500, code="x", text=text, th="abc")


def test_a_failed_rejection_write_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    text = "Yes. We monitor the board."
    rejections.record(tmp_path, "ann", transcript="t1", start=5, end=26, code="a", text=text, th="h")
    before = (tmp_path / "ann.rejections.jsonl").read_bytes()

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rejections, "_sync", full_disk)
    with pytest.raises(JournalError, match="disk is full"):
        rejections.record(tmp_path, "ann", transcript="t1", start=5, end=26, code="b", text=text, th="h")
    assert (tmp_path / "ann.rejections.jsonl").read_bytes() == before
    assert os.path.getsize(tmp_path / "ann.rejections.jsonl") == len(before)
    assert np.isfinite(len(before))


def test_a_rejections_file_is_not_taken_for_a_coder(sproject):
    t = sproject.transcript("int-a")
    rejections.record(sproject.codings_dir, "ann", transcript="int-a", start=0, end=5, code="jobs",
                      text=t.text, th=t.hash)
    assert "ann.rejections" not in sproject.coders()
