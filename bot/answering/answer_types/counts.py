"""Counts: does a "how many" question count things or people (and which thing,
or which Thai classifier), and does a passage hold a number that counts them,
not an amount, a percentage, a year, a date, a clock time, a duration, a
measure or a code.

"How many employees does Bitwise have?" is not answered by its turnover nor by
the year it was founded; "how many members" by a number near the members.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answering.answer_types.dates import _NUMBERED_DATE, asks_date
from bot.answering.answer_types.hours import _CLOCK_TIME, asks_clock
from bot.answering.answer_types.measures import _UNIT_WORDS_BY_MEASURE, _WITH_UNIT, asked_unit
from bot.answering.answer_types.money import _CURRENCY_NAMES, _MONEY, _THAI_CURRENCY_NAMES, asks_price, asks_share
from bot.answering.answer_types.numbers import _LIST_MARK, _SW_AGREEING_NUMBER, _TH_HOW_MANY, NUMBER_WORDS, has_number
from bot.answering.answer_types.things import (
    _SW_FIRST_WORDS,
    _SW_LEAD,
    SW_THING_WORDS,
    _asked_group,
    _names_one_of,
    _thing,
    _with_roots,
)
from bot.answering.answer_types.times import (
    _DURATION,
    _SW_UNIT_WORDS,
    _TH_NUMBER_WORDS,
    _TH_UNIT,
    _TIME_UNIT,
    asks_duration,
    asks_frequency,
)
from bot.answering.answer_types.years import _AGE_FORM, _ANY_YEAR, asks_age, asks_year

# A word of a thing's name, hyphens included ("e-bike", "aller-retour").
_THING_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)*"
# Where a priced thing's name ends: a place or a condition follows, or the question does.
_THING_END = r"(?=\s+(?:of|at|for|in|on|from|to|per|with|if|when|during|by)\b|\s*[?.!,;]|\s*$)"
# The complement of a French thing priced when it says what kind ("l'intégration d'un
# client", "la carte de dix séances"), not whose or where ("du musée", "de la halle").
_FR_KIND = r"(?:\s+(?:d['’]\s*|de\s+)(?!la\b|l['’]|les\b)(?:une?\s+)?[^\W\d_]+(?:\s+[^\W\d_]+)?)?"


# The thing a "how many" question counts, or a price question prices, where
# the question names it plainly: "how many members", "combien de parcelles",
# "wanachama wangapi", "combien coûte un croissant", "how much does a ticket
# cost", "bei ya tiketi".  Thai is left out: its counted nouns come with
# classifiers ("สมาชิกกี่คน"), and a plain Thai pattern would take the
# classifier.  Words that ask the time or how often ("saa ngapi", "mara
# ngapi"), name the money itself ("shilingi ngapi") or a unit of time
# ("dakika ngapi") count nothing.
_COUNTED = re.compile(
    r"\bhow\s+many\s+(?P<en>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    # (two words in French too: an adjective may come first, "combien de nouveaux clients")
    r"|\bcombien\s+(?:de|d['’])\s*(?P<fr>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    r"|\b(?P<sw>[^\W\d_]+)\s+(?:wa|mi|ma|vi)?ngapi\b"  # the noun, then -ngapi agreeing with it
    r"|\bhow\s+much\s+(?:does|do|is|are)\s+(?!it\s)(?:an?\s+|the\s+)?(?P<en2>[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+cost"
    # ... the thing before "of / at / for" ("a backstage tour of the Playhouse", "the
    # new lift at the museum", "a ticket for the concert"): the thing, not its place
    r"|\bhow\s+much\s+(?:does|do|did|will|would|is|are|was|were)\s+(?:an?|the)\s+"
    r"(?P<en3>[^\W\d_]+(?:\s+[^\W\d_]+){0,2}?)\s+(?:of|at|for|in|on|from)\b"
    # ... with its complement when that says what kind (_FR_KIND)
    r"|\bcombien\s+co[uû]t(?:e|ent|era|eront|erait|eraient|ait|aient)\s+(?:une?\s+|les?\s+|la\s+|l['’]\s*)?"
    rf"(?P<fr2>[^\W\d_]+{_FR_KIND})"
    # the price of a thing named after it: "what is the price of a coffee", "the fare
    # for a camper van on …", "how much does it cost to hire the events room", "le
    # prix du pain", "le montant de l'amende", "ada ya kupima shamba"; what is done
    # counts as the thing too ("parking costs £2" answers "to park a car"); a total
    # ("the total cost of the works") is the whole subject's, no thing of its own
    r"|\bwhat(?:['’]s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+the\s+"
    r"(?!(?:total|overall|full|whole|estimated)\b)(?:[^\W\d_]+\s+)?"
    r"(?:price|cost|fare|fee|charge|rent)s?\s+(?:of|for)\s+(?:an?\s+|the\s+|one\s+)?"
    rf"(?P<en4>[^\W\d_]+(?:\s+[^\W\d_]+){{0,2}}?){_THING_END}"
    # (and what a firm charges to do: "how much does the shop charge to replace the zip")
    r"|\bhow\s+much\s+(?:does|did|will|would)\s+(?:it\s+cost|[^?]{1,60}?\s+charge)\s+to\s+"
    rf"(?P<en5>[^\W\d_]+\s+(?:an?|the|my|our|your)\s+{_THING_WORD}(?:\s+{_THING_WORD}){{0,2}}?){_THING_END}"
    r"|\b(?:prix|co[uû]ts?|tarifs?|montants?|frais)\s+(?:d['’]\s*|du\s+|des\s+|de\s+(?:la\s+|l['’]\s*)?)"
    # (and the word after the noun: "la part fixe", "le mètre cube d'eau")
    rf"(?:une?\s+)?(?P<fr3>[^\W\d_]+(?:\s+(?!d['’]|de\b|du\b|des\b)[^\W\d_]+)?{_FR_KIND})"
    # (fewer nouns than `_SW_PRICE_NOUN`: "kiingilio cha maonyesho" and "ushuru wa
    # soko" name the event or the place, not a thing priced; two words after "bei ya"
    # let "bei ya lita moja" be met by any "moja", one.  Both measured, 116 sets.)
    r"|\bbei\s+ya\s+(?P<sw2>[^\W\d_]+)"
    r"|\b(?:ada|gharama|nauli|kodi|faini)\s+ya\s+(?P<sw3>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    # the thing sold or costing, first in a Swahili question ("Chandarua kimoja
    # kinauzwa shilingi ngapi", "Bima ya pikipiki inagharimu kiasi gani"): its
    # first three words, before the verb
    rf"|{_SW_LEAD}(?P<sw4>{_SW_FIRST_WORDS})\s+[^\W\d_]{{1,6}}(?:uzwa|gharimu|kodishwa)\b",
    re.IGNORECASE,
)
# Nouns that count or price nothing in particular ("how many times", "combien
# d'argent"), money ("pesa ngapi": "TSh 20,000"; its units, "sh ngapi", "how
# many dollars", are the currency names of `_MONEY`), the generic "things /
# choses / vitu" that any item answers ("How many things can I borrow at a
# time?": "up to three items"), and a number or an amount itself ("By how much
# did the number of people trained grow?": the people are counted).
_COUNTS_NOTHING = frozenset({"saa", "mara", "kiasi", "bei", "ni", "time", "times",
                             "temps", "fois", "argent", "pesa", "fedha", "hela", "money", "cash",
                             "thing", "things", "item", "items", "stuff",
                             "chose", "choses", "truc", "trucs", "kitu", "vitu",
                             "number", "numbers", "amount", "total", "nombre", "montant", "idadi"})


# "how many" right before a verb: an auxiliary ("how many were / have / did …"), or
# a past form followed by no noun ("how many voted?", "how many lacked a …",
# "how many signed up"; not "how many registered voters", "how many speed cameras").
_VERB_ADVERBS = frozenset({"actually", "really", "currently", "still", "already", "finally", "eventually",
                           "ultimately", "usually", "typically", "normally", "regularly", "successfully", "also"})
_AUXILIARY = frozenset({"are", "were", "is", "was", "have", "has", "had", "do", "did", "does", "will",
                        "would", "can", "could", "should", "may", "might", "must"})


def _counts_by_verb(named: list[str]) -> bool:
    from bot.knowledge.analysis import get_analyzer

    first = named[0].casefold()
    # (an adverb first is the verb's: "how many actually got work", "how many really came")
    return first in _AUXILIARY or first in _VERB_ADVERBS or (first.endswith("ed") and (
        len(named) == 1 or named[1].casefold() in get_analyzer("en").stopwords))


# People in general: "how many people / combien de personnes / watu wangapi" is
# answered by any group counted ("612 residents", "40 bénévoles", "wakulima 300").
_ANY_PEOPLE = frozenset({"people", "persons", "individuals", "personnes", "gens", "individus", "watu"})


_EN_PLURAL = re.compile(r"[^\W\d_]{2,}(?<![su])s", re.IGNORECASE)  # "spaces", not "bus", "class", "campus"


@lru_cache(maxsize=256)  # read by several rules for one answer
def counted_thing(question: str) -> tuple[str, frozenset[str]] | None:
    """(language, index terms) of what a "how many" or price question counts or
    prices, when it names it plainly; None otherwise."""
    match = _COUNTED.search(question)
    if match is None:
        return None
    group, lang = _asked_group(match)
    named = match.group(group).split()[:SW_THING_WORDS if group == "sw4" else None]
    if named[0].casefold() in _ANY_PEOPLE:
        return None  # "how many people signed?": "612 residents" counts them
    if group == "en" and _counts_by_verb(named):
        # "Of the homes that caught fire, how many lacked an alarm?", "how many were
        # sold?": a verb, the thing counted is named before it or not at all
        return None

    # a unit of time counts nothing either ("dakika ngapi" is a duration, asks_duration),
    # nor does a currency (a price's amount names it)
    def counts_nothing(w: str) -> bool:
        return w.casefold() in _COUNTS_NOTHING or bool(_TIME_UNIT.fullmatch(w)) or bool(_MONEY.fullmatch(w))

    if counts_nothing(named[0]):
        return None  # "combien de jours garde-t-on …": a duration, not "garde" counted
    words = [w for w in named if not counts_nothing(w)]
    if group == "en":
        # the head of "how many parking spaces / helicopter flights" is its plural:
        # "the car park" does not name the spaces counted
        plural = [w for w in words if _EN_PLURAL.fullmatch(w)]
        words = plural[:1] or words
    return _thing(" ".join(words), lang)


# A "how many" question asks a count: "how many volunteers", "combien de
# moniteurs", "wajitolea wangapi".  Not one after an amount of money, a duration,
# a share, an age, a year, a clock time or how often (their own rules), nor one
# whose counted noun is a unit ("combien de kilomètres", "lita ngapi": a measure).
_COUNT_GROUPS = ("en", "fr", "sw")
# (the units of `_UNIT_WORDS_BY_MEASURE`, Latin letters, as one alternation)
_MEASURE_UNIT = "(?:" + "|".join(latin for latin, _ in _UNIT_WORDS_BY_MEASURE.values()) + ")"
_CURRENCY_WORD = rf"(?:{_CURRENCY_NAMES}|p|livres?|{_THAI_CURRENCY_NAMES})"  # after a number: "20p", "185 000 livres"
_UNIT_NOUN = re.compile(rf"{_MEASURE_UNIT}|{_CURRENCY_WORD}", re.IGNORECASE)
# A number that counts nothing: one beside a currency or a percentage ("1,40
# euro", "£2.20", "shilingi 45,000", "41 %", "ร้อยละ 40") or an age ("aged 65", "aged 15
# to 25": the range's end is an age too); and
# (`_counts_only`) a measure with its unit ("1,100 sq m", "30 km/h", `_WITH_UNIT`),
# a year, a date, a clock time, a duration or an age in its other forms.
_FIGURE = r"(?:[\d๐-๙]+(?:[.,\u00a0\u202f ][\d๐-๙]{3})*(?:[.,][\d๐-๙]+)?)"
_NOT_A_COUNT = re.compile(
    rf"(?:[$€£¥฿₦₹]|\b(?:shilingi|sh|tsh|ksh|usd|dola|asilimia)\b\.?|ร้อยละ)\s*{_FIGURE}"
    rf"|{_FIGURE}\s*(?:(?:millions?|milliards?|milioni|bilioni|billions?|bn|m|k)\s+)?(?:d['’]\s*)?"
    rf"(?:%|[$€£¥฿]|(?:per\s*cent|pour\s*cent|percent|{_CURRENCY_WORD})(?![^\W\d_]))"
    # an age and the range it opens ("aged 5 to 15", "âgés de 18 à 60 ans", "ages 8-12")
    rf"|\b(?:aged|ages|[âa]g[ée]e?s\s+de)\s+{_FIGURE}(?:\s*(?:-|–|to|à)\s*{_FIGURE})?",
    re.IGNORECASE,
)


# Units spelt out, for a unit misspelt in a chat question ("sku ngapi", "dakka ngapi")
_UNIT_WORDS = ("hours", "minutes", "seconds", "days", "weeks", "months", "years", "heures", "jours",
               "semaines", "années", "secondes", *_SW_UNIT_WORDS, "sekunde", "kilometres", "kilomètres", "metres",
               "mètres", "litres", "tonnes", "kilos", "hectares", "euros", "dollars", "pounds", "shilingi")


@lru_cache(maxsize=256)  # read by several rules for one answer
def asks_count(question: str, spelling: tuple[int, int] | None = None) -> str:
    """The language of a question asking how many things or people ("how many
    volunteers", "combien de familles", "watu wangapi"), "" for any other (a
    measure asked in a unit is `asked_unit`'s): its answer is a number that
    counts, not an amount, a share, a year or a measure.
    With `spelling` (the misspellings bridge's reading), a unit misspelt ("samaki
    anachomwa dakka ngapi") asks a measure too."""
    if (asks_price(question) or asks_duration(question) or asks_share(question) or asks_age(question)
            or asks_year(question) or asks_date(question) or asks_clock(question) or asks_frequency(question)
            or asked_unit(question)):
        return ""  # (a date too: "itaanza tarehe ngapi?", on what date, counts no "tarehe")
    match = _COUNTED.search(question)
    if match is None:
        return ""
    group, _lang = _asked_group(match)
    if group not in _COUNT_GROUPS:
        return ""
    first = match.group(group).split()[0]
    if _UNIT_NOUN.fullmatch(first):  # (time, money and "things" count nothing in `counted_thing`)
        return ""
    if spelling is not None:
        from bot.answering.misspellings import misspelling_of

        if any(misspelling_of(first.casefold(), unit, *spelling) for unit in _UNIT_WORDS):
            return ""
    if first.casefold() not in _ANY_PEOPLE and counted_thing(question) is None:
        return ""  # "how many were sold?": no thing named, any number may answer
    return group


# A code of Latin letters and digits ("Zone H1", "A4", "the M25", "VV-540", "CO2"):
# a name, not a count ("park in any H1 bay" does not say how many bays there are).
_CODE = re.compile(r"(?<![^\W\d_])[A-Za-z]{1,4}-?\d+[A-Za-z\d-]*(?![^\W_])")


def _counts_only(text: str, patterns: tuple[re.Pattern[str], ...] | None = None) -> str:
    """`text` with every number that counts nothing blanked (a year, a date, a
    clock time, a duration, an amount, a percentage, a measure, a code, a list
    item's number): what is left counts, if anything does.  `patterns`: only
    these (a Thai count may ask a unit: "กี่ตัน", "กี่ชม.")."""
    if patterns is None:
        patterns = (_ANY_YEAR, _NUMBERED_DATE, _CLOCK_TIME, _DURATION, _AGE_FORM, _NOT_A_COUNT, _CODE,
                    *_WITH_UNIT.values())
    spans = [m.span() for pattern in patterns for m in pattern.finditer(text)]
    chars = list(_LIST_MARK.sub(lambda m: " " * len(m.group()), text, count=1))
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def holds_count_number(text: str) -> bool:
    """Whether `text` holds a number that counts things: "38 members", "deux
    moniteurs", "wanachama 120"; not only "£2.20", "41 %", "in 2023", "30 km/h"."""
    return has_number(_counts_only(text))


def counts_near(text: str, lang: str, terms: frozenset[str], window: int,
                spelling: tuple[int, int] | None = None) -> bool:
    """Whether a number that counts stands within `window` words of one of
    `terms` (the thing counted) in `text`: "the club now has 38 paying members",
    not "members pay £20" beside "Riverside's 2,000 households" further on."""
    from bot.knowledge.analysis import get_analyzer

    analyzer = get_analyzer(lang)
    things: list[int] = []
    numbers: list[int] = []
    for position, (kind, token) in enumerate(analyzer.segment(_counts_only(text))):
        if kind == "num" or token.casefold() in NUMBER_WORDS or _SW_AGREEING_NUMBER.fullmatch(token):
            numbers.append(position)
            continue
        term = analyzer.term(kind, token)
        if term and _names_one_of(_with_roots(frozenset({term}), lang), terms, spelling):
            things.append(position)
    return any(abs(t - n) <= window for t in things for n in numbers)


# Thai counts with a classifier after the number: "พนักงานกี่คน" (how many staff)
# is answered by "12 คน", "สามพันคน", not by any number ("81 ปี", "10,000 บาท"),
# or names the number right after the thing ("ถือศีลกี่ข้อ": "ศีล 8").
# Units of time (a duration, judged by `asks_duration`), money (a price) and
# โมง (the clock) are left to their own rules.
_TH_COUNTED = re.compile(rf"([\u0e00-\u0e7f]*){_TH_HOW_MANY}\s*([\u0e00-\u0e7f]+)")
# What a Thai "กี่ X" counts that the counted-thing rule leaves to other rules
# (`thai_classifier`): units of time, money, the clock.
_TH_NOT_COUNTED = re.compile(rf"{_TH_UNIT}|วินาที|โมง|บาท|ทุ่ม")
_TH_NUMBER_RUN = rf"(?:\d[\d,.]*|(?:{_TH_NUMBER_WORDS}|หนึ่ง)+)"


@lru_cache(maxsize=256)  # read by several rules for one answer
def thai_classifier(question: str) -> tuple[str, str] | None:
    """(the thing counted, the classifier) of a Thai "how many" question: the
    last syllable of the word before กี่ (the head of a compound: ถือศีล ->
    ศีล) and the word after it ("ถือศีลกี่ข้อ" -> ศีล, ข้อ); None when it asks
    no count or counts time, money or the clock."""
    from pythainlp.tokenize import syllable_tokenize

    from bot.knowledge.analysis import get_analyzer
    from bot.knowledge.analysis.thai import ThaiAnalyzer

    match = _TH_COUNTED.search(question)
    if match is None:
        return None
    thai = get_analyzer("th")
    assert isinstance(thai, ThaiAnalyzer)
    words = thai.words
    after = words(match.group(2))
    if not after or _TH_NOT_COUNTED.match(after[0]):
        return None
    before = words(match.group(1))
    syllables = syllable_tokenize(before[-1], engine="dict") if before else []  # offline, no CRF model
    return (syllables[-1] if syllables else ""), after[0]


# Thai classifiers that count alike: times (ครั้ง, รอบ, หน: "ทอดซ้ำได้กี่รอบ" is answered
# by "ไม่เกิน 2 ครั้ง") and people (คน, the polite ท่าน; not ราย, cases, which counts
# fines or patients as often as people).
_TH_KIN_CLASSIFIERS = (("ครั้ง", "รอบ", "หน"), ("คน", "ท่าน"))
# What a Thai count does not read (`holds_count`): years, dates and codes.
_NOT_A_THAI_COUNT = (_ANY_YEAR, _NUMBERED_DATE, _CODE)


def holds_count(text: str, counted: tuple[str, str]) -> bool:
    """Whether `text` counts as asked: a number right before the classifier, or
    right after the thing counted ("ศีล 8"), or right after the word after กี่
    when that is the noun counted, its own classifier in the question ("กี่คำถาม",
    how many questions: "คำถาม 4 ข้อ").  Years, dates and codes are not read
    (`_counts_only`): the thing is a syllable, and "มีนาคม 2569" (March 2569) is
    not "คม 2569" for a question counting after ตุลาคม; a unit may be what is
    counted ("กี่ตัน", tonnes), so amounts and measures are."""
    thing, classifier = counted
    text = _counts_only(text, _NOT_A_THAI_COUNT)
    said = "|".join(map(re.escape, next((kin for kin in _TH_KIN_CLASSIFIERS if classifier in kin), (classifier,))))
    return (re.search(rf"{_TH_NUMBER_RUN}\s*(?:{said})", text) is not None
            or re.search(rf"(?:{said})\s*{_TH_NUMBER_RUN}", text) is not None
            or (bool(thing) and re.search(rf"{re.escape(thing)}\s*{_TH_NUMBER_RUN}", text) is not None))
