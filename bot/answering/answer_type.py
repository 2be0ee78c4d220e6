"""Expected answer type: a quantity needs a number, a name a proper name, a
time a time expression.

Lexical scores cannot tell "How many employees does Bitwise have?" from a
question the articles answer: the best sentence names Bitwise's employees.
What it lacks is what the question asks for, a number.  This module answers
two questions with fixed, language-general word lists (interrogatives and
number words, not words of any question or article): does a question ask
"how many / how much", and does a passage hold a number (digits in any
script, or a number word).  For a quantity question the composer puts the
passages holding a number first, and declines when none of them does.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from bot.core.scripts import THAI

# Thai กี่ ("how many"), not the กี่ spelt inside เกี่ยว ("about": "เกี่ยวกับ…")
_TH_HOW_MANY = "(?<!เ)กี่"
# "how many / how much" in the bot's languages.  Swahili agrees -ngapi with the
# noun class (wangapi, mangapi, vingapi ...); Thai กี่ ("how many") and
# เท่าไร/เท่าไหร่ ("how much") are unambiguous interrogatives.
_QUANTITY_QUESTION = re.compile(
    r"\bhow\s+(?:many|much)\b"
    r"|\bcombien\b"
    r"|\b\w*ngapi\b|\bkiasi\s+gani\b|\bbei\s+gani\b"
    rf"|{_TH_HOW_MANY}|เท่าไร|เท่าไหร่",
    re.IGNORECASE,
)

# Questions after a measure, a year, a date or a clock time, answered by a
# number as well: "how old / far /
# fast / big", "what percentage / price / rate / speed ...", "quel est le prix
# / montant / taux ...", "à quelle vitesse", Swahili "asilimia / umri / kasi
# gani", Thai "ราคา / อายุ / ความเร็ว ... เท่าไร" (covered above) and "แค่ไหน"
# after a measure.  A general list of measure nouns of the four languages.
_MEASURE = (r"percentage|percent|proportion|share|price|cost|amount|rate|speed|revenue|turnover|salary|wages?|fee|fine"
            r"|budget|size|weight|height|length|distance|population|age|average|median|score|number|temperature")
_MEASURE_FR = (r"prix|co[uû]t|montant|taux|pourcentage|proportion|vitesse|chiffre\s+d['’]affaires|salaire"
               r"|tarif|budget|taille|poids|hauteur|longueur|distance|population|[âa]ge|moyenne|nombre|amende"
               r"|temp[ée]rature")
_MEASURE_QUESTION = re.compile(
    rf"\bhow\s+(?:old|far|fast|big|large|tall|high|heavy|long|often|frequently|hot|warm|cold)\b"
    rf"|\bwhat\s+(?:is\s+|was\s+|are\s+|were\s+)?(?:the\s+)?(?:\w+\s+)?(?:{_MEASURE})\b"
    rf"|\bquel(?:le)?s?\s+(?:est|sont|était|étaient)\s+(?:le|la|l['’]|les)\s*(?:\w+\s+)?(?:{_MEASURE_FR})\b"
    rf"|\bquel(?:le)?s?\s+(?:{_MEASURE_FR})\b|\bà\s+quelle\s+(?:vitesse|fréquence|distance|hauteur)\b"
    rf"|\bpendant\s+combien\b|\btous\s+les\s+combien\b"
    r"|\b(?:asilimia|umri|kasi|urefu|uzito|idadi|muda|gharama|joto)\s+(?:\w+\s+)?gani\b|\bmara\s+ngapi\b"
    r"|(?:นาน|บ่อย|ไกล|เร็ว|สูง|ใหญ่)แค่ไหน"
    # a year, a date or a clock time is a number too
    r"|\b(?:en|dans|depuis)\s+quelle\s+année\b|\bquelle\s+(?:année|date)\b|\bà\s+quelle\s+heure\b"
    r"|\b(?:what|which)\s+(?:year|date|time)\b"
    r"|\b(?:mwaka|tarehe)\s+(?:\w+\s+)?gani\b|\bsaa\s+ngapi\b"
    r"|ปี(?:ไหน|ใด|อะไร)|วันที่(?:เท่าไร|เท่าไหร่|อะไร)",
    re.IGNORECASE,
)

# Number words (cardinals and multipliers).  French "un/une", English "a" and
# Thai หนึ่ง ("one", also "a": คนหนึ่ง "someone") are left out: they are
# articles far more often than numbers.
NUMBER_WORDS: frozenset[str] = frozenset("""
deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize
vingt vingts trente quarante cinquante soixante cent cents mille million millions
milliard milliards douzaine douzaines centaine centaines
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred hundreds thousand thousands million millions billion billions dozen dozens
moja mbili tatu nne tano sita saba nane tisa kumi ishirini thelathini arobaini hamsini
sitini sabini themanini tisini mia elfu milioni bilioni
สอง สาม สี่ ห้า หก เจ็ด แปด เก้า สิบ ยี่สิบ ร้อย พัน หมื่น แสน ล้าน
""".split())

# "when" as a question: sentence-initial in French and English, and only
# when no other interrogative follows (inside a sentence, and in "Quand il
# lit les avis, lesquels regarde-t-il ?", "quand" / "when" is a conjunction);
# anywhere for the unambiguous forms.
_INITIAL_WHEN = re.compile(r"^\W*(?:quand|when)\b", re.IGNORECASE)
_OTHER_INTERROGATIVE = re.compile(
    r"\b(?:qui|que|qu|quoi|quels?|quelles?|lequel|laquelle|lesquel(?:le)?s|comment|pourquoi|combien|où"
    r"|what|which|who|whom|whose|why|how|where)\b",
    re.IGNORECASE,
)
_EST_CE_QUE = re.compile(r"\best[-\s]ce\s+qu(?:e\b|['’])", re.IGNORECASE)  # "Quand est-ce que ..."
# From or until when: a day starts or ends it ("à partir de quand le menu sera-t-il
# servi ?": "dès le lundi 4 novembre"), so it asks when (`asks_time`) and a day
# (`asks_date`); "since / depuis / pour quand" ask when only (a year answers "since
# when" as often).
_FROM_UNTIL_WHEN = (r"\b(?:à\s+partir\s+de|dès|jusqu['’]à|from|until|till)\s+(?:quand|when)\b"
                    r"|\b(?:kuanzia|hadi|mpaka)\s+lini\b")
_TIME_QUESTION = re.compile(
    rf"{_FROM_UNTIL_WHEN}|\b(?:depuis|pour|since)\s+(?:quand|when)\b"
    r"|\bà\s+quel(?:le)?\s+(?:moment|époque|heure|date|période)\b"
    r"|\ben\s+quelle\s+(?:année|saison)\b|\bwhat\s+(?:time|year|day|date)\b"
    r"|\blini\b|\bwakati\s+gani\b|\b(?:mwaka|siku|mwezi)\s+gani\b"
    r"|เมื่อไร|เมื่อไหร่|เมื่อใด|ช่วงไหน|ช่วงใด|ตอนไหน|ตอนใด|วันไหน|ปีไหน",
    re.IGNORECASE,
)

# Words that say when: time conjunctions and prepositions, units of time.
# Names of days and months: a date, a weekday or the weekend names a day
# (`has_date`), and says when (TIME_WORDS).
DAY_NAMES: frozenset[str] = frozenset("""
lundi mardi mercredi jeudi vendredi samedi dimanche lundis mardis mercredis jeudis vendredis samedis dimanches
week-end week-ends
monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays
saturdays sundays weekday weekdays weekend weekends
jumatatu jumanne jumatano alhamisi ijumaa jumamosi jumapili wikendi
วันจันทร์ วันอังคาร วันพุธ วันพฤหัสบดี วันศุกร์ วันเสาร์ วันอาทิตย์ เสาร์ อาทิตย์ จันทร์ ศุกร์ สุดสัปดาห์
""".split())
MONTH_NAMES: frozenset[str] = frozenset("""
janvier février mars avril juin juillet août septembre octobre novembre décembre
january february april june july august september october november december
januari februari machi aprili mei juni julai agosti septemba oktoba novemba desemba
มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม
""".split())
TIME_WORDS: frozenset[str] = frozenset("""
quand lorsque lorsqu lors après avant pendant durant dès depuis jusqu tandis
jour jours semaine semaines mois an ans année années siècle siècles décennie décennies
hier aujourd demain matin soir heure heures
when whenever after before during while until since once ago
day days week weeks month months year years decade decades century centuries
yesterday today tomorrow morning evening hour hours
wakati baada kabla tangu hadi lini siku wiki mwezi miezi mwaka miaka karne saa jana leo kesho
เมื่อ หลัง หลังจาก ก่อน ระหว่าง ขณะ ขณะที่ ตอน ช่วง วัน สัปดาห์ เดือน ปี ทศวรรษ ศตวรรษ เมื่อวาน วันนี้ พรุ่งนี้
printemps automne hiver spring summer autumn winter
""".split()) | DAY_NAMES | MONTH_NAMES
_DAY_OR_MONTH = DAY_NAMES | MONTH_NAMES
# (Seasons say when too; not "été" (also "been").)
# A year of the Common Era (1500-2099) and of the Buddhist Era (2400-2599), written once
# for every rule below that looks for one.
_CE_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_BE_YEAR = r"2[45]\d\d"
_YEAR = re.compile(rf"\b{_CE_YEAR}\b")

_DIGIT = re.compile(r"\d")  # any script's digits, Thai ๐-๙ included


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
# Roles held by a person: asked with "who" ("who is the chairman", "qui est le
# président", "mwenyekiti ni nani", "ประธานคือใคร", "who won") they ask for a
# person's name.
_EN_ROLE = (r"chief\s+executive|ceo|director|president|chair(?:man|woman|person)?|captain|coach|mayor|manager"
            r"|head\s*teacher|principal|founder|owner|conductor|organi[sz]er|secretary|treasurer|chef|vet|doctor"
            r"|surgeon|instructor|trainer|leader|commander|governor|spokes(?:man|woman|person)|winner|contractor"
            r"|coordinator|vicar|priest|pastor|imam|referee|umpire|headmaster|headmistress|guest\s+of\s+honou?r"
            r"|author|writer")
_FR_ROLE = (r"pdg|dg|directeur|directrice|pr[ée]sidente?|capitaine|entra[îi]neur|entra[îi]neuse|maire|g[ée]rante?"
            r"|responsable|fondateur|fondatrice|propri[ée]taire|chef|v[ée]t[ée]rinaire|m[ée]decin|docteur"
            r"|chirurgien|formateur|formatrice|secr[ée]taire|tr[ée]sori(?:er|[èe]re)|gagnante?|vainqueur"
            r"|porte-parole|pr[ée]fet|coordinat(?:eur|rice)|cur[ée]|pr[êe]tre|pasteur|imam|arbitre|invit[ée]e?\s+d['’]honneur"
            r"|auteure?|[ée]crivaine?")
_SW_ROLE = (r"mkurugenzi|mwenyekiti|rais|nahodha|kocha|meya|meneja|mkuu|mwanzilishi|mmiliki|katibu"
            r"|mweka\s+hazina|daktari|mpishi|mkufunzi|kiongozi|mshindi|mkandarasi|msemaji|mratibu|mwamuzi|mchungaji"
            r"|padri|imamu|mgeni\s+rasmi|mwandishi")
_TH_ROLE = (r"ผู้อำนวยการ|ประธาน|กัปตัน|โค้ช|นายก|ผู้จัดการ|ผู้ก่อตั้ง|เจ้าของ|เลขาธิการ|เหรัญญิก|หัวหน้า|ผู้ชนะ|ผู้ว่า|ผู้ประสานงาน"
            r"|เจ้าอาวาส|กรรมการผู้ตัดสิน|ผู้ตัดสิน|แขกผู้มีเกียรติ|ผู้เขียน|ผู้แต่ง")
# "Who is the <role>?" in each language ({ROLE}: that language's roles above);
# `asks_name` and `asked_role` read the same patterns.
_ROLES = {"en": _EN_ROLE, "fr": _FR_ROLE, "sw": _SW_ROLE, "th": _TH_ROLE}
_WHO_IS_ROLE = {
    # a word may name the role's field first: "the service coordinator", "the head coach"
    "en": r"\bwho\s+(?:is|was|will\s+be|are|were)\s+(?:the\s+|its\s+|their\s+)?(?:new\s+|current\s+)?"
          r"(?:[a-z]+\s+)?(?:{ROLE})\b",
    "fr": r"\bqui\s+(?:est|était|sera)\s+(?:le|la|l['’])\s*(?:nouve(?:au|lle)\s+)?(?:{ROLE})\b",
    "sw": r"\b(?:{ROLE})\b[\w\s]{0,40}?\b(?:ni|anaitwa|aliitwa)\s+nani\b|\bnani\s+(?:ni\s+)?(?:{ROLE})\b",
    "th": r"(?:{ROLE})[\u0e00-\u0e7f]{0,30}?(?:คือใคร|เป็นใคร|ได้แก่ใคร)|ใครเป็น(?:{ROLE})",
}
_WHO_IS_ROLE_SOURCES = {lang: p.replace("{ROLE}", _ROLES[lang]) for lang, p in _WHO_IS_ROLE.items()}
# Who made a thing: "who built / designed / made the bridge", "qui a construit /
# conçu / dessiné", "ilijengwa na nani", "ใครสร้าง / ออกแบบโดยใคร".  A builder,
# a maker or an author is known by a name (a firm, a person), as "which company"
# is; "who pays", "who can apply" ask for no name and are not among them.
_MAKER_QUESTION = (
    r"\bwho\s+(?:\w+\s+)?(?:built|designed|made|manufactured|constructed|drew|painted|sculpted|carved|wrote"
    r"|composed|restored)\b|\b(?:built|designed|made|manufactured|constructed|painted|written|restored)\s+by\s+whom\b"
    r"|\bqui\s+(?:a|avait|ont)\s+(?:\w+\s+)?(?:construit|con[çc]u|dessin[ée]|fabriqu[ée]|r[ée]alis[ée]|peint"
    r"|sculpt[ée]|[ée]crit|compos[ée]|restaur[ée]|b[âa]ti)\b|\bpar\s+qui\b"
    r"|\b\w*(?:jengwa|buniwa|tengenezwa|andikwa|chorwa|undwa)\s+na\s+nani\b"
    r"|\bnani\s+(?:ali|ame|ange)(?:jenga|buni|tengeneza|andika|chora|unda)\b"
    r"|ใคร(?:เป็นคน|เป็นผู้)?(?:สร้าง|ออกแบบ|เขียน|วาด|ผลิต)|(?:สร้าง|ออกแบบ|เขียน|วาด|ผลิต)(?:ขึ้น)?โดยใคร"
    # ... and which firm or maker did ("which company manufactured the fountains",
    # "quel architecte a dessiné", "kilijengwa na mkandarasi gani", "kampuni gani
    # iliyotengeneza", "ผลิตโดยบริษัทอะไร"): a name that says it made the thing
    r"|\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:company|firm|contractor|builder|manufacturer|maker|architect"
    r"|designer|studio)\s+(?:\w+\s+)?(?:built|designed|made|manufactured|constructed|restored)\b"
    r"|\b(?:quel(?:le)?\s+(?:\w+\s+)?(?:entreprise|soci[ée]t[ée]|architecte|constructeur|fabricant|artisan|atelier)"
    r"\s+(?:a|avait|ont)\s+(?:\w+\s+)?|par\s+quel(?:le)?\s+(?:\w+\s+)?(?:entreprise|soci[ée]t[ée]|architecte"
    r"|constructeur|fabricant|artisan|atelier)\b[^?]{0,60}?\b)"
    r"(?:construit|con[çc]u|dessin[ée]|fabriqu[ée]|r[ée]alis[ée]|restaur[ée]|b[âa]ti)\b"
    r"|\b(?:kampuni|mkandarasi|fundi|mbunifu)\s+(?:\w+\s+){0,2}?(?:gani|ipi)\s+\w*(?:jeng|tengenez|buni|unda)\w*"
    r"|\b\w*(?:jengwa|tengenezwa|buniwa|undwa)\s+na\s+(?:kampuni|mkandarasi|fundi|mbunifu)\s+(?:\w+\s+){0,2}?"
    r"(?:gani|ipi)\b"
    r"|(?:สร้าง|ออกแบบ|ผลิต)(?:ขึ้น)?โดย(?:บริษัท|ผู้รับเหมา|สถาปนิก)(?:อะไร|ไหน|ใด)"
)
_MAKER_ASKED = re.compile(_MAKER_QUESTION, re.IGNORECASE)
# ... and a quote that says who did: a verb of making, in any of the four languages
_MAKER_WORD = re.compile(
    r"\b(?:built|build|designed|made|manufactured|constructed|painted|sculpted|carved|written|wrote|composed"
    r"|restored|architects?|builders?|makers?|manufacturers?|contractors?)\b"
    r"|\b(?:constru|con[çc]u|dessin|fabriqu|r[ée]alis|b[âa]ti|peint|sculpt|[ée]crit|compos|restaur|architecte"
    r"|entreprise|atelier|chantier)\w*"
    r"|\b\w*(?:jeng|buni|tengenez|andikwa|liandika|meandika|chor|mkandarasi|mbunifu)\w*"
    r"|สร้าง|ออกแบบ|เขียน|วาด|ผลิต|ปั้น|ผู้รับเหมา|สถาปนิก",
    re.IGNORECASE,
)
# A role asked by its verb ("who chairs the trust", "who coaches the team",
# "qui préside l'association", "nani anaongoza klabu"): a person, known by a
# name, as "who is the chair" asks.  Verbs of a person's role only: "who runs
# the shuttle" or "who pays" is answered as often by "the council" as by a
# name, and "qui possède les clés de ta marque" by "vos clients" (dev-009,
# lost when owning was among them: 168 sets, 40th round).
_HOLDS_ROLE_QUESTION = (
    r"\bwho\s+(?:currently\s+|now\s+)?(?:chairs|presides\s+over|heads|leads|coaches|captains|founded)\b"
    r"|\bqui\s+(?:pr[ée]side|dirige|entra[îi]ne|a\s+fond[ée])\b"
    r"|\bnani\s+(?:ana|ali|ame)(?:ongoza|simamia|anzisha)\b"
)
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
# (`thai_person_names`).  A numbered step ("1) Ecrivez votre texte…") or a list
# item ("- Mardi : fermé") begins a sentence too, on any line of a quote.
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|[\n\r]+|[«“\"(]\s*|(?:^|[\n\r])[ \t]*(?:\d{1,2}\)|[-*•–])[ \t]+)$")
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]+")
_QUOTED = re.compile(r"«[^»]{2,}»|“[^”]{2,}”|\"[^\"]{2,}\"")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_WORD = re.compile(r"\w+")


def begins_sentence(text: str, at: int) -> bool:
    """Whether the word at offset `at` of `text` begins a sentence, a line, a
    quotation or a numbered step: any word is capitalised there, so a capital
    there says nothing of a name (`has_name`, decision.question_names)."""
    return _SENTENCE_START.search(text[:at]) is not None


def is_day_or_month(word: str) -> bool:
    """A weekday or a month, in any of the four languages: capitalised in English,
    and no name (`has_name`, decision.question_names)."""
    return word.casefold() in _DAY_OR_MONTH
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


# The role a "who is the <role>" question names: its pattern, and the role word within it.
_ROLE_ASKED = tuple((lang, re.compile(source, re.IGNORECASE),
                     re.compile(_ROLES[lang] if lang == "th" else r"\b(?:" + _ROLES[lang] + r")\b", re.IGNORECASE))
                    for lang, source in _WHO_IS_ROLE_SOURCES.items())
ROLE_PREFIX_LETTERS = 5  # a role word is found by its first letters ("chair" in "chairperson", "présid" in "présidée")


def asked_role(question: str) -> tuple[str, str] | None:
    """(language, role) of a "who is the chairman" question, else None."""
    for lang, pattern, role in _ROLE_ASKED:
        m = pattern.search(question)
        if m:
            found = role.search(m.group())
            assert found is not None  # the pattern holds the role
            return lang, found.group()
    return None


# "Who won …?", "Which team won …?", "Qui a gagné …?", "Nani alishinda …?",
# "ใครชนะ": a winner is asked, and a sentence naming someone answers only if it
# says that someone won (a tournament's date and venue name no winner).
_WIN_QUESTION = re.compile(
    r"\bwho\s+(?:won|wins|has\s+won|will\s+win)\b(?!['’])|\b(?:which|what)\s+(?:[\w'’-]+\s+){1,3}?(?:won|has\s+won)\b(?!['’])"
    r"|\bqui\s+(?:a|ont)\s+(?:gagn[ée]|remport[ée])|\bquel(?:le)?s?\s+(?:[\w'’-]+\s+){1,3}?(?:a|ont)\s+(?:gagn[ée]|remport[ée])"
    r"|\bnani\s+(?:a|wa|ali|wali|ame|wame)shinda\b|\b(?:gani|ipi|kipi|lipi)\s+(?:i|a|li|ki|ili|ali|wali|iliyo)shinda"
    r"|ใคร(?:เป็นผู้)?ชนะ|ทีม(?:ไหน|ใด)ชนะ|ใครได้แชมป์|ใครคว้า",
    re.IGNORECASE,
)
_WIN_WORD = re.compile(
    r"\b(?:won|wins?|winners?|winning|champions?|championship|victor(?:y|ious|s)?|beat|defeated|runners?-up)\b"
    r"|\b(?:gagn|vainqu|remport|champion|victoire|laur[ée]at|finaliste)\w*|shind|\b(?:ma|u)?bingwa\b"
    r"|ชนะ|แชมป์|คว้า",
    re.IGNORECASE,
)


def asks_winner(question: str) -> bool:
    """True when the question asks who won ("who won", "quelle chorale a gagné",
    "nani alishinda", "ใครชนะ")."""
    return bool(_WIN_QUESTION.search(question))


def asks_maker(question: str) -> bool:
    """True when the question asks who built, made, designed or wrote something
    ("who built the huts", "qui a construit", "ilijengwa na nani", "สร้างโดยใคร")."""
    return bool(_MAKER_ASKED.search(question))


def tells_maker(text: str) -> bool:
    """True when `text` says who built, made, designed or wrote something (a verb
    of making or a maker's trade), in any of the four languages."""
    return bool(_MAKER_WORD.search(text))


def tells_winner(text: str) -> bool:
    """True when `text` says someone won, in any of the four languages."""
    return bool(_WIN_WORD.search(text))


# A role written by its initials is named in full as often: "Le président et chef de
# la direction Ron Brumbarger" answers who the PDG is, "chief executive" who the CEO is
# (and, across languages, "mkurugenzi mtendaji": the quote naming the role goes first
# in any language, decision.judge_answer_type).
ROLE_INITIALS = {"pdg": ("president", "directeur general", "chef de la direction"),
                 "dg": ("directeur general", "directrice generale"),
                 "ceo": ("chief executive", "managing director", "mkurugenzi mtendaji")}


# A role that leads, and the words that say someone leads ("the team is led by …",
# "l'équipe est dirigée par …", "inaongozwa na …", "นำโดย …"): such a sentence holds
# the role of a "who is the head / responsable / kiongozi" question.
_LEADING_ROLE = re.compile(r"^(?:chief|ceo|director|president|chair|manager|head|principal|leader|coordinator"
                           r"|pdg|dg|directeur|directrice|pr[ée]sident|responsable|chef|coordinat"
                           r"|mkurugenzi|mwenyekiti|meneja|mkuu|kiongozi|mratibu"
                           r"|ผู้อำนวยการ|ประธาน|ผู้จัดการ|หัวหน้า|ผู้ประสานงาน)", re.IGNORECASE)
_LED_BY = re.compile(r"\b(?:led|headed|directed|managed|chaired|coordinated)\s+by\b"
                     r"|\b(?:dirig[ée]e?s?|pr[ée]sid[ée]e?s?|anim[ée]e?s?|coordonn[ée]e?s?|men[ée]e?s?)\s+par\b"
                     r"|\bsous\s+la\s+(?:direction|responsabilit[ée])\s+d"
                     r"|\b(?:i|li|ki|u|wa|a)?(?:na|li|ta|me)?ongozwa\s+na\b|\bchini\s+ya\s+uongozi\s+wa\b"
                     r"|นำโดย|ภายใต้การนำของ|มี\S{0,12}เป็นหัวหน้า", re.IGNORECASE)


def holds_role(text: str, role: str) -> bool:
    """Whether `text` names the role: its first word's first letters, accents and
    case aside ("présidée" holds "président", "chairperson" "chair"); a role
    written by its initials, also in full (`ROLE_INITIALS`); a leading role by
    the words that say someone leads (`_LED_BY`)."""
    from bot.knowledge.analysis.base import fold_accents

    folded = fold_accents(text.casefold())
    if any(re.search(r"\b" + full, folded) for full in ROLE_INITIALS.get(role.casefold(), ())):
        return True
    if _LEADING_ROLE.match(role) and _LED_BY.search(text):
        return True
    prefix = fold_accents(role.split()[0].casefold())[:ROLE_PREFIX_LETTERS]
    if THAI.search(prefix):
        return prefix in folded
    # at a word's start: "mkuu" (head) is not held by the name "Mwinyimkuu"
    return re.search(r"\b" + re.escape(prefix), folded) is not None


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


def has_name(text: str, question: str = "") -> bool:
    """True when `text` holds a proper name by its shape (see above) that the
    question does not already hold: "Who is the captain of the MV Sainte-Anne?"
    is not answered by a sentence whose only name is the MV Sainte-Anne."""
    folded = question.casefold()
    asked = set(_WORD.findall(folded))

    def new(span: str) -> bool:
        # Thai runs whole phrases together: a Thai word is the question's when the question holds it
        return any((w not in folded) if THAI.search(w) else (w not in asked) for w in _WORD.findall(span.casefold()))

    if any(new(m.group()) and _name_sized(m.group()[1:-1]) for m in _QUOTED.finditer(text)):
        return True
    if THAI.search(text):
        if any(new(m.group()) for m in _LATIN_WORD.finditer(text)):
            return True
        if _WHO.search(question) and any(name not in question for name in thai_person_names(text)):
            return True  # a person, for a question asking who: not the firm of "บริษัทอะไร"
    return any(not begins_sentence(text, m.start()) and new(m.group()) and not is_day_or_month(m.group())
               for m in _CAPITALISED.finditer(text))


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


def asks_quantity(question: str) -> bool:
    """True when the question asks how many / how much, or after a measure
    (how old / long / often, what percentage / price / speed ...), in any of
    fr/en/sw/th: its answer holds a number."""
    return bool(_QUANTITY_QUESTION.search(question) or _MEASURE_QUESTION.search(question))


# "How often …?" is answered by a frequency as much as by a number: "the ferry
# leaves every hour", "ouvert tous les jours", "kila siku", "ทุกวัน".
_FREQUENCY_QUESTION = re.compile(
    r"\bhow\s+(?:often|frequently)\b|\bà\s+quelle\s+fréquence\b|\btous\s+les\s+combien\b"
    r"|\bmara\s+ngapi\b|บ่อยแค่ไหน|บ่อยไหม",
    re.IGNORECASE,
)


def asks_frequency(question: str) -> bool:
    """True when the question asks how often (any of fr/en/sw/th)."""
    return bool(_FREQUENCY_QUESTION.search(question))


def has_frequency(text: str) -> bool:
    """True when `text` says how often without a digit ("every hour", "tous les
    jours", "kila siku", "ทุกวัน"): an answer to "how often"."""
    return bool(_FREQUENCY.search(text))


# "In what year / en quelle année / mwaka gani / ปีไหน, ปี พ.ศ. ใด": a year asked
# for; a year of the Common Era or of the Thai Buddhist Era (2565), in Arabic
# or Thai digits, answers it.
_YEAR_QUESTION = re.compile(
    r"\b(?:what|which)\s+year\b|\bquelle\s+ann[ée]e\b|\bmwaka\s+(?:gani|upi)\b"
    r"|ปี(?:\s*(?:พ\.ศ\.|ค\.ศ\.))?\s*(?:ไหน|ใด|อะไร)"
    # when something was founded or built: its year ("When was Bitwise founded?",
    # "Quand l'école a-t-elle été fondée ?", "Josho lilijengwa lini?", "วัดสร้างเมื่อไร")
    r"|\bwhen\s+(?:was|were|did)\b[^?]{1,80}?\b(?:founded|built|established|set\s+up|formed|erected|constructed|found)\b"
    r"|\bquand\b[^?]{0,80}?\b(?:(?:été|fut|furent)\s+(?:fond|constru|b[âa]ti)\w*|a-t-(?:il|elle)\s+fond[ée])"
    r"|\b\w{0,3}li(?:anzishwa|jengwa)\s+lini\b|(?<!จะ)(?<!ก่อ)(?:ก่อตั้ง|สร้าง)(?:ขึ้น)?(?:เมื่อ)(?:ไร|ไหร่|ใด)",
    re.IGNORECASE,
)
# (not a group of a phone number: "โทร 08 1765 4321")
_ANY_YEAR = re.compile(rf"(?<!\d)(?<!\d )(?:{_CE_YEAR}|{_BE_YEAR}|๑[๕-๙][๐-๙]{{2}}|๒[๐๔๕][๐-๙]{{2}})(?!\d)(?! \d)")


# A year a question is about ("en 2023", "mwaka 2022", "ปี 2566", "the 2027 fair",
# "winter 2022-23"), of the Common Era or the Buddhist Era (from 2500, 1957 CE:
# a smaller 24xx is more often a count), in either script's digits; not a decade
# ("the 1980s", "les années 1980", "miaka ya 1980", "ยุค 1980") nor an amount
# ("2000 euros", "2019 %").
_QUESTION_YEAR = re.compile(r"(?<![\d.,])(?<!\d )(?:19\d\d|20\d\d|25\d\d|๑๙[๐-๙]{2}|๒[๐๕][๐-๙]{2})(?![\d\w'’%€$£])"
                            r"(?!\s*(?:%|€|\$|£|euros?|dollars?|livres?|pounds?|shilingi|baht|บาท|ปอนด์|ยูโร))",
                            re.IGNORECASE)
_DECADE_BEFORE = re.compile(r"(?:ann[ée]es|decade|d[ée]cennie|miaka\s+ya|ยุค|ทศวรรษ)\s*$", re.IGNORECASE)


def _common_era(year: str) -> int:
    """A year as written (Thai digits, Buddhist Era) as a year of the Common Era."""
    value = int(year.translate(_THAI_DIGITS))
    return value - 543 if value >= 2400 else value


def question_years(question: str) -> dict[str, int]:
    """The years the question is about, as written -> of the Common Era ("2566" ->
    2023): a question about a year an article never writes is not answered by
    that article's figures for another ("How many vehicles were towed in
    2023?" over "En 2024, la fourrière a enlevé 412 véhicules")."""
    thai = bool(THAI.search(question))  # a Buddhist year is written in Thai questions
    return {m.group(): _common_era(m.group()) for m in _QUESTION_YEAR.finditer(question)
            if not _DECADE_BEFORE.search(question[:m.start()]) and (thai or not m.group().startswith("25"))}


# Thai news shortens a Buddhist year to its last two digits: "ปี 67", "พ.ศ. 66" (2567, 2566)
_THAI_SHORT_YEAR = re.compile(r"(?:ปี|พ\.ศ\.)\s*([4-7][0-9]|[๔-๗][๐-๙])(?![0-9๐-๙])")


def written_years(text: str) -> set[int]:
    """The years `text` writes (those `has_year` sees), of the Common Era (a
    Buddhist year converted, a Thai short one, "ปี 67", read as 2567)."""
    return ({_common_era(m.group()) for m in _ANY_YEAR.finditer(text)}
            | {_common_era("25" + m.group(1).translate(_THAI_DIGITS)) for m in _THAI_SHORT_YEAR.finditer(text)})


def asks_year(question: str) -> bool:
    """True when the question asks in which year (any of fr/en/sw/th)."""
    return bool(_YEAR_QUESTION.search(question))


def has_year(text: str) -> bool:
    """True when `text` holds a year, of the Common Era or the Buddhist Era."""
    return bool(_ANY_YEAR.search(text))


# The year something was founded, built or opened asked ("When was the club
# founded?", "En quelle année la salle a-t-elle été construite ?", "Akiba Pamoja
# ilianzishwa mwaka gani?", "ก่อตั้งขึ้นเมื่อปีไหน") is a year beside such a word
# ("founded in 1998", "construite en 1932", "ilijengwa mwaka 1905", "ก่อตั้งเมื่อปี
# 2540"), in any of the four languages: "Fermée depuis l'été 2023" gives another year.
_FOUNDING_ASKED = re.compile(
    r"\b(?:built|founded|established|set\s+up|created|formed|constructed|opened)\b"
    r"|\b(?:constru|fond[ée]|cr[ée]{2}|b[âa]ti)\w*|\w*li(?:anzishwa|jengwa)\b|ก่อตั้ง|สร้าง", re.IGNORECASE)
_FOUNDING_WORD = (r"(?:built|founded|established|set\s+up|created|formed|constructed|opened|founding|constru\w*"
                  r"|fond[ée]\w*|fondation|cr[ée]{1,2}\w*|cr[ée]ation|b[âa]ti\w*|ouvert\w*|inaugur\w*|\w*anzishwa"
                  r"|\w*jengwa|\w*funguliwa|ก่อตั้ง|สร้าง|เปิด)")
_FOUNDING_YEAR = re.compile(rf"{_FOUNDING_WORD}\D{{0,40}}?(?:{_CE_YEAR}|{_BE_YEAR})"
                            rf"|(?:{_CE_YEAR}|{_BE_YEAR})\D{{0,15}}?{_FOUNDING_WORD}", re.IGNORECASE)


def asks_founding_year(question: str) -> bool:
    """True when the question asks in which year something was founded, built or opened."""
    return asks_year(question) and bool(_FOUNDING_ASKED.search(question))


def tells_founding_year(text: str) -> bool:
    """Whether `text` gives a year beside a word of founding, building or opening."""
    return bool(_FOUNDING_YEAR.search(text))


# "How old …?": a person's or a thing's age, or the age one must have ("à partir de
# quel âge", "ana umri gani", "อายุเท่าไร", not "ต่ออายุ…อย่างไร", to renew).
_AGE_QUESTION = re.compile(
    r"\bhow\s+old\b|\b(?:what|which)\s+age\b|\bquel\s+[âa]ge\b|\b[âa]g[ée]e?s?\s+de\s+combien\b"
    # ("ana miaka mingapi", has how many years; not "alifundisha miaka mingapi", taught for how long)
    r"|\bumri\s+(?:wa\s+)?(?:\w+\s+)?(?:gani|mingapi|upi)\b|\b(?:[^\W\d_]{0,3}na|[^\W\d_]{0,2}enye)\s+miaka\s+mingapi\b"
    r"|อายุ\s*(?:เท่าไร|เท่าไหร่|เท่าใด|กี่\s*(?:ปี|เดือน|ขวบ))|กี่ขวบ",
    re.IGNORECASE,
)
# An age stated: a number next to an age word or an age unit, or a year of birth or
# building.  "aged 12 and over", "44 years old", "a 7-year-old", "under-16s", "Dele
# Okafor, 44,", "à partir de 18 ans", "âgée de 54 ans", "umri wa miaka sita", "mwenye
# miaka 41", "อายุ 16 ปีขึ้นไป", "อายุตั้งแต่สี่เดือน", "5 ขวบ", "born in 1961", "ilijengwa
# mwaka 1905", "สร้าง… 2475" (Thai เกิด is also "to happen").  Not any number: the year
# someone moved ("เมื่อปี 2565") or a clock time ("7:00 ถึง 9:00") gives no age.
_AGE_WORD = re.compile(r"\b(?:age[sd]?|[âa]g[ée]e?s?|umri)\b|อายุ|วัย|ขวบ", re.IGNORECASE)
_AGE_FORM = re.compile(
    r"\b\d+\s*(?:-|\s)?(?:years?|months?)(?:-|\s)old\b|\b(?:under|over)[\s-]?\d+s?\b"
    r"|\b[A-Z][\w'’-]+,\s+\d{1,3},"
    r"|\b\d+\s+(?:ans|mois)\b|\bmwenye\s+miaka\s+\w+"
    r"|\b(?:born|n[ée]e?|alizaliwa|built|construit[es]?|b[âa]ti[es]?|ilijengwa|lilijengwa)\b\D{0,25}"
    rf"{_CE_YEAR}\b|สร้าง\D{{0,25}}(?:{_BE_YEAR}|{_CE_YEAR})",
    re.IGNORECASE,
)


def asks_age(question: str) -> bool:
    """True when the question asks how old someone or something is, or must be."""
    return bool(_AGE_QUESTION.search(question))


def has_age(text: str) -> bool:
    """True when `text` states an age: a number with an age word ("aged", "âge",
    "umri", "อายุ") or in an age form ("44 years old", "18 ans", "born in 1961")."""
    return bool(_AGE_FORM.search(text)) or (bool(_AGE_WORD.search(text)) and has_number(text))


def asks_time(question: str) -> bool:
    """True when the question asks when (any of fr/en/sw/th)."""
    question = question.strip()
    if _TIME_QUESTION.search(question):
        return True
    initial = _INITIAL_WHEN.match(question)
    if not initial:
        return False
    rest = _EST_CE_QUE.sub(" ", question[initial.end():])
    return bool(rest.strip()) and not _OTHER_INTERROGATIVE.search(rest)


# Questions after a schedule or a clock time (opening / visiting / office hours,
# "horaires", "saa za kazi", "เวลาเปิด", "what time", "what hours", "à quelle(s)
# heure(s)", "saa ngapi", "กี่โมง"): their answer holds clock times.
_HOURS_QUESTION = re.compile(
    r"\b(?:opening|closing|visiting|office|business|working|service|school)\s+(?:hours|times)\b"
    r"|\bhours\s+(?:of|for)\s+(?:opening|visiting|service|business)\b|\bwhat\s+(?:are|were)\s+the\s+(?:\w+\s+){0,2}hours\b"
    r"|(?<!tarif )(?<!taux )(?<!salaire )(?<!fuseau )\bhoraires?\b|\bheures?\s+d['’](?:ouverture|accueil|visite)\b"
    r"|\bsaa\s+za\s+\w+|\bsaa\s+ngapi\b"
    r"|\bwhat\s+time\b|\bà\s+quelles?\s+heures?\b|\bentre\s+quelles\s+heures\b|\b(?:what|which)\s+hours\b(?!\s+of\b)"
    r"|เวลาเปิด|เวลาปิด|เวลาทำการ|เวลาเยี่ยม|กี่โมง|เปิดกี่|ปิดกี่",
    re.IGNORECASE,
)
# A clock time: "9am", "6.30 p.m.", "14:00", "9 h", "13 h 30", "9h30", "8 heures", "midi", "noon",
# "17.00 น.", "ห้าโมง", "saa tatu", "7 in the morning", "nine o'clock", "ตี 5", "เที่ยง".
# Swahili one to ten, which a clock time ("saa tatu") and a duration ("siku saba") use.
_SW_ONE_TO_TEN = "moja|mbili|tatu|nne|tano|sita|saba|nane|tisa|kumi"
# ... agreeing with its noun by a class prefix: "miche mitano", "watu wawili", "miti mitatu"
_SW_CLASS = "(?:mi|wa|ma|vi|ki|m)"
_CLOCK_TIME = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)"
    # (an hour of the day: "48 heures", "sous 48h" and "saa 24" are durations)
    r"|\b(?:[01]?\d|2[0-4])\s*h\s*(?:\d{2}\b)?(?!\w)"
    # "14:00", "17.00", but not a price ("£2.50", "12.50 $", "3.20 euros")
    r"|(?<![£$€\w.,])\d{1,2}[:.]\d{2}\b(?!\s*(?:[$€£%]|euros?\b|eur\b|dollars?\b|usd\b|shillings?\b|ksh\b|baht\b|บาท))"
    r"|\d\s*(?:น\.|นาฬิกา|โมง)|(?:โมง|ทุ่ม)"
    rf"|\bsaa\s+(?:1[0-2]|0?[1-9]|{_SW_ONE_TO_TEN})\b"
    r"|\b(?:[01]?\d|2[0-4])\s+heures?\b|\b(?:midi|minuit|midnight|noon)\b"
    # "7 in the morning", "nine o'clock", "ตี 5" (5 am), เที่ยง (noon)
    r"|\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:o['’]clock\b"
    r"|in\s+the\s+(?:morning|afternoon|evening)\b)|ตี\s*[\d๐-๙]|เที่ยง"
    # round the clock, which answers "what hours": "24 hours a day", "24/7", "saa 24 kila siku",
    # "24 heures sur 24", "ตลอด 24 ชั่วโมง" (not "within 24 hours", "ndani ya saa 24": durations)
    r"|\b24\s*(?:hours?|hrs?)\s+(?:a|per)\s+day\b|\b24\s*/\s*7\b|\b(?:a)?round[\s-]the[\s-]clock\b"
    r"|\bsaa\s+24\s+(?:kila\s+siku|kwa\s+siku)\b|\b24\s+heures\s+sur\s+24\b|ตลอด\s*24\s*ชั่วโมง",
    re.IGNORECASE,
)


