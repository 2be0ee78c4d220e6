"""Sentence vectors of the knowledge: computed once per file, cached, memory-mapped.

Why per file: embedding is the slowest step of indexing by far (~20
sentences/s on one core), so a one-file edit must not re-embed the folder.
Each article's vectors are cached under the cache root, keyed by the model
and a hash of the article's sentence texts (a content hash: the same file in
another folder, or unchanged after an edit elsewhere, is never re-embedded).

Why an assembled file: a cold `bot ask` must open the vectors of the whole
knowledge in a few milliseconds, so the per-article blocks are also written
as one float16 matrix aligned with `kb.sentences`, next to the index, and
loaded memory-mapped.  float16 halves the size of float32 and changes a
cosine by < 1e-4 (measured on 50,000 random rows), far below the gaps that
rank sentences.  Rows of duplicate sentences are zero (never quoted).

Not done: blocks of article versions that no folder holds any more are not
pruned (several folders may share the block cache, and a block is 0.75 kB
per sentence); deleting `<cache>/vectors` reclaims them, at the cost of
embedding the folders again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.cache import atomic_write, cache_root, save_npy
from bot.knowledge.embedding import Embedder

log = logging.getLogger(__name__)
VECTOR_DTYPE = np.float16
ASSEMBLED = "vectors"
FORMAT = 1


@dataclass
class SentenceVectors:
    """Unit vectors of every sentence, aligned with `kb.sentences`."""

    model_id: str
    matrix: np.ndarray  # (n_sentences, dim) float16; zero rows for duplicates
    embedded: int = 0  # sentences embedded while opening (0: all came from caches)

    def cosines(self, query: np.ndarray) -> np.ndarray:
        """Cosine of every sentence with a unit query vector (float16, like the matrix)."""
        if not len(self.matrix):
            return np.zeros(0, dtype=np.float32)
        return self.matrix @ query.astype(VECTOR_DTYPE)


def _article_ranges(kb) -> list[tuple[str, int, int]]:
    """(article id, first sentence, end) for each article, in kb order."""
    out: list[tuple[str, int, int]] = []
    start = 0
    sentences = kb.sentences
    for i in range(1, len(sentences) + 1):
        if i == len(sentences) or sentences[i].article_id != sentences[start].article_id:
            out.append((sentences[start].article_id, start, i))
            start = i
    return out


def _block_key(model_id: str, texts: list[str], duplicate: list[bool]) -> str:
    digest = hashlib.sha256(f"{FORMAT}\n{model_id}\n".encode())
    for text, dup in zip(texts, duplicate):
        digest.update(b"\x01" if dup else b"\x00")
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def block_cache_dir(model_id: str) -> Path:
    """Where per-article vector blocks are kept (shared by every knowledge folder).

    BOT_VECTOR_CACHE_DIR moves it: blocks depend only on the model and the
    text, so several bots (or test runs) may share one folder of them.
    """
    safe = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in model_id)
    root = os.environ.get("BOT_VECTOR_CACHE_DIR")
    return (Path(root) if root else cache_root() / "vectors") / safe


def open_vectors(kb, embedder: Embedder, index_dir: Path | None) -> SentenceVectors:
    """The knowledge's sentence vectors: the assembled file when it still
    matches, else assembled from per-article blocks, embedding only the
    articles whose sentences changed."""
    ranges = _article_ranges(kb)
    sentences = kb.sentences
    keys = []
    for _aid, a, b in ranges:
        texts = [s.text for s in sentences[a:b]]
        keys.append(_block_key(embedder.model_id, texts, [s.duplicate for s in sentences[a:b]]))
    stamp = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:32]
    if index_dir is not None:
        found = _load_assembled(index_dir, embedder, stamp, len(sentences))
        if found is not None:
            return SentenceVectors(embedder.model_id, found)
    blocks_dir = block_cache_dir(embedder.model_id)
    blocks: list[np.ndarray | None] = []
    missing: list[int] = []
    for n, key in enumerate(keys):
        block = _load_block(blocks_dir / f"{key}.npy", ranges[n][2] - ranges[n][1], embedder.dim)
        blocks.append(block)
        if block is None:
            missing.append(n)
    embedded = 0
    if missing:
        # one batch over every missing article (the engine is faster on
        # batches); an article present twice (same text) is embedded once
        first_of: dict[str, int] = {}
        for n in missing:
            first_of.setdefault(keys[n], n)
        todo: list[tuple[int, int]] = []  # (block number, sentence index)
        for n in first_of.values():
            _aid, a, b = ranges[n]
            todo.extend((n, i) for i in range(a, b) if not sentences[i].duplicate)
        vectors = embedder.embed_passages([sentences[i].text for _, i in todo]) if todo else None
        embedded = len(todo)
        fresh = {n: np.zeros((ranges[n][2] - ranges[n][1], embedder.dim), dtype=VECTOR_DTYPE)
                 for n in first_of.values()}
        for row, (n, i) in enumerate(todo):
            fresh[n][i - ranges[n][1]] = vectors[row]
        for key, n in first_of.items():
            try:
                blocks_dir.mkdir(parents=True, exist_ok=True)
                save_npy(blocks_dir / f"{key}.npy", fresh[n])
            except OSError as exc:
                log.info("could not cache the vectors of %s (%s)", ranges[n][0], exc)
        for n in missing:
            blocks[n] = fresh[first_of[keys[n]]]
    matrix = (np.concatenate(blocks).astype(VECTOR_DTYPE, copy=False) if blocks
              else np.zeros((0, embedder.dim), dtype=VECTOR_DTYPE))
    if index_dir is not None:
        try:
            _save_assembled(index_dir, embedder, stamp, matrix)
            matrix = _load_assembled(index_dir, embedder, stamp, len(sentences)) if len(matrix) else matrix
        except OSError as exc:
            log.warning("could not persist sentence vectors in %s (%s)", index_dir, exc)
    return SentenceVectors(embedder.model_id, matrix, embedded)


def _load_block(path: Path, rows: int, dim: int) -> np.ndarray | None:
    try:
        block = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError) as exc:
        log.info("ignoring unreadable vector cache %s (%s)", path, exc)
        return None
    if block.shape != (rows, dim) or block.dtype != VECTOR_DTYPE:
        return None
    return block


def _load_assembled(index_dir: Path, embedder: Embedder, stamp: str, rows: int) -> np.ndarray | None:
    try:
        meta = json.loads((index_dir / f"{ASSEMBLED}.json").read_text(encoding="utf-8"))
        if meta.get("stamp") != stamp or meta.get("model") != embedder.model_id:
            return None
        matrix = np.load(index_dir / f"{ASSEMBLED}.npy", mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError, AttributeError):
        return None
    if matrix.shape != (rows, embedder.dim) or matrix.dtype != VECTOR_DTYPE:
        return None
    return matrix


def _save_assembled(index_dir: Path, embedder: Embedder, stamp: str, matrix: np.ndarray) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    meta_path = index_dir / f"{ASSEMBLED}.json"
    try:
        meta_path.unlink()  # invalidate first; the matching stamp is written last
    except FileNotFoundError:
        pass
    save_npy(index_dir / f"{ASSEMBLED}.npy", matrix)
    data = json.dumps({"stamp": stamp, "model": embedder.model_id, "shape": list(matrix.shape)})
    atomic_write(meta_path, lambda f: f.write(data.encode("utf-8")))
