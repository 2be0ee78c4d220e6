"""The answer-type rules: a question is answered only by quotes holding what it asks.

Lexical scores and cosines cannot tell "How many employees does Bitwise have?"
from a question the articles answer: the best sentence names Bitwise's
employees; what it lacks is a number.  The readers of each kind of answer
(does a question ask for it, does a passage hold it) are the package
answering/answer_types/; these rules apply them to the first quotes, declining
a question none of them answers and putting those that answer it first.  The
reasons they decline with (`needs_number` ...) are defined, each with what it
means, in answering/decision.py: "why was this declined?" is answered there.
"""

from __future__ import annotations

from collections.abc import Callable
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
from bot.answering.answer_types.dates import asks_date, has_date
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
from bot.answering.answer_types.names import asked_kind, asks_name, has_name, named_thing, names_a_kind
from bot.answering.answer_types.numbers import has_number
from bot.answering.answer_types.reasons import asks_reason, gives_reason
from bot.answering.answer_types.roles import asked_role, asks_maker, asks_winner, holds_role, tells_maker, tells_winner
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
from bot.answering.decision import (
    ANSWER,
    NEEDS_AGE,
    NEEDS_CONTACT,
    NEEDS_DURATION,
    NEEDS_HOURS,
    NEEDS_NAME,
    NEEDS_NUMBER,
    NEEDS_PRICE,
    NEEDS_SHARE,
    NEEDS_THING,
    NEEDS_YEAR,
    Verdict,
)
from bot.core.config import DeclineSettings


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
    reason: bool = False  # quotes.why_prefers_reason: "why" by a quote giving a reason


def judge_answer_type(question: str, quotes: list[str], settings: DeclineSettings,
                      langs: list[str] | None = None, later: list[str] | None = None,
                      spelling: tuple[int, int] | None = None,
                      order: QuoteOrder = QuoteOrder(),
                      articles: list[str] | None = None) -> tuple[Verdict, list[int]]:
    """A "how many" question is answered only by quotes that hold a number (a
    "what share" one by a percentage or a fraction), a "how much does it cost"
    question only by quotes holding an amount of money, a "what is it called"
    question only by quotes that hold a name, a question after an e-mail
    address, a phone number or a website only by quotes holding one
    (answering/decision.py's docstring lists every such rule); also which of
    `quotes` hold what the question asks for, in the order the composer shows
    them first (each quote is checked once: a Thai number check segments it).
    With `order.time_words` (`quotes.time_prefers_time_words`), "What are the
    opening hours?" puts the quotes holding a clock time before those holding
    any number (Thai "เปิดกี่โมง", what time, is also a "how many": a price is
    not the answer), "Which day …?" those naming a day (a date, a month, a
    weekday; for both, those also holding the number or the name asked first), and
    "When ...?" those that say when (with `order.day`, those naming a day, a
    date or a year first), and with `order.unit` "How wide /
    quelle hauteur / urefu gani …?" those giving a number with a unit of that
    measure, and with `order.reason` "Why …?" those giving a reason by a
    connective of their own language ("because", "car", "kwa kuwa", "เพราะ"),
    from the first quote's article (`articles`: each quote's article id); only the
    hours may decline (`hours_needs_clock`, whatever the order).  The opening hours and the
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
        winner = asks_winner(question)
        # (who won: the winner is named by a quote saying someone won, below)
        kind = asked_kind(question) if settings.name_near_kind and not winner else ""
        if kind and langs is not None and all(langs[i] == kind for i in named) and not any(
                names_a_kind(quotes[i], question, kind, settings.name_near_kind) for i in named):
            # "Which hospital in Dodoma are the surgeons from?" is not answered by
            # "surgeons from Dar es Salaam and Dodoma": no hospital is named
            return Verdict(False, NEEDS_NAME), []
        if winner and not any(tells_winner(quotes[i]) for i in named):
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
        # the hours by a clock time, the day by a date; "How many traps are given out, and
        # on what day?": among those quotes, the ones holding what the rules above asked
        # for (a number, a name) first
        when = has_clock_time if asks_hours(question) else has_date if asks_date(question) else None
        if when is not None:
            timed = [i for i, q in enumerate(further) if when(q)]
            first = _put_first(timed, [i for i in timed if i in first]) if timed else first
        if not first and asks_time(question):
            first = [i for i, q in enumerate(quotes) if has_time(q)]
            if order.day:
                # "When does the nursery take its first children?": "on Monday 2 March"
                # before "24 places for children aged from 10 weeks", which says when
                # only by its "weeks"; a year says when as a day does ("founded in 2019")
                dated = [i for i in first if has_date(quotes[i]) or has_year(quotes[i])]
                first = _put_first(first, dated)
    measure = asked_dimension(question) if order.unit else ""
    if measure:
        # "Uzio … una urefu gani?": "wenye urefu wa kilomita 2.4" before "mizinga 160 …"
        pool = first or list(range(len(quotes)))
        sized = [i for i in pool if has_unit(further[i], measure)]  # (the hours' `first` may be later ones)
        first = _put_first(pool, sized) if sized else first
    reasoned = asks_reason(question) if order.reason and not first else ""
    if reasoned and langs is not None and articles:
        # "Pourquoi faut-il laisser les chats à jeun la veille ?": "…, car un animal qui a
        # faim entre plus facilement dans la trappe" before the sentence naming more of its
        # words; within the first quote's article (a connective does not choose the article)
        first = [i for i, q in enumerate(quotes) if articles[i] == articles[0] and gives_reason(q, langs[i])]
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


def _put_first(pool: list[int], held: list[int]) -> list[int]:
    """`held` (quote indexes, in their order), then the rest of `pool` in its
    order: how every rule here brings the quotes holding what is asked forward."""
    return held + [i for i in pool if i not in held]


def _holding_first(quotes: list[str], holds: Callable[[str], bool], numbered: list[int]) -> list[int]:
    """The indexes of the quotes that `holds` accepts, then the rest of `numbered`;
    empty when no quote is accepted (the question is then declined)."""
    held = [i for i, q in enumerate(quotes) if holds(q)]
    return _put_first(numbered, held) if held else []


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
    return _put_first(numbered, held)


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
