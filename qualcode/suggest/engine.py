"""The Suggester: candidate segments, three scorers, one ranking per code.

``SuggestionEngine(project, coder).suggest(transcript, codes=None)`` returns ``Suggestion`` objects:
candidate passages of the transcript with a combined score, the scorers that contributed and a reason
from each. Everything heavy (spaCy, scikit-learn) is imported on first use, inside this module's
functions: construct the engine anywhere, call ``suggest`` from a worker thread.

The three scores are combined per code as a weighted mean over the scorers that can speak for that
code (``combine``): rules if the code has keywords, the learned model once it has enough codings,
similarity if it has examples or codings. A passage is *suggested* when the combined score reaches
``threshold``; weaker candidates down to ``floor`` are returned too (``suggested=False``) for review
mode, which shows the candidates the engine is least sure about first. Adjacent segments of one
turn that are both suggested for a code come out as one suggestion.

Training data are read from the project each time ``suggest`` is called and the model is retrained
only when the coder's codings or rejections have changed since the last call.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable
from typing import TYPE_CHECKING

from qualcode.domain.coding import Coding
from qualcode.domain.transcript import Transcript

from qualcode.suggest.rejections import Rejection
from qualcode.suggest.suggestion import LEARNED, RULES, SIMILAR, Suggestion, overlaps_enough, short_title

if TYPE_CHECKING:
    from qualcode.suggest.segments import Segment

THRESHOLD = 0.5
FLOOR = 0.2
WEIGHTS = {RULES: 1.0, LEARNED: 3.0, SIMILAR: 1.0}
"""Weights of the weighted mean: once the learned model exists for a code it carries three fifths."""
CONTEXT_WEIGHT = 0.7
"""Weight of the interviewer's question (the passage's context) among the learned model's features."""
EXAMPLES_AS_POSITIVES = True
"""The codebook's example quotes are extra positives for the learned model."""
REASON_MIN = 0.25
"""A scorer's part must reach this to be named as a reason."""


def combine(parts: dict[str, float], available: Iterable[str], weights: dict[str, float] = WEIGHTS) -> float:
    """Weighted mean of the parts over the scorers ``available`` for the code (a missing part is 0)."""
    total = wsum = 0.0
    for name in available:
        w = weights.get(name, 1.0)
        total += w * parts.get(name, 0.0)
        wsum += w
    return total / wsum if wsum else 0.0


