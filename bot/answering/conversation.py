"""Messages that are not questions: greetings, thanks, goodbyes, "ok", "what do you know?".

"Bonjour", "merci", "asante", "ขอบคุณ", "hi" deserve a short reply that says
what the bot does and how to ask, not a quote that happens to contain
"merci" and not "I found nothing"; "bye", "au revoir", "kwaheri" a goodbye
and "ok", "d'accord", "sawa" a short "ask me more", not "Hello! I answer
questions…"; "what articles do you have?", "quels
sujets ?", "มีบทความอะไรบ้าง" deserve the list of what the bot knows, not a
sentence that happens to contain "articles".  The words are per language in
`config/messages/<lang>.yaml` (`greeting_words`, `thanks_words`,
`farewell_words`, `ok_words`, `topics_words`, separated by "|"), so a new
language needs no code.  A
message is one of these when every word of it is one of these words and it
holds one of the phrases whole (at most MAX_WORDS words, punctuation and
emoji ignored): "merci beaucoup !" and "which articles do you have" are,
"merci pour l'article sur Bitwise, qui est Ron ?" is not, and neither is a
word that only belongs to a phrase: "many", "a", "bien", "mille" or "sana"
alone (of "many thanks", "thanks a lot", "merci bien", "mille mercis",
"asante sana") were answered "you're welcome".  A greeting before a question, or
thanks or a goodbye after it ("Bonjour ! Qui est Ron ? Merci !") is left out
of what is searched (`without_greeting`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.core.scripts import THAI

MAX_WORDS = 6  # "what articles do you have"; a question about the articles has a topic word
MAX_GREETING_CLAUSES = 4  # left out around a question: "Bonjour ! Ça va ? … ? Merci ! Bonne journée"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,40}>")  # "<b>hi</b>": the tags are not words


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", _MARKUP.sub(" ", text)).casefold()
    return _WORD.findall(folded)


_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def has_content(text: str) -> bool:
    """Whether a message holds a letter or a digit of any script, links aside.

    "?", "...", "🙂🙂", "!!!" or a pasted link alone ask nothing: searching
    them quoted whatever sentence the embedding model puts near every text (a
    comment-form line at cosine 0.86, answered), so they get the "ask me a
    question" reply instead, like an empty message."""
    return any(ch.isalnum() for ch in _URL.sub(" ", text))


# The kinds of message, each with its words in config/messages/<lang>.yaml
# (`<kind>_words`) and its reply (the message key of the same name, `topics`
# the list of articles).  The first kind one of whose own words the message
# holds decides ("ok thanks" thanks, "merci, au revoir" says goodbye).
KINDS = ("topics", "farewell", "thanks", "ok", "greeting")
_WORD_KEYS = tuple(f"{kind}_words" for kind in KINDS)


def greeting_vocabulary(messages, lang: str) -> frozenset[str]:
    """The words (and phrases' words) of every kind of one language."""
    return _configured_words(messages, lang, *_WORD_KEYS)


def kind_vocabulary(messages, lang: str, kind: str) -> frozenset[str]:
    """The words that make a message of `kind`: those of `<kind>_words` that no
    other kind uses ("you" of "thank you" is also in "how are you"; "what",
    "you" and "do" of "what do you know" are also in "what can you do"; "good"
    of "good night" also in "good morning"), so "merci" is answered "avec
    plaisir", not "bonjour", and "articles" lists the articles."""
    others = [key for key in _WORD_KEYS if key != f"{kind}_words"]
    return _configured_words(messages, lang, f"{kind}_words") - _configured_words(messages, lang, *others)


def _configured_phrases(messages, lang: str) -> frozenset[tuple[str, ...]]:
    """The phrases of every kind of one language, as word tuples."""
    return _phrases(_configured(messages, lang, *_WORD_KEYS))


def _configured(messages, lang: str, *keys: str) -> str:
    """The "|"-separated phrases under `keys` in `lang`'s messages, as one text."""
    texts = messages.texts.get(lang, {})
    return "|".join(texts.get(k, "") for k in keys)


@lru_cache(maxsize=64)
def _phrases(raw: str) -> frozenset[tuple[str, ...]]:
    """Keyed by the configured text itself: split once per process, not per message."""
    return frozenset(words for phrase in raw.split("|") if (words := tuple(_words(phrase))))


def _holds_phrase(words: list[str], phrases: frozenset[tuple[str, ...]]) -> bool:
    """Whether one of `phrases` occurs whole in `words` ("thanks a lot", "which articles do you have")."""
    return any(tuple(words[i:i + len(p)]) == p for p in phrases for i in range(len(words) - len(p) + 1))


