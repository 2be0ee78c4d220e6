"""Contact details: does a question ask for an e-mail address, a phone number or
a website, and does a passage hold one.

A question after a phone number is not answered by a sentence about the
office that gives none; one that only mentions e-mail ("can I subscribe by
e-mail?") asks for no address.
"""

from __future__ import annotations

import re

# A question after an e-mail address, a phone number or a website (not one
# that only mentions them: "can I subscribe by e-mail?", "what problem did
# they have with the website?"): "what is the e-mail address of…", "adresse
# e-mail", "anwani ya barua pepe", "อีเมลของ…", "phone number", "numéro de
# téléphone", "namba ya simu", "เบอร์โทร", "what is their website", "adresse du
# site", "anwani ya tovuti", "เว็บไซต์อะไร".  Its answer holds one.
_EMAIL_QUESTION = re.compile(
    r"\b(?:e-?mail|courriel)\s+address|\badresse\s+(?:e-?mail|électronique|[ée]lectronique|courriel|mail)\b"
    r"|\bquel(?:le)?\s+est\s+(?:l['’]\s*|le\s+)(?:e-?mail|courriel)\b"
    r"|\bwhat(?:['’]s|\s+is)\s+(?:the\s+|\w+['’]s\s+|their\s+|its\s+)?(?:[^\W\d_]+\s+){0,2}?e-?mail\b"
    r"|\banwani\s+ya\s+barua\s+pepe\b|\bbarua\s+pepe\s+(?:ya|yake|yao)\b|ที่อยู่อีเมล|อีเมลของ|อีเมลอะไร",
    re.IGNORECASE,
)
_PHONE_QUESTION = re.compile(
    r"\b(?:tele)?phone\s+number\b|\bnum[ée]ro\s+de\s+(?:t[ée]l[ée]phone|portable|mobile)\b|\bnamba\s+ya\s+simu\b"
    # "what number do I call", "quel numéro faut-il appeler", "nipige namba gani"
    r"|\b(?:what|which)\s+number\s+(?:\w+\s+){0,3}(?:call|ring|phone|dial)\b|\bnumber\s+to\s+(?:call|ring|dial)\b"
    r"|\bquel\s+num[ée]ro\s+(?:\S+\s+){0,3}(?:appeler|composer|joindre)\b|\bnum[ée]ro\s+[àa]\s+(?:appeler|composer)\b"
    r"|\bnamba\s+gani\s+(?:\w+\s+){0,2}(?:kupiga|nipige|tupige|apige)\b|\b(?:nipige|tupige|kupiga)\s+(?:simu\s+)?namba\s+gani\b"
    # chat French: "le num de tel", "c'est quoi le num pour prévenir / s'inscrire"
    r"|\bnum(?:[ée]ro)?\s+(?:de\s+)?t[ée]l(?:[ée]phone)?\b|\bnum(?:[ée]ro)?\s+pour\s+(?:\w+\s+|[smn]['’]\s*)?\w+(?:er|ir|re)\b"
    r"|เบอร์โทร|หมายเลขโทร|โทรเบอร์|เบอร์ไหน|เบอร์อะไร",
    re.IGNORECASE,
)
_WEBSITE_QUESTION = re.compile(
    # (a word or two between: "the exact web address", "their official website")
    r"\bwhat(?:['’]s|\s+is)\s+(?:the\s+|\w+['’]s\s+|their\s+|its\s+)?(?:[^\W\d_]+\s+){0,2}?(?:web\s?site|url|web\s+address)\b"
    r"|\bquel(?:le)?\s+est\s+(?:le\s+site|l['’]\s*adresse\s+du\s+site)\b|\badresse\s+du\s+site\b"
    r"|\banwani\s+ya\s+tovuti\b|\btovuti\s+(?:yao|yake|ya\s+\w+)\s+ni\b|เว็บไซต์อะไร|เว็บไซต์ของ\S*คือ",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEBSITE = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|info|io|gov|edu|fr|uk|tz|ke|th|co\.\w{2}|go\.\w{2})\b",
                      re.IGNORECASE)
_PHONE = re.compile(r"\+?\d(?:[\s.\-()]?\d){5,}")  # six digits or more, spaced or not: "053 979 214", "0 800 71 42 10"


def asks_contact(question: str) -> str:
    """"email", "phone" or "website" when the question asks for an e-mail
    address, a phone number or a website's address, else ""."""
    if _EMAIL_QUESTION.search(question):
        return "email"
    if _PHONE_QUESTION.search(question):
        return "phone"
    if _WEBSITE_QUESTION.search(question):
        return "website"
    return ""


def has_contact(text: str, kind: str) -> bool:
    """True when `text` holds what `asks_contact` asked for."""
    return bool({"email": _EMAIL, "phone": _PHONE, "website": _WEBSITE}[kind].search(text))
