"""Which language a question is answered in when its own text cannot tell."""

from bot.knowledge.language import detect_language

from tests.conftest import write_article

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


def test_a_short_text_with_one_language_s_function_word_takes_that_language():
    # too short to classify surely; "de" is a French function word and no other's
    assert detect("PDG de Bitwise") == "fr"
    assert detect("PDG de Bitwise", hint="sw") == "sw"  # the hint still comes first
    assert detect("Ron Brumbarger") == "en"  # no function word: the default


def test_a_script_no_served_language_uses_takes_the_hint_or_the_default():
    assert detect("什么是品牌承诺？") == "en"
    assert detect("ما هي الثقة؟", hint="fr") == "fr"
    assert detect("Что такое Bitwise?", hint="sw") == "sw"


def test_without_a_confidence_floor_the_guess_stands():
    assert detect_language("Ron Brumbarger", LANGS, "en", 3) == "sw"


def test_an_unsure_guess_asks_the_knowledge_first():
    assert detect_language("Ron Brumbarger", LANGS, "en", 3, None, 0.6, unsure=lambda text, guess: "fr") == "fr"
    assert detect_language("Ron Brumbarger", LANGS, "en", 3, "sw", 0.6, unsure=lambda text, guess: None) == "sw"
    # then the hint, then the original article's language, then the default
    origin = {"origin": lambda text: "fr"}
    assert detect_language("Ron Brumbarger", LANGS, "en", 3, None, 0.6, lambda t, g: None, **origin) == "fr"
    assert detect_language("Ron Brumbarger", LANGS, "en", 3, "sw", 0.6, lambda t, g: None, **origin) == "sw"
    assert detect_language("Ron Brumbarger", LANGS, "en", 3, None, 0.6, lambda t, g: "th", **origin) == "th"
    assert detect_language("Ron Brumbarger", LANGS, "en", 3, None, 0.6, lambda t, g: None, origin=lambda t: None) \
        == "en"
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
    assert service.retriever.vote.language_of_words("Xylophone Quagga") is None  # held nowhere: no vote


def test_a_fairly_sure_guess_yields_only_to_words_all_held_elsewhere(tmp_path):
    """"gadget documentation terrible" is English for py3langid (0.66); the shipped
    French article holds all three words and no English article holds any."""
    from pathlib import Path

    from bot.answering.service import QAService

    service = QAService.open(Path(__file__).parent.parent / "knowledge", Path(__file__).parent.parent / "config")
    assert detect_language("gadget documentation terrible", LANGS, "en", 3, None, 0.6) == "en"
    assert service.reply_language("gadget documentation terrible") == "fr"
    assert service.retriever.vote.language_of_words("gadget documentation terrible", "en") == "fr"
    # the guess's articles hold "bitwise"
    assert service.retriever.vote.language_of_words("Bitwise ni nini", "sw") is None
    assert service.reply_language("5 star reviews") == "en"  # no language holds every word: the guess stands


def test_a_fairly_sure_guess_yields_to_a_language_holding_all_the_words_and_more(tmp_path):
    """"feline distemper vaccine" is French for py3langid (0.72); the French
    article holds one of its words ("vaccin"), its English translation all
    three: the English one decides (it stood French while the French article
    held any word)."""
    from pathlib import Path

    from bot.answering.service import QAService

    write_article(tmp_path, "chats", "Campagne de stérilisation", "fr",
                  "Chaque chat sera stérilisé et vacciné contre le typhus avant d'être relâché.\n")
    write_article(tmp_path, "cats", "Neutering campaign", "en",
                  "Each cat will be neutered and vaccinated against feline distemper before being released.\n",
                  translation_of="chats")
    service = QAService.open(tmp_path, Path(__file__).parent.parent / "config")
    assert detect_language("feline distemper vaccine", LANGS, "en", 3, None, 0.6) == "fr"
    assert service.retriever.vote.language_of_words("feline distemper vaccine", "fr") == "en"
    assert service.reply_language("feline distemper vaccine") == "en"
    assert service.retriever.vote.language_of_words("vaccin typhus", "fr") is None  # the guess holds every word


