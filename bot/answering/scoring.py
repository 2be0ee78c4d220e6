"""The lexical scores of one question, from the postings of its terms only.

`Retriever.search` used to build a full-length score vector per candidate
term on both indexes, compare every sentence's language string, and sort
every sentence to keep 20.  Here the same numbers are computed from the
postings the question touches:

* per knowledge language, each question word's candidate terms are looked
  up in the chunk index (postings kept when the chunk is in that language);
  the word's best weighted term counts once per chunk (a running maximum
  in a scratch array), the words' bests add up in question order;
* the chunks that scored are expanded to their (live) sentences, which are
  exactly the sentences that can score: a sentence's terms are in its chunk;
* the sentence index is read the same way and its scores land on those
  sentences; total = weight x (sentence + chunk_weight x chunk), times the
  translation preference (a per-article factor array, made once per reply
  language);
* the best `limit` are selected (argpartition; ties broken by sentence
  number, as a stable sort of every sentence would) before any per-hit
  Python runs.

Every floating-point operation is the one the dense version did, in the
same order (tests/test_scoring.py compares both on random knowledge), so
the hits, their scores and their order are unchanged.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from bot.knowledge.bm25 import BM25Index


@dataclass
class Scored:
    """Candidate sentences (ascending ids) of one language with their score parts."""

    ids: np.ndarray
    total: np.ndarray
    sentence: np.ndarray
    chunk: np.ndarray


class Scratch(threading.local):
    """Per-thread zeroed work arrays (left zeroed after each use): the scorer's, and
    the semantic fusion's (answering/semantic_scoring.py) through `LexicalScorer.scratch`."""

    def get(self, name: str, n: int) -> np.ndarray:
        arr = self.__dict__.get(name)
        if arr is None or len(arr) != n:
            arr = np.zeros(n)
            self.__dict__[name] = arr
        return arr


