"""Incremental re-indexing, a corrupt index is rebuilt, and `ask` stays light."""

from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pytest

from bot.core.config import load_settings
from bot.knowledge import file_analysis
from bot.knowledge.index_cache import cache_dir_for
from bot.knowledge.index_files import ARTICLES, STAMP
from bot.knowledge.store import load_fresh, open_knowledge

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env


@pytest.fixture
def counted(monkeypatch):
    calls: list[str] = []
    real = file_analysis.analyse_article

    def counting(article, chunk_tokens):
        calls.append(article.id)
        return real(article, chunk_tokens)

    monkeypatch.setattr(file_analysis, "analyse_article", counting)
    return calls


def same_kb(a, b) -> None:
    assert [x.id for x in a.articles] == [x.id for x in b.articles]
    assert [x.group for x in a.articles] == [x.group for x in b.articles]
    assert a.sentences == b.sentences and a.chunks == b.chunks and a.sentence_chunk == b.sentence_chunk
    for name in ("sentence_index", "chunk_index"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.vocab.keys() == y.vocab.keys()
        for term in list(x.vocab)[:300]:
            assert np.allclose(x.scores([term]), y.scores([term]), rtol=0, atol=1e-12)


def test_touching_one_file_reanalyses_only_that_file(tmp_path, monkeypatch, knowledge_copy, counted):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    settings = load_settings(CONFIG)
    kb, rebuilt = open_knowledge(knowledge_copy, settings)
    assert rebuilt and len(counted) == 5
    kb2, rebuilt = open_knowledge(knowledge_copy, settings)
    assert not rebuilt and len(counted) == 5
    same_kb(kb, kb2)

    # touch without changing the content: nothing is re-analysed
    target = sorted(knowledge_copy.glob("*.md"))[2]
    os.utime(target, ns=(1, 1))
    _, rebuilt = open_knowledge(knowledge_copy, settings)
    assert rebuilt and len(counted) == 5

    # edit one file: only it is analysed again, and the result equals a full build
    target.write_text(target.read_text(encoding="utf-8") + "\nUne phrase ajoutée sur les zèbres roses.\n",
                      encoding="utf-8")
    kb3, rebuilt = open_knowledge(knowledge_copy, settings)
    assert rebuilt and counted[5:] == [target.stem]
    assert kb3.chunk_index.scores(["zebr"]).max() > 0 or kb3.chunk_index.scores(["zèbr"]).max() > 0 \
        or any("zèbres" in s.text for s in kb3.sentences)
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "fresh"))
    full, _ = open_knowledge(knowledge_copy, settings)
    same_kb(kb3, full)

    # remove one file, add another: the new one only is analysed
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    before = len(counted)
    sorted(knowledge_copy.glob("*.md"))[0].unlink()
    (knowledge_copy / "zz_new.md").write_text("---\ntitle: Nouveau\nlang: fr\n---\nUn article tout neuf.\n",
                                              encoding="utf-8")
    kb4, _ = open_knowledge(knowledge_copy, settings)
    assert counted[before:] == ["zz_new"]
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "fresh2"))
    same_kb(kb4, open_knowledge(knowledge_copy, settings)[0])


def test_settings_change_reuses_analyses(tmp_path, monkeypatch, knowledge_copy, config_copy, counted):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    open_knowledge(knowledge_copy, load_settings(config_copy))
    path = config_copy / "settings.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("k1: 1.2", "k1: 1.6"), encoding="utf-8")
    kb, rebuilt = open_knowledge(knowledge_copy, load_settings(config_copy))
    assert rebuilt and len(counted) == 5 and kb.chunk_index.params.k1 == 1.6


@pytest.mark.parametrize("victim", ["chunks.data.npy", "knowledge.json", ARTICLES, "sentences.json", "texts.npy",
                                    STAMP])
