"""Measures: does a question ask a measure in a unit ("how many litres", "what
temperature") or by a dimension ("how wide", "quel poids"), and does a passage
give a number with a unit of that measure.

"£386,000" does not answer "combien de tonnes d'asphalte"; a mile answers "how
many kilometres", in any of the four languages.
"""

from __future__ import annotations

import re

from bot.answering.answer_types.numbers import _TH_HOW_MANY, NUMBER_WORDS

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
    found = next((measure for measure, pattern in _UNIT_ASKED.items() if pattern.search(question)), "")
    return found or ("temperature" if _TEMPERATURE_ASKED.search(question) else "")


# A size asked by its dimension ("how wide / deep / high / far", "what is the
# length of", "quelle hauteur / longueur / largeur / profondeur", "à quelle
# distance", "urefu / upana / kina / umbali gani", "สูง / ยาว / กว้าง / ลึก / ไกล
# เท่าไร") or a weight ("how heavy", "quel poids", "uzito gani", "หนักเท่าไร"):
# a number with a unit of length or mass says it.  Not "how long" (a time as
# often) nor "how big" (an audience, a crowd).
_DIMENSION_ASKED = {
    "length": re.compile(
        r"\bhow\s+(?:wide|deep|high|tall|far)\b|\bwhat\s+(?:is|was|will\s+be)\s+the\s+"
        r"(?:length|width|height|depth|distance)\b"
        r"|\bquelle\s+(?:est\s+(?:la\s+)?|sera\s+(?:la\s+)?)?(?:hauteur|longueur|largeur|profondeur|distance)\b"
        r"|\bà\s+quelle\s+distance\b|\bcombien\s+mesure"
        r"|\b(?:urefu|upana|kina|umbali|kimo)\s+(?:wake\s+|wa\s+\w+\s+)?(?:ni\s+)?(?:wa\s+)?(?:gani|kiasi\s+gani)"
        r"|(?:สูง|ยาว|กว้าง|ลึก|ไกล|ระยะทาง)(?:ประมาณ)?(?:เท่าไร|เท่าไหร่)", re.IGNORECASE),
    "mass": re.compile(
        r"\bhow\s+heavy\b|\bquel\s+(?:est\s+(?:le\s+)?)?poids\b|\bcombien\s+p[èe]se"
        r"|\buzito\s+(?:wake\s+|wa\s+\w+\s+)?(?:ni\s+)?(?:wa\s+)?(?:gani|kiasi\s+gani)"
        r"|(?:หนัก|น้ำหนัก)(?:ประมาณ)?(?:เท่าไร|เท่าไหร่)", re.IGNORECASE),
}


def asked_dimension(question: str) -> str:
    """The measure ("length", "mass") a question asks by a dimension's name or
    adjective ("How wide is the path?", "Quelle hauteur …", "urefu gani"), "" for none."""
    return next((measure for measure, pattern in _DIMENSION_ASKED.items() if pattern.search(question)), "")


def has_unit(text: str, measure: str) -> bool:
    """Whether `text` gives a number with a unit of `measure` ("1 780 tonnes", "kilo
    tano", "40 องศา", "2.4 km" for "length"), in any of the four languages."""
    return bool(_WITH_UNIT[measure].search(text))
