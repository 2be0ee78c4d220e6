"""Sentences and chunks, with exact offsets into the article text.

Quotes must be verbatim, so a sentence is never rebuilt from tokens: it is a
`(start, end)` span of the article's text.  Chunks group consecutive sentences
of a paragraph-aware run under a token budget (tiktoken cl100k; Thai costs
about three times more tokens per character than French, so budgets are in
tokens, not characters).  A sentence that repeats an earlier one of the same
article (blogs often paste a paragraph twice) is marked as a duplicate and is
neither indexed nor quoted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.scripts import THAI, THAI_LETTERS
from bot.knowledge.tokens import count_tokens

# End of a Latin-script sentence: terminal punctuation (and closing quotes or
# brackets) followed by white space and something that starts a sentence.
_LATIN_END = re.compile(rf"""[.!?…]+["»”’)\]]*(?=\s+["«“(\[]?[\d\u00C0-\u024FA-Z{THAI_LETTERS}¿¡-])""")
_THAI_GAP = re.compile(r"[ \t\u00A0]+")
_LATIN_OR_DIGIT = re.compile(r"[0-9A-Za-z\u00C0-\u024F]")


@dataclass(frozen=True)
class Span:
    """A sentence as a slice of the article text."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Sentence:
    """One quotable sentence of an article."""

    article_id: str
    lang: str
    start: int
    end: int
    text: str
    paragraph: int
    duplicate: bool = False


@dataclass(frozen=True)
class Chunk:
    """Consecutive sentences of one article under the token budget."""

    article_id: str
    lang: str
    first: int  # index of its first sentence in the sentence list
    last: int  # index of its last sentence (inclusive)
    tokens: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraphs(text: str):
    """Yield (start, end) of each non-blank line: a line is a paragraph here."""
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = _trim(text, pos, pos + len(line))
        if end > start:
            yield start, end
        pos += len(line)


_NEXT_LETTER = re.compile(r"""\s+["«“(\[]?(\w)""")
# Titles written (capitalised) before a name, abbreviated with a period, in the served
# languages (fr, en, sw): "M. Dupont", "Dr. Smith", "Bi. Mwanaisha", "Dkt.
# Juma", and "Sh. 20,000" (shillings).  A period after one of these, or after
# a single capital letter (an initial: "J. K. Rowling"), ends no sentence.
TITLE_ABBREVIATIONS = frozenset((
    "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "mgr", "st", "ste",  # fr
    "mr", "mrs", "ms", "prof", "mt", "rev", "gen", "sen", "rep", "gov", "capt", "lt", "sgt", "jr", "sr",  # en
    "bw", "bi", "dkt", "mhe", "mch", "sh", "tsh", "ksh",  # sw
))
_WORD_BEFORE_PERIOD = re.compile(r"(?:^|[\s(\[«“\"'])(\w+)\.$")


def _ends_with_title(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends with an abbreviated title or an initial."""
    word = _WORD_BEFORE_PERIOD.search(text, max(start, end - 8), end)
    if word is None:
        return False
    w = word.group(1)  # capitalised, as titles are written: "me." ends an English sentence
    return w[0].isupper() and (w.casefold() in TITLE_ABBREVIATIONS or len(w) == 1)


def _latin_sentences(text: str, start: int, end: int):
    """Cut after terminal punctuation, unless a lowercase word follows: "la
    perfection… mais nous", "à l'époque... à peine" are one sentence (an
    ellipsis or an abbreviation inside it), whatever accents the word has;
    nor after a title before a name ("Bi. Mwanaisha", "M. Dupont")."""
    cut = start
    for match in _LATIN_END.finditer(text, start, end):
        nxt = _NEXT_LETTER.match(text, match.end(), end)
        if nxt and nxt.group(1).islower():
            continue
        if text[match.end() - 1] == "." and _ends_with_title(text, cut, match.end()):
            continue
        yield cut, match.end()
        cut = match.end()
    yield cut, end


def _thai_sentences(text: str, start: int, end: int, min_chars: int):
    """Thai has no sentence punctuation; a space marks a clause or sentence.

    Split at spaces, then glue fragments shorter than `min_chars`
    to their neighbour, so that a quote is a readable unit, not a word.
    """
    pieces = []
    cut = start
    for match in _THAI_GAP.finditer(text, start, end):
        before = text[match.start() - 1] if match.start() > start else ""
        after = text[match.end()] if match.end() < end else ""
        # Only spaces touching Thai split sentences: a space between two
        # Latin/digit characters is inside a phrase ("Net Promoter Score").
        # Thai writing also sets numbers and foreign words apart with spaces
        # ("แผงค้ากว่า 180 แผง", "เปิดร้านใน Grab Food ได้"): a space with a
        # Latin letter or a digit on either side binds them to their Thai
        # neighbours (a number is never cut from its unit).  Thai writes no full
        # stop: a period ends an abbreviation ("17.00 น. ถึง 23.00 น.", "พ.ศ.
        # 2567", "อ. เมือง จ. เชียงใหม่"), which binds to what follows.  The
        # repetition mark ๆ repeats the word before it, often after a space
        # ("ใด ๆ", "ต่าง ๆ"): a quote never starts with it.
        if (THAI.match(before) or THAI.match(after) or before in "?!") and before != "." and after != "ๆ" \
                and not _LATIN_OR_DIGIT.match(before) and not _LATIN_OR_DIGIT.match(after):
            pieces.append((cut, match.start()))
            cut = match.end()
    pieces.append((cut, end))
    merged: list[list[int]] = []
    for s, e in pieces:
        if merged and (merged[-1][1] - merged[-1][0] < min_chars):
            merged[-1][1] = e
        else:
            merged.append([s, e])
    if len(merged) > 1 and merged[-1][1] - merged[-1][0] < min_chars:
        last = merged.pop()
        merged[-1][1] = last[1]
    for s, e in merged:
        yield s, e


def is_thai_paragraph(paragraph: str) -> bool:
    """Whether a paragraph is split as Thai (at spaces: Thai has no sentence punctuation)."""
    return len(THAI.findall(paragraph)) > len(paragraph) * 0.3


# The longest sentence kept whole.  A paragraph without sentence punctuation (a
# transcript, notes, a Thai paragraph written without spaces) was one sentence
# however long, and a quote is a whole sentence: one 32,000-character quote made
# the reply.  The longest sentence of our knowledge and probe folders is 371
# characters, so this cuts only such runs.
MAX_SENTENCE_CHARS = 1000


def _capped(text: str, start: int, end: int):
    """Cut text[start:end] into pieces of at most MAX_SENTENCE_CHARS: at the last
    space of each window's second half when there is one, else (Thai without
    spaces) at the window's end, moved back off a combining mark so no vowel or
    tone mark opens a piece."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit), text.rfind("\t", start, limit))
        if cut <= start:
            cut = limit
            while cut > start + 1 and unicodedata.category(text[cut]).startswith("M"):
                cut -= 1
        yield start, cut
        start = cut
    yield start, end


