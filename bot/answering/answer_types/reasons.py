"""Reasons: a "why" question, and a quote that gives a reason.

"Pourquoi faut-il laisser les chats le ventre vide la veille ?" is answered by
"… de ne pas nourrir les chats la veille des captures, car un animal qui a faim
entre plus facilement dans la trappe", not by the sentence about the cats'
owners that ranks above it; "Kwa nini … aje na msindikizaji?" by "…, kwa kuwa
watalazimika kulala hospitalini".  A reason is said by a connective ("because",
"car", "kwa sababu", "เพราะ"), a few words of each language, not of any article.
Each quote is read with the connectives of its own language, whatever the
question's ("Why do shops ask for a receipt …?" about the Thai article: "…
เป็นเพราะนโยบายของร้านค้า…"): a connective is a word of one language ("car" is a
vehicle in English).  Never a decline: a reason may be given without any
connective ("The pool lost 30 cubic metres a day.").
"""

from __future__ import annotations

import re

from bot.answering.answer_types.patterns import first_key
from bot.answering.answer_types.sentences import is_question

# "why" in each language ("how come", "pour quelle raison", "mbona", "เพราะอะไร")
_ASKED = {
    "en": re.compile(r"\bwhy\b|\bhow\s+come\b|\bfor\s+what\s+reasons?\b", re.IGNORECASE),
    "fr": re.compile(r"\bpourquoi\b|\bpour\s+quelles?\s+raisons?\b", re.IGNORECASE),
    "sw": re.compile(r"\bkwa\s*nini\b|\bmbona\b|\bkwa\s+sababu\s+gani\b", re.IGNORECASE),
    "th": re.compile(r"ทำไม|เพราะอะไร|เหตุใด|ด้วยเหตุใด|สาเหตุ(?:ที่|อะไร)"),
}
# A connective that gives a cause or a purpose ("so that", "afin de", "ili" is
# left out: Swahili writes it after nearly every verb of intent).
_GIVEN = {
    "en": re.compile(r"\bbecause\b|\bdue\s+to\b|\bowing\s+to\b|\bso\s+that\b|\bin\s+order\s+to\b|\bso\s+as\s+to\b",
                     re.IGNORECASE),
    "fr": re.compile(r"\bparce\s+qu|\bcar\b|\bafin\s+(?:de|d['’]|que|qu['’])|\bpour\s+(?:que|qu['’])"
                     r"|\ben\s+raison\s+d|\bà\s+cause\s+d|\bpuisqu", re.IGNORECASE),
    "sw": re.compile(r"\bkwa\s+(?:sababu|kuwa|vile)\b|\bsababu\b", re.IGNORECASE),
    "th": re.compile(r"เพราะ|เนื่องจาก|สาเหตุ"),
}


def asks_reason(question: str) -> str:
    """The language whose "why" the question asks with ("" for none)."""
    return first_key(_ASKED, question)


def gives_reason(text: str, lang: str) -> bool:
    """Whether a quote in `lang` gives a reason by a connective of that language,
    and does not itself ask ("เหตุใดหลายบริษัทจึง…?" is the author's question)."""
    pattern = _GIVEN.get(lang)
    return (pattern is not None and bool(pattern.search(text)) and not is_question(text)
            and not _ASKED[lang].search(text))
