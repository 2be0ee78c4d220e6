"""The searchable knowledge: articles, sentences, chunks and their BM25 indexes.

Built from the knowledge folder, persisted under a cache folder keyed by that
folder, and brought up to date automatically when a knowledge file, the
settings or the analysis code changes.

Why it is incremental: analysing an article (sentence split, tiktoken
chunking, stemming, Thai segmentation) is the slow part of indexing, and
with thousands of articles a one-file edit must not redo it all.  Each
file's analysis is kept (per file, keyed by its content hash, the analyzer
fingerprint and the chunk budget), and the corpus-wide term counts are kept
as numpy arrays; after an edit only the changed file is analysed again and
the BM25 matrices, which depend on corpus-wide statistics (df, average
length), are recomputed from the counts with a few vectorised passes.
(The per-file analyses and their cache: file_analysis.py; the index folder
and its fingerprint: index_cache.py.)

Why it is crash-safe: every file is written to a temporary name and renamed,
the old validity stamp is removed before anything is replaced, and the new
stamp, written last, lists every file with its size and SHA-256.  A file
that is missing, truncated or altered after that fails the check on load,
and the index is rebuilt instead of trusted (the files' names, readers and
that check: index_files.py).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from bot.core.cache import CACHE_ERRORS, Stale, atomic_write, cached, save_npy
from bot.core.config import Settings
from bot.core.progress import Progress
from bot.knowledge.bm25 import BM25Index, BM25Params, IndexFileError, TermCounts, vocabulary
from bot.knowledge.chunking import Chunk, Sentence
from bot.knowledge.corpus import (
    ARTICLE_FIELDS,
    Article,
    ArticleError,
    Problem,
    check_inside,
    knowledge_files,
    read_text,
    resolve_groups,
)
from bot.knowledge.file_analysis import FileAnalysis, FileEntry, _analysis_for, _prune_file_cache
from bot.knowledge.index_cache import analysis_key, cache_dir_for, fingerprint, prune_vanished_indexes
from bot.knowledge.index_files import (
    ARTICLES,
    HASH_CHECK_MAX_BYTES,
    STAMP,
    STATE,
    TEXT_OFFSETS,
    TEXTS,
    _load_indexes,
    _read_spans,
    _read_stamp,
    _read_texts,
    _sha256,
    _verify,
)
from bot.knowledge.records import ChunkView, IntView, RecordArrays, SentenceView, record_arrays

log = logging.getLogger(__name__)


@dataclass
class KnowledgeBase:
    """Everything retrieval needs, loadable without re-reading the articles."""

    articles: list[Article]
    sentences: Sequence[Sentence]  # a SentenceView: records made on access
    chunks: Sequence[Chunk]
    sentence_chunk: Sequence[int]  # chunk number of each sentence (-1: duplicate)
    sentence_index: BM25Index
    chunk_index: BM25Index
    arrays: RecordArrays  # the same records as numpy arrays (retrieval's scorer)
    problems: list[Problem] = field(default_factory=list)
    # set by open_knowledge: the index fingerprint and folder, so that what is
    # derived from the knowledge at question time can be stored beside the index
    stamp: str = ""
    cache_dir: Path | None = None

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.articles}
        self.languages = sorted({a.lang for a in self.articles})
        # versions() is called per article per question: a scan of all
        # articles each time made answering quadratic in the collection size
        self._ranges: dict[str, tuple[int, int]] | None = None
        self._by_language: dict[str, list[Article]] | None = None
        self._groups: dict[str, list[Article]] = {}
        for a in self.articles:
            self._groups.setdefault(a.group, []).append(a)

    def article_ranges(self) -> dict[str, tuple[int, int]]:
        """{article id: (first sentence, end)} of every article with sentences, in
        folder order (sentences are stored article by article); computed once."""
        if self._ranges is None:
            counts = np.bincount(self.arrays.sentence_article, minlength=len(self.articles))
            ends = np.cumsum(counts)
            self._ranges = {a.id: (int(e - c), int(e))
                            for a, c, e in zip(self.articles, counts.tolist(), ends.tolist()) if c}
        return self._ranges

    def by_language(self) -> dict[str, list[Article]]:
        """{language: its articles by title (casefolded), then id}, languages in code
        order; sorted once per knowledge load, not for every page of /sources."""
        if self._by_language is None:
            ordered = sorted(self.articles, key=lambda a: (a.lang, a.title.casefold(), a.id))
            groups: dict[str, list[Article]] = {}
            for a in ordered:
                groups.setdefault(a.lang, []).append(a)
            self._by_language = groups
        return self._by_language

    def article_groups(self) -> list[list[Article]]:
        """Each article with its translations, one list per group, in folder order."""
        return list(self._groups.values())

    def versions(self, article_id: str) -> list[Article]:
        """All versions (translations) of an article, itself included, in folder order."""
        return list(self._groups[self.by_id[article_id].group])


def _params(settings: Settings) -> BM25Params:
    r = settings.index
    return BM25Params(k1=r.k1, b=r.b, epsilon=r.epsilon, idf=r.idf)


# -- the persisted state -------------------------------------------------------

class _State:
    """Per-file entries + corpus-wide term counts (documents x terms, CSR)."""

    def __init__(self, key: str, entries: list[FileEntry], terms: list[str],
                 sent: TermCounts, chunk: TermCounts) -> None:
        self.key = key
        self.entries = entries
        self.terms = terms
        self.sent = sent
        self.chunk = chunk
        self.problems: list[Problem] = []  # the skipped files of the folder this state indexed

    @classmethod
    def empty(cls, key: str = "") -> "_State":
        none = TermCounts([], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32),
                          np.zeros(0, dtype=np.int32))
        return cls(key, [], [], none, none)

    # counts of one analysed file, in this state's vocabulary (extended)
    def counts_of(self, analysis: FileAnalysis) -> tuple[TermCounts, TermCounts]:
        if not hasattr(self, "_vocab"):
            self._vocab = vocabulary(self.terms)
        sent = TermCounts.from_docs(analysis.terms, self._vocab)
        chunk_docs = []
        for first, last, _tokens in analysis.chunks:
            terms: list[str] = []
            for i in range(first, last + 1):
                terms.extend(analysis.terms[i])
            chunk_docs.append(terms)
        chunk = TermCounts.from_docs(chunk_docs, self._vocab)
        return sent, chunk

    def block_of(self, n: int) -> tuple[TermCounts, TermCounts]:
        """Rows of entry number n, as its own TermCounts (no copy of ids)."""
        s0, s1 = self._sent_rows[n], self._sent_rows[n + 1]
        c0, c1 = self._chunk_rows[n], self._chunk_rows[n + 1]
        return _rows(self.sent, s0, s1), _rows(self.chunk, c0, c1)

    def _index_rows(self) -> None:
        self._sent_rows = np.concatenate([[0], np.cumsum([len(e.sentences) for e in self.entries])]).astype(int)
        self._chunk_rows = np.concatenate([[0], np.cumsum([len(e.chunks) for e in self.entries])]).astype(int)

    def assemble(self, entries: list[FileEntry], blocks: list[tuple[TermCounts, TermCounts]]) -> "_State":
        """A new state from entries and their count blocks (ids in self.terms)."""
        if hasattr(self, "_vocab"):  # extended by counts_of
            terms = [""] * len(self._vocab)
            for t, i in self._vocab.items():
                terms[i] = t
        else:
            terms = list(self.terms)
        sent = _concat([b[0] for b in blocks])
        chunk = _concat([b[1] for b in blocks])
        # drop terms no document uses any more (files removed or edited)
        used = np.zeros(len(terms), dtype=bool)
        used[sent.term_ids] = True
        used[chunk.term_ids] = True
        if not used.all():
            remap = np.cumsum(used) - 1
            sent.term_ids = remap[sent.term_ids].astype(np.int32)
            chunk.term_ids = remap[chunk.term_ids].astype(np.int32)
            terms = [t for t, u in zip(terms, used.tolist()) if u]
        sent.terms = chunk.terms = terms
        state = _State(self.key, entries, terms, sent, chunk)
        return state

    # -- knowledge base ----------------------------------------------------------
    def _spans(self) -> tuple[np.ndarray, np.ndarray]:
        """All entries' sentence spans (n, 4) and chunk spans (m, 3), concatenated."""
        sent = [np.asarray(e.sentences, dtype=np.int64).reshape(-1, 4) for e in self.entries]
        chunk = [np.asarray(e.chunks, dtype=np.int64).reshape(-1, 3) for e in self.entries]
        return (np.concatenate(sent) if sent else np.zeros((0, 4), dtype=np.int64),
                np.concatenate(chunk) if chunk else np.zeros((0, 3), dtype=np.int64))

    def _records(self) -> tuple[list[Article], RecordArrays]:
        """The articles and the record arrays of their sentences and chunks."""
        sent_spans, chunk_spans = self._spans()
        arrays = record_arrays([len(e.sentences) for e in self.entries], [len(e.chunks) for e in self.entries],
                               sent_spans, chunk_spans)
        return [e.article for e in self.entries], arrays

    def knowledge_base(self, params: BM25Params, problems: list[Problem]) -> KnowledgeBase:
        """The knowledge base with BM25 indexes computed from the counts (after an update)."""
        articles, arrays = self._records()
        s, c = self.sent, self.chunk
        self.problems = problems
        return _knowledge_base(articles, arrays, problems,
                               BM25Index.from_counts(self.terms, s.indptr, s.term_ids, s.tfs, params),
                               BM25Index.from_counts(self.terms, c.indptr, c.term_ids, c.tfs, params))

    # -- files -------------------------------------------------------------------
    COUNT_ARRAYS = ("indptr", "term_ids", "tfs")

    def save(self, directory: Path, kb: KnowledgeBase, stamp: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        # Invalidate first: from here until the new stamp exists, nothing is trusted.
        try:
            os.unlink(directory / STAMP)
        except FileNotFoundError:
            pass
        written = kb.sentence_index.save(directory, "sentences") + kb.chunk_index.save(directory, "chunks")
        for prefix, counts in (("counts.sentences", self.sent), ("counts.chunks", self.chunk)):
            for key in self.COUNT_ARRAYS:
                name = f"{prefix}.{key}.npy"
                array = getattr(counts, key)
                save_npy(directory / name, array)
                written.append(name)
        sent_spans, chunk_spans = self._spans()
        for name, arr in (("spans.sentences.npy", sent_spans), ("spans.chunks.npy", chunk_spans)):
            save_npy(directory / name, arr)
            written.append(name)
        # article texts in one UTF-8 array, memory-mapped at load (not in the JSON)
        encoded = [e.article.text.encode("utf-8") for e in self.entries]
        offsets = np.concatenate([[0], np.cumsum([len(b) for b in encoded], dtype=np.int64)]).astype(np.int64)
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        del encoded
        for name, arr in ((TEXTS, blob), (TEXT_OFFSETS, offsets)):
            save_npy(directory / name, arr)
            written.append(name)
        meta = {
            "key": self.key,
            "terms": self.terms,
            "files": [{"name": e.name, "size": e.size, "mtime_ns": e.mtime_ns, "sha": e.sha,
                       "article": {k: v for k, v in e.article.fields().items() if k != "text"},
                       "sentences": len(e.sentences), "chunks": len(e.chunks)}
                      for e in self.entries],
            "problems": [[p.path, p.reason] for p in kb.problems],
        }
        atomic_write(directory / STATE, lambda f: f.write(json.dumps(meta, ensure_ascii=False).encode("utf-8")))
        written.append(STATE)
        fields = [f for f in ARTICLE_FIELDS if f != "text"]
        fresh = {"columns": {f: [getattr(e.article, f) for e in self.entries] for f in fields},
                 "sentences": [len(e.sentences) for e in self.entries],
                 "chunks": [len(e.chunks) for e in self.entries],
                 "problems": meta["problems"]}
        atomic_write(directory / ARTICLES, lambda f: f.write(json.dumps(fresh, ensure_ascii=False).encode("utf-8")))
        written.append(ARTICLES)
        manifest = {}
        for name in written:
            path = directory / name
            size = path.stat().st_size
            manifest[name] = [size, _sha256(path) if size <= HASH_CHECK_MAX_BYTES else None]
        # Written last: a crash before this line leaves no stamp, so a
        # half-written index is never taken for a valid one.
        atomic_write(directory / STAMP, lambda f: f.write(
            json.dumps({"fingerprint": stamp, "files": manifest}).encode("utf-8")))

    @classmethod
    def load(cls, directory: Path, counts: bool = False) -> "_State":
        try:
            meta = json.loads((directory / STATE).read_text(encoding="utf-8"))
            n_s = [int(f["sentences"]) for f in meta["files"]]
            n_c = [int(f["chunks"]) for f in meta["files"]]
            sent_spans, chunk_spans = _read_spans(directory, n_s, n_c)
            s_off = np.concatenate([[0], np.cumsum(n_s, dtype=np.int64)]).tolist()
            c_off = np.concatenate([[0], np.cumsum(n_c, dtype=np.int64)]).tolist()
            texts = None
            if any("text" not in f["article"] for f in meta["files"]):
                texts = _read_texts(directory, len(meta["files"]))
            articles = [Article(**f["article"]) if "text" in f["article"] else Article.stored(f["article"], texts, i)  # type: ignore[arg-type]  # set above
                        for i, f in enumerate(meta["files"])]
            entries = [FileEntry(f["name"], f["size"], f["mtime_ns"], f["sha"], articles[i],
                                 sent_spans[s_off[i]:s_off[i + 1]], chunk_spans[c_off[i]:c_off[i + 1]])
                       for i, f in enumerate(meta["files"])]
            terms = meta["terms"]
            loaded = []
            for prefix in ("counts.sentences", "counts.chunks"):
                if counts:
                    arrays = [np.load(directory / f"{prefix}.{k}.npy", allow_pickle=False)
                              for k in cls.COUNT_ARRAYS]
                else:
                    arrays = [np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)]
                loaded.append(TermCounts(terms, *arrays))
            state = cls(meta["key"], entries, terms, loaded[0], loaded[1])
            state.problems = [Problem(*p) for p in meta["problems"]]
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            raise IndexFileError(f"{directory / STATE}: {exc}") from None
        if counts:
            state._index_rows()
            for c, rows in ((state.sent, state._sent_rows), (state.chunk, state._chunk_rows)):
                if (len(c.indptr) != rows[-1] + 1 or int(c.indptr[-1]) != len(c.term_ids)
                        or len(c.tfs) != len(c.term_ids)
                        or (len(c.term_ids) and int(c.term_ids.max()) >= len(terms))):
                    raise IndexFileError(f"{directory}: term counts do not match the file list")
        return state


