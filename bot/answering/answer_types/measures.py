"""Measures: does a question ask a measure in a unit ("how many litres", "what
temperature") or by a dimension ("how wide", "quel poids"), and does a passage
give a number with a unit of that measure.

"£386,000" does not answer "combien de tonnes d'asphalte"; a mile answers "how
many kilometres", in any of the four languages.
"""

from __future__ import annotations

import re

from bot.answering.answer_types.numbers import _QUANTITY_QUESTION, _TH_HOW_MANY, NUMBER_WORDS
from bot.answering.answer_types.patterns import CHAT_CEST, first_key

# A measure asked in a unit: "how many litres", "combien de tonnes", "kilomita
# ngapi", "ลึกกี่เมตร".  Its answer is a number with a unit of the same measure, in
# any language (a mile answers "how many kilometres"): "£386,000" does not answer
# "combien de tonnes d'asphalte", nor does a Thai question's English quote without
# one answer "ไกลกี่กิโลเมตร".  Symbols and Thai units are written against the
# number ("4 °C", "40 องศา"); Latin-letter units end a word.
_UNIT_WORDS_BY_MEASURE = {  # (an area before a length: "mètres carrés", a speed before it: "km/h")
    "area": ("hectares?|ha|acres?|ekari|sq\\s*m|sq\\s*ft|square\\s+(?:met(?:re|er)s?|feet|miles?|kilomet(?:re|er)s?)"
             "|m[eè]tres?\\s+carr[ée]s?|m2", "ไร่|ตารางเมตร|ตารางวา|ตารางกิโลเมตร|m²|km²"),
    "speed": ("km/h|kph|mph|kilom[eè]tres?\\s+(?:par|à\\s+l['’])\\s*heure|kilometres?\\s+(?:per|an)\\s+hour"
              "|kilomita\\s+kwa\\s+saa|mbps|mb/s|gbps|m[ée]gabits?|megabiti|gigabits?",
              "กม\\./ชม\\.|กิโลเมตรต่อชั่วโมง|เมกะบิต"),
    "volume": ("litres?|liters?|lita|l|ml|millilitres?|milliliters?|cl|gallons?|galoni|cubic\\s+met(?:re|er)s?"
               "|m[eè]tres?\\s+cubes?", "ลิตร|แกลลอน|ลูกบาศก์เมตร|m³"),
    "temperature": ("degrees?|degr[ée]s|nyuzi", "°|องศา"),
    "mass": ("kg|kilos?|kilogrammes?|kilograms?|kilogramu|tonnes?|tons?|tani|grammes?|grams?|g|gramu|lbs?",
             "กิโลกรัม|กก\\.|กิโล(?!เมตร)|ตัน|กรัม"),
    "power": ("watts?|kw|kwh|wh|volts?|ah|mw", "วัตต์|กิโลวัตต์"),
    "data": ("mb|gb|tb|megabytes?|gigabytes?|m[ée]gaoctets?|gigaoctets?", "เมกะไบต์|กิกะไบต์"),
    "length": ("km|kilom[eè]tres?|kilometers?|kilometres?|kilomita|miles?|maili|m|m[eè]tres?|meters?|mita|cm"
               "|centim[eè]tres?|centimeters?|sentimita|mm|ft|feet|foot|futi|inch(?:es)?|inchi|yards?",
               "กิโลเมตร|กม\\.|ไมล์|เมตร|เซนติเมตร|ซม\\.|ฟุต|นิ้ว"),
}
_UNIT_ASKED = {
    measure: re.compile(rf"\b(?:how\s+many|combien\s+(?:de|d['’]))\s*(?:{latin})(?![^\W\d_])"
                        rf"|\b(?:{latin})\s+(?:za\s+|ya\s+)?(?:mi|ma|vi)?ngapi\b|{_TH_HOW_MANY}\s*(?:{thai}|{latin})"
                        # the unit named last, in lower case ("in Ha" is a place): "How long is the
                        # ride in miles?", "… en kilomètres ?"
                        rf"|\b(?:in|en|kwa)\s+(?-i:(?![A-Z]))(?:{latin})\s*[?？]?\s*$",
                        re.IGNORECASE)
    for measure, (latin, thai) in _UNIT_WORDS_BY_MEASURE.items()
}
_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNIT_NUMBER = rf"(?:[\d๐-๙][\d๐-๙,.\u00a0\u202f ]*|(?:{_NUMBER_WORD})\s+)"
_WITH_UNIT = {
    measure: re.compile(rf"{_UNIT_NUMBER}\s*-?\s*(?:(?:{latin})(?![^\W\d_])|{thai})"
                        rf"|\b(?:{latin})\s+(?:[\d๐-๙]|(?:{_NUMBER_WORD})\b)", re.IGNORECASE)
    for measure, (latin, thai) in _UNIT_WORDS_BY_MEASURE.items()
}


