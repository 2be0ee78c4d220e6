"""The language offset of the fusion (`semantic.language_offset`): each language's
cosines less a share of the question's mean cosine over that language's
quotable sentences, so that a right answer in another language than the
question's is not buried by e5's pull towards the question's own language.

Checked on small folders written here: the shift lets the answer in the other
language through, changes nothing inside a one-language folder, leaves the
plain cosine (which the decline model reads) on the hits, and the means taken
from the languages' centroids equal those taken from every cosine.  The hit
the decline model judges is the plain fusion's best, unless the shift brought a
sentence in another script than the question's first
(`semantic.judge_across_scripts`).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from bot.answering.fusion import language_means
from bot.answering.retrieval import Retriever
from bot.knowledge.vectors import SentenceVectors

from conftest import load_articles, shipped_settings

# Every sentence names Kermadec once, so the lexical parts are alike and the
# semantic part decides.
FRENCH = [
    "Le conseil de Kermadec a voté le budget de la médiathèque pour l'année prochaine.",
    "Les horaires du jardin public de Kermadec changent à partir du mois de mai.",
    "Une réunion sur le stationnement à Kermadec aura lieu jeudi soir à la mairie.",
]
ENGLISH = [
    "The Kermadec village hall will host a free concert for families on Saturday.",
    "Volunteers repainted the Kermadec benches along the river path this spring.",
    "The Kermadec council has published the new timetable for the school bus.",
]
QUESTION = "Kermadec ?"


def _write(folder, name: str, lang: str, sentences: list[str]) -> None:
    body = "\n\n".join(sentences)
    (folder / f"{name}.md").write_text(f"---\ntitle: {name}\nlang: {lang}\n---\n{body}\n", encoding="utf-8")


def _beside_french(factory, lang: str, sentences: list[str], marker: str):
    """A folder of the French article and one in `lang` (told by `marker`), indexed."""
    folder = factory.mktemp(lang)
    _write(folder, "a000", "fr", FRENCH)
    _write(folder, "a001", lang, sentences)
    return load_articles(folder, detect=lambda text: lang if marker in text else "fr")


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory):
    return _beside_french(tmp_path_factory, "en", ENGLISH, "The ")


def _retriever(kb, offset: float) -> Retriever:
    return Retriever(kb, shipped_settings().override({"semantic.language_offset": offset}))


def _cosines(kb, by_text: dict[str, float]) -> np.ndarray:
    return np.array([by_text[s.text] for s in kb.sentences], dtype=np.float32)


def test_the_answer_in_another_language_comes_through(two_languages):
    """French sentences sit near a French question by language alone (mean 0.82);
    the English one a little below the best French one (0.84 < 0.86) is first
    once each language's mean is half taken off (0.84 - 0.373 > 0.86 - 0.41)."""
    kb = two_languages
    cos = _cosines(kb, {FRENCH[0]: 0.86, FRENCH[1]: 0.80, FRENCH[2]: 0.80,
                        ENGLISH[0]: 0.84, ENGLISH[1]: 0.70, ENGLISH[2]: 0.70})
    _, off = _retriever(kb, 0.0).search(QUESTION, "fr", 3, cosines=cos)
    _, on = _retriever(kb, 0.5).search(QUESTION, "fr", 3, cosines=cos)
    assert kb.sentences[off[0].sentence].text == FRENCH[0]
    assert kb.sentences[on[0].sentence].text == ENGLISH[0]
    # the hits keep the plain cosine: the decline model reads that one
    assert on[0].cosine == pytest.approx(0.84, abs=1e-6)
    assert all(h.bm25 > 0 for h in on)


THAI = [
    "สภาเมือง Kermadec อนุมัติงบประมาณห้องสมุดสำหรับปีหน้าแล้วในการประชุมครั้งล่าสุด",
    "สวนสาธารณะของเมือง Kermadec จะเปลี่ยนเวลาเปิดปิดตั้งแต่เดือนพฤษภาคมเป็นต้นไป",
    "จะมีการประชุมเรื่องที่จอดรถในเมือง Kermadec ที่ศาลากลางในคืนวันพฤหัสบดีนี้",
]


@pytest.fixture(scope="module")
def two_scripts(tmp_path_factory):
    return _beside_french(tmp_path_factory, "th", THAI, "เมือง")


def _ranking(kb, judge_across: bool, cos: np.ndarray):
    settings = shipped_settings().override({"semantic.language_offset": 0.5,
                                            "semantic.judge_across_scripts": judge_across})
    return Retriever(kb, settings).rank(QUESTION, "fr", 3, cosines=cos)


