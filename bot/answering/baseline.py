"""How close ordinary questions come to this folder: the decline model's yardstick.

An e5 cosine means a little more in one folder than in another: short news
sentences about a village sit nearer to every question than long essays do,
so one fixed weight on the raw cosine declines a new folder's paraphrases
while it answers its near-miss off-topic questions.  A fixed bank of ordinary
questions (`bot/data/ordinary_questions/<lang>.txt`: 400 everyday questions
in four languages, written for no folder in particular) measures the folder
instead: each bank question's best cosine over the folder's quotable
sentences, sorted, is the folder's baseline, and a hit's `ordinary_share`
is the share of the bank that comes less close to the folder than the
question comes to that sentence (0 = no closer than a random question,
1 = closer than all of them).  The share means the same in every folder.

The bank's vectors ship beside it (`vectors.npz`, written by
tools/build_ordinary_questions.py with the model they belong to): embedding
400 questions would add ~8 s to a first `bot index`.  With another embedder
the bank is embedded once per process.  The baseline takes one product of
the sentence vectors with the bank per index version (blocks of 16,384 rows:
0.12 s at 40,000 sentences) and is stored beside the index (knowledge/derived.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from importlib import resources

import numpy as np

from bot.core.arrays import masked_blocks
from bot.knowledge.embedding import Embedder

BANK_DIR = "ordinary_questions"  # under bot/data
BANK_LANGS = ("en", "fr", "sw", "th")
VECTORS_FILE = "vectors.npz"
BLOCK_ROWS = 16384


@cache
def bank_questions() -> tuple[str, ...]:
    """The bank's questions, language by language, in file order."""
    root = resources.files("bot.data").joinpath(BANK_DIR)
    out: list[str] = []
    for lang in BANK_LANGS:
        text = (root / f"{lang}.txt").read_text(encoding="utf-8")
        out += [line.strip() for line in text.splitlines() if line.strip()]
    return tuple(out)


def bank_digest() -> str:
    """Names the bank's text: shipped vectors and stored baselines are keyed by it."""
    return hashlib.sha256("\n".join(bank_questions()).encode("utf-8")).hexdigest()[:16]


def shipped_vectors(model_id: str) -> np.ndarray | None:
    """The bank's vectors shipped for `model_id`, or None (another model or bank)."""
    try:
        with resources.files("bot.data").joinpath(BANK_DIR, VECTORS_FILE).open("rb") as f:
            data = np.load(f, allow_pickle=False)
            if str(data["model_id"]) != model_id or str(data["digest"]) != bank_digest():
                return None
            return np.asarray(data["vectors"], dtype=np.float32)
    except (OSError, KeyError, ValueError):
        return None


_embedded: dict[str, np.ndarray] = {}


def bank_vectors(embedder: Embedder) -> np.ndarray:
    """(questions, dim) unit query vectors of the bank for `embedder`: the shipped
    ones when they are its model's, else embedded once per process."""
    model_id = embedder.model_id
    found = shipped_vectors(model_id)
    if found is not None:
        return found
    if model_id not in _embedded:
        _embedded[model_id] = np.stack([np.asarray(embedder.embed_query(q), dtype=np.float32)
                                        for q in bank_questions()])
    return _embedded[model_id]


def _bank_blocks(matrix: np.ndarray, quotable: np.ndarray, bank: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(row numbers, their cosines with every bank question) for the quotable rows
    of `matrix`, a block of `BLOCK_ROWS` rows at a time: a large memory-mapped
    matrix is read a slice at a time."""
    bank_t = np.ascontiguousarray(bank.T, dtype=np.float32)
    for keep in masked_blocks(quotable[:len(matrix)], BLOCK_ROWS):
        if len(keep):
            yield keep, np.asarray(matrix[keep], dtype=np.float32) @ bank_t


def folder_baseline(matrix: np.ndarray, quotable: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """Each bank question's best cosine over the quotable rows of `matrix`, sorted
    ascending (float32); empty when nothing is quotable."""
    best = np.full(len(bank), -np.inf, dtype=np.float32)
    for _, block in _bank_blocks(matrix, quotable, bank):
        np.maximum(best, block.max(axis=0), out=best)
    if not np.isfinite(best).any():
        return np.zeros(0, dtype=np.float32)
    return np.sort(best[np.isfinite(best)]).astype(np.float32)


def sentence_hubness(matrix: np.ndarray, quotable: np.ndarray, bank: np.ndarray, k: int) -> np.ndarray:
    """Each row's mean cosine with the `k` bank questions nearest to it (float32;
    0 for the rows not quotable): how close a sentence sits to ordinary questions
    in general.  e5 has hubs, sentences near every question ("Que peut-on retenir
    de cette vidéo ?"), and this says which."""
    out = np.zeros(len(matrix), dtype=np.float32)
    if not len(bank):
        return out
    k = min(k, len(bank))
    for keep, block in _bank_blocks(matrix, quotable, bank):
        out[keep] = np.partition(block, block.shape[1] - k, axis=1)[:, -k:].mean(axis=1)
    return out


def ordinary_share(baseline: np.ndarray, cosines: np.ndarray) -> np.ndarray:
    """The share of the baseline strictly below each cosine (0 when there is no baseline)."""
    cos = np.asarray(cosines, dtype=np.float32)
    if not len(baseline):
        return np.zeros(len(cos))
    return np.searchsorted(baseline, cos, side="left") / len(baseline)