# A temperature asked by the measure's own name ("what temperature", "à quelle
# température", "joto gani", "อุณหภูมิเท่าไร"): answered by degrees, as "how many
# degrees" is; a pool's size or a kiln's price holds numbers but no temperature.
_TEMPERATURE_ASKED = re.compile(r"\b(?:what|which)\s+(?:\w+\s+){0,3}?temperature|\btemperature\s+(?:of|at|in|inside)\b"
                                r"|\bhow\s+(?:hot|warm|cold)\b|\bquel(?:le)?s?\s+(?:est\s+|sera\s+|était\s+)?"
                                r"(?:la\s+|les\s+)?temp[ée]ratures?\b|\bjoto\s+(?:\w+\s+)?(?:gani|ngapi)\b"
                                r"|อุณหภูมิ[\u0e00-\u0e7f\s]{0,20}?(?:เท่าไร|เท่าไหร่|กี่|ประมาณไหน)",
                                re.IGNORECASE)


def asked_unit(question: str) -> str:
    """The measure a question asks in a unit ("how many litres": "volume"), or by
    the name of a measure whose answer carries one ("what temperature"), "" for none."""
    found = first_key(_UNIT_ASKED, question)
    return found or ("temperature" if _TEMPERATURE_ASKED.search(question) else "")


# A size asked by its dimension ("how wide / deep / high / far", "what is the
# length of", "quelle hauteur / longueur / largeur / profondeur", "à quelle
# distance", "urefu / upana / kina / umbali gani", "สูง / ยาว / กว้าง / ลึก / ไกล
# เท่าไร / แค่ไหน") or a weight ("how heavy", "quel poids", "uzito gani",
# "หนักเท่าไร"): a number with a unit of length or mass says it.  Not "how
# long" (a time as often) nor "how big" (an audience, a crowd).  Each dimension's
# words are written once, here: `asks_quantity` reads the same questions as
# asking a number.
_LENGTH_EN_ADJ, _LENGTH_EN = "wide|deep|high|tall|far", "length|width|height|depth|distance"
_LENGTH_FR = "hauteur|longueur|largeur|profondeur|distance"
_LENGTH_SW = "urefu|upana|kina|umbali|kimo"
_LENGTH_TH = "สูง|ยาว|กว้าง|ลึก|ไกล|ระยะทาง"
_MASS_EN_ADJ, _MASS_EN, _MASS_FR, _MASS_SW, _MASS_TH = "heavy", "weight", "poids", "uzito", "หนัก|น้ำหนัก"
_SW_SIZE_ASKED = r"\s+(?:wake\s+|wa\s+\w+\s+)?(?:ni\s+)?(?:wa\s+)?(?:gani|kiasi\s+gani)"
_TH_SIZE_ASKED = "(?:ประมาณ)?(?:เท่าไร|เท่าไหร่|แค่ไหน)"
_DIMENSION_ASKED = {
    "length": re.compile(
        rf"\bhow\s+(?:{_LENGTH_EN_ADJ})\b|\bwhat\s+(?:is|was|will\s+be)\s+the\s+(?:{_LENGTH_EN})\b"
        rf"|\bquelle\s+(?:est\s+(?:la\s+)?|sera\s+(?:la\s+)?)?(?:{_LENGTH_FR})\b"
        rf"|\bà\s+quelle\s+distance\b|\bcombien\s+mesure"
        rf"|\b(?:{_LENGTH_SW}){_SW_SIZE_ASKED}|(?:{_LENGTH_TH}){_TH_SIZE_ASKED}", re.IGNORECASE),
    "mass": re.compile(
        rf"\bhow\s+(?:{_MASS_EN_ADJ})\b|\bquel\s+(?:est\s+(?:le\s+)?)?(?:{_MASS_FR})\b|\bcombien\s+p[èe]se"
        rf"|\b(?:{_MASS_SW}){_SW_SIZE_ASKED}|(?:{_MASS_TH}){_TH_SIZE_ASKED}", re.IGNORECASE),
}


