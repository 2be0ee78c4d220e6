"""Messages that are not questions: greetings and thanks.

"Bonjour", "merci", "asante", "ขอบคุณ", "hi" deserve a short reply that says
what the bot does and how to ask, not a quote that happens to contain
"merci" and not "I found nothing".  The words are per language in
`config/messages/<lang>.yaml` (`greeting_words`, separated by "|"), so a new
language needs no code.  A message is a greeting when every word of it is
one of these (at most MAX_WORDS words, punctuation and emoji ignored):
"merci beaucoup !" is, "merci pour l'article sur Bitwise, qui est Ron ?" is not.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_WORDS = 4
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,40}>")  # "<b>hi</b>": the tags are not words


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", _MARKUP.sub(" ", text)).casefold()
    return _WORD.findall(folded)


def has_content(text: str) -> bool:
    """Whether a message holds a letter or a digit of any script.

    "?", "...", "🙂🙂" or "!!!" ask nothing: searching them quoted whatever
    short sentence the embedding model puts near every text (a comment-form
    line at cosine 0.86, answered), so they get the "ask me a question" reply
    instead, like an empty message."""
    return any(ch.isalnum() for ch in text)


def greeting_vocabulary(messages, lang: str) -> frozenset[str]:
    """The greeting and thanks words (and phrases' words) of one language."""
    return _vocabulary(messages.texts.get(lang, {}).get("greeting_words", ""))


@lru_cache(maxsize=64)
def _vocabulary(raw: str) -> frozenset[str]:
    """Keyed by the configured text itself: split once per process, not per message."""
    out: set[str] = set()
    for phrase in raw.split("|"):
        out.update(_words(phrase))
    return frozenset(out)


def greeting_language(text: str, messages, preferred: list[str]) -> str | None:
    """The language whose greeting words make up the whole message, or None.

    `preferred` languages are tried first (the detected or forced one), so
    "hi" asked with /lang fr is answered in French.
    """
    words = _words(text)
    if not words or len(words) > MAX_WORDS:
        return None
    if any(_THAI.search(w) for w in words):
        # Thai is written without spaces: "สวัสดีครับ" is one "word"; split on the list instead.
        split = _thai_split(words, messages, preferred)
        if split is None:
            return None
        words = split
    order = list(dict.fromkeys(list(preferred) + messages.languages))
    for lang in order:
        vocab = greeting_vocabulary(messages, lang)
        if vocab and all(w in vocab for w in words):
            return lang
    return None


_THAI = re.compile(r"[\u0E00-\u0E7F]")


def _thai_split(words: list[str], messages, preferred: list[str]) -> list[str] | None:
    """Cut Thai runs into greeting words greedily (longest first); None if a rest remains."""
    vocab: set[str] = set()
    for lang in set(list(preferred) + messages.languages):
        vocab |= greeting_vocabulary(messages, lang)
    thai_vocab = sorted((w for w in vocab if _THAI.search(w)), key=len, reverse=True)
    out: list[str] = []
    for word in words:
        if not _THAI.search(word):
            out.append(word)
            continue
        rest = word
        while rest:
            piece = next((w for w in thai_vocab if rest.startswith(w)), None)
            if piece is None:
                return None
            out.append(piece)
            rest = rest[len(piece):]
    return out
