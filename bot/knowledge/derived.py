"""Values derived from the knowledge at question time, stored beside its index.

Some per-sentence facts (which sentences may be quoted, ...) are computed
from the texts with Python code: a second per sentence at 15,000 articles;
the titles' words as a question's analyzer reads them take as long
(answering/focus.py).
They depend only on the indexed knowledge, so they are computed once per
index version and kept next to it, keyed by the index fingerprint and the
deriving code's version; a cold start memory-maps the arrays and reads the
rest as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bot.core.cache import Stale, atomic_write, cached, read_array_set, write_array_set

T = TypeVar("T")


def stored_array(kb, name: str, version: str, build: Callable[[], np.ndarray]) -> np.ndarray:
    """`build()` once per index version, then read from `kb.cache_dir` (memory-mapped):
    the array cache of bot/core/cache.py, its stamp also naming the index
    fingerprint and the deriving code's version."""
    array, stamp_file = f"derived-{name}", f"derived-{name}.json"

    def read(directory: Path, key: dict) -> np.ndarray:
        arrays, meta = read_array_set(directory, (array,), stamp_file)
        if meta.get("key") != key:
            raise Stale
        return arrays[array]

    def write(directory: Path, key: dict, value: np.ndarray) -> None:
        write_array_set(directory, {array: value}, stamp_file, {"key": key})

    return _stored(kb, version, lambda: np.ascontiguousarray(build()), read, write, f"stored {name} array")


def stored_json(kb, name: str, version: str, build: Callable[[], Any]) -> Any:
    """`stored_array` for a value that is no array (lists and dicts of strings and
    numbers): built once per index version, then read from `kb.cache_dir` as JSON."""
    file = f"derived-{name}.json"

    def read(directory: Path, key: dict) -> Any:
        stored = json.loads((directory / file).read_text(encoding="utf-8"))
        if stored.get("key") != key:
            raise Stale
        return stored["value"]

    def write(directory: Path, key: dict, value: Any) -> None:
        document = json.dumps({"key": key, "value": value}, ensure_ascii=False).encode("utf-8")
        atomic_write(directory / file, lambda f: f.write(document))

    return _stored(kb, version, build, read, write, f"stored {name}")


def _stored(kb, version: str, build: Callable[[], T], read: Callable[[Path, dict], T],
            write: Callable[[Path, dict, T], None], what: str) -> T:
    """The read-or-build loop both share: keyed by the index's stamp and the
    deriving code's version; built every time when the index has no cache."""
    directory, stamp = getattr(kb, "cache_dir", None), getattr(kb, "stamp", "")
    if directory is None or not stamp:
        return build()
    key = {"stamp": stamp, "version": version}
    return cached(lambda: read(directory, key), build, lambda value: write(directory, key, value), what)[0]
