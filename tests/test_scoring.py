"""The postings-only query path gives exactly what scoring every sentence gave.

`reference_search` is the former `Retriever.search` (a dense score vector per
candidate term, every sentence compared and sorted), kept here as the
oracle: hits, scores (bit for bit), coverage, matched terms and order must
be equal on the shipped knowledge and on generated folders with
translations in several languages.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot.answering.fusion import fuse, language_means
from bot.answering.query import analyse_question, is_name
from bot.answering.retrieval import Hit, Retriever
from bot.answering.scoring import LexicalScorer
from bot.knowledge.corpus import split_front_matter

from conftest import CONFIG, KNOWLEDGE, shipped_settings


def _idf_share(kb, words, holds) -> float:
    """The former `Retriever.word_coverage` / `sentence_word_coverage` loop: share of
    the question's idf mass a passage holds (`holds(term)`), word by word."""
    idx = kb.chunk_index
    total = found = 0.0
    seen: set[str] = set()
    for word in words:
        key = word.surface.casefold()
        if key in seen:
            continue
        seen.add(key)
        mass = max((idx.idf_of(c.term) for c in word.candidates), default=idx.idf_of("\x00unseen"))
        credit = max((c.weight for c in word.candidates if holds(c.term)), default=0.0)
        total += mass
        found += mass * min(credit, 1.0)
    return found / total if total > 0 else 0.0


def _word_coverage(kb, words, chunk: int, present: dict[str, set[int]]) -> float:
    if chunk < 0:
        return 0.0
    return _idf_share(kb, words, lambda term: chunk in present.get(term, ()))


def _word_scores(index, words, cache):
    out = np.zeros(index.n_docs)
    for word in words:
        if not word.candidates:
            continue
        best = None
        for c in word.candidates:
            if c.term not in cache:
                cache[c.term] = index.scores([c.term])
            v = c.weight * cache[c.term]
            best = v if best is None else np.maximum(best, v)
        out += best
    return out


def _reference_reach(kb, query, user_lang: str, settings) -> float:
    """The BM25 score of an average-length sentence (and chunk) holding each question
    word's best candidate once, written from the formula: tf 1 at the average length
    leaves idf * (k1 + 1) / (1 + k1).  The most of any one language's words."""
    def ideal(index, word) -> float:
        k1 = index.params.k1
        return max((c.weight * index.idf_of(c.term) * (k1 + 1) / (1 + k1) for c in word.candidates), default=0.0)

    best = 0.0
    for lang, weights in query.weights.items():
        if weights:
            weight = 1.0 if lang == user_lang else settings.cross_language_weight
            best = max(best, weight * sum(ideal(kb.sentence_index, w) + settings.chunk_weight * ideal(kb.chunk_index, w)
                                          for w in query.words[lang]))
    return best


