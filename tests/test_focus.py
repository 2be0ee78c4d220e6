"""The question's focus (answering/focus.py): the question without the words of
the knowledge's titles, embedded beside it, moves the semantic part of the
fusion `semantic.focus_weight` of the way to its own cosine, for the sentences
of the articles those words name.

Checked: which words are taken out (a title's words as the question's analyzer
reads them, or written the same way in another language; a Thai word never cut
out of a longer one) and which articles they name, when there is no focus,
that the focus lets the sentence that answers pass the lead sentence that
names the article while the hits keep the whole question's cosine (the decline
model's), that other articles' sentences are not moved, that the exact and the
HNSW paths agree, and that the service embeds the focus and hands it to the
ranking.  Also the title words' BM25 counted by article
(`scoring.title_words_by_article`): every sentence of the article whose title
holds them gets the same credit for them (in the question's language, or
through a bridge in another), no other sentence any, and a question whose
answer type a rule checks keeps them per sentence.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

import numpy as np
import pytest

from bot.answering.focus import TitleWords, focused
from bot.answering.retrieval import Retriever
from bot.knowledge.analysis import get_analyzer
from bot.knowledge.vectors import SentenceVectors

from conftest import load_articles, shipped_settings


def _focus(question: str, lang: str, titles: list[str]) -> str | None:
    analyzer = get_analyzer(lang)
    focus = focused(question, analyzer, TitleWords.of(titles, analyzer))
    return focus.text if focus is not None else None


@pytest.mark.parametrize("question, lang, titles, want", [
    # the title's words, read by the question's analyzer (plural, accents) ...
    ("Which toys are not allowed at the clothes fairs?", "en", ["Second-hand clothes fair"],
     "Which toys are not allowed at the ?"),
    ("Combien coûte un emplacement au vide-grenier de Montbrison ?", "fr", ["Vide-grenier de Montbrison"],
     "Combien coûte un emplacement au - de ?"),
    # ... or written as in the title, in another language (a name)
    ("Kibanda cha Montbrison kinagharimu kiasi gani?", "sw", ["Vide-grenier de Montbrison"],
     "Kibanda cha kinagharimu kiasi gani?"),
    # Thai: the segmented words are cut where they stand
    ("คลินิกทันตกรรมยิ้มสดใสเปิดกี่โมง", "th", ["คำถามที่พบบ่อย คลินิกทันตกรรมยิ้มสดใส"], "เปิดกี่โมง"),
])
def test_the_title_words_are_taken_out(question, lang, titles, want):
    assert _focus(question, lang, titles) == want


@pytest.mark.parametrize("question, lang, titles", [
    ("When does the market open?", "en", ["Second-hand clothes fair"]),  # no title word
    ("clothes fair", "en", ["Second-hand clothes fair"]),  # nothing else: the question is its own focus
    ("Montbrison 2025 ?", "fr", ["Vide-grenier de Montbrison"]),  # a number alone is no focus
])
def test_no_focus(question, lang, titles):
    assert _focus(question, lang, titles) is None


def test_the_focus_names_the_articles_whose_titles_hold_the_words():
    analyzer = get_analyzer("en")
    titles = TitleWords.of(["Second-hand clothes fair", "Library hours", "Clothes bank opening"], analyzer)
    focus = focused("When does the clothes fair close?", analyzer, titles)
    assert focus is not None and focus.text == "When does the close?" and focus.articles == {0, 2}
    focus = focused("When does the library close?", analyzer, titles)
    assert focus is not None and focus.articles == {1}


def test_a_thai_word_is_not_cut_out_of_a_longer_one():
    """นา (a rice field) is a title word; นาที (a minute), before it in the
    question, holds it but is another word and stays."""
    assert _focus("กี่นาทีถึงนาข้าว", "th", ["นาข้าว"]) == "กี่นาทีถึง"
    assert _focus("นาข้าวอยู่ที่ไหน ใช้เวลากี่นาที", "th", ["นาข้าว"]) == "อยู่ที่ไหน ใช้เวลากี่นาที"


LEAD = "The Montbrison clothes fair returns on Sunday 12 October in the Montbrison town hall."
ANSWER = "Toys, books and electronics are not allowed for sale at the fair."
OTHER = "Volunteers will serve coffee and cakes all day long."
QUESTION = "What is not allowed at the Montbrison clothes fair?"


def _knowledge(folder, articles: list[tuple[str, str, list[str]]]):
    """A folder of articles (title, language, paragraphs), loaded."""
    for n, (title, lang, paragraphs) in enumerate(articles):
        body = "\n\n".join(paragraphs)
        (folder / f"a{n:03d}.md").write_text(f"---\ntitle: {title}\nlang: {lang}\n---\n{body}\n", encoding="utf-8")
    return load_articles(folder, detect=lambda _text: articles[0][1])


@pytest.fixture(scope="module")
def fair(tmp_path_factory):
    return _knowledge(tmp_path_factory.mktemp("focus"), [
        ("Montbrison clothes fair", "en", [LEAD, ANSWER, OTHER]),
        ("Library hours", "en", ["The library opens at nine on weekdays.", "It closes at noon on Saturdays."])])


def _unit(v: list[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def _vectors(kb) -> tuple[SentenceVectors, np.ndarray, np.ndarray]:
    """Sentence vectors where the whole question sits nearest the lead sentence
    and its focus nearest the answer."""
    basis = {LEAD: 0, ANSWER: 1, OTHER: 2}
    rows = []
    for n, s in enumerate(kb.sentences):
        v = [0.0] * 6
        v[basis.get(s.text, 3 + n % 3)] = 1.0
        rows.append(_unit(v))
    question = _unit([0.62, 0.60, 0.1, 0.05, 0.05, 0.05])
    focus = _unit([0.3, 0.9, 0.1, 0.05, 0.05, 0.05])
    return SentenceVectors("test", np.stack(rows).astype(np.float16)), question, focus


def _retriever(kb, weight: float, **semantic) -> Retriever:
    settings = shipped_settings()
    settings = replace(settings, semantic=replace(settings.semantic, focus_weight=weight, language_offset=0.0,
                                                  latent_terms_weight=0.0, **semantic))
    return Retriever(kb, settings)


def test_the_focus_lets_the_answer_pass_the_lead_sentence(fair):
    kb = fair
    vectors, question, focus = _vectors(kb)
    texts = []
    for weight in (0.0, 0.3):
        retriever = _retriever(kb, weight)
        retriever.semantic.vectors = vectors
        named = retriever.focus_question(QUESTION, "en")
        assert (named is None) == (weight == 0.0)
        ranking = retriever.rank(QUESTION, "en", 3, query_vector=question, focus_vector=lambda: focus,
                                 focus_articles=frozenset({0}))
        texts.append([kb.sentences[h.sentence].text for h in ranking.hits])
        # the hits keep the whole question's cosine: the decline model reads that one
        cos = vectors.cosines(question)
        assert [h.cosine for h in ranking.hits] == pytest.approx([float(cos[h.sentence]) for h in ranking.hits])
    assert texts[0][0] == LEAD
    assert texts[1][0] == ANSWER


def test_sentences_of_articles_not_named_are_not_moved(fair):
    """The focus chooses among the named articles' sentences: named another
    article, it moves nothing of the fair's, and the lead sentence stays first."""
    kb = fair
    vectors, question, focus = _vectors(kb)
    retriever = _retriever(kb, 0.3)
    retriever.semantic.vectors = vectors
    ranking = retriever.rank(QUESTION, "en", 3, query_vector=question, focus_vector=lambda: focus,
                             focus_articles=frozenset({1}))
    plain = retriever.rank(QUESTION, "en", 3, query_vector=question)
    assert kb.sentences[ranking.hits[0].sentence].text == LEAD
    fair_hits = [(h.sentence, round(h.score, 9)) for h in ranking.hits if kb.sentences[h.sentence].article_id == "a000"]
    assert fair_hits == [(h.sentence, round(h.score, 9)) for h in plain.hits
                         if kb.sentences[h.sentence].article_id == "a000"]


