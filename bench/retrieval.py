"""Retrieval benchmark: our BM25Index against rank-bm25, bm25s and tantivy.

Same generated corpora for every engine: Zipf-distributed tokens (s = 1.0)
over 50,000 word types, chunk lengths ~ N(120, 30) clipped to [20, 300];
queries of 5-8 distinct terms drawn uniformly from the word types present in
the corpus (so most are mid/rare terms and a few percent hit very common
ones, which is what makes p99 differ from the median).  Top 10 per query.

Each engine runs in its own subprocess, so that its peak memory is its own:
the peak RSS during the build minus the RSS just before it, with the corpus
already in memory (Linux: the peak mark is reset with /proc/self/clear_refs).  Reported: build time, extra peak memory, index size on
disk (rank-bm25 has no file format: n/a), query median and p99.

    python bench/retrieval.py                 # 10k and 100k chunks
    python bench/retrieval.py --sizes 1000000 # 1M chunks (a few minutes, ~10 GB RAM)
    python bench/retrieval.py --engines ours,bm25s-numba --sizes 100000

Needs the `bench` extra (pip install -e '.[bench]'); numba is optional.
Each engine answers up to --queries queries, or fewer once it has spent a
minute on them (the "queries" field of the JSON says how many).
Results: a table on stdout and bench/results/retrieval-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ["ours", "rank-bm25", "bm25s-numpy", "bm25s-numba", "tantivy"]
N_TYPES = 50_000
QUERY_BUDGET_S = 60.0  # per engine and size; at least 5 queries


# -- data ---------------------------------------------------------------------------

def generate(n_docs: int, folder: Path, seed: int = 42, n_queries: int = 1000) -> None:
    """Write the corpus (token ids + offsets) and queries as .npy/.json in `folder`."""
    rng = np.random.default_rng(seed)
    lengths = np.clip(rng.normal(120, 30, n_docs).round(), 20, 300).astype(np.int64)
    p = 1.0 / np.arange(1, N_TYPES + 1)
    cdf = np.cumsum(p / p.sum())
    ids = np.empty(int(lengths.sum()), dtype=np.int32)
    step = 10_000_000
    for start in range(0, len(ids), step):
        end = min(len(ids), start + step)
        ids[start:end] = np.minimum(np.searchsorted(cdf, rng.random(end - start)), N_TYPES - 1)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    present = np.flatnonzero(np.bincount(ids, minlength=N_TYPES))
    queries = [rng.choice(present, size=int(rng.integers(5, 9)), replace=False).tolist()
               for _ in range(n_queries)]
    np.save(folder / "ids.npy", ids)
    np.save(folder / "offsets.npy", offsets)
    (folder / "queries.json").write_text(json.dumps(queries))


def load_corpus(folder: Path) -> tuple[list[list[str]], list[list[str]]]:
    words = np.array([f"w{i}" for i in range(N_TYPES)], dtype=object)
    ids = np.load(folder / "ids.npy")
    offsets = np.load(folder / "offsets.npy").tolist()
    tokens = words[ids]  # object array sharing the 50k word strings
    del ids
    corpus = [tokens[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:])]
    del tokens
    queries = [[f"w{i}" for i in q] for q in json.loads((folder / "queries.json").read_text())]
    return corpus, queries


def maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise OSError(field)


def reset_peak() -> int:
    """Reset the peak-RSS mark (Linux: clear_refs 5) and return the current RSS.

    Loading the corpus has a transient peak (an object array of all tokens);
    without the reset, maxrss would hide any build that needs less than it.
    Falls back to getrusage's maxrss where /proc is not available.
    """
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return _status_kb("VmRSS")
    except OSError:
        return maxrss_bytes()


def peak_since_reset() -> int:
    try:
        return _status_kb("VmHWM")
    except OSError:
        return maxrss_bytes()


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# -- engines (each: build(corpus, workdir) -> (search(q), size_on_disk)) ----------------

def engine_ours(corpus, work: Path):
    sys.path.insert(0, str(ROOT))
    from bot.index import BM25Index, BM25Params

    index = BM25Index.build(corpus, BM25Params(k1=1.5, b=0.75, epsilon=0.25))
    index.save(work, "bench")
    t = time.perf_counter()
    loaded = BM25Index.load(work, "bench")  # memory-mapped: what a restarted bot uses
    load_s = time.perf_counter() - t
    return (lambda q: index.top_k(q, 10)), dir_size(work), {"load_s": load_s, "loaded": loaded}


def engine_rank_bm25(corpus, work: Path):
    from rank_bm25 import BM25Okapi

    model = BM25Okapi(corpus, k1=1.5, b=0.75, epsilon=0.25)

    def search(q):
        scores = model.get_scores(q)
        top = np.argpartition(-scores, 10)[:10]
        return top[np.argsort(-scores[top])]

    return search, None, {}


def _bm25s(corpus, work: Path, backend: str):
    import bm25s

    retriever = bm25s.BM25(k1=1.5, b=0.75, backend=backend)
    retriever.index(corpus, show_progress=False)
    retriever.save(str(work / "bm25s"))
    if backend == "numba":  # compile outside the timed queries
        retriever.retrieve([corpus[0][:5]], k=10, show_progress=False, n_threads=0)
    return (lambda q: retriever.retrieve([q], k=10, show_progress=False, n_threads=0)), \
        dir_size(work / "bm25s"), {}


def engine_bm25s_numpy(corpus, work):
    return _bm25s(corpus, work, "numpy")


def engine_bm25s_numba(corpus, work):
    return _bm25s(corpus, work, "numba")


def engine_tantivy(corpus, work: Path):
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    schema = builder.build()
    path = work / "tantivy"
    path.mkdir()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=512_000_000, num_threads=2)
    for doc in corpus:
        writer.add_document(tantivy.Document(body=" ".join(doc)))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    Occur, Query = tantivy.Occur, tantivy.Query

    def search(q):
        query = Query.boolean_query([(Occur.Should, Query.term_query(schema, "body", t)) for t in q])
        return searcher.search(query, 10, count=False).hits

    return search, dir_size(path), {}


def run_engine(engine: str, folder: Path, max_queries: int) -> dict:
    corpus, queries = load_corpus(folder)
    if engine == "rank-bm25":  # ~2 s per query at 1M chunks
        max_queries = max(5, min(max_queries, 2_000_000 // len(corpus)))
    queries = queries[:max_queries]
    work = Path(tempfile.mkdtemp(prefix=f"bench-{engine}-"))
    try:
        import gc

        gc.collect()
        before = reset_peak()
        t = time.perf_counter()
        search, size, extra = globals()["engine_" + engine.replace("-", "_")](corpus, work)
        build_s = time.perf_counter() - t
        peak = peak_since_reset() - before
        for q in queries[:5]:
            search(q)
        times = []
        budget = time.perf_counter() + QUERY_BUDGET_S  # slow engines: fewer queries
        for q in queries:
            t = time.perf_counter()
            search(q)
            times.append(time.perf_counter() - t)
            if t > budget and len(times) >= 5:
                break
        times_ms = np.array(times) * 1000
        return {"engine": engine, "chunks": len(corpus), "build_s": build_s, "peak_mem_mb": peak / 2**20,
                "disk_mb": None if size is None else size / 2**20, "queries": len(times),
                "query_median_ms": float(np.median(times_ms)), "query_p99_ms": float(np.percentile(times_ms, 99)),
                "load_s": extra.get("load_s")}
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- driver ----------------------------------------------------------------------------

def fmt(x, digits=3):
    if x is None:
        return "n/a"
    return f"{x:.{digits}f}" if x < 100 else f"{x:.0f}"


def table(rows: list[dict]) -> str:
    out = []
    for n in sorted({r["chunks"] for r in rows}):
        group = [r for r in rows if r["chunks"] == n]
        ours = next((r for r in group if r["engine"] == "ours"), None)
        out.append(f"\n{n:,} chunks")
        out.append(f"{'engine':<12} {'build s':>8} {'+peak MB':>9} {'disk MB':>8} {'median ms':>10} "
                   f"{'p99 ms':>8} {'median / ours':>14}")
        for r in group:
            ratio = r["query_median_ms"] / ours["query_median_ms"] if ours else None
            out.append(f"{r['engine']:<12} {fmt(r['build_s'], 2):>8} {fmt(r['peak_mem_mb'], 0):>9} "
                       f"{fmt(r['disk_mb'], 1):>8} {fmt(r['query_median_ms']):>10} {fmt(r['query_p99_ms']):>8} "
                       f"{fmt(ratio, 1) + 'x':>14}")
        if ours and ours.get("load_s") is not None:
            out.append(f"(ours: memory-mapped load of the saved index {ours['load_s'] * 1000:.1f} ms)")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated chunk counts")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--engine", help=argparse.SUPPRESS)  # child mode
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(run_engine(args.engine, Path(args.folder), args.queries)))
        return 0
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-corpus-{n}-"))
        try:
            t = time.perf_counter()
            generate(n, folder, n_queries=args.queries)
            print(f"generated {n:,} chunks in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            for engine in args.engines.split(","):
                p = subprocess.run([sys.executable, __file__, "--engine", engine, "--folder", str(folder),
                                    "--queries", str(args.queries)], capture_output=True, text=True)
                if p.returncode != 0:
                    print(f"{engine} at {n}: failed\n{p.stderr[-2000:]}", file=sys.stderr)
                    continue
                row = json.loads(p.stdout.strip().splitlines()[-1])
                rows.append(row)
                print(f"  {engine}: build {row['build_s']:.2f} s, median {row['query_median_ms']:.3f} ms",
                      file=sys.stderr)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(table(rows))
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    out = results / f"retrieval-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                               "command": " ".join(sys.argv), "rows": rows}, indent=2))
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
