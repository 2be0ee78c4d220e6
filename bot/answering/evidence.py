"""What the hits of a question hold of it: matched terms and coverage.

`coverage` is the share of the question's idf mass that a passage holds, word
by word, an expansion counting for its weight: whether the evidence is strong
enough is judged on it (answering/decision.py).  Per hit, the matched terms and
both coverages (the chunk's and the sentence's) are set lookups in what
`evidence_of` reads once from the postings for all the hits of one language.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

import numpy as np

from bot.answering.bridges import QueryWord
from bot.answering.postings import postings_at
from bot.answering.query import QueryAnalysis
from bot.core.arrays import sorted_unique
from bot.knowledge.store import KnowledgeBase

Plan = list[tuple[float, list[tuple[str, float]]]]  # `share_plan`: (mass, [(term, weight)]) per word

NOTHING: frozenset[str] = frozenset()


@dataclass
class Evidence:
    """What the hits of one language need from the postings (`evidence_of`)."""

    sentence_terms: dict[int, list[tuple[str, float, float]]]  # sentence -> (term, weight there, query weight)
    chunk_terms: dict[int, set[str]]  # chunk -> query terms it holds
    plan: Plan  # `share_plan`
    via: dict[str, str]  # QueryAnalysis.via

    def matched(self, sentence: int) -> dict[str, float]:
        """The query terms `sentence` holds, each with its weight there times its query weight."""
        return {t: v * w for t, v, w in self.sentence_terms.get(sentence, ())}

    def coverage(self, chunk: int) -> float:
        """The share of the question's idf mass that `chunk` holds (0 for no chunk: -1)."""
        return held_share(self.plan, self.chunk_terms.get(chunk, NOTHING)) if chunk >= 0 else 0.0


def evidence_of(kb: KnowledgeBase, chunk_of: np.ndarray, query: QueryAnalysis, lang: str,
                ids: np.ndarray) -> Evidence:
    """For the hits `ids` of one language: each hit's query terms with their
    sentence weight (`sentence_terms`), each of the hits' chunks' query terms
    (`chunk_terms`; `chunk_of`: each sentence's chunk), and the words' coverage
    plan.  Per hit, the matched terms and both coverages are then set lookups
    (were ~35 dictionary probes and two coverage passes with a lambda per hit:
    ~0.5 ms of a 2 ms question at 5 articles); the values and their order are the
    ones the former per-hit loop gave (tests/test_scoring.py keeps it as the oracle)."""
    chunks = sorted_unique(chunk_of[ids]) if len(ids) else ids
    chunks = chunks[chunks >= 0]
    weights = query.weights.get(lang, {})
    sentence_terms: dict[int, list[tuple[str, float, float]]] = {}
    chunk_terms: dict[int, set[str]] = {}
    for t, w in weights.items():  # in query order: `matched` keeps it
        for doc, value in postings_at(kb.sentence_index, t, ids).items():
            if value > 0:
                sentence_terms.setdefault(doc, []).append((t, value, w))
        for doc in postings_at(kb.chunk_index, t, chunks):
            chunk_terms.setdefault(doc, set()).add(t)
    words = query.words.get(lang, [])
    return Evidence(sentence_terms, chunk_terms, share_plan(words, word_masses(kb, words)), query.via(lang))


def word_masses(kb: KnowledgeBase, words: list[QueryWord]) -> list[float]:
    """Each word's idf mass: that of its rarest candidate term (of an unseen term if none)."""
    idx = kb.chunk_index
    return [max((idx.idf_of(c.term) for c in word.candidates), default=idx.idf_of("\x00unseen"))
            for word in words]


def share_plan(words: list[QueryWord], masses: list[float]) -> Plan:
    """What a coverage needs of the question, made once per question: (mass, [(term,
    weight)]) of each distinct word (by casefolded surface, the first one kept), in
    question order.  A word weighs the idf of its rarest candidate term (or of an
    unseen term when none is indexed)."""
    seen: set[str] = set()
    plan = []
    for word, mass in zip(words, masses):
        key = word.surface.casefold()
        if key in seen:
            continue
        seen.add(key)
        plan.append((mass, [(c.term, c.weight) for c in word.candidates]))
    return plan


def held_share(plan: Plan, held: Container[str]) -> float:
    """Share of the question's idf mass that a passage holding the terms in `held`
    holds, word by word: a word counts fully when its own term is there and for
    an expansion's weight when only the expansion is."""
    total = found = 0.0
    for mass, candidates in plan:
        credit = max((w for t, w in candidates if t in held), default=0.0)
        total += mass
        found += mass * min(credit, 1.0)
    return found / total if total > 0 else 0.0