class LexicalScorer:
    """Precomputed per-sentence and per-chunk arrays of one KnowledgeBase."""

    def __init__(self, kb) -> None:
        self.kb = kb
        langs = sorted({a.lang for a in kb.articles})
        self.lang_code = {lang: i for i, lang in enumerate(langs)}
        self.lang_names = langs
        n = len(kb.sentences)
        arrays = kb.arrays
        self.sentence_article = arrays.sentence_article
        self.sentence_spans = arrays.sentence_spans
        self.chunk_first = arrays.chunk_first
        self.chunk_last = arrays.chunk_last
        self.chunk_article = arrays.chunk_article
        article_lang = np.array([self.lang_code[a.lang] for a in kb.articles], dtype=np.int8)
        # translation groups as numbers: the per-article translation factor is two
        # array passes (a Python loop over every article's versions cost 17 ms of a
        # cold `ask` at 15,000 articles)
        group_no: dict[str, int] = {}
        self.article_group = np.array([group_no.setdefault(a.group, len(group_no)) for a in kb.articles],
                                      dtype=np.int64)
        self.n_groups = len(group_no)
        self.article_lang = article_lang
        self.sentence_lang = article_lang[self.sentence_article] if n else np.zeros(0, dtype=np.int8)
        self.chunk_lang = article_lang[self.chunk_article] if len(kb.chunks) else np.zeros(0, dtype=np.int8)
        self.chunk_of = arrays.sentence_chunk
        # an article's sentences are consecutive: its first one, and one past its last
        counts = np.bincount(self.sentence_article, minlength=len(kb.articles)) if n else np.zeros(0, dtype=np.int64)
        self.article_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._factors: dict[str, np.ndarray | None] = {}
        self._purity: dict[tuple[str, int], int] = {}  # (index, term row) -> language code or -1
        self.scratch = Scratch()  # zeroed work arrays, one set per thread
        self._lock = threading.Lock()

    # -- per reply language --------------------------------------------------------
    def article_factor(self, user_lang: str, penalty: float) -> np.ndarray | None:
        """Per-article score factor: `penalty` for an article in another language
        that has a version in the user's language; None when no article has."""
        key = f"{user_lang}\x00{penalty!r}"
        if key not in self._factors:
            factor = None
            code = self.lang_code.get(user_lang)
            if code is not None:  # some article is in the user's language
                own = self.article_lang == code
                has_own = np.zeros(self.n_groups, dtype=bool)
                has_own[self.article_group[own]] = True
                penalised = ~own & has_own[self.article_group]
                if penalised.any():
                    factor = np.where(penalised, penalty, 1.0)
            with self._lock:
                self._factors[key] = factor
        return self._factors[key]

    def other_language_factor(self, lang: str, factor: float) -> np.ndarray | None:
        """Per-article score factor: `factor` for an article not in `lang`; None when
        no article is in `lang` (nothing to prefer) or every article is.  Remembered
        like `article_factor`'s."""
        key = f"other\x00{lang}\x00{factor!r}"
        if key not in self._factors:
            code = self.lang_code.get(lang)
            other = self.article_lang != code if code is not None else None
            with self._lock:
                self._factors[key] = np.where(other, factor, 1.0) if other is not None and other.any() else None
        return self._factors[key]

    def languages_of(self, sentences: np.ndarray) -> list[str]:
        """The language of each sentence (its article's), without making sentence records."""
        names = self.lang_names
        return [names[c] for c in self.sentence_lang[sentences].tolist()]

    # -- postings ------------------------------------------------------------------
    def word_scores(self, index: BM25Index, words, doc_lang: np.ndarray, code: int,
                    name: str) -> tuple[np.ndarray, list[np.ndarray]]:
        """Scores of the documents in language `code`, left in a per-thread
        scratch array (returned with the lists of documents touched): each
        word's best weighted candidate term, the words' bests added in
        question order.  The caller reads what it needs and calls `clear`."""
        m = index.weights
        indptr, indices, data = m.indptr, m.indices, m.data
        vocab = index.vocab
        best = self.scratch.get(name + "max", index.n_docs)
        total = self.scratch.get(name + "sum", index.n_docs)
        touched = []
        for word in words:
            parts = []
            for c in word.candidates:
                row = vocab.get(c.term)
                if row is None:
                    continue
                a, b = int(indptr[row]), int(indptr[row + 1])
                docs = indices[a:b]
                purity = self._purity.get((name, row))
                if purity is None:  # the one language of the term's documents, or -1 (mixed); once per term
                    langs = doc_lang[docs]
                    purity = int(langs[0]) if len(langs) and (langs == langs[0]).all() else -1
                    self._purity[(name, row)] = purity
                if purity == code:
                    parts.append((docs, c.weight * data[a:b]))
                elif purity < 0:
                    keep = doc_lang[docs] == code
                    docs = docs[keep]
                    if len(docs):
                        parts.append((docs, c.weight * data[a:b][keep]))
            if len(parts) == 1:
                docs, vals = parts[0]
                total[docs] += vals
                touched.append(docs)
            elif parts:
                for docs, vals in parts:  # documents are distinct within one term's postings
                    best[docs] = np.maximum(best[docs], vals)
                for docs, _ in parts:
                    # a document in several candidates' postings is added once: the
                    # later reads find 0.0 (x + 0.0 == x), no sort or unique needed
                    total[docs] += best[docs]
                    best[docs] = 0.0
                    touched.append(docs)
        return total, touched

    @staticmethod
    def collect(total: np.ndarray, touched: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(documents, score) of the touched documents, each once (order of first
        touch), and the scratch array zeroed again."""
        if not touched:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(touched) == 1:
            docs = touched[0]
            vals = total[docs]
            total[docs] = 0.0
            return docs, vals
        out_docs, out_vals = [], []
        for docs in touched:
            vals = total[docs]
            keep = vals > 0  # every score is > 0; a 0 was read already
            total[docs] = 0.0
            out_docs.append(docs[keep])
            out_vals.append(vals[keep])
        return np.concatenate(out_docs), np.concatenate(out_vals)

    def chunks_holding(self, term: str, lang: str) -> np.ndarray:
        """The chunks of knowledge language `lang` that hold the index term (ascending)."""
        code = self.lang_code.get(lang)
        index = self.kb.chunk_index
        row = index.vocab.get(term)
        if code is None or row is None:
            return np.zeros(0, dtype=np.int64)
        m = index.weights
        docs = m.indices[int(m.indptr[row]):int(m.indptr[row + 1])]
        return docs[self.chunk_lang[docs] == code]

    def articles_holding(self, term: str, lang: str) -> set[int]:
        """The articles (numbers) of knowledge language `lang` whose chunks hold the index term."""
        return set(self.chunk_article[self.chunks_holding(term, lang)].tolist())

    def holds(self, term: str, lang: str) -> bool:
        """Whether some chunk of knowledge language `lang` holds the index term."""
        return len(self.chunks_holding(term, lang)) > 0

    def sentences_of(self, articles: np.ndarray) -> np.ndarray:
        """Every sentence of `articles` (ascending article numbers), in order."""
        starts = self.article_start[articles]
        sizes = self.article_start[articles + 1] - starts
        if not len(sizes) or not sizes.sum():
            return np.zeros(0, dtype=np.int64)
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
        return offsets + np.arange(int(sizes.sum()))

    def article_scores(self, lang: str, words) -> np.ndarray:
        """Per article of knowledge language `lang`: the best chunk score of `words`
        (0 for the others)."""
        out = np.zeros(len(self.kb.articles))
        code = self.lang_code.get(lang)
        if code is None or not words:
            return out
        chunks, scores = self.collect(*self.word_scores(self.kb.chunk_index, words, self.chunk_lang, code, "c"))
        if len(chunks):
            np.maximum.at(out, self.chunk_article[chunks], scores)
        return out

    def score_language(self, lang: str, words, weight: float, chunk_weight: float) -> Scored | None:
        """Candidates of one knowledge language for the words of that language."""
        kb = self.kb
        code = self.lang_code.get(lang)
        if code is None:
            return None
        chunks, chunk_scores = self.collect(*self.word_scores(kb.chunk_index, words, self.chunk_lang, code, "c"))
        if not len(chunks):
            return None
        first = self.chunk_first[chunks]
        sizes = self.chunk_last[chunks] - first + 1
        starts = np.repeat(first - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
        ids = starts + np.arange(int(sizes.sum()))
        per_chunk = np.repeat(chunk_scores, sizes)
        alive = self.chunk_of[ids] == np.repeat(chunks, sizes)
        ids, per_chunk = ids[alive], per_chunk[alive]
        # a live sentence's terms are all in its chunk: the sentences that score are among `ids`
        total, touched = self.word_scores(kb.sentence_index, words, self.sentence_lang, code, "s")
        sentence = total[ids]
        for docs in touched:
            total[docs] = 0.0
        combined = weight * (sentence + chunk_weight * per_chunk)
        return Scored(ids, combined, sentence, per_chunk)

    def reach(self, words, weight: float, chunk_weight: float) -> float:
        """The score `score_language` would give a sentence (and its chunk) holding each
        of `words` once at an average length: each word's best weighted candidate's idf
        in the sentence index plus `chunk_weight` times its idf in the chunk index (a
        term the knowledge never holds counts as a one-document term).  How strong the
        question's best lexical match is, is its share of this."""
        kb = self.kb
        total = 0.0
        for word in words:
            sent = max((c.weight * kb.sentence_index.idf_of(c.term) for c in word.candidates), default=0.0)
            chunk = max((c.weight * kb.chunk_index.idf_of(c.term) for c in word.candidates), default=0.0)
            total += sent + chunk_weight * chunk
        return weight * total

    @staticmethod
    def top(ids: np.ndarray, total: np.ndarray, limit: int) -> np.ndarray:
        """Positions of the best `limit` positive totals, best first; equal totals
        in ascending sentence order (what a stable sort of all sentences gives)."""
        positive = np.flatnonzero(total > 0)
        if len(positive) > limit:
            vals = total[positive]
            kth = np.partition(vals, len(vals) - limit)[len(vals) - limit]
            above = positive[vals > kth]
            tied = positive[vals == kth]
            tied = tied[np.argsort(ids[tied], kind="stable")][: limit - len(above)]
            positive = np.concatenate([above, tied])
        order = np.lexsort((ids[positive], -total[positive]))
        return positive[order]
