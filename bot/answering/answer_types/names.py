"""Names: does a question ask for a name ("comment s'appelle", "what is it
called", "which company", "who is the chairman") and of which thing, and does
a passage hold a proper name the question does not: a capitalised word, a
short quoted span, a Latin-script word in Thai text, a Thai given name after a
title.

A name question is not answered by a sentence whose only name is one the
question already holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from bot.answering.answer_types.dates import is_day_or_month
from bot.answering.answer_types.roles import (
    _HOLDS_ROLE_QUESTION,
    _MAKER_QUESTION,
    _WHO_IS_ROLE_SOURCES,
    ROLE_INITIALS,
    asks_winner,
)
from bot.answering.answer_types.sentences import begins_sentence
from bot.answering.answer_types.things import _asked_group, _thing
from bot.core.scripts import THAI

# "What is it called": questions that ask for a name outright ("comment
# s'appelle", "quel est le nom", "what is the name", "anaitwa nani", "jina
# lake ni nani", "ชื่ออะไร"), or for a title ("what is the title of the video",
# "quel est le titre", "inaitwaje").  "Who ..." alone is left out: it is
# answered by common nouns as often ("the management", "la direction").  Thai
# ชื่อ ("name") must not be the end of เชื่อ ("believe").
_NAME_QUESTION = re.compile(
    r"\bcomment\s+(?:s['’]appell?e\w*|se\s+nomm\w*)"
    r"|\bquel(?:le)?s?\s+(?:est|sont|était|sera)\s+(?:le|les)\s+(?:nouveaux?\s+|nouvel\s+|vrais?\s+)?(?:noms?|titres?)\b"
    r"|\bwhat(?:'s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+"
    r"|[\w\s]{1,40}?['’]s\s+)?(?:new\s+|full\s+|official\s+|real\s+|former\s+|old\s+)?(?:names?|titles?)\b"
    r"|\bwhat\s+(?:is|was|are|were)\s+[\w\s]{1,40}?\s+called\b"
    r"|\b(?:a|wa|i|li|ki|zi|u|ya|vi)naitwa(?:\s+(?:nani|je|vipi|gani)|je)\b"
    r"|\bjina\s+(?:jipya\s+|rasmi\s+|kamili\s+)?(?:lake\s+|la\s+\w+\s+)?(?:ni\s+)?(?:nani|gani|lipi)\b"
    r"|(?<!เ)ชื่อ(?:ใหม่|จริง)?(?:ว่า)?(?:อะไร|อย่างไร)"
    # "ชื่อ X ว่าอะไร" (X's name is what), as "what is X's name"
    r"|(?<!เ)ชื่อ\S+?ว่า(?:อะไร|อย่างไร)",
    re.IGNORECASE,
)
# Kinds of things known by a proper name or a title: asked with "which" ("which
# company", "quelle marque", "kampuni gani", "ร้านอะไร", "มหาวิทยาลัยไหน", "which
# film", "de quelle vidéo") they ask for that name.  English and French in the
# singular only: "quelles marques", "which brands" ask as often for a kind
# ("les marques qui restent figées…").
_EN_NAMED = (r"company|firm|brand|hospital|clinic|school|university|college|airline|hotel|shop|store|retailer"
             r"|restaurant|caf[eé]|club|team|choir|band|bank|insurer|app|software|platform|website|newspaper"
             r"|magazine|organi[sz]ation|association|charity|fund|supplier|contractor|manufacturer|maker|podcast"
             r"|conference|village|town|city|district|county|province|country|street|temple|station|agency"
             r"|video|film|movie|book|song|documentary|architect|builder|designer")
_FR_NAMED = (r"entreprise|soci[ée]t[ée]|marque|h[ôo]pital|clinique|[ée]cole|universit[ée]|compagnie|h[ôo]tel"
             r"|magasin|boutique|enseigne|club|[ée]quipe|chorale|banque|assureur|application|logiciel|plateforme"
             r"|site|journal|association|fonds|fournisseur|prestataire|fabricant|village|ville|commune|quartier"
             r"|pays|rue|temple|gare|agence|restaurant|conf[ée]rence|organisme|cabinet|vid[ée]o|film|livre|chanson"
             r"|documentaire|architecte|constructeur")
_SW_NAMED = (r"kampuni|hospitali|zahanati|shule|chuo|benki|klabu|timu|hoteli|duka|programu|tovuti|gazeti"
             r"|shirika|kijiji|mji|jiji|wilaya|nchi|mtaa|hekalu|kituo|kwaya|bendi|mkoa|kata|taasisi|mfuko|video|filamu"
             r"|kitabu|wimbo|mkandarasi|mbunifu")
_TH_NAMED = (r"บริษัท|ร้าน|ยี่ห้อ|แบรนด์|โรงพยาบาล|โรงเรียน|มหาวิทยาลัย|สายการบิน|โรงแรม|ธนาคาร|แอป|หมู่บ้าน"
             r"|ตำบล|อำเภอ|จังหวัด|วัด|สถานี|คณะ|ทีม|ชมรม|สมาคม|มูลนิธิ|สหกรณ์|หน่วยงาน|องค์กร|ประเทศ|วิดีโอ|คลิป"
             r"|ภาพยนตร์|หนังสือ|เพลง|ผู้รับเหมา|สถาปนิก")
# ... of which the places, named without their kind as often as with it ("the
# school in Kendal" answers "which town"): the others are named beside their kind
# ("l'entreprise Ateliers Berthier", "kampuni ya Msimbazi Steel Works", "the
# Penryn firm Dunmere Joinery"), see `names_a_kind`.
_PLACES = frozenset(("village", "town", "city", "district", "county", "province", "country", "street",
                     "ville", "commune", "quartier", "pays", "rue",
                     "kijiji", "mji", "jiji", "wilaya", "nchi", "mtaa", "mkoa", "kata"))


def _kinds(named: str) -> str:
    return "|".join(k for k in named.split("|") if k not in _PLACES)


@cache  # compiled on the first "which" question, not when a cold `bot ask` starts (~2 ms)
def _kind_patterns() -> tuple[re.Pattern[str], dict[str, re.Pattern[str]]]:
    """A question asking a thing's name by its kind ("which company", "quelle marque",
    "kampuni gani"), and each language's kind words in a quote: the word the question
    asks need not be the quote's ("which company": "the firm")."""
    en, fr, sw = _kinds(_EN_NAMED), _kinds(_FR_NAMED), _kinds(_SW_NAMED)
    question = re.compile(
        r"\b(?:which|what)\s+(?:\w+\s+)?(?P<en>" + en + r")\b"
        r"|\bquel(?:le)?\s+(?P<fr>" + fr + r")\b"
        r"|\b(?P<sw>" + sw + r")\s+(?:\w+\s+)?(?:gani|ipi|lipi|kipi|upi)\b",
        re.IGNORECASE,
    )
    words = {"en": re.compile(r"\b(?:" + en + r")s?\b", re.IGNORECASE),
             "fr": re.compile(r"\b(?:" + fr + r")s?\b", re.IGNORECASE),
             "sw": re.compile(r"\b(?:" + sw + r")\b", re.IGNORECASE)}
    return question, words


