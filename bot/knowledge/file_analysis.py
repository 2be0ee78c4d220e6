"""Each knowledge file's analysis, cached per file: sentences, chunks and index terms.

Analysing an article (sentence split, tiktoken chunking, stemming, Thai
segmentation) is the slow part of indexing; each file's analysis is kept in
the index folder, keyed by its content hash, the analyzer fingerprint and the
chunk budget (index_cache.analysis_key), so that an update (store.update)
analyses only the files whose content changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.core.cache import Stale, atomic_write, cached
from bot.core.config import IndexSettings, Settings
from bot.knowledge.analysis import get_analyzer
from bot.knowledge.chunking import chunk_sentences, sentences_of
from bot.knowledge.corpus import Article, parse_article

FILE_CACHE = "files"


@dataclass
class FileAnalysis:
    """One knowledge file, analysed: what indexing needs from it, cached per file."""

    article: Article
    sentences: list[list]  # [start, end, paragraph, duplicate] into article.text
    chunks: list[list]  # [first, last, tokens], sentence numbers within this file
    terms: list[list[str]]  # index terms of each sentence ([] for duplicates)

    def to_json(self) -> dict:
        return {"article": asdict(self.article), "sentences": self.sentences, "chunks": self.chunks,
                "terms": self.terms}

    @classmethod
    def from_json(cls, obj: dict) -> "FileAnalysis":
        return cls(Article(**obj["article"]), obj["sentences"], obj["chunks"], obj["terms"])


def analyse_article(article: Article, settings: IndexSettings) -> FileAnalysis:
    """Sentences, chunks and index terms of one article (the slow part of indexing)."""
    own = sentences_of(article.id, article.lang, article.text, settings.min_thai_sentence_chars)
    chunks = chunk_sentences(own, settings.chunk_tokens)
    analyzer = get_analyzer(article.lang)
    terms = [[] if s.duplicate else analyzer.analyze(s.text) for s in own]
    return FileAnalysis(
        article,
        [[s.start, s.end, s.paragraph, s.duplicate] for s in own],
        [[c.first, c.last, c.tokens] for c in chunks],
        terms,
    )


@dataclass
class FileEntry:
    """A knowledge file as last indexed: change detection plus its analysis."""

    name: str
    size: int
    mtime_ns: int
    sha: str
    article: Article
    sentences: "list[list] | np.ndarray"  # [start, end, paragraph, duplicate] rows
    chunks: "list[list] | np.ndarray"  # [first, last, tokens] rows, file-relative


def _analysis_for(path: Path, text: str, sha: str, key: str, settings: Settings, cache: Path | None,
                  detect: Callable[[str], str], read: bool = True) -> FileAnalysis:
    """The file's analysis from the per-file cache (unless `read` is false), or computed and cached."""
    name = hashlib.sha256(f"{key}\n{path.name}\n{sha}".encode()).hexdigest()[:32]
    where = cache / FILE_CACHE / f"{name}.json" if cache is not None else None

    def load() -> FileAnalysis:
        if where is None or not read:
            raise Stale
        obj = json.loads(where.read_text(encoding="utf-8"))
        if obj.get("key") != key or obj.get("sha") != sha:
            raise Stale
        return FileAnalysis.from_json(obj["analysis"])

    def build() -> FileAnalysis:
        return analyse_article(parse_article(path, text, detect), settings.index)

    def write(analysis: FileAnalysis) -> None:
        if where is not None:
            where.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps({"key": key, "sha": sha, "analysis": analysis.to_json()}, ensure_ascii=False)
            atomic_write(where, lambda f: f.write(data.encode("utf-8")))

    return cached(load, build, write, f"analysis cache of {path}")[0]


def _prune_file_cache(cache: Path, key: str, entries: Iterable[FileEntry]) -> None:
    """Drop cached analyses of file versions that are no longer in the folder."""
    folder = cache / FILE_CACHE
    if not folder.is_dir():
        return
    keep = {hashlib.sha256(f"{key}\n{e.name}\n{e.sha}".encode()).hexdigest()[:32] + ".json"
            for e in entries}
    for entry in os.scandir(folder):
        if entry.name.endswith(".json") and entry.name not in keep:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
