"""A term's postings read straight from a BM25 index's CSR arrays.

Retrieval needs, per question, only the documents that hold a few terms (the
hits' matched terms and chunks, the syllables of a Thai name found together),
not a row of the term x document matrix: these read them from `indptr`,
`indices` and `data` (knowledge/bm25.py, `TermDocMatrix`) without making one.
"""

from __future__ import annotations

import numpy as np

from bot.knowledge.bm25 import BM25Index


def span(index: BM25Index, term: str) -> tuple[int, int]:
    """Where `term`'s postings lie in the index's arrays ((0, 0): none)."""
    row = index.vocab.get(term)
    if row is None:
        return 0, 0
    m = index.weights
    return int(m.indptr[row]), int(m.indptr[row + 1])


def docs_of(index: BM25Index, term: str) -> np.ndarray:
    """The documents (ascending) that hold `term`."""
    a, b = span(index, term)
    return index.weights.indices[a:b]


def postings_at(index: BM25Index, term: str, docs: np.ndarray) -> dict[int, float]:
    """{document: weight} of `term` for those of `docs` (ascending) that hold it."""
    a, b = span(index, term)
    if a == b or not len(docs):
        return {}
    m = index.weights
    postings = m.indices[a:b]
    pos = np.searchsorted(postings, docs)
    np.minimum(pos, b - a - 1, out=pos)  # past the end: compared with the last posting, which is smaller
    ok = postings[pos] == docs
    if not ok.any():
        return {}
    return dict(zip(docs[ok].tolist(), m.data[a:b][pos[ok]].tolist()))
