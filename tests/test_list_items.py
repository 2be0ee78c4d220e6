"""A question after the n-th item of a list ("What is the fourth question managers
should ask?") is declined `needs_item` when the article's numbered list stops
before it (answering/composer.py, `decline.items_need_item`): quoting the third
of three would answer another question.  A real folder on disk, the service."""

from __future__ import annotations

import pytest

from bot.answering.answer_types.sentences import asked_item, item_number
from bot.answering.service import QAService

from tests.conftest import CONFIG, knowledge_folder, with_setting


@pytest.mark.parametrize("question, place", [
    ("What is the fourth question senior managers should ask?", 4),
    ("What is the fourth of the four questions managers should ask?", 4),
    ("What is the 2nd tip?", 2), ("What is step 5?", 5),
    ("Quelle est la troisième étape ?", 3), ("Quelle est la quatrieme etape ?", 4),
    ("Swali la tatu linahusu nini?", 3), ("Hatua ya tano ni ipi?", 5),
    ("คำถามข้อที่ 4 คืออะไร", 4), ("ข้อที่สองคืออะไร", 2), ("ขั้นตอนที่ ๓ ทำอะไร", 3),
    # no list's item: a person or a thing by its place, the first item, a number of a price
    ("In the story, what does the second stranger hand you?", 0), ("คนแปลกหน้าคนที่สองให้อะไร", 0),
    ("What is the first step?", 0), ("How much does a second parking permit cost?", 0),
    ("Is step 2.5 of the plan funded?", 0),
])
def test_the_place_of_the_item_asked(question, place):
    assert asked_item(question) == place


def test_a_list_item_is_a_sentence_that_begins_with_its_number():
    assert item_number("3. Do you collect marketing metrics?") == 3
    assert item_number("4) Cliquer sur Publier enfin.") == 4
    assert item_number("2.") == 2  # the splitter cuts "2. Are you chasing blame …" after "2."
    assert item_number("๓. คุณรวบรวมตัวชี้วัดทางการตลาดหรือไม่") == 3
    assert item_number("2024. A year of change.") == 0
    assert item_number("In 2024, 3 people joined.") == 0


def _folder(tmp_path):
    return knowledge_folder(tmp_path, (
        "en", "Three questions for managers", "en",
        "Here are the questions every manager of a customer team should ask.\n\n"
        "1. Are your rules of engagement built on exceptions?\n\n"
        "2. Are you chasing blame or looking for a fix?\n\n"
        "3. Do you collect marketing metrics or measure the value of engagement?\n\n"
        "The answers say whether your process keeps the promise your brand makes.\n"))


def test_an_item_past_the_end_of_the_list_is_declined(tmp_path):
    service = QAService.open(_folder(tmp_path), CONFIG)
    answer = service.ask("What is the fourth question a manager should ask?")
    assert not answer.answered and answer.reason == "needs_item"
    assert answer.missing == "4" and "you asked for item 4 of a list" in answer.text
    third = service.ask("What is the third question a manager should ask?")
    assert third.answered and "Do you collect" in third.passages[0].text


def test_the_rule_can_be_switched_off(tmp_path, config_copy):
    off = QAService.open(_folder(tmp_path), with_setting(config_copy, "items_need_item: true",
                                                          "items_need_item: false"))
    assert off.ask("What is the fourth question a manager should ask?").answered
