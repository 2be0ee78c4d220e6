"""Which language a question is answered in when its own text cannot tell."""

from bot.knowledge.language import detect_language

LANGS = ("fr", "en", "sw", "th")


def detect(text: str, hint: str | None = None) -> str:
    return detect_language(text, LANGS, "en", 3, hint, min_confidence=0.6)


def test_clear_questions_keep_their_language():
    assert detect("Comment les marques gagnent-elles la confiance ?") == "fr"
    assert detect("Bitwise ni nini?") == "sw"
    assert detect("Who is the CEO of the company?") == "en"
    assert detect("ความไว้วางใจคืออะไร") == "th"
    assert detect("bilan fin 2010") == "fr"  # short, but the guess is sure enough


def test_a_name_alone_takes_the_hint_or_the_default():
    # py3langid guesses Swahili for these, with probability 0.42 and 0.53
    assert detect("Ron Brumbarger") == "en"
    assert detect("Ron Brumbarger", hint="fr") == "fr"
    assert detect("Bitwise", hint="th") == "th"


def test_a_script_no_served_language_uses_takes_the_hint_or_the_default():
    assert detect("什么是品牌承诺？") == "en"
    assert detect("ما هي الثقة؟", hint="fr") == "fr"
    assert detect("Что такое Bitwise?", hint="sw") == "sw"


def test_without_a_confidence_floor_the_guess_stands():
    assert detect_language("Ron Brumbarger", LANGS, "en", 3) == "sw"


def test_an_unsure_guess_asks_the_knowledge_first():
    assert detect_language("Ron Brumbarger", LANGS, "en", 3, None, 0.6, unsure=lambda text, guess: "fr") == "fr"
    assert detect_language("Ron Brumbarger", LANGS, "en", 3, "sw", 0.6, unsure=lambda text, guess: None) == "sw"
    # a sure guess is not second-guessed
    assert detect_language("Who is the CEO of the company?", LANGS, "en", 3, None, 0.6,
                           unsure=lambda t, g: "fr", sure_confidence=0.8) == "en"


def test_a_keyword_takes_the_language_of_the_articles_that_hold_it(tmp_path):
    """"loyers" (French 0.49) and "Harbour" (French 0.52) are too short for the
    identifier; the French market article holds the first, the English rowing
    club article the second."""
    import shutil
    from pathlib import Path

    from bot.answering.service import QAService

    folder = tmp_path / "nav"
    shutil.copytree(Path(__file__).parent / "fixtures" / "navigation", folder)
    service = QAService.open(folder, Path(__file__).parent.parent / "config")
    assert service.reply_language("loyers") == "fr"
    assert service.reply_language("Harbour") == "en"
    assert service.retriever.language_of_words("Xylophone Quagga") is None  # held nowhere: no vote


def test_a_fairly_sure_guess_yields_only_to_words_all_held_elsewhere(tmp_path):
    """"gadget documentation terrible" is English for py3langid (0.66); the shipped
    French article holds all three words and no English article holds any."""
    from pathlib import Path

    from bot.answering.service import QAService

    service = QAService.open(Path(__file__).parent.parent / "knowledge", Path(__file__).parent.parent / "config")
    assert detect_language("gadget documentation terrible", LANGS, "en", 3, None, 0.6) == "en"
    assert service.reply_language("gadget documentation terrible") == "fr"
    assert service.retriever.language_of_words("gadget documentation terrible", "en") == "fr"
    assert service.retriever.language_of_words("Bitwise ni nini", "sw") is None  # the guess's articles hold "bitwise"
    assert service.reply_language("5 star reviews") == "en"  # no language holds every word: the guess stands


def test_a_fairly_sure_guess_yields_to_a_language_holding_all_the_words_and_more(tmp_path):
    """"feline distemper vaccine" is French for py3langid (0.72); the French
    article holds one of its words ("vaccin"), its English translation all
    three: the English one decides (it stood French while the French article
    held any word)."""
    from pathlib import Path

    from bot.answering.service import QAService

    (tmp_path / "chats.md").write_text(
        "---\ntitle: Campagne de stérilisation\nlang: fr\n---\n"
        "Chaque chat sera stérilisé et vacciné contre le typhus avant d'être relâché.\n", encoding="utf-8")
    (tmp_path / "cats.md").write_text(
        "---\ntitle: Neutering campaign\nlang: en\ntranslation_of: chats\n---\n"
        "Each cat will be neutered and vaccinated against feline distemper before being released.\n",
        encoding="utf-8")
    service = QAService.open(tmp_path, Path(__file__).parent.parent / "config")
    assert detect_language("feline distemper vaccine", LANGS, "en", 3, None, 0.6) == "fr"
    assert service.retriever.language_of_words("feline distemper vaccine", "fr") == "en"
    assert service.reply_language("feline distemper vaccine") == "en"
    assert service.retriever.language_of_words("vaccin typhus", "fr") is None  # the guess holds every word
