"""Sentences: where a sentence begins, whether it asks or ends, and which item
of a numbered list it is or a question asks for.

A capital that begins a sentence says nothing of a name (`names.has_name`); a
sentence that asks is no answer, one that ends unfinished is no whole quote,
and "the fourth question" is answered by a list's fourth item, not by a number
(the composer).
"""

from __future__ import annotations

import re

from bot.answering.answer_types.numbers import _THAI_DIGITS

# Where a sentence begins (`begins_sentence`): after terminal punctuation, a line
# break or an opening quote.  A numbered step ("1) Ecrivez votre texte…") or a list
# item ("- Mardi : fermé") begins a sentence too, on any line of a quote.
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|[\n\r]+|[«“\"(]\s*|(?:^|[\n\r])[ \t]*(?:\d{1,2}\)|[-*•–])[ \t]+)$")


# What `_SENTENCE_START` may need before the whitespace ahead of a word: the
# opening mark, or a line break, an indentation and "12)" or "-" (a list item
# indented by more than ~28 characters is not seen as beginning a sentence).
_START_LOOKBACK = 32


def begins_sentence(text: str, at: int) -> bool:
    """Whether the word at offset `at` of `text` begins a sentence, a line, a
    quotation or a numbered step: any word is capitalised there, so a capital
    there says nothing of a name (`has_name`, question_names.question_names).
    Only the whitespace before the word and `_START_LOOKBACK` characters before
    it are read: called for every word of a text, reading all that precedes
    each word took 42 s for a pasted message of 108,000 characters."""
    lo = at
    while lo > 0 and text[lo - 1].isspace():
        lo -= 1
    # `^` matches only at the text's real start, whatever the search's start
    return _SENTENCE_START.search(text, max(0, lo - _START_LOOKBACK), at) is not None


# A Thai sentence asks without "?": an initial "why / who" or a final
# question particle ("อย่างไรก็ตาม", "however", starts with "อย่างไร", so
# "how" only counts at the end).
_THAI_ASKS = re.compile(r"^(?:ทำไม|เหตุใด|ใคร)|(?:ไหม|มั้ย|หรือไม่|หรือเปล่า|อย่างไร|อะไร|ที่ไหน|เมื่อไร|เมื่อไหร่)$")


def _without_closers(sentence: str) -> str:
    """The sentence without trailing spaces, closing quotes, brackets and Markdown
    emphasis ("**Can I get a permit?**" asks)."""
    return sentence.strip().rstrip("»”\"'’)]*_ ")


def is_question(sentence: str) -> bool:
    """True when a sentence of an article asks something ("…?", or Thai forms)."""
    text = _without_closers(sentence)
    return text.endswith(("?", "？")) or bool(_THAI_ASKS.search(text))


def ends_sentence(text: str) -> bool:
    """True when `text` ends with terminal punctuation (closing quotes aside)."""
    return _without_closers(text).endswith((".", "!", "?", "…", "。", "？", "！"))


# "What is the fourth question managers should ask?", "la troisième étape", "hatua
# ya tano", "คำถามข้อที่ 4", "step 3": the item of a list the question asks for, by
# its place.  Only with a word for a list's item (question, step, point, tip …):
# "the second stranger", "le second inconnu" ask for no list's item.
_ORDINALS = {  # French without its grave accent: "troisième" and "troisieme" alike
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "deuxieme": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5, "sixieme": 6,
    "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10, "pili": 2, "tatu": 3, "nne": 4, "tano": 5,
    "sita": 6, "saba": 7, "nane": 8, "tisa": 9, "kumi": 10, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6,
    "เจ็ด": 7, "แปด": 8, "เก้า": 9, "สิบ": 10,
}
_EN_ITEM = r"questions?|steps?|points?|tips?|rules?|reasons?|items?|options?|stages?|principles?|lessons?|ways?|signs?"
_FR_ITEM = (r"questions?|[ée]tapes?|points?|conseils?|r[èe]gles?|raisons?|options?|principes?|le[çc]ons?|astuces?"
            r"|pistes?|crit[èe]res?")
_SW_ITEM = r"swali|maswali|hatua|hoja|sababu|kanuni|somo|kidokezo|vidokezo|njia|jambo|mambo|chaguo"
_ITEM_QUESTION = re.compile(
    rf"\b(?P<en>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|(?:[2-9]|10)(?:nd|rd|th))"
    rf"(?:\s+and\s+(?:last|final))?(?:\s+of\s+the(?:\s+\w+)?)?\s+(?:\w+\s+)?(?:{_EN_ITEM})\b"
    rf"|\b(?P<fr>deuxi[èe]me|seconde?|troisi[èe]me|quatri[èe]me|cinqui[èe]me|sixi[èe]me|septi[èe]me|huiti[èe]me"
    rf"|neuvi[èe]me|dixi[èe]me|(?:[2-9]|10)(?:e|[èe]me))\s+(?:et\s+derni[èe]re?\s+)?(?:{_FR_ITEM})\b"
    rf"|\b(?:{_SW_ITEM})\s+(?:la|ya|cha|za|wa)\s+(?P<sw>pili|tatu|nne|tano|sita|saba|nane|tisa|kumi)\b"
    rf"|(?:คำถาม|ขั้นตอน|ข้อ|เคล็ดลับ|กฎ|เหตุผล)\s*(?:ข้อ)?\s*ที่\s*(?P<th>10|[2-9๒-๙]|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)"
    rf"|\b(?:question|step|item|rule|tip|[ée]tape|swali|hatua)\s+(?:number\s+|no\.?\s*|n°\s*|num[ée]ro\s+|namba\s+)?"
    r"(?P<digit>[2-9]|10)\b(?![.,]\d)",
    re.IGNORECASE,
)
# a list's item: a sentence that begins "3." or "3)" (Thai digits too), or is
# that number alone (the sentence splitter cuts "1. Are your rules …" after "1.")
_NUMBERED_ITEM = re.compile(r"^\s*([0-9๐-๙]{1,2})\s*[.)](?:\s|$)")


def asked_item(question: str) -> int:
    """The place in a list of the item the question asks for ("the fourth question"
    -> 4), from the second on; 0 when it asks for none."""
    match = _ITEM_QUESTION.search(question)
    if match is None:
        return 0
    word = next(v for v in match.groupdict().values() if v).casefold().translate(_THAI_DIGITS)
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else _ORDINALS.get(word.replace("è", "e"), 0)


def item_number(sentence: str) -> int:
    """The number a list's item begins with ("3. …", "3) …"), 0 for any other sentence."""
    match = _NUMBERED_ITEM.match(sentence)
    return int(match.group(1).translate(_THAI_DIGITS)) if match else 0
