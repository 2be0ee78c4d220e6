"""Why a question is declined: the one place that decides, and says why.

Why not a BM25 threshold alone: a raw BM25 score means different things in
different folders (the same 4.7 declined the right answers in one folder and
answered 7 of 9 off-topic questions in another).  With embeddings on, the
evidence is judged by a logistic model over scale-free signals of the
judged sentence, fitted once on every folder we have pooled (never per
folder; the `decline:` group of config/settings.yaml says on what):

- its ordinary share: the share of a fixed bank of everyday questions that
  come less close to this folder than the question comes to the sentence
  (answering/baseline.py).  The raw cosine is not used: the same value means
  more in a folder of short news sentences than in one of long essays, so
  a weight on it declined new folders' paraphrases and answered their
  near-miss off-topic questions;
- the share of the question's idf mass the sentence itself holds (a share,
  whatever the folder's size; the chunk's share was weaker);
- whether it is in another language than the question (e5 cosines across
  languages run lower for the same relevance, so the bar is lower there),
  and whether that language is written in another script (a Thai sentence
  for a question in Latin letters, or the other way: 0.05-0.10 lower again).

More features (the raw cosine beside the share, BM25 relative to the best
score the question could reach, the chunk's coverage, the rarest question
word the chunk lacks, the article's top cosines, the folder's top-10 cosines)
were measured (bench/decision_fit.py, leave-one-folder-out over 17 folders)
and added nothing held out, so they are left out; docs/quality.md has the
numbers.  Lexical only (no embeddings), the thresholds of `decline:` apply.
A name or keyword alone that the judged sentence holds as written is answered
whatever the model says (`is_keyword_search`).

Every decline has a short stable reason word that `bot ask --json` prints
as `"reason"` and the REPL's /why explains.  They are all defined here and
each is explained below, whichever module gives it: the evidence is judged
here, what a question asks for (most `needs_…`) in
answering/answer_type_rules.py, and the question's names
(answering/question_names.py) in answering/composer.py:

- `no_match`: nothing related: no sentence shares a word (or a bridged
  term) with the question, and none is close in meaning;
- `weak_evidence`: related sentences, not enough to quote;
- `needs_number`: a "how many / how much" question none of whose first quotes
  holds a number (answer_types/numbers.py and measures.py), or a "how many" question counting
  things or people none of whose first quotes holds a number that counts (not
  an amount, a percentage, a year, a date, a time, a duration, a measure or an age),
  or one asking a measure in a unit ("how many litres") none of whose first quotes
  gives a number with a unit of that measure;
- `needs_price`: a "how much does it cost" question none of whose first
  quotes holds an amount of money (or says it is free);
- `needs_share`: a "what percentage / share of" question none of whose
  first quotes gives a percentage or a fraction;
- `needs_thing`: such a question that names what it counts or prices, whose
  first quotes with a number are all in its language and none names it (for a
  count, none holds a count within a few words of it); or
  one after what someone is paid none of whose quotes (all in its language)
  tells a pay;
- `needs_duration`: a "how long / how many hours, days …" question none of
  whose first quotes gives a duration (a number next to a unit of time);
- `needs_name`: a "what is it called" (or "what is the title"), "which
  company" (or "which film") or "who is the chairman" question none of whose
  first quotes holds a proper name (other than the question's own), or a
  "what is the name of the hotel" question whose quotes with a name are all
  in its language and none names the hotel, or a "who is the chairman"
  question whose quotes with a name are all in its language and none names
  the role, or a "who won" question none of whose quotes with a name says
  someone won;
- `needs_year`: an "in what year" question none of whose first quotes holds
  a year (for the year something was founded, built or opened, a year beside
  such a word);
- `needs_age`: a "how old" question none of whose first quotes states an age
  (a number with an age word or unit, or a year of birth or building);
- `needs_hours`: a question after opening hours or a time of day ("what
  time", "à quelle heure", "saa ngapi", "กี่โมง"; not one asking when a
  schedule was set) none of whose quotes, the weaker ones included, holds a
  clock time;
- `needs_contact`: a question after an e-mail address, a phone number or a
  website none of whose first quotes holds one;
- `needs_item`: a question after the n-th item of a list ("the fourth
  question managers should ask", "la troisième étape", "คำถามข้อที่ 4") whose
  first quote's article numbers a list ("1. …", "2) …") that stops before it
  (answering/composer.py);
- `unknown_name`: the question names something (a capitalised word, not the
  first of a sentence, `question_names`) that no article of the folder
  mentions, in any language, and the first quote is written in the name's
  script: whatever it says is about something else ("When will the new bus
  station in Gairo open?" over a folder about Kibaigwa's).  A sentence in
  another script may write the name its own way (a Thai article's "ลำปาง" for
  "Lampang"), so it is not judged by this.  A year the question is about
  ("en 2023", "ปี 2566") counts as a name, against the years the articles
  write (answering/composer.py);
- `name_elsewhere`: the question names something other articles mention, and
  none of the quotes scoring close to the first is from one of them (in the
  name's script): "How much does Bitwise spend on podcast ads per customer?"
  is not answered by another article's podcast figures;
- `other_language`: no passage to quote, and the question is mostly written
  in a script none of the served languages (`languages` in the settings) uses
  (Cyrillic, Arabic, Chinese ...; core/scripts.py's `in_unread_script`):
  "nothing found" would not be true, the bot could not read it; the reply
  names the languages it reads;
- `greeting`: a greeting, thanks or "what do you know?", answered with what
  the bot does or knows (answering/conversation.py);
- `empty_question`: nothing to answer;
- `error`: answering raised (logged with its traceback).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from bot.answering.retrieval import Hit
from bot.core.config import DeclineSettings
from bot.core.scripts import other_scripts

NO_MATCH = "no_match"
WEAK_EVIDENCE = "weak_evidence"
NEEDS_NUMBER = "needs_number"
NEEDS_NAME = "needs_name"
NEEDS_PRICE = "needs_price"
NEEDS_CONTACT = "needs_contact"
NEEDS_THING = "needs_thing"
NEEDS_DURATION = "needs_duration"
NEEDS_YEAR = "needs_year"
NEEDS_AGE = "needs_age"
NEEDS_HOURS = "needs_hours"
NEEDS_SHARE = "needs_share"
NEEDS_ITEM = "needs_item"
UNKNOWN_NAME = "unknown_name"
NAME_ELSEWHERE = "name_elsewhere"
GREETING = "greeting"
EMPTY_QUESTION = "empty_question"
OTHER_LANGUAGE = "other_language"
ERROR = "error"  # answering failed (logged); the person gets the polite decline
# Declines whose reply says why (the composer's `decline`): passages close enough to
# quote were found, but none holds the number, share, price, name, time or contact
# the question asks for, or none is from an article naming what the question names,
# or the article's list stops before the item asked for.
SAYS_WHY = frozenset({NEEDS_NUMBER, NEEDS_PRICE, NEEDS_NAME, NEEDS_CONTACT, NEEDS_THING, NEEDS_DURATION,
                      NEEDS_YEAR, NEEDS_AGE, NEEDS_HOURS, NEEDS_SHARE, NEEDS_ITEM, UNKNOWN_NAME,
                      NAME_ELSEWHERE})


@dataclass(frozen=True)
class Verdict:
    """Whether to answer; when not, the reason word."""

    answer: bool
    reason: str = ""
    sure: bool = True  # answered on evidence the model rates at least `model_sure`


ANSWER = Verdict(True)


def answer_probability(hit: Hit, settings: DeclineSettings, user_lang: str = "", named: bool = False) -> float:
    """P(the best sentence answers the question), by the fitted logistic model.
    `named`: the question writes names and the sentence's article (or a version
    of it) holds every one: across scripts that is the names bridge having found
    the article ("Lampang" in ลำปาง), which the cosine does not show."""
    cross = 1.0 if user_lang and hit.query_lang != user_lang else 0.0
    script = 1.0 if cross and other_scripts(user_lang, hit.query_lang) else 0.0
    z = (settings.model_bias + settings.model_ordinary * hit.ordinary_share
         + settings.model_coverage * hit.sentence_coverage + settings.model_cross_language * cross
         + settings.model_cross_script * script + settings.model_cross_script_named * script * named)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def judge_evidence(hits: list[Hit], settings: DeclineSettings, embedded: bool = False,
                   user_lang: str = "", judged: Hit | None = None, words: int = 0,
                   named: Callable[[Hit], bool] | None = None) -> Verdict:
    """Strong enough evidence to quote at all: the model when the hits carry
    cosines (`embedded`), else the `decline:` thresholds.  `judged`: the hit
    the model judges when it is not the first (`Retriever.rank`'s, the best of
    the fusion without latent terms and language offset); `words`: how many
    words of the question its language looked for (a keyword search when few,
    `keyword_words`); `named`: whether a hit's article holds every name the
    question writes (`answer_probability`)."""
    if not hits:
        return Verdict(False, NO_MATCH)
    top = judged or hits[0]
    if embedded:
        if top.bm25 <= 0 and top.cosine < settings.no_match_cosine:
            # Declined either way (without a shared word the model gives such a
            # cosine less than the threshold); the reason is no_match only when no
            # hit shares a word with the question: a judged hit without one, ranked
            # above lexical hits for its cosine, is weak evidence, not "nothing related".
            related = any(h.bm25 > 0 for h in hits)
            return Verdict(False, WEAK_EVIDENCE if related else NO_MATCH)
        if is_keyword_search(top, words, settings):
            return ANSWER
        p = answer_probability(top, settings, user_lang, named is not None and named(top))
        if p < settings.model_threshold:
            return Verdict(False, WEAK_EVIDENCE)
        # Between the threshold and `model_sure` the first quote is right for
        # only a quarter to a half of the questions (config/settings.yaml): the
        # reply says so instead of presenting the quote as the answer.
        return ANSWER if p >= settings.model_sure else Verdict(True, sure=False)
    if (top.score >= settings.min_score and top.coverage >= settings.min_coverage
            and top.sentence_score >= settings.min_sentence_score):
        return ANSWER
    # A raw BM25 score means less in a small folder (few documents, low idf): a
    # sentence holding most of the question's idf mass answers there too.
    if top.sentence_coverage >= settings.min_sentence_coverage:
        return ANSWER
    return Verdict(False, WEAK_EVIDENCE)


def is_keyword_search(hit: Hit, words: int, settings: DeclineSettings) -> bool:
    """Whether the question is a name or keyword alone ("Brumbarger", "Ron",
    "5 étoiles") that `hit`'s sentence holds every word of, as written: the
    sentences holding it are what was asked for (issue 13: "a name or keyword
    alone gets the sentences about it").  The model judges questions by how
    close their meaning comes to a sentence, and a bare name comes close to
    none: the sentence says much more than the name.  A word met only through
    a bridge (a translation, a synonym) does not count: "tell" met "tellement"."""
    return (0 < words <= settings.keyword_words and hit.sentence_coverage >= 1.0 - 1e-9
            and bool(hit.via) and not any(hit.via.values()))

