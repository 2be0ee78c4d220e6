"""BM25 with rank-bm25's Okapi semantics, precomputed as a sparse matrix.

rank_bm25.BM25Okapi scores a document d for a query q as

    sum over terms t of q:  idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl))

with idf(t) = log((N - df + 0.5) / (df + 0.5)), and any negative idf (a term
in more than half of the documents, common with few documents: rank-bm25
issues #39 and #43) replaced by epsilon * mean idf, which keeps it positive.
We keep exactly these semantics (tests compare against rank_bm25), but compute
the per-term weights once at build time into a CSR matrix of terms x
documents, so that a query is a sparse row sum instead of a Python loop over
every document.  Query terms may carry weights (1.0 gives rank-bm25's score).

Persistence uses numpy arrays (`allow_pickle=False`) and JSON only, written
to a temporary file and renamed, so a crash never leaves a half-written index.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


class BM25Index:
    """Precomputed BM25 weights over a fixed list of analysed documents."""

    def __init__(self, vocab: dict[str, int], weights: sparse.csr_matrix, idf: np.ndarray,
                 n_docs: int, params: BM25Params) -> None:
        self.vocab = vocab
        self.weights = weights  # shape (n_terms, n_docs)
        self.idf = idf
        self.n_docs = n_docs
        self.params = params

    # -- building ------------------------------------------------------------
    @classmethod
    def build(cls, docs: Iterable[list[str]], params: BM25Params = BM25Params()) -> "BM25Index":
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[int] = []
        lengths: list[int] = []
        for d, doc in enumerate(docs):
            lengths.append(len(doc))
            for term, tf in Counter(doc).items():
                rows.append(vocab.setdefault(term, len(vocab)))
                cols.append(d)
                tfs.append(tf)
        n_docs = len(lengths)
        n_terms = len(vocab)
        row_arr = np.asarray(rows, dtype=np.int64)
        tf_arr = np.asarray(tfs, dtype=np.float64)
        doc_len = np.asarray(lengths, dtype=np.float64)
        avgdl = doc_len.sum() / n_docs if n_docs else 0.0
        df = np.bincount(row_arr, minlength=n_terms).astype(np.float64)
        idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5) if n_terms else np.zeros(0)
        if n_terms:
            floor = params.epsilon * (idf.sum() / n_terms)
            idf = np.where(idf < 0, floor, idf)
        if n_docs and avgdl > 0:
            norm = params.k1 * (1 - params.b + params.b * doc_len / avgdl)
        else:
            norm = np.full(n_docs, params.k1)
        col_arr = np.asarray(cols, dtype=np.int64)
        values = idf[row_arr] * tf_arr * (params.k1 + 1) / (tf_arr + norm[col_arr]) if n_terms else tf_arr
        weights = sparse.csr_matrix((values, (row_arr, col_arr)), shape=(n_terms, n_docs))
        weights.sum_duplicates()
        return cls(vocab, weights, idf, n_docs, params)

    # -- querying ------------------------------------------------------------
    def term_weights(self, query: Iterable[str] | Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Row ids and weights of the known query terms (repeats add up, as in rank-bm25)."""
        counts: Counter = Counter()
        items = query.items() if isinstance(query, Mapping) else ((t, 1.0) for t in query)
        for term, weight in items:
            row = self.vocab.get(term)
            if row is not None:
                counts[row] += weight
        rows = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        w = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        return rows, w

    def scores(self, query: Iterable[str] | Mapping[str, float]) -> np.ndarray:
        """BM25 score of every document for `query` (dense vector of n_docs)."""
        rows, w = self.term_weights(query)
        out = np.zeros(self.n_docs)
        if len(rows) == 0:
            return out
        m = self.weights
        for row, weight in zip(rows.tolist(), w.tolist()):
            start, end = m.indptr[row], m.indptr[row + 1]
            out[m.indices[start:end]] += weight * m.data[start:end]
        return out

    def contributions(self, query: Iterable[str], doc: int) -> dict[str, float]:
        """Per-term contribution to one document's score (the REPL's 'why')."""
        out: dict[str, float] = {}
        for term, count in Counter(query).items():
            row = self.vocab.get(term)
            if row is None:
                continue
            value = self.weights[row, doc]
            if value:
                out[term] = float(value) * count
        return out

    def idf_of(self, term: str) -> float:
        """idf of a term; a term never seen gets the idf of a one-document term."""
        row = self.vocab.get(term)
        if row is not None:
            return float(self.idf[row])
        return math.log(self.n_docs + 0.5) - math.log(1.5) if self.n_docs else 0.0

    # -- persistence -----------------------------------------------------------
    def save(self, directory: Path, name: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        m = self.weights
        arrays = {"data": m.data, "indices": m.indices, "indptr": m.indptr, "idf": self.idf,
                  "shape": np.asarray(m.shape, dtype=np.int64)}
        atomic_write(directory / f"{name}.npz", lambda f: np.savez(f, **arrays))
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        meta = {"terms": terms, "n_docs": self.n_docs, "params": self.params.__dict__}
        atomic_write(directory / f"{name}.json",
                     lambda f: f.write(json.dumps(meta, ensure_ascii=False).encode("utf-8")))

    @classmethod
    def load(cls, directory: Path, name: str) -> "BM25Index":
        with np.load(directory / f"{name}.npz", allow_pickle=False) as z:
            shape = tuple(int(x) for x in z["shape"])
            weights = sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=shape)
            idf = z["idf"]
        meta = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        vocab = {t: i for i, t in enumerate(meta["terms"])}
        return cls(vocab, weights, idf, int(meta["n_docs"]), BM25Params(**meta["params"]))


def atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
