"""Run every question set we have through the real batch path and keep each question's outcome.

    .venv/bin/python bench/sweep.py run OUT.json [--shared ../shared/eval]
    .venv/bin/python bench/sweep.py compare BEFORE.json AFTER.json

`run` feeds each set to `python -m bot ask --json -` (the path score.py measures) with its own
knowledge folder, and records, per question, whether it was a hit at
rank 1 / within 3, declined, and the reply language — scored exactly as ../shared/eval/score.py
scores (a passage is a hit when it holds one `expect` snippet, lowercased, whitespace collapsed).
Every set runs with one cache folder: each knowledge folder's index is its own there (the bot
keys it by the folder's path), and the rest (the bridge tables, the language model, the
embedding blocks) depends only on the bot and the text, so it is built once per run, not once
per folder (a copy per folder was ~70 MB, 5 GB a sweep).
The shared sets are used when the folder is there; the probes live in bench/.  Environment
variables (BOT_CONFIG_DIR for a settings variant) pass through.

`compare` prints hit@1 / hit@3 / declined per set and group for both runs, every question
whose hit or decline changed, and how many questions kept every field of their outcome (rank,
answer or decline and its reason, reply language, the quotes): a change meant to alter no
answer, such as splitting a module, should keep them all.  Nothing here asserts; it prints
numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def sets(shared: Path) -> list[tuple[str, Path, Path]]:
    """(name, questions, knowledge folder) for every set present."""
    found: list[tuple[str, Path, Path]] = []
    knowledge = ROOT / "knowledge"
    if shared.is_dir():
        found += [("dev", shared / "dev.jsonl", knowledge), ("dev2", shared / "dev2.jsonl", knowledge),
                  ("corpus-b", shared / "corpus-b.jsonl", shared / "corpus-b")]
    # probe numbers, a letter for a probe's variant ("25s": probe 25's small folder)
    numbers = sorted({m.group(1) for p in BENCH.glob("fresh_probe*.jsonl")
                      if (m := re.match(r"fresh_probe(\d+[a-z]?)(?:_|\.)", p.name))},
                     key=lambda n: (int(n.rstrip("abcdefghijklmnopqrstuvwxyz")), n))
    for n in numbers:
        for suffix, folder in (("", knowledge), ("_corpus_b", shared / "corpus-b"),
                               ("_folder", BENCH / f"probe{n}_folder")):
            path = BENCH / f"fresh_probe{n}{suffix}.jsonl"
            if path.exists() and folder.is_dir():
                found.append((f"p{n}{suffix.replace('_corpus_b', '-cb').replace('_folder', '-f')}", path, folder))
    return found


def run_set(questions: Path, folder: Path, cache: Path) -> list[dict]:
    items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    env = dict(os.environ, BOT_KNOWLEDGE_DIR=str(folder), BOT_CACHE_DIR=str(cache), PYTHONIOENCODING="utf-8")
    py = ROOT / ".venv" / "bin" / "python"
    feed = "\n".join(it["question"].replace("\n", " ") for it in items) + "\n"
    proc = subprocess.run([str(py if py.exists() else sys.executable), "-m", "bot", "ask", "--json", "-"],
                          cwd=ROOT, input=feed, capture_output=True, text=True, env=env, check=True)
    replies = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    out = []
    for it, reply in zip(items, replies, strict=True):
        passages = reply.get("passages") or []
        answered = bool(reply.get("answered"))
        rank = None
        if it["answerable"]:
            expect = [norm(e) for e in it["expect"]]
            rank = next((k + 1 for k, p in enumerate(passages) if any(e in norm(p.get("text", "")) for e in expect)),
                        None)
        out.append({"id": it["id"], "kind": it["kind"], "lang": it["lang"], "q": it["question"],
                    "answerable": it["answerable"], "answered": answered,
                    "rank": rank if answered else None, "lang_ok": reply.get("lang") == it["lang"],
                    "first": (passages[0].get("text", "")[:90] if passages and answered else ""),
                    "passages": [p.get("text", "") for p in passages[:3]] if answered else [],
                    "reason": reply.get("reason")})
    return out


def summary(rows: list[dict]) -> tuple[int, int, int, int, int]:
    ans = [r for r in rows if r["answerable"]]
    off = [r for r in rows if not r["answerable"]]
    return (sum(r["rank"] == 1 for r in ans), sum(bool(r["rank"]) and r["rank"] <= 3 for r in ans), len(ans),
            sum(not r["answered"] for r in off), len(off))


def fmt(s: tuple[int, int, int, int, int]) -> str:
    h1, h3, n, dec, un = s
    pct = lambda a, b: f"{100 * a / b:5.1f}" if b else "    -"  # noqa: E731
    return f"{pct(h1, n)} {pct(h3, n)} {pct(dec, un)}  ({h1}+{dec}={h1 + dec})"


def cmd_run(args: argparse.Namespace) -> None:
    result: dict[str, list[dict]] = {}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as fresh:
        cache = args.cache or Path(fresh)
        for name, questions, folder in sets(args.shared):
            if any(name == x or name.startswith(x + "-") for x in args.exclude):
                continue
            if args.only and not any(name == x or name.startswith(x + "-") for x in args.only):
                continue
            result[name] = run_set(questions, folder, cache)
            print(f"{name:<12}{fmt(summary(result[name]))}", flush=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=0), encoding="utf-8")
    total = [r for rows in result.values() for r in rows]
    print(f"{'all':<12}{fmt(summary(total))}")


# What a question's outcome is, for `compare`'s count of identical ones.
_OUTCOME = ("rank", "answered", "reason", "lang_ok", "passages")


def cmd_compare(args: argparse.Namespace) -> None:
    before = json.loads(Path(args.before).read_text(encoding="utf-8"))
    after = json.loads(Path(args.after).read_text(encoding="utf-8"))
    groups: dict[str, tuple[list[dict], list[dict]]] = {}
    print(f"{'set':<12}{'before (hit@1 hit@3 declined)':<38}after")
    for name in before:
        if name not in after:
            continue
        print(f"{name:<12}{fmt(summary(before[name])):<38}{fmt(summary(after[name]))}")
        for key in ("all", "shared" if name in ("dev", "dev2", "corpus-b") else "probes"):
            b, a = groups.setdefault(key, ([], []))
            b += before[name]
            a += after[name]
    for kind in sorted({r["kind"] for rows in before.values() for r in rows}):
        b = [r for rows in before.values() for r in rows if r["kind"] == kind]
        a = [r for name in before if name in after for r in after[name] if r["kind"] == kind]
        groups[f"kind:{kind}"] = (b, a)
    print()
    for key, (b, a) in groups.items():
        print(f"{key:<16}{fmt(summary(b)):<34}{fmt(summary(a))}")
    print()
    for name in before:
        for rb, ra in zip(before[name], after.get(name, []), strict=False):
            good_b = rb["rank"] == 1 if rb["answerable"] else not rb["answered"]
            good_a = ra["rank"] == 1 if ra["answerable"] else not ra["answered"]
            if good_b != good_a or (args.all and rb["rank"] != ra["rank"]):
                tag = "FIXED" if good_a and not good_b else "BROKE" if good_b and not good_a else "moved"
                print(f"{tag} {name} {ra['id']} [{ra['kind']}] {ra['q'][:70]!r} rank {rb['rank']}->{ra['rank']}"
                      f" answered {rb['answered']}->{ra['answered']}")
    # a change meant to alter no answer (a refactor) is checked by every field, quotes included
    pairs = [(rb, ra) for name in before for rb, ra in zip(before[name], after.get(name, []), strict=False)]
    same = sum(all(rb.get(k) == ra.get(k) for k in _OUTCOME) for rb, ra in pairs)
    print(f"\nidentical outcome ({', '.join(_OUTCOME)}): {same} of {len(pairs)} questions")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run")
    run.add_argument("out")
    run.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "eval")
    run.add_argument("--exclude", action="append", default=[], metavar="SET",
                     help="leave out a set and its folder's (e.g. p11: a probe not to be seen yet)")
    run.add_argument("--only", action="append", default=[], metavar="SET",
                     help="run only this set and its folder's (repeatable)")
    run.add_argument("--cache", type=Path, help="keep the caches here across runs (default: fresh; one "
                     "folder per mode: the index of a folder is the same path with and without embeddings)")
    comp = sub.add_parser("compare")
    comp.add_argument("before")
    comp.add_argument("after")
    comp.add_argument("--all", action="store_true", help="also list rank moves that change no outcome")
    args = ap.parse_args()
    cmd_run(args) if args.cmd == "run" else cmd_compare(args)


if __name__ == "__main__":
    main()