def _configured_words(messages, lang: str, *keys: str) -> frozenset[str]:
    """The words of the "|"-separated phrases under `keys` in `lang`'s messages."""
    return _vocabulary(_configured(messages, lang, *keys))


@lru_cache(maxsize=64)
def _vocabulary(raw: str) -> frozenset[str]:
    return frozenset(w for phrase in _phrases(raw) for w in phrase)


@dataclass(frozen=True)
class Greeting:
    """A message made of greeting words only: its language, and its kind (one of
    KINDS: what the reply is)."""

    lang: str
    kind: str = "greeting"


def greeting_language(text: str, messages, preferred: list[str]) -> Greeting | None:
    """The language whose greeting words make up the whole message, or None.

    `preferred` languages are tried first (the detected or forced one), so
    "hi" asked with /lang fr is answered in French.
    """
    words = _words(text)
    if not words or len(words) > MAX_WORDS:
        return None
    if any(THAI.search(w) for w in words):
        # Thai is written without spaces: "สวัสดีครับ" is one "word"; split on the list instead.
        split = _thai_split(words, messages, preferred)
        if split is None:
            return None
        words = split
    order = list(dict.fromkeys(list(preferred) + messages.languages))
    for lang in order:
        vocab = greeting_vocabulary(messages, lang)
        if vocab and all(w in vocab for w in words) and _holds_phrase(words, _configured_phrases(messages, lang)):
            kind = next((k for k in KINDS[:-1] if any(w in kind_vocabulary(messages, lang, k) for w in words)),
                        KINDS[-1])
            return Greeting(lang, kind)
    return None


def without_greeting(text: str, messages, preferred: list[str]) -> str:
    """`text` without a greeting before its question or thanks after it, or
    `text` itself.

    "mambo vipi 😊 mwandishi huanza kusoma hakiki zipi??" asks what the
    author reads first; searched whole, "mambo vipi" counted among its words,
    held by no sentence, and the question's evidence looked weak enough to
    decline.  Only a clause made of greeting or thanks words (the
    `greeting_language` test) at either end goes, set apart by punctuation, an
    emoji or a dash, never by a bare space ("Habari ya mradi?" asks the
    project's news; "habari" is a greeting only as "Habari, ..."); Thai ends a
    clause with a space, so there a space does.  Only thanks or a goodbye close
    a question, and something must be left to ask."""
    out = text
    for _ in range(MAX_GREETING_CLAUSES):  # "Bonjour ! Ça va ? Quel ... ? Merci !": one clause a pass
        clauses = _clause_ends(out)
        cut = out
        if clauses and _as_greeting(out[:clauses[0][0]], messages, preferred) and _holds_words(out[clauses[0][1]:]):
            cut = out[clauses[0][1]:]
        else:
            tail = next((end for _, end in reversed(clauses) if _words(out[end:])), None)
            if tail is not None and _as_greeting(out[tail:], messages, preferred, closing=True) \
                    and _holds_words(out[:tail]):
                cut = out[:tail]
        if cut == out:
            break
        out = cut.strip()
    return out


def _clause_ends(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of characters that ends a clause: punctuation or
    symbols (emoji too) but an apostrophe or a hyphen inside a word ("d'accord",
    "es-tu"), a line break, or a space after Thai."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(text):
        kind = unicodedata.category(ch)
        ends = (kind[0] in "PS" and not (ch in "'’-" and 0 < i < len(text) - 1
                                         and text[i - 1].isalnum() and text[i + 1].isalnum())) \
            or ch == "\n" or (ch.isspace() and i > 0 and THAI.match(text[i - 1]) is not None)
        if ends and start is None:
            start = i
        elif not ends and start is not None:
            if not ch.isspace():
                runs.append((start, i))
                start = None
    if start is not None:
        runs.append((start, len(text)))
    return runs


def _as_greeting(clause: str, messages, preferred: list[str], closing: bool = False) -> bool:
    greeted = greeting_language(clause, messages, preferred)
    return greeted is not None and greeted.kind != "topics" and (
        greeted.kind in ("thanks", "farewell") or not closing)


def _holds_words(text: str) -> bool:
    """Whether `text` holds a word (two letters at least): something left to ask."""
    return any(len(w) >= 2 for w in _words(text))


def _thai_split(words: list[str], messages, preferred: list[str]) -> list[str] | None:
    """Cut Thai runs into greeting words greedily (longest first); None if a rest remains."""
    vocab: set[str] = set()
    for lang in set(list(preferred) + messages.languages):
        vocab |= greeting_vocabulary(messages, lang)
    thai_vocab = sorted((w for w in vocab if THAI.search(w)), key=len, reverse=True)
    out: list[str] = []
    for word in words:
        if not THAI.search(word):
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
