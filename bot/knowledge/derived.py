"""Arrays derived from the knowledge at question time, stored beside its index.

Some per-sentence facts (which sentences may be quoted, ...) are computed
from the texts with Python code: a second per sentence at 15,000 articles.
They depend only on the indexed knowledge, so they are computed once per
index version and kept next to it, keyed by the index fingerprint and the
deriving code's version; a cold start memory-maps them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import numpy as np

from bot.core.cache import atomic_write, save_npy

log = logging.getLogger(__name__)


def stored_array(kb, name: str, version: str, build: Callable[[], np.ndarray]) -> np.ndarray:
    """`build()` once per index version, then read from `kb.cache_dir` (memory-mapped)."""
    directory, stamp = getattr(kb, "cache_dir", None), getattr(kb, "stamp", "")
    if directory is None or not stamp:
        return build()
    meta_path = directory / f"derived-{name}.json"
    path = directory / f"derived-{name}.npy"
    key = {"stamp": stamp, "version": version}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("key") == key:
            arr = np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
            if arr.shape == tuple(meta.get("shape", ())):
                return arr
    except (OSError, ValueError, AttributeError, TypeError):
        pass
    arr = np.ascontiguousarray(build())
    try:
        try:
            meta_path.unlink()
        except FileNotFoundError:
            pass
        save_npy(path, arr)
        data = json.dumps({"key": key, "shape": list(arr.shape)}).encode("utf-8")
        atomic_write(meta_path, lambda f: f.write(data))
    except OSError as exc:
        log.info("could not store %s beside the index (%s)", name, exc)
    return arr
