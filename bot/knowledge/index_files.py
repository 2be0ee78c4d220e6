"""The files of a persisted index and its validity stamp: names, readers, checks.

The stamp (STAMP), written last by store._State.save, lists every file with its
size and SHA-256 (HASH_CHECK_MAX_BYTES: small files only); `_verify` checks
them on load, so a missing, truncated or altered file is rebuilt, not trusted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from bot.knowledge.bm25 import BM25Index, IndexFileError
from bot.knowledge.corpus import TextSource

STAMP = "stamp.json"
STATE = "knowledge.json"
# What a start with a fresh index reads (articles' fields as columns, each file's
# sentence and chunk counts, the problems): parsing knowledge.json's per-file
# objects cost 43-67 ms of every cold start at 15,000 articles, these ~5 ms.
ARTICLES = "articles.json"
TEXTS = "texts.npy"
TEXT_OFFSETS = "texts.offsets.npy"
# Files up to this size are checked against their SHA-256 on every load;
# bigger ones (large memory-mapped arrays) by size and structure only, so
# that opening a huge index does not read it all (4 MB: at 15,000 generated
# articles, hashing every array under 32 MB cost 0.14 s of each start).
HASH_CHECK_MAX_BYTES = 4 << 20


def _load_indexes(directory: Path) -> tuple[BM25Index, BM25Index]:
    """The sentence and chunk BM25 indexes of a persisted index, memory-mapped."""
    return BM25Index.load(directory, "sentences"), BM25Index.load(directory, "chunks")


def _read_spans(directory: Path, n_s: list[int], n_c: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The sentence (n, 4) and chunk (m, 3) span arrays, checked against the
    files' sentence and chunk counts (ValueError when they disagree)."""
    sent_spans = np.load(directory / "spans.sentences.npy", allow_pickle=False)
    chunk_spans = np.load(directory / "spans.chunks.npy", allow_pickle=False)
    if (sent_spans.shape != (sum(n_s), 4) or chunk_spans.shape != (sum(n_c), 3)
            or sent_spans.dtype != np.int64 or chunk_spans.dtype != np.int64):
        raise ValueError("sentence or chunk spans do not match the file list")
    return sent_spans, chunk_spans


def _read_texts(directory: Path, count: int) -> TextSource:
    """The `count` article texts, memory-mapped (ValueError when the offsets disagree)."""
    data = np.load(directory / TEXTS, mmap_mode="r", allow_pickle=False).view(np.ndarray)
    offsets = np.load(directory / TEXT_OFFSETS, allow_pickle=False)
    if offsets.shape != (count + 1,) or int(offsets[-1]) != len(data):
        raise ValueError("article texts do not match the file list")
    return TextSource(data, offsets)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_stamp(directory: Path) -> dict:
    try:
        stamp = json.loads((directory / STAMP).read_text(encoding="utf-8"))
        if not isinstance(stamp.get("fingerprint"), str) or not isinstance(stamp.get("files"), dict):
            raise ValueError("malformed stamp")
        return stamp
    except FileNotFoundError:
        raise
    except (OSError, ValueError, AttributeError) as exc:
        raise IndexFileError(f"{directory / STAMP}: {exc}") from None


def _verify(directory: Path, stamp: dict) -> None:
    """Every file the stamp lists exists with its size (and hash when small)."""
    for name, (size, sha) in stamp["files"].items():
        path = directory / name
        try:
            actual = path.stat().st_size
        except OSError:
            raise IndexFileError(f"{path}: missing") from None
        if actual != size or (sha is not None and _sha256(path) != sha):
            raise IndexFileError(f"{path}: changed since it was written (size {actual}, expected {size})")
