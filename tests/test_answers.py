"""End-to-end answers from the shipped knowledge (in-process)."""

from __future__ import annotations

import re
import time

import pytest

from bot.answering.service import QAService

from conftest import CONFIG


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_answers_quote_verbatim_and_name_the_article(service):
    answer = service.ask("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?")
    assert answer.answered and answer.lang == "fr"
    articles = {a.id: squash(a.text) for a in service.kb.articles}
    for p in answer.passages:
        assert squash(p.text) in articles[p.article]
        assert p.title == service.kb.by_id[p.article].title
    assert service.kb.by_id[answer.passages[0].article].title in answer.text


def test_swahili_question_is_answered_from_the_swahili_translation(service):
    answer = service.ask("Je, mwandishi husoma miongozo ya bidhaa anazonunua?")
    assert answer.lang == "sw" and answer.answered
    assert answer.passages[0].lang == "sw"
    assert "Sisomi miongozo ya bidhaa" in answer.passages[0].text
    assert "fr" in answer.also_in  # framed with the other language available


def test_thai_question_gets_thai_quote_and_thai_framing(service):
    answer = service.ask("ผู้เขียนตื่นเต้นกับอะไรมากกว่าข้อมูลจำนวนมาก")
    assert answer.lang == "th" and answer.answered
    assert answer.passages[0].lang == "th"
    assert answer.text.startswith((service.messages.get("th", "intro"), service.messages.get("th", "intro_unsure")))


def test_english_question_about_french_article_is_framed_in_english(service):
    answer = service.ask("What does the $400 per customer go towards?")
    assert answer.lang == "en" and answer.answered
    assert "400 $ par client" in answer.passages[0].text
    assert "from the article" in answer.text


def test_forced_language_frames_in_that_language(service):
    answer = service.ask("Quelle est l'option la plus courante face au creux ?", lang="sw")
    assert answer.lang == "sw"
    assert answer.text.startswith((service.messages.get("sw", "intro"), service.messages.get("sw", "intro_unsure")))


def test_empty_and_whitespace_questions_get_a_polite_prompt(service):
    for question in ("", "   ", "\n\t"):
        answer = service.ask(question)
        assert not answer.answered and answer.passages == []
        assert answer.text == service.messages.get(answer.lang, "empty_question")


def test_messages_without_a_letter_or_digit_ask_for_a_question(service):
    """Punctuation or emoji alone ask nothing; searching them quoted a comment-form line."""
    for question in ("?", "...", "🙂🙂", "!!! ???", "* ; -", "https://example.com/a?b=1", "www.example.org 👍"):
        answer = service.ask(question)
        assert not answer.answered and answer.passages == [], question
        assert answer.reason == "empty_question"
        assert answer.text == service.messages.get(answer.lang, "empty_question")
    # a link's letters are no language: the default (or the client's) asks
    assert service.ask("https://example.com/foo?bar=1").lang == service.settings.default_language
    assert service.ask("https://example.com/foo?bar=1", hint="sw").lang == "sw"
    assert service.ask("1234").reason != "empty_question"  # digits are content
    assert service.ask("Akismet https://akismet.com").reason != "empty_question"  # a question beside a link


def test_greeting_wrapped_in_markup_is_a_greeting(service):
    answer = service.ask("<b>hi</b>")
    assert not answer.answered and answer.reason == "greeting"


def test_passages_are_distinct_and_at_most_five(service):
    answer = service.ask("clients marque perfection médias sociaux")
    texts = [squash(p.text) for p in answer.passages]
    assert len(texts) == len(set(texts)) <= 5


