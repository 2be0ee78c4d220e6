"""Embedding plan: distinct texts once, a lead cap within the budget."""

from __future__ import annotations

import numpy as np

from bot.knowledge.embed_plan import embed_distinct, lead_cap


def test_lead_cap():
    assert lead_cap([3, 10, 2], 100) is None and lead_cap([3, 10, 2], 0) is None
    assert lead_cap([3, 10, 2], 9) == 4  # 3 + 4 + 2
    assert lead_cap([3, 10, 2], 3) == 1
    assert sum(min(n, lead_cap([5] * 10, 23)) for n in [5] * 10) <= 23


def test_each_distinct_text_embedded_once():
    seen = []

    def embed(batch):
        seen.extend(batch)
        return np.array([[len(t), 1.0] for t in batch])

    texts = ["a", "bb", "a", "ccc", "bb"] * 40
    vectors, distinct = embed_distinct(embed, texts, 2)
    assert distinct == 3 and sorted(seen) == ["a", "bb", "ccc"]
    assert vectors[:, 0].tolist() == [len(t) for t in texts]