def split_sentences(text: str, min_thai_chars: int) -> list[Span]:
    """Sentence spans of `text`; Thai paragraphs are split at spaces."""
    spans: list[Span] = []
    for number, (p_start, p_end) in enumerate(_paragraphs(text)):
        if is_thai_paragraph(text[p_start:p_end]):
            pieces = _thai_sentences(text, p_start, p_end, min_thai_chars)
        else:
            pieces = _latin_sentences(text, p_start, p_end)
        for s, e in (piece for whole in pieces for piece in _capped(text, *whole)):
            s, e = _trim(text, s, e)
            if e > s and any(ch.isalnum() for ch in text[s:e]):
                spans.append(Span(s, e, number))
    return spans


def _duplicate_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\W+", " ", folded).strip()


def sentences_of(article_id: str, lang: str, text: str, min_thai_chars: int) -> list[Sentence]:
    """All sentences of an article, later repeats marked as duplicates."""
    seen: set[str] = set()
    out = []
    for span in split_sentences(text, min_thai_chars):
        body = text[span.start:span.end]
        key = _duplicate_key(body)
        out.append(Sentence(article_id, lang, span.start, span.end, body, span.paragraph, key in seen))
        seen.add(key)
    return out


def chunk_sentences(sentences: list[Sentence], budget: int, offset: int = 0) -> list[Chunk]:
    """Pack consecutive non-duplicate sentences into chunks under `budget` tokens.

    A chunk closes at a paragraph end once it is at least half full, so that
    chunks follow the author's structure; a single sentence longer than the
    budget forms a chunk of its own rather than being cut mid-sentence.
    `offset` is the index of `sentences[0]` in the global sentence list.
    """
    chunks: list[Chunk] = []
    first: int | None = None
    tokens = 0
    last_index = 0
    for i, sentence in enumerate(sentences):
        if sentence.duplicate:
            continue
        cost = count_tokens(sentence.text)
        if first is not None and (
            tokens + cost > budget
            or (sentence.paragraph != sentences[last_index].paragraph and tokens >= budget // 2)
        ):
            chunks.append(Chunk(sentence.article_id, sentence.lang, offset + first, offset + last_index, tokens))
            first, tokens = None, 0
        if first is None:
            first = i
        tokens += cost
        last_index = i
    if first is not None:
        s = sentences[first]
        chunks.append(Chunk(s.article_id, s.lang, offset + first, offset + last_index, tokens))
    return chunks
