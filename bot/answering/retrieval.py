"""Question -> scored sentences, across the languages of the knowledge.

Each sentence is indexed with its own language's analyzer.  The question is
analysed once with the analyzer of its own language; then, for every
knowledge language, each word of the question becomes a `QueryWord`: the
word itself as that language's analyzer sees it (so names, numbers and
cognates such as "Bitwise", "$400", "TCO" match across languages) plus the
weighted terms the bridges offer (synonyms, translations; bot/answering/bridges.py),
always weighted below the user's own words.  A sentence's score is its own
BM25 score plus a share of its chunk's BM25 score (the neighbouring
sentences are context).  Whether the evidence is strong enough is judged by
`coverage`: the share of the question's idf mass that the chunk of the best
sentence contains, an expansion counting for its weight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from bot.answering.bridges import Bridges, QueryWord
from bot.answering.fusion import fuse
from bot.core.config import Settings
from bot.knowledge.analysis import get_analyzer, stopwords_of
from bot.knowledge.quotability import Quotability
from bot.knowledge.store import KnowledgeBase


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
    via: dict[str, str] = field(default_factory=dict)  # matched term -> bridge that brought it ("" = own word)
    cosine: float = 0.0  # cosine of the question and sentence embeddings (0 when lexical only)
    bm25: float = 0.0  # the BM25 part of `score` (sentence + chunk share) when `score` is fused
    sentence_coverage: float = 0.0  # like `coverage`, for the sentence alone (answering/decision.py)


@dataclass(frozen=True)
class QueryAnalysis:
    """The question's terms as each knowledge language's analyzer sees them."""

    lang: str
    terms: dict[str, list[str]]  # per knowledge language: the words' own/cognate terms
    surfaces: dict[str, list[tuple[str, str]]]  # (question word, term), expansions included
    words: dict[str, list[QueryWord]] = field(default_factory=dict)
    weights: dict[str, dict[str, float]] = field(default_factory=dict)  # the weighted BM25 query

    def via(self, lang: str) -> dict[str, str]:
        """term -> how it entered the query ('' for the user's own words)."""
        out: dict[str, str] = {}
        for word in self.words.get(lang, []):
            for c in word.candidates:
                if c.term not in out or not c.via:
                    out[c.term] = c.via
        return out


def analyse_question(question: str, user_lang: str, languages: list[str], bridges: Bridges,
                     max_chars: int) -> QueryAnalysis:
    """The question as weighted terms of every knowledge language."""
    question = question[:max_chars]
    own_stop = stopwords_of(user_lang)
    pairs = get_analyzer(user_lang).question_pairs(question)
    # Each distinct word votes once: a word repeated in a short question
    # ("... per hour ... per hour") is style, not twice the evidence.
    seen: set[str] = set()
    pairs = [p for p in pairs if not (p[1] in seen or seen.add(p[1]))]  # type: ignore[func-returns-value]
    terms, surfaces, words, weights = {}, {}, {}, {}
    for lang in languages:
        drop = frozenset() if lang == user_lang else own_stop
        qwords = [bridges.expand(surface, term, user_lang, lang, drop) for surface, term in pairs]
        words[lang] = qwords
        w: dict[str, float] = {}
        for qw in qwords:
            for c in qw.candidates:
                w[c.term] = w.get(c.term, 0.0) + c.weight
        weights[lang] = w
        terms[lang] = [c.term for qw in qwords for c in qw.candidates if not c.via]
        surfaces[lang] = [(qw.surface, c.term if not c.via else f"{c.term} [{c.via}, x{c.weight:.2f}]")
                          for qw in qwords for c in qw.candidates]
    return QueryAnalysis(user_lang, terms, surfaces, words, weights)


class Retriever:
    """Scores every sentence of a KnowledgeBase for a question."""

    def __init__(self, kb: KnowledgeBase, settings: Settings) -> None:
        self.kb = kb
        self.settings = settings.scoring
        self._sentence_lang = np.array([s.lang for s in kb.sentences], dtype=object)
        self._chunk_of = np.array(kb.sentence_chunk, dtype=np.int64)
        self._alive = self._chunk_of >= 0
        vocab = kb.sentence_index.vocab
        self.bridges = Bridges(settings.bridges, vocab, self._aligned_pairs)
        self.fusion = settings.semantic
        self.quotability = Quotability(kb)
        self._quotable: np.ndarray | None = None

    def quotable_mask(self) -> np.ndarray:
        """Sentences that may be quoted (alive and not a heading, title, link ...), computed once."""
        if self._quotable is None:
            q = self.quotability
            n = len(self.kb.sentences)
            self._quotable = self._alive & np.fromiter((q.quotable(i) for i in range(n)), dtype=bool, count=n)
        return self._quotable

    def _aligned_pairs(self, src: str, dst: str) -> list[tuple[list[str], list[str]]]:
        """Sentence pairs (src terms, dst terms) of the knowledge's translations.

        Two versions of one article are aligned paragraph by paragraph; inside a
        paragraph sentence by sentence when both have as many, else the whole
        paragraphs form one pair.  Nothing is analysed unless the knowledge
        holds an article in `src` with a version in `dst`.
        """
        kb = self.kb
        groups = [(a, b) for a in kb.articles if a.lang == src
                  for b in kb.versions(a.id) if b.lang == dst]
        if not groups:
            return []
        by_article: dict[str, dict[int, list[str]]] = {}
        for sent in kb.sentences:
            if not sent.duplicate:
                by_article.setdefault(sent.article_id, {}).setdefault(sent.paragraph, []).append(sent.text)
        ana, anb = get_analyzer(src), get_analyzer(dst)
        pairs: list[tuple[list[str], list[str]]] = []
        for a, b in groups:
            pa, pb = by_article.get(a.id, {}), by_article.get(b.id, {})
            if len(pa) != len(pb):
                continue
            for (_, xs), (_, ys) in zip(sorted(pa.items()), sorted(pb.items())):
                if len(xs) == len(ys):
                    pairs.extend((ana.analyze(x), anb.analyze(y)) for x, y in zip(xs, ys))
                else:
                    pairs.append((ana.analyze(" ".join(xs)), anb.analyze(" ".join(ys))))
        return pairs

    def word_coverage(self, words: list[QueryWord], chunk: int, present: dict[str, set[int]]) -> float:
        """Share of the question's idf mass that `chunk` holds, word by word.

        A word weighs the idf of its rarest candidate term (or of an unseen
        term when none is indexed); it counts fully when its own term is in the
        chunk and for the expansion's weight when only an expansion is.
        """
        if chunk < 0:
            return 0.0
        idx = self.kb.chunk_index
        total = found = 0.0
        seen = set()
        for word in words:
            key = word.surface.casefold()
            if key in seen:
                continue
            seen.add(key)
            mass = max((idx.idf_of(c.term) for c in word.candidates), default=idx.idf_of("\x00unseen"))
            credit = max((c.weight for c in word.candidates if chunk in present.get(c.term, ())), default=0.0)
            total += mass
            found += mass * min(credit, 1.0)
        return found / total if total > 0 else 0.0

    def sentence_word_coverage(self, words: list[QueryWord], matched: dict[str, float]) -> float:
        """Share of the question's idf mass held by the sentence itself (its
        `matched` terms), each word weighed as in `word_coverage`."""
        idx = self.kb.chunk_index
        total = found = 0.0
        seen: set[str] = set()
        for word in words:
            key = word.surface.casefold()
            if key in seen:
                continue
            seen.add(key)
            mass = max((idx.idf_of(c.term) for c in word.candidates), default=idx.idf_of("\x00unseen"))
            credit = max((c.weight for c in word.candidates if c.term in matched), default=0.0)
            total += mass
            found += mass * min(credit, 1.0)
        return found / total if total > 0 else 0.0

    @staticmethod
    def _word_scores(index, words: list[QueryWord], cache: dict[str, np.ndarray]) -> np.ndarray:
        """BM25 where each question word votes once: the best of its candidate
        terms counts (weighted), so three synonyms of one word in a sentence do
        not outscore the word itself.  `cache` keeps each term's score vector."""
        out = np.zeros(index.n_docs)
        for word in words:
            if not word.candidates:
                continue
            best = None
            for c in word.candidates:
                if c.term not in cache:
                    cache[c.term] = index.scores([c.term])
                v = c.weight * cache[c.term]
                best = v if best is None else np.maximum(best, v)
            out += best
        return out

    def search(self, question: str, user_lang: str, limit: int = 20,
               cosines: "np.ndarray | Callable[[], np.ndarray] | None" = None) -> tuple[QueryAnalysis, list[Hit]]:
        """Best quotable sentences first.

        Lexical only (`cosines` None): BM25, an empty list when no term
        matches at all.  With the question's cosine to every sentence, the
        score is their fusion (answering/fusion.py) and every sentence is a
        candidate: a paraphrase may share no word with its answer.  Headings,
        titles, captions and links are never candidates (knowledge/quotability.py).
        `cosines` may be a callable, called only once BM25 is done (the
        question is embedded meanwhile).
        """
        kb, s = self.kb, self.settings
        if not kb.sentences:
            return QueryAnalysis(user_lang, {}, {}), []
        query = analyse_question(question, user_lang, kb.languages, self.bridges, s.max_question_chars)
        sent_cache: dict[str, np.ndarray] = {}
        chunk_cache: dict[str, np.ndarray] = {}
        n = len(kb.sentences)
        total = np.zeros(n)
        sent_part = np.zeros(n)
        chunk_part = np.zeros(n)
        for lang, weights in query.weights.items():
            if not weights:
                continue
            mask = self._sentence_lang == lang
            weight = 1.0 if lang == user_lang else s.cross_language_weight
            sent_scores = self._word_scores(kb.sentence_index, query.words[lang], sent_cache)
            chunk_scores = self._word_scores(kb.chunk_index, query.words[lang], chunk_cache)
            per_sentence_chunk = np.where(self._alive, chunk_scores[np.maximum(self._chunk_of, 0)], 0.0)
            sent_part = np.where(mask, sent_scores, sent_part)
            chunk_part = np.where(mask, per_sentence_chunk, chunk_part)
            total = np.where(mask, weight * (sent_scores + s.chunk_weight * per_sentence_chunk), total)
        quotable = self.quotable_mask()
        total = np.where(quotable, total, 0.0)
        bm25 = total
        if callable(cosines):
            cosines = cosines()
        if cosines is not None:
            total = fuse(total, cosines, quotable, self.fusion)
        # Prefer the version of an article in the user's own language.
        if any(a.lang == user_lang for a in kb.articles):
            penalised = {a.id for a in kb.articles if a.lang != user_lang
                         and any(v.lang == user_lang for v in kb.versions(a.id))}
            if penalised:
                factor = np.array([s.translation_penalty if x.article_id in penalised else 1.0
                                   for x in kb.sentences])
                total = total * factor
        order = np.argsort(-total, kind="stable")[:limit]
        presence: dict[str, dict[str, set[int]]] = {}
        hits = []
        for i in order.tolist():
            if total[i] <= 0 or not quotable[i]:
                break
            lang = kb.sentences[i].lang
            weights = query.weights.get(lang, {})
            if lang not in presence:
                for t in weights:
                    if t not in chunk_cache:
                        chunk_cache[t] = kb.chunk_index.scores([t])
                    if t not in sent_cache:
                        sent_cache[t] = kb.sentence_index.scores([t])
                presence[lang] = {t: set(np.flatnonzero(chunk_cache[t]).tolist()) for t in weights}
            chunk = kb.sentence_chunk[i]
            via = query.via(lang)
            matched = {t: float(sent_cache[t][i]) * w for t, w in weights.items() if sent_cache[t][i] > 0}
            coverage = self.word_coverage(query.words.get(lang, []), chunk, presence[lang])
            hits.append(Hit(
                sentence=i, score=float(total[i]), sentence_score=float(sent_part[i]),
                chunk_score=float(chunk_part[i]), coverage=coverage, query_lang=lang,
                matched=matched, via={t: via.get(t, "") for t in matched},
                cosine=float(cosines[i]) if cosines is not None else 0.0, bm25=float(bm25[i]),
                sentence_coverage=self.sentence_word_coverage(query.words.get(lang, []), matched),
            ))
        return query, hits
