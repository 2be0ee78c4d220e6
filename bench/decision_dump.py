"""Features of the hit the decline model judges, for every question of every
QA set we have (bench/sweep.py's list: the shared sets when ../shared is
there, the probes and their folders), with whether the bot's first quote is
right: the data the decline model (answering/decision.py) is fitted and
checked on, grouped by knowledge folder.

    python bench/decision_dump.py OUT.pkl [--shared ../shared/eval] [--exclude p17] [--only p17]
                                          [--cache DIR]

`--cache DIR`: the caches of `bench/sweep.py run --cache DIR` (one per folder, in
the same order), so that a dump after a sweep embeds nothing again.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from sweep import sets  # noqa: E402


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower()).strip()


def word_features(svc, query, hit) -> dict:
    """Coverage variants of the hit: how much of the question's rare words it holds."""
    kb = svc.kb
    idx_c, idx_s = kb.chunk_index, kb.sentence_index
    words = query.words.get(hit.query_lang, [])
    chunk = kb.sentence_chunk[hit.sentence]
    out = {"n_words": len(words)}
    if not words or chunk < 0:
        return {**out, "cov_sq": 0.0, "sent_cov": 0.0, "miss_max": 1.0, "smiss_max": 1.0}
    tot = tot2 = got2 = sent_got = 0.0
    idfs, missing, smissing = [], [], []
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
        if in_sent == 0:
            smissing.append(mass)
    top = max(idfs) or 1.0
    return {**out, "cov_sq": got2 / tot2 if tot2 else 0.0, "sent_cov": sent_got / tot if tot else 0.0,
            "miss_max": max(missing) / top if missing else 0.0,
            "smiss_max": max(smissing) / top if smissing else 0.0}


def name_features(svc, question: str, query, hit) -> dict:
    """Whether the question writes names (answering/question_names.py) and
    the judged sentence's article (or a version of it) holds them all."""
    from bot.answering.question_names import question_names

    held = [svc.retriever.articles_naming(query, name.position)
            for name in question_names(question, query, svc.retriever.bridges.is_word, svc.settings.languages)
            if not name.is_word]
    article = svc.kb.articles[svc.retriever.scorer.sentence_article[hit.sentence]].id
    versions = {v.id for v in svc.kb.versions(article)}
    return {"n_names": float(len(held)), "named": float(bool(held) and all(h & versions for h in held))}


def topic_features(svc, question: str, hit) -> dict:
    """How close the question sits to the judged sentence's article as a whole,
    and to the rest of the folder: a question about an article's subject is near
    several of its sentences, one that merely shares a name is near one."""
    text = question[:svc.settings.semantic.max_embedded_question_chars]
    cos = np.asarray(svc.vectors.cosines(svc.embedder.embed_query(text)), dtype=float)
    art = np.asarray(svc.retriever.scorer.sentence_article)
    group = np.asarray(svc.retriever.scorer.article_group)
    a = art[hit.sentence]
    mine = np.sort(cos[art == a])[::-1]
    other = cos[group[art] != group[a]]
    return {"art_top3": float(mine[:3].mean()), "art_mean": float(mine.mean()),
            "art_top3_gap": float(hit.cosine - mine[1:4].mean()) if len(mine) > 1 else 0.0,
            "other_gap": float(hit.cosine - other.max()) if len(other) else 0.1,
            "folder_top10": float(np.sort(cos)[::-1][:10].mean())}


def focus_features(svc, question: str, lang: str, hit) -> dict:
    """The judged sentence seen from the question's focus (answering/focus.py: the
    question without its title words): its ordinary share, the best share over
    the hit's article, and the drop from the whole question's.  Without a focus
    the question is its own."""
    from bot.answering.baseline import ordinary_share

    text = question[:svc.settings.semantic.max_embedded_question_chars]
    focus = svc.retriever.focus_question(text, lang)
    if focus is None:
        return {"f_ord": hit.ordinary_share, "f_art": hit.ordinary_share, "f_drop": 0.0, "has_focus": 0.0}
    cos = np.asarray(svc.vectors.cosines(svc.embedder.embed_query(focus.text)), dtype=float)
    base = svc.retriever.arrays.ordinary_baseline(svc.vectors, svc.embedder)
    art = np.asarray(svc.retriever.scorer.sentence_article)
    mine = float(ordinary_share(base, np.array([cos[hit.sentence]]))[0])
    best = float(ordinary_share(base, np.array([cos[art == art[hit.sentence]].max()]))[0])
    return {"f_ord": mine, "f_art": best, "f_drop": hit.ordinary_share - mine, "has_focus": 1.0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--exclude", nargs="*", default=[])
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--cache", default="")
    args = ap.parse_args()
    from dataclasses import replace

    from bot.answering.service import QAService
    from bot.core.config import default_config_dir, load_settings
    from bot.core.scripts import other_scripts
    settings = load_settings(default_config_dir())
    # the model never declines here: every question gets its quotes, so each
    # row says whether the first one would be right (the rules still decline)
    settings = replace(settings, decline=replace(settings.decline, model_threshold=0.0))
    out = []
    services: dict[Path, QAService] = {}
    caches: dict[Path, Path] = {}
    for name, path, kdir in sets(Path(args.shared)):
        if any(name == x or name.startswith(x + "-") for x in args.exclude):
            continue
        if args.only and not any(name == x or name.startswith(x + "-") for x in args.only):
            continue
        if args.cache:  # bench/sweep.py's folder of caches for this knowledge folder
            os.environ["BOT_CACHE_DIR"] = str(caches.setdefault(kdir, Path(args.cache) / f"cache{len(caches)}"))
        svc = services.get(kdir) or services.setdefault(kdir, QAService.open(kdir, settings=settings))
        items = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        for it in items:
            q = it["question"]
            e = svc.explain(q)
            row = dict(set=name, folder=kdir.name, id=it["id"], kind=it["kind"], q=q, ans=it["answerable"],
                       answered=e.answer.answered, reason=e.answer.reason, ok=False, hits=len(e.hits))
            passages = e.answer.passages if e.answer.answered else []
            if it["answerable"] and passages:
                exp = [norm(x) for x in it["expect"]]
                row["ok"] = any(x in norm(passages[0].text) for x in exp)
            if e.hits:
                top = e.judged or e.hits[0]
                row.update(**topic_features(svc, q, top), **focus_features(svc, q, e.lang, top),
                           cos=top.cosine, cov=top.coverage, scov=top.sentence_coverage, bm25=top.bm25,
                           fused=top.score, cross=float(top.query_lang != e.lang),
                           cross_script=float(top.query_lang != e.lang and other_scripts(e.lang, top.query_lang)),
                           ordinary=top.ordinary_share, **name_features(svc, q, e.query, top),
                           **word_features(svc, e.query, top))
            row["ruled"] = not e.answer.answered and e.answer.reason not in ("weak_evidence", "no_match")
            out.append(row)
        print(name, len(items), file=sys.stderr)
    pickle.dump(out, open(args.out, "wb"))


if __name__ == "__main__":
    main()
