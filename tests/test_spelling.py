"""The embedder reads the question as the knowledge spells it (answering/spelling.py):
a word the knowledge never writes, that no dictionary knows, is written as the
knowledge's word that holds its letters in order with one or two more."""

from __future__ import annotations

from bot.answering.spelling import KnowledgeSpelling

TEXTS = ["Mteja mwenye furaha sio mteja aliye na bidhaa kamili.",
         "Kampuni yako inaweza kuwa ikihangaika; kampuni nyingine pia.",
         "Les clients attendent l'honnêteté. ผู้คนให้ความภักดี"]


def spelling(min_letters: int = 5, max_missing: int = 2) -> KnowledgeSpelling:
    return KnowledgeSpelling(KnowledgeSpelling.count(TEXTS), min_letters, max_missing)


def never_a_word(_word: str) -> bool:
    return False


def test_counts_are_casefolded_letters_without_thai():
    counts = KnowledgeSpelling.count(TEXTS)
    assert counts["kampuni"] == 2 and counts["mteja"] == 2 and "l" in counts
    assert not any("ผู้" in w or w.isdigit() for w in counts)


def test_dropped_letters_are_written_back_keeping_the_capital():
    s = spelling()
    assert s.respell("mteja mwenye furha ni nani??", never_a_word) == "mteja mwenye furaha ni nani??"
    assert s.respell("Kampni ikijarib kuficha", never_a_word) == "Kampuni ikijarib kuficha"
    assert s.respell("Les clints attendent", never_a_word) == "Les clients attendent"


def test_what_is_left_alone():
    s = spelling()
    # a word of a dictionary, however close to a knowledge word
    assert s.respell("furha", lambda word: word == "furha") == "furha"
    # shorter than the bridge's minimum ("mtej"), another first letter, a letter too many missing
    assert s.respell("mtej", never_a_word) == "mtej"
    assert s.respell("ampuni", never_a_word) == "ampuni"
    assert spelling(max_missing=1).respell("kmpni", never_a_word) == "kmpni"
    assert s.respell("kmpni", never_a_word) == "kampuni"
    # words the knowledge writes, digits, Thai
    text = "kampuni 5 ผู้คนให้ความภักดี"
    assert s.respell(text, never_a_word) == text


def test_the_most_frequent_word_wins_a_tie():
    s = KnowledgeSpelling({"bandari": 1, "bendera": 3, "bandera": 2}, 5, 2)
    assert s.spelt("bndera") == "bendera"


def _embedded_texts(service, question: str) -> list[str]:
    """The texts the service gives the embedder for `question`."""
    seen: list[str] = []
    embedder = service.embedder
    one, many = embedder.embed_query, embedder.embed_queries
    embedder.embed_query = lambda text: seen.append(text) or one(text)
    embedder.embed_queries = lambda texts: seen.extend(texts) or many(texts)
    try:
        service.ask(question)
    finally:
        del embedder.embed_query, embedder.embed_queries
    return seen


def test_the_embedder_reads_the_respelt_question_bm25_the_written_one(tmp_path, config_copy):
    from pathlib import Path

    from bot.answering.service import QAService

    from conftest import knowledge_folder, with_setting

    folder = knowledge_folder(tmp_path, ("a", "Soko jipya la samaki", "sw",
                                         "Kampuni ya uvuvi imefungua soko jipya la samaki bandarini."))
    service = QAService.open(folder, Path(__file__).parent.parent / "config")
    assert service.embedder is not None
    assert _embedded_texts(service, "kampni ya uvuvi ilifungua nini")[0] == "kampuni ya uvuvi ilifungua nini"
    off = QAService.open(folder, with_setting(config_copy, "embed_as_spelt: true", "embed_as_spelt: false"))
    assert _embedded_texts(off, "kampni ya uvuvi ilifungua nini")[0] == "kampni ya uvuvi ilifungua nini"


def test_the_retriever_respells_with_the_folder_s_words(tmp_path):
    """The retriever's text for the embedder, over a real folder: BM25 still
    reads the question as written (its query words are the user's)."""
    from pathlib import Path

    from bot.answering.service import QAService

    from conftest import knowledge_folder

    folder = knowledge_folder(tmp_path, ("a", "Soko jipya la samaki", "sw",
                                         "Kampuni ya uvuvi imefungua soko jipya la samaki bandarini."),
                              ("b", "Readers write", "en", "Comments are open to every reader of the site."))
    service = QAService.open(folder, Path(__file__).parent.parent / "config")
    assert service.retriever.respelt("kampni ya uvuvi ilifungua nini", "sw") == "kampuni ya uvuvi ilifungua nini"
    words = service.explain("kampni ya uvuvi ilifungua nini").query.words["sw"]
    assert words[0].surface == "kampni"
    # function words of any language here are words ("Comment" is no "comments")
    assert service.retriever.respelt("Comment va le soko ?", "fr") == "Comment va le soko ?"
    assert service.retriever.respelt("Commnts on the soko", "en") == "Comments on the soko"


def test_a_forced_reply_language_does_not_change_how_the_question_is_read(tmp_path):
    """`/lang fr` on a Swahili question: the words are judged as Swahili words
    (the question's language), as the chat spellings are."""
    from pathlib import Path

    from bot.answering.service import QAService

    from conftest import knowledge_folder

    folder = knowledge_folder(tmp_path, ("a", "Soko jipya la samaki", "sw",
                                         "Kampuni ya uvuvi imefungua soko jipya la samaki bandarini."))
    service = QAService.open(folder, Path(__file__).parent.parent / "config")
    seen: list[str] = []
    respelt = service.retriever.respelt
    service.retriever.respelt = lambda text, lang: seen.append(lang) or respelt(text, lang)
    service.explain("Kampni ya uvuvi ilifungua soko gani jipya?", lang="fr")
    service.explain("Kampni ya uvuvi ilifungua soko gani jipya?")
    assert seen == ["sw", "sw"]
