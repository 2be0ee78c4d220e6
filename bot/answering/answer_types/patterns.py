"""Which entry of a table of patterns a text matches.

Several answer types keep one pattern per key (per language: "why", a wage
asked; per measure: a unit or a dimension asked) and ask which key's pattern
a question matches; the tables are ordered, the first key that matches wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping


def first_key(patterns: Mapping[str, re.Pattern[str]], text: str) -> str:
    """The first key of `patterns` whose pattern `text` matches, "" for none."""
    return next((key for key, pattern in patterns.items() if pattern.search(text)), "")