class SuggestionEngine:
    """Suggestions for one coder of a project. Thread-safe (one ``suggest`` runs at a time)."""

    def __init__(self, project, coder: str, *, pipeline: str | None = None, include_interviewer: bool = False,
                 threshold: float = THRESHOLD, floor: float = FLOOR, scorers: Iterable[str] = (RULES, LEARNED, SIMILAR),
                 weights: dict[str, float] | None = None) -> None:
        self.project = project
        self.coder = coder
        self.pipeline_name = project.config.nlp_pipeline if pipeline is None else pipeline
        self.include_interviewer = include_interviewer
        self.threshold = threshold
        self.floor = min(floor, threshold)
        self.scorers = tuple(scorers)
        self.weights = dict(WEIGHTS if weights is None else weights)
        self.warnings: list[str] = []
        self._lock = threading.RLock()
        self.pipeline = None
        self.ruleset = None
        self._segs: dict[str, tuple[str, list["Segment"]]] = {}
        self._corpus_key = None
        self._frozen: tuple[list, list] | None = None
        self._training_key = None
        self._quote_lemmas: dict[tuple, str] = {}
        self.coded: list = []
        self.rejected: list = []

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
        from qualcode.suggest.learned import Features
        from qualcode.suggest.rules import RuleScorer

        self.transcripts = transcripts
        self.rows: dict[str, int] = {}
        self._starts: dict[str, list[int]] = {}
        all_segs: list["Segment"] = []
        for tid in sorted(transcripts):
            self.rows[tid] = len(all_segs)
            all_segs.extend(self.segments(transcripts[tid]))
        self.all_segments = all_segs
        self.rule_scorer = RuleScorer(self.ruleset).fit(all_segs)
        self.features = Features().fit([s.lemmas for s in all_segs])
        self.X = self.features.transform([s.lemmas for s in all_segs])
        self.XL = self.X
        if CONTEXT_WEIGHT and any(s.context for s in all_segs):
            from scipy import sparse

            self.context_features = Features(ngrams=(1, 1)).fit([s.context for s in all_segs])
            Xc = self.context_features.transform([s.context for s in all_segs])
            self.XL = sparse.hstack([self.X, CONTEXT_WEIGHT * Xc], format="csr")
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
                codings = list(self.project.codings(self.coder))
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
            self._fit(codings, rejected)
            self._training_key = key

    def _lemmas(self, items: list[tuple[tuple, str]]) -> list[str]:
        """Lemma strings for texts, cached by key (codings' quotes, codebook examples)."""
        todo = [(k, t) for k, t in items if k not in self._quote_lemmas]
        if todo:
            nlp = self.pipeline.nlp
            for (k, _), doc in zip(todo, nlp.pipe(t for _, t in todo)):
                self._quote_lemmas[k] = " ".join(x.lemma_ for x in doc if not (x.is_punct or x.is_space)).lower()
        return [self._quote_lemmas[k] for k, _ in items]

    def _fit(self, codings: list[Coding], rejected: list[Rejection]) -> None:
        from qualcode.suggest.learned import LearnedScorer
        from qualcode.suggest.similarity import Exemplar, SimilarityScorer

        book = self.project.codebook
        transcripts = self.transcripts
        placed = [(c, s, e) for c, s, e in self._anchored(codings, transcripts) if c.code in book]
        self.coded = placed
        positives: dict[str, set[int]] = {}
        worked: dict[str, int] = {}
        for c, s, e in placed:
            positives.setdefault(c.code, set()).update(self._matching_rows(c.transcript, s, e))
            worked[c.transcript] = max(worked.get(c.transcript, 0), e)
        base = []
        for tid, last in worked.items():
            if tid in self.rows:
                base.extend(r for r in self._rows_of(tid) if self.all_segments[r].start < last)
        rej_rows: dict[str, set[int]] = {}
        self.rejected = self._anchored(rejected, transcripts)
        for r, s, e in self.rejected:
            rej_rows.setdefault(r.code, set()).update(self._matching_rows(r.transcript, s, e))
        self.learned = None
        if LEARNED in self.scorers:
            XL = self.XL
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
            self.learned = LearnedScorer().fit(XL, positives, base, rej_rows)
        self.similar = None
        if SIMILAR in self.scorers:
            exemplars, texts = [], []
            for code in book.codes:
                for i, ex in enumerate(code.examples):
                    snippet = ex if len(ex) <= 60 else ex[:57].rstrip() + "..."
                    exemplars.append(Exemplar(code.id, "", f"like the codebook example \"{snippet}\""))
                    texts.append((("example", code.id, i), ex))
            for c, s, e in placed:
                t = transcripts[c.transcript]
                turn = t.turn_index(s)
                where = short_title(t, c.transcript) + (f", turn {turn + 1}" if turn is not None else "")
                exemplars.append(Exemplar(c.code, "", f"like your coding in {where}", c.transcript, s, e))
                texts.append((("coding", c.transcript, s, e, t.hash), t.text[s:e]))
            lemmas = self._lemmas(texts)
            exemplars = [Exemplar(x.code, lem, x.reason, x.transcript, x.start, x.end)
                         for x, lem in zip(exemplars, lemmas)]
            self.similar = SimilarityScorer().fit(self.features, exemplars)
        self.n_codings = {}
        for c, _, _ in placed:
            self.n_codings[c.code] = self.n_codings.get(c.code, 0) + 1

    # -- suggesting ----------------------------------------------------------------------------
    def notes(self, codes: Iterable[str] | None = None) -> list[str]:
        """What the researcher should know: pipeline warnings, codes nothing can be suggested for."""
        with self._lock:
            self.load()
            self._corpus()
            self._ensure_training()
            out = list(self.warnings)
            for code in self._dead_codes(codes):
                out.append(f"code {code!r} has no keywords and no codings yet: nothing is suggested for it "
                           "(add keywords to the codebook, or code a few passages by hand)")
            return out

    def _dead_codes(self, codes) -> list[str]:
        """Codes with no keywords and no coded passages to learn from."""
        book = self.project.codebook
        wanted = [c.id for c in book.codes] if codes is None else [c for c in codes if c in book]
        coded = {c.code for c, _, _ in self.coded}
        return [c for c in wanted if c not in self.ruleset.by_code and c not in coded]

    def suggest(self, transcript: Transcript, codes: Iterable[str] | None = None) -> list[Suggestion]:
        """Candidates for ``transcript``, best first (``suggested`` ones first, then weaker ones)."""
        with self._lock:
            self.load()
            in_project = self.project.index.get(transcript.id) is not None
            self._corpus(None if in_project and self.project.transcript(transcript.id).hash == transcript.hash
                         else transcript)
            self._ensure_training()
            return self._suggest(transcript, codes)

    def suggest_project(self, codes: Iterable[str] | None = None) -> list[Suggestion]:
        out: list[Suggestion] = []
        for entry in self.project.index:
            out.extend(self.suggest(self.project.transcript(entry.id), codes))
        return out

    def _suggest(self, transcript: Transcript, codes) -> list[Suggestion]:
        from qualcode.suggest.scoring import score_transcript

        book = self.project.codebook
        wanted = [c.id for c in book.codes] if codes is None else [c for c in dict.fromkeys(codes) if c in book]
        dead = set(self._dead_codes(wanted))
        wanted = [c for c in wanted if c not in dead]
        return score_transcript(self, transcript, wanted)