def asks_hours(question: str) -> bool:
    """True when the question asks for a schedule: opening, visiting or office hours."""
    return bool(_HOURS_QUESTION.search(question))


# "When did the council adopt the new opening hours?", "Saa za kazi zilibadilishwa
# lini?": a schedule named in a question asking when it changed, which a date answers.
_ASKS_WHEN = re.compile(r"^\W*(?:quand|when)\b|\blini\b|เมื่อไร|เมื่อไหร่|เมื่อใด", re.IGNORECASE)


# The place or service whose hours are asked: "the opening hours of the Sharmas'
# newsagent", "what time does the ticket office at Hebden Road station open",
# "les horaires de la déchetterie", "à quelle heure ouvre l'accueil de la
# mairie".  English puts the head noun last ("ticket office", "car park"),
# French first ("déchetterie", "accueil"); what follows a preposition is where.
def _asked_group(match: re.Match) -> tuple[str, str]:
    """(group, language) of the named group a question pattern matched: the groups
    are named by their language, numbered when it has several ("en2", "sw4")."""
    group = next(g for g, v in match.groupdict().items() if v)
    return group, group.rstrip("0123456789")


def _thing(text: str, lang: str) -> tuple[str, frozenset[str]] | None:
    """(language, index terms) of a thing a question names (`thing_terms`);
    None when `text` holds no index term."""
    terms = thing_terms(text, lang)
    return (lang, terms) if terms else None


