"""Thai names asked in Latin letters (bot/answering/thai_names.py): the romanization
is offline and kept beside the index, a span of question words meets the Thai
terms it spells only when they occur together and one of the words is not a word
of the question's language, and a real folder's Thai article is found by its name."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from bot.answering.service import QAService
from bot.answering.thai_names import ThaiNames, latin_letters, romanize_terms
from bot.core.scripts import is_thai
from bot.repl import Repl

from tests.conftest import CONFIG

TABLE = {"ท่า": "tha", "ทา": "tha", "แค": "khae", "จัด": "chat", "สี": "si", "คิ้ว": "khio", "ลำปาง": "lampang",
         "เรือยาว": ""}
SENTENCES = [{"ท่า", "แค", "เรือยาว"}, {"สี", "คิ้ว"}, {"ทา", "จัด"}, {"ลำปาง"}]


def names(**overrides) -> ThaiNames:
    options = {"max_words": 4, "max_pieces": 5, "min_letters": 5, "max_short_pieces": 1} | overrides
    return ThaiNames(TABLE, lambda terms: any(set(terms) <= s for s in SENTENCES), **options)


def test_terms_are_romanized_offline():
    assert romanize_terms(["ท่า", "แค", "ลำปาง", "สี", "คิ้ว"]) == {
        "ท่า": "tha", "แค": "khae", "ลำปาง": "lampang", "สี": "si", "คิ้ว": "khio"}
    assert latin_letters("Thà-Khae!") == "thakhae"


@pytest.mark.parametrize("term, spelling", [
    ("เชียงใหม่", "chiangmai"), ("หาดใหญ่", "hatyai"), ("ห้อง", "hong"), ("สงขลา", "songkhla"),
    ("นครปฐม", "nakhonpathom"), ("อุบลราชธานี", "ubonratthani"),
])
def test_names_royin_misspells_meet_their_usual_spelling(term, spelling):
    """royin drops a leading ห and guesses implicit vowels wrong ("chianghaim",
    "athain", "ong", "sangakhla"): the shipped table of the model's spellings
    gives the usual one, and royin's stays beside it."""
    from pythainlp.transliterate.royin import _romanize

    assert _romanize(term) != spelling  # why the table exists
    spellings = romanize_terms([term])[term].split()
    assert spelling in spellings and _romanize(term) in spellings


def test_the_shipped_table_covers_the_dictionary_and_royin_alone_remains_without_it(monkeypatch, tmp_path):
    from pythainlp.corpus import thai_words

    from bot.answering import thai_names

    table = thai_names.dictionary_spellings()
    assert len(table) > 0.95 * len(thai_words())
    assert all(v.isascii() and v.isalpha() for v in table.values())
    monkeypatch.setattr(thai_names, "DICTIONARY_TABLE", tmp_path / "missing.json.gz")
    assert romanize_terms(["เชียงใหม่"]) == {"เชียงใหม่": "chianghaim"}  # royin's alone


def test_word_level_romanization_matches_pythainlps_public_function(service):
    """romanize_terms romanizes each index term as one word (no re-segmentation):
    royin's spelling among its spellings is what pythainlp's public `romanize`
    gives on the shipped Thai terms."""
    from pythainlp.transliterate import romanize

    thai = sorted(t for t in service.kb.sentence_index.vocab if is_thai(t))
    assert len(thai) > 100
    public = {t: romanize(t, engine="royin").lower() for t in thai}
    spelt = romanize_terms(thai)
    assert all(r in spelt[t].split() for t, r in public.items() if r.isascii() and r.isalpha())


def test_words_spelling_thai_terms_found_together_meet_them():
    finder = names()
    # two words, two syllables: of ท่า and ทา (both "tha") only ท่า occurs beside แค
    assert finder.spans(["boat", "races", "Tha", "Khae"], known=lambda i: i < 2) == [(2, [["ท่า"], ["แค"]])]
    # one word, two syllables; one word, one term
    assert finder.spans(["Sikhio", "cattle"], known=lambda i: i == 1) == [(0, [["สี", "คิ้ว"]])]
    assert finder.spans(["LAMPANG"], known=lambda i: False) == [(0, [["ลำปาง"]])]
    # a term spelt across two words belongs to both
    assert ThaiNames({"บ้านแพ้ว": "banphaeo"}, lambda terms: True, 4, 5, 5, 1).spans(
        ["Ban", "Phaeo"], known=lambda i: i == 0) == [(0, [["บ้านแพ้ว"], ["บ้านแพ้ว"]])]


def test_what_does_not_meet_a_thai_name():
    finder = names()
    assert finder.spans(["chat", "room"], known=lambda i: True) == []  # words of the question's language
    assert finder.spans(["Tha"], known=lambda i: False) == []  # three letters: a syllable, not a name
    # ท่า and ลำปาง never share a sentence: only "Lampang" alone spells a name
    assert finder.spans(["Tha", "Lampang"], known=lambda i: False) == [(1, [["ลำปาง"]])]
    # two-letter syllables spell almost anything: at most one in a name
    salad = ThaiNames({"บอ": "bo", "ดา": "da"}, lambda terms: True, 4, 5, 5, 1)
    assert salad.spans(["boda", "boda"], known=lambda i: False) == []
    assert ThaiNames({"บอ": "bo", "ดา": "da"}, lambda terms: True, 4, 5, 5, 4).spans(
        ["boda", "boda"], known=lambda i: False) == [(0, [["บอ", "ดา"], ["บอ", "ดา"]])]
    assert names(min_letters=8).spans(["Tha", "Khae"], known=lambda i: False) == []
    assert names(max_words=1).spans(["Tha", "Khae"], known=lambda i: False) == []


