"""Question -> scored sentences, across the languages of the knowledge.

Each sentence is indexed with its own language's analyzer.  The question is
analysed once per knowledge language (after removing the stop words of the
question's own language), so that names, numbers and cognates ("Bitwise",
"$400", "TCO", "site") get the same stem as in articles written in other
languages.  A sentence's score is its own BM25 score plus a share of its
chunk's BM25 score (the neighbouring sentences are context).  Whether the
evidence is strong enough is judged by `coverage`: the share of the
question's idf mass that the chunk of the best sentence contains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.analysis import get_analyzer, stopwords_of
from bot.config import RetrievalSettings
from bot.knowledge_base import KnowledgeBase

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Hit:
    """One candidate sentence and why it scored."""

    sentence: int
    score: float
    sentence_score: float
    chunk_score: float
    coverage: float
    query_lang: str  # language whose analysis of the question matched it
    matched: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryAnalysis:
    """The question's terms as each knowledge language's analyzer sees them."""

    lang: str
    terms: dict[str, list[str]]
    surfaces: dict[str, list[tuple[str, str]]]


def analyse_question(question: str, user_lang: str, languages: list[str]) -> QueryAnalysis:
    question = question[:MAX_QUESTION_CHARS]
    own_stop = stopwords_of(user_lang)
    terms, surfaces = {}, {}
    for lang in languages:
        drop = frozenset() if lang == user_lang else own_stop
        pairs = get_analyzer(lang).analyze_pairs(question, drop)
        surfaces[lang] = pairs
        terms[lang] = [t for _, t in pairs]
    return QueryAnalysis(user_lang, terms, surfaces)


class Retriever:
    """Scores every sentence of a KnowledgeBase for a question."""

    def __init__(self, kb: KnowledgeBase, settings: RetrievalSettings) -> None:
        self.kb = kb
        self.settings = settings
        self._sentence_lang = np.array([s.lang for s in kb.sentences], dtype=object)
        self._chunk_of = np.array(kb.sentence_chunk, dtype=np.int64)
        self._alive = self._chunk_of >= 0

    def coverage(self, terms: list[str], chunk: int) -> float:
        """Share of the question's idf mass present in `chunk` (0..1)."""
        unique = set(terms)
        if not unique or chunk < 0:
            return 0.0
        idx = self.kb.chunk_index
        total = sum(idx.idf_of(t) for t in unique)
        found = sum(idx.idf_of(t) for t in unique if t in idx.vocab and idx.weights[idx.vocab[t], chunk])
        return found / total if total > 0 else 0.0

    def search(self, question: str, user_lang: str, limit: int = 20) -> tuple[QueryAnalysis, list[Hit]]:
        """Best sentences first; an empty list when no term matches at all."""
        kb, s = self.kb, self.settings
        if not kb.sentences:
            return analyse_question(question, user_lang, []), []
        query = analyse_question(question, user_lang, kb.languages)
        n = len(kb.sentences)
        total = np.zeros(n)
        sent_part = np.zeros(n)
        chunk_part = np.zeros(n)
        weight_of = {}
        for lang, terms in query.terms.items():
            if not terms:
                continue
            mask = self._sentence_lang == lang
            weight = 1.0 if lang == user_lang else s.cross_language_weight
            weight_of[lang] = weight
            sent_scores = kb.sentence_index.scores(terms)
            chunk_scores = kb.chunk_index.scores(terms)
            per_sentence_chunk = np.where(self._alive, chunk_scores[np.maximum(self._chunk_of, 0)], 0.0)
            sent_part = np.where(mask, sent_scores, sent_part)
            chunk_part = np.where(mask, per_sentence_chunk, chunk_part)
            total = np.where(mask, weight * (sent_scores + s.chunk_weight * per_sentence_chunk), total)
        total = np.where(self._alive, total, 0.0)
        # Prefer the version of an article in the user's own language.
        if any(a.lang == user_lang for a in kb.articles):
            penalised = {a.id for a in kb.articles if a.lang != user_lang
                         and any(v.lang == user_lang for v in kb.versions(a.id))}
            if penalised:
                factor = np.array([s.translation_penalty if x.article_id in penalised else 1.0
                                   for x in kb.sentences])
                total = total * factor
        order = np.argsort(-total, kind="stable")[:limit]
        hits = []
        for i in order.tolist():
            if total[i] <= 0:
                break
            lang = kb.sentences[i].lang
            terms = query.terms.get(lang, [])
            chunk = kb.sentence_chunk[i]
            hits.append(Hit(
                sentence=i, score=float(total[i]), sentence_score=float(sent_part[i]),
                chunk_score=float(chunk_part[i]), coverage=self.coverage(terms, chunk),
                query_lang=lang, matched=kb.sentence_index.contributions(terms, i),
            ))
        return query, hits