def reference_search(retriever: Retriever, question: str, user_lang: str, limit: int = 20, cosines=None):
    """The former dense `Retriever.search` (issue 13's version), kept as the oracle."""
    kb, s = retriever.kb, retriever.settings
    query = analyse_question(question, user_lang, kb.languages, retriever.bridges, s.max_question_chars)
    sentence_lang = np.array([x.lang for x in kb.sentences], dtype=object)
    chunk_of = np.array(kb.sentence_chunk, dtype=np.int64)
    alive = chunk_of >= 0
    sent_cache: dict = {}
    chunk_cache: dict = {}
    n = len(kb.sentences)
    total, sent_part, chunk_part = np.zeros(n), np.zeros(n), np.zeros(n)
    for lang, weights in query.weights.items():
        if not weights:
            continue
        mask = sentence_lang == lang
        weight = 1.0 if lang == user_lang else s.cross_language_weight
        words, article_part = query.words[lang], np.zeros(n)
        if cosines is not None and lang != user_lang and s.cross_language_names_by_article:
            # names across languages count for every sentence of their article alike
            names = [w for w in words if is_name(w, user_lang, lang)]
            words = [w for w in words if not is_name(w, user_lang, lang)]
            if names:
                per_chunk = _word_scores(kb.chunk_index, names, chunk_cache)
                best = np.zeros(len(kb.articles))
                for c, score in enumerate(per_chunk.tolist()):
                    a = int(kb.arrays.chunk_article[c])
                    best[a] = max(best[a], score)
                article_part = weight * (1.0 + s.chunk_weight) * best[kb.arrays.sentence_article]
        sent_scores = _word_scores(kb.sentence_index, words, sent_cache)
        chunk_scores = _word_scores(kb.chunk_index, words, chunk_cache)
        per_sentence_chunk = np.where(alive, chunk_scores[np.maximum(chunk_of, 0)], 0.0)
        sent_part = np.where(mask, sent_scores, sent_part)
        chunk_part = np.where(mask, per_sentence_chunk, chunk_part)
        total = np.where(mask, weight * (sent_scores + s.chunk_weight * per_sentence_chunk) + article_part, total)
    if not (total > 0).any() and not query.knows_a_word(kb.sentence_index.vocab.__contains__):
        return query, []  # no word of the question is known: nothing matches, not even in meaning
    quotable = retriever.arrays.quotable_mask()
    total = np.where(quotable, total, 0.0)
    bm25 = total
    if cosines is not None:
        # BM25 divided by at least a share of the score the question could reach
        floor = retriever.fusion.lexical_reach_share * _reference_reach(kb, query, user_lang, s)
        shift = retriever.fusion.language_offset
        if shift:  # each language's cosines less a share of their mean over its quotable sentences
            codes = np.unique(sentence_lang.astype(str), return_inverse=True)[1]
            means = language_means(cosines, codes, quotable, int(codes.max()) + 1)
            total = fuse(total, np.asarray(cosines, dtype=np.float64) - shift * means[codes], quotable,
                         retriever.fusion, floor)
        else:
            total = fuse(total, cosines, quotable, retriever.fusion, floor)
    # a site's notices ("Ce site utilise Akismet…") score down (scoring.site_notice_factor)
    total = np.where(retriever.arrays.quotability.notices_all(), total * s.site_notice_factor, total)
    if any(a.lang == user_lang for a in kb.articles):
        penalised = {a.id for a in kb.articles if a.lang != user_lang
                     and any(v.lang == user_lang for v in kb.versions(a.id))}
        if penalised:
            total = total * np.array([s.translation_penalty if x.article_id in penalised else 1.0
                                      for x in kb.sentences])
    order = np.argsort(-total, kind="stable")[:limit]
    presence: dict = {}
    hits = []
    for i in order.tolist():
        if total[i] <= 0 or not quotable[i]:
            break
        lang = kb.sentences[i].lang
        weights = query.weights.get(lang, {})
        if lang not in presence:
            for t in weights:
                if t not in chunk_cache:
                    chunk_cache[t] = kb.chunk_index.scores([t])
                if t not in sent_cache:
                    sent_cache[t] = kb.sentence_index.scores([t])
            presence[lang] = {t: set(np.flatnonzero(chunk_cache[t]).tolist()) for t in weights}
        via = query.via(lang)
        matched = {t: float(sent_cache[t][i]) * w for t, w in weights.items() if sent_cache[t][i] > 0}
        coverage = _word_coverage(kb, query.words.get(lang, []), kb.sentence_chunk[i], presence[lang])
        hits.append(Hit(sentence=i, score=float(total[i]), sentence_score=float(sent_part[i]),
                        chunk_score=float(chunk_part[i]), coverage=coverage, query_lang=lang,
                        matched=matched, via={t: via.get(t, "") for t in matched},
                        cosine=float(cosines[i]) if cosines is not None else 0.0, bm25=float(bm25[i]),
                        sentence_coverage=_idf_share(kb, query.words.get(lang, []), matched.__contains__)))
    return query, hits


