"""Thai: dictionary word segmentation (pythainlp newmm, offline dictionary).

Thai writes no spaces between words, so runs of Thai script are segmented
with pythainlp's maximal-matching engine; Latin words inside Thai text
(TCO, ROI, CPC) go through the English analyzer.  pythainlp is imported only
when a text actually contains Thai, so questions in other languages never pay
its start-up cost.
"""

from __future__ import annotations

import os
from functools import cached_property

from bot.analysis.base import CURRENCY_WORDS, Analyzer, load_word_list, normalise_number
from bot.analysis.snowball import EnglishAnalyzer

# Never fetch or write corpora at run time: everything we use is bundled.
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")


class ThaiAnalyzer(Analyzer):
    lang = "th"

    def __init__(self) -> None:
        super().__init__()
        self._latin_analyzer = EnglishAnalyzer()

    @cached_property
    def _thai(self):
        from pythainlp.corpus import thai_stopwords
        from pythainlp.tokenize import word_tokenize
        from pythainlp.util import normalize

        return word_tokenize, normalize, frozenset(thai_stopwords()) | load_word_list("th_stopwords_extra.txt")

    def segment(self, text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for kind, token in super().segment(text):
            if kind != "thai":
                out.append((kind, token))
                continue
            word_tokenize, normalize, _ = self._thai
            for word in word_tokenize(normalize(token), engine="newmm", keep_whitespace=False):
                out.append(("thai", word))
        return out

    def term(self, kind: str, token: str) -> str | None:
        if kind == "thai":
            if token in CURRENCY_WORDS:
                return CURRENCY_WORDS[token]
            if token.isdigit():  # Thai digits ๐-๙
                return normalise_number(token)
            return None if token in self._thai[2] else token
        return self._latin_analyzer.term(kind, token)
