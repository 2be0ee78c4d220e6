"""A year the question is about counts as one of its names (answering/composer.py,
`decline.years_must_be_known`): "How many vehicles were towed in 2023?" over an
article that gives 2024's figure only is declined, not answered with 2024's
412.  A real folder on disk, the service."""

from __future__ import annotations

import pytest

from bot.answering.answer_types.years import question_years, written_years
from bot.answering.service import QAService

from tests.conftest import CONFIG, knowledge_folder, with_setting


@pytest.mark.parametrize("question, years", [
    ("How many vehicles were towed in 2023?", {"2023": 2023}),
    ("Combien de véhicules en 2023 et en 2024 ?", {"2023": 2023, "2024": 2024}),
    ("Ni kaya ngapi zilijiunga mwaka 2022?", {"2022": 2022}),
    ("How many visits in the winter of 2022-23?", {"2022": 2022}),
    ("ปี 2566 มีผู้ป่วยกี่ราย", {"2566": 2023}), ("ปี ๒๕๖๖ มีผู้ป่วยกี่ราย", {"๒๕๖๖": 2023}),
    # a decade, an amount, a count in a question in Latin letters: no year
    ("How did people shop in the 1980s?", {}), ("Pourquoi dans les années 1980 ?", {}),
    ("Kwa nini miaka ya 1980 watu walinunua?", {}), ("Is the grant 2000 euros?", {}),
    ("Were 2500 tonnes delivered?", {}), ("How much does it cost?", {}),
])
def test_the_years_a_question_is_about(question, years):
    assert question_years(question) == years


def test_the_years_an_article_writes_in_either_era():
    assert written_years("Publié le 12 juin 2025. En 2024, 412 véhicules.") == {2024, 2025}
    assert written_years("เมื่อปี 2566 และปี ๒๕๖๗") == {2023, 2024}
    assert written_years("งบประมาณปี 67 และ พ.ศ. 68") == {2024, 2025}  # Thai short years
    assert written_years("อายุ 67 ปี") == set()
    assert written_years("1 500 visiteurs, 20 000 euros") == set()


def _folder(tmp_path):
    return knowledge_folder(
        tmp_path,
        ("pound", "The town pound moves to Grand Fields", "en",
         "The municipal pound leaves the Acacia Street car park for the Grand Fields estate.\n\n"
         "In 2024, the pound towed 412 vehicles, 37 of them wrecks left on the street.\n\n"
         "The new site holds 60 cars and a dozen motorbikes.\n"),
        ("library", "Library fines are waived", "en",
         "In 2023, the library lent 18,000 books to 2,100 members.\n\n"
         "Late fees are waived for every book returned before the end of March.\n"))


def test_a_year_no_close_quote_writes_is_declined(tmp_path):
    service = QAService.open(_folder(tmp_path), CONFIG)
    asked = service.ask("How many vehicles did the town pound tow in 2024?")
    assert asked.answered and "412 vehicles" in asked.passages[0].text
    other = service.ask("How many vehicles did the town pound tow in 2023?")
    assert not other.answered and other.reason == "name_elsewhere"
    assert other.missing == "2023" and "2023" in other.text
    # of two years, one written is enough: the other may be "last year"
    both = service.ask("How many more vehicles did the town pound tow in 2024 than in 2022?")
    assert both.answered and "412 vehicles" in both.passages[0].text
    never = service.ask("How many vehicles did the town pound tow in 2019?")
    assert not never.answered and never.reason == "unknown_name" and never.missing == "2019"


def test_the_rule_can_be_switched_off(tmp_path, config_copy):
    off = QAService.open(_folder(tmp_path), with_setting(config_copy, "years_must_be_known: true",
                                                          "years_must_be_known: false"))
    assert off.ask("How many vehicles did the town pound tow in 2019?").answered
