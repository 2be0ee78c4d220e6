"""The knowledge's vote on a question's language, by the articles that hold its words.

A short question's letters rarely tell its language for sure ("bac marron" is
guessed French with probability 0.42); the knowledge can: each of its
languages analyses the question its own way, and the articles that hold the
words say which language they are (`language_of_words`), or, for a name both
versions of a translated article use, which article they come from
(`original_language`).  Language detection asks both
(knowledge/language.py, `language_by_settings`), before the question is
searched.
"""

from __future__ import annotations

from bot.answering.scoring import LexicalScorer
from bot.core.scripts import has_thai
from bot.knowledge.analysis import get_analyzer
from bot.knowledge.store import KnowledgeBase


class LanguageVote:
    """What the articles of one KnowledgeBase say of a question's language."""

    def __init__(self, kb: KnowledgeBase, scorer: LexicalScorer, max_question_chars: int) -> None:
        self.kb = kb
        self.scorer = scorer
        self.max_question_chars = max_question_chars

    def language_of_words(self, question: str, guess: str | None = None) -> str | None:
        """The knowledge language the question's words belong to, by the articles
        that hold them (each language analysing the question its own way).

        Without a `guess`: the one language holding the most of them, None on a
        tie.  For a short question whose language the identifier cannot tell
        ("bac marron" is guessed French with probability 0.42) the knowledge
        says which language its words are; a name both versions of a
        translated article use ("Ron Brumbarger") ties, and the hint, the
        original's language (`original_language`) or the default decides.
        With a `guess` the identifier was fairly but
        not fully sure of: another language only if its articles hold every
        word and the guess's hold fewer ("gadget documentation terrible", English
        0.66, is the French article's words; "feline distemper vaccine", French
        0.72, is all the English article's, the French one holds "vaccin")."""
        held: dict[str, int] = {}
        total: dict[str, int] = {}
        for lang, terms in self._terms_by_language(question).items():
            held[lang] = sum(self.scorer.holds(t, lang) for t in terms)
            total[lang] = len(terms)
        if guess is not None:
            if guess not in held and guess in self.kb.languages:
                return None
            mine = held.get(guess, 0)
            whole = [lang for lang, n in held.items() if lang != guess and n and n == total[lang] and n > mine]
            return whole[0] if len(whole) == 1 else None
        best = max(held.values(), default=0)
        winners = [lang for lang, n in held.items() if n == best]
        return winners[0] if best > 0 and len(winners) == 1 else None

    def _terms_by_language(self, question: str) -> dict[str, set[str]]:
        """Per knowledge language, the question's index terms as that language
        analyses them; Thai only for a question with Thai letters (Thai articles
        also hold Latin words: "TCO", "ROI")."""
        thai = has_thai(question)
        text = question[:self.max_question_chars]
        pairs = {lang: get_analyzer(lang).question_pairs(text)
                 for lang in self.kb.languages if (lang == "th") == thai}
        # Only words every language looks for: a word one of them drops as too
        # common ("Le" of "Jean-Paul Le Dantec" in French) would count for the
        # others alone, and a name would be English for its "Le".
        kept = [{w.casefold() for w, _ in found} for found in pairs.values()]
        common = set.intersection(*kept) if kept else set()
        return {lang: {t for w, t in found if w.casefold() in common} for lang, found in pairs.items()}

    def original_language(self, question: str) -> str | None:
        """The language of the original article when the question's words are all
        held by one article and its translations only, else None.

        A name alone is no language's words: "Ron Brumbarger" is in the French
        article and its Swahili translation, and `language_of_words` ties.  With
        no hint from the person, the name's own article tells more than the
        default language: the reply is framed in the original's language and
        quotes it (`detect_language` asks this last)."""
        kb = self.kb
        holders: set[int] = set()
        for lang, terms in self._terms_by_language(question).items():
            if not terms:
                continue
            common: set[int] | None = None
            for term in terms:
                articles = self.scorer.articles_holding(term, lang)
                common = articles if common is None else common & articles
                if not common:
                    break
            holders |= common or set()
        groups = {kb.articles[i].group for i in holders}
        if len(groups) != 1:
            return None
        # the group's id is its original's (translation_of chains end there); a
        # group named in front matter (`group:`) has no original
        original = kb.by_id.get(groups.pop())
        return original.lang if original is not None else None
