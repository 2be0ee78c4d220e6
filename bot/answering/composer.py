"""Answer records: verbatim quotes, framed in the user's language, or a decline.

The composer never writes content of its own: a passage is a slice of the
article text (one sentence, extended by the next one when it is too short to
stand alone, when it ends with a colon that announces the next paragraph, or
when it is itself a question), and every other word comes from
`config/messages/<lang>.yaml`.

An answer is kept as parts (framing, quotes, the article title) and its text
is their concatenation: the adapters style the parts they receive instead of
searching the rendered text for a quote, which finds the wrong place as soon
as the quoted words also occur earlier (in the framing or in another quote).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from bot.answering.answer_type_rules import QuoteOrder, judge_answer_type, lacks_place
from bot.answering.answer_types.sentences import asked_item, ends_sentence, is_question, item_number
from bot.answering.answer_types.years import question_years, written_years
from bot.answering.decision import (
    EMPTY_QUESTION,
    ERROR,
    GREETING,
    NAME_ELSEWHERE,
    NEEDS_AGE,
    NEEDS_CONTACT,
    NEEDS_DURATION,
    NEEDS_HOURS,
    NEEDS_ITEM,
    NEEDS_NAME,
    NEEDS_NUMBER,
    NEEDS_PRICE,
    NEEDS_SHARE,
    NEEDS_THING,
    NEEDS_YEAR,
    OTHER_LANGUAGE,
    UNKNOWN_NAME,
    judge_evidence,
)
from bot.answering.question_names import judged_by_script
from bot.answering.retrieval import Hit
from bot.core.config import Settings
from bot.core.messages import Messages
from bot.core.scripts import in_unread_script
from bot.knowledge.language import unserved_language
from bot.knowledge.quotability import ends_with_colon, table_place
from bot.knowledge.store import KnowledgeBase

# Declines that say nothing about the question's words: a greeting, an empty
# question, a failure, or already "I cannot read that language".
_NOT_ABOUT_READING = frozenset({EMPTY_QUESTION, GREETING, ERROR, OTHER_LANGUAGE})

# "What articles do you have?" names this many titles (then "and N more").
TOPIC_TITLES = 5


@dataclass(frozen=True)
class Passage:
    """A verbatim quote and where it comes from (`start`: its offset in the
    article's text, for the composer; not part of the `--json` contract)."""

    text: str
    article: str
    title: str
    lang: str
    score: float
    start: int = field(default=-1, compare=False, repr=False)


PartKind = Literal["text", "quote", "title"]

# Declines whose reply says why: passages close enough to quote were found, but
# none holds the number, share, price, name, time or contact the question asks
# for, or none is from an article naming what the question names, or the
# article's list stops before the item asked for.
BECAUSE = frozenset({NEEDS_NUMBER, NEEDS_PRICE, NEEDS_NAME, NEEDS_CONTACT, NEEDS_THING, NEEDS_DURATION,
                     NEEDS_YEAR, NEEDS_AGE, NEEDS_HOURS, NEEDS_SHARE, NEEDS_ITEM, UNKNOWN_NAME,
                     NAME_ELSEWHERE})


@dataclass(frozen=True)
class Part:
    """One run of an answer: framing text, a verbatim quote, or an article's title.

    A quote's `text` is the passage alone (a table row under its table's
    header row, both verbatim lines of the article); in the plain answer it
    stands between “ ”, and an adapter may set it its own way (a blockquote,
    the reply language's quotation marks) without looking for it in the text.
    """

    text: str
    kind: PartKind = "text"

    @property
    def plain(self) -> str:
        """The part as the plain answer text shows it."""
        return f"“{self.text}”" if self.kind == "quote" else self.text


def framed(messages: Messages, lang: str, key: str, title: str) -> list[Part]:
    """The message `key` with its `{title}` placeholder(s) as title parts.

    A title cannot be found back by searching the line: it may also be a word
    of the framing or of the language names that follow it.
    """
    sentinel = "\x00"
    out: list[Part] = []
    for k, run in enumerate(messages.get(lang, key, title=sentinel).split(sentinel)):
        if k:
            out.append(Part(title, "title"))
        if run:
            out.append(Part(run))
    return out


@dataclass
class Answer:
    """What `bot ask --json` prints and what every adapter renders."""

    lang: str
    answered: bool
    parts: list[Part]  # the text, as framing, quotes and title (see `text`)
    passages: list[Passage] = field(default_factory=list)
    also_in: list[str] = field(default_factory=list)  # other languages of the top article
    reason: str = ""  # why it was declined (answering/decision.py); "" when answered
    sure: bool = True  # answered on strong evidence; False: framed as unsure (`intro_unsure`)
    # the name (`unknown_name`, `name_elsewhere`) or the list's item (`needs_item`) a
    # decline is about; not in --json
    missing: str = ""

    @property
    def text(self) -> str:
        """The plain answer: the parts joined, each quote between “ ”."""
        return "".join(p.plain for p in self.parts)

    def to_json(self) -> dict:
        out = {
            "lang": self.lang,
            "answered": self.answered,
            "text": self.text,
            "passages": [
                {"text": p.text, "article": p.article, "title": p.title, "lang": p.lang,
                 "score": round(p.score, 4)} for p in self.passages
            ],
        }
        if not self.answered:
            out["reason"] = self.reason
        return out


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


_BOLD = re.compile(r"\*\*|(?<!\w)__|__(?!\w)")  # Markdown bold markers ("snake__case" is a word)


def _without_stray_bold(text: str) -> str:
    """`text` less a "**" / "__" that opens or closes it unpaired, or a pair that
    wraps all of it; a pair inside it stays (a slice of `text` either way)."""
    original = text
    for mark in ("**", "__"):
        inner = text[len(mark):-len(mark)]
        if text.startswith(mark) and text.endswith(mark) and inner.strip() and mark not in inner:
            text = inner
        elif text.count(mark) % 2:
            if text.endswith(mark):
                text = text[:-len(mark)].rstrip()
            elif text.startswith(mark):
                text = text[len(mark):].lstrip()
    return text if text.strip() else original


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
        self.quotable: Callable[[int], bool] | None = None  # sentence -> may it be quoted (set by the service)
        self._last_items: dict[str, int] = {}
        self._articles_by_year: dict[int, frozenset[str]] | None = None

    def in_language(self, hits: list[Hit], lang: str, asked_in: str = "") -> list[Hit]:
        """Each hit moved to the version of its article in `lang`, when one exists,
        else to the one in `asked_in` (the question's own language, when /lang
        forced another): a reader of the question's language reads that version.

        The reply language chooses the translation: a question asked (or
        forced with --lang, /lang) in Swahili about a French article with a
        Swahili version is answered from the Swahili text.  The sentence
        taken is the version's sentence closest in meaning (embeddings), with
        a pull towards the same relative position (`translation_position_pull`),
        or the one at the same relative position when lexical only.
        """
        kb = self.kb
        out: list[Hit] = []
        for hit in hits:
            s = kb.sentences[hit.sentence]
            article = kb.by_id[s.article_id]
            wanted = [w for w in (lang, asked_in) if w != article.lang] if article.lang != lang else []
            target = next((v for w in wanted for v in kb.versions(article.id) if v.lang == w), None)
            if target is None:
                out.append(hit)
                continue
            ranges = kb.article_ranges()
            a0, a1 = ranges[article.id]
            b0, b1 = ranges.get(target.id, (0, 0))
            cands = [j for j in range(b0, b1) if not kb.sentences[j].duplicate
                     and (self.quotable is None or self.quotable(j))]
            if not cands:
                out.append(hit)
                continue
            rel = (hit.sentence - a0) / max(1, a1 - a0 - 1)
            position = {j: 1.0 - abs(rel - (j - b0) / max(1, b1 - b0 - 1)) for j in cands}
            if self.vectors is not None:
                m = self.vectors.matrix
                sims = (m[cands].astype("float32") @ m[hit.sentence].astype("float32")).tolist()
                pull = self.settings.translation_position_pull
                best = max(zip(sims, cands), key=lambda x: x[0] + pull * position[x[1]])[1]
            else:
                best = max(cands, key=lambda j: position[j])
            out.append(replace(hit, sentence=best))
        return out

    def passages(self, hits: list[Hit]) -> list[Passage]:
        """At most `max_passages` distinct quotes, best first."""
        out: list[Passage] = []
        spans: list[tuple[int, int]] = []  # sentence range of each passage
        seen: set[str] = set()
        for hit in hits:
            if len(out) >= self.settings.max_passages:
                break
            i = hit.sentence
            if any(a <= i <= b for a, b in spans):
                continue
            first, last = self._sentence_of(i)
            if last == i:  # with the rest of its sentence after it, a fragment stands alone
                last = self._extend(i, first)
            # A quote that runs into an earlier one joins it, at the earlier
            # rank: the reader never sees the same words twice, and the
            # earlier quote gains the context that leads into it.  So does a
            # quote that continues an earlier one across a boundary that is
            # not a sentence end (Thai, split at spaces, cuts one sentence
            # into fragments that rank apart).
            # (A quote between two earlier ones joins both, at the better rank.)
            # And so does a quote next to an earlier one in its paragraph that
            # scores alike (`join_adjacent`, `join_ratio`): a sentence that names
            # the subject and the next one, which says what was asked of it with
            # a pronoun, read as one, in the article's order.
            joined = [k for k, span in enumerate(spans)
                      if self._joins(span, (first, last), self._alike(hit.score, out[k].score))]
            for k in joined:
                first, last = min(first, spans[k][0]), max(last, spans[k][1])
            passage = self._passage(first, last, out[joined[0]].score if joined else hit.score)
            key = _key(passage.text)
            if key in seen:
                continue
            seen.add(key)
            if not joined:
                spans.append((first, last))
                out.append(passage)
                continue
            spans[joined[0]], out[joined[0]] = (first, last), passage
            for k in reversed(joined[1:]):
                del spans[k], out[k]
        return out

    def _alike(self, score: float, earlier: float) -> bool:
        """Whether a quote scoring `score` may join one scoring `earlier` next to it."""
        return self.settings.join_adjacent and score >= self.settings.join_ratio * earlier

    def _joins(self, a: tuple[int, int], b: tuple[int, int], alike: bool = False) -> bool:
        """Whether quotes spanning sentences `a` and `b` make one quote: they
        overlap, or they are next to each other in one paragraph, within
        `max_joined_chars`, and either the boundary between them is not a
        sentence end or they score `alike`."""
        if a[0] <= b[1] and b[0] <= a[1]:
            return True
        (first, mid), (after, last) = sorted([a, b])
        if after != mid + 1:
            return False
        s = self.kb.sentences
        return (s[first].article_id == s[last].article_id and s[mid].paragraph == s[after].paragraph
                and (alike or not ends_sentence(s[mid].text))
                and s[last].end - s[first].start <= self.settings.max_joined_chars)

    def _sentence_of(self, i: int) -> tuple[int, int]:
        """First and last sentence of the quote around sentence `i` when `i` is a
        fragment of a longer sentence: its neighbours in the paragraph across
        boundaries that end no sentence (Thai, split at spaces, writes one
        sentence a line), those after it first, up to `whole_sentence_chars`."""
        limit = self.settings.whole_sentence_chars
        if not limit:
            return i, i
        s = self.kb.sentences

        def continues(j: int) -> bool:  # sentence j + 1 continues sentence j's sentence
            return (self._may_follow(j) and s[j].paragraph == s[j + 1].paragraph
                    and not ends_sentence(s[j].text))

        first = last = i
        # what follows first (a sentence's rest usually completes what its start
        # says), then what comes before, each only while the whole fits
        while last + 1 < len(s) and continues(last) and s[last + 1].end - s[first].start <= limit:
            last += 1
        while first > 0 and continues(first - 1) and s[last].end - s[first - 1].start <= limit:
            first -= 1
        return first, last

    def _extend(self, i: int, start: int | None = None) -> int:
        """Last sentence of the quote that starts at sentence `i`.

        A short quote is extended by the next sentences (at most
        `max_extension`) until it can stand alone: Thai "sentences" split at
        spaces are often fragments of a few words.  A sentence that asks (the
        article's own "Why do you need a receipt …?") is quoted with the
        sentence that follows it in its paragraph: that is where the article
        answers; an FAQ's question on a line of its own is quoted with the first
        sentence of the next line, its answer.  A sentence ending with a colon
        ("voici la marche à suivre :") announces what follows and says nothing
        alone, however long: it is quoted with the next line.  The quote's length counts from
        sentence `start` when it begins before `i` (`_sentence_of`).
        """
        kb = self.kb
        sentence = kb.sentences[i if start is None else start]
        last = i
        while last - i < self.settings.max_extension:
            cur, nxt = kb.sentences[last], last + 1
            length = cur.end - sentence.start
            asks = is_question(cur.text)
            announces = ends_with_colon(cur.text)
            if not ((length < self.settings.short_sentence_chars or asks or announces) and self._may_follow(last)
                    and (kb.sentences[nxt].paragraph == cur.paragraph or announces
                         or (asks and kb.sentences[nxt].paragraph == cur.paragraph + 1))):
                break
            last = self._sentence_of(nxt)[1]  # and the rest of the sentence it opens
        return last

    def _may_follow(self, j: int) -> bool:
        """Whether sentence j + 1 may be quoted after sentence j: there is one, in
        j's article, neither a repeat of an earlier sentence nor unquotable."""
        s = self.kb.sentences
        return (j + 1 < len(s) and s[j + 1].article_id == s[j].article_id and not s[j + 1].duplicate
                and (self.quotable is None or self.quotable(j + 1)))

    def _shown(self, passage: Passage, above: str = "") -> tuple[str, str]:
        """A passage as the reply shows it, and its table's header row ("" for a
        passage that is no table row).  Shown without Markdown's bold markers (the
        article as it reads: "**I have a company car. Can I get a permit?**" is
        bold on the page, not starred; the adapters escape what they send), and a
        table row ("| Dog | 2.50 € | 2.50 € |") under its table's header row
        ("| | Low season | High season |"), without which its figures mean
        little, unless `above` (the header of the quote shown before it) is that
        header already.  `passages` keep the exact slice."""
        shown = _BOLD.sub("", passage.text) or passage.text
        header = ""
        if "|" in passage.text and "\n" not in passage.text.strip():
            role, header = table_place(self.kb.by_id[passage.article].text, passage.start)
            header = header if role == "row" else ""
        return (f"{_BOLD.sub('', header)}\n{shown}" if header and header != above else shown), header

    def _passage(self, first: int, last: int, score: float) -> Passage:
        """The verbatim article text from sentence `first` to sentence `last`,
        without Markdown bold markers that the sentence splitter left unpaired at
        its ends or that wrap it whole ("Kwa kiasi gani?**" of "**Swali: … Kwa kiasi
        gani?**"): still a slice of the article, without the stray asterisks."""
        kb = self.kb
        article = kb.by_id[kb.sentences[first].article_id]
        text = _without_stray_bold(article.text[kb.sentences[first].start:kb.sentences[last].end])
        return Passage(text=text, article=article.id, title=article.title, lang=article.lang, score=score,
                       start=kb.sentences[first].start)

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
        passages = self.passages(self.in_language(hits, lang, asked_in))
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
        s = self.settings
        verdict, first = judge_answer_type(question, [self._shown(passages[i])[0] for i in near],
                                           self.decline_settings, [passages[i].lang for i in near],
                                           [self._shown(passages[i])[0] for i in later], self.spelling,
                                           QuoteOrder(s.time_prefers_time_words, s.when_prefers_day,
                                                      s.size_prefers_unit))
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
            text, above = self._shown(p, above)
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
        if reason in BECAUSE:
            text = m.get(lang, "decline_because", reason=m.reason(lang, reason, name=missing))
        elif reason == OTHER_LANGUAGE:
            # each language named in its own words: the reader may know none of `lang`
            text = m.get(lang, "other_language", languages=m.language_names(self.languages))
        else:
            key = {EMPTY_QUESTION: "empty_question", GREETING: kind,
                   ERROR: "answer_failed"}
            text = m.get(lang, key.get(reason, "decline"))
        return Answer(lang=lang, answered=False, parts=[Part(text)], passages=[], reason=reason, missing=missing)