def test_index_is_persisted_and_rebuilt_when_knowledge_changes(knowledge_copy):
    first = QAService.open(knowledge_copy, CONFIG)
    again = QAService.open(knowledge_copy, CONFIG)
    assert again.rebuilt is False
    assert len(again.kb.sentences) == len(first.kb.sentences)
    target = knowledge_copy / "002_a55ebf1b465a3a9e.md"
    time.sleep(0.01)
    target.write_text(target.read_text(encoding="utf-8") + "\nUne phrase ajoutée sur les girafes bleues.\n",
                      encoding="utf-8")
    changed = QAService.open(knowledge_copy, CONFIG)
    assert changed.rebuilt is True
    answer = changed.ask("Que dit l'article sur les girafes bleues ?")
    assert answer.answered and "girafes bleues" in answer.passages[0].text


def test_broken_article_does_not_stop_the_others(knowledge_copy):
    (knowledge_copy / "broken.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe")
    service = QAService.open(knowledge_copy, CONFIG)
    assert len(service.kb.articles) == 5
    assert [p.path for p in service.kb.problems] == [str(knowledge_copy / "broken.md")]
    assert service.ask("Comment être avisé en cas de réponse à mon commentaire ?").answered


def test_a_failed_answer_says_something_went_wrong_not_nothing_found(service):
    """Reason `error` (answering raised; the CLI and Telegram log it) is not a gap in
    the articles: the reply asks to try again, in the person's language."""
    from bot.answering.decision import ERROR

    for lang in ("en", "fr", "sw", "th"):
        answer = service.composer.decline(lang, ERROR)
        assert answer.to_json()["reason"] == "error"
        assert answer.text == service.messages.get(lang, "answer_failed")
        assert answer.text != service.messages.get(lang, "decline")


def test_a_count_about_something_else_says_why_in_every_language(service):
    """needs_thing (a number about another thing than the one asked for) says so in the reply."""
    from bot.answering.decision import NEEDS_THING

    m = service.messages
    for lang in ("en", "fr", "sw", "th"):
        text = service.composer.decline(lang, NEEDS_THING).text
        assert text == m.get(lang, "decline_because", reason=m.get(lang, "reason_needs_thing"))
    answer = service.ask("Combien coûte un croissant chez Bitwise ?")
    assert not answer.answered


def test_a_question_in_a_script_no_served_language_uses_names_the_languages_read(service):
    """"Привет, как дела?" found nothing, and the reply said "nothing found about that
    in the articles", which is not what happened: the bot could not read it.  The
    reply says so and names the languages it reads, each in its own words, whatever
    the reply language; a decline stays a decline (reason `other_language`)."""
    m = service.messages
    read = [m.language_name(x) for x in service.settings.languages]
    assert read == ["français", "English", "Kiswahili", "ภาษาไทย"]
    for question in ("Привет, как дела?", "你好，这篇文章讲什么？", "مرحبا كيف حالك", "שלום, מה שלומך?"):
        answer = service.ask(question)
        assert not answer.answered and answer.passages == [], question
        assert answer.reason == "other_language", question
        assert answer.text == m.get(answer.lang, "other_language", languages=", ".join(read))
        assert all(name in answer.text for name in read)
    forced = service.ask("Привет, как дела?", lang="sw")
    assert forced.text == m.get("sw", "other_language", languages=", ".join(read)) != m.get("en", "other_language",
                                                                                             languages=", ".join(read))
    assert m.reason("th", "other_language") == m.get("th", "reason_other_language")
    # A name in another script inside a served language's question is read as usual,
    # and so are Thai and the served Latin-script languages.
    for question in ("Who is 李明?", "ใครคือประธานบริษัท", "Nani ni Rais wa Bitwise?"):
        assert service.ask(question).reason != "other_language", question


