"""Thai names asked in Latin letters: "Tha Khae" meets ท่าแค, "Sikhio" สีคิ้ว.

A question in English, French or Swahili about a Thai article names its
places and people as they are romanized ("Mae Rim", "Ban Phaeo", "Lampang"),
while the article writes them in Thai script.  No dictionary holds such
names, and the sentence embeddings rank them low, so they were unreachable.

At index time every Thai index term is romanized once in the Royal Thai
General System: as pythainlp's thai2rom model spelt it, from a table shipped
in bot/data (the model needs onnxruntime), and as pythainlp's rule-based
`royin` spells it (see `romanize_terms`), offline; the
table is kept beside the index (terms already romanized are reused when the
knowledge changes).  At question time, 1-`max_words` adjacent words of the
question are joined ("tha khae" -> "thakhae") and cut into romanized Thai
index terms ("tha" + "khae"); the cut counts only when those terms occur
together in one sentence of the knowledge, and when at least one of the
words is not a word of the question's language (a dictionary entry or a stop
word): "chat" and "run" are English before they are จัด and รุ่น.  The join
must reach `min_letters` letters, so a two-letter syllable alone never counts.

The system is lossy (no tones, vowel length, some final consonants), which
is why the match goes this way: the question's spelling against the
romanized article, where every common romanization of a name agrees with
the system on the syllables that matter.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from itertools import accumulate, product
from pathlib import Path

ROMAN_FORMAT = 2  # bump when romanize_terms changes: stored tables are then romanized again


def latin_letters(text: str) -> str:
    """`text` lowercased, accents dropped, letters a-z only ("Thà-Khae" -> "thakhae")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def romanize_terms(terms: Iterable[str]) -> dict[str, str]:
    """Thai term -> its spellings in letters a-z, space-separated ("" for none):
    the shipped table's (`DICTIONARY_TABLE`: pythainlp's thai2rom model, run once
    over its dictionary by tools/build_thai_roman.py), then royin's when it
    differs.  Imports pythainlp: index time only.

    Why both: royin, rule-based, gets about a third of the terms wrong (a
    leading ห, implicit vowels: เชียงใหม่ "chianghaim", สงขลา "sangakhla"), the
    model gets them right but needs onnxruntime, so its spellings are shipped
    for the dictionary's words, which are nearly all the index terms (newmm cuts
    text into them); royin's spelling is kept beside it (a name a rule spells
    right, "Sikhio", still meets its term) and is all a term outside the
    dictionary has.  A royin spelling with Thai letters left in it (some vowel
    signs) is dropped.

    An index term is one word already (newmm cut it out of the text), so royin
    romanizes it as a word: pythainlp's public `romanize` first segments its input
    with the default dictionary trie, whose construction (~1.1 s) was most of the
    cost (258 terms of the shipped knowledge: 1.13 s public, 0.07 s per word, the
    same result on every one of them and on 3,000 dictionary words without a
    space).  The word-level function is private, so the public one stays the
    fallback (pyproject pins pythainlp < 5.5)."""
    from pythainlp.transliterate import romanize

    try:
        from pythainlp.transliterate.royin import _romanize as romanize_word
    except ImportError:  # another pythainlp: the public function, slower, same result
        def romanize_word(word: str) -> str:
            return romanize(word, engine="royin")

    terms = list(terms)
    table = dictionary_spellings() if terms else {}
    out: dict[str, str] = {}
    for term in terms:
        try:
            roman = romanize_word(term).lower()
        except Exception:  # a rule-based romanizer on odd input: the term is simply not matched
            roman = ""
        spellings = [table.get(term, ""), roman if roman.isascii() and roman.isalpha() else ""]
        out[term] = " ".join(dict.fromkeys(s for s in spellings if s))
    return out


DICTIONARY_TABLE = Path(__file__).resolve().parent.parent / "data" / "thai_roman.json.gz"