_NAMED_QUESTION = re.compile(
    r"\bwhich\s+(?:\w+\s+)?(?:" + _EN_NAMED + r")\b|\bwhat\s+(?:" + _EN_NAMED + r")\b"
    r"|\bquel(?:le)?\s+(?:" + _FR_NAMED + r")\b"
    r"|\b(?:" + _SW_NAMED + r")\s+(?:\w+\s+)?(?:gani|ipi|lipi|kipi|upi)\b"
    r"|(?:" + _TH_NAMED + r")(?:อะไร|ไหน|ใด)"
    r"|\bwho\s+won\b|\bqui\s+a\s+gagn[ée]|" + _MAKER_QUESTION + "|" + _HOLDS_ROLE_QUESTION + "|"
    + "|".join(_WHO_IS_ROLE_SOURCES.values()),
    re.IGNORECASE,
)

# A proper name in a quote: a capitalised word that does not begin a sentence
# (Latin scripts), a short span in quotation marks (`_name_sized`), a
# Latin-script word inside Thai text (names of firms and people are mostly
# written so), or, for a question asking who, a Thai given name after a title
# (`thai_person_names`).
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]+")
_QUOTED = re.compile(r"«[^»]{2,}»|“[^”]{2,}”|\"[^\"]{2,}\"")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_WORD = re.compile(r"\w+")

# A Thai person's name has no shape a letter shows: it follows a title ("นาย",
# "นางสาว", "คุณ", "ป้า", "ครู", "ดร." ...), and is a given name of pythainlp's
# lists of Thai given names (offline, shipped in its wheel).  Titles that are
# also common words or syllables ("น้า" of "หน้าที่", "ตา", "พระ") are left out,
# and a given name that is also a dictionary word ("สมบัติ", property) counts
# only before a space: "คุณสมบัติของผู้สมัคร" is a qualification.
_TH_TITLE = re.compile(r"(?:นางสาว|นาง|นาย|คุณ|ด\.ช\.|ด\.ญ\.|ดร\.|นพ\.|พญ\.|สพ\.ญ\.|สพ\.ว\.|ผศ\.|รศ\.|ศ\."
                       r"|ป้า|ลุง|ยาย|ครู|อาจารย์|กำนัน)\s?")
