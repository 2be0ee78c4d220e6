"""Dates: does a question ask which day or what date (or from or until when),
and does a passage name a day: a date, a weekday, a month or the weekend.

"What day …?" is answered by a day, not by any word that says when ("dès 5 h
30").  The names of days and months are also time words (`times`), and a
capitalised weekday or month is no name (`names.has_name`).
"""

from __future__ import annotations

import re

from bot.answering.answer_types.numbers import _has_word
from bot.answering.answer_types.patterns import CHAT_CEST
from bot.core.scripts import THAI

# From or until when: a day starts or ends it ("à partir de quand le menu sera-t-il
# servi ?": "dès le lundi 4 novembre"), so it asks when (`asks_time`) and a day
# (`asks_date`); "since / depuis / pour quand" ask when only (a year answers "since
# when" as often).
_FROM_UNTIL_WHEN = (r"\b(?:à\s+partir\s+de|dès|jusqu['’]à|from|until|till)\s+(?:quand|when)\b"
                    r"|\b(?:kuanzia|hadi|mpaka)\s+lini\b")

# Names of days and months: a date, a weekday or the weekend names a day
# (`has_date`), and says when (TIME_WORDS).
DAY_NAMES: frozenset[str] = frozenset("""
lundi mardi mercredi jeudi vendredi samedi dimanche lundis mardis mercredis jeudis vendredis samedis dimanches
week-end week-ends
monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays
saturdays sundays weekday weekdays weekend weekends
jumatatu jumanne jumatano alhamisi ijumaa jumamosi jumapili wikendi
วันจันทร์ วันอังคาร วันพุธ วันพฤหัสบดี วันศุกร์ วันเสาร์ วันอาทิตย์ เสาร์ อาทิตย์ จันทร์ ศุกร์ สุดสัปดาห์
""".split())
MONTH_NAMES: frozenset[str] = frozenset("""
janvier février mars avril juin juillet août septembre octobre novembre décembre
january february april june july august september october november december
januari februari machi aprili mei juni julai agosti septemba oktoba novemba desemba
มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม
""".split())
_DAY_OR_MONTH = DAY_NAMES | MONTH_NAMES


def is_day_or_month(word: str) -> bool:
    """A weekday or a month, in any of the four languages: capitalised in English,
    and no name (`has_name`, question_names.question_names)."""
    return word.casefold() in _DAY_OR_MONTH


# Questions after a day or a date ("what day", "quel jour", "à quelle date",
# "siku gani", "tarehe gani", "วันไหน", "วันที่เท่าไร"): a date or a weekday answers
# them, not any word that says when ("dès 5 h 30", "สองสัปดาห์ก่อนวันแข่ง").
_DATE_QUESTION = re.compile(
    r"\b(?:what|which)\s+(?:days?|dates?)\b|\bquel(?:le)?s?\s+(?:jours?|dates?)\b"
    r"|\bsiku\s+(?:gani|ipi|zipi)\b|\btarehe\s+(?:gani|ngapi|ipi)\b"
    rf"|{_FROM_UNTIL_WHEN}"
    r"|วันไหน|วันใด|วันอะไร|วันที่เท่า(?:ไร|ไหร่)"
    # a date asked by its noun: "the application deadline", "la date limite", "quelle est la
    # date de …", "tarehe ya mwisho"
    rf"|\bdeadlines?\b|\bclosing\s+date\b|\bdate\s+limite\b|(?:\bquelle\s+est|{CHAT_CEST}\s+quoi)\s+la\s+date\b"
    r"|\btarehe\s+ya\s+mwisho\b",
    re.IGNORECASE,
)
# "mai", "may", "march" are as often other words, and short forms ("Sept. 4",
# "5 ธ.ค.") are names of months beside a day's number only; numeric dates too.
_MONTH_BY_NUMBER = r"mai|may|march|jan|feb|f[ée]vr?|mar|apr|avr|jun|jul|juil|aug|sept?|oct|nov|d[ée]c"
_NUMBERED_DATE = re.compile(
    rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{_MONTH_BY_NUMBER})\b|\b(?:{_MONTH_BY_NUMBER})\.?\s+\d{{1,2}}\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b|\btarehe\s+\d|วันที่\s*[\d๐-๙]"
    r"|(?:ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค)\."
    # Thai weekdays and months within a run of Thai (segmentation may split
    # "วันอังคาร" into วัน + อังคาร)
    r"|วัน(?:จันทร์|อังคาร|พุธ|พฤหัส|ศุกร์|เสาร์|อาทิตย์)|สุดสัปดาห์|" + "|".join(sorted(
        w for w in MONTH_NAMES if THAI.search(w))),
    re.IGNORECASE,
)


def asks_date(question: str) -> bool:
    """True when the question asks which day or what date, or from or until when."""
    return bool(_DATE_QUESTION.search(question))


def has_date(text: str) -> bool:
    """True when `text` names a day: a date, a month, a weekday or the weekend."""
    return bool(_NUMBERED_DATE.search(text)) or _has_word(text, _DAY_OR_MONTH)
