"""The question as weighted terms of every knowledge language.

The question is analysed once with the analyzer of its own language; then, for
every knowledge language, each word becomes a `QueryWord`: the word itself as
that language's analyzer sees it (so names, numbers and cognates such as
"Bitwise", "$400", "TCO" match across languages) plus the weighted terms the
bridges offer (synonyms, translations; answering/bridges.py), always weighted
below the user's own words.  Retrieval (answering/retrieval.py) scores the
sentences for these terms; the decision and the composer read which words were
asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answering.bridges import Bridges, QueryWord
from bot.core.scripts import has_thai
from bot.knowledge.analysis import get_analyzer, stopwords_of


@dataclass(frozen=True)
class QueryAnalysis:
    """The question's terms as each knowledge language's analyzer sees them."""

    lang: str
    words: dict[str, list[QueryWord]] = field(default_factory=dict)
    weights: dict[str, dict[str, float]] = field(default_factory=dict)  # the weighted BM25 query

    def surfaces(self) -> dict[str, list[tuple[str, str]]]:
        """Per knowledge language: (question word, term), expansions marked (the REPL's /debug)."""
        return {lang: [(qw.surface, c.term if not c.via else f"{c.term} [{c.via}, x{c.weight:.2f}]")
                       for qw in qwords for c in qw.candidates]
                for lang, qwords in self.words.items()}

    def knows_a_word(self, indexed: Callable[[str], bool]) -> bool:
        """Whether some word of the question is `indexed` or known to a bridge
        (dictionary, thesaurus, word vectors...): a word neither indexed nor
        known to any of them ("asdfgh", "blablabla") carries no meaning the bot
        can use.  (Indexed is the test, not scored: a word in every
        chunk of a small folder scores little.)"""
        return any(c.via or indexed(c.term) for words in self.words.values() for word in words
                   for c in word.candidates)

    def via(self, lang: str) -> dict[str, str]:
        """term -> how it entered the query ('' for the user's own words)."""
        out: dict[str, str] = {}
        for word in self.words.get(lang, []):
            for c in word.candidates:
                if c.term not in out or not c.via:
                    out[c.term] = c.via
        return out


def analyse_question(question: str, user_lang: str, languages: list[str], bridges: Bridges,
                     max_chars: int) -> QueryAnalysis:
    """The question as weighted terms of every knowledge language."""
    question = question[:max_chars]
    own_stop = stopwords_of(user_lang)
    pairs = get_analyzer(user_lang).question_pairs(question)
    # Each distinct word votes once: a word repeated in a short question
    # ("... per hour ... per hour") is style, not twice the evidence.
    seen: set[str] = set()
    pairs = [p for p in pairs if not (p[1] in seen or seen.add(p[1]))]  # type: ignore[func-returns-value]
    words, weights = {}, {}
    for lang in languages:
        drop = frozenset() if lang == user_lang else own_stop
        qwords = [bridges.expand(surface, term, user_lang, lang, drop) for surface, term in pairs]
        for i, names in bridges.thai_names(pairs, user_lang, lang).items():
            have = {c.term for c in qwords[i].candidates}
            added = tuple(c for c in names if c.term not in have)
            qwords[i] = QueryWord(qwords[i].surface, qwords[i].candidates + added)
        words[lang] = qwords
        w: dict[str, float] = {}
        for qw in qwords:
            for c in qw.candidates:
                w[c.term] = w.get(c.term, 0.0) + c.weight
        weights[lang] = w
    return QueryAnalysis(user_lang, words, weights)


def is_name(word: QueryWord, user_lang: str, lang: str) -> bool:
    """A word of a question in `user_lang` that stands, in knowledge language `lang`,
    for a name: found as itself or transliterated (no dictionary bridge), and
    capitalised, or written in Latin letters across the Thai script boundary.
    Retrieval lets such a word count for every sentence of an article alike
    (`scoring.cross_language_names_by_article`): a name says which article."""
    vias = {c.via for c in word.candidates}
    thai_name = any(v.startswith("Thai name") for v in vias)
    if not all(v == "" or v.startswith("Thai name") for v in vias):
        return False
    if thai_name:
        return True
    if not any(ch.isalpha() for ch in word.surface):
        return False  # a number is the sentence's own evidence
    latin = not has_thai(word.surface)
    return word.surface[:1].isupper() or (latin and "th" in (user_lang, lang))
