"""A question naming something no article mentions is declined `unknown_name`, and
the reply says which name (answering/question_names.py, `decline.names_must_be_known`).

A near miss most often changes a name: another town, another brand, another
person.  The closest sentence is then about the folder's own town, and the model
that judges evidence by meaning cannot tell: "When will the new bus station in
Gairo open?" comes as close to the Kibaigwa station's opening as the question
about Kibaigwa does."""

from __future__ import annotations

import io

from bot.answering.question_names import judged_by_script, question_names
from bot.answering.service import QAService
from bot.repl import Repl

from tests.conftest import CONFIG, knowledge_folder, with_setting, write_article


def _folder(tmp_path):
    return knowledge_folder(
        tmp_path,
        ("sw", "Stendi mpya ya mabasi ya Kibaigwa", "sw",
         "Stendi mpya ya mabasi ya Kibaigwa itafunguliwa tarehe 1 Machi na itakuwa na nafasi 40 "
         "za mabasi makubwa.\n\nUjenzi wa stendi hiyo uligharimu shilingi bilioni 6.8, fedha za "
         "Serikali Kuu.\n"),
        ("en", "Pellbury School Streets trial", "en",
         "The roads outside three Pellbury primary schools will close to traffic from 8.15am to "
         "9am on school days from 2 March.\n\nResidents can comment online during the first six "
         "months of the trial.\n"))


def test_the_names_no_article_mentions(tmp_path):
    service = QAService.open(_folder(tmp_path), CONFIG)

    def unknown(question: str, lang: str) -> list[str]:
        query = service.explain(question, lang=lang).query
        return [name.surface for name in question_names(question, query, service.retriever.bridges.is_word,
                                                        service.settings.languages)
                if not name.is_word and not service.retriever.articles_naming(query, name.position)]

    assert unknown("Stendi mpya ya mabasi ya Gairo itafunguliwa lini?", "sw") == ["Gairo"]
    assert unknown("Stendi mpya ya mabasi ya Kibaigwa itafunguliwa lini?", "sw") == []
    assert unknown("When will the Kibaigwa bus station open?", "en") == []  # known in another language
    assert unknown("When will the Kibaigwa bus stattion open in Pelbury?", "en") == []  # misspelt, still known
    # a sentence's first word is capitalised whatever it is; a word a dictionary
    # knows is no name ("December", "French"), though no article uses it
    assert unknown("Gairo bus station: when does it open?", "en") == []
    assert unknown("Will the roads close in December, according to the French article?", "en") == []
    assert unknown("Can I comment on the trial in Oakfield or Hollybank?", "en") == ["Oakfield", "Hollybank"]
    # nor are a language's name, another language's stop word, an acronym
    assert unknown("Kwa mujibu wa makala ya Kithai, stendi ya Kibaigwa itafunguliwa lini?", "sw") == []
    assert unknown("Je, stendi ya Les Kibaigwa itafunguliwa lini?", "sw") == []
    assert unknown("Qui est le PDG de la stendi de Kibaigwa ?", "fr") == []


def test_a_name_made_of_words_counts_where_the_folder_uses_them(tmp_path):
    service = QAService.open(_folder(tmp_path), CONFIG)

    def names(question: str, lang: str) -> list[tuple[str, bool]]:
        query = service.explain(question, lang=lang).query
        return [(name.surface, name.is_word) for name in
                question_names(question, query, service.retriever.bridges.is_word, service.settings.languages)]

    assert names("When do the roads outside the Pellbury School close?", "en") == [
        ("Pellbury", False), ("School", True)]
    assert names("Do the roads close on Monday in December?", "en") == []  # weekdays and months are no names
    # Title Case is style: its capitals name nothing ("I" is capitalised anywhere)
    assert names("When Does The Bus Station Open In Gairo?", "en") == []
    assert names("When does the bus station open in Gairo?", "en") == [("Gairo", False)]
    assert names("If I'm late, can I comment on the trial in Gairo?", "en") == [("Gairo", False)]
    # "Hollybank" is unknown, "Green" a word the folder never uses: only the name declines
    answer = service.ask("Can I comment on the trial at Hollybank Green?")
    assert answer.reason == "unknown_name" and answer.missing == "Hollybank"


def test_only_a_sentence_in_the_names_script_is_judged():
    # a Thai sentence may spell the name its own way ("ลำปาง" for "Lampang")
    assert judged_by_script("sw", "Gairo")
    assert not judged_by_script("th", "Lampang")