def load_fresh(directory: Path, listed: Collection[str]) -> KnowledgeBase:
    """The knowledge base of a fresh index (its fingerprint and `listed` files
    checked by the caller): the articles from their columns, sentences and
    chunks as views over the span arrays, the BM25 indexes memory-mapped.  No
    per-file entry, term list or count array is read; those are for updates
    (`_State.load`).  An index whose stamp does not list articles.json (written
    by an older version, which may have left a stale one behind) is read the
    older way."""
    if ARTICLES not in listed:
        state = _State.load(directory)
        articles, arrays = state._records()
        return _knowledge_base(articles, arrays, state.problems, *_load_indexes(directory))
    try:
        raw = (directory / ARTICLES).read_text(encoding="utf-8")
    except OSError as exc:
        raise IndexFileError(f"{directory / ARTICLES}: {exc}") from None
    try:
        meta = json.loads(raw)
        columns: dict[str, list] = meta["columns"]
        n_s, n_c = meta["sentences"], meta["chunks"]
        names = list(columns)
        if len(n_s) != len(n_c) or any(len(v) != len(n_s) for v in columns.values()):
            raise ValueError("article columns of different lengths")
        sent_spans, chunk_spans = _read_spans(directory, n_s, n_c)
        texts = _read_texts(directory, len(n_s))
        stored = Article.stored
        # One object per article and no garbage cycles: the allocations alone set the
        # cyclic collector off ~40 times over every object of the process (45 ms of a
        # cold `bot ask` at 15,000 articles, measured with gc.callbacks).
        collecting = gc.isenabled()
        gc.disable()
        try:
            articles = [stored(dict(zip(names, row)), texts, i) for i, row in enumerate(zip(*columns.values()))]
        finally:
            if collecting:
                gc.enable()
        problems = [Problem(*p) for p in meta["problems"]]
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise IndexFileError(f"{directory / ARTICLES}: {exc}") from None
    arrays = record_arrays(n_s, n_c, sent_spans, chunk_spans)
    return _knowledge_base(articles, arrays, problems, *_load_indexes(directory))