def _questions(kb, rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = [("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?", "fr"),
           ("Je, ukadiriaji wa nyota 5 husaidia mauzo?", "sw"), ("Why do buyers distrust perfect ratings?", "en"),
           ("ทำไมคะแนนห้าดาวจึงไม่น่าเชื่อถือ", "th"), ("zzz qqq", "fr")]
    while len(out) < n:
        s = rng.choice(kb.sentences)
        words = s.text.split()
        keep = sorted(rng.sample(range(len(words)), min(len(words), rng.randint(1, 6))))
        lang = rng.choice([s.lang, s.lang, "en", "fr"])
        out.append((" ".join(words[i] for i in keep), lang))
    return out


def _same(retriever: Retriever, questions, vectors=None) -> None:
    rng = np.random.default_rng(4)
    for q, lang in questions:
        for limit in (20, 3):
            _, got = retriever.search(q, lang, limit)
            _, want = reference_search(retriever, q, lang, limit)
            assert got == want, (q, lang, limit)
            if vectors is not None:  # the fusion, with every sentence's cosine
                v = rng.normal(size=vectors.shape[1]).astype(np.float32)
                v /= np.linalg.norm(v)
                cos = vectors @ v.astype(vectors.dtype)
                _, got = retriever.search(q, lang, limit, cosines=cos)
                _, want = reference_search(retriever, q, lang, limit, cosines=cos)
                assert got == want, (q, lang, limit, "fused")


def _random_vectors(n: int, seed: int = 9) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = rng.normal(size=(n, 32)).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    return m.astype(np.float16)


def test_shipped_knowledge_same_hits():
    from bot.answering.service import QAService

    service = QAService.open(KNOWLEDGE, CONFIG)
    retriever = Retriever(service.kb, service.settings)
    _same(retriever, _questions(service.kb, random.Random(1), 40), _random_vectors(len(service.kb.sentences)))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """60 articles recombined from the shipped sentences, one in four a translation of an earlier one."""
    from bot.knowledge.chunking import split_sentences

    from conftest import MIN_THAI, load_articles

    rng = random.Random(7)
    pools: dict[str, list[str]] = {}
    for path in sorted(KNOWLEDGE.glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        pools.setdefault(meta["lang"], []).extend(body[s.start:s.end] for s in split_sentences(body, MIN_THAI))
    folder = tmp_path_factory.mktemp("generated")
    langs = sorted(pools)
    for i in range(60):
        lang = langs[i % len(langs)]
        paragraphs = [" ".join(rng.sample(pools[lang], 3)) for _ in range(rng.randint(2, 5))]
        front = f"title: A{i}\nlang: {lang}\n"
        if i >= 4 and i % 4 == 0:
            front += f"translation_of: a{rng.randrange(i):03d}\n"
        (folder / f"a{i:03d}.md").write_text(f"---\n{front}---\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return load_articles(folder)


def test_generated_knowledge_same_hits(generated):
    retriever = Retriever(generated, shipped_settings())
    _same(retriever, _questions(generated, random.Random(2), 60), _random_vectors(len(generated.sentences)))


def test_nearest_candidates_give_the_exact_fusion(generated):
    """Above exact_max_sentences the fusion runs over the lexical candidates and the
    HNSW neighbours; on a folder where the graph finds the true neighbours the hits
    are the exact fusion's."""
    pytest.importorskip("usearch")
    from dataclasses import replace

    from bot.knowledge.vectors import SentenceVectors

    settings = shipped_settings()
    small = replace(settings, semantic=replace(settings.semantic, exact_max_sentences=0, ann_candidates=50))
    vectors = SentenceVectors("test", _random_vectors(len(generated.sentences), 5), expansion=512)
    approx = Retriever(generated, small)
    approx.semantic.vectors = vectors
    exact = Retriever(generated, settings)
    exact.semantic.vectors = vectors  # the language offset's means from the same centroids on both paths
    rng = np.random.default_rng(8)
    for q, lang in _questions(generated, random.Random(3), 40):
        v = rng.normal(size=32).astype(np.float32)
        v /= np.linalg.norm(v)
        _, got = approx.search(q, lang, 10, query_vector=v)
        _, want = exact.search(q, lang, 10, query_vector=v)
        assert [(h.sentence, h.score) for h in got] == [(h.sentence, h.score) for h in want], q


def test_top_breaks_ties_by_sentence_number():
    ids = np.array([1, 3, 5, 7, 9, 11])
    total = np.array([2.0, 1.0, 2.0, 1.0, 0.0, 1.0])
    assert LexicalScorer.top(ids, total, 3).tolist() == [0, 2, 1]
    assert LexicalScorer.top(ids, total, 10).tolist() == [0, 2, 1, 3, 5]


@pytest.mark.parametrize("surface, vias, user_lang, lang, name", [
    ("Riverside", [""], "fr", "en", True),  # capitalised, found as itself
    ("club", [""], "fr", "en", False),  # a cognate: the sentence's own evidence
    ("club", [""], "th", "en", True),  # Latin letters in a Thai question
    ("Bitwise", ["fr->sw"], "fr", "sw", False),  # a dictionary bridge is a word, not a name
    ("2023", [""], "en", "th", False),  # a number says which sentence
    ("Kettlesby", ["", "Thai name Kettlesby"], "en", "th", True),  # transliterated
])
def test_a_word_stands_for_a_name_across_languages(surface, vias, user_lang, lang, name):
    from bot.answering.bridges import Expansion, QueryWord

    word = QueryWord(surface, tuple(Expansion(surface.casefold(), 1.0, v) for v in vias))
    assert is_name(word, user_lang, lang) is name


def test_a_weak_best_match_does_not_count_as_a_whole_match():
    """BM25 is divided by at least the floor (a share of the score the question could
    reach): a best match holding little of the question no longer counts 1, and the
    sentence nearest in meaning wins; a strong best match is divided by itself."""
    settings = shipped_settings().semantic
    bm25 = np.array([2.0, 0.0, 1.0])  # sentence 0: one incidental word; 1: none; 2: half of that
    cos = np.array([0.80, 0.83, 0.79])  # sentence 1 is the nearest in meaning
    every = np.ones(3, dtype=bool)
    alone = fuse(bm25, cos, every, settings)
    floored = fuse(bm25, cos, every, settings, floor=10.0)
    assert alone.argmax() == 0 and floored.argmax() == 1
    assert floored[0] == pytest.approx((1 - settings.cosine_weight) * 0.2
                                       + settings.cosine_weight * max(0.0, 1 - 0.03 / settings.cosine_window))
    assert np.array_equal(fuse(bm25, cos, every, settings, floor=1.5), alone)  # below the best: no change


def test_an_average_length_sentence_holding_each_word_once_scores_the_sum_of_their_idfs():
    """What `LexicalScorer.reach` adds up (each word's idf, in the sentence and the
    chunk index) is the BM25 score of a sentence of average length holding each
    word once: the premise of the floor, checked on the index's own weights."""
    from bot.knowledge.bm25 import BM25Index

    index = BM25Index.build([["a", "b", "c"], ["a", "d", "e"], ["b", "c", "f"], ["a", "b", "c"]])
    m = index.weights  # document 0 has the average length (3 terms) and holds a, b and c once
    score = 0.0
    for term in "abc":
        row = index.vocab[term]
        docs = m.indices[m.indptr[row]:m.indptr[row + 1]].tolist()
        score += float(m.data[m.indptr[row] + docs.index(0)])
    assert score == pytest.approx(sum(index.idf_of(t) for t in "abc"))