def test_the_focus_question_of_the_fair(fair):
    retriever = _retriever(fair, 0.3)
    focus = retriever.focus_question(QUESTION, "en")
    assert focus is not None and focus.text == "What is not allowed at the ?"
    assert [fair.articles[n].title for n in focus.articles] == ["Montbrison clothes fair"]
    focus = retriever.focus_question("When does the library open?", "en")
    assert focus is not None and focus.text == "When does the open?"
    assert retriever.focus_question("What is served all day?", "en") is None


def test_nearest_candidates_give_the_exact_fusion_with_a_focus(fair):
    """Above exact_max_sentences (HNSW candidates) the focus moves the candidates'
    semantic part, and the title words count by article, as on the exact path."""
    pytest.importorskip("usearch")
    kb = fair
    rng = np.random.default_rng(4)
    matrix = rng.normal(size=(len(kb.sentences), 8)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    vectors = SentenceVectors("test", matrix.astype(np.float16), expansion=512)
    exact = _retriever(kb, 0.3)
    approx = _retriever(kb, 0.3, exact_max_sentences=0, ann_candidates=50)
    exact.semantic.vectors = approx.semantic.vectors = vectors
    words = re.findall(r"\w+", " ".join(s.text for s in kb.sentences))
    pick = random.Random(5)
    for _ in range(20):
        q = " ".join(pick.sample(words, 4)) + " fair?"
        v, f = (_unit(list(rng.normal(size=8))) for _ in range(2))
        named = frozenset({0})
        got = approx.rank(q, "en", 5, query_vector=v, focus_vector=lambda f=f: f, focus_articles=named,
                          title_words=True).hits
        want = exact.rank(q, "en", 5, query_vector=v, focus_vector=lambda f=f: f, focus_articles=named,
                          title_words=True).hits
        assert [(h.sentence, round(h.score, 6)) for h in got] == [(h.sentence, round(h.score, 6)) for h in want], q


def test_the_service_embeds_the_focus(service, monkeypatch):
    """A question naming a title word of the shipped knowledge: the service embeds
    its focus and hands that vector to the ranking; a question without one gets none."""
    question = "Pourquoi les consommateurs n'achètent-ils plus la perfection ?"
    focus = service.retriever.focus_question(question, "fr")
    assert focus is not None and "perfection" not in focus.text and "consommateurs" not in focus.text
    seen = []
    rank = service.retriever.rank

    def spy(*args, **kwargs):
        seen.append((kwargs.get("focus_vector"), kwargs.get("focus_articles")))
        return rank(*args, **kwargs)

    monkeypatch.setattr(service.retriever, "rank", spy)
    assert service.ask(question).answered
    vector, articles = seen[-1]
    assert vector is not None and articles == focus.articles
    assert np.allclose(vector(), service.embedder.embed_query(focus.text), atol=1e-6)
    service.ask("Qu'est-ce qu'un bon service ?")
    assert seen[-1] == (None, frozenset())


def test_debug_shows_the_focus(service):
    """The REPL's /debug names the focus the question was embedded with, and
    says nothing of one for a question without title words."""
    import io

    from bot.repl import Repl

    out = io.StringIO()
    repl = Repl(service, lang="fr", out=out, colour=False)
    question = "Pourquoi les consommateurs n'achètent-ils plus la perfection ?"
    repl.handle(question)
    repl.handle("/debug")
    focus = service.retriever.focus_question(question, "fr")
    assert focus is not None and f"focus (semantic.focus_weight): {focus.text}" in out.getvalue()
    out.seek(0)
    out.truncate()
    repl.handle("Qu'est-ce qu'un bon service ?")
    repl.handle("/debug")
    assert "focus" not in out.getvalue()


def test_the_title_words_are_stored_beside_the_index(knowledge_copy, tmp_path, monkeypatch):
    """Every title through the question's analyzer takes seconds at 15,000 Thai
    titles: done once per index version and language, then read by the next
    process (a new service) from the index's cache."""
    from bot.answering import focus as focus_module
    from bot.answering.service import QAService

    from conftest import CONFIG

    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    question = "ทำไมลูกค้าถึงไว้วางใจแบรนด์"
    first = QAService.open(knowledge_copy, CONFIG)
    want = first.retriever.focus_question(question, "th")
    assert want is not None
    assert (first.kb.cache_dir / "derived-title-words-th.json").is_file()
    second = QAService.open(knowledge_copy, CONFIG)
    monkeypatch.setattr(focus_module.TitleWords, "of", classmethod(lambda cls, *a: pytest.fail("analysed again")))
    assert second.retriever.focus_question(question, "th") == want


# Title words by article (`scoring.title_words_by_article`): the lead sentence
# holds the title's words twice, the answer once; the cosines are all alike.
TITLED_LEAD = "The Kestrel Valley pool reopens at the Kestrel Valley leisure centre on Monday."
TITLED_ANSWER = "Lane swimming at the pool costs four pounds for adults."
TITLED_OTHER = "Pool lockers at the library take a one pound coin."
TITLED_QUESTION = "Is there lane swimming at the Kestrel Valley pool?"


@pytest.fixture(scope="module")
def titled(tmp_path_factory):
    return _knowledge(tmp_path_factory.mktemp("titled"), [
        ("Kestrel Valley pool", "en", [TITLED_LEAD, TITLED_ANSWER, "Changing rooms have been repainted."]),
        ("Library news", "en", [TITLED_OTHER, "The library opens at nine."])])


def _flat(kb) -> tuple[SentenceVectors, np.ndarray]:
    """Every sentence and the question on one vector: the semantic part chooses nothing."""
    rows = np.ones((len(kb.sentences), 4), dtype=np.float32) / 2.0
    return SentenceVectors("test", rows.astype(np.float16)), _unit([1.0, 1.0, 1.0, 1.0])


def test_title_words_count_for_every_sentence_of_the_article_they_name(titled):
    """With the title words counted by article, the question's other words choose
    among the pool's sentences ("lane swimming"), not the lead sentence that holds
    "Kestrel Valley" twice; a sentence of another article holding a title word
    ("Pool lockers") gets nothing for it; lexical only, nothing changes."""
    kb = titled
    vectors, question = _flat(kb)
    retriever = _retriever(kb, 0.0)
    retriever.semantic.vectors = vectors

    def ranked(title_words):
        hits = retriever.rank(TITLED_QUESTION, "en", 5, query_vector=question, title_words=title_words).hits
        return {kb.sentences[h.sentence].text: h.bm25 for h in hits}

    plain, by_article = ranked(False), ranked(True)
    assert next(iter(plain)) == TITLED_LEAD
    assert next(iter(by_article)) == TITLED_ANSWER
    # the lead sentence and the repainted changing rooms get the same credit for the title's words
    assert by_article["Changing rooms have been repainted."] == pytest.approx(by_article[TITLED_LEAD])
    assert by_article.get(TITLED_OTHER, 0.0) < plain[TITLED_OTHER]
    lexical = Retriever(kb, shipped_settings())
    assert ([h.sentence for h in lexical.rank(TITLED_QUESTION, "en", 5, title_words=True).hits]
            == [h.sentence for h in lexical.rank(TITLED_QUESTION, "en", 5).hits])


def test_a_question_of_title_words_alone_is_scored_sentence_by_sentence(titled):
    """ "Kestrel Valley" alone: nothing else would choose among the pool's
    sentences (the cosine of a bare name chooses by chance), so its words count
    where they are written, the lead sentence first; with
    `scoring.title_words_alone` they count for every sentence alike."""
    kb = titled
    vectors, question = _flat(kb)
    retriever = _retriever(kb, 0.0)
    retriever.semantic.vectors = vectors
    hits = retriever.rank("Kestrel Valley", "en", 5, query_vector=question, title_words=True).hits
    assert kb.sentences[hits[0].sentence].text == TITLED_LEAD
    assert hits[0].bm25 > max(h.bm25 for h in hits[1:])
    alone = _retriever(kb, 0.0)
    alone.settings = replace(alone.settings, title_words_alone=True)
    alone.semantic.vectors = vectors
    hits = alone.rank("Kestrel Valley", "en", 5, query_vector=question, title_words=True).hits
    pool = [h.bm25 for h in hits if kb.sentences[h.sentence].article_id == kb.sentences[hits[0].sentence].article_id]
    assert len(pool) == 3 and max(pool) == pytest.approx(min(pool))


def test_title_words_count_by_article_across_languages(tmp_path):
    """A question in another language than the article: its words whose bridge
    translations are words of the article's title ("price", "bread" for "Prix du
    pain") count for every sentence of that article alike."""
    lead = "Le prix du pain augmente à Lyon : la baguette coûte désormais un euro vingt."
    answer = "Les boulangers expliquent la hausse par le coût de la farine."
    kb = _knowledge(tmp_path, [("Prix du pain", "fr", [lead, answer])])
    vectors, question = _flat(kb)
    retriever = _retriever(kb, 0.0)
    retriever.semantic.vectors = vectors
    ask = "Why did the price of bread go up, flour?"
    plain = retriever.rank(ask, "en", 5, query_vector=question).hits
    by_article = retriever.rank(ask, "en", 5, query_vector=question, title_words=True).hits
    assert {kb.sentences[h.sentence].text for h in by_article} == {lead, answer}
    assert kb.sentences[plain[0].sentence].text == lead
    assert kb.sentences[by_article[0].sentence].text == answer


def test_the_service_counts_title_words_by_article_unless_a_rule_checks_the_answer(service, monkeypatch):
    """A question whose answer type a rule checks (a price, a number, a name ...)
    keeps its title words per sentence; another has them counted by article."""
    seen = []
    rank = service.retriever.rank

    def spy(*args, **kwargs):
        seen.append(kwargs.get("title_words"))
        return rank(*args, **kwargs)

    monkeypatch.setattr(service.retriever, "rank", spy)
    service.ask("Pourquoi les consommateurs n'achètent-ils plus la perfection ?")
    assert seen[-1] is True
    service.ask("Combien de consommateurs achètent la perfection ?")
    assert seen[-1] is False
