"""Every cache of the bot: one root folder, atomic writes, and one read-or-build helper.

Derived data (the language model, the bridge tables, the word vectors, the
knowledge index) is computed once and memory-mapped on later starts.  A
folder of arrays is only trusted when its stamp exists and every array still
has the size the stamp recorded: the stamp is removed before anything is
rewritten and written after the last array, so a crash mid-write is detected
and the cache rebuilt.  Arrays are saved with `allow_pickle=False`: nothing
read back can run code.  `read_or_build` is the one loop every array cache
uses: read, else build, write and re-read, else serve what was built.

Caches derived from a shipped file are keyed by that file's size and mtime
(hashing it would cost a cold start its time), so every upgrade or rebuilt
virtualenv writes a new copy: `family_dir` names them `<family>@<key>`, and
writing one removes the family's older copies but the newest other one
(`KEEP_PER_FAMILY`).  Without it ~/.cache/article-bot had grown to 2.1 GB on
the development machine: 26 copies of the 40 MB language model, 35 of each
bridge table.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

log = logging.getLogger(__name__)
T = TypeVar("T")
Arrays = dict[str, np.ndarray]


def cache_root() -> Path:
    """Root of every cache of the bot (env BOT_CACHE_DIR, default ~/.cache/article-bot)."""
    return Path(os.environ.get("BOT_CACHE_DIR") or Path.home() / ".cache" / "article-bot")


#: copies of one family kept: the one just written and the newest other, so
#: that two installs sharing one cache (a checkout and the installed bot) do
#: not rebuild each other's copy on every start.
KEEP_PER_FAMILY = 2


def family_dir(family: str, key: str) -> Path:
    """The cache folder of one copy of a family (`family`: what it is, with its
    format version; `key`: which version of the source it was built from)."""
    return cache_root() / f"{family}@{key}"


def prune_family(directory: Path, legacy: str | None = None) -> list[Path]:
    """Remove the older copies of `directory`'s family (see `family_dir`),
    keeping it and the `KEEP_PER_FAMILY - 1` others written last; `legacy`, a
    regular expression, also names folders of the family's name before
    `family_dir` (removed whatever their age).  Returns what was removed.

    Another process may still map a removed copy: on POSIX its mapping stays
    valid; if it was about to read or write it, the cache loop rebuilds."""
    family = directory.name.partition("@")[0]
    root = directory.parent
    try:
        entries = [p for p in root.iterdir() if p.is_dir() and p != directory]
    except OSError:
        return []

    def written(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    copies = sorted((p for p in entries if p.name.partition("@")[0] == family and "@" in p.name),
                    key=written, reverse=True)
    doomed = copies[KEEP_PER_FAMILY - 1:]
    if legacy is not None:
        doomed += [p for p in entries if re.fullmatch(legacy, p.name)]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    if doomed:
        log.info("removed %d older cop%s of %s", len(doomed), "y" if len(doomed) == 1 else "ies", family)
    return doomed


def atomic_write(path: Path, write: Callable) -> None:
    """Write through a temporary file in the same folder, then rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def save_npy(path: Path, array: np.ndarray) -> None:
    """One array, atomically, never pickled."""
    atomic_write(path, lambda f: np.save(f, np.ascontiguousarray(array), allow_pickle=False))


def write_array_set(directory: Path, arrays: Arrays, stamp: str, meta: dict | None = None) -> None:
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


def read_array_set(directory: Path, names: tuple[str, ...], stamp: str) -> tuple[Arrays, dict]:
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
        # a plain ndarray view of the mapping: numpy.memmap costs a Python object per slice
        arrays[name] = np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
    return arrays, meta


class Stale(Exception):
    """Raised by a cache reader whose cache is intact but out of date: rebuilt without a log line."""


CACHE_ERRORS = (OSError, ValueError, KeyError, TypeError, EOFError, AttributeError)


def cached(read: Callable[[], T], build: Callable[[], T], write: Callable[[T], None], what: str,
           level: int = logging.INFO) -> tuple[T, bool]:
    """The one read-or-rebuild loop: `read()`, else `build()` then `write()` it.

    Returns (value, whether it was built).  A missing (FileNotFoundError) or
    stale (`Stale`) cache is rebuilt quietly; a damaged one is logged once at
    `level` and rebuilt; a cache that cannot be written is logged and the built
    value served anyway (it will be rebuilt next time).
    """
    try:
        return read(), False
    except (FileNotFoundError, Stale):
        pass
    except CACHE_ERRORS as exc:
        log.log(level, "%s unusable (%s); rebuilding it", what, exc)
    value = build()
    try:
        write(value)
    except OSError as exc:
        log.log(level, "could not write %s (%s); it will be rebuilt next time", what, exc)
    return value, True


def read_or_build(directory: Path, names: tuple[str, ...], stamp: str,
                  build: Callable[[], tuple[Arrays, dict]],
                  open_: Callable[[Arrays, dict], T], legacy: str | None = None) -> T:
    """`open_` over the memory-mapped arrays of `directory`; when they are missing
    or damaged, over freshly built ones (written to the cache first when it is
    writable, and then the family's older copies pruned when `directory` is a
    `family_dir`).  `open_` may raise ValueError/KeyError/TypeError to reject
    inconsistent arrays."""

    def rebuild() -> T:
        arrays, meta = build()
        try:
            write_array_set(directory, arrays, stamp, meta)
            if "@" in directory.name:
                prune_family(directory, legacy)
            return open_(*read_array_set(directory, names, stamp))
        except CACHE_ERRORS as exc:
            log.info("could not cache %s (%s); using it from memory", directory, exc)
            return open_(arrays, meta)

    return cached(lambda: open_(*read_array_set(directory, names, stamp)), rebuild, lambda _v: None,
                  f"cache {directory}")[0]
