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

from dataclasses import dataclass, field

import numpy as np

from bot.answering.bridges import Bridges, QueryWord
from bot.answering.scoring import LexicalScorer
from bot.core.config import Settings
from bot.knowledge.analysis import get_analyzer, stopwords_of
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
        vocab = kb.sentence_index.vocab
        self.bridges = Bridges(settings.bridges, vocab, self._aligned_pairs, (kb.cache_dir, kb.stamp))
        self.scorer = LexicalScorer(kb)

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

    def search(self, question: str, user_lang: str, limit: int = 20) -> tuple[QueryAnalysis, list[Hit]]:
        """Best sentences first; an empty list when no term matches at all.

        Scores come from the postings of the question's terms only
        (bot/answering/scoring.py); per-hit work runs on the `limit` best."""
        kb, s = self.kb, self.settings
        if not kb.sentences:
            return QueryAnalysis(user_lang, {}, {}), []
        query = analyse_question(question, user_lang, kb.languages, self.bridges, s.max_question_chars)
        scorer = self.scorer
        parts = []
        for lang, weights in query.weights.items():
            if not weights:
                continue
            weight = 1.0 if lang == user_lang else s.cross_language_weight
            scored = scorer.score_language(lang, query.words[lang], weight, s.chunk_weight)
            if scored is not None:
                parts.append(scored)
        if not parts:
            return query, []
        ids = np.concatenate([p.ids for p in parts])
        total = np.concatenate([p.total for p in parts])
        # Prefer the version of an article in the user's own language.
        factor = scorer.article_factor(user_lang, s.translation_penalty)
        if factor is not None:
            total = total * factor[scorer.sentence_article[ids]]
        best = scorer.top(ids, total, limit)
        sent_part = np.concatenate([p.sentence for p in parts])[best]
        chunk_part = np.concatenate([p.chunk for p in parts])[best]
        best_ids = ids[best]
        best_total = total[best]
        langs = [kb.sentences[i].lang for i in best_ids.tolist()]
        evidence = {lang: self._evidence(query, lang, best_ids[[x == lang for x in langs]])
                    for lang in dict.fromkeys(langs)}
        hits = []
        for n, i in enumerate(best_ids.tolist()):
            lang = langs[n]
            weights = query.weights.get(lang, {})
            sent_value, chunk_present, masses = evidence[lang]
            chunk = kb.sentence_chunk[i]
            via = query.via(lang)
            matched = {t: sent_value[t][i] * w for t, w in weights.items() if sent_value[t].get(i, 0.0) > 0}
            coverage = self._coverage(query.words.get(lang, []), masses, chunk, chunk_present)
            hits.append(Hit(
                sentence=i, score=float(best_total[n]), sentence_score=float(sent_part[n]),
                chunk_score=float(chunk_part[n]), coverage=coverage, query_lang=lang,
                matched=matched, via={t: via.get(t, "") for t in matched},
            ))
        return query, hits

    def _evidence(self, query: QueryAnalysis, lang: str, ids: np.ndarray):
        """For the hits `ids` of one language: each query term's sentence score
        on them, the hits' chunks holding it, and each word's idf mass."""
        kb = self.kb
        chunks = np.unique(self.scorer.chunk_of[ids]) if len(ids) else ids
        chunks = chunks[chunks >= 0]
        sent_value: dict[str, dict[int, float]] = {}
        chunk_present: dict[str, set[int]] = {}
        for t in query.weights.get(lang, {}):
            sent_value[t] = _postings_at(kb.sentence_index, t, ids)
            chunk_present[t] = set(_postings_at(kb.chunk_index, t, chunks))
        idx = kb.chunk_index
        masses = []
        for word in query.words.get(lang, []):
            masses.append(max((idx.idf_of(c.term) for c in word.candidates), default=idx.idf_of("\x00unseen")))
        return sent_value, chunk_present, masses

    @staticmethod
    def _coverage(words: list[QueryWord], masses: list[float], chunk: int, present: dict[str, set[int]]) -> float:
        """`word_coverage` with each word's idf mass computed once per question."""
        if chunk < 0:
            return 0.0
        total = found = 0.0
        seen = set()
        for word, mass in zip(words, masses):
            key = word.surface.casefold()
            if key in seen:
                continue
            seen.add(key)
            credit = max((c.weight for c in word.candidates if chunk in present.get(c.term, ())), default=0.0)
            total += mass
            found += mass * min(credit, 1.0)
        return found / total if total > 0 else 0.0


def _postings_at(index, term: str, docs: np.ndarray) -> dict[int, float]:
    """{document: weight} of `term` for those of `docs` that hold it."""
    row = index.vocab.get(term)
    if row is None or not len(docs):
        return {}
    m = index.weights
    a, b = int(m.indptr[row]), int(m.indptr[row + 1])
    postings = m.indices[a:b]
    pos = np.searchsorted(postings, docs)
    ok = pos < len(postings)
    ok[ok] = postings[pos[ok]] == docs[ok]
    return dict(zip(docs[ok].tolist(), m.data[a:b][pos[ok]].tolist()))
