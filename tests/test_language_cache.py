"""The cached language model classifies exactly like py3langid itself."""

from __future__ import annotations

import json
import random

from bot.knowledge import language

from conftest import ROOT


def probe_texts() -> list[str]:
    probe = ROOT / "bench" / "heldout_probe.jsonl"  # questions the team wrote, in the repository
    texts = [json.loads(line)["question"] for line in probe.read_text(encoding="utf-8").splitlines()
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
    language._model.cache_clear()
    try:
        reference = language._py3langid(langs)
        built = language._identifier(langs)  # built from py3langid, written to the cache
        language._identifier.cache_clear()
        language._model.cache_clear()
        mapped = language._identifier(langs)  # read back from the cache
        assert isinstance(mapped, language.FastIdentifier)
        for text in probe_texts():
            want = reference.classify(text)
            for fast in (built, mapped):
                got = fast.classify(text)
                assert got[0] == want[0], text
                assert abs(got[1] - want[1]) < 1e-6, text
    finally:
        language._identifier.cache_clear()
        language._model.cache_clear()


def test_one_model_file_serves_the_served_languages_and_the_others(tmp_path, monkeypatch):
    """The served languages' detection and `unserved_language` read one cached model
    (every Latin-script language and the served ones), each its own view of it."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path))
    language._identifier.cache_clear()
    language._model.cache_clear()
    try:
        served = ("fr", "en", "sw", "th")
        assert language.detect_language("Wer ist der Geschäftsführer von Bitwise?", served, "en", 3) in served
        assert language.unserved_language("Wer ist der Geschäftsführer von Bitwise?", served, 4, 0.9) == "de"
        assert [p.name.partition("@")[0] for p in tmp_path.iterdir() if p.name.startswith("langid-")] == [
            "langid-1-" + "-".join(language._modelled(served))]
    finally:
        language._identifier.cache_clear()
        language._model.cache_clear()


def test_broken_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path))
    langs = ("fr", "en")
    language._identifier.cache_clear()
    language._model.cache_clear()
    try:
        language._identifier(langs)
        directory = language._cache_dir(language._modelled(langs))
        victim = directory / "nextmove.npy"
        victim.write_bytes(victim.read_bytes()[:1000])
        language._identifier.cache_clear()
        language._model.cache_clear()
        language._identifier(langs)  # refuses the truncated file, rebuilds it
        assert victim.stat().st_size > 1000
        assert language.detect_language("Bonjour, comment allez-vous ?", langs, "en", 3) == "fr"
        language._identifier.cache_clear()
        language._model.cache_clear()
        assert isinstance(language._identifier(langs), language.FastIdentifier)
    finally:
        language._identifier.cache_clear()
        language._model.cache_clear()
