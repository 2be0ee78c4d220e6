"""How well a sentence is mapped to its translation (quotes.translation_position_pull).

The reply language chooses the translation (answering/passages.py
`Quoter.in_language`): a hit in article A is quoted from A's version B in the
reply language, at B's sentence closest in meaning plus `pull` times how
close its relative position is.  Reference pairs: paragraphs of A and B with
the same number of sentences, aligned sentence by sentence (the same pairs
the aligned bridge learns from).  Prints the share mapped right per pull.

    python bench/translation_alignment.py [KNOWLEDGE_DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from bot.answering.service import QAService

    svc = QAService.open(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "knowledge")
    kb, quoter = svc.kb, svc.composer.quoter
    pairs = []
    for a in kb.articles:
        for b in kb.versions(a.id):
            if b.id == a.id:
                continue
            pa: dict[int, list[int]] = {}
            pb: dict[int, list[int]] = {}
            for i, s in enumerate(kb.sentences):
                if not s.duplicate and s.article_id == a.id:
                    pa.setdefault(s.paragraph, []).append(i)
                if not s.duplicate and s.article_id == b.id:
                    pb.setdefault(s.paragraph, []).append(i)
            if len(pa) != len(pb):
                continue
            for (_, xs), (_, ys) in zip(sorted(pa.items()), sorted(pb.items())):
                if len(xs) == len(ys):
                    pairs.extend((x, y, b.lang) for x, y in zip(xs, ys) if quoter.quotable(x) and quoter.quotable(y))
    print(f"{len(pairs)} reference sentence pairs")
    from bot.answering.retrieval import Hit
    for pull in (0.0, 0.05, 0.1, 0.2, 0.5, 100.0):
        quoter.settings = type(quoter.settings)(**{**quoter.settings.__dict__, "translation_position_pull": pull})
        right = 0
        for x, y, lang in pairs:
            hit = Hit(sentence=x, score=1.0, sentence_score=0, chunk_score=0, coverage=0, query_lang="")
            right += quoter.in_language([hit], lang)[0].sentence == y
        label = "position only" if pull == 100.0 else f"pull {pull}"
        print(f"{label:14s} {100 * right / max(len(pairs), 1):5.1f} % mapped to the reference sentence")


if __name__ == "__main__":
    main()
