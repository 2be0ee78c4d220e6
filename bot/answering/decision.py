"""Why a question is declined: the one place that decides, and says why.

Why not a BM25 threshold alone: a raw BM25 score means different things in
different folders (the same 4.7 declined the right answers in one folder and
answered 7 of 9 off-topic questions in another).  With embeddings on, the
evidence is judged by a logistic model over scale-free signals of the
judged sentence, fitted once on every folder we have pooled (never per
folder; the `decline:` group of config/settings.yaml says on what):

- its ordinary share: the share of a fixed bank of everyday questions that
  come less close to this folder than the question comes to the sentence
  (answering/baseline.py).  The raw cosine is not used: the same value means
  more in a folder of short news sentences than in one of long essays, so
  a weight on it declined new folders' paraphrases and answered their
  near-miss off-topic questions;
- the share of the question's idf mass the sentence itself holds (a share,
  whatever the folder's size; the chunk's share was weaker);
- whether it is in another language than the question (e5 cosines across
  languages run lower for the same relevance, so the bar is lower there),
  and whether that language is written in another script (a Thai sentence
  for a question in Latin letters, or the other way: 0.05-0.10 lower again).

More features (the raw cosine beside the share, BM25 relative to the best
score the question could reach, the chunk's coverage, the rarest question
word the chunk lacks, the article's top cosines, the folder's top-10 cosines)
were measured (bench/decision_fit.py, leave-one-folder-out over 17 folders)
and added nothing held out, so they are left out; docs/quality.md has the
numbers.  Lexical only (no embeddings), the thresholds of `decline:` apply.
A name or keyword alone that the judged sentence holds as written is answered
whatever the model says (`is_keyword_search`).

Every decline has a short stable reason word that `bot ask --json` prints
as `"reason"` and the REPL's /why explains:

- `no_match`: nothing related: no sentence shares a word (or a bridged
  term) with the question, and none is close in meaning;
- `weak_evidence`: related sentences, not enough to quote;
- `needs_number`: a "how many / how much" question none of whose first quotes
  holds a number (answer_types/numbers.py and measures.py), or a "how many" question counting
  things or people none of whose first quotes holds a number that counts (not
  an amount, a percentage, a year, a date, a time, a duration, a measure or an age),
  or one asking a measure in a unit ("how many litres") none of whose first quotes
  gives a number with a unit of that measure;
- `needs_price`: a "how much does it cost" question none of whose first
  quotes holds an amount of money (or says it is free);
- `needs_share`: a "what percentage / share of" question none of whose
  first quotes gives a percentage or a fraction;
- `needs_thing`: such a question that names what it counts or prices, whose
  first quotes with a number are all in its language and none names it (for a
  count, none holds a count within a few words of it); or
  one after what someone is paid none of whose quotes (all in its language)
  tells a pay;
- `needs_duration`: a "how long / how many hours, days …" question none of
  whose first quotes gives a duration (a number next to a unit of time);
- `needs_name`: a "what is it called" (or "what is the title"), "which
  company" (or "which film") or "who is the chairman" question none of whose
  first quotes holds a proper name (other than the question's own), or a
  "what is the name of the hotel" question whose quotes with a name are all
  in its language and none names the hotel, or a "who is the chairman"
  question whose quotes with a name are all in its language and none names
  the role, or a "who won" question none of whose quotes with a name says
  someone won;
- `needs_year`: an "in what year" question none of whose first quotes holds
  a year (for the year something was founded, built or opened, a year beside
  such a word);
- `needs_age`: a "how old" question none of whose first quotes states an age
  (a number with an age word or unit, or a year of birth or building);
- `needs_hours`: a question after opening hours or a time of day ("what
  time", "à quelle heure", "saa ngapi", "กี่โมง"; not one asking when a
  schedule was set) none of whose quotes, the weaker ones included, holds a
  clock time;
- `needs_contact`: a question after an e-mail address, a phone number or a
  website none of whose first quotes holds one;
- `needs_item`: a question after the n-th item of a list ("the fourth
  question managers should ask", "la troisième étape", "คำถามข้อที่ 4") whose
  first quote's article numbers a list ("1. …", "2) …") that stops before it
  (answering/composer.py);
- `unknown_name`: the question names something (a capitalised word, not the
  first of a sentence, `question_names`) that no article of the folder
  mentions, in any language, and the first quote is written in the name's
  script: whatever it says is about something else ("When will the new bus
  station in Gairo open?" over a folder about Kibaigwa's).  A sentence in
  another script may write the name its own way (a Thai article's "ลำปาง" for
  "Lampang"), so it is not judged by this.  A year the question is about
  ("en 2023", "ปี 2566") counts as a name, against the years the articles
  write (answering/composer.py);
- `name_elsewhere`: the question names something other articles mention, and
  none of the quotes scoring close to the first is from one of them (in the
  name's script): "How much does Bitwise spend on podcast ads per customer?"
  is not answered by another article's podcast figures;
- `other_language`: no passage to quote, and the question is mostly written
  in a script none of the served languages (`languages` in the settings) uses
  (Cyrillic, Arabic, Chinese ...): "nothing found" would not be true, the bot
  could not read it; the reply names the languages it reads;
- `greeting`: a greeting, thanks or "what do you know?", answered with what
  the bot does or knows (answering/conversation.py);
- `empty_question`: nothing to answer;
- `error`: answering raised (logged with its traceback).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.answering.answer_types.contact import asks_contact, has_contact
from bot.answering.answer_types.counts import (
    asks_count,
    counted_thing,
    counts_near,
    holds_count,
    holds_count_number,
    thai_classifier,
)
from bot.answering.answer_types.dates import asks_date, has_date, is_day_or_month
from bot.answering.answer_types.hours import asks_clock, asks_hours, has_clock_time, hours_thing
from bot.answering.answer_types.measures import asked_dimension, asked_unit, asks_quantity, has_unit
from bot.answering.answer_types.money import (
    asks_fee,
    asks_price,
    asks_share,
    asks_wage,
    has_money,
    has_percent,
    has_share,
    holds_wage,
    names_a_price,
    says_free,
)
from bot.answering.answer_types.names import asks_name, has_name, named_thing
from bot.answering.answer_types.numbers import has_number
from bot.answering.answer_types.roles import asked_role, asks_maker, asks_winner, holds_role, tells_maker, tells_winner
from bot.answering.answer_types.sentences import begins_sentence
from bot.answering.answer_types.things import holds_thing, thing_terms
from bot.answering.answer_types.times import (
    asks_duration,
    asks_frequency,
    asks_time,
    has_duration,
    has_frequency,
    has_time,
)
from bot.answering.answer_types.years import (
    asks_age,
    asks_founding_year,
    asks_year,
    has_age,
    has_year,
    tells_founding_year,
)
from bot.answering.named_language import is_language_name
from bot.answering.query import QueryAnalysis
from bot.answering.retrieval import Hit
from bot.core.config import DeclineSettings
from bot.core.scripts import letter_scripts, other_scripts, scripts_of
from bot.knowledge.analysis import stopwords_of

NO_MATCH = "no_match"
WEAK_EVIDENCE = "weak_evidence"
NEEDS_NUMBER = "needs_number"
NEEDS_NAME = "needs_name"
NEEDS_PRICE = "needs_price"
NEEDS_CONTACT = "needs_contact"
NEEDS_THING = "needs_thing"
NEEDS_DURATION = "needs_duration"
NEEDS_YEAR = "needs_year"
NEEDS_AGE = "needs_age"
NEEDS_HOURS = "needs_hours"
NEEDS_SHARE = "needs_share"
NEEDS_ITEM = "needs_item"
UNKNOWN_NAME = "unknown_name"
NAME_ELSEWHERE = "name_elsewhere"
GREETING = "greeting"
EMPTY_QUESTION = "empty_question"
OTHER_LANGUAGE = "other_language"
ERROR = "error"  # answering failed (logged); the person gets the polite decline


@dataclass(frozen=True)
class Verdict:
    """Whether to answer; when not, the reason word."""

    answer: bool
    reason: str = ""
    sure: bool = True  # answered on evidence the model rates at least `model_sure`


ANSWER = Verdict(True)


def answer_probability(hit: Hit, settings: DeclineSettings, user_lang: str = "", named: bool = False) -> float:
    """P(the best sentence answers the question), by the fitted logistic model.
    `named`: the question writes names and the sentence's article (or a version
    of it) holds every one: across scripts that is the names bridge having found
    the article ("Lampang" in ลำปาง), which the cosine does not show."""
    cross = 1.0 if user_lang and hit.query_lang != user_lang else 0.0
    script = 1.0 if cross and other_scripts(user_lang, hit.query_lang) else 0.0
    z = (settings.model_bias + settings.model_ordinary * hit.ordinary_share
         + settings.model_coverage * hit.sentence_coverage + settings.model_cross_language * cross
         + settings.model_cross_script * script + settings.model_cross_script_named * script * named)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def judge_evidence(hits: list[Hit], settings: DeclineSettings, embedded: bool = False,
                   user_lang: str = "", judged: Hit | None = None, words: int = 0,
                   named: Callable[[Hit], bool] | None = None) -> Verdict:
    """Strong enough evidence to quote at all: the model when the hits carry
    cosines (`embedded`), else the `decline:` thresholds.  `judged`: the hit
    the model judges when it is not the first (`Retriever.rank`'s, the best of
    the fusion without latent terms and language offset); `words`: how many
    words of the question its language looked for (a keyword search when few,
    `keyword_words`); `named`: whether a hit's article holds every name the
    question writes (`answer_probability`)."""
    if not hits:
        return Verdict(False, NO_MATCH)
    top = judged or hits[0]
    if embedded:
        if top.bm25 <= 0 and top.cosine < settings.no_match_cosine:
            # Declined either way (without a shared word the model gives such a
            # cosine less than the threshold); the reason is no_match only when no
            # hit shares a word with the question: a judged hit without one, ranked
            # above lexical hits for its cosine, is weak evidence, not "nothing related".
            related = any(h.bm25 > 0 for h in hits)
            return Verdict(False, WEAK_EVIDENCE if related else NO_MATCH)
        if is_keyword_search(top, words, settings):
            return ANSWER
        p = answer_probability(top, settings, user_lang, named is not None and named(top))
        if p < settings.model_threshold:
            return Verdict(False, WEAK_EVIDENCE)
        # Between the threshold and `model_sure` the first quote is right for
        # only a quarter to a half of the questions (config/settings.yaml): the
        # reply says so instead of presenting the quote as the answer.
        return ANSWER if p >= settings.model_sure else Verdict(True, sure=False)
    if (top.score >= settings.min_score and top.coverage >= settings.min_coverage
            and top.sentence_score >= settings.min_sentence_score):
        return ANSWER
    # A raw BM25 score means less in a small folder (few documents, low idf): a
    # sentence holding most of the question's idf mass answers there too.
    if top.sentence_coverage >= settings.min_sentence_coverage:
        return ANSWER
    return Verdict(False, WEAK_EVIDENCE)


def is_keyword_search(hit: Hit, words: int, settings: DeclineSettings) -> bool:
    """Whether the question is a name or keyword alone ("Brumbarger", "Ron",
    "5 étoiles") that `hit`'s sentence holds every word of, as written: the
    sentences holding it are what was asked for (issue 13: "a name or keyword
    alone gets the sentences about it").  The model judges questions by how
    close their meaning comes to a sentence, and a bare name comes close to
    none: the sentence says much more than the name.  A word met only through
    a bridge (a translation, a synonym) does not count: "tell" met "tellement"."""
    return (0 < words <= settings.keyword_words and hit.sentence_coverage >= 1.0 - 1e-9
            and bool(hit.via) and not any(hit.via.values()))


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A question with this many of its language's stop words capitalised inside a
# sentence is written in Title Case (`question_names`); one alone may begin a
# name ("Le Mans", "The Hague").  No question of our sets is (checked over all
# 4,725: none has two).
TITLE_CASE_STOP_WORDS = 2
_ALWAYS_CAPITAL = re.compile(r"I(?:['’](?:m|ve|ll|d))?")  # English "I", "I'm": capitalised anywhere


@dataclass(frozen=True)
class QuestionName:
    """A name a question writes (`question_names`)."""

    position: int  # in each of the question's `QueryAnalysis.words` lists
    surface: str  # as written
    is_word: bool  # a dictionary or thesaurus of the question's language knows it as a word


def question_names(question: str, query: QueryAnalysis, is_word: Callable[[str, str], bool],
                   languages: Iterable[str]) -> list[QuestionName]:
    """The names the question writes, and whether a dictionary or thesaurus of
    the question's language knows each as a word (`is_word(word, lang)`): words written
    with a capital (not the first of a sentence, where any word is), of three
    letters or more.  Not a weekday or a month, a language's name ("makala ya
    Kithai"), a stop word of a served language (`languages`: "Les Tilleuls" in a
    Swahili question) nor an acronym, which often stands for common words
    ("PDG", "CEO").  A name is what a near miss most often changes: another town
    ("Gairo" for "Kibaigwa"), another brand, another person; the articles that
    hold it say which article answers.  A name made of words ("Chœur des
    Tilleuls", "Ban Na", "Church Street") says so only where the folder uses
    them: unused, they are words a paraphrase may well not share.  A question
    written in Title Case ("When Does The Bus Station Open In Gairo?": two of its
    own language's stop words capitalised inside a sentence) has no names by this
    shape: its capitals are style."""
    starts = {m.group(0) for m in _WORD.finditer(question) if begins_sentence(question, m.start())}
    own = stopwords_of(query.lang)
    styled = {w for w in _WORD.findall(question) if w[:1].isupper() and w not in starts and w.casefold() in own
              and not _ALWAYS_CAPITAL.fullmatch(w)}
    if len(styled) >= TITLE_CASE_STOP_WORDS:
        return []
    words = next(iter(query.words.values()), [])
    out: list[QuestionName] = []
    seen: set[str] = set()
    for i, word in enumerate(words):
        surface = word.surface
        if (len(surface) < 3 or not surface[:1].isupper() or not surface.replace("-", "").isalpha()
                or surface.isupper() or surface in starts or surface in seen or is_language_name(surface)
                or is_day_or_month(surface) or any(surface.casefold() in stopwords_of(lang) for lang in languages)):
            continue
        seen.add(surface)
        out.append(QuestionName(i, surface, is_word(surface, query.lang)))
    return out


def judged_by_script(sentence_lang: str, name: str) -> bool:
    """Whether a sentence in `sentence_lang` can be judged by whether it holds
    `name`: it is written in the name's script (a Thai sentence may spell
    "Lampang" its own way, "ลำปาง", which the names bridge may not find)."""
    return set(letter_scripts(name)) <= set(scripts_of(sentence_lang))


def in_unread_script(question: str, languages: list[str]) -> bool:
    """Whether most of the question's letters (at least two) are in scripts none
    of `languages` is written in: "Привет, как дела?" with French, English,
    Swahili and Thai served.  A name in another script inside a question in a
    served language ("Who is 李明?") is a minority and does not count."""
    counts = letter_scripts(question)
    read = {script for lang in languages for script in scripts_of(lang)}
    unread = sum(n for script, n in counts.items() if script not in read)
    return unread >= 2 and 2 * unread > sum(counts.values())


def asks_checked_type(question: str, settings: DeclineSettings) -> bool:
    """Whether `judge_answer_type` may decline `question` for what it asks (a
    number, a price, a duration, a name, a year, an age, a contact).  The
    retriever then lets the question's title words count per sentence, as they
    are written (`scoring.title_words_by_article`): counted for every sentence of
    the article alike, they raised each of its sentences holding some amount or
    name close enough to the first quote to pass these checks ("Paneli 240 za
    jua … ziligharimu shilingi ngapi?" answered with the price of a metre of
    wire).  The opening-hours rule (`hours_needs_clock`, added later) is not
    among them: it was measured with the title words counted per article."""
    return bool((settings.price_needs_amount and asks_price(question))
                or (settings.quantity_needs_number and asks_quantity(question))
                or (settings.duration_needs_duration and asks_duration(question))
                or (settings.name_needs_name and asks_name(question))
                or (settings.year_needs_year and asks_year(question))
                or (settings.age_needs_age and asks_age(question))
                or (settings.contact_needs_contact and asks_contact(question)))


@dataclass(frozen=True)
class QuoteOrder:
    """Which quotes holding what a question asks go first, beyond the rules that
    decline (`judge_answer_type`): the composer's `quotes:` settings of that name."""

    time_words: bool = True  # quotes.time_prefers_time_words: the hours, the day, when
    day: bool = False  # quotes.when_prefers_day: "when" by a day, a date or a year
    unit: bool = False  # quotes.size_prefers_unit: a size by a unit of its measure


def judge_answer_type(question: str, quotes: list[str], settings: DeclineSettings,
                      langs: list[str] | None = None, later: list[str] | None = None,
                      spelling: tuple[int, int] | None = None,
                      order: QuoteOrder = QuoteOrder()) -> tuple[Verdict, list[int]]:
    """A "how many" question is answered only by quotes that hold a number (a
    "what share" one by a percentage or a fraction), a "how much does it cost"
    question only by quotes holding an amount of money, a "what is it called"
    question only by quotes that hold a name, a question after an e-mail
    address, a phone number or a website only by quotes holding one (the
    module docstring lists every such rule); also which of
    `quotes` hold what the question asks for, in the order the composer shows
    them first (each quote is checked once: a Thai number check segments it).
    With `order.time_words` (`quotes.time_prefers_time_words`), "What are the
    opening hours?" puts the quotes holding a clock time before those holding
    any number (Thai "เปิดกี่โมง", what time, is also a "how many": a price is
    not the answer), "Which day …?" those naming a day (a date, a month, a
    weekday), and "When ...?" those that say when (with `order.day`, those
    naming a day, a date or a year first), and with `order.unit` "How wide /
    quelle hauteur / urefu gani …?" those giving a number with a unit of that
    measure; only the hours may decline (`hours_needs_clock`, whatever the order).  The opening hours and the
    day are also looked for in the `later` quotes (those after `quotes`,
    scoring further below the first), and so is the clock time without which
    the hours rule declines: they may bring a weaker quote forward ("What are
    the opening hours of the laundrette?": the lead sentence first, "open
    every day from 7am to 9pm" at a third of its score).  Indexes count `quotes`, then `later`.
    A keyword message naming a price ("tilapia buying price", `names_a_price`) puts
    the quotes with an amount first and is never declined: no question form says
    that an amount is all it will take (`price_keyword_first`).
    One function decides the order, so the rules cannot disagree.  `spelling`:
    the misspellings bridge's reading (`holds_thing`), for the thing counted.

    ("How many employees does Bitwise have?" shares every content word with a
    sentence about Bitwise's employees, but no quote says how many; "Comment
    s'appelle l'auteur du blog ?" finds sentences about the blog, none naming
    anyone.)
    """
    numbered: list[int] = []
    named: list[int] = []
    if settings.price_needs_amount and asks_price(question):
        numbered = _stating_price(question, quotes)
        if not numbered:
            return Verdict(False, NEEDS_PRICE), []
    elif settings.quantity_needs_number and asks_quantity(question):
        often = asks_frequency(question)  # "every hour" answers "how often" as "twice an hour" does
        if settings.share_needs_share and asks_share(question):
            # "What share of new customers leave?" is answered by a percentage or a
            # fraction ("la moitié"), not by "200 $ per new customer"
            numbered = [i for i, q in enumerate(quotes) if has_share(q)]
            if not numbered:
                return Verdict(False, NEEDS_SHARE), []
        else:
            numbered = [i for i, q in enumerate(quotes) if has_number(q) or (often and has_frequency(q))]
            unit = asked_unit(question) if settings.unit_needs_unit else ""
            if numbered and unit:
                # "Combien de tonnes d'asphalte faut-il ?" is not answered by "The total
                # cost is £386,000": a number with a unit of the measure asked, in any language
                numbered = _holding_first(quotes, lambda quote: has_unit(quote, unit), numbered)
            if numbered and settings.count_needs_count and asks_count(question, spelling):
                # "Combien de familles l'association aide-t-elle ?" is not answered by
                # "1 % de notre chiffre d'affaires", nor "how many parking spaces" by "1,100 sq m"
                numbered = _holding_first(quotes, holds_count_number, numbered)
            if not numbered:
                return Verdict(False, NEEDS_NUMBER), []
    if numbered and _lacks_thing(question, quotes, numbered, langs, settings, spelling):  # a count or a price, of X?
        return Verdict(False, NEEDS_THING), []
    if numbered and settings.counting_first:
        numbered = _counting_first(question, quotes, numbered, langs, settings, spelling)
    if settings.duration_needs_duration and asks_duration(question):
        # "Within how many hours…?", "How long does it take?": a number next to a unit
        # of time, in any language ("50 $ de l'heure" is a rate, not a time taken)
        numbered = _holding_first(quotes, has_duration, numbered)
        if not numbered:
            return Verdict(False, NEEDS_DURATION), []
    wanted = asks_name(question) if settings.name_needs_name else ""
    if wanted:
        named = [i for i, q in enumerate(quotes) if has_name(q, question)]
        if not named:
            return Verdict(False, NEEDS_NAME), []
        thing = named_thing(question) if wanted == "called" and settings.name_needs_thing else None
        if thing is not None and langs is not None and all(langs[i] == thing[0] for i in named) and not any(
                holds_thing(quotes[i], thing[0], thing[1], spelling) for i in named):
            # "What is the name of the hotel?" is not answered by a sentence whose
            # only name is the comment form's "Nom/URL": the name is the thing's
            return Verdict(False, NEEDS_NAME), []
        if asks_winner(question) and not any(tells_winner(quotes[i]) for i in named):
            # "Which team won last year's Youth Cup?" is not answered by the cup's
            # dates and venue: a quote with a name says someone won
            return Verdict(False, NEEDS_NAME), []
        makers = [i for i in named if tells_maker(quotes[i])] if asks_maker(question) else None
        if makers == []:
            # "Qui a construit le bateau ?" is not answered by what the boat carries,
            # nor by the association that paid for it: a quote with a name says who
            # built, made or designed it (in any language)
            return Verdict(False, NEEDS_NAME), []
        role = asked_role(question)
        if role is not None and langs is not None and all(langs[i] == role[0] for i in named) and not any(
                holds_role(quotes[i], role[1]) for i in named):
            # "Who is the chairperson of the food bank?" is not answered by a
            # sentence naming its volunteers' church: the role is named beside the name
            return Verdict(False, NEEDS_NAME), []
        if wanted == "which":
            # "Dans quel quartier…?": the answer may name it in Thai script, which no
            # shape shows, so the quotes holding a visible name do not go first;
            # but "who is the coordinator?" is answered by a quote naming someone
            # beside the role ("our service coordinator, Dolores Fenwick")
            named = [i for i in named if holds_role(quotes[i], role[1])] if role is not None else makers or []
    if settings.year_needs_year and asks_year(question):
        # "Mama Zawadi alizaliwa mwaka gani?" is not answered by her years of experience,
        # nor "En quelle année la salle a-t-elle été construite ?" by the year it closed
        founding = settings.founding_needs_founding and asks_founding_year(question)
        numbered = _holding_first(quotes, tells_founding_year if founding else has_year, numbered)
        if not numbered:
            return Verdict(False, NEEDS_YEAR), []
    if settings.age_needs_age and asks_age(question):
        # "ป้าศรีอายุเท่าไร" is not answered by the year she moved, nor "Mwalimu … ana
        # umri wa miaka mingapi?" by her years of teaching
        numbered = _holding_first(quotes, has_age, numbered)
        if not numbered:
            return Verdict(False, NEEDS_AGE), []
    contact = asks_contact(question) if settings.contact_needs_contact else ""
    if contact:
        # "What is the e-mail address of the club?": an article about the club
        # that gives none is not an answer, however close it is in meaning.
        reached = [i for i, q in enumerate(quotes) if has_contact(q, contact)]
        if not reached:
            return Verdict(False, NEEDS_CONTACT), []
        return ANSWER, reached
    first = numbered or named
    further = quotes + (later or [])
    if settings.hours_needs_clock and asks_clock(question) and not any(has_clock_time(q) for q in further):
        return Verdict(False, NEEDS_HOURS), []
    if order.time_words:
        if asks_hours(question):
            first = [i for i, q in enumerate(further) if has_clock_time(q)] or first
        elif asks_date(question):
            first = [i for i, q in enumerate(further) if has_date(q)] or first
        if not first and asks_time(question):
            first = [i for i, q in enumerate(quotes) if has_time(q)]
            if order.day:
                # "When does the nursery take its first children?": "on Monday 2 March"
                # before "24 places for children aged from 10 weeks", which says when
                # only by its "weeks"; a year says when as a day does ("founded in 2019")
                dated = [i for i in first if has_date(quotes[i]) or has_year(quotes[i])]
                first = dated + [i for i in first if i not in dated]
    measure = asked_dimension(question) if order.unit else ""
    if measure:
        # "Uzio … una urefu gani?": "wenye urefu wa kilomita 2.4" before "mizinga 160 …"
        pool = first or list(range(len(quotes)))
        sized = [i for i in pool if has_unit(further[i], measure)]  # (the hours' `first` may be later ones)
        first = sized + [i for i in pool if i not in sized] if sized else first
    if not first and settings.price_keyword_first and names_a_price(question):
        # "tilapia buying price": the quotes stating a price first, never a decline
        first = _stating_price(question, quotes)
    return ANSWER, first


def _stating_price(question: str, quotes: list[str]) -> list[int]:
    """The indexes of the quotes that state the price asked: an amount of money
    first, then "free" (which holds no number); a percentage for a fee ("a 2 %
    fee")."""
    fee = asks_fee(question)
    money = [has_money(q) or (fee and has_percent(q)) for q in quotes]
    return [i for i, m in enumerate(money) if m] + [i for i, q in enumerate(quotes) if not money[i] and says_free(q)]


def _holding_first(quotes: list[str], holds: Callable[[str], bool], numbered: list[int]) -> list[int]:
    """The indexes of the quotes that `holds` accepts, then the rest of `numbered`;
    empty when no quote is accepted (the question is then declined)."""
    held = [i for i, q in enumerate(quotes) if holds(q)]
    return held + [i for i in numbered if i not in held] if held else []


def _counting_first(question: str, quotes: list[str], numbered: list[int], langs: list[str] | None,
                    settings: DeclineSettings, spelling: tuple[int, int] | None = None) -> list[int]:
    """`numbered` with the quotes that count what the question counts first: a
    number before the classifier of a Thai "กี่" question ("รุ่นละกี่คน": "ไม่เกินรุ่นละ
    10 คน" before "ทั้งหมด 3 รุ่น"), or a count within `count_near_thing` words of
    the thing a "how many" question names, in a quote of its language, when the
    first such quote is in that language too."""
    counted = thai_classifier(question)
    thing = counted_thing(question) if counted is None else None
    if counted is not None:
        lang = "th"
    elif thing is not None and settings.count_near_thing and asks_count(question, spelling) == thing[0]:
        lang = thing[0]
    else:
        return numbered
    if langs is None or langs[numbered[0]] != lang:
        return numbered  # a first quote in another language, where the count may be said any way, stays first

    def counts(quote: str) -> bool:
        if counted is not None:
            return holds_count(quote, counted)
        assert thing is not None
        return counts_near(quote, lang, thing[1], settings.count_near_thing, spelling)

    held = [i for i in numbered if langs[i] == lang and counts(quotes[i])]
    return held + [i for i in numbered if i not in held]


def lacks_place(question: str, articles: list[str], langs: list[str], settings: DeclineSettings) -> bool:
    """A question after the hours of a place or service (`hours_thing`: "what
    time does the ticket office open", "les horaires de la déchetterie", "duka
    la dawa hufunguliwa saa ngapi", "คลีนิคเปิดกี่โมง") whose first quotes are all
    in its language and none of whose articles (`articles`, their texts) names
    that place (`hours_need_place`): an article giving other hours is not about
    it.  Quotes in another language are not judged (the place may be named by
    any word there)."""
    if not settings.hours_need_place or not articles:
        return False
    place = hours_thing(question)
    if place is None or any(lang != place[0] for lang in langs):
        return False

    def names(term: str, held: str) -> bool:
        # a chat spelling cut short or run together names the place too ("mornin" for
        # "mornings", "signups" for "sign up"): one term begins the other
        return term == held or min(len(term), len(held)) >= 4 and (held.startswith(term) or term.startswith(held))

    return not any(names(term, held) for text in articles for held in thing_terms(text, place[0])
                   for term in place[1])


def _lacks_thing(question: str, quotes: list[str], numbered: list[int], langs: list[str] | None,
                 settings: DeclineSettings, spelling: tuple[int, int] | None = None) -> bool:
    """A "how many X" or "how much does X cost" question whose quotes with a number
    are all in the question's language and none names X (`counted_needs_thing`):
    "Combien coûte un croissant ?" is not answered by the bakery's wage bill in
    euros.  Quotes in another language are not judged (a translation of X may
    be any word).  Nor is a question after what someone is paid answered by
    quotes none of which tells a pay (`wage_needs_pay`): "Combien sont payés les
    agents recenseurs ?" is not answered by what the census costs the town."""
    if langs is None:
        return False
    wage = asks_wage(question) if settings.wage_needs_pay else ""
    if wage and all(langs[i] == wage for i in numbered) and not any(holds_wage(quotes[i]) for i in numbered):
        return True
    if not settings.counted_needs_thing:
        return False
    counted = thai_classifier(question)
    if counted is not None:  # Thai: "N <classifier>" ("กี่คน": "12 คน") or "<thing> N" in a Thai quote
        return all(langs[i] == "th" for i in numbered) and not any(
            holds_count(quotes[i], counted) for i in numbered)
    thing = counted_thing(question)
    if thing is None:
        return False
    lang, terms = thing
    if any(langs[i] != lang for i in numbered):
        return False
    if not any(holds_thing(quotes[i], lang, terms, spelling) for i in numbered):
        return True
    # ... and a count counts the thing: "How many smoke alarms did the service fit last
    # year?" is not answered by "will fit free smoke alarms in the homes of over-65s"
    window = settings.count_near_thing
    return bool(window) and asks_count(question, spelling) == lang and not any(
        counts_near(quotes[i], lang, terms, window, spelling) for i in numbered)
