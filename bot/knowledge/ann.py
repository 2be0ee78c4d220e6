"""Nearest sentence vectors for folders too large for exact dot products.

Below `exact_max` rows the bot scores every sentence exactly (a dot product
per row).  Above it, an HNSW graph (usearch: one file, memory-mapped at
start, so opening it costs milliseconds whatever its size) gives the top-k
rows by inner product; `bench/speed.py` measures its recall@10 against the
exact top 10.

Identical vectors (a sentence repeated across articles) are indexed once:
an HNSW graph over thousands of identical points loses recall, and the
duplicates add nothing.  `nearest` expands a found vector to every row that
has it.

The index file is rebuilt whenever the vectors change (keyed by the
caller's stamp); building it costs ~1 ms per distinct vector on 2 cores.
It is kept like every array cache of the bot (bot/core/cache.py: `cached`
and the array sets' size-checked stamp), the graph file written before the
stamp that vouches for it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from bot.core.cache import Stale, cached, read_array_set, write_array_set

log = logging.getLogger(__name__)
FORMAT = 2  # 2: the array-set stamp of bot/core/cache.py (sizes checked)
GRAPH = "vectors.usearch"
GROUPS = ("ann.order", "ann.indptr")  # arrays <name>.npy: the rows of each distinct vector
META = "ann.stamp.json"
LEGACY_META = "ann.json"  # format 1's stamp: removed when the graph is rewritten


def distinct_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first row of each distinct non-zero vector, order, indptr): the rows holding
    distinct vector j are order[indptr[j]:indptr[j + 1]]."""
    n = len(matrix)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64)
    raw = np.ascontiguousarray(matrix).view(np.dtype((np.void, matrix.dtype.itemsize * matrix.shape[1]))).ravel()
    nonzero = np.flatnonzero(np.any(matrix != 0, axis=1))
    _, first, inverse = np.unique(raw[nonzero], return_index=True, return_inverse=True)
    order = nonzero[np.argsort(inverse, kind="stable")]
    counts = np.bincount(inverse, minlength=len(first))
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return nonzero[first], order.astype(np.int64), indptr


class NearestRows:
    """Top-k rows of a (memory-mapped) unit-vector matrix by inner product."""

    def __init__(self, matrix: np.ndarray, graph=None, order: np.ndarray | None = None,
                 indptr: np.ndarray | None = None, expansion: int = 128) -> None:
        self.matrix = matrix
        self.graph = graph
        self.order = order
        self.indptr = indptr
        self.expansion = expansion

    @classmethod
    def open(cls, matrix: np.ndarray, directory: Path | None, stamp: str, expansion: int = 128,
             connectivity: int = 16, progress=None) -> "NearestRows":
        """The HNSW graph of `matrix` from `directory` when its stamp matches, else built
        and saved there; exact search when usearch is not installed."""
        try:
            from usearch.index import Index
        except ImportError:
            log.warning("usearch is not installed: exact vector search over %d rows", len(matrix))
            return cls(matrix)
        key = {"stamp": stamp, "format": FORMAT}

        def read() -> "NearestRows":
            if directory is None:
                raise Stale
            arrays, meta = read_array_set(directory, GROUPS, META)
            if meta.get("key") != key:
                raise Stale
            try:
                graph = Index.restore(str(directory / GRAPH), view=True)
            except RuntimeError as exc:  # how usearch reports a damaged file
                raise ValueError(f"{GRAPH}: {exc}") from None
            order, indptr = (arrays[name] for name in GROUPS)
            if graph is None or len(graph) != len(indptr) - 1:
                raise ValueError(f"{GRAPH} does not match its groups")
            return cls(matrix, graph, order, indptr, expansion)

        def build() -> "NearestRows":
            first, order, indptr = distinct_rows(matrix)
            graph = Index(ndim=matrix.shape[1], metric="ip", dtype="f16", connectivity=connectivity,
                          expansion_add=128)
            step = 4096
            for start in range(0, len(first), step):
                rows = first[start:start + step]
                # one thread: the same vectors always give the same graph, so a folder gets
                # the same answers on every machine (embedding, not this, is the slow part)
                graph.add(np.arange(start, start + len(rows), dtype=np.uint64),
                          np.asarray(matrix[rows], dtype=np.float32), threads=1)
                if progress is not None:
                    progress.update(len(rows))
            return cls(matrix, graph, order, indptr, expansion)

        def write(built: "NearestRows") -> None:
            if directory is None:
                return
            directory.mkdir(parents=True, exist_ok=True)
            for stale in (META, LEGACY_META):  # nothing vouches for the graph while it is replaced
                (directory / stale).unlink(missing_ok=True)
            tmp = directory / (GRAPH + ".tmp")
            built.graph.save(str(tmp))
            tmp.replace(directory / GRAPH)
            assert built.order is not None and built.indptr is not None  # built with the graph
            write_array_set(directory, dict(zip(GROUPS, (built.order, built.indptr))), META,
                            {"key": key, "vectors": len(built.indptr) - 1})

        return cached(read, build, write, f"vector graph in {directory}", logging.WARNING)[0]

    def groups(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(distinct vector of each row, -1 for a zero row; first row of each distinct vector)."""
        if self.order is None or self.indptr is None:
            return None
        if getattr(self, "_group_of", None) is None:
            group_of = np.full(len(self.matrix), -1, dtype=np.int32)
            sizes = np.diff(self.indptr)
            group_of[self.order] = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
            self._group_of = group_of
            self._first = self.order[self.indptr[:-1]]
        return self._group_of, self._first

    def nearest_groups(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, representative row of each found vector, which representative each row has):
        the rows holding one of the ~k vectors nearest to `query`."""
        if self.graph is None:
            rows = self.nearest(query, k)
            return rows, rows, np.arange(len(rows))
        order, indptr = self.order, self.indptr
        assert order is not None and indptr is not None  # a graph always comes with its groups
        self.graph.expansion_search = max(self.expansion, k)
        keys = np.asarray(self.graph.search(np.asarray(query, dtype=np.float32), k, threads=1).keys,
                          dtype=np.int64)
        keys = keys[(keys >= 0) & (keys < len(indptr) - 1)]
        if not len(keys):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        starts, ends = indptr[keys], indptr[keys + 1]
        sizes = ends - starts
        pos = np.repeat(starts - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes) + np.arange(int(sizes.sum()))
        return order[pos], order[starts], np.repeat(np.arange(len(keys)), sizes)

    def nearest(self, query: np.ndarray, k: int) -> np.ndarray:
        """Rows of (about) the k vectors nearest to `query` (every row holding one of them)."""
        if self.graph is None:
            scores = np.asarray(self.matrix @ query.astype(self.matrix.dtype), dtype=np.float32)
            k = min(k, len(scores))
            if k <= 0:
                return np.zeros(0, dtype=np.int64)
            return np.argpartition(-scores, k - 1)[:k]
        return self.nearest_groups(query, k)[0]
