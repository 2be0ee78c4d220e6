"""BM25 with rank-bm25's Okapi semantics (and a choice of idf), precomputed as a sparse matrix.

rank_bm25.BM25Okapi scores a document d for a query q as

    sum over terms t of q:  idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl))

with idf(t) = log((N - df + 0.5) / (df + 0.5)), and any negative idf (a term
in more than half of the documents, common with few documents: rank-bm25
issues #39 and #43) replaced by epsilon * mean idf, which keeps it positive
while the mean is: with one or two documents it is not, every idf is zero or
below, and no document scores at all.  Hence a second idf, `idf="lucene"`
(Lucene's and bm25s' default), log(1 + (N - df + 0.5) / (df + 0.5)): the
same ranking signal for rare terms, never negative, so a folder of one or two
short articles (one chunk each) still ranks.  Everything else is the same.
We keep exactly these semantics (tests compare against rank_bm25, the Lucene
idf through a rank_bm25 subclass with only `_calc_idf` replaced), but compute
the per-term weights once at build time into a CSR matrix of terms x
documents, so that a query touches only the postings of its own terms instead
of looping over every document.  Query terms may carry weights (1.0 gives
rank-bm25's score; a repeated term counts once per repeat, as in rank-bm25).

Why plain numpy and no scipy on the query path: importing scipy.sparse costs
~85 ms, more than a whole query on a million chunks.  The matrix is three
numpy arrays (indptr, indices, data); `TermDocMatrix` reads them directly and
only builds a scipy matrix if a caller asks for something it cannot do.

Persistence: one `.npy` per array (loaded memory-mapped, so a big index opens
in milliseconds and pages in on demand) plus a JSON file of the vocabulary
and parameters; never pickle.  Every file is written to a temporary name and
renamed; the caller writes its validity stamp last (see knowledge/store.py).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.core.cache import atomic_write, save_npy

Query = Iterable[str] | Mapping[str, float]


IDF_VARIANTS = ("okapi", "lucene")


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25  # the floor of a negative okapi idf, as a share of the mean idf
    idf: str = "okapi"  # or "lucene" (IDF_VARIANTS)


def idf_values(n_docs: int, df: np.ndarray, params: BM25Params) -> np.ndarray:
    """The idf of terms found in `df` of `n_docs` documents (before any floor)."""
    dff = np.asarray(df, dtype=np.float64)
    if params.idf == "lucene":
        return np.log1p((n_docs - dff + 0.5) / (dff + 0.5))
    if params.idf != "okapi":
        raise ValueError(f"unknown idf variant {params.idf!r} (expected one of {', '.join(IDF_VARIANTS)})")
    return np.log(n_docs - dff + 0.5) - np.log(dff + 0.5)


class IndexFileError(ValueError):
    """A persisted index file is missing, truncated or inconsistent."""


class TermDocMatrix:
    """A read-only CSR matrix (terms x documents) over three numpy arrays.

    Supports what the query path needs without scipy: `m[row, col]` (a
    float), the CSR arrays themselves (answering/postings.py reads a term's
    postings from `indptr` and `indices`), `shape`, `nnz`.  Anything else
    (slicing, `.sum(axis=...)`, ...) is delegated to an equivalent
    `scipy.sparse.csr_matrix`, built on first use.
    """

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray,
                 shape: tuple[int, int]) -> None:
        self.indptr = indptr
        self.indices = indices
        self.data = data
        self.shape = (int(shape[0]), int(shape[1]))
        self._scipy = None

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1]) if len(self.indptr) else 0

    def get(self, r: int, c: int) -> float:
        """Entry (r, c), 0.0 when absent (column ids are sorted within a row)."""
        start, end = int(self.indptr[r]), int(self.indptr[r + 1])
        if start == end:
            return 0.0
        pos = start + int(np.searchsorted(self.indices[start:end], c))
        if pos < end and int(self.indices[pos]) == c:
            return float(self.data[pos])
        return 0.0

    def __getitem__(self, key):
        if (isinstance(key, tuple) and len(key) == 2
                and all(isinstance(k, (int, np.integer)) for k in key)):
            r, c = (int(k) for k in key)
            if r < 0:
                r += self.shape[0]
            if c < 0:
                c += self.shape[1]
            if not (0 <= r < self.shape[0] and 0 <= c < self.shape[1]):
                raise IndexError(f"index {key} out of range for shape {self.shape}")
            return self.get(r, c)
        return self.tocsr()[key]

    def tocsr(self):
        """The same matrix as scipy.sparse.csr_matrix (imports scipy)."""
        if self._scipy is None:
            from scipy import sparse

            self._scipy = sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)
        return self._scipy

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.tocsr(), name)


class BM25Index:
    """Precomputed BM25 weights over a fixed list of analysed documents."""

    def __init__(self, vocab: dict[str, int], weights: TermDocMatrix, idf: np.ndarray,
                 n_docs: int, params: BM25Params) -> None:
        self.vocab = vocab
        self.weights = weights  # shape (n_terms, n_docs)
        self.idf = idf
        self.n_docs = n_docs
        self.params = params

    # -- building ------------------------------------------------------------
    @classmethod
    def build(cls, docs: Iterable[list[str]], params: BM25Params = BM25Params()) -> "BM25Index":
        """Index analysed documents (lists of terms, repeats counted) through the
        same `from_counts` path the knowledge store uses (tests and benchmarks
        build small indexes this way)."""
        counts = TermCounts.from_docs(docs)
        return cls.from_counts(counts.terms, counts.indptr, counts.term_ids, counts.tfs, params)

    @classmethod
    def from_counts(cls, terms: list[str], doc_indptr: np.ndarray, term_ids: np.ndarray,
                    tfs: np.ndarray, params: BM25Params = BM25Params()) -> "BM25Index":
        """Index from per-document term counts (CSR documents x terms).

        Document d holds terms `term_ids[doc_indptr[d]:doc_indptr[d+1]]`
        (each at most once per document) with counts `tfs[...]`.
        """
        n_docs = len(doc_indptr) - 1
        term_ids = np.asarray(term_ids)
        doc = np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(doc_indptr).astype(np.int64))
        tf = np.asarray(tfs, dtype=np.float64)
        doc_len = np.bincount(doc, weights=tf, minlength=n_docs)  # rank-bm25's len(doc)
        order = _stable_order(term_ids, len(terms))
        return cls._from_postings(terms, n_docs, term_ids[order], doc[order], tf[order], doc_len, params)

    @classmethod
    def _from_postings(cls, terms: list[str], n_docs: int, term: np.ndarray, doc: np.ndarray, tf: np.ndarray,
                       doc_len: np.ndarray, params: BM25Params) -> "BM25Index":
        """Postings sorted by (term, document) -> BM25 weights, exactly as rank-bm25.

        Terms no document uses are dropped: rank-bm25 only knows the terms
        of its corpus (they would change the mean idf).
        """
        df = np.bincount(term, minlength=len(terms))
        used = np.flatnonzero(df)
        if len(used) < len(terms):  # re-number the terms actually present
            remap = np.full(len(terms), -1, dtype=np.int64)
            remap[used] = np.arange(len(used))
            term = remap[term]
            df = df[used]
            terms = [terms[i] for i in used.tolist()]
        n_terms = len(terms)
        avgdl = doc_len.sum() / n_docs if n_docs else 0.0
        idf = idf_values(n_docs, df, params) if n_terms else np.zeros(0)
        if n_terms and params.idf == "okapi":
            floor = params.epsilon * (idf.sum() / n_terms)
            idf = np.where(idf < 0, floor, idf)
        if n_docs and avgdl > 0:
            norm = params.k1 * (1 - params.b + params.b * doc_len / avgdl)
        else:
            norm = np.full(n_docs, params.k1)
        # w = idf * tf * (k1 + 1) / (tf + norm), in blocks to bound temporaries
        data = np.empty(len(tf), dtype=np.float64)
        step = 1 << 23
        for start in range(0, len(tf), step):
            end = min(len(tf), start + step)
            t = tf[start:end].astype(np.float64)
            out = data[start:end]
            np.multiply(t, params.k1 + 1, out=out)
            t += norm[doc[start:end]]
            out /= t
            out *= idf[term[start:end]]
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        vocab = {t: i for i, t in enumerate(terms)}
        return cls(vocab, TermDocMatrix(indptr, doc, data, (n_terms, n_docs)), idf, n_docs, params)

    # -- querying ------------------------------------------------------------
    def term_weights(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """Row ids and weights of the known query terms (repeats add up, as in rank-bm25)."""
        counts: dict[int, float] = {}
        get = self.vocab.get
        if hasattr(query, "items"):
            for term, weight in query.items():
                row = get(term)
                if row is not None:
                    counts[row] = counts.get(row, 0.0) + weight
        else:
            for term in query:
                row = get(term)
                if row is not None:
                    counts[row] = counts.get(row, 0.0) + 1.0
        return np.asarray(list(counts), dtype=np.int64), np.asarray(list(counts.values()), dtype=np.float64)

    def scores(self, query: Query) -> np.ndarray:
        """BM25 score of every document for `query` (dense vector of n_docs)."""
        rows, w = self.term_weights(query)
        out = np.zeros(self.n_docs)
        m = self.weights
        indptr, indices, data = m.indptr, m.indices, m.data
        for row, weight in zip(rows.tolist(), w.tolist()):
            start, end = int(indptr[row]), int(indptr[row + 1])
            out[indices[start:end]] += weight * data[start:end]
        return out

    def contributions(self, query: Iterable[str], doc: int) -> dict[str, float]:
        """Per-term contribution to one document's score (the REPL's 'why')."""
        out: dict[str, float] = {}
        for term, count in Counter(query).items():
            row = self.vocab.get(term)
            if row is None:
                continue
            value = self.weights.get(row, doc)
            if value:
                out[term] = value * count
        return out

    def idf_of(self, term: str) -> float:
        """idf of a term; a term never seen gets the idf of a one-document term."""
        row = self.vocab.get(term)
        if row is not None:
            return float(self.idf[row])
        return float(idf_values(self.n_docs, np.ones(1), self.params)[0]) if self.n_docs else 0.0

    # -- persistence -----------------------------------------------------------
    ARRAYS = ("indptr", "indices", "data", "idf")

    def files(self, name: str) -> list[str]:
        """File names `save(directory, name)` writes."""
        return [f"{name}.{a}.npy" for a in self.ARRAYS] + [f"{name}.json"]

    def save(self, directory: Path, name: str) -> list[str]:
        """Write the index as `.npy` arrays + JSON; returns the file names."""
        directory.mkdir(parents=True, exist_ok=True)
        m = self.weights
        arrays = {"indptr": m.indptr, "indices": m.indices, "data": m.data, "idf": self.idf}
        for key, arr in arrays.items():
            save_npy(directory / f"{name}.{key}.npy", arr)
        terms: list[str | None] = [None] * len(self.vocab)
        for t, i in self.vocab.items():
            terms[i] = t
        meta = {"terms": terms, "n_docs": self.n_docs, "shape": list(m.shape),
                "params": asdict(self.params)}
        atomic_write(directory / f"{name}.json",
                     lambda f: f.write(json.dumps(meta, ensure_ascii=False).encode("utf-8")))
        return self.files(name)

    @classmethod
    def load(cls, directory: Path, name: str, mmap: bool = True) -> "BM25Index":
        """Load what `save` wrote; raises IndexFileError when it is inconsistent."""
        try:
            meta = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
            arrays = {key: np.load(directory / f"{name}.{key}.npy", mmap_mode="r" if mmap else None,
                                   allow_pickle=False)
                      for key in cls.ARRAYS}
            terms = meta["terms"]
            n_terms, n_docs = (int(x) for x in meta["shape"])
            params = BM25Params(**meta["params"])
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            raise IndexFileError(f"index '{name}' in {directory} unreadable: {exc}") from None
        # plain ndarray views of the mapped files: numpy.memmap builds a Python
        # memmap object for every slice and element read (~3 us each)
        indptr, indices, data, idf = (arrays[k].view(np.ndarray) for k in cls.ARRAYS)
        ok = (len(terms) == n_terms and indptr.shape == (n_terms + 1,) and idf.shape == (n_terms,)
              and indices.ndim == 1 and data.shape == indices.shape and n_docs == int(meta["n_docs"])
              and (n_terms == 0 or (int(indptr[0]) == 0 and int(indptr[-1]) == len(indices)))
              and indices.dtype.kind == "i" and data.dtype == np.float64)
        if not ok:
            raise IndexFileError(f"index '{name}' in {directory} is inconsistent")
        vocab = {t: i for i, t in enumerate(terms)}
        return cls(vocab, TermDocMatrix(indptr, indices, data, (n_terms, n_docs)), idf, n_docs, params)


def _stable_order(keys: np.ndarray, n_keys: int) -> np.ndarray:
    """argsort(keys, kind='stable'), as an LSD radix sort on 16-bit digits.

    numpy's stable sort is a radix sort only for keys of 16 bits or less (a
    timsort otherwise); two 16-bit passes are about twice as fast on 10^8 keys.
    """
    if n_keys <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = (keys >> 16)[order]
    if n_keys > 1 << 32:
        raise ValueError("too many terms")
    return order[np.argsort(high.astype(np.uint16), kind="stable")]


class TermCounts:
    """Per-document term counts as CSR arrays over a growing vocabulary.

    The analysed corpus in a compact form: rebuilding BM25 weights from it
    (after one file changed) needs no re-analysis and no Python loop over
    terms.  Built with C-level loops (Counter, map over a dict) because a
    per-term Python loop dominates indexing time at a million documents.
    """

    def __init__(self, terms: list[str], indptr: np.ndarray, term_ids: np.ndarray, tfs: np.ndarray) -> None:
        self.terms = terms
        self.indptr = indptr
        self.term_ids = term_ids
        self.tfs = tfs

    @classmethod
    def from_docs(cls, docs: Iterable[list[str]], vocab: dict[str, int] | None = None) -> "TermCounts":
        """Count the terms of `docs`; `vocab` (term -> id) is extended in place.

        With a `vocabulary()` table as `vocab`, nothing is copied and
        `terms` is left empty (the caller owns the vocabulary): that keeps
        counting one file after another linear in the files, not in the
        vocabulary size.
        """
        table: defaultdict[str, int]
        if isinstance(vocab, defaultdict) and vocab.default_factory is not None:
            shared, table = True, vocab
        else:
            shared = False
            table = vocabulary()
            if vocab is not None:
                table.default_factory = None
                table.update(vocab)
                table.default_factory = table.__len__
        lookup = table.__getitem__
        ids: list[int] = []
        tfs: list[int] = []
        lengths = [0]
        total = 0
        for doc in docs:
            c = Counter(doc)
            ids.extend(map(lookup, c))
            tfs.extend(c.values())
            total += len(c)
            lengths.append(total)
        terms: list[str] = []
        if not shared:
            if vocab is not None:
                vocab.update(table)
            terms = [""] * len(table)
            for t, i in table.items():
                terms[i] = t
        return cls(terms, np.array(lengths, dtype=np.int64), np.array(ids, dtype=np.int32),
                   np.array(tfs, dtype=np.int32))


def vocabulary(terms: Iterable[str] = ()) -> defaultdict:
    """term -> id table that numbers a new term on first lookup (ids in order)."""
    table: defaultdict[str, int] = defaultdict()
    for t in terms:
        table[t] = len(table)
    table.default_factory = table.__len__
    return table
