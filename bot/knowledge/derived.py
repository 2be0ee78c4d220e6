"""Arrays derived from the knowledge at question time, stored beside its index.

Some per-sentence facts (which sentences may be quoted, ...) are computed
from the texts with Python code: a second per sentence at 15,000 articles.
They depend only on the indexed knowledge, so they are computed once per
index version and kept next to it, keyed by the index fingerprint and the
deriving code's version; a cold start memory-maps them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

from bot.core.cache import Stale, atomic_write, cached, read_array_set, write_array_set


def stored_array(kb, name: str, version: str, build: Callable[[], np.ndarray]) -> np.ndarray:
    """`build()` once per index version, then read from `kb.cache_dir` (memory-mapped):
    the array cache of bot/core/cache.py, its stamp also naming the index
    fingerprint and the deriving code's version."""
    directory, stamp = getattr(kb, "cache_dir", None), getattr(kb, "stamp", "")
    if directory is None or not stamp:
        return build()
    array, stamp_file = f"derived-{name}", f"derived-{name}.json"
    key = {"stamp": stamp, "version": version}

    def read() -> np.ndarray:
        arrays, meta = read_array_set(directory, (array,), stamp_file)
        if meta.get("key") != key:
            raise Stale
        return arrays[array]

    def write(value: np.ndarray) -> None:
        write_array_set(directory, {array: value}, stamp_file, {"key": key})

    return cached(read, lambda: np.ascontiguousarray(build()), write, f"stored {name} array")[0]


def stored_json(kb, name: str, version: str, build: Callable[[], Any]) -> Any:
    """`stored_array` for a value that is no array (lists and dicts of strings and
    numbers): built once per index version, then read from `kb.cache_dir` as JSON."""
    directory, stamp = getattr(kb, "cache_dir", None), getattr(kb, "stamp", "")
    if directory is None or not stamp:
        return build()
    path = directory / f"derived-{name}.json"
    key = {"stamp": stamp, "version": version}

    def read() -> Any:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") != key:
            raise Stale
        return stored["value"]

    def write(value: Any) -> None:
        atomic_write(path, lambda f: f.write(json.dumps({"key": key, "value": value}, ensure_ascii=False)
                                            .encode("utf-8")))

    return cached(read, build, write, f"stored {name}")[0]