@pytest.mark.parametrize("damage", ["truncate", "corrupt"])
def test_damaged_index_is_rebuilt_not_trusted(tmp_path, monkeypatch, knowledge_copy, victim, damage):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    settings = load_settings(CONFIG)
    good, _ = open_knowledge(knowledge_copy, settings)
    path = cache_dir_for(knowledge_copy) / victim
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:  # same size, different bytes
        for i in range(len(data) // 2, min(len(data), len(data) // 2 + 16)):
            data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    kb, rebuilt = open_knowledge(knowledge_copy, settings)
    assert rebuilt
    same_kb(kb, good)
    assert not open_knowledge(knowledge_copy, settings)[1]


def test_fresh_load_from_columns_equals_the_full_state(tmp_path, monkeypatch, knowledge_copy):
    """A fresh index is read from articles.json; the knowledge base is the one the
    per-file state gives, articles' fields and texts included."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    settings = load_settings(CONFIG)
    built, _ = open_knowledge(knowledge_copy, settings)
    cache = cache_dir_for(knowledge_copy)
    stamp = json.loads((cache / STAMP).read_text(encoding="utf-8"))
    assert ARTICLES in stamp["files"]
    fresh = load_fresh(cache, stamp["files"])
    full = load_fresh(cache, set(stamp["files"]) - {ARTICLES})  # read the older way: the per-file state
    for kb in (fresh, built):
        same_kb(kb, full)
        assert [a.fields() for a in kb.articles] == [a.fields() for a in full.articles]
        assert np.array_equal(kb.arrays.sentence_chunk, full.arrays.sentence_chunk)
        assert kb.problems == full.problems


def test_articles_file_not_in_the_stamp_is_not_trusted(tmp_path, monkeypatch, knowledge_copy):
    """An older version rewriting the index leaves a stale articles.json behind
    and a stamp without it: the index is read the older way, not from that file."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    settings = load_settings(CONFIG)
    good, _ = open_knowledge(knowledge_copy, settings)
    cache = cache_dir_for(knowledge_copy)
    stamp = json.loads((cache / STAMP).read_text(encoding="utf-8"))
    del stamp["files"][ARTICLES]
    (cache / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    (cache / ARTICLES).write_text('{"columns": {}, "sentences": [], "chunks": [], "problems": []}', encoding="utf-8")
    kb, rebuilt = open_knowledge(knowledge_copy, settings)
    assert not rebuilt
    same_kb(kb, good)


def test_ask_imports_neither_telegram_nor_thai_nor_scipy(tmp_path):
    env = subprocess_env(BOT_CACHE_DIR=str(tmp_path / "cache"))
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['bot', '--knowledge', sys.argv[1], '--config', sys.argv[2], 'ask', '--json', sys.argv[3]]\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'telegram', 'pythainlp', 'scipy', 'tiktoken'}\n"
        "               | ({'numpy.ma'} & set(sys.modules)))  # np.unique imports numpy.ma: ~15 ms\n"
        "print('HEAVY:' + ' '.join(heavy), file=sys.stderr)\n"
    )

    def heavy(question: str) -> tuple[set[str], dict]:
        p = subprocess.run([PYTHON, "-c", probe, str(KNOWLEDGE), str(CONFIG), question], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        line = [x for x in p.stderr.splitlines() if x.startswith("HEAVY:")][-1]
        return set(line[len("HEAVY:"):].split()), json.loads(p.stdout)

    heavy("Pourquoi une note de 5 étoiles ?")  # first run builds the index (needs pythainlp, tiktoken)
    mods, answer = heavy("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?")
    assert answer["answered"] and mods == set()
    mods, answer = heavy("Mteja mwenye furaha ni mteja wa aina gani?")
    assert answer["lang"] == "sw" and mods == set()
    mods, answer = heavy("NPS คืออะไร")  # a Thai question needs Thai segmentation, nothing more
    assert mods == {"pythainlp"}


def test_aligned_lexicon_kept_when_its_sources_are_unchanged(tmp_path, monkeypatch, knowledge_copy):
    """An edit outside every translation keeps the stored lexicons (their sources'
    digest is unchanged); an edit of a translated article learns them again, equal
    to what a fresh cache learns."""
    from pathlib import Path

    from bot.answering.retrieval import Retriever

    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    settings = load_settings(CONFIG)

    def lexicons(kb) -> tuple[dict, list]:
        retriever = Retriever(kb, settings)
        calls: list[tuple[str, str]] = []
        learn = retriever.bridges._aligned_pairs
        retriever.bridges._aligned_pairs = lambda src, dst: calls.append((src, dst)) or learn(src, dst)
        return {(s, d): retriever.bridges.aligned(s, d) for s in kb.languages for d in kb.languages if s != d}, calls

    kb, _ = open_knowledge(knowledge_copy, settings)
    learned, calls = lexicons(kb)
    assert calls and any(learned.values())
    lone = next(a for a in kb.articles if len(kb.versions(a.id)) == 1)
    path = Path(lone.path)
    path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée hors des traductions.\n", encoding="utf-8")
    kb2, rebuilt = open_knowledge(knowledge_copy, settings)
    assert rebuilt and kb2.stamp != kb.stamp
    again, calls = lexicons(kb2)
    assert again == learned and calls == []

    translated = next(a for a in kb2.articles if len(kb2.versions(a.id)) > 1)
    path = Path(translated.path)
    path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée dans une traduction.\n",
                    encoding="utf-8")
    kb3, _ = open_knowledge(knowledge_copy, settings)
    relearned, calls = lexicons(kb3)
    assert calls
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "fresh"))
    fresh, _ = lexicons(open_knowledge(knowledge_copy, settings)[0])
    assert relearned == fresh
