"""Features of the best hit for every question of the QA sets, as the bot
ranks it, with whether its first quote is right: the data the decline model
(bot/decision.py) is fitted and checked on.

    python bench/decision_dump.py OUT.pkl
"""
from __future__ import annotations

import json
import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = [("dev", SHARED / "dev.jsonl", ROOT / "knowledge"),
        ("dev2", SHARED / "dev2.jsonl", ROOT / "knowledge"),
        ("corpus-b", SHARED / "corpus-b.jsonl", SHARED / "corpus-b")]


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower()).strip()


def word_features(svc, query, hit) -> dict:
    """Coverage variants of the best hit: how much of the question's rare words it holds."""
    kb = svc.kb
    idx_c, idx_s = kb.chunk_index, kb.sentence_index
    lang = hit.query_lang
    words = query.words.get(lang, [])
    chunk = kb.sentence_chunk[hit.sentence]
    out = {"n_words": len(words)}
    if not words or chunk < 0:
        return {**out, "cov_sq": 0.0, "sent_cov": 0.0, "miss_max": 1.0}
    tot = tot2 = got2 = sent_got = 0.0
    idfs, missing = [], []
    for w in words:
        mass = max((idx_c.idf_of(c.term) for c in w.candidates), default=idx_c.idf_of("\x00unseen"))
        in_chunk = max((c.weight for c in w.candidates if idx_c.contributions([c.term], chunk)), default=0.0)
        in_sent = max((c.weight for c in w.candidates if idx_s.contributions([c.term], hit.sentence)), default=0.0)
        tot += mass
        tot2 += mass * mass
        got2 += mass * mass * min(in_chunk, 1.0)
        sent_got += mass * min(in_sent, 1.0)
        idfs.append(mass)
        if in_chunk == 0:
            missing.append(mass)
    return {**out, "cov_sq": got2 / tot2 if tot2 else 0.0, "sent_cov": sent_got / tot if tot else 0.0,
            "miss_max": (max(missing) / max(idfs)) if missing else 0.0}


def main() -> None:
    from bot.answering.service import QAService
    out = []
    for name, path, kdir in SETS:
        svc = QAService.open(kdir)
        items = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        for it in items:
            q = it["question"]
            e = svc.explain(q)
            row = dict(set=name, id=it["id"], kind=it["kind"], q=q, ans=it["answerable"], answered=e.answer.answered,
                       reason=e.answer.reason, ok=False, hits=len(e.hits))
            if e.hits:
                top = e.hits[0]
                passages = svc.composer.passages(svc.composer.in_language(e.hits, e.lang))
                if it["answerable"] and passages:
                    exp = [norm(x) for x in it["expect"]]
                    row["ok"] = any(x in norm(passages[0].text) for x in exp)
                row.update(cos=top.cosine, cov=top.coverage, scov=top.sentence_coverage, bm25=top.bm25, fused=top.score,
                           cross=float(top.query_lang != e.lang), **word_features(svc, e.query, top))
            out.append(row)
        print(name, len(items), file=sys.stderr)
    pickle.dump(out, open(sys.argv[1], "wb"))


if __name__ == "__main__":
    main()
