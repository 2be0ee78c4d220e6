"""The language of the article a question names: "the Thai article", "l'article
thaï", "makala ya Kithai", "บทความภาษาฝรั่งเศส".

Someone asking across languages about a folder of several articles often says
which article by its language ("According to the Thai article on brand
promises, when is trust earned?").  Without it the question's own words meet
the articles written in its language first: a French question naming "l'article
thaï" was answered from the French articles.  Retrieval believes the user and
scores the sentences of the articles in other languages down
(`scoring.named_language_factor`, answering/retrieval.py).

Only an article, a blog post, a text or a version named with a language counts
("the French article", "la version anglaise", "toleo la Kiswahili",
"บล็อกภาษาฝรั่งเศส"): "in French" alone names no article, nor does "French
cheese".
"""

from __future__ import annotations

import re

# Each language's names in the four languages the bot reads (stems where they
# inflect: thaï / thaïe / thaïlandais, anglais / anglaise).
_NAMES: dict[str, str] = {
    "th": r"tha[iï]e?|tha[iï]landaise?|kithai|ไทย",
    "fr": r"french|fran[cç]aise?|kifaransa|ฝรั่งเศส",
    "sw": r"swahili|kiswahili|สวาฮ[ีิ]ลี",
    "en": r"english|anglaise?|kiingereza|อังกฤษ",
}
_ANY = "(?P<name>" + "|".join(_NAMES.values()) + ")"
_NOUN_EN = r"(?:article|blog(?:\s+post)?|post|piece|text|version|story|interview|write-?up)"
_NOUN_FR = r"(?:article|billet|blog|texte|version|récit|entretien|interview)"
_NOUN_SW = r"(?:makala|blogu|chapisho|toleo|habari|mahojiano|maandishi)"
_NOUN_TH = r"(?:บทความ|บล็อก|ข่าว|ฉบับ|บทสัมภาษณ์)"
_NAMED = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    # "the Thai article", "this French blog post", "the original English version", "the 2010 French post"
    rf"\b(?:the|this|that)\s+(?:[\w'’-]+\s+)?{_ANY}\s+{_NOUN_EN}\b",
    # "the article in Thai"; "l'article thaï", "le billet en français"
    rf"\b{_NOUN_EN}\s+in\s+{_ANY}\b",
    rf"\b{_NOUN_FR}\s+(?:en\s+)?{_ANY}\b",
    # "makala ya Kithai", "toleo la Kiswahili", "blogu ya Kifaransa"
    rf"\b{_NOUN_SW}\s+(?:ya|la|wa|za)\s+{_ANY}\b",
    # "บทความภาษาไทย", "บล็อกภาษาฝรั่งเศส", "ฉบับภาษาอังกฤษ"
    rf"{_NOUN_TH}\s*ภาษา\s*{_ANY}",
))
_LANGUAGE_OF = {lang: re.compile(names, re.IGNORECASE) for lang, names in _NAMES.items()}


def is_language_name(word: str) -> bool:
    """Whether `word` names one of the four languages ("Kithai", "French", "thaï"):
    a word, not a name the articles should hold (answering/question_names.py)."""
    return any(names.fullmatch(word) for names in _LANGUAGE_OF.values())


def named_article_language(question: str) -> str | None:
    """The language code ("th", "fr", "sw", "en") of the article the question names
    by its language, or None when it names none or two languages ("the French
    article and the Thai one": no one language to prefer)."""
    named = {lang for pattern in _NAMED for m in pattern.finditer(question)
             for lang, names in _LANGUAGE_OF.items() if names.fullmatch(m.group("name"))}
    return named.pop() if len(named) == 1 else None
