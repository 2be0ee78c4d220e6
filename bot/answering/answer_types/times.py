"""Times: does a question ask when, how long or how often, and does a passage
say when (a time word, a year, a clock time), give a duration ("six weeks",
"siku saba") or a frequency ("every hour", "kila siku").

"When did the market move?" puts the quotes that say when first; "how long"
and "how often" are answered by a duration or a frequency, not by any number.
"""

from __future__ import annotations

import re

from bot.answering.answer_types.dates import _FROM_UNTIL_WHEN, DAY_NAMES, MONTH_NAMES
from bot.answering.answer_types.hours import has_clock_time
from bot.answering.answer_types.numbers import _SW_CLASS, _SW_ONE_TO_TEN, NUMBER_WORDS, _has_word
from bot.answering.answer_types.patterns import CHAT_CEST
from bot.answering.answer_types.years import _YEAR
from bot.core.scripts import THAI

# "when" as a question: sentence-initial in French and English, and only
# when no other interrogative follows (inside a sentence, and in "Quand il
# lit les avis, lesquels regarde-t-il ?", "quand" / "when" is a conjunction);
# anywhere for the unambiguous forms.
_INITIAL_WHEN = re.compile(r"^\W*(?:quand|when)\b", re.IGNORECASE)
_OTHER_INTERROGATIVE = re.compile(
    r"\b(?:qui|que|qu|quoi|quels?|quelles?|lequel|laquelle|lesquel(?:le)?s|comment|pourquoi|combien|où"
    r"|what|which|who|whom|whose|why|how|where)\b",
    re.IGNORECASE,
)
_EST_CE_QUE = re.compile(r"\best[-\s]ce\s+qu(?:e\b|['’])", re.IGNORECASE)  # "Quand est-ce que ..."
_TIME_QUESTION = re.compile(
    rf"{_FROM_UNTIL_WHEN}|\b(?:depuis|pour|since)\s+(?:quand|when)\b"
    r"|\bà\s+quel(?:le)?\s+(?:moment|époque|heure|date|période)\b"
    rf"|{CHAT_CEST}\s+quand\b"  # chat French: "c'est quand l'inauguration ?"
    r"|\ben\s+quelle\s+(?:année|saison)\b|\bwhat\s+(?:time|year|day|date)\b"
    r"|\blini\b|\bwakati\s+gani\b|\b(?:mwaka|siku|mwezi)\s+gani\b"
    r"|เมื่อไร|เมื่อไหร่|เมื่อใด|ช่วงไหน|ช่วงใด|ตอนไหน|ตอนใด|วันไหน|ปีไหน",
    re.IGNORECASE,
)

# Words that say when: time conjunctions and prepositions, units of time.
TIME_WORDS: frozenset[str] = frozenset("""
quand lorsque lorsqu lors après avant pendant durant dès depuis jusqu tandis
jour jours semaine semaines mois an ans année années siècle siècles décennie décennies
hier aujourd demain matin soir heure heures
when whenever after before during while until since once ago
day days week weeks month months year years decade decades century centuries
yesterday today tomorrow morning evening hour hours
wakati baada kabla tangu hadi lini siku wiki mwezi miezi mwaka miaka karne saa jana leo kesho
เมื่อ หลัง หลังจาก ก่อน ระหว่าง ขณะ ขณะที่ ตอน ช่วง วัน สัปดาห์ เดือน ปี ทศวรรษ ศตวรรษ เมื่อวาน วันนี้ พรุ่งนี้
printemps automne hiver spring summer autumn winter
""".split()) | DAY_NAMES | MONTH_NAMES
# (Seasons say when too; not "été" (also "been").)


def asks_time(question: str) -> bool:
    """True when the question asks when (any of fr/en/sw/th)."""
    question = question.strip()
    if _TIME_QUESTION.search(question):
        return True
    initial = _INITIAL_WHEN.match(question)
    if not initial:
        return False
    rest = _EST_CE_QUE.sub(" ", question[initial.end():])
    return bool(rest.strip()) and not _OTHER_INTERROGATIVE.search(rest)


def has_time(text: str) -> bool:
    """True when `text` holds a time word (TIME_WORDS), a year or a clock time
    ("the last one will leave at 10:30pm" says when)."""
    return bool(_YEAR.search(text)) or has_clock_time(text) or _has_word(text, TIME_WORDS)


# Swahili units of time (Swahili puts the unit before its number: "saa tatu",
# "siku saba"); "saa / siku / mara ngapi" asks a time, a duration or how often.
_SW_UNIT_WORDS = ("saa", "masaa", "siku", "wiki", "mwezi", "miezi", "mwaka", "miaka", "dakika")  # masaa: hours, said
_SW_UNIT = "(?:" + "|".join(_SW_UNIT_WORDS) + ")"
_NOT_AFTER_SW_UNIT = "".join(rf"(?<!{word}\s)" for word in ("mara", *_SW_UNIT_WORDS))


