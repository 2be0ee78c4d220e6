"""Sentence pairs of the knowledge's translated articles, for the aligned lexicon.

The bridges learn a translation lexicon from the knowledge's own translations
(answering/aligned_lexicon.py, `Bridges.aligned`): two versions of one article are
aligned paragraph by paragraph, and inside a paragraph sentence by sentence.
This module reads those pairs from the knowledge base, and the digest of
everything they are read from, so that a stored lexicon is reused as long as
the translated articles have not changed.
"""

from __future__ import annotations

import hashlib

import numpy as np

from bot.knowledge.analysis import get_analyzer
from bot.knowledge.store import KnowledgeBase


class TranslationAlignment:
    """The aligned sentence pairs of one KnowledgeBase's translated articles."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._article_digests: dict[int, bytes] = {}  # article number -> digest of its text and sentences
        # the analyses of the last language pair aligned (its other direction reads the same texts)
        self._analysed: tuple[frozenset[str], dict[tuple[str, str], list[str]]] = (frozenset(), {})
        self._learned: set[tuple[str, str]] = set()

    def groups(self, src: str, dst: str) -> list[tuple[int, int]]:
        """(article number in src, article number of its dst version), in folder order."""
        kb = self.kb
        number = {a.id: i for i, a in enumerate(kb.articles)}
        return [(i, number[b.id]) for i, a in enumerate(kb.articles) if a.lang == src
                for b in kb.versions(a.id) if b.lang == dst]

    def pairs(self, src: str, dst: str) -> list[tuple[list[str], list[str]]]:
        """Sentence pairs (src terms, dst terms) of the knowledge's translations.

        Two versions of one article are aligned paragraph by paragraph; inside a
        paragraph sentence by sentence when both have as many, else the whole
        paragraphs form one pair.  Nothing is analysed unless the knowledge
        holds an article in `src` with a version in `dst`.  Only the translated
        articles' sentences are read (not every sentence of the knowledge, once
        per language pair), and a text analysed for src -> dst is not analysed
        again for dst -> src.
        """
        groups = self.groups(src, dst)
        if not groups:
            return []
        ana, anb = get_analyzer(src), get_analyzer(dst)
        pair = frozenset((src, dst))
        if self._analysed[0] != pair:  # one language pair's analyses kept at a time
            self._analysed = (pair, {})
        memo = self._analysed[1]

        def analysed(analyzer, lang: str, text: str) -> list[str]:
            found = memo.get((lang, text))
            if found is None:
                found = memo[lang, text] = analyzer.analyze(text)
            return found

        pairs: list[tuple[list[str], list[str]]] = []
        paragraphs: dict[int, dict[int, list[str]]] = {}
        for a, b in groups:
            pa, pb = self._paragraphs_of(a, paragraphs), self._paragraphs_of(b, paragraphs)
            if len(pa) != len(pb):
                continue
            for (_, xs), (_, ys) in zip(sorted(pa.items()), sorted(pb.items())):
                if len(xs) == len(ys):
                    pairs.extend((analysed(ana, src, x), analysed(anb, dst, y)) for x, y in zip(xs, ys))
                else:
                    pairs.append((ana.analyze(" ".join(xs)), anb.analyze(" ".join(ys))))
        self._learned.add((src, dst))
        if (dst, src) in self._learned:  # both directions done: the shared analyses are not needed again
            self._analysed = (frozenset(), {})
        return pairs

    def _paragraphs_of(self, number: int, memo: dict[int, dict[int, list[str]]]) -> dict[int, list[str]]:
        """Paragraph -> texts of the (non-duplicate) sentences of article `number`."""
        found = memo.get(number)
        if found is None:
            found = {}
            first, last = self.kb.article_ranges().get(self.kb.articles[number].id, (0, 0))
            text = self.kb.articles[number].text
            for start, end, paragraph, duplicate in self.kb.arrays.sentence_spans[first:last].tolist():
                if not duplicate:  # the sentence's text, as the sentence record gives it
                    found.setdefault(paragraph, []).append(text[start:end])
            memo[number] = found
        return found

    def source(self, src: str, dst: str) -> str:
        """Digest of what `pairs(src, dst)` reads: the translation groups,
        each version's text and sentence spans, the analysis code and the bot's
        version.  Equal digests give equal pairs, hence an equal lexicon."""
        from bot import __version__
        from bot.knowledge.analysis import analyzer_fingerprint

        digest = hashlib.sha256(f"{__version__}\0{analyzer_fingerprint()}\0{src}\0{dst}".encode())
        articles = self.kb.articles
        for a, b in self.groups(src, dst):
            for number in (a, b):
                digest.update(articles[number].id.encode("utf-8") + b"\0" + self._article_digest(number))
        return digest.hexdigest()[:32]

    def _article_digest(self, number: int) -> bytes:
        """The digest of article `number`'s text and sentence spans, once per article."""
        found = self._article_digests.get(number)
        if found is None:
            first, last = self.kb.article_ranges().get(self.kb.articles[number].id, (0, 0))
            spans = np.ascontiguousarray(self.kb.arrays.sentence_spans[first:last], dtype=np.int64)
            found = hashlib.sha256(self.kb.articles[number].text.encode("utf-8") + b"\0" + spans.tobytes()).digest()
            self._article_digests[number] = found
        return found
