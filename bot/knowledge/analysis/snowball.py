"""French and English: Snowball stemmers (PyStemmer, C speed) and stop words."""

from __future__ import annotations

import re
from functools import cached_property

from bot.knowledge.analysis.base import Analyzer


class SnowballAnalyzer(Analyzer):
    """An analyzer whose stemming hook is a Snowball algorithm."""

    algorithm = "english"

    @cached_property
    def _stemmer(self):
        import Stemmer

        return Stemmer.Stemmer(self.algorithm, 50_000)

    def stem(self, word: str) -> str:
        return self._stemmer.stemWord(word)


_D_APRES = re.compile(r"\b[dD]['’]\s*apr[eè]s\b")


class FrenchAnalyzer(SnowballAnalyzer):
    """French: elisions (l', d', qu', j' …) split at the apostrophe and dropped
    as stop words; accents folded, then Snowball French stems."""

    lang = "fr"
    algorithm = "french"
    stopword_file = "fr_stopwords.txt"

    def __init__(self) -> None:
        super().__init__()
        # Elided forms left behind by the apostrophe split.
        self.stopwords = self.stopwords | {"lorsqu", "puisqu", "jusqu", "quoiqu", "presqu"}

    # "selon l'article", "dans ce billet", "l'auteur du blog"; and the "do" of
    # "que fait-il", "qu'ont fait les élus" (Analyzer.question_framing)
    question_framing = re.compile(
        r"\b(?:l['’]\s*|(?:cet|ce|le|du|au)\s+)(?:article|texte|billet|blog)\b"
        r"|\bqu(?:e\s+|['’]\s*(?:a|ont|avait|avaient|aura|auront)\s+)"
        r"(?:fait|font|faisait|faisaient|fera|feront|ferait|feraient|faire)\b",
        re.IGNORECASE)

    def segment(self, text: str) -> list[tuple[str, str]]:
        # "d'après" is "according to" ("d'après l'auteur"), a framing of the
        # question like "selon" (a stop word), not the "après" of time.
        return super().segment(_D_APRES.sub(lambda m: " " * len(m.group()), text))


class EnglishAnalyzer(SnowballAnalyzer):
    lang = "en"
    algorithm = "english"
    stopword_file = "en_stopwords.txt"
    # "according to the article", "in this blog post" (not "an article of clothing")
    question_framing = re.compile(r"\b(?:the|this|that)\s+(?:blog\s+post|article|blog|text)\b", re.IGNORECASE)
