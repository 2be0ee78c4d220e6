"""What to embed when indexing, and embedding it with a progress line.

Embedding is the slow part of indexing (~12-20 sentences per second on this
machine's 2 cores, measured by bench/speed.py), so:

* each distinct sentence text is embedded once per build (boilerplate, quotes
  repeated across articles, a translation group's shared lines);
* a folder with more distinct sentences than `budget` (settings.yaml
  `semantic.max_embedded_sentences`) embeds the first k sentences of every
  article, k as large as the budget allows (an article's lead says what it
  is about); the other sentences are found by BM25 and the bridges only
  (their vector is zero: no semantic vote).  The choice depends on the
  folder only, not on what happens to be cached, so answers do not change
  with the cache.  Its cost on dev2 and corpus-b is in docs/performance.md.
"""

from __future__ import annotations

import numpy as np

from bot.core.progress import Progress

BATCH = 64


def lead_cap(lengths: list[int], budget: int) -> int | None:
    """The largest k with sum(min(length, k)) <= budget; None when everything fits."""
    if budget <= 0 or sum(lengths) <= budget:
        return None
    lo, hi = 0, max(lengths, default=0)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(min(n, mid) for n in lengths) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return lo


def embed_distinct(embed, texts: list[str], dim: int, label: str = "embedding") -> tuple[np.ndarray, int]:
    """(vectors aligned with `texts`, number of distinct texts embedded)."""
    if not texts:
        return np.zeros((0, dim), dtype=np.float32), 0
    distinct = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(distinct)}
    out = np.zeros((len(distinct), dim), dtype=np.float32)
    progress = Progress(len(distinct), label, unit="sentences")
    for start in range(0, len(distinct), BATCH):
        batch = distinct[start:start + BATCH]
        out[start:start + len(batch)] = np.asarray(embed(batch), dtype=np.float32).reshape(len(batch), dim)
        progress.update(len(batch))
    progress.close()
    return out[np.fromiter((position[t] for t in texts), dtype=np.int64, count=len(texts))], len(distinct)
