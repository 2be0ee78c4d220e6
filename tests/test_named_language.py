"""A question that names an article by its language ("the Thai article", "l'article
thaï", "makala ya Kithai", "บทความภาษาฝรั่งเศส") is answered from the articles in that
language first (answering/named_language.py, `scoring.named_language_factor`)."""

from __future__ import annotations

import io

import pytest

from bot.answering.named_language import named_article_language
from bot.answering.service import QAService
from bot.repl import Repl

from tests.conftest import CONFIG, with_setting, write_article


@pytest.mark.parametrize("question, lang", [
    ("According to the Thai article, when is customer trust earned?", "th"),
    ("What does the original English version say about the trough?", "en"),
    ("On what day was the 2010 French blog post written?", "fr"),
    ("What does the article in Swahili say?", "sw"),
    ("D'après l'article thaï sur la promesse de marque, à quel moment la confiance naît-elle ?", "th"),
    ("Dans l'article thaïlandais, pourquoi exige-t-on un ticket ?", "th"),
    ("Que dit la version anglaise ?", "en"),
    ("Le billet en français parle de quoi ?", "fr"),
    ("Kwa mujibu wa makala ya Kithai, imani hupatikana lini?", "th"),
    ("Toleo la Kiswahili linasema nini?", "sw"),
    ("บทความภาษาฝรั่งเศสบอกว่าลูกค้าทุกวันนี้เป็นอย่างไร", "fr"),
    ("บล็อกภาษาอังกฤษเขียนโดยใคร", "en"),
])
def test_the_language_of_the_article_named(question, lang):
    assert named_article_language(question) == lang


@pytest.mark.parametrize("question", [
    "Do you have any French cheese?", "Answer in French please", "Which article is in Thai?",
    "Is there a Swahili translation?", "Compare the French article and the Thai article.",
    "What is the title of the video the French blogger mentions?", "Habari gani?",
])
def test_no_article_language_named(question):
    assert named_article_language(question) is None


def _folder(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    write_article(kb, "fr", "Le marché couvert", "fr", "Le marché couvert\n\n"
                  "Le marché couvert ouvre le samedi et accueille quarante producteurs de la région.\n")
    write_article(kb, "sw", "Soko la wakulima", "sw", "Soko la wakulima\n\n"
                  "Soko la wakulima hufunguliwa kila Jumamosi na huwa na wakulima arobaini wa eneo hili.\n")
    return kb


def test_the_named_language_comes_first_and_the_factor_switches_it_off(tmp_path, config_copy):
    kb = _folder(tmp_path)
    question = "D'après l'article swahili, quand le marché ouvre-t-il ?"
    service = QAService.open(kb, CONFIG)
    answer = service.ask(question, lang="fr")
    assert answer.answered and answer.passages[0].lang == "sw"
    out = io.StringIO()
    repl = Repl(service, "fr", out)
    repl.handle(question)
    repl.handle("/why")  # says why, in the interface language
    said = "Vous avez nommé l’article en swahili\u00a0: j’ai cherché d’abord dans les articles en swahili."
    assert said in out.getvalue()
    off = QAService.open(kb, with_setting(config_copy, "named_language_factor: 0.5", "named_language_factor: 1.0"))
    explained = off.explain(question, lang="fr")
    assert explained.answer.answered and explained.answer.passages[0].lang == "fr"  # its own words meet French first
    assert not explained.preferred