_NP = r"[^\W\d_][\w'’-]*(?:\s+[\w'’-]+){0,5}?"
# Swahili names a thing first, before the verb that asks about it (a price's,
# `counted_thing`; a place's hours, `hours_thing`): the question's first words,
# of which the first three are the thing.
_SW_LEAD = r"^\W*(?:je,?\s+)?"
_SW_FIRST_WORDS = r"[^\W\d_]+(?:\s+[^\W\d_'’-]+){0,7}?"
SW_THING_WORDS = 3
_EN_HOURS_OPEN = r"(?:open|close|shut|start|begin|finish|end|leave|depart|run|come|pass|stop)s?"
_FR_HOURS_OPEN = r"(?:ouvre|ferme|passe|commence|part|d[ée]marre|finit|termine|arrive)(?:nt)?"
_HOURS_THING = re.compile(
    rf"\b(?:opening|closing|visiting|business)\s+(?:hours|times)\s+(?:of|for|at)\s+(?:the\s+)?(?P<en>{_NP})\s*(?:[?,.!]|$)"
    rf"|\bwhat\s+(?:are|were)\s+the\s+(?:\w+\s+){{0,2}}hours\s+(?:of|for|at)\s+(?:the\s+)?(?P<en2>{_NP})\s*(?:[?,.!]|$)"
    rf"|\b(?:what\s+time|when)\s+(?:does|do|will|did)\s+(?:the\s+)?(?P<en3>{_NP})\s+{_EN_HOURS_OPEN}\b"
    rf"|\bhoraires?\s+(?:d['’]ouverture\s+)?(?:(?:de\s+la|du|des|de)\s+|(?:de\s+l|d)['’])(?P<fr>[^\W\d_][\w-]*)"
    rf"|\bà\s+quelles?\s+heures?\s+(?:{_FR_HOURS_OPEN}\s+)?(?:(?:le|la|les)\s+|l['’])(?P<fr2>[^\W\d_][\w-]*)",
    re.IGNORECASE,
)
_EN_WHERE = re.compile(r"\s+(?:at|in|on|of|near|by|for|from|to|during|after|before|this|next|every|each)\s+.*$",
                       re.IGNORECASE)
