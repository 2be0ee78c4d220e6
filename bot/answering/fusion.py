"""Fusing BM25 with embedding cosines into one score per sentence.

Both parts are made scale-free per question, so that one setting serves
every folder (a raw BM25 score means different things in different folders;
e5 cosines are compressed into ~0.75-0.92 and shift with language and
length):

    lexical  = BM25 / max(best BM25 of the question, floor)   (0..1)
    semantic = max(0, 1 - (best cosine - cosine) / window)     (0..1)
    fused    = (1 - w) * lexical + w * semantic

The floor is a share (`semantic.lexical_reach_share`) of the score the
question could reach: what a sentence holding each of its words once would
score (answering/scoring.py, `LexicalScorer.reach`).  Without it the best
lexical match always counted 1, however little of the question it held: a
paraphrase's best match, on a word or two the question happens to share
with some sentence, weighed as much as a sentence holding every word, and
outvoted the sentence nearest in meaning.  The floor is in the same BM25
units as the scores, so the lexical part stays scale-free.

Chosen by measurement against reciprocal-rank fusion and an unclipped
linear mix (bench/ablation_semantic.py, docs/quality.md): RRF loses the
size of the gaps (a sentence far ahead in BM25 counts as much as one barely
ahead), and an unclipped cosine term lets a sentence 0.2 below the best
cosine drag down a strong lexical match.  The clip keeps the semantic vote
to the sentences near the best cosine.
"""

from __future__ import annotations

import numpy as np


def _ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(-x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(1, len(x) + 1)
    return ranks


def fuse(bm25: np.ndarray, cosines: np.ndarray, candidates: np.ndarray, settings, floor: float = 0.0) -> np.ndarray:
    """Fused score of every sentence (0 for sentences that are not candidates);
    BM25 is divided by at least `floor` (the module docstring)."""
    w = settings.cosine_weight
    out = np.zeros(len(bm25))
    if not candidates.any():
        return out
    if settings.fusion == "rrf":  # kept for the ablation (bench/ablation_semantic.py)
        k = settings.rrf_k
        lex = 1.0 / (k + _ranks(np.where(candidates & (bm25 > 0), bm25, -1.0)))
        sem = 1.0 / (k + _ranks(np.where(candidates, np.asarray(cosines, dtype=np.float64), -2.0)))
        out = (1.0 - w) * np.where(bm25 > 0, lex, 0.0) + w * sem
        return np.where(candidates, out * (k + 1), 0.0)  # the best possible sentence scores 1
    cos = np.asarray(cosines, dtype=np.float64)
    out = linear(bm25, max(float(bm25[candidates].max()), floor), cos, float(cos[candidates].max()), settings)
    return np.where(candidates, out, 0.0)


def linear(bm25: np.ndarray, best_bm25: float, cos: np.ndarray, best_cos: float, settings) -> np.ndarray:
    """The linear fusion of the module docstring, given what BM25 is divided by (the
    question's best BM25, or the floor when higher) and the best cosine (the exact
    path and the HNSW path of answering/semantic_scoring.py share it)."""
    w = settings.cosine_weight
    lexical = bm25 / best_bm25 if best_bm25 > 0 else np.zeros(len(bm25))
    semantic = np.clip(1.0 - (best_cos - cos) / settings.cosine_window, 0.0, 1.0)
    return (1.0 - w) * lexical + w * semantic


def language_means(cos: np.ndarray, lang: np.ndarray, candidates: np.ndarray, n_langs: int) -> np.ndarray:
    """The mean cosine over each language's candidate sentences (indexed by language
    code; 0 for a language without any): what `semantic.language_offset` takes a
    share of.  answering/semantic_scoring.py gets the same means from the languages'
    centroids when it knows the question's vector; this is the form for
    callers that pass the cosines themselves."""
    lang_c = lang[candidates]
    sums = np.bincount(lang_c, weights=np.asarray(cos, dtype=np.float64)[candidates], minlength=n_langs)
    counts = np.bincount(lang_c, minlength=n_langs)
    return np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
