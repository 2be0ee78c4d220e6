"""Expected answer type: quantity questions need a number in their quote."""

from __future__ import annotations

import dataclasses

import pytest

from bot.answer_type import asks_quantity, has_number
from bot.composer import Composer


@pytest.mark.parametrize("question", [
    "How many people work there?", "how much does it cost", "Combien de salariés ?",
    "Wafanyakazi wangapi?", "Bei gani?", "Inagharimu kiasi gani?",
    "มีพนักงานกี่คน", "ราคาเท่าไร", "ราคาเท่าไหร่",
])
def test_quantity_questions_are_recognised(question):
    assert asks_quantity(question)


@pytest.mark.parametrize("question", [
    "Why do perfect reviews hurt sales?", "Que pensez-vous ?", "Kwa nini wateja wanaamini?",
    "ความไว้วางใจมาจากอะไร", "Comment ont réagi les clients ?",
])
def test_other_questions_are_not(question):
    assert not asks_quantity(question)


@pytest.mark.parametrize("text", [
    "Vous dépensez 400 $ par client.", "quatre clients à l’heure", "ahadi mbili",
    "three reasons", "คำถาม ๔ ข้อ", "คนแปลกหน้าสองคน",
])
def test_numbers_in_any_form_count(text):
    assert has_number(text)


@pytest.mark.parametrize("text", [
    "Le service client a fait l'unanimité.", "Un client satisfait.",  # "un" is an article
    "อีกคนหนึ่งบอกให้คุณเลี้ยวขวา",  # หนึ่ง here means "someone"
    "สามารถวัดได้",  # สาม ("three") inside สามารถ ("can") is not a number
])
def test_words_that_only_look_like_numbers_do_not(text):
    assert not has_number(text)


def test_quantity_question_about_a_known_name_is_declined(service):
    # Every content word matches a sentence about Bitwise's employees, yet no
    # quote says how many there are.
    answer = service.ask("How many employees does Bitwise have?")
    assert not answer.answered
    assert answer.passages == []


def test_quantity_question_is_answered_by_a_number(service):
    answer = service.ask("Combien dépense-t-on par client en loyer ?")
    assert answer.answered
    assert "400 $" in answer.passages[0].text


def test_the_check_can_be_switched_off(service):
    settings = dataclasses.replace(service.settings.retrieval, quantity_needs_number=False)
    composer = Composer(service.kb, service.messages, settings)
    question = "How many employees does Bitwise have?"
    _, hits = service.retriever.search(question, "en")
    assert composer.compose("en", hits, question).answered