_NO_PLACE = frozenset({"it", "they", "this", "that", "these", "those", "you", "we", "i", "he", "she", "one",
                       "il", "elle", "ils", "elles", "ce", "cela", "ça", "on",
                       "ni", "je", "hiyo", "hicho", "hili", "huu", "hii", "yeye", "wao"})


# Swahili names the place first, before the verb of opening ("Kioski cha maji
# kinafunguliwa saa ngapi", "Duka la dawa hufunguliwa saa ngapi Jumapili"), or
# after "saa ngapi" ("Ni saa ngapi duka la dawa hufunguliwa"): its first three
# words, as a Swahili price's thing.  Thai names it before เปิด / ปิด (open,
# close) and the time asked ("คลีนิคเปิดกี่โมง", "ตลาดน้ำอัมพวาเปิดกี่โมงถึงกี่โมง"):
# its first two words.
_SW_OPENS = r"[^\W\d_]{0,6}(?:funguliwa|fungwa|funguka)\b"
_SW_HOURS_THING = re.compile(rf"{_SW_LEAD}(?:ni\s+saa\s+ngapi\s+)?(?P<sw>{_SW_FIRST_WORDS})\s+{_SW_OPENS}",
                             re.IGNORECASE)
_TH_OPENS = re.compile(r"(?:เปิด|ปิด)(?:ให้\S{0,8})?(?:กี่|ตั้งแต่กี่|เวลา|วันไหน)")


