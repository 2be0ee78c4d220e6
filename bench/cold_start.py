"""Cold start: `python -m bot ask "…" --json` as a whole process, with a persisted index.

Runs it N times (after one warm-up run that builds the index and the
language-model cache) next to `python -c "import numpy"`, interleaved, in the
same run, and prints median / p90 / min of each.  Also prints the slowest
imports of one run (`python -X importtime`).

    python bench/cold_start.py [--runs 15] [--question "…"]

Results: a table on stdout and bench/results/cold_start-<time>.json.
"""

from __future__ import annotations

import argparse
import atexit
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
sys.path.insert(0, str(ROOT / "bench"))
from compiled import compile_bot  # noqa: E402


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--question", default="Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?")
    args = parser.parse_args()
    cache = tempfile.mkdtemp(prefix="bench-cold-")
    atexit.register(shutil.rmtree, cache, True)  # the index and tables it builds: tens of MB, removed on exit
    env = dict(os.environ, BOT_CACHE_DIR=cache, PYTHONIOENCODING="utf-8")
    ask = [sys.executable, "-m", "bot", "--knowledge", str(ROOT / "knowledge"), "--config", str(ROOT / "config"),
           "ask", args.question, "--json"]
    numpy = [sys.executable, "-c", "import numpy"]
    compile_bot()  # cold runs read bytecode, as after `make` (bench/compiled.py)
    timed(ask, env)  # builds the index and the language-model cache
    samples: dict[str, list[float]] = {"bot ask --json": [], "python -c 'import numpy'": [],
                                       "python -c 'pass'": []}
    for _ in range(args.runs):
        samples["bot ask --json"].append(timed(ask, env))
        samples["python -c 'import numpy'"].append(timed(numpy, env))
        samples["python -c 'pass'"].append(timed([sys.executable, "-c", "pass"], env))
    rows = []
    print(f"{'command':<28} {'median s':>9} {'p90 s':>7} {'min s':>7}   ({args.runs} runs each)")
    for name, xs in samples.items():
        xs = sorted(xs)
        row = {"command": name, "median_s": statistics.median(xs), "p90_s": xs[int(0.9 * (len(xs) - 1))],
               "min_s": xs[0], "runs": len(xs)}
        rows.append(row)
        print(f"{name:<28} {row['median_s']:>9.3f} {row['p90_s']:>7.3f} {row['min_s']:>7.3f}")
    p = subprocess.run([sys.executable, "-X", "importtime", *ask[1:]], cwd=ROOT, env=env,
                       capture_output=True, text=True)
    imports = []
    for line in p.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, raw = line[len("import time:"):].split("|")
            cumulative = cumulative.strip()
            if cumulative.isdigit():
                depth = len(raw) - len(raw.lstrip(" "))
                imports.append((int(cumulative), raw.strip(), depth))
    top = [(us, name) for us, name, depth in imports if depth <= 1]
    top.sort(reverse=True)
    print("\nslowest top-level imports of `bot ask` (cumulative ms):")
    for us, name in top[:8]:
        print(f"  {us / 1000:7.1f}  {name}")
    heavy = sorted({n.split(".")[0] for _, n, _ in imports} & {"telegram", "pythainlp", "scipy", "tiktoken"})
    print(f"heavy modules imported: {', '.join(heavy) or 'none'}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    out = results / f"cold_start-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"question": args.question, "rows": rows, "heavy_imports": heavy,
                               "top_imports_ms": [[n, us / 1000] for us, n in top[:15]]}, indent=2))
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
