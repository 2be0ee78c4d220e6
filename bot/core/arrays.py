"""Small numpy helpers shared by the query path."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def sorted_unique(values: np.ndarray, return_inverse: bool = False):
    """`np.unique(values[, return_inverse=True])`, the same arrays, without its
    cost on a cold start: numpy 2.x's `unique` imports `numpy.ma` on first use
    (~10-20 ms of a one-question process)."""
    if not return_inverse:
        ordered = np.sort(values)
        if len(ordered) > 1:
            ordered = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
        return ordered
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.concatenate(([True], ordered[1:] != ordered[:-1])) if len(ordered) else np.zeros(0, dtype=bool)
    inverse = np.empty(len(values), dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def masked_blocks(mask: np.ndarray, size: int = 16384) -> Iterator[np.ndarray]:
    """The row numbers set in `mask`, one block of at most `size` rows of the mask at
    a time: a pass over a large memory-mapped matrix reads it a slice at a time
    (the language centroids, the ordinary baseline)."""
    for start in range(0, len(mask), size):
        yield np.flatnonzero(mask[start:start + size]) + start