def asked_dimension(question: str) -> str:
    """The measure ("length", "mass") a question asks by a dimension's name or
    adjective ("How wide is the path?", "Quelle hauteur …", "urefu gani"), "" for none."""
    return first_key(_DIMENSION_ASKED, question)


def has_unit(text: str, measure: str) -> bool:
    """Whether `text` gives a number with a unit of `measure` ("1 780 tonnes", "kilo
    tano", "40 องศา", "2.4 km" for "length"), in any of the four languages."""
    return bool(_WITH_UNIT[measure].search(text))


# Questions after a measure, a year, a date or a clock time, answered by a
# number as well: "how old / fast / big", "what percentage / price / rate / speed ...", "quel est le prix
# / montant / taux ...", "à quelle vitesse", Swahili "asilimia / umri / kasi
# gani", Thai "ราคา / อายุ / ความเร็ว ... เท่าไร" (covered above) and "แค่ไหน"
# after a measure.  A general list of measure nouns of the four languages; a
# size asked by its dimension is `_DIMENSION_ASKED`'s (above).
_MEASURE = (r"percentage|percent|proportion|share|price|cost|amount|rate|speed|revenue|turnover|salary|wages?|fee|fine"
            rf"|budget|size|{_LENGTH_EN}|{_MASS_EN}|population|age|average|median|score|number|temperature")
_MEASURE_FR = (r"prix|co[uû]t|montant|taux|pourcentage|proportion|vitesse|chiffre\s+d['’]affaires|salaire"
               rf"|tarif|budget|taille|{_MASS_FR}|{_LENGTH_FR}|population|[âa]ge|moyenne|nombre|amende"
               r"|temp[ée]rature")
_MEASURE_QUESTION = re.compile(
    rf"\bhow\s+(?:old|fast|big|large|long|often|frequently|hot|warm|cold)\b"
    rf"|\bwhat(?:['’]s\s+|\s+(?:is\s+|was\s+|are\s+|were\s+)?)(?:the\s+)?(?:\w+\s+)?(?:{_MEASURE})\b"
    rf"|\bquel(?:le)?s?\s+(?:est|sont|était|étaient)\s+(?:le|la|l['’]|les)\s*(?:\w+\s+)?(?:{_MEASURE_FR})\b"
    rf"|\bquel(?:le)?s?\s+(?:{_MEASURE_FR})\b|\bà\s+quelle\s+(?:vitesse|fréquence)\b"
    # chat French: "c'est quoi la vitesse max", "c'est quel âge"
    rf"|{CHAT_CEST}\s+quoi\s+(?:le|la|les|l['’])\s*(?:\w+\s+)?(?:{_MEASURE_FR})\b"
    rf"|{CHAT_CEST}\s+quel(?:le)?s?\s+(?:{_MEASURE_FR})\b"
    rf"|\bpendant\s+combien\b|\btous\s+les\s+combien\b"
    r"|\b(?:asilimia|umri|kasi|idadi|muda|gharama|joto)\s+(?:\w+\s+)?gani\b|\bmara\s+ngapi\b"
    r"|(?:นาน|บ่อย|เร็ว|ใหญ่)แค่ไหน"
    # a year, a date or a clock time is a number too
    r"|\b(?:en|dans|depuis)\s+quelle\s+année\b|\bquelle\s+(?:année|date)\b|\bà\s+quelle\s+heure\b"
    r"|\b(?:what|which)\s+(?:year|date|time)\b"
    r"|\b(?:mwaka|tarehe)\s+(?:\w+\s+)?gani\b|\bsaa\s+ngapi\b"
    r"|ปี(?:ไหน|ใด|อะไร)|วันที่(?:เท่าไร|เท่าไหร่|อะไร)",
    re.IGNORECASE,
)


def asks_quantity(question: str) -> bool:
    """True when the question asks how many / how much, or after a measure
    (how old / long / often, what percentage / price / speed, how wide / far
    ...), in any of fr/en/sw/th: its answer holds a number."""
    return bool(_QUANTITY_QUESTION.search(question) or _MEASURE_QUESTION.search(question)
                or asked_dimension(question))
