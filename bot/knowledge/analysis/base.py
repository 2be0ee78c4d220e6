"""The analyzer template: segment -> normalise -> drop stop words -> stem.

One subclass per language overrides the small hooks, as rank_bm25 does with
its variants.  The same analyzer serves indexing and questions, so a word in
a question and the same word in an article always give the same term.
Accents are folded before stemming, so that the stemmer sees the same input
for "actualité" and a chat question's "actualite" and returns the same stem.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

from bot.core.scripts import THAI_RUN

# Latin-script words, numbers with decimal/thousand separators, currency signs.
_TOKEN = re.compile(r"(?P<num>\d+(?:[.,]\d+)*)|(?P<word>[^\W\d_]+)|(?P<cur>[$€£¥฿])")


def fold_accents(word: str) -> str:
    """Remove combining marks from Latin-script words (never from Thai)."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Currency names -> the sign the articles print ("50 ดอลลาร์", "400 dollars",
# "400 $" and "$400" all give the terms "50"/"400" and "$").
CURRENCY_WORDS = {
    **dict.fromkeys(["dollar", "dollars", "usd", "dola", "ดอลลาร์", "ดอลล่าร์"], "$"),
    **dict.fromkeys(["euro", "euros", "eur", "yuro", "ยูโร"], "€"),
    **dict.fromkeys(["pound", "pounds", "livre sterling", "pauni", "ปอนด์"], "£"),
    **dict.fromkeys(["yen", "yens", "เยน"], "¥"),
    **dict.fromkeys(["baht", "bahts", "บาท"], "฿"),
}


def normalise_number(number: str) -> str:
    """'12,50' and '12.50' are the same amount; '1.000' keeps its digits;
    Thai digits are written as ASCII digits."""
    return number.translate(_THAI_DIGITS).replace(",", ".")


@cache
def load_word_list(name: str) -> frozenset[str]:
    """A whitespace-separated word list shipped in `bot/knowledge/analysis/data/`."""
    text = resources.files("bot.knowledge.analysis").joinpath("data", name).read_text(encoding="utf-8")
    words = []
    for line in text.splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return frozenset(words)


class Analyzer:
    """Base analyzer: Latin-script tokenisation, no stemming, no stop words."""

    lang = "xx"
    stopword_file: str | None = None

    def __init__(self) -> None:
        self.stopwords: frozenset[str] = load_word_list(self.stopword_file) if self.stopword_file else frozenset()

    # -- hooks -------------------------------------------------------------
    def segment(self, text: str) -> list[tuple[str, str]]:
        """(kind, token) pairs; kind is 'word', 'num' or 'cur'.

        Thai runs are not words to this regex (vowel and tone marks are not
        word characters), so the base class keeps them whole as 'thai' tokens;
        the Thai analyzer segments them with a dictionary instead.
        """
        out: list[tuple[str, str]] = []
        pos = 0
        for run in THAI_RUN.finditer(text):
            out.extend(self._latin(text[pos:run.start()]))
            out.append(("thai", run.group()))
            pos = run.end()
        out.extend(self._latin(text[pos:]))
        return out

    def _latin(self, text: str) -> list[tuple[str, str]]:
        text = unicodedata.normalize("NFC", text)
        return [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(text)]

    def normalise(self, word: str) -> str:
        return word.casefold()

    def stem(self, word: str) -> str:
        return word

    # -- pipeline ----------------------------------------------------------
    def term(self, kind: str, token: str) -> str | None:
        """The index term for one token, or None when it carries no meaning."""
        if kind == "num":
            return normalise_number(token)
        if kind == "cur":
            return token
        word = self.normalise(token)
        if word in CURRENCY_WORDS:
            return CURRENCY_WORDS[word]
        if kind == "word" and (len(word) < 2 or word in self.stopwords or fold_accents(word) in self.stopwords):
            return None
        if kind == "thai":
            return word
        return self.stem(fold_accents(word))

    def analyze_pairs(self, text: str, drop: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """(surface, term) pairs: the 'why' view shows which word made which term.

        `drop` holds extra stop words (those of the question's own language
        when a question is analysed for an article in another language).
        """
        pairs = []
        for kind, token in self.segment(text):
            if drop and token.casefold() in drop:
                continue
            term = self.term(kind, token)
            if term:
                pairs.append((token, term))
        return pairs

    # Words with which a question points at the text itself ("selon l'article",
    # "in the blog post", "kwa mujibu wa makala"): they name nothing in it, and a
    # bridge read "article" as a thing (-> commodity -> ขาย, to sell).  Matched
    # with their determiner, so that "un article étiqueté" (an item) stays.
    # (The nouns of "à quel moment", "what kind of", "aina gani" were measured
    # too: no answer changed over 112 sets.)
    question_framing: re.Pattern[str] | None = None

    def question_pairs(self, question: str) -> list[tuple[str, str]]:
        """(surface, term) pairs of a question in this language: as
        `analyze_pairs`, minus words that only shape the question."""
        return self.analyze_pairs(self.unframed(question))

    def unframed(self, question: str) -> str:
        """The question without its `question_framing` words."""
        return self.question_framing.sub(" ", question) if self.question_framing is not None else question

    def analyze(self, text: str, drop: frozenset[str] = frozenset()) -> list[str]:
        """Index terms of `text`, in order, repeats kept (BM25 counts them)."""
        return [term for _, term in self.analyze_pairs(text, drop)]