def _thai_hours_thing(question: str) -> tuple[str, frozenset[str]] | None:
    """(th, index terms) of the place a Thai hours question names before it opens."""
    found = _TH_OPENS.search(question)
    if found is None or not found.start():
        return None
    from bot.knowledge.analysis import get_analyzer

    thai = get_analyzer("th")
    words = [t for _, t in thai.segment(question[:found.start()]) if THAI.search(t) and thai.analyze(t)][:2]
    return _thing(" ".join(words), "th") if words else None


def hours_thing(question: str) -> tuple[str, frozenset[str]] | None:
    """(language, index terms) of the place or service whose hours or time a
    question asks ("the ticket office", "la déchetterie", "duka la dawa",
    "คลีนิค"): in English its head noun, in French the noun after the article,
    in Swahili and Thai its first words; None when it names none plainly."""
    if THAI.search(question):
        return _thai_hours_thing(question) if asks_hours(question) else None
    swahili = _SW_HOURS_THING.search(question) if asks_hours(question) else None
    if swahili is not None:
        words = swahili.group("sw").split()[:SW_THING_WORDS]
        return None if words[0].casefold() in _NO_PLACE else _thing(" ".join(words), "sw")
    match = _HOURS_THING.search(question)
    if match is None:
        return None
    group, lang = _asked_group(match)
    phrase = match.group(group)
    if lang == "en":
        words = _EN_WHERE.sub("", phrase).split()
        head = words[-1] if words else ""
    else:
        head = phrase
    head = head.strip("'’").casefold()
    if not head or head in _NO_PLACE:
        return None
    if lang == "fr" and re.match(r"[ld][aeiouyhàâéèêîôû]", head) and len(head) > 5:
        head += " " + head[1:]  # "latelier": "l'atelier" written without its apostrophe
    return _thing(head, lang)


def asks_clock(question: str) -> bool:
    """True when the question's answer holds a clock time: it asks for a schedule
    or a time of day (`asks_hours`), not when or on which day a schedule is set."""
    return asks_hours(question) and not _ASKS_WHEN.search(question) and not asks_date(question)


def has_clock_time(text: str) -> bool:
    """True when `text` holds a clock time ("9am", "14:00", "13 h 30", "17.00 น.", "saa tatu")."""
    return bool(_CLOCK_TIME.search(text))


# A Thai sentence asks without "?": an initial "why / who" or a final
# question particle ("อย่างไรก็ตาม", "however", starts with "อย่างไร", so
# "how" only counts at the end).
_THAI_ASKS = re.compile(r"^(?:ทำไม|เหตุใด|ใคร)|(?:ไหม|มั้ย|หรือไม่|หรือเปล่า|อย่างไร|อะไร|ที่ไหน|เมื่อไร|เมื่อไหร่)$")


def _without_closers(sentence: str) -> str:
    """The sentence without trailing spaces, closing quotes, brackets and Markdown
    emphasis ("**Can I get a permit?**" asks)."""
    return sentence.strip().rstrip("»”\"'’)]*_ ")


def is_question(sentence: str) -> bool:
    """True when a sentence of an article asks something ("…?", or Thai forms)."""
    text = _without_closers(sentence)
    return text.endswith(("?", "？")) or bool(_THAI_ASKS.search(text))


def ends_sentence(text: str) -> bool:
    """True when `text` ends with terminal punctuation (closing quotes aside)."""
    return _without_closers(text).endswith((".", "!", "?", "…", "。", "？", "！"))


# Questions after a day or a date ("what day", "quel jour", "à quelle date",
# "siku gani", "tarehe gani", "วันไหน", "วันที่เท่าไร"): a date or a weekday answers
# them, not any word that says when ("dès 5 h 30", "สองสัปดาห์ก่อนวันแข่ง").
_DATE_QUESTION = re.compile(
    r"\b(?:what|which)\s+(?:days?|dates?)\b|\bquel(?:le)?s?\s+(?:jours?|dates?)\b"
    r"|\bsiku\s+(?:gani|ipi|zipi)\b|\btarehe\s+(?:gani|ngapi|ipi)\b"
    rf"|{_FROM_UNTIL_WHEN}"
    r"|วันไหน|วันใด|วันอะไร|วันที่เท่า(?:ไร|ไหร่)",
    re.IGNORECASE,
)
# "mai", "may", "march" are as often other words, and short forms ("Sept. 4",
# "5 ธ.ค.") are names of months beside a day's number only; numeric dates too.
_MONTH_BY_NUMBER = r"mai|may|march|jan|feb|f[ée]vr?|mar|apr|avr|jun|jul|juil|aug|sept?|oct|nov|d[ée]c"
_NUMBERED_DATE = re.compile(
    rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{_MONTH_BY_NUMBER})\b|\b(?:{_MONTH_BY_NUMBER})\.?\s+\d{{1,2}}\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b|\btarehe\s+\d|วันที่\s*[\d๐-๙]"
    r"|(?:ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค)\."
    # Thai weekdays and months within a run of Thai (segmentation may split
    # "วันอังคาร" into วัน + อังคาร)
    r"|วัน(?:จันทร์|อังคาร|พุธ|พฤหัส|ศุกร์|เสาร์|อาทิตย์)|สุดสัปดาห์|" + "|".join(sorted(
        w for w in MONTH_NAMES if THAI.search(w))),
    re.IGNORECASE,
)


def asks_date(question: str) -> bool:
    """True when the question asks which day or what date, or from or until when."""
    return bool(_DATE_QUESTION.search(question))


def has_date(text: str) -> bool:
    """True when `text` names a day: a date, a month, a weekday or the weekend."""
    return bool(_NUMBERED_DATE.search(text)) or _has_word(text, _DAY_OR_MONTH)


def has_time(text: str) -> bool:
    """True when `text` holds a time word (TIME_WORDS), a year or a clock time
    ("the last one will leave at 10:30pm" says when)."""
    return bool(_YEAR.search(text)) or has_clock_time(text) or _has_word(text, TIME_WORDS)


def _has_word(text: str, words: frozenset[str]) -> bool:
    """True when one of `words` occurs in `text` as a whole word.

    Thai runs are segmented with the Thai analyzer (dictionary segmentation),
    so that สาม ("three") is not found inside สามารถ ("can"); pythainlp is
    only loaded when a Thai passage is checked.
    """
    latin = re.findall(r"\w+", THAI.sub(" ", text).casefold())
    if any(w in words for w in latin):
        return True
    if THAI.search(text):
        from bot.knowledge.analysis import get_analyzer

        tokens = get_analyzer("th").segment(text)
        return any(token in words for _, token in tokens)
    return False


# A list item's number opening a sentence ("2. Are you chasing fault…", "1) Ecrivez
# votre texte"): its place in a list, not a quantity the question could ask for.
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}|[๐-๙]{1,2})\s*[.)]\s+")


# (bare "tano" is a NUMBER_WORD)
_SW_AGREEING_NUMBER = re.compile(rf"\b{_SW_CLASS}(?:wili|{_SW_ONE_TO_TEN})\b", re.IGNORECASE)


def has_number(text: str) -> bool:
    """True when `text` holds digits (any script, Thai ๐-๙ included) or a number
    word, not counting a list item's number at its start."""
    text = _LIST_MARK.sub("", text, count=1)
    return bool(_DIGIT.search(text) or _SW_AGREEING_NUMBER.search(text)) or _has_word(text, NUMBER_WORDS)


