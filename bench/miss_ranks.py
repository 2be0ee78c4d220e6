"""Where the expected sentence of each answerable question ranks: among the
retriever's hits and among the answer's quotes.

    .venv/bin/python bench/miss_ranks.py OUT.jsonl [--shared ../shared/eval] [--exclude p43 ...]
                                         [--cache DIR]

Runs every set of bench/sweep.py through `QAService.explain` (the path the bot
answers by, with its hits kept) and writes one line per question: the hit rank
and the quote rank of the expected sentence (a hit or quote holding one `expect`
snippet, as score.py counts; a hit on a Thai fragment holds what the rest of its
line quoted with it holds), whether it was answered and why not, and the first
hits' articles, scores, cosines and BM25 parts.  Then prints, for the answerable
questions not right first, how many had the expected sentence at each hit rank,
answered or declined: a sentence second behind another of its article is a
ranking miss, one not among the hits at all a retrieval miss.  Nothing here
asserts; it prints numbers (docs/quality.md, twentieth round).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sweep import norm, sets  # noqa: E402  (the sets and the matching of bench/sweep.py)


def rank_of(texts: list[str], expect: list[str]) -> int | None:
    """1-based rank of the first text holding an expected snippet."""
    return next((k + 1 for k, t in enumerate(texts) if any(e in norm(t) for e in expect)), None)


def quoted(service, sentence: int) -> str:
    """The text a quote starting from this hit spans before any extension: a Thai
    fragment with the rest of its sentence (Quoter._sentence_of), so that a hit
    on a line's fragment counts as holding what its line holds."""
    first, last = service.composer.quoter._sentence_of(sentence)
    s = service.kb.sentences
    return service.kb.by_id[s[first].article_id].text[s[first].start:s[last].end]


def bucket(rank: int | None) -> str:
    if rank is None:
        return "none"
    return {1: "1", 2: "2", 3: "3"}.get(rank) or ("4-5" if rank <= 5 else "6-10" if rank <= 10 else ">10")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--exclude", nargs="*", default=[])
    ap.add_argument("--cache", type=Path, help="one cache folder per knowledge folder under it (as sweep.py)")
    args = ap.parse_args()
    from bot.answering.service import QAService
    from bot.core.config import default_config_dir

    by_folder: dict[Path, list[tuple[str, Path]]] = {}
    for name, questions, folder in sets(args.shared):
        if not any(name == x or name.startswith(x + "-") for x in args.exclude):
            by_folder.setdefault(folder, []).append((name, questions))
    counts: collections.Counter = collections.Counter()
    with open(args.out, "w", encoding="utf-8") as out:
        for n, (folder, named) in enumerate(by_folder.items()):
            if args.cache:
                os.environ["BOT_CACHE_DIR"] = str(args.cache / f"cache{n}")
            service = QAService.open(folder, default_config_dir())
            sentences = service.kb.sentences
            for name, questions in named:
                for line in questions.read_text(encoding="utf-8").splitlines():
                    if not line.strip():
                        continue
                    item = json.loads(line)
                    ex = service.explain(item["question"])
                    answer = ex.answer.to_json()
                    expect = [norm(e) for e in item["expect"]]
                    hit_rank = rank_of([quoted(service, h.sentence) for h in ex.hits], expect) if expect else None
                    quote_rank = rank_of([p.get("text", "") for p in answer.get("passages") or []], expect)
                    top = ex.hits[:3]
                    row = {"set": name, "id": item["id"], "kind": item["kind"], "q": item["question"],
                           "answerable": item["answerable"], "answered": bool(answer.get("answered")),
                           "reason": answer.get("reason"), "hit_rank": hit_rank,
                           "quote_rank": quote_rank if answer.get("answered") else None,
                           "expected_article": item.get("article"),
                           "articles": [sentences[h.sentence].article_id for h in top],
                           "scores": [round(h.score, 4) for h in top], "cosines": [round(h.cosine, 4) for h in top],
                           "bm25": [round(h.bm25, 4) for h in top],
                           "texts": [sentences[h.sentence].text[:150] for h in top]}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    if item["answerable"] and not (row["answered"] and row["quote_rank"] == 1):
                        counts[("answered" if row["answered"] else "declined", bucket(hit_rank))] += 1
    print("answerable questions not right first, by the expected sentence's rank among the hits")
    for how in ("answered", "declined"):
        cells = "  ".join(f"{b}: {counts[(how, b)]}" for b in ("1", "2", "3", "4-5", "6-10", ">10", "none"))
        print(f"{how:<9} {cells}")


if __name__ == "__main__":
    main()
