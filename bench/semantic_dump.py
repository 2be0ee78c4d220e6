"""Dump per-question, per-sentence evidence (BM25 parts, coverage, cosine, relevance)
for the QA sets, so fusion and decline models can be compared offline.

    python bench/semantic_dump.py OUT.pkl

Sets: dev + dev2 over knowledge/, corpus-b over ../shared/eval/corpus-b.
"""
from __future__ import annotations

import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = [("dev", SHARED / "dev.jsonl", ROOT / "knowledge"),
        ("dev2", SHARED / "dev2.jsonl", ROOT / "knowledge"),
        ("corpus-b", SHARED / "corpus-b.jsonl", SHARED / "corpus-b")]


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower()).strip()


def main() -> None:
    from bot.service import QAService
    extra = [a.split("=", 1) for a in sys.argv[2:]]
    sets = SETS + [(n, Path(p.split(":")[0]), Path(p.split(":")[1])) for n, p in extra]
    out = []
    for name, path, kdir in sets:
        svc = QAService.open(kdir)
        kb = svc.kb
        from bot.embedding import load_embedder
        from bot.knowledge_base import cache_dir_for
        from bot.semantic import open_vectors
        emb = load_embedder()
        from bot.quotability import Quotability
        qa = Quotability(kb)
        ctexts = [kb.by_id[c.article_id].text[kb.sentences[c.first].start:kb.sentences[c.last].end] for c in kb.chunks]
        import hashlib, os
        cpath = Path("/tmp/chunkvec-" + hashlib.sha256("".join(ctexts).encode()).hexdigest()[:12] + ".npy")
        if cpath.exists():
            cvec = np.load(cpath)
        else:
            cvec = emb.embed_passages(ctexts); np.save(cpath, cvec)
        sc = np.array(kb.sentence_chunk)
        quot = np.array([qa.quotable(i) for i in range(len(kb.sentences))])
        vecs = open_vectors(kb, emb, cache_dir_for(kdir))
        items = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
        n = len(kb.sentences)
        passages = [norm(svc.composer._passage(i, svc.composer._extend(i), 0).text) for i in range(n)]
        for it in items:
            q = it["question"]
            lang = svc.reply_language(q)
            feats = svc.retriever.features(q, lang) if hasattr(svc.retriever, "features") else None
            query, hits = svc.retriever.search(q, lang, limit=n)
            total = np.zeros(n); sent = np.zeros(n); cov = np.zeros(n); chunk = np.zeros(n)
            for h in hits:
                total[h.sentence] = h.score; sent[h.sentence] = h.sentence_score
                cov[h.sentence] = h.coverage; chunk[h.sentence] = h.chunk_score
            qv = emb.embed_query(q)
            cos = vecs.cosines(qv).astype(np.float32)
            ccos = np.where(sc >= 0, (cvec @ qv)[np.maximum(sc, 0)], 0)
            cw = svc.settings.retrieval.chunk_weight
            maxes = {}
            for l, words in query.words.items():
                ms = sum(max((c.weight * kb.sentence_index.idf_of(c.term) for c in w.candidates), default=0) for w in words)
                mc = sum(max((c.weight * kb.chunk_index.idf_of(c.term) for c in w.candidates), default=0) for w in words)
                maxes[l] = (ms, mc, ms + cw * mc, len(words))
            vocab = kb.sentence_index.vocab
            surf = {}
            for l, words in query.words.items():
                for w in words:
                    k = w.surface.casefold()
                    surf[k] = surf.get(k, False) or any(c.term in vocab for c in w.candidates)
            unknown = (sum(not v for v in surf.values()) / len(surf)) if surf else 1.0
            rel = np.zeros(n, dtype=bool)
            if it["answerable"]:
                exp = [norm(e) for e in it["expect"]]
                rel = np.array([any(e in p for e in exp) for p in passages])
            out.append(dict(set=name, id=it["id"], kind=it["kind"], lang=it["lang"], q=q, ulang=lang,
                            answerable=it["answerable"], total=total, sent=sent, cov=cov, chunk=chunk,
                            rel=rel, feats=feats, cos=cos, ccos=ccos, unknown=unknown, nsurf=len(surf), maxes=maxes, quot=quot, art=[s.article_id for s in kb.sentences],
                            slang=[s.lang for s in kb.sentences], dup=np.array([s.duplicate for s in kb.sentences]),
                            texts=[s.text for s in kb.sentences]))
        print(name, len(items), file=sys.stderr)
    pickle.dump(out, open(sys.argv[1], "wb"))


if __name__ == "__main__":
    main()
