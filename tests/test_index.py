"""BM25Index keeps rank_bm25's scores exactly and persists safely."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.knowledge.bm25 import BM25Index, BM25Params, IndexFileError, TermCounts


def random_corpus(seed: int, n_docs: int, n_types: int, max_len: int = 40) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(n_types)]
    weights = [1.0 / (i + 1) for i in range(n_types)]  # Zipf-like: some terms in most documents
    return [rng.choices(words, weights, k=rng.randint(0, max_len)) for _ in range(n_docs)]


def random_queries(seed: int, corpus, n: int = 25):
    rng = random.Random(seed)
    vocab = sorted({t for d in corpus for t in d})
    out = []
    for _ in range(n):
        q = rng.sample(vocab, min(len(vocab), rng.randint(1, 8)))
        q += rng.choices(q, k=rng.randint(0, 2))  # repeated terms count once per repeat
        q.append("never-seen-term")
        out.append(q)
    return out


@pytest.mark.parametrize("seed,n_docs,n_types", [(1, 3, 5), (2, 50, 30), (3, 400, 200), (4, 2000, 3000)])
@pytest.mark.parametrize("params", [BM25Params(), BM25Params(k1=1.2, b=0.75, epsilon=0.25),
                                    BM25Params(k1=0.9, b=0.4, epsilon=0.5)])
def test_scores_match_rank_bm25(seed, n_docs, n_types, params):
    corpus = random_corpus(seed, n_docs, n_types)
    if not any(corpus):
        corpus[0] = ["w0"]
    ref = BM25Okapi(corpus, k1=params.k1, b=params.b, epsilon=params.epsilon)
    index = BM25Index.build(corpus, params)
    for q in random_queries(seed, corpus):
        expected = ref.get_scores(q)
        got = index.scores(q)
        assert np.max(np.abs(expected - got)) <= 1e-9


class LuceneIdfBM25(BM25Okapi):
    """rank-bm25 with only its idf hook replaced: Lucene's (and bm25s') idf."""

    def _calc_idf(self, nd):
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))


@pytest.mark.parametrize("seed,n_docs,n_types", [(1, 1, 4), (5, 2, 6), (1, 3, 5), (2, 50, 30), (3, 400, 200)])
def test_lucene_idf_scores_match_rank_bm25_with_that_idf(seed, n_docs, n_types):
    corpus = random_corpus(seed, n_docs, n_types)
    if not any(corpus):
        corpus[0] = ["w0"]
    params = BM25Params(k1=1.2, b=0.75, idf="lucene")
    ref = LuceneIdfBM25(corpus, k1=params.k1, b=params.b)
    index = BM25Index.build(corpus, params)
    for q in random_queries(seed, corpus):
        assert np.max(np.abs(ref.get_scores(q) - index.scores(q))) <= 1e-9
    assert index.idf_of("never-seen-term") == pytest.approx(math.log(1 + (n_docs - 0.5) / 1.5))


def test_one_or_two_documents_score_with_the_lucene_idf_only():
    """With one or two documents every okapi idf is zero or below: nothing scores."""
    corpus = [["pool", "open", "monday"], ["chess", "open", "thursday"]]
    okapi = BM25Index.build(corpus, BM25Params(idf="okapi"))
    lucene = BM25Index.build(corpus, BM25Params(idf="lucene"))
    assert okapi.scores(["pool"]).max() <= 0 and okapi.scores(["open"]).max() <= 0
    assert lucene.scores(["pool"]).tolist()[0] > 0 and lucene.scores(["pool"]).tolist()[1] == 0
    assert lucene.scores(["pool"])[0] > lucene.scores(["open"])[0] > 0  # the rarer term weighs more
    assert BM25Index.build([["pool"]], BM25Params(idf="lucene")).scores(["pool"])[0] > 0
    with pytest.raises(ValueError, match="idf variant"):
        BM25Index.build(corpus, BM25Params(idf="tfidf"))


def test_weighted_query_equals_repeated_terms():
    corpus = random_corpus(7, 300, 100)
    index = BM25Index.build(corpus)
    ref = BM25Okapi(corpus, k1=1.5, b=0.75, epsilon=0.25)
    repeated = ["w3", "w3", "w3", "w10", "w57", "w57"]
    weighted = {"w3": 3.0, "w10": 1.0, "w57": 2.0}
    assert np.max(np.abs(index.scores(weighted) - ref.get_scores(repeated))) <= 1e-9
    assert np.max(np.abs(index.scores(weighted) - index.scores(repeated))) <= 1e-12


def test_contributions_and_matrix_access():
    corpus = [["chat", "chien", "chat"], ["chien"], ["oiseau"]]
    index = BM25Index.build(corpus)
    row = index.vocab["chat"]
    assert index.weights[row, 0] > 0 and index.weights[row, 1] == 0.0
    assert index.weights[row, 0] == pytest.approx(index.scores(["chat"])[0])
    parts = index.contributions(["chat", "chien", "absent"], 0)
    assert set(parts) == {"chat", "chien"}
    assert sum(parts.values()) == pytest.approx(index.scores(["chat", "chien"])[0])
    # anything else goes through scipy, same values
    dense = index.weights.toarray()
    assert dense.shape == (3, 3) and dense[row, 0] == index.weights[row, 0]


def test_empty_corpus_and_empty_documents():
    index = BM25Index.build([])
    assert index.scores(["a"]).shape == (0,)
    index = BM25Index.build([[], ["a"], []])
    assert index.scores(["a"])[1] > 0 and index.scores(["a"])[[0, 2]].tolist() == [0.0, 0.0]


def test_persistence_round_trip(tmp_path):
    corpus = random_corpus(11, 500, 400)
    index = BM25Index.build(corpus, BM25Params(k1=1.2))
    files = index.save(tmp_path, "chunks")
    assert all((tmp_path / f).exists() for f in files)
    loaded = BM25Index.load(tmp_path, "chunks")
    assert loaded.vocab == index.vocab and loaded.params == index.params and loaded.n_docs == index.n_docs
    for q in random_queries(11, corpus, 10):
        assert np.array_equal(loaded.scores(q), index.scores(q))
    # no pickle anywhere: every array loads with allow_pickle=False (done by load)
    # memory-mapped: a plain ndarray view whose buffer is the file mapping
    assert isinstance(loaded.weights.data.base, np.memmap) and not isinstance(loaded.weights.data, np.memmap)


@pytest.mark.parametrize("victim", ["chunks.data.npy", "chunks.indptr.npy", "chunks.json"])
def test_truncated_index_file_is_refused(tmp_path, victim):
    BM25Index.build(random_corpus(12, 200, 100)).save(tmp_path, "chunks")
    path = tmp_path / victim
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexFileError):
        BM25Index.load(tmp_path, "chunks")


def test_term_counts_extend_a_vocabulary():
    vocab = {"x": 0}
    counts = TermCounts.from_docs([["a", "x", "a"], [], ["b"]], vocab)
    assert vocab == {"x": 0, "a": 1, "b": 2}
    assert counts.indptr.tolist() == [0, 2, 2, 3]
    assert counts.term_ids.tolist() == [1, 0, 2] and counts.tfs.tolist() == [2, 1, 1]
