"""Money: does a question ask a price, a fee, a share or a wage, and does a
passage hold an amount of money, a percentage or a fraction, a pay, or say
that something is free.

"Combien coûte un croissant ?" is not answered by "les matières premières ont
progressé de 38 %": a price needs an amount (or "free"), a share a percentage
or a fraction, a wage a word of pay or an amount per unit of time.
"""

from __future__ import annotations

import re

from bot.answering.answer_types.numbers import has_number
from bot.answering.answer_types.patterns import CHAT_CEST, first_key
from bot.answering.answer_types.sentences import _THAI_ASKS
from bot.answering.answer_types.times import _NOT_AFTER_SW_UNIT

# Swahili nouns of a price: a fee, a levy, a fare, a rent or tax, school fees,
# a fine, an entry fee, a charge, a price, a cost: the price question reads
# them all; the thing priced (`_COUNTED`) reads fewer, and `_FEE` holds those a
# percentage answers.
_SW_PRICE_NOUN = r"(?:ada|ushuru|nauli|kodi|karo|faini|kiingilio|tozo|bei|gharama)"


# A question after a price ("how much does it cost", "what is the fare",
# "combien coûte", "quel est le tarif", "bei gani", "-gharimu kiasi gani",
# "-lipa / -toza (charge) kiasi gani",
# "shilingi ngapi", "ราคาเท่าไร", "กี่บาท", "ค่า…เท่าไร"): its answer holds an amount of
# money or says it is free, not any number ("Combien coûte un croissant ?" is
# not answered by "les matières premières ont progressé de 38 %").  A fee, a
# rent, an amount or a membership due asked for ("what is the entry fee", "how
# much is the rent", "quel est le montant de l'amende", "quels sont les frais",
# "quelle est la cotisation") is a price too; a fee may also be a percentage
# (`asks_fee`: "a 2 % fee" answers it).  A rate alone ("ada", "taux") is not.
_PRICE_QUESTION = re.compile(
    r"(?<!\bby\s)\bhow\s+much\s+(?:does|do|did|will|would|should|can|could|is|are|was|were|has|have|had)\s+"
    r"(?:\S+\s+){0,12}?(?:cost|charge[sd]?|pay|paid|spend|spent|earn|earned|worth)\b"
    r"|\bhow\s+much\s+(?:money|is\s+(?:a|an|one)\b|are\s+(?:the\s+)?tickets?\b)"
    r"|\bwhat\s+(?:does|do|did|will|would)\s+(?:\S+\s+){1,5}cost\b"
    r"|\bwhat(?:['’]s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+(?:the\s+)?(?:\S+\s+){0,2}"
    r"(?:price|cost|fare|fine|salary|rent|wage|fee)s?\b"
    r"|\bhow\s+much\s+(?:is|are|was|were|will\s+be)\s+(?:the\s+)?(?:\S+\s+){0,2}?"
    r"(?:fee|fare|rent|fine|price|cost|deposit|toll|entry|admission|subscription"
    r"|ticket|membership|tuition|pass(?:es)?|permit|licen[cs]e|rental|hire|charge|bill)s?\b"
    r"|\bhow\s+much\s+(?:is|was|will\s+be)\s+(?:the\s+)?parking\b(?!\s+(?:area|space|lot|zone|bay|capacity))"
    r"|\bcombien\s+(?:\S+\s+){0,4}?(?:co[uû]t\w*|pai\w*|pay\w*|dépens\w*|factur\w*|vaut|valent|gagn\w*|rapport\w*)\b"
    r"|\bcombien\s+d['’](?:argent|euros?|dollars?)\b"
    r"|\bquel(?:le)?s?\s+(?:est|sont|était|étaient|sera|seront)\s+(?:le|la|les|l['’])\s*(?:\S+\s+)?"
    r"(?:prix|co[uû]ts?|tarifs?|loyers?|salaires?|amendes?|montants?|frais|cotisations?)\b"
    r"|\bà\s+quel\s+prix\b|\bquel(?:le)?s?\s+(?:prix|tarifs?)\b"
    r"|\b(?:bei\s+(?:\S+\s+){0,2}?|gharama\s+(?:\S+\s+){0,3}?ni\s+)gani\b"  # which price, the cost is what
    r"|\b\w*gharimu\s+(?:\S+\s+)?(?:kiasi\s+gani|ngapi|shilingi\s+ngapi)\b"
    r"|\b(?:shilingi|dola)\s+(?:\S+\s+)?ngapi\b|\bkiasi\s+gani\s+cha\s+(?:fedha|pesa)\b"
    r"|\b\w*(?:lip|toz)(?:a|wa)\s+(?:\S+\s+){0,3}?(?:kiasi\s+gani|shilingi\s+ngapi)\b"
    # a price noun "… (ni) kiasi gani / ngapi" (not "mara / saa / siku ngapi":
    # how often, what time, how long)
    rf"|\b{_SW_PRICE_NOUN}\s+(?:\S+\s+){{0,8}}?(?:ni\s+)?"
    rf"(?:kiasi\s+gani|(?:shilingi\s+|sh\s+)?{_NOT_AFTER_SW_UNIT}ngapi)\b"
    r"|\bà\s+combien\s+(?:s['’]\s*él[èe]v\w*|revien\w*|se\s+monte\w*)"
    # chat French: "c'est combien le repas", "ça coûte combien", "c'est quoi le tarif" (not
    # "c'est combien de places", a count, nor "c'est combien la réduc", which a share answers)
    rf"|{CHAT_CEST}\s+combien\b(?!\s+(?:de|d['’]|(?:la\s+|l['’]\s*)?(?:r[ée]duc|remise)))"
    r"|\b(?:ça|ca|sa)\s+co[uû]te\s+combien\b"
    rf"|{CHAT_CEST}\s+quoi\s+(?:le|la|les|l['’])\s*(?:\S+\s+)?"
    r"(?:prix|co[uû]ts?|tarifs?|loyers?|salaires?|amendes?|montants?|frais|cotisations?)\b"
    r"|ราคา\S*(?:เท่าไร|เท่าไหร่)|กี่บาท|(?:เงิน|ค่า\S*|จ่าย\S*|งบ\S*)(?:เท่าไร|เท่าไหร่)",
    re.IGNORECASE,
)
# An amount of money: a currency sign or name (the bot's languages' currencies
# and the common international ones); and "free", which answers a price too.
# (the currencies' names, read by `_MONEY` and by the count rule's `_NOT_A_COUNT`)
_CURRENCY_NAMES = (r"euros?|eur|centimes?|dollars?|usd|gbp|pounds?|pence|francs?|shillings?|shilingi"
                   r"|tsh|ksh|ush|sh|bahts?|dola|pauni|yuro|sterling|fcfa|cfa")
