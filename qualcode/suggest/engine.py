"""The Suggester: candidate segments, five scorers, trust measured per code, one ranking per code.

The flow goes one way, one module a step::

    segments.py      transcript -> candidate segments (respondent sentences; short answers with
                     their question; keyword hits, negated ones apart)
    features.py      segments -> TF-IDF features
    rules.py         (a) codebook keywords              \\
    definition.py    (d) the code's name and definition  |  raw scores per segment and code
    learned.py       (b) a model of the coder's codings  |
    similarity.py    (c) likeness to coded passages      |
    keywords.py      (e) words mined from the codings   /  (and the keyword proposals shown)
    oof.py           each scorer refitted with transcripts held out -> out-of-fold scores
    trust.py         out-of-fold scores -> calibration, per-code weights, threshold, budget
    rank.py          combined probabilities -> suggested passages and candidates, merged, explained

``SuggestionEngine(project, coder).suggest(transcript, codes=None)`` returns ``Suggestion`` objects.
Everything heavy (spaCy, scikit-learn) is imported on first use, inside functions: construct the
engine anywhere, call ``suggest`` from a worker thread. Training data are read from the project
each time ``suggest`` is called, and the models and the trust are refitted only when the coder's
codings or rejections changed. Results are cached under ``.qualcode/suggest/`` (``cache.py``).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from qualcode.domain.coding import Coding
from qualcode.domain.transcript import Transcript
from qualcode.suggest.rejections import Rejection
from qualcode.suggest.suggestion import (DEFINITION, LEARNED, RULES, SCORERS, SIMILAR, WORDS, Suggestion,
                                         overlaps_enough, short_names)

if TYPE_CHECKING:
    from qualcode.suggest.segments import Segment
    from qualcode.suggest.trust import Trust

CONTEXT_WEIGHT = 0.7
"""Weight of the interviewer's question (the passage's context) among the learned model's features."""
REMEASURE = 10
"""Codings added or removed since the trust was measured before it is measured again (in the panel)."""
CACHE_ALL = 300
"""A cache fill scores every transcript of projects up to this size (the others as they are asked for)."""
EXAMPLES_AS_POSITIVES = True
"""The codebook's example quotes are extra positives for the learned model."""


MIN_WORKED = 5
"""Codings in a transcript (or its status "done") for its uncoded passages, up to the last coding, to
count as the coder's negatives (once any transcript has that many; before, every coded one counts)."""


@dataclass
class TrainingSet:
    """The coder's decisions as rows of the project's segments."""

    placed: list = field(default_factory=list)
    """(coding, start, end) anchored in the current text."""
    rejected: list = field(default_factory=list)
    positives: dict[str, set[int]] = field(default_factory=dict)
    rejected_rows: dict[str, set[int]] = field(default_factory=dict)
    base: list[int] = field(default_factory=list)
    """Rows of the transcripts worked through (up to the coder's last coding there): the negatives."""


@dataclass
class Models:
    learned: object | None = None
    similar: object | None = None
    words: object | None = None
    n_codings: dict[str, int] = field(default_factory=dict)


