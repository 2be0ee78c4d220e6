"""Embedding plan: distinct texts once, a lead cap within the budget."""

from __future__ import annotations

import numpy as np

from bot.knowledge.embed_plan import embed_distinct, lead_cap


def test_lead_cap_counts_distinct_texts():
    arts = [["a", "b", "c"], list("defghijklm"), ["a", "n"]]
    assert lead_cap(arts, 100) is None and lead_cap(arts, 0) is None
    assert lead_cap(arts, 9) == 5  # the first 5 of each hold 9 distinct texts ("a" twice)
    assert lead_cap(arts, 8) == 4
    assert lead_cap(arts, 3) == 1  # a, d, (a): 2 distinct; k=2 would hold 5
    assert lead_cap([["x"] * 50] * 10, 1) is None  # one distinct text fits


def test_each_distinct_text_embedded_once():
    seen = []

    def embed(batch):
        seen.extend(batch)
        return np.array([[len(t), 1.0] for t in batch])

    texts = ["a", "bb", "a", "ccc", "bb"] * 40
    vectors, distinct = embed_distinct(embed, texts, 2)
    assert distinct == 3 and sorted(seen) == ["a", "bb", "ccc"]
    assert vectors[:, 0].tolist() == [len(t) for t in texts]