THAI_ARTICLE = (
    "---\ntitle: ท่าแคจัดแข่งเรือยาวประจำปี\nlang: th\n---\n"
    "เทศบาลตำบลท่าแคจัดงานแข่งเรือยาวประจำปีในวันเสาร์ที่ 25 ตุลาคม ที่ลำน้ำหน้าวัด\n\n"
    "ชาวบ้านนำอาหารมาขายริมน้ำตลอดทั้งวันและมีดนตรีพื้นบ้านในตอนเย็น\n\n"
    "ผู้ชมสามารถจอดรถได้ที่ลานจอดรถของโรงเรียนประจำตำบล\n\n"
    "ท่าแคอยู่ห่างจากตัวเมืองเชียงใหม่ประมาณ 40 กิโลเมตร\n")
ENGLISH_ARTICLE = (
    "---\ntitle: The river festival of Lyon\nlang: en\n---\n"
    "The river festival in Lyon opens on a Saturday with a rowing race on the Saône.\n\n"
    "Visitors park at the station and walk to the quays, where food stalls stay open late.\n")


@pytest.fixture
def folder(tmp_path) -> Path:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "tha_khae.md").write_text(THAI_ARTICLE, encoding="utf-8")
    (kb / "lyon.md").write_text(ENGLISH_ARTICLE, encoding="utf-8")
    return kb


def config_with(tmp_path: Path, on: bool) -> Path:
    config = tmp_path / f"config-{on}"
    shutil.copytree(CONFIG, config)
    settings = config / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    assert re.search(r"thai_names: true", text)
    settings.write_text(text.replace("thai_names: true", f"thai_names: {'true' if on else 'false'}"),
                        encoding="utf-8")
    return config


def test_a_question_naming_a_thai_place_in_latin_letters_finds_its_article(folder, tmp_path):
    config = config_with(tmp_path, True)
    service = QAService.open(folder, config)
    stored = list(service.kb.cache_dir.glob("roman-*.json"))
    assert stored and json.loads(stored[0].read_text(encoding="utf-8"))["ท่า"] == "tha"
    question = "When is the long boat race at Tha Khae?"
    ranking = service.retriever.rank(question, "en")
    first = service.kb.sentences[ranking.hits[0].sentence]
    assert "ท่าแค" in first.text and "25 ตุลาคม" in first.text
    assert {"ท่า", "แค"} <= set(ranking.hits[0].matched)
    out = io.StringIO()
    repl = Repl(service, "en", out)
    repl.handle(question)
    repl.handle("/why")
    assert "Tha → ท่า: the same name, in Thai script" in out.getvalue()
    assert "Khae → แค: the same name, in Thai script" in out.getvalue()

    off = QAService.open(folder, config_with(tmp_path, False)).retriever.rank(question, "en")
    assert not {"ท่า", "แค"} & {t for h in off.hits for t in h.matched}

    # a place royin misspells ("chianghaim"), asked as it is usually written
    near = service.retriever.rank("How far is it from Chiang Mai?", "en").hits[0]
    assert "เชียงใหม่" in near.matched and "40 กิโลเมตร" in service.kb.sentences[near.sentence].text

    # an index built before the table existed: it is romanized at the first question, and kept
    stored[0].unlink()
    again = QAService.open(folder, config)
    assert not again.rebuilt
    assert {"ท่า", "แค"} <= set(again.retriever.rank(question, "en").hits[0].matched)
    assert stored[0].exists()


# (One sentence about Chiang Mai: the names of a French question count for the whole
# Thai article, and "Où se trouve…" is closest in meaning to a temple "located on a
# mountain near the city", which then came first; /why is what this file checks.)
NAMES_ARTICLE = (
    "---\ntitle: เที่ยวภาคเหนือ\nlang: th\n---\n"
    "เชียงใหม่เป็นเมืองใหญ่ทางภาคเหนือของประเทศไทย\n\n"
    "คุณสมชาย ใจดี เป็นผู้จัดการโรงแรมในลพบุรีมาสิบปีแล้ว\n")


def test_why_names_every_word_of_a_thai_name_and_every_term_it_spells(tmp_path):
    """/why said "It shares 1 of your 3 words: Chiang → เชียงใหม่" for "Où se trouve
    Chiang Mai ?" (the term spelt across two words was credited to the first only, so
    "Mai" looked unmatched), and "Somchai → สม" for a name the article writes สม ชาย
    (found driving the REPL over a folder of Thai place names)."""
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "north.md").write_text(NAMES_ARTICLE, encoding="utf-8")
    service = QAService.open(kb, CONFIG)
    out = io.StringIO()
    repl = Repl(service, "fr", out)
    repl.handle("Où se trouve Chiang Mai ?")
    repl.handle("/why")
    text = out.getvalue()
    assert "Chiang Mai → เชียงใหม่\u00a0: le même nom, en écriture thaïe" in text
    assert "Il a 2 de vos 3 mots en commun" in text
    out = io.StringIO()
    repl = Repl(service, "en", out)
    repl.handle("Who is Somchai?")
    repl.handle("/why")
    assert "Somchai → สมชาย: the same name, in Thai script" in out.getvalue()
