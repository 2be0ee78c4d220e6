"""Pattern pieces the answer types share: which entry of a table of patterns a
text matches, and chat French's "c'est".

Several answer types keep one pattern per key (per language: "why", a wage
asked; per measure: a unit or a dimension asked) and ask which key's pattern
a question matches; the tables are ordered, the first key that matches wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Chat French's "c'est", as chat_speak writes "c" out and as people type it ("cest"): its
# questions ("c'est combien …", "c'est quoi le tarif …", "c'est quand …") are read as the plain ones.
CHAT_CEST = r"\bc['’]?\s*est"


def first_key(patterns: Mapping[str, re.Pattern[str]], text: str) -> str:
    """The first key of `patterns` whose pattern `text` matches, "" for none."""
    return next((key for key, pattern in patterns.items() if pattern.search(text)), "")
