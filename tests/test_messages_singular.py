"""A count of one reads in the singular: "1 article loaded", "Je connais 1 article",
never "1 articles" (found driving a folder of one article, where every welcome and
"what articles do you have?" said "1 articles")."""

from __future__ import annotations

import io

import pytest

from bot.answering.service import QAService
from bot.core.errors import ConfigError
from bot.core.messages import Messages
from bot.repl import Repl

from conftest import CONFIG

ONE_ARTICLE = ("---\ntitle: Piscine municipale\nlang: fr\n---\n"
               "La piscine municipale ouvre à 8 heures le samedi.\n")
SECOND = ("---\ntitle: Library hours\nlang: en\n---\n"
          "The library opens at nine in the morning on weekdays.\n")


@pytest.fixture
def one(tmp_path):
    kb = tmp_path / "one"
    kb.mkdir()
    (kb / "piscine.md").write_text(ONE_ARTICLE, encoding="utf-8")
    return kb


def test_one_article_is_named_in_the_singular(one):
    service = QAService.open(one, CONFIG)
    en = service.ask("What articles do you have?", lang="en").text
    fr = service.ask("Quels articles avez-vous ?", lang="fr").text
    assert en.startswith("I know 1 article: ") and "any of them" not in en
    assert fr.startswith("Je connais 1 article\u00a0: ") or fr.startswith("Je connais 1 article : ")
    out = io.StringIO()
    Repl(service, "en", out).welcome()
    assert "(1 article loaded)" in out.getvalue()


def test_two_articles_stay_plural(one):
    (one / "library.md").write_text(SECOND, encoding="utf-8")
    service = QAService.open(one, CONFIG)
    assert service.ask("What articles do you have?", lang="en").text.startswith("I know 2 articles: ")


def test_singular_texts_come_from_the_language_asked(config_copy):
    messages = Messages.load(config_copy)
    assert messages.get("fr", "topics_more", count=1) == ", et 1 autre"
    assert messages.get("fr", "topics_more", count=3) == ", et 3 autres"
    assert messages.get("en", "repl_reloaded", count=1) == "Reloaded: 1 article."
    # a translation with no singular of its own keeps its own text, not English's singular
    th = messages.get("th", "repl_reloaded", count=1)
    assert "1" in th and "article" not in th
    # a language with no file: English, singular included
    assert messages.get("xx", "repl_reloaded", count=1) == "Reloaded: 1 article."


def test_a_singular_may_not_bring_a_placeholder_of_its_own(config_copy):
    path = config_copy / "messages" / "fr.yaml"
    path.write_text(path.read_text(encoding="utf-8") + 'repl_reloaded_one: "Rechargé : {titre}."\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="fr.yaml: key 'repl_reloaded_one'"):
        Messages.load(config_copy)