_THAI_CURRENCY_NAMES = "บาท|สตางค์|ปอนด์|ดอลลาร์|ยูโร"
_MONEY = re.compile(
    rf"[$€£¥฿₦₹]|\b(?:{_CURRENCY_NAMES})\b|{_THAI_CURRENCY_NAMES}"
    # "livres" (pounds) is also "books": beside a number only ("185 000 livres")
    r"|\d\s*livres?\b"
    # pence written on the number ("20p", "50p per day"; not "p. 12", a page)
    r"|(?<![\w.,])\d{1,3}p\b",
    re.IGNORECASE,
)
_FREE = re.compile(r"\b(?:free|gratuit\w*|gratis|bure|bila\s+malipo|no\s+charge|sans\s+frais)\b"
                   r"|ฟรี|ไม่เสียค่า|ไม่มีค่าใช้จ่าย", re.IGNORECASE)


def asks_price(question: str) -> bool:
    """True when the question asks what something costs (any of fr/en/sw/th)."""
    return bool(_PRICE_QUESTION.search(question))


# A price named in a keyword message ("tilapia buying price", "prix pressage jus",
# "bei ya ultrasound", "ค่าเช่าแผง"): no question form, but an amount is what it is after.
KEYWORD_PRICE_MAX_WORDS = 5
_PRICE_KEYWORD = re.compile(
    r"\b(?:prices?|costs?|fees?|fares?|tariffs?|charges?|rent|rental|prix|tarifs?|co[uû]ts?|frais"
    rf"|cotisations?|loyers?|{_SW_PRICE_NOUN})\b|ราคา|(?:^|\s)ค่า",
    re.IGNORECASE,
)


