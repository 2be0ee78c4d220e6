"""Sentences and chunks as views over arrays, built on access.

Loading an index used to make one Python `Sentence` (and `Chunk`) object per
sentence: 0.5 s at 1,500 articles, seconds at 15,000, before the first
question.  These sequences keep the persisted span arrays and make the
object when it is asked for (the composer and the REPL look at a handful
per question).  They compare equal to lists of the same records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from bot.knowledge.chunking import Chunk, Sentence


@dataclass
class RecordArrays:
    """Per-sentence and per-chunk numbers of a knowledge base."""

    sentence_spans: np.ndarray  # (n, 4) int64: start, end, paragraph, duplicate (article-relative)
    sentence_article: np.ndarray  # (n,) int32: article number
    chunk_first: np.ndarray  # (m,) int64: first sentence (knowledge-wide)
    chunk_last: np.ndarray  # (m,) int64: last sentence, inclusive
    chunk_tokens: np.ndarray  # (m,) int64
    chunk_article: np.ndarray  # (m,) int32
    sentence_chunk: np.ndarray  # (n,) int64: chunk of each sentence, -1 for a duplicate


class _View(Sequence):
    """A read-only sequence of records made on access (`_make`) from stored arrays."""

    _n: int
    _what = "record"

    def _make(self, i: int):
        raise NotImplementedError

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._make(k) for k in range(*i.indices(self._n))]
        i = int(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(f"{self._what} index out of range")
        return self._make(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, Sequence)) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)}>"


class SentenceView(_View):
    _what = "sentence"

    def __init__(self, articles, arrays: RecordArrays) -> None:
        self._articles = articles
        self._a = arrays
        self._n = len(arrays.sentence_article)
        self._recent: dict[int, Sentence] = {}

    _RECENT_MAX = 4096  # the composer looks at the same few sentences many times per answer

    def _make(self, i: int) -> Sentence:
        found = self._recent.get(i)
        if found is None:
            if len(self._recent) >= self._RECENT_MAX:
                self._recent.clear()
            found = self._recent[i] = self._build(i)
        return found

    def _build(self, i: int) -> Sentence:
        a = self._articles[int(self._a.sentence_article[i])]
        start, end, paragraph, dup = (int(x) for x in self._a.sentence_spans[i])
        obj = object.__new__(Sentence)
        object.__setattr__(obj, "__dict__", {"article_id": a.id, "lang": a.lang, "start": start, "end": end,
                                             "text": a.text[start:end], "paragraph": paragraph,
                                             "duplicate": bool(dup)})
        return obj

    def __iter__(self) -> Iterator[Sentence]:
        for i in range(self._n):
            yield self._build(i)


class ChunkView(_View):
    _what = "chunk"

    def __init__(self, articles, arrays: RecordArrays) -> None:
        self._articles = articles
        self._a = arrays
        self._n = len(arrays.chunk_first)

    def _make(self, i: int) -> Chunk:
        a = self._articles[int(self._a.chunk_article[i])]
        return Chunk(a.id, a.lang, int(self._a.chunk_first[i]), int(self._a.chunk_last[i]),
                     int(self._a.chunk_tokens[i]))

    def __iter__(self) -> Iterator[Chunk]:
        for i in range(self._n):
            yield self._make(i)


class IntView(_View):
    """A read-only int sequence over a numpy array (items are Python ints)."""

    def __init__(self, array: np.ndarray) -> None:
        self._array = array

    def __len__(self) -> int:
        return len(self._array)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self._array[i].tolist()
        return int(self._array[i])

    def __iter__(self) -> Iterator[int]:
        return iter(self._array.tolist())

    def __array__(self, dtype=None, copy=None):
        return self._array if dtype is None else self._array.astype(dtype)


def record_arrays(article_sentences: list[int], article_chunks: list[int], sent_spans: np.ndarray,
                  chunk_spans: np.ndarray) -> RecordArrays:
    """From each article's sentence and chunk counts and the concatenated spans
    (sentence spans (n, 4); chunk spans (m, 3) with article-relative sentence numbers)."""
    n_s = np.asarray(article_sentences, dtype=np.int64)
    n_c = np.asarray(article_chunks, dtype=np.int64)
    sentence_article = np.repeat(np.arange(len(n_s), dtype=np.int32), n_s)
    chunk_article = np.repeat(np.arange(len(n_c), dtype=np.int32), n_c)
    offsets = np.concatenate([[0], np.cumsum(n_s)[:-1]]) if len(n_s) else np.zeros(0, dtype=np.int64)
    chunk_offset = offsets[chunk_article] if len(chunk_article) else np.zeros(0, dtype=np.int64)
    chunk_first = chunk_spans[:, 0].astype(np.int64) + chunk_offset
    chunk_last = chunk_spans[:, 1].astype(np.int64) + chunk_offset
    n = len(sentence_article)
    sentence_chunk = np.full(n, -1, dtype=np.int64)
    if len(chunk_first):
        sizes = chunk_last - chunk_first + 1
        numbers = np.repeat(np.arange(len(chunk_first)), sizes)
        starts = np.repeat(chunk_first - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
        sentence_chunk[starts + np.arange(len(numbers))] = numbers
        sentence_chunk[sent_spans[:, 3].astype(bool)] = -1
    return RecordArrays(sent_spans, sentence_article, chunk_first, chunk_last,
                        chunk_spans[:, 2].astype(np.int64), chunk_article, sentence_chunk)
