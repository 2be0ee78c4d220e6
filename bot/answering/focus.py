"""The question without the words that name an article: what it asks about it.

A question about an article usually names it ("… at the clothes fair in
Montbrison-les-Prés?", "คลินิกทันตกรรมยิ้มสดใสเปิดกี่โมง").  Those words find the
article, but the embedding of the whole question then sits closest to the
sentence that names the article best, the lead sentence, whatever was asked.
Embedded without them ("What items are not allowed for sale at the …?",
"เปิดกี่โมง"), the question is nearer to the sentence that answers.  The
retriever mixes that second cosine into the semantic part of the fusion
(`semantic.focus_weight`); BM25 still sees every word, and the decline model
still reads the whole question's cosine.

The words that name an article are the words of the knowledge's titles, as the
question's analyzer reads them, or written the same way (a name shared across
languages).  Nothing here knows a particular folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.knowledge.analysis.base import Analyzer

_LETTERS = re.compile(r"[^\W\d_]{2}")


@dataclass(frozen=True)
class TitleWords:
    """The knowledge's titles as one language's analyzer reads them."""

    terms: frozenset[str]  # index terms of every title
    surfaces: frozenset[str]  # every title word as written, casefolded

    @classmethod
    def of(cls, titles: Iterable[str], analyzer: Analyzer) -> "TitleWords":
        terms: set[str] = set()
        surfaces: set[str] = set()
        for title in titles:
            terms.update(analyzer.analyze(title))
            surfaces.update(w.casefold() for w in re.findall(r"\w+", title))
        return cls(frozenset(terms), frozenset(surfaces))

    def names(self, surface: str, term: str) -> bool:
        """Whether a question word (as written, and as its index term) is a title word."""
        return term in self.terms or surface.casefold() in self.surfaces


def focused(question: str, analyzer: Analyzer, titles: TitleWords) -> str | None:
    """`question` with its words that are title words taken out, or None when it
    has none or nothing but them is left (then the question is its own focus).
    Every word the analyzer segments is found in turn where it stands, stop
    words too, so a short Thai title word is never cut out of a longer word
    (นา, a rice field, out of นาที, a minute)."""
    spans: list[tuple[int, int]] = []
    at = 0
    for kind, token in analyzer.segment(question):
        start = question.find(token, at)
        if start < 0:  # normalised on the way (a Thai spelling): left in
            continue
        at = start + len(token)
        term = analyzer.term(kind, token)
        if term and titles.names(token, term):
            spans.append((start, at))
    if not spans:
        return None
    kept, last = [], 0
    for start, end in spans:
        kept.append(question[last:start])
        last = end
    kept.append(question[last:])
    text = " ".join(" ".join(kept).split())
    return text if _LETTERS.search(text) else None