_TH_GIVEN_MAX = 14  # letters of the longest given name looked for
_WHO = re.compile(r"ใคร|\bwho\b|(?<!ce )(?<!ce-)\bqui\b|\bnani\b", re.IGNORECASE)  # not "ce qui" (what)


def asks_name(question: str) -> str:
    """What kind of name the question asks for: "called" when outright ("comment
    s'appelle", "what is the name"), "which" for a kind of thing known by its
    name asked with "which" ("which company", "ร้านอะไร") or a person's role
    asked with "who" ("who is the chairman"); "" when it asks for none."""
    if _NAME_QUESTION.search(question):
        return "called"
    return "which" if _NAMED_QUESTION.search(question) or asks_winner(question) else ""


# A span in quotation marks longer than this is a saying, not a name; in Thai,
# written without spaces, counted in characters ("ลงโทษหลายคนเพราะบาปของคนเดียว",
# "punish many for the sin of one": 30).  Over the 60 sets of bench/sweep.py
# (2026-12-04), 3 / 18, 5 / 24 and 8 / 28 give the same outcomes: six more
# off-topic "which shop / which hospital" questions declined, nothing lost.
QUOTED_NAME_MAX_WORDS = 5
QUOTED_THAI_NAME_MAX_CHARS = 24


def _name_sized(span: str) -> bool:
    """Whether a quoted span is short enough to be a name ("Friendly Skies",
    “ท้องฟ้าเป็นมิตร”) rather than a saying quoted ("punish many for the sin of one")."""
    if THAI.search(span):
        return len(span.strip()) <= QUOTED_THAI_NAME_MAX_CHARS
    return len(span.split()) <= QUOTED_NAME_MAX_WORDS


def _new_to(question: str) -> Callable[[str], bool]:
    """Whether a span holds a word `question` does not (`has_name`, `names_a_kind`):
    the question's own names answer nothing."""
    folded = question.casefold()
    asked = set(_WORD.findall(folded))

    def new(span: str) -> bool:
        # Thai runs whole phrases together: a Thai word is the question's when the question holds it
        return any((w not in folded) if THAI.search(w) else (w not in asked) for w in _WORD.findall(span.casefold()))

    return new


def _quoted_names(text: str, new: Callable[[str], bool]) -> Iterator[re.Match[str]]:
    """The short quoted spans of `text` that `new` accepts: names (`_name_sized`)."""
    return (m for m in _QUOTED.finditer(text) if new(m.group()) and _name_sized(m.group()[1:-1]))


def _capitalised_names(text: str, new: Callable[[str], bool]) -> Iterator[re.Match[str]]:
    """The capitalised words of `text` that `new` accepts, neither beginning a sentence
    nor a weekday or a month: names."""
    return (m for m in _CAPITALISED.finditer(text)
            if not begins_sentence(text, m.start()) and new(m.group()) and not is_day_or_month(m.group()))


def has_name(text: str, question: str = "") -> bool:
    """True when `text` holds a proper name by its shape (see above) that the
    question does not already hold: "Who is the captain of the MV Sainte-Anne?"
    is not answered by a sentence whose only name is the MV Sainte-Anne."""
    new = _new_to(question)
    if any(_quoted_names(text, new)):
        return True
    if THAI.search(text):
        if any(new(m.group()) for m in _LATIN_WORD.finditer(text)):
            return True
        if _WHO.search(question) and any(name not in question for name in thai_person_names(text)):
            return True  # a person, for a question asking who: not the firm of "บริษัทอะไร"
    return any(_capitalised_names(text, new))


@cache
def _thai_given_names() -> frozenset[str]:
    """pythainlp's Thai given names, loaded once."""
    from pythainlp.corpus import thai_female_names, thai_male_names

    return frozenset(thai_male_names()) | frozenset(thai_female_names())


