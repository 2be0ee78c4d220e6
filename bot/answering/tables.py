"""Shipped lookup tables (word -> list of words), opened without parsing them.

Why: the bridge tables ship as gzipped JSON; decoding them all costs ~90 ms
(the French thesaurus alone ~60 ms), a third of a cold `bot ask`, while a
question looks up a dozen keys.  The first process that needs a table writes
it once, in the cache folder, as sorted keys + values in flat `.npy` byte
arrays (no pickle); later processes memory-map those and binary-search the
keys they need.  `LazyTable` is a read-only Mapping, so `.get`, `in`, `[]`,
`len` and iteration behave as with the dict it replaces.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

from bot.core.cache import family_dir, read_or_build

_FORMAT = 1
_ARRAYS = ("keys", "key_offsets", "values", "value_offsets")
_STAMP = "table.json"


class LazyTable(Mapping):
    """A str -> list[str] mapping over memory-mapped, sorted byte arrays."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        # plain ndarray views and a memoryview: a binary search step on a
        # numpy.memmap built a memmap object per slice (~5 us each)
        self._keys = memoryview(np.ascontiguousarray(arrays["keys"]).view(np.ndarray))  # type: ignore[arg-type]
        self._koff = arrays["key_offsets"].view(np.ndarray)
        self._values = memoryview(np.ascontiguousarray(arrays["values"]).view(np.ndarray))  # type: ignore[arg-type]
        self._voff = arrays["value_offsets"].view(np.ndarray)
        self._n = len(self._koff) - 1
        self._found: dict[str, int] = {}  # key -> position (-1: absent); questions repeat words

    _FOUND_MAX = 100_000

    def _key(self, i: int) -> bytes:
        koff = self._koff
        return self._keys[int(koff[i]):int(koff[i + 1])].tobytes()

    def _find(self, key: str) -> int:
        pos = self._found.get(key)
        if pos is None:
            if len(self._found) >= self._FOUND_MAX:
                self._found.clear()
            pos = self._found[key] = self._search(key)
        return pos

    def _search(self, key: str) -> int:
        want = key.encode("utf-8", "surrogatepass")
        lo, hi = 0, self._n
        while lo < hi:  # UTF-8 byte order is code point order, as str sorting
            mid = (lo + hi) // 2
            if self._key(mid) < want:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < self._n and self._key(lo) == want else -1

    def __getitem__(self, key: str) -> list[str]:
        i = self._find(key) if isinstance(key, str) else -1
        if i < 0:
            raise KeyError(key)
        raw = self._values[int(self._voff[i]):int(self._voff[i + 1])].tobytes()
        return json.loads(raw.decode("utf-8"))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) >= 0

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        for i in range(self._n):
            yield self._key(i).decode("utf-8", "surrogatepass")


def _arrays_of(entries: dict[str, list[str]]) -> dict[str, np.ndarray]:
    pairs = sorted((k.encode("utf-8", "surrogatepass"), v) for k, v in entries.items())
    keys = [k for k, _ in pairs]
    values = [json.dumps(v, ensure_ascii=False).encode("utf-8") for _, v in pairs]
    return {
        "keys": np.frombuffer(b"".join(keys), dtype=np.uint8),
        "key_offsets": np.concatenate([[0], np.cumsum([len(k) for k in keys], dtype=np.int64)]).astype(np.int64),
        "values": np.frombuffer(b"".join(values), dtype=np.uint8),
        "value_offsets": np.concatenate([[0], np.cumsum([len(v) for v in values], dtype=np.int64)]).astype(np.int64),
    }


def _open(arrays: dict[str, np.ndarray], _meta: dict) -> LazyTable:
    if (arrays["key_offsets"].shape != arrays["value_offsets"].shape
            or int(arrays["key_offsets"][-1]) != len(arrays["keys"])
            or int(arrays["value_offsets"][-1]) != len(arrays["values"])):
        raise ValueError("inconsistent table")
    return LazyTable(arrays)


def open_gzip_json_table(source: "bytes | Path", label: str, field: str = "entries") -> Mapping[str, list[str]]:
    """The `field` mapping of a gzipped JSON document as a LazyTable, memory-mapped
    from the cache folder when it can be cached (same contents either way).

    `source` is the document's bytes (the cache is keyed by their SHA-256) or
    a file (keyed by its size and modification time, as the word vectors are:
    reading and hashing the ~2.8 MB of shipped tables cost ~20 ms of every
    cold `bot ask`; the file is read only when the cache is built)."""
    if isinstance(source, Path):
        st = source.stat()
        key = f"{st.st_size}-{st.st_mtime_ns}"
    else:
        key = hashlib.sha256(source).hexdigest()[:20]

    def build() -> tuple[dict[str, np.ndarray], dict]:
        import gzip

        raw = source.read_bytes() if isinstance(source, Path) else source
        return _arrays_of(json.loads(gzip.decompress(raw).decode("utf-8"))[field]), {}

    return read_or_build(family_dir(f"table-{_FORMAT}-{label}", key), _ARRAYS, _STAMP, build, _open,
                         legacy=rf"table-{_FORMAT}-{re.escape(label)}-(\d+-\d+|[0-9a-f]{{20}})")
