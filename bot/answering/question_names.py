"""The names a question writes, and which sentences can be judged by them.

A name is what a near miss most often changes: another town ("Gairo" for
"Kibaigwa"), another brand, another person.  The articles that hold the
question's names say which article answers, and a question naming what no
article mentions is about something else (`unknown_name`, `name_elsewhere`:
answering/decision.py says why, answering/composer.py decides).  Names are
read by their shape, a capital inside a sentence (`question_names`).  A
sentence in another script than a name's may spell it its own way, so it is
not judged by it (`judged_by_script`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.answering.answer_types.dates import is_day_or_month
from bot.answering.answer_types.sentences import begins_sentence
from bot.answering.named_language import is_language_name
from bot.answering.query import QueryAnalysis
from bot.core.scripts import letter_scripts, scripts_of
from bot.knowledge.analysis import stopwords_of

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A question with this many of its language's stop words capitalised inside a
# sentence is written in Title Case (`question_names`); one alone may begin a
# name ("Le Mans", "The Hague").  No question of our sets is (checked over all
# 4,725: none has two).
TITLE_CASE_STOP_WORDS = 2
_ALWAYS_CAPITAL = re.compile(r"I(?:['’](?:m|ve|ll|d))?")  # English "I", "I'm": capitalised anywhere


@dataclass(frozen=True)
class QuestionName:
    """A name a question writes (`question_names`)."""

    position: int  # in each of the question's `QueryAnalysis.words` lists
    surface: str  # as written
    is_word: bool  # a dictionary or thesaurus of the question's language knows it as a word


def question_names(question: str, query: QueryAnalysis, is_word: Callable[[str, str], bool],
                   languages: Iterable[str]) -> list[QuestionName]:
    """The names the question writes, and whether a dictionary or thesaurus of
    the question's language knows each as a word (`is_word(word, lang)`): words written
    with a capital (not the first of a sentence, where any word is), of three
    letters or more.  Not a weekday or a month, a language's name ("makala ya
    Kithai"), a stop word of a served language (`languages`: "Les Tilleuls" in a
    Swahili question) nor an acronym, which often stands for common words
    ("PDG", "CEO").  A name is what a near miss most often changes: another town
    ("Gairo" for "Kibaigwa"), another brand, another person; the articles that
    hold it say which article answers.  A name made of words ("Chœur des
    Tilleuls", "Ban Na", "Church Street") says so only where the folder uses
    them: unused, they are words a paraphrase may well not share.  A question
    written in Title Case ("When Does The Bus Station Open In Gairo?": two of its
    own language's stop words capitalised inside a sentence) has no names by this
    shape: its capitals are style."""
    starts = {m.group(0) for m in _WORD.finditer(question) if begins_sentence(question, m.start())}
    own = stopwords_of(query.lang)
    styled = {w for w in _WORD.findall(question) if w[:1].isupper() and w not in starts and w.casefold() in own
              and not _ALWAYS_CAPITAL.fullmatch(w)}
    if len(styled) >= TITLE_CASE_STOP_WORDS:
        return []
    words = next(iter(query.words.values()), [])
    out: list[QuestionName] = []
    seen: set[str] = set()
    for i, word in enumerate(words):
        surface = word.surface
        if (len(surface) < 3 or not surface[:1].isupper() or not surface.replace("-", "").isalpha()
                or surface.isupper() or surface in starts or surface in seen or is_language_name(surface)
                or is_day_or_month(surface) or any(surface.casefold() in stopwords_of(lang) for lang in languages)):
            continue
        seen.add(surface)
        out.append(QuestionName(i, surface, is_word(surface, query.lang)))
    return out


def judged_by_script(sentence_lang: str, name: str) -> bool:
    """Whether a sentence in `sentence_lang` can be judged by whether it holds
    `name`: it is written in the name's script (a Thai sentence may spell
    "Lampang" its own way, "ลำปาง", which the names bridge may not find)."""
    return set(letter_scripts(name)) <= set(scripts_of(sentence_lang))

