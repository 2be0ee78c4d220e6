"""Markdown tables in an article's text: where each table, its header row and
its rule are (`markdown_tables`), and which of them a line is (`table_place`).
A table's header row and rule are never quoted; its other rows are data, quoted
with the header shown above them (knowledge/quotability.py, the composer).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*(?::?-+:?\s*)?$")  # "|---|:--:|"


@lru_cache(maxsize=256)
def markdown_tables(text: str) -> tuple[tuple[int, int, int, str], ...]:
    """(start of the first line, start of the rule line, end, header row) of each
    Markdown table of `text`: a run of lines holding "|" whose second line is the
    rule ("|---|---|", "---|---").  One pass, memoised per text: looking each row's
    table up from the row made a 5,000-row table cost seconds."""
    tables = []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and lines[i].strip() and "|" in lines[i + 1] and _TABLE_RULE.match(lines[i + 1]):
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                j += 1
            tables.append((offsets[i], offsets[i + 1], offsets[j - 1] + len(lines[j - 1]), lines[i].strip()))
            i = j
        else:
            i += 1
    return tuple(tables)


def table_place(text: str, start: int) -> tuple[str, str]:
    """(role, header row) of the line holding `start` in `text` when it belongs to
    a Markdown table (`markdown_tables`): "header", "rule" or "row"; ("", "")
    otherwise.  A row ("| Dog | 2.50 € | 2.50 € |", "Dog | 2.50 € | 2.50 €") means
    little without its header ("| | Low season | High season |")."""
    tables = markdown_tables(text)
    k = bisect.bisect_right([t[0] for t in tables], start) - 1
    if k < 0 or start > tables[k][2]:
        return "", ""
    first, rule, _, header = tables[k]
    line_start = text.rfind("\n", 0, start) + 1
    return ("header" if line_start == first else "rule" if line_start == rule else "row"), header