def test_a_near_miss_on_a_name_is_declined_and_the_reply_names_it(tmp_path, config_copy):
    kb = _folder(tmp_path)
    service = QAService.open(kb, CONFIG)
    missed = service.ask("Stendi mpya ya mabasi ya Gairo itafunguliwa lini?")
    assert not missed.answered and missed.reason == "unknown_name" and missed.missing == "Gairo"
    assert "Gairo" in missed.text and missed.lang == "sw"
    asked = service.ask("Stendi mpya ya mabasi ya Kibaigwa itafunguliwa lini?")
    assert asked.answered and "1 Machi" in asked.passages[0].text
    english = service.ask("When do the roads outside the Oakfield schools close?")
    assert not english.answered and english.reason == "unknown_name" and "Oakfield" in english.text
    assert "missing" not in english.to_json()  # the contract's keys stay as they are
    off = QAService.open(kb, with_setting(config_copy, "names_must_be_known: true", "names_must_be_known: false"))
    assert off.ask("When do the roads outside the Oakfield schools close?").reason != "unknown_name"


def test_why_names_it_too(tmp_path):
    out = io.StringIO()
    repl = Repl(QAService.open(_folder(tmp_path), CONFIG), "en", out)
    repl.handle("When do the roads outside the Oakfield schools close?")
    replied = out.getvalue()
    repl.handle("/why")
    why = out.getvalue()[len(replied):]
    assert "your question names “Oakfield”, and the articles never mention it." in why


def test_a_name_another_article_holds(tmp_path, config_copy):
    kb = _folder(tmp_path)
    write_article(kb, "depot", "Riverside bus depot", "en", "Riverside bus depot\n\n"
                  "The new bus depot at Riverside will open on 3 April with room for 25 buses.\n\n"
                  "It cost 4 million pounds.\n")
    service = QAService.open(kb, CONFIG)
    # Pellbury is the school streets article's; the closest quotes are about bus stations
    elsewhere = service.ask("How many buses will the new Pellbury bus station hold?")
    assert not elsewhere.answered and elsewhere.reason == "name_elsewhere"
    assert "your question names “Pellbury”, and none of the passages close enough to answer it mentions it." \
        in elsewhere.text
    assert service.ask("How many buses will the new Kibaigwa bus station hold?").answered
    off = QAService.open(kb, with_setting(config_copy, "names_pick_article: true", "names_pick_article: false"))
    assert off.ask("How many buses will the new Pellbury bus station hold?").answered


def test_the_quotes_of_an_article_naming_it_go_first(tmp_path):
    from bot.answering.answer import Passage

    kb = _folder(tmp_path)
    composer = QAService.open(kb, CONFIG).composer
    ids = {a.lang: a.id for a in composer.kb.articles}

    def quote(lang: str, score: float) -> Passage:
        return Passage(text=f"{lang} {score}", article=ids[lang], title="", lang=lang, score=score)

    names = composer._groups_naming({"Pellbury": frozenset({ids["en"]})})
    passages, reason, _ = composer._naming_first([quote("sw", 1.0), quote("en", 0.6)], names)
    assert not reason and [p.lang for p in passages] == ["en", "sw"]
    # too far below the first quote to answer instead of it
    _, reason, name = composer._naming_first([quote("sw", 1.0), quote("en", 0.3)], names)
    assert reason == "name_elsewhere" and name == "Pellbury"
    # a quote in another script is not judged by a Latin name (a Thai one may spell it its own way)
    thai = Passage(text="th", article=ids["sw"], title="", lang="th", score=1.0)
    assert composer._naming_first([thai], names) == ([thai], "", "")
    assert composer._naming_first([thai], composer._groups_naming({"Gairo": frozenset()})) == ([thai], "", "")


def test_only_quotes_of_articles_naming_it_answer_what_it_asks(tmp_path, config_copy):
    """"What hourly wage does Bitwise pay?" is not answered by another article's
    "50 dollars an hour": the answer-type rules read only the quotes from articles
    that mention the question's names (`decline.names_judge_type`)."""
    kb = knowledge_folder(
        tmp_path,
        ("firm", "Bitwise and its staff", "en",
         "Bitwise pays its support team well, its chief executive told clients at a lunch last "
         "week.\n\nThe company will make mistakes, he said.\n"),
        ("trough", "The trough between promise and delivery", "en",
         "The hourly wage of customer support staff is about 20 dollars.\n\n"
         "A well-trained person could welcome four new customers an hour.\n"))
    service = QAService.open(kb, CONFIG)
    asked = "What hourly wage does Bitwise pay its customer support staff?"
    declined = service.ask(asked)
    assert not declined.answered and declined.reason == "needs_number"
    assert service.ask("What is the hourly wage of customer support staff?").answered
    off = QAService.open(kb, with_setting(config_copy, "names_judge_type: true", "names_judge_type: false"))
    assert off.ask(asked).answered
