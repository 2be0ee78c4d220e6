"""Years and ages: does a question ask in which year (or when something was
founded or built), which years it is about, or how old someone or something
is; does a passage hold a year, a founding year or an age.

A year answers "in what year", not any number; a question about 2023 is not
answered by an article's figures for 2024; "how old" by an age, not by the
year someone moved.  Buddhist Era years and Thai digits are read as well.
"""

from __future__ import annotations

import re

from bot.answering.answer_types.numbers import _THAI_DIGITS, has_number
from bot.core.scripts import THAI

# A year of the Common Era (1500-2099) and of the Buddhist Era (2400-2599), written once
# for every rule below that looks for one.
_CE_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_BE_YEAR = r"2[45]\d\d"
_YEAR = re.compile(rf"\b{_CE_YEAR}\b")


# "In what year / en quelle année / mwaka gani / ปีไหน, ปี พ.ศ. ใด": a year asked
# for; a year of the Common Era or of the Thai Buddhist Era (2565), in Arabic
# or Thai digits, answers it.
_YEAR_QUESTION = re.compile(
    r"\b(?:what|which)\s+year\b|\bquelle\s+ann[ée]e\b|\bmwaka\s+(?:gani|upi)\b"
    r"|ปี(?:\s*(?:พ\.ศ\.|ค\.ศ\.))?\s*(?:ไหน|ใด|อะไร)"
    # when something was founded or built: its year ("When was Bitwise founded?",
    # "Quand l'école a-t-elle été fondée ?", "Josho lilijengwa lini?", "วัดสร้างเมื่อไร")
    r"|\bwhen\s+(?:was|were|did)\b[^?]{1,80}?\b(?:founded|built|established|set\s+up|formed|erected|constructed|found)\b"
    r"|\bquand\b[^?]{0,80}?\b(?:(?:été|fut|furent)\s+(?:fond|constru|b[âa]ti)\w*|a-t-(?:il|elle)\s+fond[ée])"
    r"|\b\w{0,3}li(?:anzishwa|jengwa)\s+lini\b|(?<!จะ)(?<!ก่อ)(?:ก่อตั้ง|สร้าง)(?:ขึ้น)?(?:เมื่อ)(?:ไร|ไหร่|ใด)",
    re.IGNORECASE,
)
# (not a group of a phone number: "โทร 08 1765 4321")
_ANY_YEAR = re.compile(rf"(?<!\d)(?<!\d )(?:{_CE_YEAR}|{_BE_YEAR}|๑[๕-๙][๐-๙]{{2}}|๒[๐๔๕][๐-๙]{{2}})(?!\d)(?! \d)")


# A year a question is about ("en 2023", "mwaka 2022", "ปี 2566", "the 2027 fair",
# "winter 2022-23"), of the Common Era or the Buddhist Era (from 2500, 1957 CE:
# a smaller 24xx is more often a count), in either script's digits; not a decade
# ("the 1980s", "les années 1980", "miaka ya 1980", "ยุค 1980") nor an amount
# ("2000 euros", "2019 %").
_QUESTION_YEAR = re.compile(r"(?<![\d.,])(?<!\d )(?:19\d\d|20\d\d|25\d\d|๑๙[๐-๙]{2}|๒[๐๕][๐-๙]{2})(?![\d\w'’%€$£])"
                            r"(?!\s*(?:%|€|\$|£|euros?|dollars?|livres?|pounds?|shilingi|baht|บาท|ปอนด์|ยูโร))",
                            re.IGNORECASE)
_DECADE_BEFORE = re.compile(r"(?:ann[ée]es|decade|d[ée]cennie|miaka\s+ya|ยุค|ทศวรรษ)\s*$", re.IGNORECASE)


def _common_era(year: str) -> int:
    """A year as written (Thai digits, Buddhist Era) as a year of the Common Era."""
    value = int(year.translate(_THAI_DIGITS))
    return value - 543 if value >= 2400 else value


def question_years(question: str) -> dict[str, int]:
    """The years the question is about, as written -> of the Common Era ("2566" ->
    2023): a question about a year an article never writes is not answered by
    that article's figures for another ("How many vehicles were towed in
    2023?" over "En 2024, la fourrière a enlevé 412 véhicules")."""
    thai = bool(THAI.search(question))  # a Buddhist year is written in Thai questions
    return {m.group(): _common_era(m.group()) for m in _QUESTION_YEAR.finditer(question)
            if not _DECADE_BEFORE.search(question[:m.start()]) and (thai or not m.group().startswith("25"))}


# Thai news shortens a Buddhist year to its last two digits: "ปี 67", "พ.ศ. 66" (2567, 2566)
_THAI_SHORT_YEAR = re.compile(r"(?:ปี|พ\.ศ\.)\s*([4-7][0-9]|[๔-๗][๐-๙])(?![0-9๐-๙])")


def written_years(text: str) -> set[int]:
    """The years `text` writes (those `has_year` sees), of the Common Era (a
    Buddhist year converted, a Thai short one, "ปี 67", read as 2567)."""
    return ({_common_era(m.group()) for m in _ANY_YEAR.finditer(text)}
            | {_common_era("25" + m.group(1).translate(_THAI_DIGITS)) for m in _THAI_SHORT_YEAR.finditer(text)})


