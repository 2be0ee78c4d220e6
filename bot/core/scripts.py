"""The Thai script's code points, defined once.

Thai is the one served language not written in Latin letters, and many steps
ask whether text is Thai: sentence splitting and quotability, segmenting,
language guessing, chat spellings, answer types, the names bridge and the
console's line wrapping.  One range, in one place.
"""

from __future__ import annotations

import re

THAI_LETTERS = "\u0e00-\u0e7f"  # the Unicode block, for character classes
THAI = re.compile(f"[{THAI_LETTERS}]")
THAI_RUN = re.compile(f"[{THAI_LETTERS}]+")


def has_thai(text: str) -> bool:
    """True when `text` holds a Thai character."""
    return THAI.search(text) is not None


def is_thai(text: str) -> bool:
    """True when `text` is non-empty and all Thai (an index term, a word)."""
    return bool(text) and THAI_RUN.fullmatch(text) is not None
