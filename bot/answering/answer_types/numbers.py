"""Numbers: does a question ask "how many / how much" (or after a measure, a
year, a date or a clock time), and does a passage hold a number (digits in any
script, or a number word).

The first answer type: a quantity question none of whose first quotes holds a
number is declined.  The number words, digits and Swahili numbers written here
are shared by the other answer types (a duration, an age, a count, a measure,
a year).
"""

from __future__ import annotations

import re

from bot.core.scripts import THAI

# Thai กี่ ("how many"), not the กี่ spelt inside เกี่ยว ("about": "เกี่ยวกับ…")
_TH_HOW_MANY = "(?<!เ)กี่"
# "how many / how much" in the bot's languages.  Swahili agrees -ngapi with the
# noun class (wangapi, mangapi, vingapi ...); Thai กี่ ("how many") and
# เท่าไร/เท่าไหร่ ("how much") are unambiguous interrogatives.
_QUANTITY_QUESTION = re.compile(
    r"\bhow\s+(?:many|much)\b"
    r"|\bcombien\b"
    r"|\b\w*ngapi\b|\bkiasi\s+gani\b|\bbei\s+gani\b"
    rf"|{_TH_HOW_MANY}|เท่าไร|เท่าไหร่",
    re.IGNORECASE,
)

# Number words (cardinals and multipliers).  French "un/une", English "a" and
# Thai หนึ่ง ("one", also "a": คนหนึ่ง "someone") are left out: they are
# articles far more often than numbers.
NUMBER_WORDS: frozenset[str] = frozenset("""
deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize
vingt vingts trente quarante cinquante soixante cent cents mille million millions
milliard milliards douzaine douzaines centaine centaines
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred hundreds thousand thousands million millions billion billions dozen dozens
moja mbili tatu nne tano sita saba nane tisa kumi ishirini thelathini arobaini hamsini
sitini sabini themanini tisini mia elfu milioni bilioni
สอง สาม สี่ ห้า หก เจ็ด แปด เก้า สิบ ยี่สิบ ร้อย พัน หมื่น แสน ล้าน
""".split())

_DIGIT = re.compile(r"\d")  # any script's digits, Thai ๐-๙ included
# Thai digits as Arabic ones (a Buddhist year, a list item's number)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Swahili one to ten, which a clock time ("saa tatu") and a duration ("siku saba") use.
_SW_ONE_TO_TEN = "moja|mbili|tatu|nne|tano|sita|saba|nane|tisa|kumi"
# ... agreeing with its noun by a class prefix: "miche mitano", "watu wawili", "miti mitatu"
_SW_CLASS = "(?:mi|wa|ma|vi|ki|m)"


# A list item's number opening a sentence ("2. Are you chasing fault…", "1) Ecrivez
# votre texte"): its place in a list, not a quantity the question could ask for.
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}|[๐-๙]{1,2})\s*[.)]\s+")


# (bare "tano" is a NUMBER_WORD)
_SW_AGREEING_NUMBER = re.compile(rf"\b{_SW_CLASS}(?:wili|{_SW_ONE_TO_TEN})\b", re.IGNORECASE)


def has_number(text: str) -> bool:
    """True when `text` holds digits (any script, Thai ๐-๙ included) or a number
    word, not counting a list item's number at its start."""
    text = _LIST_MARK.sub("", text, count=1)
    return bool(_DIGIT.search(text) or _SW_AGREEING_NUMBER.search(text)) or _has_word(text, NUMBER_WORDS)


def _has_word(text: str, words: frozenset[str]) -> bool:
    """True when one of `words` occurs in `text` as a whole word.

    Thai runs are segmented with the Thai analyzer (dictionary segmentation),
    so that สาม ("three") is not found inside สามารถ ("can"); pythainlp is
    only loaded when a Thai passage is checked.
    """
    latin = re.findall(r"\w+", THAI.sub(" ", text).casefold())
    if any(w in words for w in latin):
        return True
    if THAI.search(text):
        from bot.knowledge.analysis import get_analyzer

        tokens = get_analyzer("th").segment(text)
        return any(token in words for _, token in tokens)
    return False
