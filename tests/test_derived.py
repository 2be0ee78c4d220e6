"""Arrays derived from the knowledge are built once per index version."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from bot.knowledge.derived import stored_array


def test_built_once_per_stamp_and_version(tmp_path):
    calls = []

    def build():
        calls.append(1)
        return np.arange(5, dtype=np.int32)

    kb = SimpleNamespace(cache_dir=tmp_path, stamp="a")
    assert stored_array(kb, "x", "1", build).tolist() == [0, 1, 2, 3, 4]
    assert stored_array(kb, "x", "1", build).tolist() == [0, 1, 2, 3, 4]
    assert len(calls) == 1
    stored_array(SimpleNamespace(cache_dir=tmp_path, stamp="b"), "x", "1", build)
    stored_array(SimpleNamespace(cache_dir=tmp_path, stamp="b"), "x", "2", build)
    assert len(calls) == 3
    (tmp_path / "derived-x.npy").write_bytes(b"damaged")
    assert stored_array(SimpleNamespace(cache_dir=tmp_path, stamp="b"), "x", "2", build).tolist() == list(range(5))
    assert stored_array(SimpleNamespace(cache_dir=None, stamp=""), "x", "2", build).tolist() == list(range(5))
