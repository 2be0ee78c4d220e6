"""What to embed when indexing, and embedding it with a progress line.

Embedding is the slow part of indexing (~12-20 sentences per second on this
machine's 2 cores, measured by bench/speed.py), so:

* each distinct sentence text is embedded once per build (boilerplate, quotes
  repeated across articles, a translation group's shared lines);
* a folder with more distinct sentences than `budget` (settings.yaml
  `semantic.max_embedded_sentences`) embeds the first k sentences of every
  article, k as large as the budget allows (counting distinct texts) (an article's lead says what it
  is about); the other sentences are found by BM25 and the bridges only
  (their vector is zero: no semantic vote).  The choice depends on the
  folder only, not on what happens to be cached, so answers do not change
  with the cache.  Its cost on dev2 and corpus-b is in docs/performance.md.
"""

from __future__ import annotations

import numpy as np

from bot.core.progress import Progress

BATCH = 64


def lead_cap(articles: list[list[str]], budget: int) -> int | None:
    """The largest k such that the first k sentences of every article hold at most
    `budget` distinct texts; None when the whole folder fits (or no budget)."""
    def distinct(k: int | None) -> int:
        return len({t for texts in articles for t in (texts if k is None else texts[:k])})

    if budget <= 0 or distinct(None) <= budget:
        return None
    lo, hi = 0, max((len(t) for t in articles), default=0)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if distinct(mid) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return lo


def embed_distinct(embed, texts: list[str], dim: int, label: str = "embedding",
                   dtype: np.dtype | type = np.float32) -> tuple[np.ndarray, int]:
    """(vectors aligned with `texts`, number of distinct texts embedded); rows of
    `dtype` (float32 for unit vectors; latent terms are uint16 rows, kept bit for bit)."""
    if not texts:
        return np.zeros((0, dim), dtype=dtype), 0
    distinct = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(distinct)}
    out = np.zeros((len(distinct), dim), dtype=dtype)
    progress = Progress(len(distinct), label, unit="sentences")
    for start in range(0, len(distinct), BATCH):
        batch = distinct[start:start + BATCH]
        out[start:start + len(batch)] = np.asarray(embed(batch), dtype=dtype).reshape(len(batch), dim)
        progress.update(len(batch))
    progress.close()
    return out[np.fromiter((position[t] for t in texts), dtype=np.int64, count=len(texts))], len(distinct)
