"""Chat spellings are read as the words they stand for (answering/chat_speak.py)."""

from __future__ import annotations

import re

import pytest

from bot.answering.chat_speak import _WORD, plain, table

from conftest import KNOWLEDGE


@pytest.mark.parametrize("lang, question, expected", [
    ("en", "wat r the questions senior managers shud ask", "what are the questions senior managers should ask"),
    ("en", "Wat happens in teh trough??", "What happens in the trough??"),
    ("en", "wot time do the learners row on saturdays", "what time do the learners row on saturdays"),
    ("en", "can some1 tell me b4 2moro pls", "can someone tell me before tomorrow please"),
    ("en", "is it free lol", "is it free"),
    ("fr", "c koi le pont au dessus de l'auge", "c'est quoi le pont au dessus de l'auge"),
    ("fr", "inscription jusqua quand", "inscription jusqu'à quand"),
    ("fr", "cb de fois par an on peut y aller gratos ??", "combien de fois par an on peut y aller gratuit ??"),
    ("fr", "pk ya pa de réponse mdr", "pourquoi il y a pas de réponse"),
    ("fr", "combien de tps ils gardent les cles", "combien de temps ils gardent les cles"),
    ("sw", "nifanye nn kwanza??", "nifanye nini kwanza??"),
    ("sw", "kambi inaanza saa ngap asbh", "kambi inaanza saa ngapi asubuhi"),
    # a final vowel dropped: lini, wapi; shilingi ngapi run together
    ("sw", "usajili unaanza lin? ofisi iko wap", "usajili unaanza lini? ofisi iko wapi"),
    ("sw", "ada ni shngapi", "ada ni shilingi ngapi"),
    ("sw", "vizimba vingap kila kikundi", "vizimba vingapi kila kikundi"),  # -ngapi of the noun's class
    ("sw", "wanachama wangap", "wanachama wangapi"),
    ("sw", "niwe na ngombe wangapi", "niwe na ng'ombe wangapi"),  # ng' without its apostrophe
    ("sw", "tiketi ni shingap? au shs ngapi kwa mtoto", "tiketi ni shilingi ngapi? au shilingi ngapi kwa mtoto"),
    ("sw", "duka linafunga sa ngapi", "duka linafunga saa ngapi"),  # "sa": the hour, saa
    ("th", "ต้องเอาบัตรปชชไปด้วยป่าวคะ", "ต้องเอาบัตรประชาชนไปด้วยหรือเปล่าคะ"),
    ("th", "เกี่ยวไรกับคำสัญญาของแบรนด์อ่ะ", "เกี่ยวอะไรกับคำสัญญาของแบรนด์"),
    ("th", "ลืมเอาถุงมา555", "ลืมเอาถุงมา"),
    ("th", "ลืมเอาถุงมา 5555", "ลืมเอาถุงมา"),
    ("en", "sooo many questions", "so many questions"),
    ("th", "แพงมากกกกก", "แพงมาก"),
])
def test_chat_spellings_are_written_out(lang, question, expected):
    assert plain(question, lang) == expected


@pytest.mark.parametrize("lang, question", [
    ("fr", "C'est quoi, aujourd'hui, peut-être ?"),  # "c", "peut" glued to an apostrophe or a hyphen
    ("en", "What is TCO?"),
    ("sw", "Bitwise ni nini?"),
    ("th", "ราคา 555 บาท"),  # a number, set apart by spaces: not laughter
    ("xx", "wat r u"),  # a language without a table
    ("fr", "Puis-je payer par CB ?"),  # capitals: an acronym (carte bancaire), not "cb" (combien)
    ("en", "How do I plot a chart in R?"),  # a letter, a name
])
def test_plain_words_stay_as_written(lang, question):
    assert plain(question, lang) == question


def test_laughter_alone_is_left_for_the_conversation_rules():
    """A message that is only laughter is not emptied: the bot still sees what was sent."""
    assert plain("lol", "en") == "lol"


@pytest.mark.parametrize("lang", ["en", "fr", "sw"])
def test_no_chat_spelling_is_a_word_of_the_shipped_articles(lang):
    """The tables hold spellings that are not words of the language ("sa", "ya",
    "were" are left out): none occurs as a word in the shipped articles."""
    words = table(lang)
    assert words
    found = set()
    for path in KNOWLEDGE.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if not re.search(rf"^lang:\s*{lang}\s*$", text, re.MULTILINE):
            continue
        found |= {m.group().casefold() for m in _WORD.finditer(text)} & set(words)
    assert not found


def test_a_chat_question_is_searched_as_its_plain_words(service):
    """The chat spelling and the written-out question find the same sentences;
    with `scoring.read_chat_spelling` off, they do not."""
    chat, written = "wat happens in teh trough??", "what happens in the trough??"
    same = service.explain(written)
    assert [h.sentence for h in service.explain(chat).hits] == [h.sentence for h in same.hits]
    off = service.with_settings(service.settings.override({"scoring.read_chat_spelling": False}))
    assert [h.sentence for h in off.explain(chat).hits] != [h.sentence for h in same.hits]


def test_why_says_how_the_question_was_read(service):
    from bot.why import WhyWriter

    explanation = service.explain("wat happens in teh trough??")
    assert explanation.read_as == "what happens in the trough??"
    lines = [text for text, _ in WhyWriter(service, "en").lines(explanation)]
    assert lines[0] == "I read your question as: what happens in the trough??"
    assert service.explain("What happens in the trough?").read_as == ""  # nothing to write out: no line


def test_chat_spellings_are_those_of_the_question_language_when_the_reply_is_forced(service):
    """With the reply language forced (/lang fr, --lang sw), an English chat question
    is still read with the English spellings, not the French ones."""
    assert service.explain("wat r the questions managers shud ask", lang="fr").read_as == (
        "what are the questions managers should ask")
    assert service.explain("c koi le creux", lang="en").read_as == "c'est quoi le creux"
