"""Roles, makers and winners: does a question ask who holds a role ("who is the
chairman", "qui préside"), who made a thing or who won, and does a passage
name that role, say who made it or say that someone won.

A person's name answers "who is the treasurer" only beside the role asked,
"who won" only beside a word of winning (a tournament's date and venue name
no winner).
"""

from __future__ import annotations

import re

from bot.core.scripts import THAI

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
# in any language, answer_type_rules.judge_answer_type).
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
