"""Language of a chat question: script first, then py3langid on the rest.

Thai is recognised by its script (cheap and certain).  For Latin-script text
py3langid, restricted to the languages we serve, got 48/48 on the dev
questions including chat-style ones; its model ships inside the wheel, so
nothing is fetched at run time.  It is loaded on first use only.
"""

from __future__ import annotations

import re
from functools import lru_cache

_THAI = re.compile(r"[\u0E00-\u0E7F]")
_LETTER = re.compile(r"[^\W\d_]")
_MIN_LETTERS = 3


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(ident.nb_classes)
    usable = [lang for lang in languages if lang in known]
    if usable:
        ident.set_languages(usable)
    return ident


def detect_language(text: str, languages: tuple[str, ...] = ("fr", "en", "sw", "th"),
                    default: str = "en", hint: str | None = None) -> str:
    """Best guess among `languages` for `text`.

    `hint` (e.g. a Telegram user's language_code) decides when the text has
    too few letters to judge; `default` is used when there is neither.
    """
    letters = _LETTER.findall(text)
    thai = len(_THAI.findall(text))
    if thai and "th" in languages and thai >= len(letters) * 0.3:
        return "th"
    fallback = hint if hint in languages else default
    if len(letters) < _MIN_LETTERS:
        return fallback
    lang, _prob = _identifier(tuple(languages)).classify(text)
    return lang if lang in languages else fallback
