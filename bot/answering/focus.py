"""The question without the words that name an article: what it asks about it.

A question about an article usually names it ("… at the clothes fair in
Montbrison-les-Prés?", "คลินิกทันตกรรมยิ้มสดใสเปิดกี่โมง").  Those words find the
article, but the embedding of the whole question then sits closest to the
sentence that names the article best, the lead sentence, whatever was asked.
Embedded without them ("What items are not allowed for sale at the …?",
"เปิดกี่โมง"), the question is nearer to the sentence that answers.  The
retriever mixes that second cosine into the semantic part of the fusion
(`semantic.focus_weight`) for the sentences of the articles those words name
(the focus chooses among them; elsewhere the whole question still speaks);
the decline model still reads the whole question's cosine.  BM25 sees every
word, the title words at the article's level: they count for every sentence
of the articles whose titles hold them alike (`scoring.title_words_by_article`,
Retriever.rank, which reads the same `TitleWords`).

The words that name an article are the words of the knowledge's titles, as the
question's analyzer reads them, or written the same way (a name shared across
languages).  Nothing here knows a particular folder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.analysis.base import Analyzer

_LETTERS = re.compile(r"[^\W\d_]{2}")
# The title words stored beside an index (answering/index_arrays.py) are rebuilt
# when this file changes (the index's stamp changes with the analyzers).
FOCUS_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class TitleWords:
    """The knowledge's titles as one language's analyzer reads them: the
    articles (by number) whose title holds each word."""

    terms: dict[str, frozenset[int]]  # index term -> articles
    surfaces: dict[str, frozenset[int]]  # word as written, casefolded -> articles

    @classmethod
    def of(cls, titles: Iterable[str], analyzer: Analyzer) -> "TitleWords":
        """`titles` in the order of the knowledge's articles."""
        terms: dict[str, set[int]] = {}
        surfaces: dict[str, set[int]] = {}
        for number, title in enumerate(titles):
            for term in analyzer.analyze(title):
                terms.setdefault(term, set()).add(number)
            for word in re.findall(r"\w+", title):
                surfaces.setdefault(word.casefold(), set()).add(number)
        return cls({t: frozenset(a) for t, a in terms.items()}, {w: frozenset(a) for w, a in surfaces.items()})

    def to_json(self) -> dict[str, dict[str, list[int]]]:
        return {"terms": {t: sorted(a) for t, a in self.terms.items()},
                "surfaces": {w: sorted(a) for w, a in self.surfaces.items()}}

    @classmethod
    def from_json(cls, value: dict[str, dict[str, list[int]]]) -> "TitleWords":
        return cls({t: frozenset(a) for t, a in value["terms"].items()},
                   {w: frozenset(a) for w, a in value["surfaces"].items()})

    def articles(self, surface: str, term: str) -> frozenset[int]:
        """The articles a question word (as written, and as its index term) names;
        empty when it is no title word."""
        return self.terms.get(term, frozenset()) | self.surfaces.get(surface.casefold(), frozenset())


@dataclass(frozen=True)
class Focus:
    """What the question asks about the articles it names."""

    text: str  # the question without their title words
    articles: frozenset[int]  # the articles named: the focus chooses among their sentences


def focused(question: str, analyzer: Analyzer, titles: TitleWords) -> Focus | None:
    """`question` with its words that are title words taken out, and the articles
    they name; None when it has none or nothing but them is left (then the
    question is its own focus).  Every word the analyzer segments is found in
    turn where it stands, stop words too, so a short Thai title word is never
    cut out of a longer word (นา, a rice field, out of นาที, a minute)."""
    spans: list[tuple[int, int]] = []
    named: set[int] = set()
    at = 0
    for kind, token in analyzer.segment(question):
        start = question.find(token, at)
        if start < 0:  # normalised on the way (a Thai spelling): left in
            continue
        at = start + len(token)
        term = analyzer.term(kind, token)
        articles = titles.articles(token, term) if term else frozenset()
        if articles:
            spans.append((start, at))
            named |= articles
    if not spans:
        return None
    kept, last = [], 0
    for start, end in spans:
        kept.append(question[last:start])
        last = end
    kept.append(question[last:])
    text = " ".join(" ".join(kept).split())
    return Focus(text, frozenset(named)) if _LETTERS.search(text) else None