def test_a_name_alone_takes_its_original_article_s_language_unless_a_hint_says(tmp_path):
    """A name is no language's words: "Josiane Ferrand" is in a French article
    and in its English translation, and the languages tie.  With no hint, the
    original's language (French), not the default (English); a person's hint
    (a Telegram user's language) still comes first.  A name held by two
    unrelated articles of two languages ties for good: the default."""
    from pathlib import Path

    from bot.answering.service import QAService

    for name, text in {
        "jardin.md": "---\ntitle: Le jardin partagé\nlang: fr\n---\n"
                     "Josiane Ferrand préside l'association du jardin partagé depuis 2019, avec Jean-Paul "
                     "Le Dantec.\n",
        "garden.md": "---\ntitle: The shared garden\nlang: en\ntranslation_of: jardin\n---\n"
                     "Josiane Ferrand has chaired the shared garden association since 2019, with Jean-Paul "
                     "Le Dantec.\n",
        "kombe.md": "---\ntitle: Kombe la wasichana\nlang: sw\n---\n"
                    "Kocha Tomasz Zielinski ameongoza timu ya wasichana tangu mwaka 2020.\n",
        "coach.md": "---\ntitle: Youth football\nlang: en\n---\n"
                    "Coach Tomasz Zielinski visited the youth football club on Saturday.\n",
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    service = QAService.open(tmp_path, Path(__file__).parent.parent / "config")
    assert service.retriever.vote.language_of_words("Josiane Ferrand") is None  # French and English tie
    # "Le" is a word French drops as too common: it does not make the name English
    assert service.retriever.vote.language_of_words("Jean-Paul Le Dantec") is None
    assert service.reply_language("Jean-Paul Le Dantec") == "fr"
    assert service.retriever.vote.original_language("Josiane Ferrand") == "fr"
    assert service.reply_language("Josiane Ferrand") == "fr"
    answer = service.ask("Josiane Ferrand")
    assert answer.lang == "fr" and answer.passages[0].article == "jardin"  # the original is quoted
    assert service.reply_language("Josiane Ferrand", hint="sw") == "sw"
    assert service.retriever.vote.original_language("Tomasz Zielinski") is None  # two unrelated articles
    assert service.reply_language("Tomasz Zielinski") == "en"
    assert service.retriever.vote.original_language("Xylophone Quagga") is None  # held nowhere


def test_the_case_of_a_name_alone_does_not_change_the_language():
    """"Akismet" alone is guessed Swahili at 0.70, "akismet" at 0.59: the first was
    a fairly sure guess that stood, the second an unsure one that the knowledge
    decided (French, the original of the two articles holding it).  A name alone,
    held alike by an article and its translation, is decided the same way
    whatever its case; a function word ("ni nini") keeps the guess; a hint
    still comes first."""
    from bot.answering.service import QAService

    from conftest import CONFIG, KNOWLEDGE

    service = QAService.open(KNOWLEDGE, CONFIG)
    for name in ("akismet", "Akismet", "AKISMET", "Bitwise", "bitwise", "Ron Brumbarger"):
        assert service.retriever.vote.language_of_words(name) is None, name  # French and Swahili tie
        assert service.reply_language(name) == "fr", name
        assert service.reply_language(name, hint="sw") == "sw", name
    assert service.reply_language("Bitwise ni nini?") == "sw"
    assert service.reply_language("Akismet inafanya nini") == "sw"
    assert service.reply_language("What is Akismet?") == "en"
    # without the knowledge (no vote, no original) the guess stands, as before
    assert detect_language("Akismet", LANGS, "en", 3, None, 0.6, None, 0.8) == "sw"


def test_a_fairly_sure_guess_yields_to_another_language_s_function_words():
    """"coût onboarding par client" is English for py3langid (0.70): its one
    function word, "par", is French and no other served language's."""
    def unsure(text: str, guess: str | None) -> str | None:
        return None  # the knowledge's vote says nothing

    def guess(text: str) -> str:
        return detect_language(text, LANGS, "en", 3, None, 0.6, unsure, sure_confidence=0.8)

    assert guess("coût onboarding par client") == "fr"
    assert guess("Who is the CEO of the company?") == "en"  # sure: stands
    assert guess("What is onboarding") == "en"  # its own function words
