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
