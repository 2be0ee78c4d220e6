"""The composer: answer or decline, and which quotes an answer shows, framed in the user's language.

The composer never writes content of its own: its quotes are passages of the
articles (answering/passages.py cuts them), and every other word comes from
`config/messages/<lang>.yaml`.  What it hands the adapters is an Answer
(answering/answer.py).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.answering.answer import Answer, Part, Passage, framed
from bot.answering.answer_type_rules import QuoteOrder, judge_answer_type, lacks_place
from bot.answering.answer_types.sentences import asked_item, item_number
from bot.answering.answer_types.years import question_years, written_years
from bot.answering.decision import (
    EMPTY_QUESTION,
    ERROR,
    GREETING,
    NAME_ELSEWHERE,
    NEEDS_ITEM,
    NEEDS_THING,
    OTHER_LANGUAGE,
    SAYS_WHY,
    UNKNOWN_NAME,
    judge_evidence,
)
from bot.answering.passages import Quoter
from bot.answering.question_names import judged_by_script
from bot.answering.retrieval import Hit
from bot.core.config import Settings
from bot.core.messages import Messages
from bot.core.scripts import in_unread_script
from bot.knowledge.language import unserved_language
from bot.knowledge.store import KnowledgeBase

# Declines that say nothing about the question's words: a greeting, an empty
# question, a failure, or already "I cannot read that language".
_NOT_ABOUT_READING = frozenset({EMPTY_QUESTION, GREETING, ERROR, OTHER_LANGUAGE})

# "What articles do you have?" names this many titles (then "and N more").
TOPIC_TITLES = 5


class Composer:
    """Turns retrieval hits into an Answer."""

    def __init__(self, kb: KnowledgeBase, messages: Messages, settings: Settings, vectors=None) -> None:
        self.kb = kb
        self.messages = messages
        self.settings = settings.quotes
        self.decline_settings = settings.decline
        # a misspelt word of the question read as the misspellings bridge reads it (answer types)
        self.spelling = ((settings.bridges.misspelt_min_letters, settings.bridges.misspelt_max_missing)
                         if settings.bridges.misspellings else None)
        self.languages = list(settings.languages)  # the languages questions are read in
        self.vectors = vectors  # knowledge/vectors.SentenceVectors, or None (lexical only)
        self.quoter = Quoter(kb, settings.quotes, vectors)  # hits -> the passages an answer may quote
        q = settings.quotes  # which quotes holding what is asked go first (answer_type_rules.judge_answer_type)
        self.order = QuoteOrder(q.time_prefers_time_words, q.when_prefers_day, q.size_prefers_unit,
                                q.why_prefers_reason)
        self._last_items: dict[str, int] = {}
        self._articles_by_year: dict[int, frozenset[str]] | None = None

    def compose(self, lang: str, hits: list[Hit], question: str = "", judged: Hit | None = None,
                words: int = 0, names: dict[str, frozenset[str]] | None = None,
                proper: frozenset[str] = frozenset(), asked_in: str = "") -> Answer:
        """`_compose`'s reply, except that a question it declines which is written in a
        language the bot does not serve gets "I cannot read that language": in
        another script ("Привет, как дела?"), or in another Latin-script language
        ("¿Cuánto cuesta …?", `unserved_language`), which reads as a served one and
        was told "the articles never mention « Cuánto »".  An answer stays one."""
        answer = self._compose(lang, hits, question, judged, words, names, proper, asked_in)
        if answer.answered or answer.reason in _NOT_ABOUT_READING:
            return answer
        d = self.decline_settings
        if in_unread_script(question, self.languages) or unserved_language(
                question, self.languages, d.other_language_min_words, d.other_language_min_confidence):
            return self.decline(lang, OTHER_LANGUAGE)
        return answer

    def _compose(self, lang: str, hits: list[Hit], question: str = "", judged: Hit | None = None,
                 words: int = 0, names: dict[str, frozenset[str]] | None = None,
                 proper: frozenset[str] = frozenset(), asked_in: str = "") -> Answer:
        """The reply to `hits` (best first), in `lang`; `asked_in`: the question's own
        language when the reply's is forced (/lang), which the decline model reads
        as the question's script; `judged`: the hit the decline model
        judges when it is not the first (Retriever.rank, with latent terms or the
        language offset); `words`: how many words of the question its language
        looked for (`judge_evidence`); `names`: the question's names
        (`question_names.question_names`), each with the ids of the articles naming it;
        `proper`: those of them no dictionary knows as words, which alone tell the
        decline model that an article in another script is the one asked about
        ("Lampang", not "World": translated, a word meets many articles)."""
        # hits scored without cosines (a lexical search) are judged by the lexical rule
        embedded = self.vectors is not None and bool(hits) and hits[0].cosine != 0.0
        d = self.decline_settings
        names = dict(names or {})
        if d.years_must_be_known:  # a year asked is a name of the time asked about
            names.update(self._years_asked(question))
        groups = self._groups_naming(names)  # once: every name rule below reads them
        named = {n: groups[n] for n in proper if n in groups}
        verdict = judge_evidence(hits, self.decline_settings, embedded, asked_in or lang, judged, words,
                                 self._holds_names(named) if named else None)
        if not verdict.answer:
            return self.decline(lang, verdict.reason)
        sure = verdict.sure
        passages = self.quoter.passages(self.quoter.in_language(hits, lang, asked_in))
        if groups and passages and (d.names_must_be_known or d.names_pick_article):
            passages, reason, missing = self._naming_first(passages, groups)
            if reason:  # the quotes are about something else than what the question names
                return self.decline(lang, reason, missing=missing)
        # "How many ...?" / "What is it called?" / "What are the opening hours?" /
        # "When ...?": among the first quotes, those holding what is asked go first;
        # only those scoring close to the first one count (`answer_type_min_share`):
        # a weak quote that happens to hold a number does not answer "How many
        # firefighters work there?"
        bar = self.settings.answer_type_min_share * passages[0].score if passages else 0.0
        window = 0
        while window < min(len(passages), self.settings.answer_type_window) and passages[window].score >= bar:
            window += 1
        # only quotes from articles that mention the question's names (those some
        # article mentions) answer what it asks: "What hourly wage does Bitwise pay?"
        # is not answered by another article's "50 $ de l'heure"
        named_ok = list(range(len(passages)))
        if groups and d.names_pick_article and d.names_judge_type:
            lacks = self._names_lacked({n: held for n, held in groups.items() if held})
            named_ok = [i for i in named_ok if not lacks(passages[i])]
        near = [i for i in named_ok if i < window]
        later = [i for i in named_ok if i >= window]  # the hours or the day only
        # judged as shown: a table row with its header row ("Instrument + formation musicale")
        verdict, first = judge_answer_type(question, [self.quoter.shown(passages[i])[0] for i in near],
                                           self.decline_settings, [passages[i].lang for i in near],
                                           [self.quoter.shown(passages[i])[0] for i in later], self.spelling,
                                           self.order, [passages[i].article for i in near])
        if not verdict.answer:
            return self.decline(lang, verdict.reason)
        articles = [self.kb.by_id[a].text for a in dict.fromkeys(passages[i].article for i in near)]
        if near and lacks_place(question, articles, [passages[i].lang for i in near], self.decline_settings):
            return self.decline(lang, NEEDS_THING)  # the hours of a place none of these articles names
        if first:
            first = [(near + later)[i] for i in first]
            passages = [passages[i] for i in first] + [p for i, p in enumerate(passages) if i not in first]
        top = passages[0]
        asked = asked_item(question) if self.decline_settings.items_need_item else 0
        if asked and 0 < self._last_item(top.article) < asked:
            # "What is the fourth question managers should ask?" is not answered by
            # the third of the article's three: its list stops before the item asked
            return self.decline(lang, NEEDS_ITEM, missing=str(asked))
        shown = [top] + [p for p in passages[1:3]
                         if p.article == top.article and p.score >= self.settings.second_quote_ratio * top.score]
        also = sorted({v.lang for v in self.kb.versions(top.article)} - {top.lang})
        m = self.messages
        parts = [Part(m.get(lang, "intro" if sure else "intro_unsure") + "\n\n")]
        above = ""
        for p in shown:
            text, above = self.quoter.shown(p, above)
            parts += [Part(text, "quote"), Part("\n")]
        parts += framed(m, lang, "from_article", top.title)
        if also:
            parts.append(Part("\n" + m.get(lang, "also_available", languages=m.language_names(also))))
        return Answer(lang=lang, answered=True, parts=parts, passages=passages, also_in=also, sure=sure)

    def _years_asked(self, question: str) -> dict[str, frozenset[str]]:
        """The years the question is about (`question_years`), each with the ids of
        the articles writing it (`written_years`, once per folder): checked like
        the names it writes, so "Combien de véhicules ont été enlevés en 2023 ?"
        is declined `unknown_name` over an article that gives 2024's figure only,
        and quotes from an article that writes the year go first.  Of several
        years asked, any one is enough ("between 2023 and 2024" over an
        article that writes 2023 and says "last year" for 2024)."""
        asked = question_years(question)
        if not asked:
            return {}
        if self._articles_by_year is None:
            by_year: dict[int, set[str]] = {}
            for article in self.kb.articles:
                for year in written_years(article.text):
                    by_year.setdefault(year, set()).add(article.id)
            self._articles_by_year = {y: frozenset(ids) for y, ids in by_year.items()}
        held = {written: self._articles_by_year.get(year, frozenset()) for written, year in asked.items()}
        # "between 2023 and 2024": an article may write one and say "last year" for the
        # other, so several years count as one name that any of them spells
        return {next(iter(held)): frozenset().union(*held.values())}

    def _last_item(self, article: str) -> int:
        """The last number of the article's numbered list ("1. …", "2) …": sentences
        beginning with one), 0 when it has none (a list starting at 1 with at least
        two items: a year or a single "3." says nothing of a list); once per article."""
        if article not in self._last_items:
            start, end = self.kb.article_ranges().get(article, (0, 0))
            numbers = {item_number(self.kb.sentences[i].text) for i in range(start, end)} - {0}
            self._last_items[article] = max(numbers) if 1 in numbers and len(numbers) >= 2 else 0
        return self._last_items[article]

    def _groups_naming(self, names: dict[str, frozenset[str]]) -> dict[str, set[str]]:
        """For each of the question's names, the article groups (an article and its
        versions) of the articles mentioning it."""
        by_id = self.kb.by_id
        return {n: {by_id[a].group for a in held} for n, held in names.items()}

    def _holds_names(self, groups: dict[str, set[str]]) -> Callable[[Hit], bool]:
        """For a hit, whether its article (or a version of it) holds every one of the
        question's names (`_groups_naming`; none unknown to the folder)."""
        def holds(hit: Hit) -> bool:
            group = self.kb.by_id[self.kb.sentences[hit.sentence].article_id].group
            return all(group in held for held in groups.values())
        return holds

    def _names_lacked(self, groups: dict[str, set[str]]) -> Callable[[Passage], list[str]]:
        """For a passage, the question's names (`_groups_naming`) in its script that its
        article (or a version of it) does not mention: names no article mentions are
        lacked everywhere."""
        def lacks(p: Passage) -> list[str]:
            group = self.kb.by_id[p.article].group
            return [n for n, held in groups.items() if judged_by_script(p.lang, n) and group not in held]
        return lacks

    def _naming_first(self, passages: list[Passage], groups: dict[str, set[str]]
                      ) -> tuple[list[Passage], str, str]:
        """(passages, decline reason, the name it is about) for a question that names
        something (`question_names.question_names`): the reason `unknown_name` when no
        article mentions a name and the first quote is written in its script;
        else, when the first quote's article (or a version of it) does not
        name them all, the quotes scoring close to it (`names_min_share`)
        whose articles do go first, and `name_elsewhere` when there is none.
        A quote in another script than a name's is not judged by it."""
        lacks = self._names_lacked(groups)
        top = lacks(passages[0])
        if not top:
            return passages, "", ""
        d = self.decline_settings
        unknown = [n for n in top if not groups[n]]
        if unknown:
            return (passages, UNKNOWN_NAME, unknown[0]) if d.names_must_be_known else (passages, "", "")
        if not d.names_pick_article:
            return passages, "", ""

        bar = self.settings.names_min_share * passages[0].score
        naming = [i for i, p in enumerate(passages) if p.score >= bar and not lacks(p)]
        if not naming:
            return passages, NAME_ELSEWHERE, top[0]
        return [passages[i] for i in naming] + [p for i, p in enumerate(passages) if i not in naming], "", ""

    def topics(self, lang: str) -> Answer:
        """What the bot knows ("what articles do you have?"): how many articles
        (files, the number the REPL's welcome, /start and /sources give) and the
        first TOPIC_TITLES of them in folder order, one title per article and its
        translations, in the reply language when a version exists in it and with
        the other versions' languages beside it.  Not an answer from the
        articles: reason `greeting`, like small talk."""
        groups = self.kb.article_groups()
        m = self.messages
        shown = []
        for versions in groups[:TOPIC_TITLES]:
            version = next((v for v in versions if v.lang == lang), versions[0])
            title = m.get(lang, "topics_title", title=version.title)
            others = sorted({v.lang for v in versions} - {version.lang})
            if others:
                title += m.get(lang, "topics_also", languages=m.language_names(others))
            shown.append(title)
        total = len(self.kb.articles)
        rest = total - sum(len(versions) for versions in groups[:TOPIC_TITLES])
        more = m.get(lang, "topics_more", count=rest) if rest else ""
        text = m.get(lang, "topics", count=total, titles=", ".join(shown), more=more)
        return Answer(lang=lang, answered=False, parts=[Part(text)], passages=[], reason=GREETING)

    def decline(self, lang: str, reason: str, kind: str = "greeting", missing: str = "") -> Answer:
        """The polite "nothing found" (or, for an empty question, "ask me something";
        for a greeting, the reply of its `kind` (answering/conversation.py): what
        the bot does and how to ask, "you're welcome", "goodbye" or "ask me more";
        when answering failed, "something went wrong, try again", not "nothing found").

        When passages close enough to quote were found but none holds the number,
        price, name or contact asked for, "nothing found" would not be true: the
        reply says why it cannot answer, in the words of the REPL's /why
        (`reason_<word>`), so a Telegram user, who has no /why, learns it too.
        (Weak evidence keeps "nothing found": its closest sentences may share
        a word and nothing else, "the capital of Australia".)"""
        m = self.messages
        if reason in SAYS_WHY:
            text = m.get(lang, "decline_because", reason=m.reason(lang, reason, name=missing))
        elif reason == OTHER_LANGUAGE:
            # each language named in its own words: the reader may know none of `lang`
            text = m.get(lang, "other_language", languages=m.language_names(self.languages))
        else:
            key = {EMPTY_QUESTION: "empty_question", GREETING: kind,
                   ERROR: "answer_failed"}
            text = m.get(lang, key.get(reason, "decline"))
        return Answer(lang=lang, answered=False, parts=[Part(text)], passages=[], reason=reason, missing=missing)
