"""The semantic side of a question's ranking: its cosines, moved, and fused with BM25.

The semantic part of the fusion is the question's cosine to a sentence,
shifted per language (the language offset), less a share of the sentence's
hubness, moved by the question's latent terms across languages, and for the
articles the question's title words name, moved towards the cosine of the
question without them (`SemanticScorer.semantic_part`).  It is fused with the
lexical candidates' BM25 (answering/fusion.py) over every sentence
(`fuse_every`) or, above `exact_max_sentences`, over the sentences nearest to
the question in the HNSW graph and the best lexical candidates
(`fuse_nearest`).  The ranking's other steps are answering/retrieval.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.answering.fusion import fuse, language_means, linear
from bot.answering.index_arrays import IndexArrays
from bot.answering.scoring import LexicalScorer
from bot.core.config import SemanticSettings
from bot.knowledge.embedding import Embedder
from bot.knowledge.store import KnowledgeBase
from bot.knowledge.vectors import SentenceVectors

QueryTerms = np.ndarray | Callable[[], np.ndarray] | None  # the question's latent terms, or what computes them


@dataclass(frozen=True)
class Candidates:
    """The sentences one question may quote and their scores, row by row, as they
    pass through `Retriever.rank`'s steps (answering/retrieval.py) and the
    fusions here (each step returns new arrays)."""

    ids: np.ndarray  # the sentences
    bm25: np.ndarray  # the BM25 part: sentence score plus the chunk's share
    sent_part: np.ndarray  # the sentence's own BM25 score
    chunk_part: np.ndarray  # the share of its chunk's BM25 score
    total: np.ndarray  # what ranks them: `bm25`, or its fusion with the cosine
    cos: np.ndarray | None = None  # the question's cosine (None: lexical only)
    # with latent terms or the language offset: the fused score without them (what the decline judges)
    plain: np.ndarray | None = None


class SemanticScorer:
    """The semantic part of the fusion and the fusion itself, for one KnowledgeBase."""

    def __init__(self, kb: KnowledgeBase, scorer: LexicalScorer, arrays: IndexArrays,
                 fusion: SemanticSettings) -> None:
        self.kb = kb
        self.scorer = scorer
        self.arrays = arrays
        self.fusion = fusion
        # set by QAService when the semantic layer is on: the sentence vectors, and the
        # latent-term rows beside them (knowledge/embedding.LatentTerms)
        self.vectors: SentenceVectors | None = None
        self.latent: SentenceVectors | None = None
        self.embedder: Embedder | None = None  # set with `vectors` (QAService)

    def semantic_part(self, cos: np.ndarray, among: np.ndarray | None, query_terms: QueryTerms, user_lang: str,
                      rows: np.ndarray | None = None, vector: np.ndarray | None = None) -> np.ndarray:
        """The semantic part of the fusion: the cosine, shifted per language
        (`_language_shift`), less `hub_weight` times the sentence's hubness
        (`IndexArrays.hubness`: a sentence near every question is near this one too); for a sentence in another
        language than the question's, moved by the latent terms' dot product as a
        z-score over the question's sentences (`among`: a mask of them; None: all
        of `cos`), scaled by the spread of the cosines there:
        cos + w * sd(cos) * (dot - mean(dot)) / sd(dot).  Scale-free, so one
        weight serves every folder.  Only across languages: that is where the
        cosine errs (e5 puts any sentence in the question's language nearer), and
        moving same-language sentences too lost direct and short questions
        (docs/quality.md).  The shifted cosine, less the hubness, where the terms are off."""
        cos = self._language_shift(cos, among, rows, vector)
        if self.fusion.hub_weight and self.vectors is not None and self.embedder is not None and len(cos):
            hub = self.arrays.hubness(self.vectors, self.embedder)
            cos = cos - self.fusion.hub_weight * np.asarray(hub if rows is None else hub[rows], dtype=np.float64)
        w = self.fusion.latent_terms_weight
        if not w or query_terms is None or self.latent is None or not len(cos):
            return cos
        terms = query_terms() if callable(query_terms) else query_terms
        dots = self.latent.term_dots(terms, rows).astype(np.float64)
        c, d = (cos, dots) if among is None else (cos[among], dots[among])
        spread, sd = float(c.std()), float(d.std())
        if not len(d) or spread == 0.0 or sd == 0.0:
            return cos
        moved = w * spread * (dots - float(d.mean())) / sd
        lang_of = self.scorer.sentence_lang if rows is None else self.scorer.sentence_lang[rows]
        return cos + np.where(lang_of != self.scorer.lang_code.get(user_lang, -1), moved, 0.0)

    def _language_shift(self, cos: np.ndarray, among: np.ndarray | None, rows: np.ndarray | None,
                        vector: np.ndarray | None) -> np.ndarray:
        """The cosines less `language_offset` times the question's mean cosine over
        each language's quotable sentences: e5 puts every sentence in the
        question's language nearer to it, so a right answer in another language
        trails the best same-language sentence by 0.05-0.10 (docs/quality.md).
        A shift per language: no sentence moves against another of its own
        language.  The means come from the centroids when the question's
        vector is known, else from `cos` itself (all sentences, `among` the
        quotable ones)."""
        f = self.fusion.language_offset
        if not f or not len(cos):
            return cos
        lang = self.scorer.sentence_lang
        if vector is not None and self.vectors is not None:
            means = self.arrays.language_centroids(self.vectors) @ np.asarray(vector, dtype=np.float32)
        elif rows is None:
            means = language_means(cos, lang, self.arrays.quotable_mask() if among is None else among,
                                   len(self.scorer.lang_code))
        else:  # candidates only, no vector: their means would not be the folder's
            return cos
        return cos - f * np.asarray(means, dtype=np.float64)[lang if rows is None else lang[rows]]

    def _focused(self, semantic: np.ndarray, cos: np.ndarray, focus_cos: np.ndarray, article_of: np.ndarray,
                 named: frozenset[int]) -> np.ndarray:
        """The semantic part of the sentences of the `named` articles (`article_of`:
        each row's article) moved `focus_weight` of the way from the question's
        cosine to its focus's (answering/focus.py); the others' as it was."""
        inside = self.arrays.article_mask(named)[article_of]
        moved = semantic + self.fusion.focus_weight * (np.asarray(focus_cos, dtype=np.float64) - cos)
        return np.where(inside, moved, semantic)

    def fuse_every(self, found: Candidates, cosines: np.ndarray, quotable: np.ndarray, query_terms: QueryTerms,
                   user_lang: str, vector: np.ndarray | None, focus_vector: "Callable[[], np.ndarray] | None",
                   focus_articles: frozenset[int], floor: float = 0.0) -> Candidates:
        """The fusion over every sentence (`cosines`: the question's to each) of the
        lexical candidates `found`, BM25 divided by at least `floor` (answering/fusion.py):
        the candidates are the sentences whose fused
        score, or whose score without the latent terms and the offset (`plain`), is
        positive."""
        ids, bm25, sent_part, chunk_part = found.ids, found.bm25, found.sent_part, found.chunk_part
        n = len(self.kb.sentences)
        dense = np.zeros(n)
        dense[ids] = bm25
        cos64 = np.asarray(cosines, dtype=np.float64)
        semantic = self.semantic_part(cos64, quotable, query_terms, user_lang, vector=vector)
        if focus_vector is not None and self.vectors is not None:
            semantic = self._focused(semantic, cos64, self.vectors.cosines(focus_vector()),
                                     self.scorer.sentence_article, focus_articles)
        fused = fuse(dense, semantic, quotable, self.fusion, floor)
        plain_all = fuse(dense, cos64, quotable, self.fusion, floor) if semantic is not cos64 else None
        every = np.flatnonzero((fused > 0) if plain_all is None else (fused > 0) | (plain_all > 0))
        spart, cpart = np.zeros(n), np.zeros(n)
        spart[ids], cpart[ids] = sent_part, chunk_part
        ids, bm25, sent_part, chunk_part = every, dense[every], spart[every], cpart[every]
        cos = np.asarray(cosines)[every]
        total = fused[every]
        plain = plain_all[every] if plain_all is not None else None
        return Candidates(ids, bm25, sent_part, chunk_part, total, cos, plain)

    def fuse_nearest(self, vector: np.ndarray, found: Candidates, quotable: np.ndarray, factor: np.ndarray | None,
                     limit: int, query_terms: QueryTerms = None, user_lang: str = "",
                     focus_vector: "Callable[[], np.ndarray] | None" = None,
                     focus_articles: frozenset[int] = frozenset(), floor: float = 0.0) -> Candidates:
        """The linear fusion for folders above `exact_max_sentences`: over the sentences
        nearest to the question (HNSW) and the best lexical candidates, BM25
        divided by the best BM25 or `floor` when higher (answering/fusion.py).

        Cosines are computed for the M best lexical candidates only; M grows
        (x4) until no lexical candidate left out could reach the `limit`-th
        fused score even with a perfect cosine:
        (1 - w) * bm25 / max(best bm25, floor) + w < that score.
        """
        ids, bm25, sent_part, chunk_part = found.ids, found.bm25, found.sent_part, found.chunk_part
        f = self.fusion
        w = f.cosine_weight
        vectors = self.vectors
        assert vectors is not None  # the caller's condition
        near, near_cos = vectors.nearest_with_cosines(vector, f.ann_candidates)
        keep = quotable[near]
        near, near_cos = near[keep], near_cos[keep]
        # the lexical position of each near sentence (-1: not a lexical candidate)
        where = self.scorer.scratch.get("lexpos", len(self.kb.sentences))
        where[ids] = np.arange(1, len(ids) + 1)
        near_pos = where[near].astype(np.int64) - 1
        where[ids] = 0.0
        best_bm25 = max(float(bm25.max()) if len(bm25) else 0.0, floor)  # what BM25 is divided by
        m = min(len(ids), max(f.ann_candidates, limit))
        while True:
            if m < len(ids):
                top = np.argpartition(-bm25, m - 1)[:m]
                in_top = np.zeros(len(ids), dtype=bool)
                in_top[top] = True
                rest_best = float(bm25[~in_top].max())
            else:
                top = np.arange(len(ids))
                in_top = np.ones(len(ids), dtype=bool)
                rest_best = 0.0
            extra = (near_pos < 0) | ~in_top[np.maximum(near_pos, 0)] if len(ids) else np.ones(len(near), dtype=bool)
            pos = near_pos[extra]
            lexical_extra = pos >= 0
            rows = np.concatenate([ids[top], near[extra]])
            lex = np.concatenate([bm25[top], _at(bm25, pos, lexical_extra)])
            cos = np.concatenate([vectors.cosines_at(ids[top], vector), near_cos[extra]])
            # the latent terms' z-scores over these candidates (not the whole folder's)
            cos64 = np.asarray(cos, dtype=np.float64)
            sem = self.semantic_part(cos64, None, query_terms, user_lang, rows, vector)
            if focus_vector is not None:
                sem = self._focused(sem, cos64, vectors.cosines_at(rows, focus_vector()),
                                    self.scorer.sentence_article[rows], focus_articles)
            best_cos = float(sem.max()) if len(sem) else 0.0
            fused = linear(lex, best_bm25, sem, best_cos, f)
            total = fused * factor[self.scorer.sentence_article[rows]] if factor is not None else fused
            if m >= len(ids) or not len(total):
                break
            kth = np.partition(total, len(total) - limit)[len(total) - limit] if len(total) >= limit else 0.0
            if (1.0 - w) * (rest_best / best_bm25 if best_bm25 > 0 else 0.0) + w < kth:
                break
            m = min(len(ids), m * 4)
        sp = np.concatenate([sent_part[top], _at(sent_part, pos, lexical_extra)])
        cp = np.concatenate([chunk_part[top], _at(chunk_part, pos, lexical_extra)])
        plain = None
        if sem is not cos64:  # the fusion without latent terms and offset: what the decline judges
            plain = linear(lex, best_bm25, cos64, float(cos64.max()), f)
            plain = plain * factor[self.scorer.sentence_article[rows]] if factor is not None else plain
        return Candidates(rows, lex, sp, cp, total, cos, plain)


def _at(values: np.ndarray, positions: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """values[positions] where mask, 0.0 elsewhere."""
    out = np.zeros(len(positions))
    out[mask] = values[positions[mask]]
    return out
