"""Dump every hit (sentence, score parts, coverage, matched terms) and answer of a question set, for
comparing two versions of the query path exactly:

    python bench/hits_dump.py --knowledge DIR --questions FILE.json|FILE.jsonl > out.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    ap.add_argument("--questions", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    from bot.answering.service import QAService

    text = args.questions.read_text(encoding="utf-8")
    if args.questions.suffix == ".jsonl":
        qs = [json.loads(line)["question"] for line in text.splitlines() if line.strip()]
    else:
        qs = [it["q"] for it in json.loads(text)]
    if args.limit:
        qs = qs[: args.limit]
    service = QAService.open(args.knowledge, ROOT / "config")
    for q in qs:
        ex = service.explain(q)
        hits = [[h.sentence, repr(h.score), repr(h.sentence_score), repr(h.chunk_score), repr(h.coverage),
                 h.query_lang, {t: repr(v) for t, v in h.matched.items()}, h.via,
                 repr(getattr(h, "cosine", None)), repr(getattr(h, "bm25", None)),
                 repr(getattr(h, "sentence_coverage", None))] for h in ex.hits]
        print(json.dumps({"q": q, "lang": ex.lang, "hits": hits, "answer": ex.answer.to_json()}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