def names_a_price(question: str) -> bool:
    """True for a keyword message naming a price (at most KEYWORD_PRICE_MAX_WORDS
    words, a price noun among them): its quotes with an amount may go first.  Thai
    runs a whole question together, so one that asks (`_THAI_ASKS`: "… ลดราคา …
    หรือเปล่า", is there a discount) is no keyword message."""
    return (len(question.split()) <= KEYWORD_PRICE_MAX_WORDS and bool(_PRICE_KEYWORD.search(question))
            and not _THAI_ASKS.search(question.strip()))


_FEE = re.compile(r"\b(?:fees?|frais|commissions?|ada|ushuru|tozo)\b", re.IGNORECASE)
_PERCENT = re.compile(r"\d\s*%|\b(?:per\s*cent|pour\s*cent|asilimia)\b|เปอร์เซ็นต์|ร้อยละ", re.IGNORECASE)


def asks_fee(question: str) -> bool:
    """True when a price question asks for a fee ("entry fee", "frais"), which a
    percentage answers as well as an amount ("a 2 % fee")."""
    return bool(_FEE.search(question))


def has_percent(text: str) -> bool:
    """True when `text` holds a percentage ("5 %", "ten per cent", "asilimia 3", "ร้อยละ 5")."""
    return bool(_PERCENT.search(text))


# "What percentage / share / proportion …?", "quel pourcentage", "quelle part",
# "asilimia ngapi", "กี่เปอร์เซ็นต์", "ร้อยละเท่าไร": a share, which a percentage
# or a fraction answers ("18 per cent", "one student in five", "la moitié",
# "nusu", "ครึ่งหนึ่ง"), not any number ("200 $ par nouveau client").
_SHARE_QUESTION = re.compile(
    r"\bwhat\s+(?:percentage|per\s*cent|percent|share|proportion|fraction|part)\s+of\b|\bhow\s+many\s+per\s*cent\b"
    r"|\bquel(?:le)?\s+(?:pourcentage|part|proportion|fraction)\b|\bcombien\s+de\s+pour\s*cent\b"
    r"|\basilimia\s+(?:ngapi|gani)\b|กี่เปอร์เซ็นต์|ร้อยละเท่า|สัดส่วนเท่า"
    # a rate that is a share: "the pass rate", "le taux de réussite" (not an hourly rate, a
    # price; nor an exchange rate)
    r"|\b(?:success|pass|interest|survival|failure|completion|attendance|response|vaccination|literacy"
    r"|unemployment|drop-?out|recovery|occupancy|participation|turnout)\s+rates?\b"
    r"|\btaux\s+(?:d['’]\s*|de\s+)(?:int[ée]r[êe]t|r[ée]ussite|participation|occupation|remplissage|abstention"
    r"|ch[ôo]mage|vaccination|succ[èe]s|[ée]chec|abandon|fr[ée]quentation)",
    re.IGNORECASE,
)
_FRACTION = re.compile(
    r"\b(?:half|third|thirds|quarter|quarters|fifth|fifths|majority|minority|moitié|tiers|quart|quarts|majorité"
    r"|nusu|robo|theluthi|wengi|wachache)\b|ครึ่ง|ส่วนใหญ่|ส่วนน้อย|หนึ่งใน"
    r"|\b(?:\d+|one|two|three|un|une|deux|trois)\s+(?:\w+\s+)?(?:in|out\s+of|sur|kati\s+ya)\s+(?:\d+|two|three|four|five"
    r"|six|seven|eight|nine|ten|deux|trois|quatre|cinq|dix)\b",
    re.IGNORECASE,
)


