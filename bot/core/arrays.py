"""Small numpy helpers shared by the query path."""

from __future__ import annotations

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