# A question after an e-mail address, a phone number or a website (not one
# that only mentions them: "can I subscribe by e-mail?", "what problem did
# they have with the website?"): "what is the e-mail address of…", "adresse
# e-mail", "anwani ya barua pepe", "อีเมลของ…", "phone number", "numéro de
# téléphone", "namba ya simu", "เบอร์โทร", "what is their website", "adresse du
# site", "anwani ya tovuti", "เว็บไซต์อะไร".  Its answer holds one.
_EMAIL_QUESTION = re.compile(
    r"\b(?:e-?mail|courriel)\s+address|\badresse\s+(?:e-?mail|électronique|[ée]lectronique|courriel|mail)\b"
    r"|\bquel(?:le)?\s+est\s+(?:l['’]\s*|le\s+)(?:e-?mail|courriel)\b|\bwhat(?:['’]s|\s+is)\s+(?:the\s+|\w+['’]s\s+)?e-?mail\b"
    r"|\banwani\s+ya\s+barua\s+pepe\b|\bbarua\s+pepe\s+(?:ya|yake|yao)\b|ที่อยู่อีเมล|อีเมลของ|อีเมลอะไร",
    re.IGNORECASE,
)
_PHONE_QUESTION = re.compile(
    r"\b(?:tele)?phone\s+number\b|\bnum[ée]ro\s+de\s+(?:t[ée]l[ée]phone|portable|mobile)\b|\bnamba\s+ya\s+simu\b"
    # "what number do I call", "quel numéro faut-il appeler", "nipige namba gani"
    r"|\b(?:what|which)\s+number\s+(?:\w+\s+){0,3}(?:call|ring|phone|dial)\b|\bnumber\s+to\s+(?:call|ring|dial)\b"
    r"|\bquel\s+num[ée]ro\s+(?:\S+\s+){0,3}(?:appeler|composer|joindre)\b|\bnum[ée]ro\s+[àa]\s+(?:appeler|composer)\b"
    r"|\bnamba\s+gani\s+(?:\w+\s+){0,2}(?:kupiga|nipige|tupige|apige)\b|\b(?:nipige|tupige|kupiga)\s+(?:simu\s+)?namba\s+gani\b"
    r"|เบอร์โทร|หมายเลขโทร|โทรเบอร์|เบอร์ไหน|เบอร์อะไร",
    re.IGNORECASE,
)
_WEBSITE_QUESTION = re.compile(
    r"\bwhat(?:['’]s|\s+is)\s+(?:the\s+|\w+['’]s\s+|their\s+|its\s+)?(?:web\s?site|url|web\s+address)\b"
    r"|\bquel(?:le)?\s+est\s+(?:le\s+site|l['’]\s*adresse\s+du\s+site)\b|\badresse\s+du\s+site\b"
    r"|\banwani\s+ya\s+tovuti\b|\btovuti\s+(?:yao|yake|ya\s+\w+)\s+ni\b|เว็บไซต์อะไร|เว็บไซต์ของ\S*คือ",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEBSITE = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|info|io|gov|edu|fr|uk|tz|ke|th|co\.\w{2}|go\.\w{2})\b",
                      re.IGNORECASE)
_PHONE = re.compile(r"\+?\d(?:[\s.\-()]?\d){5,}")  # six digits or more, spaced or not: "053 979 214", "0 800 71 42 10"


# Swahili nouns of a price: a fee, a levy, a fare, a rent or tax, school fees,
# a fine, an entry fee, a charge, a price, a cost: the price question reads
# them all; the thing priced (`_COUNTED`) reads fewer, and `_FEE` holds those a
# percentage answers.
_SW_PRICE_NOUN = r"(?:ada|ushuru|nauli|kodi|karo|faini|kiingilio|tozo|bei|gharama)"
# Swahili units of time (Swahili puts the unit before its number: "saa tatu",
# "siku saba"); "saa / siku / mara ngapi" asks a time, a duration or how often.
_SW_UNIT_WORDS = ("saa", "masaa", "siku", "wiki", "mwezi", "miezi", "mwaka", "miaka", "dakika")  # masaa: hours, said
_SW_UNIT = "(?:" + "|".join(_SW_UNIT_WORDS) + ")"
_NOT_AFTER_SW_UNIT = "".join(rf"(?<!{word}\s)" for word in ("mara", *_SW_UNIT_WORDS))


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
    r"|\basilimia\s+(?:ngapi|gani)\b|กี่เปอร์เซ็นต์|ร้อยละเท่า|สัดส่วนเท่า",
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
    return next((lang for lang, pattern in _WAGE_QUESTION.items() if pattern.search(question)), "")


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


# Where a priced thing's name ends: a place or a condition follows, or the question does.
_THING_END = r"(?=\s+(?:of|at|for|in|on|from|to|per|with|if|when|during|by)\b|\s*[?.!,;]|\s*$)"
# The complement of a French thing priced when it says what kind ("l'intégration d'un
# client", "la carte de dix séances"), not whose or where ("du musée", "de la halle").
_FR_KIND = r"(?:\s+(?:d['’]\s*|de\s+)(?!la\b|l['’]|les\b)(?:une?\s+)?[^\W\d_]+(?:\s+[^\W\d_]+)?)?"


# The thing a "how many" question counts, or a price question prices, where
# the question names it plainly: "how many members", "combien de parcelles",
# "wanachama wangapi", "combien coûte un croissant", "how much does a ticket
# cost", "bei ya tiketi".  Thai is left out: its counted nouns come with
# classifiers ("สมาชิกกี่คน"), and a plain Thai pattern would take the
# classifier.  Words that ask the time or how often ("saa ngapi", "mara
# ngapi"), name the money itself ("shilingi ngapi") or a unit of time
# ("dakika ngapi") count nothing.
_COUNTED = re.compile(
    r"\bhow\s+many\s+(?P<en>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    # (two words in French too: an adjective may come first, "combien de nouveaux clients")
    r"|\bcombien\s+(?:de|d['’])\s*(?P<fr>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    r"|\b(?P<sw>[^\W\d_]+)\s+(?:wa|mi|ma|vi)?ngapi\b"  # the noun, then -ngapi agreeing with it
    r"|\bhow\s+much\s+(?:does|do|is|are)\s+(?!it\s)(?:an?\s+|the\s+)?(?P<en2>[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+cost"
    # ... the thing before "of / at / for" ("a backstage tour of the Playhouse", "the
    # new lift at the museum", "a ticket for the concert"): the thing, not its place
    r"|\bhow\s+much\s+(?:does|do|did|will|would|is|are|was|were)\s+(?:an?|the)\s+"
    r"(?P<en3>[^\W\d_]+(?:\s+[^\W\d_]+){0,2}?)\s+(?:of|at|for|in|on|from)\b"
    # ... with its complement when that says what kind (_FR_KIND)
    r"|\bcombien\s+co[uû]te(?:nt)?\s+(?:une?\s+|les?\s+|la\s+|l['’]\s*)?"
    rf"(?P<fr2>[^\W\d_]+{_FR_KIND})"
    # the price of a thing named after it: "what is the price of a coffee", "the fare
    # for a camper van on …", "how much does it cost to hire the events room", "le
    # prix du pain", "le montant de l'amende", "ada ya kupima shamba"; what is done
    # counts as the thing too ("parking costs £2" answers "to park a car"); a total
    # ("the total cost of the works") is the whole subject's, no thing of its own
    r"|\bwhat(?:['’]s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+the\s+"
    r"(?!(?:total|overall|full|whole|estimated)\b)(?:[^\W\d_]+\s+)?"
    r"(?:price|cost|fare|fee|charge|rent)s?\s+(?:of|for)\s+(?:an?\s+|the\s+|one\s+)?"
    rf"(?P<en4>[^\W\d_]+(?:\s+[^\W\d_]+){{0,2}}?){_THING_END}"
    r"|\bhow\s+much\s+(?:does|did|will|would)\s+it\s+cost\s+to\s+"
    rf"(?P<en5>[^\W\d_]+\s+(?:an?|the|my|our|your)\s+[^\W\d_]+(?:\s+[^\W\d_]+){{0,2}}?){_THING_END}"
    r"|\b(?:prix|co[uû]ts?|tarifs?|montants?|frais)\s+(?:d['’]\s*|du\s+|des\s+|de\s+(?:la\s+|l['’]\s*)?)"
    # (and the word after the noun: "la part fixe", "le mètre cube d'eau")
    rf"(?:une?\s+)?(?P<fr3>[^\W\d_]+(?:\s+(?!d['’]|de\b|du\b|des\b)[^\W\d_]+)?{_FR_KIND})"
    # (fewer nouns than `_SW_PRICE_NOUN`: "kiingilio cha maonyesho" and "ushuru wa
    # soko" name the event or the place, not a thing priced; two words after "bei ya"
    # let "bei ya lita moja" be met by any "moja", one.  Both measured, 116 sets.)
    r"|\bbei\s+ya\s+(?P<sw2>[^\W\d_]+)"
    r"|\b(?:ada|gharama|nauli|kodi|faini)\s+ya\s+(?P<sw3>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    # the thing sold or costing, first in a Swahili question ("Chandarua kimoja
    # kinauzwa shilingi ngapi", "Bima ya pikipiki inagharimu kiasi gani"): its
    # first three words, before the verb
    rf"|{_SW_LEAD}(?P<sw4>{_SW_FIRST_WORDS})\s+[^\W\d_]{{1,6}}(?:uzwa|gharimu|kodishwa)\b",
    re.IGNORECASE,
)
# Nouns that count or price nothing in particular ("how many times", "combien
# d'argent"), money ("pesa ngapi": "TSh 20,000"; its units, "sh ngapi", "how
# many dollars", are the currency names of `_MONEY`), the generic "things /
# choses / vitu" that any item answers ("How many things can I borrow at a
# time?": "up to three items"), and a number or an amount itself ("By how much
# did the number of people trained grow?": the people are counted).
_COUNTS_NOTHING = frozenset({"saa", "mara", "kiasi", "bei", "ni", "time", "times",
                             "temps", "fois", "argent", "pesa", "fedha", "hela", "money", "cash",
                             "thing", "things", "item", "items", "stuff",
                             "chose", "choses", "truc", "trucs", "kitu", "vitu",
                             "number", "numbers", "amount", "total", "nombre", "montant", "idadi"})


# "how many" right before a verb: an auxiliary ("how many were / have / did …"), or
# a past form followed by no noun ("how many voted?", "how many lacked a …",
# "how many signed up"; not "how many registered voters", "how many speed cameras").
_VERB_ADVERBS = frozenset({"actually", "really", "currently", "still", "already", "finally", "eventually",
                           "ultimately", "usually", "typically", "normally", "regularly", "successfully", "also"})
_AUXILIARY = frozenset({"are", "were", "is", "was", "have", "has", "had", "do", "did", "does", "will",
                        "would", "can", "could", "should", "may", "might", "must"})


def _counts_by_verb(named: list[str]) -> bool:
    from bot.knowledge.analysis import get_analyzer

    first = named[0].casefold()
    # (an adverb first is the verb's: "how many actually got work", "how many really came")
    return first in _AUXILIARY or first in _VERB_ADVERBS or (first.endswith("ed") and (
        len(named) == 1 or named[1].casefold() in get_analyzer("en").stopwords))


# People in general: "how many people / combien de personnes / watu wangapi" is
# answered by any group counted ("612 residents", "40 bénévoles", "wakulima 300").
_ANY_PEOPLE = frozenset({"people", "persons", "individuals", "personnes", "gens", "individus", "watu"})


_EN_PLURAL = re.compile(r"[^\W\d_]{2,}(?<![su])s", re.IGNORECASE)  # "spaces", not "bus", "class", "campus"