# A wage asked: what someone is paid ("how much will the drivers be paid", "what
# hourly wage", "combien sont payés les animateurs", "quel salaire", "analipwa
# mshahara kiasi gani", "ได้ค่าจ้างเดือนละเท่าไร"); not a question that states the
# pay itself ("une personne payée 50 $ de l'heure peut accueillir combien …").
_TH_PAY = "ค่าจ้าง|ค่าตอบแทน|เงินเดือน|ค่าแรง"  # wages, fees paid, a salary (asked and told alike)
_WAGE_QUESTION = {
    "en": re.compile(r"\b(?:be|are|is|were|was|get|gets)\s+paid\b|\bsalar(?:y|ies)\b|\bwages?\b|\bearns?\b",
                     re.IGNORECASE),
    "fr": re.compile(r"\b(?:sont|est|seront|sera|[ée]taient|[ée]tait)\s+(?:\w+\s+)?pay[ée]e?s?\b|\bsalaires?\b"
                     r"|\br[ée]mun[ée]r\w*|\bcombien\s+gagne", re.IGNORECASE),
    "sw": re.compile(r"\bmshahara\b|\bposho\b|\bujira\b|\b(?:a|wa|ata|wata|ali|wali)lipwa\b", re.IGNORECASE),
    "th": re.compile(_TH_PAY),
}
# ... and a sentence that tells one: a word of pay, or an amount per unit of time
# (a rate: "50 $ de l'heure", "£11.50 an hour", "shilingi 800 kwa kila usiku", "วันละ 300 บาท")
_PAY_WORD = re.compile(
    r"\b(?:paid|pay|pays|salar(?:y|ies)|wages?|earn\w*|allowance|stipend|pay[ée]e?s?|paie\w*|salaires?"
    rf"|r[ée]mun[ée]r\w*|indemnit\w*|mshahara|posho|ujira|\w*lipwa)\b|{_TH_PAY}",
    re.IGNORECASE)
_PER_TIME = re.compile(
    r"\bde\s+l['’]heure\b|\bpar\s+(?:heure|jour|nuit|semaine|mois|an)\b|\b(?:an?|per)\s+(?:hour|day|night|week|month|year)\b"
    r"|\bkwa\s+(?:kila\s+)?(?:saa|siku|usiku|wiki|mwezi|mwaka)\b|(?:ชั่วโมง|วัน|คืน|สัปดาห์|เดือน|ปี)ละ"
    r"|ต่อ\s*(?:ชั่วโมง|วัน|คืน|สัปดาห์|เดือน|ปี)", re.IGNORECASE)


def asks_wage(question: str) -> str:
    """The language of a question after what someone is paid, "" for any other."""
    if re.search(r"\d", question) and has_money(question):
        return ""
    return first_key(_WAGE_QUESTION, question)


def holds_wage(text: str) -> bool:
    """Whether `text` tells what someone is paid: an amount with a word of pay or per unit of time."""
    return (has_money(text) or has_number(text)) and bool(_PAY_WORD.search(text) or _PER_TIME.search(text))


def asks_share(question: str) -> bool:
    """True when the question asks what share or percentage of something."""
    return bool(_SHARE_QUESTION.search(question))


def has_share(text: str) -> bool:
    """True when `text` gives a share: a percentage or a fraction."""
    return has_percent(text) or bool(_FRACTION.search(text))


def has_money(text: str) -> bool:
    """True when `text` holds an amount of money (a currency sign or name)."""
    return bool(_MONEY.search(text))


def says_free(text: str) -> bool:
    """True when `text` says something is free (free, gratuit, bure, ฟรี ...)."""
    return bool(_FREE.search(text))