def test_a_first_hit_across_scripts_is_the_one_judged(two_scripts):
    """The offset brings the Thai sentence first for a French question (0.85 -
    0.375 > 0.86 - 0.41); the decline model then judges that hit, not the best
    French sentence of the fusion without the offset, which says nothing of it
    (`semantic.judge_across_scripts`).  Off, the French one is judged."""
    kb = two_scripts
    cos = _cosines(kb, {FRENCH[0]: 0.86, FRENCH[1]: 0.80, FRENCH[2]: 0.80,
                        THAI[0]: 0.85, THAI[1]: 0.70, THAI[2]: 0.70})
    on, off = _ranking(kb, True, cos), _ranking(kb, False, cos)
    assert kb.sentences[on.hits[0].sentence].text == THAI[0]
    assert [h.sentence for h in on.hits] == [h.sentence for h in off.hits]
    assert on.judged is None  # the first hit
    assert off.judged is not None and kb.sentences[off.judged.sentence].text == FRENCH[0]


def test_a_first_hit_in_the_questions_script_keeps_the_plain_one_judged(two_languages):
    """French and English share a script: the English answer the offset brings
    first is still judged by the best hit of the plain fusion (the model's fit)."""
    kb = two_languages
    cos = _cosines(kb, {FRENCH[0]: 0.86, FRENCH[1]: 0.80, FRENCH[2]: 0.80,
                        ENGLISH[0]: 0.84, ENGLISH[1]: 0.70, ENGLISH[2]: 0.70})
    ranking = _ranking(kb, True, cos)
    assert kb.sentences[ranking.hits[0].sentence].text == ENGLISH[0]
    assert ranking.judged is not None and kb.sentences[ranking.judged.sentence].text == FRENCH[0]


def test_one_language_folder_is_not_moved(tmp_path):
    """A shift per language moves no sentence against another of its own language."""
    _write(tmp_path, "a000", "fr", FRENCH)
    _write(tmp_path, "a001", "fr", [
        "La piscine de Kermadec rouvre ses bassins après trois mois de travaux.",
        "Le marché du samedi à Kermadec s'installe désormais sur la place de l'église.",
    ])
    kb = load_articles(tmp_path)
    rng = np.random.default_rng(3)
    for _ in range(10):
        cos = rng.uniform(0.7, 0.9, len(kb.sentences)).astype(np.float32)
        _, off = _retriever(kb, 0.0).search(QUESTION, "fr", 5, cosines=cos)
        _, on = _retriever(kb, 0.5).search(QUESTION, "fr", 5, cosines=cos)
        assert [h.sentence for h in on] == [h.sentence for h in off]
        assert [h.score for h in on] == pytest.approx([h.score for h in off], abs=1e-9)


def test_centroid_means_equal_the_cosines_means(two_languages):
    """The question's dot product with a language's centroid is its mean cosine
    over that language's quotable sentences: the two paths agree."""
    kb = two_languages
    rng = np.random.default_rng(5)
    matrix = rng.normal(size=(len(kb.sentences), 16)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    vectors = SentenceVectors("test", matrix.astype(np.float16))
    retriever = _retriever(kb, 0.5)
    retriever.semantic.vectors = vectors
    quotable = retriever.arrays.quotable_mask()
    lang = retriever.scorer.sentence_lang
    assert quotable.sum() == len(FRENCH) + len(ENGLISH)
    for _ in range(5):
        v = rng.normal(size=16).astype(np.float32)
        v /= np.linalg.norm(v)
        cos = vectors.cosines(v).astype(np.float64)
        naive = [cos[quotable & (lang == code)].mean() for code in range(len(retriever.scorer.lang_code))]
        assert language_means(cos, lang, quotable, len(naive)) == pytest.approx(naive, abs=1e-9)
        assert retriever.arrays.language_centroids(vectors) @ v == pytest.approx(naive, abs=2e-3)  # float16 rows
        # and the search takes the same first sentence either way
        _, by_vector = retriever.search(QUESTION, "fr", 3, query_vector=v)
        _, by_cosines = retriever.search(QUESTION, "fr", 3, cosines=vectors.cosines(v))
        assert by_vector[0].sentence == by_cosines[0].sentence


def test_the_offset_is_a_setting_within_range(config_copy):
    """A share outside 0-1 is refused, naming the key."""
    from bot.core.config import ConfigError, load_settings

    path = config_copy / "settings.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n  language_offset: ") == 1
    path.write_text(re.sub(r"\n  language_offset: [^\n]*", "\n  language_offset: 1.5", text), encoding="utf-8")
    with pytest.raises(ConfigError, match="language_offset"):
        load_settings(config_copy)


def test_centroids_are_stored_beside_the_index(knowledge_copy, tmp_path, monkeypatch):
    """One pass over the vectors per index version: a second process (a new
    service) reads the centroids from the index's cache, not from the vectors."""
    from bot.answering.service import QAService

    from conftest import CONFIG

    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    first = QAService.open(knowledge_copy, CONFIG)
    assert first.vectors is not None
    computed = first.retriever.arrays.language_centroids(first.vectors)
    assert computed == pytest.approx(first.retriever.arrays._language_sums(first.vectors.matrix))
    assert list(first.kb.cache_dir.glob("derived-language-centroids.*"))
    second = QAService.open(knowledge_copy, CONFIG)
    monkeypatch.setattr(type(second.retriever.arrays), "_language_sums",
                        lambda self, matrix: pytest.fail("computed again"))
    assert np.array_equal(second.retriever.arrays.language_centroids(second.vectors), computed)
