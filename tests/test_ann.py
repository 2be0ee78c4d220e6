"""Approximate nearest rows: duplicates indexed once and expanded back, the graph
persisted and memory-mapped, recall against exact search, exact fallback."""

from __future__ import annotations

import numpy as np
import pytest

from bot.knowledge.ann import NearestRows, distinct_rows


def _clustered(n_texts=400, copies=5, dim=48, seed=0):
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n_texts, dim)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    rows = np.repeat(np.arange(n_texts), copies)
    rng.shuffle(rows)
    m = base[rows].astype(np.float16)
    m[::37] = 0  # duplicates of the knowledge have zero vectors
    return m, rng


def test_distinct_rows_groups_identical_vectors():
    m, _ = _clustered()
    first, order, indptr = distinct_rows(m)
    assert len(first) == len(indptr) - 1
    covered = np.sort(order)
    assert covered.tolist() == np.flatnonzero(np.any(m != 0, axis=1)).tolist()
    for j in range(len(first)):
        group = order[indptr[j]:indptr[j + 1]]
        assert (m[group] == m[first[j]]).all()


def test_nearest_rows_recall_and_persistence(tmp_path):
    pytest.importorskip("usearch")
    m, rng = _clustered()
    index = NearestRows.open(m, tmp_path, "s1")
    again = NearestRows.open(m, tmp_path, "s1")
    assert again.graph is not None and len(again.graph) == len(index.graph)
    hits = 0
    for _ in range(50):
        q = rng.normal(size=m.shape[1]).astype(np.float32)
        q /= np.linalg.norm(q)
        exact = m.astype(np.float32) @ q
        best = float(exact.max())
        rows = again.nearest(q, 10)
        hits += bool(np.isclose(float(exact[rows].max()), best))
        # every row holding a found vector comes back
        assert set(np.flatnonzero(exact == exact[rows[0]]).tolist()) <= set(rows.tolist())
    assert hits >= 49


def test_stale_stamp_rebuilds_and_fallback_is_exact(tmp_path, monkeypatch):
    pytest.importorskip("usearch")
    m, rng = _clustered(50, 2)
    NearestRows.open(m, tmp_path, "old")
    m2 = m.copy()
    m2[0] = m2[1]
    fresh = NearestRows.open(m2, tmp_path, "new")
    assert len(fresh.graph) == len(distinct_rows(m2)[0])
    exact = NearestRows(m2)
    q = m2[5].astype(np.float32)
    assert 5 in exact.nearest(q, 3).tolist()