def asks_year(question: str) -> bool:
    """True when the question asks in which year (any of fr/en/sw/th)."""
    return bool(_YEAR_QUESTION.search(question))


def has_year(text: str) -> bool:
    """True when `text` holds a year, of the Common Era or the Buddhist Era."""
    return bool(_ANY_YEAR.search(text))


# The year something was founded, built or opened asked ("When was the club
# founded?", "En quelle année la salle a-t-elle été construite ?", "Akiba Pamoja
# ilianzishwa mwaka gani?", "ก่อตั้งขึ้นเมื่อปีไหน") is a year beside such a word
# ("founded in 1998", "construite en 1932", "ilijengwa mwaka 1905", "ก่อตั้งเมื่อปี
# 2540"), in any of the four languages: "Fermée depuis l'été 2023" gives another year.
_FOUNDING_ASKED = re.compile(
    r"\b(?:built|founded|established|set\s+up|created|formed|constructed|opened)\b"
    r"|\b(?:constru|fond[ée]|cr[ée]{2}|b[âa]ti)\w*|\w*li(?:anzishwa|jengwa)\b|ก่อตั้ง|สร้าง", re.IGNORECASE)
_FOUNDING_WORD = (r"(?:built|founded|established|set\s+up|created|formed|constructed|opened|founding|constru\w*"
                  r"|fond[ée]\w*|fondation|cr[ée]{1,2}\w*|cr[ée]ation|b[âa]ti\w*|ouvert\w*|inaugur\w*|\w*anzishwa"
                  r"|\w*jengwa|\w*funguliwa|ก่อตั้ง|สร้าง|เปิด)")
_FOUNDING_YEAR = re.compile(rf"{_FOUNDING_WORD}\D{{0,40}}?(?:{_CE_YEAR}|{_BE_YEAR})"
                            rf"|(?:{_CE_YEAR}|{_BE_YEAR})\D{{0,15}}?{_FOUNDING_WORD}", re.IGNORECASE)


def asks_founding_year(question: str) -> bool:
    """True when the question asks in which year something was founded, built or opened."""
    return asks_year(question) and bool(_FOUNDING_ASKED.search(question))


def tells_founding_year(text: str) -> bool:
    """Whether `text` gives a year beside a word of founding, building or opening."""
    return bool(_FOUNDING_YEAR.search(text))


# "How old …?": a person's or a thing's age, or the age one must have ("à partir de
# quel âge", "ana umri gani", "อายุเท่าไร", not "ต่ออายุ…อย่างไร", to renew).
_AGE_QUESTION = re.compile(
    r"\bhow\s+old\b|\b(?:what|which)\s+age\b|\bquel\s+[âa]ge\b|\b[âa]g[ée]e?s?\s+de\s+combien\b"
    # ("ana miaka mingapi", has how many years; not "alifundisha miaka mingapi", taught for how long)
    r"|\bumri\s+(?:wa\s+)?(?:\w+\s+)?(?:gani|mingapi|upi)\b|\b(?:[^\W\d_]{0,3}na|[^\W\d_]{0,2}enye)\s+miaka\s+mingapi\b"
    r"|อายุ\s*(?:เท่าไร|เท่าไหร่|เท่าใด|กี่\s*(?:ปี|เดือน|ขวบ))|กี่ขวบ",
    re.IGNORECASE,
)
# An age stated: a number next to an age word or an age unit, or a year of birth or
# building.  "aged 12 and over", "44 years old", "a 7-year-old", "under-16s", "Dele
# Okafor, 44,", "à partir de 18 ans", "âgée de 54 ans", "umri wa miaka sita", "mwenye
# miaka 41", "อายุ 16 ปีขึ้นไป", "อายุตั้งแต่สี่เดือน", "5 ขวบ", "born in 1961", "ilijengwa
# mwaka 1905", "สร้าง… 2475" (Thai เกิด is also "to happen").  Not any number: the year
# someone moved ("เมื่อปี 2565") or a clock time ("7:00 ถึง 9:00") gives no age.
_AGE_WORD = re.compile(r"\b(?:age[sd]?|[âa]g[ée]e?s?|umri)\b|อายุ|วัย|ขวบ", re.IGNORECASE)
_AGE_FORM = re.compile(
    r"\b\d+\s*(?:-|\s)?(?:years?|months?)(?:-|\s)old\b|\b(?:under|over)[\s-]?\d+s?\b"
    r"|\b[A-Z][\w'’-]+,\s+\d{1,3},"
    r"|\b\d+\s+(?:ans|mois)\b|\bmwenye\s+miaka\s+\w+"
    r"|\b(?:born|n[ée]e?|alizaliwa|built|construit[es]?|b[âa]ti[es]?|ilijengwa|lilijengwa)\b\D{0,25}"
    rf"{_CE_YEAR}\b|สร้าง\D{{0,25}}(?:{_BE_YEAR}|{_CE_YEAR})",
    re.IGNORECASE,
)


def asks_age(question: str) -> bool:
    """True when the question asks how old someone or something is, or must be."""
    return bool(_AGE_QUESTION.search(question))


def has_age(text: str) -> bool:
    """True when `text` states an age: a number with an age word ("aged", "âge",
    "umri", "อายุ") or in an age form ("44 years old", "18 ans", "born in 1961")."""
    return bool(_AGE_FORM.search(text)) or (bool(_AGE_WORD.search(text)) and has_number(text))