@lru_cache(maxsize=256)  # read by several rules for one answer
def counted_thing(question: str) -> tuple[str, frozenset[str]] | None:
    """(language, index terms) of what a "how many" or price question counts or
    prices, when it names it plainly; None otherwise."""
    match = _COUNTED.search(question)
    if match is None:
        return None
    group, lang = _asked_group(match)
    named = match.group(group).split()[:SW_THING_WORDS if group == "sw4" else None]
    if named[0].casefold() in _ANY_PEOPLE:
        return None  # "how many people signed?": "612 residents" counts them
    if group == "en" and _counts_by_verb(named):
        # "Of the homes that caught fire, how many lacked an alarm?", "how many were
        # sold?": a verb, the thing counted is named before it or not at all
        return None

    # a unit of time counts nothing either ("dakika ngapi" is a duration, asks_duration),
    # nor does a currency (a price's amount names it)
    def counts_nothing(w: str) -> bool:
        return w.casefold() in _COUNTS_NOTHING or bool(_TIME_UNIT.fullmatch(w)) or bool(_MONEY.fullmatch(w))

    if counts_nothing(named[0]):
        return None  # "combien de jours garde-t-on …": a duration, not "garde" counted
    words = [w for w in named if not counts_nothing(w)]
    if group == "en":
        # the head of "how many parking spaces / helicopter flights" is its plural:
        # "the car park" does not name the spaces counted
        plural = [w for w in words if _EN_PLURAL.fullmatch(w)]
        words = plural[:1] or words
    return _thing(" ".join(words), lang)


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


# A "how many" question asks a count: "how many volunteers", "combien de
# moniteurs", "wajitolea wangapi".  Not one after an amount of money, a duration,
# a share, an age, a year, a clock time or how often (their own rules), nor one
# whose counted noun is a unit ("combien de kilomètres", "lita ngapi": a measure).
_COUNT_GROUPS = ("en", "fr", "sw")
# (the units of `_UNIT_WORDS_BY_MEASURE`, Latin letters, as one alternation)
_MEASURE_UNIT = "(?:" + "|".join(latin for latin, _ in _UNIT_WORDS_BY_MEASURE.values()) + ")"
_CURRENCY_WORD = rf"(?:{_CURRENCY_NAMES}|p|livres?|{_THAI_CURRENCY_NAMES})"  # after a number: "20p", "185 000 livres"
_UNIT_NOUN = re.compile(rf"{_MEASURE_UNIT}|{_CURRENCY_WORD}", re.IGNORECASE)
# A number that counts nothing: one beside a currency or a percentage ("1,40
# euro", "£2.20", "shilingi 45,000", "41 %", "ร้อยละ 40") or an age ("aged 65"); and
# (`_counts_only`) a measure with its unit ("1,100 sq m", "30 km/h", `_WITH_UNIT`),
# a year, a date, a clock time, a duration or an age in its other forms.
_FIGURE = r"(?:[\d๐-๙]+(?:[.,\u00a0\u202f ][\d๐-๙]{3})*(?:[.,][\d๐-๙]+)?)"
_NOT_A_COUNT = re.compile(
    rf"(?:[$€£¥฿₦₹]|\b(?:shilingi|sh|tsh|ksh|usd|dola|asilimia)\b\.?|ร้อยละ)\s*{_FIGURE}"
    rf"|{_FIGURE}\s*(?:(?:millions?|milliards?|milioni|bilioni|billions?|bn|m|k)\s+)?(?:d['’]\s*)?"
    rf"(?:%|[$€£¥฿]|(?:per\s*cent|pour\s*cent|percent|{_CURRENCY_WORD})(?![^\W\d_]))"
    rf"|\b(?:aged|[âa]g[ée]e?s\s+de)\s+{_FIGURE}",
    re.IGNORECASE,
)


# Units spelt out, for a unit misspelt in a chat question ("sku ngapi", "dakka ngapi")
_UNIT_WORDS = ("hours", "minutes", "seconds", "days", "weeks", "months", "years", "heures", "jours",
               "semaines", "années", "secondes", *_SW_UNIT_WORDS, "sekunde", "kilometres", "kilomètres", "metres",
               "mètres", "litres", "tonnes", "kilos", "hectares", "euros", "dollars", "pounds", "shilingi")


@lru_cache(maxsize=256)  # read by several rules for one answer
def asks_count(question: str, spelling: tuple[int, int] | None = None) -> str:
    """The language of a question asking how many things or people ("how many
    volunteers", "combien de familles", "watu wangapi"), "" for any other (a
    measure asked in a unit is `asked_unit`'s): its answer is a number that
    counts, not an amount, a share, a year or a measure.
    With `spelling` (the misspellings bridge's reading), a unit misspelt ("samaki
    anachomwa dakka ngapi") asks a measure too."""
    if (asks_price(question) or asks_duration(question) or asks_share(question) or asks_age(question)
            or asks_year(question) or asks_date(question) or asks_clock(question) or asks_frequency(question)
            or asked_unit(question)):
        return ""  # (a date too: "itaanza tarehe ngapi?", on what date, counts no "tarehe")
    match = _COUNTED.search(question)
    if match is None:
        return ""
    group, _lang = _asked_group(match)
    if group not in _COUNT_GROUPS:
        return ""
    first = match.group(group).split()[0]
    if _UNIT_NOUN.fullmatch(first):  # (time, money and "things" count nothing in `counted_thing`)
        return ""
    if spelling is not None:
        from bot.answering.bridges import misspelling_of

        if any(misspelling_of(first.casefold(), unit, *spelling) for unit in _UNIT_WORDS):
            return ""
    if first.casefold() not in _ANY_PEOPLE and counted_thing(question) is None:
        return ""  # "how many were sold?": no thing named, any number may answer
    return group


# A code of Latin letters and digits ("Zone H1", "A4", "the M25", "VV-540", "CO2"):
# a name, not a count ("park in any H1 bay" does not say how many bays there are).
_CODE = re.compile(r"(?<![^\W\d_])[A-Za-z]{1,4}-?\d+[A-Za-z\d-]*(?![^\W_])")


def _counts_only(text: str, patterns: tuple[re.Pattern[str], ...] | None = None) -> str:
    """`text` with every number that counts nothing blanked (a year, a date, a
    clock time, a duration, an amount, a percentage, a measure, a code, a list
    item's number): what is left counts, if anything does.  `patterns`: only
    these (a Thai count may ask a unit: "กี่ตัน", "กี่ชม.")."""
    if patterns is None:
        patterns = (_ANY_YEAR, _NUMBERED_DATE, _CLOCK_TIME, _DURATION, _AGE_FORM, _NOT_A_COUNT, _CODE,
                    *_WITH_UNIT.values())
    spans = [m.span() for pattern in patterns for m in pattern.finditer(text)]
    chars = list(_LIST_MARK.sub(lambda m: " " * len(m.group()), text, count=1))
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def holds_count_number(text: str) -> bool:
    """Whether `text` holds a number that counts things: "38 members", "deux
    moniteurs", "wanachama 120"; not only "£2.20", "41 %", "in 2023", "30 km/h"."""
    return has_number(_counts_only(text))


def counts_near(text: str, lang: str, terms: frozenset[str], window: int,
                spelling: tuple[int, int] | None = None) -> bool:
    """Whether a number that counts stands within `window` words of one of
    `terms` (the thing counted) in `text`: "the club now has 38 paying members",
    not "members pay £20" beside "Riverside's 2,000 households" further on."""
    from bot.knowledge.analysis import get_analyzer

    analyzer = get_analyzer(lang)
    things: list[int] = []
    numbers: list[int] = []
    for position, (kind, token) in enumerate(analyzer.segment(_counts_only(text))):
        if kind == "num" or token.casefold() in NUMBER_WORDS or _SW_AGREEING_NUMBER.fullmatch(token):
            numbers.append(position)
            continue
        term = analyzer.term(kind, token)
        if term and _names_one_of(_with_roots(frozenset({term}), lang), terms, spelling):
            things.append(position)
    return any(abs(t - n) <= window for t in things for n in numbers)


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


# Thai counts with a classifier after the number: "พนักงานกี่คน" (how many staff)
# is answered by "12 คน", "สามพันคน", not by any number ("81 ปี", "10,000 บาท"),
# or names the number right after the thing ("ถือศีลกี่ข้อ": "ศีล 8").
# Units of time (a duration, judged by `asks_duration`), money (a price) and
# โมง (the clock) are left to their own rules.
_TH_COUNTED = re.compile(rf"([\u0e00-\u0e7f]*){_TH_HOW_MANY}\s*([\u0e00-\u0e7f]+)")


@lru_cache(maxsize=256)  # read by several rules for one answer
def thai_classifier(question: str) -> tuple[str, str] | None:
    """(the thing counted, the classifier) of a Thai "how many" question: the
    last syllable of the word before กี่ (the head of a compound: ถือศีล ->
    ศีล) and the word after it ("ถือศีลกี่ข้อ" -> ศีล, ข้อ); None when it asks
    no count or counts time, money or the clock."""
    from pythainlp.tokenize import syllable_tokenize

    from bot.knowledge.analysis import get_analyzer
    from bot.knowledge.analysis.thai import ThaiAnalyzer

    match = _TH_COUNTED.search(question)
    if match is None:
        return None
    thai = get_analyzer("th")
    assert isinstance(thai, ThaiAnalyzer)
    words = thai.words
    after = words(match.group(2))
    if not after or _TH_NOT_COUNTED.match(after[0]):
        return None
    before = words(match.group(1))
    syllables = syllable_tokenize(before[-1], engine="dict") if before else []  # offline, no CRF model
    return (syllables[-1] if syllables else ""), after[0]


# Thai classifiers that count alike: times (ครั้ง, รอบ, หน: "ทอดซ้ำได้กี่รอบ" is answered
# by "ไม่เกิน 2 ครั้ง") and people (คน, the polite ท่าน; not ราย, cases, which counts
# fines or patients as often as people).
_TH_KIN_CLASSIFIERS = (("ครั้ง", "รอบ", "หน"), ("คน", "ท่าน"))
# What a Thai count does not read (`holds_count`): years, dates and codes.
_NOT_A_THAI_COUNT = (_ANY_YEAR, _NUMBERED_DATE, _CODE)


def holds_count(text: str, counted: tuple[str, str]) -> bool:
    """Whether `text` counts as asked: a number right before the classifier, or
    right after the thing counted ("ศีล 8"), or right after the word after กี่
    when that is the noun counted, its own classifier in the question ("กี่คำถาม",
    how many questions: "คำถาม 4 ข้อ").  Years, dates and codes are not read
    (`_counts_only`): the thing is a syllable, and "มีนาคม 2569" (March 2569) is
    not "คม 2569" for a question counting after ตุลาคม; a unit may be what is
    counted ("กี่ตัน", tonnes), so amounts and measures are."""
    thing, classifier = counted
    text = _counts_only(text, _NOT_A_THAI_COUNT)
    said = "|".join(map(re.escape, next((kin for kin in _TH_KIN_CLASSIFIERS if classifier in kin), (classifier,))))
    return (re.search(rf"{_TH_NUMBER_RUN}\s*(?:{said})", text) is not None
            or re.search(rf"(?:{said})\s*{_TH_NUMBER_RUN}", text) is not None
            or (bool(thing) and re.search(rf"{re.escape(thing)}\s*{_TH_NUMBER_RUN}", text) is not None))