class SuggestionEngine:
    """Suggestions for one coder of a project. Thread-safe (one ``suggest`` runs at a time)."""

    def __init__(self, project, coder: str, *, pipeline: str | None = None, include_interviewer: bool = False,
                 scorers: Iterable[str] = SCORERS, top_k: int | None = None, cross_validate: bool = True,
                 threshold: float | None = None, cache: bool = False) -> None:
        from qualcode.suggest import rank

        self.project = project
        self.coder = coder
        self.pipeline_name = project.config.nlp_pipeline if pipeline is None else pipeline
        self.include_interviewer = include_interviewer
        self.scorers = tuple(scorers)
        self.top_k = rank.TOP_K if top_k is None else top_k
        self.cross_validate = cross_validate
        self.use_cache = cache
        self.threshold_override = threshold
        self.warnings: list[str] = []
        self._lock = threading.RLock()
        self.pipeline = None
        self.ruleset = None
        self._segs: dict[str, tuple[str, list["Segment"]]] = {}
        self._corpus_key = None
        self._frozen: tuple[list, list] | None = None
        self._done: frozenset[str] = frozenset()
        """Transcripts the coder said are done (their uncoded passages are negatives however few the codings)."""
        self._training_key = None
        self._quote_lemmas: dict[tuple, str] = {}
        self._names: tuple = (None, {})
        """(corpus key, {transcript id: how reasons name it})"""
        self._shown: dict[tuple[str, str], str] = {}
        """(code, lemma term) -> the term as the coder's passages of the code write it."""
        self.training = TrainingSet()
        self.models = Models()
        self.trust: "Trust | None" = None
        self._cache_entry: dict | None = None
        self._digest: tuple | None = None
        self._trust_basis: tuple | None = None

    # compatibility views used by the panel, the CLI and the evaluation
    @property
    def coded(self) -> list:
        return self.training.placed

    @property
    def rejected(self) -> list:
        return self.training.rejected

    @property
    def learned(self):
        return self.models.learned

    @property
    def similar(self):
        return self.models.similar

    @property
    def threshold(self) -> float:
        from qualcode.suggest.trust import DEFAULT_THRESHOLD

        if self.threshold_override is not None:
            return self.threshold_override
        return self.trust.threshold if self.trust is not None else DEFAULT_THRESHOLD

    # -- loading -------------------------------------------------------------------------------
    def load(self):
        """Load the pipeline and compile the codebook's rules (slow the first time: a worker's job)."""
        with self._lock:
            if self.pipeline is None:
                from qualcode.suggest.pipeline import get_pipeline
                from qualcode.suggest.rules import RuleSet

                self.pipeline = get_pipeline(self.pipeline_name)
                self.warnings = list(self.pipeline.warnings)
                self.ruleset = RuleSet(self.pipeline.nlp, self.project.codebook)
                from qualcode.suggest.negation import polar_codes

                self.polar = polar_codes(self.project.codebook)
            return self.pipeline

    def segments(self, transcript: Transcript) -> list["Segment"]:
        """The transcript's candidate segments, with rule hits (cached per content hash)."""
        from qualcode.suggest.segments import segment_transcript

        self.load()
        cached = self._segs.get(transcript.id)
        if cached is None or cached[0] != transcript.hash:
            segs = segment_transcript(self.pipeline.nlp, transcript, include_interviewer=self.include_interviewer,
                                      matches=self.ruleset.matches)
            self._segs[transcript.id] = cached = (transcript.hash, segs)
        return cached[1]

    # -- the project's segments: IDF and features ------------------------------------------------
    def _corpus(self, extra: Transcript | None = None) -> None:
        """Segment every transcript; fit rule IDF and TF-IDF features over all the segments."""
        ids = [e.id for e in self.project.index]
        transcripts = {tid: self.project.transcript(tid) for tid in ids}
        if extra is not None:
            transcripts[extra.id] = extra
        key = tuple(sorted((tid, t.hash) for tid, t in transcripts.items()))
        if key == self._corpus_key:
            return
        from qualcode.suggest.definition import DefinitionScorer, Description, has_negation
        from qualcode.suggest.features import Features
        from qualcode.suggest.rules import RuleScorer

        self.transcripts = transcripts
        self.rows: dict[str, int] = {}
        self._starts: dict[str, list[int]] = {}
        all_segs: list["Segment"] = []
        for tid in sorted(transcripts):
            self.rows[tid] = len(all_segs)
            all_segs.extend(self.segments(transcripts[tid]))
        self.all_segments = all_segs
        lemmas = [s.lemmas for s in all_segs]
        self.rule_scorer = RuleScorer(self.ruleset, polar=self.polar).fit(all_segs)
        self.features = Features().fit(lemmas)
        self.X = self.features.transform(lemmas)
        self.XL = self.X
        if CONTEXT_WEIGHT and any(s.context for s in all_segs):
            from scipy import sparse

            self.context_features = Features(ngrams=(1, 1)).fit([s.context for s in all_segs])
            Xc = self.context_features.transform([s.context for s in all_segs])
            self.XL = sparse.hstack([self.X, CONTEXT_WEIGHT * Xc], format="csr")
        self.definition = None
        if DEFINITION in self.scorers:
            book = self.project.codebook
            texts = [(("description", c.id, c.name, c.definition), f"{c.name}. {c.definition}") for c in book.codes]
            descs = [Description(c.id, lem) for c, lem in zip(book.codes, self._lemmas(texts))]
            self.definition = DefinitionScorer().fit(lemmas, descs)
            self.X1 = self.definition.transform(lemmas)
            self.seg_negated = np.array([has_negation(x) for x in lemmas], dtype=bool)
        self.seg_terms = None
        if WORDS in self.scorers:
            from qualcode.suggest.keywords import segment_terms

            self.seg_terms = segment_terms(lemmas)
        self._corpus_key = key
        self._training_key = None

    def _rows_of(self, tid: str) -> range:
        start = self.rows[tid]
        return range(start, start + len(self._segs[tid][1]))

    def _matching_rows(self, tid: str, start: int, end: int) -> list[int]:
        """Rows of ``tid``'s segments that overlap [start, end) under the overlap rule."""
        if tid not in self.rows:
            return []
        segs = self._segs[tid][1]
        starts = self._starts.get(tid)
        if starts is None or len(starts) != len(segs):
            starts = self._starts[tid] = [s.start for s in segs]
        i = max(0, bisect_left(starts, start) - 1)
        while i > 0 and segs[i - 1].end > start:  # a short answer's segment starts at its question
            i -= 1
        out = []
        while i < len(segs) and segs[i].start < end:
            s = segs[i]
            if overlaps_enough(s.start, s.end, start, end):
                out.append(self.rows[tid] + i)
            i += 1
        return out

    # -- training ------------------------------------------------------------------------------
    def train(self, codings: list[Coding], rejections: list[Rejection] = (), *, freeze: bool = True) -> None:
        """Train on these codings and rejections (evaluation uses this; ``freeze`` stops the engine
        from re-reading the coder's own data afterwards)."""
        with self._lock:
            self.load()
            self._corpus()
            self._frozen = (list(codings), list(rejections)) if freeze else None
            self._fit(list(codings), list(rejections))
            self._training_key = "frozen" if freeze else None

    def _anchored(self, items, transcripts) -> list:
        from qualcode.store.anchoring import ORPHANED, anchor

        out = []
        for it in items:
            t = transcripts.get(it.transcript)
            if t is None:
                continue
            if it.th == t.hash and 0 <= it.start < it.end <= len(t.text):
                out.append((it, it.start, it.end))
                continue
            a = anchor(it.as_coding() if isinstance(it, Rejection) else it, t.text, t.hash)
            if a.status != ORPHANED and a.end > a.start:
                out.append((it, a.start, a.end))
        return out

    def _own_data(self) -> tuple[list[Coding], list[Rejection]]:
        from qualcode.suggest import rejections as rej

        for _ in range(5):  # the UI thread may add a coding while we copy
            try:
                mine = self.project.codings(self.coder)
                codings = list(mine)
                self._done = frozenset(t for t, m in list(mine.marks.items()) if m.get("status") == "done")
                break
            except RuntimeError:
                continue
        else:
            codings = []
        rejected, problems = rej.load(self.project.codings_dir, self.coder)
        for p in problems:
            if str(p) not in self.warnings:
                self.warnings.append(str(p))
        return codings, rejected

    def _ensure_training(self) -> None:
        if self._frozen is not None:
            if self._training_key != "frozen":  # the project's segments changed: refit on them
                self._fit(*self._frozen)
                self._training_key = "frozen"
            return
        codings, rejected = self._own_data()
        key = (tuple(sorted((c.id, c.transcript, c.start, c.end, c.code) for c in codings)),
               tuple((r.transcript, r.start, r.end, r.code) for r in rejected))
        if key != self._training_key:
            self._fit(codings, rejected, reuse_trust=True)
            self._training_key = key

    def _short_names(self) -> dict[str, str]:
        """How reasons name each transcript (``suggestion.short_names``), kept per corpus."""
        if self._names[0] != self._corpus_key:
            self._names = (self._corpus_key, short_names(self.transcripts))
        return self._names[1]

    def _lemmas(self, items: list[tuple[tuple, str]]) -> list[str]:
        """Lemma strings for texts, cached by key (codings' quotes, codebook examples and names)."""
        todo = [(k, t) for k, t in items if k not in self._quote_lemmas]
        if todo:
            nlp = self.pipeline.nlp
            for (k, _), doc in zip(todo, nlp.pipe(t for _, t in todo)):
                self._quote_lemmas[k] = " ".join(x.lemma_ for x in doc if not (x.is_punct or x.is_space)).lower()
        return [self._quote_lemmas[k] for k, _ in items]

    def _training_set(self, placed: list, rejected: list, held_out=None) -> TrainingSet:
        """Rows of the decisions; ``held_out(tid, start, end)`` leaves a fold's decisions out."""
        keep = (lambda tid, s, e: True) if held_out is None else (lambda tid, s, e: not held_out(tid, s, e))
        ts = TrainingSet([p for p in placed if keep(p[0].transcript, p[1], p[2])],
                         [r for r in rejected if keep(r[0].transcript, r[1], r[2])])
        worked: dict[str, int] = {}
        count: dict[str, int] = {}
        for c, s, e in ts.placed:
            ts.positives.setdefault(c.code, set()).update(self._matching_rows(c.transcript, s, e))
            worked[c.transcript] = max(worked.get(c.transcript, 0), e)
            count[c.transcript] = count.get(c.transcript, 0) + 1
        # a transcript with a suggestion or two accepted is not one worked through: its other passages
        # were not looked at, and taking them as negatives shrank and reordered its whole list (while
        # no transcript has that many, each coded one counts: the models need some negatives)
        full = {t: e for t, e in worked.items() if count[t] >= MIN_WORKED or t in self._done}
        worked = full or worked
        for tid, last in worked.items():
            if tid in self.rows:
                ts.base.extend(r for r in self._rows_of(tid) if self.all_segments[r].start < last
                               and keep(tid, self.all_segments[r].start, self.all_segments[r].end))
        for r, s, e in ts.rejected:
            ts.rejected_rows.setdefault(r.code, set()).update(self._matching_rows(r.transcript, s, e))
        return ts

    def _fit_models(self, ts: TrainingSet) -> Models:
        """Train the scorers that learn from the coder (the learned model, similarity)."""
        from qualcode.suggest.learned import LearnedScorer
        from qualcode.suggest.similarity import Exemplar, SimilarityScorer

        book = self.project.codebook
        models = Models()
        for c, _, _ in ts.placed:
            models.n_codings[c.code] = models.n_codings.get(c.code, 0) + 1
        if LEARNED in self.scorers:
            XL = self.XL
            positives = ts.positives
            if EXAMPLES_AS_POSITIVES:
                from scipy import sparse

                items = [(code.id, (("example", code.id, i), ex)) for code in book.codes
                         for i, ex in enumerate(code.examples)]
                if items:
                    lem = self._lemmas([it for _, it in items])
                    Xe = self.features.transform(lem)
                    if XL.shape[1] > Xe.shape[1]:
                        Xe = sparse.hstack([Xe, sparse.csr_matrix((Xe.shape[0], XL.shape[1] - Xe.shape[1]))], format="csr")
                    n0 = XL.shape[0]
                    XL = sparse.vstack([XL, Xe], format="csr")
                    positives = {k: set(v) for k, v in positives.items()}
                    for j, (code, _) in enumerate(items):
                        if code in positives:
                            positives[code].add(n0 + j)
            models.learned = LearnedScorer().fit(XL, positives, ts.base, ts.rejected_rows)
        if WORDS in self.scorers:
            from qualcode.suggest.keywords import WordsScorer, mine

            existing = {c.id: set(c.keywords) for c in book.codes}
            models.words = WordsScorer(mine(self.seg_terms, ts.positives, ts.base, existing), len(self.all_segments))
        if SIMILAR in self.scorers:
            exemplars, texts = [], []
            for code in book.codes:
                for i, ex in enumerate(code.examples):
                    snippet = ex if len(ex) <= 60 else ex[:57].rstrip() + "..."
                    exemplars.append(Exemplar(code.id, "", f"like the codebook example \"{snippet}\""))
                    texts.append((("example", code.id, i), ex))
            transcripts = self.transcripts
            for c, s, e in ts.placed:
                t = transcripts[c.transcript]
                turn = t.turn_index(s)
                where = self._short_names().get(c.transcript, c.transcript)
                where += f", turn {turn + 1}" if turn is not None else ""
                exemplars.append(Exemplar(c.code, "", f"like your coding in {where}", c.transcript, s, e))
                texts.append((("coding", c.transcript, s, e, t.hash), t.text[s:e]))
            lemmas = self._lemmas(texts)
            exemplars = [Exemplar(x.code, lem, x.reason, x.transcript, x.start, x.end)
                         for x, lem in zip(exemplars, lemmas)]
            read = sorted(set(ts.base))
            models.similar = SimilarityScorer().fit(self.features, exemplars,
                                                    read=(read, self.X[read], ts.positives))
        return models

    def raw_scores(self, models: Models, rows: list[int] | range, tid: str | None = None) -> tuple[dict, dict]:
        """Each scorer's raw score per row and code: ``({scorer: {code: array}}, aux)``.

        ``aux`` holds what the reasons need: rule labels per row, negated keywords per row, the
        best exemplar per row for similarity.
        """
        rows = list(rows)
        n = len(rows)
        out: dict[str, dict[str, np.ndarray]] = {}
        aux: dict = {"labels": [{} for _ in rows], "denied": [{} for _ in rows], "best": {},
                     "words": [{} for _ in rows]}
        if not n:
            return out, aux
        segs = [self.all_segments[r] for r in rows]
        if RULES in self.scorers:
            by_code: dict[str, np.ndarray] = {}
            for code in self.ruleset.by_code:
                if self._speaks_for(models, code):
                    by_code[code] = np.zeros(n)
            for i, seg in enumerate(segs):
                for code, (score, labels) in self.rule_scorer.score(seg).items():
                    if code in by_code:
                        by_code[code][i] = score
                        aux["labels"][i][code] = labels
                aux["denied"][i] = self.rule_scorer.denied(seg)
            out[RULES] = by_code
        if self.definition is not None:
            out[DEFINITION] = {c: v for c, v in self.definition.score(self.X1[rows], self.seg_negated[rows]).items()
                               if self._speaks_for(models, c)}
        if models.words is not None and models.words.proposals:
            out[WORDS], aux["words"] = models.words.score([self.seg_terms[r] for r in rows])
        if models.learned is not None:
            out[LEARNED] = {c: np.asarray(v, dtype=np.float64) for c, v in models.learned.predict(self.XL[rows]).items()}
        sim = models.similar
        if sim is not None:
            X = self.X[rows]
            skip = None
            if tid is not None:
                own = [(i, x) for i, x in enumerate(sim.exemplars) if x.transcript == tid]
                if own:
                    skip = [[i for i, x in own if overlaps_enough(s.start, s.end, x.start, x.end)] for s in segs]
            aux["near"] = {}
            scored = sim.score(X, skip, rows, aux["near"])
            out[SIMILAR] = {c: np.asarray(v[0], dtype=np.float64) for c, v in scored.items()}
            aux["best"] = {c: v[1] for c, v in scored.items()}
        return out, aux

    def _speaks_for(self, models: Models, code: str) -> bool:
        """Whether the codebook's own words (keywords, name and definition) speak for ``code``.

        A parent code is for passages that fit none of its children, which its words cannot tell
        (a parent's definition shares its children's words: PDPilot's "Explainability techniques"
        was suggested on every passage about a technique, and its coders, like most, file such
        passages under the children only), so a parent's words speak once the coder has used it."""
        return bool(models.n_codings.get(code)) or not self.project.codebook.children(code)

    def codebook_models(self) -> Models:
        """No trained scorer: what the codebook alone scores (keywords, definitions)."""
        return Models(n_codings=self.models.n_codings)

    def _fit_trust(self, ts: TrainingSet) -> "Trust":
        from qualcode.suggest.oof import measure_trust

        return measure_trust(self, ts)

    def _fit(self, codings: list[Coding], rejected: list[Rejection], *, reuse_trust: bool = False) -> None:
        """Train the models; measure the trust out of fold again unless ``reuse_trust`` and the coder's
        work has changed by little since it was measured (a few decisions in the panel: the models
        learn from them at once, the trust, a slower estimate, is measured again after ``REMEASURE``
        more codings or a tenth more)."""
        book = self.project.codebook
        placed = [(c, s, e) for c, s, e in self._anchored(codings, self.transcripts) if c.code in book]
        rej = self._anchored(rejected, self.transcripts)
        self.training = self._training_set(placed, rej)
        self.models = self._fit_models(self.training)
        n = len(self.training.placed)
        basis = self._trust_basis
        if (reuse_trust and self.trust is not None and basis is not None and basis[0] == self._corpus_key
                and abs(n - basis[1]) < max(REMEASURE, basis[1] // 10)):
            return
        self.trust = self._fit_trust(self.training)
        self._trust_basis = (self._corpus_key, n)

    def keyword_proposals(self) -> dict:
        """Words and phrases that set each code's passages apart, from the coder's codings, as the
        coder's passages write them (``keywords.proposals``)."""
        from qualcode.suggest.keywords import proposals

        with self._lock:
            self.load()
            self._corpus()
            self._ensure_training()
            return proposals(self)

    def shown_terms(self, code: str, terms: list[str]) -> list[str]:
        """Mined lemma terms of ``code`` as the coder's passages of it write them ("datum source" ->
        "data source"); remembered, since they only serve to show the terms."""
        from qualcode.suggest.keywords import shown_forms

        todo = {t for t in terms if (code, t) not in self._shown}
        if todo:
            segs = [self.all_segments[r] for r in sorted(self.training.positives.get(code, ()))]
            texts = [self.transcripts[s.transcript].text[s.start:s.end] for s in segs
                     if s.transcript in self.transcripts]
            forms = shown_forms(self.pipeline.nlp.pipe(texts), todo)
            self._shown.update({(code, t): forms.get(t, t) for t in todo})
        return [self._shown[(code, t)] for t in terms]

    @property
    def n_codings(self) -> dict[str, int]:
        return self.models.n_codings

    # -- suggesting ----------------------------------------------------------------------------
    def notes(self, codes: Iterable[str] | None = None) -> list[str]:
        """What the researcher should know: pipeline warnings, codes nothing can be suggested for."""
        with self._lock:
            data = self.cached() if self.use_cache and self._frozen is None and codes is None else None
            if data is not None:
                return list(data["notes"])
            self.load()
            self._corpus()
            self._ensure_training()
            return self._notes(codes)

    def _notes(self, codes) -> list[str]:
        out = list(self.warnings)
        roles = ("(set the speakers' roles in the transcripts' front matter or [speakers] in qualcode.toml, "
                 "or use --include-interviewer)")
        if not self.transcripts:
            out.append("no transcripts in this project yet: import some (`qualcode import FILE...`), then ask again")
        elif not self.all_segments:
            out.append(f"no candidate passages in this project: no transcript has respondent speech to suggest {roles}")
        outside = sum(1 for c, s, e in self.training.placed if not self._matching_rows(c.transcript, s, e))
        if outside:
            out.append(f"{outside} of your {len(self.training.placed)} coding(s) cover no candidate passage (they lie in "
                       "interviewer turns, or in short text outside the speaker turns), so suggestions do not learn "
                       f"from them {roles}")
        dead = self._dead_codes(codes)
        if dead:
            shown = ", ".join(repr(c) for c in dead[:5]) + (f" and {len(dead) - 5} more" if len(dead) > 5 else "")
            out.append(f"{len(dead)} code(s) have no keywords, no name words found in the transcripts and no "
                       f"codings yet, so nothing is suggested for them: {shown} (add keywords to the codebook, "
                       "or code a few passages by hand)")
        return out

    def _dead_codes(self, codes) -> list[str]:
        """Codes with nothing to go on: no keywords, no usable description, no coded passages."""
        book = self.project.codebook
        wanted = [c.id for c in book.codes] if codes is None else [c for c in codes if c in book]
        coded = {c.code for c, _, _ in self.training.placed}
        described = set(self.definition.codes) if self.definition is not None else set()
        return [c for c in wanted if c not in self.ruleset.by_code and c not in coded and c not in described]

    def suggest(self, transcript: Transcript, codes: Iterable[str] | None = None) -> list[Suggestion]:
        """Candidates for ``transcript``, best first (``suggested`` ones first, then weaker ones)."""
        with self._lock:
            entry = self.project.index.get(transcript.id)
            in_project = entry is not None and entry.hash == transcript.hash
            if self.use_cache and self._frozen is None and in_project:
                data = self.cached()
                if data is not None and transcript.id in data.get("suggestions", {}):
                    from qualcode.suggest import cache

                    return _only(cache.suggestions_from(data, transcript.id), codes)
            self.load()
            self._corpus(None if in_project else transcript)
            self._ensure_training()
            if self.use_cache and self._frozen is None and in_project:
                data = self._fill_cache()
                if transcript.id in data["suggestions"]:
                    from qualcode.suggest import cache

                    return _only(cache.suggestions_from(data, transcript.id), codes)
            return self._suggest(transcript, codes)

    # -- the cache (``cache.py``) ---------------------------------------------------------------
    def cache_options(self) -> dict:
        return {"pipeline": self.pipeline_name, "interviewer": self.include_interviewer,
                "scorers": list(self.scorers), "top_k": self.top_k, "cv": self.cross_validate,
                "threshold": self.threshold_override}

    def _cache_digest(self) -> str:
        """The cache key for the project as it is now; the files are read and hashed again only when
        their size or modification time changed (a CLI run asks once per transcript)."""
        import json

        from qualcode.suggest import cache

        options = self.cache_options()
        stamp = (cache.stamp(self.project, self.coder), json.dumps(options, sort_keys=True, default=str))
        if self._digest is None or self._digest[0] != stamp:
            self._digest = (stamp, cache.key(self.project, self.coder, options))
        return self._digest[1]

    def cached(self) -> dict | None:
        """The cached entry for the project as it is now, if there is one."""
        from qualcode.suggest import cache

        digest = self._cache_digest()
        if self._cache_entry is not None and self._cache_entry.get("key") == digest:
            return self._cache_entry
        data = cache.load(self.project, self.coder, digest)
        self._cache_entry = data
        return data

    def summary(self) -> dict:
        """What the suggestions were made with (pipeline, training counts, trust), cached or live."""
        data = self.cached() if self.use_cache and self._frozen is None else None
        if data is not None:
            return data["summary"]
        self.load()
        self._corpus()
        self._ensure_training()
        return self._summary()

    def _summary(self) -> dict:
        return {"pipeline": self.pipeline.name, "codings": len(self.training.placed),
                "rejections": len(self.training.rejected), "segments": len(self.all_segments),
                "threshold": self.threshold, "trust": self.trust.to_json() if self.trust else None}

    def _fill_cache(self) -> dict:
        """Suggestions for every transcript (up to ``CACHE_ALL``), notes and summary, saved."""
        from qualcode.suggest import cache

        digest = self._cache_digest()
        entries = list(self.project.index)
        if len(entries) > CACHE_ALL:
            old = self._cache_entry if self._cache_entry and self._cache_entry.get("key") == digest else None
            known = dict(old["suggestions"]) if old else {}
        else:
            known = {}
        todo = [e.id for e in entries][:CACHE_ALL]
        sugg = dict(known)
        for tid in todo:
            if tid not in sugg:
                sugg[tid] = [x.to_json() for x in self._suggest(self.project.transcript(tid), None)]
        data = {"summary": self._summary(), "notes": self._notes(None), "suggestions": sugg, "key": digest,
                "coder": self.coder}
        cache.save(self.project, self.coder, digest, data)
        self._cache_entry = data
        return data

    def suggest_project(self, codes: Iterable[str] | None = None) -> list[Suggestion]:
        out: list[Suggestion] = []
        for entry in self.project.index:
            out.extend(self.suggest(self.project.transcript(entry.id), codes))
        return out

    def _suggest(self, transcript: Transcript, codes) -> list[Suggestion]:
        from qualcode.suggest.rank import rank_transcript

        book = self.project.codebook
        wanted = [c.id for c in book.codes] if codes is None else [c for c in dict.fromkeys(codes) if c in book]
        dead = set(self._dead_codes(wanted))
        wanted = [c for c in wanted if c not in dead]
        segs = self.segments(transcript)
        if not segs or not wanted:
            return []
        rows = self._rows_of(transcript.id)
        raw, aux = self.raw_scores(self.models, rows, transcript.id)
        return rank_transcript(self, transcript, segs, rows, wanted, raw, aux)


def _only(suggestions: list[Suggestion], codes) -> list[Suggestion]:
    if codes is None:
        return suggestions
    wanted = set(codes)
    return [s for s in suggestions if s.code in wanted]
