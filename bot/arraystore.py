"""Caches as folders of `.npy` arrays plus a JSON stamp written last.

The language model and the bridge tables are derived once from data that
ships with a package, then memory-mapped on every start.  A folder is only
trusted when its stamp exists and every array still has the size the stamp
recorded: the stamp is removed before anything is rewritten and written after
the last array, so a crash mid-write is detected and the cache rebuilt.
Arrays are saved with `allow_pickle=False`: nothing read back can run code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from bot.index import atomic_write


def cache_root() -> Path:
    """Root of every cache of the bot (env BOT_CACHE_DIR, default ~/.cache/article-bot)."""
    return Path(os.environ.get("BOT_CACHE_DIR") or Path.home() / ".cache" / "article-bot")


def save_npy(path: Path, array: np.ndarray) -> None:
    """One array, atomically, never pickled."""
    atomic_write(path, lambda f: np.save(f, np.ascontiguousarray(array), allow_pickle=False))


def write_array_set(directory: Path, arrays: dict[str, np.ndarray], stamp: str, meta: dict | None = None) -> None:
    """Write `arrays` as `<name>.npy`, then the stamp `stamp` (sizes + `meta`)."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        os.unlink(directory / stamp)
    except FileNotFoundError:
        pass
    sizes = {}
    for name, array in arrays.items():
        save_npy(directory / f"{name}.npy", array)
        sizes[name] = (directory / f"{name}.npy").stat().st_size
    document = {"sizes": sizes, **(meta or {})}
    atomic_write(directory / stamp, lambda f: f.write(json.dumps(document).encode("utf-8")))


def read_array_set(directory: Path, names: tuple[str, ...], stamp: str) -> tuple[dict[str, np.ndarray], dict]:
    """Memory-map the arrays of a folder written by `write_array_set`.

    Raises FileNotFoundError when there is no stamp and ValueError when an
    array's size differs from the one recorded (a damaged or partial write).
    """
    meta = json.loads((directory / stamp).read_text(encoding="utf-8"))
    arrays = {}
    for name in names:
        path = directory / f"{name}.npy"
        if path.stat().st_size != meta["sizes"][name]:
            raise ValueError(f"{path}: size changed")
        arrays[name] = np.load(path, mmap_mode="r", allow_pickle=False)
    return arrays, meta