def test_a_declined_question_in_an_unserved_latin_language_is_told_so(service):
    """"¿Cuánto cuesta la incorporación de un cliente?" read as French, and the bot
    declined because "the articles never mention « Cuánto »".  A declined question
    written in a Latin-script language the bot does not serve says it cannot be
    read, as one in another script does; chat French, English and Swahili, and
    a served question the bot declines, keep their reasons."""
    for question in ("¿Cuánto cuesta la incorporación de un cliente en la tienda?",
                     "Wer ist der Geschäftsführer der Bäckerei am Markt?",
                     "Quanto costa il biglietto per il museo della città?",
                     "Hoeveel kost een kaartje voor het museum in de stad?"):
        answer = service.ask(question)
        assert not answer.answered and answer.reason == "other_language", (question, answer.reason)
    for question in ("What is the capital of Australia?", "c koi la capitale de l'australie stp",
                     "Mji mkuu wa Australia ni upi?", "Quelle est la capitale de l'Australie ?"):
        answer = service.ask(question)
        assert not answer.answered and answer.reason != "other_language", (question, answer.reason)


@pytest.mark.parametrize("text, lang", [
    ("¿Cuánto cuesta la incorporación de un cliente?", "es"), ("Wer ist der Geschäftsführer von Bitwise?", "de"),
    ("Quem é o presidente da empresa?", "pt"), ("Chi è il presidente di Bitwise?", "it"),
    # served languages, chat spellings, too few words, Thai
    ("Combien coûte l'intégration d'un client ?", None), ("c koi un client satisfait", None),
    ("How much does onboarding cost per client?", None), ("Nani ni Rais wa Bitwise?", None),
    ("¿Dónde está?", None), ("ใครคือประธานบริษัท Bitwise", None),
])
def test_the_unserved_latin_language_of_a_text(text, lang):
    from bot.knowledge.language import unserved_language

    assert unserved_language(text, ("fr", "en", "sw", "th"), 4, 0.9) == lang


def test_styled_letters_are_read_as_the_plain_ones(service):
    """Chat apps write 𝐛𝐨𝐥𝐝 and ｆｕｌｌ-ｗｉｄｔｈ letters with other code points; unread,
    "𝐖𝐡𝐨 𝐢𝐬 𝐑𝐨𝐧 𝐁𝐫𝐮𝐦𝐛𝐚𝐫𝐠𝐞𝐫?" shared no letter with the articles (no_match).  Thai is
    left as it is (NFKC would split its ำ into two characters the index never holds)."""
    from bot.answering.service import well_formed

    plain = service.ask("Who is Ron Brumbarger?")
    for styled in ("𝐖𝐡𝐨 𝐢𝐬 𝐑𝐨𝐧 𝐁𝐫𝐮𝐦𝐛𝐚𝐫𝐠𝐞𝐫?", "Ｗｈｏ ｉｓ Ｒｏｎ Ｂｒｕｍｂａｒｇｅｒ？", "𝑊ℎ𝑜 𝑖𝑠 𝑅𝑜𝑛 𝐵𝑟𝑢𝑚𝑏𝑎𝑟𝑔𝑒𝑟?"):
        answer = service.ask(styled)
        assert answer.answered == plain.answered and answer.reason == plain.reason, styled
        assert [p.text for p in answer.passages] == [p.text for p in plain.passages], styled
    assert well_formed("ทำไมรีวิว 5 ดาวถึงทำให้ยอดขายลดลง") == "ทำไมรีวิว 5 ดาวถึงทำให้ยอดขายลดลง"
    assert well_formed("ｃｏûｔ ５ €") == "coût 5 €"


def test_thai_marks_typed_in_another_order_read_as_the_standard_ones(service):
    """ "นำ้" (sara am before the tone mark) looks like "น้ำ" on screen; the
    question is read in the standard order, as the articles are, so it gets the
    answer the standard spelling gets."""
    from bot.answering.service import well_formed

    assert well_formed("ความไว้วางใจมาจากไหน นำ้") == "ความไว้วางใจมาจากไหน น้ำ"
    typed = "ทำไมนักการตลาดต้องทำให้ลูกค้าคาดหวังสูงขึ้น นำ้"
    standard = typed.replace("นำ้", "น้ำ")
    assert typed != standard
    assert service.ask(typed).to_json() == service.ask(standard).to_json()