def thai_person_names(text: str) -> list[str]:
    """The given names that follow a title in Thai `text` ("นางสาวพิมพ์ชนก แก้วมูล"
    -> "พิมพ์ชนก"): the longest given name of the lists that starts right after
    the title, of three letters at least."""
    from bot.knowledge.analysis import get_analyzer
    from bot.knowledge.analysis.thai import ThaiAnalyzer

    given, thai = _thai_given_names(), get_analyzer("th")
    assert isinstance(thai, ThaiAnalyzer)
    words = thai.dictionary_words  # the segmenter's dictionary, loaded once
    found = []
    for m in _TH_TITLE.finditer(text):
        rest = text[m.end():m.end() + _TH_GIVEN_MAX + 1]
        for k in range(min(len(rest), _TH_GIVEN_MAX), 2, -1):
            name = rest[:k]
            if name in given and (name not in words or k == len(rest) or rest[k].isspace()):
                found.append(name)
                break
    return found


# The thing whose name a "what is it called" question asks ("what is the name of
# the hotel", "what is the ferry called", "comment s'appelle le chat de la
# médiathèque", "quel est le titre de la vidéo", "jina la mkahawa ni lipi"):
# its first words (three in English: "the high-end retailer"), up to a
# preposition or a relative word, which
# the analyzer's stop words also drop ("the video the blogger …" -> video).
_NAMED_THING = re.compile(
    r"\bwhat(?:['’]s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+the\s+(?:new\s+|full\s+|official\s+|real\s+)?"
    r"(?:name|title)s?\s+of\s+(?:the\s+|an?\s+|this\s+|that\s+|its\s+|their\s+|his\s+|her\s+)?"
    r"(?P<en>[^\W\d_]+(?:[\s-]+(?!(?:of|in|at|on|for|from|that|who|which|where|whose|with|by)\b)[^\W\d_]+){0,2})"
    r"|\bwhat\s+(?:is|was|are|were)\s+(?:the|this|that|its|their)\s+(?P<en2>[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+called\b"
    r"|\bcomment\s+s['’]appell?e\w*\s+(?:le|la|les|l['’])\s*"
    r"(?P<fr>[^\W\d_]+(?:\s+(?!d['’]|de\b|du\b|des\b|qui\b|que\b|dont\b)[^\W\d_]+)?)"
    r"|\bquel(?:le)?\s+(?:est|était|sera)\s+le\s+(?:nom|titre)\s+(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*"
    r"(?P<fr2>[^\W\d_]+(?:\s+(?!d['’]|de\b|du\b|des\b|qui\b|que\b|dont\b)[^\W\d_]+)?)"
    r"|\bjina\s+la\s+(?P<sw>[^\W\d_]+)",
    re.IGNORECASE,
)


def named_thing(question: str) -> tuple[str, frozenset[str]] | None:
    """(language, index terms) of the thing whose name a "what is it called"
    question asks, when it names it plainly; None otherwise."""
    match = _NAMED_THING.search(question)
    if match is None:
        return None
    group, lang = _asked_group(match)
    named = match.group(group)
    # "le PDG de Bitwise" is named by "le président et chef de la direction"
    spelled = " ".join(full for word in named.split() for full in ROLE_INITIALS.get(word.casefold(), ()))
    return _thing(f"{named} {spelled}" if spelled else named, lang)


# Months that `is_day_or_month` leaves out because they are words too ("may",
# "mars"); beside a kind word, capitalised, they are the month: "the hospital in March".
_MONTHS_ALSO_WORDS = ("march", "may", "mai", "mars")


def asked_kind(question: str) -> str:
    """The language of a question asking the name of a thing by its kind, not a
    place ("which company", "quelle marque", "kampuni gani"); "" otherwise (and
    for Thai, whose names have no shape to find beside the kind)."""
    match = _kind_patterns()[0].search(question)
    return _asked_group(match)[1] if match else ""


def names_a_kind(text: str, question: str, lang: str, window: int) -> bool:
    """Whether `text` (in `lang`) names a thing beside its kind: a kind word
    (`_kind_patterns`) within `window` words of a name the question does not hold (a
    capitalised word that does not begin a sentence, or a short quoted span).
    "Which hospital in Dodoma are the surgeons from?" is not answered by "surgeons
    from Dar es Salaam and Dodoma ... handed over to the hospital": no hospital is
    named."""
    kinds = [m.start() for m in _kind_patterns()[1][lang].finditer(text)]
    if not kinds:
        return False
    new = _new_to(question)
    names = [m.start() for m in _capitalised_names(text, new) if m.group().casefold() not in _MONTHS_ALSO_WORDS]
    names += [m.start() for m in _quoted_names(text, new)]

    def apart(a: int, b: int) -> int:
        return len(_WORD.findall(text[min(a, b):max(a, b)]))

    return any(apart(k, n) <= window for k in kinds for n in names)
