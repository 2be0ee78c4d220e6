"""Chat spelling read as plain words before a question is searched.

People type questions the way they chat: "wat r the hours", "c koi le levain",
"kambi inaanza saa ngap", "ได้ป่าวคะ".  The articles are written out in full,
so those words match nothing in BM25, the bridges' dictionaries do not know
them, and the sentence embedding reads "koi" as something else than "quoi".
Each language has a table of such spellings (`bot/data/chat_speak/<lang>.tsv`:
spellings that are not words of the language themselves, with their plain
form; an empty plain form drops the word, as for laughter), and letters
stretched for emphasis ("sooo", "มากกกก") are shortened.

Only whole words are replaced (Latin words between spaces or punctuation,
never inside "c'est" or "peut-être"; Thai words as the Thai segmenter cuts
them), so a table entry never changes part of another word; a word in
capitals is left alone ("CB", carte bancaire, is not "cb", combien).  Quotes are
never touched: this reads the question, the answer stays verbatim.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from bot.core.scripts import THAI_LETTERS, THAI_RUN

# a run of letters or digits that is a whole word: not glued to an apostrophe or
# a hyphen ("c" in "c'est", "peut" in "peut-être"); "w/" and "w/o" end in a slash
_WORD = re.compile(r"(?<![\w'’\-/])(?:[^\W_]+(?:/[^\W_]*)?)(?![\w'’\-/])")
# the same letter three times or more: stretched for emphasis
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
# Thai laughter: "555" (ห้า, "ha") written right after a word ("ลืมเอาถุงมา555")
# or closing the message; a number is set apart by spaces ("ราคา 555 บาท")
_THAI_LAUGH = re.compile(rf"(?:(?<=[{THAI_LETTERS}])|(?<=\s))5{{3,}}(?=[\s!?.]*$)|(?<=[{THAI_LETTERS}])5{{3,}}(?!\d)")


@cache
def table(lang: str) -> dict[str, str]:
    """The language's chat spellings (casefolded) and their plain forms; {} when it has none."""
    resource = resources.files("bot.data").joinpath("chat_speak", f"{lang}.tsv")
    if not resource.is_file():
        return {}
    out: dict[str, str] = {}
    for line in resource.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spelling, _, plain = line.partition("\t")
        out[spelling.strip().casefold()] = plain.strip()
    return out


def plain(question: str, lang: str) -> str:
    """`question` with the chat spellings of `lang` written out ("wat r the hours?"
    -> "what are the hours?"); the question itself when there is nothing to change."""
    words = table(lang)
    text = _STRETCHED.sub(r"\1", question)
    if not words:
        return text

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        # capitals are a name, an acronym or a letter, not chat: "CB" (carte
        # bancaire), "R" (the language), "vitamine C"; "Wat" starts a sentence
        replacement = None if word.isupper() else words.get(word.casefold())
        if replacement is None:
            return word
        if replacement and word[0].isupper():
            replacement = replacement[0].upper() + replacement[1:]
        return replacement

    text = _WORD.sub(swap, text)
    if lang == "th":
        text = _THAI_LAUGH.sub("", text)
        text = THAI_RUN.sub(lambda run: _thai_words(run.group(), words), text)
    return re.sub(r"[ \t]{2,}", " ", text).strip() or question


def _thai_words(run: str, words: dict[str, str]) -> str:
    """A Thai run with its chat words (as the segmenter cuts them) replaced."""
    from bot.knowledge.analysis import get_analyzer
    from bot.knowledge.analysis.thai import ThaiAnalyzer

    thai = get_analyzer("th")
    assert isinstance(thai, ThaiAnalyzer)
    cut = thai.words(run)
    if not any(w in words for w in cut):
        return run
    return "".join(words.get(w, w) for w in cut)
