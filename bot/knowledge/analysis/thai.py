"""Thai: dictionary word segmentation (pythainlp newmm, offline dictionary).

Thai writes no spaces between words, so runs of Thai script are segmented
with pythainlp's maximal-matching engine; Latin words inside Thai text
(TCO, ROI, CPC) go through the English analyzer.  pythainlp is imported only
when a text actually contains Thai, so questions in other languages never pay
its start-up cost.
"""

from __future__ import annotations

import os
import re
from functools import cached_property

from bot.knowledge.analysis.base import CURRENCY_WORDS, Analyzer, load_word_list, normalise_number
from bot.knowledge.analysis.snowball import EnglishAnalyzer

# Never fetch or write corpora at run time: everything we use is bundled.
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")


class WordSet:
    """pythainlp's dictionary as a set, for newmm's `custom_dict`.

    newmm only asks a dictionary for `prefixes(text, start)`: the words that
    start at `start`.  pythainlp's own Trie answers that by walking nodes, but
    building it from the 62k bundled words costs ~0.4 s on the first Thai
    question.  A set of words plus the set of their first four letters (to
    stop early) takes ~0.1 s to build and gives the same segmentation.
    """

    PREFIX_DEPTH = 4

    def __init__(self, words) -> None:
        self.words = frozenset(words)
        self.max_len = max(map(len, self.words), default=0)
        self.heads = {w[:k] for w in self.words for k in range(1, min(len(w), self.PREFIX_DEPTH) + 1)}

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found = []
        end = min(len(text), start + self.max_len)
        for stop in range(start + 1, end + 1):
            piece = text[start:stop]
            if stop - start <= self.PREFIX_DEPTH and piece not in self.heads:
                break
            if piece in self.words:
                found.append(piece)
        return found

    def __contains__(self, word: str) -> bool:
        return word in self.words


class ThaiAnalyzer(Analyzer):
    lang = "th"
    # "ตามบทความ" (according to the article), "ในบล็อก": the text itself (Analyzer.question_framing)
    question_framing = re.compile("บทความ|บล็อก|บล็อค")

    def __init__(self) -> None:
        super().__init__()
        self._latin_analyzer = EnglishAnalyzer()

    @cached_property
    def dictionary_words(self) -> frozenset[str]:
        """pythainlp's bundled Thai dictionary (62k words), loaded once: the
        segmenter's, and the answer types' test of a common word."""
        from pythainlp.corpus import thai_words

        return frozenset(thai_words())

    def normalize(self, text: str) -> str:
        """Thai marks in the standard order ("นำ้" -> "น้ำ"), as the articles are read."""
        return self._thai[1](text)

    @cached_property
    def _thai(self):
        from pythainlp.corpus import thai_stopwords
        from pythainlp.tokenize import word_tokenize
        from pythainlp.util import normalize

        dictionary = WordSet(self.dictionary_words)

        def segment(text: str) -> list[str]:
            return word_tokenize(text, engine="newmm", custom_dict=dictionary, keep_whitespace=False)

        return segment, normalize, frozenset(thai_stopwords()) | load_word_list("th_stopwords_extra.txt")

    def words(self, run: str) -> list[str]:
        """A run of Thai letters cut into dictionary words, as written (not
        normalised): where a terminal may wrap it (bot/console.py)."""
        segment, _, _ = self._thai
        return segment(run)

    def segment(self, text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for kind, token in super().segment(text):
            if kind != "thai":
                out.append((kind, token))
                continue
            segment, normalize, _ = self._thai
            for word in segment(normalize(token)):
                out.append(("thai", word))
        return out

    def question_pairs(self, question: str) -> list[tuple[str, str]]:
        """The word after กี่ ("how many") is a classifier, a counting unit,
        not the topic: "กรุงเทพมีประชากรกี่คน" asks about Bangkok's population,
        and its "คน" (person) alone matched every sentence about people.
        The words that point at the text itself ("ตามบทความ", according to the
        article) are left out too, as in the other languages (`question_framing`),
        and so is the "do" of "ทำอะไร" (what … do), a stop word in English."""
        pairs = []
        counted = False
        tokens = self.segment(self.unframed(question))
        for i, (kind, token) in enumerate(tokens):
            skip = (counted and kind == "thai") or (token == "ทำ" and tokens[i + 1:i + 2] == [("thai", "อะไร")])
            counted = token == "กี่"
            term = None if skip else self.term(kind, token)
            if term:
                pairs.append((token, term))
        return pairs

    def term(self, kind: str, token: str) -> str | None:
        if kind == "thai":
            if token in CURRENCY_WORDS:
                return CURRENCY_WORDS[token]
            if token.isdigit():  # Thai digits ๐-๙
                return normalise_number(token)
            return None if token in self._thai[2] else token
        return self._latin_analyzer.term(kind, token)