def _knowledge_base(articles: list[Article], arrays: RecordArrays, problems: list[Problem],
                    sentence_index: BM25Index, chunk_index: BM25Index) -> KnowledgeBase:
    """The one place a knowledge base is put together, built or loaded: sentences
    and chunks are views over the record arrays (no Python object per sentence
    is made until one is asked for)."""
    return KnowledgeBase(
        articles=articles, sentences=SentenceView(articles, arrays), chunks=ChunkView(articles, arrays),
        sentence_chunk=IntView(arrays.sentence_chunk), sentence_index=sentence_index, chunk_index=chunk_index,
        problems=problems, arrays=arrays,
    )


def _rows(c: TermCounts, r0: int, r1: int) -> TermCounts:
    a, b = int(c.indptr[r0]), int(c.indptr[r1])
    return TermCounts(c.terms, c.indptr[r0:r1 + 1] - a, c.term_ids[a:b], c.tfs[a:b])


def _concat(blocks: list[TermCounts]) -> TermCounts:
    if not blocks:
        return _State.empty().sent
    sizes = np.array([len(b.term_ids) for b in blocks], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    indptr = np.concatenate([np.zeros(1, dtype=np.int64)]
                            + [b.indptr[1:] + s for b, s in zip(blocks, starts.tolist())])
    return TermCounts([], indptr.astype(np.int64),
                      np.concatenate([b.term_ids for b in blocks]).astype(np.int32),
                      np.concatenate([b.tfs for b in blocks]).astype(np.int32))


# -- opening: load, update incrementally, or build ---------------------------------

def open_knowledge(knowledge_dir: Path, settings: Settings, force: bool = False,
                   detect: Callable[[str], str] | None = None) -> tuple[KnowledgeBase, bool]:
    """The index of `knowledge_dir`: loaded when fresh, else updated and persisted.

    Returns (knowledge base, whether anything was re-indexed).  `force`
    re-analyses every file, ignoring all caches.
    """
    stamp = fingerprint(knowledge_dir, settings)
    cache = cache_dir_for(knowledge_dir)
    key = analysis_key(settings)
    previous: list[_State] = []

    def read() -> tuple[KnowledgeBase, _State | None]:
        if force:
            raise Stale
        kb = _read_fresh(cache, stamp)
        if kb is not None:
            return kb, None
        # Valid but stale (knowledge or settings changed): reuse what it analysed.
        state = _State.load(cache, counts=True)
        if state.key == key:
            previous.append(state)
        raise Stale

    def build() -> tuple[KnowledgeBase, _State | None]:
        return update(knowledge_dir, settings, previous[0] if previous else None, cache,
                      use_file_cache=not force, detect=detect)

    def write(built: tuple[KnowledgeBase, _State | None]) -> None:
        kb, state = built
        assert state is not None  # written only after a build
        state.save(cache, kb, stamp)
        _prune_file_cache(cache, state.key, state.entries)
        prune_vanished_indexes(cache, knowledge_dir)

    (kb, _state), rebuilt = cached(read, build, write, f"index cache {cache}", logging.WARNING)
    kb.stamp, kb.cache_dir = stamp, cache
    return kb, rebuilt


def _read_fresh(cache: Path, stamp: str) -> KnowledgeBase | None:
    """The persisted index in `cache` when it is intact and its fingerprint is
    `stamp`; None when intact but stale.  Raises FileNotFoundError when there is
    none and a cache error (CACHE_ERRORS) when it is damaged."""
    found = _read_stamp(cache)
    _verify(cache, found)
    if found["fingerprint"] != stamp:
        return None
    return load_fresh(cache, found["files"])


def open_built(knowledge_dir: Path, settings: Settings) -> KnowledgeBase | None:
    """The index of `knowledge_dir` when it is already built, intact and fresh;
    None otherwise (absent, stale or damaged).  Never builds, updates or writes
    anything: for commands that must stay fast and leave the cache alone, such as
    `faq list`, which only wants the knowledge's vote on a language when the
    index is there to ask (the same files `open_knowledge` would load)."""
    stamp = fingerprint(knowledge_dir, settings)
    cache = cache_dir_for(knowledge_dir)
    try:
        kb = _read_fresh(cache, stamp)
    except CACHE_ERRORS:  # FileNotFoundError (none built) is an OSError
        return None
    if kb is not None:
        kb.stamp, kb.cache_dir = stamp, cache
    return kb


def _default_detect(settings: Settings) -> Callable[[str], str]:
    from bot.knowledge.language import detect_language

    return lambda text: detect_language(text[:2000], settings.languages, settings.default_language,
                                        settings.scoring.min_letters_to_detect)


def update(knowledge_dir: Path, settings: Settings, previous: "_State | None", cache: Path | None,
           use_file_cache: bool = True, detect: Callable[[str], str] | None = None
           ) -> tuple[KnowledgeBase, _State]:
    """Index the folder, re-analysing only files whose content changed."""
    key = analysis_key(settings)
    detect = detect or _default_detect(settings)
    base = previous or _State.empty(key)
    base.key = key
    old = {e.name: (n, e) for n, e in enumerate(base.entries)}
    entries: list[FileEntry] = []
    blocks: list[tuple[TermCounts, TermCounts]] = []
    problems: list[Problem] = []
    if not knowledge_dir.is_dir():
        problems.append(Problem(str(knowledge_dir), "knowledge directory not found"))
    seen: dict[str, str] = {}
    # A file reached under two names (a hard link, or a link to a listed file) is one
    # article: indexed under the first name, or its sentences would be found twice.
    files: dict[tuple[int, int], Path] = {}
    paths = knowledge_files(knowledge_dir)
    listed = {p.name for p in paths}
    progress = Progress(len(paths), f"indexing {knowledge_dir}")
    for path in paths:
        progress.update()
        try:
            check_inside(path, knowledge_dir)
            st = path.stat()
        except ArticleError as exc:
            problems.append(Problem(str(path), str(exc)))
            continue
        except OSError as exc:
            problems.append(Problem(str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        target = _listed_link_target(path, knowledge_dir, listed)
        if target is not None:
            log.warning("knowledge file %s is the same file as %s (a symbolic link): indexed once, as %s",
                        path, target, target.name)
            continue
        same = files.setdefault((st.st_dev, st.st_ino), path)
        if same != path:
            log.warning("knowledge file %s is the same file as %s (a hard or symbolic link): indexed once, as %s",
                        path, same, same.name)
            continue
        prev = old.get(path.name)
        reuse = None
        if prev and prev[1].size == st.st_size and prev[1].mtime_ns == st.st_mtime_ns:
            reuse = prev
        else:
            try:
                text = read_text(path)
            except ArticleError as exc:
                problems.append(Problem(str(path), str(exc)))
                continue
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if prev and prev[1].sha == sha:
                reuse = prev
        if reuse is not None:
            n, e = reuse
            entry = FileEntry(e.name, st.st_size, st.st_mtime_ns, e.sha, e.article, e.sentences, e.chunks)
            block = base.block_of(n)
        else:
            try:
                analysis = _analysis_for(path, text, sha, key, settings, cache, detect, read=use_file_cache)
            except ArticleError as exc:
                problems.append(Problem(str(path), str(exc)))
                continue
            except (RecursionError, MemoryError, ValueError, TypeError, KeyError, IndexError) as exc:
                # one odd file is one reported problem; the other articles still serve
                log.exception("could not analyse %s", path)
                problems.append(Problem(str(path), f"could not be analysed ({type(exc).__name__})"))
                continue
            entry = FileEntry(path.name, st.st_size, st.st_mtime_ns, sha, analysis.article,
                              analysis.sentences, analysis.chunks)
            block = base.counts_of(analysis)
        article = entry.article
        if str(path) != article.path:
            article = replace(article, path=str(path))
            entry.article = article
        if article.id in seen:
            problems.append(Problem(str(path), f"duplicate article id '{article.id}' (also {seen[article.id]})"))
            continue
        seen[article.id] = str(path)
        entries.append(entry)
        blocks.append(block)
    progress.close()
    # translation groups are corpus-wide: resolve them over the current articles
    grouped = resolve_groups([e.article for e in entries])
    for e, a in zip(entries, grouped):
        e.article = a
    for problem in problems:
        log.warning("skipped knowledge file %s", problem)
    state = base.assemble(entries, blocks)
    state._index_rows()
    return state.knowledge_base(_params(settings), problems), state


def _listed_link_target(path: Path, knowledge_dir: Path, listed: set[str]) -> Path | None:
    """The listed file a symbolic link `path` stands for, or None.

    A link to another article file of the folder is an alias: the article must
    keep its real file's id whatever the names' order (a link sorting first used
    to take the id, so `translation_of: <real id>` no longer linked the versions
    and answers named the alias)."""
    if not path.is_symlink():
        return None
    real = os.path.realpath(path)
    name = os.path.basename(real)
    if os.path.dirname(real) != os.path.realpath(knowledge_dir) or name not in listed or name == path.name:
        return None
    return knowledge_dir / name