def holds_thing(text: str, lang: str, terms: frozenset[str], spelling: tuple[int, int] | None = None) -> bool:
    """Whether `text` (in `lang`) names one of `terms` (Swahili by its root:
    "mwanachama" holds "wanachama"); with `spelling` (the misspellings bridge's
    least letters and most letters dropped), also as a term misspelt by dropped
    letters: "how many housholds" is named by "households"."""
    return _names_one_of(thing_terms(text, lang), terms, spelling)


@lru_cache(maxsize=1024)  # the same quotes and article texts are read by several rules and answers
def thing_terms(text: str, lang: str) -> frozenset[str]:
    """The index terms of `text` in `lang` as a thing's are compared (Swahili with
    its roots: "vituo" and "kituo" meet)."""
    from bot.knowledge.analysis import get_analyzer

    return _with_roots(frozenset(get_analyzer(lang).analyze(text)), lang)


def _names_one_of(held: frozenset[str], terms: frozenset[str], spelling: tuple[int, int] | None) -> bool:
    """Whether index terms `held` name one of `terms` (`holds_thing`, `counts_near`)."""
    from bot.answering.bridges import misspelling_of

    if held & terms:
        return True
    # a noun made from the thing: "membership" names "become a member"
    if any(t.startswith(term) for term in terms if len(term) >= 5 for t in held):
        return True
    return spelling is not None and any(misspelling_of(term, t, *spelling) for term in terms for t in held)


def _with_roots(terms: frozenset[str], lang: str) -> frozenset[str]:
    if lang == "fr":
        # Snowball reads a plural in -aux as one of -al ("tuyaux" -> "tuyal", "travaux"
        # -> "traval") and leaves the singular in -au ("tuyau"): either names the other
        return terms | {t[:-2] + ("au" if t.endswith("al") else "al")
                        for t in terms if len(t) >= 5 and t.endswith(("al", "au"))}
    if lang != "sw":
        return terms
    from bot.answering.bridges import swahili_roots

    return terms | {root for t in terms for root in swahili_roots(t) if len(root) >= 4}  # not "ama" ("or")


# "How many hours / days / years", "how long does it take", "combien de temps",
# "pendant combien de jours", "siku ngapi", "muda gani", "กี่วัน", "นานแค่ไหน": a
# duration.  "Saa ngapi" is left out (it asks the clock time), and so is "how
# long is" (a length as often as a time).
_TH_UNIT = "(?:ชั่วโมง|วัน|สัปดาห์|อาทิตย์|เดือน|ปี|นาที)"  # Thai units of time
_DURATION_QUESTION = re.compile(
    r"\bhow\s+many\s+(?:hours?|days?|weeks?|months?|years?|minutes?)\b"
    r"|\bhow\s+long\s+(?:does|do|did|will|would|has|have|had|can|should|must)\b"
    r"|\bcombien\s+(?:de|d['’])\s*(?:heures?|jours?|semaines?|mois|ans|années|minutes?|temps)\b"
    r"|\b(?:siku|wiki|miezi|miaka|dakika)\s+(?:mi|ma)?ngapi\b|\bmuda\s+gani\b"
    rf"|กี่{_TH_UNIT}|นานแค่ไหน|นานเท่าไ",
    re.IGNORECASE,
)
# A duration: a number (digits or a number word; here "a", "un", "moja",
# หนึ่ง count as one) next to a unit of time in one of the four languages,
# "six weeks", "2 hours 45", "deux ans", "24 h", "siku saba", "miaka mitano",
# "สี่ชั่วโมง", "30 นาที"; Swahili puts the unit first.
_UNIT = r"(?:h|hrs?|hours?|days?|weeks?|months?|years?|minutes?|mins?|heures?|jours?|semaines?|mois|ans|années?)"
_NUMBER = r"(?:\d+(?:[.,]\d+)?|an?|one|un|une|" + "|".join(
    sorted((w for w in NUMBER_WORDS if not THAI.search(w)), key=len, reverse=True)) + ")"
_SW_NUMBER = rf"(?:\d+|{_SW_CLASS}?(?:wili|{_SW_ONE_TO_TEN}))"
_TH_NUMBER_WORDS = "|".join(sorted((w for w in NUMBER_WORDS if THAI.search(w)), key=len, reverse=True))
_TH_NUMBER = rf"(?:\d+|หนึ่ง|{_TH_NUMBER_WORDS})"
_TIME_UNIT = re.compile(rf"{_UNIT}|{_SW_UNIT}", re.IGNORECASE)
# A frequency: "every hour", "tous les jours", "kila siku", "ทุกวัน", "วันละ" (the
# units of time above, and parts of the day or week).
_DAY_PART = (r"(?:mornings?|evenings?|nights?|weekends?|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
             r"|matins?|soirs?|nuits?|week-ends?|lundis?|mardis?|mercredis?|jeudis?|vendredis?|samedis?|dimanches?)")
_FREQUENCY = re.compile(
    rf"\b(?:every|each|chaque)\s+(?:other\s+|single\s+)?(?:{_UNIT}|{_DAY_PART})\b"
    rf"|\b(?:tous|toutes)\s+les\s+(?:deux\s+|\d+\s+)?(?:{_UNIT}|{_DAY_PART})\b"
    r"|\b(?:hourly|daily|nightly|weekly|fortnightly|monthly|yearly|annually|twice)\b"
    r"|\b(?:quotidien(?:ne)?s?|hebdomadaires?|mensuel(?:le)?s?|annuel(?:le)?s?|deux\s+fois)\b"
    rf"|\bkila\s+(?:{_SW_UNIT}|asubuhi|jioni|usiku|jumatatu|jumanne|jumatano|alhamisi|ijumaa|jumamosi|jumapili)\b"
    rf"|ทุก(?:{_TH_UNIT}|เช้า|เย็น|คืน)|{_TH_UNIT}ละ",
    re.IGNORECASE,
)
# What a Thai "กี่ X" counts that the counted-thing rule leaves to other rules
# (`thai_classifier`): units of time, money, the clock.
_TH_NOT_COUNTED = re.compile(rf"{_TH_UNIT}|วินาที|โมง|บาท|ทุ่ม")
_TH_NUMBER_RUN = rf"(?:\d[\d,.]*|(?:{_TH_NUMBER_WORDS}|หนึ่ง)+)"
_DURATION = re.compile(
    rf"\b{_NUMBER}(?:\s*-\s*|\s+|)(?:[^\W\d_]+\s+)?{_UNIT}\b"
    # "saa nane mchana" (2 pm), "saa 3 asubuhi" (9 am): the clock, with the part of the day
    rf"|\b{_SW_UNIT}\s+(?:[^\W\d_]+\s+)?{_SW_NUMBER}\b(?!\s+(?:za\s+)?(?:asubuhi|mchana|jioni|usiku|alasiri))"
    rf"|{_TH_NUMBER}\s*{_TH_UNIT}",
    re.IGNORECASE,
)


def asks_duration(question: str) -> bool:
    """True when the question asks how long something lasts or takes (any of fr/en/sw/th)."""
    return bool(_DURATION_QUESTION.search(question))


def has_duration(text: str) -> bool:
    """True when `text` gives a duration: a number next to a unit of time."""
    return bool(_DURATION.search(text))


# "What is the fourth question managers should ask?", "la troisième étape", "hatua
# ya tano", "คำถามข้อที่ 4", "step 3": the item of a list the question asks for, by
# its place.  Only with a word for a list's item (question, step, point, tip …):
# "the second stranger", "le second inconnu" ask for no list's item.
_ORDINALS = {  # French without its grave accent: "troisième" and "troisieme" alike
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "deuxieme": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5, "sixieme": 6,
    "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10, "pili": 2, "tatu": 3, "nne": 4, "tano": 5,
    "sita": 6, "saba": 7, "nane": 8, "tisa": 9, "kumi": 10, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6,
    "เจ็ด": 7, "แปด": 8, "เก้า": 9, "สิบ": 10,
}
_EN_ITEM = r"questions?|steps?|points?|tips?|rules?|reasons?|items?|options?|stages?|principles?|lessons?|ways?|signs?"
_FR_ITEM = (r"questions?|[ée]tapes?|points?|conseils?|r[èe]gles?|raisons?|options?|principes?|le[çc]ons?|astuces?"
            r"|pistes?|crit[èe]res?")
_SW_ITEM = r"swali|maswali|hatua|hoja|sababu|kanuni|somo|kidokezo|vidokezo|njia|jambo|mambo|chaguo"
_ITEM_QUESTION = re.compile(
    rf"\b(?P<en>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|(?:[2-9]|10)(?:nd|rd|th))"
    rf"(?:\s+and\s+(?:last|final))?(?:\s+of\s+the(?:\s+\w+)?)?\s+(?:\w+\s+)?(?:{_EN_ITEM})\b"
    rf"|\b(?P<fr>deuxi[èe]me|seconde?|troisi[èe]me|quatri[èe]me|cinqui[èe]me|sixi[èe]me|septi[èe]me|huiti[èe]me"
    rf"|neuvi[èe]me|dixi[èe]me|(?:[2-9]|10)(?:e|[èe]me))\s+(?:et\s+derni[èe]re?\s+)?(?:{_FR_ITEM})\b"
    rf"|\b(?:{_SW_ITEM})\s+(?:la|ya|cha|za|wa)\s+(?P<sw>pili|tatu|nne|tano|sita|saba|nane|tisa|kumi)\b"
    rf"|(?:คำถาม|ขั้นตอน|ข้อ|เคล็ดลับ|กฎ|เหตุผล)\s*(?:ข้อ)?\s*ที่\s*(?P<th>10|[2-9๒-๙]|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)"
    rf"|\b(?:question|step|item|rule|tip|[ée]tape|swali|hatua)\s+(?:number\s+|no\.?\s*|n°\s*|num[ée]ro\s+|namba\s+)?"
    r"(?P<digit>[2-9]|10)\b(?![.,]\d)",
    re.IGNORECASE,
)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# a list's item: a sentence that begins "3." or "3)" (Thai digits too), or is
# that number alone (the sentence splitter cuts "1. Are your rules …" after "1.")
_NUMBERED_ITEM = re.compile(r"^\s*([0-9๐-๙]{1,2})\s*[.)](?:\s|$)")


def asked_item(question: str) -> int:
    """The place in a list of the item the question asks for ("the fourth question"
    -> 4), from the second on; 0 when it asks for none."""
    match = _ITEM_QUESTION.search(question)
    if match is None:
        return 0
    word = next(v for v in match.groupdict().values() if v).casefold().translate(_THAI_DIGITS)
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else _ORDINALS.get(word.replace("è", "e"), 0)


def item_number(sentence: str) -> int:
    """The number a list's item begins with ("3. …", "3) …"), 0 for any other sentence."""
    match = _NUMBERED_ITEM.match(sentence)
    return int(match.group(1).translate(_THAI_DIGITS)) if match else 0