def dictionary_spellings() -> dict[str, str]:
    """The shipped table: pythainlp's dictionary words romanized by its thai2rom
    model ({} if the file is missing or damaged: royin alone then)."""
    try:
        doc = json.loads(gzip.decompress(DICTIONARY_TABLE.read_bytes()).decode("utf-8"))
        entries = doc["entries"]
        return {str(k): str(v) for k, v in entries.items()} if isinstance(entries, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return {}


class ThaiNames:
    """Finds the spans of a question's words that spell Thai index terms."""

    MAX_CUTS = 64  # segmentations tried per span, and Thai term combinations per cut:
    MAX_COMBINATIONS = 256  # names are short, these bound only pathological input

    def __init__(self, roman: Mapping[str, str], together: Callable[[list[str]], bool],
                 max_words: int, max_pieces: int, min_letters: int, max_short_pieces: int) -> None:
        self.together = together
        self.max_words, self.max_pieces, self.min_letters = max_words, max_pieces, min_letters
        self.max_short_pieces = max_short_pieces  # pieces of one or two letters in one cut
        self.by_roman: dict[str, list[str]] = defaultdict(list)
        for term, spellings in roman.items():
            for latin in spellings.split():
                self.by_roman[latin].append(term)
        self.longest = max(map(len, self.by_roman), default=0)

    def spans(self, words: list[str], known: Callable[[int], bool]) -> list[tuple[int, list[list[str]]]]:
        """(first word, the Thai terms each word of the span spells) for the longest spans
        that spell Thai terms found together, not overlapping; `known(i)`: word i belongs
        to the question's language.  A term spelt across two words ("Ban Phaeo",
        บ้านแพ้ว) belongs to both."""
        found: list[tuple[int, list[list[str]]]] = []
        letters = [latin_letters(w) for w in words]
        taken: set[int] = set()
        for size in range(min(self.max_words, len(words)), 0, -1):  # longest first
            for start in range(len(words) - size + 1):
                span = range(start, start + size)
                if taken.intersection(span) or all(known(i) for i in span) or not all(letters[i] for i in span):
                    continue
                joined = "".join(letters[i] for i in span)
                if len(joined) < self.min_letters:
                    continue
                spelt = self._spelt(joined)
                if spelt:
                    ends = list(accumulate(len(letters[i]) for i in span))
                    per_word = [list(dict.fromkeys(t for t, lo, hi in spelt if lo < end and hi > end - len(letters[i])))
                                for i, end in zip(span, ends)]
                    found.append((start, per_word))
                    taken.update(span)
        return sorted(found)

    def _spelt(self, joined: str) -> list[tuple[str, int, int]] | None:
        """(Thai term, first letter, end letter) for the terms whose romanizations, in
        order, spell `joined` and that occur together in a sentence: the cut into the
        fewest pieces that does."""
        for pieces in sorted(self._cuts(joined), key=len):
            options = [self.by_roman[p] for p in pieces]
            bounds = list(accumulate(len(p) for p in pieces))
            for tried, terms in enumerate(product(*options)):
                if tried >= self.MAX_COMBINATIONS:
                    break
                if self.together(list(terms)):
                    return [(t, end - len(p), end) for t, p, end in zip(terms, pieces, bounds)]
        return None

    def _cuts(self, joined: str) -> list[list[str]]:
        """Every way to cut `joined` into at most max_pieces romanized terms, at most
        max_short_pieces of them under three letters (bounded).  Two-letter syllables
        spell almost anything: "boda boda" (Swahili motorcycle taxis) is บอ + ดา twice,
        fragments of นิดาบอก, while real names have at most one ("Wat Pa Tan Luang")."""
        cuts: list[list[str]] = []

        def walk(at: int, pieces: list[str], short: int) -> None:
            if len(cuts) >= self.MAX_CUTS:
                return
            if at == len(joined):
                cuts.append(list(pieces))
                return
            if len(pieces) == self.max_pieces:
                return
            for end in range(min(len(joined), at + self.longest), at, -1):
                piece = joined[at:end]
                is_short = end - at < 3
                if piece in self.by_roman and short + is_short <= self.max_short_pieces:
                    pieces.append(piece)
                    walk(end, pieces, short + is_short)
                    pieces.pop()

        walk(0, [], 0)
        return cuts
