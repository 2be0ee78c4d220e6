"""How a forced reply language (`ask --lang xx`, Telegram's /lang) changes the answers.

    .venv/bin/python bench/forced_language.py [--shared ../shared/eval] [--only SET ...] [--cache DIR]

A user who sets /lang sw and then asks in French wants the answer a French
question gets, in Swahili where the article has a Swahili version.  Each set runs
through the batch path (`bot ask --json -`, as bench/sweep.py does) once as asked and
once per other served language forced with `--lang`.  Per forced run, counted over
its questions:

- "same": the forced reply agrees with the one as asked: both declined, or both
  quote first from the same article group (an article and its translations), the
  same text when the quote stays in that article;
- group hit@1: the first quote is from the expected article's group (the translation
  in the forced language counts: the composer moves there);
- declined: off-topic questions declined.

Nothing asserts; it prints numbers.  The sets are sweep.py's (`--only` as there).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from sweep import sets  # noqa: E402

from bot.knowledge.corpus import parse_article  # noqa: E402

LANGS = ("fr", "sw", "th", "en")


def groups_of(folder: Path) -> dict[str, str]:
    """Article id -> its group (the article it translates, or itself), read with the bot's reader."""
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        try:
            article = parse_article(path, path.read_text(encoding="utf-8"), lambda _body: "und")
        except Exception:  # a broken article is reported by the bot, not here
            continue
        out[article.id] = article.group
    return out


def replies(questions: list[str], folder: Path, cache: Path, lang: str | None) -> list[dict]:
    env = dict(os.environ, BOT_KNOWLEDGE_DIR=str(folder), BOT_CACHE_DIR=str(cache), PYTHONIOENCODING="utf-8")
    cmd = [sys.executable, "-m", "bot", "ask", "--json", "-"] + (["--lang", lang] if lang else [])
    feed = "\n".join(q.replace("\n", " ") for q in questions) + "\n"
    proc = subprocess.run(cmd, cwd=ROOT, input=feed, capture_output=True, text=True, env=env, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def first(reply: dict, groups: dict[str, str]) -> tuple[str, str, str] | None:
    """(group, article, text) of the first quote, None when declined."""
    if not reply.get("answered") or not reply.get("passages"):
        return None
    p = reply["passages"][0]
    return groups.get(p["article"], p["article"]), p["article"], p["text"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--only", action="append", default=[], metavar="SET")
    ap.add_argument("--cache", type=Path, help="keep the caches here across runs (default: a fresh folder)")
    args = ap.parse_args()
    totals = {"n": 0, "same": 0, "ans": 0, "group_hit": 0, "natural_group_hit": 0, "off": 0, "declined": 0,
              "natural_declined": 0}
    with tempfile.TemporaryDirectory(prefix="forced-language-") as fresh:
        cache = args.cache or Path(fresh)
        print(f"{'set':<12}{'forced asks':>12}{'same':>8}{'group hit@1 (as asked)':>26}{'declined (as asked)':>24}")
        for name, path, folder in sets(args.shared):
            if args.only and not any(name == x or name.startswith(x + "-") for x in args.only):
                continue
            items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            groups = groups_of(folder)
            questions = [it["question"] for it in items]
            natural = replies(questions, folder, cache, None)
            row = dict.fromkeys(totals, 0)
            for lang in LANGS:
                forced = replies(questions, folder, cache, lang)
                for it, a, b in zip(items, natural, forced, strict=True):
                    if it["lang"] == lang:
                        continue  # forcing the question's own language changes nothing to measure
                    fa, fb = first(a, groups), first(b, groups)
                    row["n"] += 1
                    # the same quote, or one from another version of the same article
                    row["same"] += (fa is None and fb is None) or (
                        fa is not None and fb is not None and fa[0] == fb[0] and (fa[1] != fb[1] or fa[2] == fb[2]))
                    if it["answerable"]:
                        want = groups.get(it["article"], it["article"])
                        row["ans"] += 1
                        row["group_hit"] += fb is not None and fb[0] == want
                        row["natural_group_hit"] += fa is not None and fa[0] == want
                    else:
                        row["off"] += 1
                        row["declined"] += fb is None
                        row["natural_declined"] += fa is None
            for k in totals:
                totals[k] += row[k]
            print(line(name, row), flush=True)
        print(line("all", totals))


def line(name: str, r: dict) -> str:
    pct = lambda a, b: f"{100 * a / b:5.1f}" if b else "    -"  # noqa: E731
    return (f"{name:<12}{r['n']:>12}{pct(r['same'], r['n']):>8}"
            f"{pct(r['group_hit'], r['ans']) + ' (' + pct(r['natural_group_hit'], r['ans']).strip() + ')':>26}"
            f"{pct(r['declined'], r['off']) + ' (' + pct(r['natural_declined'], r['off']).strip() + ')':>24}")


if __name__ == "__main__":
    main()
