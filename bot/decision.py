"""Answer or decline, and why: one decision that works on any folder.

Why not a BM25 threshold: a raw BM25 score means different things in
different folders (the same 4.7 declined the right answers in one folder and
answered 7 of 9 off-topic questions in another).  With embeddings on, the
decision is a logistic model over two scale-free signals of the best
sentence, fitted once on several folders pooled (never per folder; see
settings.yaml `semantic:` for what it was fitted on):

- its cosine with the question (the same model scores every folder, so the
  value means the same thing everywhere);
- its coverage: the share of the question's idf mass the sentence itself
  holds (a share, whatever the folder's size; the chunk's share was weaker);
- whether it is in another language than the question (e5 cosines across
  languages run lower for the same relevance, so the bar is lower there).

More features (BM25 relative to the best score the question could reach,
the chunk's coverage, an idf²-weighted coverage, the rarest question word
the chunk lacks, the share of question words the folder never uses, the
cosine's margin over the folder's median) were measured with
bench/decision_fit.py and added nothing held out by folder, so they are
left out.  Lexical only (no embeddings),
the former rule stays: the best sentence's own BM25 against a threshold.

Every decline carries a short stable reason for `--json` and the REPL:
`no_match` (nothing related at all), `weak_evidence` (related, not enough
to quote), and, decided elsewhere, `needs_number`, `greeting`,
`empty_question`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.retrieval import Hit

NO_MATCH = "no_match"
WEAK_EVIDENCE = "weak_evidence"
NEEDS_NUMBER = "needs_number"
GREETING = "greeting"
EMPTY_QUESTION = "empty_question"


@dataclass(frozen=True)
class Decision:
    """Whether to quote, with the model's confidence and the reason when not."""

    answered: bool
    reason: str = ""
    confidence: float = 0.0


def answer_probability(hit: Hit, semantic, user_lang: str = "") -> float:
    """P(the best sentence answers the question), from the fitted logistic model."""
    cross = 1.0 if user_lang and hit.query_lang != user_lang else 0.0
    z = (semantic.decide_bias + semantic.decide_cosine * hit.cosine + semantic.decide_coverage * hit.sentence_coverage
         + semantic.decide_cross_language * cross)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def decide(hits: list[Hit], retrieval, semantic, embedded: bool, user_lang: str = "") -> Decision:
    """Quote the best hit or decline, and why (see the module docstring)."""
    if not hits:
        return Decision(False, NO_MATCH)
    top = hits[0]
    if embedded:
        if top.bm25 <= 0 and top.cosine < semantic.no_match_cosine:
            return Decision(False, NO_MATCH)
        p = answer_probability(top, semantic, user_lang)
        if p < semantic.decide_threshold:
            return Decision(False, WEAK_EVIDENCE, p)
        return Decision(True, "", p)
    r = retrieval
    if top.score >= r.min_score and top.coverage >= r.min_coverage and top.sentence_score >= r.min_sentence_score:
        return Decision(True, "", 1.0)
    return Decision(False, WEAK_EVIDENCE if top.sentence_score > 0 else NO_MATCH)