# "How many hours / days / years", "how long does it take", "combien de temps",
# "pendant combien de jours", "siku ngapi", "muda gani", "กี่วัน", "นานแค่ไหน": a
# duration.  "Saa ngapi" is left out (it asks the clock time), and so is "how
# long is" (a length as often as a time).
_TH_UNIT = "(?:ชั่วโมง|วัน|สัปดาห์|อาทิตย์|เดือน|ปี|นาที)"  # Thai units of time
_DURATION_QUESTION = re.compile(
    r"\bhow\s+many\s+(?:hours?|days?|weeks?|months?|years?|minutes?)\b"
    r"|\bhow\s+long\s+(?:does|do|did|will|would|has|have|had|can|should|must)\b"
    r"|\bcombien\s+(?:de|d['’])\s*(?:heures?|jours?|semaines?|mois|ans|années|minutes?|temps)\b"
    r"|\b(?:siku|wiki|miezi|miaka|dakika)\s+(?:mi|ma)?ngapi\b|\bmuda\s+gani\b"
    rf"|กี่{_TH_UNIT}|นานแค่ไหน|นานเท่าไ",
    re.IGNORECASE,
)
# A duration: a number (digits or a number word; here "a", "un", "moja",
# หนึ่ง count as one) next to a unit of time in one of the four languages,
# "six weeks", "2 hours 45", "deux ans", "24 h", "siku saba", "miaka mitano",
# "สี่ชั่วโมง", "30 นาที"; Swahili puts the unit first.
_UNIT = r"(?:h|hrs?|hours?|days?|weeks?|months?|years?|minutes?|mins?|heures?|jours?|semaines?|mois|ans|années?)"
_NUMBER = r"(?:\d+(?:[.,]\d+)?|an?|one|un|une|" + "|".join(
    sorted((w for w in NUMBER_WORDS if not THAI.search(w)), key=len, reverse=True)) + ")"
_SW_NUMBER = rf"(?:\d+|{_SW_CLASS}?(?:wili|{_SW_ONE_TO_TEN}))"
_TH_NUMBER_WORDS = "|".join(sorted((w for w in NUMBER_WORDS if THAI.search(w)), key=len, reverse=True))
_TH_NUMBER = rf"(?:\d+|หนึ่ง|{_TH_NUMBER_WORDS})"
_TIME_UNIT = re.compile(rf"{_UNIT}|{_SW_UNIT}", re.IGNORECASE)
# A frequency: "every hour", "tous les jours", "kila siku", "ทุกวัน", "วันละ" (the
# units of time above, and parts of the day or week).
_DAY_PART = (r"(?:mornings?|evenings?|nights?|weekends?|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
             r"|matins?|soirs?|nuits?|week-ends?|lundis?|mardis?|mercredis?|jeudis?|vendredis?|samedis?|dimanches?)")
_FREQUENCY = re.compile(
    rf"\b(?:every|each|chaque)\s+(?:other\s+|single\s+)?(?:{_UNIT}|{_DAY_PART})\b"
    rf"|\b(?:tous|toutes)\s+les\s+(?:deux\s+|\d+\s+)?(?:{_UNIT}|{_DAY_PART})\b"
    r"|\b(?:hourly|daily|nightly|weekly|fortnightly|monthly|yearly|annually|twice)\b"
    r"|\b(?:quotidien(?:ne)?s?|hebdomadaires?|mensuel(?:le)?s?|annuel(?:le)?s?|deux\s+fois)\b"
    rf"|\bkila\s+(?:{_SW_UNIT}|asubuhi|jioni|usiku|jumatatu|jumanne|jumatano|alhamisi|ijumaa|jumamosi|jumapili)\b"
    rf"|ทุก(?:{_TH_UNIT}|เช้า|เย็น|คืน)|{_TH_UNIT}ละ",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"\b{_NUMBER}(?:\s*-\s*|\s+|)(?:[^\W\d_]+\s+)?{_UNIT}\b"
    # "saa nane mchana" (2 pm), "saa 3 asubuhi" (9 am): the clock, with the part of the day
    rf"|\b{_SW_UNIT}\s+(?:[^\W\d_]+\s+)?{_SW_NUMBER}\b(?!\s+(?:za\s+)?(?:asubuhi|mchana|jioni|usiku|alasiri))"
    rf"|{_TH_NUMBER}\s*{_TH_UNIT}",
    re.IGNORECASE,
)


def asks_duration(question: str) -> bool:
    """True when the question asks how long something lasts or takes (any of fr/en/sw/th)."""
    return bool(_DURATION_QUESTION.search(question))


def has_duration(text: str) -> bool:
    """True when `text` gives a duration: a number next to a unit of time."""
    return bool(_DURATION.search(text))


# "How often …?" is answered by a frequency as much as by a number: "the ferry
# leaves every hour", "ouvert tous les jours", "kila siku", "ทุกวัน".
_FREQUENCY_QUESTION = re.compile(
    r"\bhow\s+(?:often|frequently)\b|\bà\s+quelle\s+fréquence\b|\btous\s+les\s+combien\b"
    r"|\bmara\s+ngapi\b|บ่อยแค่ไหน|บ่อยไหม",
    re.IGNORECASE,
)


def asks_frequency(question: str) -> bool:
    """True when the question asks how often (any of fr/en/sw/th)."""
    return bool(_FREQUENCY_QUESTION.search(question))


def has_frequency(text: str) -> bool:
    """True when `text` says how often without a digit ("every hour", "tous les
    jours", "kila siku", "ทุกวัน"): an answer to "how often"."""
    return bool(_FREQUENCY.search(text))
