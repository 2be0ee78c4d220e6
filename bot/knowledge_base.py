"""The searchable knowledge: articles, sentences, chunks and their BM25 indexes.

Built from a `Corpus`, persisted under a cache folder keyed by the knowledge
folder, and rebuilt automatically when a knowledge file, the settings or the
analysis code changes (the fingerprint covers all three).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot import __version__
from bot.analysis import analyzer_fingerprint, get_analyzer
from bot.chunking import Chunk, Sentence, chunk_sentences, sentences_of
from bot.config import Settings
from bot.corpus import Article, Corpus, Problem, file_fingerprint, knowledge_files
from bot.index import BM25Index, BM25Params, atomic_write

log = logging.getLogger(__name__)
FORMAT_VERSION = 1


@dataclass
class KnowledgeBase:
    """Everything retrieval needs, loadable without re-reading the articles."""

    articles: list[Article]
    sentences: list[Sentence]
    chunks: list[Chunk]
    sentence_chunk: list[int]  # chunk number of each sentence (-1: duplicate)
    sentence_index: BM25Index
    chunk_index: BM25Index
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.articles}
        self.languages = sorted({a.lang for a in self.articles})

    def versions(self, article_id: str) -> list[Article]:
        group = self.by_id[article_id].group
        return [a for a in self.articles if a.group == group]

    # -- building ------------------------------------------------------------
    @classmethod
    def build(cls, corpus: Corpus, settings: Settings) -> "KnowledgeBase":
        r = settings.retrieval
        params = BM25Params(k1=r.k1, b=r.b, epsilon=r.epsilon)
        sentences: list[Sentence] = []
        chunks: list[Chunk] = []
        for article in corpus.articles:
            own = sentences_of(article.id, article.lang, article.text)
            chunks.extend(chunk_sentences(own, r.chunk_tokens, offset=len(sentences)))
            sentences.extend(own)
        sentence_terms = [
            [] if s.duplicate else get_analyzer(s.lang).analyze(s.text) for s in sentences
        ]
        sentence_chunk = [-1] * len(sentences)
        chunk_terms = []
        for number, chunk in enumerate(chunks):
            terms: list[str] = []
            for i in range(chunk.first, chunk.last + 1):
                if not sentences[i].duplicate:
                    sentence_chunk[i] = number
                    terms.extend(sentence_terms[i])
            chunk_terms.append(terms)
        return cls(
            articles=list(corpus.articles),
            sentences=sentences,
            chunks=chunks,
            sentence_chunk=sentence_chunk,
            sentence_index=BM25Index.build(sentence_terms, params),
            chunk_index=BM25Index.build(chunk_terms, params),
            problems=list(corpus.problems),
        )

    # -- persistence -----------------------------------------------------------
    def save(self, directory: Path, fingerprint: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.sentence_index.save(directory, "sentences")
        self.chunk_index.save(directory, "chunks")
        meta = {
            "articles": [asdict(a) for a in self.articles],
            "sentences": [[s.article_id, s.lang, s.start, s.end, s.text, s.paragraph, s.duplicate]
                          for s in self.sentences],
            "chunks": [[c.article_id, c.lang, c.first, c.last, c.tokens] for c in self.chunks],
            "sentence_chunk": self.sentence_chunk,
            "problems": [[p.path, p.reason] for p in self.problems],
        }
        atomic_write(directory / "knowledge.json",
                     lambda f: f.write(json.dumps(meta, ensure_ascii=False).encode("utf-8")))
        # Written last: a crash before this line leaves no (or the old) stamp,
        # so a half-written index is never taken for a valid one.
        atomic_write(directory / "fingerprint", lambda f: f.write(fingerprint.encode()))

    @classmethod
    def load(cls, directory: Path) -> "KnowledgeBase":
        meta = json.loads((directory / "knowledge.json").read_text(encoding="utf-8"))
        return cls(
            articles=[Article(**a) for a in meta["articles"]],
            sentences=[Sentence(*s) for s in meta["sentences"]],
            chunks=[Chunk(*c) for c in meta["chunks"]],
            sentence_chunk=meta["sentence_chunk"],
            sentence_index=BM25Index.load(directory, "sentences"),
            chunk_index=BM25Index.load(directory, "chunks"),
            problems=[Problem(*p) for p in meta["problems"]],
        )


def fingerprint(knowledge_dir: Path, settings: Settings) -> str:
    """Changes whenever a knowledge file, the settings or the analysis code does."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT_VERSION}:{__version__}:{analyzer_fingerprint()}:{settings.source_digest}".encode())
    digest.update(json.dumps(asdict(settings.retrieval), sort_keys=True).encode())
    for path in knowledge_files(knowledge_dir):
        try:
            digest.update(f"{path.name}:{file_fingerprint(path)}\n".encode())
        except OSError:
            digest.update(f"{path.name}:unreadable\n".encode())
    return digest.hexdigest()[:24]


def cache_dir_for(knowledge_dir: Path) -> Path:
    """Where the index of `knowledge_dir` is kept (BOT_CACHE_DIR overrides)."""
    root = Path(os.environ.get("BOT_CACHE_DIR") or Path.home() / ".cache" / "article-bot")
    key = hashlib.sha256(str(knowledge_dir.resolve()).encode()).hexdigest()[:16]
    return root / f"index-{key}"
