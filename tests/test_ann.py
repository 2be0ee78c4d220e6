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


def test_stored_graph_is_read_back_and_a_damaged_one_rebuilt(tmp_path, monkeypatch, caplog):
    """The graph goes through the shared array cache (bot/core/cache.py): a second open
    reads it without building; a truncated group array fails the stamp's size check
    and is rebuilt, logged once, with the same answers."""
    pytest.importorskip("usearch")
    import bot.knowledge.ann as ann

    m, rng = _clustered(120, 3)
    queries = [m[i].astype(np.float32) for i in (3, 50, 200)]
    built = NearestRows.open(m, tmp_path, "s1")
    expected = [built.nearest(q, 5).tolist() for q in queries]

    def no_build(_matrix):
        raise AssertionError("rebuilt although the stored graph is intact")

    with monkeypatch.context() as patch:
        patch.setattr(ann, "distinct_rows", no_build)
        stored = NearestRows.open(m, tmp_path, "s1")
    assert [stored.nearest(q, 5).tolist() for q in queries] == expected
    order = tmp_path / f"{ann.GROUPS[0]}.npy"
    order.write_bytes(order.read_bytes()[:-8])
    with caplog.at_level("WARNING", logger="bot.core.cache"):
        rebuilt = NearestRows.open(m, tmp_path, "s1")
    assert [rebuilt.nearest(q, 5).tolist() for q in queries] == expected
    assert any("unusable" in r.getMessage() for r in caplog.records)
    with monkeypatch.context() as patch:  # and the rebuilt one is stored again
        patch.setattr(ann, "distinct_rows", no_build)
        NearestRows.open(m, tmp_path, "s1")
