"""Hours: does a question ask for a schedule or a clock time ("opening hours",
"what time", "saa ngapi", "กี่โมง"), for which place or service, and does a
passage hold a clock time.

"What are the opening hours of the recycling centre?" is not answered by a
sentence that names the centre without a clock time, nor by another place's
hours (`hours_thing`, answer_type_rules.lacks_place).
"""

from __future__ import annotations

import re

from bot.answering.answer_types.dates import asks_date
from bot.answering.answer_types.numbers import _SW_ONE_TO_TEN
from bot.answering.answer_types.things import _SW_FIRST_WORDS, _SW_LEAD, SW_THING_WORDS, _asked_group, _thing
from bot.core.scripts import THAI

# Questions after a schedule or a clock time (opening / visiting / office hours,
# "horaires", "saa za kazi", "เวลาเปิด", "what time", "what hours", "à quelle(s)
# heure(s)", "saa ngapi", "กี่โมง"): their answer holds clock times.
_HOURS_QUESTION = re.compile(
    r"\b(?:opening|closing|visiting|office|business|working|service|school)\s+(?:hours|times)\b"
    r"|\bhours\s+(?:of|for)\s+(?:opening|visiting|service|business)\b|\bwhat\s+(?:are|were)\s+the\s+(?:\w+\s+){0,2}hours\b"
    r"|(?<!tarif )(?<!taux )(?<!salaire )(?<!fuseau )\bhoraires?\b|\bheures?\s+d['’](?:ouverture|accueil|visite)\b"
    r"|\bsaa\s+za\s+\w+|\bsaa\s+ngapi\b"
    r"|\bwhat\s+time\b|\bà\s+quelles?\s+heures?\b|\bentre\s+quelles\s+heures\b|\b(?:what|which)\s+hours\b(?!\s+of\b)"
    r"|เวลาเปิด|เวลาปิด|เวลาทำการ|เวลาเยี่ยม|กี่โมง|เปิดกี่|ปิดกี่",
    re.IGNORECASE,
)
# A clock time: "9am", "6.30 p.m.", "14:00", "9 h", "13 h 30", "9h30", "8 heures", "midi", "noon",
# "17.00 น.", "ห้าโมง", "saa tatu", "7 in the morning", "nine o'clock", "ตี 5", "เที่ยง".
_CLOCK_TIME = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)"
    # (an hour of the day: "48 heures", "sous 48h" and "saa 24" are durations)
    r"|\b(?:[01]?\d|2[0-4])\s*h\s*(?:\d{2}\b)?(?!\w)"
    # "14:00", "17.00", but not a price ("£2.50", "12.50 $", "3.20 euros")
    r"|(?<![£$€\w.,])\d{1,2}[:.]\d{2}\b(?!\s*(?:[$€£%]|euros?\b|eur\b|dollars?\b|usd\b|shillings?\b|ksh\b|baht\b|บาท))"
    r"|\d\s*(?:น\.|นาฬิกา|โมง)|(?:โมง|ทุ่ม)"
    rf"|\bsaa\s+(?:1[0-2]|0?[1-9]|{_SW_ONE_TO_TEN})\b"
    r"|\b(?:[01]?\d|2[0-4])\s+heures?\b|\b(?:midi|minuit|midnight|noon)\b"
    # "7 in the morning", "nine o'clock", "ตี 5" (5 am), เที่ยง (noon; not มื้อเที่ยง,
    # อาหารเที่ยง, ข้าวเที่ยง: lunch)
    r"|\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:o['’]clock\b"
    r"|in\s+the\s+(?:morning|afternoon|evening)\b)|ตี\s*[\d๐-๙]|(?<!มื้อ)(?<!อาหาร)(?<!ข้าว)เที่ยง"
    # round the clock, which answers "what hours": "24 hours a day", "24/7", "saa 24 kila siku / siku saba",
    # "24 heures sur 24", "ตลอด 24 ชั่วโมง" (not "within 24 hours", "ndani ya saa 24": durations)
    r"|\b24\s*(?:hours?|hrs?)\s+(?:a|per)\s+day\b|\b24\s*/\s*7\b|\b(?:a)?round[\s-]the[\s-]clock\b"
    r"|\bsaa\s+24\s*,?\s+(?:kila\s+siku|kwa\s+siku|siku\s+saba)\b|\b24\s+heures\s+sur\s+24\b|ตลอด\s*24\s*ชั่วโมง",
    re.IGNORECASE,
)


def asks_hours(question: str) -> bool:
    """True when the question asks for a schedule: opening, visiting or office hours."""
    return bool(_HOURS_QUESTION.search(question))


# "When did the council adopt the new opening hours?", "Saa za kazi zilibadilishwa
# lini?": a schedule named in a question asking when it changed, which a date answers.
_ASKS_WHEN = re.compile(r"^\W*(?:quand|when)\b|\blini\b|เมื่อไร|เมื่อไหร่|เมื่อใด", re.IGNORECASE)


