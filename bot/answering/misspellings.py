"""Misspellings: a word read as another with letters dropped, as chat writes.

Chat drops letters ("ukamilfu" / "ukamilifu", "kampni" / "kampuni",
"housholds" / "households").  A word of at least a few letters, with the same
first letter, whose letters another word holds in order with one or two more,
reads as that word: the misspellings bridge (`Bridges.misspelt`), the
embedded question (answering/spelling.py) and the answer types
(answer_types/things.py, counts.py) read chat spellings alike this way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bot.core.scripts import is_thai


class DroppedLetters:
    """Words (index terms, or words as written) by first letter and length: the
    ones a word with one to `max_missing` letters dropped reads as (the
    misspellings bridge, `Bridges.misspelt`; the embedded question,
    answering/spelling.py)."""

    def __init__(self, words: Iterable[str], min_letters: int, max_missing: int) -> None:
        self.min_letters, self.max_missing = min_letters, max_missing
        self._by_start: dict[tuple[str, int], list[str]] = defaultdict(list)
        for w in words:
            if len(w) > min_letters and w.isalpha() and not is_thai(w):
                self._by_start[w[0], len(w)].append(w)

    def fuller(self, word: str) -> list[str]:
        """The words `word` reads as with letters dropped (`misspelling_of`), or []."""
        if len(word) < self.min_letters or not word.isalpha() or is_thai(word):
            return []
        return [w for extra in range(1, self.max_missing + 1)
                for w in self._by_start.get((word[0], len(word) + extra), ())
                if misspelling_of(word, w, self.min_letters, self.max_missing)]


def misspelling_of(short: str, long: str, min_letters: int, max_missing: int) -> bool:
    """Whether `short` reads as `long` with one to `max_missing` letters dropped,
    as `Bridges.misspelt` reads a chat spelling ("housholds" / "households"):
    the same first letter, at least `min_letters` letters, alphabetic, not Thai."""
    return (len(short) >= min_letters and 1 <= len(long) - len(short) <= max_missing and short[:1] == long[:1]
            and short.isalpha() and not is_thai(short) and _spelt_inside(short, long))


def _spelt_inside(short: str, long: str) -> bool:
    """Whether `long` holds the letters of `short` in order."""
    letters = iter(long)
    return all(c in letters for c in short)
