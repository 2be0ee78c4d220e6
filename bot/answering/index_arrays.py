"""What retrieval derives from one index once and keeps: per sentence, per language, per title.

Which sentences may be quoted and which are site notices, the languages'
centroids, the bank of ordinary questions' baseline and each sentence's
hubness are decided once per index version and stored beside the index
(knowledge/derived.py): a second process reads them back instead of deciding
again, and a question reads rows of them.  The knowledge's titles as each
language's analyzer reads them are stored the same way.  The ranking
(answering/retrieval.py) and the semantic part of its fusion
(answering/semantic_scoring.py) read them from one `IndexArrays`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from bot.answering.baseline import bank_digest, bank_vectors, folder_baseline, sentence_hubness
from bot.answering.focus import FOCUS_VERSION, TitleWords
from bot.answering.fusion import language_means
from bot.answering.scoring import LexicalScorer
from bot.core.arrays import masked_blocks
from bot.core.config import SemanticSettings
from bot.knowledge.analysis import get_analyzer
from bot.knowledge.derived import stored_array, stored_json
from bot.knowledge.embedding import Embedder
from bot.knowledge.quotability import QUOTABILITY_VERSION, Quotability
from bot.knowledge.store import KnowledgeBase
from bot.knowledge.vectors import SentenceVectors


class IndexArrays:
    """The arrays derived from one KnowledgeBase (and its sentence vectors), each
    computed or read back on first use and kept."""

    def __init__(self, kb: KnowledgeBase, scorer: LexicalScorer, fusion: SemanticSettings) -> None:
        self.kb = kb
        self.scorer = scorer
        self.fusion = fusion
        self.quotability = Quotability(kb)
        self._quotable: np.ndarray | None = None
        self._notices: np.ndarray | None = None
        self._centroids: np.ndarray | None = None  # (languages, dim): see language_centroids
        self._baseline: np.ndarray | None = None  # see ordinary_baseline
        self._hubness: np.ndarray | None = None  # see hubness
        self._title_words: dict[str, TitleWords] = {}  # per question language: see title_words
        self._own_titles: dict[str, dict[str, frozenset[int]]] = {}  # per knowledge language: see titles_of

    def quotable_mask(self) -> np.ndarray:
        """Sentences that may be quoted (alive and not a heading, title, link ...): decided
        once per index version and stored beside the index (knowledge/derived.py)."""
        if self._quotable is None:
            alive = self.scorer.chunk_of >= 0
            self._quotable = stored_array(self.kb, "quotable", QUOTABILITY_VERSION,
                                          lambda: alive & self.quotability.quotable_all())
        return self._quotable

    def notice_mask(self) -> np.ndarray:
        """Sentences that are site notices (knowledge/quotability.py), decided once per
        index version and stored beside the index."""
        if self._notices is None:
            self._notices = stored_array(self.kb, "notices", QUOTABILITY_VERSION, self.quotability.notices_all)
        return self._notices

    def language_centroids(self, vectors: SentenceVectors) -> np.ndarray:
        """The mean vector of each language's quotable sentences (rows by language
        code): the question's mean cosine over a language's sentences is its dot
        product with that mean, so the language offset of the fusion costs one
        small product per question, the same on the exact and the HNSW paths.
        One pass over the vectors (in blocks) per index version, stored beside
        the index (knowledge/derived.py): a cold `bot ask` on a folder above
        `exact_max_sentences` reads no more of the vectors than the HNSW path does."""
        if self._centroids is None:
            self._centroids = stored_array(self.kb, "language-centroids", self._vectors_version(vectors),
                                           lambda: self._language_sums(vectors.matrix))
        return self._centroids

    def ordinary_baseline(self, vectors: SentenceVectors, embedder: Embedder) -> np.ndarray:
        """How close each question of the bank of ordinary questions comes to this
        folder's quotable sentences, sorted (answering/baseline.py): once per index
        version, stored beside the index like the centroids."""
        if self._baseline is None:
            self._baseline = stored_array(
                self.kb, "ordinary-baseline", f"{self._vectors_version(vectors)}:{bank_digest()}",
                lambda: folder_baseline(vectors.matrix, self.quotable_mask(), bank_vectors(embedder)))
        return self._baseline

    def hubness(self, vectors: SentenceVectors, embedder: Embedder) -> np.ndarray:
        """Each sentence's closeness to ordinary questions (answering/baseline.py,
        `sentence_hubness`) less the mean of its language's quotable sentences
        (float32): positive for a hub, a sentence near every question.  Once per
        index version, stored beside the index like the baseline."""
        if self._hubness is None:
            k = self.fusion.hub_neighbours
            self._hubness = stored_array(
                self.kb, "hubness", f"{self._vectors_version(vectors)}:{bank_digest()}:{k}",
                lambda: self._centred_hubness(sentence_hubness(vectors.matrix, self.quotable_mask(),
                                                               bank_vectors(embedder), k)))
        return self._hubness

    def _centred_hubness(self, raw: np.ndarray) -> np.ndarray:
        """`raw` less the mean of each language's quotable sentences (0 elsewhere), one
        value per sentence of the index."""
        raw = np.concatenate([raw, np.zeros(max(0, len(self.kb.sentences) - len(raw)), dtype=np.float32)])
        lang = self.scorer.sentence_lang[:len(raw)]
        quotable = self.quotable_mask()[:len(raw)]
        means = language_means(raw, lang, quotable, len(self.scorer.lang_code))
        return np.where(quotable, raw - means[lang], 0.0).astype(np.float32)

    def _vectors_version(self, vectors: SentenceVectors) -> str:
        """What arrays derived from the sentence vectors depend on besides the index."""
        s = self.fusion
        return (f"{QUOTABILITY_VERSION}:{vectors.model_id}:{vectors.matrix.shape}:"
                f"{s.max_embedded_sentences}:{s.passage_context}")

    def _language_sums(self, matrix: np.ndarray) -> np.ndarray:
        """The centroids of `language_centroids`, computed."""
        lang = self.scorer.sentence_lang
        n_langs = len(self.scorer.lang_code)
        sums = np.zeros((n_langs, matrix.shape[1]), dtype=np.float64)
        counts = np.zeros(n_langs, dtype=np.int64)
        for keep in masked_blocks(self.quotable_mask()[:len(matrix)]):
            codes = lang[keep]
            present = np.bincount(codes, minlength=n_langs)
            counts += present
            for code in np.flatnonzero(present).tolist():  # (np.unique would import numpy.ma: 15 ms)
                sums[code] += matrix[keep[codes == code]].sum(axis=0, dtype=np.float64)
        return (sums / np.maximum(counts, 1)[:, None]).astype(np.float32)

    def title_words(self, lang: str) -> TitleWords:
        """The knowledge's titles as `lang`'s analyzer reads them (answering/focus.py)."""
        titles = self._title_words.get(lang)
        if titles is None:
            # every title through this language's analyzer: seconds at 15,000 Thai
            # titles, so once per index version and language, stored beside the index
            titles = TitleWords.from_json(stored_json(
                self.kb, f"title-words-{lang}", FOCUS_VERSION,
                lambda: TitleWords.of((a.title for a in self.kb.articles), get_analyzer(lang)).to_json()))
            self._title_words[lang] = titles
        return titles

    def titles_of(self, lang: str) -> dict[str, frozenset[int]]:
        """`title_words(lang)`'s terms kept for `lang`'s own articles: term -> those
        articles whose titles hold it (restricted once per process, not per question)."""
        found = self._own_titles.get(lang)
        if found is None:
            own = self.scorer.article_lang == self.scorer.lang_code[lang]
            found = {term: kept for term, articles in self.title_words(lang).terms.items()
                     if (kept := frozenset(a for a in articles if own[a]))}
            self._own_titles[lang] = found
        return found

    def article_mask(self, articles: Iterable[int]) -> np.ndarray:
        """A boolean row per article of the knowledge, true for `articles`."""
        mask = np.zeros(len(self.kb.articles), dtype=bool)
        mask[list(articles)] = True
        return mask
