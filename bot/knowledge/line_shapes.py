"""Line shapes: the lines of an article that are never quoted (headings, titles,
bylines, captions, read-also links, calls to action), told by what one line or
sentence looks like: the word lists and regexes, `line_kind`, `is_caption`,
`ends_with_colon`.  `Quotability` (knowledge/quotability.py) applies them to the
sentences of a knowledge base; a table's rows are placed by
knowledge/markdown_tables.py.

Why by shape: a knowledge folder is whatever a team drops in, so these lines
cannot be listed; they are recognised by what they look like on the page:

- a *title line*: the article's title repeated as a line of text;
- a *heading*: a line of its own, short, without a sentence end (a short
  line that is only a question, "What resources?", is a heading too) — but
  not a list item or a short data line ("- Monday: 9am-5pm", "Prix : 12 €");
- a *link line*: a line that is only a Markdown link, bulleted or not
  ("- [Résultats des championnats](/actualites/championnats)");
- a *breadcrumb*: a line of its own of page names separated by ">", "›" or
  "»" ("Accueil > Activités > École de natation", "หน้าแรก > ข่าวสหกรณ์ >
  ประกาศ"), without a sentence end;
- a *byline*: a short line of fields separated by "|" ("By … | 3 May 2024"),
  or a longer one of short fields that holds a year ("Par le service
  Communication de la mairie de … | Publié le 3 octobre 2025, mis à jour le 9
  octobre 2025"), or by "·" when it holds a year ("Mis à jour par … · 2 juin 2025");
  the separators are not words; or a short line without a sentence end that
  opens with "published" / "posted" / "publié" / "imeandikwa na" / "โพสต์"
  … ("Publié le 18 septembre par le service Vie associative"), or with "by" /
  "par" / "na" / "โดย" and holds a year ("Na Mwandishi Wetu, Bagamoyo —
  Jumanne, 11 Juni 2024");
- a *label line*: a line of its own that starts with a navigation or caption
  label and a colon ("Read also:", "Related:", "Photo:", "Photo caption:",
  "Maelezo ya picha:", "Soma pia:", "อ่านเพิ่มเติม:") — the labels are the
  generic words of web pages in the four languages, not strings of any one
  article; also, anywhere, a credit in brackets ("(Photo: …)", "(Picha: …)")
  or after "©"; and a short line of its own that holds "©" or says all rights
  are reserved ("Haki zote zimehifadhiwa © 2025 …", "สงวนลิขสิทธิ์");
- a *caption*: a line that ends with its photo's credit, after the
  description ("The former Co-op, where the hub opens on 2 March. Photo: Fiona
  Hartley", "… ภาพ: อุทยานแห่งชาติดอยผาหลวง"), or with a credit in brackets when the
  whole line is in emphasis ("*Wanachama … ghala la Isansa. (Picha: Neema
  Mwakalinga)*"); or with a credit without a colon whose name is no sentence
  ("… on Mill Lane. Photo by Hartsmere Borough Council"), in a line wholly in
  emphasis also in brackets right after the description ("*… in the games
  room (photo Claire Vautrin)*"); or a line opened by "[Photo]": the
  description is the photo's, not the article's;
- a *link list*: the items (without a sentence end) of a list right under a
  label line: the headlines under "Lire aussi :" or "Habari zinazohusiana:",
  or under a heading that says as much ("Related stories", "อ่านเพิ่มเติม");
- a *call to action*: a line of its own that asks to click, subscribe,
  follow, comment or share ("click here", "abonnez-vous", "bofya hapa",
  "กดติดตาม", "Leave a comment", "กดแชร์"); anywhere, a sentence that is only
  buttons ("[Accept] [Manage]" after a cookie notice) or asks to click a link
  ("Have a story for us? Click here to send it to the newsroom."); a page's
  feedback poll and what follows it on its line ("Was this page helpful? Yes / No");
- a table's *header row* and its rule ("| | Low season | High season |",
  "|---|---|"); the other rows of a Markdown table, outer pipes or not, are
  data ("| Dog | 2.50 € | 2.50 € |", "Dog | 2.50 € | 2.50 €") and quotable:
  the composer shows the header above such a row.

Such lines still count as context (they stay in their chunk for BM25); they
are only never the quote.  Body sentences are never affected: every rule
requires the sentence to be a whole line (paragraph) of its own, except
that a line the sentence splitter cut in parts ("Lire aussi : Pont ou
tunnel ? Le débat de 30 ans…", a Thai line cut at its spaces) is judged
whole when it opens with a label, is a byline, ends with a photo credit (a
caption), or invites to comment or share ("Envoyez-nous vos photos.
Partagez cet article…").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.core.scripts import THAI
from bot.knowledge.chunking import is_thai_paragraph

# Labels that head a list of links to other articles: a heading line that is
# one of them ("Related stories", "LIRE AUSSI", "อ่านเพิ่มเติม", no colon) opens
# a link list as "Lire aussi :" does.
READ_MORE = (
    "lire aussi", "à lire aussi", "a lire aussi", "voir aussi", "sur le même sujet",
    "read also", "read more", "see also", "related", "also read",
    "soma pia", "soma zaidi", "habari zinazohusiana", "tazama pia",
    "อ่านเพิ่มเติม", "อ่านต่อ", "อ่านข่าวที่เกี่ยวข้อง", "ข่าวที่เกี่ยวข้อง", "ที่เกี่ยวข้อง", "บทความที่เกี่ยวข้อง",
)
# Labels that open a navigation or caption line ("<label> : …").
LABELS = (
    *READ_MORE,
    # fr
    "à lire", "lire la suite",
    "partager",
    "photo", "photos", "image", "illustration", "crédit", "crédits", "légende", "vidéo", "source",
    "légende photo", "légende de la photo", "crédit photo", "crédits photo",
    "newsletter", "infolettre", "lettre d'information",
    # en
    "more", "photo credit", "caption", "share",
    "picture", "video", "credit", "credits", "photo caption", "image caption", "picture caption",
    # sw
    "picha", "video", "maelezo ya picha",
    "picha na", "shiriki", "jarida",
    # th
    "ภาพ", "ภาพประกอบ", "ที่มา", "เครดิต", "คำบรรยายภาพ", "ภาพโดย", "แชร์", "จดหมายข่าว",
)
# Words opening a byline without "|": "Published on …", "Posted by …", "Publié
# le 18 septembre par …", "Imeandikwa na …", "โพสต์โดย …" (a date or not: probe
# 29's four bylines gave the day and month, or nothing); and "by" / "par" /
# "na" / "โดย" followed by a name, on a line that holds a year ("Na Mwandishi
# Wetu, … 2024", "By Jane Doe, 3 May 2024": a capital, so that "Par ailleurs,
# en 2025 …" and "By 2030 …" are not).
BYLINE_OPENERS = ("published", "posted", "updated", "written by", "publié", "publiée", "mis à jour",
                  "écrit par", "rédigé par", "rédigée par", "imechapishwa", "iliyochapishwa", "imeandikwa na",
                  "iliyoandikwa na", "เผยแพร่", "อัปเดต", "โพสต์", "เขียนโดย")
BYLINE_NAME_OPENERS = ("by", "par", "na", "โดย")
# Calls to action: a line of its own containing one of these is navigation.
# Invitations to comment or share ("Leave a comment", "Share this story",
# "Tuandikie maoni yako…", "กดไลก์และแชร์…"): never informative, so they make
# their whole line an action even when it holds other sentences.  (A site
# notice such as "This site uses Akismet to reduce spam.", or instructions
# on how to post a comment, say something about the site and may be asked
# about: they stay quotable.)
TEMPLATES = (
    "laisser un commentaire", "laissez un commentaire", "publier un commentaire", "enregistrer un commentaire",
    "partagez cet article", "partagez ce communiqué", "partagez cette page", "partagez cette information",
    "partagez-le", "partagez-la", "suivez-nous", "en commentaire", "en commentaires", "dans les commentaires",
    "leave a comment", "leave a reply", "post a comment", "share this article", "share this story",
    "share this post", "share this page", "share this news",
    "share it with", "follow us on", "in the comments", "comment below", "comments below", "join the conversation",
    "tuandikie", "tushirikishe maoni", "shiriki habari hii", "shiriki taarifa hii", "andika maoni yako",
    "toa maoni yako", "ujiandikishe kupokea habari", "je m'abonne", "m'abonner",
    "partager cet article", "partager cette page", "fuata ukurasa wetu", "penda ukurasa wetu",
    "jiunge na chaneli yetu", "jiunge nasi", "ติดตามข่าวสาร",
    "maoni yako hapa chini", "tufuatilie",
    "กดไลก์", "กดแชร์", "แชร์บทความนี้", "แสดงความคิดเห็น", "บอกเราในคอมเมนต์", "ในช่องคอมเมนต์",
)
# A link to click ("Click here to send it to the newsroom.", "…, cliquez ici."):
# a reply cannot carry the link, so a sentence that holds one is never the quote,
# also on a line with other sentences ("Have a story for us? Click here …").
CLICKS = ("cliquez ici", "cliquer ici", "click here", "bofya hapa", "คลิกที่นี่")
ACTIONS = (
    "abonnez-vous", "abonnez vous", "inscrivez-vous à notre", "newsletter",
    "subscribe", "sign up for our", "sign up to our", "follow us",
    "jiandikishe", "kujiandikisha", "tufuate", "jiunge na jarida", "jarida letu",
    "กดติดตาม", "สมัครรับ", "ติดตามเรา", "แชร์เพจ",
    *CLICKS, *TEMPLATES,
)
# Site notices: what a blog or CMS prints about the site itself and its comment
# form, in the four languages ("This site uses Akismet to reduce spam.", "Learn
# how your comment data is processed.", "Votre adresse e-mail ne sera pas
# publiée.", "Envie de réagir ?").  Quotable (someone may ask what Akismet is
# for), but close in meaning to every question about comments or reviews and to
# no question in particular: retrieval scores them down
# (`scoring.site_notice_factor`).
SITE_NOTICES = re.compile(
    r"\b(?:this|our)\s+(?:web\s*)?site\s+uses\b|\bce\s+site\s+(?:web\s+|internet\s+)?utilise\b"
    r"|\btovuti\s+hii\s+inatumia\b|เว็บไซต์นี้(?:มีการ)?ใช้"
    r"|\bcomment\s+data\b|\bdonn[ée]es\s+de\s+vos\s+commentaires\b|\bmaoni\s+yako\s+yanasindika"
    r"|\bemail\s+address\s+will\s+not\s+be\s+published"
    r"|\badresse\s+(?:e-?mail|de\s+messagerie|courriel)\s+ne\s+sera\s+pas\s+publi"
    r"|\bbarua\s+pepe\s+yako\s+haitachapishwa|อีเมลของคุณจะไม่แสดง"
    r"|\brequired\s+fields\s+are\s+marked|\bchamps\s+obligatoires\s+sont\s+indiqu"
    r"|\benvie\s+de\s+r[ée]agir\b|\bcomments\s+are\s+closed\b|\bcommentaires\s+sont\s+(?:ferm|clos)"
    r"|\b(?:we|nous)\s+(?:use|utilisons)\s+(?:des\s+)?cookies\b|\btunatumia\s+vidakuzi\b|ใช้คุกกี้",
    re.IGNORECASE,
)
# An invitation makes its whole line an action only on a line this short: a
# line that invites is a sentence or two ("Have you bought shares? Tell us why
# in the comments below."); a body paragraph that mentions comments is longer.
INVITE_LINE_MAX_WORDS = 40
INVITE_LINE_MAX_THAI_CHARS = 250
HEADING_MAX_WORDS = 8  # a line of its own this short, without a sentence end, is a heading
QUESTION_HEADING_MAX_WORDS = 5  # ... and a short question alone on its line ("Quels moyens ?")
BYLINE_MAX_WORDS = 20
BYLINE_FIELD_MAX_WORDS = 12  # ... or a dated line of "|" fields each this short
THAI_HEADING_MAX_CHARS = 30  # Thai has no sentence punctuation: a short line of its own
THAI_BYLINE_MAX_CHARS = 80  # ... and a Thai line opened by "โดย " is a byline only this short
_SENTENCE_END = re.compile(r"[.!…。]+[\"»”’)\]]*\s*$")
#: a colon, ASCII or full-width: a line ending with one announces what follows
COLONS = (":", "：")


def ends_with_colon(text: str) -> bool:
    """Whether `text` announces what follows ("voici la marche à suivre :")."""
    return text.rstrip().endswith(COLONS)


_LABEL = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]")
_LINK_LINE = re.compile(r"^\s*(?:[-*•–·]\s+|\d{1,3}[.)]\s+)?\[[^\]]+\]\([^)\s]*\)\s*$")  # "- [Title](/url)"
_CRUMB = re.compile(r"(?<!\d)\s[>›»]\s(?!\d)")  # between a breadcrumb's page names (not "5 > 3")
_MIDDOT = re.compile(r"\s·\s")  # a byline's field separator, like "|"
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–·]\s+|\d{1,3}[.)]\s+)")
_BULLET = re.compile(r"^\s*[-*•–·]\s+")  # a list of links is bulleted, not numbered
_DIGIT = re.compile(r"\d")
_RIGHTS = re.compile(r"©|\ball\s+rights\s+reserved\b|\btous\s+droits\s+r[ée]serv[ée]s\b"
                     r"|\bhaki\s+zote\s+zimehifadhiwa\b|สงวนลิขสิทธิ์", re.IGNORECASE)  # a site's footer
_BUTTON_RUN = r"(?:\[[^\[\]\n]{1,30}\]\s*)+$"  # "[Accept] [Manage]" to the end
_BUTTONS = re.compile(r"^\s*" + _BUTTON_RUN)  # a sentence that is only buttons
_BUTTONS_IN = re.compile(r"(?m)(?:^|[.!?]\s+)" + _BUTTON_RUN)  # ... somewhere in an article
_YEAR = re.compile(r"(?<!\d)(?:19|20|25)\d\d(?!\d)")  # 25xx: the Thai (Buddhist) era
# A page's feedback poll: a short question, then its answers as options to pick
# ("Was this page helpful? Yes / No", "Cet article vous a-t-il aidé ? Oui / Non").
_POLL_OPTIONS = r"[^\W\d_]+(?:\s*/\s*[^\W\d_]+){1,3}(?:[.!]|\s|$)"
_POLL = re.compile(r"^\s*[^?\n]{1,80}\?\s+" + _POLL_OPTIONS)
_POLL_IN = re.compile(r"(?m)^[^?\n]{1,80}\?\s+" + _POLL_OPTIONS)  # ... somewhere in an article
_POLL_PART = re.compile(r"^\s*" + _POLL_OPTIONS)  # ... its answers, a sentence of the line
# a credit in brackets, anywhere: "(Photo: Harbridge Chess Club)", "(Picha: Rehema M.)"
_BRACKETED_LABEL = re.compile(r"^\s*[(\[]\s*([^:：)\]]{1,40}?)\s*[:：][^)\]]*[)\]]\s*$")
# where such a credit may open a sentence (an article without one needs no look)
_BRACKET_OPENING = re.compile(r"(?:^|[\s.!?…])[(\[][^:：)\]]{1,40}?[:：]")
# A caption: a line that ends with the photo's credit ("… opens on 2 March. Photo:
# Fiona Hartley", "… kwa Dkt. Neema Lyimo. Picha: Mwandishi Wetu*", "… จนถึงสิ้นเดือน
# ตุลาคม ภาพ: อุทยานแห่งชาติดอยผาหลวง"), its own sentence after the description; or,
# in brackets, at the end of a line wholly in emphasis ("*Wanachama … Isansa.
# (Picha: Neema Mwakalinga)*").  A bracketed credit at the end of a plain
# paragraph ends a body text, whose sentences stay quotable.
_CREDIT_LATIN = r"photo\s+credits?|cr[ée]dits?\s+photos?|photos?|pictures?|images?|credits?|cr[ée]dits?|picha(?:\s+na)?"
_CREDIT_THAI = "ภาพโดย|ภาพประกอบ|ภาพ|เครดิต"
_CREDIT_NAME = r"[^!?…:：\n()\[\]]{1,60}?"  # the credited name: short ("J. Smith", "ทต.บ้านหว้า")
_CLOSERS = r"[\s*_]*$"  # emphasis closing the caption's line
_CAPTION_END = re.compile(
    rf"(?:(?:^|[.!?…][\"»”’]*\s+)(?i:{_CREDIT_LATIN})|(?:^|\s)(?:{_CREDIT_THAI}))\s*[:：]\s*{_CREDIT_NAME}{_CLOSERS}",
    re.MULTILINE)  # (multiline: quotable_all looks for one in a whole article)
_BRACKETED_CREDIT_END = re.compile(
    rf"(?:^|[.!?…][\"»”’]*\s+)[(\[]\s*(?:(?i:{_CREDIT_LATIN})|{_CREDIT_THAI})\s*[:：]\s*{_CREDIT_NAME}[)\]]{_CLOSERS}")
_EMPHASIS_LINE = re.compile(r"^\s*([*_]).*\1\s*$", re.DOTALL)
# ... or, on any line, after the description's sentence without a colon, the
# credited name capitalised and not a sentence ("… à Foncine-le-Haut. Photo
# Haut-Jura Arcade", "… on Mill Lane. Photo by Hartsmere Borough Council");
# a last sentence "Photo Club members meet on Tuesdays." ends like a sentence.
_PLAIN_CREDIT_END = re.compile(
    rf"(?:^|[.!?…][\"»”’]*\s+)(?i:{_CREDIT_LATIN})(?:\s+(?i:by|de|par))?\s+(?=[A-ZÀ-ÖØ-Þ\d])"
    rf"[^.!?…:：\n()\[\]]{{1,60}}(?<=[^\W_]){_CLOSERS}", re.MULTILINE)
# ... or a line opened by a bracketed label ("[Photo] Le chef et son équipe …").
_CAPTION_OPENER = re.compile(rf"^\s*\[\s*(?:(?i:{_CREDIT_LATIN})|{_CREDIT_THAI})\s*\]", re.MULTILINE)
# A line wholly in emphasis is a caption's shape, so its credit may be written
# more loosely: in brackets right after the description, with or without a colon
# ("*… in the games room (photo Claire Vautrin)*", "*… siku ya ufunguzi (picha:
# Nguvu Safi Mobility)*"), or after the description's sentence without a colon,
# the credited name capitalised ("*… à toute heure. Photo N. B.*").
_EMPHASIS_CREDIT_END = re.compile(
    rf"(?:\s[(\[]\s*(?:(?i:{_CREDIT_LATIN})|{_CREDIT_THAI})\s*[:：]?\s*{_CREDIT_NAME}[)\]]"
    rf"|(?:^|[.!?…][\"»”’]*\s+)(?i:{_CREDIT_LATIN})\s+(?=[A-ZÀ-ÖØ-Þ\d]){_CREDIT_NAME}){_CLOSERS}",
    re.MULTILINE)  # (multiline: quotable_all looks for one in a whole article)


def is_caption(line: str) -> bool:
    """Whether a line is a photo caption: it ends with the credit (see _CAPTION_END),
    or without a colon (_PLAIN_CREDIT_END), or, wholly in emphasis, with a credit
    written more loosely (_EMPHASIS_CREDIT_END); or it opens with "[Photo]"."""
    return (_CAPTION_END.search(line) is not None or _PLAIN_CREDIT_END.search(line) is not None
            or _CAPTION_OPENER.match(line) is not None
            or (_EMPHASIS_LINE.match(line) is not None
                and (_BRACKETED_CREDIT_END.search(line) is not None or _EMPHASIS_CREDIT_END.search(line) is not None)))


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    """Casefolded words of `text` joined by single spaces.  Cached: an article's
    title and each line cut in several sentences are folded once, not per
    sentence (most of quotable_all's time at 1,500 articles)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return _NON_WORD.sub(" ", text).strip()


_NON_WORD = re.compile(r"[\W_]+")


_LABELS = frozenset(_fold(x) for x in LABELS)
_READ_MORE = tuple(_fold(x) for x in READ_MORE)
_BYLINE_OPENERS = tuple(_fold(x) + " " for x in BYLINE_OPENERS)
_BYLINE_NAME = re.compile(rf"^\s*(?i:{'|'.join(BYLINE_NAME_OPENERS)})\s+(?:[A-ZÀ-ÖØ-Þ]|{THAI.pattern})")
_ACTIONS = tuple(_fold(x) for x in ACTIONS)
_TEMPLATES = tuple(_fold(x) for x in TEMPLATES)
_CLICKS = tuple(_fold(x) for x in CLICKS)
# prefilter of every call to action (templates and clicks among them) over lowercased raw text:
# quotable_all runs it over every article, and a line holding one is judged part by part
_ANY_ACTION = re.compile("|".join(re.escape(x.lower()) for x in ACTIONS))


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether folded `phrases` occur in `text` as whole words (anywhere in Thai,
    written without spaces between words)."""
    folded = _fold(text)
    padded = f" {folded} "
    return any((a in folded) if THAI.search(a) else (f" {a} " in padded) for a in phrases)


def _short_line(line: str) -> bool:
    """Whether a line is short enough to be an invitation as a whole."""
    if is_thai_paragraph(line):
        return len(line) <= INVITE_LINE_MAX_THAI_CHARS
    return len(line.split()) <= INVITE_LINE_MAX_WORDS


def line_kind(text: str, title: str = "", alone: bool = True, first_line: bool = False, line: str = "") -> str:
    """'' for a quotable sentence, else why not: title, heading, byline, label, action
    (Quotability adds link: an item of a list under a label line).

    `alone`: the sentence is its paragraph's only sentence (a line of its own);
    `line`: the whole line it belongs to (the title may be split into sentences).
    """
    folded = _fold(text)
    if not folded:
        return "heading"
    if title:
        ftitle, fline = _fold(title), _fold(line or text)
        if folded == ftitle or fline == ftitle or (first_line and ftitle.startswith(fline)):
            return "title"
    bracketed = _BRACKETED_LABEL.match(text)
    if (bracketed and _fold(bracketed.group(1)) in _LABELS) or text.lstrip().startswith("©"):
        return "label"
    if _BUTTONS.match(text):
        return "action"
    if not alone:  # (a line of its own is judged whole below, a link to click among the actions)
        return "action" if _has_phrase(text, _CLICKS) else ""
    if text.lstrip().startswith(("#", "![")):
        return "heading" if text.lstrip().startswith("#") else "label"
    words = text.split()
    thai = len(THAI.findall(text)) > len(text) * 0.3
    stripped = text.rstrip()
    unended = not _SENTENCE_END.search(stripped)
    if _RIGHTS.search(text) and len(words) <= BYLINE_MAX_WORDS:
        return "label"
    year = _YEAR.search(text) is not None
    if "|" in text and (sum(w != "|" for w in words) <= BYLINE_MAX_WORDS
                        or (unended and year
                            and all(len(f.split()) <= BYLINE_FIELD_MAX_WORDS for f in text.split("|")))):
        return "byline"
    if _LINK_LINE.match(text):
        return "link"
    crumbs = len(_CRUMB.findall(text))
    if crumbs >= 2 and unended and len(words) <= BYLINE_MAX_WORDS + 2 * crumbs:
        return "link"
    if unended and len(words) <= BYLINE_MAX_WORDS and year and _MIDDOT.search(text):
        return "byline"
    # a byline's dates and times are fields, not words ("publié le 3 mars 2025 à 8 h 15,
    # mis à jour le 4 mars 2025 à 17 h 40"): only words of two letters or more count
    prose = sum(1 for w in words if sum(ch.isalpha() for ch in w) >= 2)
    if (unended and prose <= BYLINE_MAX_WORDS and (not thai or len(text) <= THAI_BYLINE_MAX_CHARS)
            and ((folded + " ").startswith(_BYLINE_OPENERS)
                 or (year and _BYLINE_NAME.match(text)))):
        return "byline"
    label = _LABEL.match(text)
    if label and _fold(label.group(1)) in _LABELS:
        return "label"
    if _has_phrase(text, _ACTIONS):
        return "action"
    # A list item ("- Monday: 9am-5pm", "2) Fill in the form") or a short data
    # line ("Lundi : 9 h - 17 h", "Price: 12 €") says something: not a heading.
    if _LIST_ITEM.match(text) or (_DIGIT.search(text) and any(c in text for c in COLONS)):
        return ""
    if thai:
        return "heading" if len(text) <= THAI_HEADING_MAX_CHARS else ""
    if stripped.endswith(("?", "？")):
        return "heading" if len(words) <= QUESTION_HEADING_MAX_WORDS else ""
    # a line ending with a colon announces what follows: a sentence when it
    # says something ("We have a few options:"), a label when it is one or two words
    ends = not unended or (ends_with_colon(stripped) and len(words) > 3)
    if not ends and len(words) <= HEADING_MAX_WORDS:
        return "heading"
    return ""


# What may make a line unquotable in any of its parts (quotable_all): an article
# holding none of these needs no look at its lines' parts.
_SUSPECT_IN_ARTICLE = (_RIGHTS, _CRUMB, _BUTTONS_IN, _MIDDOT, _BRACKET_OPENING, _CAPTION_END, _EMPHASIS_CREDIT_END,
                       _PLAIN_CREDIT_END, _CAPTION_OPENER, _POLL_IN)
_SUSPECT_SEARCHED = (_CRUMB, _MIDDOT, _RIGHTS, _CAPTION_END, _BRACKETED_CREDIT_END, _EMPHASIS_CREDIT_END,
                     _PLAIN_CREDIT_END)  # ... and in a part, anywhere in it
_SUSPECT_OPENING = (_BRACKETED_LABEL, _BUTTONS, _POLL_PART, _CAPTION_OPENER)  # ... or at its start


def _suspect_article(text: str) -> bool:
    """Whether an article holds anything that may make one of its lines unquotable."""
    return "|" in text or _ANY_ACTION.search(text.lower()) is not None or any(
        p.search(text) is not None for p in _SUSPECT_IN_ARTICLE)


def _suspect_part(text: str) -> bool:
    """Whether one part (sentence) of a line may make the whole line unquotable."""
    return "|" in text or _ANY_ACTION.search(text.lower()) is not None or any(
        p.search(text) is not None for p in _SUSPECT_SEARCHED) or any(p.match(text) is not None
                                                                         for p in _SUSPECT_OPENING)
