"""Expected answer type: a question asking for a quantity needs a number.

Lexical scores cannot tell "How many employees does Bitwise have?" from a
question the articles answer: the best sentence names Bitwise's employees.
What it lacks is what the question asks for, a number.  This module answers
two questions with fixed, language-general word lists (interrogatives and
number words, not words of any question or article): does a question ask
"how many / how much", and does a passage hold a number (digits in any
script, or a number word).  For a quantity question the composer puts the
passages holding a number first, and declines when none of them does.
"""

from __future__ import annotations

import re

# "how many / how much" in the bot's languages.  Swahili agrees -ngapi with the
# noun class (wangapi, mangapi, vingapi ...); Thai กี่ ("how many") and
# เท่าไร/เท่าไหร่ ("how much") are unambiguous interrogatives.
_QUANTITY_QUESTION = re.compile(
    r"\bhow\s+(?:many|much)\b"
    r"|\bcombien\b"
    r"|\b\w*ngapi\b|\bkiasi\s+gani\b|\bbei\s+gani\b"
    r"|กี่|เท่าไร|เท่าไหร่",
    re.IGNORECASE,
)

# Number words (cardinals and multipliers).  French "un/une", English "a" and
# Thai หนึ่ง ("one", also "a": คนหนึ่ง "someone") are left out: they are
# articles far more often than numbers.
NUMBER_WORDS: frozenset[str] = frozenset("""
deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize
vingt vingts trente quarante cinquante soixante cent cents mille million millions
milliard milliards douzaine douzaines centaine centaines
one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty
thirty forty fifty sixty hundred hundreds thousand thousands million millions billion
billions dozen dozens
moja mbili tatu nne tano sita saba nane tisa kumi ishirini thelathini arobaini hamsini
mia elfu milioni bilioni
สอง สาม สี่ ห้า หก เจ็ด แปด เก้า สิบ ยี่สิบ ร้อย พัน หมื่น แสน ล้าน
""".split())

_THAI = re.compile(r"[\u0E00-\u0E7F]")
_DIGIT = re.compile(r"\d")  # any script's digits, Thai ๐-๙ included


def asks_quantity(question: str) -> bool:
    """True when the question asks how many / how much (any of fr/en/sw/th)."""
    return bool(_QUANTITY_QUESTION.search(question))


def has_number(text: str) -> bool:
    """True when `text` holds digits or a number word.

    Thai runs are segmented with the Thai analyzer (dictionary segmentation),
    so that สาม ("three") is not found inside สามารถ ("can"); pythainlp is
    only loaded when a Thai passage is checked.
    """
    if _DIGIT.search(text):
        return True
    words = re.findall(r"\w+", _THAI.sub(" ", text).casefold())
    if any(w in NUMBER_WORDS for w in words):
        return True
    if _THAI.search(text):
        from bot.analysis import get_analyzer

        tokens = get_analyzer("th").segment(text)
        return any(token in NUMBER_WORDS for _, token in tokens)
    return False
