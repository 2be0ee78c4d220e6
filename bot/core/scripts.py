"""The Thai script's code points, defined once; the script of a letter and of a language.

Thai is the one served language not written in Latin letters, and many steps
ask whether text is Thai: sentence splitting and quotability, segmenting,
language guessing, chat spellings, answer types, the names bridge and the
console's line wrapping.  One range, in one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

THAI_LETTERS = "\u0e00-\u0e7f"  # the Unicode block, for character classes
THAI = re.compile(f"[{THAI_LETTERS}]")
THAI_RUN = re.compile(f"[{THAI_LETTERS}]+")


def has_thai(text: str) -> bool:
    """True when `text` holds a Thai character."""
    return THAI.search(text) is not None


def is_thai(text: str) -> bool:
    """True when `text` is non-empty and all Thai (an index term, a word)."""
    return bool(text) and THAI_RUN.fullmatch(text) is not None


# The scripts a language is written in (Latin when it is not listed), by the
# first word of a letter's Unicode name: a question written in none of the
# served languages' scripts is one the bot cannot read (`in_unread_script`).
LANGUAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    "th": ("THAI",), "lo": ("LAO",), "km": ("KHMER",), "my": ("MYANMAR",),
    "ru": ("CYRILLIC",), "uk": ("CYRILLIC",), "bg": ("CYRILLIC",), "sr": ("CYRILLIC", "LATIN"),
    "ar": ("ARABIC",), "fa": ("ARABIC",), "ur": ("ARABIC",), "he": ("HEBREW",), "el": ("GREEK",),
    "hi": ("DEVANAGARI",), "mr": ("DEVANAGARI",), "ne": ("DEVANAGARI",), "bn": ("BENGALI",),
    "ta": ("TAMIL",), "am": ("ETHIOPIC",), "ka": ("GEORGIAN",), "hy": ("ARMENIAN",),
    "zh": ("CJK",), "ja": ("CJK", "HIRAGANA", "KATAKANA"), "ko": ("HANGUL", "CJK"),
}


def scripts_of(lang: str) -> tuple[str, ...]:
    """The scripts `lang` is written in (Latin unless LANGUAGE_SCRIPTS says otherwise)."""
    return LANGUAGE_SCRIPTS.get(lang, ("LATIN",))


def other_scripts(lang: str, other: str) -> bool:
    """Whether the two languages share no script (Thai and French; not French and
    Swahili): e5 cosines run lower again across scripts (answering/decision.py)."""
    return not set(scripts_of(lang)) & set(scripts_of(other))


def letter_scripts(text: str) -> Counter[str]:
    """How many of `text`'s letters each script holds ("LATIN", "THAI", "CYRILLIC" ...);
    digits, marks, punctuation and emoji are not letters."""
    return Counter(unicodedata.name(ch, "?").split(" ", 1)[0] for ch in text if ch.isalpha())


def in_unread_script(question: str, languages: list[str]) -> bool:
    """Whether most of the question's letters (at least two) are in scripts none
    of `languages` is written in: "Привет, как дела?" with French, English,
    Swahili and Thai served.  A name in another script inside a question in a
    served language ("Who is 李明?") is a minority and does not count."""
    counts = letter_scripts(question)
    read = {script for lang in languages for script in scripts_of(lang)}
    unread = sum(n for script, n in counts.items() if script not in read)
    return unread >= 2 and 2 * unread > sum(counts.values())
