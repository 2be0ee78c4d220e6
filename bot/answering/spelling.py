"""The question as the knowledge spells it: what the embedder reads.

A chat question drops letters ("mteja mwenye furha", "kampni ikijarib
kuficha madoa"); BM25 reaches the right index terms through the misspellings
bridge (answering/bridges.py, `Bridges.misspelt`), but the embedding of the
question as written sits farther from every sentence, and the decline model,
which reads the cosine, then declines questions answered right lexically.
Here each word the knowledge never writes, that is no word of the
question's language (the retriever asks its dictionaries and every served
language's function words: "Comment" is not "comments"), is written as the
knowledge writes the word that holds its letters in order with one to
`misspelt_max_missing` more and the same first letter (the bridge's rule, on
words as written: the most frequent one when several do).  Only the embedded
text changes; BM25 reads the question as written.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.answering.misspellings import DroppedLetters
from bot.core.scripts import has_thai

_WORD = re.compile(r"[^\W\d_]+")
# the words counted, stored beside an index (knowledge/derived.py), are counted again when this file changes
SPELLING_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


class KnowledgeSpelling:
    """The knowledge's words as written (casefolded), with their counts."""

    def __init__(self, counts: dict[str, int], min_letters: int, max_missing: int) -> None:
        self.counts = counts
        self.min_letters = min_letters
        self.max_missing = max_missing
        self._dropped: DroppedLetters | None = None

    @staticmethod
    def count(texts: Iterable[str]) -> dict[str, int]:
        """The casefolded words of `texts` (letters only, not Thai), with their counts."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.casefold() for w in _WORD.findall(text) if not has_thai(w))
        return dict(counts)

    def spelt(self, word: str) -> str | None:
        """The knowledge's word `word` drops letters of, or None."""
        folded = word.casefold()
        if folded in self.counts or has_thai(folded):
            return None
        if self._dropped is None:
            self._dropped = DroppedLetters(self.counts, self.min_letters, self.max_missing)
        found = self._dropped.fuller(folded)
        return max(found, key=lambda w: (self.counts[w], w)) if found else None

    def respell(self, question: str, is_word: Callable[[str], bool]) -> str:
        """`question` with each word the knowledge lacks and `is_word` does not know
        written as the knowledge writes it (`spelt`); unchanged otherwise."""
        def one(match: re.Match) -> str:
            word = match.group()
            spelt = self.spelt(word)
            if spelt is None or is_word(word):
                return word
            return spelt.capitalize() if word[:1].isupper() else spelt

        return _WORD.sub(one, question)