# The place or service whose hours are asked: "the opening hours of the Sharmas'
# newsagent", "what time does the ticket office at Hebden Road station open",
# "les horaires de la déchetterie", "à quelle heure ouvre l'accueil de la
# mairie".  English puts the head noun last ("ticket office", "car park"),
# French first ("déchetterie", "accueil"); what follows a preposition is where.
_NP = r"[^\W\d_][\w'’-]*(?:\s+[\w'’-]+){0,5}?"
_EN_HOURS_OPEN = r"(?:open|close|shut|start|begin|finish|end|leave|depart|run|come|pass|stop)s?"
_FR_HOURS_OPEN = r"(?:ouvre|ferme|passe|commence|part|d[ée]marre|finit|termine|arrive)(?:nt)?"
_HOURS_THING = re.compile(
    rf"\b(?:opening|closing|visiting|business)\s+(?:hours|times)\s+(?:of|for|at)\s+(?:the\s+)?(?P<en>{_NP})\s*(?:[?,.!]|$)"
    rf"|\bwhat\s+(?:are|were)\s+the\s+(?:\w+\s+){{0,2}}hours\s+(?:of|for|at)\s+(?:the\s+)?(?P<en2>{_NP})\s*(?:[?,.!]|$)"
    rf"|\b(?:what\s+time|when)\s+(?:does|do|will|did)\s+(?:the\s+)?(?P<en3>{_NP})\s+{_EN_HOURS_OPEN}\b"
    rf"|\bhoraires?\s+(?:d['’]ouverture\s+)?(?:(?:de\s+la|du|des|de)\s+|(?:de\s+l|d)['’])(?P<fr>[^\W\d_][\w-]*)"
    rf"|\bà\s+quelles?\s+heures?\s+(?:{_FR_HOURS_OPEN}\s+)?(?:(?:le|la|les)\s+|l['’])(?P<fr2>[^\W\d_][\w-]*)",
    re.IGNORECASE,
)
_EN_WHERE = re.compile(r"\s+(?:at|in|on|of|near|by|for|from|to|during|after|before|this|next|every|each)\s+.*$",
                       re.IGNORECASE)
_NO_PLACE = frozenset({"it", "they", "this", "that", "these", "those", "you", "we", "i", "he", "she", "one",
                       "il", "elle", "ils", "elles", "ce", "cela", "ça", "on",
                       "ni", "je", "hiyo", "hicho", "hili", "huu", "hii", "yeye", "wao"})


# Swahili names the place first, before the verb of opening ("Kioski cha maji
# kinafunguliwa saa ngapi", "Duka la dawa hufunguliwa saa ngapi Jumapili"), or
# after "saa ngapi" ("Ni saa ngapi duka la dawa hufunguliwa"): its first three
# words, as a Swahili price's thing.  Thai names it before เปิด / ปิด (open,
# close) and the time asked ("คลีนิคเปิดกี่โมง", "ตลาดน้ำอัมพวาเปิดกี่โมงถึงกี่โมง"):
# its first two words.
_SW_OPENS = r"[^\W\d_]{0,6}(?:funguliwa|fungwa|funguka)\b"
_SW_HOURS_THING = re.compile(rf"{_SW_LEAD}(?:ni\s+saa\s+ngapi\s+)?(?P<sw>{_SW_FIRST_WORDS})\s+{_SW_OPENS}",
                             re.IGNORECASE)
_TH_OPENS = re.compile(r"(?:เปิด|ปิด)(?:ให้\S{0,8})?(?:กี่|ตั้งแต่กี่|เวลา|วันไหน)")


def _thai_hours_thing(question: str) -> tuple[str, frozenset[str]] | None:
    """(th, index terms) of the place a Thai hours question names before it opens."""
    found = _TH_OPENS.search(question)
    if found is None or not found.start():
        return None
    from bot.knowledge.analysis import get_analyzer

    thai = get_analyzer("th")
    words = [t for _, t in thai.segment(question[:found.start()]) if THAI.search(t) and thai.analyze(t)][:2]
    return _thing(" ".join(words), "th") if words else None


def hours_thing(question: str) -> tuple[str, frozenset[str]] | None:
    """(language, index terms) of the place or service whose hours or time a
    question asks ("the ticket office", "la déchetterie", "duka la dawa",
    "คลีนิค"): in English its head noun, in French the noun after the article,
    in Swahili and Thai its first words; None when it names none plainly."""
    if THAI.search(question):
        return _thai_hours_thing(question) if asks_hours(question) else None
    swahili = _SW_HOURS_THING.search(question) if asks_hours(question) else None
    if swahili is not None:
        words = swahili.group("sw").split()[:SW_THING_WORDS]
        return None if words[0].casefold() in _NO_PLACE else _thing(" ".join(words), "sw")
    match = _HOURS_THING.search(question)
    if match is None:
        return None
    group, lang = _asked_group(match)
    phrase = match.group(group)
    if lang == "en":
        words = _EN_WHERE.sub("", phrase).split()
        head = words[-1] if words else ""
    else:
        head = phrase
    head = head.strip("'’").casefold()
    if not head or head in _NO_PLACE:
        return None
    if lang == "fr" and re.match(r"[ld][aeiouyhàâéèêîôû]", head) and len(head) > 5:
        head += " " + head[1:]  # "latelier": "l'atelier" written without its apostrophe
    return _thing(head, lang)


def asks_clock(question: str) -> bool:
    """True when the question's answer holds a clock time: it asks for a schedule
    or a time of day (`asks_hours`), not when or on which day a schedule is set."""
    return asks_hours(question) and not _ASKS_WHEN.search(question) and not asks_date(question)


def has_clock_time(text: str) -> bool:
    """True when `text` holds a clock time ("9am", "14:00", "13 h 30", "17.00 น.", "saa tatu")."""
    return bool(_CLOCK_TIME.search(text))
