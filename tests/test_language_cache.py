"""The cached language model classifies exactly like py3langid itself."""

from __future__ import annotations

import json
import random

from conftest import SHARED

from bot import language


def probe_texts() -> list[str]:
    texts = [json.loads(line)["question"] for line in (SHARED / "eval" / "dev.jsonl").read_text().splitlines()
             if line.strip()]
    rng = random.Random(3)
    words = " ".join(texts).split()
    texts += [" ".join(rng.choices(words, k=rng.randint(1, 12))) for _ in range(200)]
    texts += ["", "ok", "HELLO THERE FRIEND", "ça va très bien merci", "Habari za asubuhi rafiki", "123 456",
              "\ud800 surrogate", "émoji 🎉 partout"]
    return texts


def test_cached_model_agrees_with_py3langid(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path))
    langs = ("fr", "en", "sw", "th")
    language._identifier.cache_clear()
    try:
        first = language._identifier(langs)  # py3langid itself, and writes the cache
        assert not isinstance(first, language.FastIdentifier)
        language._identifier.cache_clear()
        fast = language._identifier(langs)
        assert isinstance(fast, language.FastIdentifier)
        for text in probe_texts():
            want = first.classify(text)
            got = fast.classify(text)
            assert got[0] == want[0], text
            assert abs(got[1] - want[1]) < 1e-6, text
    finally:
        language._identifier.cache_clear()


def test_broken_cache_falls_back_to_py3langid(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path))
    langs = ("fr", "en")
    language._identifier.cache_clear()
    try:
        language._identifier(langs)
        directory = language._cache_dir(langs)
        victim = directory / "nextmove.npy"
        victim.write_bytes(victim.read_bytes()[:1000])
        language._identifier.cache_clear()
        ident = language._identifier(langs)  # refuses the truncated file, rebuilds
        assert not isinstance(ident, language.FastIdentifier)
        assert language.detect_language("Bonjour, comment allez-vous ?", langs) == "fr"
        language._identifier.cache_clear()
        assert isinstance(language._identifier(langs), language.FastIdentifier)
    finally:
        language._identifier.cache_clear()
